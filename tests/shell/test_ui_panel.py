"""The TerraEmbed panel under offscreen QGIS: a real main window with a QgsMapCanvas and a QgsMessageBar
(DesktopIface, below), the real map tools driven with QgsMapMouseEvent, and real runs of terraembed:embed
in QGIS's task manager with the runtime worker and generated weights."""

import os
import time

import pytest
from osgeo import gdal
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsMultiBandColorRenderer,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMessageBar
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
from qgis.PyQt.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from terraembed.runtime import settings
from terraembed.ui import gui, results
from terraembed.ui.dock import TerraEmbedDock

AOI_UTM = QgsRectangle(400500, 5297500, 402800, 5299500)  # inside the sample (400000..403200, 5297120..5300000)
CELL = 160.0  # 16 pixels of 10 m


class DesktopIface:
    """The part of QgisInterface the plugin's GUI uses, made of real Qt/QGIS widgets: a main window with a
    toolbar, Plugins and Raster menus, a message bar and a map canvas; dock widgets go into the window."""

    def __init__(self):
        self.window = QMainWindow()
        central = QWidget()
        layout = QVBoxLayout(central)
        self.bar = QgsMessageBar()
        self.canvas = QgsMapCanvas()
        layout.addWidget(self.bar)
        layout.addWidget(self.canvas, 1)
        self.window.setCentralWidget(central)
        self.toolbar = self.window.addToolBar("Plugins")
        self.menus = {
            "plugins": self.window.menuBar().addMenu("Plugins"),
            "raster": self.window.menuBar().addMenu("Raster"),
        }
        self.window.resize(1100, 800)
        self.window.show()

    def mainWindow(self):  # noqa: N802
        return self.window

    def mapCanvas(self):  # noqa: N802
        return self.canvas

    def messageBar(self):  # noqa: N802
        return self.bar

    def addDockWidget(self, area, dock):  # noqa: N802
        self.window.addDockWidget(area, dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self.window.removeDockWidget(dock)

    def addToolBarIcon(self, action):  # noqa: N802
        self.toolbar.addAction(action)

    def removeToolBarIcon(self, action):  # noqa: N802
        self.toolbar.removeAction(action)

    def _submenu(self, which, name):
        menu = self.menus[which]
        for action in menu.actions():
            if action.menu() is not None and action.text() == name:
                return action.menu()
        return menu.addMenu(name)

    def addPluginToMenu(self, name, action):  # noqa: N802
        self._submenu("plugins", name).addAction(action)

    def removePluginMenu(self, name, action):  # noqa: N802
        self._submenu("plugins", name).removeAction(action)

    def addPluginToRasterMenu(self, name, action):  # noqa: N802
        self._submenu("raster", name).addAction(action)

    def removePluginRasterMenu(self, name, action):  # noqa: N802
        self._submenu("raster", name).removeAction(action)


class Plugin:
    """What plugin.py's TerraEmbedPlugin gives install_gui: iface, dock, action."""

    def __init__(self, iface):
        self.iface = iface
        self.dock = None
        self.action = None


def process_events(seconds=0.0):
    end = time.monotonic() + seconds
    while True:
        QgsApplication.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.01)


def wait_for(predicate, timeout=240.0, what="the task"):
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for %s" % what)
        QgsApplication.processEvents()
        time.sleep(0.02)


def mouse(canvas, kind, point, button=Qt.LeftButton):
    """A real QgsMapMouseEvent at the device pixel of a map point."""
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(point))
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else button
    return QgsMapMouseEvent(canvas, kind, QPoint(int(round(pixel.x())), int(round(pixel.y()))), button, buttons)


def files_in(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.fixture
def desktop(qgis_app, runtime_python, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    iface = DesktopIface()
    plugin = Plugin(iface)
    gui.install_gui(plugin)
    yield iface, plugin
    gui.remove_gui(plugin)
    process_events()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()
    iface.window.close()
    iface.window.deleteLater()
    process_events()
    # processEvents() leaves deferred deletes queued: the window (and the dock's layer combo, which
    # follows the project's layers) would live on into the next test and react to its layers
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def sample_layer(sample_s2):
    layer = QgsRasterLayer(sample_s2, "s2_sample")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def weights_in_settings(terrafm_weights):
    settings.set_weights_file("terrafm_b_s2", terrafm_weights)
    yield terrafm_weights
    settings.set_weights_file("terrafm_b_s2", "")


@pytest.fixture
def panel(desktop, sample_layer, tmp_path):
    """The panel opened from its toolbar action, the canvas showing the sample, output to tmp_path/out."""
    iface, plugin = desktop
    plugin.action.trigger()
    dock = plugin.dock
    assert isinstance(dock, TerraEmbedDock) and dock.isUserVisible()
    canvas = iface.canvas
    canvas.setDestinationCrs(sample_layer.crs())
    canvas.setLayers([sample_layer])
    canvas.setExtent(sample_layer.extent())
    process_events(0.1)
    dock.source.layer_combo.setLayer(sample_layer)
    dock.output_dir.setFilePath(str(tmp_path / "out"))
    dock.finished_runs = []
    dock.runFinished.connect(lambda ok, message: dock.finished_runs.append((ok, message)))
    return iface, dock


def draw_rectangle(canvas, dock, rect):
    dock.area.draw_rect_button.click()
    tool = canvas.mapTool()
    assert tool is dock.area.rect_tool
    tool.canvasPressEvent(mouse(canvas, QEvent.MouseButtonPress, QgsPointXY(rect.xMinimum(), rect.yMaximum())))
    tool.canvasMoveEvent(mouse(canvas, QEvent.MouseMove, rect.center()))
    tool.canvasReleaseEvent(mouse(canvas, QEvent.MouseButtonRelease, QgsPointXY(rect.xMaximum(), rect.yMinimum())))
    return tool


def close(a, b, tolerance):
    return (
        abs(a.xMinimum() - b.xMinimum()) <= tolerance
        and abs(a.xMaximum() - b.xMaximum()) <= tolerance
        and abs(a.yMinimum() - b.yMinimum()) <= tolerance
        and abs(a.yMaximum() - b.yMaximum()) <= tolerance
    )


# -- GUI hooks --------------------------------------------------------------------------------------------


def test_install_adds_toolbar_and_menus_and_remove_takes_them_away(qgis_app):
    iface = DesktopIface()
    plugin = Plugin(iface)
    gui.install_gui(plugin)
    assert plugin.action in iface.toolbar.actions()
    for which in ("plugins", "raster"):
        entries = iface._submenu(which, gui.MENU).actions()
        assert plugin.action in entries and plugin.settings_action in entries
    assert plugin.dock is None  # created on first use
    plugin.action.trigger()
    dock = plugin.dock
    assert dock is not None and dock.isUserVisible() and plugin.action.isChecked()
    assert iface.window.dockWidgetArea(dock) == Qt.RightDockWidgetArea
    plugin.action.trigger()
    assert not dock.isUserVisible()
    gui.remove_gui(plugin)
    assert plugin.dock is None and plugin.action is None
    assert iface.toolbar.actions() == []
    for which in ("plugins", "raster"):
        assert iface._submenu(which, gui.MENU).actions() == []
    iface.window.close()


def test_model_picker_shows_modality_bands_size_and_weights(panel, weights_in_settings, tmp_path, monkeypatch):
    _, dock = panel
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terrafm_b_s2"))
    dock.model.refresh()
    text = dock.model.info.text()
    assert "Sentinel-2" in text and "(12)" in text and "B8A" in text and "768" in text
    assert "present" in text and "TerraFM-B.pth" in text and weights_in_settings in dock.model.info.toolTip()
    # TerraMind tiny: 192-dim; its weights looked up in the Hugging Face cache layout
    cache = tmp_path / "hf"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terramind_v1_tiny"))
    text = dock.model.info.text()
    assert "192" in text and "not present" in text and "TerraMind_v1_tiny.pt" in text
    assert "ibm-esa-geospatial/TerraMind-1.0-tiny" in dock.model.info.toolTip()
    snapshot = cache / "models--ibm-esa-geospatial--TerraMind-1.0-tiny" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "TerraMind_v1_tiny.pt").write_bytes(b"x")
    dock.model.refresh()
    assert "&#10003;" in dock.model.info.text() or "present" in dock.model.info.text()
    assert "not present" not in dock.model.info.text()
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terrafm_b_s1"))
    assert "Sentinel-1" in dock.model.info.text() and "VV, VH" in dock.model.info.text()


def test_band_mapping_preview(panel, sample_layer):
    _, dock = panel
    assert dock.source.bands_table.rowCount() == 12
    assert dock.source.bands_table.item(0, 0).text() == "B1"
    assert dock.source.auto_bands == list(range(1, 13))
    assert dock.source.chosen_bands() == []  # automatic: the algorithm matches
    dock.source.bands_table.cellWidget(0, 1).setCurrentIndex(2)  # the user maps B1 to band 2
    assert dock.source.chosen_bands()[0] == 2 and len(dock.source.chosen_bands()) == 12


def test_terramind_on_several_sensors_takes_a_sentinel1_layer(panel, sample_s1):
    """The Sentinel-1 / DEM pickers show for the sensors the model reads besides Sentinel-2; with an S1
    layer the band mapping is the S2 layer's 12 bands and the S1 layer reaches INPUT_S1."""
    _, dock = panel
    source = dock.source
    s1 = QgsRasterLayer(sample_s1, "s1_sample")
    QgsProject.instance().addMapLayer(s1)
    assert source.sensor_combos["S1"].isHidden() and source.sensor_combos["DEM"].isHidden()  # TerraFM-B S2
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terramind_v1_tiny_s2_s1"))
    assert not source.sensor_combos["S1"].isHidden() and source.sensor_combos["DEM"].isHidden()
    assert source.sensor_combos["S1"].currentLayer() is None  # optional: empty by default
    assert source.bands_table.rowCount() == 14  # S2 and VV, VH all from the one layer
    assert "14 bands" in source.bands_status.text()  # the 12-band sample cannot hold them
    source.sensor_combos["S1"].setLayer(s1)
    assert source.bands_table.rowCount() == 12 and source.auto_bands == list(range(1, 13))
    params, _, _ = dock.build_parameters()
    assert params["INPUT_S1"] == sample_s1 and "INPUT_DEM" not in params and "BANDS" not in params
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terramind_v1_tiny_s2_s1_dem"))
    assert not source.sensor_combos["DEM"].isHidden()
    dock.model.combo.setCurrentIndex(dock.model.combo.findData("terrafm_b_s2"))
    assert source.sensor_combos["S1"].isHidden()
    assert "INPUT_S1" not in dock.build_parameters()[0]  # a picker the model does not read is not passed


def test_rectangle_tool_sets_the_aoi(panel):
    iface, dock = panel
    canvas = iface.canvas
    draw_rectangle(canvas, dock, AOI_UTM)
    pixel = canvas.mapUnitsPerPixel()
    assert dock.area.aoi is not None and close(dock.area.aoi.rect, AOI_UTM, 2 * pixel)
    assert dock.area.aoi.crs.authid() == "EPSG:32633"
    assert not dock.area.draw_rect_button.isChecked() and canvas.mapTool() is not dock.area.rect_tool
    assert "EPSG:32633" in dock.area.label.text()
    assert not dock.area.band.asGeometry().isEmpty()


def test_polygon_tool_layer_and_view_aoi(panel, tmp_path):
    iface, dock = panel
    canvas = iface.canvas
    dock.area.draw_polygon_button.click()
    tool = canvas.mapTool()
    assert tool is dock.area.polygon_tool
    corners = [QgsPointXY(400600, 5297600), QgsPointXY(402000, 5297700), QgsPointXY(401500, 5299000)]
    for p in corners:
        tool.canvasReleaseEvent(mouse(canvas, QEvent.MouseButtonRelease, p))
    tool.canvasReleaseEvent(mouse(canvas, QEvent.MouseButtonRelease, corners[-1], Qt.RightButton))
    pixel = canvas.mapUnitsPerPixel()
    assert close(dock.area.aoi.rect, QgsRectangle(400600, 5297600, 402000, 5299000), 2 * pixel)
    assert dock.area.aoi.geometry.type() == 2 and dock.area.aoi.is_polygon
    # the drawn polygon itself goes to the algorithm (AOI_LAYER), not only its bounding box
    dock.output_dir.setFilePath(str(tmp_path))
    params, _, _ = dock.build_parameters()
    drawn = QgsVectorLayer(params["AOI_LAYER"], "aoi", "ogr")
    assert drawn.featureCount() == 1 and "ignored" in dock.area.label.text()
    polygon = next(drawn.getFeatures()).geometry()
    polygon.transform(
        QgsCoordinateTransform(drawn.crs(), QgsCoordinateReferenceSystem("EPSG:32633"), QgsProject.instance())
    )
    assert polygon.area() == pytest.approx(dock.area.aoi.geometry.area(), rel=1e-3)
    # the map view
    dock.area.view_button.click()
    assert close(dock.area.aoi.rect, canvas.extent(), 1e-6)
    # selected features of a polygon layer (in another CRS)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "fields", "memory")
    features = []
    for x, y in [(14.0, 47.8), (14.02, 47.82)]:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y, x + 0.005, y + 0.005)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    dock.area.layer_combo.setLayer(layer)
    dock.area.selected.setChecked(True)
    dock.area.use_polygon_layer()
    assert "no selected features" in dock.status_label.text()
    layer.selectByIds([next(layer.getFeatures()).id()])
    dock.area.use_polygon_layer()
    assert dock.area.aoi.crs.authid() == "EPSG:4326"
    assert close(dock.area.aoi.rect, QgsRectangle(14.0, 47.8, 14.005, 47.805), 1e-9)
    dock.area.clear()
    assert dock.area.aoi is None and "whole raster" in dock.area.label.text()


# -- runs -------------------------------------------------------------------------------------------------


def test_run_adds_styled_layers_in_a_group(panel, weights_in_settings, sample_layer, tmp_path):
    iface, dock = panel
    canvas = iface.canvas
    draw_rectangle(canvas, dock, AOI_UTM)
    aoi = QgsRectangle(dock.area.aoi.rect)
    dock.run_name_edit.setText("my run")
    progress, etas = [], []
    assert dock.start_run()
    dock.run.progress.connect(lambda p, eta: (progress.append(p), etas.append(dock.eta_label.text())))
    assert not dock.run_button.isEnabled() and dock.cancel_button.isEnabled()
    tasks = [t.description() for t in QgsApplication.taskManager().tasks()]
    assert "TerraEmbed: my_run" in tasks  # visible in QGIS's task manager
    wait_for(lambda: dock.finished_runs)
    ok, message = dock.finished_runs[0]
    assert ok, (message, dock.log_view.toPlainText())
    assert any(0 < p < 99 for p in progress) and progress == sorted(progress)  # shown monotonic
    assert any("left" in text for text in etas), etas  # an ETA was shown
    assert dock.progress_bar.value() == 100 and "Done in" in dock.eta_label.text()
    assert "my_run" in message and "768" in message

    group = QgsProject.instance().layerTreeRoot().findGroup("my_run")
    assert group is not None
    names = [child.name() for child in group.children()]
    assert names == ["my_run pooled embedding", "my_run PCA", "my_run embedding grid"]
    pca, grid, pooled = dock.last_layers["pca"], dock.last_layers["grid"], dock.last_layers["pooled"]
    for layer in (pca, grid, pooled):
        assert QgsProject.instance().mapLayer(layer.id()) is layer
        assert layer.crs().authid() == "EPSG:32633"
    # PCA: RGB with a stretch; grid hidden; pooled visible
    assert isinstance(pca.renderer(), QgsMultiBandColorRenderer)
    assert (pca.renderer().redBand(), pca.renderer().greenBand(), pca.renderer().blueBand()) == (1, 2, 3)
    assert (
        pca.renderer().redContrastEnhancement().maximumValue() > pca.renderer().redContrastEnhancement().minimumValue()
    )
    assert not group.findLayer(grid.id()).itemVisibilityChecked()
    assert group.findLayer(pca.id()).itemVisibilityChecked() and group.findLayer(pooled.id()).itemVisibilityChecked()
    # extent: the drawn area snapped to whole 16-pixel cells
    assert grid.bandCount() == 768 and pca.bandCount() == 3
    assert close(pca.extent(), aoi, CELL) and close(grid.extent(), aoi, CELL)
    assert grid.rasterUnitsPerPixelX() == pytest.approx(CELL)
    assert pooled.featureCount() == 1 and close(pooled.extent(), grid.extent(), 1e-6)
    feature = next(pooled.getFeatures())
    assert (
        feature["model"] == "terrafm_b_s2" and len([n for n in pooled.fields().names() if n.startswith("emb_")]) == 768
    )
    out = tmp_path / "out"
    assert files_in(out) == ["my_run_grid.tif", "my_run_pca.tif", "my_run_pooled.gpkg"]
    # the same algorithm as the toolbox: panel output equals processing.run's output for the same parameters
    import processing

    params = dict(dock.run_parameters)
    params.update(
        {
            "OUTPUT_GRID": str(tmp_path / "tb_grid.tif"),
            "OUTPUT_PCA": str(tmp_path / "tb_pca.tif"),
            "OUTPUT_POOLED": str(tmp_path / "tb_pooled.gpkg"),
        }
    )
    toolbox = processing.run("terraembed:embed", params)
    a = gdal.Open(toolbox["OUTPUT_GRID"]).ReadAsArray()
    b = gdal.Open(os.path.join(str(out), "my_run_grid.tif")).ReadAsArray()
    assert a.shape == b.shape and abs(a - b).max() < 1e-5
    # a second run with the same name gets a new group and new files
    assert dock.start_run()
    assert dock.run_name == "my_run_2"
    wait_for(lambda: len(dock.finished_runs) == 2)
    assert dock.finished_runs[1][0] and QgsProject.instance().layerTreeRoot().findGroup("my_run_2") is not None


def test_cancel_adds_nothing_and_writes_nothing(panel, weights_in_settings, tmp_path):
    iface, dock = panel
    settings.set_value("batch_size", 1)  # several batches, so the cancel lands mid-inference
    try:
        stages = []
        assert dock.start_run()
        from terraembed.algorithms.base import stage_words

        inference = stage_words("infer")

        def on_stage(text):
            stages.append(text)
            if inference in text and dock.cancel_button.isEnabled():
                dock.cancel_button.click()

        dock.run.stage.connect(on_stage)
        wait_for(lambda: dock.finished_runs)
    finally:
        settings.set_value("batch_size", 0)
    ok, message = dock.finished_runs[0]
    assert not ok and "cancelled" in message, message
    assert any(inference in s for s in stages)
    assert QgsProject.instance().layerTreeRoot().findGroups() == []
    assert files_in(tmp_path / "out") == []
    assert dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()
    assert not any(
        t.description().startswith("TerraEmbed") and t.status() in (t.Queued, t.Running)
        for t in QgsApplication.taskManager().tasks()
    )


def test_layers_that_cannot_be_added_keep_the_files(panel, weights_in_settings, tmp_path, monkeypatch):
    """A display problem after a successful run is a warning: the run's committed files stay."""
    iface, dock = panel

    def broken(project, name, outputs):
        raise RuntimeError("the layer tree is locked")

    monkeypatch.setattr(results, "add_results", broken)
    dock.run_name_edit.setText("kept")
    assert dock.start_run()
    wait_for(lambda: dock.finished_runs)
    ok, message = dock.finished_runs[0]
    assert ok, (message, dock.log_view.toPlainText())
    assert "Its files are kept" in message and "the layer tree is locked" in message, message
    out = tmp_path / "out"
    for name in ("kept_grid.tif", "kept_pca.tif", "kept_pooled.gpkg"):
        assert name in message and (out / name).is_file(), (name, files_in(out))
    assert files_in(out) == ["kept_grid.tif", "kept_pca.tif", "kept_pooled.gpkg"]
    item = iface.bar.currentItem()
    assert item is not None and item.level() == Qgis.MessageLevel.Warning and "Layer > Add Layer" in item.text()


def test_error_is_shown_in_panel_and_message_bar(panel, weights_in_settings, tmp_path):
    iface, dock = panel
    path = str(tmp_path / "rgb.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 64, 64, 3, gdal.GDT_UInt16)
    ds.SetGeoTransform((400000, 10, 0, 5300000, 0, -10))
    ds = None
    rgb = QgsRasterLayer(path, "rgb")
    QgsProject.instance().addMapLayer(rgb)
    dock.source.layer_combo.setLayer(rgb)
    assert "needs 12 bands" in dock.source.bands_status.text()  # the preview already says so
    assert dock.start_run()
    wait_for(lambda: dock.finished_runs)
    ok, message = dock.finished_runs[0]
    assert not ok
    assert "needs 12 bands" in dock.status_label.text() and "Traceback" not in dock.status_label.text()
    item = iface.bar.currentItem()
    assert item is not None and "needs 12 bands" in item.text()
    assert QgsProject.instance().layerTreeRoot().findGroups() == []
    assert files_in(tmp_path / "out") == []


def test_panel_refuses_to_start_without_what_it_needs(panel):
    iface, dock = panel
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))  # Earth Engine without an AOI
    assert not dock.start_run()
    assert "needs an area of interest" in dock.status_label.text()
    assert "needs an area of interest" in iface.bar.currentItem().text()
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("raster"))
    dock.output_dir.setFilePath("")
    assert not dock.start_run() and "output folder" in dock.status_label.text()


def test_environment_check_from_the_panel(panel):
    iface, dock = panel
    reports = []
    dock.environmentChecked.connect(lambda ready, report: reports.append((ready, report)))
    assert dock.environment.check()
    assert not dock.environment.check_button.isEnabled()
    wait_for(lambda: reports, what="the environment check")
    ready, report = reports[0]
    assert "TerraEmbed environment report" in report and "Ready:" in report
    assert dock.environment.report_button.isEnabled() and dock.environment.label.text()
    if not ready:
        assert "FIX:" in dock.environment.label.text()
    dock.environment.show_report()
    assert dock.environment.report_dialog.text.toPlainText() == report


def test_environment_check_without_runtime_names_the_fix(panel, monkeypatch, tmp_path):
    iface, dock = panel
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", str(tmp_path / "no-runtime" / "python"))
    reports = []
    dock.environmentChecked.connect(lambda ready, report: reports.append((ready, report)))
    dock.environment.check()
    wait_for(lambda: reports, what="the environment check")
    ready, report = reports[0]
    assert not ready
    assert "PROBLEM:" in dock.environment.label.text() and "Install" in dock.environment.label.text()


def test_unloading_the_plugin_during_a_run_cancels_it_safely(desktop, sample_layer, weights_in_settings, tmp_path):
    iface, plugin = desktop
    dock = gui.show_panel(plugin)
    dock.source.layer_combo.setLayer(sample_layer)
    dock.output_dir.setFilePath(str(tmp_path / "out"))
    assert dock.start_run()
    run = dock.run
    finished = []
    run.done.connect(lambda ok, results, errors, cancelled: finished.append(cancelled))
    process_events(0.5)
    gui.remove_gui(plugin)  # plugin unload while the task runs
    assert plugin.dock is None and plugin.action is None
    wait_for(lambda: finished)
    assert finished == [True]
    assert QgsProject.instance().layerTreeRoot().findGroups() == []
    assert files_in(tmp_path / "out") == []
    gui.install_gui(plugin)  # the fixture's teardown removes it again


def test_earth_engine_parameters(panel):
    iface, dock = panel
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))
    assert dock.source.stack.currentIndex() == 1 and "Earth Engine needs one" in dock.area.label.text()
    draw_rectangle(iface.canvas, dock, AOI_UTM)
    dock.source.start_date.setDate(dock.source.start_date.date().addDays(-30))
    dock.source.max_cloud.setValue(12.5)
    params, name, outputs = dock.build_parameters()
    assert params["SOURCE"] == 1 and "INPUT" not in params
    assert params["START_DATE"] == "2022-05-02" and params["END_DATE"] == "2022-09-01"
    assert params["MAX_CLOUD"] == 12.5 and params["EE_SCALE"] == 10.0
    assert params["AOI"].crs().authid() == "EPSG:32633" and name.startswith("terrafm_b_s2_ee_s2_")
    # the algorithm accepts them as they are
    from qgis.core import QgsProcessingContext

    algorithm = QgsApplication.processingRegistry().createAlgorithmById("terraembed:embed")
    ok, message = algorithm.checkParameterValues(params, QgsProcessingContext())
    assert ok, message
    dock.source.end_date.setDate(dock.source.start_date.date())
    with pytest.raises(Exception) as err:
        dock.build_parameters()
    assert "start date must be before" in str(err.value)


def test_tile_overlap_choice_reaches_the_algorithm(panel):
    iface, dock = panel
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))
    draw_rectangle(iface.canvas, dock, AOI_UTM)
    assert dock.overlap_combo.currentData() == "none"
    params, _, _ = dock.build_parameters()
    assert params["OVERLAP"] == 0
    dock.overlap_combo.setCurrentIndex(dock.overlap_combo.findData("50%"))
    params, _, _ = dock.build_parameters()
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("terraembed:embed")
    assert algorithm.parameterDefinition("OVERLAP").options()[params["OVERLAP"]].startswith("50%")


def test_grid_compression_choice_reaches_the_algorithm(panel):
    iface, dock = panel
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))
    draw_rectangle(iface.canvas, dock, AOI_UTM)
    assert dock.grid_compression_combo.currentData() == "none"  # the algorithm's default
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("terraembed:embed")
    definition = algorithm.parameterDefinition("GRID_COMPRESSION")
    assert dock.build_parameters()[0]["GRID_COMPRESSION"] == definition.defaultValue()
    dock.grid_compression_combo.setCurrentIndex(dock.grid_compression_combo.findData("deflate"))
    params, _, _ = dock.build_parameters()
    assert definition.options()[params["GRID_COMPRESSION"]].startswith("DEFLATE")


def test_clean_up_removes_leftovers_of_dead_runs_only(panel, tmp_path):
    from terraembed import protocol

    iface, dock = panel
    dock.output_dir.setFilePath(str(tmp_path))
    grid = str(tmp_path / "grid.tif")
    (tmp_path / "grid.tif").write_bytes(b"an earlier result")
    dead = protocol.partial_path(grid, run=protocol.run_token(pid=999999))
    live = protocol.partial_path(grid, run=protocol.run_token())  # this process: a run still going
    for path in (dead, live):
        with open(path, "wb") as f:
            f.write(b"partial")
    assert dock.clean_output_folder() == [dead]
    assert "Removed 1 leftover file" in dock.status_label.text()
    assert sorted(os.listdir(tmp_path)) == sorted(["grid.tif", os.path.basename(live)])
    assert dock.clean_output_folder() == [] and "Nothing to clean up" in dock.status_label.text()
