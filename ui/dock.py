"""The TerraEmbed panel: pick a model and a source, set an area of interest, and run
terraembed:embed in the background; results are added as styled layers in a group named after
the run.

The panel is made of parts, each a group box with its own module: the model (model_box.py), the imagery
(source_box.py), the area of interest (aoi_box.py), the options and the run (here), and the environment
check (environment_box.py). The parts' values become the algorithm's parameters in parameters.py (no
widgets there); results.py adds the outputs as layers.

The dock depends on a narrow host only: a QgsMapCanvas, a QgsMessageBar and a QgsProject (for the
layer tree). Layer pickers list the layers of QgsProject.instance(), like every QGIS layer combo box.
"""

import os

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..shared import transaction
from ..shell import settings, warm
from ..shell.i18n import tr
from . import dock_boxes, parameters, results
from .aoi_box import AoiBox
from .common import ERROR_STYLE, OK_STYLE, WARN_STYLE, error_text, number, remember
from .environment_box import EnvironmentBox
from .explore_box import ExploreBox
from .model_box import ModelBox
from .parameters import PanelChoices, PanelError
from .settings_dialog import open_settings
from .source_box import SourceBox
from .task import AlgorithmRun, format_duration

EMBED_ID = "terraembed:embed"


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
        self.run = None  # the current AlgorithmRun
        self.run_outputs = {}  # output paths of the current run
        self.run_parameters = {}  # the terraembed:embed parameters of the current run
        self.run_name = ""
        self.last_group = None
        self.last_layers = {}
        self.last_error = ""
        self.model = ModelBox()
        self.source = SourceBox(self.model.model_id())
        self.area = AoiBox(canvas, self.project)
        self.environment = EnvironmentBox(self.project, lambda: self.device_combo.currentData(), message_bar)
        self.explore = ExploreBox(canvas, self.project)
        self._build()
        self.explore.problem.connect(self.show_error)
        self.model.changed.connect(self.source.set_model)
        self.source.kindChanged.connect(lambda kind: self.area.set_needed(kind == "earthengine"))
        self.area.problem.connect(self.show_error)
        self.environment.checked.connect(self._on_checked)
        self.environment.settingsRequested.connect(self.open_settings)
        self.model.refresh()
        self.area.set_needed(self.source.kind() == "earthengine")

    # -- building the widgets ---------------------------------------------------------------------
    def _build(self):
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        for part in (
            self.model,
            self.source,
            self.area,
            dock_boxes.options_box(self),
            dock_boxes.run_box(self),
            self.explore,
            self.environment,
        ):
            layout.addWidget(part)
        layout.addStretch(1)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the panel follows the dock's width
        for combo in body.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.setMinimumWidth(100)  # an explicit minimum: long item texts must not widen the panel
        self.setWidget(scroll)
        self.setMinimumWidth(340)

    def show_default_device(self):
        """The device picker shows the settings' default device."""
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(settings.get("device") or "auto")))

    # -- parameters -------------------------------------------------------------------------------
    def choices(self):
        """What the user chose, as plain values (the AOI polygon written to a file for the task)."""
        aoi = self.area.aoi
        polygon = aoi.write_polygon(self.project.transformContext()) if aoi is not None and aoi.is_polygon else ""
        return PanelChoices(
            model=self.model.model_id(),
            source=self.source.kind(),
            prep=self.prep_combo.currentData(),
            overlap=self.overlap_combo.currentData(),
            grid_compression=self.grid_compression_combo.currentData(),
            device=self.device_combo.currentData(),
            pca_components=self.pca_spin.value(),
            aoi=aoi,
            aoi_polygon_path=polygon,
            raster=self.source.raster_choice(),
            earthengine=self.source.earthengine_choice(),
            run_name=self.run_name_edit.text(),
        )

    def build_parameters(self):
        """The terraembed:embed parameters, this run's name and its output paths; PanelError for what must
        be fixed first."""
        folder = parameters.prepare_output_folder(self.output_dir.filePath())
        choices = self.choices()
        params = parameters.embed_parameters(choices)
        taken = {layer.name() for layer in self.project.layerTreeRoot().children()}
        name = parameters.unique_name(folder, parameters.run_name(choices), taken)
        outputs = parameters.output_paths(folder, name)
        params.update(outputs)
        return params, name, outputs

    # -- running ----------------------------------------------------------------------------------
    def is_running(self):
        return self.run is not None and self.run.is_running()

    def start_run(self):
        if self.is_running():
            return False
        self.last_error = ""
        try:
            params, name, outputs = self.build_parameters()
        except PanelError as exc:
            self.show_error(str(exc))
            return False
        remember("output_dir", os.path.dirname(outputs["OUTPUT_GRID"]))
        remember("model", self.model.model_id())
        self.run_name, self.run_outputs, self.run_parameters = name, outputs, params
        self.log_view.clear()
        self.progress_bar.setValue(0)
        self.eta_label.setText(tr("Starting..."))
        self._set_status(tr("Running '%s'...") % name)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        if self.run is not None:
            self.run.deleteLater()  # finished: its task is gone
        self.run = AlgorithmRun(EMBED_ID, params, self.project, tr("TerraEmbed: %s") % name, self)
        self.run.progress.connect(self._on_progress)
        self.run.stage.connect(self._on_stage)
        self.run.log.connect(self._on_log)
        self.run.done.connect(self._on_done)
        self.run.start()
        return True

    def cancel_run(self):
        if self.is_running():
            self.cancel_button.setEnabled(False)
            self._set_status(tr("Cancelling '%s'...") % self.run_name)
            self.run.cancel()

    def _on_progress(self, percent, remaining):
        self.progress_bar.setValue(int(percent))
        elapsed = self.run.eta.elapsed() if self.run and self.run.eta else 0
        text = tr("%d %%, elapsed %s") % (percent, format_duration(elapsed))
        if remaining >= 0:
            text += tr(", about %s left") % format_duration(remaining)
        self.eta_label.setText(text)

    def _on_stage(self, text):
        if text and self.is_running():
            self._set_status(tr("Running '%s': %s") % (self.run_name, text))

    def _on_log(self, text, level):
        if level == "debug":
            return
        prefix = {"warning": tr("WARNING: "), "error": tr("ERROR: ")}.get(level, "")
        self.log_view.appendPlainText(prefix + text)

    def _on_done(self, ok, outputs, errors, cancelled):
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        name = self.run_name
        if ok:
            self.progress_bar.setValue(100)
            elapsed = self.run.eta.elapsed() if self.run and self.run.eta else 0
            self.eta_label.setText(tr("Done in %s.") % format_duration(elapsed))
            message = tr("'%s' done: %s-dim embeddings, %s grid cells, device %s.") % (
                name,
                number(outputs.get("DIM")),
                number(outputs.get("CELLS")),
                outputs.get("DEVICE_USED") or "?",
            )
            problem = self._add_layers(name, outputs)
            if problem:
                self._set_status("%s %s" % (message, problem), WARN_STYLE)  # no-i18n
                self.message_bar.pushMessage(
                    "TerraEmbed",
                    "%s %s" % (message, problem),  # no-i18n
                    Qgis.MessageLevel.Warning,
                    0,
                )
            else:
                message += tr(" Layers added to the group '%s'.") % name
                self._set_status(message, OK_STYLE)
                self.message_bar.pushMessage("TerraEmbed", message, Qgis.MessageLevel.Success, 8)
        else:  # the run's output transaction left nothing behind: no file of this run to remove
            self.progress_bar.setValue(0)
            self.eta_label.setText("")
            if cancelled:
                message = tr("'%s' cancelled: nothing was written.") % name
                self._set_status(message)
                self.message_bar.pushMessage("TerraEmbed", message, Qgis.MessageLevel.Info, 5)
            else:
                self.show_error(error_text(errors), title="'%s' failed" % name)
        self.runFinished.emit(bool(ok), self.status_label.text())

    def _add_layers(self, name, outputs):
        """Add a finished run's outputs as layers; the problem (a sentence) when some could not be added.
        Its files are committed and stay where they are, whatever happens here."""
        try:
            self.last_group, self.last_layers = results.add_results(self.project, name, outputs)
            missing = results.missing_layers(outputs, self.last_layers)
            if self.canvas is not None:
                self.canvas.refresh()
        except Exception as exc:  # report, never raise from a slot
            missing, why = results.written_outputs(outputs), " (%s)" % exc
        else:
            why = ""
        if not missing:
            return None
        listed = "; ".join("%s (%s)" % item for item in missing.items())
        return tr(
            "Its files are kept, but these could not be added to the project as layers%s: %s. Add them "
            "with Layer > Add Layer."
        ) % (why, listed)

    # -- environment and settings -----------------------------------------------------------------
    def _on_checked(self, ready, report):
        self.model.refresh()  # the check may have found weights
        self.environmentChecked.emit(ready, report)

    def open_settings(self):
        open_settings(self, self)

    def settings_changed(self, saved):
        """After the settings dialog: the saved default device, and what the model's weights now are."""
        if saved:
            self.show_default_device()
            warm.release_shared()  # the next run starts a worker with the new settings
        self.model.refresh()

    def clean_output_folder(self):
        """The panel's side of the leftovers clean-up (the same function every run uses)."""
        folder = os.path.abspath(os.path.expanduser(self.output_dir.filePath().strip() or "."))
        removed = transaction.clean_stale(folder)
        if removed:
            self._set_status(
                tr("Removed %d leftover file(s) of runs that were stopped outright from %s.") % (len(removed), folder)
            )
        else:
            self._set_status(tr("Nothing to clean up in %s.") % folder)
        return removed

    # -- messages ---------------------------------------------------------------------------------
    def _set_status(self, text, style=""):
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)

    def show_error(self, message, title="TerraEmbed"):
        self.last_error = message
        self._set_status(tr("%s: %s") % (title, message) if title != "TerraEmbed" else message, ERROR_STYLE)
        self.message_bar.pushMessage(title, message, Qgis.MessageLevel.Critical, 0)

    # -- teardown ---------------------------------------------------------------------------------
    def shutdown(self):
        """Cancel running work, give the map tool back and remove the rubber bands (plugin unload)."""
        if self.run is not None and self.run.is_running():
            detach(
                self.run,
                [
                    (self.run.done, self._on_done),
                    (self.run.progress, self._on_progress),
                    (self.run.stage, self._on_stage),
                    (self.run.log, self._on_log),
                ],
            )
        check = self.environment.run
        if check is not None and check.is_running():
            detach(check, [(check.done, self.environment._on_checked)])
        self.area.shutdown()
        self.explore.shutdown()


_DETACHED = []  # runs still in the task manager after their panel was removed


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
