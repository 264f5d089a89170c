"""Running a Processing algorithm from the panel in the background: a QgsProcessingAlgRunnerTask
(the same algorithm the toolbox runs) in QGIS's task manager, with a feedback object that forwards
progress, stage text, log lines and errors to the GUI thread through Qt signals, and an ETA."""

import time

from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProcessingFeedback
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..shell.i18n import tr


class PanelFeedback(QgsProcessingFeedback):
    """Feedback whose methods may be called from the task's thread: they only record and emit signals
    (queued to the receivers' thread, the GUI thread); widgets are never touched here."""

    logged = pyqtSignal(str, str)  # text, level: 'info' | 'warning' | 'error' | 'debug'
    stageChanged = pyqtSignal(str)

    def __init__(self):
        super().__init__()
        self.errors = []
        self.warnings = []

    def reportError(self, error, fatalError=False):  # noqa: N802,N803
        self.errors.append(error)
        self.logged.emit(error, "error")
        super().reportError(error, fatalError)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)
        self.logged.emit(warning, "warning")
        super().pushWarning(warning)

    def pushInfo(self, info):  # noqa: N802
        self.logged.emit(info, "info")
        super().pushInfo(info)

    def pushDebugInfo(self, info):  # noqa: N802
        self.logged.emit(info, "debug")
        super().pushDebugInfo(info)

    def setProgressText(self, text):  # noqa: N802
        self.stageChanged.emit(text)
        super().setProgressText(text)


class Eta:
    """Remaining time from elapsed time and percent done (after 2 % and 1 s, to avoid wild guesses)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.start = clock()

    def elapsed(self):
        return self.clock() - self.start

    def remaining(self, percent):
        elapsed = self.elapsed()
        if percent < 2 or elapsed < 1:
            return None
        return elapsed * (100.0 - percent) / percent


def format_duration(seconds):
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "%d:%02d:%02d" % (hours, minutes, secs) if hours else "%d:%02d" % (minutes, secs)


class AlgorithmRun(QObject):
    """One algorithm run in the task manager. Signals arrive in the GUI thread:
    progress(percent, eta_seconds or -1), stage(text), log(text, level), done(ok, results, errors, cancelled).
    Keeps the task, context and feedback referenced until the task has finished."""

    progress = pyqtSignal(float, float)
    stage = pyqtSignal(str)
    log = pyqtSignal(str, str)
    done = pyqtSignal(bool, dict, list, bool)

    def __init__(self, algorithm_id, parameters, project=None, description=None, parent=None):
        super().__init__(parent)
        self.algorithm_id = algorithm_id
        self.parameters = dict(parameters)
        self.description = description
        self.project = project
        self.task = None
        self.context = None
        self.feedback = None
        self.eta = None
        self.cancel_requested = False
        self.finished = False
        self.max_percent = 0.0

    def start(self):
        """Queue the task; False (after emitting done with the reason) when the algorithm is missing."""
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(self.algorithm_id)
        if algorithm is None:
            self._finish(
                False,
                {},
                [
                    tr(
                        "The Processing algorithm %s is not available: is the TerraEmbed plugin's "
                        "provider loaded? Restart QGIS or re-enable the plugin."
                    )
                    % self.algorithm_id
                ],
            )
            return False
        self.context = QgsProcessingContext()
        if self.project is not None:
            self.context.setProject(self.project)
        self.feedback = PanelFeedback()
        self.feedback.progressChanged.connect(self._on_progress)
        self.feedback.stageChanged.connect(self.stage)
        self.feedback.logged.connect(self.log)
        self.eta = Eta()
        self.task = QgsProcessingAlgRunnerTask(algorithm, self.parameters, self.context, self.feedback)
        if self.description:
            self.task.setDescription(self.description)
        self.task.executed.connect(self._on_executed)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def cancel(self):
        if self.finished or self.task is None:
            return
        self.cancel_requested = True
        self.feedback.cancel()
        self.task.cancel()

    def is_running(self):
        return self.task is not None and not self.finished

    def _on_progress(self, percent):
        # shown monotonic: a stage that restarts its own count must not move the bar backwards
        percent = self.max_percent = max(self.max_percent, float(percent))
        remaining = self.eta.remaining(percent) if self.eta else None
        self.progress.emit(float(percent), -1.0 if remaining is None else float(remaining))

    def _on_executed(self, ok, results):
        cancelled = self.cancel_requested or (self.feedback is not None and self.feedback.isCanceled())
        errors = list(self.feedback.errors) if self.feedback is not None else []
        # an algorithm that returned ok has committed its outputs: a cancel that came too late is no cancel
        self._finish(bool(ok), dict(results or {}), errors, cancelled and not ok)

    def _finish(self, ok, results, errors, cancelled=False):
        self.finished = True
        self.task = None  # the task manager deletes it after finished()
        self.done.emit(ok, results, errors, cancelled)
