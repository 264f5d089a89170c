"""Every file the engine writes that is not an output goes through shared/atomic.py: the imagery cache and
the embed job's scratch rasters (the Earth Engine writer: test_earthengine_fetch.py). What a run killed
outright leaves there is named as a partial of that run, and the next write in the folder removes it."""

import os
import signal
import threading
import time

import pytest
from pipeline_fakes import embed_job, random_s2, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.sources.cache import ImageryCache
from terraembed.shared import partials

POSIX = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is killed in a forked child (POSIX)")


def dead_run():
    """A run token whose process is over (a child that exited and was reaped)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return partials.run_token(pid)


def partials_in(folder):
    """(name, parsed) of the partial files in folder."""
    found = [(n, partials.parse_entry(n)) for n in sorted(os.listdir(folder))] if os.path.isdir(folder) else []
    return [(n, m) for n, m in found if m and m.group("kind") == "part"]


@POSIX
def test_a_cache_entry_killed_while_stored_is_never_served_and_is_swept(tmp_path):
    """The child stores an entry whose image it reads from a pipe; it is killed (SIGKILL) while the copy
    is half written. The entry is a miss, the half copy is a partial of a dead run, and the next entry
    stored in that folder removes it."""
    cache, fifo = ImageryCache(str(tmp_path / "cache"), cap_mb=10), str(tmp_path / "image.fifo")
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:
        try:
            cache.put("ab0001", fifo, {"provenance": {}})
        finally:
            os._exit(0)
    folder = tmp_path / "cache" / "ab"
    with open(fifo, "wb") as pipe:
        pipe.write(b"x" * ((1 << 20) + 4096))  # more than one chunk of the copy
        pipe.flush()
        deadline = time.monotonic() + 30
        while not any(os.path.getsize(folder / n) for n, _ in partials_in(folder)):
            assert time.monotonic() < deadline, "the copy never started"
            time.sleep(0.01)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    (left, m), *more = partials_in(folder)
    assert not more and partials.names_match(m.group("name"), "ab0001.tif") and not partials.run_alive(m)
    assert cache.get("ab0001") is None
    source = tmp_path / "image.tif"
    source.write_bytes(b"y" * 100)
    assert cache.put("ab0002", str(source), {"provenance": {}})
    assert sorted(os.listdir(folder)) == ["ab0002.json", "ab0002.tif"]
    assert cache.get("ab0002")[1]["tif_bytes"] == 100


def test_the_embed_jobs_scratch_rasters_are_partials_of_its_run(tmp_path, fake_model):
    """While the job runs, its streamed grid in the temporary folder is a partial of this process's run;
    a dead run's leftover there is removed, and the job's own scratch goes at its end."""
    path = write_raster(tmp_path / "in.tif", random_s2(300, 300))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    leftover = scratch / os.path.basename(partials.partial_path(str(scratch / "terraembed-grid.tif"), dead_run()))
    leftover.write_bytes(b"half a grid")
    seen, lock = set(), threading.Lock()

    def look(fraction, stage):
        with lock:
            seen.update(os.listdir(scratch))

    out = tmp_path / "out"
    out.mkdir()
    run_job(
        embed_job(path, out, outputs={"grid": str(out / "grid.tif"), "pca": str(out / "pca.tif")}),
        JobContext(on_progress=look, work_dir=str(scratch)),
    )
    mine = [partials.parse_entry(n) for n in seen - {leftover.name}]
    assert {m.group("name") for m in mine if m} == {"terraembed-grid.tif", "terraembed-pca.tif"}, seen
    assert all(m and m.group("run").split("-")[1] == str(os.getpid()) for m in mine), seen
    assert os.listdir(scratch) == []  # the dead run's leftover swept, the job's own scratch removed
    written = os.listdir(out)
    assert {"grid.tif", "pca.tif"} <= set(written) and not [n for n in written if n.startswith(".")]


def test_an_older_versions_leftover_temp_file_goes_with_the_next_write_there(tmp_path):
    """Before 0.2.0 the cache wrote through `.tmp-*` names without an owner: a day-old one is a killed
    writer's leftover and the next entry stored in its folder removes it; a fresh one (maybe an older
    QGIS writing now) stays."""
    cache, folder = ImageryCache(str(tmp_path / "cache"), cap_mb=10), tmp_path / "cache" / "ab"
    folder.mkdir(parents=True)
    old, fresh = folder / ".tmp-k2j4.tif", folder / ".tmp-x9q1.json"
    old.write_bytes(b"half an image")
    fresh.write_bytes(b"{")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    source = tmp_path / "image.tif"
    source.write_bytes(b"y" * 100)
    assert cache.put("ab0003", str(source), {"provenance": {}})
    assert sorted(os.listdir(folder)) == [".tmp-x9q1.json", "ab0003.json", "ab0003.tif"]
