"""Google's int8 AlphaEarth files through processing.run: a small fake of its COG (written by the
runtime's synthetic helpers in the documented layout: 64 int8 bands A00..A63, nodata -128) with planted
classes, taken by the analysis algorithms as embeddings (de-quantised, -128 nodata)."""

import numpy as np
import processing
import pytest
from osgeo import gdal
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid
H, W = 40, 50


@pytest.fixture(scope="module")
def cog(tmp_path_factory, runtime):
    """(folder, labels, masked): aef.tif, 3 Voronoi classes, the first two rows masked (-128); the unit
    vectors before quantisation in vectors.npy."""
    folder = tmp_path_factory.mktemp("alphaearth")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "labels = s.voronoi_labels(3, %d, %d, seed=2)\n"
        "masked = np.zeros(labels.shape, bool); masked[:2] = True\n"
        "path, vectors = s.alphaearth_cog(sys.argv[1] + '/aef.tif', labels, masked, seed=2)\n"
        "np.save(sys.argv[1] + '/labels.npy', labels); np.save(sys.argv[1] + '/vectors.npy', vectors)\n" % (H, W),
        str(folder),
    )
    labels = np.load(folder / "labels.npy")
    masked = np.zeros(labels.shape, bool)
    masked[:2] = True
    return folder, labels, masked


def test_the_cog_is_signed_8_bit_as_google_publishes_it(qgis_app, cog):
    ds = gdal.Open(str(cog[0] / "aef.tif"))
    band = ds.GetRasterBand(1)
    assert ds.RasterCount == 64 and band.GetDescription() == "A00" and band.GetNoDataValue() == -128
    if hasattr(gdal, "GDT_Int8"):  # GDAL >= 3.7 (QGIS 3.40 on Debian 13)
        assert band.DataType == gdal.GDT_Int8
    else:  # GDAL 3.6 (QGIS 3.22): a signed byte
        assert band.DataType == gdal.GDT_Byte and band.GetMetadataItem("PIXELTYPE", "IMAGE_STRUCTURE") == "SIGNEDBYTE"


def test_similarity_on_the_cog_uses_the_dequantised_embeddings(
    qgis_app, runtime_python, cog, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    folder, labels, masked = cog
    row, col = 20, 25
    ref = QgsVectorLayer("Point?crs=EPSG:32633", "ref", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(ORIGIN_X + (col + 0.5) * RES, ORIGIN_Y - (row + 0.5) * RES)))
    ref.dataProvider().addFeatures([f])
    result = processing.run(
        "terraembed:similarity",
        {"INPUT": str(folder / "aef.tif"), "REFERENCE": ref, "OUTPUT": str(tmp_path / "sim.tif")},
        feedback=feedback,
    )
    sim = gdal.Open(result["OUTPUT"]).ReadAsArray()
    vectors = np.load(folder / "vectors.npy")  # the unit vectors the codes stand for
    oracle = np.einsum("bhw,b->hw", vectors, vectors[:, row, col])
    assert np.isnan(sim[masked]).all()
    assert np.abs(sim[~masked] - oracle[~masked]).max() < 0.02
    assert any("Google's int8 distribution" in line and "de-quantised" in line for line in feedback.infos)
    assert not feedback.warnings


def test_cluster_on_the_cog_recovers_the_planted_classes(qgis_app, runtime_python, cog, tmp_path, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    folder, labels, masked = cog
    result = processing.run(
        "terraembed:cluster", {"INPUT": str(folder / "aef.tif"), "K": 3, "OUTPUT": str(tmp_path / "k.tif")}
    )
    classes = gdal.Open(result["OUTPUT"]).ReadAsArray()
    assert (classes[masked] == 0).all()
    for code in (1, 2, 3):  # every cluster is one planted class
        assert len(np.unique(labels[classes == code])) == 1
