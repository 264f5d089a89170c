"""load_model / EmbeddingModel: input validation, precision modes (int8 accuracy), device selection."""

import numpy as np
import pytest
import torch
from conftest import realistic_s2_chips
from test_models_preprocessing import s1_chips

from terraembed.engine.context import JobContext
from terraembed.models import device as device_mod
from terraembed.models.device import default_batch_size, resolve_device, set_threads
from terraembed.models.loader import INT8_MIN_COSINE, load_model
from terraembed.shared.errors import UserError


def cosine_rows(a, b):
    a = a.reshape(a.shape[0], -1).astype(np.float64)
    b = b.reshape(b.shape[0], -1).astype(np.float64)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def cell_cosines(a, b):
    """Cosine per grid cell (B, D, H, W) -> (B*H*W,)."""
    a = a.transpose(0, 2, 3, 1).reshape(-1, a.shape[1])
    b = b.transpose(0, 2, 3, 1).reshape(-1, b.shape[1])
    return cosine_rows(a, b)


@pytest.fixture(scope="module")
def s1_model():
    return load_model("terrafm_b_s1", weights={"random_init": True, "seed": 1})


# -- inputs ----------------------------------------------------------------------------------------
def test_wrong_channel_count(s1_model):
    with pytest.raises(UserError) as e:
        s1_model.embed(np.ones((1, 3, 32, 32), np.float32))
    assert "needs 2 bands (VV, VH" in str(e.value) and "has 3" in str(e.value)
    with pytest.raises(UserError, match="shape"):
        s1_model.embed(np.ones((32, 32), np.float32))


def test_non_finite_rejected(s1_model):
    raw = s1_chips(1, 32, 32)
    raw[0, 0, 3, 3] = np.nan
    raw[0, 1, 4, 4] = np.inf
    with pytest.raises(UserError, match="2 non-finite values"):
        s1_model.embed(raw)


def test_db_s1_rejected_with_conversion_hint(s1_model):
    lin = s1_chips(1, 32, 32)
    db = 10 * np.log10(np.maximum(lin, 1e-5))
    with pytest.raises(UserError) as e:
        s1_model.embed(db)
    assert "decibels" in str(e.value) and "10 ** (dB / 10)" in str(e.value)
    pooled, grid = s1_model.embed(lin)  # linear is fine
    assert pooled.shape == (1, 768) and grid.shape == (1, 768, 14, 14)


def test_all_zero_chip_is_defined(s1_model):
    """An all-nodata chip the pipeline filled with 0: finite output, documented behaviour (d falls back to 1)."""
    pooled, grid = s1_model.embed(np.zeros((1, 2, 40, 40), np.float32))
    assert np.isfinite(pooled).all() and np.isfinite(grid).all()


def test_empty_batch(s1_model):
    pooled, grid = s1_model.embed(np.zeros((0, 2, 224, 224), np.float32))
    assert pooled.shape == (0, 768) and grid.shape == (0, 768, 14, 14)


def test_accepts_chw_and_other_dtypes(s1_model):
    raw = s1_chips(1, 224, 224)
    p1, _ = s1_model.embed(raw[0].astype(np.float64))
    p2, _ = s1_model.embed(raw)
    np.testing.assert_array_equal(p1, p2)
    assert "NOT pretrained" in s1_model.weights_description and s1_model.device == "cpu"
    assert s1_model.default_batch_size == 8 and s1_model.precision == "fp32"


def test_bad_options():
    with pytest.raises(UserError, match="precision"):
        load_model("terrafm_b_s2", weights={"random_init": True}, precision="fp8")
    with pytest.raises(UserError, match="device"):
        load_model("terrafm_b_s2", weights={"random_init": True}, device="tpu")
    with pytest.raises(UserError, match="weights option"):
        load_model("terrafm_b_s2", weights={"file": "x"})
    with pytest.raises(UserError, match="Valid models"):
        load_model("nope")


# -- precision -------------------------------------------------------------------------------------
def test_fp16_falls_back_on_cpu():
    ctx = JobContext()
    model = load_model("terrafm_b_s1", weights={"random_init": True}, precision="fp16", ctx=ctx)
    assert model.precision == "fp32"
    assert any("CUDA" in w and "fp32" in w for w in ctx.warnings)  # bf16 on the CPU: test_models_bf16.py


@pytest.mark.parametrize(
    "model_id,weights_fixture", [("terrafm_b_s2", "terrafm_weights"), ("terramind_v1_tiny", "terramind_tiny_weights")]
)
def test_int8_close_to_fp32(model_id, weights_fixture, request):
    path = request.getfixturevalue(weights_fixture)
    fp32 = load_model(model_id, weights={"path": path})
    int8 = load_model(model_id, weights={"path": path}, precision="int8")
    assert int8.precision == "int8"
    assert any(
        "DynamicQuantizedLinear" in type(m).__name__ or "quantized" in type(m).__module__ for m in int8.module.modules()
    )
    raw = realistic_s2_chips(2, 224, seed=31)
    p32, g32 = fp32.embed(raw)
    p8, g8 = int8.embed(raw)
    pooled_cos = cosine_rows(p8, p32)
    cells = cell_cosines(g8, g32)
    print(
        "%s int8 vs fp32: pooled cosine min %.5f, grid cell cosine mean %.5f min %.5f"
        % (model_id, pooled_cos.min(), cells.mean(), cells.min())
    )
    assert pooled_cos.min() >= INT8_MIN_COSINE
    assert cells.mean() >= INT8_MIN_COSINE


def test_int8_only_on_cpu(monkeypatch):
    ctx = JobContext()
    import terraembed.models.loader as loader_mod

    # pretend a GPU was chosen (the meta device stands in for it: nothing is computed)
    monkeypatch.setattr(loader_mod, "resolve_device", lambda req: (torch.device("meta"), ""))
    model = load_model("terrafm_b_s1", weights={"random_init": True}, precision="int8", ctx=ctx)
    assert model.precision == "fp32" and any("int8" in w for w in ctx.warnings)


# -- device ----------------------------------------------------------------------------------------
def test_device_auto_and_fallbacks(monkeypatch):
    dev, msg = resolve_device("cpu")
    assert dev.type == "cpu" and msg == ""
    if not torch.cuda.is_available():
        dev, msg = resolve_device("cuda")
        assert dev.type == "cpu" and "CUDA was requested but" in msg and "CPU instead" in msg
        monkeypatch.setattr(torch.version, "cuda", None)
        monkeypatch.setattr(torch.version, "hip", None)
        assert "no CUDA support" in resolve_device("cuda")[1]
        monkeypatch.undo()
        if not device_mod._mps_available():
            dev, msg = resolve_device("mps")
            assert dev.type == "cpu" and "MPS was requested but" in msg
            assert resolve_device("auto") == (torch.device("cpu"), "")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto")[0].type == "cuda"
    assert resolve_device("cuda:1")[0] == torch.device("cuda:1")


def test_no_visible_device_reason(monkeypatch):
    monkeypatch.setattr(torch.version, "cuda", "12.8")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert "CUDA_VISIBLE_DEVICES" in device_mod._cuda_unavailable_reason()
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    assert "no CUDA device is visible" in device_mod._cuda_unavailable_reason()


def test_requested_cuda_falls_back_with_warning():
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    ctx = JobContext()
    model = load_model("terrafm_b_s1", weights={"random_init": True}, device="cuda", ctx=ctx)
    assert model.device == "cpu" and any("CUDA was requested" in w for w in ctx.warnings)


def test_batch_sizes_and_threads():
    assert default_batch_size("cpu") == 8 and default_batch_size("cuda") == 64
    before = torch.get_num_threads()
    try:
        assert set_threads(1) == 1 and torch.get_num_threads() == 1
        assert set_threads(None) == 1
        with pytest.raises(UserError):
            set_threads(-2)
    finally:
        torch.set_num_threads(before)
