"""The panel's warm worker with the real worker process: a second job runs in the same process
(and reuses the model the first one loaded), a failed job's worker is never reused, a dead idle
worker and a reinstalled runtime are replaced."""

import os
import signal
import sys
import time

import numpy as np
import pytest
import synthetic

from terraembed.shell import system
from terraembed.shell.client import RuntimeClient, RuntimeJobError
from terraembed.shell.warm import WarmPool


@pytest.fixture
def raster(tmp_path):
    return str(synthetic.planted_raster(tmp_path / "emb.tif", 2, 20, 20, 8, noise=0.3, seed=1)[0])


@pytest.fixture
def pool():
    p = WarmPool(300)
    yield p
    p.release()


def run(client, job, logs=None):
    logs = [] if logs is None else logs
    result = client.run(job, on_log=lambda m, lvl: logs.append(m))
    return result, logs


def pca(raster, tmp_path, name):
    return {"type": "pca", "input": raster, "output": str(tmp_path / name), "components": 2}


def test_the_second_job_runs_in_the_same_worker(raster, tmp_path, pool):
    client = RuntimeClient(sys.executable, warm=pool)
    run(client, pca(raster, tmp_path, "a.tif"))
    first = pool.idle_worker
    assert first is not None and first.alive
    result, logs = run(client, pca(raster, tmp_path, "b.tif"))
    assert pool.idle_worker is first and any("warm, pid %d" % first.proc.pid in m for m in logs)
    assert os.path.isfile(tmp_path / "b.tif")


def test_a_failed_job_ends_its_worker(raster, tmp_path, pool):
    client = RuntimeClient(sys.executable, warm=pool)
    run(client, pca(raster, tmp_path, "a.tif"))
    first = pool.idle_worker
    with pytest.raises(RuntimeJobError, match="does not exist"):
        run(client, pca(str(tmp_path / "missing.tif"), tmp_path, "b.tif"))
    assert pool.idle_worker is None and not first.alive
    run(client, pca(raster, tmp_path, "c.tif"))
    assert pool.idle_worker is not first


def test_a_dead_idle_worker_and_a_reinstalled_runtime_are_replaced(raster, tmp_path, pool):
    client = RuntimeClient(sys.executable, warm=pool)
    run(client, pca(raster, tmp_path, "a.tif"))
    dead = pool.idle_worker
    os.kill(dead.proc.pid, signal.SIGKILL)
    dead.proc.wait()
    result, logs = run(client, pca(raster, tmp_path, "b.tif"))
    assert not any("warm" in m for m in logs) and pool.idle_worker is not dead
    # the runtime's packages change (an install): its stamp changes, the old worker is not reused
    old = pool.idle_worker
    site = [p for p, _, _ in system.runtime_stamp(sys.executable) if p.endswith("site-packages")][0]
    stat = os.stat(site)
    os.utime(site, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        result, logs = run(client, pca(raster, tmp_path, "c.tif"))
    finally:
        os.utime(site, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not any("warm" in m for m in logs) and not old.alive


def test_the_model_stays_loaded_for_the_next_run(tmp_path, pool):
    src = synthetic.write_raster(tmp_path / "s2.tif", np.random.default_rng(0).uniform(0, 3000, (12, 64, 64)))
    job = {
        "type": "embed",
        "model": "terrafm_b_s2",
        "weights": {"random_init": True, "seed": 0},
        "precision": "fp32",
        "source": {"kind": "raster", "path": str(src)},
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }
    client = RuntimeClient(sys.executable, warm=pool)
    t0 = time.monotonic()
    _, first = run(client, job)
    job["outputs"] = {"grid": str(tmp_path / "grid2.tif")}
    _, second = run(client, job)
    assert not any("reused" in m for m in first)
    assert any("Model terrafm_b_s2 reused" in m for m in second), second
    assert time.monotonic() - t0 < 300
