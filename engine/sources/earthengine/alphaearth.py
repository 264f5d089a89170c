"""AlphaEarth Foundations annual embeddings from Earth Engine (catalogue.ALPHAEARTH: the collection
GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL, bands A00..A63): one year over an area as a 64-band float32
embedding raster on the imagery fetch's grid, with an embedding grid's tags (TERRAEMBED_MODEL
"alphaearth", TERRAEMBED_DIM 64, TERRAEMBED_YEAR), so the analysis algorithms take it as they take a
grid of Compute embeddings.

`fetch_alphaearth(source, ctx) -> (geotiff_path, provenance)`, one call per year (an annual series is the
"series" job running the "alphaearth_fetch" job once per year, engine/pipeline/series_job.py). The grid is
the AOI's, or exactly another raster's ("grid_like": alphaearth_grid.py, which fetches on that raster's
lines and averages onto its coarser cells). It shares the imagery fetch's grid (request.make_grid),
limits, initialisation, chunked and retried pixel requests with their deadlines, GeoTIFF writer and
cache (fetch.py): only the expression and the tags are its own. Cells the collection masks (no
embedding that year) are NaN. Which years exist is asked of the collection over the area, so a year it
lacks is refused naming the years it has (NoImagery: a series stops or skips that year, as the user chose).
"""

import datetime
import json
import os
import types
from typing import Any, Optional

import numpy as np

from ....shared import catalogue, raster_tags
from ....shared.errors import NoImagery, UserError
from ....shared.jobs.sources import AlphaEarthSource, EarthEngineRequest
from ...context import JobContext
from ...i18n import tr
from ...pipeline.outputs import base_tags
from ..cache import request_key
from .alphaearth_grid import average_cells, fetch_grids, reference_grid
from .auth import ensure_initialized
from .collections import _region
from .fetch import _copy_from_cache, _out_dir, imagery_cache, write_composite
from .request import make_grid
from .retry import with_retries

PRODUCT = catalogue.ALPHAEARTH
COLLECTION = "ALPHAEARTH"  # the request's "collection" (the imagery fetch's are catalogue.COLLECTIONS)
# Masked cells are filled with this in the request (every component of a unit vector lies in [-1, 1])
# and written as NaN.
MASKED_FILL = -2.0
UNITS = "AlphaEarth embedding components (each cell a unit-length 64-dimensional vector)"


# ------------------------------------------------------------------------------------------------
# The request (no ee)
# ------------------------------------------------------------------------------------------------
def alphaearth_request(source: dict[str, Any]) -> dict[str, Any]:
    """Check a source dict ({"aoi", "year", and the imagery fetch's scale, crs, max_pixels ...}) and
    return the normalised request (JSON-able; its hash is the cache key). UserError on bad input."""
    if not isinstance(source, dict):
        raise UserError(tr("The AlphaEarth source must be a dict."))
    asked = AlphaEarthSource.read(source, prefix="source.")
    year, max_pixels = asked.year, asked.max_pixels
    grid, output = _grids(asked)
    n = grid["width"] * grid["height"]
    if n > max_pixels:
        what = "grid raster" if asked.grid or asked.grid_like else "AOI"
        raise UserError(
            tr(
                "The %s's area is %d x %d = %d cells at %g, over the cap of %d cells (max_pixels). "
                "Use a smaller %s or a coarser scale, or raise the cap."
            )
            % (what, grid["width"], grid["height"], n, grid["scale"], max_pixels, what)
        )
    request = {
        "collection": COLLECTION,
        "collection_id": PRODUCT.collection_id,
        "bands": list(PRODUCT.bands),
        "year": year,
        "start": "%04d-01-01" % year,
        "end": "%04d-01-01" % (year + 1),
        "composite": "mosaic",
        "fill": MASKED_FILL,
        "nodata": "nan",
        "dtype": "float32",
        "grid": {k: grid[k] for k in ("crs", "crs_for_ee", "transform", "width", "height", "scale")},
    }
    if output is not None:  # the fetched cells are averaged onto this grid (alphaearth_grid.py)
        request["output_grid"] = output
    return request


def _grids(asked: AlphaEarthSource) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
    """(the grid to fetch, the grid it is averaged onto or None): the AOI's grid at the scale, or, with
    "grid" (a reference grid, alphaearth_grid.reference_grid's form) or "grid_like" (a raster's path),
    that raster's grid (alphaearth_grid.fetch_grids)."""
    if asked.grid or asked.grid_like:
        reference = dict(asked.grid) if asked.grid else reference_grid(str(asked.grid_like))
        return fetch_grids(reference)
    return make_grid(dict(asked.aoi) if asked.aoi else None, asked.scale, asked.crs), None


def nan_where_masked(arr: np.ndarray) -> np.ndarray:
    """A fetched (bands, h, w) chunk with the cells Earth Engine masked (MASKED_FILL) set to NaN."""
    masked = (arr == np.float32(MASKED_FILL)).any(axis=0)
    if masked.any():
        arr = arr.copy()
        arr[:, masked] = np.nan
    return arr


# ------------------------------------------------------------------------------------------------
# The Earth Engine expression (ee is passed in)
# ------------------------------------------------------------------------------------------------
def alphaearth_image(ee, request):
    """(the image of the year: the collection's tiles over the area mosaicked, the 64 bands, masked
    cells MASKED_FILL, float32; the question of the years the area has and the year's tile count)."""
    here = ee.ImageCollection(request["collection_id"]).filterBounds(_region(ee, request["grid"]))
    of_year = here.filterDate(request["start"], request["end"])
    years = here.aggregate_array("system:time_start").map(lambda t: ee.Date(t).get("year")).distinct().sort()
    question = ee.Dictionary({"years": years, "images": of_year.size()})
    image = of_year.mosaic().select(request["bands"]).unmask(request["fill"]).toFloat()
    return image, question


def check_year(answer, request):
    """(tile count, the years the area has) from the collection's answer; UserError naming the years
    when the request's year is not one of them."""
    years = sorted(int(y) for y in (answer or {}).get("years") or [])
    images = int((answer or {}).get("images") or 0)
    if not years:
        raise NoImagery(
            tr(
                "AlphaEarth (%s) has no embeddings over this area in any year. Choose an area on land or "
                "near the coast."
            )
            % request["collection_id"]
        )
    if request["year"] not in years or images == 0:
        raise NoImagery(
            tr("AlphaEarth (%s) has no embeddings of %d over this area; it has %s. Choose one of those years.")
            % (request["collection_id"], request["year"], year_list(years)),
            images,
        )
    return images, years


def year_list(years):
    """'2017-2025' for consecutive years, else '2017, 2019, 2020'."""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return "%d-%d" % (years[0], years[-1])
    return ", ".join(str(y) for y in years)


# ------------------------------------------------------------------------------------------------
# Tags and provenance
# ------------------------------------------------------------------------------------------------
def embedding_tags(request: dict[str, Any]) -> dict[str, str]:
    """The tags of an embedding grid (engine/pipeline/outputs.base_tags) for a fetched AlphaEarth year."""
    made_by = types.SimpleNamespace(
        spec=PRODUCT, weights_description="none: published by Google (%s)" % PRODUCT.collection_id, precision="float32"
    )
    source = "Earth Engine %s, %d" % (request["collection_id"], request["year"])
    extra = {
        raster_tags.YEAR: str(request["year"]),
        raster_tags.LICENCE: PRODUCT.licence,
        raster_tags.ATTRIBUTION: PRODUCT.attribution,
        raster_tags.NODATA: "NaN: cells AlphaEarth masks in that year",
    }
    return base_tags(made_by, "none (published annual embeddings)", source, extra)


def _provenance(request, project, images, years, key, ee):
    grid = request.get("output_grid") or request["grid"]
    averaged = {}
    if request.get("output_grid"):
        fetched = request["grid"]
        averaged = {
            "fetched_grid": {k: fetched[k] for k in ("crs", "transform", "width", "height", "scale")},
            "cells_averaged": list(request["output_grid"]["cells"]),
        }
    return {
        **averaged,
        "source": "earthengine",
        "collection": COLLECTION,
        "collection_id": request["collection_id"],
        "bands": request["bands"],
        "year": request["year"],
        "years_available": years,
        "start": request["start"],
        "end": request["end"],
        "end_exclusive": True,
        "composite": "mosaic",
        "fill": "NaN where masked",
        "images": images,
        "grid": {k: grid[k] for k in ("crs", "transform", "width", "height", "scale")},
        "units": UNITS,
        "licence": PRODUCT.licence,
        "attribution": PRODUCT.attribution,
        "project": project,
        "cache_key": key,
        "cache_hit": False,
        "fetched_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "earthengine_api": getattr(ee, "__version__", None),
    }


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def fetch_alphaearth(source: dict[str, Any], ctx: JobContext) -> tuple[str, dict[str, Any]]:
    """Fetch one year of AlphaEarth embeddings over source["aoi"]; return (geotiff_path, provenance).

    source: "aoi" ({"bounds", "crs"}), or "grid_like" (a raster's path: the year on exactly its grid, see
    alphaearth_grid.py; "grid": that grid already read), "year" (default the last published year,
    catalogue.ALPHAEARTH), and the keys of sources.earthengine.fetch_composite other than the collection,
    dates and filters (scale 10 m, crs, project, service_account_key, cache_dir, cache_cap_mb, max_pixels, workers,
    out_dir, api_url, the request limits and retries). The GeoTIFF is 64 float32 bands A00..A63 on the
    grid in provenance["grid"], nodata NaN, with the embedding grid's tags and the provenance's. A
    repeated request is served from the imagery cache without a connection. UserError for anything
    the user can fix (a year the collection lacks: named with the years it has), Cancelled on cancel;
    on failure no output file is left."""
    request = alphaearth_request(source)
    asked = EarthEngineRequest.read(source, prefix="source.")  # the credentials and the request limits
    limits_ = asked.request_limits()
    key = request_key(request)
    cache = imagery_cache(source)
    path = os.path.join(_out_dir(source, ctx), "alphaearth_%d_%s.tif" % (request["year"], key[:16]))
    hit = cache.get(key)
    if hit is not None:
        cached_tif, meta = hit
        _copy_from_cache(cached_tif, path)
        ctx.log(tr("Earth Engine: AlphaEarth %d from the cache (%s)") % (request["year"], cached_tif))
        ctx.progress(1.0, "AlphaEarth embeddings from the cache")
        return path, dict(meta.get("provenance", {}), cache_hit=True)

    ctx.progress(0.0, tr("Connecting to Earth Engine"))
    init_ctx = ctx.substage(0.0, 0.05)
    project = ensure_initialized(asked, init_ctx, limits_)
    import ee

    image, question = alphaearth_image(ee, request)
    answer = with_retries(question.getInfo, init_ctx, limits_, "the years of AlphaEarth over the area", project)
    images, years = check_year(answer, request)
    provenance = _provenance(request, project, images, years, key, ee)
    ctx.log(
        tr("Earth Engine: %s, %d, %d tile(s) over the area (the area has %s)")
        % (request["collection_id"], request["year"], images, year_list(years))
    )
    ctx.log(tr("AlphaEarth is licensed %s: %s") % (PRODUCT.licence, PRODUCT.attribution))
    if "output_grid" not in request and (source.get("grid") or source.get("grid_like")):
        grid = request["grid"]
        ctx.log(
            tr(
                "AlphaEarth %d fetched on the grid raster's own grid of %d x %d cells (Earth Engine resamples its "
                "10 m layer onto it)."
            )
            % (request["year"], grid["width"], grid["height"])
        )
    tags = dict(embedding_tags(request), **{raster_tags.YEARS_AVAILABLE: json.dumps(years)})
    _write(path, ee, image, request, ctx.substage(0.05, 1.0), (limits_, project, provenance), tags)
    try:
        cache.put(key, path, {"provenance": provenance, "request": request})
    except OSError as exc:
        ctx.warn(tr("Could not store the embeddings in the cache %s: %s") % (cache.root, exc))
    ctx.progress(1.0, "AlphaEarth embeddings fetched")
    return path, provenance


def _write(path, ee, image, request, ctx, fetch, tags):
    """Fetch the request's grid into `path`; or, with an output grid, into a file beside it whose cells are
    then averaged onto the output grid at `path` (alphaearth_grid.average_cells)."""
    limits_, project, provenance = fetch
    output = request.get("output_grid")
    if output is None:
        write_composite(
            path, ee, image, request, ctx, limits_, project, provenance, prepare=nan_where_masked, tags=tags
        )
        return
    kx, ky = output["cells"]
    tags = dict(tags, **{raster_tags.RESAMPLED: "mean of the %d x %d AlphaEarth cells of %g x %g in each cell" % (
        kx, ky, request["grid"]["transform"][0], -request["grid"]["transform"][4])})  # fmt: skip
    fetched = path + ".fetched.tif"
    try:
        write_composite(fetched, ee, image, request, ctx.substage(0.0, 0.9), limits_, project, provenance,
                        prepare=nan_where_masked, tags=tags)  # fmt: skip
        ctx.log(
            tr(
                "AlphaEarth %d fetched on the grid raster's cells cut into %d x %d cells of about 10 m, then averaged "
                "onto its grid (%d x %d cells; each the mean of the unit vectors it covers, masked cells left out)."
            )
            % (request["year"], kx, ky, output["width"], output["height"])
        )
        average_cells(fetched, path, request, ctx.substage(0.9, 1.0))
    except BaseException:
        if os.path.exists(path):
            os.remove(path)
        raise
    finally:
        if os.path.exists(fetched):
            os.remove(fetched)
