"""The models' linear layers on x86-64 CPUs through oneDNN's matrix multiply.

torch runs an fp32 `nn.Linear` on the CPU through MKL's sgemm. On AMD processors MKL takes a
slower code path: measured on 2 cores of an AMD EPYC (Zen 5, AVX-512), MKL's sgemm reaches ~170
GFLOP/s, oneDNN's (bundled with every x86-64 torch wheel) ~370-400 GFLOP/s on the same products, the
models' 192- to 3072-wide ones included. On an Intel Xeon (an earlier session) oneDNN's first MLP
layer was level with MKL's inside the model (the other layers were not timed there).

So on an x86-64 CPU in fp32, `use_onednn_linears` makes every `nn.Linear` of a loaded model an
`OneDNNLinear`: the same parameters (same names, same state dict), a forward through
`torch.ops.mkldnn._linear_pointwise` (the op torch's own CPU compiler emits for a linear layer, bias
added inside the product). The values equal torch's to rounding (summation order: ~1e-6; the model
tests compare both paths with the reference at 1e-5). Figures: benchmarks/README.md.

Not used on other machines (Apple silicon, ARM Linux: not measured, so torch's own BLAS stays), on
GPUs, or for int8 (loader.quantize_int8 turns the layers back into nn.Linear before quantising them). The op
is private to torch; if a torch build lacks it, the layers stay torch's.
"""

import platform
from typing import Optional

import torch
import torch.nn as nn

from ..shared.platforms import normal_machine


def onednn_linear(x: torch.Tensor, weight: torch.Tensor, bias: Optional[torch.Tensor] = None) -> torch.Tensor:
    """x @ weight.T (+ bias) through oneDNN's fp32 product (inference only: no gradient)."""
    return torch.ops.mkldnn._linear_pointwise(x, weight, bias, "none", [], "")


class OneDNNLinear(nn.Linear):
    """An nn.Linear whose forward is onednn_linear."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return onednn_linear(x, self.weight, self.bias)


def onednn_available(machine: Optional[str] = None) -> bool:
    """True where OneDNNLinear applies: an x86-64 machine (default: this one) and a torch with oneDNN
    and its linear op."""
    if normal_machine(machine or platform.machine()) != "x86_64":
        return False
    if not torch.backends.mkldnn.is_available():
        return False
    return hasattr(torch.ops.mkldnn, "_linear_pointwise")


def use_onednn_linears(module: nn.Module, machine: Optional[str] = None) -> int:
    """Turn every nn.Linear of `module` (on the CPU, fp32) into an OneDNNLinear in place, when
    onednn_available(machine); returns the number turned. The class is swapped on the existing
    object (as torch.nn.utils.parametrize does), so parameters, hooks and names stay."""
    if not onednn_available(machine):
        return 0
    linears = [m for m in module.modules() if type(m) is nn.Linear]
    for layer in linears:
        layer.__class__ = OneDNNLinear
    return len(linears)


def use_torch_linears(module: nn.Module) -> None:
    """The inverse (torch's own nn.Linear forward again), in place: for int8 quantisation
    (loader.quantize_int8) and the benchmark's comparison."""
    for m in module.modules():
        if type(m) is OneDNNLinear:
            m.__class__ = nn.Linear
