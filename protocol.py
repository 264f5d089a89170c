"""The worker protocol: the message types shared by the QGIS shell and the runtime worker.

Standard library only: this file is imported on both sides of the wall.

Transport: one JSON object per line. The shell writes to the worker's stdin, the worker writes to
its stdout (which carries nothing else; the worker sends library chatter to stderr).

shell -> worker
    {"type": "job", "protocol": 1, "job": {...job spec, see engine/jobs.py...}}
    {"type": "cancel"}
worker -> shell
    {"type": "hello", "protocol": 1, "pid": 123, "python": "3.11.2"}
    {"type": "progress", "fraction": 0.25, "stage": "infer"}      fraction in [0, 1] of the whole job
    {"type": "log", "level": "info"|"warning"|"debug", "message": "..."}
    {"type": "result", "result": {...}}
    {"type": "error", "message": "what went wrong and what to do", "kind": "user"|"internal",
     "detail": "traceback or extra text (internal errors)"}
    {"type": "cancelled"}

A worker runs exactly one job and then exits. Large arrays never travel through the pipe: they are
written to files (GeoTIFF/.npy) whose paths are in the job spec and the result.
"""
import json

PROTOCOL_VERSION = 1

JOB = "job"
CANCEL = "cancel"
HELLO = "hello"
PROGRESS = "progress"
LOG = "log"
RESULT = "result"
ERROR = "error"
CANCELLED = "cancelled"

WORKER_TYPES = (HELLO, PROGRESS, LOG, RESULT, ERROR, CANCELLED)
SHELL_TYPES = (JOB, CANCEL)


class ProtocolError(Exception):
    """A line that is not a valid protocol message."""


def encode(message):
    """One message as one line of JSON (with the trailing newline)."""
    if not isinstance(message, dict) or "type" not in message:
        raise ProtocolError("a message is a dict with a 'type'")
    return json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n"


def decode(line, allowed=None):
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


def job_message(job):
    return {"type": JOB, "protocol": PROTOCOL_VERSION, "job": job}


def progress(fraction, stage=""):
    return {"type": PROGRESS, "fraction": max(0.0, min(1.0, float(fraction))), "stage": stage}


def log(message, level="info"):
    return {"type": LOG, "level": level, "message": str(message)}


def error(message, kind="user", detail=""):
    return {"type": ERROR, "message": str(message), "kind": kind, "detail": str(detail)}


# -- partial outputs ------------------------------------------------------------------------------
# The worker writes each output under a temporary name beside its destination and renames it at the
# end. A worker that is killed (cancel grace expired, crash, out of memory) cannot clean up, so the
# shell removes what follows this one convention: ".<name>.<8 hex>.part<suffix>" beside <name>.
import os as _os
import re as _re
import uuid as _uuid


def partial_path(dest, suffix=None):
    """A fresh temporary name beside dest; suffix defaults to dest's extension (GDAL picks drivers by it)."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    if suffix is None:
        suffix = _os.path.splitext(name)[1]
    return _os.path.join(folder, ".%s.%s.part%s" % (name, _uuid.uuid4().hex[:8], suffix))


def partials_of(dest):
    """Paths (files or folders) of leftover partial outputs of one destination."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    pattern = _re.compile(r"^\.%s\.[0-9a-f]{8}\.part" % _re.escape(name))
    try:
        entries = _os.listdir(folder)
    except OSError:
        return []
    return [_os.path.join(folder, e) for e in entries if pattern.match(e)]
