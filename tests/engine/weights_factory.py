"""Weight files with the right keys and shapes and random values (the real ones cannot be downloaded on
development and CI machines), and a pre-filled Hugging Face cache layout for offline tests.

    make_terrafm_weights(path, seed=0, with_module_prefix=False, model_id="terrafm_b_s2")
                                                   # TerraFM-B.pth format; model_id="terrafm_l_s2": TerraFM-L
    make_terramind_weights(path, size="tiny", seed=0)              # TerraMind_v1_<size>.pt format
    make_hf_cache(cache_dir, repo_id, filename, source_file)       # models--ORG--NAME/... layout
"""

import hashlib
import os
import shutil

import torch


def _save(state, path):
    os.makedirs(os.path.dirname(os.path.abspath(str(path))), exist_ok=True)
    torch.save(state, str(path))
    return str(path)


def terrafm_state_dict(seed=0, model_id="terrafm_b_s2"):
    """A TerraFM state dict (B or L, after the registry's sizes) in the published format (flat, no
    prefix) with random values."""
    from terraembed.models.registry import get_model_spec
    from terraembed.models.terrafm import build_terrafm

    with torch.device("meta"):  # reset_parameters below sets every tensor: no first initialisation
        net = build_terrafm(get_model_spec(model_id))
    net = net.to_empty(device="cpu")
    gen = torch.Generator().manual_seed(seed)
    net.reset_parameters(gen)
    with torch.no_grad():
        # Non-trivial LayerNorm affine parameters and biases, so that a wrong mapping shows.
        for name, p in net.named_parameters():
            if name.endswith(".bias") or "norm" in name:
                p.add_(torch.randn(p.shape, generator=gen) * 0.02)
    return dict(net.state_dict())


def make_terrafm_weights(path, seed=0, with_module_prefix=False, state=None, model_id="terrafm_b_s2"):
    state = terrafm_state_dict(seed, model_id) if state is None else state
    if with_module_prefix:
        state = {"module." + k: v for k, v in state.items()}
    return _save(state, path)


# Published TerraMind checkpoints hold the whole pre-training model (encoder-decoder): the S2L2A
# encoder keys as in terratorch's TerraMindViT, plus other modalities' input embeddings and the
# decoder, which the S2L2A backbone does not use. The extras below mimic that (names from
# terratorch's TerraMind class; their shapes do not matter to the encoder).
_EXTRA_MODALITIES = ["S1GRD", "S1RTC", "S2L1C", "RGB", "DEM"]


def terramind_state_dict(size="tiny", seed=0, extras=True):
    from terratorch.registry import BACKBONE_REGISTRY

    torch.manual_seed(seed)
    key = "terramind_v1_%s" % size
    mods = ["S2L2A"] + (_EXTRA_MODALITIES if extras else [])
    model = BACKBONE_REGISTRY.build(key, pretrained=False, modalities=mods)
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name or name.endswith(".bias"):
                p.add_(torch.randn(p.shape, generator=gen) * 0.02)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    if extras:
        dim = state["encoder_norm.weight"].shape[0]
        for i in range(2):
            state["decoder.%d.norm1.weight" % i] = torch.ones(dim)
            state["decoder.%d.query_norm.weight" % i] = torch.ones(dim)
            state["decoder.%d.cross_attn.q.weight" % i] = torch.randn(dim, dim, generator=gen) * 0.02
            state["decoder.%d.mlp.fc1.weight" % i] = torch.randn(4 * dim, dim, generator=gen) * 0.02
        state["decoder_norm.weight"] = torch.ones(dim)
        state["decoder_proj_context.weight"] = torch.randn(dim, dim, generator=gen) * 0.02
        state["decoder_embeddings.tok_sen2l2a@224.token_emb.weight"] = torch.randn(15360, dim, generator=gen) * 0.02
        state["decoder_embeddings.tok_sen2l2a@224.mod_emb"] = torch.randn(1, 1, dim, generator=gen) * 0.02
        state["decoder_embeddings.tok_sen2l2a@224.to_logits.weight"] = torch.randn(15360, dim, generator=gen) * 0.02
    return state


def make_terramind_weights(path, size="tiny", seed=0, extras=True, drop_buffers=False, state=None):
    """A TerraMind_v1_<size>.pt-format file. drop_buffers: leave out the non-learned buffers (fixed
    sin-cos pos_emb, zero LayerNorm biases), in case a published file lacks them."""
    state = terramind_state_dict(size, seed, extras) if state is None else dict(state)
    if drop_buffers:
        state = {
            k: v for k, v in state.items() if not (k.endswith(".pos_emb") or (k.endswith(".bias") and "norm" in k))
        }
    return _save(state, path)


def make_hf_cache(cache_dir, repo_id, filename, source_file, commit=None):
    """Lay out `source_file` as huggingface_hub's cache does:
    <cache_dir>/models--ORG--NAME/{refs/main, blobs/<sha>, snapshots/<commit>/<filename> -> blob}.
    Returns the snapshot file path."""
    commit = commit or hashlib.sha1(("%s/%s" % (repo_id, filename)).encode()).hexdigest()
    repo_folder = os.path.join(str(cache_dir), "models--" + repo_id.replace("/", "--"))
    os.makedirs(os.path.join(repo_folder, "refs"), exist_ok=True)
    with open(os.path.join(repo_folder, "refs", "main"), "w") as f:
        f.write(commit)
    blob_dir = os.path.join(repo_folder, "blobs")
    os.makedirs(blob_dir, exist_ok=True)
    blob = os.path.join(blob_dir, hashlib.sha256(("%s:%s" % (commit, filename)).encode()).hexdigest())
    if not os.path.exists(blob):
        try:
            os.link(str(source_file), blob)
        except OSError:
            shutil.copyfile(str(source_file), blob)
    snap_dir = os.path.join(repo_folder, "snapshots", commit)
    os.makedirs(os.path.join(snap_dir, os.path.dirname(filename)), exist_ok=True)
    target = os.path.join(snap_dir, filename)
    if not os.path.exists(target):
        os.symlink(os.path.relpath(blob, os.path.dirname(target)), target)
    return target
