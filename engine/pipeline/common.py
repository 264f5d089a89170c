"""What the embed and embed_features jobs share: the model, the source (their keys: shared/jobs/embedding.py)."""

import contextlib

import numpy as np

from ...shared.catalogue import sensors_of
from ...shared.errors import UserError
from ...shared.jobs.embedding import ModelJob, RasterInput, source_of
from ..i18n import tr, translatable
from .reader import refuse_empty_bands
from .source import RasterSource


def model_spec(model_id):
    """The registry's ModelSpec (cheap: no torch), so bands can be checked before loading."""
    from ...models.registry import get_model_spec

    return get_model_spec(model_id)


_LAST_MODEL = {}  # {key: model}: the last model loaded in this process (a warm worker's next job reuses it)
_KEEP_MODEL = []  # non-empty while a series job runs its periods: they share the model like a warm worker's jobs


def model_key(asked: ModelJob) -> str:
    """What makes two jobs' models the same: model, weights (and the weights file's identity on
    disk), device, precision, threads and pooling (asked: the job's ModelJob, read once by its handler)."""
    import json
    import os

    weights = asked.weights.given()
    path = weights.get("path")
    if path and os.path.isfile(path):
        st = os.stat(path)
        weights["_file"] = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
    return json.dumps(
        [asked.model, weights, asked.device, asked.precision, asked.threads, asked.pooling_asked],
        sort_keys=True,
        default=str,
    )


def open_model(asked: ModelJob, ctx):
    """Load the job's model (asked: its ModelJob, read once by the handler); in a warm worker, reuse the one
    the last job loaded with the same key (tests replace this function with a fake)."""
    import os

    from ..session import WARM_WORKER

    if os.environ.get(WARM_WORKER) != "1" and not _KEEP_MODEL:
        return _load_model(asked, ctx)
    key = model_key(asked)
    if key in _LAST_MODEL:
        ctx.log(tr("Model %s reused: already loaded by an earlier run of this runtime.") % asked.model)
        return _LAST_MODEL[key]
    _LAST_MODEL.clear()  # one model at a time: the old one's memory goes before the new one loads
    model = _load_model(asked, ctx)
    _LAST_MODEL[key] = model
    return model


@contextlib.contextmanager
def keep_model():
    """While open, open_model keeps the last model loaded (as a warm worker does): the periods of a series
    load their model once. On leaving, a one-job worker's kept model is let go."""
    import os

    from ..session import WARM_WORKER

    _KEEP_MODEL.append(True)
    try:
        yield
    finally:
        _KEEP_MODEL.pop()
        if not _KEEP_MODEL and os.environ.get(WARM_WORKER) != "1":
            _LAST_MODEL.clear()


def _load_model(asked: ModelJob, ctx):
    from ...models.loader import load_model

    return load_model(
        asked.model,
        weights=asked.weights.given(),
        device=asked.device,
        precision=asked.precision,
        threads=asked.threads,
        pooling=asked.pooling_asked,
        ctx=ctx,
    )


MAX_UPSAMPLING = 4.0  # resize mode enlarging an area more than this many times gets a warning


def batch_size(asked, model):
    """Chips per forward pass: the job's batch_size (ModelJob's), 0: the model's default."""
    return asked or int(getattr(model, "default_batch_size", 8) or 8)


def warn_upsampling(window, chip, ctx, what=translatable("The area of interest")):
    """Resize mode: warn when the window is enlarged more than MAX_UPSAMPLING times to the chip."""
    factor = chip / float(max(1, min(window.width, window.height)))
    if factor > MAX_UPSAMPLING:
        ctx.warn(
            tr(
                "%s is only %d x %d pixels; resize mode enlarges it %.0fx to the model's %d-pixel input, "
                "so the embeddings describe interpolated pixels. Choose a larger area of interest, tile "
                "mode (the area is then padded, not enlarged), or a raster with finer pixels."
            )
            % (tr(what), window.width, window.height, factor, chip)
        )
        return True
    return False


def fetch_source(job, ctx, reserve=None):
    """The job's source as (path, source dict, provenance), read through its contract (a RasterInput or an
    ImagerySource: shared/jobs/embedding.py). Earth Engine sources are fetched into a GeoTIFF first
    (progress 0..1 of ctx), after check_composite_space(reserve)."""
    asked = source_of(job)
    source = dict(job.get("source") or {})  # the fetch reads it through the same contract (request.py)
    if isinstance(asked, RasterInput):
        if not asked.path:
            raise UserError(tr("The job's source has no raster path."))
        return asked.path, source, None
    try:
        from ..sources.earthengine import fetch_composite
    except ImportError as exc:
        raise UserError(
            tr(
                "Earth Engine sources are not available in this runtime (%s). Use a "
                "raster layer, or update the runtime."
            )
            % exc
        ) from exc
    sensors = sensors_of(asked.collection)
    fetch_dir = asked.out_dir or ctx.work_dir
    if len(sensors) > 1:  # one composite per sensor; the input copy holds them all
        total = sum(check_composite_space(dict(source, collection=s), fetch_dir) for s in sensors)
        if reserve is not None:
            reserve(total)
        return _fetch_sensors(source, sensors, fetch_composite, ctx)
    check_composite_space(source, fetch_dir, reserve)
    path, provenance = fetch_composite(source, ctx)
    # The composite holds the model's bands in order, raw values (S2 reflectance 0..10000, S1
    # linear), filled with 0 where no image covers: a pixel that is 0 in every band is nodata.
    # (The Earth Engine source's "scale" is its pixel size in metres, not a value factor.)
    fetched = {"kind": "raster", "path": path, "bands": None, "scale": 1.0, "nodata": 0.0, "s1_db": False}
    return path, fetched, provenance


def check_composite_space(source, fetch_dir, reserve=None, request=None):
    """Before an Earth Engine fetch: refuse (OutputError with the folder and the sizes) when the
    folder the composite is fetched to, or the imagery cache that will keep it, lacks room for the
    composite of the request's grid (width x height x bands x 4 bytes). reserve(nbytes) books the
    same size for the composite's destination in the job's transaction (with its other outputs).
    request: the normalised request when it is not an imagery composite's (e.g. AlphaEarth's).
    Returns the estimate in bytes."""
    import tempfile

    from ...shared.space import require_space
    from ..sources.cache import request_key
    from ..sources.earthengine.fetch import imagery_cache
    from ..sources.earthengine.request import normalise

    request = request or normalise(source)
    grid = request["grid"]
    nbytes = int(grid["width"]) * int(grid["height"]) * len(request["bands"]) * 4
    if reserve is not None:
        reserve(nbytes)
    cache = imagery_cache(source)
    hit = cache.get(request_key(request))
    require_space(
        fetch_dir or tempfile.gettempdir(),
        nbytes,
        tr("Earth Engine composite (%d x %d pixels, %d bands)")
        % (grid["width"], grid["height"], len(request["bands"])),
        tr("Free some space in the temporary folder, choose a smaller area or a coarser pixel size"),
    )
    if cache.enabled and hit is None and nbytes <= cache.cap_bytes:
        require_space(
            cache.root,
            nbytes,
            tr("imagery cache's copy of the Earth Engine composite"),
            tr(
                "Free some space, choose another imagery cache folder in the settings, or set the cache "
                "size to 0 to turn the cache off"
            ),
        )
    return nbytes


def _fetch_sensors(source, sensors, fetch_composite, ctx):
    """TerraMind on several sensors from Earth Engine: one composite per sensor, all on the same grid
    (the grid depends on the AOI, scale and CRS only), read as a SensorStack with no resampling. The
    provenance is the first sensor's, with every sensor's under "sensors"."""
    from ..sources.earthengine.collections import DEM_FILL

    paths, provenances = {}, {}
    for i, sensor in enumerate(sensors):
        sub_ctx = ctx.substage(i / float(len(sensors)), (i + 1) / float(len(sensors)))
        paths[sensor], provenances[sensor] = fetch_composite(dict(source, collection=sensor), sub_ctx)
    first = sensors[0]
    fetched = {
        "kind": "raster",
        "path": paths[first],
        "bands": None,
        "scale": 1.0,
        "nodata": 0.0,
        "s1_db": False,
        "sensors": {s: {"path": paths[s], "nodata": DEM_FILL if s == "DEM" else 0.0} for s in sensors[1:]},
    }
    provenance = dict(
        provenances[first],
        collection="+".join(sensors),
        collection_id=" + ".join(provenances[s]["collection_id"] for s in sensors),
        sensors=provenances,
    )
    return paths[first], fetched, provenance


def source_paths(source):
    """Every raster a raster source reads: the job's raster and the other sensors' own rasters."""
    sensors = source.get("sensors") or {}
    return [source.get("path")] + [sensors[s].get("path") for s in sorted(sensors) if sensors[s]]


def open_source(source, spec, aoi, ctx, centre_hint=None):
    """The job's raster(s) as the model sees them: a RasterSource, or for a model on several sensors
    a SensorStack (engine/pipeline/sensors.py) of one raster per sensor or one stacked raster."""
    if len(spec.sensors) > 1:
        from .sensors import SensorStack

        raster = SensorStack(source, spec, aoi, ctx.log, centre_hint=centre_hint)
    else:
        if source.get("sensors"):
            raise UserError(
                tr(
                    "Model '%s' reads one raster (%s); the extra sensor rasters (%s) are for TerraMind "
                    "on several sensors. Leave them empty, or choose such a model."
                )
                % (spec.id, spec.modality, ", ".join(sorted(source["sensors"])))
            )
        raster = RasterSource(
            source["path"],
            spec.num_channels,
            bands=source.get("bands"),
            scale=source.get("scale", 1.0),
            nodata=source.get("nodata"),
            s1_db=source.get("s1_db", False),
            aoi=aoi,
            modality=spec.modality,
            log=ctx.log,
            centre_hint=centre_hint,
        )
    for message in raster.warnings:
        ctx.warn(message)
    return raster


def check_bands_have_data(raster, spec):
    """Refuse, naming them, the bands of the job's raster that hold no data (NaN, ±Inf or nodata) in
    the area: the model needs every band. (Another sensor's raster is checked as it is placed.)"""
    first = raster.parts[0][1] if hasattr(raster, "parts") else raster
    refuse_empty_bands(first, list(spec.bands[: len(first.bands)]))


NO_VALID_PIXELS = translatable(
    "The raster has no valid pixels inside the area of interest: every pixel is nodata, NaN or ±Inf. "
    "Choose another area, or check the raster's nodata value and its bands."
)


def check_value_range(raw, spec, ctx):
    """Warn when S2 values look like 0..1 reflectance (a missing scale factor); True if warned."""
    if "S2" not in spec.sensors or raw is None or raw.size == 0:
        return False
    sample = raw[:, spec.sensor_slices()["S2"], ::8, ::8]
    nonzero = sample[sample != 0]
    if nonzero.size and float(np.percentile(nonzero, 99)) <= 2.0:
        ctx.warn(
            tr(
                "The input values are all below 2; Sentinel-2 models expect surface reflectance "
                "0..10000. If the raster holds reflectance 0..1, set the scale factor to 10000."
            )
        )
        return True
    return False
