"""The classifier jobs' contracts (engine/analysis/): classify, apply_classifier and compare."""

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from .. import catalogue, limits
from ..contract import REQUIRED, Contract, choice, custom, number, path
from ..errors import UserError
from ..i18n import tr
from .analysis import all_touched, block_size, embedding_input, optional_output, seed

Labels = list[tuple[str, str]]  # (WKT, class name) of each labelled geometry, in the job's order


def _read_labels(job: Any, key: str, default: Any) -> Labels:
    """The labelled geometries: [{"wkt": WKT, "label": class}, ...], at least one, each with a class name."""
    items = job.get(key)
    if not isinstance(items, list) or not items:
        raise UserError(tr("The job needs 'labels': a list of {\"wkt\": geometry, \"label\": class}."))
    labels = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "wkt" not in item or item.get("label") is None:
            raise UserError(
                tr("Label %d must be {\"wkt\": geometry, \"label\": class}, got %r.")
                % (i + 1, item if not isinstance(item, dict) else sorted(item))
            )
        name = str(item["label"]).strip()
        if not name:
            raise UserError(tr("Label %d has an empty class name.") % (i + 1))
        labels.append((item["wkt"], name))
    return labels


def labels(doc: str) -> Any:
    return custom(
        REQUIRED,
        _read_labels,
        kind='[{"wkt", "label"}, ...]',
        doc=doc,
        parameter="LABELS",
        example=[{"wkt": "POINT (0 0)", "label": "water"}, {"wkt": "POINT (1 1)", "label": "forest"}],
    )


def method() -> Any:
    return choice(
        catalogue.CLASSIFIER_DEFAULT,
        tuple(catalogue.CLASSIFIERS),
        doc="the classifier: logistic regression or k nearest neighbours",
        parameter="METHOD",
    )


def neighbors() -> Any:
    return number(5, limits.NEIGHBORS, doc="k of k nearest neighbours", parameter="NEIGHBORS")


def validation_block_size() -> Any:
    return number(
        0.0,
        limits.VALIDATION_BLOCK,
        doc="the side of the spatial blocks validation keeps together, map units (0: from the labels' spread)",
        parameter="VALIDATION_BLOCK_SIZE",
    )


def per_class(default: int) -> Any:
    return number(default, limits.SAMPLE, doc="training cells per class, at most (a reproducible random subset)")


@dataclass(frozen=True, kw_only=True)
class ClassifyJob(Contract):
    """Few-shot classification of every cell from labelled geometries (engine/analysis/classify.py)."""

    TYPE: ClassVar[str] = "classify"
    input: str = embedding_input()
    output: str = path(doc="the class raster", parameter="OUTPUT")
    labels: Labels = labels("the labelled geometries, WKT in the raster's CRS; classes 1..n in order of appearance")
    method: str = method()
    k_neighbors: int = neighbors()
    cv_folds: int = number(5, limits.FOLDS, doc="cross-validation folds (0 or 1: none)", parameter="FOLDS")
    validation: str = choice(
        catalogue.VALIDATION_DEFAULT,
        tuple(catalogue.VALIDATIONS),
        doc="how the folds split the labelled cells",
        parameter="VALIDATION",
    )
    validation_block_size: float = validation_block_size()
    seed: int = seed()
    max_samples_per_class: int = per_class(20_000)
    all_touched: bool = all_touched()
    probabilities_output: Optional[str] = optional_output("the probability raster, a band per class", "PROBABILITIES")
    report_output: Optional[str] = optional_output("the accuracy table (CSV)", "REPORT")
    uncertainty_output: Optional[str] = optional_output("the uncertainty raster", "UNCERTAINTY")
    suggestions_output: Optional[str] = optional_output("where to label next: points", "SUGGESTIONS")
    suggestion_count: int = number(
        20, limits.SUGGESTIONS, doc="where to label next: cells suggested", parameter="SUGGESTION_COUNT"
    )
    suggestion_spacing: float = number(
        0.0,
        limits.SPACING,
        doc="where to label next: the least distance between suggestions and from labels, map units (0: 5 cells)",
        parameter="SUGGESTION_SPACING",
    )
    classifier_output: Optional[str] = optional_output("the fitted logistic regression (JSON)", "CLASSIFIER")
    block_size: Optional[int] = block_size()


@dataclass(frozen=True, kw_only=True)
class ApplyClassifierJob(Contract):
    """A classifier saved by Few-shot classification maps another embedding raster of the same model
    (engine/analysis/apply_classifier.py)."""

    TYPE: ClassVar[str] = "apply_classifier"
    input: str = embedding_input()
    classifier: str = path(doc="the classifier file (classify's classifier_output)", parameter="CLASSIFIER")
    output: str = path(doc="the class raster", parameter="OUTPUT")
    probabilities_output: Optional[str] = optional_output("the probability raster, a band per class", "PROBABILITIES")
    uncertainty_output: Optional[str] = optional_output("the uncertainty raster", "UNCERTAINTY")
    block_size: Optional[int] = block_size()


def _read_rasters(job: Any, key: str, default: Any) -> list[str]:
    rasters = job.get(key)
    if not isinstance(rasters, list) or len(rasters) < 2 or not all(isinstance(p, str) and p for p in rasters):
        raise UserError(tr("Compare embeddings needs 'rasters': a list of 2 or more embedding raster files."))
    return rasters


def _read_names(job: Any, key: str, default: Any) -> Optional[list[Optional[str]]]:
    """One name per raster (a missing one: None); null: every raster by its file name."""
    names, rasters = job.get(key) or None, job.get("rasters")
    count = len(rasters) if isinstance(rasters, list) else 0
    if names is not None and (not isinstance(names, list) or len(names) != count):
        raise UserError(tr("'names' must be a list of one name per raster (%d), got %r.") % (count, names))
    return None if names is None else [str(n) if n else None for n in names]


@dataclass(frozen=True, kw_only=True)
class CompareJob(Contract):
    """Which embedding raster separates the labelled classes best, every raster validated on the same
    spatial blocks and folds (engine/analysis/compare.py)."""

    TYPE: ClassVar[str] = "compare"
    rasters: list[str] = custom(
        REQUIRED,
        _read_rasters,
        kind="list of paths",
        doc="the embedding rasters, 2 or more",
        parameter="INPUTS",
        example=["/data/a.tif", "/data/b.tif"],
    )
    names: Optional[list[Optional[str]]] = custom(
        None, _read_names, kind="list of texts or null", doc="a name per raster (null: the file names)"
    )
    output: str = path(doc="the comparison table (CSV)", parameter="OUTPUT")
    labels: Labels = labels("the labelled geometries, WKT in the first raster's CRS")
    cv_folds: int = number(5, limits.COMPARE_FOLDS, doc="folds", parameter="FOLDS")
    validation_block_size: float = validation_block_size()
    k_neighbors: int = neighbors()
    seed: int = seed()
    max_samples_per_class: int = per_class(5000)
    all_touched: bool = all_touched()
    block_size: Optional[int] = block_size()
