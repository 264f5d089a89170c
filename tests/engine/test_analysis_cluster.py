"""Cluster job: planted clusters are recovered."""

import json

import numpy as np
import pytest
import rasterio
import synthetic
from sklearn.metrics import adjusted_rand_score

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

K = 5


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return synthetic.planted_raster(tmp_path_factory.mktemp("cluster") / "emb.tif", K, 50, 60, 64, noise=0.4, seed=2)


def _cluster(path, out, **kw):
    spec = {"type": "cluster", "input": str(path), "output": str(out), "k": K, "seed": 0}
    spec.update(kw)
    return run_job(spec, JobContext())


def _read(out):
    with rasterio.open(out) as ds:
        return ds.read(1), ds


def test_cluster_recovers_planted(planted, tmp_path):
    path, labels, invalid = planted
    out = tmp_path / "c.tif"
    result = _cluster(path, out)
    assert result["k"] == K and result["inertia"] > 0
    with rasterio.open(out) as ds:
        classes = ds.read(1)
        assert ds.dtypes[0] == "uint8" and ds.nodata == 0
        cmap = ds.colormap(1)
        assert cmap[1][3] == 255 and cmap[0][3] == 0
        assert len({cmap[c] for c in range(1, K + 1)}) == K
        assert json.loads(ds.tags()["TERRAEMBED_CLASSES"])[0] == "cluster 1"
    assert (classes[invalid] == 0).all()
    assert set(np.unique(classes[~invalid])) == set(range(1, K + 1))
    assert adjusted_rand_score(labels[~invalid], classes[~invalid]) >= 0.9
    assert sum(result["cluster_cells"]) == (~invalid).sum()
    # class 1 is the largest cluster
    assert result["cluster_cells"][0] == max(result["cluster_cells"])


def test_cluster_auto_k_finds_planted(planted, tmp_path):
    path, labels, invalid = planted
    out = tmp_path / "auto.tif"
    result = _cluster(path, out, k="auto", k_range=[2, 8])
    assert result["k"] == K
    assert set(result["silhouette"]) == {str(k) for k in range(2, 9)}
    assert max(result["silhouette"], key=lambda k: result["silhouette"][k]) == str(K)
    classes, _ = _read(out)
    assert adjusted_rand_score(labels[~invalid], classes[~invalid]) >= 0.9
    none_k = _cluster(path, tmp_path / "none.tif", k=None, k_range=[4, 6])
    assert none_k["k"] == K


def test_cluster_reproducible_and_blockwise(planted, tmp_path):
    path, _, _ = planted
    a = _cluster(path, tmp_path / "a.tif", sample=800, block_size=4096)
    b = _cluster(path, tmp_path / "b.tif", sample=800, block_size=9)
    assert a["inertia"] == pytest.approx(b["inertia"], rel=1e-9)
    np.testing.assert_array_equal(_read(tmp_path / "a.tif")[0], _read(tmp_path / "b.tif")[0])


def test_cluster_k_larger_than_valid_cells(tmp_path):
    data = np.random.default_rng(0).normal(size=(8, 4, 4)).astype("float32")
    data[:, :3, :] = synthetic.NODATA  # 4 valid cells
    path = synthetic.write_raster(tmp_path / "small.tif", data)
    with pytest.raises(UserError, match="larger than the number"):
        _cluster(path, tmp_path / "o.tif", k=5)
    assert not (tmp_path / "o.tif").exists()
    assert _cluster(path, tmp_path / "o.tif", k=4)["k"] == 4


def test_cluster_bad_k_range(planted, tmp_path):
    path, _, _ = planted
    with pytest.raises(UserError, match="k_range"):
        _cluster(path, tmp_path / "o.tif", k="auto", k_range=[5, 2])
    with pytest.raises(UserError, match="k_range"):
        _cluster(path, tmp_path / "o.tif", k="auto", k_range=[1, 3])
