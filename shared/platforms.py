"""Which platforms and Pythons have a runtime lock, and the lock for an interpreter.

Pure functions of the platform passed in (sys.platform, machine, pointer bits, Python minor), so the
choices for Windows, macOS and Linux are tested on any machine. scripts/lock_runtime.py writes one
lock per (platform, Python) named here. The machine's memory (`memory`), read the way each system
says it, each reading's parser a function of the text or structure passed in. Standard library only.
"""

import ctypes
import os
import platform
import re
import struct

# B404: sysctl and vm_stat (macOS) run with argument lists, never a shell
import subprocess  # nosec B404
import sys
from collections.abc import Callable
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


Memory = tuple[Optional[int], Optional[int]]  # (available, total) bytes; (None, None): not known
_SYSCTL, _VM_STAT = "/usr/sbin/sysctl", "/usr/bin/vm_stat"  # macOS's own tools, by absolute path


def memory(sys_platform: Optional[str] = None) -> Memory:
    """(available, total) bytes of physical memory on this machine (sys_platform: default sys.platform):
    Linux's /proc/meminfo, Windows' GlobalMemoryStatusEx, macOS's sysctl hw.memsize and vm_stat. (None,
    None) on other systems or when reading fails: callers then skip their memory checks."""
    name = sys.platform if sys_platform is None else sys_platform
    reader = _READERS.get("linux" if name.startswith("linux") else name)
    if reader is None:
        return None, None
    try:
        return reader()
    except (OSError, ValueError, AttributeError, subprocess.SubprocessError):
        return None, None


def linux_memory(meminfo: str) -> Memory:
    """(MemAvailable, MemTotal) in bytes from the text of Linux's /proc/meminfo (None for a missing one)."""
    values: dict[str, int] = {}
    for line in meminfo.splitlines():
        name, _, rest = line.partition(":")
        if rest.split():
            values[name] = int(rest.split()[0]) * 1024
    return values.get("MemAvailable"), values.get("MemTotal")


class MemoryStatusEx(ctypes.Structure):
    """Windows' MEMORYSTATUSEX (sysinfoapi.h): 64 bytes, filled by GlobalMemoryStatusEx."""

    _fields_ = [
        ("dwLength", ctypes.c_uint32),
        ("dwMemoryLoad", ctypes.c_uint32),
        ("ullTotalPhys", ctypes.c_uint64),
        ("ullAvailPhys", ctypes.c_uint64),
        ("ullTotalPageFile", ctypes.c_uint64),
        ("ullAvailPageFile", ctypes.c_uint64),
        ("ullTotalVirtual", ctypes.c_uint64),
        ("ullAvailVirtual", ctypes.c_uint64),
        ("ullAvailExtendedVirtual", ctypes.c_uint64),
    ]


def windows_memory(status: MemoryStatusEx) -> Memory:
    """(available, total) physical bytes of a MEMORYSTATUSEX that GlobalMemoryStatusEx filled."""
    total, available = int(status.ullTotalPhys), int(status.ullAvailPhys)
    if total <= 0 or not 0 <= available <= total:
        raise ValueError("MEMORYSTATUSEX says %d bytes available of %d" % (available, total))
    return available, total


def macos_memory(memsize: str, vm_stat: str) -> Memory:
    """(available, total) bytes from macOS's `sysctl hw.memsize` (with or without -n) and `vm_stat`: the
    total is hw.memsize, the available the free, inactive, speculative and purgeable pages times the page
    size vm_stat states (the pages the system hands out without swapping). ValueError on other text."""
    total = int(memsize.strip().rpartition(":")[2])
    page = re.search(r"page size of (\d+) bytes", vm_stat)
    counts: dict[str, int] = {}
    for line in vm_stat.splitlines():
        name, _, rest = line.partition(":")
        if rest.strip().rstrip(".").isdigit():
            counts[name.strip().strip('"')] = int(rest.strip().rstrip("."))
    if page is None or "Pages free" not in counts or "Pages inactive" not in counts or total <= 0:
        raise ValueError("not the output of vm_stat and sysctl hw.memsize")
    kinds = ("Pages free", "Pages inactive", "Pages speculative", "Pages purgeable")
    available = sum(counts.get(kind, 0) for kind in kinds) * int(page.group(1))
    return min(available, total), total


def _linux() -> Memory:
    with open("/proc/meminfo", encoding="ascii") as f:
        return linux_memory(f.read())


def _windows() -> Memory:
    if sys.platform != "win32":
        raise OSError("GlobalMemoryStatusEx is a Windows function")
    status = MemoryStatusEx()
    status.dwLength = ctypes.sizeof(MemoryStatusEx)
    if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        raise OSError("GlobalMemoryStatusEx failed")
    return windows_memory(status)


def _output(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=True)  # nosec B603
    return done.stdout


def _macos() -> Memory:
    return macos_memory(_output(_SYSCTL, "-n", "hw.memsize"), _output(_VM_STAT))


_READERS: dict[str, Callable[[], Memory]] = {"linux": _linux, "win32": _windows, "darwin": _macos}


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
