"""The embed job on several sensors (TerraMind S2 + S1 + DEM) with the transparent fake model: one
raster per sensor (same grid, or resampled onto the S2 grid), one stacked raster with a band choice,
and the bad inputs (a missing sensor, rasters that do not overlap, S1 in dB, a DEM in feet or with
holes). The real TerraMind model runs once at the end."""

import numpy as np
import pytest
import rasterio
from pipeline_fakes import FakeModel, random_s2, use_fake_model, write_raster
from rasterio.transform import from_origin
from rasterio.warp import Resampling, reproject
from test_pipeline_embed import cell_means

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.models.preprocessing import TERRAMIND_V1_DEM_MEAN
from terraembed.shared.errors import UserError

ORIGIN = (400000.0, 5300000.0)
H, W = 240, 260


@pytest.fixture
def fake(monkeypatch):
    model = FakeModel(modality="S2+S1+DEM")
    use_fake_model(monkeypatch, model)
    return model


def s1_linear(h, w, seed=1):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    vv = 0.05 + 0.03 * np.sin(yy / 13.0) * np.cos(xx / 19.0) + rng.normal(0, 0.002, (h, w))
    return np.stack([vv, vv * 0.25]).astype(np.float32)


def dem(h, w):
    yy, xx = np.mgrid[0:h, 0:w]
    return (250.0 + 0.8 * yy + 0.3 * xx)[None].astype(np.float32)


def rasters(tmp_path, s1_transform=None, dem_transform=None, s1=None, dem_data=None, dem_nodata=None):
    s2 = random_s2(H, W)
    paths = {
        "S2": write_raster(tmp_path / "s2.tif", s2, nodata=0),
        "S1": write_raster(tmp_path / "s1.tif", s1_linear(H, W) if s1 is None else s1, transform=s1_transform),
        "DEM": write_raster(
            tmp_path / "dem.tif",
            dem(H, W) if dem_data is None else dem_data,
            transform=dem_transform,
            nodata=dem_nodata,
        ),
    }
    return s2, paths


def job(tmp_path, paths, **source):
    spec = {
        "kind": "raster",
        "path": paths["S2"],
        "sensors": {s: {"path": paths[s]} for s in ("S1", "DEM") if s in paths},
    }
    spec.update(source)
    return {
        "type": "embed",
        "source": spec,
        "model": "fake",
        "prep": "tile",
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }


def read_grid(path):
    with rasterio.open(path) as g:
        return g.read(), g.transform, g.tags()


def test_one_raster_per_sensor_on_the_same_grid(tmp_path, fake):
    s2, paths = rasters(tmp_path)
    result = run_job(job(tmp_path, paths), JobContext())
    grid, transform, tags = read_grid(result["grid"])
    assert grid.shape == (16, 15, 17) and transform == from_origin(ORIGIN[0], ORIGIN[1], 160.0, 160.0)
    stacked = np.concatenate([s2.astype(np.float32), s1_linear(H, W), dem(H, W)])
    for r, c in ((0, 0), (7, 9), (14, 16)):
        np.testing.assert_allclose(grid[:15, r, c], cell_means(stacked, r, c), rtol=1e-5)
    assert fake.batches[0][1] == 15
    assert "S1: " in tags["TERRAEMBED_INPUT"] and "DEM: " in tags["TERRAEMBED_INPUT"]
    assert result["modality"] == "S2+S1+DEM" and len(result["pooled"]) == 16


def test_sensor_on_another_grid_is_resampled_onto_the_s2_grid(tmp_path, fake):
    """A 20 m S1 raster with another origin: read bilinearly onto the S2 10 m grid, and the log says so."""
    s1_transform = from_origin(ORIGIN[0] - 35.0, ORIGIN[1] + 45.0, 20.0, 20.0)
    s1 = s1_linear(H // 2 + 10, W // 2 + 10)
    s2, paths = rasters(tmp_path, s1_transform=s1_transform, s1=s1)
    ctx = JobContext()
    logs = []
    ctx.log = lambda m: logs.append(m)
    result = run_job(job(tmp_path, paths), ctx)
    assert any("Sentinel-1 raster" in m and "resampled (bilinear) onto the Sentinel-2 grid" in m for m in logs)
    expected = np.zeros((2, H, W), np.float32)
    reproject(
        s1,
        expected,
        src_transform=s1_transform,
        src_crs="EPSG:32633",
        dst_transform=from_origin(ORIGIN[0], ORIGIN[1], 10.0, 10.0),
        dst_crs="EPSG:32633",
        resampling=Resampling.bilinear,
    )
    grid, _, _ = read_grid(result["grid"])
    for r, c in ((1, 1), (8, 10)):
        np.testing.assert_allclose(grid[12:14, r, c], cell_means(expected, r, c), rtol=1e-3)
    assert "(resampled)" in result["source"] or "resampled" in read_grid(result["grid"])[2]["TERRAEMBED_INPUT"]


def test_stacked_raster_with_a_band_choice(tmp_path, fake):
    """One raster holding all three sensors, in another band order: bands choose them in model order;
    the scale factor (S2 stored as 0..1) applies to the S2 bands only."""
    s2 = random_s2(H, W).astype(np.float32) / 10000.0
    data = np.concatenate([dem(H, W), s1_linear(H, W), s2])  # DEM, VV, VH, B1..B12
    path = write_raster(tmp_path / "stack.tif", data)
    bands = list(range(4, 16)) + [2, 3, 1]
    result = run_job(job(tmp_path, {"S2": path}, bands=bands, scale=10000.0), JobContext())
    grid, _, _ = read_grid(result["grid"])
    expected = np.concatenate([s2 * 10000.0, s1_linear(H, W), dem(H, W)])
    np.testing.assert_allclose(grid[:15, 5, 6], cell_means(expected, 5, 6), rtol=1e-4)


def test_stacked_raster_matched_by_band_names(tmp_path, fake):
    names = ["B%d" % i for i in (1, 2, 3, 4, 5, 6, 7, 8)] + ["B8A", "B9", "B11", "B12"]
    data = np.concatenate([s1_linear(H, W), random_s2(H, W).astype(np.float32), dem(H, W)])
    path = write_raster(tmp_path / "named.tif", data, descriptions=["VV", "VH"] + names + ["elevation"])
    result = run_job(job(tmp_path, {"S2": path}), JobContext())
    grid, _, _ = read_grid(result["grid"])
    expected = np.concatenate([data[2:14], data[:2], data[14:]])
    np.testing.assert_allclose(grid[:15, 3, 3], cell_means(expected, 3, 3), rtol=1e-5)


def test_a_missing_sensor_names_the_parameter(tmp_path, fake):
    _, paths = rasters(tmp_path)
    with pytest.raises(UserError) as e:
        run_job(job(tmp_path, {"S2": paths["S2"], "S1": paths["S1"]}), JobContext())
    msg = str(e.value)
    assert "needs Sentinel-2 + Sentinel-1 + DEM" in msg and "INPUT_DEM" in msg and "has 12 band(s)" in msg
    with pytest.raises(UserError, match=r"\(INPUT_S1\) and the DEM raster \(INPUT_DEM\)"):
        run_job(job(tmp_path, {"S2": paths["S2"]}), JobContext())
    assert not (tmp_path / "grid.tif").exists()


def test_rasters_that_do_not_overlap(tmp_path, fake):
    far = from_origin(ORIGIN[0] + 50000.0, ORIGIN[1], 10.0, 10.0)
    _, paths = rasters(tmp_path, dem_transform=far)
    with pytest.raises(UserError, match="DEM raster .* does not overlap the area of interest"):
        run_job(job(tmp_path, paths), JobContext())
    assert not (tmp_path / "grid.tif").exists()


def test_dem_holes_get_the_pretraining_mean_and_a_warning(tmp_path, fake):
    d = dem(H, W)
    d[:, :, :130] = -9999.0  # the left half: nodata
    _, paths = rasters(tmp_path, dem_data=d, dem_nodata=-9999.0)
    ctx = JobContext()
    result = run_job(job(tmp_path, paths), ctx)
    assert any("DEM raster covers 50% of the area" in w and "670.665 m" in w for w in ctx.warnings)
    grid, _, _ = read_grid(result["grid"])
    assert grid[14, 3, 2] == pytest.approx(TERRAMIND_V1_DEM_MEAN[0], rel=1e-6)  # in the hole
    np.testing.assert_allclose(grid[14, 3, 12], cell_means(dem(H, W), 3, 12)[0], rtol=1e-5)
    assert result["cells"] == 15 * 17  # validity is the S2 raster's


def test_partial_s1_coverage_fills_zero(tmp_path, fake):
    """Where the S1 raster ends, S1 is 0 (no backscatter; TerraMind's normalisation turns it into the
    pre-training mean)."""
    s1 = s1_linear(H, W // 2)
    _, paths = rasters(tmp_path, s1=s1)
    ctx = JobContext()
    result = run_job(job(tmp_path, paths), ctx)
    assert any("Sentinel-1 raster covers 50% of the area" in w for w in ctx.warnings)
    grid, _, _ = read_grid(result["grid"])
    assert grid[12, 5, 15] == 0.0 and grid[12, 5, 2] > 0


def test_dem_in_feet_is_converted_when_its_unit_says_so(tmp_path, fake):
    _, paths = rasters(tmp_path, dem_data=dem(H, W) / 0.3048)
    with rasterio.open(paths["DEM"], "r+") as ds:
        ds.units = ("ft",)
    logs = []
    ctx = JobContext()
    ctx.log = lambda m: logs.append(m)
    result = run_job(job(tmp_path, paths), ctx)
    assert any("in feet" in m and "converted to metres" in m for m in logs)
    grid, _, _ = read_grid(result["grid"])
    np.testing.assert_allclose(grid[14, 4, 4], cell_means(dem(H, W), 4, 4)[0], rtol=1e-5)


def test_s1_said_to_be_db_but_linear(tmp_path, fake):
    _, paths = rasters(tmp_path)
    spec = job(tmp_path, paths)
    spec["source"]["sensors"]["S1"]["s1_db"] = True
    with pytest.raises(UserError, match="said to be in dB .* look linear"):
        run_job(spec, JobContext())
    db = 10 * np.log10(s1_linear(H, W))
    _, paths = rasters(tmp_path / "db", s1=db)
    spec = job(tmp_path, paths)
    spec["source"]["sensors"]["S1"]["s1_db"] = True  # dB, said so: converted to linear
    result = run_job(spec, JobContext())
    grid, _, _ = read_grid(result["grid"])
    np.testing.assert_allclose(grid[12:14, 2, 2], cell_means(s1_linear(H, W), 2, 2), rtol=1e-4)


def test_sensor_rasters_refused_for_a_single_sensor_model(tmp_path, monkeypatch):
    use_fake_model(monkeypatch, FakeModel())
    _, paths = rasters(tmp_path)
    with pytest.raises(UserError, match="extra sensor rasters"):
        run_job(job(tmp_path, paths), JobContext())


def test_real_terramind_s2_s1_dem_through_the_job(tmp_path, terramind_tiny_weights):
    """The real model: grid, pooled and PCA as for one sensor, the pooled vector equal to the model's
    own embedding of the stacked chip (resize mode: one chip)."""
    from terraembed.models.loader import load_model

    s2, paths = rasters(tmp_path)
    spec = job(tmp_path, paths)
    spec.update(
        model="terramind_v1_tiny_s2_s1_dem",
        prep="resize",
        weights={"path": terramind_tiny_weights},
        precision="fp32",  # compared with load_model's default, the exact reference
        outputs={
            "grid": str(tmp_path / "grid.tif"),
            "pca": str(tmp_path / "pca.tif"),
            "pca_components": 3,
            "input_copy": str(tmp_path / "input.tif"),
        },
    )
    result = run_job(spec, JobContext())
    assert result["dim"] == 192 and result["grid_shape"] == [14, 14] and result["modality"] == "S2+S1+DEM"
    with rasterio.open(result["pca"]) as p:
        assert p.count == 3
    stacked = np.concatenate([s2.astype(np.float32), s1_linear(H, W), dem(H, W)])[None]
    with rasterio.open(result["input_copy"]) as copy:  # the model input: every sensor's bands, in order
        assert copy.descriptions[11:] == ("B12", "VV", "VH", "DEM")
        np.testing.assert_allclose(copy.read(), stacked[0], rtol=1e-6)
    pooled, grid = load_model("terramind_v1_tiny_s2_s1_dem", weights={"path": terramind_tiny_weights}).embed(stacked)
    np.testing.assert_allclose(result["pooled"], pooled[0], atol=1e-5)
    written, _, _ = read_grid(result["grid"])
    np.testing.assert_allclose(written, grid[0], atol=1e-5)


def test_dask_workers_read_every_sensor(tmp_path, terramind_tiny_weights):
    """On a Dask cluster (local:1) the workers open the same sensor stack (the S1 raster resampled
    there too): the outputs equal this process's run."""
    from test_distributed import assert_same_outputs

    s1_transform = from_origin(ORIGIN[0], ORIGIN[1], 20.0, 20.0)
    _, paths = rasters(tmp_path, s1_transform=s1_transform, s1=s1_linear(H // 2, W // 2))
    del paths["DEM"]
    model = {
        "model": "terramind_v1_tiny_s2_s1",
        "weights": {"path": terramind_tiny_weights},
        "device": "cpu",
        "batch_size": 1,
    }
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    local = run_job(dict(job(tmp_path / "a", paths), **model), JobContext())
    remote = run_job(dict(job(tmp_path / "b", paths), scheduler="local:1", **model), JobContext())
    assert_same_outputs(local, remote)
    assert remote["chips"] == 4


def test_features_job_on_separate_sensor_rasters(tmp_path, fake):
    """embed_features reads each feature's window from every sensor's own raster."""
    s2, paths = rasters(tmp_path)
    x0, y0 = ORIGIN
    feature = {"id": "f", "bounds": [x0 + 200.0, y0 - 700.0, x0 + 500.0, y0 - 300.0]}  # cols 20..50, rows 30..70
    spec = job(tmp_path, paths)
    spec = {
        "type": "embed_features",
        "source": spec["source"],
        "model": "fake",
        "features": [feature],
        "features_crs": "EPSG:32633",
    }
    result = run_job(spec, JobContext())
    stacked = np.concatenate([s2.astype(np.float32), s1_linear(H, W), dem(H, W)])
    expected = FakeModel(modality="S2+S1+DEM").embed(stacked[None, :, 30:70, 20:50])[0][0]
    np.testing.assert_allclose(result["vectors"]["f"], expected, rtol=1e-5)


def test_sensor_raster_whose_bands_cannot_be_matched(tmp_path, fake):
    _, paths = rasters(tmp_path, s1=np.concatenate([s1_linear(H, W), s1_linear(H, W)[:1]]))  # 3 unnamed bands
    with pytest.raises(UserError, match="Sentinel-1 raster .* has 3 band.s., none named VV, VH"):
        run_job(job(tmp_path, paths), JobContext())
    spec = job(tmp_path, paths)
    spec["source"]["sensors"]["S1"]["bands"] = [1, 2]  # or chosen
    assert run_job(spec, JobContext())["chips"] == 4
