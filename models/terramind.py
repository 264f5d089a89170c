"""TerraMind v1 encoders through terratorch's BACKBONE_REGISTRY, built with the model's sensors as
terratorch modalities (['S2L2A'], ['S1GRD'], ['S2L2A', 'S1GRD'], ['S2L2A', 'S1GRD', 'DEM']).

terratorch is imported lazily here (its import takes seconds): only when a TerraMind model is built.

Weights: the published TerraMind_v1_*.pt is a flat, unprefixed state dict of the whole pre-training
model; the encoder keys are exactly TerraMindViT's ('encoder_embeddings.untok_sen2l2a@224.proj.weight',
'...mod_emb', '...pos_emb', 'encoder.<i>.*', 'encoder_norm.*'), the rest (decoder, other modalities'
embeddings) is not used by the encoder. terratorch's own ckpt_path loading uses strict=False
(and its warning for unexpected keys prints the missing ones), and its pretrained path silently keeps
random values for missing keys; so this module builds the encoder with pretrained=False, checks the
file itself (every encoder parameter present with the right shape), then loads strictly.

Several sensors: terratorch's TerraMindViT gives each modality its own patch embedding
(encoder_embeddings.untok_sen1grd@224.*, encoder_embeddings.untok_dem@224.*, all in the published
file), runs the encoder over all modalities' tokens together and merges them per cell by the mean
(merge_method 'mean', its default), so the output stays (B, 196, D).
"""

from typing import Any, Union

import torch
import torch.nn as nn

from .preprocessing import TERRAMIND_MODALITIES
from .registry import ModelSpec
from .terramind_fast import last_layer_tokens
from .weights import check_state_dict, strip_prefix


def modalities(spec: ModelSpec) -> list[str]:
    """terratorch's modality names for `spec`'s sensors, in band order."""
    return [TERRAMIND_MODALITIES[s] for s in spec.sensors]


def import_terratorch_registry() -> Any:
    """terratorch's backbone registry, imported lazily (the import takes seconds).

    Importing terratorch runs `torch.set_float32_matmul_precision("medium")` (in its Clay v1.5
    module), which silently turns every fp32 matmul of the process into a reduced-precision one. The
    embeddings must equal the fp32 reference, so torch's default ("highest") is put back."""
    import torch
    from terratorch.registry import BACKBONE_REGISTRY

    torch.set_float32_matmul_precision("highest")
    return BACKBONE_REGISTRY


def build_backbone(spec: ModelSpec) -> nn.Module:
    """The terratorch TerraMindViT for `spec`, randomly initialised (no download)."""
    return import_terratorch_registry().build(spec.terramind_key, pretrained=False, modalities=modalities(spec))


def _is_encoder_key(name: str, embed_keys: tuple[str, ...]) -> bool:
    return name.startswith(embed_keys) or name.startswith("encoder.") or name.startswith("encoder_norm.")


def load_checkpoint(backbone: nn.Module, state: dict[str, Any], source: object) -> int:
    """Check `state` (published checkpoint format) against the encoder and load it strictly.

    Missing or wrong-shaped encoder parameters and unexpected encoder keys raise UserError; keys of
    other parts of the pre-training model (decoder, other modalities) are ignored. Buffers the file
    lacks (the fixed sin-cos pos_emb, bias-free LayerNorm zero biases) keep the model's values.
    Returns the number of ignored keys."""
    state = strip_prefix(state)
    expected = backbone.state_dict()
    params = {n for n, _ in backbone.named_parameters()}
    optional = {k for k in expected if k not in params or k.startswith("tokenizer")}
    embed_keys = tuple("encoder_embeddings.%s." % m for m in backbone.encoder_embeddings)
    check_state_dict(
        expected, state, source, optional=optional, ignore_unexpected=lambda k: not _is_encoder_key(k, embed_keys)
    )
    merged = {k: (state[k] if k in state else v) for k, v in expected.items()}
    backbone.load_state_dict(merged, strict=True)
    return sum(1 for k in state if k not in expected)


class TerraMindEncoder(nn.Module):
    """forward(x normalised: (B, C, 224, 224), or {modality: (B, C_m, 224, 224)} for several sensors)
    -> (pooled (B, D), grid (B, D, 14, 14)).

    pooled = mean (default) or max over the last layer's tokens (encoder norm applied, sensors merged
    by terratorch's mean); grid = those tokens reshaped row-major."""

    def __init__(self, backbone: nn.Module, pooling: str = "mean") -> None:
        super().__init__()
        if pooling not in ("mean", "max"):
            raise ValueError("TerraMind pooling must be 'mean' or 'max'")
        self.backbone = backbone
        self.pooling = pooling

    def forward(self, x: Union[torch.Tensor, dict[str, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
        if not isinstance(x, dict):
            x = {self.backbone.modalities[0]: x}
        tokens = last_layer_tokens(self.backbone, x)  # (B, N, D) = backbone(x)[-1]
        b, n, d = tokens.shape
        side = int(round(n**0.5))
        grid = tokens.transpose(1, 2).reshape(b, d, side, n // side)
        pooled = tokens.mean(dim=1) if self.pooling == "mean" else tokens.amax(dim=1)
        return pooled, grid
