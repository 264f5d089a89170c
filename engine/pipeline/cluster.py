"""Running a job's model work on a Dask cluster (`dask.distributed`); the workers' side is
cluster_tasks.py, what the client checks of each worker cluster_workers.py.

The job key "scheduler" names the cluster:
    "tcp://host:8786" (also tls://, ws://, wss://)  an existing `dask scheduler`
    "/path/scheduler.json"                          its scheduler file (--scheduler-file)
    "local:N"                                       N worker processes (1 thread each) on this
                                                    machine, started for the job and closed after it
Empty or absent: the job runs in this process (no Dask import at all).

`open_cluster(asked, model_spec, paths, ctx)` (asked: the job's ModelJob) connects, checks every
worker (TerraEmbed version, protocol, torch, the weights, read access to `paths`) and loads the
model on each; the returned Cluster gives a RemoteModel (what the client needs of a model) and
`map_ordered`, which runs batches on the workers and hands their results back IN ORDER with a
bounded number in flight, so the client's memory stays flat and stitching, writing and PCA stay
exactly as in a local run. Tasks are pure with per-job keys and retries: a batch lost with a
dying worker is recomputed elsewhere. Cancel cancels the job's tasks; the workers keep serving.

Every call to the scheduler has the job's deadline (scheduler.py: "scheduler_timeout"). Waiting for a
batch has none (a model may take long), but it looks for cancel, a lost connection and lost workers
several times a second.
"""

import collections
import time
import uuid
import warnings

from ...shared import platforms
from ...shared.errors import UserError
from ...shared.jobs.embedding import ModelJob
from ..i18n import tr
from . import cluster_tasks, cluster_workers, scheduler
from .scheduler import reason, restore_environ

IN_FLIGHT_PER_THREAD = 2
IN_FLIGHT_MEMORY = 1 << 30  # at most this many bytes of batches in flight (less if RAM is short)
RETRIES = 2
POLL_S = 0.2  # how often a client waiting for a batch looks for cancel and lost workers


class RemoteModel:
    """What the client needs of a model when the workers hold it: spec, device, weights, embed()."""

    def __init__(self, cluster, spec, warmed):
        self._cluster = cluster
        self.spec = spec
        self.device = ", ".join(sorted({w["device"] for w in warmed}))
        self.precision = ", ".join(sorted({w["precision"] for w in warmed}))  # each worker chooses for its CPU
        self.weights_description = "; ".join(sorted({w["weights"] for w in warmed}))
        self.default_batch_size = min(w["default_batch_size"] for w in warmed)

    def embed(self, raw):
        """One batch on a worker (resize mode): (pooled, grid)."""
        for _, result in self._cluster.map_ordered(
            cluster_tasks.embed_raw_task, [(None, (self._cluster.model_key, raw))], raw.nbytes
        ):
            return result


class Cluster:
    def __init__(self, client, local_cluster, where, model_key, ctx, timeout, environ=None):
        """environ: nanny_environ() from before local_cluster started (put back on close)."""
        self.client, self.local_cluster, self.where = client, local_cluster, where
        self._environ = environ
        self.model_key, self.ctx, self.timeout = model_key, ctx, timeout
        self.job_id = uuid.uuid4().hex[:12]
        self._count = 0
        self.workers = {}  # address -> probe info
        self.model = None
        self.unreadable = set()  # input paths some worker cannot read (the client sends chips)

    # -- set-up ---------------------------------------------------------------------------------
    def check_workers(self, model_spec, paths, allow_unreadable=False):
        """Probe every worker; UserError naming the worker and what it lacks. Returns the paths
        some worker cannot read (only when allow_unreadable)."""
        info = self._ask(self.client.scheduler.identity, n_workers=-1)["workers"]
        futures = {
            addr: self._submit_to(addr, "probe", i, cluster_tasks.probe_task, self.model_key, list(paths))
            for i, addr in enumerate(sorted(info))
        }
        unreadable, mine = set(), cluster_tasks.runtime_versions()
        for addr, future in futures.items():
            got = self._probe(addr, future)
            got["nthreads"] = info[addr].get("nthreads", 1)
            cluster_workers.check_worker(addr, got, mine, model_spec, allow_unreadable)
            unreadable.update(got["unreadable"])
            self.workers[addr] = got
        cluster_workers.log_malloc_trim(self.workers, self.ctx)
        return unreadable

    def _submit_to(self, addr, kind, i, task, *args):
        """task(*args) on the worker at addr only, keyed terraembed-<kind>-<job id>-<i>."""
        key = "terraembed-%s-%s-%s" % (kind, self.job_id, i)
        return self.client.submit(task, *args, key=key, workers=[addr], allow_other_workers=False, pure=False)

    def _probe(self, addr, future):
        """What one worker's probe found; UserError when the worker cannot run TerraEmbed's tasks."""
        try:
            return self._result(future)
        except UserError:
            raise
        except Exception as exc:  # a worker that cannot even run our task
            raise UserError(
                tr(
                    "Dask worker %s cannot run TerraEmbed's tasks (%s). Start it with the "
                    "runtime's Python and the folder that holds the terraembed plugin on its "
                    "PYTHONPATH (README, 'Running on a cluster')."
                )
                % (addr, reason(exc))
            ) from exc

    def warm_up(self, model_spec):
        """Load the model on every worker (threads: the host's CPUs shared by its worker threads)."""
        per_host = collections.Counter()
        for got in self.workers.values():
            per_host[got["host"]] += got["nthreads"]
        futures = []
        for i, (addr, got) in enumerate(sorted(self.workers.items())):
            threads = max(1, got["cpus"] // max(per_host[got["host"]], 1))
            task = self._submit_to(addr, "load", i, cluster_tasks.warm_up_task, self.model_key, threads)
            futures.append((addr, task))
        warmed = []
        for addr, future in futures:
            try:
                warmed.append(self._result(future))
            except UserError as exc:
                raise UserError(tr("Dask worker %s cannot load the model: %s") % (addr, exc)) from exc
        for message in dict.fromkeys(m for w in warmed for m in w.get("warnings", [])):
            self.ctx.warn(message)  # e.g. random weights, a device fallback: once, not per worker
        self.model = RemoteModel(self, model_spec, warmed)
        self.ctx.log(
            tr("Dask cluster %s: %d worker(s), %d thread(s), model %s on %s.")
            % (self.where, len(self.workers), self.threads, model_spec.id, self.model.device)
        )
        return self.model

    @property
    def threads(self):
        return sum(w["nthreads"] for w in self.workers.values()) or 1

    def in_flight(self, batch_bytes, sys_platform=None):
        """Tasks in flight: 2 per worker thread, fewer when their batches would not fit in a quarter of this
        machine's available memory (platforms.memory; sys_platform: default sys.platform)."""
        return in_flight_limit(self.threads, batch_bytes, platforms.memory(sys_platform)[0])

    # -- running --------------------------------------------------------------------------------
    def map_ordered(self, task, jobs, batch_bytes):
        """jobs: iterable of (meta, args). Yields (meta, task(*args)) in the order of jobs (None for
        args None), with at most in_flight(batch_bytes) tasks submitted and not yet consumed."""
        limit = self.in_flight(batch_bytes)
        pending = collections.deque()
        jobs = iter(jobs)
        try:
            while True:
                while len(pending) < limit:
                    try:
                        meta, args = next(jobs)
                    except StopIteration:
                        break
                    if args is None:  # nothing to compute: keeps its place in the order
                        pending.append((meta, None))
                        continue
                    self._count += 1
                    key = "terraembed-%s-%s-%06d" % (task.__name__, self.job_id, self._count)
                    with warnings.catch_warnings():
                        # chips the client sends travel inside the task, on purpose: unlike scattered
                        # data, the scheduler can rerun such a task when its worker dies
                        warnings.filterwarnings("ignore", message="Sending large graph")
                        future = self.client.submit(task, *args, key=key, pure=False, retries=RETRIES)
                    pending.append((meta, future))
                if not pending:
                    return
                meta, future = pending[0]  # stays pending (cancelled on leaving) until done
                result = None if future is None else self._result(future)
                pending.popleft()
                if future is not None:
                    future.release()
                yield meta, result
        finally:
            futures = [f for _, f in pending if f is not None]
            if futures and self.client.status in ("running", "connecting"):
                # sent to the scheduler without waiting for an answer (a scheduler that stopped answering
                # cannot hold it up); a closed client's tasks are gone with it (the scheduler drops them)
                self.client.cancel(futures, force=True)

    def tile_batches(self, source, source_key, plan, batch_size):
        """Tile mode: (items, pooled, grid) per batch in plan order, as the local loop has them.
        The workers read their chips when they all can read the input; otherwise this client reads
        them and sends them with the tasks."""
        dim, c = self.model.spec.dim, self.model.spec.num_channels
        out_bytes = batch_size * dim * 197 * 4
        warned = set()
        if source_key["path"] in self.unreadable:
            from .chips import tile_producer
            from .prefetch import Prefetcher

            self.ctx.log(
                tr("Some Dask workers cannot read %s: this client reads the chips and sends them.") % source_key["path"]
            )
            with Prefetcher(tile_producer(source, plan, batch_size), maxsize=2) as prefetch:
                jobs = ((chunk, None if chunk.raw is None else (self.model_key, chunk.raw)) for chunk in prefetch)
                for chunk, result in self.map_ordered(
                    cluster_tasks.embed_raw_task, jobs, out_bytes + batch_size * c * 224 * 224 * 4
                ):
                    if chunk.raw is not None and not warned:
                        from . import common

                        warned.add(common.check_value_range(chunk.raw, self.model.spec, self.ctx))
                    pooled, grid = result if result is not None else (None, None)
                    yield chunk.items, pooled, grid
            return
        w = source.window
        window, size, chips = (w.row_off, w.col_off, w.height, w.width), (plan.height, plan.width), plan.chips
        jobs = (
            (None, (self.model_key, source_key, window, size, chips[i : i + batch_size], True))
            for i in range(0, len(chips), batch_size)
        )
        for _, (items, pooled, grid, notes) in self.map_ordered(cluster_tasks.embed_tile_batch_task, jobs, out_bytes):
            for message in notes:
                if message not in warned:
                    warned.add(message)
                    self.ctx.warn(message)
            yield items, pooled, grid

    def _result(self, future):
        """The future's result; cancel-aware; UserError when the workers or the scheduler are gone."""
        from distributed.scheduler import KilledWorker

        no_workers_since, polls = None, 0
        while True:
            self.ctx.check_cancel()
            _wait(future, POLL_S)
            if future.done():
                break
            if self.client.status not in ("running", "connecting"):
                raise UserError(
                    tr("Lost the connection to the Dask scheduler at %s; nothing was written.") % self.where
                )
            polls += 1
            if polls % 5:
                continue  # ask the scheduler for its workers about once a second
            if self._ask(self.client.scheduler.ncores):
                no_workers_since = None
            elif no_workers_since is None:
                no_workers_since = time.monotonic()
            elif time.monotonic() - no_workers_since > self.timeout:
                raise UserError(
                    tr(
                        "All workers of the Dask scheduler at %s are gone (none for %.0f s); nothing "
                        "was written. Start workers (`dask worker %s`) and run again."
                    )
                    % (self.where, self.timeout, self.where)
                )
        if future.status == "cancelled":
            raise UserError(
                tr(
                    "The Dask scheduler at %s dropped this job's tasks (restarted or lost); nothing "
                    "was written. Run again."
                )
                % self.where
            )
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, KilledWorker):
                raise UserError(
                    tr(
                        "A batch crashed the Dask workers that ran it several times (out of memory?). "
                        "Use a smaller batch size or workers with more memory."
                    )
                ) from exc
            raise exc
        return future.result()

    def _ask(self, call, *args, **kwargs):
        """call(*args, **kwargs), a request to the scheduler, with the job's deadline: UserError when the
        scheduler does not answer within it."""
        try:
            return self.client.sync(call, *args, callback_timeout=self.timeout, **kwargs)
        except TimeoutError:
            raise UserError(
                tr(
                    "The Dask scheduler at %s stopped answering (nothing for %.0f s); nothing was written. "
                    "Check the scheduler, then run again."
                )
                % (self.where, self.timeout)
            ) from None

    def close(self):
        try:
            self.client.close(timeout=10)
        finally:
            try:
                if self.local_cluster is not None:
                    self.local_cluster.close(timeout=10)
            finally:
                if self._environ is not None:
                    restore_environ(self._environ)


def in_flight_limit(threads, batch_bytes, available):
    """Batches in flight: IN_FLIGHT_PER_THREAD per thread, at most IN_FLIGHT_MEMORY bytes of them and at most a
    quarter of `available` bytes (None: not known, IN_FLIGHT_MEMORY alone), at least one."""
    budget = IN_FLIGHT_MEMORY if available is None else min(IN_FLIGHT_MEMORY, available // 4)
    by_memory = max(1, int(budget // max(int(batch_bytes), 1)))
    return max(1, min(IN_FLIGHT_PER_THREAD * threads, by_memory))


def _wait(future, seconds):
    """Block (without using the CPU) until `future` is done or `seconds` have passed; its error,
    if it has one, is left for the caller to read. (distributed.wait cannot be used: it looks for a
    default client, and this module's clients are not the process's default, so it raised at
    once and the client spun a core while the workers computed.)"""
    try:
        future.result(timeout=seconds)
    except TimeoutError:
        pass
    except Exception:  # done with an error or cancelled (the caller reads its status), or the
        if not future.done():  # connection failing: the caller checks the client, never a busy loop
            time.sleep(seconds)


def open_cluster(asked, model_spec, paths, ctx, allow_unreadable=False):
    """A connected, checked Cluster with the model loaded on every worker, or None when the job has
    no scheduler (asked: the job's ModelJob, read once by its handler). The caller closes it
    (Cluster.close) on every path."""
    connection = scheduler.connect(asked, ctx)
    if connection is None:
        return None
    client, local_cluster, where, timeout, environ = connection
    cluster = Cluster(client, local_cluster, where, model_key(asked), ctx, timeout, environ)
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except Exception as exc:
            raise UserError(
                tr(
                    "The Dask scheduler at %s has no workers (waited %.0f s). Start some with "
                    "`dask worker %s`. Nothing was written."
                )
                % (where, timeout, where)
            ) from exc
        cluster.unreadable = cluster.check_workers(model_spec, paths, allow_unreadable)
        cluster.warm_up(model_spec)
    except BaseException:
        cluster.close()
        raise
    return cluster


def source_key(source_spec, model_spec, aoi):
    """The RasterSource arguments a worker needs to open the job's input as the client did."""
    return {
        "path": source_spec["path"],
        "num_channels": model_spec.num_channels,
        "bands": source_spec.get("bands"),
        "scale": source_spec.get("scale", 1.0),
        "nodata": source_spec.get("nodata"),
        "s1_db": source_spec.get("s1_db", False),
        "aoi": aoi,
        "modality": model_spec.modality,
        "sensors": source_spec.get("sensors"),
        "model": model_spec.id,
    }


def model_key(asked: ModelJob) -> dict:
    """The model's keys of the job (its ModelJob's values), as the workers load it (cluster_tasks)."""
    return {
        "model": asked.model,
        "weights": asked.weights.given(),
        "device": asked.device,
        "precision": asked.precision,
        "pooling": asked.pooling_asked,
        "threads": asked.threads,
    }
