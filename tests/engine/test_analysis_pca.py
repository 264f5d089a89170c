"""PCA job on synthetic embedding rasters."""

import json

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError


@pytest.fixture
def raster(tmp_path):
    path, _, invalid = synthetic.planted_raster(tmp_path / "emb.tif", 4, 50, 60, 64, noise=0.3, seed=1)
    return path, invalid


def _pca(path, out, **kw):
    spec = {"type": "pca", "input": str(path), "output": str(out), "components": 3, "seed": 0}
    spec.update(kw)
    return run_job(spec, JobContext())


def test_pca_bands_variance_nodata(raster, tmp_path):
    path, invalid = raster
    out = tmp_path / "pca.tif"
    result = _pca(path, out)
    assert result["output"] == str(out)
    ratio = result["explained_variance_ratio"]
    assert len(ratio) == 3
    assert all(r > 0 for r in ratio) and ratio == sorted(ratio, reverse=True)
    # 4 planted centres: 3 components carry almost all variance
    assert 0.8 < sum(ratio) <= 1.0 + 1e-9
    with rasterio.open(out) as ds:
        assert ds.count == 3 and ds.dtypes[0] == "float32"
        assert (ds.width, ds.height) == (60, 50)
        with rasterio.open(path) as src:
            assert ds.crs == src.crs and ds.transform == src.transform
        data = ds.read()
        assert json.loads(ds.tags()["TERRAEMBED_EXPLAINED_VARIANCE_RATIO"]) == pytest.approx(ratio)
        assert ds.descriptions[0].startswith("PC1")
    assert np.isnan(data[:, invalid]).all()
    assert np.isfinite(data[:, ~invalid]).all()
    # components are uncorrelated over the valid cells
    corr = np.corrcoef(data[:, ~invalid])
    assert np.abs(corr - np.eye(3)).max() < 0.05


def test_pca_all_components_sum_to_one(raster, tmp_path):
    path, _ = raster
    result = _pca(path, tmp_path / "all.tif", components=64)
    assert sum(result["explained_variance_ratio"]) == pytest.approx(1.0, abs=1e-6)
    assert result["cumulative_explained_variance_ratio"][-1] == pytest.approx(1.0, abs=1e-6)


def test_pca_whiten_unit_variance(raster, tmp_path):
    path, invalid = raster
    _pca(path, tmp_path / "w.tif", whiten=True, sample=100000)
    with rasterio.open(tmp_path / "w.tif") as ds:
        data = ds.read()[:, ~invalid]
    assert np.allclose(data.std(axis=1, ddof=1), 1.0, atol=0.02)


def test_pca_reproducible_with_seed_and_sample(raster, tmp_path):
    path, _ = raster
    a = _pca(path, tmp_path / "a.tif", sample=500, seed=3)
    b = _pca(path, tmp_path / "b.tif", sample=500, seed=3)
    c = _pca(path, tmp_path / "c.tif", sample=500, seed=4)
    assert a["explained_variance_ratio"] == b["explained_variance_ratio"]
    assert a["explained_variance_ratio"] != c["explained_variance_ratio"]
    assert a["n_samples"] == 500
    with rasterio.open(tmp_path / "a.tif") as da, rasterio.open(tmp_path / "b.tif") as db:
        np.testing.assert_array_equal(da.read(), db.read())


def test_pca_blockwise_equals_one_block(raster, tmp_path):
    path, _ = raster
    one = _pca(path, tmp_path / "one.tif", block_size=4096, sample=700)
    many = _pca(path, tmp_path / "many.tif", block_size=7, sample=700)
    assert one["explained_variance_ratio"] == pytest.approx(many["explained_variance_ratio"], rel=1e-9)
    with rasterio.open(tmp_path / "one.tif") as d1, rasterio.open(tmp_path / "many.tif") as d2:
        np.testing.assert_allclose(d1.read(), d2.read(), rtol=1e-5, atol=1e-5, equal_nan=True)


def test_pca_too_many_components(raster, tmp_path):
    path, _ = raster
    with pytest.raises(UserError, match="only 64 bands"):
        _pca(path, tmp_path / "x.tif", components=65)
    assert not (tmp_path / "x.tif").exists()
