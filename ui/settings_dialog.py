"""TerraEmbed settings (QgsSettings under 'terraembed/', through shell/settings.py): runtime,
weights cache folder and per-model local files, offline mode, Earth Engine project and
credentials (with a non-blocking 'Authenticate' that runs the runtime's `earthengine authenticate`
in a QProcess), default device, batch size and Dask scheduler, imagery cache folder and cap."""

import os
import sys

from qgis.core import QgsApplication, QgsSettings
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QProcess, QProcessEnvironment
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..shared.catalogue import DEVICES, MODELS, default_batch_text
from ..shell import settings
from ..shell.i18n import tr

WEIGHTS_FILTER = "Weights (*.pth *.pt *.ckpt *.safetensors *.bin);;All files (*)"


def earthengine_command():
    """The runtime's `earthengine` script, next to its Python."""
    folder = os.path.dirname(settings.runtime_python())
    name = "earthengine.exe" if sys.platform == "win32" else "earthengine"
    return os.path.join(folder, name)


def stored(key):
    """The value saved in QgsSettings (not the environment's override)."""
    return str(QgsSettings().value(settings.PREFIX + key, "") or "")


def env_override(key):
    """The environment variable overriding a setting, when it is set (then the field is informational)."""
    name = settings.DEFAULTS[key][0]
    return name if os.environ.get(name) is not None else None


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("TerraEmbed settings"))
        self.resize(640, 720)
        self.auth_process = None
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._runtime_box())
        layout.addWidget(self._weights_box())
        layout.addWidget(self._ee_box())
        layout.addWidget(self._compute_box())
        layout.addWidget(self._imagery_box())
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    # -- pages ------------------------------------------------------------------------------------
    def _note(self, form, key):
        name = env_override(key)
        if name:
            label = QLabel(tr("Overridden by the environment variable %s=%s") % (name, os.environ[name]))
            label.setWordWrap(True)
            label.setStyleSheet("color: #8a6d00;")
            form.addRow(label)

    def _file(self, value, mode=QgsFileWidget.StorageMode.GetFile, file_filter=""):
        widget = QgsFileWidget()
        widget.setStorageMode(mode)
        if file_filter:
            widget.setFilter(file_filter)
        widget.setFilePath(value or "")
        return widget

    def _runtime_box(self):
        box = QGroupBox(tr("Runtime"))
        form = QFormLayout(box)
        self.runtime_python = self._file(stored("runtime_python"))
        self.runtime_python.lineEdit().setPlaceholderText(settings.runtime_python())
        form.addRow(tr("Runtime Python"), self.runtime_python)
        self._note(form, "runtime_python")
        return box

    def _weights_box(self):
        box = QGroupBox(tr("Model weights"))
        form = QFormLayout(box)
        self.weights_cache = self._file(stored("weights_cache"), QgsFileWidget.StorageMode.GetDirectory)
        self.weights_cache.lineEdit().setPlaceholderText(
            tr("Hugging Face default (HF_HUB_CACHE or ~/.cache/huggingface/hub)")
        )
        form.addRow(tr("Weights cache folder"), self.weights_cache)
        self._note(form, "weights_cache")
        self.offline = QCheckBox(tr("Offline: use cached or local weights only, never download"))
        self.offline.setChecked(bool(settings.get("offline")))
        form.addRow(self.offline)
        self._note(form, "offline")
        form.addRow(QLabel(tr("Local weights file per model (empty = cache / download):")))
        self.weights_files = {}
        for model_id, spec in MODELS.items():
            widget = self._file(settings.weights_file(model_id), file_filter=WEIGHTS_FILTER)
            widget.setToolTip("%s/%s" % (spec.hf_repo, spec.hf_filename))
            self.weights_files[model_id] = widget
            form.addRow(spec.label, widget)
        return box

    def _ee_box(self):
        box = QGroupBox(tr("Google Earth Engine"))
        form = QFormLayout(box)
        self.ee_project = QLineEdit(str(settings.get("ee_project") or ""))
        self.ee_project.setPlaceholderText(tr("Google Cloud project id registered for Earth Engine"))
        form.addRow(tr("Cloud project"), self.ee_project)
        self._note(form, "ee_project")
        self.ee_key = self._file(
            str(settings.get("ee_service_account_key") or ""), file_filter="Service-account key (*.json);;All files (*)"
        )
        self.ee_key.lineEdit().setPlaceholderText(tr("empty = your own account (Authenticate)"))
        form.addRow(tr("Service-account key"), self.ee_key)
        self._note(form, "ee_service_account_key")
        row = QHBoxLayout()
        self.auth_button = QPushButton(tr("Authenticate..."))
        self.auth_button.setToolTip(
            tr(
                "Runs `earthengine authenticate` from the runtime in the background: your "
                "browser opens to sign in; QGIS stays usable."
            )
        )
        self.auth_button.clicked.connect(self.authenticate)
        self.auth_status = QLabel()
        self.auth_status.setWordWrap(True)
        row.addWidget(self.auth_button)
        row.addWidget(self.auth_status, 1)
        form.addRow(row)
        self.auth_log = QPlainTextEdit()
        self.auth_log.setReadOnly(True)
        self.auth_log.setMaximumHeight(90)
        self.auth_log.setVisible(False)
        form.addRow(self.auth_log)
        return box

    def _compute_box(self):
        box = QGroupBox(tr("Computation defaults"))
        form = QFormLayout(box)
        self.device = QComboBox()
        for device in DEVICES:
            self.device.addItem(device, device)
        self.device.setCurrentIndex(max(0, self.device.findData(settings.get("device") or "auto")))
        form.addRow(tr("Default device"), self.device)
        self._note(form, "device")
        self.batch_size = QSpinBox()
        self.batch_size.setRange(0, 1024)
        self.batch_size.setSpecialValueText(tr("model default (%s)") % default_batch_text())
        self.batch_size.setValue(int(settings.get("batch_size") or 0))
        form.addRow(tr("Batch size"), self.batch_size)
        self._note(form, "batch_size")
        self.scheduler = QLineEdit(str(settings.get("scheduler") or ""))
        self.scheduler.setPlaceholderText(tr("empty = this machine; tcp://host:8786, a scheduler file, or local:N"))
        form.addRow(tr("Dask scheduler"), self.scheduler)
        self._note(form, "scheduler")
        self.warm_minutes = QSpinBox()
        self.warm_minutes.setRange(0, 240)
        self.warm_minutes.setSuffix(tr(" min"))
        self.warm_minutes.setSpecialValueText(tr("never (a new runtime process per run)"))
        self.warm_minutes.setValue(int(settings.get("warm_minutes") or 0))
        self.warm_minutes.setToolTip(
            tr(
                "After a run from QGIS, keep the runtime and the model it loaded this long, so the next run "
                "starts at once. Released when idle, when memory is short, on settings changes and when the "
                "plugin unloads. qgis_process always starts one runtime per run."
            )
        )
        form.addRow(tr("Keep the runtime loaded"), self.warm_minutes)
        self._note(form, "warm_minutes")
        return box

    def _imagery_box(self):
        box = QGroupBox(tr("Imagery cache (Earth Engine downloads)"))
        form = QFormLayout(box)
        self.imagery_dir = self._file(
            str(settings.get("imagery_cache_dir") or ""), QgsFileWidget.StorageMode.GetDirectory
        )
        self.imagery_dir.lineEdit().setPlaceholderText(tr("default cache folder"))
        form.addRow(tr("Cache folder"), self.imagery_dir)
        self._note(form, "imagery_cache_dir")
        self.imagery_cap = QSpinBox()
        self.imagery_cap.setRange(0, 1000000)
        self.imagery_cap.setSuffix(tr(" MB"))
        self.imagery_cap.setValue(int(settings.get("imagery_cache_cap_mb") or 0))
        form.addRow(tr("Size cap"), self.imagery_cap)
        self._note(form, "imagery_cache_cap_mb")
        return box

    # -- saving -----------------------------------------------------------------------------------
    def values(self):
        return {
            "runtime_python": self.runtime_python.filePath().strip(),
            "weights_cache": self.weights_cache.filePath().strip(),
            "offline": self.offline.isChecked(),
            "ee_project": self.ee_project.text().strip(),
            "ee_service_account_key": self.ee_key.filePath().strip(),
            "device": self.device.currentData(),
            "batch_size": self.batch_size.value(),
            "scheduler": self.scheduler.text().strip(),
            "warm_minutes": self.warm_minutes.value(),
            "imagery_cache_dir": self.imagery_dir.filePath().strip(),
            "imagery_cache_cap_mb": self.imagery_cap.value(),
        }

    def save(self):
        for key, value in self.values().items():
            settings.set_value(key, value)
        for model_id, widget in self.weights_files.items():
            settings.set_weights_file(model_id, widget.filePath().strip())

    def accept(self):
        self.save()
        super().accept()

    def done(self, result):
        # closing the dialog ends a sign-in still waiting for the browser (never left orphaned)
        if self.auth_process is not None and self.auth_process.state() != QProcess.ProcessState.NotRunning:
            self.auth_process.kill()
        super().done(result)

    # -- Earth Engine sign-in ---------------------------------------------------------------------
    def authenticate(self):
        """Start `earthengine authenticate` without waiting: output goes to the small log, the result to the
        status line. The browser opens for sign-in (auth mode 'localhost')."""
        if self.auth_process is not None and self.auth_process.state() != QProcess.ProcessState.NotRunning:
            return
        command = earthengine_command()
        if not os.path.isfile(command):
            self.auth_status.setText(
                tr(
                    "The runtime's earthengine command was not found (%s). Install the runtime "
                    "first (Processing > TerraEmbed > Setup)."
                )
                % command
            )
            return
        self.auth_log.clear()
        self.auth_log.setVisible(True)
        self.auth_status.setText(tr("Waiting for the sign-in in your browser..."))
        self.auth_button.setEnabled(False)
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        for key in ("PYTHONPATH", "PYTHONHOME"):
            env.remove(key)
        process.setProcessEnvironment(env)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._auth_output)
        process.finished.connect(self._auth_finished)
        process.errorOccurred.connect(self._auth_error)
        self.auth_process = process
        arguments = ["authenticate", "--auth_mode=localhost"]
        process.start(command, arguments)

    def _auth_output(self):
        data = bytes(self.auth_process.readAllStandardOutput()).decode("utf-8", errors="replace")
        self.auth_log.appendPlainText(data.rstrip())

    def _auth_finished(self, code, status=None):
        self.auth_button.setEnabled(True)
        if code == 0:
            self.auth_status.setText(tr("Signed in: Earth Engine credentials saved."))
        else:
            self.auth_status.setText(tr("Sign-in did not complete (exit code %d): see the output below.") % code)

    def _auth_error(self, error):
        if error == QProcess.ProcessError.FailedToStart:
            self.auth_button.setEnabled(True)
            self.auth_status.setText(tr("Could not start %s.") % earthengine_command())


def open_settings(parent=None, dock=None):
    """Show the settings dialog (modal); then the panel, when open, shows what changed. True when saved."""
    dialog = SettingsDialog(parent or QgsApplication.instance().activeWindow())
    saved = bool(dialog.exec())
    if dock is not None:
        dock.settings_changed(saved)
    return saved
