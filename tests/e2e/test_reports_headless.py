"""The HTML report through the real qgis_process binary: written when OUTPUT_REPORT is given, with
the run's own numbers, and not written when it is not."""

import json
import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "engine"))
from report_reader import num, read  # noqa: E402  (standard library only)


def test_pca_report_headless(qgis_process, tmp_path):
    proc, data = qgis_process.run_json(
        "terraembed:pca",
        INPUT=os.path.join(REPO, "sample", "s2_sample.tif"),
        COMPONENTS=3,
        OUTPUT=tmp_path / "pca.tif",
        OUTPUT_REPORT=tmp_path / "pca.html",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = data["results"]
    assert results["OUTPUT_REPORT"] == str(tmp_path / "pca.html")
    ratios = [num(r[1]) for r in read(results["OUTPUT_REPORT"]).table("Explained variance ratio")[1:]]
    assert ratios == pytest.approx(json.loads(results["VARIANCE"]), abs=5e-4)  # printed as 82.2 %


def test_no_report_without_output_report(qgis_process, tmp_path):
    proc, data = qgis_process.run_json(
        "terraembed:pca", INPUT=os.path.join(REPO, "sample", "s2_sample.tif"), COMPONENTS=2, OUTPUT=tmp_path / "pca.tif"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not data["results"].get("OUTPUT_REPORT")
    assert os.listdir(tmp_path) == ["pca.tif"]
