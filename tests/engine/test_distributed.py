"""The embed jobs on a real Dask cluster (dask.distributed LocalCluster, 2 worker processes): the
outputs equal a local run; a worker killed mid-job, cancel, unreachable or bad schedulers, workers
that lack the weights, the input or the same version."""

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import dask
import numpy as np
import pipeline_fakes
import pytest
import rasterio
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin
from pipeline_fakes import random_s2, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import common
from terraembed.engine.pipeline.cluster_tasks import _weights_problem, plugin_version
from terraembed.engine.pipeline.scheduler import nanny_environ, restore_environ
from terraembed.shared.errors import Cancelled, UserError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
X0, Y0 = 400000.0, 5300000.0


class FakeOnWorkers(WorkerPlugin):
    """Serve the transparent FakeModel for the "fake" model on every worker, also on workers that
    join later (a killed worker's replacement). delay: seconds per batch, so jobs last a while
    (read at each batch: set_batch_delay changes it on the running workers)."""

    name = "terraembed-fake-model"

    def __init__(self, delay):
        self.delay = delay

    def setup(self, worker):
        from pipeline_fakes import FakeModel

        from terraembed.engine.pipeline import common as worker_common

        plugin = self  # the worker's own copy, in worker.plugins[name]

        class SlowFake(FakeModel):
            def embed(self, raw):
                time.sleep(plugin.delay)
                return super().embed(raw)

        real_open, real_spec = worker_common.open_model, worker_common.model_spec
        worker_common.open_model = lambda asked, ctx: SlowFake() if asked.model == "fake" else real_open(asked, ctx)
        worker_common.model_spec = lambda mid: FakeModel().spec if mid == "fake" else real_spec(mid)


@pytest.fixture(scope="module")
def cluster():
    environ = nanny_environ()
    local = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    )
    restore_environ(environ)  # the nannies' settings stay out of this process (and the tests it starts)
    client = Client(local, set_as_default=False)
    client.register_plugin(FakeOnWorkers(delay=0.05))
    yield local, client
    client.close()
    local.close()
    restore_environ(environ)


def start_worker(address, env, cwd=None):
    """A `dask worker` process (one thread, no nanny) of this runtime's Python for the scheduler at address."""
    command = [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny"]
    return subprocess.Popen(
        command + ["--no-dashboard"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def embed_job(path, out_dir, **kw):
    """The fake model's embed job with a grid and a 3-component PCA in out_dir."""
    outputs = {"grid": str(out_dir / "grid.tif"), "pca": str(out_dir / "pca.tif"), "pca_components": 3}
    return pipeline_fakes.embed_job(path, out_dir, outputs=outputs, **kw)


def read(path):
    with rasterio.open(path) as ds:
        return ds.read(), ds.transform, ds.crs


def assert_same_outputs(local, remote):
    for key in ("cells", "chips", "grid_shape", "bounds", "cell_size", "crs", "dim"):
        assert local[key] == remote[key], key
    np.testing.assert_allclose(remote["pooled"], local["pooled"], atol=1e-5)
    grid_a, t_a, crs_a = read(local["grid"])
    grid_b, t_b, crs_b = read(remote["grid"])
    assert (t_a, crs_a) == (t_b, crs_b)
    assert np.array_equal(np.isnan(grid_a), np.isnan(grid_b))
    np.testing.assert_allclose(grid_b, grid_a, atol=1e-5)
    if local.get("pca"):
        pca_a, pca_b = read(local["pca"])[0], read(remote["pca"])[0]
        assert np.array_equal(np.isnan(pca_a), np.isnan(pca_b))
        for a, b in zip(pca_a, pca_b):  # each component equal up to its sign
            ok = ~np.isnan(a)
            sign = 1.0 if np.dot(a[ok], b[ok]) >= 0 else -1.0
            np.testing.assert_allclose(sign * b[ok], a[ok], atol=1e-4)


def worker_pids(client):
    return client.run(os.getpid)


def leftovers(folder):
    return sorted(p for p in os.listdir(folder) if p != "in.tif")


@pytest.fixture
def raster(tmp_path):
    data = random_s2(560, 700, seed=3)
    data[:, :230, :240] = 0  # a whole chip of nodata: not run, cells NaN
    data[:, 400:, 650:] = 0
    return write_raster(tmp_path / "in.tif", data, nodata=0)


def test_cluster_outputs_equal_local_run(tmp_path, raster, cluster, fake_model):
    local_cluster, _ = cluster
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    local = run_job(embed_job(raster, tmp_path / "a", batch_size=2), JobContext())
    remote = run_job(
        embed_job(raster, tmp_path / "b", batch_size=2, scheduler=local_cluster.scheduler_address), JobContext()
    )
    assert remote["chips"] == local["chips"] < 12  # the nodata chip was not run
    assert_same_outputs(local, remote)
    assert fake_model.batches == [] or all(b[0] <= 2 for b in fake_model.batches)


def test_cluster_resize_and_features_equal_local(tmp_path, raster, cluster, fake_model):
    address = cluster[0].scheduler_address
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    local = run_job(embed_job(raster, tmp_path / "a", prep="resize"), JobContext())
    remote = run_job(embed_job(raster, tmp_path / "b", prep="resize", scheduler=address), JobContext())
    assert_same_outputs(local, remote)
    features = [
        {"id": i, "bounds": [X0 + 100 * i, Y0 - 3000, X0 + 100 * i + 400 + 30 * i, Y0 - 2500]} for i in range(7)
    ] + [{"id": 9, "bounds": [X0 + 10, Y0 - 100, X0 + 200, Y0 - 10]}]  # 9: nodata
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": raster},
        "model": "fake",
        "features": features,
        "features_crs": "EPSG:32633",
        "batch_size": 3,
    }
    a = run_job(job, JobContext())
    b = run_job(dict(job, scheduler=address), JobContext())
    assert a["skipped"] == b["skipped"] and "9" in b["skipped"] and b["embedded"] == 7
    for fid, vector in a["vectors"].items():
        if vector is None:
            assert b["vectors"][fid] is None
        else:
            np.testing.assert_allclose(b["vectors"][fid], vector, atol=1e-5)


def test_worker_killed_mid_job_output_identical(tmp_path, cluster, fake_model):
    local_cluster, client = cluster
    path = write_raster(tmp_path / "in.tif", random_s2(900, 900, seed=5))  # 25 chips, 25 batches
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    local = run_job(embed_job(path, tmp_path / "a", batch_size=1), JobContext())
    before = worker_pids(client)
    victim = sorted(before.values())[0]
    killed = []

    def on_progress(fraction, stage):
        if stage == "infer" and 0.1 < fraction and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(fraction)

    remote = run_job(
        embed_job(path, tmp_path / "b", batch_size=1, scheduler=local_cluster.scheduler_address),
        JobContext(on_progress=on_progress),
    )
    assert killed and killed[0] < 0.9  # the kill happened while batches were left
    assert_same_outputs(local, remote)
    client.wait_for_workers(2, timeout=60)  # the nanny replaced the killed worker
    assert victim not in worker_pids(client).values()


def set_batch_delay(client, seconds):
    """The fake model's seconds per batch on every worker of client's cluster, from its next batch on."""

    def put(dask_worker, name=FakeOnWorkers.name):
        dask_worker.plugins[name].delay = seconds

    client.run(put)


def job_batches(client):
    """The embed job's batches as the cluster sees them: (the tasks the scheduler holds, {worker: tasks
    the scheduler has given it}, {worker: tasks the worker still means to run or is running and not
    cancelled}), each asked of the scheduler or the worker itself."""

    def held(dask_scheduler):
        tasks = sorted(str(k) for k in dask_scheduler.tasks if str(k).startswith("terraembed-embed"))
        return tasks, {a: len(ws.processing) for a, ws in dask_scheduler.workers.items() if ws.processing}

    def to_run(dask_worker):
        live = ("waiting", "ready", "constrained", "executing", "long-running", "fetch", "flight")
        tasks = dask_worker.state.tasks.items()
        return sum(1 for k, ts in tasks if str(k).startswith("terraembed-embed") and ts.state in live)

    tasks, given = client.run_on_scheduler(held)
    return tasks, given, {a: n for a, n in client.run(to_run).items() if n}


BATCH_S = 6.0  # a batch's seconds in the cancel test
CANCEL_AFTER_S = 1.5  # the cancel, this long after the workers started the job's first batches
FREED_WITHIN_S = 2.0  # the batches gone this long after the cancel (those running had 4.5 s left)


def test_cancel_cancels_the_tasks_at_once_writes_nothing_and_workers_keep_serving(
    tmp_path, raster, cluster, fake_model, monkeypatch
):
    """Cancel while the workers run the job's first batches (of 6 s each) and the job waits for them: within
    2 s the scheduler holds none of the job's tasks and gives no worker any, and no worker will run one (the
    running ones are cancelled), already before the job closes its client (closing it would drop them too, so
    the job's close is where they are looked at, waiting up to 2 s after the cancel); nothing is written; the
    same workers serve the next job."""
    from terraembed.engine.pipeline.cluster import Cluster

    local_cluster, client = cluster
    before = worker_pids(client)
    cancel, at_cancel, at_close = threading.Event(), [], []

    def cancel_once_running():  # the user's click, while the job waits for its first batches
        deadline, running_since = time.monotonic() + 120, None
        while not cancel.is_set() and time.monotonic() < deadline:
            seen = job_batches(client)
            if seen[2] and running_since is None:
                running_since = time.monotonic()
            if running_since is not None and time.monotonic() > running_since + CANCEL_AFTER_S:
                at_cancel.append((time.monotonic(), seen))
                cancel.set()
            time.sleep(0.05)

    real_close = Cluster.close

    def close_once_freed(self):
        if at_cancel and not at_close:
            deadline = at_cancel[0][0] + FREED_WITHIN_S
            seen = job_batches(client)
            while seen != ([], {}, {}) and time.monotonic() < deadline:
                time.sleep(0.05)
                seen = job_batches(client)
            at_close.append((time.monotonic() - at_cancel[0][0], seen))
        real_close(self)

    monkeypatch.setattr(Cluster, "close", close_once_freed)
    job = embed_job(raster, tmp_path, batch_size=1, scheduler=local_cluster.scheduler_address)
    set_batch_delay(client, BATCH_S)
    clicker = threading.Thread(target=cancel_once_running, daemon=True)
    clicker.start()
    try:
        with pytest.raises(Cancelled):
            run_job(job, JobContext(cancel_event=cancel))
    finally:
        cancel.set()
        clicker.join(timeout=30)
        set_batch_delay(client, 0.05)
    tasks, given, running = at_cancel[0][1]
    assert tasks and given and running  # batches were queued and running when the user cancelled
    waited, seen = at_close[0]
    assert seen == ([], {}, {}), "%.1f s after the cancel the batches are still there: %s" % (waited, seen)
    assert waited < FREED_WITHIN_S
    assert leftovers(tmp_path) == []
    assert worker_pids(client) == before
    result = run_job(dict(job, outputs={"grid": str(tmp_path / "again.tif")}), JobContext())
    assert os.path.isfile(result["grid"])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_clear_error(tmp_path, raster, fake_model):
    address = "tcp://127.0.0.1:%d" % free_port()
    started = time.monotonic()
    with pytest.raises(UserError, match="Cannot reach the Dask scheduler at %s" % address):
        run_job(embed_job(raster, tmp_path, scheduler=address, scheduler_timeout=2), JobContext())
    assert time.monotonic() - started < 30
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "address, message",
    [
        ("localhost:8786", "not understood"),
        ("http://host:8786", "not understood"),
        ("local:0", "local:N with N from 1"),
        ("local:two", "local:N with N from 1"),
        ("/nowhere/scheduler.json", "does not exist"),
    ],
)
def test_bad_scheduler_address(tmp_path, raster, fake_model, address, message):
    with pytest.raises(UserError, match=message):
        run_job(embed_job(raster, tmp_path, scheduler=address), JobContext())
    assert leftovers(tmp_path) == []


def test_local_cluster_that_cannot_start_says_so(tmp_path, raster, fake_model, monkeypatch):
    """local:N whose workers fail to start (here: LocalCluster raising as when its nannies die) is named
    as such, not as an unreachable scheduler; nothing is written."""
    import distributed

    def failing(**kwargs):
        raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(distributed, "LocalCluster", failing)
    with pytest.raises(UserError, match=r"Cannot start a local Dask cluster of 2 worker process\(es\) \(Nanny failed"):
        run_job(embed_job(raster, tmp_path, scheduler="local:2"), JobContext())
    assert leftovers(tmp_path) == []


def test_worker_without_weights_is_named(tmp_path, raster, cluster):
    job = embed_job(
        raster,
        tmp_path,
        model="terrafm_b_s2",
        weights={"path": "/nowhere/TerraFM-B.pth"},
        scheduler=cluster[0].scheduler_address,
    )
    with pytest.raises(
        UserError,
        match=r"Dask worker tcp://\S+ \(host .*\) lacks the weights file "
        r"/nowhere/TerraFM-B.pth",
    ):
        run_job(job, JobContext())
    assert leftovers(tmp_path) == []


def test_input_workers_cannot_read_is_named(tmp_path, raster, cluster, fake_model, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "in.tif" is this process's file; the workers' cwd differs
    job = embed_job("in.tif", tmp_path, scheduler=cluster[0].scheduler_address)
    with pytest.raises(UserError, match=r"Dask worker tcp://\S+ .* cannot read the input in.tif"):
        run_job(job, JobContext())
    assert leftovers(tmp_path) == []


def test_no_workers_then_other_version_worker(tmp_path, raster, fake_model):
    """A scheduler without workers, then with a worker that runs another TerraEmbed version (a copy
    of this plugin whose metadata.txt says 9.9.9, started as `dask worker`)."""
    pkg = tmp_path / "pkg" / "terraembed"
    shutil.copytree(
        REPO, pkg, ignore=shutil.ignore_patterns(".git", ".build", "tests", "sample", "benchmarks", "__pycache__")
    )
    meta = (pkg / "metadata.txt").read_text().replace("version=%s" % plugin_version(), "version=9.9.9")
    (pkg / "metadata.txt").write_text(meta)
    out = tmp_path / "out"
    out.mkdir()
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as empty:
        address = empty.scheduler_address
        job = embed_job(raster, out, scheduler=address, scheduler_timeout=2)
        with pytest.raises(UserError, match="has no workers"):
            run_job(job, JobContext())
        env = dict(os.environ, PYTHONPATH=str(tmp_path / "pkg"))
        worker = start_worker(address, env, cwd=str(tmp_path))
        try:
            with pytest.raises(
                UserError, match=r"another version: terraembed 9.9.9 \(this runtime: %s\)" % plugin_version()
            ):
                run_job(dict(job, scheduler_timeout=60), JobContext())
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a loaded machine: a worker may take longer to close
                worker.kill()
                worker.wait()
    assert os.listdir(out) == []


def test_local_n_real_terramind_equals_local_and_closes(tmp_path, terramind_tiny_weights, monkeypatch):
    """local:2 starts 2 worker processes for the job (each loads the real TerraMind tiny with generated
    weights once) and closes them at the end, leaving this process's environment as it was; the
    outputs equal this process's run."""
    import psutil

    path = write_raster(tmp_path / "in.tif", random_s2(300, 300, seed=9))
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    model = {
        "model": "terramind_v1_tiny",
        "weights": {"path": terramind_tiny_weights},
        "device": "cpu",
        "precision": "fp32",  # equal to 1e-5 in fp32; bf16 rounds by the thread count (within its bound)
        "batch_size": 2,
    }
    local = run_job(embed_job(path, tmp_path / "a", **model), JobContext())

    def workers():  # live child processes, except multiprocessing's own resource tracker
        alive = set()
        for p in psutil.Process().children(recursive=True):
            try:
                if p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline()):
                    alive.add(p.pid)
            except psutil.Error:  # it ended while we looked
                pass
        return alive

    children = workers()
    for name in dask.config.get("distributed.nanny.pre-spawn-environ"):
        monkeypatch.delenv(name, raising=False)  # what a nanny set in this process (none should stay)
    environ = dict(os.environ)
    logs = []
    remote = run_job(
        embed_job(path, tmp_path / "b", scheduler="local:2", **model),
        JobContext(on_log=lambda message, level: logs.append(message)),
    )
    assert_same_outputs(local, remote)
    assert dict(os.environ) == environ  # the nannies' OMP_NUM_THREADS=1 & co. did not stay in this process
    assert not [m for m in logs if "MALLOC_TRIM_THRESHOLD_" in m]  # local:N workers start without it
    assert remote["chips"] == 4 and remote["weights"] == local["weights"]
    deadline = time.monotonic() + 30
    while workers() - children:
        assert time.monotonic() < deadline, "worker processes left: %s" % sorted(workers() - children)
        time.sleep(0.2)


def test_earthengine_composite_workers_cannot_read_is_sent_by_client(
    tmp_path, raster, cluster, fake_model, monkeypatch
):
    """An Earth Engine composite is fetched by this process (here: the fetch replaced by a composite file
    given by a relative path, so the workers, whose cwd differs, cannot read it): this process reads the
    chips and sends them with the batches; the outputs equal the local run."""
    monkeypatch.chdir(tmp_path)
    fetched = {"kind": "raster", "path": "in.tif", "bands": None, "scale": 1.0, "nodata": 0.0, "s1_db": False}
    monkeypatch.setattr(
        common, "fetch_source", lambda job, ctx, reserve=None: ("in.tif", dict(fetched), {"collection": "S2"})
    )
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    job = embed_job("in.tif", tmp_path / "a", batch_size=2)
    job["source"] = {"kind": "earthengine", "collection": "S2"}
    local = run_job(job, JobContext())
    logs = []
    remote = run_job(
        dict(job, outputs=embed_job("", tmp_path / "b")["outputs"], scheduler=cluster[0].scheduler_address),
        JobContext(on_log=lambda message, level: logs.append(message)),
    )
    assert any("cannot read in.tif: this client reads the chips" in m for m in logs)
    assert_same_outputs(local, remote)
    assert remote["provenance"] == {"collection": "S2"}


def test_all_workers_gone_mid_job_clear_error(tmp_path, fake_model):
    """The only worker (a `dask worker` without nanny, so nothing restarts it) is killed mid-job."""
    path = write_raster(tmp_path / "in.tif", random_s2(900, 900, seed=6))
    out = tmp_path / "out"
    out.mkdir()
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as empty:
        address = empty.scheduler_address
        with Client(empty, set_as_default=False) as client:
            client.register_plugin(FakeOnWorkers(delay=0.2))
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
            worker = start_worker(address, env)
            try:
                client.wait_for_workers(1, timeout=60)

                def on_progress(fraction, stage):
                    if stage == "infer" and fraction > 0 and worker.poll() is None:
                        worker.kill()

                job = embed_job(path, out, batch_size=1, scheduler=address, scheduler_timeout=3)
                with pytest.raises(UserError, match="All workers of the Dask scheduler at %s are gone" % address):
                    run_job(job, JobContext(on_progress=on_progress))
            finally:
                worker.kill()
                worker.wait(timeout=30)
    assert os.listdir(out) == []


def test_waiting_for_a_batch_costs_the_client_no_cpu(cluster):
    """The client waits for a batch (here a task that sleeps 2 s on a worker) without spinning: it
    once polled in a loop that failed at once and took a whole core from the workers."""
    import resource

    from terraembed.engine.pipeline.cluster import Cluster

    local_cluster, client = cluster
    remote = Cluster(client, None, local_cluster.scheduler_address, {}, JobContext(), 10)

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
        return usage.ru_utime + usage.ru_stime

    started, wall = cpu(), time.monotonic()
    assert list(remote.map_ordered(time.sleep, [("batch", (2.0,))], 1)) == [("batch", None)]
    assert time.monotonic() - wall >= 1.9
    assert cpu() - started < 0.5  # spinning took about 2 s


def test_batches_in_flight_fit_in_a_quarter_of_the_memory_the_platform_reader_gives():
    """The client keeps 2 batches per worker thread in flight, fewer when they would not fit in IN_FLIGHT_MEMORY
    or a quarter of the available memory that shared/platforms.memory reads (the one reader, on every system)."""
    from terraembed.engine.pipeline import cluster as dask_cluster
    from terraembed.shared import platforms

    mb = 2**20
    assert dask_cluster.in_flight_limit(4, 100 * mb, None) == 8  # memory not known: 1 GiB of batches at most
    assert dask_cluster.in_flight_limit(4, 300 * mb, None) == 3
    assert dask_cluster.in_flight_limit(4, 100 * mb, 800 * mb) == 2  # a quarter of 800 MB: two 100 MB batches
    assert dask_cluster.in_flight_limit(4, 2048 * mb, 800 * mb) == 1  # at least one, however large
    remote = dask_cluster.Cluster(None, None, "nowhere", {}, JobContext(), 10)
    remote.workers = {"tcp://a": {"nthreads": 3}}
    # a system the reader does not know (and Windows' and macOS's readers, which fail on Linux): no memory limit
    for system in ("sunos5", "win32", "darwin"):
        assert platforms.memory(system)[0] is None or system == sys.platform
        assert remote.in_flight(100 * mb, system) == dask_cluster.in_flight_limit(3, 100 * mb, None)
    total = platforms.memory("linux")[1]
    if total is not None:  # this Linux machine's memory: never more in flight than with no memory known
        for batch in (mb, 100 * mb, 300 * mb, total // 8):
            assert 1 <= remote.in_flight(batch, "linux") <= remote.in_flight(batch, "sunos5")
        assert remote.in_flight(total // 2, "linux") == 1  # a quarter of what is available is less than one


def test_nanny_malloc_trim_named_and_shipped_config_unsets_it(tmp_path, raster, cluster, fake_model):
    """The fixture's workers run with the Dask nanny's default MALLOC_TRIM_THRESHOLD_ (it slows
    torch): the job says so and how to start workers; a `dask worker` (with its nanny) started with
    DASK_CONFIG=engine/pipeline/dask, as the README says, runs without it."""
    logs = []
    run_job(
        embed_job(raster, tmp_path, scheduler=cluster[0].scheduler_address),
        JobContext(on_log=lambda message, level: logs.append(message)),
    )
    note = [m for m in logs if "MALLOC_TRIM_THRESHOLD_=65536" in m]
    assert len(note) == 1 and "DASK_CONFIG" in note[0] and "engine/pipeline/dask" in note[0]
    # In a fresh process: this one's environment has the nanny's settings of the fixture's workers
    # (a nanny sets its pre-spawn-environ, and PYTHONHASHSEED, in the process that starts it).
    nanny_settings = set(dask.config.get("distributed.nanny.pre-spawn-environ")) | {"PYTHONHASHSEED"}
    env = {k: v for k, v in os.environ.items() if k not in nanny_settings}
    env["DASK_CONFIG"] = os.path.join(REPO, "engine", "pipeline", "dask")
    proc = subprocess.run(
        [sys.executable, "-c", NANNY_WORKER_ENV], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"}  # the nanny's other settings stay


NANNY_WORKER_ENV = r"""
import json, logging, os, subprocess, sys
from distributed import Client, LocalCluster
def worker_env(key):  # read in the worker (os.environ.get itself would carry this process's environ)
    return os.environ.get(key)
if __name__ == "__main__":
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as empty:
        with Client(empty, set_as_default=False) as client:
            command = [sys.executable, "-m", "distributed.cli.dask_worker", empty.scheduler_address]
            worker = subprocess.Popen(command + ["--nthreads", "1", "--no-dashboard"], stderr=subprocess.DEVNULL)
            try:
                client.wait_for_workers(1, timeout=60)
                got = {k: list(client.run(worker_env, k).values())[0]
                       for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}
            finally:
                worker.terminate()
                worker.wait(timeout=30)
    print(json.dumps(got))
"""


def test_scheduler_that_stops_answering_mid_job_clear_error(tmp_path, fake_model):
    """The scheduler (its own process) is stopped (SIGSTOP) mid-job: the client's next request to it
    times out after scheduler_timeout and the job says so, instead of waiting for ever."""
    path = write_raster(tmp_path / "in.tif", random_s2(900, 900, seed=6))
    out = tmp_path / "out"
    out.mkdir()
    file = tmp_path / "scheduler.json"
    command = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0"]
    scheduler = subprocess.Popen(
        command + ["--no-dashboard", "--scheduler-file", str(file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            assert time.monotonic() < deadline and scheduler.poll() is None, "the scheduler did not start"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole
        address = json.loads(file.read_text())["address"]
        with Client(address, set_as_default=False) as client:
            client.register_plugin(FakeOnWorkers(delay=0.2))
            worker = start_worker(address, dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
            client.wait_for_workers(1, timeout=60)
        stopped = []

        def on_progress(fraction, stage):
            if stage == "infer" and fraction > 0 and not stopped:
                scheduler.send_signal(signal.SIGSTOP)
                stopped.append(time.monotonic())

        job = embed_job(path, out, batch_size=1, scheduler=address, scheduler_timeout=3)
        with pytest.raises(UserError, match="The Dask scheduler at %s stopped answering" % address):
            run_job(job, JobContext(on_progress=on_progress))
        assert stopped and time.monotonic() - stopped[0] < 3 * 3 + 10  # the request, the cancel, the close
    finally:
        scheduler.send_signal(signal.SIGCONT)
        for process in (worker, scheduler):
            if process is not None:
                process.kill()
                process.wait(timeout=30)
    assert os.listdir(out) == []


@pytest.mark.parametrize("word, offline", [("on", True), (" YES ", True), ("1", True), ("off", False), ("0", False)])
def test_a_worker_looks_for_cached_weights_when_hf_hub_offline_says_yes(tmp_path, monkeypatch, word, offline):
    """The worker's check reads HF_HUB_OFFLINE as every yes/no is read (shared/values.yes_no): offline,
    weights missing from the (empty) cache are a problem; online, the worker downloads them."""
    monkeypatch.setenv("HF_HUB_OFFLINE", word)
    problem = _weights_problem({"model": "terramind_v1_tiny", "weights": {"cache_dir": str(tmp_path)}})
    assert (problem is not None) is offline
    assert problem is None or "ibm-esa-geospatial/TerraMind-1.0-tiny" in problem
