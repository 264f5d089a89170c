"""The "environment" job: what the runtime has, what it can use, and what is missing (with fixes).

Runs in the runtime worker. Never imports terratorch (seconds) or ee: versions come from package
metadata; torch is imported because CUDA/MPS can only be asked of torch itself.
"""

import importlib.metadata
import json
import os
import platform
import sys
from typing import Any, Optional

from ...shared import locks
from ...shared.jobs.embedding import EnvironmentJob
from ..context import JobContext
from ..jobs import JobResult, JobSpec, job

REINSTALL = "Run 'Install or update runtime' (terraembed:install_runtime) or the README's setup command."


def _version(name: str) -> Optional[str]:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _torch_report(requested_device: str) -> dict[str, Any]:
    report = {
        "torch_import": False,
        "cuda_available": False,
        "cuda_devices": [],
        "mps_available": False,
        "device": "cpu",
        "device_message": "",
        "torch_cuda_build": None,
    }
    try:
        import torch
    except Exception as exc:  # a broken install can fail in many ways; report it, do not crash
        report["torch_error"] = "%s: %s" % (type(exc).__name__, exc)
        return report
    report["torch_import"] = True
    report["torch_cuda_build"] = torch.version.cuda
    report["cuda_available"] = bool(torch.cuda.is_available())
    if report["cuda_available"]:
        report["cuda_devices"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    report["mps_available"] = bool(mps and mps.is_available())
    try:
        from ...models.device import resolve_device

        device, message = resolve_device(requested_device)
        report["device"], report["device_message"] = str(device), message or ""
        report.update(_precision_report(device))
    except ImportError:
        report["device"] = "cuda" if report["cuda_available"] else ("mps" if report["mps_available"] else "cpu")
    report["threads"] = torch.get_num_threads()
    return report


def _precision_report(device: Any) -> dict[str, Any]:
    """The CPU's native bf16 features and what precision 'auto' runs in on `device` (as a job would)."""
    from ...models.cpu_gemm import onednn_available
    from ...models.precision import choose_precision, cpu_bf16_features, cuda_bf16_supported, describe_cpu_bf16

    features = cpu_bf16_features() if onednn_available() else ()
    cuda_bf16 = device.type == "cuda" and cuda_bf16_supported()
    auto, _ = choose_precision("auto", device.type, features if device.type == "cpu" else (), cuda_bf16)
    return {"cpu_bf16": describe_cpu_bf16(features), "precision_auto": auto}


def _weights_report(local_files: Optional[dict[str, str]]) -> dict[str, Any]:
    """For each model: where its weights would come from, if anywhere without network."""
    try:
        from ...models.registry import MODELS
    except ImportError:
        return {}
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        try_to_load_from_cache = None
    out = {}
    for model_id, spec in MODELS.items():
        local = (local_files or {}).get(model_id)
        if local:
            out[model_id] = {"source": "local file", "path": local, "present": os.path.isfile(local)}
            continue
        cached = try_to_load_from_cache(spec.hf_repo, spec.hf_filename) if try_to_load_from_cache else None
        present = isinstance(cached, str) and os.path.isfile(cached)
        out[model_id] = {
            "source": "huggingface cache",
            "repo": spec.hf_repo,
            "file": spec.hf_filename,
            "present": present,
            "path": cached if present else None,
        }
    return out


def _lock_report() -> dict[str, Any]:
    marker_path = os.path.join(sys.prefix, locks.MARKER)
    try:
        with open(marker_path, encoding="utf-8") as f:
            marker = json.load(f)
    except (OSError, ValueError):
        marker = None
    if not os.path.isfile(locks.lock_path()):
        return {"checked": False, "reason": "no lock for this platform", "marker": marker}
    variant = (marker or {}).get("variant", "cuda")
    pins = locks.variant_pins(locks.read_lock(locks.lock_path()), variant)
    if (marker or {}).get("dev"):
        pins.update(locks.read_lock(locks.lock_path(dev=True)))
    installed = {
        locks.normalise(d.metadata["Name"]): d.version for d in importlib.metadata.distributions() if d.metadata["Name"]
    }
    return {
        "checked": True,
        "variant": variant,
        "marker": marker,
        "differences": locks.lock_differences(pins, installed),
    }


@job("environment")
def environment(job: JobSpec, ctx: JobContext) -> JobResult:
    asked = EnvironmentJob.read(job)
    ctx.progress(0.05, "packages")
    versions = {name: _version(name) for name in locks.PACKAGES}
    problems = []
    for name, version in versions.items():
        if version is None:
            problems.append({"problem": "%s is not installed in the runtime" % name, "fix": REINSTALL})
    ctx.progress(0.2, "torch")
    torch_info = _torch_report(asked.device)
    if versions["torch"] and not torch_info["torch_import"]:
        problems.append({"problem": "torch does not import: %s" % torch_info.get("torch_error"), "fix": REINSTALL})
    if asked.device == "cuda" and not torch_info["cuda_available"]:
        problems.append(
            {
                "problem": "CUDA was requested but is not usable: %s" % torch_info["device_message"],
                "fix": "Install the NVIDIA driver, then reinstall the runtime with the 'cuda' torch "
                "build; or choose device 'auto' or 'cpu'.",
            }
        )
    ctx.progress(0.6, "weights")
    weights = _weights_report(dict(asked.weights_files or {}))
    ctx.progress(0.8, "lock")
    lock = _lock_report()
    if lock.get("checked") and lock["differences"]:
        problems.append(
            {"problem": "the runtime differs from the lock: " + "; ".join(lock["differences"][:5]), "fix": REINSTALL}
        )
    ctx.progress(1.0, "done")
    return {
        "python": sys.executable,
        "python_version": platform.python_version(),
        "prefix": sys.prefix,
        "platform": platform.platform(),
        "versions": versions,
        "torch": torch_info,
        "weights": weights,
        "lock": lock,
        "problems": problems,
        "ready": not problems,
    }
