"""Render the Explore tool in use into docs/images/explore.png: the sample's embedding grid, a click
in the lake and one in the river, the live similarity map at its threshold, its outline and the panel.

Runs offscreen in QGIS's Python with the real runtime worker:
    /usr/bin/python3 scripts/screenshot_explore.py [--weights TerraFM-B.pth] [--out docs/images/explore.png]

Like scripts/screenshot_panel.py it generates test weights when none are given, so the embeddings
show the sample's structure, not pretrained features.
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import screenshot_panel as shot  # the shared offscreen desktop

CLICKS = ((402300, 5299300, 1), (401100, 5297900, 1))  # x, y (UTM 33N), sign: the lake, the river


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", help="TerraFM-B weights file (default: generated test weights)")
    parser.add_argument("--out", default=os.path.join(shot.REPO, "docs", "images", "explore.png"))
    args = parser.parse_args()
    app, provider = shot.start_qgis()

    import processing
    from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, Qt

    shot.use_weights(args.weights)
    project = QgsProject.instance()
    sample = shot.true_colour_sample(project)
    grid_path = os.path.join(tempfile.mkdtemp(prefix="terraembed-screenshot-explore-"), "grid.tif")
    processing.run("terraembed:embed", {"INPUT": sample.source(), "MODEL": 0, "OUTPUT_GRID": grid_path})
    grid = QgsRasterLayer(grid_path, "sample embeddings (768-d)")
    project.addMapLayer(grid)
    project.layerTreeRoot().findLayer(grid.id()).setItemVisibilityChecked(False)
    window, canvas, tree, dock = shot.desktop(project)
    canvas.setDestinationCrs(sample.crs())
    canvas.setExtent(sample.extent().buffered(150))
    shot.wait(app, 0.3)

    box = dock.explore
    box.layer_combo.setLayer(grid)
    box.start_button.click()
    shot.wait_until(app, lambda: box.controller.info is not None, 120, "the explore session")
    for x, y, sign in CLICKS:
        at = _pixel(canvas, x, y)
        button = Qt.MouseButton.LeftButton if sign > 0 else Qt.MouseButton.RightButton
        box.tool.canvasReleaseEvent(
            QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, at, button, Qt.MouseButton.NoButton)
        )
    answer = lambda: box.controller.last.get("similarity")  # noqa: E731
    shot.wait_until(app, lambda: answer() and answer()["positives"] == len(CLICKS), 60, "the answer")
    shot.wait_until(app, lambda: "outline" in box.controller.live, 30, None)
    x, y, _ = CLICKS[0]
    box.tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseMove, _pixel(canvas, x, y)))
    tree.expandAll()
    dock.log_box.setCollapsed(True)
    dock.source.bands_box.setCollapsed(True)
    dock.widget().ensureWidgetVisible(box)
    shot.save_window(app, window, canvas, args.out)
    dock.shutdown()
    QgsApplication.processingRegistry().removeProvider(provider)
    window.deleteLater()
    shot.wait(app, 0.2)
    app.exitQgis()


def _pixel(canvas, x, y):
    from qgis.core import QgsPointXY
    from qgis.PyQt.QtCore import QPoint

    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(int(p.x()), int(p.y()))


if __name__ == "__main__":
    main()
