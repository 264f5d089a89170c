"""On an x86-64 CPU in fp32 the models' linear layers run through oneDNN (models/cpu_gemm.py) and
give torch's own values; elsewhere, and for int8, they stay torch's."""

import copy
import platform

import numpy as np
import pytest
import torch.nn as nn
from conftest import realistic_s2_chips

from terraembed.engine.context import JobContext
from terraembed.models.cpu_gemm import OneDNNLinear, onednn_available, use_onednn_linears, use_torch_linears
from terraembed.models.loader import load_model, quantize_int8
from terraembed.shared.platforms import normal_machine

X86 = normal_machine(platform.machine()) == "x86_64"
needs_x86 = pytest.mark.skipif(not X86, reason="oneDNN linear layers are used on x86-64 CPUs only")


def linear_types(module):
    return {type(m) for m in module.modules() if isinstance(m, nn.Linear)}


def torch_copy(model):
    plain = copy.copy(model)
    plain.module = copy.deepcopy(model.module)
    use_torch_linears(plain.module)
    return plain


@pytest.mark.parametrize("machine", ["arm64", "aarch64", "ARM64", "ppc64le"])
def test_not_used_off_x86(machine):
    assert not onednn_available(machine)
    layer = nn.Linear(4, 3)
    assert use_onednn_linears(nn.Sequential(layer), machine=machine) == 0
    assert type(layer) is nn.Linear


@needs_x86
@pytest.mark.parametrize("machine", ["x86_64", "AMD64"])
def test_used_on_x86(machine):
    assert onednn_available(machine)


@needs_x86
@pytest.mark.parametrize("model_id", ["terramind_v1_tiny", "terrafm_b_s2"])
def test_model_linears_are_onednn_and_equal_torch(model_id, terramind_tiny_weights, terrafm_weights):
    path = terramind_tiny_weights if model_id.startswith("terramind") else terrafm_weights
    logged = []
    ctx = JobContext(on_log=lambda message, level: logged.append(message))
    model = load_model(model_id, weights={"path": path}, device="cpu", ctx=ctx)
    assert linear_types(model.module) == {OneDNNLinear}
    assert any("oneDNN linear layers" in line for line in logged)
    plain = torch_copy(model)
    assert linear_types(plain.module) == {nn.Linear}
    assert list(plain.module.state_dict()) == list(model.module.state_dict())
    raw = realistic_s2_chips(3, 224, seed=5)
    pooled, grid = model.embed(raw)
    ref_pooled, ref_grid = plain.embed(raw)
    np.testing.assert_allclose(pooled, ref_pooled, atol=1e-5, rtol=0)
    np.testing.assert_allclose(grid, ref_grid, atol=1e-5, rtol=0)


def test_int8_quantises_every_linear_layer(terramind_tiny_weights):
    model = load_model("terramind_v1_tiny", weights={"path": terramind_tiny_weights}, device="cpu", precision="int8")
    assert linear_types(model.module) == set()  # all dynamic-quantised (no nn.Linear subclass)
    fp32 = load_model("terramind_v1_tiny", weights={"path": terramind_tiny_weights}, device="cpu")
    quantised = quantize_int8(fp32.module)  # what the benchmark does with a loaded fp32 model
    assert linear_types(quantised) == set()
    assert linear_types(fp32.module) == ({OneDNNLinear} if X86 else {nn.Linear})  # the original is kept
