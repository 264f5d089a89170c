"""Compare embeddings: the raster that carries the planted classes is ranked above noise and said to
be beyond the folds' spread; the same data on another grid and CRS is within it; every raster is
validated on the same blocks and folds; bad inputs are named."""

import csv

import numpy as np
import pytest
import rasterio
import synthetic
from rasterio.warp import Resampling, calculate_default_transform, reproject

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.report import build
from terraembed.shared.errors import UserError

H, W, D = 60, 60, 32
NAMES = {1: "water", 2: "forest", 3: "urban"}


@pytest.fixture(scope="module")
def rasters(tmp_path_factory):
    """(informative, noise on a 20 m grid, the informative one reprojected to EPSG:4326), labels."""
    folder = tmp_path_factory.mktemp("compare")
    path, labels, invalid = synthetic.planted_raster(folder / "informative.tif", 3, H, W, D, noise=2.5, seed=7)
    rng = np.random.default_rng(1)
    noise = synthetic.write_raster(
        folder / "noise.tif", rng.normal(size=(16, 30, 30)), transform=synthetic.grid_transform(res=20.0)
    )
    with rasterio.open(path) as src:
        tf, w, h = calculate_default_transform(src.crs, "EPSG:4326", src.width, src.height, *src.bounds)
        out = np.full((src.count, h, w), synthetic.NODATA, "float32")
        reproject(
            rasterio.band(src, list(range(1, src.count + 1))),
            out,
            dst_transform=tf,
            dst_crs="EPSG:4326",
            resampling=Resampling.nearest,
            dst_nodata=synthetic.NODATA,
        )
    geographic = synthetic.write_raster(folder / "geographic.tif", out, crs="EPSG:4326", transform=tf)
    items = synthetic.point_labels(labels, invalid, NAMES, 60, rng)
    return [path, noise, geographic], items, labels, invalid


def _compare(rasters, out, items, **kw):
    spec = {"type": "compare", "rasters": [str(p) for p in rasters], "output": str(out), "labels": items}
    spec.update(kw)
    ctx = JobContext()
    return run_job(spec, ctx), ctx, spec


def test_compare_ranks_informative_above_noise(rasters, tmp_path):
    paths, items, _, _ = rasters
    out = tmp_path / "compare.csv"
    result, ctx, spec = _compare(paths, out, items, names=["informative", "noise", "geographic"])
    ranking = {e["name"]: e for e in result["ranking"]}
    assert [e["name"] for e in result["ranking"]][-1] == "noise"
    informative, noise, geographic = ranking["informative"], ranking["noise"], ranking["geographic"]
    assert informative["logistic"]["mean"] >= 0.75 and noise["logistic"]["mean"] <= 0.5  # 3 classes: chance 1/3
    assert informative["knn"]["mean"] > noise["knn"]["mean"] + 0.2
    best = result["ranking"][0]
    assert noise["difference"]["within_spread"] is False and noise["difference"]["low"] > 0
    other = geographic if best is informative else informative  # the same data on another grid: no real difference
    assert other["difference"]["within_spread"] is True
    assert (informative["dimensions"], noise["dimensions"]) == (D, 16)
    assert (informative["cell_size"], noise["cell_size"]) == (10.0, 20.0) and geographic["crs_units"] == "degrees"
    assert informative["cells"] == noise["cells"] == 3 * 60 and informative["features_outside"] == 0
    # the learning curve rises on the informative raster, stays near chance on noise
    curve = informative["learning_curve"]
    assert curve[-1]["accuracy"] >= curve[0]["accuracy"] + 0.15
    assert max(p["accuracy"] for p in noise["learning_curve"]) < 0.5
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["raster"] for r in rows] == [e["name"] for e in result["ranking"]]
    assert rows[-1]["within_folds_spread"] == "no" and rows[0]["difference_to_best"] == ""
    assert float(rows[0]["logistic_accuracy"]) == pytest.approx(best["logistic"]["mean"], abs=1e-6)
    html = build(spec, result, 1.0)
    assert "beyond the folds&#x27; spread" in html and "Learning curve" in html and html.count("<svg") >= 3


def test_compare_same_blocks_and_folds_for_all(rasters, tmp_path):
    """A raster given twice under two names gets identical folds, so identical scores: the folds
    depend on the blocks, not on which raster is validated."""
    paths, items, _, _ = rasters
    result, _, _ = _compare([paths[0], paths[1], paths[0]], tmp_path / "c.csv", items, names=["a", "n", "b"])
    ranking = {e["name"]: e for e in result["ranking"]}
    assert ranking["a"]["logistic"]["fold_accuracy"] == ranking["b"]["logistic"]["fold_accuracy"]
    assert ranking["a"]["knn"]["fold_accuracy"] == ranking["b"]["knn"]["fold_accuracy"]
    assert result["folds"] == 5 and result["block_size"] == 120.0
    assert len(ranking["n"]["logistic"]["fold_accuracy"]) == 5


def test_compare_labels_outside_and_no_overlap(rasters, tmp_path):
    paths, items, labels, invalid = rasters
    tf = synthetic.grid_transform()
    outside = [{"wkt": synthetic.point_wkt(tf, -200, -200), "label": "water"}] * 2
    result, ctx, _ = _compare(paths[:2], tmp_path / "c.csv", items + outside)
    assert all(e["features_outside"] == 2 for e in result["ranking"])
    assert any(
        "2 of the %d labelled features lie outside the raster 'noise'" % (len(items) + 2) in w for w in ctx.warnings
    )
    far = synthetic.write_raster(
        tmp_path / "far.tif",
        np.random.default_rng(0).normal(size=(8, 10, 10)),
        transform=synthetic.grid_transform(origin=(700000.0, 4200000.0)),
    )
    with pytest.raises(UserError, match="The raster 'far' does not overlap the labelled features"):
        _compare([paths[0], far], tmp_path / "c.csv", items)
    assert not (tmp_path / "c2.csv").exists()


def test_compare_bad_inputs(rasters, tmp_path):
    paths, items, _, _ = rasters
    out = tmp_path / "c.csv"
    with pytest.raises(UserError, match="2 or more embedding raster"):
        _compare(paths[:1], out, items)
    with pytest.raises(UserError, match="at least 2 classes"):
        _compare(paths[:2], out, [i for i in items if i["label"] == "water"])
    with pytest.raises(UserError, match="larger than the labelled area.*largest block that works here is"):
        _compare(paths[:2], out, items, validation_block_size=50000)
    lone = [i for i in items if i["label"] != "urban"] + [next(i for i in items if i["label"] == "urban")]
    with pytest.raises(UserError, match="Class 'urban' has a single labelled cell"):
        _compare(paths[:2], out, lone)
    assert not out.exists()
