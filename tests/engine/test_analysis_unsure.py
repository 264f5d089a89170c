"""Where the few-shot classifier is unsure: the uncertainty raster and 'where to label next', on a
planted raster whose ambiguous region (the two classes' vectors mixed) is known."""

import json

import numpy as np
import pytest
import rasterio
import synthetic
from pyogrio.raw import read

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D = 40, 60, 16
REGION = (8, 4, 32, 22)  # rows 8..31, columns 4..21: inside class 1 (columns < 30)
TF = synthetic.grid_transform()


@pytest.fixture(scope="module")
def ambiguous(tmp_path_factory):
    return synthetic.ambiguous_raster(tmp_path_factory.mktemp("unsure") / "emb.tif", H, W, D, REGION, seed=3)


def _labels(classes, mask):
    """Points of class 1 (left, outside the region; two right beside it) and class 2 (right)."""
    cells = [(2, 2), (36, 5), (3, 25), (37, 27), (20, 23), (12, 24)]  # class 1; (20, 23), (12, 24) touch the region
    cells += [(2, 40), (37, 45), (20, 55), (10, 35), (30, 50)]  # class 2
    assert not any(mask[r, c] for r, c in cells)
    return [
        {"wkt": synthetic.point_wkt(TF, r, c), "label": "left" if classes[r, c] == 1 else "right"} for r, c in cells
    ]


def _run(path, out, labels, **kw):
    spec = {"type": "classify", "input": path, "output": str(out / "cls.tif"), "labels": labels, "cv_folds": 0}
    spec.update(kw)
    ctx = JobContext()
    return run_job(spec, ctx), ctx


def _points(path):
    meta, _, geometry, values = read(path)
    import shapely

    xy = shapely.get_coordinates(shapely.from_wkb(geometry))
    return xy, dict(zip(meta["fields"], values))


def test_uncertainty_is_highest_on_the_planted_ambiguous_region(ambiguous, tmp_path):
    path, classes, mask, _ = ambiguous
    result, _ = _run(
        path,
        tmp_path,
        _labels(classes, mask),
        uncertainty_output=str(tmp_path / "unsure.tif"),
        probabilities_output=str(tmp_path / "prob.tif"),
    )
    assert result["uncertainty"] == str(tmp_path / "unsure.tif")
    with rasterio.open(tmp_path / "unsure.tif") as ds:
        unsure, margin = ds.read(1), ds.read(2)
        assert ds.count == 2 and "1 - largest" in ds.descriptions[0] and "margin" in ds.descriptions[1]
        unsure_tags = ds.tags()
    with rasterio.open(tmp_path / "cls.tif") as ds:
        class_tags = ds.tags()
    # what it is and what it came from, as the class raster says it: the classifier, its seed, the source
    assert json.loads(unsure_tags.pop("TERRAEMBED_MEASURES")) == ["uncertainty", "margin"]
    assert json.loads(unsure_tags.pop("TERRAEMBED_CLASSES")) == ["left", "right"]
    assert unsure_tags["TERRAEMBED_SOURCE"] == path and unsure_tags["TERRAEMBED_METHOD"] == "logistic"
    assert {k: v for k, v in class_tags.items() if k in unsure_tags} == unsure_tags
    assert {"TERRAEMBED_SOURCE", "TERRAEMBED_METHOD", "TERRAEMBED_SEED"} <= set(unsure_tags)
    with rasterio.open(tmp_path / "prob.tif") as ds:
        prob = ds.read()
    top = -np.sort(-prob, axis=0)
    np.testing.assert_allclose(unsure, 1 - top[0], atol=1e-6)  # the bands are what they say
    np.testing.assert_allclose(margin, top[0] - top[1], atol=1e-6)
    assert np.nanmean(unsure[mask]) > 0.25 and np.nanmean(unsure[~mask]) < 0.1
    assert np.nanmean(margin[mask]) < 0.5 and np.nanmean(margin[~mask]) > 0.8
    assert unsure[mask].min() > unsure[~mask].max()  # every cell of the region above every other cell


def test_suggestions_are_uncertain_spread_and_away_from_labels(ambiguous, tmp_path):
    path, classes, mask, _ = ambiguous
    labels = _labels(classes, mask)
    spacing = 40.0  # 4 cells of 10 m
    result, ctx = _run(
        path,
        tmp_path,
        labels,
        suggestions_output=str(tmp_path / "next.gpkg"),
        suggestion_count=8,
        suggestion_spacing=spacing,
    )
    assert result["suggested_cells"] == 8 and result["suggestion_spacing"] == spacing
    xy, fields = _points(tmp_path / "next.gpkg")
    assert len(xy) == 8 and list(fields["rank"]) == list(range(1, 9))
    assert all(v is None for v in fields["class"])  # ready to fill
    assert set(fields["first_class"]) | set(fields["second_class"]) == {"left", "right"}
    assert (np.diff(fields["uncertainty"]) <= 1e-12).all()  # most uncertain first
    np.testing.assert_allclose(fields["first_prob"] - fields["second_prob"], fields["margin"], atol=1e-9)
    cols, rows = ~TF * (xy[:, 0], xy[:, 1])
    assert mask[np.floor(rows).astype(int), np.floor(cols).astype(int)].all()  # in the uncertain region
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert d[~np.eye(len(xy), dtype=bool)].min() >= spacing  # spread
    label_xy = np.array([synthetic.cell_centre(TF, *_cell(item)) for item in labels])
    assert np.hypot(*(xy[:, None, :] - label_xy[None, :, :]).transpose(2, 0, 1)).min() >= spacing
    # a larger spacing leaves room for fewer: said, with what to do
    result, ctx = _run(
        path,
        tmp_path / "wide",
        labels,
        suggestions_output=str(tmp_path / "wide" / "next.geojson"),
        suggestion_count=8,
        suggestion_spacing=150.0,
    )
    assert result["suggested_cells"] < 8
    assert any("Lower the spacing" in w for w in ctx.warnings)


def _cell(item):
    x, y = (float(v) for v in item["wkt"][len("POINT (") : -1].split())
    col, row = ~TF * (x, y)
    return int(row), int(col)


def test_suggestions_do_not_depend_on_the_block_size(ambiguous, tmp_path):
    path, classes, mask, _ = ambiguous
    found = []
    for side in (7, 4096):
        folder = tmp_path / str(side)
        _run(path, folder, _labels(classes, mask), suggestions_output=str(folder / "s.geojson"), block_size=side)
        found.append(_points(folder / "s.geojson")[0])
    np.testing.assert_array_equal(found[0], found[1])


def test_bad_suggestion_options_name_the_range(ambiguous, tmp_path):
    path, classes, mask, _ = ambiguous
    with pytest.raises(UserError, match="suggestion_count.*between 1 and 1000"):
        _run(path, tmp_path, _labels(classes, mask), suggestions_output=str(tmp_path / "s.gpkg"), suggestion_count=0)
    with pytest.raises(UserError, match=r"\.gpkg.*\.geojson"):
        _run(path, tmp_path, _labels(classes, mask), suggestions_output=str(tmp_path / "s.shp"))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_suggestions_keep_the_spacing_from_polygon_labels(ambiguous, tmp_path):
    import shapely

    path, classes, mask, _ = ambiguous
    polygon = synthetic.rect_wkt(TF, 10, 22, 30, 25)  # class 1 cells along the region's right edge
    labels = _labels(classes, mask)[:4] + [{"wkt": polygon, "label": "left"}] + _labels(classes, mask)[6:]
    result, _ = _run(
        path, tmp_path, labels, suggestions_output=str(tmp_path / "s.gpkg"), suggestion_count=10, suggestion_spacing=30
    )
    xy, _ = _points(tmp_path / "s.gpkg")
    assert len(xy) == result["suggested_cells"] > 0
    distances = shapely.distance(shapely.points(xy), shapely.from_wkt(polygon))
    assert distances.min() >= 30
    cols, rows = ~TF * (xy[:, 0], xy[:, 1])
    assert mask[rows.astype(int), cols.astype(int)].all()
