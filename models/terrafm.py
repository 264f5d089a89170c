"""TerraFM-B and TerraFM-L in this project's own code (architecture and parameter names per
docs/MODELS.md); one class, the sizes come from the registry (build_terrafm(spec)).

A ViT with DINO-style pre-norm blocks (timm's ViT Block; B: dim 768, depth 12, 12 heads; L: dim 1024,
depth 24, 16 heads),
and TerraFM's per-sensor patch embedding: three 16x16/16 convs to an inner width of 3*dim (S2 L2A,
S2 L1C, S1), a learned modality vector per branch, then a token projection proj1 (no bias) ->
LayerNorm(eps 1e-5) -> proj2 -> proj3 (to dim). Parameter names match the published checkpoints
(TerraFM-B.pth: 164 tensors; the large one: 308), so they load strictly.

Routing by channel count: 2 -> S1 branch; 12 -> the L1C branch (as the released code and the reference
adapter do); the L2A branch only when asked for explicitly (branch='l2a'). Other counts: ValueError.

forward(x) returns (pooled, grid) from ONE pass: the final LayerNorm output's CLS token (B, dim) and
its patch tokens reshaped row-major to (B, dim, H/16, W/16).
"""

import functools
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from timm.models.vision_transformer import Block

from .registry import ModelSpec

BRANCHES = ("auto", "l1c", "l2a", "s1")


def transformer_block(dim: int, num_heads: int, mlp_ratio: float = 4.0) -> nn.Module:
    """A pre-norm transformer block: timm's ViT Block with qkv bias, exact GELU and LayerNorm eps 1e-6
    (parameter names norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2, as in the checkpoints)."""
    return Block(
        dim, num_heads, mlp_ratio=mlp_ratio, qkv_bias=True, norm_layer=functools.partial(nn.LayerNorm, eps=1e-6)
    )


class TokenProjection(nn.Module):
    def __init__(self, inner: int, dim: int) -> None:
        super().__init__()
        self.proj1 = nn.Linear(inner, inner, bias=False)
        self.norm_input = nn.LayerNorm(inner, eps=1e-5)
        self.proj2 = nn.Linear(inner, inner)
        self.proj3 = nn.Linear(inner, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj3(self.proj2(self.norm_input(self.proj1(x))))


class PatchEmbed(nn.Module):
    def __init__(self, dim: int = 768, patch_size: int = 16, s2_chans: int = 12, s1_chans: int = 2) -> None:
        super().__init__()
        inner = 3 * dim
        self.patch_size = patch_size
        self.conv2d_s2_l2a = nn.Conv2d(s2_chans, inner, patch_size, stride=patch_size)
        self.conv2d_s2_l1c = nn.Conv2d(s2_chans, inner, patch_size, stride=patch_size)
        self.conv2d_s1 = nn.Conv2d(s1_chans, inner, patch_size, stride=patch_size)
        self.s2_l2a_embed = nn.Parameter(torch.zeros(1, inner))
        self.s2_l1c_embed = nn.Parameter(torch.zeros(1, inner))
        self.s1_embed = nn.Parameter(torch.zeros(1, inner))
        self.projection = TokenProjection(inner, dim)

    def select(self, channels: int, branch: str = "auto") -> str:
        """The branch name used for `channels` input channels ('s1', 'l1c' or 'l2a')."""
        if branch not in BRANCHES:
            raise ValueError("branch must be one of %s" % (BRANCHES,))
        n_s1 = self.conv2d_s1.in_channels
        n_s2 = self.conv2d_s2_l1c.in_channels
        if channels == n_s1 and branch in ("auto", "s1"):
            return "s1"
        if channels == n_s2 and branch in ("auto", "l1c"):
            return "l1c"
        if channels == n_s2 and branch == "l2a":
            return "l2a"
        raise ValueError(
            "TerraFM takes %d (Sentinel-1) or %d (Sentinel-2) channels%s, got %d"
            % (n_s1, n_s2, "" if branch == "auto" else " for branch %r" % branch, channels)
        )

    def forward(self, x: torch.Tensor, branch: str = "auto") -> torch.Tensor:
        which = self.select(x.shape[1], branch)
        conv, vec = {
            "s1": (self.conv2d_s1, self.s1_embed),
            "l1c": (self.conv2d_s2_l1c, self.s2_l1c_embed),
            "l2a": (self.conv2d_s2_l2a, self.s2_l2a_embed),
        }[which]
        tokens = conv(x).flatten(2).transpose(1, 2) + vec
        return self.projection(tokens)


class TerraFM(nn.Module):
    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        dim: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        branch: str = "auto",
    ) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.dim = dim
        self.branch = branch
        self.patch_embed = PatchEmbed(dim, patch_size)
        n = (img_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.blocks = nn.ModuleList([transformer_block(dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.reset_parameters()

    def reset_parameters(self, generator: Optional[torch.Generator] = None) -> None:
        """Random initialisation (truncated normal 0.02 as in DINO); only for random-init runs."""

        def tn(t: torch.Tensor) -> None:
            with torch.no_grad():
                t.normal_(0, 0.02, generator=generator).clamp_(-0.04, 0.04)

        tn(self.pos_embed)
        tn(self.cls_token)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                tn(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        for p in (self.patch_embed.s2_l2a_embed, self.patch_embed.s2_l1c_embed, self.patch_embed.s1_embed):
            tn(p)

    def pos_embedding(self, h_patches: int, w_patches: int) -> torch.Tensor:
        """(1, 1 + h*w, dim): as is for the training grid, else bicubic interpolation of the patch part
        (DINO's interpolate_pos_encoding, including its +0.1 scale offset)."""
        n = self.pos_embed.shape[1] - 1
        side = int(math.sqrt(n))
        if h_patches == side and w_patches == side:
            return self.pos_embed
        cls_pos = self.pos_embed[:, :1]
        patch_pos = self.pos_embed[:, 1:].reshape(1, side, side, self.dim).permute(0, 3, 1, 2)
        patch_pos = F.interpolate(
            patch_pos,
            scale_factor=((h_patches + 0.1) / side, (w_patches + 0.1) / side),
            mode="bicubic",
            align_corners=False,
        )
        if patch_pos.shape[-2:] != (h_patches, w_patches):  # guard against rounding surprises
            patch_pos = F.interpolate(
                self.pos_embed[:, 1:].reshape(1, side, side, self.dim).permute(0, 3, 1, 2),
                size=(h_patches, w_patches),
                mode="bicubic",
                align_corners=False,
            )
        patch_pos = patch_pos.permute(0, 2, 3, 1).reshape(1, h_patches * w_patches, self.dim)
        return torch.cat((cls_pos, patch_pos), dim=1)

    def forward_tokens(self, x: torch.Tensor, branch: Optional[str] = None) -> torch.Tensor:
        """Final-norm tokens (B, 1 + N, dim), CLS first."""
        b, _, h, w = x.shape
        hp, wp = h // self.patch_size, w // self.patch_size
        t = self.patch_embed(x, branch or self.branch)
        t = torch.cat((self.cls_token.expand(b, -1, -1), t), dim=1)
        t = t + self.pos_embedding(hp, wp)
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t)

    def forward(self, x: torch.Tensor, branch: Optional[str] = None) -> tuple[torch.Tensor, torch.Tensor]:
        """(pooled (B, dim) = normed CLS token, grid (B, dim, H/16, W/16) = normed patch tokens)."""
        b, _, h, w = x.shape
        t = self.forward_tokens(x, branch)
        grid = t[:, 1:].transpose(1, 2).reshape(b, self.dim, h // self.patch_size, w // self.patch_size)
        return t[:, 0], grid


def build_terrafm(spec: ModelSpec, branch: str = "auto") -> TerraFM:
    """The TerraFM network of a registry ModelSpec (its input size, patch size, dim, depth, heads)."""
    return TerraFM(
        img_size=spec.input_size,
        patch_size=spec.patch_size,
        dim=spec.dim,
        depth=spec.depth,
        num_heads=spec.num_heads,
        branch=branch,
    )
