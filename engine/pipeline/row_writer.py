"""The job's own work on the grid's rows done by a thread beside the model.

`WriterThread(max_bytes)` runs the calls handed to `submit(fn, *args)` one at a time, in the order
given, in one thread, while the job's thread goes on with the next chips. The embed job hands it
the grid's rows (GridWriter.write_rows: GDAL writes without holding Python's lock) and the cells for
the PCA statistics (CovarianceAccumulator.add), through `queued(target)`, an object with the
target's `write_rows` and `add` that submit instead of running; the calls keep their order, so the
file and the statistics are the ones the job's thread would have made.

Memory stays bounded: `submit` waits while the arrays queued and not yet done hold more than
`max_bytes` (one call always passes, however large). The arrays handed over must not change
afterwards (the stitcher hands over fresh ones).

One thread, never more: while the thread lives, numpy's BLAS (the PCA statistics' products) runs on
one thread (threadpoolctl; process-wide, restored at `finish`/`abort`). Its default, a thread per core,
put OpenBLAS's threads beside torch's on a CPU the model saturates; they spin after every product, and
torch's threads wait at each parallel step for the one whose core they took (benchmarks/README.md,
"Overviews as rows are written").

Errors and cancel: an error in the thread (a full disk, GDAL's) is raised in the job's thread at
its next `submit` or at `finish`, and nothing queued after it runs; `abort()` (the job failed or was
cancelled) stops the thread after the call it is running and drops the rest; the job then discards
its files and the output transaction removes the partials, as for any failed job. `finish()`
returns once every call has run.
"""

import collections
import threading
from typing import Any, Callable, Deque, Optional, Tuple

import numpy as np
from threadpoolctl import threadpool_limits

_POLL = 0.1  # seconds between looks at the other side while waiting
BLAS_THREADS = 1  # numpy's BLAS threads while the writer thread lives


def _nbytes(args: Tuple[Any, ...]) -> int:
    return sum(a.nbytes for a in args if isinstance(a, np.ndarray))


class WriterThread:
    def __init__(self, max_bytes: int, name: str = "terraembed-writer") -> None:
        self.max_bytes = int(max_bytes)
        self._calls: Deque[Tuple[Callable[..., Any], Tuple[Any, ...], int]] = collections.deque()
        self._queued = 0  # bytes of the arrays queued or running
        self._done = False  # finish() was called: the thread ends when the queue is empty
        self._stop = False  # abort() was called
        self._error: Optional[BaseException] = None
        self._cond = threading.Condition()
        self._blas = threadpool_limits(limits=BLAS_THREADS, user_api="blas")  # restored when the thread ends
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _next(self) -> Optional[Tuple[Callable[..., Any], Tuple[Any, ...], int]]:
        with self._cond:
            while not self._calls and not self._done and not self._stop:
                self._cond.wait(_POLL)
            if self._stop or not self._calls:
                return None
            return self._calls.popleft()

    def _run(self) -> None:
        while True:
            call = self._next()
            if call is None:
                return
            fn, args, nbytes = call
            try:
                fn(*args)
            except BaseException as exc:  # raised in the job's thread at its next call
                with self._cond:
                    self._error = exc
                    self._cond.notify_all()
                return
            with self._cond:
                self._queued -= nbytes
                self._cond.notify_all()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run fn(*args) in the thread after the calls submitted before."""
        nbytes = _nbytes(args)
        with self._cond:
            while self._queued and self._queued + nbytes > self.max_bytes and self._error is None:
                self._cond.wait(_POLL)
            self._raise_error()
            if self._done or self._stop:
                raise RuntimeError("the writer thread has finished")
            self._calls.append((fn, args, nbytes))
            self._queued += nbytes
            self._cond.notify_all()

    def finish(self) -> None:
        """Wait for every call submitted; raise the thread's error if one happened."""
        with self._cond:
            self._done = True
            self._cond.notify_all()
        self._thread.join()
        self._blas.restore_original_limits()
        self._raise_error()

    def abort(self) -> None:
        """Drop the calls not yet run and wait for the running one to end (after an error or a cancel)."""
        with self._cond:
            self._stop = True
            self._calls.clear()
            self._cond.notify_all()
        self._thread.join()
        self._blas.restore_original_limits()

    def queued(self, target: Any) -> "Queued":
        return Queued(self, target)


class Queued:
    """target's write_rows and add, run by the writer thread in the order they are called."""

    def __init__(self, thread: WriterThread, target: Any) -> None:
        self._thread, self._target = thread, target

    def write_rows(self, row0: int, block: np.ndarray) -> None:
        self._thread.submit(self._target.write_rows, row0, np.asarray(block, np.float32))

    def add(self, cells: np.ndarray) -> None:
        self._thread.submit(self._target.add, cells)
