"""Per-model input normalisation, exactly as docs/MODELS.md specifies (order matters).

All functions take raw values as a (B, C, H, W) array (numpy or torch, any H, W) and return a
float32 torch tensor (B, C, size, size). Normalisation is per chip (per batch item).

TerraFM S2:  x = clip(raw / 10000, 0, 1); bilinear resize.
TerraFM S1:  x = log1p(max(raw, 0)); d = 99th percentile (numpy linear) over both channels of the
             chip, 1 if not finite or <= 0; x = clip(x / d, 0, 1); bilinear resize.
TerraMind:   nan -> 0; clip raw to 0..10000; bilinear resize; (x - mean) / max(std, 1e-6); nan -> 0.
TerraMind S1 (linear backscatter in): dB = 10 log10(raw); raw <= 0 or not finite -> the band's
             pre-training mean (so 0, the nodata fill, becomes z = 0); bilinear resize; z-score.
TerraMind DEM (metres): non-finite -> the pre-training mean; bilinear resize; z-score.
Several sensors (TerraMind): each sensor's channels are normalised with its own statistics and
             passed to the encoder by terratorch modality name (S2L2A, S1GRD, DEM).
Resize:      bilinear, align_corners=False, no antialias; non-square inputs are stretched.
"""

from collections.abc import Callable, Sequence
from typing import Union

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike

from .registry import ModelSpec

# TerraMind v1 S2L2A pretraining statistics (terratorch v1_pretraining_mean/std 'untok_sen2l2a@224').
TERRAMIND_V1_S2L2A_MEAN = (
    1390.458,
    1503.317,
    1718.197,
    1853.91,
    2199.1,
    2779.975,
    2987.011,
    3083.234,
    3132.22,
    3162.988,
    2424.884,
    1857.648,
)
TERRAMIND_V1_S2L2A_STD = (
    2106.761,
    2141.107,
    2038.973,
    2134.138,
    2085.321,
    1889.926,
    1820.257,
    1871.918,
    1753.829,
    1797.379,
    1434.261,
    1334.311,
)

# TerraMind v1 S1GRD (in dB: the means are negative, as backscatter in dB is) and DEM (metres)
# pretraining statistics (terratorch v1_pretraining_mean/std 'untok_sen1grd@224', 'untok_dem@224').
TERRAMIND_V1_S1GRD_MEAN = (-12.599, -20.293)
TERRAMIND_V1_S1GRD_STD = (5.195, 5.890)
TERRAMIND_V1_DEM_MEAN = (670.665,)
TERRAMIND_V1_DEM_STD = (951.272,)
# Our sensor name -> terratorch's TerraMind modality name.
TERRAMIND_MODALITIES = {"S2": "S2L2A", "S1": "S1GRD", "DEM": "DEM"}

S2_SCALE = 10000.0
S1_PERCENTILE = 99.0


def _as_tensor(raw: Union[np.ndarray, torch.Tensor]) -> torch.Tensor:
    """float32 torch tensor (B, C, H, W) sharing memory with `raw` when possible."""
    if isinstance(raw, torch.Tensor):
        x = raw.to(torch.float32)
    else:
        x = torch.from_numpy(np.ascontiguousarray(raw, dtype=np.float32))
    if x.ndim == 3:
        x = x.unsqueeze(0)
    if x.ndim != 4:
        raise ValueError("expected a (B, C, H, W) array, got shape %s" % (tuple(x.shape),))
    return x


def resize(x: torch.Tensor, size: Union[int, tuple[int, int]] = 224) -> torch.Tensor:
    """Bilinear resize of a (B, C, H, W) float tensor to (size, size); align_corners=False, no
    antialias. Returned unchanged when already that size (bilinear at scale 1 is the identity)."""
    if isinstance(size, int):
        size = (size, size)
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=False)


def terrafm_s2(raw: Union[np.ndarray, torch.Tensor], size: int = 224) -> torch.Tensor:
    x = _as_tensor(raw) / S2_SCALE  # the one copy; `raw` stays as it was
    x.clamp_(0.0, 1.0)
    return resize(x, size).contiguous()


def s1_scale(x_log: torch.Tensor) -> torch.Tensor:
    """d for one chip (numpy array of log1p values): the 99th percentile, 1 if not finite or <= 0."""
    d = float(np.percentile(x_log, S1_PERCENTILE))
    if not np.isfinite(d) or d <= 0:
        d = 1.0
    return d


def terrafm_s1(raw: Union[np.ndarray, torch.Tensor], size: int = 224) -> torch.Tensor:
    x = _as_tensor(raw)
    x = torch.log1p(torch.clamp(x, min=0.0))
    xn = x.numpy()
    out = torch.empty_like(x)
    for i in range(x.shape[0]):
        d = s1_scale(xn[i])
        torch.clamp(x[i] / d, 0.0, 1.0, out=out[i])
    return resize(out, size).contiguous()


def _zscore(x: torch.Tensor, size: int, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """Bilinear resize, (x - mean) / max(std, 1e-6), nan -> 0 (the TerraMind order);
    in place: x must be a tensor of the caller's own (never the input array's memory)."""
    x = resize(x, size)
    m = torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
    s = torch.clamp(torch.tensor(std, dtype=torch.float32), min=1e-6).view(1, -1, 1, 1)
    x.sub_(m).div_(s)
    return torch.nan_to_num_(x, nan=0.0).contiguous()


def _fill_with_mean(x: torch.Tensor, ok: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    """x where ok, else the band's value from `mean` (one per channel)."""
    m = torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1).expand_as(x)
    return torch.where(ok, x, m)


def terramind_s2(
    raw: Union[np.ndarray, torch.Tensor],
    size: int = 224,
    mean: Sequence[float] = TERRAMIND_V1_S2L2A_MEAN,
    std: Sequence[float] = TERRAMIND_V1_S2L2A_STD,
) -> torch.Tensor:
    # one copy, then in place (same values as nan -> 0 then clip: clip keeps NaN, 0 is in range)
    x = torch.clamp(_as_tensor(raw), 0.0, S2_SCALE)
    torch.nan_to_num_(x, nan=0.0)
    return _zscore(x, size, mean, std)


def terramind_s1(raw: Union[np.ndarray, torch.Tensor], size: int = 224) -> torch.Tensor:
    """Linear VV, VH backscatter -> dB -> TerraMind v1 S1GRD z-score (see the module docstring)."""
    db = _as_tensor(linear_to_db(np.asarray(raw, dtype=np.float32)))
    x = _fill_with_mean(db, torch.isfinite(db), TERRAMIND_V1_S1GRD_MEAN)
    return _zscore(x, size, TERRAMIND_V1_S1GRD_MEAN, TERRAMIND_V1_S1GRD_STD)


def terramind_dem(raw: Union[np.ndarray, torch.Tensor], size: int = 224) -> torch.Tensor:
    x = _as_tensor(raw)
    x = _fill_with_mean(x, torch.isfinite(x), TERRAMIND_V1_DEM_MEAN)
    return _zscore(x, size, TERRAMIND_V1_DEM_MEAN, TERRAMIND_V1_DEM_STD)


TERRAMIND_SENSOR_PREP: dict[str, Callable[..., torch.Tensor]] = {
    "S2": terramind_s2,
    "S1": terramind_s1,
    "DEM": terramind_dem,
}


def terramind_inputs(spec: ModelSpec, raw: Union[np.ndarray, torch.Tensor]) -> dict[str, torch.Tensor]:
    """{terratorch modality name: normalised tensor} for a TerraMind `spec` on raw (B, C, H, W)."""
    a = raw if isinstance(raw, torch.Tensor) else np.asarray(raw)
    if a.ndim == 3:
        a = a[None]
    return {
        TERRAMIND_MODALITIES[sensor]: TERRAMIND_SENSOR_PREP[sensor](a[:, part], spec.input_size)
        for sensor, part in spec.sensor_slices().items()
    }


def preprocess(spec: ModelSpec, raw: Union[np.ndarray, torch.Tensor]) -> Union[torch.Tensor, dict[str, torch.Tensor]]:
    """Normalise raw values for `spec` (a ModelSpec) -> float32 tensor (B, C, input_size, input_size),
    or for TerraMind on other sensors than S2 alone, {terratorch modality: tensor} (one per sensor)."""
    if spec.family == "terrafm":
        if spec.modality == "S1":
            return terrafm_s1(raw, spec.input_size)
        return terrafm_s2(raw, spec.input_size)
    if spec.family == "terramind":
        if spec.sensors == ("S2",):
            return terramind_s2(raw, spec.input_size)
        return terramind_inputs(spec, raw)
    raise ValueError("no preprocessing for model family %r" % spec.family)


# -- Sentinel-1 helpers ---------------------------------------------------------------------------
def looks_like_db(raw: ArrayLike, threshold: float = 0.5) -> bool:
    """True when the finite values look like decibels: more than `threshold` of them negative.

    Linear backscatter (COPERNICUS/S1_GRD_FLOAT) is >= 0; dB values over land and water are
    mostly negative (about -30..0)."""
    a = np.asarray(raw)
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return False
    return float(np.count_nonzero(finite < 0)) / finite.size > threshold


def db_to_linear(x: ArrayLike) -> np.ndarray:
    """10 ** (x / 10), float32; values too large for float32 become inf (no warning)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.power(np.float32(10.0), np.asarray(x, dtype=np.float32) / np.float32(10.0)).astype(np.float32)


def linear_to_db(x: ArrayLike) -> np.ndarray:
    """10 log10(x), float32; the inverse of db_to_linear. Values <= 0 (no backscatter, or the 0 that
    fills nodata) and non-finite values give NaN."""
    a = np.asarray(x, dtype=np.float32)
    out = np.full(a.shape, np.nan, np.float32)
    ok = np.isfinite(a) & (a > 0)
    out[ok] = np.float32(10.0) * np.log10(a[ok])
    return out
