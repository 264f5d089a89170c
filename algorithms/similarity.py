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
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsRasterLayer,
)

from ..shared import catalogue, limits
from ..shared.transaction import POLYGONS
from ..shell.i18n import tr
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter


class SimilarityAlgorithm(AnalysisAlgorithm):
    NAME = "similarity"
    DISPLAY = tr("Similarity search")
    HELP = tr(
        "Cosine similarity (-1..1) of every cell of an embedding raster to a reference embedding: either the mean "
        "of the cells under the features of a point or polygon layer (points take the cell they fall in, "
        "polygons the cells whose centres they contain), or the mean of pooled vectors stored in the features' "
        "emb_000... fields (e.g. the output of 'Compute embeddings' or 'Embeddings for features', which must come "
        "from the same model). With a field marking negative examples (features whose value is below 0; the "
        "others, NULL included, are the reference), the result is cos(cell, mean of the positive examples) - "
        "cos(cell, mean of the negative examples), in -2..2: cells like the negatives drop. With a threshold "
        "(-1..1, or -2..2 with negative examples), also a mask raster (1 = similar, 0 = not, 255 = nodata) and "
        "the polygons of the similar areas. Processed block by block."
    )
    REPORT_HELP = tr(
        "the distribution of the similarity (histogram, the threshold marked), the share of cells at or "
        "above the threshold, and the reference (and negative) features and cells used."
    )
    INPUT, REFERENCE, MODE, THRESHOLD = "INPUT", "REFERENCE", "MODE", "THRESHOLD"
    OUTPUT, MASK, POLYGONS, REFERENCE_CELLS = "OUTPUT", "MASK", "POLYGONS", "REFERENCE_CELLS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Embedding raster")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.REFERENCE, tr("Reference features"), [compat.SOURCE_POINT, compat.SOURCE_POLYGON]
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.MODE,
                tr("Reference embedding"),
                options=[tr(label) for label in catalogue.SIMILARITY_EXAMPLES.values()],
                defaultValue=0,
            )
        )
        self.addParameter(
            number_parameter(
                self.THRESHOLD,
                tr("Threshold for the mask (empty = no mask; -1..1, or -2..2 with negative examples)"),
                limits.SIMILARITY_DIFFERENCE,
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Similarity")))
        self.addParameter(
            QgsProcessingParameterRasterDestination(self.MASK, tr("Similar mask"), optional=True, createByDefault=False)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.POLYGONS, tr("Similar areas"), compat.SOURCE_POLYGON, optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.REFERENCE_CELLS, tr("Cells in the reference")))
        self.add_report_output()
        self.add_sign_field(self.REFERENCE)

    @staticmethod
    def pooled_vectors(source):
        """[(feature, its emb_ fields as floats)] for the features with all of them filled."""
        names = [n for n in source.fields().names() if n.startswith("emb_")]
        if not names:
            raise QgsProcessingException(
                tr(
                    "The reference layer has no emb_000... fields. Use 'Mean of the cells "
                    "under the features', or a layer made by Compute embeddings."
                )
            )
        out = []
        for f in source.getFeatures():
            values = [f[n] for n in names]
            if all(v is not None and str(v) != "NULL" for v in values):
                out.append((f, [float(v) for v in values]))
        return out

    def examples(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        source: QgsFeatureSource,
        layer: QgsRasterLayer,
    ) -> tuple[str, list[Any], list[Any]]:
        """(kind: "vectors" or "geometries", positive examples, negative examples) of the reference features,
        or a message when there is no positive one."""
        sign = self.sign_field(parameters, source, context)
        kind = self.parameterAsChoice(parameters, self.MODE, context, catalogue.SIMILARITY_EXAMPLES)
        if kind == "vectors":
            examples = self.pooled_vectors(source)
            if not examples:
                raise QgsProcessingException(tr("No reference feature has all its emb_ fields filled."))
        else:
            examples = self.geometries_wkt(source, layer.crs(), context, feedback)
            if not examples:
                raise QgsProcessingException(tr("The reference layer has no features with a geometry."))
        positives, negatives = [], []
        for feature, item in examples:
            (negatives if self.is_negative(feature, sign) else positives).append(item)
        if not positives:
            raise QgsProcessingException(
                tr(
                    "All %d reference features are negative examples (their '%s' is below 0). Mark at least one "
                    "positive example (a value of 0 or more, or NULL) or choose no sign field."
                )
                % (len(negatives), sign)
            )
        return kind, positives, negatives

    def process(self, parameters, context, feedback, tx):
        layer, path = self.raster_file(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.REFERENCE, context)
        if source is None:
            raise QgsProcessingException(tr("Choose the reference features."))
        threshold = parameters.get(self.THRESHOLD)
        threshold = None if threshold in (None, "") else self.parameterAsDouble(parameters, self.THRESHOLD, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("similarity raster"), tx)
        mask = self.destination(parameters, self.MASK, context, tr("mask"), tx)
        polygons = self.parameterAsOutputLayer(parameters, self.POLYGONS, context) or None
        if polygons:
            polygons = os.path.abspath(polygons)
            tx.add(polygons, tr("similar areas"), POLYGONS)
        if (mask or polygons) and threshold is None:
            raise QgsProcessingException(tr("A mask or polygons need a threshold: set 'Threshold' (e.g. 0.8)."))
        kind, positives, negatives = self.examples(parameters, context, feedback, source, layer)
        if negatives:
            feedback.pushInfo(tr("%d positive and %d negative examples") % (len(positives), len(negatives)))
        elif threshold is not None:
            problem = limits.SIMILARITY.problem(
                tr("Without negative examples the threshold (THRESHOLD)"), threshold, tr
            )
            if problem:
                raise QgsProcessingException(
                    problem + tr(" Thresholds beyond that need negative examples (SIGN_FIELD).")
                )
        result = self.run_job(
            {
                "type": "similarity",
                "input": path,
                "output": output,
                "reference": {kind: positives},
                "negatives": {kind: negatives} if negatives else None,
                "threshold": threshold,
                "mask_output": mask,
                "polygons_output": polygons,
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        feedback.pushInfo(
            tr("Similarity: min %.3f, mean %.3f, max %.3f") % (result["min"], result["mean"], result["max"])
        )
        outputs = {
            self.OUTPUT: output,
            self.REFERENCE_CELLS: result.get("reference_cells") or 0,
            **self.report_output(result),
        }
        if mask:
            outputs[self.MASK] = mask
        if polygons:
            outputs[self.POLYGONS] = polygons
        return outputs
