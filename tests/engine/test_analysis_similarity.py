"""Similarity job: a planted similar region scores highest and the threshold mask matches it."""

import json

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D = 50, 60, 64
REGION_A = (10, 5, 22, 20)  # rows 10..21, cols 5..19
REGION_B = (30, 35, 42, 52)  # rows 30..41, cols 35..51


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sim")
    labels = synthetic.voronoi_labels(4, H, W, seed=3)
    target = np.zeros((H, W), dtype=bool)
    for r0, c0, r1, c1 in (REGION_A, REGION_B):
        target[r0:r1, c0:c1] = True
    labels = np.where(target, 5, labels)  # class 5 = the planted target
    data, centres = synthetic.embed_labels(labels, bands=D, noise=0.3, seed=3)
    data, invalid = synthetic.punch_nodata(data, seed=3)
    path = synthetic.write_raster(tmp / "emb.tif", data)
    return path, target, invalid, centres[5]


def _sim(path, out, reference, **kw):
    spec = {"type": "similarity", "input": str(path), "output": str(out), "reference": reference}
    spec.update(kw)
    return run_job(spec, JobContext())


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1), ds.nodata


def test_similarity_polygon_reference_and_mask(planted, tmp_path):
    path, target, invalid, _ = planted
    tf = synthetic.grid_transform()
    poly = synthetic.rect_wkt(tf, 12, 7, 16, 12)  # a part of region A
    out, mask_out = tmp_path / "sim.tif", tmp_path / "mask.tif"
    result = _sim(path, out, {"geometries": [poly]}, threshold=0.7, mask_output=str(mask_out))
    assert result["reference_features"] == 1
    assert 0 < result["reference_cells"] <= 20
    sim, nodata = _read(out)
    assert np.isnan(nodata)
    assert np.isnan(sim[invalid]).all() and np.isfinite(sim[~invalid]).all()
    assert sim[~invalid].min() >= -1 and sim[~invalid].max() <= 1
    valid_target = target & ~invalid
    valid_other = ~target & ~invalid
    # the planted region (both parts, B was never referenced) is the most similar
    assert sim[valid_target].min() > sim[valid_other].max()
    assert sim[valid_target].mean() > 0.9
    mask, mask_nodata = _read(mask_out)
    assert mask_nodata == 255
    assert (mask[invalid] == 255).all()
    np.testing.assert_array_equal(mask[~invalid] == 1, target[~invalid])
    assert result["mask_cells"] == valid_target.sum()
    assert result["valid_cells"] == (~invalid).sum()


def test_similarity_point_and_vector_references(planted, tmp_path):
    path, target, invalid, centre = planted
    tf = synthetic.grid_transform()
    pts = [synthetic.point_wkt(tf, 35, 40), synthetic.point_wkt(tf, 15, 10)]
    r = _sim(path, tmp_path / "p.tif", {"geometries": pts})
    assert r["reference_cells"] == 2 and r["reference_features"] == 2
    sim, _ = _read(tmp_path / "p.tif")
    assert sim[target & ~invalid].min() > sim[~target & ~invalid].max()
    r = _sim(path, tmp_path / "v.tif", {"vectors": [centre.tolist()]})
    sim_v, _ = _read(tmp_path / "v.tif")
    assert sim_v[target & ~invalid].min() > 0.9
    assert np.abs(sim_v[~target & ~invalid]).max() < 0.6


def test_similarity_polygons_and_blockwise(planted, tmp_path):
    path, target, invalid, centre = planted
    ref = {"vectors": [centre.tolist(), (centre * 1.1).tolist()]}
    results = {}
    for name, block in (("one", 4096), ("many", 7)):
        results[name] = _sim(
            path,
            tmp_path / ("%s.tif" % name),
            ref,
            threshold=0.7,
            block_size=block,
            mask_output=str(tmp_path / ("%s_mask.tif" % name)),
            polygons_output=str(tmp_path / ("%s.geojson" % name)),
        )
    one, many = results["one"], results["many"]
    assert one["polygons"] == many["polygons"] == 2  # the two planted rectangles
    for key in ("mask_cells", "valid_cells"):
        assert one[key] == many[key]
    np.testing.assert_allclose(_read(tmp_path / "one.tif")[0], _read(tmp_path / "many.tif")[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(_read(tmp_path / "one_mask.tif")[0], _read(tmp_path / "many_mask.tif")[0])
    for name in ("one", "many"):
        with open(tmp_path / ("%s.geojson" % name)) as f:
            doc = json.load(f)
        feats = doc["features"]
        assert len(feats) == 2
        assert sum(f["properties"]["area"] for f in feats) == pytest.approx(one["mask_cells"] * 100)
        assert sum(f["properties"]["cells"] for f in feats) == one["mask_cells"]


def test_similarity_geopackage(planted, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path, target, invalid, centre = planted
    gpkg = tmp_path / "poly.gpkg"
    r = _sim(path, tmp_path / "s.tif", {"vectors": [centre.tolist()]}, threshold=0.7, polygons_output=str(gpkg))
    assert r["polygons"] == 2
    info = pyogrio.read_info(str(gpkg))
    assert info["features"] == 2 and info["crs"].endswith("32633")


@pytest.mark.parametrize(
    "reference, kw, match",
    [
        ({"geometries": ["POINT (0 0)"]}, {}, "covers a valid cell"),
        ({"geometries": ["NOT WKT"]}, {}, "not valid WKT"),
        ({"vectors": [[1.0, 2.0]]}, {}, "has 64 bands"),
        ({"vectors": [[0.0] * 64]}, {}, "all zeros"),
        ({}, {}, "'reference' must be"),
        ({"vectors": [[1.0] * 64]}, {"threshold": 2}, "threshold"),
        ({"vectors": [[1.0] * 64]}, {"mask_output": "m.tif"}, "needs a 'threshold'"),
        ({"vectors": [[1.0] * 64]}, {"threshold": 0.5, "polygons_output": "p.shp"}, ".gpkg"),
    ],
)
def test_similarity_bad_input(planted, tmp_path, reference, kw, match):
    path = planted[0]
    kw = {k: (str(tmp_path / v) if k.endswith("_output") else v) for k, v in kw.items()}
    with pytest.raises(UserError, match=match):
        _sim(path, tmp_path / "bad.tif", reference, **kw)
    assert list(tmp_path.iterdir()) == []


def test_similarity_reference_on_nodata_only(planted, tmp_path):
    path = planted[0]
    tf = synthetic.grid_transform()
    strip = synthetic.rect_wkt(tf, 0, 0, 2, 10)  # rows 0-1 are nodata
    with pytest.raises(UserError, match="covers a valid cell"):
        _sim(path, tmp_path / "bad.tif", {"geometries": [strip]})
    # one bad feature among good ones is ignored with a warning
    ctx = JobContext()
    spec = {
        "type": "similarity",
        "input": path,
        "output": str(tmp_path / "ok.tif"),
        "reference": {"geometries": [strip, synthetic.point_wkt(tf, 15, 10)]},
    }
    r = run_job(spec, ctx)
    assert r["reference_features"] == 1 and ctx.warnings


def test_similarity_geometry_cell_rules(planted, tmp_path):
    """Centre cells by default, touched cells with all_touched, touched cells for a polygon that
    covers no cell centre."""
    path, _, invalid, _ = planted
    tf = synthetic.grid_transform()
    # a cell whose 3x3 neighbourhood is all valid
    r0, c0 = next((r, c) for r in range(3, 40) for c in range(1, 50) if not invalid[r - 1 : r + 2, c - 1 : c + 2].any())
    # spans rows r0-0.4..r0+1.4: one cell centre (r0 + 0.5, c0 + 0.5), 9 cells touched
    poly = synthetic.rect_wkt(tf, r0 - 0.4, c0 - 0.4, r0 + 1.4, c0 + 1.4)
    r = _sim(path, tmp_path / "a.tif", {"geometries": [poly]})
    assert r["reference_cells"] == 1
    r = _sim(path, tmp_path / "b.tif", {"geometries": [poly]}, all_touched=True)
    assert r["reference_cells"] == 9
    tiny = synthetic.rect_wkt(tf, r0 + 0.1, c0 + 0.1, r0 + 0.3, c0 + 0.3)  # misses the centre
    progress = []
    r = run_job(
        {
            "type": "similarity",
            "input": path,
            "output": str(tmp_path / "c.tif"),
            "reference": {"geometries": [tiny]},
            "block_size": 8,
        },
        JobContext(on_progress=lambda f, s: progress.append(f)),
    )
    assert r["reference_cells"] == 1
    assert all(b >= a for a, b in zip(progress, progress[1:]))  # two passes, never backwards
    row = next(r for r in range(3, 48) if not invalid[r, 10:15].any())
    line = "LINESTRING (%r %r, %r %r)" % (synthetic.cell_centre(tf, row, 10) + synthetic.cell_centre(tf, row, 14))
    r = _sim(path, tmp_path / "d.tif", {"geometries": [line]})
    assert r["reference_cells"] == 5


# -- negative examples ------------------------------------------------------------------------------
def _cells(wkts):
    """(rows, cols) of the cells that point WKTs fall in."""
    inverse = ~synthetic.grid_transform()
    cols, rows = zip(*(inverse * tuple(float(v) for v in w[7:-1].split()) for w in wkts))
    return np.floor(rows).astype(int), np.floor(cols).astype(int)


def _unit_mean(vectors):
    mean = vectors.mean(axis=0)
    return mean / np.linalg.norm(mean)


def _cosine(cells, unit):
    return np.clip(cells @ unit / np.linalg.norm(cells, axis=1), -1.0, 1.0)


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """A raster of 4 planted classes with positive points on class 1 and negative points on class 2."""
    path, labels, invalid = synthetic.planted_raster(
        tmp_path_factory.mktemp("neg") / "emb.tif", 4, H, W, D, noise=0.3, seed=7
    )
    rng = np.random.default_rng(7)
    positives = [p["wkt"] for p in synthetic.point_labels(labels, invalid, {1: "a"}, 5, rng)]
    negatives = [p["wkt"] for p in synthetic.point_labels(labels, invalid, {2: "b"}, 4, rng)]
    return path, invalid, positives, negatives


def test_similarity_with_negatives_is_the_difference_of_cosines(examples, tmp_path):
    path, invalid, positives, negatives = examples
    with rasterio.open(path) as ds:
        data = np.moveaxis(ds.read().astype(np.float64), 0, -1)  # (rows, cols, bands)
    pos, neg = _unit_mean(data[_cells(positives)]), _unit_mean(data[_cells(negatives)])
    expected = _cosine(data[~invalid], pos) - _cosine(data[~invalid], neg)  # the independent oracle
    negative_vectors = data[_cells(negatives)].tolist()
    for name, negative_examples, block in (
        ("geometries", {"geometries": negatives}, 4096),
        ("vectors", {"vectors": negative_vectors}, 7),
    ):
        out = tmp_path / ("%s.tif" % name)
        r = _sim(path, out, {"geometries": positives}, negatives=negative_examples, block_size=block)
        sim, _ = _read(out)
        assert np.isnan(sim[invalid]).all()
        assert np.abs(sim[~invalid] - expected).max() <= 1e-6, name
        assert r["negative_kind"] == name and r["negative_features"] == 4
        assert r["negative_cells"] == (4 if name == "geometries" else 0)
        assert r["reference_cells"] == r["reference_features"] == 5
        assert r["min"] == pytest.approx(expected.min(), abs=1e-6) and r["max"] == pytest.approx(
            expected.max(), abs=1e-6
        )
        counts, edges = r["histogram"]["counts"], r["histogram"]["edges"]
        assert sum(counts) == r["valid_cells"] == (~invalid).sum()
        assert edges[0] <= r["min"] and r["max"] <= edges[-1]
    without = _sim(path, tmp_path / "plain.tif", {"geometries": positives})
    assert without["negative_cells"] is None and without["negative_features"] is None
    assert without["negative_kind"] is None


@pytest.fixture(scope="module")
def look_alikes(tmp_path_factory):
    """Class 2 looks like class 1 (cosine 0.6 between their centres); classes 3 and 4 like neither."""
    labels = synthetic.voronoi_labels(4, H, W, seed=11)
    q, _ = np.linalg.qr(np.random.default_rng(11).normal(size=(D, 4)))
    centres = 8.0 * np.stack([q[:, 0], q[:, 0], 0.6 * q[:, 0] + 0.8 * q[:, 1], q[:, 2], q[:, 3]])
    data, _ = synthetic.embed_labels(labels, bands=D, noise=0.3, seed=11, centres=centres)
    data, invalid = synthetic.punch_nodata(data, seed=11)
    path = synthetic.write_raster(tmp_path_factory.mktemp("alike") / "emb.tif", data)
    rng = np.random.default_rng(11)
    positives = [p["wkt"] for p in synthetic.point_labels(labels, invalid, {1: "a"}, 5, rng)]
    negatives = [p["wkt"] for p in synthetic.point_labels(labels, invalid, {2: "b"}, 5, rng)]
    return path, labels, invalid, positives, negatives


def test_negatives_lower_the_cells_like_them(look_alikes, tmp_path):
    path, labels, invalid, positives, negatives = look_alikes
    one, two = (labels == 1) & ~invalid, (labels == 2) & ~invalid
    other = (labels > 2) & ~invalid
    runs = {}
    for name, extra in (("plain", {}), ("negatives", {"negatives": {"geometries": negatives}})):
        mask = tmp_path / ("%s_mask.tif" % name)
        runs[name] = _sim(
            path, tmp_path / ("%s.tif" % name), {"geometries": positives}, threshold=0.2, mask_output=str(mask), **extra
        )
        runs[name]["sim"], runs[name]["mask"] = _read(tmp_path / ("%s.tif" % name))[0], _read(mask)[0]
    plain, negs = runs["plain"], runs["negatives"]
    # without negatives the look-alike class is found too; with them only the class sought
    assert (plain["mask"][two] == 1).all() and (plain["mask"][one] == 1).all()
    np.testing.assert_array_equal(negs["mask"][~invalid] == 1, one[~invalid])
    drop = plain["sim"] - negs["sim"]
    assert drop[two].min() > 0.9  # cos to the negatives is about 1 there
    assert drop[one].max() < 0.7 and np.abs(drop[other]).max() < 0.3
    assert negs["sim"][two].max() < 0 < negs["sim"][one].min()


@pytest.mark.parametrize(
    "negatives, kw, match",
    [
        ({"geometries": ["POINT (0 0)"]}, {}, "None of the 1 negative features covers a valid cell"),
        ({"geometries": []}, {}, "Give at least one negative geometry"),
        ({"vectors": [[1.0, 2.0]]}, {}, "negative vectors have 2 values but the raster has 64 bands"),
        ({"vectors": [[0.0] * 64]}, {}, "negative embedding is all zeros"),
        ({"vectors": [[1.0] * 63 + [float("nan")]]}, {}, "negative vectors contain NaN"),
        ({}, {}, "'negatives' must be"),
        ({"vectors": [[1.0] * 64]}, {"threshold": 2.5}, r"'threshold' \(with negatives\) must be between -2 and 2"),
        (None, {"threshold": 1.5}, r"'threshold' \(without negatives\) must be between -1 and 1"),
    ],
)
def test_similarity_bad_negatives(planted, tmp_path, negatives, kw, match):
    path, _, _, centre = planted
    with pytest.raises(UserError, match=match):
        _sim(path, tmp_path / "bad.tif", {"vectors": [centre.tolist()]}, negatives=negatives, **kw)
    assert list(tmp_path.iterdir()) == []


def test_threshold_above_one_with_negatives(look_alikes, tmp_path):
    path, labels, invalid, positives, negatives = look_alikes
    r = _sim(
        path,
        tmp_path / "s.tif",
        {"geometries": positives},
        negatives={"geometries": negatives},
        threshold=1.5,
        mask_output=str(tmp_path / "m.tif"),
    )
    mask, _ = _read(tmp_path / "m.tif")
    assert r["threshold"] == 1.5 and r["mask_cells"] == (mask == 1).sum() == 0
