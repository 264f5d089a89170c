"""Change over time through processing.run in real QGIS: the planted series (tests/engine/synthetic.py,
written by the runtime) gives back its break and its classes; a bad series is refused by name and
writes nothing."""

import os

import numpy as np
import processing
import pytest
from osgeo import gdal, ogr
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsRasterLayer, QgsVectorLayer

ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid
LABELS = ["2019", "2020", "2021", "2022", "2023", "2024"]


@pytest.fixture(scope="module")
def series(tmp_path_factory, runtime):
    """The planted periods as GeoTIFFs (one per period) and the regions of change."""
    folder = tmp_path_factory.mktemp("series")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "arrays, regions = s.planted_series(periods=6)\n"
        "for k, a in enumerate(arrays): s.write_raster(sys.argv[1] + '/p%d.tif' % k, a, nodata=np.nan)\n"
        "np.save(sys.argv[1] + '/break.npy', regions['break'])\n"
        "np.save(sys.argv[1] + '/periodic.npy', regions['periodic'])\n"
        "s.write_raster(sys.argv[1] + '/bands8.tif', arrays[0][:8])\n"
        "import rasterio\n"
        "from terraembed.shared.periods import Period\n"
        "from terraembed.engine.pipeline.series import write_series\n"
        "periods = [Period(str(2019 + k), '%d-01-01' % (2019 + k), '%d-01-01' % (2020 + k), "
        "sys.argv[1] + '/p%d.tif' % k) for k in range(6)]\n"
        "with rasterio.open(periods[0].file) as g:\n"
        "    write_series(sys.argv[1] + '/years.vrt', periods, model='', dimensions=g.count, grid=g)\n"
        "print(s.SERIES_BREAK_AT + 1)\n",
        str(folder),
    )
    layers = []
    for k, label in enumerate(LABELS):
        layer = QgsRasterLayer(str(folder / ("p%d.tif" % k)), label)
        assert layer.isValid()
        layers.append(layer)
    return folder, layers, np.load(folder / "break.npy"), np.load(folder / "periodic.npy")


def read(path):
    return gdal.Open(str(path)).ReadAsArray()


def _feature_layer():
    layer = QgsVectorLayer("Point?crs=EPSG:32633&field=name:string", "places", "memory")
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(ORIGIN_X + 7.5 * RES, ORIGIN_Y - 7.5 * RES)))  # row 7, col 7
    f.setAttributes(["clearing"])
    layer.dataProvider().addFeatures([f])
    return layer


def test_change_over_time_recovers_the_planted_break_and_classes(qgis_app, series, tmp_path, feedback):
    folder, layers, brk, periodic = series
    result = processing.run(
        "terraembed:change_series",
        {
            "PERIODS": layers,
            "FEATURES": _feature_layer(),
            "NAME_FIELD": "name",
            "OUTPUT": str(tmp_path / "change.tif"),
            "CLASSES": str(tmp_path / "classes.tif"),
            "POLYGONS": str(tmp_path / "areas.gpkg"),
            "OUTPUT_REPORT": str(tmp_path / "report.html"),
        },
        feedback=feedback,
    )
    change, classes = read(result["OUTPUT"]), read(result["CLASSES"])
    assert change.shape == (4,) + brk.shape
    assert (change[1][brk] == 4).all()  # the break ends the 4th period
    assert (classes[brk] == 2).all() and (classes[periodic] == 3).all() and (classes[~brk & ~periodic] == 1).all()
    assert result["CHANGED"] == pytest.approx((brk | periodic).mean())
    source = ogr.Open(result["POLYGONS"])
    rows = [(f.GetField("class"), f.GetField("break_period"), f.GetField("cells")) for f in source.GetLayer()]
    assert ("one break", "2022", int(brk.sum())) in rows
    text = open(result["OUTPUT_REPORT"], encoding="utf-8").read()
    assert "clearing" in text and "Timelines of the features" in text
    assert any(i.startswith("6 periods (2019 to 2024)") for i in feedback.infos)


def test_a_series_of_two_models_is_refused_by_name(qgis_app, series, tmp_path):
    folder, layers, _, _ = series
    odd = QgsRasterLayer(str(folder / "bands8.tif"), "odd year")
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:change_series",
            {"PERIODS": layers[:2] + [odd], "OUTPUT": str(tmp_path / "c.tif"), "CLASSES": str(tmp_path / "k.tif")},
        )
    assert "'odd year'" in str(err.value) and "8 dimensions" in str(err.value)
    assert not os.path.exists(tmp_path / "c.tif") and not os.path.exists(tmp_path / "k.tif")


def test_one_period_is_refused_with_the_way_to_compare_two_dates(qgis_app, series, tmp_path):
    _, layers, _, _ = series
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:change_series", {"PERIODS": layers[:1], "OUTPUT": str(tmp_path / "c.tif")})
    assert "Change between dates" in str(err.value)
    assert os.listdir(tmp_path) == []


def test_a_series_file_is_one_input_with_its_own_labels(qgis_app, series, tmp_path):
    folder, _, brk, periodic = series
    result = processing.run(
        "terraembed:change_series",
        {
            "PERIODS": [str(folder / "years.vrt")],
            "OUTPUT": str(tmp_path / "change.tif"),
            "POLYGONS": str(tmp_path / "a.gpkg"),
        },
    )
    assert (read(result["OUTPUT"])[1][brk] == 4).all()
    source = ogr.Open(result["POLYGONS"])  # kept: its layer lives only as long as it
    rows = [(f.GetField("class"), f.GetField("break_period")) for f in source.GetLayer()]
    assert ("one break", "2022") in rows and sum(c == "repeated change" for c, _ in rows) >= 1
