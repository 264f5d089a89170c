"""fetch_composite: the cache lookup, initialisation, the expression, the pixels and the GeoTIFF."""

import datetime
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from typing import Any, Optional

import numpy as np

from ....shared.atomic import atomic_file
from ....shared.jobs.sources import EarthEngineRequest
from ...context import JobContext
from ...i18n import tr
from ...pipeline.outputs import provenance_tags
from ..cache import ImageryCache, request_key
from .auth import ensure_initialized
from .chunks import Window, fetch_pixels
from .collections import UNITS, build_image
from .request import normalise


# ------------------------------------------------------------------------------------------------
# GeoTIFF
# ------------------------------------------------------------------------------------------------
def _open_geotiff(path: str, request: dict[str, Any]) -> Any:
    import rasterio
    from affine import Affine

    grid = request["grid"]
    block = 256
    profile = {
        "driver": "GTiff",
        "width": grid["width"],
        "height": grid["height"],
        "count": len(request["bands"]),
        "dtype": "float32",
        "crs": grid["crs"],
        "transform": Affine.from_gdal(*_gdal(grid["transform"])),
        "compress": "deflate",
        "predictor": 3,
        "interleave": "pixel",
        "BIGTIFF": "IF_SAFER",
    }
    if grid["width"] >= block and grid["height"] >= block:
        profile.update(tiled=True, blockxsize=block, blockysize=block)
    if request.get("nodata") is not None:  # the value a prepare step writes where there is no data
        profile["nodata"] = float(request["nodata"])  # "nan" in the request: its JSON has no NaN
    return rasterio.open(path, "w", **profile)


def _gdal(t: Sequence[float]) -> tuple[float, float, float, float, float, float]:
    sx, shx, x0, shy, sy, y0 = t
    return (x0, sx, shx, y0, shy, sy)


def write_composite(
    path: str,
    ee: Any,
    image: Any,
    request: dict[str, Any],
    ctx: JobContext,
    limits: dict[str, Any],
    project: Optional[str],
    provenance: dict[str, Any],
    prepare: Optional[Callable[[np.ndarray], np.ndarray]] = None,
    tags: Optional[dict[str, str]] = None,
) -> None:
    """The fetched pixels as a GeoTIFF at path; prepare(array) -> array changes each chunk before it
    is written, tags are written beside the provenance's."""
    with atomic_file(path) as tmp:  # shared/atomic.py: a killed run's partial is swept by the next write
        with _open_geotiff(tmp, request) as ds:
            for i, b in enumerate(request["bands"], start=1):
                ds.set_band_description(i, b)

            def write(window: Window, arr: np.ndarray) -> None:
                from rasterio.windows import Window

                r, c, h, w = window
                ds.write(arr if prepare is None else prepare(arr), window=Window(c, r, w, h))

            provenance["requests"] = fetch_pixels(ee, image, request, ctx, limits, project, write)
            ds.update_tags(**provenance_tags(provenance), **(tags or {}))


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def _out_dir(source: dict[str, Any], ctx: JobContext) -> str:
    out = source.get("out_dir") or getattr(ctx, "work_dir", None)
    if not out:
        out = tempfile.mkdtemp(prefix="terraembed-ee-")
    os.makedirs(out, exist_ok=True)
    return out


def _copy_from_cache(cached_tif: str, path: str) -> None:
    from ..cache import atomic_copy

    atomic_copy(cached_tif, path)


def imagery_cache(source: dict[str, Any]) -> ImageryCache:
    """The imagery cache a source asks for (its cache_dir and cache_cap_mb, else the defaults)."""
    asked = EarthEngineRequest.read(source, prefix="source.")
    return ImageryCache(asked.cache_dir, asked.cache_cap_mb)


def fetch_composite(source: dict[str, Any], ctx: JobContext) -> tuple[str, dict[str, Any]]:
    """Fetch the median composite described by `source`; return (geotiff_path, provenance).

    source keys (all optional except aoi):
      collection   "S2" (COPERNICUS/S2_SR_HARMONIZED, bands B1..B12 without B10) | "S1"
                   (COPERNICUS/S1_GRD_FLOAT, VV and VH in linear scale) | "DEM"
                   (COPERNICUS/DEM/GLO30, a mosaic of its DEM band, metres; gaps DEM_FILL; no dates)
      aoi          {"bounds": [xmin, ymin, xmax, ymax], "crs": "EPSG:n" or WKT (default EPSG:4326)}
      start, end   ISO dates, end exclusive (default catalogue.DEFAULT_START .. DEFAULT_END)
      scale        pixel size in output CRS units (default 10); crs: output CRS (default: the UTM
                   zone of the AOI centre)
      max_cloud    S2 CLOUDY_PIXEL_PERCENTAGE limit (30); cloud_mask "none" | "scl" | "probability"
                   (cloud_probability_threshold, 40)
      s1_orbit     None | "ASCENDING" | "DESCENDING"; s1_relax_iw (True): drop the IW filter once when
                   no IW image matches
      project      Cloud project (else TERRAEMBED_EE_PROJECT, EE_PROJECT, GOOGLE_CLOUD_PROJECT, the key
                   file's project_id, the project saved by `earthengine set_project`)
      service_account_key  key file (else TERRAEMBED_EE_KEY_FILE, else `earthengine authenticate`
                   credentials or gcloud application-default credentials)
      cache_dir, cache_cap_mb (catalogue.IMAGERY_CACHE_CAP_MB; 0 disables), max_pixels (25e6), workers (4), out_dir
                   (default ctx.work_dir), api_url (e.g. https://earthengine-highvolume.googleapis.com)
      max_request_bytes, max_request_side, min_request_side, block_align, retries, backoff_s,
      backoff_max_s, request_timeout_s: request limits and retry policy (shared/jobs/sources.py)

    The GeoTIFF is float32, north-up, on the grid in provenance["grid"], band descriptions set,
    provenance JSON in the TERRAEMBED_PROVENANCE tag. Raises UserError for anything the user can
    fix, Cancelled when ctx is cancelled; on failure no output file is left."""
    request = normalise(source)
    asked = EarthEngineRequest.read(source, prefix="source.")  # the credentials and the request limits
    limits = asked.request_limits()
    key = request_key(request)
    cache = imagery_cache(source)
    path = os.path.join(_out_dir(source, ctx), "ee_%s_%s.tif" % (request["collection"].lower(), key[:16]))
    hit = cache.get(key)
    if hit is not None:
        return path, _from_cache(hit, path, request, ctx)
    ctx.progress(0.0, tr("Connecting to Earth Engine"))
    init_ctx = ctx.substage(0.0, 0.05)
    project = ensure_initialized(asked, init_ctx, limits)
    import ee

    image, facts = build_image(ee, request, init_ctx, limits, project)
    provenance = _provenance(ee, request, facts, project, key)
    ctx.log(
        tr("Earth Engine: %s, %d image(s) %s..%s, filters %s")
        % (
            request["collection_id"],
            facts["images"],
            request["start"],
            request["end"],
            json.dumps(provenance["filters"], sort_keys=True),
        )
    )
    write_composite(path, ee, image, request, ctx.substage(0.05, 1.0), limits, project, provenance)
    try:
        cache.put(key, path, {"provenance": provenance, "request": request})
    except OSError as exc:
        ctx.warn(tr("Could not store the imagery in the cache %s: %s") % (cache.root, exc))
    ctx.progress(1.0, tr("Earth Engine imagery fetched"))
    return path, provenance


def _from_cache(hit: tuple[str, dict[str, Any]], path: str, request: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """The cached composite copied to path; its provenance, marked as a cache hit."""
    cached_tif, meta = hit
    _copy_from_cache(cached_tif, path)
    ctx.log(
        tr("Earth Engine: %s composite %s..%s from the cache (%s)")
        % (request["collection"], request["start"], request["end"], cached_tif)
    )
    ctx.progress(1.0, tr("Earth Engine imagery from the cache"))
    return dict(meta.get("provenance", {}), cache_hit=True)


def _provenance(ee: Any, request: dict[str, Any], facts: dict[str, Any], project: Any, key: str) -> dict[str, Any]:
    """Where a fetched composite comes from: collection, dates, filters, grid, units, project, versions."""
    provenance = {
        "source": "earthengine",
        "collection": request["collection"],
        "collection_id": request["collection_id"],
        "bands": request["bands"],
        "start": request["start"],
        "end": request["end"],
        "end_exclusive": True,
        "composite": request["composite"],
        "fill": request["fill"],
        "filters": dict(request["filters"]),
        "grid": {k: request["grid"][k] for k in ("crs", "transform", "width", "height", "scale")},
        "units": UNITS[request["collection"]],
        "project": project,
        "cache_key": key,
        "cache_hit": False,
        "fetched_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "earthengine_api": getattr(ee, "__version__", None),
    }
    provenance.update(facts)
    if request["collection"] == "S1":
        provenance["filters"]["instrument_mode"] = facts["instrument_mode"]
        provenance["filters"]["iw_relaxed"] = facts["iw_relaxed"]
    return provenance
