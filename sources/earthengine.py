"""Google Earth Engine imagery source: a median composite of Sentinel-2 or Sentinel-1 over an AOI,
fetched on an explicit pixel grid and written as a north-up float32 GeoTIFF.

`fetch_composite(source, ctx) -> (geotiff_path, provenance)` is the entry point (the embed pipeline
calls it for job["source"]["kind"] == "earthengine"; the "ee_fetch" job in earthengine_job.py wraps
it). What happens, in order:

1. The source dict is checked and normalised (dates, collection, AOI, grid, limits) without
   importing `ee`: the grid is the AOI's bounds in the output CRS (default: the UTM zone of the AOI
   centre) snapped outwards to multiples of the scale.
2. The on-disk cache (cache.py) is looked up with a hash of the full request; a hit is copied to
   out_dir and returned with no network and no Earth Engine initialisation.
3. Otherwise project and credentials are resolved (UserError when missing), `ee` is imported and
   initialised (once per process and settings), the collection is filtered and its size asked
   (S1: without the IW filter if none are IW and relaxing is allowed), and the composite's pixels
   are requested with ee.data.computePixels (NPY) in chunks under the per-request limits, in a
   bounded thread pool, with retries and backoff on 429/5xx/network errors and recursive splitting
   on "request too large" answers. Chunks are written into the GeoTIFF by window as they arrive.

Credentials (service-account key contents, tokens) are never logged or stored in provenance.
"""
import concurrent.futures
import datetime
import json
import math
import os
import random
import tempfile
import threading
import time

import numpy as np

from ..engine.errors import Cancelled, UserError
from ..engine.geo import utm_epsg
from .cache import ImageryCache, request_key

S2_BANDS = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12"]
S1_BANDS = ["VV", "VH"]
COLLECTIONS = {
    "S2": {"id": "COPERNICUS/S2_SR_HARMONIZED", "bands": S2_BANDS},
    "S1": {"id": "COPERNICUS/S1_GRD_FLOAT", "bands": S1_BANDS},
}
S2_CLOUD_PROBABILITY_ID = "COPERNICUS/S2_CLOUD_PROBABILITY"
# SCL classes masked by cloud_mask="scl": 3 cloud shadow, 8 cloud medium probability,
# 9 cloud high probability, 10 thin cirrus.
SCL_MASKED_CLASSES = [3, 8, 9, 10]
CLOUD_MASKS = ("none", "scl", "probability")
UNITS = {"S2": "surface reflectance x 10000", "S1": "backscatter coefficient, linear power"}
DEFAULT_START, DEFAULT_END = "2022-06-01", "2022-09-01"
EE_SCOPES = ["https://www.googleapis.com/auth/earthengine",
             "https://www.googleapis.com/auth/cloud-platform"]
REGISTER_URL = "https://code.earthengine.google.com/register"

DEFAULTS = {
    "scale": 10.0,
    "max_cloud": 30.0,
    "cloud_mask": "none",
    "cloud_probability_threshold": 40,   # cloud_mask="probability": mask pixels with p >= this
    "s1_orbit": None,
    "s1_relax_iw": True,
    "cache_cap_mb": 2000,
    "max_pixels": 25_000_000,            # AOI cap (pixels of the output grid)
    "workers": 4,
    # per-request limits of computePixels (the service answers 48 MiB / 32768 px per side)
    "max_request_bytes": 32 * 1024 * 1024,
    "max_request_side": 32768,
    "min_request_side": 8,               # splitting below this gives up
    "block_align": 256,                  # chunk sides are multiples of this when larger
    "retries": 5,                        # retries of one request on 429/5xx/network errors
    "backoff_s": 1.0,                    # first retry delay; doubles each time (with jitter)
    "backoff_max_s": 60.0,
    "request_timeout_s": 300.0,
    "api_url": None,                     # None: the library's default endpoint
}
SPLIT_PATTERNS = ("total request size", "too many pixels", "request payload size", "must be less than or equal to",
                  "user memory limit exceeded", "computation timed out", "pixel grid dimensions")
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)


# ------------------------------------------------------------------------------------------------
# Request normalisation (no ee)
# ------------------------------------------------------------------------------------------------
def _parse_date(value, name):
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
        raise UserError("The %s date %r is not a date; use the ISO form YYYY-MM-DD." % (name, value)) from None


def check_dates(start, end, today=None):
    """(start, end) as ISO strings; end is exclusive (Earth Engine's filterDate)."""
    s = _parse_date(DEFAULT_START if start in (None, "") else start, "start")
    e = _parse_date(DEFAULT_END if end in (None, "") else end, "end")
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    if s >= e:
        raise UserError("The start date %s is not before the end date %s; swap them or pick a later end "
                        "date (the end date is exclusive)." % (s.isoformat(), e.isoformat()))
    if e > today + datetime.timedelta(days=1):
        raise UserError("The end date %s is in the future (today is %s, UTC); pick an end date up to "
                        "tomorrow (the end date is exclusive)." % (e.isoformat(), today.isoformat()))
    return s.isoformat(), e.isoformat()


def _number(source, key, minimum=None, maximum=None, integer=False):
    value = source.get(key)
    if value is None:
        value = DEFAULTS[key]
    try:
        value = int(value) if integer else float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
    except (TypeError, ValueError):
        raise UserError("'%s' must be a number, not %r." % (key, source.get(key))) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise UserError("'%s' is %s; it must be between %s and %s." % (key, value, minimum, maximum))
    return value


def _crs(value, what):
    from rasterio.crs import CRS
    from rasterio.errors import CRSError
    try:
        crs = CRS.from_user_input(value)
    except (CRSError, TypeError, ValueError):
        raise UserError("The %s CRS %r is not a CRS rasterio understands; use 'EPSG:xxxx' or WKT." % (what, value)) \
            from None
    return crs


def _crs_for_ee(crs):
    """{"crsCode": "EPSG:n"} or {"crsWkt": ...} for an output CRS."""
    epsg = crs.to_epsg()
    if epsg:
        return {"crsCode": "EPSG:%d" % epsg}
    return {"crsWkt": crs.to_wkt()}


def utm_crs_for(lon, lat):
    return "EPSG:%d" % utm_epsg(lon, lat)


def make_grid(aoi, scale, crs=None):
    """The output grid of an AOI: {"crs", "crs_for_ee", "transform" (GDAL order), "width", "height",
    "scale", "bounds"}. The AOI's bounds are transformed to the output CRS and snapped outwards
    to multiples of the scale, so grids of overlapping AOIs at one scale line up."""
    from rasterio.warp import transform_bounds
    if not isinstance(aoi, dict) or "bounds" not in aoi:
        raise UserError("The Earth Engine source needs an AOI: {'bounds': [xmin, ymin, xmax, ymax], 'crs': ...}.")
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in aoi["bounds"])
    except (TypeError, ValueError):
        raise UserError("The AOI bounds %r are not four numbers [xmin, ymin, xmax, ymax]." % (aoi["bounds"],)) \
            from None
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmin >= xmax or ymin >= ymax:
        raise UserError("The AOI bounds %r are empty or not finite (need xmin < xmax, ymin < ymax)."
                        % (aoi["bounds"],))
    aoi_crs = _crs(aoi.get("crs") or "EPSG:4326", "AOI")
    lon0, lat0, lon1, lat1 = transform_bounds(aoi_crs, "EPSG:4326", xmin, ymin, xmax, ymax, densify_pts=21)
    out_crs = _crs(crs, "output") if crs else _crs(utm_crs_for((lon0 + lon1) / 2.0, (lat0 + lat1) / 2.0), "output")
    if out_crs.is_geographic and scale > 1:
        raise UserError("The output CRS is geographic, so the scale is in degrees; %s degrees is not a "
                        "sensible pixel size. Use a projected CRS or a scale in degrees." % scale)
    bx0, by0, bx1, by1 = transform_bounds(aoi_crs, out_crs, xmin, ymin, xmax, ymax, densify_pts=21)
    eps = 1e-6
    c0, c1 = math.floor(bx0 / scale + eps), math.ceil(bx1 / scale - eps)
    r0, r1 = math.floor(by0 / scale + eps), math.ceil(by1 / scale - eps)
    width, height = max(1, c1 - c0), max(1, r1 - r0)
    x0, y0 = c0 * scale, r1 * scale
    return {"crs": out_crs.to_string(), "crs_for_ee": _crs_for_ee(out_crs),
            "transform": [scale, 0.0, x0, 0.0, -scale, y0], "width": width, "height": height,
            "scale": scale, "bounds": [x0, y0 - height * scale, x0 + width * scale, y0]}


def normalise(source):
    """Check a source dict and return the normalised request (a JSON-able dict). UserError on bad
    input. Imports no ee."""
    if not isinstance(source, dict):
        raise UserError("The Earth Engine source must be a dict.")
    key = str(source.get("collection") or "S2").upper()
    if key not in COLLECTIONS:
        raise UserError("Unknown Earth Engine collection %r; use 'S2' (Sentinel-2 SR) or 'S1' (Sentinel-1 GRD)."
                        % source.get("collection"))
    start, end = check_dates(source.get("start"), source.get("end"))
    scale = _number(source, "scale", minimum=1e-9, maximum=100000)
    grid = make_grid(source.get("aoi"), scale, source.get("crs"))
    max_pixels = _number(source, "max_pixels", minimum=1, integer=True)
    n = grid["width"] * grid["height"]
    if n > max_pixels:
        raise UserError("The AOI is %d x %d = %d pixels at scale %g, over the cap of %d pixels (max_pixels). "
                        "Use a smaller AOI or a coarser scale, or raise the cap."
                        % (grid["width"], grid["height"], n, scale, max_pixels))
    request = {"collection": key, "collection_id": COLLECTIONS[key]["id"], "bands": list(COLLECTIONS[key]["bands"]),
               "start": start, "end": end, "composite": "median", "fill": 0, "dtype": "float32",
               "grid": {k: grid[k] for k in ("crs", "crs_for_ee", "transform", "width", "height", "scale")}}
    if key == "S2":
        mask = str(source.get("cloud_mask") or "none").lower()
        if mask not in CLOUD_MASKS:
            raise UserError("Unknown cloud_mask %r; use one of %s." % (source.get("cloud_mask"), ", ".join(CLOUD_MASKS)))
        filters = {"max_cloud": _number(source, "max_cloud", 0, 100), "cloud_mask": mask}
        if mask == "scl":
            filters["scl_masked_classes"] = list(SCL_MASKED_CLASSES)
        if mask == "probability":
            filters["cloud_probability_threshold"] = _number(source, "cloud_probability_threshold", 0, 100)
    else:
        orbit = source.get("s1_orbit")
        if orbit not in (None, "") and str(orbit).lower() not in ("any", "both"):
            orbit = str(orbit).upper()
            if orbit not in ("ASCENDING", "DESCENDING"):
                raise UserError("s1_orbit must be ASCENDING, DESCENDING or empty, not %r." % source.get("s1_orbit"))
        else:
            orbit = None
        relax = source.get("s1_relax_iw")
        filters = {"polarisations": ["VV", "VH"], "prefer_instrument_mode": "IW",
                   "relax_iw": True if relax is None else bool(relax), "orbit": orbit}
    request["filters"] = filters
    return request


def _limits(source):
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


# ------------------------------------------------------------------------------------------------
# Chunking (pure)
# ------------------------------------------------------------------------------------------------
def plan_chunks(width, height, bytes_per_pixel, max_bytes, max_side, align=256):
    """Windows (row, col, height, width) tiling a width x height grid exactly, each under
    max_bytes and max_side; sides are multiples of `align` when larger than it."""
    max_px = max(1, int(max_bytes) // int(bytes_per_pixel))
    max_side = max(1, int(max_side))

    def fit(n, total):
        n = max(1, min(int(n), max_side, total))
        return n - n % align if align < n < total else n

    if width <= max_side and width * min(height, align) <= max_px:
        cw = width  # full-width strips
    else:
        cw = fit(math.isqrt(max_px), width)
    ch = fit(max_px // cw, height)
    return [(r, c, min(ch, height - r), min(cw, width - c))
            for r in range(0, height, ch) for c in range(0, width, cw)]


def split_window(window):
    """Two halves of a window along its longer side."""
    r, c, h, w = window
    if w >= h:
        a = w // 2
        return [(r, c, h, a), (r, c + a, h, w - a)]
    a = h // 2
    return [(r, c, a, w), (r + a, c, h - a, w)]


def window_grid(grid, window):
    """The computePixels grid of a window of the output grid."""
    r, c, h, w = window
    sx, _, x0, _, sy, y0 = grid["transform"]
    out = {"dimensions": {"width": int(w), "height": int(h)},
           "affineTransform": {"scaleX": sx, "shearX": 0.0, "translateX": x0 + c * sx,
                               "shearY": 0.0, "scaleY": sy, "translateY": y0 + r * sy}}
    out.update(grid["crs_for_ee"])
    return out


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------
def _http_status(exc):
    """The HTTP status behind an exception (ee wraps googleapiclient's HttpError in EEException,
    keeping it as __context__)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        resp = getattr(exc, "resp", None)
        status = getattr(resp, "status", None) if resp is not None else getattr(exc, "status_code", None)
        if status is not None:
            try:
                return int(status)
            except (TypeError, ValueError):
                return None
        exc = exc.__cause__ or exc.__context__
    return None


def _is_network_error(exc):
    import socket
    kinds = [ConnectionError, TimeoutError, socket.timeout, socket.gaierror]
    try:
        import httplib2
        kinds.append(httplib2.HttpLib2Error)
    except ImportError:
        pass
    try:
        from google.auth.exceptions import TransportError
        kinds.append(TransportError)
    except ImportError:
        pass
    try:
        import requests
        kinds.append(requests.exceptions.ConnectionError)
        kinds.append(requests.exceptions.Timeout)
    except ImportError:
        pass
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, tuple(kinds)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def classify(exc):
    """'split' (request too large), 'retry' (429/5xx), 'network' or 'fatal'."""
    if isinstance(exc, (Cancelled, UserError)):
        return "fatal"
    text = str(exc).lower()
    status = _http_status(exc)
    if any(p in text for p in SPLIT_PATTERNS):
        return "split"
    if status in RETRY_STATUSES or "resource_exhausted" in text or "too many concurrent" in text:
        return "retry"
    if status is None and _is_network_error(exc):
        return "network"
    return "fatal"


def _short(exc, limit=300):
    text = str(exc).strip().replace("\n", " ") or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "..."


def exhausted_error(exc, attempts, what):
    """The UserError after `attempts` failed tries of a retryable error."""
    status = _http_status(exc)
    if status == 429 or "resource_exhausted" in str(exc).lower() or "quota" in str(exc).lower():
        return UserError(
            "Earth Engine refused %s: quota or rate limit exceeded (HTTP 429: %s), still after %d attempts. "
            "Wait a few minutes and run again, lower 'workers' (parallel requests), or check the Earth Engine "
            "quota of the Cloud project. Imagery fetched before is served from the cache." % (what, _short(exc), attempts))
    if status is not None:
        return UserError(
            "Earth Engine kept failing on %s (HTTP %d: %s), %d attempts. The service may be having problems; "
            "try again later." % (what, status, _short(exc), attempts))
    return UserError(
        "Cannot reach Earth Engine for %s (%s: %s), %d attempts. Check the internet connection or proxy "
        "and try again; imagery fetched before is served from the cache without a connection."
        % (what, type(exc).__name__, _short(exc), attempts))


def fatal_error(exc, what, project=None):
    """A UserError for a non-retryable Earth Engine answer."""
    status = _http_status(exc)
    text = str(exc)
    low = text.lower()
    if status == 401 or _is_refresh_error(exc) or "invalid_grant" in low or "unauthenticated" in low or "invalid authentication" in low:
        return UserError("Earth Engine did not accept the credentials (%s). Run `earthengine authenticate` again, "
                         "or check the service-account key file." % _short(exc))
    if status == 403 or "not registered" in low or "has not been used in project" in low or \
            "permission" in low:
        return UserError("The Cloud project %r cannot use Earth Engine with these credentials (%s). Register the "
                         "project for Earth Engine at %s and enable the Earth Engine API, or set another project "
                         "(EE_PROJECT or the plugin setting); a service account also needs the Earth Engine "
                         "role on it." % (project, _short(exc), REGISTER_URL))
    return UserError("Earth Engine could not compute %s: %s" % (what, _short(exc, 600)))


def _sleep(seconds, ctx):
    """Sleep in short steps so that a cancel stops the wait."""
    end = time.monotonic() + seconds
    while True:
        ctx.check_cancel()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))


def with_retries(call, ctx, limits, what, project=None, allow_split=False):
    """call() with retries and exponential backoff on 429/5xx/network errors. Returns the result,
    or the string 'split' (when allow_split and the service said the request is too large)."""
    attempts = limits["retries"] + 1
    for attempt in range(attempts):
        ctx.check_cancel()
        try:
            return call()
        except (Cancelled, UserError):
            raise
        except Exception as exc:  # classified below; anything unknown becomes a UserError/internal
            kind = classify(exc)
            if kind == "split":
                if allow_split:
                    return "split"
                raise fatal_error(exc, what, project) from None
            if kind == "fatal":
                if _http_status(exc) is None and not _looks_like_ee_error(exc) and not _is_refresh_error(exc):
                    raise
                raise fatal_error(exc, what, project) from None
            if attempt + 1 >= attempts:
                raise exhausted_error(exc, attempts, what) from None
            delay = min(limits["backoff_max_s"], limits["backoff_s"] * (2 ** attempt))
            delay *= 1.0 + 0.25 * random.random()
            ctx.log("Earth Engine: %s failed (%s); retry %d of %d in %.1f s"
                    % (what, _short(exc, 120), attempt + 1, attempts - 1, delay))
            _sleep(delay, ctx)


def _is_refresh_error(exc):
    try:
        from google.auth.exceptions import RefreshError
    except ImportError:
        return False
    return isinstance(exc, RefreshError)


def _looks_like_ee_error(exc):
    try:
        import ee
        return isinstance(exc, ee.EEException)
    except ImportError:
        return False


# ------------------------------------------------------------------------------------------------
# Project, credentials, initialisation
# ------------------------------------------------------------------------------------------------
NO_PROJECT = ("No Google Cloud project is set for Earth Engine. Set one in the plugin settings (Earth Engine "
              "project), in the source's 'project', or in the EE_PROJECT or GOOGLE_CLOUD_PROJECT environment "
              "variable; the project must be registered for Earth Engine (%s)." % REGISTER_URL)
NO_CREDENTIALS = ("No Earth Engine credentials found. Run `earthengine authenticate` once in a terminal of the "
                  "runtime (or ee.Authenticate() in Python), or set a service-account key file (JSON) in the "
                  "plugin settings or the source's 'service_account_key'.")


def _key_file(source):
    path = source.get("service_account_key") or os.environ.get("TERRAEMBED_EE_KEY_FILE") or None
    if not path:
        return None
    path = os.path.expanduser(str(path))
    if not os.path.isfile(path):
        raise UserError("The Earth Engine service-account key file %s does not exist." % path)
    return path


def _read_key_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
        if not isinstance(info, dict) or info.get("type") != "service_account" or "private_key" not in info \
                or "client_email" not in info:
            raise ValueError
    except (OSError, ValueError):
        raise UserError("The file %s is not a Google service-account key (a JSON file with type "
                        "'service_account', client_email and private_key, from the Cloud console)." % path) from None
    return info


def _ee_credentials_file_project():
    try:
        import ee
        with open(ee.oauth.get_credentials_path(), encoding="utf-8") as f:
            return json.load(f).get("project") or None
    except (OSError, ValueError, ImportError, AttributeError):
        return None


def resolve_project(source, key_info=None):
    project = (source.get("project") or os.environ.get("TERRAEMBED_EE_PROJECT") or os.environ.get("EE_PROJECT")
               or os.environ.get("GOOGLE_CLOUD_PROJECT"))
    if not project and key_info:
        project = key_info.get("project_id")
    if not project:
        project = _ee_credentials_file_project()
    if not project:
        raise UserError(NO_PROJECT)
    return str(project)


def _user_credentials_available():
    import ee
    if os.path.isfile(ee.oauth.get_credentials_path()):
        return True
    if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return True
    try:
        from google.auth import _cloud_sdk
        return os.path.isfile(_cloud_sdk.get_application_default_credentials_path())
    except Exception:  # a private helper; its absence only means no gcloud ADC file is found
        return False


def load_credentials(source, key_path, ctx, limits):
    """Credentials for ee.Initialize: the service-account key when given, else the user's stored
    credentials (`earthengine authenticate`, or gcloud application-default credentials)."""
    import ee
    if key_path:
        from google.oauth2 import service_account
        info = _read_key_file(key_path)
        try:
            return service_account.Credentials.from_service_account_info(info, scopes=EE_SCOPES)
        except ValueError:
            raise UserError("The service-account key file %s could not be read (bad private key)." % key_path) \
                from None
    if not _user_credentials_available():
        raise UserError(NO_CREDENTIALS)

    def load():
        try:
            return ee.data.get_persistent_credentials()
        except ee.EEException:
            raise UserError(NO_CREDENTIALS) from None
    return with_retries(load, ctx, limits, "the credentials check")


_INIT_LOCK = threading.Lock()
_INIT_KEY = None


def ensure_initialized(source, ctx, limits):
    """ee.Initialize once per process and (project, credentials, endpoint); returns the project."""
    global _INIT_KEY
    key_path = _key_file(source)
    key_info = _read_key_file(key_path) if key_path else None
    project = resolve_project(source, key_info)
    api_url = source.get("api_url") or os.environ.get("TERRAEMBED_EE_API_URL") or DEFAULTS["api_url"]
    init_key = (project, key_path, key_info.get("private_key_id") if key_info else None, api_url)
    try:
        import ee
        from ee import _state
    except ImportError as exc:
        raise UserError("The Earth Engine client (earthengine-api) is not available in the TerraEmbed runtime "
                        "(%s). Run 'Install or update runtime'." % exc) from None
    with _INIT_LOCK:
        if _INIT_KEY == init_key and ee.data.is_initialized():
            return project
        credentials = load_credentials(source, key_path, ctx, limits)
        if ee.data.is_initialized():
            ee.Reset()  # other settings than the last fetch: start clean (algorithms, credentials)
        _INIT_KEY = None
        # Our own retry loop (with cancel and messages) replaces the client's silent one.
        ee.data.setMaxRetries(0)
        try:
            _state.get_state().deadline_ms = int(limits["request_timeout_s"] * 1000)
        except Exception:  # a private detail of the client; without it requests have no timeout
            pass
        ctx.log("Earth Engine: initialising (project %s, %s)" % (
            project, "service account" if key_path else "user credentials"))

        def init():
            try:
                ee.Initialize(credentials, url=api_url, project=project)
            except ee.EEException as exc:
                if "project" in str(exc).lower() and _http_status(exc) is None:
                    raise UserError(NO_PROJECT + " (%s)" % _short(exc)) from None
                raise
        with_retries(init, ctx, limits, "initialisation", project)
        _INIT_KEY = init_key
    return project


# ------------------------------------------------------------------------------------------------
# The Earth Engine expression
# ------------------------------------------------------------------------------------------------
def _region(ee, grid):
    crs = grid["crs_for_ee"].get("crsCode") or grid["crs_for_ee"]["crsWkt"]
    sx, _, x0, _, sy, y0 = grid["transform"]
    x1, y1 = x0 + grid["width"] * sx, y0 + grid["height"] * sy
    return ee.Geometry.Rectangle([x0, min(y0, y1), x1, max(y0, y1)], ee.Projection(crs), False)


def s2_collection(ee, request, region):
    f = request["filters"]
    col = (ee.ImageCollection(request["collection_id"]).filterBounds(region)
           .filterDate(request["start"], request["end"])
           .filter(ee.Filter.lte("CLOUDY_PIXEL_PERCENTAGE", f["max_cloud"])))
    if f["cloud_mask"] == "scl":
        classes = f["scl_masked_classes"]

        def mask_scl(img):
            scl = img.select("SCL")
            keep = scl.neq(classes[0])
            for c in classes[1:]:
                keep = keep.And(scl.neq(c))
            return img.updateMask(keep)
        col = col.map(mask_scl)
    elif f["cloud_mask"] == "probability":
        probs = ee.ImageCollection(S2_CLOUD_PROBABILITY_ID).filterBounds(region).filterDate(request["start"], request["end"])
        joined = ee.Join.saveFirst("cloud_probability").apply(
            primary=col, secondary=probs,
            condition=ee.Filter.equals(leftField="system:index", rightField="system:index"))
        threshold = f["cloud_probability_threshold"]

        def mask_prob(img):
            img = ee.Image(img)
            prob = ee.Image(img.get("cloud_probability")).select("probability")
            return img.updateMask(prob.lt(threshold))
        col = ee.ImageCollection(joined).map(mask_prob)
    return col


def s1_collection(ee, request, region, iw):
    f = request["filters"]
    col = (ee.ImageCollection(request["collection_id"]).filterBounds(region)
           .filterDate(request["start"], request["end"])
           .filter(ee.Filter.listContains("transmitterReceiverPolarisation", "VV"))
           .filter(ee.Filter.listContains("transmitterReceiverPolarisation", "VH")))
    if iw:
        col = col.filter(ee.Filter.eq("instrumentMode", "IW"))
    if f["orbit"]:
        col = col.filter(ee.Filter.eq("orbitProperties_pass", f["orbit"]))
    return col


def composite(ee, col, bands):
    """Median of the selected bands, gaps filled with 0, float32."""
    return col.select(bands).median().unmask(0).toFloat()


def _count(ee, col, ctx, limits, project):
    return int(with_retries(lambda: col.size().getInfo(), ctx, limits, "the image count", project))


def build_image(ee, request, ctx, limits, project):
    """(ee.Image, facts for the provenance). UserError when the collection is empty."""
    region = _region(ee, request["grid"])
    f = request["filters"]
    where = "between %s and %s (end exclusive) over the AOI" % (request["start"], request["end"])
    if request["collection"] == "S2":
        col = s2_collection(ee, request, region)
        n = _count(ee, col, ctx, limits, project)
        if n == 0:
            raise UserError("No Sentinel-2 image (%s) %s has at most %g%% cloudy pixels%s. Raise the cloud limit "
                            "(max_cloud) or widen the dates." % (
                                request["collection_id"], where, f["max_cloud"],
                                " with a cloud-probability match" if f["cloud_mask"] == "probability" else ""))
        facts = {"images": n}
    else:
        col = s1_collection(ee, request, region, iw=True)
        n = _count(ee, col, ctx, limits, project)
        relaxed = False
        if n == 0 and f["relax_iw"]:
            ctx.log("Earth Engine: no IW-mode Sentinel-1 image; retrying without the IW filter")
            col = s1_collection(ee, request, region, iw=False)
            n = _count(ee, col, ctx, limits, project)
            relaxed = True
        if n == 0:
            raise UserError("No Sentinel-1 image (%s) with both VV and VH %s%s%s. Widen the dates or the AOI%s." % (
                request["collection_id"], where,
                " in %s orbits" % f["orbit"].lower() if f["orbit"] else "",
                ", in IW mode or any other mode" if relaxed else " in IW mode (relaxing the mode is off)",
                ", or drop the orbit filter" if f["orbit"] else ""))
        facts = {"images": n, "iw_relaxed": relaxed, "instrument_mode": None if relaxed else "IW"}
    return composite(ee, col, request["bands"]), facts


# ------------------------------------------------------------------------------------------------
# Pixels
# ------------------------------------------------------------------------------------------------
class _StoppableContext:
    """The job context as seen by a pool thread: also stops when the fetch as a whole failed, so
    that no thread keeps retrying (or sleeping in a backoff) after the job has ended."""

    def __init__(self, ctx, stop):
        self._ctx, self._stop = ctx, stop

    def check_cancel(self):
        if self._stop.is_set():
            raise Cancelled()
        self._ctx.check_cancel()

    def log(self, message, level="info"):
        if not self._stop.is_set():
            self._ctx.log(message, level)


def _fetch_window(ee, image, grid, bands, window, ctx, limits, project, stop):
    """One window's pixels as a (bands, h, w) float32 array, or 'split'."""
    ctx = _StoppableContext(ctx, stop)
    ctx.check_cancel()
    params = {"expression": image, "fileFormat": "NUMPY_NDARRAY", "grid": window_grid(grid, window)}
    r, c, h, w = window
    result = with_retries(lambda: ee.data.computePixels(params), ctx, limits,
                          "pixels of rows %d-%d, columns %d-%d" % (r, r + h - 1, c, c + w - 1),
                          project, allow_split=True)
    if isinstance(result, str):
        return result
    arr = np.asarray(result)
    names = arr.dtype.names or ()
    if arr.shape != (h, w) or any(b not in names for b in bands):
        raise RuntimeError("Earth Engine answered a %s array with bands %s for a %dx%d request of %s"
                           % (arr.shape, names, h, w, bands))
    return np.stack([arr[b].astype(np.float32, copy=False) for b in bands])


def fetch_pixels(ee, image, request, ctx, limits, project, write):
    """Fetch the whole grid in chunks; write(window, array) is called in this thread for each one."""
    grid, bands = request["grid"], request["bands"]
    width, height = grid["width"], grid["height"]
    windows = plan_chunks(width, height, 4 * len(bands), limits["max_request_bytes"], limits["max_request_side"],
                          limits["block_align"])
    total, done, requests = float(width * height), 0, 0
    stop = threading.Event()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=limits["workers"], thread_name_prefix="ee-fetch")
    pending = {}

    def submit(win):
        pending[pool.submit(_fetch_window, ee, image, grid, bands, win, ctx, limits, project, stop)] = win

    ctx.log("Earth Engine: fetching %d x %d pixels of %d bands in %d request(s), %d in parallel"
            % (width, height, len(bands), len(windows), limits["workers"]))
    ctx.progress(0.0, "Fetching Earth Engine pixels")
    try:
        for win in windows:
            submit(win)
        while pending:
            ctx.check_cancel()
            finished, _ = concurrent.futures.wait(list(pending), timeout=0.1,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in finished:
                win = pending.pop(fut)
                result = fut.result()
                if isinstance(result, str):  # the service said too large: halve it
                    if max(win[2], win[3]) <= limits["min_request_side"]:
                        raise UserError("Earth Engine refuses even a %dx%d pixel request as too large; use a "
                                        "coarser scale or fewer dates." % (win[3], win[2]))
                    ctx.log("Earth Engine: request of %dx%d pixels too large; splitting it in two" % (win[3], win[2]))
                    for half in split_window(win):
                        submit(half)
                    continue
                ctx.check_cancel()
                write(win, result)
                requests += 1
                done += win[2] * win[3]
                ctx.progress(done / total, "Fetching Earth Engine pixels (%d/%d px)" % (done, total))
    except BaseException:
        stop.set()
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return requests


# ------------------------------------------------------------------------------------------------
# GeoTIFF
# ------------------------------------------------------------------------------------------------
def _open_geotiff(path, request):
    import rasterio
    from affine import Affine
    grid = request["grid"]
    block = 256
    profile = {"driver": "GTiff", "width": grid["width"], "height": grid["height"], "count": len(request["bands"]),
               "dtype": "float32", "crs": grid["crs"], "transform": Affine.from_gdal(*_gdal(grid["transform"])),
               "compress": "deflate", "predictor": 3, "interleave": "pixel", "BIGTIFF": "IF_SAFER"}
    if grid["width"] >= block and grid["height"] >= block:
        profile.update(tiled=True, blockxsize=block, blockysize=block)
    return rasterio.open(path, "w", **profile)


def _gdal(t):
    sx, shx, x0, shy, sy, y0 = t
    return (x0, sx, shx, y0, shy, sy)


def _provenance_tags(provenance):
    tags = {"TERRAEMBED_PROVENANCE": json.dumps(provenance, sort_keys=True)}
    for k in ("collection_id", "start", "end", "images", "composite"):
        if k in provenance:
            tags["EE_" + k.upper()] = str(provenance[k])
    return tags


def write_composite(path, ee, image, request, ctx, limits, project, provenance):
    tmp = "%s.%d-%d.partial" % (path, os.getpid(), threading.get_ident())
    try:
        with _open_geotiff(tmp, request) as ds:
            for i, b in enumerate(request["bands"], start=1):
                ds.set_band_description(i, b)

            def write(window, arr):
                from rasterio.windows import Window
                r, c, h, w = window
                ds.write(arr, window=Window(c, r, w, h))
            provenance["requests"] = fetch_pixels(ee, image, request, ctx, limits, project, write)
            ds.update_tags(**_provenance_tags(provenance))
        os.replace(tmp, path)
    except BaseException:
        for p in (tmp, tmp + ".aux.xml"):
            if os.path.exists(p):
                os.remove(p)
        raise


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
def _out_dir(source, ctx):
    out = source.get("out_dir") or getattr(ctx, "work_dir", None)
    if not out:
        out = tempfile.mkdtemp(prefix="terraembed-ee-")
    os.makedirs(out, exist_ok=True)
    return out


def _copy_from_cache(cached_tif, path):
    from .cache import atomic_copy
    atomic_copy(cached_tif, path)


def fetch_composite(source, ctx):
    """Fetch the median composite described by `source`; return (geotiff_path, provenance).

    source keys (all optional except aoi):
      collection   "S2" (COPERNICUS/S2_SR_HARMONIZED, bands B1..B12 without B10) | "S1"
                   (COPERNICUS/S1_GRD_FLOAT, VV and VH in linear scale)
      aoi          {"bounds": [xmin, ymin, xmax, ymax], "crs": "EPSG:n" or WKT (default EPSG:4326)}
      start, end   ISO dates, end exclusive (default 2022-06-01 .. 2022-09-01)
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
      cache_dir, cache_cap_mb (2000; 0 disables), max_pixels (25e6), workers (4), out_dir
                   (default ctx.work_dir), api_url (e.g. https://earthengine-highvolume.googleapis.com)
      max_request_bytes, max_request_side, min_request_side, block_align, retries, backoff_s,
      backoff_max_s, request_timeout_s: request limits and retry policy (see DEFAULTS)

    The GeoTIFF is float32, north-up, on the grid in provenance["grid"], band descriptions set,
    provenance JSON in the TERRAEMBED_PROVENANCE tag. Raises UserError for anything the user can
    fix, Cancelled when ctx is cancelled; on failure no output file is left."""
    request = normalise(source)
    limits = _limits(source)
    key = request_key(request)
    cache = ImageryCache(source.get("cache_dir") or None,
                         source.get("cache_cap_mb") if source.get("cache_cap_mb") is not None
                         else DEFAULTS["cache_cap_mb"])
    out_dir = _out_dir(source, ctx)
    path = os.path.join(out_dir, "ee_%s_%s.tif" % (request["collection"].lower(), key[:16]))
    grid_info = {k: request["grid"][k] for k in ("crs", "transform", "width", "height", "scale")}

    hit = cache.get(key)
    if hit is not None:
        cached_tif, meta = hit
        _copy_from_cache(cached_tif, path)
        provenance = dict(meta.get("provenance", {}), cache_hit=True)
        ctx.log("Earth Engine: %s composite %s..%s from the cache (%s)" % (
            request["collection"], request["start"], request["end"], cached_tif))
        ctx.progress(1.0, "Earth Engine imagery from the cache")
        return path, provenance

    ctx.progress(0.0, "Connecting to Earth Engine")
    init_ctx = ctx.substage(0.0, 0.05)
    project = ensure_initialized(source, init_ctx, limits)
    import ee
    image, facts = build_image(ee, request, init_ctx, limits, project)
    provenance = {
        "source": "earthengine", "collection": request["collection"], "collection_id": request["collection_id"],
        "bands": request["bands"], "start": request["start"], "end": request["end"], "end_exclusive": True,
        "composite": "median", "fill": 0, "filters": dict(request["filters"]), "grid": grid_info,
        "units": UNITS[request["collection"]],
        "project": project, "cache_key": key, "cache_hit": False,
        "fetched_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "earthengine_api": getattr(ee, "__version__", None),
    }
    provenance.update(facts)
    if request["collection"] == "S1":
        provenance["filters"]["instrument_mode"] = facts["instrument_mode"]
        provenance["filters"]["iw_relaxed"] = facts["iw_relaxed"]
    ctx.log("Earth Engine: %s, %d image(s) %s..%s, filters %s" % (
        request["collection_id"], facts["images"], request["start"], request["end"],
        json.dumps(provenance["filters"], sort_keys=True)))
    write_composite(path, ee, image, request, ctx.substage(0.05, 1.0), limits, project, provenance)
    try:
        cache.put(key, path, {"provenance": provenance, "request": request})
    except OSError as exc:
        ctx.warn("Could not store the imagery in the cache %s: %s" % (cache.root, exc))
    ctx.progress(1.0, "Earth Engine imagery fetched")
    return path, provenance
