"""Request normalisation (no ee): dates, collection, AOI, grid, filters and the request limits of a
source dict; the grid is the AOI's bounds in the output CRS snapped outwards to multiples of the scale."""

import datetime
import math
from typing import Any, Optional

from ....shared import catalogue, keys
from ....shared.catalogue import DEFAULT_END, DEFAULT_START, ORBIT_ANY, ORBITS
from ....shared.errors import UserError
from ...geo import parse_crs, utm_crs
from ...i18n import tr
from .collections import CLOUD_MASKS, COLLECTIONS, DEM_FILL, SCL_MASKED_CLASSES

DEFAULTS: dict[str, Any] = {
    "scale": catalogue.DEFAULT_PIXEL_SIZE_M,
    "max_cloud": catalogue.DEFAULT_MAX_CLOUD,
    "cloud_mask": catalogue.CLOUD_MASKS[0],
    "cloud_probability_threshold": 40,  # cloud_mask="probability": mask pixels with p >= this
    "s1_orbit": None,
    "s1_relax_iw": True,
    "cache_cap_mb": catalogue.IMAGERY_CACHE_CAP_MB,
    "max_pixels": 25_000_000,  # AOI cap (pixels of the output grid)
    "workers": 4,
    # per-request limits of computePixels (the service answers 48 MiB / 32768 px per side)
    "max_request_bytes": 32 * 1024 * 1024,
    "max_request_side": 32768,
    "min_request_side": 8,  # splitting below this gives up
    "block_align": 256,  # chunk sides are multiples of this when larger
    "retries": 5,  # retries of one request on 429/5xx/network errors
    "backoff_s": 1.0,  # first retry delay; doubles each time (with jitter)
    "backoff_max_s": 60.0,
    "request_timeout_s": 300.0,
    "api_url": None,  # None: the library's default endpoint
}


# ------------------------------------------------------------------------------------------------
# Request normalisation (no ee)
# ------------------------------------------------------------------------------------------------
def _parse_date(value: object, name: str) -> datetime.date:
    try:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if "T" in text:
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise UserError(tr("The %s date %r is not a date; use the ISO form YYYY-MM-DD.") % (name, value)) from None


def check_dates(start: object, end: object, today: Optional[datetime.date] = None) -> tuple[str, str]:
    """(start, end) as ISO strings; end is exclusive (Earth Engine's filterDate)."""
    s = _parse_date(DEFAULT_START if start in (None, "") else start, "start")
    e = _parse_date(DEFAULT_END if end in (None, "") else end, "end")
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    if s >= e:
        raise UserError(
            tr(
                "The start date %s is not before the end date %s; swap them or pick a later end "
                "date (the end date is exclusive)."
            )
            % (s.isoformat(), e.isoformat())
        )
    if e > today + datetime.timedelta(days=1):
        raise UserError(
            tr(
                "The end date %s is in the future (today is %s, UTC); pick an end date up to "
                "tomorrow (the end date is exclusive)."
            )
            % (e.isoformat(), today.isoformat())
        )
    return s.isoformat(), e.isoformat()


def _number(
    source: dict[str, Any],
    key: str,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    integer: bool = False,
) -> float:
    """source[key] (DEFAULTS[key] when missing), checked by the jobs' key checks (shared/keys.py)."""
    return keys.number(source, key, DEFAULTS[key], minimum, maximum, integer, label="The job's 'source.%s'" % key)


def _crs_for_ee(crs: Any) -> dict[str, str]:
    """{"crsCode": "EPSG:n"} or {"crsWkt": ...} for an output CRS."""
    epsg = crs.to_epsg()
    if epsg:
        return {"crsCode": "EPSG:%d" % epsg}
    return {"crsWkt": crs.to_wkt()}


def make_grid(aoi: object, scale: float, crs: Optional[str] = None) -> dict[str, Any]:
    """The output grid of an AOI: {"crs", "crs_for_ee", "transform" (GDAL order), "width", "height",
    "scale", "bounds"}. The AOI's bounds are transformed to the output CRS and snapped outwards
    to multiples of the scale, so grids of overlapping AOIs at one scale line up."""
    from rasterio.warp import transform_bounds

    if not isinstance(aoi, dict) or "bounds" not in aoi:
        raise UserError(tr("The Earth Engine source needs an AOI: {'bounds': [xmin, ymin, xmax, ymax], 'crs': ...}."))
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in aoi["bounds"])
    except (TypeError, ValueError):
        raise UserError(
            tr("The AOI bounds %r are not four numbers [xmin, ymin, xmax, ymax].") % (aoi["bounds"],)
        ) from None
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmin >= xmax or ymin >= ymax:
        raise UserError(
            tr("The AOI bounds %r are empty or not finite (need xmin < xmax, ymin < ymax).") % (aoi["bounds"],)
        )
    aoi_crs = parse_crs(aoi.get("crs") or "EPSG:4326", "AOI")
    lon0, lat0, lon1, lat1 = transform_bounds(aoi_crs, "EPSG:4326", xmin, ymin, xmax, ymax, densify_pts=21)
    out_crs = parse_crs(crs, "output") if crs else utm_crs((lon0 + lon1) / 2.0, (lat0 + lat1) / 2.0)
    if out_crs.is_geographic and scale > 1:
        raise UserError(
            tr(
                "The output CRS is geographic, so the scale is in degrees; %s degrees is not a "
                "sensible pixel size. Use a projected CRS or a scale in degrees."
            )
            % scale
        )
    bx0, by0, bx1, by1 = transform_bounds(aoi_crs, out_crs, xmin, ymin, xmax, ymax, densify_pts=21)
    eps = 1e-6
    c0, c1 = math.floor(bx0 / scale + eps), math.ceil(bx1 / scale - eps)
    r0, r1 = math.floor(by0 / scale + eps), math.ceil(by1 / scale - eps)
    width, height = max(1, c1 - c0), max(1, r1 - r0)
    x0, y0 = c0 * scale, r1 * scale
    return {
        "crs": out_crs.to_string(),
        "crs_for_ee": _crs_for_ee(out_crs),
        "transform": [scale, 0.0, x0, 0.0, -scale, y0],
        "width": width,
        "height": height,
        "scale": scale,
        "bounds": [x0, y0 - height * scale, x0 + width * scale, y0],
    }


def normalise(source: dict[str, Any]) -> dict[str, Any]:
    """Check a source dict and return the normalised request (a JSON-able dict). UserError on bad
    input. Imports no ee."""
    if not isinstance(source, dict):
        raise UserError(tr("The Earth Engine source must be a dict."))
    key = str(source.get("collection") or "S2").upper()
    if key not in COLLECTIONS:
        raise UserError(
            tr(
                "Unknown Earth Engine collection %r; use 'S2' (Sentinel-2 SR), 'S1' (Sentinel-1 GRD) or "
                "'DEM' (Copernicus DEM GLO-30)."
            )
            % source.get("collection")
        )
    start, end = check_dates(source.get("start"), source.get("end"))
    scale = _number(source, "scale", minimum=1e-9, maximum=100000)
    grid = make_grid(source.get("aoi"), scale, source.get("crs"))
    max_pixels = _number(source, "max_pixels", minimum=1, integer=True)
    n = grid["width"] * grid["height"]
    if n > max_pixels:
        raise UserError(
            tr(
                "The AOI is %d x %d = %d pixels at scale %g, over the cap of %d pixels (max_pixels). "
                "Use a smaller AOI or a coarser scale, or raise the cap."
            )
            % (grid["width"], grid["height"], n, scale, max_pixels)
        )
    request = {
        "collection": key,
        "collection_id": COLLECTIONS[key]["id"],
        "bands": list(COLLECTIONS[key]["bands"]),
        "start": start,
        "end": end,
        "composite": "median",
        "fill": 0,
        "dtype": "float32",
        "grid": {k: grid[k] for k in ("crs", "crs_for_ee", "transform", "width", "height", "scale")},
    }
    if key == "DEM":
        request.update(composite="mosaic", fill=DEM_FILL)
        filters = {}
    elif key == "S2":
        filters = _s2_filters(source)
    else:
        filters = _s1_filters(source)
    request["filters"] = filters
    return request


def _s2_filters(source):
    """The Sentinel-2 filters: the cloud limit and the cloud mask with its settings."""
    mask = str(source.get("cloud_mask") or "none").lower()
    if mask not in CLOUD_MASKS:
        raise UserError(
            tr("Unknown cloud_mask %r; use one of %s.") % (source.get("cloud_mask"), ", ".join(CLOUD_MASKS))
        )
    filters = {"max_cloud": _number(source, "max_cloud", 0, 100), "cloud_mask": mask}
    if mask == "scl":
        filters["scl_masked_classes"] = list(SCL_MASKED_CLASSES)
    if mask == "probability":
        filters["cloud_probability_threshold"] = _number(source, "cloud_probability_threshold", 0, 100)
    return filters


def _s1_filters(source):
    """The Sentinel-1 filters: polarisations, instrument mode (relaxed or not) and the orbit."""
    orbit = source.get("s1_orbit")
    passes = [o for o in ORBITS if o != ORBIT_ANY]
    if orbit not in (None, "") and str(orbit).lower() not in (ORBIT_ANY, "both"):
        orbit = str(orbit).upper()
        if orbit not in passes:
            raise UserError(tr("s1_orbit must be %s or empty, not %r.") % (", ".join(passes), source.get("s1_orbit")))
    else:
        orbit = None
    relax = source.get("s1_relax_iw")
    return {
        "polarisations": ["VV", "VH"],
        "prefer_instrument_mode": "IW",
        "relax_iw": True if relax is None else bool(relax),
        "orbit": orbit,
    }


def _limits(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "workers": _number(source, "workers", 1, 32, integer=True),
        "max_request_bytes": _number(source, "max_request_bytes", 1, integer=True),
        "max_request_side": _number(source, "max_request_side", 1, 32768, integer=True),
        "min_request_side": _number(source, "min_request_side", 1, integer=True),
        "block_align": _number(source, "block_align", 1, integer=True),
        "retries": _number(source, "retries", 0, 50, integer=True),
        "backoff_s": _number(source, "backoff_s", 0, 600),
        "backoff_max_s": _number(source, "backoff_max_s", 0, 3600),
        "request_timeout_s": _number(source, "request_timeout_s", 0, 86400),
    }
