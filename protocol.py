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
# Every output is written under a temporary name beside its destination and renamed at the end. A
# process that is killed (cancel grace expired, crash, out of memory, SIGKILL, power loss) cannot clean
# up, so its leftovers follow one convention, ".<name>.<pid>-<8 hex>.part<suffix>" beside <name>: the
# shell removes a killed worker's partials at once, and every later run that writes <name> removes the
# partials whose writer (the pid) no longer runs, never those of a live run.
import errno as _errno
import os as _os
import re as _re
import sys as _sys
import uuid as _uuid


def partial_path(dest, suffix=None):
    """A fresh temporary name beside dest; suffix defaults to dest's extension (GDAL picks drivers by it)."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    if suffix is None:
        suffix = _os.path.splitext(name)[1]
    return _os.path.join(folder, ".%s.%d-%s.part%s" % (name, _os.getpid(), _uuid.uuid4().hex[:8], suffix))


def _partial_pattern(name):
    # the pid is optional: partials of TerraEmbed 0.1 had only the 8 hex digits
    return _re.compile(r"^\.%s\.(?:(\d+)-)?[0-9a-f]{8}\.part" % _re.escape(name))


def partials_of(dest):
    """Paths (files or folders) of leftover partial outputs of one destination."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    pattern = _partial_pattern(name)
    try:
        entries = _os.listdir(folder)
    except OSError:
        return []
    return [_os.path.join(folder, e) for e in entries if pattern.match(e)]


def process_alive(pid, platform=None):
    """Whether a process with this id runs on this machine (Windows: OpenProcess; elsewhere: signal 0)."""
    platform = platform or _sys.platform
    if pid <= 0:
        return False
    if platform == "win32":
        import ctypes
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        _os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == _errno.EPERM
    return True


def stale_partials_of(dest):
    """The partials of dest whose writer no longer runs (its pid is gone, or it predates pids)."""
    name = _os.path.basename(_os.path.abspath(dest))
    pattern = _partial_pattern(name)
    stale = []
    for path in partials_of(dest):
        pid = pattern.match(_os.path.basename(path)).group(1)
        if pid is None or (int(pid) != _os.getpid() and not process_alive(int(pid))):
            stale.append(path)
    return stale


SIDECARS = (".aux.xml", ".msk")   # GDAL's files beside a raster, renamed and removed with it


def commit_partial(temp, final):
    """Rename a finished partial output (and its sidecars) into place."""
    _os.replace(temp, final)
    for sidecar in SIDECARS:
        if _os.path.exists(temp + sidecar):
            _os.replace(temp + sidecar, final + sidecar)


def discard_partial(temp):
    """Remove a partial output and its sidecars."""
    remove_paths([temp] + [temp + sidecar for sidecar in SIDECARS])


def remove_paths(paths):
    """Remove files or folders; what cannot be removed is left (the next run tries again)."""
    import shutil
    for path in paths:
        if _os.path.isdir(path) and not _os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
            continue
        try:
            _os.remove(path)
        except OSError:
            pass
