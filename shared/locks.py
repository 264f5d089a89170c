"""Which packages a runtime gets: the lock files of requirements/ (exact pins, one per platform and
Python), the torch build (CPU or CUDA) that changes a few of them, and how a runtime differs from them.

Standard library only: used by the installer (install.py), by `--check`, and by the worker's
'environment' job, which compares the runtime it runs in with its lock.
"""

import os
import re
import shutil
import sys
from collections.abc import Mapping
from typing import Optional

from . import platforms
from .i18n import tr, translatable

REQUIREMENTS_DIR = platforms.REQUIREMENTS_DIR
MARKER = "terraembed-runtime.json"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CUDA_TAG = "cu130"  # the CUDA 13.0 build, as in PyPI's Linux wheels
CUDA_INDEX = "https://download.pytorch.org/whl/" + CUDA_TAG
# packages that only the CUDA build of torch needs
CUDA_ONLY_PREFIXES = ("nvidia-", "cuda-", "triton")
VARIANTS = ("auto", "cpu", "cuda")
Pins = dict[str, tuple[str, str]]  # normalised name -> (name, version)
Interpreter = tuple[str, str, str, int]  # platforms.current(): (sys.platform, machine, Python 'X.Y', bits)


class InstallError(Exception):
    """The runtime could not be installed; the message says why and what to do."""


# The runtime's packages the worker's jobs import (distribution names): reported by version (the
# environment check) and named when missing (a job file run with another Python).
PACKAGES = (
    "torch",
    "torchvision",
    "terratorch",
    "huggingface_hub",
    "earthengine-api",
    "numpy",
    "rasterio",
    "scikit-learn",
)


def lock_path(dev: bool = False, interpreter: Optional[Interpreter] = None) -> str:
    """dev.lock, or the runtime lock for an interpreter given as platforms.current() gives it (default:
    the running one). A platform or Python without a lock gives a path that does not exist;
    platforms.lock_name says why."""
    if dev:
        return os.path.join(REQUIREMENTS_DIR, "dev.lock")
    sys_platform, machine, python, bits = interpreter or platforms.current()
    try:
        return os.path.join(REQUIREMENTS_DIR, platforms.lock_name(sys_platform, machine, python, bits))
    except platforms.Unsupported:
        return os.path.join(
            REQUIREMENTS_DIR, "runtime-%s-%s-py%s.lock" % (sys_platform, platforms.normal_machine(machine), python)
        )


def read_lock(path: str) -> Pins:
    """{normalised name: (name, version)} from a lock file of `name==version` lines."""
    pins: Pins = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "==" not in line:
                raise InstallError(tr("%s: not an exact pin: %r") % (path, line))
            name, version = (part.strip() for part in line.split("==", 1))
            pins[normalise(name)] = (name, version)
    return pins


def normalise(name: str) -> str:
    """A distribution name in its PEP 503 normal form: runs of '-', '_' and '.' become one '-',
    lower case ('Scikit_Learn' and 'scikit--learn' are both 'scikit-learn')."""
    return re.sub(r"[-_.]+", "-", name).lower()


def nvidia_driver_present() -> bool:
    return os.path.exists("/proc/driver/nvidia/version") or shutil.which("nvidia-smi") is not None


def choose_variant(requested: str = "auto") -> str:
    if requested not in VARIANTS:
        raise InstallError(tr("Unknown torch build %r; use one of %s.") % (requested, ", ".join(VARIANTS)))
    if requested != "auto":
        return requested
    return "cuda" if nvidia_driver_present() else "cpu"


def variant_pins(pins: Pins, variant: str, platform: str = sys.platform) -> Pins:
    """The pins for a torch build. Linux: `cpu` swaps torch/torchvision for the +cpu builds and drops
    the packages only the CUDA build needs. Windows: PyPI's torch is the CPU build, `cuda` swaps in the
    +cu130 builds of the PyTorch CUDA index. macOS: PyPI's build (CPU and Apple GPU) for both."""
    if platform == "darwin" or (variant == "cuda") == (platform != "win32"):
        return dict(pins)
    if platform == "win32":
        suffix, out = "+" + CUDA_TAG, dict(pins)
    else:
        suffix, out = "+cpu", {k: v for k, v in pins.items() if not k.startswith(CUDA_ONLY_PREFIXES)}
    for key in ("torch", "torchvision"):
        if key in out:
            name, version = out[key]
            out[key] = (name, version.split("+")[0] + suffix)
    return out


def lock_for(interpreter: Interpreter) -> str:
    """The lock path for an interpreter, or InstallError saying which platforms and Pythons have one."""
    try:
        platforms.lock_name(*interpreter)
    except platforms.Unsupported as exc:
        raise InstallError(str(exc)) from exc
    return lock_path(interpreter=interpreter)


CUDA_INDEX_NOTE = translatable(
    "PyPI's torch for Windows runs on the CPU only; the CUDA build comes only from the "
    "PyTorch CUDA index (https://download.pytorch.org/whl/), which could not be reached."
)


def pypi_variant(platform: str) -> str:
    """The torch build PyPI's wheels are, used when the PyTorch index cannot be reached."""
    return "cpu" if platform == "win32" else "cuda"


def index_failure_note(platform: str) -> str:
    if platform == "win32":
        return tr(CUDA_INDEX_NOTE)
    return (
        tr("The PyTorch CPU index (%s) could not be used; PyPI's build also runs on the CPU, it is only larger")
        % CPU_INDEX
    )


def lock_differences(pins: Pins, installed: Mapping[str, str]) -> list[str]:
    """Lines describing every difference between the pins and what is installed."""
    problems = []
    for key, (name, version) in sorted(pins.items()):
        have = installed.get(key)
        if have is None:
            problems.append(tr("missing: %s==%s") % (name, version))
        elif have != version:
            problems.append(tr("wrong version: %s %s (lock: %s)") % (name, have, version))
    for key in sorted(set(installed) - set(pins) - {"pip", "setuptools", "wheel"}):
        problems.append(tr("not in the lock: %s %s") % (key, installed[key]))
    return problems
