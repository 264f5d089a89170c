"""Which platforms and Pythons have a runtime lock, and the lock for an interpreter.

Pure functions of the platform passed in (sys.platform, machine, pointer bits, Python minor), so the
choices for Windows, macOS and Linux are tested on any machine. scripts/lock_runtime.py writes one
lock per (platform, Python) named here. Standard library only.
"""

import ctypes
import os
import platform
import struct
import sys
from typing import Optional

from .i18n import tr

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the plugin's folder (the package root)
REQUIREMENTS_DIR = os.path.join(PLUGIN_DIR, "requirements")
# lock platform name -> (sys.platform, machine) it serves
PLATFORMS = {
    "linux-x86_64": ("linux", "x86_64"),
    "linux-aarch64": ("linux", "aarch64"),
    "windows-x86_64": ("win32", "x86_64"),
    "macos-arm64": ("darwin", "arm64"),
}
PYTHONS = ("3.11", "3.12", "3.13")
_MACHINES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "x86-64": "x86_64",
    "arm64": "aarch64",
    "aarch64": "aarch64",
    "aarch64_be": "aarch64",
}


class Unsupported(Exception):
    """No lock for this interpreter; the message names what is supported and what to do."""


def normal_machine(machine: Optional[str]) -> str:
    machine = (machine or "").lower()
    return _MACHINES.get(machine, machine)


def supported_text() -> str:
    names = ", ".join(PLATFORMS)
    return tr("The runtime has locks for %s, each with Python %s.") % (names, ", ".join(PYTHONS))


def platform_name(sys_platform: str, machine: Optional[str], bits: int = 64) -> str:
    """The lock platform name for an interpreter, or Unsupported with the reason and the fix."""
    machine = normal_machine(machine)
    if bits != 64:
        raise Unsupported(
            tr(
                "This is a %d-bit Python; PyTorch exists for 64-bit Pythons only. Install "
                "the 64-bit QGIS (or a 64-bit Python). %s"
            )
            % (bits, supported_text())
        )
    if sys_platform == "darwin" and machine == "x86_64":
        raise Unsupported(
            tr(
                "Intel Macs (macOS x86_64) are not supported: PyTorch has published no "
                "build for them since torch 2.2, and terratorch needs a newer one. Use a Mac "
                "with Apple silicon running the arm64 QGIS (not under Rosetta), or point the "
                "runtime setting at a Python environment you made yourself. "
            )
            + supported_text()
        )
    for name, (plat, mach) in PLATFORMS.items():
        if sys_platform.startswith(plat) and normal_machine(mach) == machine:
            return name
    raise Unsupported(
        tr(
            "There is no runtime lock for %s on %s. %s Point the runtime setting at a "
            "Python environment you made yourself (see docs/RUNTIME.md)."
        )
        % (sys_platform, machine or tr("an unknown machine"), supported_text())
    )


def lock_name(sys_platform: str, machine: Optional[str], python: "str | tuple[int, ...]", bits: int = 64) -> str:
    """The lock file name for an interpreter, e.g. runtime-linux-x86_64-py3.11.lock.
    python: 'X.Y' or a (major, minor) tuple."""
    name = platform_name(sys_platform, machine, bits)
    if not isinstance(python, str):
        python = "%d.%d" % tuple(python[:2])
    if python not in PYTHONS:
        raise Unsupported(
            tr(
                "Python %s has no runtime lock; the runtime needs Python %s. Install one of "
                "those (QGIS's own Python is used when it is one of them) and choose it in "
                "the 'Base Python' option."
            )
            % (python, ", ".join(PYTHONS))
        )
    return "runtime-%s-py%s.lock" % (name, python)


def current() -> "tuple[str, str, str, int]":
    """(sys.platform, machine, Python 'X.Y', pointer bits) of the running interpreter."""
    return (sys.platform, platform.machine(), "%d.%d" % sys.version_info[:2], struct.calcsize("P") * 8)


def lock_path(
    sys_platform: Optional[str] = None,
    machine: Optional[str] = None,
    python: Optional[str] = None,
    bits: Optional[int] = None,
) -> str:
    """The lock for the given interpreter (default: the running one); Unsupported when none."""
    now = current()
    name = lock_name(sys_platform or now[0], machine or now[1], python or now[2], bits or now[3])
    return os.path.join(REQUIREMENTS_DIR, name)


def memory(meminfo: Optional[str] = None) -> "tuple[Optional[int], Optional[int]]":
    """(available, total) bytes of memory, from Linux's /proc/meminfo (or its text, meminfo); (None,
    None) where it cannot be read (other systems): callers then skip their memory checks."""
    if meminfo is None:
        try:
            with open("/proc/meminfo", encoding="ascii") as f:
                meminfo = f.read()
        except OSError:
            return None, None
    values: dict[str, int] = {}
    for line in meminfo.splitlines():
        name, _, rest = line.partition(":")
        if rest.split():
            values[name] = int(rest.split()[0]) * 1024
    return values.get("MemAvailable"), values.get("MemTotal")


def release_heap(sys_platform: str = sys.platform) -> bool:
    """Give the memory a process freed back to the system (glibc keeps freed heap for reuse: after loading
    a grid for Explore, about 300 MB of a 500 x 500 x 768 grid's transient reads stayed). Linux with glibc
    only (`malloc_trim`); Windows' and macOS's allocators return large blocks themselves, and musl has no
    such call. True when memory was returned."""
    if not sys_platform.startswith("linux"):
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False
