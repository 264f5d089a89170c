"""The dataset tags TerraEmbed writes on its rasters, named once: every name is TERRAEMBED_<UPPER_SNAKE>,
every value text (plain for a number, word or path; true/false for a yes/no; JSON for a list or an object).
README.md ("Raster tags") lists each tag with its meaning and the outputs that carry it.

Rasters written before 0.2.0 carry other names for some of them (OLD_NAMES: the bare lower-case names of
the analysis jobs, EE_*, CLASS_<n>); `read`, `has` and `classes` find those too, so every reader of a tag
works on old files. GDAL's own names (STATISTICS_* on bands) and the band descriptions are not tags of ours.
Standard library only.
"""

import json
import re
from collections.abc import Mapping
from typing import Optional

PATTERN = re.compile(r"^TERRAEMBED_[A-Z0-9_]+$")

# what made the embeddings (the embed job's grid and PCA, fetched AlphaEarth years)
MODEL = "TERRAEMBED_MODEL"
MODALITY = "TERRAEMBED_MODALITY"
DIM = "TERRAEMBED_DIM"
WEIGHTS = "TERRAEMBED_WEIGHTS"
PRECISION = "TERRAEMBED_PRECISION"
PREPROCESSING = "TERRAEMBED_PREPROCESSING"
INPUT = "TERRAEMBED_INPUT"
SCALE = "TERRAEMBED_SCALE"
DATE = "TERRAEMBED_DATE"
NODATA = "TERRAEMBED_NODATA"
QGIS_ALGORITHM = "TERRAEMBED_QGIS_ALGORITHM"
YEAR = "TERRAEMBED_YEAR"
YEARS_AVAILABLE = "TERRAEMBED_YEARS_AVAILABLE"
LICENCE = "TERRAEMBED_LICENCE"
ATTRIBUTION = "TERRAEMBED_ATTRIBUTION"
RESAMPLED = "TERRAEMBED_RESAMPLED"
# fetched imagery (Earth Engine)
PROVENANCE = "TERRAEMBED_PROVENANCE"
EE_COLLECTION_ID = "TERRAEMBED_EE_COLLECTION_ID"
EE_START = "TERRAEMBED_EE_START"
EE_END = "TERRAEMBED_EE_END"
EE_IMAGES = "TERRAEMBED_EE_IMAGES"
EE_COMPOSITE = "TERRAEMBED_EE_COMPOSITE"
# series
SERIES = "TERRAEMBED_SERIES"
SERIES_PERIOD = "TERRAEMBED_SERIES_PERIOD"
SERIES_KEY = "TERRAEMBED_SERIES_KEY"
# PCA rasters (EXPLAINED_VARIANCE_RATIO also on each band, for that component)
PCA_COMPONENTS = "TERRAEMBED_PCA_COMPONENTS"
PCA_FITTED_CELLS = "TERRAEMBED_PCA_FITTED_CELLS"
EXPLAINED_VARIANCE_RATIO = "TERRAEMBED_EXPLAINED_VARIANCE_RATIO"
EXPLAINED_VARIANCE = "TERRAEMBED_EXPLAINED_VARIANCE"
WHITEN = "TERRAEMBED_WHITEN"
# the analysis jobs' outputs
SOURCE = "TERRAEMBED_SOURCE"
SEED = "TERRAEMBED_SEED"
CLUSTERS = "TERRAEMBED_CLUSTERS"
INERTIA = "TERRAEMBED_INERTIA"
SILHOUETTE = "TERRAEMBED_SILHOUETTE"
CLASSES = "TERRAEMBED_CLASSES"
NODATA_CLASS = "TERRAEMBED_NODATA_CLASS"
METHOD = "TERRAEMBED_METHOD"
CV_ACCURACY = "TERRAEMBED_CV_ACCURACY"
CLASSIFIER = "TERRAEMBED_CLASSIFIER"
MEASURES = "TERRAEMBED_MEASURES"
REFERENCE_CELLS = "TERRAEMBED_REFERENCE_CELLS"
REFERENCE_FEATURES = "TERRAEMBED_REFERENCE_FEATURES"
NEGATIVE_CELLS = "TERRAEMBED_NEGATIVE_CELLS"
NEGATIVE_FEATURES = "TERRAEMBED_NEGATIVE_FEATURES"
THRESHOLD = "TERRAEMBED_THRESHOLD"
BEFORE = "TERRAEMBED_BEFORE"
AFTER = "TERRAEMBED_AFTER"
AFTER_RESAMPLED = "TERRAEMBED_AFTER_RESAMPLED"
PERIODS = "TERRAEMBED_PERIODS"
CHANGE_STEP = "TERRAEMBED_CHANGE_STEP"

# the names rasters of earlier versions carry, read where the new name is missing
OLD_NAMES: dict[str, tuple[str, ...]] = {
    EE_COLLECTION_ID: ("EE_COLLECTION_ID",),
    EE_START: ("EE_START",),
    EE_END: ("EE_END",),
    EE_IMAGES: ("EE_IMAGES",),
    EE_COMPOSITE: ("EE_COMPOSITE",),
    PCA_FITTED_CELLS: ("n_samples",),
    EXPLAINED_VARIANCE_RATIO: ("explained_variance_ratio", "EXPLAINED_VARIANCE_RATIO"),
    EXPLAINED_VARIANCE: ("explained_variance",),
    WHITEN: ("whiten",),
    SOURCE: ("source",),
    SEED: ("seed",),
    CLUSTERS: ("k",),
    INERTIA: ("inertia",),
    SILHOUETTE: ("silhouette",),
    CLASSES: ("class_names",),
    NODATA_CLASS: ("nodata_class",),
    METHOD: ("method",),
    CV_ACCURACY: ("cv_accuracy",),
    CLASSIFIER: ("classifier",),
    REFERENCE_CELLS: ("reference_cells",),
    REFERENCE_FEATURES: ("reference_features",),
    NEGATIVE_CELLS: ("negative_cells",),
    NEGATIVE_FEATURES: ("negative_features",),
    THRESHOLD: ("threshold",),
    BEFORE: ("before",),
    AFTER: ("after",),
    AFTER_RESAMPLED: ("resampled",),
    PERIODS: ("periods",),
    CHANGE_STEP: ("change_step",),
}
_OLD_CLASS = re.compile(r"^CLASS_([1-9][0-9]*)$")  # CLASS_<code>: a class raster's names before 0.2.0


def text(value: object) -> str:
    """A tag's value as written: JSON for a list, tuple or dict, true/false for a bool, repr for a float
    (every digit), else str."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def written(values: Mapping[str, object]) -> dict[str, str]:
    """The tags to write for {name: value}: each value as `text`, a None value left out. A name off the
    convention is a ValueError (a mistake in the code, never the user's)."""
    wrong = [name for name in values if not PATTERN.match(name)]
    if wrong:
        raise ValueError("raster tags must be named TERRAEMBED_<UPPER_SNAKE>, not %s" % ", ".join(wrong))
    return {name: text(value) for name, value in values.items() if value is not None}


def read(tags: Mapping[str, str], name: str, default: Optional[str] = None) -> Optional[str]:
    """The value of tag `name` in a raster's tags, under its name or, on a raster of an earlier version,
    an old one (OLD_NAMES); `default` when it has neither."""
    for key in (name,) + OLD_NAMES.get(name, ()):
        if key in tags:
            return tags[key]
    return default


def has(tags: Mapping[str, str], name: str) -> bool:
    return read(tags, name) is not None


def classes(tags: Mapping[str, str]) -> Optional[list[str]]:
    """A class raster's (or probability raster's) class names in code order: TERRAEMBED_CLASSES, else the
    names an earlier version wrote (class_names, or CLASS_1 .. CLASS_n); None when it names none."""
    found = read(tags, CLASSES)
    if found is not None:
        names = json.loads(found)
        return [str(n) for n in names] if isinstance(names, list) else None
    codes = {int(m.group(1)): value for key, value in tags.items() if (m := _OLD_CLASS.match(key))}
    if not codes or sorted(codes) != list(range(1, len(codes) + 1)):
        return None
    return [codes[code] for code in sorted(codes)]
