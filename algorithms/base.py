"""What every TerraEmbed algorithm shares: groups, help, and running a job in the runtime worker
with progress, log, cancel and errors mapped onto Processing's feedback."""
import os
import shutil
import tempfile

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterNumber
from qgis.PyQt.QtGui import QIcon

from ..runtime import settings
from ..runtime.client import JobCancelled, RuntimeClient, RuntimeJobError
from . import checks, compat

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icon.png")


def number_parameter(name, description, valid, default=None, optional=False):
    """A number parameter that declares the range of limits.py (`valid`), so QGIS's dialogs, the
    modeler, qgis_process and checks.py know it."""
    kind = compat.INTEGER if valid.integer else compat.DOUBLE
    return QgsProcessingParameterNumber(name, description, kind, defaultValue=default, optional=optional,
                                        minValue=valid.minimum, maxValue=valid.maximum)


# the engine's short stage names, in the user's words (other stages are shown as they are)
STAGES = {"read": "Reading imagery", "infer": "Computing embeddings", "pca": "Computing the PCA",
          "write": "Writing outputs", "weights": "Loading model weights", "fit": "Fitting the model",
          "change": "Comparing the two dates", "polygons": "Tracing polygons", "done": "Done"}


def stage_words(stage):
    stage = (stage or "").strip()
    return STAGES.get(stage, stage[:1].upper() + stage[1:])


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

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """Our messages first (ranges, choices, file types; see checks.py), then QGIS's own check."""
        for definition in self.parameterDefinitions():
            message = checks.problem(definition, parameters.get(definition.name()), context)
            if message:
                return False, message
        return super().checkParameterValues(parameters, context)

    # -- running jobs -----------------------------------------------------------------------------
    def run_job(self, spec, feedback, progress_range=(0.0, 100.0)):
        """Run one job in a fresh worker; return its result. Failures become QgsProcessingException
        with the worker's own message; a cancel becomes QgsProcessingException('Cancelled...')."""
        try:
            return self.run_job_raw(spec, feedback, progress_range)
        except JobCancelled:
            raise QgsProcessingException("Cancelled: nothing was written.")
        except RuntimeJobError as exc:
            if exc.detail:
                feedback.pushDebugInfo(exc.detail)
            raise QgsProcessingException(exc.message)

    def run_job_raw(self, spec, feedback, progress_range=(0.0, 100.0)):
        """Like run_job, but raises the client's RuntimeJobError / JobCancelled."""
        lo, hi = progress_range
        work_dir = tempfile.mkdtemp(prefix="terraembed-")
        spec = dict(spec, work_dir=work_dir)

        shown = []   # the stage in words last shown: the text changes only when the stage does

        def on_progress(fraction, stage):
            feedback.setProgress(lo + (hi - lo) * fraction)
            words = stage_words(stage)
            if words and (not shown or shown[-1] != words):
                shown.append(words)
                feedback.setProgressText(words)

        def on_log(message, level):
            if level == "warning":
                feedback.pushWarning(message)
            elif level == "debug":
                feedback.pushDebugInfo(message)
            else:
                feedback.pushInfo(message)

        client = RuntimeClient(settings.runtime_python())
        try:
            return client.run(spec, on_progress=on_progress, on_log=on_log, is_cancelled=feedback.isCanceled)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
