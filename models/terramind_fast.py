"""The last encoder layer of a terratorch TerraMindViT, without the work nobody reads.

TerraMindViT.forward returns every layer's tokens: it clones each block's output and, with
merge_method 'mean'/'max', splits, stacks and averages every one of them, while an embedding
needs only the last layer (encoder norm applied). For the small encoders that bookkeeping is
about a quarter of the forward's time (profiled: tiny at batch 8 spent more time in clone, cat,
stack, sum and div than in attention). `last_layer_tokens` runs the same submodules in the same
order (modality embedding + position embedding, the blocks, the encoder norm) and returns that
last layer only, so the values are those of backbone(inputs)[-1] (tests/engine/test_models_terramind.py).

It takes this path only where it equals terratorch's: eval mode, one input modality that is an
image modality without a tokenizer, no register tokens, merge_method 'mean', 'max' or None (of one
modality: the identity). Anything else (several modalities, training, other merges) goes through
terratorch's own forward.
"""

from typing import Any, Optional

FAST_MERGES = ("mean", "max", None)


def _fast_modality(backbone: Any, inputs: dict[str, Any]) -> Optional[str]:
    """The embedding key of the one input modality when the short path applies, else None."""
    if backbone.training or len(inputs) != 1 or backbone.merge_method not in FAST_MERGES:
        return None
    if getattr(backbone, "num_register_tokens", 0):
        return None
    (name,) = inputs
    key = backbone.mod_name_mapping.get(name)
    if key is None or key in backbone.tokenizer or key not in backbone.image_modalities:
        return None
    return key


def last_layer_tokens(backbone: Any, inputs: dict[str, Any]) -> Any:
    """(B, N, D) tokens of the last encoder layer, encoder norm applied = backbone(inputs)[-1]."""
    key = _fast_modality(backbone, inputs)
    if key is None:
        return backbone(inputs)[-1]
    (tensor,) = inputs.values()
    embedded = backbone.encoder_embeddings[key](tensor)
    x = embedded["x"] + embedded["emb"]
    for block in backbone.encoder:
        x = block(x)
    return backbone.encoder_norm(x)
