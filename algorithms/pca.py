from qgis.core import (QgsProcessingOutputString, QgsProcessingParameterBoolean, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer)

from .analysis_base import AnalysisAlgorithm
from .styling import style_pca_on_load


class PcaAlgorithm(AnalysisAlgorithm):
    NAME = "pca"
    DISPLAY = "PCA of an embedding raster"
    HELP = ("Reduces an embedding raster (or any multiband raster) to its first k principal components. The PCA is "
            "fitted on a random sample of valid cells (reproducible with the seed) and applied block by block, so "
            "memory does not grow with the raster. Optional whitening scales each component to unit variance. The "
            "output is float32 with one band per component, band names with the explained variance, and the "
            "explained variance ratios in the metadata and the log. With 3 components it is shown as RGB.")
    INPUT, COMPONENTS, WHITEN, SAMPLE, OUTPUT, VARIANCE = "INPUT", "COMPONENTS", "WHITEN", "SAMPLE", "OUTPUT", "VARIANCE"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, "Embedding raster"))
        self.addParameter(QgsProcessingParameterNumber(self.COMPONENTS, "Components",
                                                       QgsProcessingParameterNumber.Integer, 3, minValue=1))
        self.addParameter(QgsProcessingParameterBoolean(self.WHITEN, "Whiten", defaultValue=False))
        sample = QgsProcessingParameterNumber(self.SAMPLE, "Cells sampled for fitting", QgsProcessingParameterNumber.Integer,
                                              100000, minValue=10)
        sample.setFlags(sample.flags() | sample.FlagAdvanced)
        self.addParameter(sample)
        self.add_seed()
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, "Principal components"))
        self.addOutput(QgsProcessingOutputString(self.VARIANCE, "Explained variance ratio (JSON)"))

    def process(self, parameters, context, feedback, tx):
        import json
        _, path = self.raster_file(parameters, self.INPUT, context)
        output = self.destination(parameters, self.OUTPUT, context, "PCA raster", tx)
        result = self.run_job({"type": "pca", "input": path, "output": output,
                               "components": self.parameterAsInt(parameters, self.COMPONENTS, context),
                               "whiten": self.parameterAsBoolean(parameters, self.WHITEN, context),
                               "sample": self.parameterAsInt(parameters, self.SAMPLE, context),
                               "seed": self.parameterAsInt(parameters, self.SEED, context)}, feedback, tx=tx)
        ratios = result["explained_variance_ratio"]
        feedback.pushInfo("Explained variance ratio: %s" % ", ".join("%.3f" % r for r in ratios))
        if len(ratios) >= 3:
            style_pca_on_load(context, output)
        return {self.OUTPUT: output, self.VARIANCE: json.dumps(ratios)}
