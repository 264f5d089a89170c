"""The panel's imagery part: a raster layer (value scale, the band mapping preview the user may change,
and for a TerraMind model on several sensors optional Sentinel-1 / DEM layers of their own) or Google
Earth Engine (dates, pixel size, cloud limit and mask). It reads its widgets into the plain values of
parameters.py (RasterChoice, EarthEngineChoice)."""

from qgis.core import QgsProcessingException, QgsRasterLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..algorithms import compat, inputs
from ..shared import catalogue, limits, periods
from ..shared.jobs.embedding import RasterInput
from ..shell import settings
from ..shell.i18n import tr
from .common import ERROR_STYLE, OK_STYLE
from .parameters import EarthEngineChoice, RasterChoice

DATE_FORMAT = "yyyy-MM-dd"


class SourceBox(QGroupBox):
    """Signal: kindChanged(kind) (a key of catalogue.SOURCES)."""

    kindChanged = pyqtSignal(str)

    def __init__(self, model_id, parent=None):
        super().__init__(tr("Imagery"), parent)
        self.model_id = model_id
        self.auto_bands = []
        layout = QVBoxLayout(self)
        self.combo = QComboBox()
        for kind, label in catalogue.SOURCES.items():
            self.combo.addItem(tr(label), kind)
        layout.addWidget(self.combo)
        self.stack = QStackedWidget()
        self.pages = {"raster": self._raster_page(), "earthengine": self._earthengine_page()}
        for page in self.pages.values():
            self.stack.addWidget(page)
        layout.addWidget(self.stack)
        self.combo.currentIndexChanged.connect(self._show_page)
        self._show_sensor_layers()
        self._show_page()

    # -- pages --------------------------------------------------------------------------------------------
    def _raster_page(self):
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(compat.RASTER_LAYERS)
        self.layer_combo.layerChanged.connect(self.refresh_bands)
        form.addRow(tr("Layer"), self.layer_combo)
        # a TerraMind model on several sensors may take Sentinel-1 and the DEM from their own layers
        self.sensor_combos, self.sensor_labels = {}, {}
        for sensor in catalogue.SENSOR_PARAMETERS:
            combo = QgsMapLayerComboBox()
            combo.setFilters(compat.RASTER_LAYERS)
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
            combo.setToolTip(
                tr(
                    "Optional: a separate %s raster (resampled onto the layer's grid). Empty: the layer above "
                    "holds the %s bands too."
                )
                % (catalogue.SENSOR_NAMES[sensor], catalogue.SENSOR_NAMES[sensor])
            )
            combo.layerChanged.connect(self.refresh_bands)
            label = QLabel(tr("%s layer") % catalogue.SENSOR_NAMES[sensor])
            form.addRow(label, combo)
            self.sensor_combos[sensor], self.sensor_labels[sensor] = combo, label
        self.scale_spin = QDoubleSpinBox()
        self.scale_spin.setRange(0.0, float(limits.SCALE.maximum or 1e9))
        self.scale_spin.setDecimals(4)
        self.scale_spin.setValue(RasterInput.default("scale"))
        self.scale_spin.setToolTip(tr("Multiply pixel values: 10000 for Sentinel-2 reflectance stored as 0..1."))
        form.addRow(tr("Value scale"), self.scale_spin)
        self.bands_box = QgsCollapsibleGroupBox(tr("Band mapping"))
        bands = QVBoxLayout(self.bands_box)
        self.bands_status = QLabel()
        self.bands_status.setWordWrap(True)
        self.bands_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bands_table = QTableWidget(0, 2)
        self.bands_table.setHorizontalHeaderLabels([tr("Model band"), tr("Raster band")])
        self.bands_table.verticalHeader().setVisible(False)
        self.bands_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.bands_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.bands_table.setMinimumHeight(120)
        self.bands_auto = QPushButton(tr("Match by name again"))
        self.bands_auto.clicked.connect(self.refresh_bands)
        bands.addWidget(self.bands_status)
        bands.addWidget(self.bands_table)
        bands.addWidget(self.bands_auto)
        form.addRow(self.bands_box)
        return page

    def _earthengine_page(self):
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.start_date = QDateEdit(QDate.fromString(catalogue.DEFAULT_START, DATE_FORMAT))
        self.end_date = QDateEdit(QDate.fromString(catalogue.DEFAULT_END, DATE_FORMAT))
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
        form.addRow(tr("Start date"), self.start_date)
        form.addRow(tr("End date"), self.end_date)
        self.periods = QLineEdit()
        self.periods.setPlaceholderText(tr("empty = the dates above; e.g. 2019..2025"))
        self.periods.setToolTip(
            tr(
                "A series: one embedding grid per period on one grid, and a series file (.vrt) listing them. "
                "Periods: %s. Each period is one run; periods already computed under the same run name, with the "
                "same settings, are reused: give the run a name to continue one that failed."
            )
            % periods.SYNTAX
        )
        form.addRow(tr("Periods"), self.periods)
        defaults = EarthEngineChoice()
        self.ee_scale = QDoubleSpinBox()
        self.ee_scale.setRange(float(limits.EE_SCALE.minimum or 1.0), float(limits.EE_SCALE.maximum or 1e4))
        self.ee_scale.setValue(defaults.pixel_size)
        self.ee_scale.setSuffix(tr(" m"))
        form.addRow(tr("Pixel size"), self.ee_scale)
        self.max_cloud = QDoubleSpinBox()
        self.max_cloud.setRange(float(limits.MAX_CLOUD.minimum or 0.0), float(limits.MAX_CLOUD.maximum or 100.0))
        self.max_cloud.setValue(defaults.max_cloud)
        self.max_cloud.setSuffix(" %")
        self.max_cloud.setToolTip(tr("Sentinel-2 scenes with more cloudy pixels are left out."))
        form.addRow(tr("Cloud limit"), self.max_cloud)
        self.cloud_mask = QComboBox()
        for mask in catalogue.CLOUD_MASKS:
            self.cloud_mask.addItem(mask, mask)
        form.addRow(tr("Cloud mask"), self.cloud_mask)
        self.ee_note = QLabel()
        self.ee_note.setWordWrap(True)
        form.addRow(self.ee_note)
        return page

    def _show_page(self, *_):
        current = self.pages[self.kind()]
        self.stack.setCurrentWidget(current)
        for page in self.pages.values():  # the stack takes the height of the page shown only
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.refresh_note()
        self.kindChanged.emit(self.kind())

    # -- the model's needs ------------------------------------------------------------------------------
    def set_model(self, model_id):
        self.model_id = model_id
        self._show_sensor_layers()
        self.refresh_bands()
        self.refresh_note()

    def _other_sensors(self):
        """The sensors the model reads besides the first (the ones that may come from their own layers)."""
        return catalogue.MODELS[self.model_id].sensors[1:]

    def _show_sensor_layers(self):
        """The other sensors' layer pickers, for the model's other sensors only."""
        other = self._other_sensors()
        for sensor, combo in self.sensor_combos.items():
            combo.setVisible(sensor in other)
            self.sensor_labels[sensor].setVisible(sensor in other)

    def sensor_layers(self):
        """{sensor: layer} of the other sensors' own layers chosen for this model."""
        layers = {s: self.sensor_combos[s].currentLayer() for s in self._other_sensors()}
        return {s: layer for s, layer in layers.items() if isinstance(layer, QgsRasterLayer)}

    def layer_sensors(self):
        """The sensors whose bands the main layer must hold."""
        separate = self.sensor_layers()
        return [s for s in catalogue.MODELS[self.model_id].sensors if s not in separate]

    def kind(self):
        return self.combo.currentData()

    def refresh_note(self):
        key = settings.get("ee_service_account_key")
        sensors = catalogue.MODELS[self.model_id].sensors
        self.ee_note.setText(
            tr("Collection: %s. Cloud project: %s. Credentials: %s. Needs an area of interest.")
            % (
                " + ".join(tr(catalogue.COLLECTIONS[s]) for s in sensors),
                settings.get("ee_project") or tr("not set (Settings...)"),
                tr("service-account key") if key else "earthengine authenticate",  # no-i18n: a command
            )
        )

    def raster_layer(self):
        layer = self.layer_combo.currentLayer()
        return layer if isinstance(layer, QgsRasterLayer) else None

    def refresh_bands(self, *_):
        """Band mapping preview: model band -> raster band, matched by name as the algorithm does; the user
        may change any row (then the chosen bands are passed to the algorithm)."""
        self.bands_table.setRowCount(0)
        self.auto_bands = []
        layer = self.raster_layer()
        sensors = self.layer_sensors()
        model_bands = [b for s in sensors for b in catalogue.SENSOR_BANDS[s]]
        if layer is None:
            self.bands_status.setText(
                tr("Choose a raster layer with %d bands (%s).") % (len(model_bands), ", ".join(model_bands))
            )
            self.bands_status.setStyleSheet("")
            return
        try:
            descriptions = inputs.band_descriptions(layer)
        except Exception:  # a preview never breaks the panel
            descriptions = [layer.bandName(i + 1) for i in range(layer.bandCount())]
        try:
            self.auto_bands = inputs.choose_bands(layer, self.model_id, [], sensors)
            self.bands_status.setText(tr("%d bands matched (%s).") % (len(self.auto_bands), layer.name()))
            self.bands_status.setStyleSheet(OK_STYLE)
        except QgsProcessingException as exc:
            self.bands_status.setText(str(exc))
            self.bands_status.setStyleSheet(ERROR_STYLE)
        self.bands_table.setRowCount(len(model_bands))
        for row, band in enumerate(model_bands):
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

    # -- the user's choice as values ----------------------------------------------------------------------
    def raster_choice(self):
        """The chosen raster layer (None when there is none). A local file is passed by path: the task's
        thread then opens its own copy of the layer."""
        layer = self.raster_layer()
        if layer is None:
            return None
        return RasterChoice(
            path=inputs.local_raster_path(layer) or layer.id(),
            name=layer.name(),
            scale=self.scale_spin.value(),
            bands=self.chosen_bands(),
            sensors={s: inputs.local_raster_path(other) or other.id() for s, other in self.sensor_layers().items()},
        )

    def earthengine_choice(self):
        return EarthEngineChoice(
            start=self.start_date.date().toString(DATE_FORMAT),
            end=self.end_date.date().toString(DATE_FORMAT),
            pixel_size=self.ee_scale.value(),
            max_cloud=self.max_cloud.value(),
            cloud_mask=self.cloud_mask.currentData(),
            periods=self.periods.text().strip(),
        )
