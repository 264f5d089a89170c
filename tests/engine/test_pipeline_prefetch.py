"""The read-ahead thread: bounded, ordered, errors passed on, stoppable."""

import threading
import time

import pytest

from terraembed.engine.pipeline.prefetch import Prefetcher


def test_reads_ahead_while_the_consumer_works_and_stays_bounded():
    produced = []

    def produce(put):
        for i in range(10):
            produced.append(i)
            put(i)

    with Prefetcher(produce, maxsize=2) as p:
        it = iter(p)
        assert next(it) == 0
        time.sleep(0.3)  # the consumer is busy: the reader goes on...
        assert 2 <= len(produced) <= 4  # ...but only as far as the bounded queue allows
        assert list(it) == list(range(1, 10))


def test_producer_error_reaches_the_consumer():
    def produce(put):
        put(1)
        raise ValueError("bad window")

    with Prefetcher(produce) as p:
        with pytest.raises(ValueError, match="bad window"):
            list(p)


@pytest.mark.parametrize("read_ahead", [True, False])
def test_close_stops_a_blocked_producer(read_ahead):
    stopped = threading.Event()

    def produce(put):
        try:
            for i in range(1000):
                put(i)
        finally:
            stopped.set()

    p = Prefetcher(produce, maxsize=1, read_ahead=read_ahead)
    next(iter(p))
    p.close()
    assert stopped.wait(2.0)
    assert not p._thread.is_alive()


def test_in_turn_reads_only_when_asked():
    produced = []

    def produce(put):
        for i in range(5):
            produced.append(i)
            put(i)

    with Prefetcher(produce, maxsize=2, read_ahead=False) as p:
        it = iter(p)
        assert next(it) == 0
        time.sleep(0.3)  # the consumer is busy: nothing more is read
        assert produced == [0]
        assert next(it) == 1
        time.sleep(0.2)
        assert produced == [0, 1]
        assert list(it) == [2, 3, 4]
    assert not p._thread.is_alive()


def test_read_ahead_only_where_a_core_is_free_or_the_model_is_on_a_gpu(monkeypatch):
    import torch

    from terraembed.models import device

    monkeypatch.setattr(device, "cpu_count", lambda: 4)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    assert device.read_ahead("cpu") is False  # torch's threads take every core: in turn
    assert device.read_ahead("cuda:0") is True
    monkeypatch.setattr(torch, "get_num_threads", lambda: 3)
    assert device.read_ahead("cpu") is True


def test_gdal_decodes_on_every_core_while_the_model_waits(monkeypatch):
    import torch

    from terraembed.models import device

    monkeypatch.setattr(device, "cpu_count", lambda: 4)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    assert device.read_threads("cpu") == 4  # reads in turn: the model waits, every core decodes
    assert device.read_threads("cuda:0") == 4  # beside a GPU model the cores are free
    monkeypatch.setattr(torch, "get_num_threads", lambda: 3)
    assert device.read_threads("cpu") == 1  # read ahead beside torch's 3 threads: the core it leaves
