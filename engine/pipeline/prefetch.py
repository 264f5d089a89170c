"""Read ahead in a background thread while the model works on the current batch.

`Prefetcher(produce, maxsize)` runs `produce(put)` in a thread; `put(item)` blocks while the
bounded queue is full, so at most `maxsize` items wait in memory. Iterating the prefetcher yields
the items in order and re-raises the producer's exception in the consumer. `close()` (also on
leaving a `with` block) stops the producer at its next `put` and joins it; it is safe to call
after an error or a cancel in the consumer.

`read_ahead=False` keeps the thread and the interface but reads strictly in turn with the
consumer: the next item is read only when the consumer asks for it, never while it works on the
previous one. That is the faster choice when the consumer's work already uses every core (a CPU
model with one torch thread per core): a reader beside it takes a core from one torch thread
and the others wait for that one at every parallel step (measured on 2 cores: batch-8 forwards
of TerraFM-B 1.5x slower while the reader ran; see benchmarks/README.md).
"""

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, Optional

_DONE = object()


class _Stop(Exception):
    pass


class Prefetcher:
    def __init__(
        self,
        produce: Callable[[Callable[[Any], None]], None],
        maxsize: int = 2,
        name: str = "terraembed-reader",
        read_ahead: bool = True,
    ) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max(1, int(maxsize)))
        self._stop = threading.Event()
        self._asked = None if read_ahead else threading.Semaphore(0)  # in turn: one per next item
        self._produce = produce
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _put(self, item: Any, last: bool = False) -> None:
        while True:
            if self._stop.is_set():
                raise _Stop()
            try:
                self._queue.put(item, timeout=0.1)
                break
            except queue.Full:
                continue
        while self._asked is not None and not last and not self._asked.acquire(timeout=0.1):
            if self._stop.is_set():
                raise _Stop()

    def _run(self) -> None:
        try:
            self._produce(self._put)
        except _Stop:
            return
        except BaseException as exc:  # handed to the consumer
            self._error = exc
        try:
            self._put(_DONE, last=True)
        except _Stop:
            pass

    def __iter__(self) -> Iterator[Any]:
        first = True
        while True:
            if self._asked is not None and not first:
                self._asked.release()  # read the next item now (the producer waits for this)
            first = False
            item = self._queue.get()
            if item is _DONE:
                if self._error is not None:
                    raise self._error
                return
            yield item

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(timeout=0.05)

    def __enter__(self) -> "Prefetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
