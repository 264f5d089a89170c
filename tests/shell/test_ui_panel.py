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

from terraembed.shell import settings
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
    assert files_in(out) == ["my_run_grid.stac.json", "my_run_grid.tif", "my_run_pca.tif", "my_run_pooled.gpkg"]
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
    assert files_in(out) == ["kept_grid.stac.json", "kept_grid.tif", "kept_pca.tif", "kept_pooled.gpkg"]
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


def test_periods_picker_reaches_the_algorithm(panel):
    iface, dock = panel
    dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))
    draw_rectangle(iface.canvas, dock, AOI_UTM)
    assert "PERIODS" not in dock.build_parameters()[0]  # empty: one run over the dates
    assert "2019..2025" in dock.source.periods.toolTip()
    dock.source.periods.setText(" 2019..2021 ")
    params, _, _ = dock.build_parameters()
    assert params["PERIODS"] == "2019..2021"
    from qgis.core import QgsProcessingContext

    algorithm = QgsApplication.processingRegistry().createAlgorithmById("terraembed:embed")
    ok, message = algorithm.checkParameterValues(params, QgsProcessingContext())
    assert ok, message
    dock.source.periods.setText("2021, 2019")
    with pytest.raises(Exception, match="Periods: .* list the periods in time order"):
        dock.build_parameters()


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
    from terraembed.shared import partials

    iface, dock = panel
    dock.output_dir.setFilePath(str(tmp_path))
    grid = str(tmp_path / "grid.tif")
    (tmp_path / "grid.tif").write_bytes(b"an earlier result")
    dead = partials.partial_path(grid, run=partials.run_token(pid=999999))
    live = partials.partial_path(grid, run=partials.run_token())  # this process: a run still going
    for path in (dead, live):
        with open(path, "wb") as f:
            f.write(b"partial")
    assert dock.clean_output_folder() == [dead]
    assert "Removed 1 leftover file" in dock.status_label.text()
    assert sorted(os.listdir(tmp_path)) == sorted(["grid.tif", os.path.basename(live)])
    assert dock.clean_output_folder() == [] and "Nothing to clean up" in dock.status_label.text()


# -- Explore ---------------------------------------------------------------------------------------
EXPLORE_H, EXPLORE_W, EXPLORE_D = 40, 60, 16


@pytest.fixture
def embedding_layer(tmp_path):
    """A planted embedding raster: three classes in vertical stripes of 20 columns, a nodata corner."""
    import numpy as np
    from osgeo import osr

    rng = np.random.default_rng(5)
    centres = rng.normal(size=(3, EXPLORE_D))
    cls = np.repeat(np.arange(3), 20)[None, :].repeat(EXPLORE_H, axis=0)
    data = centres[cls] + 0.3 * rng.normal(size=(EXPLORE_H, EXPLORE_W, EXPLORE_D))
    data[:3, :3] = np.nan
    path = str(tmp_path / "emb.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, EXPLORE_W, EXPLORE_H, EXPLORE_D, gdal.GDT_Float32)
    ds.SetGeoTransform((400000.0, 10.0, 0.0, 5300000.0, 0.0, -10.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(EXPLORE_D):
        ds.GetRasterBand(b + 1).WriteArray(data[:, :, b].astype("float32"))
        ds.GetRasterBand(b + 1).SetNoDataValue(float("nan"))
    ds.SetMetadataItem("TERRAEMBED_DIM", str(EXPLORE_D))
    ds = None
    layer = QgsRasterLayer(path, "embeddings")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


def cell_point(row, col):
    return QgsPointXY(400000.0 + 10.0 * col + 5.0, 5300000.0 - 10.0 * row - 5.0)


def raster_values(path, band=1):
    ds = gdal.Open(path)
    return ds.GetRasterBand(band).ReadAsArray()


@pytest.fixture
def explore_panel(desktop, embedding_layer):
    iface, plugin = desktop
    plugin.action.trigger()
    dock = plugin.dock
    canvas = iface.canvas
    canvas.setDestinationCrs(embedding_layer.crs())
    canvas.setLayers([embedding_layer])
    canvas.setExtent(embedding_layer.extent())
    process_events(0.1)
    box = dock.explore
    box.controller.storage = "float32"  # exact: the live maps equal the batch algorithms' within 1e-5
    box.layer_combo.setLayer(embedding_layer)
    box.start_button.click()
    assert canvas.mapTool() is box.tool
    wait_for(lambda: box.controller.info is not None)
    yield canvas, box
    box.stop()


def click(canvas, tool, point, button=Qt.LeftButton, shift=False):
    """A real release event on the explore tool (with Shift held when shift)."""
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(point))
    at = QPoint(int(round(pixel.x())), int(round(pixel.y())))
    modifiers = Qt.ShiftModifier if shift else Qt.NoModifier
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, at, button, Qt.NoButton, modifiers))


def answers(box, op):
    return box.controller.last.get(op)


def test_explore_clicks_map_similar_places_like_similarity_search(explore_panel, tmp_path):
    import numpy as np
    import processing

    canvas, box = explore_panel
    c = box.controller
    click(canvas, box.tool, cell_point(10, 25))
    wait_for(lambda: answers(box, "similarity") is not None)
    heat_layer = c.live["heat"]
    live = raster_values(heat_layer.source())
    assert np.nanmean(live[:, 20:40]) > np.nanmean(live[:, :20]) + 0.3 and np.isnan(live[:3, :3]).all()
    # until the slider is moved, a map shows its top 10 % of cells: the highest step with >= 10 % above
    valid, t = live[~np.isnan(live)], c.threshold
    assert (valid >= t).mean() >= 0.1 > (valid >= t + 0.001).mean()
    assert box.slider.value() == round(t * 1000) and "%.3f" % t in box.area_label.text()
    # a negative example (Shift+click), then the same labels through Similarity search
    first = answers(box, "similarity")
    click(canvas, box.tool, cell_point(30, 50), shift=True)
    wait_for(lambda: answers(box, "similarity") is not first)
    assert answers(box, "similarity")["negatives"] == 1
    live = raster_values(c.live["heat"].source())
    algorithm, parameters = c.processing_run()
    batch = processing.run(algorithm, dict(parameters, OUTPUT=str(tmp_path / "batch.tif")))
    diff = np.abs(live - raster_values(batch["OUTPUT"]))
    assert np.nanmax(diff) <= 1e-5 and np.array_equal(np.isnan(live), np.isnan(raster_values(batch["OUTPUT"])))
    # the slider re-styles and reads the area from the histogram: exact at its steps
    box.slider.setValue(400)
    cells = int((np.nan_to_num(live, nan=-9) >= 0.4).sum())
    assert "%.3f km" % (cells * 100 / 1e6) in box.area_label.text()
    assert c.live["heat"].renderer().classificationMin() == pytest.approx(0.4)
    wait_for(lambda: answers(box, "outline") is not None and c.live.get("outline") is not None)
    # hovering shows the value under the cursor
    box.tool.canvasMoveEvent(mouse(canvas, QEvent.MouseMove, cell_point(12, 30)))
    assert box.hover_label.text() == "similarity %.3f" % live[12, 30]
    # a click outside the raster is ignored and said; Ctrl+Z undoes the last label
    click(canvas, box.tool, QgsPointXY(390000.0, 5290000.0))
    wait_for(lambda: "ignored: outside the raster" in box.status.text())
    before = len(c.label_list())
    from qgis.PyQt.QtGui import QKeyEvent

    box.tool.keyPressEvent(QKeyEvent(QEvent.KeyPress, Qt.Key_Z, Qt.ControlModifier))
    assert len(c.label_list()) == before - 1 and box.label_list.count() == before - 1
    # results saved through the output transaction, added by the user from the folder
    out = tmp_path / "saved"
    out.mkdir()
    box.save_folder.setFilePath(str(out))
    box.save_button.click()
    wait_for(lambda: box.status.text().startswith("Saved: "))
    assert files_in(out) == [
        "embeddings_similar_areas.gpkg",
        "embeddings_similar_mask.tif",
        "embeddings_similarity.tif",
    ]


def test_explore_labels_are_saved_reloaded_and_map_classes(explore_panel, tmp_path):
    import numpy as np
    import processing
    from qgis.core import QgsVectorFileWriter

    canvas, box = explore_panel
    c = box.controller
    box.mode_combo.setCurrentIndex(1)
    bar = []
    box.problem.connect(bar.append)
    box.class_combo.setEditText("field")
    click(canvas, box.tool, cell_point(5, 5))  # one class so far: said in the panel, not the message bar
    wait_for(lambda: "at least 2 classes" in box.status.text())
    assert bar == []
    for name, cells in (("field", [(5, 5), (30, 12)]), ("forest", [(8, 28), (35, 33)]), ("water", [(20, 55), (6, 44)])):
        box.class_combo.setEditText(name)
        for row, col in cells:
            click(canvas, box.tool, cell_point(row, col))
    wait_for(lambda: answers(box, "fewshot") is not None and answers(box, "fewshot")["examples"] == [2, 2, 2])
    classes = raster_values(c.live["classes"].source())
    stripes = np.repeat(np.arange(1, 4), 20)[None, :].repeat(EXPLORE_H, axis=0)
    assert (classes[3:] == stripes[3:]).mean() > 0.95
    algorithm, parameters = c.processing_run()
    batch = processing.run(algorithm, dict(parameters, FOLDS=0, OUTPUT=str(tmp_path / "cls.tif")))
    assert np.array_equal(np.nan_to_num(classes, nan=0).astype(int), raster_values(batch["OUTPUT"]))
    box.tool.canvasMoveEvent(mouse(canvas, QEvent.MouseMove, cell_point(20, 50)))
    assert box.hover_label.text().startswith("water (p = ")
    # the labels saved as a GeoPackage and loaded again resume the session with the same answer
    gpkg = str(tmp_path / "labels.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(c.labels, gpkg, QgsProject.instance().transformContext(), options)
    saved = QgsVectorLayer(gpkg, "saved labels", "ogr")
    QgsProject.instance().addMapLayer(saved)
    old = c.labels
    old.dataProvider().truncate()
    box.labels_combo.setLayer(saved)
    assert c.labels is saved and box.label_list.count() == 7  # the first click on (5, 5) twice
    first = answers(box, "fewshot")
    wait_for(lambda: answers(box, "fewshot") is not first)
    assert np.array_equal(raster_values(c.live["classes"].source()), classes, equal_nan=True)
    assert {f["grid"] for f in saved.getFeatures()} == {"%d bands" % EXPLORE_D}
    # labels made on other embeddings are refused with the reason
    import shutil

    shutil.copy(gpkg, str(tmp_path / "other.gpkg"))
    other = QgsVectorLayer(str(tmp_path / "other.gpkg"), "other labels", "ogr")
    other.dataProvider().changeAttributeValues(
        {f.id(): {other.fields().indexOf("grid"): "terramind_v1_base 768-d"} for f in other.getFeatures()}
    )
    QgsProject.instance().addMapLayer(other)
    problems = []
    box.problem.connect(problems.append)
    box.labels_combo.setLayer(other)
    assert c.labels is saved and "other embeddings (terramind_v1_base 768-d)" in problems[-1]


def test_explore_session_restarts_a_killed_worker_and_ends_with_its_layer(explore_panel, embedding_layer):
    import signal

    canvas, box = explore_panel
    c = box.controller
    click(canvas, box.tool, cell_point(10, 25))
    wait_for(lambda: answers(box, "similarity") is not None)
    folder = os.path.dirname(c.live["heat"].source())
    os.kill(c.client.proc.pid, signal.SIGKILL)
    wait_for(lambda: "Restarting it; your labels are kept" in box.status.text() or c.info is None)
    wait_for(lambda: c.info is not None and answers(box, "similarity") is not None)
    assert len(c.label_list()) == 1
    client = c.client
    folder = os.path.dirname(c.live["heat"].source())
    QgsProject.instance().removeMapLayer(embedding_layer.id())
    process_events(0.2)
    assert c.client is None and not client.alive and not c.live
    assert canvas.mapTool() is not box.tool and box.start_button.text() == "Start"
    wait_for(lambda: not os.path.exists(folder), timeout=10)


KILLED_COMMIT = """
import os, sys
from terraembed.shared.transaction import GEOTIFF, Transaction
tx = Transaction()
for name in ("grid.tif", "pca.tif"):
    with open(tx.add(os.path.join(sys.argv[1], name), name, GEOTIFF), "w") as f:
        f.write("new")
moves = []
def die_at_the_second_move(action, path):
    if action == "move":
        moves.append(path)
        if len(moves) == 2:
            os._exit(9)  # killed outright: grid.tif is new, pca.tif still old
tx.on_step = die_at_the_second_move
tx.commit()
"""


def test_clean_up_restores_the_old_files_of_a_commit_killed_midway(panel, tmp_path):
    """A run killed between two renames of its commit left a new grid beside the old PCA: Clean up
    puts the old grid back (all old, never a mix) and leaves nothing else."""
    import subprocess
    import sys

    iface, dock = panel
    dock.output_dir.setFilePath(str(tmp_path))
    for name in ("grid.tif", "pca.tif"):
        (tmp_path / name).write_text("old")
    proc = subprocess.run([sys.executable, "-c", KILLED_COMMIT, str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert (tmp_path / "grid.tif").read_text() == "new" and (tmp_path / "pca.tif").read_text() == "old"
    assert dock.clean_output_folder() and "Removed" in dock.status_label.text()
    assert sorted(os.listdir(tmp_path)) == ["grid.tif", "pca.tif"]
    assert [(tmp_path / n).read_text() for n in ("grid.tif", "pca.tif")] == ["old", "old"]


def test_explore_reopens_a_replaced_raster_and_reprojects_labels_in_another_crs(
    explore_panel, embedding_layer, tmp_path
):
    import numpy as np
    from qgis.core import QgsCoordinateReferenceSystem

    from terraembed.ui import explore_layers

    canvas, box = explore_panel
    c = box.controller
    # labels in WGS 84: reprojected onto the raster's grid, none ignored
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    labels = explore_layers.new_label_layer(wgs84, "labels in WGS 84")
    for row, col in ((10, 25), (20, 30)):
        explore_layers.add_label(
            labels, cell_point(row, col), embedding_layer.crs(), 1, "", QgsProject.instance().transformContext()
        )
    QgsProject.instance().addMapLayer(labels)
    box.labels_combo.setLayer(labels)
    wait_for(lambda: answers(box, "similarity") is not None and answers(box, "similarity")["positives"] == 2)
    assert answers(box, "similarity")["ignored"] == [] and labels.crs().authid() == "EPSG:4326"
    # the raster rewritten on disk (the corner without data now has data): the session reopens on it
    path = embedding_layer.source()
    ds = gdal.Open(path, gdal.GA_Update)
    for b in range(1, EXPLORE_D + 1):
        band = ds.GetRasterBand(b)
        values = band.ReadAsArray()
        values[:3, :3] = 1.0
        band.WriteArray(values)
    ds = None
    old_client = c.client
    click(canvas, box.tool, cell_point(30, 30))
    wait_for(lambda: c.client is not old_client and c.info is not None)
    wait_for(lambda: answers(box, "similarity") is not None and answers(box, "similarity")["positives"] == 3)
    assert not np.isnan(raster_values(c.live["heat"].source())[:3, :3]).any()


def test_explore_without_a_runtime_says_what_to_install(desktop, embedding_layer, tmp_path):
    from terraembed.shell.client import RuntimeClient

    iface, plugin = desktop
    plugin.action.trigger()
    box = plugin.dock.explore
    box.controller.runtime = lambda: RuntimeClient(str(tmp_path / "no-runtime" / "python"))
    problems = []
    box.problem.connect(problems.append)
    box.layer_combo.setLayer(embedding_layer)
    box.start_button.click()
    assert problems and "runtime was not found" in problems[-1] and "Install or update runtime" in problems[-1]
    assert box.start_button.text() == "Start" and iface.canvas.mapTool() is not box.tool


def test_explore_follows_edits_of_the_label_layer_with_qgis_tools(explore_panel):
    canvas, box = explore_panel
    c = box.controller
    for row, col in ((10, 25), (20, 30)):
        click(canvas, box.tool, cell_point(row, col))
    wait_for(lambda: answers(box, "similarity") is not None and answers(box, "similarity")["positives"] == 2)
    first = answers(box, "similarity")
    layer = c.labels
    layer.startEditing()
    layer.deleteFeature(c.label_list()[0][0])  # QGIS's own editing, not the panel
    assert box.label_list.count() == 1
    wait_for(lambda: answers(box, "similarity") is not first)
    assert answers(box, "similarity")["positives"] == 1
    layer.rollBack()


# -- Explore: the timeline of a series ----------------------------------------------------------------
SERIES_LABELS = ["2019", "2020", "2021", "2022", "2023", "2024"]


@pytest.fixture
def series_files(tmp_path, runtime):
    """The planted series of tests/engine/synthetic.py (a break in rows 5..14 x cols 5..19 ending the
    4th period) as period GeoTIFFs and a series file, written by the runtime."""
    runtime.run(
        "import sys, numpy as np, rasterio\n"
        "import synthetic as s\n"
        "from terraembed.shared.periods import Period\n"
        "from terraembed.engine.pipeline.series import write_series\n"
        "arrays, _ = s.planted_series(periods=6)\n"
        "periods = []\n"
        "for k, a in enumerate(arrays):\n"
        "    path = s.write_raster(sys.argv[1] + '/p%d.tif' % k, a, nodata=np.nan)\n"
        "    label = str(2019 + k)\n"
        "    periods.append(Period(label, label + '-01-01', '%d-01-01' % (2020 + k), path))\n"
        "with rasterio.open(periods[0].file) as g:\n"
        "    write_series(sys.argv[1] + '/years.vrt', periods, model='', dimensions=g.count, grid=g)\n",
        str(tmp_path),
    )
    return tmp_path


def series_cell_point(row, col):  # synthetic.py's grid: 10 m cells from (500000, 4200000)
    return QgsPointXY(500000.0 + 10.0 * col + 5.0, 4200000.0 - 10.0 * row - 5.0)


def distances_at(folder, row, col):
    """The cosine distance of each period to the first and to the previous one, from the rasters."""
    import numpy as np

    cells = [gdal.Open(str(folder / ("p%d.tif" % k))).ReadAsArray()[:, row, col].astype("float64") for k in range(6)]

    def d(a, b):
        return 1.0 - float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))

    return [d(cells[0], c) for c in cells], [d(a, b) for a, b in zip(cells, cells[1:])]


def start_explore(desktop, layer):
    iface, plugin = desktop
    plugin.action.trigger()
    canvas, box = iface.canvas, plugin.dock.explore
    canvas.setDestinationCrs(layer.crs())
    canvas.setLayers([layer])
    canvas.setExtent(layer.extent())
    process_events(0.1)
    box.controller.storage = "float32"
    box.layer_combo.setLayer(layer)
    box.start_button.click()
    wait_for(lambda: box.controller.info is not None)
    return canvas, box


def test_explore_on_a_series_shows_a_clicked_cells_timeline_with_the_break(desktop, series_files):
    import numpy as np

    layer = QgsRasterLayer(str(series_files / "years.vrt"), "years")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    canvas, box = start_explore(desktop, layer)
    try:
        assert box.controller.info["series"]["explored"] == "2024" and "6 periods" in box.timeline.caption.text()
        click(canvas, box.tool, series_cell_point(8, 10))  # in the planted break
        wait_for(lambda: answers(box, "timeline") is not None)
        result = answers(box, "timeline")
        to_first, to_previous = distances_at(series_files, 8, 10)
        assert np.allclose(result["to_first"], to_first, atol=1e-5)
        assert np.allclose(result["to_previous"][1:], to_previous, atol=1e-5)
        assert result["break_label"] == "2022" and result["class"] == "one break"
        chart = box.timeline.chart
        assert not chart.isHidden() and chart.answer is result and "2022" in box.timeline.caption.text()
        chart.resize(300, 140)
        image = chart.grab().toImage()
        x = int(round(chart.break_x()))
        rect = chart.plot_rect()
        column = [image.pixelColor(x, int(y)) for y in np.linspace(rect.top() + 2, rect.bottom() - 2, 40)]
        assert any(c.red() > 150 and c.green() < 110 and c.blue() < 110 for c in column)  # the break, in red
        blue = [image.pixelColor(*[int(v) for v in (p.x(), p.y())]) for p in [chart.position(5, to_first[5])]]
        assert blue[0].blue() > blue[0].red()  # the distance to the first period, drawn in blue
        wait_for(lambda: answers(box, "similarity") is not None)  # the click is an example as ever
        assert box.controller.processing_run()[1]["INPUT"] == str(series_files / "p5.tif")  # the period explored
    finally:
        box.stop()


def test_explore_follows_a_series_picked_for_the_timeline(desktop, series_files):
    import numpy as np

    first = QgsRasterLayer(str(series_files / "p0.tif"), "2019")
    series = QgsRasterLayer(str(series_files / "years.vrt"), "years")
    QgsProject.instance().addMapLayers([first, series])
    canvas, box = start_explore(desktop, first)
    try:
        assert box.controller.info["series"] is None
        click(canvas, box.tool, series_cell_point(22, 30))  # no series yet: no timeline
        wait_for(lambda: answers(box, "similarity") is not None)
        assert answers(box, "timeline") is None and box.timeline.chart.isHidden()
        box.timeline.series_combo.setLayer(series)
        click(canvas, box.tool, series_cell_point(22, 30))  # in the periodic change
        wait_for(lambda: answers(box, "timeline") is not None)
        result = answers(box, "timeline")
        assert np.allclose(result["to_first"], distances_at(series_files, 22, 30)[0], atol=1e-5)
        assert result["class"] == "repeated change" and not box.timeline.chart.isHidden()
    finally:
        box.stop()


def test_explore_where_to_label_next_shows_suggestions_as_points(explore_panel):
    import math

    canvas, box = explore_panel
    c = box.controller
    box.mode_combo.setCurrentIndex(1)
    box.class_combo.setEditText("field")
    click(canvas, box.tool, cell_point(20, 5))
    box.suggest_count.setValue(5)
    box.suggest_button.click()  # one class only: said in the status line
    wait_for(lambda: "Suggestions need examples of 2 kinds" in box.status.text())
    box.class_combo.setEditText("water")
    click(canvas, box.tool, cell_point(20, 55))
    wait_for(lambda: answers(box, "fewshot") is not None)
    box.suggest_button.click()
    wait_for(lambda: answers(box, "suggest") is not None)
    layer = c.live["suggest"]
    assert layer.name() == "Explore: where to label next" and layer.featureCount() == 5
    assert layer.renderer().symbol().symbolLayer(0).shape() is not None  # the star of algorithms/styling.py
    points = [f.geometry().asPoint() for f in layer.getFeatures()]
    labels = [(item["x"], item["y"]) for _, item in c.label_list()]
    spacing = answers(box, "suggest")["spacing"]
    assert spacing == 50.0  # 5 cells of 10 m
    assert all(math.hypot(p.x() - x, p.y() - y) >= spacing for p in points for x, y in labels)
    assert all(math.hypot(p.x() - q.x(), p.y() - q.y()) >= spacing for p in points for q in points if p is not q)
    for f in layer.getFeatures():  # "class" empty (NULL) to fill; the two most likely classes
        assert (f["class"] is None or str(f["class"]) == "NULL") and {f["first_class"], f["second_class"]} == {
            "field",
            "water",
        }
    assert "5 places to label next" in box.status.text()
    layer_id = layer.id()
    box.stop()  # a live layer: it goes with the session
    assert QgsProject.instance().mapLayer(layer_id) is None
