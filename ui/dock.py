"""The TerraEmbed panel: pick a model and a source, set an area of interest, and run
terraembed:embed in the background; results are added as styled layers in a group named after
the run.

The dock depends on a narrow host only: a QgsMapCanvas, a QgsMessageBar and a QgsProject (for the
layer tree). Layer pickers list the layers of QgsProject.instance(), like every QGIS layer combo box.
"""
import datetime
import json
import os
import re
import tempfile

from qgis.core import (Qgis, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFillSymbol, QgsGeometry,
                       QgsProcessingException, QgsProject, QgsRasterLayer, QgsReferencedRectangle, QgsSettings,
                       QgsSingleSymbolRenderer, QgsVectorLayer)
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (QApplication, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                                 QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                                 QLineEdit, QPlainTextEdit, QProgressBar, QPushButton, QScrollArea, QSizePolicy,
                                 QSpinBox, QStackedWidget, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout,
                                 QWidget)

from ..algorithms import compat, inputs
from .. import transaction
from ..catalogue import TILE_OVERLAP_HELP, TILE_OVERLAPS
from ..models.registry import MODELS, SENSOR_LABELS
from ..runtime import settings
from . import model_info
from .aoi_tool import PolygonTool, RectangleTool, make_rubber_band
from .task import AlgorithmRun, format_duration

EMBED_ID = "terraembed:embed"
CHECK_ID = "terraembed:check_environment"
MODEL_IDS = list(MODELS)                       # the algorithm's MODEL enum order
SOURCES = ["Raster layer", "Google Earth Engine"]
PREPS = ["auto", "tile", "resize"]
PREP_HELP = {"auto": "auto (tiles when the area is larger than one 224-pixel tile)",
             "tile": "tile (224-pixel tiles, one cell per 16x16 pixels; bounded memory)",
             "resize": "resize (whole area to 224 pixels: one 14x14 grid)"}
DEVICES = ["auto", "cpu", "cuda", "mps"]
CLOUD_MASKS = ["none", "scl", "probability"]
UI_PREFIX = "terraembed/ui/"
ICON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "icon.png")
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


class PanelError(Exception):
    """Something the user must fix before a run can start (shown in the panel and the message bar)."""


def safe_name(text):
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._")
    return text[:80] or "run"


def ui_value(key, default):
    return QgsSettings().value(UI_PREFIX + key, default)


def set_ui_value(key, value):
    QgsSettings().setValue(UI_PREFIX + key, value)


class ReportDialog(QDialog):
    """The environment report, read-only, with a Copy button."""

    def __init__(self, text, parent=None):
        super().__init__(parent)
        self.setWindowTitle("TerraEmbed environment report")
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = self.text.font()
        font.setFamily("monospace")
        self.text.setFont(font)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class TerraEmbedDock(QgsDockWidget):
    """Signals: runFinished(ok, message) after each embed run (also after a failure or a cancel);
    environmentChecked(ready, report)."""

    runFinished = pyqtSignal(bool, str)
    environmentChecked = pyqtSignal(bool, str)

    def __init__(self, canvas, message_bar, project=None, parent=None):
        super().__init__("TerraEmbed", parent)
        self.setObjectName("TerraEmbedDock")
        self.canvas = canvas
        self.message_bar = message_bar
        self.project = project or QgsProject.instance()
        self.run = None              # the current AlgorithmRun
        self.check = None            # the current environment check
        self.run_outputs = {}        # output paths of the current run
        self.run_parameters = {}     # the terraembed:embed parameters of the current run
        self.run_name = ""
        self.last_group = None
        self.last_layers = {}
        self.last_error = ""
        self.last_report = ""
        self.aoi_rect = None         # QgsRectangle in aoi_crs (None = the whole raster)
        self.aoi_crs = None
        self.aoi_geometry = None     # for display: the drawn polygon or the rectangle
        self.aoi_kind = ""
        self.previous_tool = None
        self.report_dialog = None
        self.aoi_band = None
        self.auto_bands = []
        self._build()
        self.rect_tool = RectangleTool(canvas)
        self.polygon_tool = PolygonTool(canvas)
        self.rect_tool.extentDrawn.connect(self._on_rectangle_drawn)
        self.polygon_tool.polygonDrawn.connect(self._on_polygon_drawn)
        self.rect_tool.deactivated.connect(lambda: self.draw_rect_button.setChecked(False))
        self.polygon_tool.deactivated.connect(lambda: self.draw_polygon_button.setChecked(False))
        self.aoi_band = make_rubber_band(canvas)
        canvas.destinationCrsChanged.connect(self._show_aoi)
        self._refresh_model()
        self._refresh_source()
        self._show_aoi()

    # -- building the widgets ---------------------------------------------------------------------
    def _build(self):
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_model())
        layout.addWidget(self._build_source())
        layout.addWidget(self._build_aoi())
        layout.addWidget(self._build_options())
        layout.addWidget(self._build_run())
        layout.addWidget(self._build_environment())
        layout.addStretch(1)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # the panel follows the dock's width
        for combo in body.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.setMinimumWidth(100)   # an explicit minimum: long item texts must not widen the panel
        self.setWidget(scroll)
        self.setMinimumWidth(340)

    def _build_model(self):
        box = QGroupBox("Model")
        form = QVBoxLayout(box)
        self.model_combo = QComboBox()
        for model_id in MODEL_IDS:
            self.model_combo.addItem(MODELS[model_id].label, model_id)
        remembered = ui_value("model", MODEL_IDS[0])
        self.model_combo.setCurrentIndex(MODEL_IDS.index(remembered) if remembered in MODEL_IDS else 0)
        self.model_combo.currentIndexChanged.connect(self._refresh_model)
        self.model_info = QLabel()
        self.model_info.setWordWrap(True)
        self.model_info.setTextFormat(Qt.TextFormat.RichText)
        self.model_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addWidget(self.model_combo)
        form.addWidget(self.model_info)
        return box

    def _build_source(self):
        box = QGroupBox("Imagery")
        layout = QVBoxLayout(box)
        self.source_combo = QComboBox()
        self.source_combo.addItems(SOURCES)
        self.source_combo.currentIndexChanged.connect(self._refresh_source)
        layout.addWidget(self.source_combo)
        self.source_stack = QStackedWidget()
        # raster page
        raster = QWidget()
        rform = QFormLayout(raster)
        rform.setContentsMargins(0, 0, 0, 0)
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(compat.RASTER_LAYERS)
        self.layer_combo.layerChanged.connect(self._refresh_bands)
        rform.addRow("Layer", self.layer_combo)
        self.scale_spin = QDoubleSpinBox()
        self.scale_spin.setRange(0.0, 1e9)
        self.scale_spin.setDecimals(4)
        self.scale_spin.setValue(1.0)
        self.scale_spin.setToolTip("Multiply pixel values: 10000 for Sentinel-2 reflectance stored as 0..1.")
        rform.addRow("Value scale", self.scale_spin)
        self.bands_box = QgsCollapsibleGroupBox("Band mapping")
        bl = QVBoxLayout(self.bands_box)
        self.bands_status = QLabel()
        self.bands_status.setWordWrap(True)
        self.bands_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bands_table = QTableWidget(0, 2)
        self.bands_table.setHorizontalHeaderLabels(["Model band", "Raster band"])
        self.bands_table.verticalHeader().setVisible(False)
        self.bands_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.bands_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.bands_table.setMinimumHeight(120)
        self.bands_auto = QPushButton("Match by name again")
        self.bands_auto.clicked.connect(self._refresh_bands)
        bl.addWidget(self.bands_status)
        bl.addWidget(self.bands_table)
        bl.addWidget(self.bands_auto)
        rform.addRow(self.bands_box)
        self.source_stack.addWidget(raster)
        # Earth Engine page
        ee = QWidget()
        eform = QFormLayout(ee)
        eform.setContentsMargins(0, 0, 0, 0)
        self.start_date = QDateEdit(QDate(2022, 6, 1))
        self.end_date = QDateEdit(QDate(2022, 9, 1))
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        eform.addRow("Start date", self.start_date)
        eform.addRow("End date", self.end_date)
        self.ee_scale = QDoubleSpinBox()
        self.ee_scale.setRange(1.0, 10000.0)
        self.ee_scale.setValue(10.0)
        self.ee_scale.setSuffix(" m")
        eform.addRow("Pixel size", self.ee_scale)
        self.max_cloud = QDoubleSpinBox()
        self.max_cloud.setRange(0.0, 100.0)
        self.max_cloud.setValue(30.0)
        self.max_cloud.setSuffix(" %")
        self.max_cloud.setToolTip("Sentinel-2 scenes with more cloudy pixels are left out.")
        eform.addRow("Cloud limit", self.max_cloud)
        self.cloud_mask = QComboBox()
        self.cloud_mask.addItems(CLOUD_MASKS)
        eform.addRow("Cloud mask", self.cloud_mask)
        self.ee_note = QLabel()
        self.ee_note.setWordWrap(True)
        eform.addRow(self.ee_note)
        self.source_stack.addWidget(ee)
        layout.addWidget(self.source_stack)
        return box

    def _build_aoi(self):
        box = QGroupBox("Area of interest")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.draw_rect_button = QToolButton()
        self.draw_rect_button.setText("Rectangle")
        self.draw_rect_button.setToolTip("Draw a rectangle on the map (press, drag, release).")
        self.draw_polygon_button = QToolButton()
        self.draw_polygon_button.setText("Polygon")
        self.draw_polygon_button.setToolTip("Draw a polygon: click the vertices, right click or double click to "
                                            "finish, Backspace removes the last vertex, Esc cancels.")
        for button in (self.draw_rect_button, self.draw_polygon_button):
            button.setCheckable(True)
        self.draw_rect_button.toggled.connect(lambda on: self._activate_tool(self.rect_tool, on))
        self.draw_polygon_button.toggled.connect(lambda on: self._activate_tool(self.polygon_tool, on))
        self.view_button = QToolButton()
        self.view_button.setText("Map view")
        self.view_button.setToolTip("Use the current map view's extent.")
        self.view_button.clicked.connect(self.use_map_view)
        self.clear_aoi_button = QToolButton()
        self.clear_aoi_button.setText("Clear")
        self.clear_aoi_button.setToolTip("No area: the whole raster layer.")
        self.clear_aoi_button.clicked.connect(self.clear_aoi)
        for button in (self.draw_rect_button, self.draw_polygon_button, self.view_button, self.clear_aoi_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        lrow = QHBoxLayout()
        self.aoi_layer_combo = QgsMapLayerComboBox()
        self.aoi_layer_combo.setFilters(compat.POLYGON_LAYERS)
        self.aoi_layer_combo.setAllowEmptyLayer(True)
        self.aoi_layer_combo.setLayer(None)
        self.aoi_selected = QCheckBox("Selected")
        self.aoi_selected.setToolTip("Only the selected features of the layer.")
        self.aoi_layer_button = QToolButton()
        self.aoi_layer_button.setText("Use layer")
        self.aoi_layer_button.clicked.connect(self.use_polygon_layer)
        lrow.addWidget(self.aoi_layer_combo, 1)
        lrow.addWidget(self.aoi_selected)
        lrow.addWidget(self.aoi_layer_button)
        layout.addLayout(lrow)
        self.aoi_label = QLabel()
        self.aoi_label.setWordWrap(True)
        self.aoi_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.aoi_label)
        return box

    def _build_options(self):
        box = QGroupBox("Options and output")
        form = QFormLayout(box)
        self.prep_combo = QComboBox()
        for prep in PREPS:
            self.prep_combo.addItem(PREP_HELP[prep], prep)
        form.addRow("Input preparation", self.prep_combo)
        self.overlap_combo = QComboBox()
        for overlap in TILE_OVERLAPS:
            self.overlap_combo.addItem(TILE_OVERLAP_HELP[overlap], overlap)
        self.overlap_combo.setToolTip("Overlapping tiles remove the seams of the embedding map along tile "
                                      "borders, at about 2x (25%) or 4x (50%) the time.")
        form.addRow("Tile overlap", self.overlap_combo)
        self.device_combo = QComboBox()
        self.device_combo.addItems(DEVICES)
        default_device = settings.get("device") or "auto"
        self.device_combo.setCurrentIndex(DEVICES.index(default_device) if default_device in DEVICES else 0)
        self.device_combo.setToolTip("auto: CUDA, then MPS, then the CPU (default from the settings).")
        form.addRow("Device", self.device_combo)
        self.pca_spin = QSpinBox()
        self.pca_spin.setRange(1, 64)
        self.pca_spin.setValue(3)
        self.pca_spin.setToolTip("Principal components in the PCA raster (the first three are shown as RGB).")
        form.addRow("PCA components", self.pca_spin)
        self.output_dir = QgsFileWidget()
        self.output_dir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.output_dir.setFilePath(ui_value("output_dir", os.path.join(os.path.expanduser("~"), "TerraEmbed")))
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_dir)
        self.clean_button = QToolButton()
        self.clean_button.setText("Clean up")
        self.clean_button.setToolTip("Remove what runs that were killed (or lost power) left in the output folder: "
                                     "partial files of runs that are over. Files of a run still going stay.")
        self.clean_button.clicked.connect(self.clean_output_folder)
        output_row.addWidget(self.clean_button)
        form.addRow("Output folder", output_row)
        self.run_name_edit = QLineEdit()
        self.run_name_edit.setPlaceholderText("automatic: model_layer_date")
        self.run_name_edit.setToolTip("Names the layer group and the output files.")
        form.addRow("Run name", self.run_name_edit)
        return box

    def _build_run(self):
        box = QGroupBox("Run")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.run_button = QPushButton(QIcon(ICON), "Run")
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_run)
        row.addWidget(self.run_button, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        layout.addWidget(self.progress_bar)
        self.eta_label = QLabel()
        layout.addWidget(self.eta_label)
        self.status_label = QLabel("Ready.")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.status_label)
        self.log_box = QgsCollapsibleGroupBox("Log")
        self.log_box.setCollapsed(True)
        ll = QVBoxLayout(self.log_box)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setMinimumHeight(100)
        ll.addWidget(self.log_view)
        layout.addWidget(self.log_box)
        return box

    def _build_environment(self):
        box = QGroupBox("Environment")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.check_button = QPushButton("Check environment")
        self.check_button.setToolTip("Runs terraembed:check_environment in the background: runtime, devices, "
                                     "weights, lock; every problem with its fix.")
        self.check_button.clicked.connect(self.check_environment)
        self.report_button = QPushButton("Report...")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.show_report)
        self.settings_button = QPushButton("Settings...")
        self.settings_button.clicked.connect(self.open_settings)
        row.addWidget(self.check_button)
        row.addWidget(self.report_button)
        row.addWidget(self.settings_button)
        layout.addLayout(row)
        self.env_label = QLabel("Not checked yet.")
        self.env_label.setWordWrap(True)
        self.env_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.env_label)
        return box

    # -- model and source -------------------------------------------------------------------------
    def model_id(self):
        return self.model_combo.currentData()

    def _refresh_model(self, *_):
        info = model_info.describe(self.model_id())
        bands = info["bands"]
        mark = ("<span style='%s'>&#10003; present</span>" % OK_STYLE if info["weights_present"]
                else "<span style='color:#8a6d00;'>&#10007; not present</span>")
        self.model_info.setText(
            "<b>Modality:</b> %s<br><b>Bands needed (%d):</b> %s<br><b>Embedding size:</b> %d<br>"
            "<b>Weights:</b> %s: %s" % (info["modality"], len(bands), ", ".join(bands), info["dim"], mark,
                                        _html(info["weights_short"])))
        self.model_info.setToolTip("%s\n\nWeights: %s" % (info["description"], info["weights"]))
        self._refresh_bands()
        self._refresh_ee_note()

    def _refresh_source(self, *_):
        index = self.source_combo.currentIndex()
        self.source_stack.setCurrentIndex(index)
        for i in range(self.source_stack.count()):   # the stack takes the height of the page shown only
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.source_stack.widget(i).setSizePolicy(policy, policy)
        self.source_stack.adjustSize()
        self._refresh_ee_note()
        self._show_aoi()

    def _refresh_ee_note(self):
        project = settings.get("ee_project")
        key = settings.get("ee_service_account_key")
        spec = MODELS[self.model_id()]
        self.ee_note.setText("Collection: %s. Cloud project: %s. Credentials: %s. Needs an area of interest."
                             % (" + ".join(SENSOR_LABELS[s] for s in spec.sensors),
                                project or "not set (Settings...)",
                                "service-account key" if key else "earthengine authenticate"))

    def raster_layer(self):
        layer = self.layer_combo.currentLayer()
        return layer if isinstance(layer, QgsRasterLayer) else None

    def _refresh_bands(self, *_):
        """Band mapping preview: model band -> raster band, matched by name as the algorithm does; the user
        may change any row (then the chosen bands are passed to the algorithm)."""
        self.bands_table.setRowCount(0)
        self.auto_bands = []
        layer = self.raster_layer()
        spec = MODELS[self.model_id()]
        if layer is None:
            self.bands_status.setText("Choose a raster layer with %d bands (%s)." % (len(spec.bands),
                                                                                     ", ".join(spec.bands)))
            self.bands_status.setStyleSheet("")
            return
        try:
            descriptions = inputs.band_descriptions(layer)
        except Exception:  # noqa: BLE001 - a preview never breaks the panel
            descriptions = [layer.bandName(i + 1) for i in range(layer.bandCount())]
        try:
            self.auto_bands = inputs.choose_bands(layer, self.model_id(), [])
            self.bands_status.setText("%d bands matched (%s)." % (len(self.auto_bands), layer.name()))
            self.bands_status.setStyleSheet(OK_STYLE)
        except QgsProcessingException as exc:
            self.bands_status.setText(str(exc))
            self.bands_status.setStyleSheet(ERROR_STYLE)
        self.bands_table.setRowCount(len(spec.bands))
        for row, band in enumerate(spec.bands):
            item = QTableWidgetItem(band)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.bands_table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem("-", 0)
            for i, desc in enumerate(descriptions):
                combo.addItem("%d: %s" % (i + 1, desc or layer.bandName(i + 1)), i + 1)
            if row < len(self.auto_bands):
                combo.setCurrentIndex(self.auto_bands[row])
            self.bands_table.setCellWidget(row, 1, combo)

    def chosen_bands(self):
        """[] when the mapping is the automatic one (the algorithm matches by name), else the user's bands in
        model order (0 = unset)."""
        bands = []
        for row in range(self.bands_table.rowCount()):
            combo = self.bands_table.cellWidget(row, 1)
            bands.append(combo.currentData() if combo is not None else 0)
        if not bands or bands == list(self.auto_bands):
            return []
        if not self.auto_bands and not any(bands):
            return []
        return bands

    # -- area of interest -------------------------------------------------------------------------
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
        self.set_aoi(rect, self.canvas_crs(), kind="drawn rectangle")
        self.draw_rect_button.setChecked(False)

    def _on_polygon_drawn(self, geometry):
        self.set_aoi(geometry.boundingBox(), self.canvas_crs(), QgsGeometry(geometry), kind="drawn polygon")
        self.draw_polygon_button.setChecked(False)

    def use_map_view(self):
        self.set_aoi(self.canvas.extent(), self.canvas_crs(), kind="map view")

    def use_polygon_layer(self):
        layer = self.aoi_layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer):
            self.show_error("Choose a polygon layer for the area of interest.")
            return
        selected = self.aoi_selected.isChecked()
        if selected:
            if layer.selectedFeatureCount() == 0:
                self.show_error("The layer '%s' has no selected features: select some, or untick 'Selected'."
                                % layer.name())
                return
            features = layer.selectedFeatures()
        else:
            features = list(layer.getFeatures())
        geometries = [f.geometry() for f in features if f.hasGeometry()]
        if not geometries:
            self.show_error("The layer '%s' has no polygons to use as the area of interest." % layer.name())
            return
        union = QgsGeometry.unaryUnion(geometries)
        self.set_aoi(union.boundingBox(), layer.crs(), union,
                     kind="%s of %s" % ("%d selected feature(s)" % len(geometries) if selected else "features",
                                        layer.name()))

    def clear_aoi(self):
        self.aoi_rect, self.aoi_crs, self.aoi_geometry, self.aoi_kind = None, None, None, ""
        self._show_aoi()

    def set_aoi(self, rect, crs, geometry=None, kind="extent"):
        """Set the area of interest: a rectangle in `crs`, and for polygons the polygon itself (the algorithm
        then ignores pixels outside it)."""
        self.aoi_rect = rect
        self.aoi_crs = QgsCoordinateReferenceSystem(crs)
        self.aoi_geometry = geometry if geometry is not None else QgsGeometry.fromRect(rect)
        self.aoi_kind = kind
        self._show_aoi()

    def aoi_is_polygon(self):
        return self.aoi_rect is not None and ("polygon" in self.aoi_kind or "feature" in self.aoi_kind)

    def _write_aoi_polygon(self):
        """The AOI polygon as a GeoJSON file (EPSG:4326) for the algorithm's AOI_LAYER: a file, so the background
        task reads its own copy."""
        geometry = QgsGeometry(self.aoi_geometry)
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        if self.aoi_crs.isValid() and self.aoi_crs != wgs84:
            geometry.transform(QgsCoordinateTransform(self.aoi_crs, wgs84, self.project.transformContext()))
        folder = tempfile.mkdtemp(prefix="terraembed-aoi-")
        path = os.path.join(folder, "aoi.geojson")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {}, "geometry": json.loads(geometry.asJson(9))}]}, f)
        return path

    def aoi_extent(self):
        """The AOI as a QgsReferencedRectangle (None = the whole raster)."""
        if self.aoi_rect is None:
            return None
        return QgsReferencedRectangle(self.aoi_rect, self.aoi_crs)

    def _show_aoi(self, *_):
        if self.aoi_band is None:
            return
        self.aoi_band.reset(compat.POLYGON_GEOMETRY)
        if self.aoi_rect is None:
            need = self.source_combo.currentIndex() == 1
            self.aoi_label.setText("No area set: %s." % ("Earth Engine needs one (draw it or use the map view)"
                                                         if need else "the whole raster layer"))
            return
        crs = self.aoi_crs
        units = crs.mapUnits() == compat.METERS
        r = self.aoi_rect
        digits = 2 if units else 6
        self.aoi_label.setText("%s: x %s to %s, y %s to %s (%s)%s" % (
            self.aoi_kind[:1].upper() + self.aoi_kind[1:], _fmt(r.xMinimum(), digits), _fmt(r.xMaximum(), digits),
            _fmt(r.yMinimum(), digits), _fmt(r.yMaximum(), digits), crs.authid() or "custom CRS",
            (", %.0f x %.0f m" % (r.width(), r.height())) if units else "")
            + (" - pixels outside the polygon are ignored." if self.aoi_is_polygon() else ""))
        geometry = QgsGeometry(self.aoi_geometry)
        canvas_crs = self.canvas_crs()
        if crs.isValid() and canvas_crs.isValid() and crs != canvas_crs:
            try:
                geometry.transform(QgsCoordinateTransform(crs, canvas_crs, self.project.transformContext()))
            except Exception:  # noqa: BLE001 - a display-only transform
                return
        self.aoi_band.setToGeometry(geometry, None)

    # -- running ----------------------------------------------------------------------------------
    def is_running(self):
        return self.run is not None and self.run.is_running()

    def build_parameters(self):
        """The terraembed:embed parameters and this run's name; PanelError for what must be fixed first."""
        model_id = self.model_id()
        source = self.source_combo.currentIndex()
        folder = self.output_dir.filePath().strip()
        if not folder:
            raise PanelError("Choose an output folder.")
        folder = os.path.abspath(os.path.expanduser(folder))
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise PanelError("Cannot create the output folder %s (%s). Choose another folder." % (folder, exc))
        if not os.access(folder, os.W_OK):
            raise PanelError("The output folder %s is not writable. Choose another folder." % folder)
        params = {"SOURCE": source, "MODEL": MODEL_IDS.index(model_id),
                  "INPUT_PREP": PREPS.index(self.prep_combo.currentData()),
                  "OVERLAP": list(TILE_OVERLAPS).index(self.overlap_combo.currentData()),
                  "DEVICE": self.device_combo.currentIndex(), "PCA_COMPONENTS": self.pca_spin.value(),
                  "BATCH_SIZE": 0}
        aoi = self.aoi_extent()
        if aoi is not None:
            params["AOI"] = aoi
            if self.aoi_is_polygon():
                params["AOI_LAYER"] = self._write_aoi_polygon()
        if source == 0:
            layer = self.raster_layer()
            if layer is None:
                raise PanelError("Choose a raster layer (or switch the imagery to Google Earth Engine).")
            # a local file is passed by path: the task's thread then opens its own copy of the layer
            params["INPUT"] = inputs.local_raster_path(layer) or layer.id()
            params["SCALE"] = self.scale_spin.value()
            bands = self.chosen_bands()
            if bands:
                if 0 in bands:
                    raise PanelError("Choose a raster band for every model band in 'Band mapping' (or press "
                                     "'Match by name again').")
                params["BANDS"] = bands
            label = layer.name()
        else:
            if aoi is None:
                raise PanelError("Earth Engine needs an area of interest: draw a rectangle or polygon, or use the "
                                 "map view or a polygon layer.")
            start, end = self.start_date.date(), self.end_date.date()
            if start >= end:
                raise PanelError("The start date must be before the end date.")
            params.update({"START_DATE": start.toString("yyyy-MM-dd"), "END_DATE": end.toString("yyyy-MM-dd"),
                           "EE_SCALE": self.ee_scale.value(), "MAX_CLOUD": self.max_cloud.value(),
                           "CLOUD_MASK": self.cloud_mask.currentIndex()})
            label = "ee_%s" % MODELS[model_id].modality.lower()
        name = self.run_name_edit.text().strip()
        name = safe_name(name) if name else safe_name("%s_%s_%s" % (
            model_id, label, datetime.datetime.now().strftime("%Y%m%d_%H%M%S")))
        name = self._unique_name(folder, name)
        outputs = {"OUTPUT_GRID": os.path.join(folder, name + "_grid.tif"),
                   "OUTPUT_PCA": os.path.join(folder, name + "_pca.tif"),
                   "OUTPUT_POOLED": os.path.join(folder, name + "_pooled.gpkg")}
        params.update(outputs)
        return params, name, outputs

    def _unique_name(self, folder, name):
        existing = {layer.name() for layer in self.project.layerTreeRoot().children()}
        candidate, n = name, 1
        while candidate in existing or any(os.path.exists(os.path.join(folder, candidate + suffix))
                                           for suffix in ("_grid.tif", "_pca.tif", "_pooled.gpkg")):
            n += 1
            candidate = "%s_%d" % (name, n)
        return candidate

    def start_run(self):
        if self.is_running():
            return False
        self.last_error = ""
        try:
            params, name, outputs = self.build_parameters()
        except PanelError as exc:
            self.show_error(str(exc))
            return False
        set_ui_value("output_dir", os.path.dirname(outputs["OUTPUT_GRID"]))
        set_ui_value("model", self.model_id())
        self.run_name, self.run_outputs, self.run_parameters = name, outputs, params
        self.log_view.clear()
        self.progress_bar.setValue(0)
        self.eta_label.setText("Starting...")
        self._set_status("Running '%s'..." % name)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        if self.run is not None:
            self.run.deleteLater()   # finished: its task is gone
        self.run = AlgorithmRun(EMBED_ID, params, self.project, "TerraEmbed: %s" % name, self)
        self.run.progress.connect(self._on_progress)
        self.run.stage.connect(self._on_stage)
        self.run.log.connect(self._on_log)
        self.run.done.connect(self._on_done)
        self.run.start()
        return True

    def cancel_run(self):
        if self.is_running():
            self.cancel_button.setEnabled(False)
            self._set_status("Cancelling '%s'..." % self.run_name)
            self.run.cancel()

    def _on_progress(self, percent, remaining):
        self.progress_bar.setValue(int(percent))
        elapsed = self.run.eta.elapsed() if self.run and self.run.eta else 0
        text = "%d %%, elapsed %s" % (percent, format_duration(elapsed))
        if remaining >= 0:
            text += ", about %s left" % format_duration(remaining)
        self.eta_label.setText(text)

    def _on_stage(self, text):
        if text and self.is_running():
            self._set_status("Running '%s': %s" % (self.run_name, text))

    def _on_log(self, text, level):
        if level == "debug":
            return
        prefix = {"warning": "WARNING: ", "error": "ERROR: "}.get(level, "")
        self.log_view.appendPlainText(prefix + text)

    def _on_done(self, ok, results, errors, cancelled):
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        name = self.run_name
        if ok:
            try:
                self._add_results(name, results)
            except Exception as exc:  # noqa: BLE001 - report, never raise from a slot
                ok = False
                errors = ["The results were written but could not be added to the project: %s" % exc]
        if ok:
            self.progress_bar.setValue(100)
            elapsed = self.run.eta.elapsed() if self.run and self.run.eta else 0
            self.eta_label.setText("Done in %s." % format_duration(elapsed))
            message = ("'%s' done: %s-dim embeddings, %s grid cells, device %s. Layers added to the group '%s'."
                       % (name, _num(results.get("DIM")), _num(results.get("CELLS")),
                          results.get("DEVICE_USED") or "?", name))
            self._set_status(message, OK_STYLE)
            self.message_bar.pushMessage("TerraEmbed", message, Qgis.MessageLevel.Success, 8)
        else:
            self._remove_outputs()
            self.progress_bar.setValue(0)
            self.eta_label.setText("")
            if cancelled:
                message = "'%s' cancelled: nothing was written." % name
                self._set_status(message)
                self.message_bar.pushMessage("TerraEmbed", message, Qgis.MessageLevel.Info, 5)
            else:
                message = error_text(errors)
                self.show_error(message, title="'%s' failed" % name)
        self.runFinished.emit(bool(ok), self.status_label.text())

    def _remove_outputs(self):
        """A failed or cancelled run leaves none of its own output files (their names were free at the start)."""
        for path in self.run_outputs.values():
            for candidate in (path, path + ".aux.xml"):
                if os.path.isfile(candidate):
                    try:
                        os.remove(candidate)
                    except OSError:
                        pass

    def _add_results(self, name, results):
        from ..algorithms.styling import apply_pca_rgb
        root = self.project.layerTreeRoot()
        group = root.insertGroup(0, name)
        layers = {}
        pooled_path = results.get("OUTPUT_POOLED")
        if pooled_path:
            pooled = QgsVectorLayer(pooled_path, "%s pooled embedding" % name, "ogr")
            if pooled.isValid():
                pooled.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
                    {"style": "no", "outline_color": "255,120,0,255", "outline_width": "0.8"})))
                layers["pooled"] = pooled
        pca_path = results.get("OUTPUT_PCA")
        if pca_path:
            pca = QgsRasterLayer(pca_path, "%s PCA" % name, "gdal")
            if pca.isValid():
                apply_pca_rgb(pca)
                layers["pca"] = pca
        grid_path = results.get("OUTPUT_GRID")
        if grid_path:
            grid = QgsRasterLayer(grid_path, "%s embedding grid" % name, "gdal")
            if grid.isValid():
                layers["grid"] = grid
        for key in ("pooled", "pca", "grid"):
            layer = layers.get(key)
            if layer is None:
                continue
            self.project.addMapLayer(layer, False)
            node = group.addLayer(layer)
            if key == "grid":
                node.setItemVisibilityChecked(False)
                node.setExpanded(False)
        self.last_group, self.last_layers = group, layers
        if self.canvas is not None:
            self.canvas.refresh()

    # -- environment check ------------------------------------------------------------------------
    def check_environment(self):
        if self.check is not None and self.check.is_running():
            return False
        self.check_button.setEnabled(False)
        self.env_label.setText("Checking the environment (runtime, devices, weights)...")
        self.env_label.setStyleSheet("")
        if self.check is not None:
            self.check.deleteLater()
        self.check = AlgorithmRun(CHECK_ID, {"DEVICE": self.device_combo.currentIndex()}, self.project,
                                  "TerraEmbed: environment check", self)
        self.check.done.connect(self._on_checked)
        self.check.start()
        return True

    def _on_checked(self, ok, results, errors, cancelled):
        self.check_button.setEnabled(True)
        report = results.get("REPORT") or ""
        ready = bool(results.get("READY")) and ok
        if not report:
            report = "The environment check could not run:\n" + error_text(errors)
        self.last_report = report
        self.report_button.setEnabled(True)
        problems = [line for line in report.splitlines() if line.startswith(("PROBLEM:", "    FIX:"))]
        if ready:
            device = [line for line in report.splitlines() if line.startswith("Device that would be used")]
            self.env_label.setText("Ready. %s" % (device[0] if device else ""))
            self.env_label.setStyleSheet(OK_STYLE)
        else:
            count = sum(1 for line in problems if line.startswith("PROBLEM:"))
            summary = "\n".join(line.strip() for line in problems[:4]) or report.strip().splitlines()[-1]
            self.env_label.setText("Not ready (%d problem(s)):\n%s" % (max(count, 1), summary))
            self.env_label.setStyleSheet(ERROR_STYLE)
            self.message_bar.pushMessage("TerraEmbed", "The environment is not ready: see the panel's report.",
                                         Qgis.MessageLevel.Warning, 8)
        self._refresh_model()
        self.environmentChecked.emit(ready, report)

    def show_report(self):
        if self.report_dialog is None:
            self.report_dialog = ReportDialog(self.last_report, self)
        else:
            self.report_dialog.text.setPlainText(self.last_report)
        self.report_dialog.show()
        self.report_dialog.raise_()

    def open_settings(self):
        from .settings_dialog import SettingsDialog
        dialog = SettingsDialog(self)
        if dialog.exec():
            default_device = settings.get("device") or "auto"
            if default_device in DEVICES:
                self.device_combo.setCurrentIndex(DEVICES.index(default_device))
        self._refresh_model()

    def clean_output_folder(self):
        """The panel's side of the leftovers clean-up (the same function every run uses)."""
        folder = os.path.abspath(os.path.expanduser(self.output_dir.filePath().strip() or "."))
        removed = transaction.clean_stale(folder)
        if removed:
            self._set_status("Removed %d leftover file(s) of runs that were stopped outright from %s."
                             % (len(removed), folder))
        else:
            self._set_status("Nothing to clean up in %s." % folder)
        return removed

    # -- messages ---------------------------------------------------------------------------------
    def _set_status(self, text, style=""):
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)

    def show_error(self, message, title="TerraEmbed"):
        self.last_error = message
        self._set_status("%s: %s" % (title, message) if title != "TerraEmbed" else message, ERROR_STYLE)
        self.message_bar.pushMessage(title, message, Qgis.MessageLevel.Critical, 0)

    # -- teardown ---------------------------------------------------------------------------------
    def shutdown(self):
        """Cancel running work, give the map tool back and remove the rubber bands (plugin unload)."""
        if self.run is not None and self.run.is_running():
            detach(self.run, [(self.run.done, self._on_done), (self.run.progress, self._on_progress),
                              (self.run.stage, self._on_stage), (self.run.log, self._on_log)])
        if self.check is not None and self.check.is_running():
            detach(self.check, [(self.check.done, self._on_checked)])
        for tool in (self.rect_tool, self.polygon_tool):
            if self.canvas.mapTool() is tool:
                self.canvas.unsetMapTool(tool)
            tool.remove_band()
        try:
            self.canvas.destinationCrsChanged.disconnect(self._show_aoi)
        except TypeError:
            pass
        self.canvas.scene().removeItem(self.aoi_band)
        self.aoi_band = None


_DETACHED = []   # runs still in the task manager after their panel was removed


def detach(run, connections):
    """Cancel a run whose panel is going away: disconnect the panel's slots, and keep the run (and its
    feedback, which the task's thread uses) alive until its task has finished."""
    for signal, slot in connections:
        try:
            signal.disconnect(slot)
        except TypeError:
            pass
    run.setParent(None)
    _DETACHED.append(run)
    run.done.connect(lambda *_: QTimer.singleShot(0, lambda: _DETACHED.remove(run) if run in _DETACHED else None))
    run.cancel()


def error_text(errors):
    """The user's message from the errors a failed run reported (the last one; no traceback)."""
    messages = [e.strip() for e in errors if e and e.strip()]
    if not messages:
        return "The run failed without a message; see the panel's log and the Processing log."
    message = messages[-1]
    if "Traceback" in message:
        lines = [line for line in message.splitlines() if line.strip()]
        message = lines[-1] if lines else message
    return message


def _num(value):
    try:
        return "%d" % int(value)
    except (TypeError, ValueError):
        return "?"


def _fmt(value, digits):
    return "%.*f" % (digits, value)


def _html(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
