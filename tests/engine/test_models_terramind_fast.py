"""The short TerraMind forward (models/terramind_fast.py) gives terratorch's own last layer, and
leaves every case it does not cover to terratorch's forward."""

import numpy as np
import pytest
import torch
from conftest import realistic_s2_chips

from terraembed.models.loader import load_model
from terraembed.models.terramind_fast import last_layer_tokens


@pytest.fixture(scope="module")
def model(terramind_tiny_weights):
    return load_model("terramind_v1_tiny", weights={"path": terramind_tiny_weights})


def test_last_layer_equals_terratorch_forward(model):
    backbone = model.module.backbone
    x = model.preprocess(realistic_s2_chips(3, 224, seed=11))
    with torch.inference_mode():
        reference = backbone({"S2L2A": x})[-1]
        tokens = last_layer_tokens(backbone, {"S2L2A": x})
        pooled, grid = model.module(x)
    assert tokens.shape == reference.shape == (3, 196, 192)
    assert float((tokens - reference).abs().max()) <= 1e-5
    np.testing.assert_allclose(
        grid.numpy(), reference.transpose(1, 2).reshape(3, 192, 14, 14).numpy(), atol=1e-5, rtol=0
    )
    np.testing.assert_allclose(pooled.numpy(), reference.mean(dim=1).numpy(), atol=1e-5, rtol=0)


def test_other_cases_use_terratorch_forward(model, monkeypatch):
    backbone = model.module.backbone
    x = model.preprocess(realistic_s2_chips(1, 224, seed=12))
    calls = []
    original = type(backbone).forward

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(backbone), "forward", counting)
    with torch.inference_mode():
        last_layer_tokens(backbone, {"S2L2A": x})
        assert calls == []  # the short path
        monkeypatch.setattr(backbone, "merge_method", "dict")
        last_layer_tokens(backbone, {"S2L2A": x})  # a merge the short path does not know
        assert calls == [1]
    monkeypatch.setattr(backbone, "merge_method", "mean")
    backbone.train()
    try:
        with torch.no_grad():
            last_layer_tokens(backbone, {"S2L2A": x})
    finally:
        backbone.eval()
    assert calls == [1, 1]
