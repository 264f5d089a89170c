"""The embed job with a transparent fake model: georeference, stitching, nodata, AOI handling,
errors, cancel, streaming and PCA. (test_pipeline_models.py runs the real models.)"""

import json
import math
import os
import threading

import numpy as np
import pytest
import rasterio
from pipeline_fakes import FakeModel, embed_job, random_s2, record_pooled, write_raster
from rasterio.transform import from_origin
from rasterio.warp import transform_bounds

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import source as source_module
from terraembed.engine.pipeline.outputs import MAX_BLOCK_COLS, GridWriter, block_width, raster_bytes
from terraembed.engine.pipeline.tiling import plan_tiles
from terraembed.shared.errors import Cancelled, UserError

ORIGIN = (400000.0, 5300000.0)


def cell_means(data, r, c, patch=16):
    """Per-band mean of the 16 x 16 pixel block of cell (r, c), edge-replicated past the array."""
    h, w = data.shape[1:]
    rows = np.minimum(np.arange(r * patch, r * patch + patch), h - 1)
    cols = np.minimum(np.arange(c * patch, c * patch + patch), w - 1)
    return data[:, rows][:, :, cols].reshape(data.shape[0], -1).mean(axis=1)


def test_tile_grid_georeference_and_values(tmp_path, fake_model):
    data = random_s2(300, 500)
    path = write_raster(tmp_path / "in.tif", data)
    result = run_job(embed_job(path, tmp_path), JobContext())
    with rasterio.open(result["grid"]) as g:
        assert g.count == fake_model.spec.dim
        assert (g.height, g.width) == (19, 32)  # ceil(300/16), ceil(500/16)
        assert g.transform == from_origin(ORIGIN[0], ORIGIN[1], 160.0, 160.0)
        assert g.crs.to_epsg() == 32633
        assert g.dtypes[0] == "float32" and math.isnan(g.nodata)
        assert g.descriptions[0] == "emb_000" and g.descriptions[-1] == "emb_%03d" % (fake_model.spec.dim - 1)
        tags = g.tags()
        assert tags["TERRAEMBED_MODEL"] == "fake_s2" and "tile" in tags["TERRAEMBED_PREPROCESSING"]
        grid = g.read()
    assert result["grid_shape"] == [19, 32] and result["cells"] == 19 * 32
    assert result["cell_size"] == [160.0, 160.0]
    assert result["bounds"] == [ORIGIN[0], ORIGIN[1] - 19 * 160.0, ORIGIN[0] + 32 * 160.0, ORIGIN[1]]
    assert result["chips"] == 6 and result["prep"] == "tile"
    # every cell, including those owned by the shifted last chips and the partial edge cells,
    # holds the mean of its own 16 x 16 pixels
    for r in range(19):
        for c in range(32):
            np.testing.assert_allclose(
                grid[:12, r, c], cell_means(data.astype(np.float32), r, c), rtol=1e-5, err_msg="cell %d,%d" % (r, c)
            )


def test_small_input_padded_by_edge_replication(tmp_path, fake_model):
    data = random_s2(40, 50)
    path = write_raster(tmp_path / "in.tif", data)
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert fake_model.batches == [(1, 12, 224, 224)]
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
    assert grid.shape[1:] == (3, 4)
    np.testing.assert_allclose(grid[:12, 2, 3], cell_means(data.astype(np.float32), 2, 3), rtol=1e-5)


def test_nodata_cells_and_weighted_pooled_mean(tmp_path, fake_model):
    data = random_s2(300, 260)
    data[:, :, :40] = 0  # columns 0..39: cells 0, 1 all nodata, cell 2 half
    data[:, 250:, :] = 0  # rows 250..299: last rows
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    seen = record_pooled(fake_model)
    result = run_job(embed_job(path, tmp_path), JobContext())
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
    assert np.isnan(grid[:, :, :2]).all()
    assert not np.isnan(grid[:, :15, 2]).any()  # cell column 2 has valid pixels 40..47
    assert np.isnan(grid[:, 16:, 2:]).all()  # rows >= 256 px: all nodata
    assert not np.isnan(grid[:, 15, 2:]).any()  # row 15 = pixels 240..255, 240..249 valid
    assert result["cells"] == int((~np.isnan(grid[0])).sum())
    # manual pooled mean: chips (0,0), (0,36 cells->2), (4 cells->64 px, ...) with their owned
    # valid pixel counts
    from terraembed.engine.pipeline.tiling import plan_tiles

    plan = plan_tiles(300, 260)
    valid = (data != 0).any(axis=0)
    pooled = np.concatenate(seen)
    weights, vectors = [], []
    modelled = 0
    for chip in plan.chips:
        r0, c0, nr, nc = chip.owned_cells
        w = int(valid[r0 * 16 : (r0 + nr) * 16, c0 * 16 : (c0 + nc) * 16].sum())
        if w:
            weights.append(w)
            vectors.append(pooled[modelled])
            modelled += 1
    assert modelled == len(pooled) == result["chips"]
    expected = (np.array(weights)[:, None] * np.array(vectors, np.float64)).sum(0) / sum(weights)
    np.testing.assert_allclose(result["pooled"], expected, rtol=1e-6)


def test_all_nodata_chip_is_not_run(tmp_path, fake_model):
    data = random_s2(230, 460)
    data[:, :, :240] = 0  # the first column of chips has no valid pixel
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert result["chips"] == 2 * 2  # 2 x 3 chips, the 2 left ones skipped
    assert sum(b[0] for b in fake_model.batches) == 4


def test_resize_mode_grid_covers_aoi(tmp_path, fake_model):
    data = random_s2(100, 140)
    path = write_raster(tmp_path / "in.tif", data)
    result = run_job(embed_job(path, tmp_path, prep="resize"), JobContext())
    assert fake_model.batches == [(1, 12, 100, 140)]
    with rasterio.open(result["grid"]) as g:
        assert (g.height, g.width) == (14, 14)
        assert g.transform == from_origin(ORIGIN[0], ORIGIN[1], 1400.0 / 14, 1000.0 / 14)
    assert result["bounds"] == [ORIGIN[0], ORIGIN[1] - 1000.0, ORIGIN[0] + 1400.0, ORIGIN[1]]
    assert result["prep"] == "resize" and result["chips"] == 1 and result["cells"] == 196


def test_auto_prep(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(200, 224))
    assert run_job(embed_job(path, tmp_path, prep="auto"), JobContext())["prep"] == "resize"
    path = write_raster(tmp_path / "in2.tif", random_s2(200, 225))
    assert run_job(embed_job(path, tmp_path, prep="auto"), JobContext())["prep"] == "tile"


def test_aoi_in_another_crs(tmp_path, fake_model):
    data = random_s2(300, 300)
    path = write_raster(tmp_path / "in.tif", data)
    # a UTM box of pixels rows 32..159, cols 64..223 (multiple of 16), given in lon/lat
    box = (ORIGIN[0] + 640, ORIGIN[1] - 1600, ORIGIN[0] + 2240, ORIGIN[1] - 320)
    inner = [box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1]
    lonlat = transform_bounds("EPSG:32633", "EPSG:4326", *inner)
    result = run_job(embed_job(path, tmp_path, aoi={"bounds": list(lonlat), "crs": "EPSG:4326"}), JobContext())
    x0, y0, x1, y1 = result["bounds"]
    # the lon/lat box's bounding box in UTM is slightly larger than the UTM box (its edges curve)
    assert box[0] - 40 <= x0 <= box[0] and box[3] <= y1 <= box[3] + 40
    assert result["cell_size"] == [160.0, 160.0]
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
        col_off = int(round((x0 - ORIGIN[0]) / 10))
        row_off = int(round((ORIGIN[1] - y1) / 10))
    np.testing.assert_allclose(
        grid[:12, 0, 0], cell_means(data[:, row_off:, col_off:].astype(np.float32), 0, 0), rtol=1e-5
    )


def test_aoi_same_crs_window(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(300, 300))
    aoi = {"bounds": [ORIGIN[0] + 105, ORIGIN[1] - 995, ORIGIN[0] + 1995, ORIGIN[1] - 5], "crs": "EPSG:32633"}
    result = run_job(embed_job(path, tmp_path, aoi=aoi, prep="resize"), JobContext())
    # pixels touched: cols 10..199 (190 px), rows 0..99 (100 px)
    assert result["bounds"] == [ORIGIN[0] + 100, ORIGIN[1] - 1000, ORIGIN[0] + 2000, ORIGIN[1]]
    assert FakeModel.__name__ and result["cell_size"] == [1900.0 / 14, 1000.0 / 14]


@pytest.mark.parametrize(
    "bounds, message",
    [
        ([300000.0, 5000000.0, 301000.0, 5001000.0], "does not overlap"),
        ([400100.0, 5299900.0, 400105.0, 5299905.0], "smaller than one pixel"),
    ],
)
def test_aoi_errors(tmp_path, fake_model, bounds, message):
    path = write_raster(tmp_path / "in.tif", random_s2(100, 100))
    with pytest.raises(UserError, match=message):
        run_job(embed_job(path, tmp_path, aoi={"bounds": bounds, "crs": "EPSG:32633"}), JobContext())
    assert not fake_model.open_calls  # checked before the model is loaded
    assert os.listdir(tmp_path) == ["in.tif"]


def test_all_nodata_in_aoi(tmp_path, fake_model):
    data = random_s2(300, 300)
    data[:, :, :150] = 0
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    aoi = {"bounds": [ORIGIN[0], ORIGIN[1] - 3000, ORIGIN[0] + 1400, ORIGIN[1]], "crs": "EPSG:32633"}
    for prep in ("tile", "resize"):
        with pytest.raises(UserError, match="no valid pixels"):
            run_job(embed_job(path, tmp_path, aoi=aoi, prep=prep), JobContext())
    assert os.listdir(tmp_path) == ["in.tif"]


def test_nodata_override_and_scale(tmp_path, fake_model):
    data = random_s2(64, 64).astype(np.float32) / 10000.0
    data[:, :16, :16] = -1
    path = write_raster(tmp_path / "in.tif", data)
    result = run_job(embed_job(path, tmp_path, source={"scale": 10000, "nodata": -1}), JobContext())
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
    assert np.isnan(grid[:, 0, 0]).all() and result["cells"] == 15
    np.testing.assert_allclose(grid[:12, 1, 1], cell_means(data * 10000, 1, 1), rtol=1e-4)
    assert not any("reflectance 0..1" in w for w in result["warnings"])
    result = run_job(embed_job(path, tmp_path, source={"nodata": -1}), JobContext())
    assert any("scale factor" in w for w in result["warnings"])


def test_band_selection_and_errors(tmp_path, fake_model):
    data = random_s2(32, 32, bands=13)
    path = write_raster(tmp_path / "in.tif", data)
    with pytest.raises(UserError, match="needs 12 bands but the raster .* has 13"):
        run_job(embed_job(path, tmp_path), JobContext())
    with pytest.raises(UserError, match="do not exist"):
        run_job(embed_job(path, tmp_path, source={"bands": list(range(3, 15))}), JobContext())
    with pytest.raises(UserError, match="12 bands; 2 were chosen"):
        run_job(embed_job(path, tmp_path, source={"bands": [1, 2]}), JobContext())
    bands = [13] + list(range(2, 13))
    result = run_job(embed_job(path, tmp_path, source={"bands": bands}), JobContext())
    with rasterio.open(result["grid"]) as g:
        np.testing.assert_allclose(g.read(1)[0, 0], cell_means(data[[12]].astype(np.float32), 0, 0)[0], rtol=1e-5)


def test_geographic_raster_is_warped_to_utm(tmp_path, fake_model):
    data = random_s2(200, 260)
    # 0.0001 deg pixels at 45.6 N, 15.2 E (UTM zone 33)
    path = write_raster(tmp_path / "in.tif", data, crs="EPSG:4326", transform=from_origin(15.2, 45.6, 0.0001, 0.0001))
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert rasterio.crs.CRS.from_wkt(result["crs"]).to_epsg() == 32633
    px = result["cell_size"][0] / 16
    assert px == result["cell_size"][1] / 16
    assert 7.0 < px < 11.5  # ~7.8 m east-west, ~11.1 m north-south source pixels
    assert any("warped to EPSG:32633" in w for w in result["warnings"])
    with rasterio.open(result["grid"]) as g:
        assert g.crs.to_epsg() == 32633
    # a lon/lat AOI on a lon/lat raster also ends in UTM
    aoi = {"bounds": [15.205, 45.585, 15.215, 45.595], "crs": "EPSG:4326"}
    result = run_job(embed_job(path, tmp_path, aoi=aoi), JobContext())
    x0, y0, x1, y1 = result["bounds"]
    lon0, lat0, lon1, lat1 = transform_bounds("EPSG:32633", "EPSG:4326", x0, y0, x1, y1)
    assert abs(lon0 - 15.205) < 0.0005 and abs(lat1 - 45.595) < 0.0005


def test_unwritable_destination_fails_before_work(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    job = embed_job(path, tmp_path, outputs={"grid": str(blocker / "sub" / "grid.tif")})
    with pytest.raises(UserError, match="is a file, not a folder"):
        run_job(job, JobContext())
    job = embed_job(path, tmp_path, outputs={"grid": str(tmp_path / "ok.tif"), "pca": str(blocker / "pca.tif")})
    with pytest.raises(UserError, match="PCA raster"):
        run_job(job, JobContext())
    assert not fake_model.open_calls
    assert sorted(os.listdir(tmp_path)) == ["afile", "in.tif"]


def test_cancel_mid_run_leaves_no_output(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(700, 700))
    out = tmp_path / "out"
    cancel = threading.Event()
    stages = []

    def on_progress(fraction, stage):
        stages.append(stage)
        if stage == "infer" and fraction > 0.1:
            cancel.set()

    ctx = JobContext(on_progress=on_progress, cancel_event=cancel)
    job = embed_job(
        path,
        out,
        outputs={"grid": str(out / "grid.tif"), "pca": str(out / "pca.tif"), "input_copy": str(out / "input.tif")},
    )
    with pytest.raises(Cancelled):
        run_job(job, ctx)
    assert "infer" in stages
    assert sum(b[0] for b in fake_model.batches) < 16  # stopped within a batch, not at the end
    assert not os.path.exists(out)  # no output, no temporary, not even the folder it made


def test_model_error_leaves_no_output(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(500, 500))

    def broken(raw):
        if len(fake_model.batches) >= 1:
            raise UserError("model says no")
        fake_model.batches.append(raw.shape)
        return FakeModel.embed(fake_model, raw)

    fake_model.embed = broken
    with pytest.raises(UserError, match="model says no"):
        run_job(
            embed_job(path, tmp_path, outputs={"grid": str(tmp_path / "g.tif"), "pca": str(tmp_path / "p.tif")}),
            JobContext(),
        )
    assert os.listdir(tmp_path) == ["in.tif"]


def test_reads_are_windowed(tmp_path, fake_model, monkeypatch):
    path = write_raster(tmp_path / "in.tif", random_s2(600, 700))
    windows = []
    real_read = source_module.WindowReader.read

    def spy(self, row_off, col_off, height, width):
        windows.append((height, width))
        return real_read(self, row_off, col_off, height, width)

    monkeypatch.setattr(source_module.WindowReader, "read", spy)
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert result["chips"] == 3 * 4
    # a batch's chips on one row of chips in one window (GDAL decodes the blocks they share once): never
    # more than one chip high nor more than a batch of chips wide, every chip's columns read once
    batch = fake_model.default_batch_size
    assert all(h <= 224 and w <= batch * 224 for h, w in windows)
    assert len(windows) < 12
    chips = plan_tiles(600, 700).chips
    assert sum(h * w for h, w in windows) <= sum(c.pixel_window[2] * c.pixel_window[3] for c in chips)


class WriteRecorder:
    """A rasterio dataset that records the (first row, rows) of every window written to it."""

    def __init__(self, ds):
        object.__setattr__(self, "ds", ds)
        object.__setattr__(self, "writes", [])

    def __getattr__(self, name):
        return getattr(self.ds, name)

    def __setattr__(self, name, value):
        setattr(self.ds, name, value)

    def write(self, data, window):
        self.writes.append((window.row_off, window.height))
        self.ds.write(data, window=window)


def test_grid_writer_streams_rows_in_order(tmp_path, monkeypatch):
    """Rows reach the file in whole block rows (16) as they arrive, so memory holds at most one
    block row beyond the rows just given; the rest is written on close."""
    path = str(tmp_path / "g.tif")
    real_open = rasterio.open
    recorders = []

    def recording_open(p, mode="r", **kw):
        ds = real_open(p, mode, **kw)
        if mode == "w":
            recorders.append(WriteRecorder(ds))
            return recorders[-1]
        return ds

    monkeypatch.setattr(rasterio, "open", recording_open)
    w = GridWriter(path, 3, 40, 5, from_origin(0, 100, 1, 1), "EPSG:32633", compress="none")
    written = recorders[0].writes
    w.write_rows(0, np.zeros((3, 14, 5)))
    assert written == []  # less than a block row: held
    w.write_rows(14, np.ones((3, 14, 5)))
    assert written == [(0, 16)]  # one block row written
    with pytest.raises(ValueError):
        w.write_rows(30, np.ones((3, 14, 5)))
    w.write_rows(28, np.full((3, 12, 5), 2.0))
    assert written == [(0, 16), (16, 16)]
    w.close()
    assert written == [(0, 16), (16, 16), (32, 8)]
    monkeypatch.undo()
    with rasterio.open(path) as g:
        a = g.read()
    assert (a[:, :14] == 0).all() and (a[:, 14:28] == 1).all() and (a[:, 28:] == 2).all()


@pytest.mark.parametrize("width", [1, 20, 686, 1024, 1025, 2100, 10980])
def test_grid_blocks_pad_under_16_columns_per_block(width):
    bx = block_width(width)
    tiles = math.ceil(width / bx)
    assert bx % 16 == 0 and bx <= MAX_BLOCK_COLS
    assert tiles == math.ceil(width / MAX_BLOCK_COLS)  # no more blocks than the widest allow
    assert 0 <= tiles * bx - width < 16 * tiles


def test_grid_is_uncompressed_by_default_and_deflate_on_request(tmp_path, fake_model):
    """The default grid is written at its raw size (blocks pad under 16 columns each); "deflate"
    gives the same values in a smaller file where cells are empty; the PCA is the same either way."""
    data = random_s2(768, 1700, seed=5)  # 48 x 107 cells: whole 16-row blocks
    data[:, :, :900] = 0  # nodata: the left half's cells are empty (NaN)
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    grids = {}
    for name in ("none", "deflate"):
        out = {"grid": str(tmp_path / (name + ".tif")), "pca": str(tmp_path / (name + "-pca.tif"))}
        if name == "deflate":
            out["grid_compression"] = name
        run_job(embed_job(path, tmp_path, outputs=out), JobContext())
        with rasterio.open(out["grid"]) as g, rasterio.open(out["pca"]) as p:
            assert g.block_shapes[0] == (16, block_width(g.width))
            assert (g.compression.name if g.compression else "none") == name
            grids[name] = (g.read(), p.read(), os.path.getsize(out["grid"]))
    (plain, pca, plain_size), (packed, packed_pca, packed_size) = grids["none"], grids["deflate"]
    np.testing.assert_array_equal(packed, plain)
    np.testing.assert_array_equal(packed_pca, pca)
    dim, rows, cols = plain.shape
    assert (rows, cols, block_width(cols)) == (48, 107, 112)
    assert raster_bytes(cols, rows, dim) == dim * rows * 112 * 4  # the raw cells and 5 columns of padding
    assert 0 < plain_size - raster_bytes(cols, rows, dim) < 16384  # the free-space estimate, but the header
    assert packed_size < 0.75 * plain_size  # the empty half compresses


@pytest.mark.parametrize("rows, cols", [(1, 1), (20, 37), (33, 1030)])
def test_free_space_estimate_covers_the_padded_blocks(tmp_path, rows, cols):
    """The space a job reserves for an uncompressed grid is what the file takes but for its header,
    edge blocks (padded to 16 rows and to the block width) included."""
    path = str(tmp_path / "grid.tif")
    writer = GridWriter(path, 4, rows, cols, from_origin(0, 0, 10, 10), "EPSG:32633", compress="none")
    writer.write_rows(0, np.ones((4, rows, cols), np.float32))
    writer.close()
    assert raster_bytes(cols, rows, 4) >= 4 * rows * cols * 4
    assert 0 < os.path.getsize(path) - raster_bytes(cols, rows, 4) < 16384


def test_unknown_grid_compression_is_refused_before_work(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    job = embed_job(path, tmp_path, outputs={"grid": str(tmp_path / "g.tif"), "grid_compression": "zip"})
    with pytest.raises(UserError, match="The job's 'outputs.grid_compression' must be one of none, deflate, got 'zip'"):
        run_job(job, JobContext())
    assert not fake_model.open_calls
    assert os.listdir(tmp_path) == ["in.tif"]


def test_pca_output(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(300, 400, seed=3), nodata=0)
    out = {"grid": None, "pca": str(tmp_path / "pca.tif"), "pca_components": 3}
    result = run_job(embed_job(path, tmp_path, outputs=out), JobContext())
    assert result["grid"] is None and result["pca"] == out["pca"]
    ev = result["explained_variance"]
    assert len(ev) == 3 and ev[0] >= ev[1] >= ev[2] >= 0 and sum(ev) <= 1 + 1e-9
    with rasterio.open(out["pca"]) as p:
        assert p.count == 3 and (p.height, p.width) == (19, 25)
        assert p.transform == from_origin(ORIGIN[0], ORIGIN[1], 160.0, 160.0)
        assert p.colorinterp[0].name == "red"
        assert json.loads(p.tags()["TERRAEMBED_EXPLAINED_VARIANCE_RATIO"]) == pytest.approx(ev, abs=1e-6)
        assert "STATISTICS_MINIMUM" in p.tags(1)
        scores = p.read().reshape(3, -1)
    # scores are centred, uncorrelated, with variances in the fitted order
    np.testing.assert_allclose(scores.mean(axis=1), 0, atol=1e-3 * scores.std())
    cov = np.cov(scores)
    assert abs(cov[0, 1]) < 1e-3 * cov[0, 0] and cov[0, 0] >= cov[1, 1] >= cov[2, 2]
    # only the scratch grid was written, and it is gone; the STAC sidecar is named after the PCA
    assert sorted(os.listdir(tmp_path)) == ["in.tif", "pca.stac.json", "pca.tif"]


def _pca_convention(path):
    """What a PCA raster says about itself, in the form both PCA writers share."""
    with rasterio.open(path) as p:
        data = p.read()
        tags = p.tags()
        ratio = json.loads(tags["TERRAEMBED_EXPLAINED_VARIANCE_RATIO"])
        assert (
            len(json.loads(tags["TERRAEMBED_EXPLAINED_VARIANCE"]))
            == p.count
            == int(tags["TERRAEMBED_PCA_COMPONENTS"])
            == 3
        )
        assert int(tags["TERRAEMBED_PCA_FITTED_CELLS"]) > 0
        assert list(p.descriptions) == ["PC%d (%.1f%%)" % (i + 1, 100 * r) for i, r in enumerate(ratio)]
        assert [c.name for c in p.colorinterp] == ["red", "green", "blue"]
        for i in range(3):
            band = p.tags(i + 1)
            valid = data[i][np.isfinite(data[i])].astype(np.float64)
            assert float(band["TERRAEMBED_EXPLAINED_VARIANCE_RATIO"]) == pytest.approx(ratio[i], abs=1e-6)
            assert float(band["STATISTICS_MINIMUM"]) == pytest.approx(valid.min(), rel=1e-4, abs=1e-4)
            assert float(band["STATISTICS_MAXIMUM"]) == pytest.approx(valid.max(), rel=1e-4, abs=1e-4)
            assert float(band["STATISTICS_MEAN"]) == pytest.approx(
                valid.mean(), rel=1e-3, abs=1e-3 * float(valid.std())
            )
        return {k for k in tags if "PCA" in k or "variance" in k}, sorted(p.tags(1))


def test_both_pca_writers_follow_one_convention(tmp_path, fake_model):
    """Compute embeddings' PCA output and the pca job on its grid describe themselves alike:
    descriptions, explained-variance tags, band statistics, PC1..PC3 as RGB."""
    path = write_raster(tmp_path / "in.tif", random_s2(300, 400, seed=3), nodata=0)
    out = {"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "pca.tif"), "pca_components": 3}
    run_job(embed_job(path, tmp_path, outputs=out), JobContext())
    run_job(
        {"type": "pca", "input": out["grid"], "output": str(tmp_path / "job_pca.tif"), "components": 3}, JobContext()
    )
    embed_keys = _pca_convention(out["pca"])
    job_keys = _pca_convention(tmp_path / "job_pca.tif")
    assert embed_keys == job_keys
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".aux.xml")]


def test_pca_with_fewer_cells_than_components(tmp_path, fake_model):
    data = random_s2(64, 64)
    data[:, :, 20:] = 0  # 2 valid cell columns x 4 rows = 8 valid cells... keep 2 cells:
    data[:, 16:, :] = 0  # row 0 only: cells (0,0), (0,1)
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    out = {"grid": str(tmp_path / "g.tif"), "pca": str(tmp_path / "pca.tif"), "pca_components": 5}
    result = run_job(embed_job(path, tmp_path, outputs=out), JobContext())
    assert result["cells"] == 2
    assert any("fewer than the 5 PCA components" in w for w in result["warnings"])
    assert result["explained_variance"][1:] == [0.0] * 4
    with rasterio.open(out["pca"]) as p:
        a = p.read()
    assert a.shape[0] == 5 and np.isfinite(a[:, 0, :2]).all() and (a[1:, 0, :2] == 0).all()
    for bad in (0, 65, 99):
        with pytest.raises(UserError, match="between 1 and 64, got %d" % bad):
            run_job(embed_job(path, tmp_path, outputs=dict(out, pca_components=bad)), JobContext())


def test_input_copy(tmp_path, fake_model):
    data = random_s2(100, 120)
    data[:, :5, :5] = 0
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    aoi = {"bounds": [ORIGIN[0], ORIGIN[1] - 500, ORIGIN[0] + 600, ORIGIN[1]], "crs": "EPSG:32633"}
    out = {"grid": None, "input_copy": str(tmp_path / "input.tif")}
    result = run_job(embed_job(path, tmp_path, aoi=aoi, outputs=out), JobContext())
    with rasterio.open(result["input_copy"]) as c:
        assert (c.count, c.height, c.width) == (12, 50, 60)
        a = c.read()
        assert c.transform == from_origin(ORIGIN[0], ORIGIN[1], 10, 10)
    assert np.isnan(a[:, :5, :5]).all()
    np.testing.assert_array_equal(a[:, 5:, 5:], data[:, 5:50, 5:60].astype(np.float32))


def test_input_copy_is_a_cog_with_averaged_overviews(tmp_path, fake_model):
    """The model-input copy as the fetched imagery is written (engine/pipeline/cog.write_cog's IMAGERY layout:
    pixel interleaved 256 x 256 tiles, DEFLATE, averaged overviews, NaN cells left out), its tags and band
    names kept, streamed in the job's temporary folder and gone after the run. GDAL's own COG validator:
    tests/shell/test_cog_stac.py."""
    data = random_s2(40, 600)
    data[:, :2, :4] = 0  # two whole cells of the first overview are nodata
    data[:, 10, 11] = 0  # one cell of another: the mean of the other three
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    work = tmp_path / "work"
    work.mkdir()
    out = {"grid": None, "input_copy": str(tmp_path / "input.tif")}
    result = run_job(embed_job(path, tmp_path, outputs=out), JobContext(work_dir=str(work)))
    with rasterio.open(result["input_copy"]) as c:
        assert c.overviews(1) == [2, 4] and c.compression.name == "deflate"
        assert c.block_shapes[0] == (256, 256) and c.profile["interleave"] == "pixel"
        assert math.isnan(c.nodata) and all(c.descriptions) and "TERRAEMBED_INPUT" in c.tags()
        a = c.read()
        half = c.read(out_shape=(12, 20, 300))
    assert np.isnan(a[:, :2, :4]).all() and np.isnan(a[:, 10, 11]).all()
    np.testing.assert_array_equal(a, np.where(data == 0, np.nan, data.astype(np.float32)))
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):  # the all-NaN blocks stay NaN
        expected = np.nanmean(a.reshape(12, 20, 2, 300, 2), axis=(2, 4))
    np.testing.assert_allclose(half, expected, rtol=1e-5, equal_nan=True)
    assert np.isnan(half[:, 0, :2]).all() and np.isfinite(half[:, 5, 5]).all()
    assert os.listdir(work) == []


def test_resolution_and_web_mercator_warnings(tmp_path, fake_model):
    path = write_raster(
        tmp_path / "coarse.tif", random_s2(40, 40), transform=from_origin(ORIGIN[0], ORIGIN[1], 60.0, 60.0)
    )
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert any("pixels are 60 m" in w for w in result["warnings"])
    # 10 m nominal Web Mercator pixels at 60 N are 5 m on the ground
    path = write_raster(
        tmp_path / "merc.tif",
        random_s2(40, 40),
        crs="EPSG:3857",
        transform=from_origin(1113195.0, 8399738.0, 10.0, 10.0),
    )
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert any("Web Mercator" in w and "5 m on the ground" in w for w in result["warnings"])
    path = write_raster(tmp_path / "fine.tif", random_s2(40, 40))
    assert run_job(embed_job(path, tmp_path), JobContext())["warnings"] == []


def test_progress_is_monotonic_through_the_stages(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(500, 500))
    seen = []
    ctx = JobContext(on_progress=lambda f, s: seen.append((f, s)))
    out = {"grid": str(tmp_path / "g.tif"), "pca": str(tmp_path / "p.tif"), "input_copy": str(tmp_path / "i.tif")}
    run_job(embed_job(path, tmp_path, outputs=out), ctx)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    stages = [s for _, s in seen]
    assert {"read", "infer", "pca", "write"} <= set(stages)
    assert stages.index("read") < stages.index("infer") < stages.index("pca") < stages.index("write")
