"""Google's int8 AlphaEarth files (small fakes of its COGs, written with rasterio/GDAL in the documented
layout: 64 bands A00..A63, int8, nodata -128) read as embeddings by every analysis job and the Explore
session: de-quantised by the published formula, -128 nodata; other int8 rasters left as they are."""

import numpy as np
import pytest
import rasterio
import synthetic
from rasterio.windows import Window

from terraembed.engine.analysis import alphaearth, blocks
from terraembed.engine.analysis.explore import ExploreSession
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job

H, W = 40, 50


class Ctx(JobContext):
    def __init__(self):
        self.logs, self.warnings = [], []
        super().__init__(on_log=lambda m, lvl: (self.warnings if lvl == "warning" else self.logs).append(m))


@pytest.fixture(scope="module")
def cog(tmp_path_factory):
    """(path, labels, masked, unit vectors before quantisation) of a fake AlphaEarth COG of 3 classes."""
    labels = synthetic.voronoi_labels(3, H, W, seed=7)
    masked = np.zeros((H, W), dtype=bool)
    masked[:3, :] = True  # a strip the collection masks
    masked[20, 10:15] = True
    path, vectors = synthetic.alphaearth_cog(tmp_path_factory.mktemp("ae") / "aef.tif", labels, masked, seed=7)
    return path, labels, masked, vectors


def _read_all(path, ctx=None, side=16):
    """(values (cells, bands), valid) of a raster read by blocks.read_block in side x side windows."""
    with blocks.open_embedding_raster(path, ctx or Ctx(), "Test") as src:
        values = np.full((src.height * src.width, src.count), np.nan, np.float32)
        valid = np.zeros(src.height * src.width, dtype=bool)
        for window in blocks.iter_windows(src.width, src.height, side):
            v, ok = blocks.read_block(src, window)
            idx = blocks.cell_index(window, src.width).astype(np.int64)
            values[idx], valid[idx] = v, ok
    return values, valid


def test_dequantisation_matches_hand_computed_values():
    codes = np.array([-128, -127, -64, -1, 0, 1, 64, 127], dtype=np.int8)
    # sign(v) * (v / 127.5)^2 worked by hand: (127 / 127.5)^2 = 0.99607843^2, (64 / 127.5)^2 = 0.50196078^2,
    # (1 / 127.5)^2 = 0.00784314^2
    hand = [-0.99217224, -0.25196463, -6.1514802e-05, 0.0, 6.1514802e-05, 0.25196463, 0.99217224]
    out = alphaearth.dequantise(codes)
    assert out.dtype == np.float32 and np.isnan(out[0])  # -128 is nodata
    np.testing.assert_allclose(out[1:], hand, rtol=1e-6, atol=1e-12)


def test_cog_is_dequantised_and_minus_128_is_nodata(cog):
    path, _, masked, vectors = cog
    ctx = Ctx()
    values, valid = _read_all(path, ctx)
    assert np.array_equal(valid, ~masked.reshape(-1))
    assert np.isnan(values[~valid]).all()
    # the publisher's promise: de-quantised, every cell is a unit vector again (the codes are not)
    norms = np.linalg.norm(values[valid], axis=1)
    assert np.abs(norms - 1).max() < 0.02
    np.testing.assert_allclose(values[valid], vectors.reshape(64, -1).T[valid], atol=0.006)
    assert any("AlphaEarth embeddings in Google's int8 distribution" in m and "A00..A63" in m for m in ctx.logs)
    assert not ctx.warnings  # recognised: no "not made by Compute embeddings" warning
    with rasterio.open(path) as src:
        assert alphaearth.embedding_model(src) == "alphaearth"


def _mosaic_vrt(path, tiles, names=True):
    """A VRT mosaic of int8 tiles side by side (as gdalbuildvrt writes one), band names optional."""
    with rasterio.open(tiles[0]) as first:
        t, h, w = first.transform, first.height, first.width
    bands = []
    for b in range(64):
        sources = "".join(
            "<SimpleSource><SourceFilename relativeToVRT='0'>%s</SourceFilename><SourceBand>%d</SourceBand>"
            "<SrcRect xOff='0' yOff='0' xSize='%d' ySize='%d'/><DstRect xOff='%d' yOff='0' xSize='%d' ySize='%d'/>"
            "</SimpleSource>" % (tile, b + 1, w, h, i * w, w, h)
            for i, tile in enumerate(tiles)
        )
        name = "<Description>A%02d</Description>" % b if names else ""
        bands.append(
            "<VRTRasterBand dataType='Int8' band='%d'>%s<NoDataValue>-128</NoDataValue>%s</VRTRasterBand>"
            % (b + 1, name, sources)
        )
    with rasterio.open(tiles[0]) as first:
        srs = first.crs.to_wkt()
    gt = "%r, %r, 0, %r, 0, %r" % (t.c, t.a, t.f, t.e)
    path.write_text(
        "<VRTDataset rasterXSize='%d' rasterYSize='%d'><SRS>%s</SRS><GeoTransform>%s</GeoTransform>%s</VRTDataset>"
        % (w * len(tiles), h, srs.replace("<", "&lt;").replace('"', "&quot;"), gt, "".join(bands))
    )
    return str(path)


@pytest.mark.parametrize("names", [True, False])
def test_vrt_of_two_cogs_is_recognised(tmp_path, names):
    labels = synthetic.voronoi_labels(2, 20, 30, seed=3)
    left, v_left = synthetic.alphaearth_cog(tmp_path / "left.tif", labels, seed=1)
    t = synthetic.grid_transform()
    shifted = rasterio.transform.from_origin(t.c + 300, t.f, 10, 10)
    right, v_right = synthetic.alphaearth_cog(tmp_path / "right.tif", labels, seed=2, transform=shifted)
    vrt = _mosaic_vrt(tmp_path / "mosaic.vrt", [left, right], names)
    ctx = Ctx()
    values, valid = _read_all(vrt, ctx)
    assert valid.all()
    expected = np.concatenate([v_left, v_right], axis=2).reshape(64, -1).T
    np.testing.assert_allclose(values, expected, atol=0.006)
    reason = "A00..A63" if names else "no band names"
    assert any("Google's int8 distribution" in m and reason in m for m in ctx.logs)


@pytest.mark.parametrize(
    "change, reason",
    [
        (dict(bands=tuple("A%02d" % i for i in range(12))), "it has 12 bands"),
        (dict(nodata=0), "its nodata is 0"),
        (dict(bands=tuple("b%d" % i for i in range(64))), "its band 1 is named 'b0', AlphaEarth's is A00"),
    ],
)
def test_an_int8_raster_that_is_not_alphaearth_is_left_alone_and_said(tmp_path, change, reason):
    labels = synthetic.voronoi_labels(2, 12, 16, seed=1)
    path, _ = synthetic.alphaearth_cog(tmp_path / "other.tif", labels, **change)
    with rasterio.open(path) as src:
        codes = src.read().reshape(src.count, -1).T.astype(np.float32)
    ctx = Ctx()
    values, valid = _read_all(path, ctx)
    np.testing.assert_array_equal(values[valid], codes[valid])  # the codes as they are
    said = [m for m in ctx.logs if "not AlphaEarth's int8 distribution" in m]
    assert len(said) == 1 and reason in said[0] and "not de-quantised" in said[0]


def test_similarity_job_on_the_cog_uses_the_dequantised_vectors(cog, tmp_path):
    path, labels, masked, vectors = cog
    reference = [synthetic.point_wkt(synthetic.grid_transform(), r, c) for r, c in ((10, 10), (30, 40), (15, 30))]
    result = run_job(
        {
            "type": "similarity",
            "input": path,
            "output": str(tmp_path / "sim.tif"),
            "reference": {"geometries": reference},
        },
        JobContext(),
    )
    with rasterio.open(result["output"]) as ds:
        sim = ds.read(1)
    unit = vectors.reshape(64, -1).T
    mean = unit[[10 * W + 10, 30 * W + 40, 15 * W + 30]].mean(axis=0)
    oracle = (unit @ mean / np.linalg.norm(mean)).reshape(H, W)
    assert np.isnan(sim[masked]).all()
    assert np.abs(sim[~masked] - oracle[~masked]).max() < 0.02
    with rasterio.open(path) as src:  # the oracle tells the codes apart: used raw, they miss it
        codes = src.read().reshape(64, -1).T.astype(np.float64)
    raw_mean = codes[[10 * W + 10, 30 * W + 40, 15 * W + 30]].mean(axis=0)
    raw = (codes @ raw_mean / np.linalg.norm(codes, axis=1) / np.linalg.norm(raw_mean)).reshape(H, W)
    assert np.abs(raw[~masked] - oracle[~masked]).max() > 0.05


def test_cluster_job_recovers_the_planted_classes_of_the_cog(cog, tmp_path):
    from sklearn.metrics import adjusted_rand_score

    path, labels, masked, _ = cog
    result = run_job({"type": "cluster", "input": path, "output": str(tmp_path / "k.tif"), "k": 3}, JobContext())
    with rasterio.open(result["output"]) as ds:
        classes = ds.read(1)
    assert (classes[masked] == 0).all()
    assert adjusted_rand_score(labels[~masked], classes[~masked]) > 0.99


def test_change_resamples_an_alphaearth_cog_onto_another_grid(tmp_path):
    """'after' is the same embeddings as an int8 COG on a grid shifted by two cells: the change job's
    resampling (a WarpedVRT over the COG) is de-quantised too, so nothing changed."""
    labels = synthetic.voronoi_labels(3, 20, 34, seed=5)
    codes = synthetic.quantise_alphaearth(synthetic.alphaearth_vectors(labels, seed=5))
    before = synthetic.write_raster(tmp_path / "before.tif", alphaearth.dequantise(codes[:, :, :30]), nodata=None)
    t = synthetic.grid_transform()
    after = synthetic.write_alphaearth_cog(
        tmp_path / "after.tif", codes[:, :, 2:], transform=rasterio.transform.from_origin(t.c + 20, t.f, 10, 10)
    )
    result = run_job({"type": "change", "before": before, "after": after, "output": str(tmp_path / "d.tif")}, Ctx())
    assert result["resampled"] is True
    with rasterio.open(result["output"]) as ds:
        distance = ds.read(1)
    assert np.isnan(distance[:, :2]).all()  # outside 'after'
    assert np.abs(distance[:, 2:]).max() < 1e-5


def test_explore_session_loads_the_cog_dequantised(cog):
    path, _, masked, _ = cog
    values, valid = _read_all(path)
    session = ExploreSession(path, Ctx(), storage="float32")
    try:
        assert session.grid() == "alphaearth 64-d"
        assert np.array_equal(session.valid, ~masked.reshape(-1))
        cells = np.nonzero(valid)[0][:50]
        np.testing.assert_allclose(session.vectors(cells), values[cells], atol=1e-6)
    finally:
        session.close()


def test_block_reads_of_a_window_match_a_whole_read(cog):
    path = cog[0]
    whole, ok = _read_all(path, side=256)
    parts, ok2 = _read_all(path, side=7)
    assert np.array_equal(ok, ok2) and np.array_equal(whole[ok], parts[ok])
    with rasterio.open(path) as src:
        v, _ = blocks.read_block(src, Window(0, 0, 5, 5), bands=[3, 4])
    assert v.shape == (25, 2)


def test_a_series_resamples_an_alphaearth_cog_into_its_embedding_values(tmp_path):
    """Two years as Google's int8 COGs, the second on a grid shifted by two cells: the series' resampled file
    holds the de-quantised vectors (not the codes, which once float32 would be read as values) and says it is
    AlphaEarth's, so the analyses read the same embeddings as from the COG itself."""
    from terraembed.engine.pipeline import outputs
    from terraembed.engine.pipeline.series import series_from_rasters
    from terraembed.shared.periods import parse_periods

    labels = synthetic.voronoi_labels(3, 20, 34, seed=5)
    codes = synthetic.quantise_alphaearth(synthetic.alphaearth_vectors(labels, seed=5))
    codes[:, 0, :] = alphaearth.NODATA  # a row the collection masks
    t = synthetic.grid_transform()
    first = synthetic.write_alphaearth_cog(tmp_path / "y2019.tif", codes[:, :, :30])
    second = synthetic.write_alphaearth_cog(
        tmp_path / "y2020.tif", codes[:, :, 2:], transform=rasterio.transform.from_origin(t.c + 20, t.f, 10, 10)
    )
    dest = str(tmp_path / "out" / "series.vrt")
    with outputs.transaction({}, [first, second]) as tx:
        series_from_rasters([first, second], parse_periods("2019,2020"), dest, tx, Ctx())
        tx.commit()
    resampled = str(tmp_path / "out" / "series_2020.tif")
    values, valid = _read_all(resampled)
    truth, truth_valid = _read_all(first)  # the same places: the second year is the first's embeddings
    shape = (20, 30)
    values, valid = values.reshape(shape + (-1,)), valid.reshape(shape)
    truth, truth_valid = truth.reshape(shape + (-1,)), truth_valid.reshape(shape)
    assert not valid[:, :2].any()  # outside the second year's raster
    assert np.array_equal(valid[:, 2:], truth_valid[:, 2:]) and not valid[0].any()
    np.testing.assert_allclose(values[:, 2:][valid[:, 2:]], truth[:, 2:][truth_valid[:, 2:]], atol=1e-6)
    norms = np.linalg.norm(values[valid], axis=1)
    assert np.all(np.abs(norms - 1.0) < 0.05)  # unit vectors, not codes of up to 127
    with rasterio.open(resampled) as src:
        assert alphaearth.embedding_model(src) == "alphaearth" and src.dtypes[0] == "float32"
