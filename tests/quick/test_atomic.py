"""Files that are not outputs (shared/atomic.py): a reader sees the old file or the whole new one, a failed
write leaves nothing, and what a writer killed outright leaves is named as a partial of its run, so the
next write in that folder (or the panel's Clean up) removes it once that run is over, never while it lives."""

import os
import signal

import pytest

from terraembed.shared import partials
from terraembed.shared.atomic import atomic_file, scratch_path
from terraembed.shared.transaction import clean_stale

POSIX = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is killed in a forked child (POSIX)")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_a_write_replaces_the_file_in_one_step(tmp_path):
    dest = tmp_path / "entry.json"
    dest.write_bytes(b"old")
    with atomic_file(str(dest)) as path:
        assert os.path.dirname(path) == str(tmp_path) and path != str(dest)
        with open(path, "wb") as f:
            f.write(b"new")
        assert read(dest) == b"old"  # nothing seen before the block ends
    assert read(dest) == b"new"
    assert sorted(os.listdir(tmp_path)) == ["entry.json"]


def test_a_failed_write_leaves_the_old_file_and_nothing_new(tmp_path):
    dest = tmp_path / "image.tif"
    dest.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="cut"):
        with atomic_file(str(dest)) as path:
            for p in (path, path + ".aux.xml"):  # GDAL's sidecar goes with it
                with open(p, "wb") as f:
                    f.write(b"half")
            raise RuntimeError("cut")
    assert read(dest) == b"old"
    assert sorted(os.listdir(tmp_path)) == ["image.tif"]


def write_and_die(folder, name, scratch=False):
    """A child process that starts writing folder/name (atomically, or as scratch) and is killed
    (SIGKILL) in the middle; returns the files it left there."""
    before = set(os.listdir(folder))
    pid = os.fork()
    if pid == 0:
        try:
            if scratch:
                path = scratch_path(str(folder), name)
                with open(path, "wb") as f:
                    f.write(b"half")
                    f.flush()
                    os.kill(os.getpid(), signal.SIGKILL)
            with atomic_file(str(folder / name)) as path:
                with open(path, "wb") as f:
                    f.write(b"half")
                    f.flush()
                    os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return sorted(set(os.listdir(folder)) - before)


@POSIX
@pytest.mark.parametrize("scratch", [False, True], ids=["atomic file", "scratch file"])
def test_a_killed_writers_leftover_is_a_partial_the_next_write_sweeps(tmp_path, scratch):
    (tmp_path / "entry.tif").write_bytes(b"old")
    left = write_and_die(tmp_path, "entry.tif", scratch)
    assert len(left) == 1, left
    m = partials.parse_entry(left[0])
    assert m and m.group("kind") == "part" and partials.names_match(m.group("name"), "entry.tif"), left
    assert not partials.run_alive(m)  # the run is over: its file is stale
    assert read(tmp_path / "entry.tif") == b"old"
    with atomic_file(str(tmp_path / "other.json")) as path:  # the next write in the folder, any file
        with open(path, "wb") as f:
            f.write(b"{}")
    assert sorted(os.listdir(tmp_path)) == ["entry.tif", "other.json"]


@POSIX
def test_the_panels_clean_up_sweeps_it_too(tmp_path):
    left = write_and_die(tmp_path, "grid.tif", scratch=True)
    assert clean_stale(str(tmp_path)) == [str(tmp_path / left[0])]
    assert os.listdir(tmp_path) == []


def test_a_live_runs_file_is_never_swept(tmp_path):
    mine = scratch_path(str(tmp_path), "grid.tif")  # this process: alive
    with open(mine, "wb") as f:
        f.write(b"in use")
    other = scratch_path(str(tmp_path), "pca.tif")  # a second scratch file sweeps the folder first
    assert os.path.exists(mine) and other != mine
    assert clean_stale(str(tmp_path)) == []
    assert read(mine) == b"in use"


def test_scratch_files_are_new_names_in_a_folder_made_for_them(tmp_path):
    folder = tmp_path / "new" / "scratch"
    a, b = scratch_path(str(folder), "grid.tif"), scratch_path(str(folder), "grid.tif")
    assert a != b and os.path.isdir(folder) and a.endswith(".tif")  # GDAL picks its driver by it
    assert partials.parse_entry(os.path.basename(a)).group("run").split("-")[1] == str(os.getpid())
