import os
import shutil

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QMetaType

from ..shared import limits
from ..shared.catalogue import GRID_COMPRESSIONS, MODELS, PREPARATIONS, SOURCES, TILE_OVERLAP_HELP
from ..shared.jobs.embedding import EmbedJob, EmbedOutputs, RasterInput
from ..shared.partials import job_temp_dir
from ..shell.i18n import tr
from . import aoi_params, checks, compat, earthengine_params, embed_job, imagery_params, model_params, series
from .base import TerraEmbedAlgorithm, number_parameter
from .embed_help import EMBED_HELP
from .styling import style_pca_on_load


def pooled_fields(dim):
    fields = QgsFields()
    fields.append(compat.make_field("model", QMetaType.Type.QString))
    fields.append(compat.make_field("modality", QMetaType.Type.QString))
    fields.append(compat.make_field("source", QMetaType.Type.QString))
    fields.append(compat.make_field("cells", QMetaType.Type.Int))
    for i in range(dim):
        fields.append(compat.make_field("emb_%03d" % i, QMetaType.Type.Double))
    return fields


class EmbedAlgorithm(TerraEmbedAlgorithm):
    """Composed of the imagery, area-of-interest, model and Earth Engine parameter groups; its job is built
    by embed_job.py."""

    NAME = "embed"
    DISPLAY = tr("Compute embeddings")
    GROUP = tr("Embeddings")
    GROUP_ID = "embeddings"
    REPORT_HELP = tr(
        "the inputs, the model and its weights (random weights in red), device and precision, chips "
        "embedded and skipped, cells, speed and time, the PCA explained variance (chart and table) and, "
        "for Earth Engine imagery, its provenance (collection, dates, images, filters)."
    )
    HELP = EMBED_HELP + "\n" + series.HELP

    INPUT = imagery_params.INPUT
    SOURCE = "SOURCE"
    INPUT_PREP = "INPUT_PREP"
    OVERLAP = "OVERLAP"
    PCA_COMPONENTS = "PCA_COMPONENTS"
    GRID_COMPRESSION = "GRID_COMPRESSION"
    OUTPUT_GRID = "OUTPUT_GRID"
    OUTPUT_PCA = "OUTPUT_PCA"
    OUTPUT_POOLED = "OUTPUT_POOLED"
    OUTPUT_INPUT = "OUTPUT_INPUT"
    DIM = "DIM"
    CELLS = "CELLS"
    DEVICE_USED = "DEVICE_USED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self._add_inputs()
        earthengine_params.add_options(self)
        model_params.add_options(self)
        self._add_outputs()
        series.add_series_outputs(self)
        self.add_report_output()

    def _add_inputs(self) -> None:
        """The imagery (a raster layer with the other sensors', or Earth Engine), the area, the model and
        how the imagery is prepared."""
        self.addParameter(
            QgsProcessingParameterRasterLayer(self.INPUT, tr("Input raster (Raster layer source)"), optional=True)
        )
        imagery_params.add_sensor_inputs(self)
        self.addParameter(
            QgsProcessingParameterEnum(
                self.SOURCE, tr("Imagery source"), options=[tr(label) for label in SOURCES.values()], defaultValue=0
            )
        )
        aoi_params.add_extent_and_polygons(self)
        model_params.add_model(self, self.INPUT)
        self.addParameter(
            number_parameter(
                imagery_params.SCALE,
                tr("Scale (multiply pixel values; 10000 for reflectance stored as 0..1)"),
                limits.SCALE,
                RasterInput.default("scale"),
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.INPUT_PREP,
                tr("Input preparation"),
                options=list(PREPARATIONS),
                defaultValue=EmbedJob.default_choice("prep"),
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.OVERLAP,
                tr("Tile overlap (tile mode; removes seams)"),
                options=[tr(label) for label in TILE_OVERLAP_HELP.values()],
                defaultValue=EmbedJob.default_choice("overlap"),
            )
        )
        self.addParameter(
            number_parameter(
                self.PCA_COMPONENTS, tr("PCA components"), limits.PCA_COMPONENTS, EmbedOutputs.default("pca_components")
            )
        )

    def _add_outputs(self) -> None:
        """The grid (and its compression), the PCA, the pooled embedding, the composite and the numbers."""
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.OUTPUT_GRID, tr("Embedding grid"), optional=True, createByDefault=True
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.GRID_COMPRESSION,
                    tr("Embedding grid compression"),
                    options=[tr(label) for label in GRID_COMPRESSIONS.values()],
                    defaultValue=EmbedOutputs.default_choice("grid_compression"),
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.OUTPUT_PCA, tr("PCA (RGB)"), optional=True, createByDefault=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_POOLED, tr("Pooled embedding"), compat.SOURCE_POLYGON, optional=True, createByDefault=True
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterRasterDestination(
                    self.OUTPUT_INPUT, tr("Earth Engine composite (model input)"), optional=True, createByDefault=False
                )
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.DIM, tr("Embedding dimension")))
        self.addOutput(QgsProcessingOutputNumber(self.CELLS, tr("Valid grid cells")))
        self.addOutput(QgsProcessingOutputString(self.DEVICE_USED, tr("Device used")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = super().checkParameterValues(parameters, context)
        if ok and self.OUTPUT_POOLED in parameters:
            dim = MODELS[model_params.chosen_model(self, parameters, context)].dim
            message = checks.shapefile_problem(
                tr("Pooled embedding (OUTPUT_POOLED)"), parameters[self.OUTPUT_POOLED], len(pooled_fields(0)) + dim
            )
            ok = message is None
        return ok, message or ""

    # -- running ----------------------------------------------------------------------------------
    def process(self, parameters, context, feedback, tx):
        periods = series.periods_of(self, parameters, context)
        if periods:  # a series: one grid per period (algorithms/series.py)
            job = embed_job.period_job(self, parameters, context)
            return series.run_series(self, parameters, context, feedback, tx, job, self.OUTPUT_GRID, periods)
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setCurrentStep(0)
        export_dir = job_temp_dir(tx.run)
        try:
            job, pooled = embed_job.build_job(self, parameters, context, steps, export_dir, tx)
            spec = MODELS[job["model"]]
            feedback.pushInfo(
                tr("Model: %s (%d-dim), device: %s, preparation: %s")
                % (spec.label, spec.dim, job["device"], job["prep"])
            )
            steps.setCurrentStep(1)
            result = self.run_job(job, steps, tx=tx)
        finally:
            shutil.rmtree(export_dir, ignore_errors=True)
        steps.setCurrentStep(2)
        results = {
            self.DIM: result["dim"],
            self.CELLS: result["cells"],
            self.DEVICE_USED: result.get("device", ""),
            **self.report_output(result),
        }
        for warning in result.get("warnings", []):
            feedback.pushWarning(warning)
        feedback.pushInfo(tr("Weights: %s") % result.get("weights", ""))
        feedback.pushInfo(tr("Precision: %s (asked: %s)") % (result.get("precision", ""), job.get("precision", "")))
        if result.get("grid"):
            results[self.OUTPUT_GRID] = result["grid"]
        if result.get("pca"):
            results[self.OUTPUT_PCA] = result["pca"]
            style_pca_on_load(context, result["pca"])
            feedback.pushInfo(
                tr("PCA explained variance: %s") % ", ".join("%.3f" % v for v in result.get("explained_variance", []))
            )
        if result.get("input_copy"):
            results[self.OUTPUT_INPUT] = result["input_copy"]
        results[self.OUTPUT_POOLED] = self._write_pooled(context, job, result, pooled, feedback)
        feedback.setProgress(100)
        return results

    def _write_pooled(self, context, job, result, pooled, feedback):
        """The pooled embedding: the area with the pooled vector (the runtime wrote it when GeoParquet)."""
        if pooled.runtime_path():  # GeoParquet: the job wrote it
            return pooled.written_by_runtime(feedback)
        crs = QgsCoordinateReferenceSystem.fromWkt(result["crs"])
        fields = pooled_fields(result["dim"])
        xmin, ymin, xmax, ymax = result["bounds"]
        feature = QgsFeature(fields)
        geometry = QgsGeometry.fromRect(QgsRectangle(xmin, ymin, xmax, ymax))
        aoi = job.get("aoi") or {}
        if aoi.get("geometry"):  # the AOI polygon, in the outputs' CRS
            geometry = QgsGeometry.fromWkt(aoi["geometry"])
            geometry.transform(
                QgsCoordinateTransform(
                    QgsCoordinateReferenceSystem.fromWkt(aoi["crs"]), crs, context.transformContext()
                )
            )
        feature.setGeometry(geometry)
        source = job["source"]
        label = source.get("name") or os.path.basename(source.get("path") or "") or "earthengine"
        feature.setAttributes(
            [result["model"], result["modality"], label, int(result["cells"])] + [float(v) for v in result["pooled"]]
        )
        return pooled.write(fields, compat.POLYGON_WKB, crs, [feature], feedback)
