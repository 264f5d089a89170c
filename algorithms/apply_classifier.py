from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..shell.i18n import tr
from .analysis_base import AnalysisAlgorithm


class ApplyClassifierAlgorithm(AnalysisAlgorithm):
    NAME = "apply_classifier"
    DISPLAY = tr("Apply classifier")
    HELP = tr(
        "Maps another embedding raster of the same model (another date or another area) with a classifier saved "
        "by 'Few-shot classification' ('Save the classifier'), block by block. Outputs: a class raster (the "
        "classifier's classes, codes 1..n in its order, 0 = nodata, palette, class names in the metadata), "
        "optionally the class probabilities (one band per class) and the uncertainty (band 1: 1 - the largest "
        "probability; band 2: the margin between the two best classes). A raster of another model, modality or "
        "number of dimensions than the classifier's training raster is refused with the reason, as is a file "
        "that is not a TerraEmbed classifier or was edited after it was saved (its SHA-256 does not match). "
        "Where the raster carries no TerraEmbed model tag the model cannot be checked: the log says so."
    )
    REPORT_HELP = tr(
        "what the classifier was fitted on (raster, model, dimensions, cell size, training cells, the "
        "accuracy it had) beside this raster's embeddings, and the cells predicted per class as a chart and a table."
    )
    INPUT, CLASSIFIER = "INPUT", "CLASSIFIER"
    OUTPUT, PROBABILITIES, UNCERTAINTY, CLASSES = "OUTPUT", "PROBABILITIES", "UNCERTAINTY", "CLASSES"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Embedding raster")))
        self.addParameter(
            QgsProcessingParameterFile(
                self.CLASSIFIER, tr("Classifier (saved by Few-shot classification)"), extension="json"
            )
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Classes")))
        for key, label in (
            (self.PROBABILITIES, tr("Class probabilities")),
            (self.UNCERTAINTY, tr("Uncertainty (1 - largest probability, margin)")),
        ):
            self.addParameter(QgsProcessingParameterRasterDestination(key, label, optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputString(self.CLASSES, tr("Classes (comma-separated, in code order)")))
        self.add_report_output()

    def process(self, parameters, context, feedback, tx):
        layer, path = self.raster_file(parameters, self.INPUT, context)
        classifier = self.parameterAsFile(parameters, self.CLASSIFIER, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("class raster"), tx)
        probabilities = self.destination(parameters, self.PROBABILITIES, context, tr("probability raster"), tx)
        uncertainty = self.destination(parameters, self.UNCERTAINTY, context, tr("uncertainty raster"), tx)
        result = self.run_job(
            {
                "type": "apply_classifier",
                "input": path,
                "classifier": classifier,
                "output": output,
                "probabilities_output": probabilities,
                "uncertainty_output": uncertainty,
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        feedback.pushInfo(
            tr("Predicted cells: %s") % ", ".join("%s %d" % item for item in result["predicted_cells"].items())
        )
        outputs = {self.OUTPUT: output, self.CLASSES: ",".join(result["classes"]), **self.report_output(result)}
        if probabilities:
            outputs[self.PROBABILITIES] = probabilities
        if uncertainty:
            outputs[self.UNCERTAINTY] = uncertainty
        return outputs
