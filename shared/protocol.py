"""The worker protocol: the message types shared by the QGIS shell and the runtime worker.

Standard library only: this file is imported on both sides of the wall.

Transport: one JSON object per line. The shell writes to the worker's stdin, the worker writes to
its stdout (which carries nothing else; the worker sends library chatter to stderr).

shell -> worker
    {"type": "job", "protocol": 2, "job": {...job, see engine/jobs.py...}}
    {"type": "cancel"}
worker -> shell
    {"type": "hello", "protocol": 2, "pid": 123, "python": "3.11.2"}
    {"type": "progress", "fraction": 0.25, "stage": "infer"}      fraction in [0, 1] of the whole job
    {"type": "log", "level": "info"|"warning"|"debug", "message": "..."}
    {"type": "result", "result": {...}}
    {"type": "error", "message": "what went wrong and what to do", "kind": "user"|"internal",
     "detail": "traceback or extra text (internal errors)"}
    {"type": "cancelled"}

A worker started with a "job" runs that one job and exits. Large arrays never travel through the
pipe: they are written to files (GeoTIFF/.npy) whose paths are in the job and the result.

A session (engine/session.py) instead keeps its data in the worker: {"kind": "jobs"} runs job after job
(job, cancel and close lines in; each job answered as above; the panel's warm worker), and
{"kind": "explore"} answers many questions:
shell -> worker
    {"type": "session", "protocol": 2, "session": {"kind": "explore", "input": path, ...}}  (first line)
    {"type": "query", "id": 7, "op": "similarity", "args": {...}}
    {"type": "close"}                        (or the shell's end of the pipe closing)
worker -> shell
    hello, progress and log as above while it opens, then
    {"type": "answer", "id": 0, "result": {...facts of the session...}}   opened
    {"type": "answer", "id": 7, "result": {...}}
    {"type": "superseded", "id": 7}          a newer query of the same op came before 7 started
    {"type": "error", "id": 7, "message": ..., "kind": ...}   (without "id": the session failed)
"""

import json
from typing import Any as _Any
from typing import Optional as _Optional

PROTOCOL_VERSION = 2
Message = dict[str, _Any]  # one JSON object with a "type"

JOB = "job"
CANCEL = "cancel"
HELLO = "hello"
PROGRESS = "progress"
LOG = "log"
RESULT = "result"
ERROR = "error"
CANCELLED = "cancelled"
SESSION = "session"
QUERY = "query"
CLOSE = "close"
ANSWER = "answer"
SUPERSEDED = "superseded"

WORKER_TYPES = (HELLO, PROGRESS, LOG, RESULT, ERROR, CANCELLED, ANSWER, SUPERSEDED)
SHELL_TYPES = (JOB, CANCEL, SESSION, QUERY, CLOSE)


class ProtocolError(Exception):
    """A line that is not a valid protocol message."""


def encode(message: Message) -> str:
    """One message as one line of JSON (with the trailing newline)."""
    if not isinstance(message, dict) or "type" not in message:
        raise ProtocolError("a message is a dict with a 'type'")
    return json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n"


def decode(line: "str | bytes", allowed: _Optional["tuple[str, ...]"] = None) -> Message:
    """Parse one line; raise ProtocolError if it is not a message of an allowed type."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    line = line.strip()
    try:
        message = json.loads(line)
    except ValueError as exc:
        raise ProtocolError("not JSON: %r" % line[:200]) from exc
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("not a message: %r" % line[:200])
    if allowed is not None and message["type"] not in allowed:
        raise ProtocolError("unexpected message type %r" % message["type"])
    return message


def job_message(job: dict[str, _Any]) -> Message:
    return {"type": JOB, "protocol": PROTOCOL_VERSION, "job": job}


def session_message(session: dict[str, _Any]) -> Message:
    return {"type": SESSION, "protocol": PROTOCOL_VERSION, "session": session}


def query(query_id: int, op: str, args: dict[str, _Any]) -> Message:
    return {"type": QUERY, "id": query_id, "op": op, "args": args}


def progress(fraction: float, stage: str = "") -> Message:
    return {"type": PROGRESS, "fraction": max(0.0, min(1.0, float(fraction))), "stage": stage}


def log(message: object, level: str = "info") -> Message:
    return {"type": LOG, "level": level, "message": str(message)}


def error(message: object, kind: str = "user", detail: object = "") -> Message:
    return {"type": ERROR, "message": str(message), "kind": kind, "detail": str(detail)}
