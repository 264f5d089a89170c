"""Classify job: planted classes are recovered from a few labelled features."""

import csv
import json

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared import catalogue
from terraembed.shared.errors import UserError

H, W, D = 50, 60, 64
NAMES = {1: "water", 2: "forest", 3: "urban"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return synthetic.planted_raster(tmp_path_factory.mktemp("classify") / "emb.tif", 3, H, W, D, noise=1.0, seed=4)


def _training(labels, invalid, per_class=4, seed=0):
    """Points on random valid cells of each class, plus one small polygon per class."""
    rng = np.random.default_rng(seed)
    tf = synthetic.grid_transform()
    items = []
    for c, name in NAMES.items():
        items += synthetic.point_labels(labels, invalid, {c: name}, per_class, rng)
        rows, cols = np.nonzero((labels == c) & ~invalid)
        # a 2x2 polygon around a cell whose 3x3 neighbourhood is all of this class
        for r, cc in zip(rows, cols):
            if 1 <= r < H - 2 and 1 <= cc < W - 2 and (labels[r - 1 : r + 3, cc - 1 : cc + 3] == c).all():
                items.append({"wkt": synthetic.rect_wkt(tf, r, cc, r + 2, cc + 2), "label": name})
                break
    return items


def _classify(path, out, labels, **kw):
    job = {"type": "classify", "input": str(path), "output": str(out), "labels": labels, "seed": 0}
    job.update(kw)
    ctx = JobContext()
    return run_job(job, ctx), ctx


@pytest.mark.parametrize("method", list(catalogue.CLASSIFIERS))  # every classifier the catalogue offers
def test_classify_recovers_planted(planted, tmp_path, method):
    path, labels, invalid = planted
    training = _training(labels, invalid)
    out, prob, report = tmp_path / "cls.tif", tmp_path / "prob.tif", tmp_path / "report.csv"
    result, ctx = _classify(
        path, out, training, method=method, probabilities_output=str(prob), report_output=str(report), k_neighbors=3
    )
    assert result["classes"] == ["water", "forest", "urban"]
    assert result["n_samples"] == 3 * (4 + 4)
    # 5 geometries per class: grouped folds, 5 of them
    assert result["cv_scheme"] == "grouped by feature" and result["cv_folds"] == 5
    assert result["cv_accuracy"] >= 0.9 and len(result["cv_fold_accuracy"]) == 5
    with rasterio.open(out) as ds:
        classes = ds.read(1)
        assert ds.nodata == 0 and ds.dtypes[0] == "uint8"
        named = json.loads(ds.tags()["TERRAEMBED_CLASSES"])
        assert named[0] == "water" and named[2] == "urban"
        assert ds.colormap(1)[1][3] == 255
    assert (classes[invalid] == 0).all()
    accuracy = (classes[~invalid] == labels[~invalid]).mean()  # codes follow first appearance
    assert accuracy >= 0.9
    with rasterio.open(prob) as ds:
        p = ds.read()
        assert ds.count == 3 and ds.descriptions == ("water", "forest", "urban")
    assert np.isnan(p[:, invalid]).all()
    np.testing.assert_allclose(p[:, ~invalid].sum(axis=0), 1.0, atol=1e-5)
    np.testing.assert_array_equal(np.argmax(p[:, ~invalid], axis=0) + 1, classes[~invalid])
    with open(report, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["class"] for r in rows] == ["water", "forest", "urban", "macro avg", "weighted avg", "accuracy"]
    assert float(rows[-1]["f1"]) == pytest.approx(result["cv_accuracy"], abs=1e-6)
    assert all(0 <= float(r["recall"]) <= 1 for r in rows[:3])
    assert sum(result["predicted_cells"].values()) == (~invalid).sum()


def test_classify_folds_reduced_and_cell_scheme(planted, tmp_path):
    path, labels, invalid = planted
    training = _training(labels, invalid, per_class=2)  # 3 geometries per class
    result, ctx = _classify(path, tmp_path / "c.tif", training, cv_folds=5)
    assert result["cv_folds"] == 3 and result["cv_scheme"] == "grouped by feature"
    assert any("3 folds instead of 5" in w for w in ctx.warnings)
    # one polygon per class: folds split cells, with a warning
    polys = [t for t in training if t["wkt"].startswith("POLYGON")]
    result, ctx = _classify(path, tmp_path / "d.tif", polys, cv_folds=5)
    assert result["cv_scheme"] == "stratified by cell" and result["cv_folds"] == 4
    assert any("optimistic" in w for w in ctx.warnings)
    result, _ = _classify(path, tmp_path / "e.tif", polys, cv_folds=0)
    assert result["cv_accuracy"] is None and result["cv_folds"] == 0


def test_classify_reproducible_and_blockwise(planted, tmp_path):
    path, labels, invalid = planted
    training = _training(labels, invalid)
    a, _ = _classify(path, tmp_path / "a.tif", training, block_size=4096, probabilities_output=str(tmp_path / "pa.tif"))
    b, _ = _classify(path, tmp_path / "b.tif", training, block_size=6, probabilities_output=str(tmp_path / "pb.tif"))
    assert a["cv_accuracy"] == b["cv_accuracy"] and a["n_samples"] == b["n_samples"]
    with rasterio.open(tmp_path / "a.tif") as da, rasterio.open(tmp_path / "b.tif") as db:
        np.testing.assert_array_equal(da.read(), db.read())
    with rasterio.open(tmp_path / "pa.tif") as da, rasterio.open(tmp_path / "pb.tif") as db:
        np.testing.assert_allclose(da.read(), db.read(), atol=1e-6)


def test_classify_bad_inputs(planted, tmp_path):
    path, labels, invalid = planted
    training = _training(labels, invalid)
    tf = synthetic.grid_transform()
    water = [t for t in training if t["label"] == "water"]
    with pytest.raises(UserError, match="at least 2 classes"):
        _classify(path, tmp_path / "o.tif", water)
    with pytest.raises(UserError, match="'labels'"):
        _classify(path, tmp_path / "o.tif", [])
    with pytest.raises(UserError, match="The job's 'method' must be one of logistic, knn, got 'svm'"):
        _classify(path, tmp_path / "o.tif", training, method="svm")
    outside = [{"wkt": "POINT (0 0)", "label": "a"}, {"wkt": "POINT (1 1)", "label": "b"}]
    with pytest.raises(UserError, match="None of the 2 labelled features"):
        _classify(path, tmp_path / "o.tif", outside)
    # the second class only on nodata cells (rows 0-1) -> dropped -> fewer than 2 classes
    nodata_class = water + [{"wkt": synthetic.rect_wkt(tf, 0, 0, 2, 5), "label": "cloud"}]
    with pytest.raises(UserError, match="needs at least 2 classes"):
        _classify(path, tmp_path / "o.tif", nodata_class)
    # ... but with two real classes it is dropped with a warning
    result, ctx = _classify(path, tmp_path / "o.tif", training + nodata_class[-1:])
    assert result["dropped_classes"] == ["cloud"] and result["classes"] == list(NAMES.values())
    assert any("cloud" in w for w in ctx.warnings)
