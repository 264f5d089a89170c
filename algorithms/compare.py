from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
)

from ..shared import limits
from ..shared.jobs.classify import CompareJob
from ..shared.transaction import CSV
from ..shell.i18n import tr
from . import compat, inputs
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter
from .outputs import file_destination


class CompareAlgorithm(AnalysisAlgorithm):
    NAME = "compare"
    DISPLAY = tr("Compare embeddings")
    HELP = tr(
        "Which embeddings separate your classes best here? Takes labelled points or polygons (a class field) and "
        "two or more embedding rasters of the same area: different models or sizes (TerraFM, TerraMind, "
        "AlphaEarth...), grids and CRSs are fine, each raster is sampled under the labels on its own grid. Every "
        "raster is validated on the same spatial blocks and folds (squares of the block size in map units of the "
        "first raster's CRS; 0 = a size derived from the labels' spread, stated in the log): blocks never split "
        "between training and validation, so neighbouring cells cannot flatter the score, and the comparison is "
        "fair. For each raster: the accuracy of a linear probe (logistic regression) and of k nearest neighbours, "
        "each with its 95% interval across folds, the macro F1, the learning curve, its dimensions and cell size. "
        "The table ranks the rasters by the linear probe and says, fold by fold, whether each one's difference to "
        "the best is within the folds' spread (the labels cannot tell them apart) or beyond it. Labels outside a "
        "raster are counted per raster; a raster that does not overlap the labels is refused. Reproducible with "
        "the seed."
    )
    REPORT_HELP = tr(
        "the ranking with both classifiers' accuracies and intervals as charts, the fold-by-fold differences to "
        "the best raster, and every raster's learning curve in one chart."
    )
    INPUTS, FOLDS, BLOCK_SIZE, NEIGHBORS = (
        "INPUTS", "FOLDS", "VALIDATION_BLOCK_SIZE", "NEIGHBORS",
    )  # fmt: skip
    OUTPUT, BEST, BEST_ACCURACY = "OUTPUT", "BEST", "BEST_ACCURACY"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(self.INPUTS, tr("Embedding rasters"), compat.SOURCE_RASTER)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LABELS, tr("Labelled features"), [compat.SOURCE_POINT, compat.SOURCE_POLYGON]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(self.FIELD, tr("Class field"), parentLayerParameterName=self.LABELS)
        )
        self.addParameter(
            number_parameter(self.FOLDS, tr("Folds"), limits.COMPARE_FOLDS, CompareJob.default("cv_folds"))
        )
        self.addParameter(
            number_parameter(
                self.BLOCK_SIZE, tr("Spatial block size (map units of the first raster, 0 = automatic)"),
                limits.VALIDATION_BLOCK, CompareJob.default("validation_block_size"),
            )
        )  # fmt: skip
        param = number_parameter(
            self.NEIGHBORS, tr("Neighbours (kNN)"), limits.NEIGHBORS, CompareJob.default("k_neighbors")
        )
        compat.advanced(param)
        self.addParameter(param)
        self.add_seed()
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Comparison table (CSV)"), tr("CSV files (*.csv)"))
        )
        self.addOutput(QgsProcessingOutputString(self.BEST, tr("Best raster (by the linear probe)")))
        self.addOutput(QgsProcessingOutputNumber(self.BEST_ACCURACY, tr("Best raster's validated accuracy")))
        self.add_report_output()

    def _rasters(self, parameters, context):
        """[(layer, file, unique name)] of the embedding rasters, 2 or more."""
        layers = self.parameterAsLayerList(parameters, self.INPUTS, context)
        if len(layers) < 2:
            raise QgsProcessingException(tr("Choose two or more embedding rasters to compare."))
        out, seen = [], set()
        for layer in layers:
            path = inputs.local_raster_path(layer)
            if not path:
                raise QgsProcessingException(
                    tr(
                        "The embedding raster '%s' is not a local file that the runtime can read. Save it as a "
                        "GeoTIFF first (Export > Save As) and use that layer."
                    )
                    % layer.name()
                )
            name, n = layer.name(), 2
            while name in seen:
                name, n = "%s (%d)" % (layer.name(), n), n + 1  # no-i18n (a layer name and a number)
            seen.add(name)
            out.append((layer, path, name))
        return out

    def _labels(self, parameters, context, crs, feedback):
        source, field = self.labelled_features(parameters, context)
        labels = [
            {"wkt": wkt, "label": str(feature[field])}
            for feature, wkt in self.geometries_wkt(source, crs, context, feedback)
            if feature[field] is not None and str(feature[field]) not in ("", "NULL")
        ]
        if len({item["label"] for item in labels}) < 2:
            raise QgsProcessingException(
                tr("Compare embeddings needs labelled features of at least two classes in the field '%s'.") % field
            )
        return labels

    def process(self, parameters, context, feedback, tx):
        rasters = self._rasters(parameters, context)
        labels = self._labels(parameters, context, rasters[0][0].crs(), feedback)
        output = file_destination(self, parameters, self.OUTPUT, context, tx, tr("comparison table"), CSV)
        result = self.run_job(
            {
                "type": "compare",
                "rasters": [path for _, path, _ in rasters],
                "names": [name for _, _, name in rasters],
                "output": output,
                "labels": labels,
                "cv_folds": self.parameterAsInt(parameters, self.FOLDS, context),
                "validation_block_size": self.parameterAsDouble(parameters, self.BLOCK_SIZE, context),
                "k_neighbors": self.parameterAsInt(parameters, self.NEIGHBORS, context),
                "seed": self.parameterAsInt(parameters, self.SEED, context),
                "html_report": self.report_destination(parameters, context, tx),
            },
            feedback,
            tx=tx,
        )
        best = result["ranking"][0]
        for entry in result["ranking"]:
            feedback.pushInfo(
                tr("%d. %s: linear probe %.3f, k-NN %.3f, macro F1 %.3f")
                % (entry["rank"], entry["name"], entry["logistic"]["mean"], entry["knn"]["mean"],
                   entry["logistic"]["macro_f1"])
            )  # fmt: skip
        return {
            self.OUTPUT: output,
            self.BEST: best["name"],
            self.BEST_ACCURACY: best["logistic"]["mean"],
            **self.report_output(result),
        }
