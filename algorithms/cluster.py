from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..shared import limits
from ..shared.jobs.analysis import ClusterJob
from ..shell.i18n import tr
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter


class ClusterAlgorithm(AnalysisAlgorithm):
    NAME = "cluster"
    DISPLAY = tr("Cluster embeddings (k-means)")
    HELP = tr(
        "Groups the cells of an embedding raster into k clusters with mini-batch k-means (scikit-learn), fitted "
        "on a random sample of valid cells and applied block by block. k = 0 chooses k automatically: every k in "
        "the range is tried and the one with the best silhouette score on a sample wins. The output is a class "
        "raster (1 = the largest cluster, 0 = nodata) with a colour palette. Reproducible with the seed."
    )
    REPORT_HELP = tr(
        "the silhouette score for every k tried (when k was chosen automatically) and the cells per "
        "cluster, as charts and tables."
    )
    INPUT, K, K_MIN, K_MAX, OUTPUT, K_USED = "INPUT", "K", "K_MIN", "K_MAX", "OUTPUT", "K_USED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Embedding raster")))
        k = ClusterJob.default("k")
        self.addParameter(number_parameter(self.K, tr("Number of clusters (0 = automatic)"), limits.CLUSTERS, k))
        smallest, largest = ClusterJob.default("k_range")
        for key, label, default in (
            (self.K_MIN, tr("Automatic k: smallest"), smallest),
            (self.K_MAX, tr("Automatic k: largest"), largest),
        ):
            param = number_parameter(key, label, limits.AUTO_K, default)
            compat.advanced(param)
            self.addParameter(param)
        self.add_seed()
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Clusters")))
        self.addOutput(QgsProcessingOutputNumber(self.K_USED, tr("Number of clusters")))
        self.add_report_output()

    def process(self, parameters, context, feedback, tx):
        _, path = self.raster_file(parameters, self.INPUT, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("cluster raster"), tx)
        k = self.parameterAsInt(parameters, self.K, context)
        result = self.run_job(
            {
                "type": "cluster",
                "input": path,
                "output": output,
                "k": k or "auto",
                "k_range": [
                    self.parameterAsInt(parameters, self.K_MIN, context),
                    self.parameterAsInt(parameters, self.K_MAX, context),
                ],
                "seed": self.parameterAsInt(parameters, self.SEED, context),
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        if result.get("silhouette"):
            feedback.pushInfo(
                tr("Silhouette by k: %s") % ", ".join("%s: %.3f" % (kk, v) for kk, v in result["silhouette"].items())
            )
        feedback.pushInfo(tr("%d clusters") % result["k"])
        return {self.OUTPUT: output, self.K_USED: result["k"], **self.report_output(result)}
