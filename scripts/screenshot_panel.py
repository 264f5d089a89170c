"""Render the TerraEmbed panel with the results of a run on the sample raster into docs/images/panel.png.

Runs offscreen in QGIS's Python with the real runtime worker:
    /usr/bin/python3 scripts/screenshot_panel.py [--weights TerraFM-B.pth] [--out docs/images/panel.png]

Without --weights (and without TerraFM-B weights set in the TerraEmbed settings) it generates test weights
(right keys and shapes, random values) with the runtime's Python, so the PCA colours show structure of the
sample, not pretrained features. The window shows a layer tree, the map canvas (sample in true colour,
the PCA layer of the run, the drawn area) and the panel after the run.
"""

import argparse
import os

# B404: the runtime's Python with an argument list, never a shell
import subprocess  # nosec B404
import sys
import tempfile
import time

from package_path import package_path

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", help="TerraFM-B weights file (default: generated test weights)")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "images", "panel.png"))
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    app, provider = start_qgis()

    from qgis.core import QgsApplication, QgsPointXY, QgsProject, QgsRectangle
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    use_weights(args.weights)
    project = QgsProject.instance()
    sample = true_colour_sample(project)
    window, canvas, tree, dock = desktop(project)
    canvas.setDestinationCrs(sample.crs())
    canvas.setExtent(sample.extent().buffered(150))
    wait(app, 0.3)

    dock.source.layer_combo.setLayer(sample)
    dock.output_dir.setFilePath(tempfile.mkdtemp(prefix="terraembed-screenshot-out-"))
    dock.run_name_edit.setText("sample_run")
    # draw the area of interest with the rectangle tool, as a user would
    aoi = QgsRectangle(400300, 5297400, 402900, 5299700)
    dock.area.draw_rect_button.click()
    tool = canvas.mapTool()

    def event(kind, point):
        pixel = canvas.getCoordinateTransform().transform(QgsPointXY(point))
        return QgsMapMouseEvent(
            canvas,
            kind,
            QPoint(int(pixel.x()), int(pixel.y())),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton,
        )

    tool.canvasPressEvent(event(QEvent.Type.MouseButtonPress, QgsPointXY(aoi.xMinimum(), aoi.yMaximum())))
    tool.canvasReleaseEvent(event(QEvent.Type.MouseButtonRelease, QgsPointXY(aoi.xMaximum(), aoi.yMinimum())))

    finished = []
    dock.runFinished.connect(lambda ok, message: finished.append((ok, message)))
    if not dock.start_run():
        sys.exit("The run did not start: %s" % dock.status_label.text())
    wait_until(app, lambda: finished, args.timeout, "the run")
    ok, message = finished[0]
    print(message)
    if not ok:
        sys.exit(1)
    tree.expandAll()
    group = project.layerTreeRoot().findGroup("sample_run")
    for node in group.children():
        if node.name().endswith("embedding grid"):
            node.setExpanded(False)
    # the environment check's findings, as a user sees them after pressing 'Check environment'
    checked = []
    dock.environmentChecked.connect(lambda ready, report: checked.append(ready))
    dock.environment.check()
    wait_until(app, lambda: checked, 120, None)
    dock.log_box.setCollapsed(True)
    dock.source.bands_box.setCollapsed(True)
    save_window(app, window, canvas, args.out)
    dock.shutdown()
    QgsApplication.processingRegistry().removeProvider(provider)
    window.deleteLater()
    wait(app, 0.2)
    app.exitQgis()


def start_qgis(platform="external"):
    """An offscreen QgsApplication with Processing and the TerraEmbed provider: (app, provider).
    platform "desktop": QGIS as the desktop application calls itself (the panel's warm worker)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    profile = tempfile.mkdtemp(prefix="terraembed-screenshot-profile-")
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = profile
    sys.path.insert(0, package_path())

    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], True, "", platform)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()

    from terraembed.algorithms.provider import TerraEmbedProvider

    provider = TerraEmbedProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def use_weights(weights=None):
    """TerraFM-B weights for the runs: the given file, the settings' one, or generated test weights."""
    from terraembed.shell import settings

    runtime_python = settings.runtime_python()
    if not os.path.isfile(runtime_python):
        sys.exit(
            "The TerraEmbed runtime was not found at %s: run scripts/setup (or set TERRAEMBED_RUNTIME_PYTHON)."
            % runtime_python
        )
    weights = weights or settings.weights_file("terrafm_b_s2")
    if not weights:
        weights = os.path.join(tempfile.mkdtemp(prefix="terraembed-weights-"), "TerraFM-B.pth")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([package_path(), os.path.join(REPO, "tests", "engine")]))
        subprocess.run(
            [
                runtime_python,
                "-c",
                "import sys, weights_factory; "  # nosec B603
                "weights_factory.make_terrafm_weights(sys.argv[1], seed=0)",
                weights,
            ],
            check=True,
            env=env,
        )
        print("Generated test weights: %s" % weights)
    settings.set_weights_file("terrafm_b_s2", weights)
    return weights


def true_colour_sample(project):
    """The sample raster in true colour (B4, B3, B2, 2-98 % stretch), added to the project."""
    from qgis.core import QgsContrastEnhancement, QgsMultiBandColorRenderer, QgsRasterLayer

    sample = QgsRasterLayer(os.path.join(REPO, "sample", "s2_sample.tif"), "s2_sample (true colour)")
    renderer = QgsMultiBandColorRenderer(sample.dataProvider(), 4, 3, 2)  # B4, B3, B2
    for band, setter in (
        (4, renderer.setRedContrastEnhancement),
        (3, renderer.setGreenContrastEnhancement),
        (2, renderer.setBlueContrastEnhancement),
    ):
        ce = QgsContrastEnhancement(sample.dataProvider().dataType(band))
        ce.setContrastEnhancementAlgorithm(QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
        lo, hi = sample.dataProvider().cumulativeCut(band, 0.02, 0.98)
        ce.setMinimumValue(lo)
        ce.setMaximumValue(hi)
        setter(ce)
    sample.setRenderer(renderer)
    project.addMapLayer(sample)
    return sample


def desktop(project, dock_width=520):
    """A small desktop: layer tree | message bar + canvas | TerraEmbed dock. (window, canvas, tree, dock)."""
    from qgis.core import QgsLayerTreeModel
    from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsLayerTreeView, QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

    from terraembed.ui.dock import TerraEmbedDock

    window = QMainWindow()
    window.setWindowTitle("QGIS - TerraEmbed")
    canvas = QgsMapCanvas()
    canvas.setCanvasColor(Qt.GlobalColor.white)
    bar = QgsMessageBar()
    tree = QgsLayerTreeView()
    model = QgsLayerTreeModel(project.layerTreeRoot())
    model.setFlag(QgsLayerTreeModel.Flag.AllowNodeChangeVisibility)
    tree.setModel(model)
    window.tree_model = model  # Python must keep the model (and the bridge) alive as long as the window
    window.bridge = QgsLayerTreeMapCanvasBridge(project.layerTreeRoot(), canvas)  # keeps canvas layers in sync
    centre = QWidget()
    cl = QVBoxLayout(centre)
    cl.setContentsMargins(0, 0, 0, 0)
    cl.addWidget(bar)
    cl.addWidget(canvas, 1)
    splitter = QSplitter()
    splitter.addWidget(tree)
    splitter.addWidget(centre)
    window.setCentralWidget(splitter)
    dock = TerraEmbedDock(canvas, bar, project, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(1600, 1180)
    window.show()
    window.resizeDocks([dock], [dock_width], Qt.Orientation.Horizontal)
    splitter.setSizes([280, 800])
    return window, canvas, tree, dock


def wait_until(app, condition, timeout, what):
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            if what:
                sys.exit("Timed out waiting for %s." % what)
            return
        app.processEvents()
        time.sleep(0.02)


def save_window(app, window, canvas, out):
    """Wait for the canvas to draw, then write the window as a PNG."""
    canvas.refresh()
    rendered = []
    canvas.mapCanvasRefreshed.connect(lambda: rendered.append(1))
    wait_until(app, lambda: rendered, 30, None)
    wait(app, 0.5)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if not window.grab().save(out, "PNG"):
        sys.exit("Could not write %s" % out)
    print("Screenshot: %s" % out)


def wait(app, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main()
