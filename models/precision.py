"""Which precision a model runs in: the job's choice (catalogue.PRECISIONS) against the device.

'auto' (the default) is bf16 where the hardware computes it natively, fp32 everywhere else:
- a CPU with AVX512-BF16 or AMX (Intel Xeon from Cooper/Sapphire Rapids on, AMD Zen 4 and newer):
  its bf16 matrix products run about 2.5x (AVX512-BF16) and more (AMX) as fast as fp32 ones; a CPU
  without them emulates bf16 and runs it many times slower than fp32, so it never gets bf16;
- a CUDA GPU that supports bf16 (Ampere and newer);
- fp32 on MPS and elsewhere.

`choose_precision` takes the facts (device type, the CPU's bf16 features, CUDA's bf16 support) as
arguments, so every case is tested without the hardware; `cpu_bf16_features` asks torch once.
Measured speed and the bound on the difference to fp32: benchmarks/README.md, docs/MODELS.md.
"""

import functools
from collections.abc import Iterable
from typing import Optional

from ..engine.i18n import tr
from ..shared.catalogue import PRECISION_AUTO, PRECISIONS
from ..shared.errors import UserError

# The CPU features that compute bf16 natively: the names Linux gives them in /proc/cpuinfo -> in prose
NATIVE_BF16_FEATURES = {"avx512_bf16": "AVX512-BF16", "amx_bf16": "AMX"}


def native_bf16(features: Iterable[object]) -> list[str]:
    """The CPU's native bf16 features among `features` (names as in /proc/cpuinfo), in a fixed order."""
    have = {str(f).lower() for f in features}
    return [f for f in NATIVE_BF16_FEATURES if f in have]


@functools.lru_cache(maxsize=1)
def cpu_bf16_features() -> tuple[str, ...]:
    """This CPU's native bf16 features (see NATIVE_BF16_FEATURES), asked of torch's CPU detection
    once per process (the same answer on Linux, Windows and macOS)."""
    import torch

    cpu = getattr(torch, "cpu", None)
    probes = {"avx512_bf16": "_is_avx512_bf16_supported", "amx_bf16": "_is_amx_tile_supported"}
    found = []
    for name, probe in probes.items():
        try:
            if cpu is not None and getattr(cpu, probe)():
                found.append(name)
        except (AttributeError, RuntimeError):
            pass
    return tuple(found)


def cuda_bf16_supported() -> bool:
    import torch

    try:
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def describe_cpu_bf16(features: Iterable[object]) -> str:
    """'native bf16 (AVX512-BF16, AMX)' or 'no native bf16 (...)': for the job log and Check environment."""
    found = native_bf16(features)
    if found:
        return "native bf16 (%s)" % ", ".join(NATIVE_BF16_FEATURES[f] for f in found)
    return "no native bf16 (neither AVX512-BF16 nor AMX)"


def choose_precision(
    requested: Optional[str], device_type: str, cpu_features: Iterable[object] = (), cuda_bf16: bool = False
) -> tuple[str, str]:
    """(precision used, warning or ''): the job's `requested` precision on a `device_type` device
    ('cpu', 'cuda', 'mps'), given the CPU's features and whether the GPU supports bf16."""
    asked = (requested or PRECISION_AUTO).lower()
    if asked not in PRECISIONS:
        raise UserError(tr("Unknown precision %r; use one of: %s.") % (requested, ", ".join(PRECISIONS)))
    cpu_native = bool(native_bf16(cpu_features))
    if asked == PRECISION_AUTO:
        if (device_type == "cpu" and cpu_native) or (device_type == "cuda" and cuda_bf16):
            return "bf16", ""
        return "fp32", ""
    if asked == "bf16" and device_type == "cpu" and not cpu_native:
        return "fp32", (
            "bf16 was asked, but this CPU has %s: bf16 would be emulated and many times slower, so "
            "the model runs in fp32." % describe_cpu_bf16(cpu_features)
        )
    if asked == "bf16" and device_type == "cuda" and not cuda_bf16:
        return "fp32", "bf16 was asked, but this GPU does not support bf16; the model runs in fp32 (or ask for fp16)."
    if asked in ("bf16", "fp16") and device_type not in ("cpu", "cuda"):
        return "fp32", "Precision %s is not offered on %s; the model runs in fp32." % (asked, device_type)
    if asked == "fp16" and device_type != "cuda":
        return "fp32", "Precision fp16 runs on CUDA GPUs only; the model runs in fp32 on the %s." % device_type
    if asked == "int8" and device_type != "cpu":
        return "fp32", "int8 mode is for the CPU; on %s the model runs in fp32 (use bf16 or fp16 on a GPU)." % (
            device_type
        )
    return asked, ""


# What the help and docs promise for bf16 against fp32 (tests/engine/test_models_bf16.py asserts both):
BF16_MIN_COSINE = 0.999  # every pooled vector and every grid cell, every model
BF16_MAX_CHANGED_SHARE = 0.01  # cells whose cluster or few-shot class differs from fp32's, at most
