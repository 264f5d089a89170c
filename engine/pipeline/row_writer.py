"""The grid's rows written by a thread beside the model.

`RowWriterThread(writer, max_blocks)` takes a GridWriter's place (`write_rows`, `close`, `abort`):
`write_rows` hands the block to a bounded queue and returns, and a thread writes the blocks in
order with the GridWriter, while the job's thread goes on with the next chips (GDAL writes without
holding Python's lock). Memory stays bounded: at most `max_blocks` blocks wait in the queue (the
caller blocks beyond that), besides the one being written and the GridWriter's own block row.

Errors and cancel: an error in the thread (a full disk, GDAL's) is raised in the job's thread at
its next `write_rows` or at `close`; `abort()` (the job failed or was cancelled) stops the thread
after the block it is writing, drops the rest and discards the file as GridWriter.abort does; the
output transaction then removes the partials, as for any failed job. `close()` returns once every
row is in the file and the file is closed.
"""

import queue
import threading
from typing import Any, Optional

import numpy as np

_CLOSE = object()
_POLL = 0.1  # seconds between looks at the other side's error or stop while waiting


class RowWriterThread:
    def __init__(self, writer: Any, max_blocks: int = 2, name: str = "terraembed-writer") -> None:
        self._writer = writer
        self._queue: "queue.Queue[Any]" = queue.Queue(maxsize=max(1, int(max_blocks)))
        self._stop = threading.Event()
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    item = self._queue.get(timeout=_POLL)
                except queue.Empty:
                    continue
                if item is _CLOSE:
                    self._writer.close()
                    return
                self._writer.write_rows(*item)
        except BaseException as exc:  # raised in the job's thread at its next call
            self._error = exc

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _put(self, item: Any) -> None:
        while True:
            self._raise_error()
            if not self._thread.is_alive():
                raise RuntimeError("the grid writer thread has stopped")
            try:
                self._queue.put(item, timeout=_POLL)
                return
            except queue.Full:
                continue

    def write_rows(self, row0: int, block: np.ndarray) -> None:
        """Queue rows row0 .. (GridWriter.write_rows's contract); the block must not change after."""
        self._put((row0, np.asarray(block, np.float32)))

    def close(self) -> None:
        """Write every queued row, close the file; raise the thread's error if one happened."""
        self._put(_CLOSE)
        self._thread.join()
        self._raise_error()

    def abort(self) -> None:
        """Stop writing and discard the file (after an error or a cancel in the job)."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(timeout=_POLL)
        self._writer.abort()
