"""Device and thread selection."""

import os
from typing import Optional, Union

import torch

from ..engine.i18n import tr
from ..shared.catalogue import DEFAULT_BATCH, DEVICE_NAMES, DEVICE_ORDER, DEVICES
from ..shared.errors import UserError


def _cuda_unavailable_reason() -> str:
    if getattr(torch.version, "cuda", None) is None and getattr(torch.version, "hip", None) is None:
        return "this PyTorch build has no CUDA support (CPU-only build)"
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return "CUDA_VISIBLE_DEVICES=%r hides all GPUs" % visible
    try:
        count = torch.cuda.device_count()
    except Exception as exc:  # pragma: no cover
        return "CUDA initialisation failed (%s)" % exc
    if count == 0:
        return (
            "PyTorch was built with CUDA %s but no CUDA device is visible (no NVIDIA GPU, "
            "or the driver is missing or too old)" % torch.version.cuda
        )
    return "CUDA is not usable"


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    try:
        return bool(mps and mps.is_available())
    except Exception:  # pragma: no cover
        return False


def _mps_unavailable_reason() -> str:
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_built():
        return "this PyTorch build has no MPS (Apple GPU) support"
    return "MPS is not available (it needs macOS 12.3+ on Apple silicon)"


# each device of catalogue.DEVICES but "auto": whether it is usable here, and why not
_USABLE = {"cuda": lambda: torch.cuda.is_available(), "mps": lambda: _mps_available(), "cpu": lambda: True}
_WHY_NOT = {"cuda": lambda: _cuda_unavailable_reason(), "mps": lambda: _mps_unavailable_reason()}


def resolve_device(requested: Optional[str] = "auto") -> tuple[torch.device, str]:
    """(torch.device, message). auto = the first usable of catalogue.DEVICE_ORDER (cuda > mps > cpu). A
    requested cuda/mps that is unavailable falls back to CPU with a warning message saying why; message
    is '' when nothing to say."""
    req = (requested or "auto").strip().lower()
    base = "cuda" if req.startswith("cuda:") else req
    if base not in DEVICES:
        raise UserError(tr("Unknown device %r; use one of: %s.") % (requested, ", ".join(DEVICES)))
    if base == "auto":
        base = next(name for name in DEVICE_ORDER if _USABLE[name]())
    if _USABLE[base]():
        return torch.device(req if req.startswith("cuda:") else base), ""
    return torch.device("cpu"), (
        "%s was requested but %s; running on the CPU instead (slower)." % (DEVICE_NAMES[base], _WHY_NOT[base]())
    )


def default_batch_size(device: Union[str, torch.device]) -> int:
    return DEFAULT_BATCH.get(torch.device(device).type, DEFAULT_BATCH["cpu"])


def set_threads(threads: Optional[int]) -> int:
    """Set torch's intra-op thread count when given (> 0); returns the count in effect."""
    if threads:
        n = int(threads)
        if n < 1:
            raise UserError(tr("The thread count must be at least 1 (got %s).") % threads)
        torch.set_num_threads(n)
    return torch.get_num_threads()


def cpu_count() -> int:
    """The cores this process may run on (its affinity where the OS says, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_ahead(device: Union[str, torch.device]) -> bool:
    """Whether reading the next chips in a thread beside the model is free: the model runs on a
    GPU, or torch leaves a core unused. When torch's threads take every core, a reader beside them
    slows every parallel step (engine/pipeline/prefetch.py), so the pipeline reads in turn instead."""
    return torch.device(device).type != "cpu" or torch.get_num_threads() < cpu_count()


def read_threads(device: Union[str, torch.device]) -> int:
    """GDAL's threads for decoding the chips' blocks: every core when the reads run in turn with a CPU
    model (it waits meanwhile) or beside a GPU model, else the cores torch leaves free."""
    if torch.device(device).type != "cpu" or not read_ahead(device):
        return cpu_count()
    return max(1, cpu_count() - torch.get_num_threads())
