"""What every TerraEmbed algorithm shares: groups, help, and running a job in the runtime worker
with progress, log, cancel and errors mapped onto Processing's feedback."""
import os
import shutil

from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from .. import protocol
from ..runtime import settings
from ..runtime.client import JobCancelled, RuntimeClient, RuntimeJobError, cancel_on_signals
from ..transaction import OutputError, Transaction, job_temp_dir
from .outputs import CANCELLED

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icon.png")


class TerraEmbedAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, DISPLAY, GROUP, GROUP_ID, HELP and implement initAlgorithm/processAlgorithm."""

    NAME = ""
    DISPLAY = ""
    GROUP = ""
    GROUP_ID = ""
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.DISPLAY

    def group(self):
        return self.GROUP

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: N802
        return self.HELP

    def icon(self):
        return QIcon(ICON)

    def createInstance(self):  # noqa: N802
        return type(self)()

    # -- one run: outputs and stop signals ----------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Runs process(parameters, context, feedback, tx) inside one output transaction (every output
        is added to tx before any work and committed only when all succeeded) with SIGINT, SIGTERM
        and SIGHUP turned into a cancel in headless runs (qgis_process, scripts)."""
        try:
            with cancel_on_signals(feedback.cancel, enabled=headless()), Transaction() as tx:
                results = self.process(parameters, context, feedback, tx)
                if feedback.isCanceled():
                    raise QgsProcessingException(CANCELLED)
                tx.commit()
        except OutputError as exc:
            raise QgsProcessingException(str(exc))
        return results

    def process(self, parameters, context, feedback, tx):
        raise NotImplementedError

    # -- running jobs -----------------------------------------------------------------------------
    def run_job(self, spec, feedback, progress_range=(0.0, 100.0), tx=None):
        """Run one job in a fresh worker; return its result. Failures become QgsProcessingException
        with the worker's own message; a cancel becomes QgsProcessingException('Cancelled...').
        With tx, the worker writes the partials of tx's outputs and the caller commits them."""
        try:
            return self.run_job_raw(spec, feedback, progress_range, tx)
        except JobCancelled:
            raise QgsProcessingException(CANCELLED)
        except RuntimeJobError as exc:
            if exc.detail:
                feedback.pushDebugInfo(exc.detail)
            raise QgsProcessingException(exc.message)

    def run_job_raw(self, spec, feedback, progress_range=(0.0, 100.0), tx=None):
        """Like run_job, but raises the client's RuntimeJobError / JobCancelled."""
        lo, hi = progress_range
        work_dir = job_temp_dir(tx.run if tx is not None else protocol.run_token())
        spec = dict(spec, work_dir=work_dir)
        if tx is not None:
            spec["transaction"] = tx.manifest()

        def on_progress(fraction, stage):
            feedback.setProgress(lo + (hi - lo) * fraction)
            if stage:
                feedback.setProgressText(stage)

        def on_log(message, level):
            if level == "warning":
                feedback.pushWarning(message)
            elif level == "debug":
                feedback.pushDebugInfo(message)
            else:
                feedback.pushInfo(message)

        client = RuntimeClient(settings.runtime_python())
        try:
            with cancel_on_signals(feedback.cancel, enabled=headless()):
                return client.run(spec, on_progress=on_progress, on_log=on_log, is_cancelled=feedback.isCanceled)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)


def headless():
    """Whether stop signals may be taken over: everywhere but desktop QGIS, whose handlers stay."""
    app = QgsApplication.instance()
    return app is None or app.platform() != "desktop"
