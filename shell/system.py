"""Platform decisions of the installer and the client (Windows, macOS, Linux), each a plain function
with the platform passed in, so every branch is tested on any machine. Standard library only.
"""

import ntpath
import os
import posixpath
import re
import shutil
import stat
import time
from collections.abc import Callable, Mapping
from typing import Any, Optional

from ..shared import partials
from .i18n import tr

# QGIS sets these for its own Python, GDAL and PROJ; the runtime's interpreter and its rasterio/pyproj
# wheels bring their own, and a foreign value breaks them (wrong stdlib, wrong proj.db).
QGIS_ONLY_VARIABLES = (
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONEXECUTABLE",
    "PROJ_LIB",
    "PROJ_DATA",
    "GDAL_DATA",
    "GDAL_DRIVER_PATH",
)
CREATE_NO_WINDOW = 0x08000000
Stamp = tuple[tuple[str, int, int], ...]  # runtime_stamp: (path, inode, mtime in ns) of the Python and its packages
# Windows NTSTATUS exit codes of a crashed process, as unsigned 32-bit numbers
WINDOWS_EXIT_CODES = {
    0xC0000005: tr(
        "an access violation (0xC0000005): a native library crashed; reinstall the runtime, "
        "and update the graphics driver if it happens on the GPU"
    ),
    0xC0000409: tr("a stack buffer overrun (0xC0000409): a native library aborted; reinstall the runtime"),
    0xC0000135: tr(
        "a missing DLL (0xC0000135, 3221225781): install the Microsoft Visual C++ "
        "Redistributable (x64) from Microsoft's website, then run the job again"
    ),
    0xC000001D: tr("an illegal instruction (0xC000001D): this CPU lacks an instruction the build needs"),
    0xC00000FD: tr("a stack overflow (0xC00000FD)"),
    0xC0000017: tr("out of memory (0xC0000017): use a smaller batch size or a smaller model"),
    0xC000013A: tr("Ctrl+C or the window was closed (0xC000013A)"),
}


def worker_env(env: Mapping[str, str], platform: str, pythonpath: str) -> dict[str, str]:
    """The environment for a runtime process: `env` without QGIS's Python/GDAL/PROJ variables, with
    PYTHONPATH = `pythonpath` only, UTF-8 output and no user site-packages."""
    out = clean_env(env)
    out["PYTHONPATH"] = pythonpath
    out["PYTHONIOENCODING"] = "utf-8"
    out["PYTHONNOUSERSITE"] = "1"
    return out


def clean_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without QGIS's Python, GDAL and PROJ variables (in any case: Windows ignores it)."""
    return {k: v for k, v in env.items() if k.upper() not in QGIS_ONLY_VARIABLES}


def runtime_stamp(python: str) -> Stamp:
    """What changes when the runtime is installed again or its packages change: the stat of its
    Python and of its site-packages folders (whose entries pip adds and removes). Standard library
    only; () when the Python is not there."""
    import glob

    root = os.path.dirname(os.path.dirname(os.path.abspath(python)))
    stamp: list[tuple[str, int, int]] = []
    for path in (
        [python]
        + sorted(glob.glob(os.path.join(root, "lib*", "python*", "site-packages")))
        + sorted(glob.glob(os.path.join(root, "Lib", "site-packages")))
    ):
        try:
            st = os.stat(path)
        except OSError:
            continue
        stamp.append((path, st.st_ino, st.st_mtime_ns))
    return tuple(stamp)


def popen_flags(platform: str) -> dict[str, Any]:
    """Keyword arguments for subprocess.Popen: no console window pops up on Windows."""
    return {"creationflags": CREATE_NO_WINDOW} if platform == "win32" else {}


def looks_like_path(text: str) -> bool:
    """True for an absolute or relative file path on any platform: '/x', 'a/b', 'C:\\x', 'C:/x',
    '\\\\server\\share'."""
    if not text or len(text) >= 4096 or "\n" in text:
        return False
    return "/" in text or "\\" in text or bool(re.match(r"^[A-Za-z]:", text))


def explain_exit_code(code: Optional[int], platform: str) -> str:
    """A sentence about a crashed process's exit code ('' when there is nothing to add)."""
    if code is None:
        return ""
    if platform == "win32":
        unsigned = code & 0xFFFFFFFF
        if unsigned in WINDOWS_EXIT_CODES:
            return tr(" Windows reports %s.") % WINDOWS_EXIT_CODES[unsigned]
        return ""
    return ""


def is_store_stub(path: str) -> bool:
    """The Microsoft Store 'python.exe' placeholder under WindowsApps opens the Store instead of
    running Python."""
    return "\\windowsapps\\" in path.replace("/", "\\").lower()


def base_python_candidates(
    platform: str,
    executable: str,
    prefix: str,
    base_prefix: str,
    minor: str,
    path_lookup: Callable[[str], Optional[str]],
) -> list[str]:
    """Pythons to create the runtime venv with, best first: QGIS's own interpreter, then a Python of
    that minor on PATH, then any python3. path_lookup(name) is shutil.which."""
    out: list[Optional[str]] = []
    if platform == "win32":  # sys.executable is qgis-bin.exe; python.exe is in the prefix
        for root in (prefix, base_prefix):
            out.append(ntpath.join(root, "python.exe"))
            out.append(ntpath.join(root, "python3.exe"))
        names = ["python%s" % minor, "python3", "python", "py"]
    elif platform == "darwin":  # QGIS.app/Contents/MacOS/bin/python3 or Contents/Frameworks/...
        for root in (prefix, base_prefix):
            out.append(posixpath.join(root, "bin", "python%s" % minor))
            out.append(posixpath.join(root, "bin", "python3"))
        if "/Contents/" in executable:
            contents = executable.split("/Contents/")[0] + "/Contents"
            out += [posixpath.join(contents, "MacOS", "bin", "python3"), posixpath.join(contents, "MacOS", "python3")]
        names = ["python%s" % minor, "python3"]
    else:
        out.append(posixpath.join("/usr/bin", "python%s" % minor))
        names = ["python%s" % minor, "python3"]
    if os.path.basename(executable).lower().startswith("python"):
        out.insert(0, executable)
    out += [path_lookup(name) for name in names]
    seen: set[str] = set()
    result: list[str] = []
    for candidate in out:
        if candidate and candidate not in seen and not (platform == "win32" and is_store_stub(candidate)):
            seen.add(candidate)
            result.append(candidate)
    return result


def no_python_message(platform: str, minor: str) -> str:
    if platform == "win32":
        where = (
            tr(
                "Install Python %s (64-bit) from python.org (not the Microsoft Store one) and tick "
                "'Add python.exe to PATH', or choose a python.exe in the 'Base Python' option."
            )
            % minor
        )
    elif platform == "darwin":
        where = tr(
            "Install Python %s from python.org (or Homebrew: brew install python@%s), or choose a "
            "python3 in the 'Base Python' option."
        ) % (minor, minor)
    else:
        where = (
            tr(
                "Install python%s and its venv module (Debian/Ubuntu: sudo apt install python3-venv), "
                "or choose one in the 'Base Python' option."
            )
            % minor
        )
    return tr("No Python to create the runtime with was found. ") + where


def remove_tree(path: str, attempts: int = 5, delay_s: float = 0.2) -> bool:
    """Delete a folder even when Windows holds a file open or a file is read-only: clear the read-only
    bit and retry, and when the folder still cannot go, rename it aside (a later call deletes it).
    Returns True when `path` is gone."""

    def make_writable(func: Callable[[str], object], target: str, _exc: object) -> None:
        try:
            os.chmod(target, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
            func(target)
        except OSError:
            pass

    for _ in range(attempts):
        if not os.path.lexists(path):
            return True
        shutil.rmtree(path, onerror=make_writable)
        if not os.path.lexists(path):
            return True
        time.sleep(delay_s)
    aside = "%s.old-%d" % (path, int(time.time() * 1000))
    try:
        os.rename(path, aside)
    except OSError:
        return False
    shutil.rmtree(aside, ignore_errors=True)
    return True


def pid_alive(pid: int, platform: str) -> bool:
    """Whether a process with this id runs (one implementation for both processes: shared/protocol.py)."""
    return partials.pid_alive(pid, platform)


class InstallBusy(Exception):
    """Another install of the same runtime runs."""


class InstallLock:
    """One install at a time: a file '<runtime>.install-lock' beside the runtime folder holding the
    installer's process id. A lock left by a process that no longer runs is taken over."""

    def __init__(
        self, venv_dir: str, platform: str, pid: Optional[int] = None, alive: Callable[[int, str], bool] = pid_alive
    ) -> None:
        self.path = venv_dir.rstrip("/\\") + ".install-lock"
        self.platform = platform
        self.pid = pid or os.getpid()
        self.alive = alive

    def acquire(self) -> "InstallLock":
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                other = self.holder()
                if other is not None and other != self.pid and self.alive(other, self.platform):
                    raise InstallBusy(
                        tr(
                            "Another install of this runtime is running (process %d). Wait for "
                            "it to finish (or stop it), then run this again. Lock file: %s"
                        )
                        % (other, self.path)
                    ) from None
                try:
                    os.remove(self.path)  # stale: its process is gone
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w") as f:
                f.write(str(self.pid))
            return self
        raise InstallBusy(tr("Could not take the install lock %s; delete it if no install runs.") % self.path)

    def holder(self) -> Optional[int]:
        try:
            with open(self.path, encoding="utf-8") as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self.holder() == self.pid:
            try:
                os.remove(self.path)
            except OSError:
                pass

    def __enter__(self) -> "InstallLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
