"""The dock's own two group boxes (ui/dock.py): the options with the output folder, and the run (Run and
Cancel, the progress, the status line, the log). Their widgets are the dock's attributes, where the dock,
parameters.py's PanelChoices and the tests read them."""

import os

from qgis.gui import QgsCollapsibleGroupBox, QgsFileWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
)

from ..shared import catalogue, limits
from ..shared.jobs.embedding import EmbedOutputs
from ..shell.i18n import tr
from .common import remembered


def options_box(dock):
    """The options and the output folder; the widgets are the dock's attributes (prep_combo ... run_name_edit)."""
    box = QGroupBox(tr("Options and output"))
    form = QFormLayout(box)
    dock.prep_combo = choice_combo(catalogue.PREPARATIONS)
    form.addRow(tr("Input preparation"), dock.prep_combo)
    dock.overlap_combo = choice_combo(
        catalogue.TILE_OVERLAP_HELP,
        "Overlapping tiles remove the seams of the embedding map along tile "
        "borders, at about 2x (25%) or 4x (50%) the time.",
    )
    form.addRow(tr("Tile overlap"), dock.overlap_combo)
    dock.grid_compression_combo = choice_combo(
        catalogue.GRID_COMPRESSIONS,
        tr(
            "How the embedding grid GeoTIFF is stored. Embeddings hardly compress, so 'none' is the "
            "fastest; DEFLATE pays where many cells are empty (a polygon area, a raster with nodata)."
        ),
    )
    form.addRow(tr("Grid compression"), dock.grid_compression_combo)
    dock.device_combo = QComboBox()
    for device in catalogue.DEVICES:
        dock.device_combo.addItem(device, device)
    dock.show_default_device()
    dock.device_combo.setToolTip(tr("auto: %s (default from the settings).") % catalogue.auto_device_text())
    form.addRow(tr("Device"), dock.device_combo)
    dock.pca_spin = QSpinBox()
    dock.pca_spin.setRange(int(limits.PCA_COMPONENTS.minimum or 1), int(limits.PCA_COMPONENTS.maximum or 64))
    dock.pca_spin.setValue(EmbedOutputs.default("pca_components"))
    dock.pca_spin.setToolTip(tr("Principal components in the PCA raster (the first three are shown as RGB)."))
    form.addRow(tr("PCA components"), dock.pca_spin)
    dock.output_dir = QgsFileWidget()
    dock.output_dir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
    dock.output_dir.setFilePath(remembered("output_dir", os.path.join(os.path.expanduser("~"), "TerraEmbed")))
    output_row = QHBoxLayout()
    output_row.addWidget(dock.output_dir)
    dock.clean_button = QToolButton()
    dock.clean_button.setText(tr("Clean up"))
    dock.clean_button.setToolTip(
        tr(
            "Remove what runs that were killed (or lost power) left in the output folder: "
            "partial files of runs that are over. Files of a run still going stay."
        )
    )
    dock.clean_button.clicked.connect(dock.clean_output_folder)
    output_row.addWidget(dock.clean_button)
    form.addRow(tr("Output folder"), output_row)
    dock.run_name_edit = QLineEdit()
    dock.run_name_edit.setPlaceholderText(tr("automatic: model_layer_date"))
    dock.run_name_edit.setToolTip(tr("Names the layer group and the output files."))
    form.addRow(tr("Run name"), dock.run_name_edit)
    return box


def run_box(dock):
    """Run and Cancel, the progress, the status line and the log; the widgets are the dock's attributes."""
    box = QGroupBox(tr("Run"))
    layout = QVBoxLayout(box)
    row = QHBoxLayout()
    dock.run_button = QPushButton(QIcon(catalogue.ICON), tr("Run"))
    dock.run_button.clicked.connect(dock.start_run)
    dock.cancel_button = QPushButton(tr("Cancel"))
    dock.cancel_button.setEnabled(False)
    dock.cancel_button.clicked.connect(dock.cancel_run)
    row.addWidget(dock.run_button, 1)
    row.addWidget(dock.cancel_button)
    layout.addLayout(row)
    dock.progress_bar = QProgressBar()
    dock.progress_bar.setRange(0, 100)
    dock.progress_bar.setValue(0)
    layout.addWidget(dock.progress_bar)
    dock.eta_label = QLabel()
    layout.addWidget(dock.eta_label)
    dock.status_label = QLabel(tr("Ready."))
    dock.status_label.setWordWrap(True)
    dock.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    dock.status_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    layout.addWidget(dock.status_label)
    dock.log_box = QgsCollapsibleGroupBox(tr("Log"))
    dock.log_box.setCollapsed(True)
    log_layout = QVBoxLayout(dock.log_box)
    dock.log_view = QPlainTextEdit()
    dock.log_view.setReadOnly(True)
    dock.log_view.setMaximumBlockCount(2000)
    dock.log_view.setMinimumHeight(100)
    log_layout.addWidget(dock.log_view)
    layout.addWidget(dock.log_box)
    return box


def choice_combo(options, tooltip=""):
    """A combo box of a catalogue's {value: text} options: shows the texts, its data are the values."""
    combo = QComboBox()
    for value, text in options.items():
        combo.addItem(tr(text), value)
    if tooltip:
        combo.setToolTip(tooltip)
    return combo
