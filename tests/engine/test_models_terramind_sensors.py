"""TerraMind v1 on Sentinel-1 alone, S2 + S1 and S2 + S1 + DEM: our pooled vector and grid equal the
tokens of terratorch's own backbone (built with the same modalities, loaded from the same generated
file through its ckpt_path) on independently normalised inputs; the statistics are terratorch's;
the checkpoint must hold every sensor's patch embedding. Uses the tiny model."""

import numpy as np
import pytest
import torch
import weights_factory
from conftest import realistic_s2_chips
from test_models_preprocessing import np_bilinear, ref_terramind, s1_chips

from terraembed.models import preprocessing
from terraembed.models.loader import load_model
from terraembed.shared.errors import UserError

S1_MEAN, S1_STD = np.array([-12.599, -20.293]), np.array([5.195, 5.890])
DEM_MEAN, DEM_STD = 670.665, 951.272
COMBINATIONS = {
    "terramind_v1_tiny_s1": ["S1GRD"],
    "terramind_v1_tiny_s2_s1": ["S2L2A", "S1GRD"],
    "terramind_v1_tiny_s2_s1_dem": ["S2L2A", "S1GRD", "DEM"],
}


def ref_s1(linear):
    """Independent S1 normalisation: dB (no backscatter, e.g. the 0 nodata fill: the band mean), then
    resize, then z-score with the v1 S1GRD statistics."""
    lin = linear.astype(np.float64)
    db = np.where(lin > 0, 10.0 * np.log10(np.where(lin > 0, lin, 1.0)), S1_MEAN[:, None, None])
    db = np_bilinear(db, 224, 224)
    return (db - S1_MEAN[:, None, None]) / S1_STD[:, None, None]


def ref_dem(dem):
    return (np_bilinear(dem.astype(np.float64), 224, 224) - DEM_MEAN) / DEM_STD


def dem_chips(batch=2, h=256, w=200, seed=0):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = 300.0 + 2.0 * y + 1.5 * x
    return (base[None, None] + rng.normal(0, 5.0, (batch, 1, h, w))).astype(np.float32)


def stacked(model_id, seed=0):
    h, w = 256, 200
    parts = []
    if "s2" in model_id:
        parts.append(realistic_s2_chips(2, 256, seed=seed)[:, :, :h, :w])
    parts.append(s1_chips(2, h, w, seed=seed + 1))
    if model_id.endswith("dem"):
        parts.append(dem_chips(2, h, w, seed=seed + 2))
    return np.concatenate(parts, axis=1).astype(np.float32)


def reference_inputs(raw, mods):
    out, c = {}, 0
    for mod in mods:
        n = {"S2L2A": 12, "S1GRD": 2, "DEM": 1}[mod]
        part = raw[:, c : c + n]
        c += n
        ref = {"S2L2A": ref_terramind, "S1GRD": ref_s1, "DEM": ref_dem}[mod](part)
        out[mod] = torch.from_numpy(ref.astype(np.float32))
    return out


@pytest.fixture(scope="module")
def weights(terramind_tiny_weights):
    return terramind_tiny_weights


def direct_model(path, mods):
    from terratorch.registry import BACKBONE_REGISTRY

    torch.set_float32_matmul_precision("highest")
    return BACKBONE_REGISTRY.build("terramind_v1_tiny", pretrained=False, ckpt_path=path, modalities=mods).eval()


@pytest.mark.parametrize("model_id", list(COMBINATIONS))
def test_embeddings_equal_terratorch_forward(weights, model_id):
    """terratorch's forward of the same normalised inputs gives our pooled vector and grid (<= 1e-5); our
    normalisation equals an independent one (float64, written from the published statistics)."""
    mods = COMBINATIONS[model_id]
    direct = direct_model(weights, mods)
    raw = stacked(model_id, seed=3)
    model = load_model(model_id, weights={"path": weights})
    ours = model.preprocess(raw)
    assert sorted(ours) == sorted(mods)
    reference = reference_inputs(raw, mods)
    for mod in mods:
        np.testing.assert_allclose(ours[mod].numpy(), reference[mod].numpy(), atol=1e-4)
    with torch.inference_mode():
        tokens = direct({k: v.clone() for k, v in ours.items()})[-1].numpy()
    assert tokens.shape == (2, 196, 192)
    pooled, grid = model.embed(raw)
    assert pooled.shape == (2, 192) and grid.shape == (2, 192, 14, 14)
    np.testing.assert_allclose(pooled, tokens.mean(axis=1), atol=1e-5)
    np.testing.assert_allclose(grid, tokens.transpose(0, 2, 1).reshape(2, 192, 14, 14), atol=1e-5)
    assert "not used by the %s encoder" % "+".join(mods) in model.weights_description


def test_sensors_are_merged_by_the_mean_of_their_tokens(weights):
    """terratorch's 'mean' merge: the S2+S1 output is the per-cell mean of the two sensors' final tokens
    (the encoder still attends over both sensors' tokens, so it is not the mean of two single runs)."""
    mods = ["S2L2A", "S1GRD"]
    raw = stacked("terramind_v1_tiny_s2_s1", seed=5)
    model = load_model("terramind_v1_tiny_s2_s1", weights={"path": weights})
    unmerged = direct_model(weights, mods)
    unmerged.merge_method = "dict"
    with torch.inference_mode():
        per_sensor = unmerged(model.preprocess(raw))[-1]
    expected = (per_sensor["S2L2A"] + per_sensor["S1GRD"]).numpy() / 2.0
    pooled, grid = model.embed(raw)
    np.testing.assert_allclose(grid, expected.transpose(0, 2, 1).reshape(2, 192, 14, 14), atol=1e-5)
    s2_only, _ = load_model("terramind_v1_tiny", weights={"path": weights}).embed(raw[:, :12])
    assert np.abs(pooled - s2_only).max() > 1e-3  # the radar changes the embedding


def test_statistics_are_terratorchs():
    from terratorch.models.backbones.terramind.model.terramind_register import v1_pretraining_mean, v1_pretraining_std

    assert preprocessing.TERRAMIND_V1_S1GRD_MEAN == tuple(v1_pretraining_mean["untok_sen1grd@224"])
    assert preprocessing.TERRAMIND_V1_S1GRD_STD == tuple(v1_pretraining_std["untok_sen1grd@224"])
    assert preprocessing.TERRAMIND_V1_DEM_MEAN == tuple(v1_pretraining_mean["untok_dem@224"])
    assert preprocessing.TERRAMIND_V1_DEM_STD == tuple(v1_pretraining_std["untok_dem@224"])
    assert preprocessing.TERRAMIND_V1_S2L2A_MEAN == tuple(v1_pretraining_mean["untok_sen2l2a@224"])


def test_s1_nodata_and_zero_become_the_pretraining_mean():
    """0 (the nodata fill) and negative linear values have no dB: they take the band's mean (z = 0)."""
    raw = np.full((1, 2, 224, 224), 0.05, np.float32)
    raw[0, :, :10, :10] = 0.0
    raw[0, 1, 50, 50] = -1.0
    x = preprocessing.terramind_s1(raw).numpy()
    assert np.isfinite(x).all()
    np.testing.assert_allclose(x[0, :, :10, :10], 0.0, atol=1e-6)
    assert x[0, 1, 50, 50] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(x[0, 0, 100, 100], (10 * np.log10(0.05) - S1_MEAN[0]) / S1_STD[0], rtol=1e-5)


def test_linear_to_db_inverts_db_to_linear():
    db = np.array([-25.0, -12.5, 0.0, 3.0], np.float32)
    np.testing.assert_allclose(preprocessing.linear_to_db(preprocessing.db_to_linear(db)), db, atol=1e-5)
    assert np.isnan(preprocessing.linear_to_db(np.array([0.0, -1.0, np.nan], np.float32))).all()


def test_checkpoint_without_a_sensors_patch_embedding_is_reported(tmp_path, weights):
    state = dict(torch.load(weights, weights_only=True))
    dropped = [k for k in state if k.startswith("encoder_embeddings.untok_dem@224.")]
    assert dropped
    for k in dropped:
        del state[k]
    path = weights_factory.make_terramind_weights(tmp_path / "nodem.pt", state=state)
    model = load_model("terramind_v1_tiny_s2_s1", weights={"path": path})  # S2 + S1 needs no DEM
    assert model.spec.sensors == ("S2", "S1")
    with pytest.raises(UserError, match="missing keys: .*encoder_embeddings.untok_dem@224.proj.weight"):
        load_model("terramind_v1_tiny_s2_s1_dem", weights={"path": path})


def test_s1_in_db_and_dem_in_feet_are_refused(weights):
    model = load_model("terramind_v1_tiny_s2_s1_dem", weights={"random_init": True})
    raw = stacked("terramind_v1_tiny_s2_s1_dem")
    raw_db = raw.copy()
    raw_db[:, 12:14] = preprocessing.linear_to_db(np.maximum(raw[:, 12:14], 1e-4))
    with pytest.raises(UserError, match="looks like decibels"):
        model.embed(raw_db)
    feet = raw.copy()
    feet[:, 14] = 29000.0  # Everest in feet
    with pytest.raises(UserError, match="in feet"):
        model.embed(feet)
    with pytest.raises(UserError, match="needs 15 bands"):
        model.embed(raw[:, :14])
