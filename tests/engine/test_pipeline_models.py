"""The embed and embed_features jobs with the real models (random weights) on the sample rasters:
the stitched grid and pooled vector equal what the model gives chip by chip."""

import os

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import common
from terraembed.engine.pipeline.tiling import plan_tiles
from terraembed.models.loader import load_model

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, os.pardir, os.pardir, "sample")
S2 = os.path.join(SAMPLE, "s2_sample.tif")
S1 = os.path.join(SAMPLE, "s1_sample.tif")
WEIGHTS = {"random_init": True, "seed": 7}


@pytest.fixture(scope="module")
def terrafm():
    """One random-weights TerraFM-B (S2), loaded once for the module."""
    return load_model("terrafm_b_s2", weights=WEIGHTS)


@pytest.fixture
def preloaded(monkeypatch, terrafm):
    """Serve the loaded TerraFM for terrafm_b_s2 jobs (loading takes seconds)."""
    real = common.open_model

    def open_model(asked, ctx):
        if asked.model == "terrafm_b_s2":
            return terrafm
        return real(asked, ctx)

    monkeypatch.setattr(common, "open_model", open_model)
    return terrafm


def read_all(path):
    with rasterio.open(path) as ds:
        return ds.read().astype(np.float32), ds.nodata


def test_tiled_sample_equals_chip_by_chip(tmp_path, preloaded):
    model = preloaded
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": S2},
        "aoi": None,
        "model": "terrafm_b_s2",
        "prep": "tile",
        "weights": WEIGHTS,
        "batch_size": 3,
        "outputs": {"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "pca.tif"), "pca_components": 3},
        "tags": {"TEST_TAG": "yes"},
    }
    result = run_job(job, JobContext())
    data, nodata = read_all(S2)
    valid = ~(data == nodata).all(axis=0)
    data[:, ~valid] = 0
    plan = plan_tiles(*data.shape[1:])
    assert (plan.grid_rows, plan.grid_cols) == (18, 20) and len(plan) == 4
    expected_grid = np.full((768, 18, 20), np.nan, np.float32)
    weighted, total = np.zeros(768), 0
    for chip in plan.chips:
        r0, c0, h, w = chip.pixel_window
        pooled, grid = model.embed(data[None, :, r0 : r0 + h, c0 : c0 + w])
        rr, cc, nr, nc = chip.owned_cells
        rs, cs = chip.owned_slice
        expected_grid[:, rr : rr + nr, cc : cc + nc] = grid[0][:, rs, cs]
        weight = valid[rr * 16 : (rr + nr) * 16, cc * 16 : (cc + nc) * 16].sum()
        weighted += weight * pooled[0].astype(np.float64)
        total += weight
    cell_valid = valid.reshape(18, 16, 20, 16).any(axis=(1, 3))
    expected_grid[:, ~cell_valid] = np.nan
    with rasterio.open(result["grid"]) as g:
        assert g.count == 768 and g.crs.to_epsg() == 32633
        assert g.transform == from_origin(400000.0, 5300000.0, 160.0, 160.0)
        assert g.tags()["TEST_TAG"] == "yes" and g.tags()["TERRAEMBED_MODEL"] == "terrafm_b_s2"
        assert "random" in g.tags()["TERRAEMBED_WEIGHTS"].lower()
        grid = g.read()
    np.testing.assert_array_equal(np.isnan(grid), np.isnan(expected_grid))
    np.testing.assert_allclose(grid, expected_grid, atol=2e-4, equal_nan=True)
    np.testing.assert_allclose(result["pooled"], weighted / total, atol=2e-4)
    assert result["cells"] == int(cell_valid.sum()) < 18 * 20  # the nodata wedge
    assert result["dim"] == 768 and result["modality"] == "S2" and result["chips"] == 4
    with rasterio.open(result["pca"]) as p:
        assert p.count == 3 and p.shape == (18, 20)
    assert len(result["explained_variance"]) == 3


def test_resize_sample_s1_through_the_loader(tmp_path):
    """terrafm_b_s1 loaded by the job itself (random weights), resize preparation, S1 sample."""
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": S1},
        "aoi": {"bounds": [400000.0, 5297120.0, 401000.0, 5298000.0], "crs": "EPSG:32633"},
        "model": "terrafm_b_s1",
        "precision": "fp32",  # compared with load_model's default, the exact reference
        "prep": "auto",
        "weights": WEIGHTS,
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }
    result = run_job(job, JobContext())
    assert result["prep"] == "resize" and result["modality"] == "S1" and result["dim"] == 768
    assert result["bounds"] == [400000.0, 5297120.0, 401000.0, 5298000.0]
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
        assert g.shape == (14, 14)
    # the south-west nodata wedge is inside this AOI: some cells are nodata, the rest are not
    nan_cells = np.isnan(grid).all(axis=0)
    assert 0 < nan_cells.sum() < 196 and result["cells"] == 196 - nan_cells.sum()
    assert nan_cells[-1, 0] and not nan_cells[0, -1]
    data, nodata = read_all(S1)
    chip = data[:, 200:288, 0:100]
    chip[:, (chip == nodata).all(axis=0)] = 0
    model = load_model("terrafm_b_s1", weights=WEIGHTS)
    pooled, _ = model.embed(chip[None])
    np.testing.assert_allclose(result["pooled"], pooled[0], atol=1e-4)


def test_features_real_model_mixed_sizes(preloaded):
    model = preloaded
    x0, y0 = 400000.0, 5300000.0
    boxes = {"a": (10, 20, 60, 50), "b": (100, 100, 130, 140), "c": (200, 40, 260, 70)}
    features = [
        {"id": k, "bounds": [x0 + c0 * 10, y0 - r1 * 10, x0 + c1 * 10, y0 - r0 * 10]}
        for k, (c0, r0, c1, r1) in boxes.items()
    ]
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": S2},
        "model": "terrafm_b_s2",
        "weights": WEIGHTS,
        "features": features,
        "features_crs": "EPSG:32633",
    }
    result = run_job(job, JobContext())
    data, _ = read_all(S2)
    for k, (c0, r0, c1, r1) in boxes.items():
        pooled, _ = model.embed(data[None, :, r0:r1, c0:c1])
        np.testing.assert_allclose(result["vectors"][k], pooled[0], atol=1e-4, err_msg=k)
    assert result["skipped"] == {}
