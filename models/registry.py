"""The model registry: what each model needs (bands, size) and gives (dimension), and its weights.

No torch import here: the registry is cheap to import and safe to list from anywhere.
"""
from dataclasses import dataclass

from ..engine.errors import UserError
from .bands import BAND_ALIASES, S1_BANDS, S2_BANDS, SENSOR_BANDS, canonical_band, match_bands  # noqa: F401

S2_NORMALISATION_TERRAFM = "x = clip(raw / 10000, 0, 1), then bilinear resize to 224"
S1_NORMALISATION_TERRAFM = ("x = log1p(max(raw, 0)); d = 99th percentile of x over both bands of the "
                            "chip (1 if not > 0); x = clip(x / d, 0, 1), then bilinear resize to 224")
S2_NORMALISATION_TERRAMIND = ("nan -> 0, clip raw to 0..10000, bilinear resize to 224, per-band "
                              "z-score with the TerraMind v1 S2L2A mean/std")
S1_NORMALISATION_TERRAMIND = ("linear backscatter -> dB (10 log10; values <= 0 or nodata -> the "
                              "pre-training mean), bilinear resize to 224, z-score with the TerraMind v1 "
                              "S1GRD mean/std (in dB)")
DEM_NORMALISATION_TERRAMIND = ("metres; bilinear resize to 224, z-score with the TerraMind v1 DEM "
                               "mean/std")
# What TerraMind does with several sensors (terratorch's TerraMindViT, merge_method 'mean').
TERRAMIND_MERGE = ("each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all "
                   "of them together, and each output cell is the mean of the sensors' tokens at that "
                   "place (terratorch's default 'mean' merge)")


@dataclass(frozen=True)
class ModelSpec:
    id: str
    label: str
    family: str            # 'terrafm' | 'terramind'
    modality: str          # the sensors, '+'-joined in band order: 'S2' | 'S1' | 'S2+S1' | 'S2+S1+DEM'
    bands: tuple           # canonical band names, in model order
    input_size: int = 224
    patch_size: int = 16
    grid_size: int = 14
    dim: int = 768
    hf_repo: str = ""
    hf_filename: str = ""
    terramind_key: str = None
    default_pooling: str = "cls"
    description: str = ""
    normalisation: str = ""
    depth: int = 12
    num_heads: int = 12

    @property
    def num_channels(self):
        return len(self.bands)

    @property
    def sensors(self):
        """The sensors whose bands the model input stacks, in band order: ('S2',), ('S2', 'S1', 'DEM')..."""
        return tuple(self.modality.split("+"))

    def sensor_slices(self):
        """sensor -> the slice of its channels in the model input."""
        out, start = {}, 0
        for sensor in self.sensors:
            n = len(SENSOR_BANDS[sensor])
            out[sensor] = slice(start, start + n)
            start += n
        return out


def _terramind(size, dim, depth, heads):
    return ModelSpec(
        id="terramind_v1_%s" % size,
        label="TerraMind v1 %s (Sentinel-2 L2A)" % size,
        family="terramind", modality="S2", bands=S2_BANDS, dim=dim,
        hf_repo="ibm-esa-geospatial/TerraMind-1.0-%s" % size,
        hf_filename="TerraMind_v1_%s.pt" % size,
        terramind_key="terramind_v1_%s" % size, default_pooling="mean",
        description=("IBM/ESA TerraMind 1.0 %s encoder (via terratorch), raw S2L2A input, 12 bands; "
                     "%d-dim tokens on a 14x14 grid, pooled by mean (or max)." % (size, dim)),
        normalisation=S2_NORMALISATION_TERRAMIND, depth=depth, num_heads=heads)


SENSOR_LABELS = {"S2": "Sentinel-2 L2A", "S1": "Sentinel-1 GRD", "DEM": "DEM"}
SENSOR_INPUTS = {"S2": "12 Sentinel-2 bands (surface reflectance 0..10000)",
                 "S1": "Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model)",
                 "DEM": "an elevation band in metres"}


def _terramind_sensors(size, dim, depth, heads, sensors):
    """TerraMind v1 on other sensors than S2 alone: the same weights file, the encoder built with the
    sensors' patch embeddings (terratorch modalities S2L2A, S1GRD, DEM)."""
    base = _terramind(size, dim, depth, heads)
    merge = (" With several sensors, %s; a chip costs about %d times the tokens of one sensor."
             % (TERRAMIND_MERGE, len(sensors))) if len(sensors) > 1 else ""
    return ModelSpec(
        id="%s_%s" % (base.id, "_".join(s.lower() for s in sensors)),
        label="TerraMind v1 %s (%s)" % (size, " + ".join(SENSOR_LABELS[s] for s in sensors)),
        family="terramind", modality="+".join(sensors),
        bands=tuple(b for s in sensors for b in SENSOR_BANDS[s]), dim=dim,
        hf_repo=base.hf_repo, hf_filename=base.hf_filename, terramind_key=base.terramind_key,
        default_pooling="mean",
        description=("IBM/ESA TerraMind 1.0 %s encoder (via terratorch) on %s; %d-dim tokens on a 14x14 "
                     "grid, pooled by mean (or max).%s"
                     % (size, "; ".join(SENSOR_INPUTS[s] for s in sensors), dim, merge)),
        normalisation="; ".join("%s: %s" % (s, {"S2": S2_NORMALISATION_TERRAMIND,
                                                "S1": S1_NORMALISATION_TERRAMIND,
                                                "DEM": DEM_NORMALISATION_TERRAMIND}[s]) for s in sensors),
        depth=depth, num_heads=heads)


TERRAMIND_SIZES = (("tiny", 192, 12, 3), ("small", 384, 12, 6), ("base", 768, 12, 12),
                   ("large", 1024, 24, 16))
TERRAMIND_SENSOR_SETS = (("S1",), ("S2", "S1"), ("S2", "S1", "DEM"))


# TerraFM-L: the same architecture with ViT-L sizes. Its checkpoint file name in MBZUAI/TerraFM is
# inferred from TerraFM-B.pth (not checked against the hub); when the hub lacks it, the error lists the
# files the repository has (models/weights.py).
TERRAFM_L_COST = ("about 3.2x TerraFM-B's compute per chip (135 vs 42.5 GFLOP) and 1.4 GB of fp32 weights "
                  "(TerraFM-B: 0.45 GB) for a small accuracy gain in TerraFM's own benchmarks (e.g. GEO-Bench "
                  "m-So2Sat 66.6 vs 64.9, m-EuroSat 98.6 vs 98.1): worth it on a GPU, or for small areas on a CPU")


def _terrafm(size, modality, dim, depth, heads, extra=""):
    s1 = modality == "S1"
    return ModelSpec(
        id="terrafm_%s_%s" % (size.lower(), modality.lower()),
        label="TerraFM-%s (%s)" % (size, "Sentinel-1 VV/VH" if s1 else "Sentinel-2, 12 bands"),
        family="terrafm", modality=modality, bands=S1_BANDS if s1 else S2_BANDS, dim=dim,
        hf_repo="MBZUAI/TerraFM", hf_filename="TerraFM-%s.pth" % size, default_pooling="cls",
        description=("MBZUAI TerraFM-%s (ViT-%s/16) on %s; %d-dim CLS vector and 14x14 patch grid.%s"
                     % (size, size, "Sentinel-1 VV, VH in linear backscatter (not dB)" if s1 else
                        "12 Sentinel-2 bands (surface reflectance 0..10000)", dim, extra)),
        normalisation=S1_NORMALISATION_TERRAFM if s1 else S2_NORMALISATION_TERRAFM,
        depth=depth, num_heads=heads)


# The order is the MODEL enum of the algorithms (index = option): new models go at the end.
MODELS = {
    "terrafm_b_s2": _terrafm("B", "S2", 768, 12, 12),
    "terrafm_b_s1": _terrafm("B", "S1", 768, 12, 12),
    "terramind_v1_tiny": _terramind("tiny", 192, 12, 3),
    "terramind_v1_small": _terramind("small", 384, 12, 6),
    "terramind_v1_base": _terramind("base", 768, 12, 12),
    "terramind_v1_large": _terramind("large", 1024, 24, 16),
    "terrafm_l_s2": _terrafm("L", "S2", 1024, 24, 16, " Costs %s." % TERRAFM_L_COST),
    "terrafm_l_s1": _terrafm("L", "S1", 1024, 24, 16, " Costs %s." % TERRAFM_L_COST),
}
for _sensors in TERRAMIND_SENSOR_SETS:
    for _size in TERRAMIND_SIZES:
        _spec = _terramind_sensors(*_size, sensors=_sensors)
        MODELS[_spec.id] = _spec
del _sensors, _size, _spec

DEFAULT_MODEL_ID = "terrafm_b_s2"
DEFAULT_TERRAMIND_ID = "terramind_v1_small"


def get_model_spec(model_id):
    """The ModelSpec for `model_id`; UserError listing the valid ids otherwise."""
    if isinstance(model_id, ModelSpec):
        return model_id
    spec = MODELS.get(str(model_id).strip().lower()) if model_id is not None else None
    if spec is None:
        raise UserError("Unknown model %r. Valid models: %s." % (model_id, ", ".join(MODELS)))
    return spec


def list_models():
    """JSON-able descriptions of all models (for the UI and the 'environment' job)."""
    return [{"id": s.id, "label": s.label, "family": s.family, "modality": s.modality,
             "bands": list(s.bands), "input_size": s.input_size, "grid_size": s.grid_size,
             "dim": s.dim, "hf_repo": s.hf_repo, "hf_filename": s.hf_filename,
             "default_pooling": s.default_pooling, "description": s.description,
             "normalisation": s.normalisation} for s in MODELS.values()]
