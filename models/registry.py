"""The model registry: what each model needs (bands, size) and gives (dimension), and its weights.

No torch import here: the registry is cheap to import and safe to list from anywhere.
"""

from dataclasses import dataclass
from typing import Any, Optional, Union

from ..engine.i18n import tr
from ..shared import catalogue
from ..shared.errors import UserError

S2_NORMALISATION_TERRAFM = "x = clip(raw / 10000, 0, 1), then bilinear resize to 224"
S1_NORMALISATION_TERRAFM = (
    "x = log1p(max(raw, 0)); d = 99th percentile of x over both bands of the "
    "chip (1 if not > 0); x = clip(x / d, 0, 1), then bilinear resize to 224"
)
S2_NORMALISATION_TERRAMIND = (
    "nan -> 0, clip raw to 0..10000, bilinear resize to 224, per-band z-score with the TerraMind v1 S2L2A mean/std"
)
S1_NORMALISATION_TERRAMIND = (
    "linear backscatter -> dB (10 log10; values <= 0 or nodata -> the "
    "pre-training mean), bilinear resize to 224, z-score with the TerraMind v1 "
    "S1GRD mean/std (in dB)"
)
DEM_NORMALISATION_TERRAMIND = "metres; bilinear resize to 224, z-score with the TerraMind v1 DEM mean/std"
TERRAMIND_NORMALISATION = {
    "S2": S2_NORMALISATION_TERRAMIND,
    "S1": S1_NORMALISATION_TERRAMIND,
    "DEM": DEM_NORMALISATION_TERRAMIND,
}


@dataclass(frozen=True)
class ModelSpec(catalogue.Model):
    """A catalogue.Model (what the user picks and sees: id, label, modality, bands, dim, weights
    file, description, sensors) and what the engine needs to build and feed it."""

    family: str = ""  # 'terrafm' | 'terramind'
    input_size: int = 224
    patch_size: int = 16
    grid_size: int = 14
    terramind_key: Optional[str] = None
    default_pooling: str = "cls"
    normalisation: str = ""
    depth: int = 12
    num_heads: int = 12

    @property
    def num_channels(self) -> int:
        return len(self.bands)

    def sensor_slices(self) -> dict[str, slice]:
        """sensor -> the slice of its channels in the model input."""
        out: dict[str, slice] = {}
        start = 0
        for sensor in self.sensors:
            n = len(catalogue.SENSOR_BANDS[sensor])
            out[sensor] = slice(start, start + n)
            start += n
        return out


def _terrafm(modality: str, depth: int, heads: int) -> dict[str, Any]:
    return dict(
        family="terrafm",
        default_pooling="cls",
        depth=depth,
        num_heads=heads,
        normalisation=S1_NORMALISATION_TERRAFM if modality == "S1" else S2_NORMALISATION_TERRAFM,
    )


def _terramind(size: str, depth: int, heads: int, sensors: tuple[str, ...] = ("S2",)) -> dict[str, Any]:
    normalisation = (
        TERRAMIND_NORMALISATION["S2"]
        if sensors == ("S2",)
        else "; ".join("%s: %s" % (s, TERRAMIND_NORMALISATION[s]) for s in sensors)
    )
    return dict(
        family="terramind",
        terramind_key="terramind_v1_%s" % size,
        default_pooling="mean",
        normalisation=normalisation,
        depth=depth,
        num_heads=heads,
    )


TERRAMIND_DEPTHS = {"tiny": (12, 3), "small": (12, 6), "base": (12, 12), "large": (24, 16)}  # depth, heads


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
ARCHITECTURES.update(
    {
        "terramind_v1_%s_%s" % (size, "_".join(s.lower() for s in sensors)): _terramind(
            size, *TERRAMIND_DEPTHS[size], sensors=sensors
        )
        for sensors in catalogue.TERRAMIND_SENSOR_SETS
        for size in catalogue.TERRAMIND_SIZES
    }
)

MODELS = {model_id: ModelSpec(**vars(model), **ARCHITECTURES[model_id]) for model_id, model in catalogue.MODELS.items()}


def get_model_spec(model_id: Union[str, ModelSpec, None]) -> ModelSpec:
    """The ModelSpec for `model_id`; UserError listing the valid ids otherwise."""
    if isinstance(model_id, ModelSpec):
        return model_id
    spec = MODELS.get(str(model_id).strip().lower()) if model_id is not None else None
    if spec is None:
        raise UserError(tr("Unknown model %r. Valid models: %s.") % (model_id, ", ".join(MODELS)))
    return spec
