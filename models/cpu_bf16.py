"""bf16 on x86-64 CPUs with native bf16 (AVX512-BF16, AMX): the layers that serve it best, measured.

`use_bf16_layers(module)` prepares a loaded model for precision bf16 on the CPU; the model then runs
under torch's CPU autocast (loader.EmbeddingModel), which computes attention (fused
scaled_dot_product_attention) and the remaining products in bf16 and keeps LayerNorm, softmax and
the outputs' reductions in fp32:
- every nn.Linear becomes a `BF16Linear`: its weights and bias are converted to bf16 once, and its
  forward is oneDNN's bf16 product (`torch.ops.mkldnn._linear_pointwise`, as cpu_gemm does for fp32).
  Under autocast torch's own linear layer converts the fp32 weights to bf16 again in every call: the
  whole model ran about 2x slower that way (benchmarks/README.md);
- every patch-embedding convolution (kernel = stride, no padding: TerraFM's three 16x16/16 convs)
  becomes a `PatchLinear`: the patches cut out by a reshape and one bf16 product, which equals the
  convolution. oneDNN's AMX bf16 convolution gave wrong values for some of these shapes (12 input
  channels, 16x16/16: cosine 0.07 to fp32 on an Intel Xeon with AMX, torch 2.14.1), while its
  products are right; a product is as fast.

The values: cosine >= 0.999 to fp32 for every pooled vector and grid cell (tests/engine/
test_models_bf16.py; docs/MODELS.md). Only where cpu_gemm.onednn_available() (x86-64 with oneDNN's
linear op); elsewhere the CPU never runs bf16 (models/precision.py).
"""

import torch
import torch.nn as nn


class BF16Linear(nn.Linear):
    """An nn.Linear with bf16 weights whose forward is oneDNN's bf16 product (output bf16)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x.to(torch.bfloat16), self.weight, self.bias, "none", [], "")


class PatchLinear(nn.Conv2d):
    """A Conv2d with kernel = stride and no padding, computed as one product over the patches
    (bf16 weights; output bf16, (B, out, H/k, W/k) as the convolution's)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        kh, kw = self.kernel_size
        rows, cols = h // kh, w // kw
        x = x[:, :, : rows * kh, : cols * kw].to(torch.bfloat16)
        patches = x.reshape(b, c, rows, kh, cols, kw).permute(0, 2, 4, 1, 3, 5).reshape(b, rows * cols, c * kh * kw)
        weight = self.weight.reshape(self.out_channels, -1)
        out = torch.ops.mkldnn._linear_pointwise(patches, weight, self.bias, "none", [], "")
        return out.transpose(1, 2).reshape(b, self.out_channels, rows, cols)


def is_patch_conv(conv: nn.Module) -> bool:
    """True for a Conv2d that cuts non-overlapping patches (kernel = stride, no padding, dilation or groups)."""
    return (
        type(conv) is nn.Conv2d
        and tuple(conv.kernel_size) == tuple(conv.stride)
        and tuple(conv.padding) == (0, 0)
        and tuple(conv.dilation) == (1, 1)
        and conv.groups == 1
        and conv.padding_mode == "zeros"
    )


def _to_bf16(layer: nn.Module) -> None:
    layer.weight = nn.Parameter(layer.weight.detach().to(torch.bfloat16), requires_grad=False)
    if layer.bias is not None:
        layer.bias = nn.Parameter(layer.bias.detach().to(torch.bfloat16), requires_grad=False)


def use_bf16_layers(module: nn.Module) -> int:
    """Turn `module`'s nn.Linear (and cpu_gemm.OneDNNLinear) layers into BF16Linear and its patch
    convolutions into PatchLinear, in place (their weights become bf16); returns the number turned."""
    from .cpu_gemm import OneDNNLinear

    turned = 0
    for layer in list(module.modules()):
        if type(layer) in (nn.Linear, OneDNNLinear):
            _to_bf16(layer)
            layer.__class__ = BF16Linear
            turned += 1
        elif is_patch_conv(layer):
            _to_bf16(layer)
            layer.__class__ = PatchLinear
            turned += 1
    return turned
