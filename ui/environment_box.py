"""The panel's environment part: runs terraembed:check_environment in the background and shows its
structured outputs (READY, PROBLEMS, DEVICE_USED); the full report opens in a dialog. Also the way to the
settings."""

import json

from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ..shared.catalogue import DEVICES
from ..shell.i18n import tr
from .common import ERROR_STYLE, OK_STYLE, error_text
from .task import AlgorithmRun

CHECK_ID = "terraembed:check_environment"
SHOWN_PROBLEMS = 2  # in the panel; the report has them all


class ReportDialog(QDialog):
    """The environment report, read-only, with a Copy button."""

    def __init__(self, text, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("TerraEmbed environment report"))
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
        copy = buttons.addButton(tr("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def summary(ok, results, errors):
    """(ready, text for the panel, report) from a finished check."""
    report = results.get("REPORT") or ""
    ready = bool(results.get("READY")) and ok
    if not report:
        report = tr("The environment check could not run:\n") + error_text(errors)
    if ready:
        return True, tr("Ready. Device that would be used: %s") % (results.get("DEVICE_USED") or "?"), report
    try:
        problems = json.loads(results.get("PROBLEMS") or "[]")
    except ValueError:
        problems = []
    lines = []
    for p in problems[:SHOWN_PROBLEMS]:
        lines += [tr("PROBLEM: %s") % p.get("problem", ""), tr("FIX: %s") % p.get("fix", "")]
    text = "\n".join(lines) or report.strip().splitlines()[-1]
    return False, tr("Not ready (%d problem(s)):\n%s") % (max(len(problems), 1), text), report


class EnvironmentBox(QGroupBox):
    """Signals: checked(ready, report) after each check; settingsRequested() for the Settings button."""

    checked = pyqtSignal(bool, str)
    settingsRequested = pyqtSignal()

    def __init__(self, project, device, message_bar, parent=None):
        """device: a callable giving the device to check (the panel's choice)."""
        super().__init__(tr("Environment"), parent)
        self.project, self.device, self.message_bar = project, device, message_bar
        self.run = None
        self.last_report = ""
        self.report_dialog = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.check_button = QPushButton(tr("Check environment"))
        self.check_button.setToolTip(
            tr(
                "Runs terraembed:check_environment in the background: runtime, devices, "
                "weights, lock; every problem with its fix."
            )
        )
        self.check_button.clicked.connect(self.check)
        self.report_button = QPushButton(tr("Report..."))
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.show_report)
        self.settings_button = QPushButton(tr("Settings..."))
        self.settings_button.clicked.connect(self.settingsRequested.emit)
        for button in (self.check_button, self.report_button, self.settings_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.label = QLabel(tr("Not checked yet."))
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)

    def is_running(self):
        return self.run is not None and self.run.is_running()

    def check(self):
        if self.is_running():
            return False
        self.check_button.setEnabled(False)
        self.label.setText(tr("Checking the environment (runtime, devices, weights)..."))
        self.label.setStyleSheet("")
        if self.run is not None:
            self.run.deleteLater()
        self.run = AlgorithmRun(
            CHECK_ID,
            {"DEVICE": list(DEVICES).index(self.device())},
            self.project,
            tr("TerraEmbed: environment check"),
            self,
        )
        self.run.done.connect(self._on_checked)
        self.run.start()
        return True

    def _on_checked(self, ok, results, errors, cancelled):
        self.check_button.setEnabled(True)
        ready, text, report = summary(ok, results, errors)
        self.last_report = report
        self.report_button.setEnabled(True)
        self.label.setText(text)
        self.label.setStyleSheet(OK_STYLE if ready else ERROR_STYLE)
        if not ready:
            self.message_bar.pushMessage(
                "TerraEmbed", tr("The environment is not ready: see the panel's report."), Qgis.MessageLevel.Warning, 8
            )
        self.checked.emit(ready, report)

    def show_report(self):
        if self.report_dialog is None:
            self.report_dialog = ReportDialog(self.last_report, self)
        else:
            self.report_dialog.text.setPlainText(self.last_report)
        self.report_dialog.show()
        self.report_dialog.raise_()
