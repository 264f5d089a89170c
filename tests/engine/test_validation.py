"""Spatial validation (engine/analysis/validation.py) in Few-shot classification: blocks that never put
neighbouring cells on both sides, the interval across folds, macro F1, the learning curve and the bad
inputs, on rasters with planted classes."""

import csv
import math
import re

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.analysis import validation
from terraembed.engine.analysis.classify import read_training
from terraembed.engine.analysis.geometries import parse_wkt
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared import catalogue
from terraembed.shared.errors import UserError
from terraembed.shared.jobs.classify import ClassifyJob

H, W, D, RES = 60, 60, 32, 10.0
NAMES = {1: "water", 2: "forest", 3: "urban"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Three planted classes with enough noise that a few labelled cells do not separate them."""
    path, labels, invalid = synthetic.planted_raster(
        tmp_path_factory.mktemp("validation") / "emb.tif", 3, H, W, D, noise=2.5, seed=7
    )
    items = synthetic.point_labels(labels, invalid, NAMES, 60, 0)
    return path, labels, invalid, items


def _classify(path, out, labels, **kw):
    job = {"type": "classify", "input": str(path), "output": str(out), "labels": labels, "seed": 0}
    job.update(kw)
    ctx = JobContext()
    return run_job(job, ctx), ctx


def _training(path, items):
    geoms = [parse_wkt(item["wkt"]) for item in items]
    names = list(dict.fromkeys(item["label"] for item in items))
    feature_class = np.array([names.index(item["label"]) for item in items])
    with rasterio.open(path) as src:
        training = read_training(src, geoms, feature_class, names, 20000, 0, 256, JobContext())
    return training, geoms


def _block_of_cell(cell, size, origin):
    """The oracle's block of a cell: its row and column on the synthetic grid, placed by hand."""
    row, col = divmod(int(cell), W)
    x0, y0 = synthetic.grid_transform()[2], synthetic.grid_transform()[5]
    x, y = x0 + (col + 0.5) * RES, y0 - (row + 0.5) * RES
    return math.floor((x - origin[0]) / size), math.floor((y - origin[1]) / size)


@pytest.mark.parametrize("size", [0.0, 50.0, 120.0])
def test_spatial_blocks_never_split_a_block(planted, size):
    path, _, _, items = planted
    training, geoms = _training(path, items)
    origin = validation.labels_origin(geoms)
    with rasterio.open(path) as src:
        folds = validation.make_folds("blocks", training, src, origin, size, 5, 0, JobContext())
    assert folds.n == 5 and folds.block_size == (size or 120.0)
    for train, test in folds.splits():
        assert len(test) and len(train) + len(test) == len(training.y)
        train_blocks = {_block_of_cell(c, folds.block_size, origin) for c in training.cells[train]}
        for cell in training.cells[test]:  # cell by cell: no training cell shares its block
            assert _block_of_cell(cell, folds.block_size, origin) not in train_blocks
    # the same check catches validation by cell, which does put neighbours on both sides
    with rasterio.open(path) as src:
        by_cell = validation.make_folds("cell", training, src, origin, 0, 5, 0, JobContext())
    train, test = by_cell.splits()[0]
    train_blocks = {_block_of_cell(c, 120.0, origin) for c in training.cells[train]}
    assert any(_block_of_cell(c, 120.0, origin) in train_blocks for c in training.cells[test])


def test_classify_spatial_blocks_interval_f1_and_curve(planted, tmp_path):
    path, _, _, items = planted
    report = tmp_path / "acc.csv"
    result, ctx = _classify(path, tmp_path / "c.tif", items, validation="blocks", report_output=str(report))
    assert result["validation"] == "blocks" and result["validation_block_size"] == 120.0
    assert result["cv_scheme"] == "spatial blocks of 120 map units" and result["cv_folds"] == 5
    mean, (lo, hi) = result["cv_accuracy_mean"], result["cv_accuracy_interval"]
    assert mean == pytest.approx(np.mean(result["cv_fold_accuracy"]))
    half = 2.776 * np.std(result["cv_fold_accuracy"], ddof=1) / math.sqrt(5)  # t(0.975, 4 degrees of freedom)
    assert lo == pytest.approx(mean - half, abs=1e-3) and hi == pytest.approx(mean + half, abs=1e-3)
    assert 0.6 < mean < 0.98 and 0.5 < result["macro_f1"] <= 1.0
    assert any("Spatial blocks of 120 map units (automatic" in m for m in _logs(path, tmp_path, items))
    # the learning curve rises on the informative raster, and its last point is the whole training
    curve = result["learning_curve"]
    sizes = [p["cells_per_class"] for p in curve]
    assert sizes == sorted(sizes) and sizes[0] == 2 and sizes[-1] == 60
    assert curve[-1]["accuracy"] == pytest.approx(mean)
    assert curve[-1]["accuracy"] >= curve[0]["accuracy"] + 0.2
    with open(report, newline="") as f:
        rows = {r["class"]: r for r in csv.DictReader(f)}
    assert float(rows["accuracy"]["fold_low_95"]) == pytest.approx(lo, abs=1e-6)
    assert float(rows["accuracy"]["fold_high_95"]) == pytest.approx(hi, abs=1e-6)
    assert float(rows["macro avg"]["f1"]) == pytest.approx(result["macro_f1"], abs=1e-6)


def _logs(path, tmp_path, items):
    logs = []
    ctx = JobContext(on_log=lambda message, level: logs.append(message))
    run_job(
        {
            "type": "classify",
            "input": str(path),
            "output": str(tmp_path / "l.tif"),
            "labels": items,
            "validation": "blocks",
        },
        ctx,
    )
    return logs


def test_classify_by_cell_is_said_optimistic(planted, tmp_path):
    path, _, _, items = planted
    result, ctx = _classify(path, tmp_path / "c.tif", items, validation="cell")
    assert result["cv_scheme"] == "stratified by cell" and result["validation_block_size"] is None
    assert any("optimistic" in w for w in ctx.warnings)


def test_single_feature_or_cell_classes_are_named(planted, tmp_path):
    path, _, _, items = planted
    urban = [i for i in items if i["label"] == "urban"]
    one_point = [i for i in items if i["label"] != "urban"] + urban[:1]
    result, ctx = _classify(path, tmp_path / "c.tif", one_point)
    assert result["cv_accuracy"] is None
    assert any("Class 'urban' has a single labelled geometry" in w for w in ctx.warnings)
    assert any(
        "skipped: class 'urban' has a single labelled cell; every class needs at least 2" in w for w in ctx.warnings
    )


def test_spatial_blocks_bad_inputs(planted, tmp_path):
    path, labels, invalid, items = planted
    out = tmp_path / "o.tif"
    # blocks larger than the area: said, with the largest block that works (which does work)
    with pytest.raises(UserError, match="larger than the labelled area") as err:
        _classify(path, out, items, validation="blocks", validation_block_size=100000)
    message = str(err.value)
    assert "'water'" in message and "single block" in message
    largest = float(re.search(r"largest block that works here is ([0-9.]+)", message).group(1))
    assert 10.0 <= largest < 600.0 and largest % RES == 0
    result, _ = _classify(path, out, items, validation="blocks", validation_block_size=largest)
    assert result["validation_block_size"] == largest
    # a class with a single cell: named, with what it needs
    lone = [i for i in items if i["label"] != "urban"] + [next(i for i in items if i["label"] == "urban")]
    with pytest.raises(UserError, match=r"Class 'urban' has a single labelled cell.*at least 2 labelled cells"):
        _classify(path, out, lone, validation="blocks")
    # a class whose cells lie in a single block (two neighbouring cells, blocks of 300 map units)
    rows, cols = np.nonzero((labels == 3) & ~invalid)
    r, c = next((r, c) for r, c in zip(rows, cols) if c + 1 < W and labels[r, c + 1] == 3 and not invalid[r, c + 1])
    tf = synthetic.grid_transform()
    pair = [{"wkt": synthetic.point_wkt(tf, r, c + dc), "label": "urban"} for dc in (0, 1)]
    near = [i for i in items if i["label"] != "urban"] + pair
    with pytest.raises(UserError, match=r"class 'urban' lies in a single block.*largest block that works here is"):
        _classify(path, out, near, validation="blocks", validation_block_size=300)
    with pytest.raises(UserError, match="'validation' must be one of feature, blocks, cell"):
        _classify(path, out, items, validation="random")


def test_every_catalogue_validation_is_a_scheme_and_no_other():
    job = {"input": "a.tif", "output": "b.tif", "labels": [{"wkt": "POINT (0 0)", "label": "water"}]}
    assert [ClassifyJob.read(dict(job, validation=key)).validation for key in catalogue.VALIDATIONS] == list(
        catalogue.VALIDATIONS
    )
    assert ClassifyJob.read(dict(job, validation=None)).validation == catalogue.VALIDATION_DEFAULT == "feature"
    with pytest.raises(UserError, match="'validation' must be one of feature, blocks, cell, got 'kfold'"):
        ClassifyJob.read(dict(job, validation="kfold"))
    assert set(catalogue.VALIDATIONS) == {"feature", "blocks", "cell"}  # the schemes make_folds knows
