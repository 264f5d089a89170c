"""The HTML report output through QGIS: declared on every algorithm that has one as an optional
output of type html (what the Results Viewer lists and models chain), written by the runtime when
asked, and its numbers are the algorithm's own outputs."""

import os
import sys

import processing
import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingOutputHtml,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFileDestination,
    QgsVectorLayer,
)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine"))
from report_reader import num, read  # standard library only

WITH_REPORT = (
    "embed",
    "embed_features",
    "pca",
    "similarity",
    "cluster",
    "classify",
    "change",
    "change_series",
    "compare",
    "apply_classifier",
)
ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid


@pytest.fixture(scope="module")
def planted(tmp_path_factory, runtime):
    folder = tmp_path_factory.mktemp("report")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "labels = s.voronoi_labels(3, 40, 50, seed=1)\n"
        "data, _ = s.embed_labels(labels, bands=16, noise=0.3, seed=1)\n"
        "s.write_raster(sys.argv[1] + '/emb.tif', data)\n"
        "np.save(sys.argv[1] + '/labels.npy', labels)\n",
        str(folder),
    )
    import numpy as np

    return folder, np.load(folder / "labels.npy")


@pytest.mark.parametrize("name", WITH_REPORT)
def test_report_is_an_optional_html_output(qgis_app, name):
    alg = QgsApplication.processingRegistry().algorithmById("terraembed:" + name)
    param = alg.parameterDefinition("OUTPUT_REPORT")
    assert isinstance(param, QgsProcessingParameterFileDestination)
    assert param.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional
    assert param.defaultFileExtension() == "html"
    assert isinstance(alg.outputDefinition("OUTPUT_REPORT"), QgsProcessingOutputHtml)
    assert "Report (optional, HTML)" in alg.shortHelpString()


def test_cluster_report_through_processing(qgis_app, planted, tmp_path):
    folder, _ = planted
    path = str(tmp_path / "clusters.html")
    result = processing.run(
        "terraembed:cluster",
        {
            "INPUT": str(folder / "emb.tif"),
            "K": 0,
            "K_MIN": 2,
            "K_MAX": 4,
            "OUTPUT": str(tmp_path / "k.tif"),
            "OUTPUT_REPORT": path,
        },
    )
    assert result["OUTPUT_REPORT"] == path
    report = read(path)
    assert report.external == []
    assert int(num(report.fact("k-means clustering", "Number of clusters"))) == result["K_USED"] == 3
    chosen = [r for r in report.table("Silhouette score by k")[1:] if r[2] == "yes"]
    assert [int(r[0]) for r in chosen] == [3]
    assert sum(int(num(r[1])) for r in report.table("Cells per cluster")[1:]) == 40 * 50


def test_classify_report_through_processing(qgis_app, planted, tmp_path):
    folder, labels = planted
    layer = QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string", "labels", "memory")
    feats = []
    for code, name in ((1, "water & <reeds>"), (2, "forest"), (3, "urban")):
        rows, cols = (labels == code).nonzero()
        for i in range(0, len(rows), max(1, len(rows) // 5))[:5]:
            f = QgsFeature(layer.fields())
            f.setGeometry(
                QgsGeometry.fromPointXY(QgsPointXY(ORIGIN_X + (cols[i] + 0.5) * RES, ORIGIN_Y - (rows[i] + 0.5) * RES))
            )
            f.setAttributes([name])
            feats.append(f)
    layer.dataProvider().addFeatures(feats)
    path = str(tmp_path / "classify.html")
    result = processing.run(
        "terraembed:classify",
        {
            "INPUT": str(folder / "emb.tif"),
            "LABELS": layer,
            "FIELD": "cls",
            "FOLDS": 3,
            "OUTPUT": str(tmp_path / "c.tif"),
            "REPORT": str(tmp_path / "acc.csv"),
            "OUTPUT_REPORT": path,
        },
    )
    report = read(path)
    assert num(report.fact("Few-shot classification", "Cross-validated accuracy")) == pytest.approx(
        result["ACCURACY"], abs=5e-4
    )
    matrix = report.table("Confusion matrix")
    assert [r[0] for r in matrix[1:]] == ["water & <reeds>", "forest", "urban"]
    assert sum(int(num(v)) for r in matrix[1:] for v in r[1:]) == len(feats)
    assert os.path.exists(result["REPORT"])  # the CSV stays


def test_no_report_unless_asked(qgis_app, planted, tmp_path):
    folder, _ = planted
    result = processing.run(
        "terraembed:pca", {"INPUT": str(folder / "emb.tif"), "COMPONENTS": 2, "OUTPUT": str(tmp_path / "pca.tif")}
    )
    assert "OUTPUT_REPORT" not in result or not result["OUTPUT_REPORT"]
    assert sorted(os.listdir(tmp_path)) == ["pca.tif"]
