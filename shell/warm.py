"""A warm worker for the panel: desktop QGIS keeps the runtime (and the model its last job loaded)
between runs for a while, so a second run skips the worker's start and the model's load.

The pool holds at most one idle worker. A run takes it when it was started for the same runtime
(its Python, its installed packages, the worker's environment: RuntimeClient.identity); else the
old one is ended and the run starts a worker that will stay. A worker goes back to the pool only
after a job that succeeded (a cancel, an error or a crash ends it); it is ended when idle longer
than the setting, when memory is short, on settings changes and when the plugin unloads.
`qgis_process` and other headless runs never use the pool: one process per run.

Standard library only (no qgis): algorithms/base.py passes `shared()` to its RuntimeClient in
desktop QGIS; tests drive WarmPool directly.
"""

import threading
import time
from collections.abc import Callable
from typing import Optional

from ..shared import platforms
from .client import Identity, Worker

MEMORY_SHORT_BYTES = 1 << 30  # below this much available memory an idle worker is let go
MEMORY_SHORT_SHARE = 0.10  # ... or below this share of the machine's memory


def memory_short(memory: Optional[platforms.Memory] = None) -> bool:
    """Whether available memory is short; memory: (available, total) bytes, default this machine's
    (platforms.memory). False where the system does not say."""
    available, total = platforms.memory() if memory is None else memory
    if not available or not total:
        return False
    return available < MEMORY_SHORT_BYTES or available < MEMORY_SHORT_SHARE * total


class WarmPool:
    def __init__(
        self, keep_s: float, clock: Callable[[], float] = time.monotonic, short: Callable[[], bool] = memory_short
    ) -> None:
        self.keep_s = float(keep_s)
        self.clock = clock
        self.short = short
        self._worker: Optional[Worker] = None
        self._lock = threading.Lock()
        self._timer: Optional[threading.Timer] = None

    def take(self, identity: Identity) -> Optional[Worker]:
        """The idle worker, if it can run a job of a client with this identity; None otherwise (a
        worker that cannot serve is ended)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is None:
            return None
        stale = self.clock() - worker.idle_since > self.keep_s
        if worker.identity != identity or not worker.alive or stale or self.short():
            worker.close()
            return None
        return worker

    def give_back(self, worker: Worker) -> None:
        """A worker whose job succeeded: kept for keep_s (or ended at once: a setting of 0, memory
        short, a worker that has exited)."""
        if self.keep_s <= 0 or not worker.alive or self.short():
            worker.close()
            return
        worker.idle_since = self.clock()
        with self._lock:
            old, self._worker = self._worker, worker
        if old is not None:
            old.close()
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.keep_s + 0.5, self.release_idle)
        self._timer.daemon = True
        self._timer.start()

    def release_idle(self) -> None:
        """End the idle worker if it has been idle longer than keep_s (the timer's check)."""
        with self._lock:
            worker = self._worker
            if worker is None or self.clock() - worker.idle_since <= self.keep_s:
                return
            self._worker = None
        worker.close()

    def release(self) -> None:
        """End the idle worker now (settings changed, plugin unloaded)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if self._timer is not None:
            self._timer.cancel()
        if worker is not None:
            worker.close()

    @property
    def idle_worker(self) -> Optional[Worker]:
        return self._worker


_SHARED: dict[str, WarmPool] = {}


def shared(keep_minutes: float) -> WarmPool:
    """The process's pool, kept for keep_minutes (the setting, read at each run)."""
    pool = _SHARED.get("pool")
    if pool is None:
        pool = _SHARED["pool"] = WarmPool(60.0 * keep_minutes)
    pool.keep_s = 60.0 * float(keep_minutes)
    return pool


def release_shared() -> None:
    pool = _SHARED.get("pool")
    if pool is not None:
        pool.release()
