"""HTML reports of the analysis jobs, read back with html.parser: the numbers in the report's tables
are the job result's, the charts are inline SVG with titles, nothing reaches outside the file, and
user strings are escaped. A bad report destination fails before any work and leaves nothing."""

import os

import numpy as np
import pytest
import rasterio
import synthetic
from report_reader import num, read

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D = 40, 50, 16
NASTY = 'water <b>&amp; "lakes"</b>'  # a class name that would be markup if not escaped


@pytest.fixture(scope="module")
def raster(tmp_path_factory):
    return synthetic.planted_raster(tmp_path_factory.mktemp("report") / "emb.tif", 3, H, W, D, noise=0.5, seed=2)


def _run(spec, tmp_path):
    spec = dict(spec, html_report=str(tmp_path / "report.html"))
    result = run_job(spec, JobContext())
    assert result["html_report"] == str(tmp_path / "report.html")
    assert not [n for n in os.listdir(tmp_path) if ".part" in n]  # the partial file was renamed
    report = read(result["html_report"])
    assert report.external == []  # self-contained: no scripts, links, URLs
    assert report.svg_titles or report.title  # every chart has a title
    return result, report


def test_pca_report(raster, tmp_path):
    result, report = _run(
        {"type": "pca", "input": raster[0], "output": str(tmp_path / "pca.tif"), "components": 4}, tmp_path
    )
    rows = report.table("Explained variance ratio per component")
    assert rows[0] == ["Component", "Explained variance", "Cumulative"]
    assert [r[0] for r in rows[1:]] == ["PC1", "PC2", "PC3", "PC4"]
    np.testing.assert_allclose([num(r[1]) for r in rows[1:]], result["explained_variance_ratio"], atol=5e-4)
    np.testing.assert_allclose([num(r[2]) for r in rows[1:]], result["cumulative_explained_variance_ratio"], atol=5e-4)
    assert "Explained variance per principal component" in report.svg_titles
    assert num(report.fact("What was reduced", "Cells sampled for fitting")) == result["n_samples"]


def test_cluster_report_with_automatic_k(raster, tmp_path):
    result, report = _run(
        {"type": "cluster", "input": raster[0], "output": str(tmp_path / "c.tif"), "k": "auto", "k_range": [2, 5]},
        tmp_path,
    )
    rows = report.table("Silhouette score by k")[1:]
    assert [int(r[0]) for r in rows] == [2, 3, 4, 5]
    for k, score, chosen in rows:
        assert num(score) == pytest.approx(result["silhouette"][k], abs=5e-5)
        assert (chosen == "yes") == (int(k) == result["k"])
    assert result["k"] == 3  # three planted regions
    sizes = report.table("Cells per cluster")[1:]
    assert [int(num(r[1])) for r in sizes] == result["cluster_cells"]
    assert sum(result["cluster_cells"]) == result["valid_cells"] == (~raster[2]).sum()
    assert "automatically" in report.fact("k-means clustering", "How k was set")
    assert {"Silhouette score by k", "Cells per cluster"} <= set(report.svg_titles)


def test_cluster_report_with_given_k_has_no_silhouette_chart(raster, tmp_path):
    result, report = _run({"type": "cluster", "input": raster[0], "output": str(tmp_path / "c.tif"), "k": 4}, tmp_path)
    assert not [c for c in report.tables if c.startswith("Silhouette")]
    assert report.fact("k-means clustering", "How k was set") == "given"
    assert [int(num(r[1])) for r in report.table("Cells per cluster")[1:]] == result["cluster_cells"]


def test_classify_report(raster, tmp_path):
    path, labels, invalid = raster
    names = {1: NASTY, 2: "forest", 3: "urban"}
    result, report = _run(
        {
            "type": "classify",
            "input": path,
            "output": str(tmp_path / "cls.tif"),
            "report_output": str(tmp_path / "acc.csv"),
            "cv_folds": 3,
            "labels": synthetic.point_labels(labels, invalid, names, 6, rng=1),
        },
        tmp_path,
    )
    matrix = report.table("Confusion matrix")
    assert matrix[0] == ["labelled \\ predicted"] + result["classes"]
    assert [r[0] for r in matrix[1:]] == result["classes"] == list(names.values())
    assert [[int(num(v)) for v in r[1:]] for r in matrix[1:]] == result["confusion_matrix"]
    assert sum(map(sum, result["confusion_matrix"])) == result["n_samples"] == 18
    scores = report.table("Precision, recall and F1 per class")
    for row, expected in zip(scores[1:], result["per_class"]):
        assert row[0] == expected["class"]
        assert [num(v) for v in row[1:4]] == pytest.approx(
            [expected["precision"], expected["recall"], expected["f1"]], abs=5e-4
        )
        assert int(num(row[4])) == expected["support"]
    sizes = report.table("Training data and predicted area per class")
    assert [int(num(r[4])) for r in sizes[1:]] == [result["predicted_cells"][n] for n in names.values()]
    assert [int(num(r[3])) for r in sizes[1:]] == [d["training_cells"] for d in result["per_class"]]
    scheme = report.fact("Few-shot classification", "Cross-validation")
    assert scheme == "%d folds, %s" % (result["cv_folds"], result["cv_scheme"])
    assert num(report.fact("Few-shot classification", "Cross-validated accuracy")) == pytest.approx(
        result["cv_accuracy"], abs=5e-4
    )
    assert "Confusion matrix (cross-validated cells)" in report.svg_titles
    raw = open(result["html_report"], encoding="utf-8").read()
    assert "<b>" not in raw  # the class name stayed text
    assert os.path.exists(tmp_path / "acc.csv")  # the CSV output stays


def test_classify_report_without_cross_validation(raster, tmp_path):
    path, labels, invalid = raster
    result, report = _run(
        {
            "type": "classify",
            "input": path,
            "output": str(tmp_path / "cls.tif"),
            "cv_folds": 0,
            "labels": synthetic.point_labels(labels, invalid, {1: "a", 2: "b"}, 6, rng=1),
        },
        tmp_path,
    )
    assert result["confusion_matrix"] is None
    assert not [c for c in report.tables if c.startswith("Confusion")]
    assert report.fact("Few-shot classification", "Cross-validation") == "none"


def test_classify_report_names_where_to_label_next_and_the_saved_classifier(raster, tmp_path):
    path, labels, invalid = raster
    result, report = _run(
        {
            "type": "classify",
            "input": path,
            "output": str(tmp_path / "cls.tif"),
            "cv_folds": 0,
            "labels": synthetic.point_labels(labels, invalid, {1: "a", 2: "b"}, 6, rng=1),
            "uncertainty_output": str(tmp_path / "unsure.tif"),
            "suggestions_output": str(tmp_path / "next.geojson"),
            "suggestion_count": 7,
            "classifier_output": str(tmp_path / "a_b.json"),
        },
        tmp_path,
    )
    facts = "Few-shot classification"
    assert report.fact(facts, "Where to label next").startswith(
        "%d cells, at least 50 map units apart" % result["suggested_cells"]
    )
    assert report.fact(facts, "Saved classifier") == result["classifier"]
    assert report.fact(facts, "Uncertainty raster") == result["uncertainty"]


def _histogram_from_raster(path, edges):
    with rasterio.open(path) as ds:
        values = ds.read(1)
    values = values[np.isfinite(values)].astype(np.float64)
    return np.histogram(values, bins=edges)[0], len(values)


def _check_histogram(report, caption, output):
    rows = report.table(caption)[1:]
    edges = [float(r[0].split(" – ")[0]) for r in rows] + [float(rows[-1][0].split(" – ")[1])]
    counts = [int(num(r[1])) for r in rows]
    expected, n = _histogram_from_raster(output, edges)
    assert sum(counts) == n
    # bin edges print with 3 decimals; only values within 0.0005 of an edge may change bins
    assert np.abs(np.array(counts) - expected).sum() <= 0.01 * n
    return counts


def test_similarity_report(raster, tmp_path):
    path, labels, invalid = raster
    tf = synthetic.grid_transform()
    rows, cols = np.nonzero((labels == 2) & ~invalid)
    geoms = [synthetic.point_wkt(tf, rows[i], cols[i]) for i in (0, 5, 9)]
    result, report = _run(
        {
            "type": "similarity",
            "input": path,
            "output": str(tmp_path / "s.tif"),
            "reference": {"geometries": geoms},
            "threshold": 0.5,
            "mask_output": str(tmp_path / "m.tif"),
        },
        tmp_path,
    )
    counts = _check_histogram(report, "Cells per bin of the cosine similarity", result["output"])
    assert sum(counts) == result["valid_cells"]
    facts = "Cosine similarity to the reference"
    assert int(num(report.fact(facts, "Cells at or above the threshold"))) == result["mask_cells"]
    assert num(report.fact(facts, "Share at or above the threshold")) == pytest.approx(
        result["mask_cells"] / result["valid_cells"], abs=5e-5
    )
    assert num(report.fact(facts, "Mean similarity")) == pytest.approx(result["mean"], abs=5e-5)
    assert int(report.fact("Where the search ran", "Reference features used")) == 3
    assert int(report.fact("Where the search ran", "Reference cells")) == result["reference_cells"]
    assert "Distribution of the cosine similarity" in report.svg_titles


def test_similarity_report_with_negatives(raster, tmp_path):
    path, labels, invalid = raster
    tf = synthetic.grid_transform()
    rows, cols = np.nonzero((labels == 2) & ~invalid)
    negative = np.nonzero((labels == 3) & ~invalid)
    with rasterio.open(path) as ds:
        vectors = [ds.read()[:, negative[0][i], negative[1][i]].tolist() for i in (0, 4)]
    result, report = _run(
        {
            "type": "similarity",
            "input": path,
            "output": str(tmp_path / "s.tif"),
            "reference": {"geometries": [synthetic.point_wkt(tf, rows[i], cols[i]) for i in (0, 5, 9)]},
            "negatives": {"vectors": vectors},
        },
        tmp_path,
    )
    counts = _check_histogram(report, "Cells per bin of the similarity (positives minus negatives)", result["output"])
    assert sum(counts) == result["valid_cells"]
    facts = "Cosine similarity to the reference minus to the negative embedding (-2..2)"
    assert num(report.fact(facts, "Lowest similarity")) == pytest.approx(result["min"], abs=5e-5)
    where = "Where the search ran"
    assert int(report.fact(where, "Reference features used")) == 3
    assert int(report.fact(where, "Negative features used")) == 2
    assert "pooled vectors" in report.fact(where, "Negative embedding")
    assert "Distribution of the similarity (positives minus negatives)" in report.svg_titles


def test_change_report(tmp_path):
    labels = synthetic.voronoi_labels(3, H, W, seed=3)
    before, centres = synthetic.embed_labels(labels, bands=D, noise=0.2, seed=3)
    after = before.copy()
    after[:, :10, :] = np.random.default_rng(3).normal(size=(D, 10, W))  # a changed strip
    b = synthetic.write_raster(tmp_path / "before.tif", before)
    a = synthetic.write_raster(tmp_path / "after.tif", after)
    result, report = _run(
        {"type": "change", "before": b, "after": a, "threshold": 0.3, "output": str(tmp_path / "change.tif")}, tmp_path
    )
    counts = _check_histogram(report, "Cells per bin of the cosine distance", result["output"])
    assert sum(counts) == result["valid_cells"] == H * W
    facts = "Cosine distance between the dates"
    assert num(report.fact(facts, "Share changed")) == pytest.approx(result["changed_fraction"], abs=5e-5)
    assert result["changed_fraction"] == pytest.approx(10 / H, abs=0.02)
    assert num(report.fact(facts, "Median")) == pytest.approx(result["percentiles"]["50"], abs=5e-5)


def test_report_destination_checked_before_any_work(raster, tmp_path):
    out = tmp_path / "pca.tif"
    spec = {"type": "pca", "input": raster[0], "output": str(out)}
    with pytest.raises(UserError, match="another output of the job"):
        run_job(dict(spec, html_report=str(out)), JobContext())  # the grid's own path: not a report
    with pytest.raises(UserError, match="must be one of these formats: .html"):
        run_job(dict(spec, html_report=str(tmp_path / "report.txt")), JobContext())
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(UserError, match="is a folder"):
        run_job(dict(spec, html_report=str(tmp_path / "folder.html")), JobContext())
    with pytest.raises(UserError, match="has no HTML report"):
        run_job({"type": "environment", "html_report": str(tmp_path / "r.html")}, JobContext())
    assert sorted(os.listdir(tmp_path)) == ["folder.html"]


def test_failed_job_writes_no_report(raster, tmp_path):
    report = tmp_path / "report.html"
    with pytest.raises(UserError, match="components"):
        run_job(
            {
                "type": "pca",
                "input": raster[0],
                "output": str(tmp_path / "pca.tif"),
                "components": 99,
                "html_report": str(report),
            },
            JobContext(),
        )
    assert os.listdir(tmp_path) == []


def test_report_and_outputs_are_committed_together(raster, tmp_path, monkeypatch):
    """A report that fails after the job's work leaves the job's existing outputs (and the old
    report) byte-identical: the report is part of the job's output transaction."""
    import errno

    from terraembed.engine import report as report_module

    out, html = tmp_path / "pca.tif", tmp_path / "report.html"
    out.write_bytes(b"previous PCA")
    html.write_bytes(b"previous report")

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_module, "build", full_disk)
    with pytest.raises(UserError, match="No space left") as info:
        run_job(
            {"type": "pca", "input": raster[0], "output": str(out), "components": 3, "html_report": str(html)},
            JobContext(),
        )
    assert str(tmp_path) in str(info.value)
    assert out.read_bytes() == b"previous PCA" and html.read_bytes() == b"previous report"
    assert sorted(os.listdir(tmp_path)) == ["pca.tif", "report.html"]
    monkeypatch.undo()
    result = run_job(
        {"type": "pca", "input": raster[0], "output": str(out), "components": 3, "html_report": str(html)}, JobContext()
    )
    assert result["html_report"] == str(html) and html.read_bytes().startswith(b"<!DOCTYPE")
    assert out.read_bytes()[:2] in (b"II", b"MM")  # a GeoTIFF now
    assert sorted(os.listdir(tmp_path)) == ["pca.tif", "report.html"]
