"""TerraFM-B: our module vs an independent functional forward written from the state dict; routing;
strict weight loading from a local file and from a pre-filled Hugging Face cache (offline). The size
checks and missing-weights messages cover TerraFM-L too (its forward: test_models_terrafm_l.py)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import weights_factory
from conftest import realistic_s2_chips
from package import PKG_PATH
from test_models_preprocessing import np_bilinear, s1_chips

from terraembed.models.loader import load_model
from terraembed.models.registry import MODELS
from terraembed.models.terrafm import build_terrafm
from terraembed.models.weights import check_state_dict, load_state_dict_file
from terraembed.shared.errors import UserError


# -- independent reference -------------------------------------------------------------------------
def reference_forward(sd, x, branch):
    """TerraFM forward from docs/MODELS.md (TerraFM-B; TerraFM-L: the same with dim 1024, depth 24, 16 heads),
    with plain functional ops, in float64. The sizes come from the state dict's shapes.
    x: normalised (B, C, 224, 224). Returns (pooled (B, dim), grid (B, dim, 14, 14))."""
    sd = {k: v.double() for k, v in sd.items()}
    x = torch.as_tensor(x, dtype=torch.float64)
    dim = sd["cls_token"].shape[-1]
    inner, heads = 3 * dim, {768: 12, 1024: 16}[dim]
    depth, hd = len({k.split(".")[1] for k in sd if k.startswith("blocks.")}), dim // heads
    p = "patch_embed."
    conv, vec = {
        "l1c": ("conv2d_s2_l1c", "s2_l1c_embed"),
        "l2a": ("conv2d_s2_l2a", "s2_l2a_embed"),
        "s1": ("conv2d_s1", "s1_embed"),
    }[branch]
    t = F.conv2d(x, sd[p + conv + ".weight"], sd[p + conv + ".bias"], stride=16)  # (B, inner, 14, 14)
    b = t.shape[0]
    t = t.reshape(b, inner, 196).permute(0, 2, 1) + sd[p + vec]
    q = p + "projection."
    t = t @ sd[q + "proj1.weight"].T
    t = F.layer_norm(t, (inner,), sd[q + "norm_input.weight"], sd[q + "norm_input.bias"], eps=1e-5)
    t = t @ sd[q + "proj2.weight"].T + sd[q + "proj2.bias"]
    t = t @ sd[q + "proj3.weight"].T + sd[q + "proj3.bias"]
    t = torch.cat([sd["cls_token"].expand(b, 1, dim), t], dim=1) + sd["pos_embed"]
    for i in range(depth):
        k = "blocks.%d." % i
        h = F.layer_norm(t, (dim,), sd[k + "norm1.weight"], sd[k + "norm1.bias"], eps=1e-6)
        qkv = h @ sd[k + "attn.qkv.weight"].T + sd[k + "attn.qkv.bias"]  # (B, 197, 3 * dim)
        qq, kk, vv = [qkv[..., j * dim : (j + 1) * dim].reshape(b, 197, heads, hd).transpose(1, 2) for j in range(3)]
        att = torch.softmax(qq @ kk.transpose(-1, -2) / np.sqrt(hd), dim=-1)
        o = (att @ vv).transpose(1, 2).reshape(b, 197, dim)
        t = t + o @ sd[k + "attn.proj.weight"].T + sd[k + "attn.proj.bias"]
        h = F.layer_norm(t, (dim,), sd[k + "norm2.weight"], sd[k + "norm2.bias"], eps=1e-6)
        h = h @ sd[k + "mlp.fc1.weight"].T + sd[k + "mlp.fc1.bias"]
        h = 0.5 * h * (1 + torch.erf(h / np.sqrt(2.0)))  # exact GELU
        t = t + h @ sd[k + "mlp.fc2.weight"].T + sd[k + "mlp.fc2.bias"]
    t = F.layer_norm(t, (dim,), sd["norm.weight"], sd["norm.bias"], eps=1e-6)
    grid = t[:, 1:].permute(0, 2, 1).reshape(b, dim, 14, 14)
    return t[:, 0].numpy(), grid.numpy()


def cosine_rows(a, b):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def assert_equivalent(got, want):
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == np.float32
        np.testing.assert_allclose(g, w, atol=1e-4, rtol=0)
        assert cosine_rows(g, w).min() > 0.9999


@pytest.fixture(scope="module")
def state(terrafm_weights):
    return load_state_dict_file(terrafm_weights)


@pytest.fixture(scope="module")
def model_s2(terrafm_weights):
    return load_model("terrafm_b_s2", weights={"path": terrafm_weights}, device="cpu")


# -- equivalence -----------------------------------------------------------------------------------
def test_s2_matches_reference(model_s2, state):
    raw = realistic_s2_chips(1, 300, seed=11)[:, :, :, :260]  # non-square: stretched
    x = np_bilinear(np.clip(raw / 10000.0, 0, 1), 224, 224)  # independent preprocessing
    pooled, grid = model_s2.embed(raw)
    assert pooled.shape == (1, 768) and grid.shape == (1, 768, 14, 14)
    # routing: 12 channels -> the L1C branch (test_l2a_branch_option: the L2A branch differs)
    assert_equivalent((pooled, grid), reference_forward(state, x, "l1c"))
    assert "random" not in model_s2.weights_description and terrafm_path_in(model_s2)


def terrafm_path_in(model):
    return "TerraFM-B.pth" in model.weights_description


def test_s1_matches_reference(terrafm_weights, state):
    model = load_model("terrafm_b_s1", weights={"path": terrafm_weights})
    raw = s1_chips(1, 224, 224, seed=4)
    xs = []
    for chip in raw:
        lx = np.log1p(np.maximum(chip.astype(np.float64), 0))
        d = np.percentile(lx, 99)
        xs.append(np.clip(lx / d, 0, 1))
    got = model.embed(raw)
    assert_equivalent(got, reference_forward(state, np.stack(xs), "s1"))


def test_routing_uses_one_branch(model_s2, state):
    net = model_s2.module.net
    calls = []
    hooks = [
        getattr(net.patch_embed, n).register_forward_hook(lambda m, i, o, n=n: calls.append(n))
        for n in ("conv2d_s2_l2a", "conv2d_s2_l1c", "conv2d_s1")
    ]
    try:
        model_s2.embed(realistic_s2_chips(1, 224))
        assert calls == ["conv2d_s2_l1c"]
    finally:
        for h in hooks:
            h.remove()
    with pytest.raises(ValueError):
        net(torch.zeros(1, 3, 224, 224))


def test_l2a_branch_option(terrafm_weights, state, model_s2):
    model = load_model("terrafm_b_s2", weights={"path": terrafm_weights}, branch="l2a")
    raw = realistic_s2_chips(1, 224, seed=2)
    x = np.clip(raw / 10000.0, 0, 1)
    got = model.embed(raw)
    assert_equivalent(got, reference_forward(state, x, "l2a"))
    assert np.abs(got[0] - model_s2.embed(raw)[0]).max() > 1e-2  # the L1C default differs
    with pytest.raises(UserError):
        load_model("terrafm_b_s1", weights={"random_init": True}, branch="l2a")


def test_one_pass_equals_the_module_forward_and_batch_independence(model_s2):
    """embed() takes pooled vector and grid from one forward (the benchmark's two-pass baseline
    runs it twice) and a chip's result does not depend on the rest of its batch."""
    raw = realistic_s2_chips(2, 224, seed=7)
    p1, g1 = model_s2.embed(raw)
    with torch.inference_mode():
        p2, g2 = (t.numpy() for t in model_s2.module(model_s2.preprocess(raw[1:2])))
    p3, g3 = model_s2.embed(raw[1:2])
    np.testing.assert_array_equal(p2, p3)
    np.testing.assert_array_equal(g2, g3)
    np.testing.assert_allclose(p3[0], p1[1], atol=1e-5)
    np.testing.assert_allclose(g3[0], g1[1], atol=1e-5)


def test_pos_embed_interpolation(model_s2):
    net = model_s2.module.net
    with torch.inference_mode():
        pe = net.pos_embedding(14, 14)
        assert pe is net.pos_embed
        pe2 = net.pos_embedding(20, 16)
        assert pe2.shape == (1, 1 + 320, 768)
        torch.testing.assert_close(pe2[:, 0], net.pos_embed[:, 0])
        pooled, grid = net(torch.rand(1, 12, 320, 256))
    assert grid.shape == (1, 768, 20, 16)


def test_mean_pooling_option(terrafm_weights):
    model = load_model("terrafm_b_s2", weights={"path": terrafm_weights}, pooling="mean")
    pooled, grid = model.embed(realistic_s2_chips(1, 224))
    np.testing.assert_allclose(pooled, grid.mean(axis=(2, 3)), atol=1e-6)
    with pytest.raises(UserError, match="pooling"):
        load_model("terrafm_b_s2", weights={"random_init": True}, pooling="max")


# -- weights ---------------------------------------------------------------------------------------
def test_factory_file_has_published_format(state):
    assert len(state) == 164
    tops = {k.split(".")[0] for k in state}
    assert tops == {"patch_embed", "cls_token", "pos_embed", "blocks", "norm"}
    assert state["patch_embed.conv2d_s1.weight"].shape == (2304, 2, 16, 16)
    assert state["patch_embed.s1_embed"].shape == (1, 2304)
    assert state["pos_embed"].shape == (1, 197, 768)
    assert "patch_embed.projection.proj1.bias" not in state


@pytest.mark.parametrize(
    "model_id, tensors, params", [("terrafm_b_s2", 164, 112_951_296), ("terrafm_l_s2", 308, 345_010_176)]
)
def test_released_architecture_size(model_id, tensors, params):
    """The released TerraFM-B and TerraFM-L checkpoints: tensor count, parameter count and key shapes
    (built by the one TerraFM class, sizes from the registry)."""
    spec = MODELS[model_id]
    with torch.device("meta"):
        sd = build_terrafm(spec).state_dict()
    assert len(sd) == tensors and sum(v.numel() for v in sd.values()) == params
    dim, inner = spec.dim, 3 * spec.dim
    assert {k.split(".")[0] for k in sd} == {"patch_embed", "cls_token", "pos_embed", "blocks", "norm"}
    assert len({k.split(".")[1] for k in sd if k.startswith("blocks.")}) == spec.depth
    assert sd["patch_embed.conv2d_s2_l1c.weight"].shape == (inner, 12, 16, 16)
    assert sd["patch_embed.conv2d_s1.weight"].shape == (inner, 2, 16, 16)
    assert sd["patch_embed.s1_embed"].shape == (1, inner)
    assert sd["patch_embed.projection.proj3.weight"].shape == (dim, inner)
    assert sd["pos_embed"].shape == (1, 197, dim) and sd["cls_token"].shape == (1, 1, dim)
    assert sd["blocks.0.attn.qkv.bias"].shape == (3 * dim,) and sd["blocks.0.mlp.fc1.weight"].shape == (4 * dim, dim)
    assert "patch_embed.projection.proj1.bias" not in sd


def test_module_prefix_is_stripped(tmp_path, state, model_s2):
    path = weights_factory.make_terrafm_weights(tmp_path / "prefixed.pth", state=state, with_module_prefix=True)
    model = load_model("terrafm_b_s2", weights={"path": path})
    raw = realistic_s2_chips(1, 224, seed=1)
    np.testing.assert_array_equal(model.embed(raw)[0], model_s2.embed(raw)[0])


def test_wrong_file_names_the_keys(tmp_path, state):
    bad = dict(state)
    bad["pos_embed"] = torch.zeros(1, 50, 768)
    del bad["norm.bias"]
    bad["head.weight"] = torch.zeros(10, 768)
    path = str(tmp_path / "bad.pth")
    torch.save(bad, path)
    with pytest.raises(UserError) as e:
        load_model("terrafm_b_s2", weights={"path": path})
    msg = str(e.value)
    assert "pos_embed [1, 50, 768] (expected [1, 197, 768])" in msg
    assert "missing keys: norm.bias" in msg and "unexpected keys: head.weight" in msg
    assert path in msg


def test_check_state_dict_lists_first_few():
    expected = {"a%d" % i: (2,) for i in range(10)}
    with pytest.raises(UserError) as e:
        check_state_dict(expected, {}, "x.pth")
    assert "a0, a1, a2, a3, a4 ... (10 in all)" in str(e.value)


def test_unsafe_pickle_is_refused(tmp_path):
    path = str(tmp_path / "pickle.pth")
    import datetime

    torch.save({"w": torch.zeros(2), "obj": datetime.date(2020, 1, 1)}, path)
    with pytest.raises(UserError, match="weights_only"):
        load_state_dict_file(path)


@pytest.mark.parametrize("model_id, filename", [("terrafm_b_s2", "TerraFM-B.pth"), ("terrafm_l_s1", "TerraFM-L.pth")])
def test_local_path_missing(tmp_path, model_id, filename):
    with pytest.raises(UserError) as e:
        load_model(model_id, weights={"path": str(tmp_path / "nope.pth")})
    assert "nope.pth" in str(e.value) and "MBZUAI/TerraFM" in str(e.value) and filename in str(e.value)


@pytest.mark.parametrize("size", ["b", "l"])
def test_absent_offline_names_repo_and_file(tmp_path, monkeypatch, size):
    filename = "TerraFM-%s.pth" % size.upper()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UserError) as e:
        load_model("terrafm_%s_s2" % size, weights={"cache_dir": str(tmp_path / "empty-cache")})
    msg = str(e.value)
    assert "MBZUAI/TerraFM" in msg and filename in msg and "'terrafm_%s_s2'" % size in msg
    assert "offline" in msg and "local weights file" in msg and "Hugging Face cache" in msg
    with pytest.raises(UserError, match=filename):
        load_model("terrafm_%s_s1" % size, weights={"offline": True, "cache_dir": str(tmp_path / "empty-cache")})


def test_explicit_cache_dir_offline(tmp_path, terrafm_weights, model_s2):
    cache = tmp_path / "cache"
    weights_factory.make_hf_cache(cache, "MBZUAI/TerraFM", "TerraFM-B.pth", terrafm_weights)
    model = load_model("terrafm_b_s2", weights={"cache_dir": str(cache), "offline": True})
    assert "MBZUAI/TerraFM/TerraFM-B.pth" in model.weights_description
    raw = realistic_s2_chips(1, 224, seed=9)
    np.testing.assert_array_equal(model.embed(raw)[0], model_s2.embed(raw)[0])


_CHILD = """
import json, sys, numpy as np
from terraembed.models.loader import load_model
m = load_model(sys.argv[1])
raw = np.load(sys.argv[2])
p, g = m.embed(raw)
print(json.dumps({"desc": m.weights_description, "pooled": p[0, :8].tolist()}))
"""


@pytest.mark.parametrize("layout", ["HF_HUB_CACHE", "HF_HOME"])
def test_prefilled_hf_cache_with_hf_hub_offline(tmp_path, terrafm_weights, model_s2, layout):
    """huggingface_hub reads HF_HUB_CACHE/HF_HOME/HF_HUB_OFFLINE when imported, so run in a fresh process
    exactly as the worker would start, with only the environment pointing at the cache."""
    if layout == "HF_HUB_CACHE":
        cache = tmp_path / "hub-cache"
    else:
        cache = tmp_path / "hf-home" / "hub"  # HF_HOME/hub: must be found without passing HF_HOME as cache_dir
    weights_factory.make_hf_cache(cache, "MBZUAI/TerraFM", "TerraFM-B.pth", terrafm_weights)
    raw = realistic_s2_chips(1, 224, seed=21)
    np.save(tmp_path / "raw.npy", raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(HF_HUB_OFFLINE="1", PYTHONPATH=PKG_PATH)
    env[layout] = str(cache if layout == "HF_HUB_CACHE" else cache.parent)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, "terrafm_b_s2", str(tmp_path / "raw.npy")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert str(cache) in result["desc"]
    np.testing.assert_allclose(result["pooled"], model_s2.embed(raw)[0][0, :8], atol=1e-5)
