from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..shared import limits
from ..shared.transaction import CSV
from ..shell.i18n import tr
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter
from .outputs import file_destination

METHODS = ["logistic", "knn"]


class ClassifyAlgorithm(AnalysisAlgorithm):
    NAME = "classify"
    DISPLAY = tr("Few-shot classification")
    HELP = tr(
        "Classifies every cell of an embedding raster from a few labelled points or polygons (a class field). The "
        "embeddings under the labels train a logistic regression or a k-nearest-neighbours classifier "
        "(scikit-learn), which predicts every cell block by block. Outputs: a class raster (codes 1..n in the order "
        "classes first appear, 0 = nodata, palette, class names in the metadata), optionally a probability raster "
        "(one band per class) and a CSV table with cross-validated accuracy and per-class precision, recall and "
        "F1. Cross-validation keeps the cells of one labelled feature together when every class has at least two "
        "features; the log says which scheme was used. Reproducible with the seed. With a field marking negative "
        "examples, features whose value is below 0 are left out of the training (a negative example says what a "
        "place is not, not a class); the log says how many."
    )
    REPORT_HELP = tr(
        "the cross-validated confusion matrix as a heat map with counts, precision, recall and F1 per "
        "class, the cross-validation scheme and folds, and the training and predicted cells per class."
    )
    INPUT, LABELS, FIELD, METHOD, NEIGHBORS, FOLDS = "INPUT", "LABELS", "FIELD", "METHOD", "NEIGHBORS", "FOLDS"
    OUTPUT, PROBABILITIES, REPORT, ACCURACY = "OUTPUT", "PROBABILITIES", "REPORT", "ACCURACY"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Embedding raster")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LABELS, tr("Labelled features"), [compat.SOURCE_POINT, compat.SOURCE_POLYGON]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(self.FIELD, tr("Class field"), parentLayerParameterName=self.LABELS)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.METHOD,
                tr("Classifier"),
                options=[tr("Logistic regression"), tr("k nearest neighbours")],
                defaultValue=0,
            )
        )
        for key, label, default, valid in (
            (self.NEIGHBORS, tr("Neighbours (kNN)"), 5, limits.NEIGHBORS),
            (self.FOLDS, tr("Cross-validation folds (0 = none)"), 5, limits.FOLDS),
        ):
            param = number_parameter(key, label, valid, default)
            compat.advanced(param)
            self.addParameter(param)
        self.add_seed()
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Classes")))
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.PROBABILITIES, tr("Class probabilities"), optional=True, createByDefault=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT, tr("Accuracy table (CSV)"), tr("CSV files (*.csv)"), optional=True
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.ACCURACY, tr("Cross-validated accuracy")))
        self.add_report_output()
        self.add_sign_field(self.LABELS)

    def process(self, parameters, context, feedback, tx):
        layer, path = self.raster_file(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.LABELS, context)
        if source is None:
            raise QgsProcessingException(tr("Choose the labelled features."))
        field = self.parameterAsString(parameters, self.FIELD, context)
        if source.fields().indexOf(field) < 0:
            raise QgsProcessingException(tr("The field %r is not in the labelled layer.") % field)
        sign = self.sign_field(parameters, source, context)
        labels, negatives = [], 0
        for feature, wkt in self.geometries_wkt(source, layer.crs(), context, feedback):
            if self.is_negative(feature, sign):
                negatives += 1
                continue
            value = feature[field]
            if value is None or str(value) in ("", "NULL"):
                continue
            labels.append({"wkt": wkt, "label": str(value)})
        if negatives:
            feedback.pushInfo(
                tr(
                    "%d negative examples (their '%s' is below 0) left out of the training: they say what a place "
                    "is not, not a class."
                )
                % (negatives, sign)
            )
        if len({item["label"] for item in labels}) < 2:
            raise QgsProcessingException(
                tr("Few-shot classification needs labelled features of at least two classes in the field '%s'.") % field
            )
        output = self.destination(parameters, self.OUTPUT, context, tr("class raster"), tx)
        probabilities = self.destination(parameters, self.PROBABILITIES, context, tr("probability raster"), tx)
        report = file_destination(self, parameters, self.REPORT, context, tx, tr("accuracy report"), CSV)
        result = self.run_job(
            {
                "type": "classify",
                "input": path,
                "output": output,
                "probabilities_output": probabilities,
                "report_output": report,
                "labels": labels,
                "method": METHODS[self.parameterAsEnum(parameters, self.METHOD, context)],
                "k_neighbors": self.parameterAsInt(parameters, self.NEIGHBORS, context),
                "cv_folds": self.parameterAsInt(parameters, self.FOLDS, context),
                "seed": self.parameterAsInt(parameters, self.SEED, context),
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        accuracy = result.get("cv_accuracy")
        feedback.pushInfo(tr("Classes: %s") % ", ".join(str(c) for c in result["classes"]))
        if accuracy is not None:
            feedback.pushInfo(
                tr("Cross-validated accuracy: %.3f (%s folds, %s)")
                % (accuracy, result.get("cv_folds"), result.get("cv_scheme"))
            )
        outputs = {
            self.OUTPUT: output,
            self.ACCURACY: accuracy if accuracy is not None else -1,
            **self.report_output(result),
        }
        if probabilities:
            outputs[self.PROBABILITIES] = probabilities
        if report:
            outputs[self.REPORT] = report
        return outputs
