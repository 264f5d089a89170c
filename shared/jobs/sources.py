"""The Earth Engine jobs' contracts (engine/sources/): the "source" dict of a fetch (a nested contract: the
imagery composite's or AlphaEarth's) and the "ee_fetch" and "alphaearth_fetch" jobs, written once.

engine/sources/earthengine/request.py reads a source dict with `ImagerySource.read(source)` (AlphaEarth's:
`AlphaEarthSource`), whichever job it comes in (embed, embed_features, ee_fetch, a series' period)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from .. import catalogue, keys, limits
from ..catalogue import ALPHAEARTH, COLLECTIONS, ORBIT_ANY, ORBITS, sensors_of
from ..contract import Contract, custom, flag, nested, number, path, sub_job, text
from ..errors import UserError
from ..i18n import tr

DEFAULT_CLOUD_PROBABILITY = 40  # cloud_mask "probability": pixels with a cloud probability at or above this


def _read_object(job: Mapping[str, Any], key: str, default: Any) -> Optional[Mapping[str, Any]]:
    """A dict the request checks itself (the AOI, a grid already read); null or missing: None."""
    value = job.get(key)
    return None if value is None else sub_job(job, key)


def _read_collection(job: Mapping[str, Any], key: str, default: Any) -> str:
    """A collection of catalogue.COLLECTIONS, or several joined by '+' (a model on several sensors)."""
    value = job.get(key) or default
    name = str(value).upper()
    if not all(sensor in COLLECTIONS for sensor in sensors_of(name)):
        raise UserError(
            tr(
                "Unknown Earth Engine collection %r; use 'S2' (Sentinel-2 SR), 'S1' (Sentinel-1 GRD) or "
                "'DEM' (Copernicus DEM GLO-30)."
            )
            % value
        )
    return name


def _read_cloud_mask(job: Mapping[str, Any], key: str, default: Any) -> Optional[str]:
    value = job.get(key)
    return default if value == "" else keys.choice(job, key, catalogue.CLOUD_MASKS, default)


def _read_orbit(job: Mapping[str, Any], key: str, default: Any) -> str:
    """ASCENDING or DESCENDING; null, empty, 'any' or 'both': any pass (ORBIT_ANY)."""
    value = job.get(key)
    if value in (None, "") or str(value).lower() in (ORBIT_ANY, "both"):
        return ORBIT_ANY
    passes = [o for o in ORBITS if o != ORBIT_ANY]
    if str(value).upper() not in passes:
        raise UserError(tr("s1_orbit must be %s or empty, not %r.") % (", ".join(passes), value))
    return str(value).upper()


def _read_year(job: Mapping[str, Any], key: str, default: Any) -> int:
    return keys.whole(job, key, default, valid=limits.ALPHAEARTH_YEAR, label=tr("The AlphaEarth year ('%s')") % key)


@dataclass(frozen=True, kw_only=True)
class EarthEngineRequest(Contract):
    """What every Earth Engine fetch reads: the area, the grid, the credentials, the cache and the request
    limits (engine/sources/earthengine/)."""

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = (
        "project", "service_account_key", "cache_dir", "cache_cap_mb", "max_pixels", "workers", "out_dir", "api_url",
        "max_request_bytes", "max_request_side", "min_request_side", "block_align", "retries", "backoff_s",
        "backoff_max_s", "request_timeout_s",
    )  # fmt: skip

    aoi: Optional[Mapping[str, Any]] = custom(
        None, _read_object, kind="object or null", doc='{"bounds": [xmin, ymin, xmax, ymax], "crs": "EPSG:n" or WKT}'
    )
    scale: float = number(
        catalogue.DEFAULT_PIXEL_SIZE_M, limits.EE_SCALE, doc="pixel size in metres", parameter="EE_SCALE"
    )
    crs: Optional[str] = text(None, doc="the output CRS (null: the UTM zone of the area's centre)")
    project: Optional[str] = text(
        "", doc="Cloud project (empty: the settings, EE_PROJECT or GOOGLE_CLOUD_PROJECT)", parameter="EE_PROJECT"
    )
    service_account_key: Optional[str] = path(optional=True, doc="a service account's key file (null: your login)")
    cache_dir: Optional[str] = path(optional=True, doc="the imagery cache's folder (null: the default)")
    cache_cap_mb: float = number(
        catalogue.IMAGERY_CACHE_CAP_MB, limits.CACHE_CAP_MB, doc="the imagery cache's size cap (0: no cache)"
    )
    max_pixels: int = number(25_000_000, limits.EE_MAX_PIXELS, doc="the largest output grid, in pixels")
    workers: int = number(4, limits.EE_WORKERS, doc="requests at once")
    out_dir: Optional[str] = path(optional=True, doc="where the composite is fetched (null: the job's temp folder)")
    api_url: Optional[str] = text(None, doc="the Earth Engine endpoint (null: the library's default)")
    max_request_bytes: int = number(32 * 1024 * 1024, limits.EE_REQUEST_BYTES, doc="bytes of one pixel request")
    max_request_side: int = number(32768, limits.EE_REQUEST_SIDE, doc="pixels per side of one request")
    min_request_side: int = number(8, limits.EE_MIN_REQUEST_SIDE, doc="splitting a request below this gives up")
    block_align: int = number(256, limits.EE_BLOCK_ALIGN, doc="request sides are multiples of this when larger")
    retries: int = number(5, limits.EE_RETRIES, doc="retries of a request on 429, 5xx and network errors")
    backoff_s: float = number(1.0, limits.EE_BACKOFF_S, doc="the first retry's delay, doubled each time")
    backoff_max_s: float = number(60.0, limits.EE_BACKOFF_MAX_S, doc="the longest retry delay")
    request_timeout_s: float = number(300.0, limits.EE_REQUEST_TIMEOUT_S, doc="the deadline of one request")

    def request_limits(self) -> dict[str, Any]:
        """The request limits and retry policy (engine/sources/earthengine/chunks.py's Limits)."""
        return {
            name: getattr(self, name)
            for name in (
                "workers",
                "max_request_bytes",
                "max_request_side",
                "min_request_side",
                "block_align",
                "retries",
                "backoff_s",
                "backoff_max_s",
                "request_timeout_s",
            )
        }


@dataclass(frozen=True, kw_only=True)
class ImagerySource(EarthEngineRequest):
    """An Earth Engine composite: a median of the collection's images between two dates (engine/sources/
    earthengine/request.py)."""

    collection: str = custom(
        "S2", _read_collection, kind="text", valid="S2, S1, DEM, or several joined by +", doc="the imagery"
    )
    start: str = text(catalogue.DEFAULT_START, doc="the first day (YYYY-MM-DD)", parameter="START_DATE")
    end: str = text(catalogue.DEFAULT_END, doc="the day after the last (exclusive)", parameter="END_DATE")
    max_cloud: float = number(
        catalogue.DEFAULT_MAX_CLOUD, limits.MAX_CLOUD, doc="Sentinel-2 images' cloudy percentage", parameter="MAX_CLOUD"
    )
    cloud_mask: str = custom(
        catalogue.CLOUD_MASKS[0],
        _read_cloud_mask,
        kind="text",
        valid="one of " + ", ".join(catalogue.CLOUD_MASKS),
        doc="Sentinel-2 per-pixel cloud mask",
        parameter="CLOUD_MASK",
        options=catalogue.CLOUD_MASKS,
    )
    cloud_probability_threshold: float = number(
        DEFAULT_CLOUD_PROBABILITY, limits.CLOUD_PROBABILITY, doc='cloud_mask "probability": masked at or above'
    )
    s1_orbit: str = custom(
        ORBIT_ANY,
        _read_orbit,
        kind="text or null",
        valid="one of " + ", ".join(ORBITS),
        doc="Sentinel-1 orbit pass (null: any)",
        parameter="S1_ORBIT",
        options=ORBITS,
    )
    s1_relax_iw: bool = flag(True, doc="Sentinel-1: drop the IW mode filter once when no IW image matches")


@dataclass(frozen=True, kw_only=True)
class AlphaEarthSource(EarthEngineRequest):
    """A year of AlphaEarth embeddings (engine/sources/earthengine/alphaearth.py), on the area's grid or
    exactly another raster's."""

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("grid_like",)  # the grid it names is read into "grid", a setting

    year: int = custom(
        ALPHAEARTH.years[1],
        _read_year,
        kind="whole number",
        valid=limits.ALPHAEARTH_YEAR.text(),
        doc="the year",
        parameter="YEAR",
    )
    grid_like: Optional[str] = path(optional=True, doc="a raster whose grid the year is fetched on")
    grid: Optional[Mapping[str, Any]] = custom(None, _read_object, kind="object or null", doc="grid_like's grid, read")


def _tags() -> Any:
    return custom(None, _read_object, kind="object or null", doc="extra GeoTIFF tags of the output (a series' period)")


@dataclass(frozen=True, kw_only=True)
class EeFetchJob(Contract):
    """An Earth Engine composite written as a GeoTIFF, without embedding (engine/sources/earthengine_job.py)."""

    TYPE: ClassVar[str] = "ee_fetch"
    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("output", "tags")
    ALGORITHM: ClassVar[str] = "fetch_imagery"
    source: ImagerySource = nested(ImagerySource, doc="the composite asked")
    output: str = path(doc="the GeoTIFF", parameter="OUTPUT")
    tags: Optional[Mapping[str, Any]] = _tags()


@dataclass(frozen=True, kw_only=True)
class AlphaEarthFetchJob(Contract):
    """A year of AlphaEarth embeddings written as a GeoTIFF (engine/sources/earthengine_job.py)."""

    TYPE: ClassVar[str] = "alphaearth_fetch"
    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("output", "tags")
    ALGORITHM: ClassVar[str] = "fetch_alphaearth"
    source: AlphaEarthSource = nested(AlphaEarthSource, doc="the year and the area")
    output: str = path(doc="the GeoTIFF", parameter="OUTPUT")
    tags: Optional[Mapping[str, Any]] = _tags()
