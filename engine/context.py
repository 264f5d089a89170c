"""JobContext: how engine code reports progress and logs and learns about cancellation.

Engine code never talks to the protocol directly; it gets a JobContext. The worker gives it one
wired to the pipe; tests and the command line use `JobContext()` (prints nothing, never cancelled)
or pass their own callbacks.
"""

import threading
from collections.abc import Callable
from typing import Optional

from ..shared.errors import Cancelled

ProgressCallback = Callable[[float, str], None]  # (fraction of the whole job, stage)
LogCallback = Callable[[str, str], None]  # (message, level: "info" | "warning" | "debug")


class JobContext:
    def __init__(
        self,
        on_progress: Optional[ProgressCallback] = None,
        on_log: Optional[LogCallback] = None,
        cancel_event: Optional[threading.Event] = None,
        work_dir: Optional[str] = None,
    ) -> None:
        self._on_progress = on_progress
        self._on_log = on_log
        self.cancel_event = cancel_event or threading.Event()
        self.work_dir = work_dir
        self._lo, self._hi = 0.0, 1.0
        self.warnings: list[str] = []

    # -- progress -------------------------------------------------------------------------------
    def progress(self, fraction: float, stage: str = "") -> None:
        """Report progress of the current (sub-)stage, fraction in [0, 1]."""
        f = max(0.0, min(1.0, float(fraction)))
        if self._on_progress:
            self._on_progress(self._lo + (self._hi - self._lo) * f, stage)

    def substage(self, start: float, end: float) -> "JobContext":
        """A child context whose 0..1 maps onto start..end of this one (same cancel and log)."""
        child = JobContext(self._on_progress, self._on_log, self.cancel_event, self.work_dir)
        span = self._hi - self._lo
        child._lo, child._hi = self._lo + span * start, self._lo + span * end
        child.warnings = self.warnings
        return child

    # -- logging --------------------------------------------------------------------------------
    def log(self, message: object, level: str = "info") -> None:
        if self._on_log:
            self._on_log(str(message), level)

    def warn(self, message: object) -> None:
        self.warnings.append(str(message))
        self.log(message, "warning")

    # -- cancellation ---------------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancel(self) -> None:
        """Raise Cancelled if the user asked to stop. Call between units of work (batches)."""
        if self.cancel_event.is_set():
            raise Cancelled()
