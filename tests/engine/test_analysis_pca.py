"""PCA job on synthetic embedding rasters."""

import json
import os
import threading

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import Cancelled, UserError


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


def test_pca_is_a_cloud_optimized_geotiff_like_the_embed_jobs(tmp_path):
    """Written as the embed job writes its PCA (engine/pipeline/cog.write_cog): DEFLATE, averaged overviews
    (the raster's longer side halved down to 256 cells), the tags and colours kept, the raster streamed in
    the job's temporary folder gone after the run. GDAL's own COG validator: tests/shell/test_cog_stac.py."""
    path, _, invalid = synthetic.planted_raster(tmp_path / "wide.tif", 3, 40, 600, 8, noise=0.3, seed=2)
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "pca.tif"
    spec = {"type": "pca", "input": str(path), "output": str(out), "components": 3, "seed": 0}
    run_job(spec, JobContext(work_dir=str(work)))
    with rasterio.open(out) as cog:
        assert cog.overviews(1) == [2, 4] and cog.compression.name == "deflate"
        assert cog.profile["interleave"] == "band" and cog.block_shapes[0][0] == 16
        assert [c.name for c in cog.colorinterp] == ["red", "green", "blue"]
        assert cog.tags()["TERRAEMBED_SOURCE"] == str(path) and cog.descriptions[0].startswith("PC1")
        data = cog.read()
        half = cog.read(out_shape=(3, 20, 300))  # the first overview: the mean of each 2 x 2 block
    assert np.isnan(data[:, invalid]).all() and np.isfinite(data[:, ~invalid]).all()
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):  # all-NaN blocks stay NaN
        expected = np.nanmean(data.reshape(3, 20, 2, 300, 2), axis=(2, 4))
    np.testing.assert_allclose(half, expected, rtol=1e-5, atol=1e-5, equal_nan=True)
    assert os.listdir(work) == []  # the streamed raster was the job's temporary file


def test_a_cancelled_pca_leaves_nothing(raster, tmp_path):
    path, _ = raster
    out = tmp_path / "cancelled.tif"
    work = tmp_path / "work"
    work.mkdir()
    cancel = threading.Event()

    def on_progress(fraction, stage):
        if stage == "write":  # the components streamed, before the COG copy
            cancel.set()

    ctx = JobContext(on_progress=on_progress, cancel_event=cancel, work_dir=str(work))
    spec = {"type": "pca", "input": str(path), "output": str(out), "components": 3}
    with pytest.raises(Cancelled):
        run_job(spec, ctx)
    assert sorted(os.listdir(tmp_path)) == ["emb.tif", "work"] and os.listdir(work) == []
