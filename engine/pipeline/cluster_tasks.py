"""What a Dask worker runs for a TerraEmbed job (the client side is cluster.py).

Every function here is a pure task: its result depends only on its arguments (the same model and
weights, the same input file), so Dask may run it again on another worker when a worker dies, and
the job's output does not change. A worker process keeps the model it loaded (and the raster
source it opened) for the next batches of the job and for later jobs with the same model key:
{"model", "weights", "device", "precision", "pooling"} (threads is a setting, not part of the key).

The worker reads its chips itself from `source_key` (a path, /vsicurl/ or cloud URL every worker
can read; see RasterSource for the keys) unless the client sends them (`embed_chips_task`).
"""

import importlib.metadata
import json
import os
import platform
import socket
import sys
import threading

from ...models.weights import env_offline
from ...shared import protocol
from ...shared.errors import UserError
from ...shared.jobs.embedding import ModelJob
from ...shared.platforms import PLUGIN_DIR
from ..context import JobContext
from ..i18n import tr
from ..jobs import limit_gdal_cache
from . import common
from .chips import _stack as stack_chips
from .chips import embed_chips, read_tiles

_lock = threading.Lock()
_models = {}  # cache key -> EmbeddingModel, for this worker process
_sources = {}  # source key -> RasterSource


def plugin_version():
    """TerraEmbed's version, from the plugin's metadata.txt."""
    try:
        with open(os.path.join(PLUGIN_DIR, "metadata.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("version="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def runtime_versions():
    """What must be equal on the client and every worker for identical outputs."""
    try:
        torch = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        torch = None
    return {"terraembed": plugin_version(), "protocol": protocol.PROTOCOL_VERSION, "torch": torch}


def model_cache_key(model_key):
    fields = {k: model_key.get(k) for k in ("model", "weights", "device", "precision", "pooling")}
    return json.dumps(fields, sort_keys=True, default=str)


def worker_model(model_key, threads=None):
    """The model of model_key, loaded once per worker process."""
    key = model_cache_key(model_key)
    with _lock:
        model = _models.get(key)
        if model is None:
            job = dict(model_key)
            if threads and not job.get("threads"):
                job["threads"] = threads
            ctx = JobContext()
            model = common.open_model(ModelJob.read(job), ctx)
            model.load_warnings = list(ctx.warnings)  # for the client (warm_up_task)
            _models[key] = model
        return model


def worker_source(source_key, window):
    """The raster source (opened once per worker process), checked to cover the client's window."""
    key = json.dumps(source_key, sort_keys=True, default=str)
    with _lock:
        source = _sources.get(key)
        if source is None:
            limit_gdal_cache()  # a Dask worker process runs no run_job: the jobs' cache policy here too
            args = dict(source_key)
            model_id = args.pop("model", None)
            if args.get("sensors") or "+" in (args.get("modality") or ""):  # several sensors
                source = common.open_source(args, common.model_spec(model_id), args["aoi"], JobContext())
            else:
                args.pop("sensors", None)
                source = common.RasterSource(args.pop("path"), args.pop("num_channels"), **args)
            _sources[key] = source
    got = (source.window.row_off, source.window.col_off, source.window.height, source.window.width)
    if tuple(got) != tuple(window):
        raise UserError(
            tr(
                "Dask worker %s sees the raster %r differently (AOI window %s, the client: %s): "
                "give every worker the same file."
            )
            % (socket.gethostname(), source_key["path"], got, tuple(window))
        )
    return source


def _weights_problem(model_key):
    """What keeps this worker from loading the weights without network, or None."""
    weights = model_key.get("weights") or {}
    if weights.get("random_init"):
        return None
    if weights.get("path"):
        return None if os.path.isfile(weights["path"]) else "the weights file %s" % weights["path"]
    try:
        spec = common.model_spec(model_key.get("model"))
    except UserError:
        return "the model %r (unknown to its TerraEmbed)" % model_key.get("model")
    repo, filename = getattr(spec, "hf_repo", None), getattr(spec, "hf_filename", None)
    if not repo:
        return None
    offline = weights.get("offline") or env_offline()
    if not offline:
        return None  # it downloads them
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(repo, filename, cache_dir=weights.get("cache_dir") or None)
    if isinstance(cached, str) and os.path.isfile(cached):
        return None
    return "a cached copy of %s/%s in its Hugging Face cache (offline)" % (repo, filename)


def _readable(path):
    import rasterio

    try:
        with rasterio.open(path):
            return True
    except Exception:  # any failure to open is "cannot read" for the message
        return False


# The Dask nanny starts its workers with MALLOC_TRIM_THRESHOLD_=65536 (its pre-spawn-environ), to
# return freed memory to the OS sooner. Setting it also stops glibc from raising its mmap threshold,
# so every large tensor torch allocates is a fresh mmap (page faults on each use): a TerraFM-B
# forward ran 13 % slower with it (benchmarks/README.md). local:N clusters start without it, a
# user's `dask worker` with DASK_CONFIG=engine/pipeline/dask (its terraembed.yaml); the client says when
# workers have it.
MALLOC_TRIM = "MALLOC_TRIM_THRESHOLD_"
NO_MALLOC_TRIM = {"distributed.nanny.pre-spawn-environ.%s" % MALLOC_TRIM: None}  # dask's way to unset it


def probe_task(model_key, paths):
    """Versions, host, CPUs, and what this worker lacks for the job (cheap: loads no model)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    info = dict(
        runtime_versions(), host=socket.gethostname(), pid=os.getpid(), cpus=cpus, python=platform.python_version()
    )
    # a glibc setting: on macOS and Windows the variable changes nothing
    info["malloc_trim"] = os.environ.get(MALLOC_TRIM) if sys.platform.startswith("linux") else None
    info["missing_weights"] = _weights_problem(model_key)
    info["unreadable"] = [p for p in paths if not _readable(p)]
    return info


def warm_up_task(model_key, threads):
    """Load the model on this worker now (so the first batches do not wait for it)."""
    model = worker_model(model_key, threads)
    return {
        "device": str(model.device),
        "precision": str(model.precision),
        "weights": str(model.weights_description),
        "default_batch_size": int(getattr(model, "default_batch_size", 8) or 8),
        "warnings": list(getattr(model, "load_warnings", [])),
    }


def _range_warnings(raw, spec):
    ctx = JobContext()
    common.check_value_range(raw, spec, ctx)
    return list(ctx.warnings)


def embed_tile_batch_task(model_key, source_key, window, plan_size, chips, check_range):
    """Read the chips of one batch (tile mode), embed those that need the model.
    Returns (items, pooled, grid, warnings) as the local loop sees them."""
    model = worker_model(model_key)
    source = worker_source(source_key, window)
    with source.open() as reader:
        items = read_tiles(reader, chips, plan_size[0], plan_size[1])
    batch = stack_chips(items)
    pooled = grid = None
    warnings = []
    if batch.raw is not None:
        if check_range:
            warnings = _range_warnings(batch.raw, model.spec)
        pooled, grid = model.embed(batch.raw)
    return batch.items, pooled, grid, warnings


def embed_raw_task(model_key, raw):
    """Embed chips the client sends: (pooled, grid)."""
    return worker_model(model_key).embed(raw)


def embed_chips_task(model_key, raws):
    """Pooled vectors of chips that may differ in size (embed_features)."""

    return embed_chips(worker_model(model_key), raws)
