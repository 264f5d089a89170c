"""The worker protocol's messages and the partial names of outputs (protocol.py, standard library)."""

import os

import pytest

from terraembed import protocol


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
    mine = protocol.run_token()
    dead = protocol.run_token(pid=2**22 + 12345)  # above Linux's pid_max: never alive
    live = protocol.run_token(pid=os.getppid())  # the test's parent: alive
    own, stale, folder = (
        protocol.partial_path(dest, mine),
        protocol.partial_path(dest, dead),
        protocol.partial_path(dest, dead, suffix=""),
    )
    old = str(tmp_path / ".grid.tif.0123abcd.part.tif")
    other = protocol.partial_path(dest, live)
    for path in (
        own,
        stale,
        old,
        other,
        dest,
        str(tmp_path / "grid.tif.aux.xml"),
        protocol.partial_path(str(tmp_path / "other.tif"), dead),
    ):
        open(path, "w").close()
    os.mkdir(folder)
    assert sorted(protocol.partials_of(dest, mine)) == sorted([own, stale, folder, old])
    assert other not in protocol.partials_of(dest)
