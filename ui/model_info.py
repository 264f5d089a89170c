"""What the panel shows about a model: modality, bands, embedding size, and whether its weights are
present without downloading. Cheap (a few stat calls), standard library + settings only: the
huggingface_hub package is never imported in QGIS's Python; the cache layout it uses is read directly.
"""

import glob
import os

from ..shared.catalogue import MODALITY_NAMES, MODELS
from ..shell import settings
from ..shell.i18n import tr


def hf_cache_dir():
    """The Hugging Face hub cache folder the runtime will use: the plugin's 'weights cache' setting when
    set (it is passed to huggingface_hub as cache_dir), else HF_HUB_CACHE, else HF_HOME/hub, else
    $XDG_CACHE_HOME/huggingface/hub (default ~/.cache/huggingface/hub)."""
    configured = settings.get("weights_cache")
    if configured:
        return os.path.expanduser(str(configured))
    if os.environ.get("HF_HUB_CACHE"):
        return os.path.expanduser(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return os.path.join(os.path.expanduser(os.environ["HF_HOME"]), "hub")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    return os.path.join(os.path.expanduser(base), "huggingface", "hub")


def cached_file(repo, filename, cache_dir=None):
    """The cached snapshot file of repo/filename (models--ORG--NAME/snapshots/*/FILE), or None."""
    if not repo or not filename:
        return None
    folder = os.path.join(cache_dir or hf_cache_dir(), "models--" + repo.replace("/", "--"), "snapshots")
    for path in sorted(glob.glob(os.path.join(glob.escape(folder), "*", filename))):
        if os.path.isfile(path):  # follows the blob symlink: a dangling link is not "present"
            return path
    return None


def weights_status(model_id):
    """(present, text): whether the model's weights can be used without network, and where they are or
    what will happen on the first run (full paths: the panel shows them in a tooltip)."""
    spec = MODELS[model_id]
    local = settings.weights_file(model_id)
    if local:
        if os.path.isfile(local):
            return True, tr("local file %s") % local
        return False, tr("the local file %s set in the settings does not exist") % local
    path = cached_file(spec.hf_repo, spec.hf_filename)
    if path:
        return True, tr("in the Hugging Face cache (%s)") % os.path.dirname(os.path.dirname(os.path.dirname(path)))
    if settings.get("offline"):
        return False, (
            tr(
                "not in the Hugging Face cache (%s) and offline mode is on: set a local file in the "
                "settings, or turn offline mode off"
            )
            % hf_cache_dir()
        )
    return False, tr("not cached yet: %s/%s is downloaded on the first run") % (spec.hf_repo, spec.hf_filename)


def describe(model_id):
    """A dict with the fields the panel displays."""
    spec = MODELS[model_id]
    present, where = weights_status(model_id)
    return {
        "id": spec.id,
        "label": spec.label,
        "modality": " + ".join(tr(MODALITY_NAMES.get(s, s)) for s in spec.sensors),
        "bands": list(spec.bands),
        "dim": spec.dim,
        "weights_present": present,
        "weights": where,
        "weights_short": short_status(model_id, present),
        "description": tr(spec.description),
    }


def short_status(model_id, present):
    """A few words for the panel (no long paths)."""
    spec = MODELS[model_id]
    local = settings.weights_file(model_id)
    if local:
        return tr("local file %s") % os.path.basename(local) if present else tr("local file missing")
    if present:
        return tr("in the Hugging Face cache")
    if settings.get("offline"):
        return tr("not cached, and offline mode is on")
    return tr("downloaded on the first run (%s)") % spec.hf_filename
