"""What every TerraEmbed algorithm shares: groups, help, and running a job in the runtime worker
with progress, log, cancel and errors mapped onto Processing's feedback."""

import shutil
from collections.abc import Iterable
from typing import Any, Optional

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtGui import QIcon

from ..shared import catalogue, partials
from ..shared.errors import Cancelled, OutputError
from ..shared.limits import Range
from ..shared.partials import job_temp_dir
from ..shared.transaction import HTML, Transaction
from ..shell import i18n, settings, warm
from ..shell.client import RuntimeClient, RuntimeJobError, cancel_on_signals
from ..shell.i18n import tr
from . import checks, compat, outputs
from .inputs import input_files
from .outputs import CANCELLED


def number_parameter(
    name: str, description: str, valid: Range, default: Optional[float] = None, optional: bool = False
) -> QgsProcessingParameterNumber:
    """A number parameter that declares the range of shared/limits.py (`valid`), so QGIS's dialogs, the
    modeler, qgis_process and checks.py know it."""
    kind = compat.INTEGER if valid.integer else compat.DOUBLE
    return QgsProcessingParameterNumber(
        name, description, kind, defaultValue=default, optional=optional, minValue=valid.minimum, maxValue=valid.maximum
    )


# the engine's short stage names, in the user's words (other stages are shown as they are)
STAGES = {
    "read": tr("Reading imagery"),
    "infer": tr("Computing embeddings"),
    "pca": tr("Computing the PCA"),
    "write": tr("Writing outputs"),
    "weights": tr("Loading model weights"),
    "fit": tr("Fitting the model"),
    "change": tr("Comparing the two dates"),
    "change over time": tr("Comparing the periods"),  # no-i18n (the key: the worker's stage name)
    "polygons": tr("Tracing polygons"),
    "done": tr("Done"),
    "packages": tr("Checking the runtime's packages"),
    "torch": tr("Checking torch and the devices"),
    "lock": tr("Comparing the runtime with its lock"),
    "cross-validate": tr("Cross-validating"),
    "choose k": tr("Choosing k"),  # no-i18n (the key: the worker's stage name)
    "fit PCA": tr("Fitting the PCA"),  # no-i18n (the key: the worker's stage name)
    "load": tr("Loading the embeddings"),
}


def stage_words(stage: Optional[str]) -> str:
    stage = (stage or "").strip()
    return STAGES.get(stage, stage[:1].upper() + stage[1:])


class TerraEmbedAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, DISPLAY, GROUP, GROUP_ID, HELP and implement initAlgorithm/processAlgorithm;
    those with an HTML report call add_report_output() and set REPORT_HELP (what the report shows)."""

    NAME = ""
    DISPLAY = ""
    GROUP = ""
    GROUP_ID = ""
    HELP = ""
    REPORT_HELP = ""
    OUTPUT_REPORT = "OUTPUT_REPORT"

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:  # noqa: N802
        return self.DISPLAY

    def group(self) -> str:
        return self.GROUP

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self) -> str:  # noqa: N802
        if not self.REPORT_HELP:
            return self.HELP
        return tr(
            "%s\n\nReport (optional, HTML): %s Charts are inline, so the file opens anywhere without a "
            "network; the Results Viewer lists it."
        ) % (self.HELP, self.REPORT_HELP)

    def icon(self) -> QIcon:
        return QIcon(catalogue.ICON)

    def parameterAsChoice(  # noqa: N802
        self, parameters: dict[str, Any], name: str, context: QgsProcessingContext, options: Iterable[Any]
    ) -> Any:
        """The catalogue value an enum parameter picked (`options`: the catalogue's list, in option order)."""
        return catalogue.option_value(options, self.parameterAsEnum(parameters, name, context))

    def createInstance(self) -> "TerraEmbedAlgorithm":  # noqa: N802
        return type(self)()

    def checkParameterValues(self, parameters: dict[str, Any], context: QgsProcessingContext) -> tuple[bool, str]:  # noqa: N802
        """Our messages first (ranges, choices, file types; see checks.py), then QGIS's own check."""
        for definition in self.parameterDefinitions():
            message = checks.problem(definition, parameters.get(definition.name()), context)
            if message:
                return False, message
        return super().checkParameterValues(parameters, context)

    # -- the HTML report ---------------------------------------------------------------------------
    def add_report_output(self) -> None:
        """The optional HTML report. A file destination with an HTML filter is an output of type html
        (QgsProcessingOutputHtml), which the Results Viewer lists and models can chain."""
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, tr("Report (HTML)"), tr("HTML files (*.html)"), optional=True, createByDefault=True
            )
        )

    def report_destination(
        self, parameters: dict[str, Any], context: QgsProcessingContext, tx: Transaction
    ) -> Optional[str]:
        """The report's path for the job ("html_report"), added to the run's output transaction
        like every other output (checked now, committed with the others), or None when skipped."""
        return outputs.file_destination(self, parameters, self.OUTPUT_REPORT, context, tx, tr("HTML report"), HTML)

    def report_output(self, result: dict[str, Any]) -> dict[str, Any]:
        """{OUTPUT_REPORT: path} when the job wrote a report, else {}."""
        path = result.get("html_report")
        return {self.OUTPUT_REPORT: path} if path else {}

    # -- one run: outputs and stop signals ----------------------------------------------------------
    def processAlgorithm(  # noqa: N802
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        """Runs process(parameters, context, feedback, tx) inside one output transaction (every output
        is added to tx before any work, checked against every input file and the other outputs, and
        committed only when all succeeded) with SIGINT, SIGTERM and SIGHUP turned into a cancel in
        headless runs (qgis_process, scripts)."""
        try:
            inputs = input_files(self, parameters, context)
            with cancel_on_signals(feedback.cancel, enabled=headless()), Transaction(inputs) as tx:
                results = self.process(parameters, context, feedback, tx)
                if feedback.isCanceled():
                    raise QgsProcessingException(CANCELLED)
                tx.commit()
        except OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except Cancelled:  # from run_job_raw (run_job says it already)
            raise QgsProcessingException(CANCELLED) from None
        return results

    def process(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        tx: Transaction,
    ) -> dict[str, Any]:
        raise NotImplementedError

    # -- running jobs -----------------------------------------------------------------------------
    def run_job(
        self,
        job: dict[str, Any],
        feedback: QgsProcessingFeedback,
        progress_range: tuple[float, float] = (0.0, 100.0),
        tx: Optional[Transaction] = None,
    ) -> dict[str, Any]:
        """Run one job in a fresh worker; return its result. Failures become QgsProcessingException
        with the worker's own message; a cancel becomes QgsProcessingException('Cancelled...').
        With tx, the worker writes the partials of tx's outputs and the caller commits them."""
        try:
            return self.run_job_raw(job, feedback, progress_range, tx)
        except Cancelled:
            raise QgsProcessingException(CANCELLED) from None
        except RuntimeJobError as exc:
            if exc.detail:
                feedback.pushDebugInfo(exc.detail)
            raise QgsProcessingException(exc.message) from exc

    def run_job_raw(
        self,
        job: dict[str, Any],
        feedback: QgsProcessingFeedback,
        progress_range: tuple[float, float] = (0.0, 100.0),
        tx: Optional[Transaction] = None,
    ) -> dict[str, Any]:
        """Like run_job, but raises the client's RuntimeJobError / Cancelled."""
        lo, hi = progress_range
        work_dir = job_temp_dir(tx.run if tx is not None else partials.run_token())
        job = dict(job, work_dir=work_dir, locale=i18n.language())  # the worker's messages: engine/i18n.py
        if tx is not None:
            job["transaction"] = tx.manifest()

        shown: list[str] = []  # the stage in words last shown: the text changes only when the stage does

        def on_progress(fraction: float, stage: str) -> None:
            feedback.setProgress(lo + (hi - lo) * fraction)
            words = stage_words(stage)
            if words and (not shown or shown[-1] != words):
                shown.append(words)
                feedback.setProgressText(words)

        def on_log(message: str, level: str) -> None:
            if level == "warning":
                feedback.pushWarning(message)
            elif level == "debug":
                feedback.pushDebugInfo(message)
            else:
                feedback.pushInfo(message)

        client = RuntimeClient(settings.runtime_python(), warm=warm_pool())
        try:
            with cancel_on_signals(feedback.cancel, enabled=headless()):
                return client.run(job, on_progress=on_progress, on_log=on_log, is_cancelled=feedback.isCanceled)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)


def warm_pool() -> Optional[warm.WarmPool]:
    """Desktop QGIS's warm worker pool (shell/warm.py), or None: headless runs (qgis_process, a
    script) and a setting of 0 start one worker per run."""
    minutes = settings.get("warm_minutes")
    if headless() or minutes <= 0:
        warm.release_shared()
        return None
    return warm.shared(minutes)


def headless() -> bool:
    """Whether stop signals may be taken over: everywhere but desktop QGIS, whose handlers stay."""
    app = QgsApplication.instance()
    return app is None or app.platform() != "desktop"
