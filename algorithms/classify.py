import os
from typing import Any

from qgis.core import (
    QgsFeatureSource,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsRasterLayer,
)

from ..shared import catalogue, limits
from ..shared.jobs.classify import ClassifyJob
from ..shared.transaction import CLASSIFIER as CLASSIFIER_FILES
from ..shared.transaction import CSV, POLYGONS
from ..shell.i18n import tr
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter
from .outputs import file_destination
from .styling import style_suggestions_on_load


class ClassifyAlgorithm(AnalysisAlgorithm):
    NAME = "classify"
    DISPLAY = tr("Few-shot classification")
    HELP = tr(
        "Classifies every cell of an embedding raster from a few labelled points or polygons (a class field). The "
        "embeddings under the labels train a logistic regression or a k-nearest-neighbours classifier "
        "(scikit-learn), which predicts every cell block by block. Outputs: a class raster (codes 1..n in the order "
        "classes first appear, 0 = nodata, palette, class names in the metadata), optionally a probability raster "
        "(one band per class) and a CSV table with cross-validated accuracy and per-class precision, recall and "
        "F1. Validation: grouped by feature (the default: the cells of one labelled feature stay together when "
        "every class has at least two features), spatial blocks (cells grouped into squares of the block size in "
        "map units, never split between training and validation; 0 = a size derived from the labels' spread, "
        "stated in the log) or by cell (optimistic: neighbouring cells are alike). The accuracy comes with its 95% "
        "interval across folds and the macro F1; the report draws the learning curve (accuracy against labelled "
        "cells per class). The log says which scheme was used. Reproducible with the seed. With a field marking "
        "negative examples, features whose value is below 0 are left out of the training (a negative example "
        "says what a place is not, not a class); the log says how many.\n\nWhere the classifier is unsure "
        "(optional): an uncertainty raster (band 1: 1 - the largest class probability, 0 = sure; band 2: the "
        "margin between the two best classes, 0 = a tie) and 'where to label next': a point layer of the most "
        "uncertain cells, no two closer than the spacing and none closer than that to a labelled feature (map "
        "units; 0 = 5 cells), with an empty 'class' field to fill, the uncertainty, the margin and the two most "
        "likely classes. Fill in 'class', add the points to your labels and run again.\n\nSave the classifier "
        "(optional, logistic regression only): a JSON file (no pickle; a SHA-256 refuses an edited file) with "
        "the classes, the model and grid of these embeddings and the fitted numbers, for 'Apply classifier' on "
        "another raster of the same model."
    )
    REPORT_HELP = tr(
        "the cross-validated confusion matrix as a heat map with counts, precision, recall and F1 per "
        "class, the cross-validation scheme and folds, the accuracy's 95% interval across folds and the macro F1, "
        "the learning curve, the training and predicted cells per class, and the uncertainty raster, where to "
        "label next and the saved classifier when they were written."
    )
    INPUT, METHOD, NEIGHBORS, FOLDS = "INPUT", "METHOD", "NEIGHBORS", "FOLDS"
    OUTPUT, PROBABILITIES, REPORT, ACCURACY = "OUTPUT", "PROBABILITIES", "REPORT", "ACCURACY"
    VALIDATION, BLOCK_SIZE = "VALIDATION", "VALIDATION_BLOCK_SIZE"
    ACCURACY_LOW, ACCURACY_HIGH, MACRO_F1 = "ACCURACY_LOW", "ACCURACY_HIGH", "MACRO_F1"
    UNCERTAINTY, SUGGESTIONS, SUGGESTION_COUNT = "UNCERTAINTY", "SUGGESTIONS", "SUGGESTION_COUNT"
    SPACING = "SUGGESTION_SPACING"
    CLASSIFIER = "CLASSIFIER"

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
                options=[tr(label) for label in catalogue.CLASSIFIERS.values()],
                defaultValue=list(catalogue.CLASSIFIERS).index(ClassifyJob.default("method")),
            )
        )
        for key, label, default, valid in (
            (self.NEIGHBORS, tr("Neighbours (kNN)"), ClassifyJob.default("k_neighbors"), limits.NEIGHBORS),
            (self.FOLDS, tr("Cross-validation folds (0 = none)"), ClassifyJob.default("cv_folds"), limits.FOLDS),
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
        self.add_validation()
        self.add_unsure_parameters()

    def add_validation(self):
        """The validation scheme, the spatial blocks' size and the interval's outputs (after the other
        parameters, so saved models keep working)."""
        self.addParameter(
            QgsProcessingParameterEnum(
                self.VALIDATION,
                tr("Validation"),
                options=[tr(label) for label in catalogue.VALIDATIONS.values()],
                defaultValue=list(catalogue.VALIDATIONS).index(ClassifyJob.default("validation")),
            )
        )
        param = number_parameter(
            self.BLOCK_SIZE,
            tr("Spatial block size (map units, 0 = automatic)"),
            limits.VALIDATION_BLOCK,
            ClassifyJob.default("validation_block_size"),
        )
        compat.advanced(param)
        self.addParameter(param)
        for name, text in (
            (self.ACCURACY_LOW, tr("Accuracy: low end of the 95% interval across folds")),
            (self.ACCURACY_HIGH, tr("Accuracy: high end of the 95% interval across folds")),
            (self.MACRO_F1, tr("Cross-validated macro F1")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, text))

    def accuracy_outputs(self, result, feedback):
        """The accuracy, its 95% interval and the macro F1 (-1 without cross-validation), logged."""
        accuracy = result.get("cv_accuracy")
        if accuracy is not None:
            feedback.pushInfo(
                tr("Cross-validated accuracy: %.3f (%s folds, %s)")
                % (accuracy, result.get("cv_folds"), result.get("cv_scheme"))
            )
        low, high = result.get("cv_accuracy_interval") or (None, None)
        values = {self.ACCURACY: accuracy, self.ACCURACY_LOW: low, self.ACCURACY_HIGH: high}
        values[self.MACRO_F1] = result.get("macro_f1")
        return {name: -1 if value is None else value for name, value in values.items()}

    def add_unsure_parameters(self):
        """Uncertainty, where to label next and the saved classifier (after the others: saved models keep working)."""
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.UNCERTAINTY,
                tr("Uncertainty (1 - largest probability, margin)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.SUGGESTIONS, tr("Where to label next"), compat.SOURCE_POINT, optional=True, createByDefault=False
            )
        )
        for key, label, default, valid in (
            (
                self.SUGGESTION_COUNT,
                tr("Suggestions (where to label next)"),
                ClassifyJob.default("suggestion_count"),
                limits.SUGGESTIONS,
            ),
            (
                self.SPACING,
                tr("Spacing of suggestions, from each other and from labels (map units, 0 = 5 cells)"),
                ClassifyJob.default("suggestion_spacing"),
                limits.SPACING,
            ),
        ):
            param = number_parameter(key, label, valid, default)
            compat.advanced(param)
            self.addParameter(param)
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CLASSIFIER,
                tr("Save the classifier (to apply it to another raster)"),
                tr("TerraEmbed classifier (*.json)"),
                optional=True,
                createByDefault=False,
            )
        )

    def unsure_outputs(self, parameters, context, tx):
        """The job's keys of the uncertainty, suggestions and classifier outputs (destinations checked)."""
        suggestions = self.parameterAsOutputLayer(parameters, self.SUGGESTIONS, context) or None
        if suggestions:
            suggestions = os.path.abspath(suggestions)
            tx.add(suggestions, tr("suggestions"), POLYGONS)
            style_suggestions_on_load(context, suggestions)
        return {
            "uncertainty_output": self.destination(parameters, self.UNCERTAINTY, context, tr("uncertainty raster"), tx),
            "suggestions_output": suggestions,
            "suggestion_count": self.parameterAsInt(parameters, self.SUGGESTION_COUNT, context),
            "suggestion_spacing": self.parameterAsDouble(parameters, self.SPACING, context),
            "classifier_output": file_destination(
                self, parameters, self.CLASSIFIER, context, tx, tr("classifier file"), CLASSIFIER_FILES
            ),
        }

    def unsure_results(self, result, feedback):
        """The outputs of unsure_outputs' files that the job wrote."""
        if result.get("suggestions"):
            feedback.pushInfo(tr("Where to label next: %d cells") % result["suggested_cells"])
        keys = (("uncertainty", self.UNCERTAINTY), ("suggestions", self.SUGGESTIONS), ("classifier", self.CLASSIFIER))
        return {name: result[key] for key, name in keys if result.get(key)}

    def training_labels(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        source: QgsFeatureSource,
        layer: QgsRasterLayer,
        field: str,
    ) -> list[dict[str, str]]:
        """The labelled features as {"wkt", "label"}; negative examples and empty labels left out."""
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
        return labels

    def process(self, parameters, context, feedback, tx):
        layer, path = self.raster_file(parameters, self.INPUT, context)
        source, field = self.labelled_features(parameters, context)
        labels = self.training_labels(parameters, context, feedback, source, layer, field)
        if len({item["label"] for item in labels}) < 2:
            raise QgsProcessingException(
                tr("Few-shot classification needs labelled features of at least two classes in the field '%s'.") % field
            )
        output = self.destination(parameters, self.OUTPUT, context, tr("class raster"), tx)
        probabilities = self.destination(parameters, self.PROBABILITIES, context, tr("probability raster"), tx)
        report = file_destination(self, parameters, self.REPORT, context, tx, tr("accuracy report"), CSV)
        unsure = self.unsure_outputs(parameters, context, tx)
        result = self.run_job(
            {
                "type": "classify",
                "input": path,
                "output": output,
                "probabilities_output": probabilities,
                "report_output": report,
                "labels": labels,
                "method": self.parameterAsChoice(parameters, self.METHOD, context, catalogue.CLASSIFIERS),
                "k_neighbors": self.parameterAsInt(parameters, self.NEIGHBORS, context),
                "cv_folds": self.parameterAsInt(parameters, self.FOLDS, context),
                "seed": self.parameterAsInt(parameters, self.SEED, context),
                "validation": self.parameterAsChoice(parameters, self.VALIDATION, context, catalogue.VALIDATIONS),
                "validation_block_size": self.parameterAsDouble(parameters, self.BLOCK_SIZE, context),
                "html_report": self.report_destination(parameters, context, tx),
                **unsure,
            },
            feedback,
            tx=tx,
        )
        feedback.pushInfo(tr("Classes: %s") % ", ".join(str(c) for c in result["classes"]))
        outputs = {self.OUTPUT: output, **self.accuracy_outputs(result, feedback), **self.report_output(result)}
        if probabilities:
            outputs[self.PROBABILITIES] = probabilities
        if report:
            outputs[self.REPORT] = report
        return dict(outputs, **self.unsure_results(result, feedback))
