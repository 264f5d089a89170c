"""Map tools to draw an area of interest on the canvas: a rectangle (press, drag, release) or a
polygon (left clicks add vertices, right click or double click finishes, Esc cancels, Backspace
removes the last vertex). Both emit the result in the canvas's CRS; the panel keeps it with that CRS.
"""

from qgis.core import QgsGeometry, QgsPointXY, QgsRectangle
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from ..algorithms import compat

RUBBER_COLOR = QColor(255, 120, 0, 200)
RUBBER_FILL = QColor(255, 120, 0, 40)


def make_rubber_band(canvas, geometry_type=compat.POLYGON_GEOMETRY):
    band = QgsRubberBand(canvas, geometry_type)
    band.setStrokeColor(RUBBER_COLOR)
    band.setFillColor(RUBBER_FILL)
    band.setWidth(2)
    return band


class _AoiTool(QgsMapTool):
    """Common parts: a rubber band, Esc to cancel, a crosshair cursor."""

    cancelled = pyqtSignal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self.band = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _band(self):
        if self.band is None:
            self.band = make_rubber_band(self.canvas())
        return self.band

    def reset(self):
        if self.band is not None:
            self.band.reset(compat.POLYGON_GEOMETRY)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.reset()
            self.cancelled.emit()
            event.accept()
            return
        event.ignore()

    def deactivate(self):
        self.reset()
        super().deactivate()

    def remove_band(self):
        if self.band is not None:
            self.canvas().scene().removeItem(self.band)
            self.band = None


class RectangleTool(_AoiTool):
    """Press, drag, release: emits extentDrawn(QgsRectangle) in the canvas CRS. A click without a drag
    (an empty rectangle) is ignored."""

    extentDrawn = pyqtSignal(QgsRectangle)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.start = None

    def canvasPressEvent(self, event):  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.start = QgsPointXY(event.mapPoint())
        self._show(self.start)

    def canvasMoveEvent(self, event):  # noqa: N802
        if self.start is not None:
            self._show(QgsPointXY(event.mapPoint()))

    def canvasReleaseEvent(self, event):  # noqa: N802
        if self.start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = QgsRectangle(self.start, QgsPointXY(event.mapPoint()))
        rect.normalize()
        self.start = None
        self.reset()
        if rect.width() > 0 and rect.height() > 0:
            self.extentDrawn.emit(rect)

    def _show(self, end):
        rect = QgsRectangle(self.start, end)
        self._band().setToGeometry(QgsGeometry.fromRect(rect), None)


class PolygonTool(_AoiTool):
    """Left clicks add vertices; right click or double click finishes (at least 3 vertices): emits
    polygonDrawn(QgsGeometry) in the canvas CRS."""

    polygonDrawn = pyqtSignal(QgsGeometry)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points = []
        self._ignore_release = False

    def canvasPressEvent(self, event):  # noqa: N802
        pass

    def canvasReleaseEvent(self, event):  # noqa: N802
        if self._ignore_release:  # the release that ends a double click
            self._ignore_release = False
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.points.append(QgsPointXY(event.mapPoint()))
            self._show()
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    def canvasDoubleClickEvent(self, event):  # noqa: N802
        # the double click's first click was already added by its release event
        self._ignore_release = True
        self.finish()

    def canvasMoveEvent(self, event):  # noqa: N802
        if self.points:
            self._show(QgsPointXY(event.mapPoint()))

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Backspace and self.points:
            self.points.pop()
            self._show()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            event.accept()
            return
        super().keyPressEvent(event)

    def reset(self):
        self.points = []
        super().reset()

    def finish(self):
        points = self._distinct(self.points)
        self.reset()
        if len(points) < 3:
            return
        geometry = QgsGeometry.fromPolygonXY([points + [points[0]]])
        if geometry.isEmpty() or geometry.area() <= 0:
            return
        self.polygonDrawn.emit(geometry)

    @staticmethod
    def _distinct(points):
        out = []
        for p in points:
            if not out or p != out[-1]:
                out.append(p)
        return out

    def _show(self, hover=None):
        points = list(self.points) + ([hover] if hover is not None else [])
        band = self._band()
        if len(points) >= 3:
            band.setToGeometry(QgsGeometry.fromPolygonXY([points + [points[0]]]), None)
        elif len(points) == 2:
            band.setToGeometry(QgsGeometry.fromPolylineXY(points), None)
        else:
            band.reset(compat.POLYGON_GEOMETRY)
