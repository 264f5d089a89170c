"""The warm worker pool's rules (shell/warm.py), with stand-in workers and a clock."""

from terraembed.shell import warm


class FakeWorker:
    def __init__(self, identity="runtime A", alive=True):
        self.identity, self.alive, self.closed, self.idle_since = identity, alive, False, 0.0

    def close(self):
        self.closed, self.alive = True, False


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def pool(keep_s=300, short=lambda: False):
    clock = Clock()
    return warm.WarmPool(keep_s, clock=clock, short=short), clock


def test_a_worker_given_back_serves_the_next_run_of_the_same_runtime():
    p, clock = pool()
    w = FakeWorker()
    p.give_back(w)
    clock.now += 299
    assert p.take("runtime A") is w and not w.closed
    assert p.take("runtime A") is None  # taken: one run at a time


def test_another_runtime_an_idle_timeout_or_a_dead_worker_is_never_reused():
    for identity, idle, alive in (("runtime B", 10, True), ("runtime A", 301, True), ("runtime A", 10, False)):
        p, clock = pool()
        w = FakeWorker(alive=alive)
        p.give_back(w) if alive else setattr(p, "_worker", w)
        clock.now += idle
        assert p.take(identity) is None and w.closed


def test_the_idle_timer_ends_a_worker_left_idle_too_long():
    p, clock = pool(keep_s=60)
    w = FakeWorker()
    p.give_back(w)
    clock.now += 30
    p.release_idle()
    assert not w.closed  # not yet
    clock.now += 31
    p.release_idle()
    assert w.closed and p.idle_worker is None


def test_a_setting_of_0_short_memory_and_release_end_the_worker():
    p, _ = pool(keep_s=0)
    w = FakeWorker()
    p.give_back(w)
    assert w.closed and p.idle_worker is None
    p, _ = pool(short=lambda: True)
    w = FakeWorker()
    p.give_back(w)
    assert w.closed
    p, _ = pool()
    w, newer = FakeWorker(), FakeWorker()
    p.give_back(w)
    p.give_back(newer)  # one idle worker at most
    assert w.closed and p.idle_worker is newer
    p.release()
    assert newer.closed and p.idle_worker is None


def test_memory_is_short_below_1_gb_or_10_percent_available():
    def memory(total_gb, available_gb):
        return int(available_gb * 2**30), int(total_gb * 2**30)

    assert warm.memory_short(memory(16, 0.5)) and warm.memory_short(memory(64, 5))
    assert not warm.memory_short(memory(16, 4)) and not warm.memory_short((None, 2**30))


def test_the_shared_pool_follows_the_setting():
    p = warm.shared(5)
    assert p.keep_s == 300 and warm.shared(2) is p and p.keep_s == 120
    warm.release_shared()
