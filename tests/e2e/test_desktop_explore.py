"""Explore in desktop QGIS (the real `qgis` binary on a virtual X screen): real mouse clicks on the map
canvas (a plain click, then a Shift+click) through the panel's Explore tool, and the live map equals
*Similarity search* run through qgis_process on the label layer the clicks made."""

import json
import os

import numpy as np
from conftest import RUNTIME_PYTHON, run_desktop_qgis
from osgeo import gdal, osr

H, W, D = 40, 60, 16
STARTUP = """
import json, shutil, time
from qgis.core import QgsProject, QgsRasterLayer, QgsPointXY, QgsVectorFileWriter
from qgis.utils import iface, plugins
from qgis.PyQt.QtCore import QTimer, Qt, QPoint
from qgis.PyQt.QtTest import QTest

RESULT, RASTER, OUT = %r, %r, %r
state = {"step": "start", "t": time.monotonic()}

def report(**data):
    with open(RESULT, "w") as f:
        json.dump(data, f)
    from qgis.core import QgsApplication
    QgsApplication.exit(0)

def pixel(row, col):
    point = QgsPointXY(400000.0 + 10.0 * col + 5.0, 5300000.0 - 10.0 * row - 5.0)
    p = iface.mapCanvas().getCoordinateTransform().transform(point)
    return QPoint(int(round(p.x())), int(round(p.y())))

def tick():
    try:
        run()
    except Exception as exc:
        import traceback
        report(error=traceback.format_exc())

def run():
    canvas = iface.mapCanvas()
    if time.monotonic() - state["t"] > 240:
        report(error="timed out at step %%s" %% state["step"])
        return
    if state["step"] == "start":
        layer = QgsRasterLayer(RASTER, "embeddings")
        QgsProject.instance().addMapLayer(layer)
        canvas.setDestinationCrs(layer.crs())
        canvas.setExtent(layer.extent())
        plugin = plugins["terraembed"]
        plugin.action.trigger()
        state["box"] = box = plugin.dock.explore
        box.controller.storage = "float32"
        box.layer_combo.setLayer(layer)
        box.start_button.click()
        state["step"] = "opening"
    box = state["box"]
    c = box.controller
    if state["step"] == "opening" and c.info is not None and canvas.mapTool() is box.tool:
        canvas.refresh()
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel(10, 25))
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pixel(30, 50))
        state["step"] = "clicked"
    elif state["step"] == "clicked":
        answer = c.last.get("similarity")
        if answer and answer["negatives"] == 1:
            shutil.copy(c.live["heat"].source(), OUT + "/live.tif")
            options = QgsVectorFileWriter.SaveVectorOptions()
            options.driverName = "GeoJSON"
            QgsVectorFileWriter.writeAsVectorFormatV2(
                c.labels, OUT + "/labels.geojson", QgsProject.instance().transformContext(), options)
            labels = [item for _, item in c.label_list()]
            status, ms = box.status.text(), answer["round_trip_ms"]
            box.stop()
            report(labels=labels, status=status, round_trip_ms=ms, live_layers=len(c.live))
            return
    QTimer.singleShot(100, tick)

QTimer.singleShot(1000, tick)
"""


def _planted(path):
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(3, D))
    cls = np.repeat(np.arange(3), 20)[None, :].repeat(H, axis=0)
    data = centres[cls] + 0.3 * rng.normal(size=(H, W, D))
    ds = gdal.GetDriverByName("GTiff").Create(str(path), W, H, D, gdal.GDT_Float32)
    ds.SetGeoTransform((400000.0, 10.0, 0.0, 5300000.0, 0.0, -10.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(D):
        ds.GetRasterBand(b + 1).WriteArray(data[:, :, b].astype("float32"))
    ds = None
    return str(path)


def test_explore_in_desktop_qgis_equals_similarity_search(tmp_path, qgis_process):
    raster = _planted(tmp_path / "emb.tif")
    result = tmp_path / "result.json"
    script = tmp_path / "startup.py"
    script.write_text(STARTUP % (str(result), raster, str(tmp_path)))
    proc = run_desktop_qgis(tmp_path, script, dict(os.environ, TERRAEMBED_RUNTIME_PYTHON=RUNTIME_PYTHON), timeout=400)
    assert result.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(result.read_text())
    assert "error" not in data, data.get("error")
    assert [(item["sign"]) for item in data["labels"]] == [1, -1]
    assert "1 positive, 1 negative; answered in" in data["status"] and data["live_layers"] == 0
    batch = tmp_path / "batch.tif"
    qgis_process(
        "run",
        "terraembed:similarity",
        "--",
        "INPUT=%s" % raster,
        "REFERENCE=%s" % (tmp_path / "labels.geojson"),
        "SIGN_FIELD=sign",
        "OUTPUT=%s" % batch,
        check=True,
    )
    live = gdal.Open(str(tmp_path / "live.tif")).ReadAsArray()
    expected = gdal.Open(str(batch)).ReadAsArray()
    assert np.nanmax(np.abs(live - expected)) <= 1e-5
    assert np.nanmean(live[:, 20:40]) > np.nanmean(live[:, 40:]) + 0.5  # like the click, unlike the negative
