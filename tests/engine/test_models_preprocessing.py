"""Preprocessing: expected values computed independently (numpy, by hand) from docs/MODELS.md's formulas."""

import numpy as np
import pytest
import torch
from conftest import realistic_s2_chips

from terraembed.models import preprocessing as P
from terraembed.models.registry import MODELS

MEAN = np.array(
    [1390.458, 1503.317, 1718.197, 1853.91, 2199.1, 2779.975, 2987.011, 3083.234, 3132.22, 3162.988, 2424.884, 1857.648]
)
STD = np.array(
    [
        2106.761,
        2141.107,
        2038.973,
        2134.138,
        2085.321,
        1889.926,
        1820.257,
        1871.918,
        1753.829,
        1797.379,
        1434.261,
        1334.311,
    ]
)


def np_bilinear(x, out_h, out_w):
    """Bilinear resize (align_corners=False, no antialias) of (..., H, W) written from the formula:
    src = (dst + 0.5) * in / out - 0.5, clamped at 0; neighbours i0 = floor(src), i1 = min(i0 + 1, in - 1)."""
    x = np.asarray(x, dtype=np.float64)
    in_h, in_w = x.shape[-2:]

    def coords(n_out, n_in):
        src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
        src = np.maximum(src, 0.0)
        i0 = np.floor(src).astype(int)
        i0 = np.minimum(i0, n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0

    y0, y1, wy = coords(out_h, in_h)
    x0, x1, wx = coords(out_w, in_w)
    top = x[..., y0, :] * (1 - wy)[:, None] + x[..., y1, :] * wy[:, None]
    return top[..., x0] * (1 - wx) + top[..., x1] * wx


def ref_terrafm_s2(raw):
    return np_bilinear(np.clip(raw / 10000.0, 0, 1), 224, 224)


def ref_terrafm_s1(raw):
    out = []
    for chip in raw:
        x = np.log1p(np.maximum(chip.astype(np.float64), 0))
        d = np.percentile(x, 99)
        if not np.isfinite(d) or d <= 0:
            d = 1.0
        out.append(np_bilinear(np.clip(x / d, 0, 1), 224, 224))
    return np.stack(out)


def ref_terramind(raw):
    x = np.nan_to_num(raw.astype(np.float64), nan=0.0)
    x = np.clip(x, 0, 10000)
    x = np_bilinear(x, 224, 224)
    x = (x - MEAN[:, None, None]) / np.maximum(STD, 1e-6)[:, None, None]
    return np.nan_to_num(x, nan=0.0)


def s1_chips(batch=2, h=180, w=250, seed=0):
    rng = np.random.default_rng(seed)
    vv = rng.gamma(2.0, 0.05, (batch, 1, h, w))
    vh = rng.gamma(2.0, 0.012, (batch, 1, h, w))
    x = np.concatenate([vv, vh], axis=1).astype(np.float32)
    x[0, :, :10, :10] = 0.0
    x[-1] *= 7.0  # a brighter chip: per-chip normalisation must differ
    return x


def test_np_bilinear_matches_known_values():
    # 2 -> 4 upsampling, by hand: src = (i + .5) / 2 - .5 = -.25 (-> 0), .25, .75, 1.25 (-> i0=1, i1=1)
    got = np_bilinear(np.array([[0.0, 4.0]]), 1, 4)
    np.testing.assert_allclose(got, [[0.0, 1.0, 3.0, 4.0]])


@pytest.mark.parametrize("shape", [(2, 12, 224, 224), (2, 12, 300, 260), (1, 12, 64, 97)])
def test_terrafm_s2(shape):
    rng = np.random.default_rng(1)
    raw = (rng.random(shape) * 14000 - 1000).astype(np.float32)  # includes < 0 and > 10000
    got = P.terrafm_s2(raw).numpy()
    assert got.shape == (shape[0], 12, 224, 224) and got.dtype == np.float32
    # torch computes source coordinates in float32: ~1e-5 differences from the float64 formula
    # when the scale is not an integer (docs/MODELS.md tolerance: 1e-4)
    np.testing.assert_allclose(got, ref_terrafm_s2(raw), atol=2e-6 if shape[-1] == 224 else 5e-5)
    assert got.min() >= 0 and got.max() <= 1


def test_terrafm_s2_matches_torch_interpolate_semantics():
    raw = realistic_s2_chips(1, 150, seed=3)
    want = torch.nn.functional.interpolate(
        torch.from_numpy(np.clip(raw / 10000.0, 0, 1)),
        size=(224, 224),
        mode="bilinear",
        align_corners=False,
        antialias=False,
    )
    np.testing.assert_allclose(P.terrafm_s2(raw).numpy(), want.numpy(), atol=1e-6)


def test_terrafm_s1_per_chip_percentile():
    raw = s1_chips()
    got = P.terrafm_s1(raw).numpy()
    want = ref_terrafm_s1(raw)
    np.testing.assert_allclose(got, want, atol=5e-5)
    # per chip: the 7x brighter chip is scaled by its own percentile
    assert abs(got[0].mean() - got[1].mean()) < 0.2
    # one chip alone gives the same result as inside a batch
    np.testing.assert_allclose(P.terrafm_s1(raw[1:]).numpy()[0], got[1], atol=1e-7)


def test_terrafm_s1_scale_fallback():
    zeros = np.zeros((1, 2, 32, 32), np.float32)
    np.testing.assert_array_equal(P.terrafm_s1(zeros).numpy(), 0.0)  # d = 0 -> 1
    neg = -np.ones((1, 2, 32, 32), np.float32)  # max(raw, 0) -> 0
    np.testing.assert_array_equal(P.terrafm_s1(neg).numpy(), 0.0)
    assert P.s1_scale(np.array([np.nan, 1.0])) == 1.0


def test_terramind():
    raw = realistic_s2_chips(2, 200, seed=5)
    raw[0, 3, 5:9, 5:9] = np.nan
    raw[1, 0, :4, :4] = 20000.0
    raw[1, 1, :4, :4] = -50.0
    got = P.terramind_s2(raw).numpy()
    np.testing.assert_allclose(got, ref_terramind(raw), atol=1e-4)
    assert np.isfinite(got).all()


def test_terramind_order_clip_before_resize():
    # clip before resize: a single huge outlier must not bleed beyond 10000 into its neighbours
    raw = np.full((1, 12, 112, 112), 1000.0, np.float32)
    raw[0, :, 50, 50] = 1e6
    got = P.terramind_s2(raw).numpy()
    assert got.max() <= ((10000 - MEAN) / STD).max() + 1e-5


def test_preprocess_dispatch():
    raw = realistic_s2_chips(1, 224, seed=0)
    np.testing.assert_array_equal(P.preprocess(MODELS["terrafm_b_s2"], raw).numpy(), P.terrafm_s2(raw).numpy())
    np.testing.assert_array_equal(P.preprocess(MODELS["terramind_v1_base"], raw).numpy(), P.terramind_s2(raw).numpy())
    s1 = s1_chips(1, 224, 224)
    np.testing.assert_array_equal(P.preprocess(MODELS["terrafm_b_s1"], s1).numpy(), P.terrafm_s1(s1).numpy())


def test_db_helpers():
    lin = s1_chips(1)
    db = 10 * np.log10(np.maximum(lin, 1e-6))
    assert P.looks_like_db(db) and not P.looks_like_db(lin)
    assert not P.looks_like_db(np.full((2, 4, 4), np.nan))
    np.testing.assert_allclose(P.db_to_linear(np.array([-10.0, 0.0, 3.0])), [0.1, 1.0, 10**0.3], rtol=1e-6)
    np.testing.assert_allclose(P.db_to_linear(db), np.maximum(lin, 1e-6), rtol=1e-4)
    assert P.db_to_linear(db).dtype == np.float32


def test_reader_converts_db_with_the_tested_function(tmp_path):
    """The 'convert dB to linear' option of a raster source gives db_to_linear's values; a value
    too large for float32 is filled with 0 instead of inf."""
    from pipeline_fakes import write_raster

    from terraembed.engine.pipeline.source import RasterSource

    lin = s1_chips(1, 8, 8)[0]
    db = (10 * np.log10(np.maximum(lin, 1e-6))).astype(np.float32)
    db[:, 0, 0] = 500.0  # 10 ** 50 overflows float32
    path = write_raster(tmp_path / "s1_db.tif", db)
    src = RasterSource(path, 2, s1_db=True, modality="S1")
    with src.open() as reader:
        data, valid = reader.read(0, 0, 8, 8)
    expected = P.db_to_linear(db)
    expected[:, 0, 0] = 0.0
    np.testing.assert_array_equal(data, expected)
    assert valid[1:, 1:].all()


def test_in_place_steps_leave_the_input_and_equal_the_plain_formulas():
    raw = realistic_s2_chips(2, 224, seed=6)
    raw[0, 3, 5:9, 5:9] = np.nan
    raw[1, 0, :4, :4] = np.inf
    raw[1, 1, :4, :4] = -50.0
    before = raw.copy()
    x = torch.from_numpy(raw.copy())
    m = torch.tensor(P.TERRAMIND_V1_S2L2A_MEAN).view(1, -1, 1, 1)
    s = torch.tensor(P.TERRAMIND_V1_S2L2A_STD).view(1, -1, 1, 1)
    plain = torch.nan_to_num((torch.clamp(torch.nan_to_num(x, nan=0.0), 0.0, 1e4) - m) / s, nan=0.0)
    assert torch.equal(P.terramind_s2(raw), plain)
    torch.testing.assert_close(
        P.terrafm_s2(raw), torch.clamp(x / 1e4, 0.0, 1.0), rtol=0, atol=0, equal_nan=True
    )  # the NaN stays NaN (the model input check refuses it)
    for tensor_input in (False, True):
        arg = torch.from_numpy(raw) if tensor_input else raw
        P.terramind_s2(arg)
        P.terrafm_s2(arg)
        np.testing.assert_array_equal(raw, before)
