"""HTML reports of the embedding jobs, read back with html.parser: chips, cells, skipped chips,
weights (random weights in red), device, PCA variance and the Earth Engine provenance are the job
result's numbers."""

import json
import os

import numpy as np
import pytest
import rasterio
from pipeline_fakes import random_s2, use_fake_model, write_raster
from report_reader import num, read
from test_earthengine_fetch import Ctx, env, fake  # noqa: F401 (fixtures: a fake Earth Engine)

from terraembed.engine.jobs import run_job


@pytest.fixture
def model(monkeypatch):
    return use_fake_model(monkeypatch)


def test_embed_report(tmp_path, model):
    data = random_s2(300, 500)
    data[:, :, 260:] = 0  # the right part is nodata: its chips are skipped
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    report_path = tmp_path / "report.html"
    result = run_job(
        {
            "type": "embed",
            "source": {"kind": "raster", "path": path, "name": "my <scene>"},
            "model": "fake",
            "prep": "tile",
            "weights": {"random_init": True},
            "outputs": {"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "pca.tif"), "pca_components": 3},
            "html_report": str(report_path),
        },
        Ctx(),
    )
    report = read(report_path)
    assert report.external == []
    work = "Chips, cells and speed"
    assert int(num(report.fact(work, "Chips embedded"))) == result["chips"]
    assert int(num(report.fact(work, "Chips in the area"))) == result["chips_total"]
    skipped = int(num(report.fact(work, "Chips skipped (all nodata)")))
    assert skipped == result["chips_total"] - result["chips"] > 0
    assert int(num(report.fact(work, "Valid grid cells"))) == result["cells"]
    assert num(report.fact(work, "Throughput")) == pytest.approx(result["chips"] / result["infer_seconds"], rel=0.01)
    model_facts = "The model that computed the embeddings"
    assert report.fact(model_facts, "Device") == "%s (asked: auto)" % result["device"]
    assert report.fact(model_facts, "Precision") == "%s (asked: auto)" % result["precision"]  # the default
    assert report.fact(model_facts, "Weights") == "fake weights"
    assert report.alerts and all("random" in a or a == "fake weights" for a in report.alerts)
    rows = report.table("Explained variance ratio per component")[1:]
    np.testing.assert_allclose([num(r[1]) for r in rows], result["explained_variance"], atol=5e-4)
    assert report.fact("What was embedded", "Source") == "my <scene>"
    assert report.fact("What was embedded", "Grid").startswith("%d rows x %d columns" % tuple(result["grid_shape"]))
    assert "<scene>" not in open(report_path, encoding="utf-8").read()
    assert "Explained variance per principal component" in report.svg_titles


def test_embed_report_without_random_weights_has_no_alert(tmp_path, model):
    path = write_raster(tmp_path / "in.tif", random_s2(100, 100), nodata=0)
    run_job(
        {
            "type": "embed",
            "source": {"kind": "raster", "path": path},
            "model": "fake",
            "outputs": {"grid": str(tmp_path / "grid.tif")},
            "html_report": str(tmp_path / "r.html"),
        },
        Ctx(),
    )
    report = read(tmp_path / "r.html")
    assert report.alerts == []
    assert not [c for c in report.tables if c.startswith("Explained")]  # no PCA output, no chart


def test_embed_report_earthengine_provenance(tmp_path, model, env, fake):
    src = dict(env, kind="earthengine", start="2022-06-01", end="2022-09-01")
    report_path = tmp_path / "report.html"
    result = run_job(
        {
            "type": "embed",
            "source": src,
            "model": "fake",
            "prep": "resize",
            "outputs": {"grid": str(tmp_path / "grid.tif")},
            "html_report": str(report_path),
        },
        Ctx(work_dir=str(tmp_path)),
    )
    provenance = result["provenance"]
    report = read(report_path)
    ee = "Where the imagery came from"
    assert int(num(report.fact(ee, "Images in the composite"))) == provenance["images"] == 5
    assert report.fact(ee, "Collection") == provenance["collection_id"]
    assert report.fact(ee, "First day") == "2022-06-01"
    assert report.fact(ee, "Until (exclusive)") == "2022-09-01"
    assert report.fact(ee, "Cloud project") == "test-project"
    assert report.fact(ee, "Bands") == ", ".join(provenance["bands"])
    text = open(report_path, encoding="utf-8").read()
    assert env["service_account_key"] not in text and "private_key" not in text
    # the grid carries the provenance in the same JSON form as the fetched composite
    with rasterio.open(tmp_path / "grid.tif") as grid:
        tags = grid.tags()
    assert json.loads(tags["TERRAEMBED_PROVENANCE"]) == provenance
    assert tags["TERRAEMBED_EE_IMAGES"] == "5" and tags["TERRAEMBED_EE_COLLECTION_ID"] == provenance["collection_id"]


def test_embed_features_report(tmp_path, model):
    path = write_raster(tmp_path / "in.tif", random_s2(200, 200), nodata=0)
    x0, y0 = 400000.0, 5300000.0
    features = [
        {"id": 0, "bounds": [x0 + 100, y0 - 600, x0 + 600, y0 - 100]},
        {"id": 1, "bounds": [x0 - 5000, y0, x0 - 4000, y0 + 1000]},
    ]  # outside
    report_path = tmp_path / "report.html"
    result = run_job(
        {
            "type": "embed_features",
            "source": {"kind": "raster", "path": path},
            "model": "fake",
            "features": features,
            "html_report": str(report_path),
        },
        Ctx(),
    )
    report = read(report_path)
    facts = "Features and speed"
    assert int(num(report.fact(facts, "Features embedded"))) == result["embedded"] == 1
    assert int(num(report.fact(facts, "Features skipped"))) == len(result["skipped"]) == 1
    assert report.table("Features that were not embedded")[1] == ["1", result["skipped"]["1"]]
    assert not [n for n in os.listdir(tmp_path) if ".part" in n]
