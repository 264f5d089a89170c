"""Running a job's model work on a Dask cluster (`dask.distributed`); the workers' side is
cluster_tasks.py.

The job key "scheduler" names the cluster:
    "tcp://host:8786" (also tls://, ws://, wss://)  an existing `dask scheduler`
    "/path/scheduler.json"                          its scheduler file (--scheduler-file)
    "local:N"                                       N worker processes (1 thread each) on this
                                                    machine, started for the job and closed after it
Empty or absent: the job runs in this process (no Dask import at all).

`open_cluster(job, model_spec, paths, ctx)` connects, checks every
worker (TerraEmbed version, protocol, torch, the weights, read access to `paths`) and loads the
model on each; the returned Cluster gives a RemoteModel (what the client needs of a model) and
`map_ordered`, which runs batches on the workers and hands their results back IN ORDER with a
bounded number in flight, so the client's memory stays flat and stitching, writing and PCA stay
exactly as in a local run. Tasks are pure with per-job keys and retries: a batch lost with a
dying worker is recomputed elsewhere. Cancel cancels the job's tasks; the workers keep serving.

Every wait on the scheduler has a deadline, the job's "scheduler_timeout" (CONNECT_TIMEOUT_S): before
the Client connects, `check_scheduler` connects itself, does Dask's handshake and asks the scheduler
who it is, all within the timeout (Dask's own handshake has no deadline after the connect, so a port
where something else listens hung for minutes); every later call to the scheduler has the same
deadline. Waiting for a batch has none (a model may take long), but it looks for cancel, a lost
connection and lost workers several times a second.
"""

import asyncio
import collections
import json
import logging
import os
import re
import socket
import time
import uuid
import warnings

from ...shared.catalogue import PRECISION_DEFAULT
from ...shared.errors import UserError
from .. import keys
from ..i18n import tr
from . import cluster_tasks

CONNECT_TIMEOUT_S = 20.0
MAX_LOCAL_WORKERS = 256
IN_FLIGHT_PER_THREAD = 2
IN_FLIGHT_MEMORY = 1 << 30  # at most this many bytes of batches in flight (less if RAM is short)
RETRIES = 2
POLL_S = 0.2  # how often a client waiting for a batch looks for cancel and lost workers
ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[^\s/:]+(:\d+)?/?$")
DEFAULT_PORT = 8786  # `dask scheduler`'s
HELP = (
    "Give tcp://host:port (as `dask scheduler` prints it), the path of a scheduler file (.json), "
    "or local:N for N worker processes on this machine; leave it empty to run without Dask."
)


def parse_scheduler(text):
    """("local", N) | ("address", url) | ("file", path) | None; UserError for anything else."""
    text = ("" if text is None else str(text)).strip()
    if not text:
        return None
    if text.lower().startswith("local:"):
        n = text.split(":", 1)[1].strip()
        if not n.isdigit() or not 1 <= int(n) <= MAX_LOCAL_WORKERS:
            raise UserError(
                tr(
                    "The scheduler %r asks for a local cluster of %r workers: use local:N with N "
                    "from 1 to %d, e.g. local:2."
                )
                % (text, n, MAX_LOCAL_WORKERS)
            )
        return "local", int(n)
    if ADDRESS.match(text):
        return "address", text
    if text.lower().endswith(".json"):
        if not os.path.isfile(text):
            raise UserError(
                tr(
                    "The Dask scheduler file %r does not exist. Start the scheduler with "
                    "`dask scheduler --scheduler-file %s`, or give its address."
                )
                % (text, text)
            )
        return "file", text
    raise UserError(tr("The Dask scheduler %r is not understood. %s") % (text, HELP))


def scheduler_file_address(path):
    """The scheduler address in a scheduler file (`dask scheduler --scheduler-file`); UserError when it
    cannot be read or is not such a file."""
    try:
        with open(path, "rb") as f:
            text = f.read()
    except OSError as exc:
        raise UserError(
            tr(
                "The Dask scheduler file %r cannot be read (%s). Check its permissions, or give the "
                "scheduler's address instead."
            )
            % (path, reason(exc))
        ) from None
    try:
        address = json.loads(text)["address"]
    except (ValueError, KeyError, TypeError):
        address = None
    if not isinstance(address, str) or not ADDRESS.match(address):
        raise UserError(
            tr(
                "The file %r is not a Dask scheduler file: it is not JSON with the scheduler's \"address\" "
                "(what `dask scheduler --scheduler-file` writes). Give the file the scheduler wrote, or its "
                "address tcp://host:port."
            )
            % path
        )
    return address


def reason(exc):
    """What an exception says, in words (never its class name: users read these messages)."""
    return getattr(exc, "strerror", None) or str(exc).strip() or "no reason given"


def unreachable(where, timeout, exc):
    return UserError(
        tr(
            "Cannot reach the Dask scheduler at %s within %.0f s (%s). Check that `dask scheduler` runs "
            "there and its port is open, or leave the scheduler empty to run on this machine. Nothing "
            "was written."
        )
        % (where, timeout, reason(exc))
    )


def check_scheduler(address, timeout):
    """Connect to `address`, do Dask's handshake and ask who answers, all within `timeout` seconds.
    UserError when nothing can be reached there, when something that is not a Dask scheduler answers
    (an HTTP server, a program that never answers), or when it is a Dask worker."""
    from urllib.parse import urlsplit

    deadline = time.monotonic() + timeout
    parts = urlsplit(address)
    try:
        socket.create_connection((parts.hostname, parts.port or DEFAULT_PORT), timeout=timeout).close()
    except OSError as exc:
        raise unreachable(address, timeout, exc) from None
    try:
        who = _identity(address, max(0.1, deadline - time.monotonic()))
    except TimeoutError:  # asyncio's too (Python >= 3.11)
        what = tr("answered nothing within %.0f s: it is not a Dask scheduler, or one that hangs") % timeout
    except Exception:  # MemoryError (an HTTP reply read as a frame length), closed, undecodable ...
        what = tr("is not a Dask scheduler: it answered something else (an HTTP server or another program?)")
    else:
        kind = who.get("type") if isinstance(who, dict) else None
        if kind == "Scheduler":
            return
        if kind in ("Worker", "Nanny"):
            raise UserError(
                tr(
                    "%s is a Dask worker, not the scheduler. Give the scheduler's address (the one "
                    "`dask scheduler` prints, default port %d). Nothing was written."
                )
                % (address, DEFAULT_PORT)
            )
        what = tr("is not a Dask scheduler: it says it is %s") % (kind or tr("something else"))
    raise UserError(
        tr(
            "The program listening at %s %s. Check the address and port (`dask scheduler` prints its "
            "address; another program may use the port), or leave the scheduler empty to run on this "
            "machine. Nothing was written."
        )
        % (address, what)
    )


def _identity(address, timeout):
    """The identity a Dask server at `address` gives (connect, handshake, one call), within timeout s."""
    from distributed.comm import connect
    from distributed.security import Security

    async def ask():
        comm = await connect(address, timeout=timeout, **Security().get_connection_args("client"))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    return asyncio.run(asyncio.wait_for(ask(), timeout))


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


def nanny_environ():
    """This process's values (None: unset) of the variables a Dask nanny sets in the process that
    starts its workers: its pre-spawn settings (OMP_NUM_THREADS=1, MKL_NUM_THREADS=1, ...), which
    would stay there for whatever that process starts later. `local:N` puts them back on start and
    close (restore_environ); nothing else of the environment is touched."""
    import dask

    return {name: os.environ.get(name) for name in dask.config.get("distributed.nanny.pre-spawn-environ", {})}


def restore_environ(saved):
    """Put back the variables of a nanny_environ() snapshot."""
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
            addr: self.client.submit(
                cluster_tasks.probe_task,
                self.model_key,
                list(paths),
                key="terraembed-probe-%s-%s" % (self.job_id, i),
                workers=[addr],
                allow_other_workers=False,
                pure=False,
            )
            for i, addr in enumerate(sorted(info))
        }
        mine = cluster_tasks.runtime_versions()
        unreadable = set()
        for addr, future in futures.items():
            try:
                got = self._result(future)
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
            got["nthreads"] = info[addr].get("nthreads", 1)
            diff = ["%s %s (this runtime: %s)" % (k, got.get(k), v) for k, v in mine.items() if got.get(k) != v]
            if diff:
                raise UserError(
                    tr(
                        "Dask worker %s (host %s) runs another version: %s. Install the same "
                        "TerraEmbed version and the same runtime lock on every worker."
                    )
                    % (addr, got["host"], ", ".join(diff))
                )
            if got["missing_weights"]:
                raise UserError(
                    tr(
                        "Dask worker %s (host %s) lacks %s for model %s. Put the weights there "
                        "(same path, or its Hugging Face cache), or allow downloads."
                    )
                    % (addr, got["host"], got["missing_weights"], model_spec.id)
                )
            if got["unreadable"]:
                if not allow_unreadable:
                    raise UserError(
                        tr(
                            "Dask worker %s (host %s) cannot read the input %s. Give a path every "
                            "worker can read (a shared folder, a /vsicurl/ or cloud URL)."
                        )
                        % (addr, got["host"], ", ".join(got["unreadable"]))
                    )
                unreadable.update(got["unreadable"])
            self.workers[addr] = got
        trimmed = sorted(a for a, got in self.workers.items() if got.get("malloc_trim") is not None)
        if trimmed:
            self.ctx.log(
                tr(
                    "Dask worker(s) %s run with %s=%s (the Dask nanny's default), which slows the "
                    "model by about 10-15 %%: start `dask worker` with DASK_CONFIG set to the plugin's "
                    "engine/pipeline/dask folder (README, 'Running on a cluster')."
                )
                % (", ".join(trimmed), cluster_tasks.MALLOC_TRIM, self.workers[trimmed[0]]["malloc_trim"])
            )
        return unreadable

    def warm_up(self, model_spec):
        """Load the model on every worker (threads: the host's CPUs shared by its worker threads)."""
        per_host = collections.Counter()
        for got in self.workers.values():
            per_host[got["host"]] += got["nthreads"]
        futures = []
        for i, (addr, got) in enumerate(sorted(self.workers.items())):
            threads = max(1, got["cpus"] // max(per_host[got["host"]], 1))
            futures.append(
                (
                    addr,
                    self.client.submit(
                        cluster_tasks.warm_up_task,
                        self.model_key,
                        threads,
                        key="terraembed-load-%s-%s" % (self.job_id, i),
                        workers=[addr],
                        allow_other_workers=False,
                        pure=False,
                    ),
                )
            )
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

    def in_flight(self, batch_bytes):
        """Tasks in flight: 2 per worker thread, fewer when their batches would not fit in memory."""
        budget = IN_FLIGHT_MEMORY
        try:
            import psutil

            budget = min(budget, psutil.virtual_memory().available // 4)
        except ImportError:
            pass
        by_memory = max(1, int(budget // max(int(batch_bytes), 1)))
        return max(1, min(IN_FLIGHT_PER_THREAD * self.threads, by_memory))

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
            if futures:
                try:  # Client.cancel has no deadline of its own
                    self._ask(self.client._cancel, futures, force=True)
                except UserError:
                    pass  # a scheduler that stopped answering: the error that brought us here says more

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


def open_cluster(job, model_spec, paths, ctx, allow_unreadable=False):
    """A connected, checked Cluster with the model loaded on every worker, or None when the job has
    no scheduler. The caller closes it (Cluster.close) on every path."""
    parsed = parse_scheduler(job.get("scheduler"))
    if parsed is None:
        return None
    timeout = keys.number(job, "scheduler_timeout", CONNECT_TIMEOUT_S, minimum=0) or CONNECT_TIMEOUT_S
    kind, value = parsed
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UserError(
            tr("This runtime has no dask.distributed (%s): update the runtime, or leave the scheduler empty.") % exc
        ) from exc
    local_cluster, where = None, ("local:%d" % value if kind == "local" else value)
    environ = nanny_environ() if kind == "local" else None
    try:
        if kind == "local":
            ctx.log(tr("Starting a local Dask cluster of %d worker process(es)...") % value)
            import dask

            try:
                with dask.config.set(cluster_tasks.NO_MALLOC_TRIM):
                    local_cluster = LocalCluster(
                        n_workers=value,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        silence_logs=logging.ERROR,
                    )
            finally:
                restore_environ(environ)  # the workers have started; a restarted one sets it again
            client = Client(local_cluster, set_as_default=False, timeout=timeout)
        else:
            address = scheduler_file_address(value) if kind == "file" else value
            check_scheduler(address, timeout)
            client = Client(address, set_as_default=False, timeout=timeout)
    except UserError:
        raise
    except Exception as exc:  # OSError / TimeoutError from distributed, with its own text
        if local_cluster is not None:
            local_cluster.close()
        if kind == "local":
            raise UserError(
                tr(
                    "Cannot start a local Dask cluster of %d worker process(es) (%s). Run with "
                    "fewer workers, or leave the scheduler empty to run in one process. Nothing was "
                    "written."
                )
                % (value, reason(exc))
            ) from exc
        raise unreachable(where, timeout, exc) from exc
    cluster = Cluster(client, local_cluster, where, model_key(job), ctx, timeout, environ)
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


def model_key(job):
    return {
        "model": job.get("model"),
        "weights": job.get("weights") or {},
        "device": job.get("device") or "auto",
        "precision": job.get("precision") or PRECISION_DEFAULT,
        "pooling": job.get("pooling"),
        "threads": job.get("threads"),
    }
