"""Request normalisation (no ee): dates, collection, AOI, grid, filters and the request limits of a
source dict, read through its contract (shared/jobs/sources.py: every key's default and valid range); the
grid is the AOI's bounds in the output CRS snapped outwards to multiples of the scale."""

import datetime
import math
from typing import Any, Optional

from ....shared.catalogue import DEFAULT_END, DEFAULT_START, ORBIT_ANY
from ....shared.errors import UserError
from ....shared.jobs.sources import ImagerySource
from ...geo import parse_crs, utm_crs
from ...i18n import tr
from .collections import COLLECTIONS, DEM_FILL, SCL_MASKED_CLASSES


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
    imagery = ImagerySource.read(source, prefix="source.")
    key = imagery.collection
    if key not in COLLECTIONS:  # several sensors are fetched one by one (pipeline/common.fetch_source)
        raise UserError(
            tr(
                "Unknown Earth Engine collection %r; use 'S2' (Sentinel-2 SR), 'S1' (Sentinel-1 GRD) or "
                "'DEM' (Copernicus DEM GLO-30)."
            )
            % source.get("collection")
        )
    start, end = check_dates(imagery.start, imagery.end)
    grid = make_grid(imagery.aoi, imagery.scale, imagery.crs)
    n = grid["width"] * grid["height"]
    if n > imagery.max_pixels:
        raise UserError(
            tr(
                "The AOI is %d x %d = %d pixels at scale %g, over the cap of %d pixels (max_pixels). "
                "Use a smaller AOI or a coarser scale, or raise the cap."
            )
            % (grid["width"], grid["height"], n, imagery.scale, imagery.max_pixels)
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
        filters = _s2_filters(imagery)
    else:
        filters = _s1_filters(imagery)
    request["filters"] = filters
    return request


def _s2_filters(imagery: ImagerySource) -> dict[str, Any]:
    """The Sentinel-2 filters: the cloud limit and the cloud mask with its settings."""
    filters: dict[str, Any] = {"max_cloud": imagery.max_cloud, "cloud_mask": imagery.cloud_mask}
    if imagery.cloud_mask == "scl":
        filters["scl_masked_classes"] = list(SCL_MASKED_CLASSES)
    if imagery.cloud_mask == "probability":
        filters["cloud_probability_threshold"] = imagery.cloud_probability_threshold
    return filters


def _s1_filters(imagery: ImagerySource) -> dict[str, Any]:
    """The Sentinel-1 filters: polarisations, instrument mode (relaxed or not) and the orbit."""
    return {
        "polarisations": ["VV", "VH"],
        "prefer_instrument_mode": "IW",
        "relax_iw": imagery.s1_relax_iw,
        "orbit": None if imagery.s1_orbit == ORBIT_ANY else imagery.s1_orbit,
    }
