"""Model weights: find the file (local path, or the standard Hugging Face cache / hub), load it safely
(torch.load(weights_only=True) or safetensors), and check every key and shape.

The HF cache is resolved by huggingface_hub itself (HF_HUB_CACHE, else HF_HOME/hub, else its default);
this module never passes HF_HOME as cache_dir. Offline mode: weights={'offline': True}, or
HF_HUB_OFFLINE=1 in the environment (read at call time too).

Every wait on the hub is bounded: the download's requests by huggingface_hub's own timeouts
(HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT: 10 s each, with its bounded retries); the file listing
of a repository that lacks the file has no timeout of its own, so it gets HF_HUB_ETAG_TIMEOUT here.
"""

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Optional

from ..engine.i18n import tr, translatable
from ..shared.errors import UserError
from ..shared.values import yes_no
from .registry import ModelSpec

# the weights a run used, as results and raster tags say it (machine-stable); tr(...) where a user reads it
RANDOM_INIT_DESCRIPTION = translatable("random-init (NOT pretrained; embeddings are meaningless)")


def env_offline() -> bool:
    """Whether HF_HUB_OFFLINE says yes (values.yes_no; anything else is no, as huggingface_hub reads it)."""
    return yes_no(os.environ.get("HF_HUB_OFFLINE")) is True


def _how_to_provide(spec: ModelSpec) -> str:
    return (
        "Either download it on a machine with internet access into the Hugging Face cache "
        "(for example `hf download %s %s`, or run TerraEmbed once there) and copy the cache "
        "folder (HF_HUB_CACHE, by default ~/.cache/huggingface/hub) to this machine, or "
        "download the file %s from https://huggingface.co/%s and set it as the local weights "
        "file for model '%s' in the TerraEmbed settings."
        % (spec.hf_repo, spec.hf_filename, spec.hf_filename, spec.hf_repo, spec.id)
    )


def resolve_weights_file(
    spec: ModelSpec, path: Optional[str] = None, offline: Optional[bool] = None, cache_dir: Optional[str] = None
) -> tuple[str, str]:
    """(local file path, human description) of the weights for `spec`.

    path: an explicit local file (used as is; must exist).
    offline: True -> cache only; None -> honour HF_HUB_OFFLINE.
    cache_dir: only when the user set one explicitly; otherwise huggingface_hub decides."""
    if path:
        path = _local_weights_file(spec, path)
        return path, "local file %s" % path
    offline = env_offline() if offline is None else bool(offline)
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as exc:  # pragma: no cover - the runtime lock has it
        raise UserError(
            tr(
                "huggingface_hub is not installed in the TerraEmbed runtime (%s). Run "
                "'Install or update runtime', or choose a local weights file for '%s'."
            )
            % (exc, spec.id)
        ) from exc
    kwargs: dict[str, Any] = {"repo_id": spec.hf_repo, "filename": spec.hf_filename}
    if cache_dir:
        kwargs["cache_dir"] = os.path.expanduser(str(cache_dir))
    if offline:
        kwargs["local_files_only"] = True
    try:
        # B615: no commit ids known yet; the file is loaded with weights_only=True, its keys and shapes checked
        file = hf_hub_download(**kwargs)  # nosec B615
    except Exception as exc:  # LocalEntryNotFoundError, HTTP errors, connection errors ...
        name = type(exc).__name__
        if offline:
            why = "it is not in the Hugging Face cache and offline mode is on"
        elif name == "LocalEntryNotFoundError":
            why = "it is not in the Hugging Face cache and the Hugging Face hub cannot be reached"
        elif name in ("RemoteEntryNotFoundError", "EntryNotFoundError"):
            raise UserError(_file_not_in_repo(spec)) from None
        elif name in ("GatedRepoError", "RepositoryNotFoundError", "RevisionNotFoundError"):
            why = "the Hugging Face hub refused the download (%s)" % name
        else:
            why = "the download failed (%s: %s)" % (name, str(exc).splitlines()[0][:200] if str(exc) else "")
        raise UserError(
            tr("The weights for model '%s' (file %s in the Hugging Face repository %s) are not available: %s. %s")
            % (spec.id, spec.hf_filename, spec.hf_repo, why, _how_to_provide(spec))
        ) from None
    return file, "%s/%s (Hugging Face cache: %s)" % (spec.hf_repo, spec.hf_filename, file)


def _local_weights_file(spec: ModelSpec, path: str) -> str:
    """The user's weights file, home folder expanded, or a UserError when it is a folder or missing."""
    path = os.path.expanduser(str(path))
    if os.path.isdir(path):
        raise UserError(
            tr(
                "The weights file for model '%s' is a folder: %s. A weights file is expected (%s from %s, "
                "or a .pth/.safetensors file of the same model): choose the file itself in the TerraEmbed "
                "settings or the algorithm's weights file option."
            )
            % (spec.id, path, spec.hf_filename, spec.hf_repo)
        )
    if not os.path.isfile(path):
        raise UserError(
            tr(
                "The weights file for model '%s' was not found: %s. Check the local "
                "weights path in the TerraEmbed settings (expected %s from %s)."
            )
            % (spec.id, path, spec.hf_filename, spec.hf_repo)
        )
    return path


def _file_not_in_repo(spec: ModelSpec) -> str:
    """The message for a reachable hub whose repository lacks the file: which files it does have."""
    try:
        files = _repo_files(spec.hf_repo)
    except Exception as exc:  # the listing is a courtesy: say why it is missing, keep the main message
        reason = str(exc).splitlines()[0][:200] or tr("no answer")
        listing = tr("its file list could not be read either (%s)") % reason
    else:
        listing = tr("it has: %s") % (_few(files, 20) if files else tr("no files"))
    return tr(
        "The Hugging Face repository %s has no file %s, the weights of model '%s'; %s. If one of "
        "them is this model's checkpoint, download it from https://huggingface.co/%s and set it as "
        "the local weights file for model '%s' in the TerraEmbed settings (or the algorithm's "
        "weights file option)."
    ) % (spec.hf_repo, spec.hf_filename, spec.id, listing, spec.hf_repo, spec.id)


def _repo_files(repo: str) -> list[str]:
    """The sorted file names of a hub repository, within HF_HUB_ETAG_TIMEOUT seconds (TimeoutError
    after that; huggingface_hub's listing has no deadline, so it runs in a thread left to end alone)."""
    from huggingface_hub import HfApi, constants

    answer: dict[str, Any] = {}

    def list_files() -> None:
        try:
            answer["files"] = sorted(HfApi().list_repo_files(repo))
        except Exception as exc:  # handed to the caller
            answer["error"] = exc

    thread = threading.Thread(target=list_files, name="hf-list-files", daemon=True)
    thread.start()
    thread.join(constants.HF_HUB_ETAG_TIMEOUT)
    if thread.is_alive():
        raise TimeoutError("the hub did not answer within %d s" % constants.HF_HUB_ETAG_TIMEOUT)
    if "error" in answer:
        raise answer["error"]
    return answer["files"]


def _torch_load(torch: Any, path: str) -> Any:
    try:  # memory-mapped: tensors are read on demand, no second copy of the file in memory
        return torch.load(path, map_location="cpu", weights_only=True, mmap=True)
    except RuntimeError as exc:
        if "mmap" not in str(exc) and "zip" not in str(exc):
            raise
    return torch.load(path, map_location="cpu", weights_only=True)  # legacy (non-zip) format


def load_state_dict_file(path: str) -> dict[str, Any]:
    """A flat {name: tensor} dict from a .pt/.pth (torch.load weights_only=True, memory-mapped when
    possible) or .safetensors file; a single top-level 'model'/'state_dict' wrapper is unwrapped."""
    import torch

    if str(path).endswith(".safetensors"):
        from safetensors.torch import load_file

        try:
            state = load_file(str(path), device="cpu")
        except FileNotFoundError:
            raise UserError(tr("The weights file %s does not exist.") % path) from None
        except Exception as exc:
            raise UserError(
                tr("Cannot read the safetensors weights file %s: %s: %s") % (path, type(exc).__name__, str(exc)[:300])
            ) from None
    else:
        try:
            state = _torch_load(torch, str(path))
        except FileNotFoundError:
            raise UserError(tr("The weights file %s does not exist.") % path) from None
        except Exception as exc:  # UnpicklingError (weights_only refused something), corrupt zip ...
            raise UserError(
                tr(
                    "Cannot read the weights file %s safely (torch.load weights_only=True): "
                    "%s: %s. Only plain tensor checkpoints are accepted; the file may also be "
                    "corrupted or incomplete."
                )
                % (path, type(exc).__name__, str(exc)[:300])
            ) from None
    if isinstance(state, dict):
        for key in ("model", "state_dict", "teacher", "module"):
            inner = state.get(key)
            if isinstance(inner, dict) and inner and all(hasattr(v, "shape") for v in inner.values()):
                if not any(hasattr(v, "shape") for k, v in state.items() if k != key):
                    state = inner
                    break
    if not isinstance(state, dict) or not all(hasattr(v, "shape") for v in state.values()):
        raise UserError(tr("The weights file %s does not contain a plain state dict (name -> tensor).") % path)
    return state


def strip_prefix(state: dict[str, Any], prefix: str = "module.") -> dict[str, Any]:
    if state and all(k.startswith(prefix) for k in state):
        return {k[len(prefix) :]: v for k, v in state.items()}
    return {(k[len(prefix) :] if k.startswith(prefix) else k): v for k, v in state.items()}


def _few(names: Iterable[str], n: int = 5) -> str:
    names = sorted(names)
    text = ", ".join(names[:n])
    return text + (" ... (%d in all)" % len(names) if len(names) > n else "")


def check_state_dict(
    expected: Mapping[str, Any],
    state: Mapping[str, Any],
    source: object,
    optional: Iterable[str] = (),
    ignore_unexpected: Optional[Callable[[str], bool]] = None,
) -> None:
    """Raise UserError unless `state` has every key of `expected` (name -> tensor or shape) with the
    same shape. optional: names that may be absent. ignore_unexpected: predicate(name) -> True when an
    extra key is fine (e.g. decoder weights of a checkpoint of which only the encoder is used)."""
    optional = set(optional)
    exp_shapes = {k: tuple(getattr(v, "shape", v)) for k, v in expected.items()}
    missing = [k for k in exp_shapes if k not in state and k not in optional]
    unexpected = [k for k in state if k not in exp_shapes and not (ignore_unexpected and ignore_unexpected(k))]
    wrong = [
        "%s %s (expected %s)" % (k, list(state[k].shape), list(exp_shapes[k]))
        for k in exp_shapes
        if k in state and tuple(state[k].shape) != exp_shapes[k]
    ]
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append("missing keys: " + _few(missing))
        if unexpected:
            parts.append("unexpected keys: " + _few(unexpected))
        if wrong:
            parts.append("wrong shapes: " + _few(wrong, 3))
        raise UserError(
            tr(
                "The weights file %s does not match the model: %s. Use the original file "
                "(delete a corrupted or partial download and fetch it again)."
            )
            % (source, "; ".join(parts))
        )
