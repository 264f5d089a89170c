import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
)

from .. import limits
from ..transaction import POLYGONS
from . import compat
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter

MODES = ["Mean of the cells under the features", "Pooled vectors in the features' emb_ fields"]


class SimilarityAlgorithm(AnalysisAlgorithm):
    NAME = "similarity"
    DISPLAY = "Similarity search"
    HELP = (
        "Cosine similarity (-1..1) of every cell of an embedding raster to a reference embedding: either the mean "
        "of the cells under the features of a point or polygon layer (points take the cell they fall in, "
        "polygons the cells whose centres they contain), or the mean of pooled vectors stored in the features' "
        "emb_000... fields (e.g. the output of 'Compute embeddings' or 'Embeddings for features', which must come "
        "from the same model). With a threshold, also a mask raster (1 = similar, 0 = not, 255 = nodata) and "
        "the polygons of the similar areas. Processed block by block."
    )
    REPORT_HELP = (
        "the distribution of the similarity (histogram, the threshold marked), the share of cells at or "
        "above the threshold, and the reference features and cells used."
    )
    INPUT, REFERENCE, MODE, THRESHOLD = "INPUT", "REFERENCE", "MODE", "THRESHOLD"
    OUTPUT, MASK, POLYGONS, REFERENCE_CELLS = "OUTPUT", "MASK", "POLYGONS", "REFERENCE_CELLS"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, "Embedding raster"))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.REFERENCE, "Reference features", [compat.SOURCE_POINT, compat.SOURCE_POLYGON]
            )
        )
        self.addParameter(QgsProcessingParameterEnum(self.MODE, "Reference embedding", options=MODES, defaultValue=0))
        self.addParameter(
            number_parameter(
                self.THRESHOLD, "Threshold for the mask (empty = no mask)", limits.SIMILARITY, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, "Similarity"))
        self.addParameter(
            QgsProcessingParameterRasterDestination(self.MASK, "Similar mask", optional=True, createByDefault=False)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.POLYGONS, "Similar areas", compat.SOURCE_POLYGON, optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.REFERENCE_CELLS, "Cells in the reference"))
        self.add_report_output()

    def process(self, parameters, context, feedback, tx):
        layer, path = self.raster_file(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.REFERENCE, context)
        if source is None:
            raise QgsProcessingException("Choose the reference features.")
        threshold = parameters.get(self.THRESHOLD)
        threshold = None if threshold in (None, "") else self.parameterAsDouble(parameters, self.THRESHOLD, context)
        output = self.destination(parameters, self.OUTPUT, context, "similarity raster", tx)
        mask = self.destination(parameters, self.MASK, context, "mask", tx)
        polygons = self.parameterAsOutputLayer(parameters, self.POLYGONS, context) or None
        if polygons:
            polygons = os.path.abspath(polygons)
            tx.add(polygons, "similar areas", POLYGONS)
        if (mask or polygons) and threshold is None:
            raise QgsProcessingException("A mask or polygons need a threshold: set 'Threshold' (e.g. 0.8).")
        if self.parameterAsEnum(parameters, self.MODE, context) == 1:
            names = [n for n in source.fields().names() if n.startswith("emb_")]
            if not names:
                raise QgsProcessingException(
                    "The reference layer has no emb_000... fields. Use 'Mean of the cells "
                    "under the features', or a layer made by Compute embeddings."
                )
            vectors = []
            for f in source.getFeatures():
                values = [f[n] for n in names]
                if all(v is not None and str(v) != "NULL" for v in values):
                    vectors.append([float(v) for v in values])
            if not vectors:
                raise QgsProcessingException("No reference feature has all its emb_ fields filled.")
            reference = {"vectors": vectors}
        else:
            reference = {"geometries": [wkt for _, wkt in self.geometries_wkt(source, layer.crs(), context, feedback)]}
            if not reference["geometries"]:
                raise QgsProcessingException("The reference layer has no features with a geometry.")
        result = self.run_job(
            {
                "type": "similarity",
                "input": path,
                "output": output,
                "reference": reference,
                "threshold": threshold,
                "mask_output": mask,
                "polygons_output": polygons,
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        feedback.pushInfo("Similarity: min %.3f, mean %.3f, max %.3f" % (result["min"], result["mean"], result["max"]))
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
