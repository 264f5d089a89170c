"""TerraMind v1 through terratorch: our pooled vector and grid equal the tokens of a direct terratorch
call on independently preprocessed input; checkpoint checks; pooling. Uses the tiny model."""

import numpy as np
import pytest
import torch
import weights_factory
from conftest import realistic_s2_chips
from test_models_preprocessing import ref_terramind

from terraembed.models.loader import load_model
from terraembed.models.registry import MODELS
from terraembed.shared.errors import UserError


@pytest.fixture(scope="module")
def direct(terramind_tiny_weights):
    """terratorch's own build + ckpt_path loading (the reference path)."""
    from terratorch.registry import BACKBONE_REGISTRY

    torch.set_float32_matmul_precision("highest")  # importing terratorch lowered it: the reference is fp32
    model = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny", pretrained=False, ckpt_path=terramind_tiny_weights, modalities=["S2L2A"]
    )
    return model.eval()


@pytest.fixture(scope="module")
def model_mean(terramind_tiny_weights):
    return load_model("terramind_v1_tiny", weights={"path": terramind_tiny_weights})


def direct_tokens(direct, raw):
    x = torch.from_numpy(ref_terramind(raw).astype(np.float32))  # independent preprocessing
    with torch.inference_mode():
        out = direct({"S2L2A": x})
    assert isinstance(out, list) and len(out) == 12
    return out[-1].numpy()  # (B, 196, 192), encoder norm applied


def test_pooled_and_grid_equal_direct_terratorch_tokens(model_mean, direct):
    raw = realistic_s2_chips(2, 256, seed=3)[:, :, :, :200]
    tokens = direct_tokens(direct, raw)
    assert tokens.shape == (2, 196, 192)
    pooled, grid = model_mean.embed(raw)
    assert pooled.shape == (2, 192) and grid.shape == (2, 192, 14, 14)
    assert pooled.dtype == np.float32 and grid.dtype == np.float32
    np.testing.assert_allclose(pooled, tokens.mean(axis=1), atol=1e-4)
    # grid row-major: cell (r, c) is token r * 14 + c
    np.testing.assert_allclose(grid[:, :, 2, 5], tokens[:, 2 * 14 + 5], atol=1e-4)
    np.testing.assert_allclose(grid, tokens.transpose(0, 2, 1).reshape(2, 192, 14, 14), atol=1e-4)
    assert model_mean.pooling == "mean" and "TerraMind_v1_tiny.pt" in model_mean.weights_description
    assert "not used by the S2L2A encoder" in model_mean.weights_description


def test_max_pooling(terramind_tiny_weights, direct):
    model = load_model("terramind_v1_tiny", weights={"path": terramind_tiny_weights}, pooling="max")
    raw = realistic_s2_chips(1, 224, seed=8)
    pooled, grid = model.embed(raw)
    np.testing.assert_allclose(pooled, direct_tokens(direct, raw).max(axis=1), atol=1e-4)
    np.testing.assert_allclose(pooled, grid.max(axis=(2, 3)), atol=1e-6)
    with pytest.raises(UserError, match="pooling"):
        load_model("terramind_v1_tiny", weights={"random_init": True}, pooling="cls")


def test_file_without_buffers_or_extras(tmp_path, terramind_tiny_weights, model_mean):
    """Buffers (fixed sin-cos pos_emb, zero LayerNorm biases) may be absent; decoder keys are ignored."""
    full = torch.load(terramind_tiny_weights, weights_only=True)
    state = {
        k: v
        for k, v in full.items()
        if k.startswith(("encoder.", "encoder_norm.", "encoder_embeddings.untok_sen2l2a@224."))
    }
    assert len(state) < len(full)
    path = weights_factory.make_terramind_weights(tmp_path / "nobuf.pt", state=state, drop_buffers=True)
    model = load_model("terramind_v1_tiny", weights={"path": path})
    raw = realistic_s2_chips(1, 224, seed=2)
    np.testing.assert_allclose(model.embed(raw)[0], model_mean.embed(raw)[0], atol=1e-5)
    assert "not used" not in model.weights_description


def test_wrong_checkpoint_is_reported(tmp_path, terramind_tiny_weights):
    state = dict(torch.load(terramind_tiny_weights, weights_only=True))
    del state["encoder.3.mlp.fc2.weight"]
    state["encoder_norm.weight"] = torch.ones(384)
    state["encoder.12.attn.qkv.weight"] = torch.ones(3, 3)  # an encoder key this model does not have
    path = str(tmp_path / "bad.pt")
    torch.save(state, path)
    with pytest.raises(UserError) as e:
        load_model("terramind_v1_tiny", weights={"path": path})
    msg = str(e.value)
    assert "missing keys: encoder.3.mlp.fc2.weight" in msg
    assert "encoder_norm.weight [384] (expected [192])" in msg
    assert "unexpected keys: encoder.12.attn.qkv.weight" in msg


def test_module_prefix_and_hf_cache(tmp_path, terramind_tiny_weights, model_mean):
    state = {"module." + k: v for k, v in torch.load(terramind_tiny_weights, weights_only=True).items()}
    src = str(tmp_path / "TerraMind_v1_tiny.pt")
    torch.save(state, src)
    cache = tmp_path / "hub"
    spec = MODELS["terramind_v1_tiny"]
    weights_factory.make_hf_cache(cache, spec.hf_repo, spec.hf_filename, src)
    model = load_model("terramind_v1_tiny", weights={"cache_dir": str(cache), "offline": True})
    assert "ibm-esa-geospatial/TerraMind-1.0-tiny/TerraMind_v1_tiny.pt" in model.weights_description
    raw = realistic_s2_chips(1, 224, seed=4)
    np.testing.assert_array_equal(model.embed(raw)[0], model_mean.embed(raw)[0])


def test_absent_offline(tmp_path):
    with pytest.raises(UserError) as e:
        load_model("terramind_v1_small", weights={"offline": True, "cache_dir": str(tmp_path)})
    assert "ibm-esa-geospatial/TerraMind-1.0-small" in str(e.value)
    assert "TerraMind_v1_small.pt" in str(e.value)


def test_random_init_is_labelled():
    model = load_model("terramind_v1_tiny", weights={"random_init": True})
    assert "NOT pretrained" in model.weights_description
    pooled, grid = model.embed(realistic_s2_chips(1, 64))
    assert pooled.shape == (1, 192) and grid.shape == (1, 192, 14, 14)


def test_terratorch_imported_lazily():
    import subprocess
    import sys

    code = (
        "import sys; from terraembed.models import loader, registry, weights, preprocessing, device; "
        "loader.load_model('terrafm_b_s1', weights={'random_init': True}); "
        "assert 'terratorch' not in sys.modules, 'terratorch imported for TerraFM'"
    )
    import os

    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ), timeout=300)


def test_loading_terramind_keeps_fp32_matmuls_exact():
    """Importing terratorch sets torch's fp32 matmul precision to 'medium' (reduced precision) for the whole
    process; loading a TerraMind model must leave it at 'highest' so every embedding stays fp32-exact."""
    import os
    import subprocess
    import sys

    code = (
        "import torch; from terraembed.models.loader import load_model; "
        "load_model('terramind_v1_tiny', weights={'random_init': True}); "
        "print(torch.get_float32_matmul_precision())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "highest"
