"""The embed_features job: one pooled vector per feature bounding box (resize preparation)."""

import numpy as np
import pytest
from pipeline_fakes import FakeModel, random_s2, write_raster
from rasterio.warp import transform_bounds

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

X0, Y0 = 400000.0, 5300000.0


def box(col0, row0, col1, row1):
    """Bounds of pixel columns col0..col1-1, rows row0..row1-1 of the 10 m test raster."""
    return [X0 + col0 * 10, Y0 - row1 * 10, X0 + col1 * 10, Y0 - row0 * 10]


def test_features_vectors_and_skips(tmp_path, fake_model):
    data = random_s2(200, 200)
    data[:, 150:, 150:] = 0
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    features = [
        {"id": 1, "bounds": box(10, 20, 60, 50)},  # 50 x 30 px
        {"id": 2, "bounds": box(100, 100, 130, 140)},  # 30 x 40 px
        {"id": 3, "bounds": box(160, 160, 190, 190)},  # all nodata
        {"id": 4, "bounds": [X0 - 5000, Y0, X0 - 4000, Y0 + 1000]},  # outside
        {"id": 5, "bounds": [X0 + 55, Y0 - 55, X0 + 55, Y0 - 55]},  # a point: 1 pixel
        {"id": 6, "bounds": "nonsense"},
        {"id": 7, "bounds": box(10, 20, 60, 50)},  # same size as 1: same batch shape
    ]
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "features": features,
        "features_crs": "EPSG:32633",
        "batch_size": 2,
    }
    result = run_job(job, JobContext())
    assert set(result["vectors"]) == {"1", "2", "3", "4", "5", "6", "7"}
    assert set(result["skipped"]) == {"3", "4", "6"}
    assert "nodata" in result["skipped"]["3"] and "overlap" in result["skipped"]["4"]
    assert result["vectors"]["3"] is None and result["embedded"] == 4 and result["dim"] == 13
    f = data.astype(np.float32)
    for fid, window in (("1", f[:, 20:50, 10:60]), ("2", f[:, 100:140, 100:130]), ("5", f[:, 5:6, 5:6])):
        expected = FakeModel().embed(window[None])[0][0]
        np.testing.assert_allclose(result["vectors"][fid], expected, rtol=1e-5, err_msg=fid)
    assert result["vectors"]["7"] == result["vectors"]["1"]


def test_features_in_another_crs(tmp_path, fake_model):
    data = random_s2(120, 120)
    path = write_raster(tmp_path / "in.tif", data)
    inner = box(20, 20, 60, 60)
    inner = [inner[0] + 1, inner[1] + 1, inner[2] - 1, inner[3] - 1]
    lonlat = transform_bounds("EPSG:32633", "EPSG:4326", *inner)
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "features": [{"id": "a", "bounds": list(lonlat)}],
        "features_crs": "EPSG:4326",
    }
    result = run_job(job, JobContext())
    vec = np.array(result["vectors"]["a"])
    # the window = the whole pixels the lon/lat box's bounding box covers in UTM
    ux0, uy0, ux1, uy1 = transform_bounds("EPSG:4326", "EPSG:32633", *lonlat, densify_pts=21)
    c0, c1 = int(np.floor((ux0 - X0) / 10)), int(np.ceil((ux1 - X0) / 10))
    r0, r1 = int(np.floor((Y0 - uy1) / 10)), int(np.ceil((Y0 - uy0) / 10))
    assert 17 <= c0 <= 20 and 60 <= c1 <= 63 and 17 <= r0 <= 20 and 60 <= r1 <= 63
    expected = FakeModel().embed(data[:, r0:r1, c0:c1].astype(np.float32)[None])[0][0]
    np.testing.assert_allclose(vec, expected, rtol=1e-5)


def test_no_feature_embeddable(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(50, 50))
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "features": [{"id": 1, "bounds": [0, 0, 10, 10]}],
        "features_crs": "EPSG:32633",
    }
    with pytest.raises(UserError, match="None of the 1 feature"):
        run_job(job, JobContext())
    with pytest.raises(UserError, match="no features"):
        run_job(dict(job, features=[]), JobContext())
