"""The worker protocol's messages and the partial names of outputs (shared/protocol.py, standard library)."""

import os
import sys
import time

import pytest

from terraembed.shared import partials, platforms, protocol


def test_encode_decode_round_trip():
    line = protocol.encode(protocol.progress(0.5, "infer"))
    assert line.endswith("\n") and "\n" not in line[:-1]
    assert protocol.decode(line) == {"type": "progress", "fraction": 0.5, "stage": "infer"}
    assert protocol.progress(7)["fraction"] == 1.0


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", '{"no": "type"}'])
def test_decode_rejects_non_messages(bad):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(bad)


def test_decode_rejects_unexpected_types():
    with pytest.raises(protocol.ProtocolError):
        protocol.decode('{"type": "job"}', allowed=protocol.WORKER_TYPES)


def test_encode_refuses_nan():
    with pytest.raises(ValueError):
        protocol.encode({"type": "result", "result": {"x": float("nan")}})


def test_partial_names_are_found_for_cleanup(tmp_path):
    """What a run writes while working is what the clean-up finds: the run's own partials and those
    of runs that are over (a dead process, the older naming without an owner), never those of
    another live run."""
    dest = str(tmp_path / "grid.tif")
    mine = partials.run_token()
    dead = partials.run_token(pid=2**22 + 12345)  # above Linux's pid_max: never alive
    live = partials.run_token(pid=os.getppid())  # the test's parent: alive
    own, stale, folder = (
        partials.partial_path(dest, mine),
        partials.partial_path(dest, dead),
        partials.partial_path(dest, dead, suffix=""),
    )
    old = str(tmp_path / ".grid.tif.0123abcd.part.tif")
    other = partials.partial_path(dest, live)
    for path in (
        own,
        stale,
        old,
        other,
        dest,
        str(tmp_path / "grid.tif.aux.xml"),
        partials.partial_path(str(tmp_path / "other.tif"), dead),
    ):
        open(path, "w").close()
    os.mkdir(folder)
    assert sorted(partials.partials_of(dest, mine)) == sorted([own, stale, folder, old])
    assert other not in partials.partials_of(dest)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="zombie state read from /proc: Linux")
def test_a_run_whose_process_is_a_zombie_is_over(tmp_path):
    """A process that exited but was not reaped yet (a zombie) has left its partials for good: the
    next run (right after a SIGKILL) removes them."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while partials._linux_state(pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        dest = str(tmp_path / "grid.tif")
        partial = partials.partial_path(dest, partials.run_token(pid=pid))
        open(partial, "w").close()
        assert not partials.pid_alive(pid)
        assert partials.partials_of(dest) == [partial]
    finally:
        os.waitpid(pid, 0)


@pytest.mark.parametrize("state, alive", [("Z", False), ("X", False), ("S", True), ("R", True), (None, True)])
def test_process_states_that_count_as_over(state, alive):
    assert partials.pid_alive(os.getpid(), "linux", state=lambda pid: state) is alive


@pytest.mark.parametrize("length", [100, 240, 255])
def test_partial_names_fit_the_name_limit_whenever_the_destination_does(tmp_path, length):
    """A 240-byte destination name gets a partial name (and room for its .aux.xml) within 255 bytes,
    found again by the clean-up; short names stay as they are."""
    name = "é" * ((length - 4) // 2) + "x" * ((length - 4) % 2) + ".tif"  # two-byte characters too
    dest = str(tmp_path / name)
    partial = partials.partial_path(dest, partials.run_token(pid=2**22 + 1), name_max=255)
    assert len(os.path.basename(partial).encode("utf-8")) + len(".aux.xml") <= 255 and partial.endswith(".tif")
    assert (name in partial) is (length == 100)
    open(partial, "w").close()
    assert partials.partials_of(dest) == [partial]
    assert partials.partials_of(str(tmp_path / ("y" + name[1:]))) == []


def test_memory_reads_available_and_total_and_says_nothing_it_cannot_read():
    text = "MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    8192000 kB\n"
    assert platforms.linux_memory(text) == (8192000 * 1024, 16384000 * 1024)
    assert platforms.linux_memory("garbage\n") == (None, None)
