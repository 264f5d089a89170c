from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..shared import limits
from ..shell.i18n import tr
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter


class ChangeAlgorithm(AnalysisAlgorithm):
    NAME = "change"
    DISPLAY = tr("Change between dates")
    HELP = tr(
        "Per-cell cosine distance (1 - cosine similarity, 0 = unchanged, up to 2) between two embedding rasters "
        "of the same model, e.g. two dates. When the grids differ, the second raster is resampled onto the first "
        "one's grid: averaged where its cells are smaller (NaN cells left out), else nearest neighbour. Both "
        "rasters must have the same number of bands. Processed block by block; the log "
        "gives the distance distribution and, with a threshold, the changed share of the area."
    )
    REPORT_HELP = tr(
        "the distribution of the change (histogram of the cosine distance, the threshold marked), its "
        "percentiles and the share of cells at or above the threshold."
    )
    BEFORE, AFTER, THRESHOLD, OUTPUT, MEAN, CHANGED = "BEFORE", "AFTER", "THRESHOLD", "OUTPUT", "MEAN", "CHANGED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.BEFORE, tr("Embeddings, first date")))
        self.addParameter(QgsProcessingParameterRasterLayer(self.AFTER, tr("Embeddings, second date")))
        self.addParameter(
            number_parameter(self.THRESHOLD, tr("Changed above (optional)"), limits.DISTANCE, optional=True)
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Change (cosine distance)")))
        self.addOutput(QgsProcessingOutputNumber(self.MEAN, tr("Mean distance")))
        self.addOutput(QgsProcessingOutputNumber(self.CHANGED, tr("Changed fraction (with a threshold)")))
        self.add_report_output()

    def process(self, parameters, context, feedback, tx):
        _, before = self.raster_file(parameters, self.BEFORE, context, tr("first embedding raster"))
        _, after = self.raster_file(parameters, self.AFTER, context, tr("second embedding raster"))
        threshold = parameters.get(self.THRESHOLD)
        threshold = None if threshold in (None, "") else self.parameterAsDouble(parameters, self.THRESHOLD, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("change raster"), tx)
        result = self.run_job(
            {
                "type": "change",
                "before": before,
                "after": after,
                "output": output,
                "threshold": threshold,
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        feedback.pushInfo(
            tr("Cosine distance: mean %.4f, median %s, 99th percentile %s%s")
            % (
                result["mean_distance"],
                result["percentiles"].get("50"),
                result["percentiles"].get("99"),
                tr("; resampled the second raster onto the first one's grid") if result.get("resampled") else "",
            )
        )
        changed = result.get("changed_fraction")
        return {
            self.OUTPUT: output,
            self.MEAN: result["mean_distance"],
            self.CHANGED: changed if changed is not None else -1,
            **self.report_output(result),
        }
