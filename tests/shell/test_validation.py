"""Spatial validation in Few-shot classification and Compare embeddings through processing.run in real
QGIS: an informative raster against noise on another grid, labels in another CRS, and the bad inputs."""

import csv

import numpy as np
import processing
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid


@pytest.fixture(scope="module")
def rasters(tmp_path_factory, runtime):
    """informative.tif (3 planted classes, noisy), noise.tif (20 m cells, no classes), labels.npy."""
    folder = tmp_path_factory.mktemp("validation")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "labels = s.voronoi_labels(3, 60, 60, seed=7)\n"
        "data, _ = s.embed_labels(labels, bands=32, noise=2.5, seed=7)\n"
        "s.write_raster(sys.argv[1] + '/informative.tif', data)\n"
        "noise = np.random.default_rng(1).normal(size=(16, 30, 30))\n"
        "s.write_raster(sys.argv[1] + '/noise.tif', noise, transform=s.grid_transform(res=20.0))\n"
        "np.save(sys.argv[1] + '/labels.npy', labels)\n",
        str(folder),
    )
    return folder, np.load(folder / "labels.npy")


def labels_layer(labels, per_class, seed, crs="EPSG:32633"):
    """Points on random cells of each class, as class1..class3, in `crs`."""
    layer = QgsVectorLayer("Point?crs=%s&field=cls:string" % crs, "labels", "memory")
    to_crs = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:32633"), QgsCoordinateReferenceSystem(crs), QgsProject.instance()
    )
    rng = np.random.default_rng(seed)
    feats = []
    for cls in (1, 2, 3):
        rows, cols = np.nonzero(labels == cls)
        for i in rng.choice(len(rows), per_class, replace=False):
            f = QgsFeature(layer.fields())
            point = QgsPointXY(ORIGIN_X + (cols[i] + 0.5) * RES, ORIGIN_Y - (rows[i] + 0.5) * RES)
            f.setGeometry(QgsGeometry.fromPointXY(to_crs.transform(point)))
            f.setAttributes(["class%d" % cls])
            feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_classify_with_spatial_blocks(qgis_app, rasters, tmp_path, feedback):
    folder, labels = rasters
    result = processing.run(
        "terraembed:classify",
        {
            "INPUT": str(folder / "informative.tif"),
            "LABELS": labels_layer(labels, 40, 0),
            "FIELD": "cls",
            "VALIDATION": 1,  # spatial blocks
            "VALIDATION_BLOCK_SIZE": 0,
            "OUTPUT": str(tmp_path / "cls.tif"),
            "REPORT": str(tmp_path / "acc.csv"),
            "OUTPUT_REPORT": str(tmp_path / "report.html"),
        },
        feedback=feedback,
    )
    assert 0 <= result["ACCURACY_LOW"] <= result["ACCURACY_HIGH"] <= 1
    assert result["ACCURACY_HIGH"] - result["ACCURACY_LOW"] > 0.0 and 0.6 < result["MACRO_F1"] <= 1
    assert any("spatial blocks of 120 map units" in i for i in feedback.infos)
    rows = {r["class"]: r for r in csv.DictReader(open(result["REPORT"]))}
    assert float(rows["accuracy"]["fold_low_95"]) == pytest.approx(result["ACCURACY_LOW"], abs=1e-5)
    html = (tmp_path / "report.html").read_text()
    assert "Learning curve" in html and "95% interval across folds" in html


def test_classify_blocks_larger_than_the_area(qgis_app, rasters, tmp_path):
    folder, labels = rasters
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:classify",
            {
                "INPUT": str(folder / "informative.tif"),
                "LABELS": labels_layer(labels, 10, 0),
                "FIELD": "cls",
                "VALIDATION": 1,
                "VALIDATION_BLOCK_SIZE": 5000,
                "OUTPUT": str(tmp_path / "cls.tif"),
            },
        )
    assert "larger than the labelled area" in str(err.value) and "largest block that works here is" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_compare_ranks_informative_above_noise(qgis_app, rasters, tmp_path, feedback):
    folder, labels = rasters
    result = processing.run(
        "terraembed:compare",
        {
            "INPUTS": [str(folder / "noise.tif"), str(folder / "informative.tif")],
            "LABELS": labels_layer(labels, 40, 1, crs="EPSG:4326"),  # labels in another CRS than the rasters
            "FIELD": "cls",
            "OUTPUT": str(tmp_path / "compare.csv"),
            "OUTPUT_REPORT": str(tmp_path / "compare.html"),
        },
        feedback=feedback,
    )
    assert result["BEST"] == "informative" and result["BEST_ACCURACY"] > 0.7
    rows = list(csv.DictReader(open(result["OUTPUT"])))
    assert [r["raster"] for r in rows] == ["informative", "noise"]
    assert rows[1]["within_folds_spread"] == "no" and float(rows[1]["difference_low_95"]) > 0
    assert (rows[0]["dimensions"], rows[1]["dimensions"]) == ("32", "16")
    assert float(rows[1]["cell_size"]) == 20.0 and rows[0]["training_cells"] == rows[1]["training_cells"] == "120"
    html = (tmp_path / "compare.html").read_text()
    assert "beyond the folds&#x27; spread" in html and "Learning curve" in html
    assert any(i.startswith("1. informative: linear probe") for i in feedback.infos)


def test_compare_needs_two_rasters_and_overlap(qgis_app, rasters, tmp_path, runtime):
    folder, labels = rasters
    params = {"LABELS": labels_layer(labels, 5, 2), "FIELD": "cls", "OUTPUT": str(tmp_path / "c.csv")}
    with pytest.raises(QgsProcessingException, match="two or more embedding rasters"):
        processing.run("terraembed:compare", dict(params, INPUTS=[str(folder / "informative.tif")]))
    far = tmp_path / "far"
    far.mkdir()
    runtime.run(
        "import sys, numpy as np\nimport synthetic as s\n"
        "s.write_raster(sys.argv[1] + '/far.tif', np.ones((8, 10, 10)),\n"
        "               transform=s.grid_transform((700000.0, 4200000.0)))\n",
        str(far),
    )
    with pytest.raises(QgsProcessingException, match="The raster 'far' does not overlap the labelled features"):
        processing.run(
            "terraembed:compare", dict(params, INPUTS=[str(folder / "informative.tif"), str(far / "far.tif")])
        )
    assert not (tmp_path / "c.csv").exists()
