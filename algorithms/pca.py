from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..shared import limits
from ..shared.jobs.analysis import PcaJob
from ..shell.i18n import tr
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter
from .styling import style_pca_on_load


class PcaAlgorithm(AnalysisAlgorithm):
    NAME = "pca"
    DISPLAY = tr("PCA of an embedding raster")
    HELP = tr(
        "Reduces an embedding raster (or any multiband raster) to its first k principal components. The PCA is "
        "fitted on a random sample of valid cells (reproducible with the seed) and applied block by block, so "
        "memory does not grow with the raster. Optional whitening scales each component to unit variance. The "
        "output is float32 with one band per component, band names with the explained variance, and the "
        "explained variance ratios in the metadata and the log. With 3 components it is shown as RGB. It is "
        "written as the PCA of 'Compute embeddings' is: a Cloud Optimized GeoTIFF (DEFLATE, averaged overviews)."
    )
    REPORT_HELP = tr("the explained variance per component (bars) and cumulated (line), with the numbers in a table.")
    INPUT, COMPONENTS, WHITEN, SAMPLE, OUTPUT, VARIANCE = (
        "INPUT",
        "COMPONENTS",
        "WHITEN",
        "SAMPLE",
        "OUTPUT",
        "VARIANCE",
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Embedding raster")))
        self.addParameter(
            number_parameter(
                self.COMPONENTS,
                tr("Components (at most the raster's bands)"),
                limits.COMPONENTS,
                PcaJob.default("components"),
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.WHITEN, tr("Whiten"), defaultValue=PcaJob.default("whiten"))
        )
        sample = number_parameter(self.SAMPLE, tr("Cells sampled for fitting"), limits.SAMPLE, PcaJob.default("sample"))
        compat.advanced(sample)
        self.addParameter(sample)
        self.add_seed()
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Principal components")))
        self.addOutput(QgsProcessingOutputString(self.VARIANCE, tr("Explained variance ratio (JSON)")))
        self.add_report_output()

    def process(self, parameters, context, feedback, tx):
        import json

        _, path = self.raster_file(parameters, self.INPUT, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("PCA raster"), tx)
        result = self.run_job(
            {
                "type": "pca",
                "input": path,
                "output": output,
                "components": self.parameterAsInt(parameters, self.COMPONENTS, context),
                "whiten": self.parameterAsBoolean(parameters, self.WHITEN, context),
                "sample": self.parameterAsInt(parameters, self.SAMPLE, context),
                "seed": self.parameterAsInt(parameters, self.SEED, context),
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        ratios = result["explained_variance_ratio"]
        feedback.pushInfo(tr("Explained variance ratio: %s") % ", ".join("%.3f" % r for r in ratios))
        if len(ratios) >= 3:
            style_pca_on_load(context, output)
        return {self.OUTPUT: output, self.VARIANCE: json.dumps(ratios), **self.report_output(result)}
