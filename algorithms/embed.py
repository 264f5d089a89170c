import os
import shutil

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QMetaType

from ..shared import limits
from ..shared.catalogue import (
    CLOUD_MASKS,
    DEFAULT_END,
    DEFAULT_MAX_CLOUD,
    DEFAULT_PIXEL_SIZE_M,
    DEFAULT_START,
    DEVICES,
    GRID_COMPRESSIONS,
    MODELS,
    ORBITS,
    POOLINGS,
    PRECISION_DEFAULT,
    PRECISIONS,
    PREPARATIONS,
    SENSOR_PARAMETERS,
    SOURCES,
    TILE_OVERLAP_HELP,
    default_batch_text,
)
from ..shared.partials import job_temp_dir
from ..shell.i18n import tr
from . import checks, compat, series
from .base import TerraEmbedAlgorithm, number_parameter
from .embed_help import EMBED_HELP
from .embed_job import EmbedJobBuilder
from .styling import style_pca_on_load

MODEL_LABELS = [model.label for model in MODELS.values()]  # the MODEL enum's options (catalogue order)
BANDS_LABEL = tr("Bands in model order (empty = match by name; command line: BANDS=1,2,3...)")


def pooled_fields(dim):
    fields = QgsFields()
    fields.append(compat.make_field("model", QMetaType.Type.QString))
    fields.append(compat.make_field("modality", QMetaType.Type.QString))
    fields.append(compat.make_field("source", QMetaType.Type.QString))
    fields.append(compat.make_field("cells", QMetaType.Type.Int))
    for i in range(dim):
        fields.append(compat.make_field("emb_%03d" % i, QMetaType.Type.Double))
    return fields


class EmbedAlgorithm(EmbedJobBuilder, TerraEmbedAlgorithm):
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

    INPUT = "INPUT"
    INPUT_S1 = SENSOR_PARAMETERS["S1"]
    INPUT_DEM = SENSOR_PARAMETERS["DEM"]
    SOURCE = "SOURCE"
    AOI = "AOI"
    AOI_LAYER = "AOI_LAYER"
    MODEL = "MODEL"
    BANDS = "BANDS"
    SCALE = "SCALE"
    INPUT_PREP = "INPUT_PREP"
    OVERLAP = "OVERLAP"
    PCA_COMPONENTS = "PCA_COMPONENTS"
    GRID_COMPRESSION = "GRID_COMPRESSION"
    DEVICE = "DEVICE"
    BATCH_SIZE = "BATCH_SIZE"
    PRECISION = "PRECISION"
    POOLING = "POOLING"
    WEIGHTS_FILE = "WEIGHTS_FILE"
    RANDOM_WEIGHTS = "RANDOM_WEIGHTS"
    OFFLINE = "OFFLINE"
    S1_DB = "S1_DB"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    EE_SCALE = "EE_SCALE"
    MAX_CLOUD = "MAX_CLOUD"
    CLOUD_MASK = "CLOUD_MASK"
    S1_ORBIT = "S1_ORBIT"
    EE_PROJECT = "EE_PROJECT"
    SCHEDULER = "SCHEDULER"
    OUTPUT_GRID = "OUTPUT_GRID"
    OUTPUT_PCA = "OUTPUT_PCA"
    OUTPUT_POOLED = "OUTPUT_POOLED"
    OUTPUT_INPUT = "OUTPUT_INPUT"
    DIM = "DIM"
    CELLS = "CELLS"
    DEVICE_USED = "DEVICE_USED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterRasterLayer(self.INPUT, tr("Input raster (Raster layer source)"), optional=True)
        )
        self.add_sensor_inputs()
        self.addParameter(
            QgsProcessingParameterEnum(
                self.SOURCE, tr("Imagery source"), options=[tr(label) for label in SOURCES.values()], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterExtent(self.AOI, tr("Area of interest (empty = the whole raster)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AOI_LAYER,
                tr("Area of interest polygons (optional: overrides the extent; pixels outside are ignored)"),
                [compat.SOURCE_POLYGON],
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterEnum(self.MODEL, tr("Model"), options=MODEL_LABELS, defaultValue=0))
        self.addParameter(
            QgsProcessingParameterBand(
                self.BANDS, BANDS_LABEL, parentLayerParameterName=self.INPUT, optional=True, allowMultiple=True
            )
        )
        self.addParameter(
            number_parameter(
                self.SCALE, tr("Scale (multiply pixel values; 10000 for reflectance stored as 0..1)"), limits.SCALE, 1.0
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.INPUT_PREP, tr("Input preparation"), options=list(PREPARATIONS), defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.OVERLAP,
                tr("Tile overlap (tile mode; removes seams)"),
                options=[tr(label) for label in TILE_OVERLAP_HELP.values()],
                defaultValue=0,
            )
        )
        self.addParameter(number_parameter(self.PCA_COMPONENTS, tr("PCA components"), limits.PCA_COMPONENTS, 3))
        self.add_earthengine_options()
        self.add_model_options()
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
                    defaultValue=0,
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
        series.add_series_outputs(self)
        self.add_report_output()

    def add_sensor_inputs(self):
        """The other sensors' rasters of TerraMind on several sensors (INPUT_S1, INPUT_DEM)."""
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.INPUT_S1,
                tr("Sentinel-1 raster (TerraMind on S2 + S1: VV, VH linear; empty = from the input raster)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.INPUT_DEM,
                tr("DEM raster (TerraMind on S2 + S1 + DEM: metres; empty = from the input raster)"),
                optional=True,
            )
        )

    def add_earthengine_options(self):
        """Dates, pixel size, cloud limit and mask, orbit pass and project of an Earth Engine composite."""
        self.addParameter(
            QgsProcessingParameterString(
                self.START_DATE, tr("Earth Engine: start date (YYYY-MM-DD)"), defaultValue=DEFAULT_START, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.END_DATE, tr("Earth Engine: end date (YYYY-MM-DD)"), defaultValue=DEFAULT_END, optional=True
            )
        )
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.EE_SCALE, tr("Earth Engine: pixel size (m)"), limits.EE_SCALE, DEFAULT_PIXEL_SIZE_M
                )
            )
        )
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.MAX_CLOUD,
                    tr("Earth Engine: maximum cloudy pixel percentage (Sentinel-2)"),
                    limits.MAX_CLOUD,
                    DEFAULT_MAX_CLOUD,
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.CLOUD_MASK,
                    tr("Earth Engine: per-pixel cloud mask (Sentinel-2)"),
                    options=list(CLOUD_MASKS),
                    defaultValue=0,
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.S1_ORBIT, tr("Earth Engine: orbit pass (Sentinel-1)"), options=list(ORBITS), defaultValue=0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterString(
                    self.EE_PROJECT,
                    tr("Earth Engine: Cloud project (empty = settings, EE_PROJECT or GOOGLE_CLOUD_PROJECT)"),
                    defaultValue="",
                    optional=True,
                )
            )
        )
        series.add_period_parameters(self)

    def add_model_options(self):
        """The advanced options shared by the embedding algorithms: device, batch, precision, pooling, weights."""
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(self.DEVICE, tr("Device"), options=list(DEVICES), defaultValue=0)
            )
        )
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.BATCH_SIZE, tr("Batch size (0 = default: %s)") % default_batch_text(), limits.BATCH_SIZE, 0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.PRECISION,
                    tr("Precision (auto = bf16 where the CPU or GPU computes it natively, else fp32; int8 = fast CPU)"),
                    options=list(PRECISIONS),
                    defaultValue=PRECISIONS.index(PRECISION_DEFAULT),
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.POOLING, tr("Pooling (TerraMind)"), options=list(POOLINGS), defaultValue=0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterFile(
                    self.WEIGHTS_FILE, tr("Weights file (empty = settings or Hugging Face hub/cache)"), optional=True
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(self.OFFLINE, tr("Offline (use cached weights only)"), defaultValue=False)
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(
                    self.RANDOM_WEIGHTS,
                    tr("Random weights (testing only: embeddings are meaningless)"),
                    defaultValue=False,
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(
                    self.S1_DB, tr("Sentinel-1 input is in dB: convert to linear"), defaultValue=False
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterString(
                    self.SCHEDULER,
                    tr(
                        "Dask scheduler (tcp://host:port, scheduler file, local:N; empty = settings, else this machine)"
                    ),
                    defaultValue="",
                    optional=True,
                )
            )
        )

    def band_choice(self, parameters, context):
        """The BANDS parameter as band numbers; a command-line "1,2,3" is three bands (QGIS reads one)."""
        value = parameters.get(self.BANDS)
        if isinstance(value, str) or (isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value)):
            try:
                return checks.band_numbers(value)
            except ValueError as exc:
                raise QgsProcessingException(tr("Bands: %s") % exc) from exc
        return self.parameterAsInts(parameters, self.BANDS, context)

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = super().checkParameterValues(parameters, context)
        if ok and self.OUTPUT_POOLED in parameters:
            dim = MODELS[self.parameterAsChoice(parameters, self.MODEL, context, MODELS)].dim
            message = checks.shapefile_problem(
                tr("Pooled embedding (OUTPUT_POOLED)"), parameters[self.OUTPUT_POOLED], len(pooled_fields(0)) + dim
            )
            ok = message is None
        return ok, message or ""

    # -- running ----------------------------------------------------------------------------------
    def process(self, parameters, context, feedback, tx):
        periods = series.periods_of(self, parameters, context)
        if periods:  # a series: one grid per period (algorithms/series.py)
            job = series.embed_job(self, parameters, context)
            return series.run_series(self, parameters, context, feedback, tx, job, self.OUTPUT_GRID, periods)
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setCurrentStep(0)
        export_dir = job_temp_dir(tx.run)
        try:
            job = self.build_job(parameters, context, steps, export_dir, tx)
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
        results[self.OUTPUT_POOLED] = self._write_pooled(context, job, result, feedback)
        feedback.setProgress(100)
        return results

    def _write_pooled(self, context, job, result, feedback):
        if self.pooled.runtime_path():  # GeoParquet: the job wrote it
            return self.pooled.written_by_runtime(feedback)
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
        return self.pooled.write(fields, compat.POLYGON_WKB, crs, [feature], feedback)
