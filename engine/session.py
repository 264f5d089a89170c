"""A worker that holds one session and answers queries until the shell closes it (shared/protocol.py); and
the warm worker of the panel, a session of kind "jobs" that runs job after job (serve_jobs).

Shaped for clicks: a reader thread takes the shell's lines as they come, and a query waiting for
the executor is replaced by a newer query of the same op (the older one is answered
"superseded"), so the answer a user waits for is always that of the last click, never a queue of
stale ones. The executor answers in order on this (main) thread. The shell closing its end of the
pipe, a "close" line or a stop signal ends the session; its temporary files go with it.
"""

import os
import threading
import time
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Optional, Protocol

from ..shared import platforms, protocol
from ..shared.errors import UserError
from . import i18n
from .channel import EXIT_OK, Channel, read_shell
from .context import JobContext
from .i18n import tr

WARM_WORKER = "TERRAEMBED_WARM_WORKER"  # set (to "1") in a process that serves a jobs session
# session kind -> the module (from the package root) whose open_session(job, ctx) opens one and whose
# answer(session, op, args, files, query id, ctx) answers its queries
SESSION_MODULES = {"explore": "engine.analysis.explore_queries"}
KEEP_FILES = 3  # answer files kept per op: the shell shows the newest, may still hold the one before
Report = Callable[[protocol.Message], None]  # where execute sends a run's outcome
Run = Callable[[dict[str, Any], JobContext], dict[str, Any]]  # a job handler, a session's opening or query
Stdin = Iterable[str | bytes]  # the shell's lines


class Execute(Protocol):
    """The worker's execute (worker._execute): run(job, ctx), its outcome reported; the exit code."""

    def __call__(self, job: dict[str, Any], ctx: JobContext, report: Report, run: Run = ...) -> int: ...


class JobTemp(Protocol):
    """A job's temporary folder (worker._JobTemp): its path, removed at the job's end."""

    path: str

    def remove(self) -> None: ...


class Session(Protocol):
    """What a session module's open_session returns: its facts, and its end."""

    def info(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class Replaced(UserError):
    """The raster changed on disk since the session opened (the shell reopens it)."""

    kind = "replaced"


class Queries:
    """Pending queries: at most one per op, the newest; taken oldest first."""

    def __init__(self, send: Report) -> None:
        self._send = send
        self._pending: dict[Optional[str], protocol.Message] = {}  # op -> message
        self._order: list[Optional[str]] = []  # ops, by arrival of their pending message
        self._cond = threading.Condition()
        self.closed = False

    def put(self, message: protocol.Message) -> None:
        with self._cond:
            op = message.get("op")
            old = self._pending.get(op)
            if old is not None:
                self._send({"type": protocol.SUPERSEDED, "id": old.get("id")})
                self._order.remove(op)
            self._pending[op] = message
            self._order.append(op)
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify()

    def take(self, timeout: Optional[float] = None) -> Optional[protocol.Message]:
        """The oldest pending query, or None once closed (pending queries are dropped then)."""
        with self._cond:
            while not self._order and not self.closed:
                self._cond.wait(timeout)
            if self.closed:
                return None
            op = self._order.pop(0)
            return self._pending.pop(op)


def read_queries(stdin: Stdin, queries: Queries, cancel_event: threading.Event) -> None:
    """The reader thread: queries in, "close" or EOF ends the session."""

    def handle(message: protocol.Message) -> bool:
        if message["type"] == protocol.QUERY:
            queries.put(message)
        return message["type"] in (protocol.CLOSE, protocol.CANCEL)

    read_shell(stdin, handle)
    cancel_event.set()
    queries.close()


class Files:
    """Answer files in the session's folder: a new name per answer, the oldest removed."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.made: dict[str, list[str]] = {}  # kind -> its answer files, oldest first

    def new(self, kind: str, query_id: int, ext: str) -> str:
        path = os.path.join(self.folder, "%s-%d%s" % (kind, query_id, ext))
        made = self.made.setdefault(kind, [])
        made.append(path)
        while len(made) > KEEP_FILES:
            try:
                os.remove(made.pop(0))
            except OSError:
                pass  # still open elsewhere (Windows): goes with the folder
        return path


def serve_jobs(
    channel: Channel,
    stdin: Stdin,
    cancel_event: threading.Event,
    execute: Execute,
    job_temp: Callable[[Optional[str]], JobTemp],
) -> int:
    """A warm worker: run the jobs the shell sends, one after another, each answered as a one-job
    worker answers it (progress, log, then result, error or cancelled), so that what a job loaded
    (the model: engine/pipeline/common.open_model keeps the last one) serves the next. "cancel" and stop
    signals cancel the running job; "close" or the shell's end of the pipe ends the worker. A job
    that does not succeed ends it too: the shell never reuses a worker after an error."""
    import queue

    os.environ[WARM_WORKER] = "1"  # what a job loads may be kept for the next (engine/pipeline/common.open_model)
    jobs: queue.Queue[Optional[dict[str, Any]]] = queue.Queue()

    def handle(message: protocol.Message) -> bool:
        if message["type"] == protocol.JOB:
            jobs.put(message["job"])
        elif message["type"] == protocol.CANCEL:
            cancel_event.set()
        return bool(message["type"] == protocol.CLOSE)

    def read() -> None:
        read_shell(stdin, handle)
        cancel_event.set()
        jobs.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        job = jobs.get()
        if job is None or cancel_event.is_set():
            return EXIT_OK
        temp = job_temp(job.get("work_dir"))
        ctx = JobContext(
            on_progress=lambda f, s: channel.send(protocol.progress(f, s)),
            on_log=lambda m, lvl: channel.send(protocol.log(m, lvl)),
            cancel_event=cancel_event,
            work_dir=temp.path,
        )
        try:
            code = execute(job, ctx, channel.send)
            platforms.release_heap()  # the job's transient memory, back before the worker waits warm
        finally:
            temp.remove()
        if code != EXIT_OK:
            return code


def open_session(job: dict[str, Any], ctx: JobContext) -> tuple[ModuleType, Session]:
    i18n.use(job.get("locale"))  # the session's messages in the shell's language (engine/i18n.py)
    kind = job.get("kind")
    if kind not in SESSION_MODULES:
        raise UserError(tr("Unknown session kind %r.") % kind)
    from .jobs import limit_gdal_cache, load

    limit_gdal_cache()
    module = load(SESSION_MODULES[kind])
    return module, module.open_session(job, ctx)


def answer(
    module: ModuleType, session: Session, message: protocol.Message, files: Files, ctx: JobContext
) -> dict[str, Any]:
    """The result of one query (a dict), or raise UserError: the session's module answers it."""
    op, args, qid = message.get("op"), message.get("args") or {}, int(message.get("id") or 0)
    result: dict[str, Any] = module.answer(session, op, args, files, qid, ctx)
    return result


def serve_session(message: protocol.Message, channel: Channel, stdin: Stdin, ctx: JobContext, execute: Execute) -> int:
    """Open the session the message asks for, answer queries until closed; the exit code. Opening and
    every query run through the worker's `execute`, so their failures are reported as a job's are
    (a user's error, a missing package, memory, our bug); a failed query leaves the session open."""

    queries = Queries(channel.send)
    threading.Thread(target=read_queries, args=(stdin, queries, ctx.cancel_event), daemon=True).start()
    opened: list[tuple[ModuleType, Session]] = []

    def open_(job: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
        opened.append(open_session(job, ctx))
        platforms.release_heap()  # what loading read and dropped, back to the system while the session lives
        return opened[0][1].info()

    code = execute(message.get("session") or {}, ctx, _reply(channel, 0, errors_id=False), run=open_)
    if code != EXIT_OK:
        return code
    assert ctx.work_dir is not None  # the worker gives every session its temporary folder
    (module, session), files = opened[0], Files(ctx.work_dir)
    try:
        while True:
            query = queries.take()
            if query is None:
                return EXIT_OK
            qid = query.get("id")
            execute(
                query,
                JobContext(work_dir=ctx.work_dir),
                _reply(channel, qid),
                run=lambda message, qctx: answer(module, session, message, files, qctx),
            )
    finally:
        session.close()


def _reply(channel: Channel, qid: object, errors_id: bool = True) -> Report:
    """report() for execute: the result as the answer to query qid (with the worker's time), an
    error with the query's id (errors_id; without it: the session itself failed to open)."""
    t0 = time.perf_counter()

    def send(message: protocol.Message) -> None:
        if message["type"] == protocol.RESULT:
            result = dict(message["result"], worker_ms=round(1000 * (time.perf_counter() - t0), 2))
            message = {"type": protocol.ANSWER, "id": qid, "result": result}
        elif errors_id:
            message = dict(message, id=qid)
        channel.send(message)

    return send
