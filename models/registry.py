"""The model registry: what each model needs (bands, size) and gives (dimension), and its weights.

No torch import here: the registry is cheap to import and safe to list from anywhere.
"""
from dataclasses import dataclass

from ..engine.errors import UserError
from .bands import S1_BANDS, S2_BANDS

S2_NORMALISATION_TERRAFM = "x = clip(raw / 10000, 0, 1), then bilinear resize to 224"
S1_NORMALISATION_TERRAFM = ("x = log1p(max(raw, 0)); d = 99th percentile of x over both bands of the "
                            "chip (1 if not > 0); x = clip(x / d, 0, 1), then bilinear resize to 224")
S2_NORMALISATION_TERRAMIND = ("nan -> 0, clip raw to 0..10000, bilinear resize to 224, per-band "
                              "z-score with the TerraMind v1 S2L2A mean/std")


@dataclass(frozen=True)
class ModelSpec:
    id: str
    label: str
    family: str            # 'terrafm' | 'terramind'
    modality: str          # 'S2' | 'S1'
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

def get_model_spec(model_id):
    """The ModelSpec for `model_id`; UserError listing the valid ids otherwise."""
    if isinstance(model_id, ModelSpec):
        return model_id
    spec = MODELS.get(str(model_id).strip().lower()) if model_id is not None else None
    if spec is None:
        raise UserError("Unknown model %r. Valid models: %s." % (model_id, ", ".join(MODELS)))
    return spec

