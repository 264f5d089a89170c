"""Where the classifier is unsure and a classifier to reuse, through processing.run in real QGIS: Few-shot
classification with its uncertainty raster, where to label next and the saved classifier, then Apply
classifier on the training raster (the same classes cell by cell) and on rasters it must refuse."""

import json

import numpy as np
import processing
import pytest
from osgeo import gdal
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer

ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid
H, W, D = 40, 60, 16
REGION = (8, 4, 32, 22)


@pytest.fixture(scope="module")
def rasters(tmp_path_factory, runtime):
    """synthetic.ambiguous_raster (tagged as terrafm_b) and the same with 8 bands; the region and classes."""
    folder = tmp_path_factory.mktemp("classifier")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "tags = {'TERRAEMBED_MODEL': 'terrafm_b', 'TERRAEMBED_DIM': '16'}\n"
        "_, classes, mask, _ = s.ambiguous_raster(sys.argv[1] + '/emb.tif', 40, 60, 16, (8, 4, 32, 22), seed=3,"
        " tags=tags)\n"
        "s.ambiguous_raster(sys.argv[1] + '/emb8.tif', 40, 60, 8, (8, 4, 32, 22), seed=3)\n"
        "np.save(sys.argv[1] + '/classes.npy', classes); np.save(sys.argv[1] + '/mask.npy', mask)\n",
        str(folder),
    )
    return folder, np.load(folder / "classes.npy"), np.load(folder / "mask.npy")


def cell_xy(row, col):
    return ORIGIN_X + (col + 0.5) * RES, ORIGIN_Y - (row + 0.5) * RES


def labels_layer():
    layer = QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string", "labels", "memory")
    cells = [((2, 2), "left"), ((36, 5), "left"), ((3, 25), "left"), ((20, 23), "left")]
    cells += [((2, 40), "right"), ((37, 45), "right"), ((20, 55), "right")]
    features = []
    for (row, col), name in cells:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*cell_xy(row, col))))
        f.setAttributes([name])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def read(path, band=None):
    ds = gdal.Open(str(path))
    return ds.ReadAsArray() if band is None else ds.GetRasterBand(band).ReadAsArray()


@pytest.fixture(scope="module")
def classified(qgis_app, rasters, tmp_path_factory):
    folder, _, _ = rasters
    out = tmp_path_factory.mktemp("classified")
    return processing.run(
        "terraembed:classify",
        {
            "INPUT": str(folder / "emb.tif"),
            "LABELS": labels_layer(),
            "FIELD": "cls",
            "FOLDS": 0,
            "OUTPUT": str(out / "classes.tif"),
            "UNCERTAINTY": str(out / "unsure.tif"),
            "SUGGESTIONS": str(out / "next.gpkg"),
            "SUGGESTION_COUNT": 6,
            "SUGGESTION_SPACING": 40,
            "CLASSIFIER": str(out / "left_right.json"),
        },
    )


def test_classify_writes_uncertainty_suggestions_and_the_classifier(classified, rasters):
    _, _, mask = rasters
    unsure = read(classified["UNCERTAINTY"], 1)
    assert unsure[mask].min() > unsure[~mask].max()
    layer = QgsVectorLayer(classified["SUGGESTIONS"], "next", "ogr")
    assert layer.isValid() and layer.featureCount() == 6
    assert {"class", "uncertainty", "margin", "first_class", "second_class"} <= set(layer.fields().names())
    for f in layer.getFeatures():
        p = f.geometry().asPoint()
        row, col = int((ORIGIN_Y - p.y()) // RES), int((p.x() - ORIGIN_X) // RES)
        assert mask[row, col]  # in the planted uncertain region
        assert f["class"] is None or str(f["class"]) == "NULL"  # empty, ready to fill
    with open(classified["CLASSIFIER"], encoding="utf-8") as f:
        body = json.load(f)
    assert body["classes"] == ["left", "right"] and body["embeddings"]["model"] == "terrafm_b"


def test_apply_classifier_equals_the_classifier_fitted_in_place(classified, rasters, tmp_path):
    folder, _, _ = rasters
    result = processing.run(
        "terraembed:apply_classifier",
        {
            "INPUT": str(folder / "emb.tif"),
            "CLASSIFIER": classified["CLASSIFIER"],
            "OUTPUT": str(tmp_path / "applied.tif"),
            "UNCERTAINTY": str(tmp_path / "unsure.tif"),
            "OUTPUT_REPORT": str(tmp_path / "apply.html"),
        },
    )
    np.testing.assert_array_equal(read(result["OUTPUT"]), read(classified["OUTPUT"]))
    assert result["OUTPUT_REPORT"] == str(tmp_path / "apply.html")
    assert "Predicted cells per class" in open(result["OUTPUT_REPORT"], encoding="utf-8").read()
    np.testing.assert_allclose(read(result["UNCERTAINTY"]), read(classified["UNCERTAINTY"]), atol=1e-6)
    assert result["CLASSES"] == "left,right"


def test_apply_classifier_refuses_other_dimensions_and_edited_files(classified, rasters, tmp_path):
    folder, _, _ = rasters
    with pytest.raises(QgsProcessingException, match="it has 8 bands, the classifier's embeddings 16 dimensions"):
        processing.run(
            "terraembed:apply_classifier",
            {
                "INPUT": str(folder / "emb8.tif"),
                "CLASSIFIER": classified["CLASSIFIER"],
                "OUTPUT": str(tmp_path / "a.tif"),
            },
        )
    with open(classified["CLASSIFIER"], encoding="utf-8") as f:
        body = json.load(f)
    body["classes"] = ["right", "left"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="was changed after it was saved"):
        processing.run(
            "terraembed:apply_classifier",
            {"INPUT": str(folder / "emb.tif"), "CLASSIFIER": str(edited), "OUTPUT": str(tmp_path / "b.tif")},
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.json"]
