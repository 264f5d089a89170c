"""Partial-file naming and the liveness of runs: every output is written under a partial name beside its
destination (or a job's temp folder in the system's) and renamed at the end; the name says which run
wrote it, so a later run removes the leftovers of runs that are over and never a live run's files.
Standard library only: both processes load it."""

import hashlib as _hashlib
import os as _os
import re as _re
import shutil
import socket as _socket
import sys as _sys
import tempfile
import uuid as _uuid
from typing import Callable as _Callable
from typing import Optional as _Optional

# Every output is written under a partial name beside its destination and renamed at the end
# (shared/transaction.py). The name carries the run's owner, so that a later run, or the panel's clean-up,
# removes what a run killed outright (SIGKILL, power loss) left, and never a file of a LIVE run:
#     .<name>.<run>.part<suffix>     an output being written
#     .<name>.<run>.keep<suffix>     the previous <name>, kept while a commit replaces it
#     .<name>.<run>.journal          what a commit is doing (shared/transaction.py): a killed commit is undone
#                                    or finished from it
# A <name> too long for the file system's name limit with the rest is cut, ending in "~" and a hash
# of the whole name (partial_path, names_match).
# <run> = "<6 hex random>-<pid>-<6 hex of the host name>": the process whose death ends the run.
# Job temp folders are "terraembed-<run>-<random>" in the temp folder. Names of the older form
# ".<name>.<8 hex>.part<suffix>" (no owner) are leftovers of an older version, always stale.

_TOKEN = r"(?:[0-9a-f]{6}-(?P<pid>[0-9]+)-(?P<host>[0-9a-f]{6})|[0-9a-f]{8})"
_ENTRY = _re.compile(r"^\.(?P<name>.+)\.(?P<run>%s)\.(?P<kind>part|keep|journal)" % _TOKEN)
_TEMP_DIR = _re.compile(r"^terraembed-(?P<run>%s)-" % _TOKEN)


def _host_tag(host: _Optional[str] = None) -> str:
    return _hashlib.sha1((host or _socket.gethostname()).encode("utf-8"), usedforsecurity=False).hexdigest()[:6]


def run_token(pid: _Optional[int] = None) -> str:
    """A new run id owned by process `pid` (default: this process)."""
    return "%s-%d-%s" % (_uuid.uuid4().hex[:6], _os.getpid() if pid is None else pid, _host_tag())


def partial_path(
    dest: str,
    run: _Optional[str] = None,
    suffix: _Optional[str] = None,
    kind: str = "part",
    name_max: _Optional[int] = None,
) -> str:
    """The partial name of dest for one run; suffix defaults to dest's extension (GDAL and OGR pick
    drivers by it). The name fits name_max bytes (default: the limit of dest's file system) whenever
    dest's name does: a long name is cut, with room left for a sidecar such as .aux.xml."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    if suffix is None:
        suffix = _os.path.splitext(name)[1]
    tail = ".%s.%s%s" % (run or run_token(), kind, suffix)
    limit = name_limit(folder) if name_max is None else name_max
    if len(("." + name + tail).encode("utf-8")) > limit:
        name = _cut_name(name, limit - len(SIDECAR_ROOM) - len(("." + tail).encode("utf-8")))
    return _os.path.join(folder, "." + name + tail)


SIDECAR_ROOM = ".aux.xml"  # the longest sidecar GDAL writes beside a partial
_CUT_MARK = "~"


def _name_hash(name: str) -> str:
    return _hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]


def _cut_name(name: str, nbytes: int) -> str:
    """name cut to nbytes (UTF-8), ending in ~<hash of the whole name>."""
    mark = _CUT_MARK + _name_hash(name)
    head = name.encode("utf-8")[: max(1, nbytes - len(mark))].decode("utf-8", errors="ignore")
    return head + mark


def names_match(entry_name: str, name: str) -> bool:
    """Whether the <name> part of a partial, kept or journal file stands for the file name `name`."""
    if entry_name == name:
        return True
    head, mark, digest = entry_name.rpartition(_CUT_MARK)
    return bool(mark) and digest == _name_hash(name) and name.startswith(head)


def name_limit(folder: str) -> int:
    """The longest file name (bytes) the file system of folder (or of its nearest existing parent)
    takes; 255 where it cannot be asked (Windows, a folder not reachable)."""
    probe = _os.path.abspath(folder)
    while not _os.path.isdir(probe) and _os.path.dirname(probe) != probe:
        probe = _os.path.dirname(probe)
    try:
        return int(_os.pathconf(probe, "PC_NAME_MAX"))  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError, ValueError):
        return 255


def pid_alive(
    pid: int, platform: _Optional[str] = None, state: "_Optional[_Callable[[int], _Optional[str]]]" = None
) -> bool:
    """Whether process pid runs on this machine. A zombie (exited, not yet reaped by its parent:
    state "Z" on Linux) is over. state(pid): the process's state letter, or None when unknown
    (default: read from /proc on Linux)."""
    platform = platform or _sys.platform
    if pid <= 0:
        return False
    if platform.startswith("win"):
        import ctypes  # OpenProcess + GetExitCodeProcess: os.kill would terminate the process

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        _os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but owned by another user
        pass
    if state is None:
        state = _linux_state if platform.startswith("linux") else (lambda pid: None)
    return state(pid) not in ("Z", "X")  # zombie, dead


def _linux_state(pid: int) -> _Optional[str]:
    """The state letter of /proc/<pid>/stat (after the command name, which may hold ") ")."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            text = f.read().decode("ascii", errors="replace")
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()
    return fields[0] if fields else None


def run_alive(match: "_re.Match[str]") -> bool:
    """Whether the run named in a parsed entry may still be writing (unknown hosts count as alive)."""
    if match.group("pid") is None:
        return False  # old naming: no owner, from an older version
    if match.group("host") != _host_tag():
        return True  # another machine's run (a shared folder): cannot tell, keep it
    pid = int(match.group("pid"))
    return pid == _os.getpid() or pid_alive(pid)


def parse_entry(name: str) -> "_Optional[_re.Match[str]]":
    """The match of a partial or kept file name (groups name, run, kind), or None."""
    return _ENTRY.match(name)


def parse_temp_dir(name: str) -> "_Optional[_re.Match[str]]":
    return _TEMP_DIR.match(name)


def partials_of(dest: str, run: _Optional[str] = None) -> list[str]:
    """Paths of partial outputs of one destination: those of `run` (when given) and those whose run
    is over. Never those of another live run."""
    folder, name = _os.path.split(_os.path.abspath(dest))
    try:
        entries = _os.listdir(folder)
    except OSError:
        return []
    found: list[str] = []
    for entry in entries:
        m = _ENTRY.match(entry)
        if not (m and m.group("kind") == "part" and names_match(m.group("name"), name)):
            continue
        if m.group("run") == run or not run_alive(m):
            found.append(_os.path.join(folder, entry))
    return found


def clean_stale_temp(tempdir: _Optional[str] = None) -> list[str]:
    """Remove the job temp folders (terraembed-<run>-...) of runs that are over. Returns their paths."""
    tempdir = tempdir or tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = _os.listdir(tempdir)
    except OSError:
        return removed
    for entry in entries:
        m = parse_temp_dir(entry)
        path = _os.path.join(tempdir, entry)
        if m and not run_alive(m) and _os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def job_temp_dir(run: str, tempdir: _Optional[str] = None) -> str:
    """A new job temp folder owned by `run` (its name lets clean_stale_temp recognise it)."""
    clean_stale_temp(tempdir)
    return tempfile.mkdtemp(prefix="terraembed-%s-" % run, dir=tempdir)
