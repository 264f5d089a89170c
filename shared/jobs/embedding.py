"""The embedding jobs' contracts (engine/pipeline/): "embed" and "embed_features" with their nested "source"
(a raster, or Earth Engine imagery: shared/jobs/sources.py), "weights" and "outputs", the "series" and
"build_series" jobs, and "environment", written once."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Optional, Union

from .. import catalogue, keys, limits
from ..contract import Contract, choice, custom, flag, nested, number, sub_job, text
from ..contract import path as file_path
from ..errors import UserError
from ..i18n import tr
from ..periods import Period, PeriodError, check_series, parse_periods
from .sources import ImagerySource

DEFAULT_SCHEDULER_TIMEOUT_S = 20.0  # each wait on a Dask scheduler (engine/pipeline/scheduler.py)


def _read_object(job: Mapping[str, Any], key: str, default: Any) -> Optional[Mapping[str, Any]]:
    """A dict the job's code checks itself (the AOI, tags, the sensors' rasters); null or missing: None."""
    return None if job.get(key) is None else sub_job(job, key)


def _read_list(job: Mapping[str, Any], key: str, default: Any) -> Optional[tuple[Any, ...]]:
    value = job.get(key)
    if value is None:
        return None if default is None else tuple(default)
    if not isinstance(value, (list, tuple)):
        raise UserError(tr("%s must be a list, got %r.") % (keys.label_of(key), value))
    return tuple(value)


# -- the raster source, the weights, the outputs ---------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RasterInput(Contract):
    """A raster file as the model's input (engine/pipeline/source.py; "kind": "raster")."""

    path: Optional[str] = file_path(optional=True, doc="the raster")
    bands: Optional[tuple[int, ...]] = custom(
        None, _read_list, kind="list or null", doc="1-based bands in the model's order (null: the first ones)"
    )
    scale: float = number(1.0, limits.SCALE, doc="values are multiplied by this", parameter="SCALE")
    nodata: Optional[float] = number(None, limits.NODATA, optional=True, doc="nodata (null: the raster's)")
    s1_db: bool = flag(False, doc="Sentinel-1 values in dB: converted to linear", parameter="S1_DB")
    sensors: Optional[Mapping[str, Any]] = custom(
        None, _read_object, kind="object or null", doc='the other sensors\' rasters {"S1": {"path", "nodata"}, ...}'
    )


Source = Union[RasterInput, ImagerySource]
SOURCE_KINDS: dict[str, type[Source]] = {"raster": RasterInput, "earthengine": ImagerySource}


def _read_source(job: Mapping[str, Any], key: str, default: Any) -> Source:
    """The source by its "kind" (raster, the default, or earthengine), read with that kind's contract."""
    source = sub_job(job, key)
    kind = source.get("kind") or "raster"
    if kind not in SOURCE_KINDS:
        raise UserError(
            tr("Unknown source kind %r: use one of %s.") % (kind, ", ".join(repr(k) for k in catalogue.SOURCES))
        )
    return SOURCE_KINDS[kind].read(source, prefix=key + ".")


def source_of(job: Mapping[str, Any]) -> Source:
    """The job's "source", read by its kind (what EmbedJob.read(job).source is)."""
    return _read_source(job, "source", None)


def source(documented: tuple[str, ...] = tuple(SOURCE_KINDS)) -> Any:
    """The "source" key; `documented`: the kinds whose keys the job's algorithm sets (the others: job files)."""
    return custom(
        RasterInput.read({}),
        _read_source,
        kind="object",
        valid='"kind": ' + " or ".join(SOURCE_KINDS),
        doc="the imagery",
        nested=tuple((kind, SOURCE_KINDS[kind]) for kind in documented),
    )


@dataclass(frozen=True, kw_only=True)
class Weights(Contract):
    """Where a model's weights come from (models/loader.py)."""

    path: Optional[str] = file_path(optional=True, doc="a weights file (null: the model's own, from the hub)")
    offline: bool = flag(False, doc="use cached weights only", parameter="OFFLINE")
    cache_dir: Optional[str] = file_path(optional=True, doc="the hub's cache folder (null: huggingface_hub's)")
    random_init: bool = flag(False, doc="random weights (a control run)", parameter="RANDOM_WEIGHTS")
    seed: Optional[int] = number(None, limits.SEED, optional=True, doc="random_init's seed")

    def given(self) -> dict[str, Any]:
        """The keys set (the loader's weights dict)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, False)}


def _read_weights(job: Mapping[str, Any], key: str, default: Any) -> Weights:
    value = sub_job(job, key)
    known = [f.name for f in fields(Weights)]
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise UserError(tr("Unknown weights option(s) %s; known: %s.") % (", ".join(unknown), ", ".join(known)))
    return Weights.read(value, prefix=key + ".")


def _read_pooling(job: Mapping[str, Any], key: str, default: Any) -> str:
    """The model's pooling; null, empty or catalogue.POOLING_DEFAULT: the model's own (models/loader.py
    checks the others against the model)."""
    value = job.get(key)
    if value in (None, "") or str(value).strip().lower() == catalogue.POOLING_DEFAULT:
        return catalogue.POOLING_DEFAULT
    if not isinstance(value, str):
        raise UserError(tr("%s must be text, got %r.") % (keys.label_of(key), value))
    return value.strip().lower()


@dataclass(frozen=True, kw_only=True)
class EmbedOutputs(Contract):
    """What the embed job writes (engine/pipeline/embed.py); a missing path: not written."""

    grid: Optional[str] = file_path(optional=True, doc="the embedding grid GeoTIFF")
    pca: Optional[str] = file_path(optional=True, doc="the PCA GeoTIFF")
    pca_components: int = number(3, limits.PCA_COMPONENTS, doc="the PCA's bands", parameter="PCA_COMPONENTS")
    input_copy: Optional[str] = file_path(optional=True, doc="the model's input raster (e.g. the fetched composite)")
    pooled: Optional[str] = file_path(optional=True, doc="the pooled vector: a .parquet is written as GeoParquet")
    grid_compression: str = choice(
        "none", tuple(catalogue.GRID_COMPRESSIONS), doc="the grid's compression", parameter="GRID_COMPRESSION"
    )


# -- the model and where it runs (both embedding jobs) ---------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ModelJob(Contract):
    """The keys of every job that runs a model: the model, where and how it runs, its weights."""

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("device", "batch_size", "threads", "scheduler", "scheduler_timeout")

    model: str = text(None, required=True, doc="the model's id (catalogue.MODELS)", parameter="MODEL")
    device: str = choice("auto", catalogue.DEVICES, doc="where the model runs", parameter="DEVICE")
    batch_size: int = number(0, limits.BATCH_SIZE, doc="chips per forward pass", parameter="BATCH_SIZE")
    threads: Optional[int] = number(None, limits.THREADS, optional=True, doc="torch's CPU threads")
    precision: str = choice(
        catalogue.PRECISION_DEFAULT, catalogue.PRECISIONS, doc="the model's number format", parameter="PRECISION"
    )
    pooling: str = custom(
        catalogue.POOLING_DEFAULT,
        _read_pooling,
        kind="text",
        valid="the model's (cls, mean or max)",
        doc="how the pooled vector is made",
        parameter="POOLING",
        options=catalogue.POOLINGS,
    )
    weights: Weights = custom(
        Weights.read({}), _read_weights, kind="object", doc="the weights", nested=(("", Weights),)
    )
    scheduler: str = text(
        "", doc="a Dask scheduler: tcp://host:port, a scheduler file or local:N (empty: here)", parameter="SCHEDULER"
    )
    scheduler_timeout: float = number(
        DEFAULT_SCHEDULER_TIMEOUT_S, limits.SCHEDULER_TIMEOUT, doc="seconds for each wait on the scheduler (0: 20)"
    )

    @property
    def pooling_asked(self) -> Optional[str]:
        """The pooling the loader takes (None: the model's own)."""
        return None if self.pooling == catalogue.POOLING_DEFAULT else self.pooling


@dataclass(frozen=True, kw_only=True)
class EmbedJob(ModelJob):
    """A raster (or an Earth Engine composite) to an embedding grid, its PCA and the pooled vector of the area
    (engine/pipeline/embed.py)."""

    TYPE: ClassVar[str] = "embed"
    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("outputs", "tags", "work_dir")
    source: Source = source()
    aoi: Optional[Mapping[str, Any]] = custom(
        None, _read_object, kind="object or null", doc='{"bounds", "crs", "geometry" (WKT)} (null: the raster)'
    )
    prep: str = choice("auto", tuple(catalogue.PREPARATIONS), doc="input preparation", parameter="INPUT_PREP")
    overlap: str = choice("none", tuple(catalogue.TILE_OVERLAPS), doc="tile overlap", parameter="OVERLAP")
    outputs: EmbedOutputs = nested(EmbedOutputs, doc="the files written")
    tags: Optional[Mapping[str, Any]] = custom(None, _read_object, kind="object or null", doc="extra GeoTIFF tags")
    work_dir: Optional[str] = file_path(optional=True, doc="the temporary folder (null: the system's)")


@dataclass(frozen=True, kw_only=True)
class EmbedFeaturesJob(ModelJob):
    """One vector per feature of a layer (engine/pipeline/features.py)."""

    TYPE: ClassVar[str] = "embed_features"
    source: Source = source(("raster",))
    features: tuple[Any, ...] = custom(
        (), _read_list, kind="list", doc='[{"id", "bounds", "geometry", "wkb", "attributes"} or {"id", "missing"}]'
    )
    features_crs: Optional[str] = text(None, doc="the features' CRS (null: the raster's)")
    feature_vector: str = choice(
        "chip", tuple(catalogue.FEATURE_VECTORS), doc="what a feature's vector is", parameter="FEATURE_VECTOR"
    )
    vectors_output: Optional[Mapping[str, Any]] = custom(
        None, _read_object, kind="object or null", doc='{"path": x.parquet, "fields", "crs"}: GeoParquet'
    )


# -- series ----------------------------------------------------------------------------------------------------
def read_periods(job: Mapping[str, Any], key: str, default: Any, series: bool = True) -> Optional[tuple[Period, ...]]:
    """The periods (periods.py's text syntax or a list of {"label", "start", "end"}), checked as a series
    unless not `series` (build_series checks its rasters first); null or empty: None."""
    value = job.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, str):
            periods = parse_periods(value)
        elif isinstance(value, (list, tuple)):
            periods = [Period(str(p["label"]), str(p["start"]), str(p["end"])) for p in value]
        else:
            raise PeriodError(tr('The job needs %r: the periods, e.g. "2019..2025".') % key)
        if series:
            check_series(periods)
    except (KeyError, TypeError):
        raise UserError(tr("Each of the job's periods needs a label, a start and an end (ISO dates).")) from None
    except PeriodError as exc:
        raise UserError(str(exc)) from None
    return tuple(periods)


def _periods(doc: str, parameter: str = "", series: bool = True) -> Any:
    def read(job: Mapping[str, Any], key: str, default: Any) -> Optional[tuple[Period, ...]]:
        return read_periods(job, key, default, series)

    return custom(None, read, kind="text, list or null", valid="periods.py's syntax", doc=doc, parameter=parameter)


@dataclass(frozen=True, kw_only=True)
class SeriesJob(Contract):
    """One raster per period on one grid, then the series VRT (engine/pipeline/series_job.py); run by Compute
    embeddings, Fetch Earth Engine composite and Fetch AlphaEarth embeddings when given periods."""

    TYPE: ClassVar[str] = "series"
    ALGORITHM: ClassVar[str] = "embed"
    job: Optional[Mapping[str, Any]] = custom(
        None, _read_object, kind="object", doc="the job of a period: embed (Earth Engine), ee_fetch, alphaearth_fetch"
    )
    periods: Optional[tuple[Period, ...]] = _periods('the periods, e.g. "2019..2025"')
    series: str = file_path(doc="the series VRT; the periods' files are <stem>_<label>.tif beside it")
    if_no_imagery: str = choice(
        "stop", tuple(catalogue.IF_NO_IMAGERY), doc="a period without imagery", parameter="IF_NO_IMAGERY"
    )


@dataclass(frozen=True, kw_only=True)
class BuildSeriesJob(Contract):
    """A series of embedding rasters already made (engine/pipeline/series_job.py)."""

    TYPE: ClassVar[str] = "build_series"
    rasters: Optional[tuple[str, ...]] = custom(
        None, _read_list, kind="list", doc="the embedding rasters, in time order"
    )
    periods: Optional[tuple[Period, ...]] = _periods(
        "one period per raster (null or empty: the rasters' Earth Engine dates)", parameter="PERIODS", series=False
    )
    series: str = file_path(doc="the series VRT", parameter="OUTPUT")


@dataclass(frozen=True, kw_only=True)
class EnvironmentJob(Contract):
    """What the runtime has and can use, and what is missing (engine/pipeline/environment.py)."""

    TYPE: ClassVar[str] = "environment"
    ALGORITHM: ClassVar[str] = "check_environment"
    device: str = choice("auto", catalogue.DEVICES, doc="the device to check", parameter="DEVICE")
    weights_files: Optional[Mapping[str, str]] = custom(
        None, _read_object, kind="object or null", doc="{model id: its weights file} (the settings' files)"
    )
