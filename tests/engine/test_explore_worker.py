"""The explore session through a real worker process and the shell's client: it opens, answers
the newest click (older pending clicks are superseded), survives a bad query, says when its worker
dies, and leaves nothing behind when closed."""

import os
import queue
import signal
import sys

import pytest
import synthetic

from terraembed.shell.client import RuntimeClient
from terraembed.shell.session import SessionClient


def _next(messages, kind, timeout=120):
    while True:
        message = messages.get(timeout=timeout)
        if message["type"] == kind:
            return message
        assert message["type"] in ("progress", "log"), message


@pytest.fixture
def raster(tmp_path):
    path, labels, invalid = synthetic.planted_raster(tmp_path / "emb.tif", 3, 40, 40, 24, noise=0.5, seed=2)
    return str(path)


def _click(row, col, sign=1):
    x, y = synthetic.cell_centre(synthetic.grid_transform(), row, col)
    return {"x": x, "y": y, "sign": sign, "class": "target"}


def test_session_answers_the_newest_click_and_cleans_up(raster, tmp_path):
    messages = queue.Queue()
    client = SessionClient(
        RuntimeClient(sys.executable), {"kind": "explore", "input": raster, "storage": "float32"}, messages.put
    )
    client.start()
    opened = _next(messages, "answer")
    assert opened["id"] == 0 and opened["result"]["width"] == 40 and opened["result"]["bands"] == 24
    ids = [client.ask("similarity", {"labels": [_click(10 + i, 10)]}) for i in range(6)]
    answer = _next(messages, "answer")
    assert answer["id"] == ids[-1]  # older clicks never reach the caller
    assert os.path.isfile(answer["result"]["path"]) and answer["round_trip_ms"] > 0
    folder = os.path.dirname(answer["result"]["path"])
    bad = client.ask("outline", {"threshold": "not a number"})
    error = _next(messages, "error")
    assert error["id"] == bad and error["kind"] == "internal"
    client.ask("outline", {"threshold": 0.5})
    assert _next(messages, "answer")["result"]["polygons"] >= 1  # the session went on
    client.close()
    assert not client.alive and not os.path.exists(folder)


def test_the_session_ends_with_the_shell(raster):
    """QGIS gone (its end of the pipe closed, no "close" line): the worker ends and removes its files."""
    messages = queue.Queue()
    client = SessionClient(RuntimeClient(sys.executable), {"kind": "explore", "input": raster}, messages.put)
    client.start()
    _next(messages, "answer")
    client.ask("similarity", {"labels": [_click(5, 5)]})
    folder = os.path.dirname(_next(messages, "answer")["result"]["path"])
    client.proc.stdin.close()
    assert client.proc.wait(timeout=30) == 0
    assert not os.path.exists(folder)


def test_a_killed_worker_is_reported(raster):
    messages = queue.Queue()
    client = SessionClient(RuntimeClient(sys.executable), {"kind": "explore", "input": raster}, messages.put)
    client.start()
    _next(messages, "answer")
    os.kill(client.proc.pid, signal.SIGKILL)
    ended = _next(messages, "ended")
    assert "stopped" in ended["message"] and "SIGKILL" in ended["message"]


def test_a_silent_worker_is_stopped_at_its_deadline(raster):
    messages = queue.Queue()
    client = SessionClient(
        RuntimeClient(sys.executable), {"kind": "explore", "input": raster}, messages.put, answer_timeout_s=1.0
    )
    client.start()
    _next(messages, "answer")
    os.kill(client.proc.pid, signal.SIGSTOP)  # wedged: alive, answers nothing
    client.ask("similarity", {"labels": [_click(5, 5)]})
    ended = _next(messages, "ended", timeout=30)
    assert "did not answer within 1 s" in ended["message"]


def test_a_raster_that_is_not_there_is_said(tmp_path):
    messages = queue.Queue()
    client = SessionClient(
        RuntimeClient(sys.executable), {"kind": "explore", "input": str(tmp_path / "no.tif")}, messages.put
    )
    client.start()
    error = _next(messages, "error")
    assert "does not exist" in error["message"] and error["kind"] == "user"


def test_where_to_label_next_through_the_worker(tmp_path):
    """The "suggest" query on a raster with a planted ambiguous region (synthetic.ambiguous_raster):
    the suggestions lie in it, no two closer than the spacing, none that close to a label."""
    import numpy as np

    path, classes, region, _ = synthetic.ambiguous_raster(tmp_path / "amb.tif", 40, 60, 16, (8, 4, 32, 22), seed=3)
    cells = {"left": [(2, 2), (36, 5), (3, 25), (20, 23)], "right": [(2, 40), (37, 45), (20, 55)]}
    labels = [dict(_click(r, c), **{"class": name}) for name, rc in cells.items() for r, c in rc]
    messages = queue.Queue()
    client = SessionClient(
        RuntimeClient(sys.executable), {"kind": "explore", "input": path, "storage": "float32"}, messages.put
    )
    client.start()
    _next(messages, "answer")
    client.ask("suggest", {"labels": labels, "mode": "fewshot", "suggestion_count": 6, "suggestion_spacing": 40})
    answer = _next(messages, "answer")["result"]
    found = answer["suggestions"]
    assert len(found) == 6 and answer["classes"] == ["left", "right"] and answer["spacing"] == 40
    assert all(s["class"] is None and {s["first_class"], s["second_class"]} == {"left", "right"} for s in found)
    xy = np.array([(s["x"], s["y"]) for s in found])
    cols, rows = ~synthetic.grid_transform() * (xy[:, 0], xy[:, 1])
    assert region[rows.astype(int), cols.astype(int)].all()
    d = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    assert d[~np.eye(6, dtype=bool)].min() >= 40
    label_xy = np.array([(lab["x"], lab["y"]) for lab in labels])
    assert np.hypot(*(xy[:, None] - label_xy[None]).transpose(2, 0, 1)).min() >= 40
    # similarity mode: "like this" against "not like this", so both kinds are needed
    like = [dict(_click(2, 2), sign=1)]
    bad = client.ask("suggest", {"labels": like, "mode": "similarity"})
    error = _next(messages, "error")
    assert error["id"] == bad and error["kind"] == "user" and "Shift+click" in error["message"]
    client.ask("suggest", {"labels": like + [dict(_click(2, 40), sign=-1)], "mode": "similarity"})
    answer = _next(messages, "answer")["result"]
    assert answer["classes"] == ["like this", "not like this"] and len(answer["suggestions"]) == 20
    client.close()
