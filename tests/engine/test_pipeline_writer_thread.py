"""The embed job's own work beside the model (engine/pipeline/row_writer.py): the grid's rows and the
PCA statistics by a writer thread. The outputs are the ones the job
makes with every step in its own thread (pixel for pixel, overviews and PCA included); a failure
while writing and a cancel leave every old file as it was and nothing new; the queue holds at most
its bound, and a job's peak memory stays within today's plus that bound."""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import rasterio
from pipeline_fakes import FakeModel, embed_job, random_s2, use_fake_model, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import embed, embed_grid
from terraembed.engine.pipeline.outputs import GridWriter
from terraembed.engine.pipeline.row_writer import WriterThread
from terraembed.shared.errors import Cancelled, UserError

HERE = os.path.dirname(os.path.abspath(__file__))


class InTurn:
    """WriterThread as it was before: every call in the job's own thread."""

    def __init__(self, *args, **kw):
        pass

    def submit(self, fn, *args):
        fn(*args)

    def queued(self, target):
        return target

    def finish(self):
        pass

    def abort(self):
        pass

    def wait(self, raise_error=True):
        pass


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def every_level(path):
    """Each band's pixels at full resolution and at every overview level, as bytes."""
    with rasterio.open(path) as ds:
        factors = ds.overviews(1)
        levels = [ds.read().tobytes()]
        for f in factors:
            shape = (ds.count, -(-ds.height // f), -(-ds.width // f))
            levels.append(ds.read(out_shape=shape).tobytes())
        return factors, levels


def writer_threads():
    return [t for t in threading.enumerate() if t.name.startswith("terraembed-")]


@pytest.mark.parametrize("overlap, height, width, factors", [("none", 700, 4200, [2]), ("50%", 900, 900, [])])
def test_outputs_are_the_ones_made_in_turn(tmp_path, monkeypatch, overlap, height, width, factors):
    """Grid (every level) and PCA identical to the job's with every step in its own thread, with a
    queue so small that the job waits for it; the wider raster's grid (44 x 263 cells) has overviews."""
    use_fake_model(monkeypatch, FakeModel(bands=3))
    path = write_raster(tmp_path / "in.tif", random_s2(height, width, seed=3, bands=3))
    monkeypatch.setattr(embed_grid, "WRITER_QUEUE_BYTES", 1)  # one call queued at a time
    made = {}
    for name in ("thread", "in-turn"):
        if name == "in-turn":
            monkeypatch.setattr(embed_grid, "WriterThread", InTurn)
        out = {"grid": str(tmp_path / name / "grid.tif"), "pca": str(tmp_path / name / "pca.tif")}
        result = run_job(embed_job(path, tmp_path, outputs=out, overlap=overlap, batch_size=8), JobContext())
        made[name] = (every_level(out["grid"]), every_level(out["pca"]), result["explained_variance"])
    (grid_factors, grid), (pca_factors, pca), explained = made["thread"]
    assert grid_factors == factors and pca_factors == factors
    assert made["thread"] == made["in-turn"]
    assert np.isfinite(np.frombuffer(grid[0], np.float32)).all()


@pytest.fixture
def old_outputs(tmp_path):
    """An output folder with a previous run's grid and PCA; returns (folder, outputs, their hashes)."""
    out = tmp_path / "out"
    out.mkdir()
    outputs = {"grid": str(out / "grid.tif"), "pca": str(out / "pca.tif")}
    for p in outputs.values():
        with open(p, "wb") as f:
            f.write(b"previous result " + p.encode())
    return out, outputs, {p: sha(p) for p in outputs.values()}


def assert_untouched(out, hashes, work_dir):
    assert sorted(os.listdir(out)) == ["grid.tif", "pca.tif"]
    assert {p: sha(p) for p in hashes} == hashes
    assert os.listdir(work_dir) == []  # the streamed grid removed too
    assert writer_threads() == []


def test_a_write_failure_in_the_thread_fails_the_job_and_leaves_old_files(
    tmp_path, fake_model, monkeypatch, old_outputs
):
    out, outputs, hashes = old_outputs
    work = tmp_path / "work"
    work.mkdir()
    path = write_raster(tmp_path / "in.tif", random_s2(1200, 1200))
    write_rows, calls = GridWriter.write_rows, []

    def disk_full(self, row0, block):
        calls.append(threading.current_thread().name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return write_rows(self, row0, block)

    monkeypatch.setattr(GridWriter, "write_rows", disk_full)
    with pytest.raises(UserError, match="No space left"):  # the transaction's OutputError
        run_job(embed_job(path, tmp_path, outputs=outputs, work_dir=str(work), batch_size=2), JobContext())
    assert set(calls) == {"terraembed-writer"}  # written by the thread, not the job's
    assert len(calls) == 3  # nothing written after the failure
    assert sum(b[0] for b in fake_model.batches) < 36  # the job stopped before its last chips
    assert_untouched(out, hashes, work)


def test_a_cancel_while_rows_wait_leaves_old_files(tmp_path, fake_model, monkeypatch, old_outputs):
    out, outputs, hashes = old_outputs
    work = tmp_path / "work"
    work.mkdir()
    path = write_raster(tmp_path / "in.tif", random_s2(1200, 1200))
    cancel = threading.Event()
    write_rows = GridWriter.write_rows

    def slow(self, row0, block):  # the rows wait in the queue when the cancel comes
        time.sleep(0.2)
        return write_rows(self, row0, block)

    def on_progress(fraction, stage):
        if stage == "infer" and fraction > 0.3:
            cancel.set()

    monkeypatch.setattr(GridWriter, "write_rows", slow)
    ctx = JobContext(on_progress=on_progress, cancel_event=cancel)
    with pytest.raises(Cancelled):
        run_job(embed_job(path, tmp_path, outputs=outputs, work_dir=str(work), batch_size=2), ctx)
    assert sum(b[0] for b in fake_model.batches) < 36
    assert_untouched(out, hashes, work)


def test_a_cog_failure_fails_the_job_and_leaves_old_files(tmp_path, fake_model, monkeypatch, old_outputs):
    out, outputs, hashes = old_outputs
    work = tmp_path / "work"
    work.mkdir()
    path = write_raster(tmp_path / "in.tif", random_s2(700, 700))
    write_cog = embed.write_cog

    def failing(scratch, partial, *args):
        if scratch.endswith(".tif") and "grid" in os.path.basename(scratch):
            raise OSError(28, "No space left on device")
        return write_cog(scratch, partial, *args)

    monkeypatch.setattr(embed, "write_cog", failing)
    with pytest.raises(UserError, match="No space left"):  # the transaction's OutputError
        run_job(embed_job(path, tmp_path, outputs=outputs, work_dir=str(work)), JobContext())
    assert_untouched(out, hashes, work)


def test_the_queue_holds_at_most_its_bound():
    """A writer slower than the job: submit waits while the queued arrays exceed max_bytes, the calls
    run in order, and an error in the thread reaches the job's next submit."""
    block = np.zeros(1000, np.float32)  # 4000 bytes
    thread = WriterThread(max_bytes=10000)
    release, seen, peak = threading.Event(), [], [0]

    def write(i, data):
        release.wait()
        seen.append(i)

    def watch():
        while not release.is_set():
            peak[0] = max(peak[0], thread._queued)
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    submitter = threading.Thread(target=lambda: [thread.submit(write, i, block) for i in range(10)])
    submitter.start()
    time.sleep(0.5)
    assert submitter.is_alive()  # waiting: the queue is full
    assert peak[0] == 8000  # two blocks of 4000 fit under 10000, a third does not
    release.set()
    submitter.join()
    watcher.join()
    thread.finish()
    assert seen == list(range(10))

    def broken(data):
        raise OSError("disk gone")

    thread = WriterThread(max_bytes=10000)
    thread.submit(broken, block)
    with pytest.raises(OSError, match="disk gone"):
        for _ in range(100):
            thread.submit(write, 0, block)
            time.sleep(0.01)
    with pytest.raises(OSError, match="disk gone"):
        thread.finish()


class WideFake(FakeModel):
    """The fake model of 3 bands as wide as TerraFM-B: 768 bands per cell (the fake's 4, 192 times)."""

    def __init__(self):
        super().__init__(bands=3)
        self.spec.dim = 4 * 192

    def embed(self, raw):
        pooled, grid = super().embed(raw)
        return np.tile(pooled, (1, 192)), np.ascontiguousarray(np.tile(grid, (1, 192, 1, 1)))


PEAK_RSS = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import pytest
from pipeline_fakes import embed_job, use_fake_model
from test_pipeline_writer_thread import InTurn, WideFake
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import embed, embed_grid
from terraembed.engine.pipeline.outputs import GridWriter
cfg = json.loads(sys.argv[2])
mp = pytest.MonkeyPatch()
mp.setattr(embed_grid, "WRITER_QUEUE_BYTES", cfg["bound"])
if cfg["in_turn"]:
    mp.setattr(embed_grid, "WriterThread", InTurn)
model = WideFake()
use_fake_model(mp, model)
embed_chips, last = model.embed, [time.monotonic()]
def counted(raw):
    last[0] = time.monotonic()
    return embed_chips(raw)
model.embed = counted
write_rows, first = GridWriter.write_rows, [not cfg["in_turn"]]
def slow(self, row0, block):  # the first write waits until the model is done or waits for the queue
    while first[0] and time.monotonic() - last[0] < 1.0 and len(model.batches) < cfg["batches"]:
        time.sleep(0.05)
    first[0] = False
    return write_rows(self, row0, block)
mp.setattr(GridWriter, "write_rows", slow)
import pathlib
def peak():  # this process's peak (ru_maxrss would keep the forking test process's, from before the exec)
    return [int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
peaks = {}
def on_log(message, level):
    if message.startswith("Embedded "):  # every chip in, every row written: the queue's phase is over
        peaks["inference"] = peak()
outputs = {"grid": cfg["out"] + "/grid.tif", "pca": cfg["out"] + "/pca.tif"}
job = embed_job(cfg["raster"], pathlib.Path(cfg["out"]), outputs=outputs, work_dir=cfg["out"], batch_size=4)
run_job(job, JobContext(on_log=on_log))
peaks["job"] = peak()
print(json.dumps(peaks))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak memory from Linux's /proc")
def test_peak_memory_stays_within_today_plus_the_queue(tmp_path):
    """A 1792 x 3360 px raster (8 x 15 chips, a 112 x 210 x 768 grid of 72 MB, chip rows of 9 MB), grid
    and PCA outputs, and a queue bound of 16 MB: the job's peak RSS with the writer thread is at most
    the in-turn job's plus the bound and 10 MB of slack, up to the last chip and for the whole job,
    with a writer that starts only when the model is done or has waited a second for the queue
    (unbounded, the queue then holds 7 chip rows, 63 MB: measured 41 MB over the in-turn peak)."""
    raster = write_raster(tmp_path / "in.tif", random_s2(1792, 3360, seed=1, bands=3))
    bound = 16 * 2**20
    peaks = {}
    for name in ("in_turn", "thread"):
        out = tmp_path / name
        out.mkdir()
        cfg = {"raster": raster, "out": str(out), "in_turn": name == "in_turn", "bound": bound, "batches": 30}
        proc = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, HERE, json.dumps(cfg)],
            capture_output=True,
            text=True,
            cwd=HERE,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        peaks[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    for phase in ("inference", "job"):
        assert peaks["thread"][phase] <= peaks["in_turn"][phase] + bound + 10 * 2**20, (phase, peaks)
