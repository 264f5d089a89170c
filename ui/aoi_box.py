"""The panel's area-of-interest part: draw a rectangle or a polygon, take the map view or the polygons of
a layer; shows the area on the map. Its value is `aoi`, an AreaOfInterest (aoi.py) or None (the whole
raster)."""

from qgis.core import QgsGeometry, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout

from ..algorithms import compat
from ..shell.i18n import tr
from . import aoi as areas
from .aoi_tool import PolygonTool, RectangleTool, make_rubber_band


class AoiBox(QGroupBox):
    """Signals: changed() when the area changes; problem(message) for what the user must fix."""

    changed = pyqtSignal()
    problem = pyqtSignal(str)

    def __init__(self, canvas, project, parent=None):
        super().__init__(tr("Area of interest"), parent)
        self.canvas, self.project = canvas, project
        self.aoi = None
        self.needed = False  # Earth Engine: no area is not an option
        self.previous_tool = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.draw_rect_button = self._button(tr("Rectangle"), tr("Draw a rectangle on the map (press, drag, release)."))
        self.draw_polygon_button = self._button(
            tr("Polygon"),
            tr(
                "Draw a polygon: click the vertices, right click or double click to finish, Backspace "
                "removes the last vertex, Esc cancels."
            ),
        )
        self.view_button = self._button(tr("Map view"), tr("Use the current map view's extent."))
        self.clear_button = self._button(tr("Clear"), tr("No area: the whole raster layer."))
        for button in (self.draw_rect_button, self.draw_polygon_button):
            button.setCheckable(True)
        self.rect_tool = RectangleTool(canvas)
        self.polygon_tool = PolygonTool(canvas)
        self.draw_rect_button.toggled.connect(lambda on: self._activate_tool(self.rect_tool, on))
        self.draw_polygon_button.toggled.connect(lambda on: self._activate_tool(self.polygon_tool, on))
        self.view_button.clicked.connect(self.use_map_view)
        self.clear_button.clicked.connect(self.clear)
        for button in (self.draw_rect_button, self.draw_polygon_button, self.view_button, self.clear_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layer_row = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(compat.POLYGON_LAYERS)
        self.layer_combo.setAllowEmptyLayer(True)
        self.layer_combo.setLayer(None)
        self.selected = QCheckBox(tr("Selected"))
        self.selected.setToolTip(tr("Only the selected features of the layer."))
        self.layer_button = self._button(tr("Use layer"), "")
        self.layer_button.clicked.connect(self.use_polygon_layer)
        layer_row.addWidget(self.layer_combo, 1)
        layer_row.addWidget(self.selected)
        layer_row.addWidget(self.layer_button)
        layout.addLayout(layer_row)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)
        self.rect_tool.extentDrawn.connect(self._on_rectangle_drawn)
        self.polygon_tool.polygonDrawn.connect(self._on_polygon_drawn)
        self.rect_tool.deactivated.connect(lambda: self.draw_rect_button.setChecked(False))
        self.polygon_tool.deactivated.connect(lambda: self.draw_polygon_button.setChecked(False))
        self.band = make_rubber_band(canvas)
        canvas.destinationCrsChanged.connect(self.refresh)

    @staticmethod
    def _button(text, tip):
        button = QToolButton()
        button.setText(text)
        if tip:
            button.setToolTip(tip)
        return button

    # -- map tools ----------------------------------------------------------------------------------------
    def _activate_tool(self, tool, on):
        other = self.draw_polygon_button if tool is self.rect_tool else self.draw_rect_button
        if on:
            if other.isChecked():
                other.setChecked(False)
            current = self.canvas.mapTool()
            if current not in (self.rect_tool, self.polygon_tool):
                self.previous_tool = current
            self.canvas.setMapTool(tool)
        elif self.canvas.mapTool() is tool:
            self._restore_tool()

    def _restore_tool(self):
        tool = self.previous_tool
        self.previous_tool = None
        if tool is not None:
            try:
                self.canvas.setMapTool(tool)
                return
            except RuntimeError:  # the previous tool was deleted
                pass
        self.canvas.unsetMapTool(self.canvas.mapTool())

    def canvas_crs(self):
        return self.canvas.mapSettings().destinationCrs()

    def _on_rectangle_drawn(self, rect):
        self.set_aoi(areas.AreaOfInterest.rectangle(rect, self.canvas_crs()))
        self.draw_rect_button.setChecked(False)

    def _on_polygon_drawn(self, geometry):
        self.set_aoi(areas.AreaOfInterest.polygon(geometry, self.canvas_crs()))
        self.draw_polygon_button.setChecked(False)

    # -- other ways to choose -----------------------------------------------------------------------------
    def use_map_view(self):
        self.set_aoi(areas.AreaOfInterest.rectangle(self.canvas.extent(), self.canvas_crs(), areas.MAP_VIEW))

    def use_polygon_layer(self):
        layer = self.layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer):
            self.problem.emit(tr("Choose a polygon layer for the area of interest."))
            return
        selected = self.selected.isChecked()
        if selected:
            if layer.selectedFeatureCount() == 0:
                self.problem.emit(
                    tr("The layer '%s' has no selected features: select some, or untick 'Selected'.") % layer.name()
                )
                return
            features = layer.selectedFeatures()
        else:
            features = list(layer.getFeatures())
        geometries = [f.geometry() for f in features if f.hasGeometry()]
        if not geometries:
            self.problem.emit(tr("The layer '%s' has no polygons to use as the area of interest.") % layer.name())
            return
        source = tr("%s of %s") % (
            tr("%d selected feature(s)") % len(geometries) if selected else tr("features"),
            layer.name(),
        )
        self.set_aoi(areas.AreaOfInterest.polygon(QgsGeometry.unaryUnion(geometries), layer.crs(), areas.LAYER, source))

    def clear(self):
        self.set_aoi(None)

    def set_aoi(self, aoi):
        """Set the area of interest (an AreaOfInterest, or None for the whole raster)."""
        self.aoi = aoi
        self.refresh()
        self.changed.emit()

    def set_needed(self, needed):
        self.needed = needed
        self.refresh()

    # -- display ------------------------------------------------------------------------------------------
    def refresh(self, *_):
        if self.band is None:
            return
        self.band.reset(compat.POLYGON_GEOMETRY)
        if self.aoi is None:
            self.label.setText(
                tr("No area set: %s.")
                % (
                    tr("Earth Engine needs one (draw it or use the map view)")
                    if self.needed
                    else tr("the whole raster layer")
                )
            )
            return
        self.label.setText(self.aoi.describe())
        try:
            geometry = self.aoi.geometry_in(self.canvas_crs(), self.project.transformContext())
        except Exception:  # a display-only transform
            return
        self.band.setToGeometry(geometry, None)

    def shutdown(self):
        """Give the map tool back and remove the rubber bands (plugin unload)."""
        for tool in (self.rect_tool, self.polygon_tool):
            if self.canvas.mapTool() is tool:
                self.canvas.unsetMapTool(tool)
            tool.remove_band()
        try:
            self.canvas.destinationCrsChanged.disconnect(self.refresh)
        except TypeError:
            pass
        self.canvas.scene().removeItem(self.band)
        self.band = None
