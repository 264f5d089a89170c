"""load_model(): a ready-to-use EmbeddingModel (weights resolved and checked, device, precision).

    model = load_model("terrafm_b_s2", weights={"path": "/data/TerraFM-B.pth"}, device="auto")
    pooled, grid = model.embed(raw)   # raw (B, C, H, W) float32 raw values, any H, W
    # pooled (B, D) float32, grid (B, D, 14, 14) float32, both from ONE forward pass

weights (dict, all keys optional): path (a local file: used instead of the Hugging Face cache),
offline (True: cache only; default: honour HF_HUB_OFFLINE), cache_dir (only if the user set one;
otherwise huggingface_hub's own resolution: HF_HUB_CACHE, HF_HOME/hub, default), random_init (True:
no weights at all; embeddings are meaningless; for tests and benchmarks only).
"""

import contextlib
import copy
import warnings
from typing import Any, Optional, Union

import numpy as np
import torch

from ..engine.context import JobContext
from ..engine.i18n import tr
from ..shared.errors import UserError
from . import preprocessing
from .cpu_bf16 import use_bf16_layers
from .cpu_gemm import onednn_available, use_onednn_linears, use_torch_linears
from .device import default_batch_size, resolve_device, set_threads
from .precision import choose_precision, cpu_bf16_features, cuda_bf16_supported, describe_cpu_bf16
from .registry import ModelSpec, get_model_spec
from .weights import RANDOM_INIT_DESCRIPTION, check_state_dict, load_state_dict_file, resolve_weights_file, strip_prefix

# Measured by tests/engine/test_models_loader.py::test_int8_close_to_fp32 on realistic synthetic
# Sentinel-2 chips with random-valued weights of the published shapes (the pretrained files cannot be
# fetched on the development machine): TerraFM-B pooled cosine >= 0.998 (grid cells: mean 0.998, min
# 0.995); TerraMind v1 tiny pooled >= 0.9999 (grid cells: mean 0.9998). The test asserts >= 0.99.
INT8_MIN_COSINE = 0.99  # what the precision help of algorithms/embed.py promises

WEIGHT_KEYS = ("path", "offline", "cache_dir", "random_init")


class EmbeddingModel:
    """A loaded model. Attributes: spec, device (str), default_batch_size, weights_description,
    precision, pooling, module (the torch module, returning (pooled, grid))."""

    def __init__(
        self,
        spec: ModelSpec,
        module: torch.nn.Module,
        device: torch.device,
        precision: str,
        weights_description: str,
        pooling: str,
        ctx: JobContext,
    ) -> None:
        self.spec = spec
        self.module = module
        self.torch_device = device
        self.device = str(device)
        self.precision = precision
        self.weights_description = weights_description
        self.pooling = pooling
        self.default_batch_size = default_batch_size(device)
        self._ctx = ctx

    # -- input checks -----------------------------------------------------------------------------
    def check_input(self, raw: np.ndarray) -> np.ndarray:
        """float32 (B, C, H, W) array, or UserError saying what is wrong."""
        a = np.asarray(raw)
        if a.ndim == 3:
            a = a[None]
        if a.ndim != 4:
            raise UserError(
                tr("Model input must be an image stack (bands, rows, columns); got an array of shape %s.")
                % (tuple(np.shape(raw)),)
            )
        spec = self.spec
        if a.shape[1] != spec.num_channels:
            raise UserError(
                tr("Model '%s' needs %d bands (%s, in this order); the input has %d.")
                % (spec.id, spec.num_channels, ", ".join(spec.bands), a.shape[1])
            )
        if a.shape[2] < 1 or a.shape[3] < 1:
            raise UserError(tr("The model input is empty (shape %s).") % (a.shape,))
        a = np.asarray(a, dtype=np.float32)
        if not np.isfinite(a).all():
            bad = int(a.size - np.count_nonzero(np.isfinite(a)))
            raise UserError(
                tr(
                    "The input for model '%s' has %d non-finite values (NaN or infinity; nodata?). "
                    "Fill or mask nodata before embedding."
                )
                % (spec.id, bad)
            )
        parts = spec.sensor_slices()
        if "S1" in parts and preprocessing.looks_like_db(a[:, parts["S1"]]):
            raise UserError(
                tr(
                    "The Sentinel-1 input looks like decibels (most values are negative), but "
                    "model '%s' needs linear backscatter (e.g. COPERNICUS/S1_GRD_FLOAT). Convert "
                    "with linear = 10 ** (dB / 10) (the 'convert dB to linear' option), or use "
                    "linear-scale data."
                )
                % spec.id
            )
        if "DEM" in parts:
            check_dem_metres(a[:, parts["DEM"]], spec.id)
        return a

    def preprocess(self, raw: np.ndarray) -> Union[torch.Tensor, dict[str, torch.Tensor]]:
        """Checked and normalised input on the model's device: a tensor, or {modality: tensor} for
        TerraMind on several sensors."""
        x = preprocessing.preprocess(self.spec, self.check_input(raw))
        if isinstance(x, dict):
            return {k: v.to(self.torch_device, non_blocking=True) for k, v in x.items()}
        return x.to(self.torch_device, non_blocking=True)

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.precision in ("bf16", "fp16"):  # bf16 on a CPU or CUDA, fp16 on CUDA (models/precision.py)
            dtype = torch.bfloat16 if self.precision == "bf16" else torch.float16
            return torch.autocast(self.torch_device.type, dtype=dtype)
        return contextlib.nullcontext()

    def _forward(self, x: Union[torch.Tensor, dict[str, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
        with torch.inference_mode(), self._autocast():
            return self.module(x)

    @staticmethod
    def _np(t: torch.Tensor) -> np.ndarray:
        return t.float().cpu().numpy()

    # -- inference --------------------------------------------------------------------------------
    def _empty(self) -> tuple[np.ndarray, np.ndarray]:
        g = self.spec.grid_size
        return np.zeros((0, self.spec.dim), np.float32), np.zeros((0, self.spec.dim, g, g), np.float32)

    def embed(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """raw (B, C, H, W) raw values -> (pooled (B, D), grid (B, D, 14, 14)) float32, ONE forward."""
        if np.shape(raw)[0:1] == (0,) and np.ndim(raw) == 4:
            self.check_input(raw)
            return self._empty()
        x = self.preprocess(raw)
        pooled, grid = self._forward(x)
        return self._np(pooled), np.ascontiguousarray(self._np(grid))

    def info(self) -> dict[str, Any]:
        return {
            "model": self.spec.id,
            "device": self.device,
            "precision": self.precision,
            "weights": self.weights_description,
            "pooling": self.pooling,
            "dim": self.spec.dim,
            "grid_size": self.spec.grid_size,
            "default_batch_size": self.default_batch_size,
        }


DEM_MAX_METRES = 9000.0  # above Mount Everest (8849 m): no elevation in metres is higher


def check_dem_metres(dem: np.ndarray, model_id: str) -> None:
    """UserError when DEM values cannot be metres (higher than any mountain: feet or centimetres?)."""
    top = float(np.max(dem)) if dem.size else 0.0
    if top > DEM_MAX_METRES:
        raise UserError(
            tr(
                "The DEM for model '%s' reaches %.0f, higher than any elevation in metres "
                "(Mount Everest is 8849 m): is it in feet (or another unit)? TerraMind needs "
                "metres: convert it (feet x 0.3048, e.g. with the Raster Calculator), or tag its "
                "band unit as feet ('ft') so TerraEmbed converts it."
            )
            % (model_id, top)
        )


class _TerraFMHead(torch.nn.Module):
    """TerraFM with the chosen pooling ('cls' = reference; 'mean' = mean of normed patch tokens)."""

    def __init__(self, net: torch.nn.Module, pooling: str) -> None:
        super().__init__()
        self.net = net
        self.pooling = pooling

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        cls, grid = self.net(x)
        if self.pooling == "cls":
            return cls, grid
        return grid.mean(dim=(2, 3)), grid


def quantize_int8(module: torch.nn.Module) -> torch.nn.Module:
    """A copy of `module` with dynamic int8 quantisation of every linear layer (weights int8,
    activations quantised per batch); oneDNN linear layers (cpu_gemm) are quantised too."""
    module = copy.deepcopy(module)
    use_torch_linears(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def _build_terrafm(spec: ModelSpec, weights: dict[str, Any], branch: str) -> tuple[torch.nn.Module, str]:
    from .terrafm import build_terrafm

    if weights.get("random_init"):
        net = build_terrafm(spec, branch=branch)
        seed = weights.get("seed")
        gen = torch.Generator().manual_seed(int(seed)) if seed is not None else None
        net.reset_parameters(gen)
        return net, RANDOM_INIT_DESCRIPTION
    path, where = resolve_weights_file(spec, weights.get("path"), weights.get("offline"), weights.get("cache_dir"))
    state = strip_prefix(load_state_dict_file(path))
    with torch.device("meta"):  # no pointless random initialisation: every tensor comes from the file
        net = build_terrafm(spec, branch=branch)
    check_state_dict(net.state_dict(), state, path)
    net = net.to_empty(device="cpu")
    net.load_state_dict(state, strict=True)
    return net, "%s weights from %s" % (spec.label, where)


def _build_terramind(spec: ModelSpec, weights: dict[str, Any]) -> tuple[torch.nn.Module, str]:
    from . import terramind

    backbone = terramind.build_backbone(spec)
    if weights.get("random_init"):
        return backbone, RANDOM_INIT_DESCRIPTION
    path, where = resolve_weights_file(spec, weights.get("path"), weights.get("offline"), weights.get("cache_dir"))
    state = load_state_dict_file(path)
    ignored = terramind.load_checkpoint(backbone, state, path)
    del state
    note = (
        " (%d tensors of the pre-training model not used by the %s encoder)"
        % (ignored, "+".join(terramind.modalities(spec)))
        if ignored
        else ""
    )
    return backbone, "%s weights from %s%s" % (spec.label, where, note)


def _precision(requested: Optional[str], dev: torch.device, ctx: JobContext) -> str:
    """The precision the model runs in on `dev` (models/precision.py); says the CPU's bf16 features
    in the log, and warns when the one asked for cannot be used."""
    features: tuple[str, ...] = ()
    if dev.type == "cpu":
        # bf16 on the CPU runs on oneDNN's products (cpu_bf16): without them, no bf16
        features = cpu_bf16_features() if onednn_available() else ()
        ctx.log(tr("CPU: %s.") % describe_cpu_bf16(features))
    cuda_bf16 = dev.type == "cuda" and cuda_bf16_supported()
    precision, warning = choose_precision(requested, dev.type, features, cuda_bf16)
    if warning:
        ctx.warn(warning)
    return precision


def load_model(
    model_id: "str | ModelSpec",
    weights: Optional[dict[str, Any]] = None,
    device: str = "auto",
    precision: str = "fp32",  # the exact reference; jobs default to catalogue.PRECISION_DEFAULT ("auto")
    threads: Optional[int] = None,
    pooling: Optional[str] = None,
    ctx: Optional[JobContext] = None,
    branch: Optional[str] = "auto",
) -> "EmbeddingModel":
    """Build, load and check a model; see the module docstring. branch (TerraFM S2 only): 'auto'
    (= L1C branch for 12 bands, as the released code and the reference do) or 'l2a'."""
    ctx = ctx or JobContext()
    spec = get_model_spec(model_id)
    weights = dict(weights or {})
    unknown = set(weights) - set(WEIGHT_KEYS) - {"seed"}
    if unknown:
        raise UserError(
            tr("Unknown weights option(s) %s; known: %s.") % (", ".join(sorted(unknown)), ", ".join(WEIGHT_KEYS))
        )
    pooling = (pooling or spec.default_pooling).lower()
    allowed = ("cls", "mean") if spec.family == "terrafm" else ("mean", "max")
    if pooling not in allowed:
        raise UserError(tr("Model '%s' supports pooling %s, not %r.") % (spec.id, tr(" or ").join(allowed), pooling))
    if spec.family != "terrafm" and branch not in (None, "auto"):
        raise UserError(tr("The patch-embedding branch option only applies to TerraFM models."))
    if spec.family == "terrafm" and branch not in ("auto", "l1c", "l2a", None):
        raise UserError(tr("TerraFM branch must be 'auto', 'l1c' or 'l2a' (got %r).") % branch)
    if spec.modality == "S1" and branch not in (None, "auto"):
        raise UserError(tr("The L1C/L2A branch option applies to the Sentinel-2 TerraFM model only."))

    set_threads(threads)
    dev, message = resolve_device(device)
    if message:
        ctx.warn(message)
    precision = _precision(precision, dev, ctx)

    ctx.log(tr("Loading %s ...") % spec.label)
    if spec.family == "terrafm":
        net, description = _build_terrafm(spec, weights, branch or "auto")
        module = _TerraFMHead(net, pooling)
    else:
        from .terramind import TerraMindEncoder

        backbone, description = _build_terramind(spec, weights)
        module = TerraMindEncoder(backbone, pooling)
    if weights.get("random_init"):
        ctx.warn(tr("Model %s uses %s.") % (spec.id, tr(RANDOM_INIT_DESCRIPTION)))
    module.eval().requires_grad_(False)
    gemm = ""
    if precision == "int8":
        module = quantize_int8(module)
    elif dev.type == "cpu" and precision == "bf16":
        use_bf16_layers(module)
        gemm = ", oneDNN bf16 layers"
    elif dev.type == "cpu" and use_onednn_linears(module):
        gemm = ", oneDNN linear layers"
    module.to(dev)
    ctx.log(tr("%s on %s (%s%s): %s") % (spec.id, dev, precision, gemm, description))
    return EmbeddingModel(spec, module, dev, precision, description, pooling, ctx)
