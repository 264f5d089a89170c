"""The shell's side of a worker session (shared/protocol.py, engine/session.py): start a worker that keeps
its data, ask it questions without waiting, get the answers through one callback.

Standard library only (no qgis): the Explore panel wraps it in Qt signals, the benchmark and tests
drive it directly. Every message reaches `deliver(message)` on the client's reader thread:
the worker's own messages (progress, log, answer, superseded, error) and, when the worker ends, one
{"type": "ended", "message": why, "detail": its last log lines}. Only the newest query of each op
is answered to the caller: an answer to an older one (the worker was already on it) is dropped, like
a "superseded" one.
"""

import itertools
import subprocess  # nosec B404: only named in a type hint
import threading
import time
from collections.abc import Callable
from typing import Any, Optional

from ..shared import protocol
from . import client as runtime_client
from .i18n import tr

OPEN_TIMEOUT_S = 900.0  # opening reads the whole grid: a slow disk and a large grid take minutes
ANSWER_TIMEOUT_S = 120.0  # a worker that answers no query for this long is stopped and said so
ENDED = "ended"


class SessionClient:
    def __init__(
        self,
        runtime: runtime_client.RuntimeClient,
        request: dict[str, Any],
        deliver: Callable[[protocol.Message], object],
        open_timeout_s: float = OPEN_TIMEOUT_S,
        answer_timeout_s: float = ANSWER_TIMEOUT_S,
    ) -> None:
        """runtime: a shell.client.RuntimeClient (its Python and environment); request: the session
        ({"kind": "explore", "input": path, ...}); deliver(message): called for every message."""
        self.runtime = runtime
        self.request = request
        self._deliver = deliver
        self.open_timeout_s = open_timeout_s
        self.answer_timeout_s = answer_timeout_s
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}  # op -> newest query id
        self._waiting: dict[int, tuple[str, float]] = {}  # query id -> (op, time asked)
        self._lock = threading.Lock()
        self.worker: Optional[runtime_client.Worker] = None  # once started
        self._opened_at = 0.0  # time.monotonic() at start()
        self._stopping = False
        self._why: Optional[str] = None
        self.info: Optional[dict[str, Any]] = None  # the session's facts once open

    # -- life -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (RuntimeClient.start) and ask it to open the session; returns at once."""
        self.runtime.check_available()
        self.worker = self.runtime.start()
        self._opened_at = time.monotonic()
        for target in (self._dispatch, self._watch):
            threading.Thread(target=target, daemon=True).start()
        self._started.send(protocol.session_message(self.request))

    @property
    def proc(self) -> "Optional[subprocess.Popen[bytes]]":
        return self.worker.proc if self.worker is not None else None

    @property
    def alive(self) -> bool:
        return self.worker is not None and self.worker.alive

    def close(self, grace_s: float = 3.0) -> None:
        """End the session: the worker removes its files and exits (killed after grace_s)."""
        self._stopping = True
        if self.worker is not None:
            self.worker.send({"type": protocol.CLOSE})
            self.worker.close(grace_s=grace_s)

    # -- questions --------------------------------------------------------------------------------
    def ask(self, op: str, args: Optional[dict[str, Any]] = None) -> int:
        """Send a query; its answer comes through deliver(). Returns its id. A newer query of the
        same op makes the answer of this one uninteresting (dropped)."""
        qid = next(self._ids)
        with self._lock:
            for old, (old_op, _) in list(self._waiting.items()):
                if old_op == op:
                    del self._waiting[old]
            self._latest[op] = qid
            self._waiting[qid] = (op, time.monotonic())
        self._started.send(protocol.query(qid, op, args or {}))
        return qid

    # -- the worker's side ----------------------------------------------------------------------------
    @property
    def _started(self) -> runtime_client.Worker:
        """The worker: the methods that use it run once start() has started it."""
        if self.worker is None:
            raise RuntimeError("the session has not been started")
        return self.worker

    def _dispatch(self) -> None:
        """The worker's lines (read by its Worker) to deliver(), then one "ended" unless closed."""
        while True:
            line = self._started.messages.get()
            if line is None:
                break
            try:
                message = protocol.decode(line, allowed=protocol.WORKER_TYPES)
            except protocol.ProtocolError:
                continue
            if self._wanted(message):
                self._deliver(message)
        code = self._started.proc.wait()
        if not self._stopping:
            self._started.threads[1].join(timeout=2)
            self._deliver(
                {
                    "type": ENDED,
                    "message": self._why
                    or tr("The explore session's runtime stopped (%s).") % runtime_client.describe_exit(code),
                    "detail": "\n".join(self._started.stderr_tail),
                }
            )

    def _wanted(self, message: protocol.Message) -> bool:
        kind, qid = message.get("type"), message.get("id")
        if kind == protocol.HELLO:
            if message.get("protocol") != protocol.PROTOCOL_VERSION:
                self._why = tr("The runtime speaks protocol %r, the plugin %d. Update the runtime.") % (
                    message.get("protocol"),
                    protocol.PROTOCOL_VERSION,
                )
                self._started.proc.kill()
            return False
        if kind == protocol.ANSWER and qid == 0:
            self.info = message.get("result")
            return True
        if kind in (protocol.ANSWER, protocol.SUPERSEDED) or (kind == protocol.ERROR and qid is not None):
            with self._lock:
                entry = self._waiting.pop(qid, None) if qid is not None else None
            if kind == protocol.SUPERSEDED or entry is None or self._latest.get(entry[0]) != qid:
                return False
            message["round_trip_ms"] = round(1000 * (time.monotonic() - entry[1]), 2)
        return True

    def _watch(self, step_s: float = 0.5) -> None:
        """Deadlines: the session must open within open_timeout_s and every query be answered within
        answer_timeout_s; a worker past its deadline is stopped (the reader then reports it)."""
        while self.alive:
            time.sleep(step_s)
            now = time.monotonic()
            with self._lock:
                oldest = min((t for _, t in self._waiting.values()), default=None)
            if self.info is None and now - self._opened_at > self.open_timeout_s:
                self._why = tr("The explore session did not open within %d s; it was stopped.") % self.open_timeout_s
            elif oldest is not None and now - oldest > self.answer_timeout_s:
                self._why = (
                    tr("The explore session did not answer within %d s; it was stopped.") % self.answer_timeout_s
                )
            else:
                continue
            self._started.proc.kill()
            return
