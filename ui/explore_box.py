"""The Explore part of the panel and its map tool: click = a place like the one you want, Shift+click
or right click = not like this, Ctrl+Z = undo; a threshold slider; the labels with remove and clear;
few-shot classes; save results and open the same run in Processing."""

from qgis.gui import QgsFileWidget, QgsMapLayerComboBox, QgsMapTool
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from ..algorithms import compat
from ..shared import limits
from ..shell.i18n import tr
from . import explore
from .explore import CLASSES, SIMILAR, TIMELINE
from .timeline import TimelinePart

SLIDER_STEPS = 1000  # the threshold moves in steps of 1/SLIDER_STEPS (the worker's histogram bins)


class ExploreTool(QgsMapTool):
    """clicked(point, sign) in the canvas CRS; hovered(point); undoRequested()."""

    clicked = pyqtSignal(object, int)
    hovered = pyqtSignal(object)
    undoRequested = pyqtSignal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasReleaseEvent(self, event):  # noqa: N802
        negative = event.button() == Qt.MouseButton.RightButton or bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self.clicked.emit(event.mapPoint(), -1 if negative else 1)

    def canvasMoveEvent(self, event):  # noqa: N802
        self.hovered.emit(event.mapPoint())

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Z and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.undoRequested.emit()
            event.accept()
            return
        event.ignore()


class ExploreBox(QGroupBox):
    """problem(message) for the panel's message bar."""

    problem = pyqtSignal(str)

    def __init__(self, canvas, project, controller=None, parent=None):
        super().__init__(tr("Explore: click similar places, map classes"), parent)
        self.canvas = canvas
        self.controller = controller or explore.ExploreController(project)
        self.tool = ExploreTool(canvas)
        self.previous_tool = None
        self._build()
        c = self.controller
        c.status.connect(self.status.setText)
        c.failed.connect(self.problem.emit)
        c.opened.connect(lambda info: self._set_running(True))
        c.opened.connect(self.timeline.explored)
        c.ended.connect(self._on_ended)
        c.labelsChanged.connect(self._show_labels)
        c.answered.connect(self._on_answered)
        self.tool.clicked.connect(self._on_click)
        self.tool.hovered.connect(self._on_hover)
        self.tool.undoRequested.connect(self.undo)
        self._set_running(False)

    def _build(self):
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(compat.RASTER_LAYERS)
        self.layer_combo.setToolTip(
            tr("An embedding raster: one band per dimension (a TerraEmbed grid or another model's).")
        )
        self.start_button = QPushButton(tr("Start"))
        self.start_button.clicked.connect(self.toggle)
        row.addWidget(self.layer_combo, 1)
        row.addWidget(self.start_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(tr("Similar places"), SIMILAR)
        self.mode_combo.addItem(tr("Classes (few-shot)"), CLASSES)
        self.mode_combo.currentIndexChanged.connect(lambda _: self.controller.set_mode(self.mode_combo.currentData()))
        self.class_combo = QComboBox()
        self.class_combo.setEditable(True)
        self.class_combo.addItems([tr("class 1"), tr("class 2")])
        self.class_combo.setToolTip(tr("The class of the next clicks (few-shot mode); type a new name to add one."))
        self.class_combo.currentTextChanged.connect(self._set_class)
        row.addWidget(self.mode_combo)
        row.addWidget(self.class_combo, 1)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-2 * SLIDER_STEPS, 2 * SLIDER_STEPS)  # -2..2: with negatives
        self.slider.setValue(int(self.controller.threshold * SLIDER_STEPS))
        self.slider.setToolTip(tr("Threshold: cells at or above it are shown (re-styles only, no recomputation)."))
        self.slider.valueChanged.connect(self._on_slider)
        self.area_label = QLabel("")
        row.addWidget(QLabel(tr("Threshold")))
        row.addWidget(self.slider, 1)
        layout.addLayout(row)
        layout.addWidget(self.area_label)
        self.label_list = QListWidget()
        self.label_list.setMaximumHeight(110)
        self.label_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        layout.addWidget(self.label_list)
        row = QHBoxLayout()
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setToolTip(tr("Remove the last label (Ctrl+Z on the map)"))
        self.undo_button.clicked.connect(self.undo)
        self.remove_button = QPushButton(tr("Remove"))
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton(tr("Clear"))
        self.clear_button.clicked.connect(self.clear)
        self.labels_combo = QgsMapLayerComboBox()
        self.labels_combo.setFilters(compat.POINT_LAYERS)
        self.labels_combo.setAllowEmptyLayer(True)
        self.labels_combo.setToolTip(tr("Resume from a saved label layer (fields class, sign, time)"))
        self.labels_combo.layerChanged.connect(self._use_labels)
        for button in (self.undo_button, self.remove_button, self.clear_button):
            row.addWidget(button)
        row.addWidget(self.labels_combo, 1)
        layout.addLayout(row)
        layout.addLayout(self._suggest_row())
        row = QHBoxLayout()
        self.save_folder = QgsFileWidget()
        self.save_folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.save_button = QPushButton(tr("Save results"))
        self.save_button.clicked.connect(self.save)
        self.processing_button = QPushButton(tr("Open as Processing run"))
        self.processing_button.clicked.connect(self.open_processing)
        row.addWidget(self.save_folder, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addWidget(self.processing_button)
        self.timeline = TimelinePart()
        self.timeline.series_combo.layerChanged.connect(self._open_series)
        layout.addWidget(self.timeline)
        self.hover_label = QLabel("")
        self.status = QLabel(tr("Choose an embedding raster and press Start."))
        self.status.setWordWrap(True)
        layout.addWidget(self.hover_label)
        layout.addWidget(self.status)

    def _suggest_row(self):
        """Where to label next: how many, and the button that asks."""
        row = QHBoxLayout()
        self.suggest_count = QSpinBox()
        self.suggest_count.setRange(limits.SUGGESTIONS.minimum, limits.SUGGESTIONS.maximum)
        self.suggest_count.setValue(10)
        self.suggest_button = QPushButton(tr("Where to label next"))
        self.suggest_button.setToolTip(
            tr(
                "Points on the most uncertain places of the current map, spread out and away from your labels: "
                "label them next (needs examples of 2 classes, or places like and not like this)."
            )
        )
        self.suggest_button.clicked.connect(lambda: self.controller.suggest(self.suggest_count.value()))
        row.addWidget(self.suggest_count)
        row.addWidget(self.suggest_button, 1)
        return row

    # -- actions --------------------------------------------------------------------------------------
    def toggle(self):
        if self.controller.running:
            self.stop()
            return
        try:
            self.controller.start(self.layer_combo.currentLayer())
        except ValueError as exc:
            self.problem.emit(str(exc))
            self.status.setText(str(exc))
            return
        self._set_running(True)
        self.previous_tool = self.canvas.mapTool()
        self.canvas.setMapTool(self.tool)

    def stop(self):
        self.controller.stop()
        self._on_ended()
        self.status.setText(tr("Session ended. Your labels stay in their layer."))

    def _on_ended(self):
        """The session is over (stopped, its layer removed, failed): the map tool goes back."""
        self._set_running(False)
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
            if self.previous_tool is not None:
                self.canvas.setMapTool(self.previous_tool)

    def _set_running(self, running):
        self.start_button.setText(tr("Stop") if running else tr("Start"))
        for widget in (self.slider, self.undo_button, self.remove_button, self.clear_button, self.save_button):
            widget.setEnabled(running)
        for widget in (self.suggest_count, self.suggest_button):
            widget.setEnabled(running)
        self.processing_button.setEnabled(running)

    def _set_class(self, text):
        self.controller.class_name = text.strip() or tr("class 1")

    def _on_click(self, point, sign):
        crs = self.canvas.mapSettings().destinationCrs()
        self.controller.timeline_at(point, crs, self.timeline.series_layer())  # first: its answer is quick
        self.controller.add(point, self.canvas.mapSettings().destinationCrs(), sign)
        self._show_labels()

    def _open_series(self, layer):
        """A series picked while a session runs: the worker opens it now, not at the first click."""
        if self.controller.running and layer is not None:
            self.controller.timeline_at(None, None, layer)

    def _on_hover(self, point):
        self.hover_label.setText(self.controller.value_at(point, self.canvas.mapSettings().destinationCrs()))

    def _on_slider(self, value):
        text = self.controller.set_threshold(value / SLIDER_STEPS)
        self.area_label.setText(text or tr(">= %.3f") % (value / SLIDER_STEPS))

    def _on_answered(self, op, result):
        if op == TIMELINE:
            self.timeline.show_timeline(result)
            return
        if op == SIMILAR:
            self.slider.blockSignals(True)  # the controller may have picked the threshold itself
            self.slider.setValue(int(round(self.controller.threshold * SLIDER_STEPS)))
            self.slider.blockSignals(False)
            self.area_label.setText(self.controller.area_text())
        self._show_labels()

    def _show_labels(self, *args):
        self.label_list.clear()
        for fid, item in self.controller.label_list():
            if self.controller.mode == CLASSES:
                text = "%s %s" % ("+" if item["sign"] > 0 else tr("\u2212 (left out)"), item["class"])  # no-i18n
            else:
                text = tr("+ like this") if item["sign"] > 0 else tr("\u2212 not like this")
            self.label_list.addItem("%s  (%.1f, %.1f)" % (text, item["x"], item["y"]))
            self.label_list.item(self.label_list.count() - 1).setData(Qt.ItemDataRole.UserRole, fid)

    def undo(self):
        self.controller.undo()
        self._show_labels()

    def clear(self):
        self.controller.clear()
        self._show_labels()

    def _remove_selected(self):
        self.controller.remove([i.data(Qt.ItemDataRole.UserRole) for i in self.label_list.selectedItems()])
        self._show_labels()

    def _use_labels(self, layer):
        if layer is None or layer is self.controller.labels:
            return
        try:
            self.controller.use_labels(layer)
        except ValueError as exc:
            self.problem.emit(str(exc))
            return
        self._show_labels()

    def save(self):
        folder = self.save_folder.filePath()
        if not folder:
            self.problem.emit(tr("Choose a folder to save the results in."))
            return
        try:
            self.controller.save(folder)
        except ValueError as exc:
            self.problem.emit(str(exc))

    def open_processing(self):
        import processing

        algorithm, parameters = self.controller.processing_run()
        processing.execAlgorithmDialog(algorithm, parameters)

    def shutdown(self):
        self.controller.shutdown()
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
