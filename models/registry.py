"""The model registry: what each model needs (bands, size) and gives (dimension), and its weights.

No torch import here: the registry is cheap to import and safe to list from anywhere.
"""
from dataclasses import dataclass

from .. import catalogue
from ..engine.errors import UserError

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


def _terrafm(modality, depth, heads):
    return dict(family="terrafm", default_pooling="cls", depth=depth, num_heads=heads,
                normalisation=S1_NORMALISATION_TERRAFM if modality == "S1" else S2_NORMALISATION_TERRAFM)


def _terramind(size, depth, heads):
    return dict(family="terramind", terramind_key="terramind_v1_%s" % size, default_pooling="mean",
                normalisation=S2_NORMALISATION_TERRAMIND, depth=depth, num_heads=heads)


# How the engine builds each model of the catalogue (catalogue.MODELS owns the list, its order and what
# the user sees; a model added there needs its line here).
ARCHITECTURES = {
    "terrafm_b_s2": _terrafm("S2", 12, 12),
    "terrafm_b_s1": _terrafm("S1", 12, 12),
    "terramind_v1_tiny": _terramind("tiny", 12, 3),
    "terramind_v1_small": _terramind("small", 12, 6),
    "terramind_v1_base": _terramind("base", 12, 12),
    "terramind_v1_large": _terramind("large", 24, 16),
    "terrafm_l_s2": _terrafm("S2", 24, 16),
    "terrafm_l_s1": _terrafm("S1", 24, 16),
}

MODELS = {model_id: ModelSpec(**vars(model), **ARCHITECTURES[model_id])
          for model_id, model in catalogue.MODELS.items()}


def get_model_spec(model_id):
    """The ModelSpec for `model_id`; UserError listing the valid ids otherwise."""
    if isinstance(model_id, ModelSpec):
        return model_id
    spec = MODELS.get(str(model_id).strip().lower()) if model_id is not None else None
    if spec is None:
        raise UserError("Unknown model %r. Valid models: %s." % (model_id, ", ".join(MODELS)))
    return spec

