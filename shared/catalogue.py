"""Facts both processes need, in one place (standard library only: imported by the QGIS shell and by
the engine alike).

Every list of choices a user picks from lives here once, in its option order: the Processing
algorithms' enums, the panel's and the settings' combo boxes and the engine's checks all derive from
these (tests/shell/test_catalogue_choices.py and tests/engine/test_catalogue.py hold them to it). The
shell passes the *values* (e.g. "cuda") in job specs, never an index into a copy of a list. Adding a
device or a cloud mask is one edit here (and, for the engine, the code that does something with it).
"""

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

# the plugin's one icon, in the plugin's folder (computed here: this file is also loaded by its path alone)
ICON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "icon.png")

# -- sources and their options -----------------------------------------------------------------------
# job["source"]["kind"] -> what the user sees (the SOURCE enum of Compute embeddings, the panel's picker)
SOURCES = {"raster": "Raster layer", "earthengine": "Google Earth Engine"}

# job["prep"] -> its explanation (the panel shows the explanation; the algorithm lists the names)
PREPARATIONS = {
    "auto": "auto (tiles when the area is larger than one 224-pixel tile)",
    "tile": "tile (224-pixel tiles, one cell per 16x16 pixels; bounded memory)",
    "resize": "resize (whole area to 224 pixels: one 14x14 grid)",
}

# Tile-mode chip overlap: the name the user picks -> the chip stride in 16 px grid cells (a chip is
# 14 cells). "none" is the reference's abutting layout; see engine/pipeline/tiling.py for the geometry and
# engine/pipeline/stitch.py for the blending, and benchmarks/seams.py for what overlap buys.
TILE_OVERLAPS = {"none": 14, "25%": 10, "50%": 7}
TILE_OVERLAP_HELP = {
    "none": "none (abutting 224 px chips; reference-equivalent)",
    "25%": "25% (chip stride 160 px: about 2x the chips)",
    "50%": "50% (chip stride 112 px: about 4x the chips)",
}

# The embedding grid GeoTIFF's compression: job["outputs"]["grid_compression"] -> what the user sees
# (engine/pipeline/outputs.py has the layout and the reason for the default, benchmarks/README.md the figures)
GRID_COMPRESSIONS = {
    "none": "none (fastest to write and read; about the raw size)",
    "deflate": "DEFLATE (smaller only where many cells are empty, e.g. a polygon area; slower)",
}

# Vector outputs (the pooled vector of Compute embeddings, the features of Embeddings for features): the
# destination's extension picks the format. QGIS writes the GeoPackage (the default, one field per dimension);
# the runtime writes GeoParquet with pyarrow (engine/pipeline/geoparquet.py), whatever QGIS's GDAL can write.
GEOPARQUET_EXTENSION = ".parquet"
VECTOR_FORMATS = {
    ".gpkg": "GeoPackage: one field emb_000... per dimension (the default)",
    GEOPARQUET_EXTENSION: "GeoParquet 1.1: the embedding as one list column 'embedding' (float32)",
}

# Embeddings for features: what a feature's vector is (job["feature_vector"]) -> what the user sees
FEATURE_VECTORS = {
    "chip": "chip (the feature's bounding box resized to one 224-pixel chip: the model's pooled vector)",
    "cells": "cells (the mean of the embedding grid's cells inside the feature, with their count: exact roll-ups)",
}

# Embeddings for features: the status field of every feature (both formats) and its values
FEATURE_STATUS_FIELD = "embed_status"
FEATURE_EMBEDDED = "embedded"
FEATURE_NOT_EMBEDDED = "not embedded: %s"  # % the reason
CELLS_FIELD = "cells"  # how many valid embedding grid cells a vector stands for ("cells" vectors, pooled)

# Earth Engine composites: job["source"]["collection"] (a modality) -> what the user sees
COLLECTIONS = {
    "S2": "Sentinel-2 surface reflectance (12 bands)",
    "S1": "Sentinel-1 GRD, VV and VH (linear)",
    "DEM": "Copernicus DEM GLO-30 (elevation in metres)",
}
DEFAULT_START, DEFAULT_END = "2022-06-01", "2022-09-01"  # ISO dates, the end exclusive
DEFAULT_PIXEL_SIZE_M = 10.0  # the composite's pixel size, metres
DEFAULT_MAX_CLOUD = 30.0  # Sentinel-2 CLOUDY_PIXEL_PERCENTAGE limit, percent
CLOUD_MASKS = ("none", "scl", "probability")  # Sentinel-2 per-pixel cloud mask
ORBIT_ANY = "any"  # job["source"]["s1_orbit"] None
ORBITS = (ORBIT_ANY, "ASCENDING", "DESCENDING")  # Sentinel-1 orbit pass
IMAGERY_CACHE_CAP_MB = 2000  # the imagery cache's default size cap
# A period of a series with no imagery: job["if_no_imagery"] -> what the user sees (engine/pipeline/series_job.py)
IF_NO_IMAGERY = {
    "stop": "stop the run (the periods done are kept and reused by the next run)",
    "skip": "skip the period and go on with the others",
}

# -- computation ---------------------------------------------------------------------------------------
DEVICE_NAMES = {"auto": "auto", "cpu": "CPU", "cuda": "CUDA", "mps": "MPS"}  # job["device"] -> in prose
DEVICES = tuple(DEVICE_NAMES)
DEVICE_ORDER = ("cuda", "mps", "cpu")  # what "auto" tries, in order
DEFAULT_BATCH = {"cpu": 8, "cuda": 64, "mps": 16}  # chips per batch when the job gives none
# The enum index is the saved choice: "auto" came last (saved models keep their meaning) and is the default.
# auto = bf16 where the hardware computes it natively (a CPU with AVX512-BF16 or AMX, a CUDA GPU with
# bf16), fp32 elsewhere (models/precision.py); fp32 = the exact reference.
PRECISION_AUTO = "auto"
PRECISIONS = ("fp32", "bf16", "fp16", "int8", PRECISION_AUTO)
PRECISION_DEFAULT = PRECISION_AUTO
POOLING_DEFAULT = "model default"  # job["pooling"] None
POOLINGS = (POOLING_DEFAULT, "mean", "max")


def default_batch_text() -> str:
    """The default batch sizes in words, e.g. '8 on CPU, 64 on CUDA, 16 on MPS' (help texts say this)."""
    return ", ".join("%d on %s" % (size, DEVICE_NAMES[device]) for device, size in DEFAULT_BATCH.items())


def auto_device_text() -> str:
    """What the 'auto' device does, in words: 'CUDA, then MPS, then the CPU'."""
    names = [DEVICE_NAMES[d] for d in DEVICE_ORDER]
    return ", then ".join(names[:-1] + ["the " + names[-1]])


def option_value(options: Iterable[Any], index: int, default: Any = None) -> Any:
    """The value at an enum index (Processing gives indices); `default` when out of range."""
    options = list(options)
    return options[index] if 0 <= index < len(options) else default


# -- validation of classifiers (Few-shot classification, Compare embeddings) ----------------------------
# job["validation"] -> what the user sees; option order = the enum's (the first is the default)
VALIDATIONS = {
    "feature": "grouped by feature (cells of one labelled feature stay together)",
    "blocks": "spatial blocks (cells grouped into square blocks of the size below)",
    "cell": "by cell (optimistic: neighbouring cells are alike)",
}
VALIDATION_DEFAULT = "feature"
# job["method"] -> what the user sees (Few-shot classification's enum; Compare embeddings runs both)
CLASSIFIERS = {"logistic": "Logistic regression", "knn": "k nearest neighbours"}
CLASSIFIER_DEFAULT = "logistic"
# -- similarity search: the reference embedding, job["reference"]'s one key -> what the user sees ------------
SIMILARITY_EXAMPLES = {
    "geometries": "Mean of the cells under the features",
    "vectors": "Pooled vectors in the features' emb_ fields",
}


# -- bands -----------------------------------------------------------------------------------------------
# Canonical names: Sentinel-2 'B1'..'B12' (B10 is not a model input), Sentinel-1 'VV', 'VH'. Matching is
# case-insensitive and ignores spaces, '-', '_' and '.' ('b01', 'B 1', 'nir_narrow', 'NIR-NARROW' all work).
S2_BANDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12")
S1_BANDS = ("VV", "VH")
DEM_BANDS = ("DEM",)
# A sensor (the user's word for a modality) -> its canonical bands, in model order.
SENSOR_BANDS = {"S2": S2_BANDS, "S1": S1_BANDS, "DEM": DEM_BANDS}
SENSOR_NAMES = {"S2": "Sentinel-2", "S1": "Sentinel-1", "DEM": "DEM"}  # in messages
SENSOR_LABELS = {"S2": "Sentinel-2 L2A", "S1": "Sentinel-1 GRD", "DEM": "DEM"}  # in model labels
MODALITY_NAMES = {"S2": "Sentinel-2 optical", "S1": "Sentinel-1 radar", "DEM": "elevation (DEM)"}
# TerraMind on several sensors: the terraembed:embed raster parameter of each sensor that may come from its
# own raster (the first sensor, Sentinel-2, is INPUT). engine/pipeline/sensors.py reads them.
SENSOR_PARAMETERS = {"S1": "INPUT_S1", "DEM": "INPUT_DEM"}

# canonical -> aliases (any spelling/case; normalised by _norm). Sources: Sentinel-2 band numbers,
# the TerraMind/terratorch names, STAC (earth-search) asset names, common descriptive names.
_ALIASES = {
    "B1": ("B01", "B1", "COASTAL", "COASTAL_AEROSOL", "AEROSOL", "ULTRA_BLUE"),
    "B2": ("B02", "B2", "BLUE"),
    "B3": ("B03", "B3", "GREEN"),
    "B4": ("B04", "B4", "RED"),
    "B5": ("B05", "B5", "RED_EDGE_1", "REDEDGE1", "RE1", "RED_EDGE1", "VEGETATION_RED_EDGE_1"),
    "B6": ("B06", "B6", "RED_EDGE_2", "REDEDGE2", "RE2", "RED_EDGE2", "VEGETATION_RED_EDGE_2"),
    "B7": ("B07", "B7", "RED_EDGE_3", "REDEDGE3", "RE3", "RED_EDGE3", "VEGETATION_RED_EDGE_3"),
    "B8": ("B08", "B8", "NIR", "NIR_BROAD", "NIR08_BROAD", "NIR_1"),
    "B8A": ("B8A", "B08A", "NIR_NARROW", "NARROW_NIR", "NIR08", "NIRN", "RED_EDGE_4", "REDEDGE4", "RE4", "NIR_2"),
    "B9": ("B09", "B9", "WATER_VAPOR", "WATER_VAPOUR", "WATERVAPOR", "WV", "NIR09"),
    "B10": ("B10", "CIRRUS", "SWIR_CIRRUS"),
    "B11": ("B11", "SWIR1", "SWIR_1", "SWIR16", "SWIR_16"),
    "B12": ("B12", "SWIR2", "SWIR_2", "SWIR22", "SWIR_22"),
    "VV": ("VV", "SIGMA0_VV", "S1_VV", "VV_LINEAR", "GAMMA0_VV"),
    "VH": ("VH", "SIGMA0_VH", "S1_VH", "VH_LINEAR", "GAMMA0_VH"),
    "DEM": ("DEM", "ELEVATION", "HEIGHT", "ALTITUDE", "DTM", "COPERNICUS_DEM"),
}


def _norm(name: object) -> str:
    """Upper case, separators removed: 'nir_narrow' -> 'NIRNARROW', 'B 01' -> 'B01'."""
    return re.sub(r"[\s_\-.]+", "", str(name).strip().upper())


BAND_ALIASES = {_norm(alias): canonical for canonical, names in _ALIASES.items() for alias in names + (canonical,)}


def canonical_band(name: object) -> Optional[str]:
    """The canonical band name for `name` ('b02', 'Blue', 'NIR_NARROW' ...), or None.

    Tries the whole text first, then its first word ('B4 (red)', 'B8A: NIR narrow')."""
    if name is None:
        return None
    text = str(name).strip()
    if not text:
        return None
    hit = BAND_ALIASES.get(_norm(text))
    if hit:
        return hit
    first = re.split(r"[\s(:/,;\[]+", text, maxsplit=1)[0]
    if first and first != text:
        return BAND_ALIASES.get(_norm(first))
    return None


def match_bands(descriptions: Optional[Iterable[object]], spec_or_bands: Any) -> Optional[list[int]]:
    """1-based indices of the raster bands to use, in the model's band order, or None.

    descriptions: the raster's band descriptions/names in raster order.
    spec_or_bands: a model (anything with `.bands`) or a sequence of canonical band names.
    None when a model band is not found, or when two raster bands claim the same model band
    (ambiguous: let the user choose)."""
    bands = getattr(spec_or_bands, "bands", spec_or_bands)
    found: dict[str, int] = {}
    for i, desc in enumerate(descriptions or ()):
        canonical = canonical_band(desc)
        if canonical is None:
            continue
        if canonical in found:
            if canonical in bands:
                return None
            continue
        found[canonical] = i + 1
    try:
        return [found[b] for b in bands]
    except KeyError:
        return None


def sensors_of(modality: str) -> tuple[str, ...]:
    """The sensors of a modality ('S2+S1+DEM' -> ('S2', 'S1', 'DEM')): a model's, or an Earth Engine
    source's collection."""
    return tuple(str(modality).upper().split("+"))


# -- models ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Model:
    """What a user picks and sees of a model; models/registry.py adds what the engine needs to build it."""

    id: str
    label: str
    modality: str  # the sensors, '+'-joined in band order: 'S2' | 'S1' | 'S2+S1' | 'S2+S1+DEM'
    bands: tuple[str, ...]  # canonical band names, in model order
    dim: int  # embedding size
    hf_repo: str
    hf_filename: str
    description: str

    @property
    def sensors(self) -> tuple[str, ...]:
        """The sensors whose bands the model input stacks, in band order: ('S2',), ('S2', 'S1', 'DEM')..."""
        return sensors_of(self.modality)


# TerraFM-L: the same architecture with ViT-L sizes. Its checkpoint file name in MBZUAI/TerraFM is
# inferred from TerraFM-B.pth (not checked against the hub); when the hub lacks it, the error lists the
# files the repository has (models/weights.py).
TERRAFM_L_COST = (
    "about 3.2x TerraFM-B's compute per chip (135 vs 42.5 GFLOP) and 1.4 GB of fp32 weights "
    "(TerraFM-B: 0.45 GB) for a small accuracy gain in TerraFM's own benchmarks (e.g. GEO-Bench "
    "m-So2Sat 66.6 vs 64.9, m-EuroSat 98.6 vs 98.1): worth it on a GPU, or for small areas on a CPU"
)


def _terrafm(size: str, modality: str, dim: int, extra: str = "") -> Model:
    s1 = modality == "S1"
    return Model(
        id="terrafm_%s_%s" % (size.lower(), modality.lower()),
        label="TerraFM-%s (%s)" % (size, "Sentinel-1 VV/VH" if s1 else "Sentinel-2, 12 bands"),
        modality=modality,
        bands=S1_BANDS if s1 else S2_BANDS,
        dim=dim,
        hf_repo="MBZUAI/TerraFM",
        hf_filename="TerraFM-%s.pth" % size,
        description=(
            "MBZUAI TerraFM-%s (ViT-%s/16) on %s; %d-dim CLS vector and 14x14 patch grid.%s"
            % (
                size,
                size,
                "Sentinel-1 VV, VH in linear backscatter (not dB)"
                if s1
                else "12 Sentinel-2 bands (surface reflectance 0..10000)",
                dim,
                extra,
            )
        ),
    )


def _terramind(size: str, dim: int) -> Model:
    return Model(
        id="terramind_v1_%s" % size,
        label="TerraMind v1 %s (Sentinel-2 L2A)" % size,
        modality="S2",
        bands=S2_BANDS,
        dim=dim,
        hf_repo="ibm-esa-geospatial/TerraMind-1.0-%s" % size,
        hf_filename="TerraMind_v1_%s.pt" % size,
        description=(
            "IBM/ESA TerraMind 1.0 %s encoder (via terratorch), raw S2L2A input, 12 bands; "
            "%d-dim tokens on a 14x14 grid, pooled by mean (or max)." % (size, dim)
        ),
    )


# What TerraMind does with several sensors (terratorch's TerraMindViT, merge_method 'mean').
TERRAMIND_MERGE = (
    "each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all "
    "of them together, and each output cell is the mean of the sensors' tokens at that "
    "place (terratorch's default 'mean' merge)"
)
SENSOR_INPUTS = {
    "S2": "12 Sentinel-2 bands (surface reflectance 0..10000)",
    "S1": "Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model)",
    "DEM": "an elevation band in metres",
}
TERRAMIND_SIZES = {"tiny": 192, "small": 384, "base": 768, "large": 1024}  # size -> embedding size
TERRAMIND_SENSOR_SETS = (("S1",), ("S2", "S1"), ("S2", "S1", "DEM"))


def _terramind_sensors(size: str, sensors: tuple[str, ...]) -> Model:
    """TerraMind v1 on other sensors than S2 alone: the same weights file, the encoder built with the
    sensors' patch embeddings (terratorch modalities S2L2A, S1GRD, DEM)."""
    base, dim = _terramind(size, TERRAMIND_SIZES[size]), TERRAMIND_SIZES[size]
    merge = (
        (
            " With several sensors, %s; a chip costs about %d times the tokens of one sensor."
            % (TERRAMIND_MERGE, len(sensors))
        )
        if len(sensors) > 1
        else ""
    )
    return Model(
        id="%s_%s" % (base.id, "_".join(s.lower() for s in sensors)),
        label="TerraMind v1 %s (%s)" % (size, " + ".join(SENSOR_LABELS[s] for s in sensors)),
        modality="+".join(sensors),
        bands=tuple(b for s in sensors for b in SENSOR_BANDS[s]),
        dim=dim,
        hf_repo=base.hf_repo,
        hf_filename=base.hf_filename,
        description=(
            "IBM/ESA TerraMind 1.0 %s encoder (via terratorch) on %s; %d-dim tokens on a 14x14 "
            "grid, pooled by mean (or max).%s" % (size, "; ".join(SENSOR_INPUTS[s] for s in sensors), dim, merge)
        ),
    )


# The MODEL enum of the algorithms, in option order (index = option): new models go at the END, so saved
# models, scripts and the panel's remembered choice keep their meaning.
MODELS = {
    model.id: model
    for model in (
        _terrafm("B", "S2", 768),
        _terrafm("B", "S1", 768),
        *(_terramind(size, dim) for size, dim in TERRAMIND_SIZES.items()),
        _terrafm("L", "S2", 1024, " Costs %s." % TERRAFM_L_COST),
        _terrafm("L", "S1", 1024, " Costs %s." % TERRAFM_L_COST),
        # TerraMind v1 on Sentinel-1, S2 + S1 and S2 + S1 + DEM: options 8-19
        *(_terramind_sensors(size, sensors) for sensors in TERRAMIND_SENSOR_SETS for size in TERRAMIND_SIZES),
    )
}
MODEL_IDS = tuple(MODELS)


# -- embeddings published precomputed --------------------------------------------------------------------
@dataclass(frozen=True)
class EmbeddingProduct:
    """Embeddings a publisher has computed: fetched or read, never computed here. Analysis takes their
    rasters like the grid of one of MODELS; they are no option of the MODEL enum (there is no model to run)."""

    id: str  # TERRAEMBED_MODEL of its rasters
    label: str
    modality: str  # what the embeddings summarise (TERRAEMBED_MODALITY)
    bands: tuple[str, ...]  # the publisher's band names, in order
    dim: int
    cell_size_m: float
    collection_id: str  # on Earth Engine
    years: tuple[int, int]  # (first, last) as published when written here; the collection is asked what it has
    licence: str
    attribution: str  # the text the licence requires with every use
    description: str
    licence_spdx: str  # the licence's SPDX identifier (a STAC Item's "license")
    licence_url: str
    publisher: str  # who computes and publishes them (a STAC Item's provider)


ALPHAEARTH = EmbeddingProduct(
    id="alphaearth",
    label="AlphaEarth Foundations Satellite Embedding (Google DeepMind; annual, 64-d, 10 m)",
    modality="annual summary of Sentinel-2, Sentinel-1, Landsat and other sources",
    bands=tuple("A%02d" % i for i in range(64)),
    dim=64,
    cell_size_m=10.0,
    collection_id="GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL",
    years=(2017, 2025),
    licence="CC-BY 4.0",
    attribution="The AlphaEarth Foundations Satellite Embedding dataset is produced by Google and Google DeepMind.",
    description=(
        "Google DeepMind's AlphaEarth Foundations embeddings, computed by Google for every 10 m cell of the "
        "land and coastal waters, one 64-dimensional unit vector per cell and calendar year: a summary of the "
        "year's optical, radar, thermal and other observations. Fetched from Earth Engine or read from Google's "
        "int8 GeoTIFFs (de-quantised on reading)."
    ),
    licence_spdx="CC-BY-4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    publisher="Google and Google DeepMind",
)
EMBEDDING_PRODUCTS = {ALPHAEARTH.id: ALPHAEARTH}
# Every source of embedding rasters the analysis algorithms know (TERRAEMBED_MODEL -> label): the models
# TerraEmbed runs, then the published products.
ANALYSIS_MODELS = {
    **{model.id: model.label for model in MODELS.values()},
    **{product.id: product.label for product in EMBEDDING_PRODUCTS.values()},
}
# -- change over time (terraembed:change_series, the explore timeline) -----------------------------
CHANGE_CLASSES = ("stable", "one break", "repeated change")  # codes 1..3 of the change class raster
DEFAULT_CHANGE_STEP = 0.3  # a step between consecutive periods at or above this cosine distance is a change
