"""The analysis jobs' contracts (engine/analysis/): their keys, types and defaults, written once."""

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from .. import catalogue, keys, limits
from ..contract import REQUIRED, Contract, custom, flag, number, path
from ..errors import UserError
from ..i18n import tr

# -- keys several analysis jobs share ------------------------------------------------------------------------------
DEFAULT_SEED = 0  # the SEED parameter of every analysis algorithm (algorithms/analysis_base.py)


def embedding_input(parameter: str = "INPUT") -> Any:
    return path(doc="the embedding raster", parameter=parameter)


def seed() -> Any:
    return number(DEFAULT_SEED, limits.SEED, doc="the random seed: one seed, one result", parameter="SEED")


def sample(default: int, parameter: str = "") -> Any:
    return number(
        default,
        limits.SAMPLE,
        minimum=2,
        doc="cells sampled to fit on (fewer when the raster has fewer)",
        parameter=parameter,
    )


def block_size() -> Any:
    return number(None, limits.BLOCK_SIDE, optional=True, doc="cells per block side (null: 256, halved for many bands)")


def all_touched() -> Any:
    return flag(False, doc="every cell a geometry touches (else points: their cell; polygons: the cells' centres)")


def optional_output(what: str, parameter: str) -> Any:
    """An optional output file (null or "": not written)."""
    return path(optional=True, doc=what + " (null: none)", parameter=parameter)


# -- cluster -------------------------------------------------------------------------------------------------------


def _read_k(job: Any, key: str, default: Any) -> Optional[int]:
    value = job.get(key, default)
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    return keys.whole(job, key, default, minimum=1, valid=limits.CLUSTERS)


def _read_k_range(job: Any, key: str, default: Any) -> tuple[int, int]:
    value = job.get(key, default)
    try:
        lo, hi = (int(v) for v in value)
    except (TypeError, ValueError):
        raise UserError(tr("'k_range' must be two whole numbers [min, max], got %r.") % (value,)) from None
    if lo < 2 or hi < lo:
        raise UserError(tr("'k_range' must satisfy 2 <= min <= max, got %r.") % (value,))
    return lo, hi


@dataclass(frozen=True, kw_only=True)
class ClusterJob(Contract):
    """k-means clustering of an embedding raster into a class raster (engine/analysis/cluster.py)."""

    TYPE: ClassVar[str] = "cluster"
    input: str = embedding_input()
    output: str = path(doc="the cluster raster", parameter="OUTPUT")
    k: Optional[int] = custom(
        8,
        _read_k,
        kind="whole number, null or 'auto'",
        valid=limits.CLUSTERS.text(),
        doc="clusters; null or 'auto' (the panel's 0): every k of k_range is tried, the best silhouette wins",
        parameter="K",
    )
    k_range: tuple[int, int] = custom(
        (2, 10),
        _read_k_range,
        kind="[min, max]",
        valid="2 <= min <= max",
        doc="the k tried when k is automatic",
        parameter=("K_MIN", "K_MAX"),
    )
    seed: int = seed()
    sample: int = sample(100_000)
    silhouette_sample: int = number(5000, limits.SAMPLE, doc="cells of the sample the silhouette is scored on")
    block_size: Optional[int] = block_size()


# -- pca -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class PcaJob(Contract):
    """The first principal components of an embedding raster (engine/analysis/pca.py)."""

    TYPE: ClassVar[str] = "pca"
    input: str = embedding_input()
    output: str = path(doc="the PCA raster", parameter="OUTPUT")
    components: int = number(
        3, limits.COMPONENTS, doc="principal components (at most the raster's bands)", parameter="COMPONENTS"
    )
    whiten: bool = flag(False, doc="scale each component to unit variance", parameter="WHITEN")
    sample: int = sample(100_000, "SAMPLE")
    seed: int = seed()
    block_size: Optional[int] = block_size()


# -- similarity ----------------------------------------------------------------------------------------------------
Examples = tuple[str, Any]  # (a catalogue.SIMILARITY_EXAMPLES key, its list of WKT or of vectors)


def _read_examples(job: Any, key: str, default: Any) -> Optional[Examples]:
    """{"geometries": [WKT, ...]} or {"vectors": [[one value per band], ...]} as (kind, items)."""
    value = job.get(key)
    if value is None and key == "negatives":
        return None
    kinds = [kind for kind in catalogue.SIMILARITY_EXAMPLES if isinstance(value, dict) and kind in value]
    if len(kinds) != 1:
        raise UserError(
            tr("'%s' must be {\"geometries\": [WKT, ...]} or {\"vectors\": [[one value per band], ...]}.") % key
        )
    return kinds[0], value[kinds[0]]


def _read_threshold(job: Any, key: str, default: Any) -> Optional[float]:
    """The mask's threshold: a similarity (-1..1), or -2..2 with negative examples; null: no mask."""
    negatives = job.get("negatives") is not None
    return keys.number(
        job,
        key,
        valid=limits.SIMILARITY_DIFFERENCE if negatives else limits.SIMILARITY,
        allow_none=True,
        label=tr("The job's 'threshold' (with negatives)")
        if negatives
        else tr("The job's 'threshold' (without negatives)"),
    )


@dataclass(frozen=True, kw_only=True)
class SimilarityJob(Contract):
    """Cosine similarity of every cell to a reference embedding, minus that to negative examples
    (engine/analysis/similarity.py)."""

    TYPE: ClassVar[str] = "similarity"
    input: str = embedding_input()
    output: str = path(doc="the similarity raster", parameter="OUTPUT")
    reference: Examples = custom(
        REQUIRED,
        _read_examples,
        kind='{"geometries": [WKT, ...]} or {"vectors": [[...], ...]}',
        doc="the positive examples: geometries in the raster's CRS, or vectors of one value per band",
        parameter="REFERENCE",
        example={"geometries": ["POINT (0 0)"]},
    )
    negatives: Optional[Examples] = custom(
        None, _read_examples, kind="as reference, or null", doc="the negative examples (null: none)"
    )
    threshold: Optional[float] = custom(
        None,
        _read_threshold,
        kind="number or null",
        valid="%s (%s with negatives)" % (limits.SIMILARITY.text(), limits.SIMILARITY_DIFFERENCE.text()),
        doc="the mask's threshold (null: no mask or polygons)",
        parameter="THRESHOLD",
    )
    mask_output: Optional[str] = optional_output("the mask raster: 1 similar, 0 not", "MASK")
    polygons_output: Optional[str] = optional_output("the similar areas' polygons (.gpkg or .geojson)", "POLYGONS")
    all_touched: bool = all_touched()
    block_size: Optional[int] = block_size()


# -- change --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ChangeJob(Contract):
    """Per-cell cosine distance between two embedding rasters (engine/analysis/change.py)."""

    TYPE: ClassVar[str] = "change"
    before: str = path(doc="the embedding raster of the first date (its grid is the output's)", parameter="BEFORE")
    after: str = path(doc="the embedding raster of the second date", parameter="AFTER")
    output: str = path(doc="the change raster (cosine distance)", parameter="OUTPUT")
    threshold: Optional[float] = number(
        None, limits.DISTANCE, optional=True, doc="changed at or above (null: no changed share)", parameter="THRESHOLD"
    )
    block_size: Optional[int] = block_size()


# -- change_series -------------------------------------------------------------------------------------------------
def _read_inputs(job: Any, key: str, default: Any) -> Optional[list[str]]:
    value = job.get(key) or None
    if value is not None and (not isinstance(value, list) or not all(isinstance(p, str) and p for p in value)):
        raise UserError(tr("'inputs' must be a list of embedding raster paths, one per period, in order."))
    return value


def _read_labels(job: Any, key: str, default: Any) -> Optional[list[str]]:
    value = job.get(key) or None
    if value is not None and not isinstance(value, list):
        raise UserError(tr("'labels' must be a list of texts, one per period, got %r.") % (value,))
    return None if value is None else [str(label) for label in value]


def _read_features(job: Any, key: str, default: Any) -> Optional[list[tuple[str, str]]]:
    """[(WKT, name)] of the features whose timelines the report shows (a feature without a name: 'feature N')."""
    value = job.get(key) or None
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(f, dict) and "wkt" in f for f in value):
        raise UserError(tr("'features' must be a list of {\"wkt\": WKT in the series' CRS, \"name\": text}."))
    return [(f["wkt"], str(f.get("name") or "feature %d" % (i + 1))) for i, f in enumerate(value)]


@dataclass(frozen=True, kw_only=True)
class ChangeSeriesJob(Contract):
    """Change over time, per cell, over a series of embedding rasters (engine/analysis/change_series.py). The
    periods: a series file ("series") or embedding rasters in order ("inputs"), one of the two."""

    TYPE: ClassVar[str] = "change_series"
    series: Optional[str] = path(optional=True, doc="a series file (engine/pipeline/series.py)", parameter="PERIODS")
    inputs: Optional[list[str]] = custom(
        None, _read_inputs, kind="list of paths or null", doc="the periods' embedding rasters, oldest first"
    )
    labels: Optional[list[str]] = custom(
        None, _read_labels, kind="list of texts or null", doc="the periods' names (null: the file names)"
    )
    output: str = path(doc="the change over time raster (4 bands)", parameter="OUTPUT")
    classes_output: Optional[str] = optional_output("the class raster: stable, one break, repeated change", "CLASSES")
    polygons_output: Optional[str] = optional_output("the changed cells' polygons (.gpkg or .geojson)", "POLYGONS")
    change_step: float = number(
        catalogue.DEFAULT_CHANGE_STEP,
        limits.DISTANCE,
        doc="a step between consecutive periods at or above this cosine distance is a change",
        parameter="CHANGE_STEP",
    )
    features: Optional[list[tuple[str, str]]] = custom(
        None,
        _read_features,
        kind='[{"wkt", "name"}, ...] or null',
        doc="features whose timelines the report shows (WKT in the first period's CRS)",
        parameter="FEATURES",
    )
    all_touched: bool = all_touched()
    block_size: Optional[int] = block_size()
