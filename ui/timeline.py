"""The timeline of a cell of a series, in the Explore part of the panel: the series to follow (the
explored raster when it is a series, or one the user picks), the question for the worker (the
session's "timeline" op, engine/analysis/timeline.py) and a small chart drawn with Qt's painter: the
cosine distance of each period to the first (blue) and to the previous one (orange), the break
(the period that ends the largest step) marked in red."""

from qgis.core import QgsCoordinateTransform
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QPainter, QPen, QPolygonF
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..algorithms import compat, inputs
from ..shell.i18n import tr

TO_FIRST, TO_PREVIOUS, BREAK, AXIS = (
    QColor(59, 110, 168),
    QColor(224, 138, 30),
    QColor(192, 57, 43),
    QColor(140, 149, 159),
)
MARGIN = (40, 18, 14, 22)  # left, top, right, bottom: room for the axis' numbers and period labels


def query(info, raster, series_layer, point, crs, transform_context):
    """The timeline op's args for a click at point (in crs): the explored raster's series (info's
    "series") or series_layer's file, the point in that raster's CRS; None without a series. Without
    a point: the args that only open the series (the first click then pays no opening)."""
    series = (info or {}).get("series")
    if series:
        path, layer = series["path"], raster
    elif series_layer is not None and inputs.local_raster_path(series_layer):
        path, layer = inputs.local_raster_path(series_layer), series_layer
    else:
        return None
    if point is None:
        return {"series": path}
    p = QgsCoordinateTransform(crs, layer.crs(), transform_context).transform(point)
    return {"series": path, "x": p.x(), "y": p.y()}


def explored_input(info, raster):
    """What a batch run of the explored map reads: the layer, or the file of the series' period
    that the session explores (a series file holds every period's bands)."""
    return info["path"] if (info or {}).get("series") else raster


class TimelineChart(QWidget):
    """set_timeline(answer) with the timeline op's answer; drawn in paintEvent."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.answer = None
        self.setFixedHeight(130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_timeline(self, answer):
        self.answer = answer
        self.update()

    def plot_rect(self):
        left, top, right, bottom = MARGIN
        return QRectF(left, top, max(1, self.width() - left - right), max(1, self.height() - top - bottom))

    def top_value(self):
        values = [v for key in ("to_first", "to_previous") for v in self.answer[key] if v is not None]
        return max([0.1] + values) * 1.1

    def position(self, index, value):
        """The pixel of period `index` (0-based) at a distance `value`."""
        rect, n = self.plot_rect(), len(self.answer["labels"])
        x = rect.left() + (rect.width() * index / (n - 1) if n > 1 else rect.width() / 2)
        return QPointF(x, rect.bottom() - rect.height() * value / self.top_value())

    def break_x(self):
        """The x pixel of the break's period."""
        return self.position(self.answer["break"] - 1, 0.0).x()

    def paintEvent(self, event):  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(255, 255, 255))
        if self.answer:
            self._draw(painter)
        painter.end()

    def _draw(self, painter):
        answer, rect, metrics = self.answer, self.plot_rect(), painter.fontMetrics()
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        painter.drawText(QPointF(2, rect.top() + metrics.ascent() / 2), "%.2f" % self.top_value())
        painter.drawText(QPointF(2, rect.bottom()), "0")
        labels, baseline = answer["labels"], self.height() - metrics.descent() - 1
        painter.drawText(QPointF(rect.left(), baseline), str(labels[0]))
        last = str(labels[-1])
        painter.drawText(QPointF(rect.right() - metrics.horizontalAdvance(last), baseline), last)
        x = self.break_x()
        painter.setPen(QPen(BREAK, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        text = str(answer["break_label"])
        left = min(max(0.0, x - metrics.horizontalAdvance(text) / 2), self.width() - metrics.horizontalAdvance(text))
        painter.drawText(QPointF(left, metrics.ascent()), text)
        for key, colour in (("to_first", TO_FIRST), ("to_previous", TO_PREVIOUS)):
            points = [self.position(i, v) for i, v in enumerate(answer[key]) if v is not None]
            painter.setPen(QPen(colour, 2))
            painter.drawPolyline(QPolygonF(points))
            for p in points:
                painter.drawEllipse(p, 2.5, 2.5)
        at = self.position(answer["break"] - 1, answer["to_previous"][answer["break"] - 1])
        painter.setPen(QPen(BREAK, 2))
        painter.drawEllipse(at, 5, 5)


class TimelinePart(QWidget):
    """The series picker, the chart and its caption; shown in the Explore part."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.series_combo = QgsMapLayerComboBox()
        self.series_combo.setFilters(compat.RASTER_LAYERS)
        self.series_combo.setAllowEmptyLayer(True)
        self.series_combo.setLayer(None)
        self.series_combo.setToolTip(
            tr(
                "A series (made by TerraEmbed) whose timeline a click shows: the distance of each period to the "
                "first and to the previous one. Not needed when the explored raster is a series."
            )
        )
        row.addWidget(QLabel(tr("Timeline of")))
        row.addWidget(self.series_combo, 1)
        layout.addLayout(row)
        self.chart = TimelineChart()
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        layout.addWidget(self.chart)
        layout.addWidget(self.caption)
        self.chart.hide()

    def series_layer(self):
        return self.series_combo.currentLayer()

    def explored(self, info):
        """The session opened: say when the explored raster is a series (its last period explored)."""
        series = (info or {}).get("series")
        self.series_combo.setEnabled(not series)
        if series:
            self.caption.setText(
                tr("A series of %d periods: exploring its last period (%s); a click shows the cell's timeline.")
                % (len(series["periods"]), series["explored"])
            )

    def show_timeline(self, answer):
        self.chart.set_timeline(answer)
        self.chart.show()
        steps = answer["to_previous"][answer["break"] - 1]
        self.caption.setText(
            tr(
                "Cell (row %d, column %d): %s; largest step %.3f, ending in %s. Blue: distance to the first period; "
                "orange: to the previous one."
            )
            % (answer["row"], answer["col"], tr(answer["class"]), steps, answer["break_label"])  # catalogue word
        )
