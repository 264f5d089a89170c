import datetime
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

from .. import limits
from ..catalogue import (
    CLOUD_MASKS,
    DEFAULT_END,
    DEFAULT_START,
    DEVICES,
    MODELS,
    ORBIT_ANY,
    ORBITS,
    POOLING_DEFAULT,
    POOLINGS,
    PRECISIONS,
    PREPARATIONS,
    SENSOR_PARAMETERS,
    SOURCES,
    TILE_OVERLAP_HELP,
    TILE_OVERLAPS,
    auto_device_text,
    default_batch_text,
)
from ..runtime import settings
from ..transaction import job_temp_dir
from . import checks, compat, inputs, outputs
from .base import TerraEmbedAlgorithm, number_parameter
from .styling import style_pca_on_load

MODEL_LABELS = [model.label for model in MODELS.values()]  # the MODEL enum's options (catalogue order)
BANDS_LABEL = "Bands in model order (empty = match by name; command line: BANDS=1,2,3...)"


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
    NAME = "embed"
    DISPLAY = "Compute embeddings"
    GROUP = "Embeddings"
    GROUP_ID = "embeddings"
    REPORT_HELP = (
        "the inputs, the model and its weights (random weights in red), device and precision, chips "
        "embedded and skipped, cells, speed and time, the PCA explained variance (chart and table) and, "
        "for Earth Engine imagery, its provenance (collection, dates, images, filters)."
    )
    HELP = (
        "Computes foundation-model embeddings for an area of interest of a raster layer (or of imagery fetched "
        "from Google Earth Engine) and returns three results:\n"
        "- Embedding grid: a GeoTIFF with one band per embedding dimension (emb_000...), one cell per 16x16 input "
        "pixels in tile mode, georeferenced like the input.\n"
        "- PCA: the first principal components of the grid (default 3, shown as RGB).\n"
        "- Pooled vector: the area of interest as a polygon with the pooled embedding in fields emb_000...\n\n"
        "Models: TerraFM-B (Sentinel-2, 12 bands B1..B12 without B10; or Sentinel-1 VV, VH in linear units), "
        "TerraFM-L (the same inputs; the most accurate TerraFM, about 3.2x TerraFM-B's compute per chip and "
        "1024-dimensional) and TerraMind v1 tiny/small/base/large on Sentinel-2 L2A (12 bands), on Sentinel-1 GRD "
        "alone, on "
        "Sentinel-2 + Sentinel-1, or on Sentinel-2 + Sentinel-1 + DEM. Sentinel-2 values are surface reflectance "
        "0..10000: use 'Scale' 10000 for rasters stored as 0..1 (it scales the Sentinel-2 bands only).\n"
        "Sensors (TerraMind): Sentinel-2 alone is the default and the cheapest. Sentinel-1 alone sees through "
        "clouds and at night (radar: water, roughness, structure). Sentinel-2 + Sentinel-1 describes both the "
        "surface's colour and its structure, for cloudy areas, floods, crops and built-up land; adding the DEM adds "
        "terrain (slopes, valleys, landforms). Each sensor is cut into its own 14 x 14 tokens, the encoder attends "
        "over all sensors' tokens together, and each grid cell is the mean of the sensors' tokens at that place "
        "(terratorch's 'mean' merge), so the grid, PCA and pooled vector have the same shape and size as for one "
        "sensor. Cost: the encoder sees 2x (S2 + S1) or 3x (S2 + S1 + DEM) the tokens: counted, about 2.1-2.3x and "
        "3.2-3.9x the compute per tile (the smaller the model, the higher). Inputs: the input raster holds "
        "Sentinel-2 (or every sensor, stacked: choose the bands in "
        "model order B1..B12, VV, VH, DEM); 'Sentinel-1 raster' and 'DEM raster' give the other sensors as their own "
        "layers, resampled (bilinear) onto the input raster's grid when they differ (the log says so). "
        "Sentinel-1 is linear backscatter (COPERNICUS/S1_GRD_FLOAT; 'Sentinel-1 input is in dB' converts dB data); "
        "TerraMind was trained on dB, so TerraEmbed converts it to dB (10 log10) before the TerraMind v1 S1GRD "
        "statistics. The DEM is in metres (a band whose unit says feet is converted); DEM nodata holes and areas a "
        "sensor raster does not cover get the pre-training mean (a neutral input) and a warning; a sensor raster "
        "that does not overlap the area is an error. With Earth Engine, all sensors are fetched on one grid "
        "(Sentinel-1 from COPERNICUS/S1_GRD_FLOAT, the DEM from COPERNICUS/DEM/GLO30).\n"
        "Area of interest: an extent in any CRS (empty = the whole raster), or polygons ('Area of interest "
        "polygons': a layer, or only its selected features): pixels outside the polygons are then ignored, grid cells "
        "wholly outside them are nodata, and the pooled vector's polygon is the area of interest itself.\n"
        "Bands: leave empty to match bands by their names (B1..B12, B01..B12, B8A, VV, VH, common names) or to use "
        "the raster's bands when it has exactly the number the model needs; otherwise pick them in model order "
        "(on the command line as a comma list: BANDS=1,2,3,4,5,6,7,8,9,10,11,12). A band chosen twice gets a "
        "warning.\n"
        "Outputs: the embedding grid and the PCA are GeoTIFF files (.tif); the pooled embedding has one field per "
        "dimension (up to 1024), more than a shapefile holds: save it as a GeoPackage (.gpkg).\n"
        "Input preparation: 'tile' cuts the area into 224-pixel tiles (memory stays bounded; the right choice for "
        "large areas); 'resize' resizes the whole area to 224 pixels (one 14x14 grid; an area enlarged more than 4x "
        "gets a warning); 'auto' tiles when the area is larger than one tile.\n"
        "Tile overlap (tile mode): 'none' cuts abutting tiles (the reference's layout). A model sees less "
        "context near a tile's border, so abutting tiles leave visible seams in the embedding map; with '25%' "
        "(stride 160 px, about 2x the tiles and the time) or '50%' (stride 112 px, about 4x) tiles overlap and "
        "every grid cell is the mean of the tiles covering it, weighted by its distance from each tile's edges, "
        "so the map has no seams. The grid's cells and georeference and the pooled vector (area-weighted mean "
        "of the tiles) keep their meaning.\n"
        "Geographic rasters (e.g. EPSG:4326) are warped to the UTM zone of the area's centre at about the source "
        "resolution, so cells are in metres.\n"
        "Weights come from the Hugging Face hub (cached) or a local file (advanced). 'Random weights' is for "
        "testing only: the embeddings are then meaningless, and the outputs say so in their metadata.\n"
        + "Device: 'auto' uses %s. If CUDA or MPS is asked for but not usable, the run continues on the CPU and "
        "the log says why. Batch size 0: %s.\n"
        % (auto_device_text(), default_batch_text())
        + "Fast mode (precision int8): dynamic int8 quantisation of the linear layers on the CPU, faster, with "
        "embeddings at cosine similarity >= 0.99 to fp32 (see the benchmark). bf16/fp16 apply on CUDA only.\n"
        "Dask scheduler (advanced): run the model on a Dask cluster's workers (tcp://host:port or a scheduler "
        "file) or on N local worker processes (local:N); outputs equal a local run. Every worker needs the same "
        "TerraEmbed and runtime, the weights and read access to the input (README, 'Running on a cluster').\n"
        "Cancel stops within one batch and leaves no output file."
    )

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
            QgsProcessingParameterRasterLayer(self.INPUT, "Input raster (Raster layer source)", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.INPUT_S1,
                "Sentinel-1 raster (TerraMind on S2 + S1: VV, VH linear; empty = from the input raster)",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.INPUT_DEM,
                "DEM raster (TerraMind on S2 + S1 + DEM: metres; empty = from the input raster)",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.SOURCE, "Imagery source", options=list(SOURCES.values()), defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterExtent(self.AOI, "Area of interest (empty = the whole raster)", optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AOI_LAYER,
                "Area of interest polygons (optional: overrides the extent; pixels outside are ignored)",
                [compat.SOURCE_POLYGON],
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterEnum(self.MODEL, "Model", options=MODEL_LABELS, defaultValue=0))
        self.addParameter(
            QgsProcessingParameterBand(
                self.BANDS, BANDS_LABEL, parentLayerParameterName=self.INPUT, optional=True, allowMultiple=True
            )
        )
        self.addParameter(
            number_parameter(
                self.SCALE, "Scale (multiply pixel values; 10000 for reflectance stored as 0..1)", limits.SCALE, 1.0
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.INPUT_PREP, "Input preparation", options=list(PREPARATIONS), defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.OVERLAP,
                "Tile overlap (tile mode; removes seams)",
                options=list(TILE_OVERLAP_HELP.values()),
                defaultValue=0,
            )
        )
        self.addParameter(number_parameter(self.PCA_COMPONENTS, "PCA components", limits.PCA_COMPONENTS, 3))
        self.add_earthengine_options()
        self.add_model_options()
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.OUTPUT_GRID, "Embedding grid", optional=True, createByDefault=True
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(self.OUTPUT_PCA, "PCA (RGB)", optional=True, createByDefault=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_POOLED, "Pooled embedding", compat.SOURCE_POLYGON, optional=True, createByDefault=True
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterRasterDestination(
                    self.OUTPUT_INPUT, "Earth Engine composite (model input)", optional=True, createByDefault=False
                )
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.DIM, "Embedding dimension"))
        self.addOutput(QgsProcessingOutputNumber(self.CELLS, "Valid grid cells"))
        self.addOutput(QgsProcessingOutputString(self.DEVICE_USED, "Device used"))
        self.add_report_output()

    def add_earthengine_options(self):
        """Dates, pixel size, cloud limit and mask, orbit pass and project of an Earth Engine composite."""
        self.addParameter(
            QgsProcessingParameterString(
                self.START_DATE, "Earth Engine: start date (YYYY-MM-DD)", defaultValue=DEFAULT_START, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.END_DATE, "Earth Engine: end date (YYYY-MM-DD)", defaultValue=DEFAULT_END, optional=True
            )
        )
        self.addParameter(
            compat.advanced(number_parameter(self.EE_SCALE, "Earth Engine: pixel size (m)", limits.EE_SCALE, 10.0))
        )
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.MAX_CLOUD, "Earth Engine: maximum cloudy pixel percentage (Sentinel-2)", limits.MAX_CLOUD, 30.0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.CLOUD_MASK,
                    "Earth Engine: per-pixel cloud mask (Sentinel-2)",
                    options=list(CLOUD_MASKS),
                    defaultValue=0,
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.S1_ORBIT, "Earth Engine: orbit pass (Sentinel-1)", options=list(ORBITS), defaultValue=0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterString(
                    self.EE_PROJECT,
                    "Earth Engine: Cloud project (empty = settings, EE_PROJECT or GOOGLE_CLOUD_PROJECT)",
                    defaultValue="",
                    optional=True,
                )
            )
        )

    def add_model_options(self):
        """The advanced options shared by the embedding algorithms: device, batch, precision, pooling, weights."""
        self.addParameter(
            compat.advanced(QgsProcessingParameterEnum(self.DEVICE, "Device", options=list(DEVICES), defaultValue=0))
        )
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.BATCH_SIZE, "Batch size (0 = default: %s)" % default_batch_text(), limits.BATCH_SIZE, 0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(
                    self.PRECISION, "Precision (int8 = fast CPU mode)", options=list(PRECISIONS), defaultValue=0
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterEnum(self.POOLING, "Pooling (TerraMind)", options=list(POOLINGS), defaultValue=0)
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterFile(
                    self.WEIGHTS_FILE, "Weights file (empty = settings or Hugging Face hub/cache)", optional=True
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(self.OFFLINE, "Offline (use cached weights only)", defaultValue=False)
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(
                    self.RANDOM_WEIGHTS, "Random weights (testing only: embeddings are meaningless)", defaultValue=False
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterBoolean(
                    self.S1_DB, "Sentinel-1 input is in dB: convert to linear", defaultValue=False
                )
            )
        )
        self.addParameter(
            compat.advanced(
                QgsProcessingParameterString(
                    self.SCHEDULER,
                    "Dask scheduler (tcp://host:port, scheduler file, local:N; empty = settings, else this machine)",
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
                raise QgsProcessingException("Bands: %s" % exc) from exc
        return self.parameterAsInts(parameters, self.BANDS, context)

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = super().checkParameterValues(parameters, context)
        if ok and self.OUTPUT_POOLED in parameters:
            dim = MODELS[self.parameterAsChoice(parameters, self.MODEL, context, MODELS)].dim
            message = checks.shapefile_problem(
                "Pooled embedding (OUTPUT_POOLED)", parameters[self.OUTPUT_POOLED], len(pooled_fields(0)) + dim
            )
            ok = message is None
        return ok, message or ""

    def model_options(self, parameters, context, model_id):
        """The job keys for those options."""
        pooling = self.parameterAsChoice(parameters, self.POOLING, context, POOLINGS)
        device = self.parameterAsChoice(parameters, self.DEVICE, context, DEVICES)
        if device == "auto":
            device = settings.get("device") or "auto"
        return {
            "device": device,
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context)
            or settings.get("batch_size")
            or None,
            "threads": None,
            "precision": self.parameterAsChoice(parameters, self.PRECISION, context, PRECISIONS),
            "pooling": None if pooling == POOLING_DEFAULT else pooling,
            "weights": self._weights(parameters, context, model_id),
            "scheduler": (
                self.parameterAsString(parameters, self.SCHEDULER, context).strip() or settings.get("scheduler") or None
            ),
        }

    # -- building the job -------------------------------------------------------------------------
    def _aoi_polygon(self, parameters, context, crs):
        """The union of the AOI polygons in crs (None when no polygon layer is given)."""
        if not parameters.get(self.AOI_LAYER):
            return None
        source = self.parameterAsSource(parameters, self.AOI_LAYER, context)
        if source is None:
            return None
        transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        parts = []
        for feature in source.getFeatures():
            geom = feature.geometry()
            if geom is not None and not geom.isEmpty():
                geom.transform(transform)
                parts.append(geom)
        if not parts:
            raise QgsProcessingException(
                "The area-of-interest layer has no polygon (or none selected). Choose "
                "polygons, or leave the option empty to use the extent."
            )
        union = QgsGeometry.unaryUnion(parts)
        if union.isEmpty() or not union.isGeosValid():
            union = union.makeValid()
        return union

    def _weights(self, parameters, context, model_id):
        path = self.parameterAsFile(parameters, self.WEIGHTS_FILE, context) or settings.weights_file(model_id)
        if path and not os.path.isfile(path):
            raise QgsProcessingException(
                "The weights file %s does not exist. Choose an existing file or leave the "
                "option empty to use the Hugging Face hub/cache." % path
            )
        weights = {
            "path": path or None,
            "offline": self.parameterAsBoolean(parameters, self.OFFLINE, context) or settings.get("offline"),
            "random_init": self.parameterAsBoolean(parameters, self.RANDOM_WEIGHTS, context),
            "cache_dir": settings.get("weights_cache") or None,
        }
        return weights

    def _raster_source(self, parameters, context, model_id, feedback, work_dir):
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(
                "Choose an input raster layer (or set 'Imagery source' to Google Earth Engine)."
            )
        spec = MODELS[model_id]
        if spec.modality == "S1" and layer.bandCount() < 2:
            raise QgsProcessingException(
                "%s needs two bands (VV, VH in linear backscatter); the raster '%s' has %d."
                % (spec.label, layer.name(), layer.bandCount())
            )
        polygon = self._aoi_polygon(parameters, context, layer.crs())
        if polygon is not None:
            extent, extent_crs = polygon.boundingBox(), layer.crs()
        else:
            extent = self.parameterAsExtent(parameters, self.AOI, context)
            extent_crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        rect = inputs.aoi_in_layer_crs(extent, extent_crs, layer, context)
        s1_db = self.parameterAsBoolean(parameters, self.S1_DB, context)
        others = {
            sensor: self.parameterAsRasterLayer(parameters, name, context)
            for sensor, name in SENSOR_PARAMETERS.items()
            if parameters.get(name)
        }
        sensors = inputs.sensor_rasters(others, spec, layer, rect, s1_db, context, feedback, work_dir)
        bands = inputs.choose_bands(
            layer, model_id, self.band_choice(parameters, context), [s for s in spec.sensors if s not in sensors]
        )
        path = inputs.local_raster_path(layer)
        if path is None:
            feedback.pushInfo("Exporting the area of interest of '%s' for the runtime..." % layer.name())
            path = inputs.export_window(layer, rect, work_dir, feedback)
        source = {
            "kind": "raster",
            "path": path,
            "bands": bands,
            "scale": self.parameterAsDouble(parameters, self.SCALE, context),
            "s1_db": s1_db,
            "name": layer.name(),
        }
        if sensors:
            source["sensors"] = sensors
        aoi = {
            "bounds": [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()],
            "crs": layer.crs().toWkt(),
        }
        if polygon is not None:
            aoi["geometry"] = polygon.asWkt()
        feedback.pushInfo("Input: %s, bands %s -> %s" % (layer.name(), bands, ", ".join(spec.bands)))
        return source, aoi

    def _earthengine_source(self, parameters, context, modality):
        extent = self.parameterAsExtent(parameters, self.AOI, context)
        crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        polygon = None
        if self.AOI_LAYER in parameters and parameters.get(self.AOI_LAYER):
            crs = QgsCoordinateReferenceSystem("EPSG:4326")
            polygon = self._aoi_polygon(parameters, context, crs)
            extent = polygon.boundingBox()
        if extent is None or extent.isNull() or extent.isEmpty():
            raise QgsProcessingException("Earth Engine needs an area of interest: draw or choose an extent.")
        start = (self.parameterAsString(parameters, self.START_DATE, context) or DEFAULT_START).strip()
        end = (self.parameterAsString(parameters, self.END_DATE, context) or DEFAULT_END).strip()
        for label, value in (("start", start), ("end", end)):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise QgsProcessingException("The %s date %r is not a date: use YYYY-MM-DD." % (label, value)) from None
        orbit = self.parameterAsChoice(parameters, self.S1_ORBIT, context, ORBITS)
        source = {
            "kind": "earthengine",
            "collection": modality,
            "aoi": {
                "bounds": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
                "crs": (crs if crs.isValid() else QgsCoordinateReferenceSystem("EPSG:4326")).toWkt(),
            },
            "start": start,
            "end": end,
            "scale": self.parameterAsDouble(parameters, self.EE_SCALE, context),
            "max_cloud": self.parameterAsDouble(parameters, self.MAX_CLOUD, context),
            "cloud_mask": self.parameterAsChoice(parameters, self.CLOUD_MASK, context, CLOUD_MASKS),
            "s1_orbit": None if orbit == ORBIT_ANY else orbit,
            "s1_relax_iw": True,
            "project": (
                self.parameterAsString(parameters, self.EE_PROJECT, context).strip()
                or settings.get("ee_project")
                or None
            ),
            "service_account_key": settings.get("ee_service_account_key") or None,
            "cache_dir": settings.get("imagery_cache_dir") or None,
            "cache_cap_mb": settings.get("imagery_cache_cap_mb"),
        }
        aoi = None
        if polygon is not None:
            aoi = dict(source["aoi"], geometry=polygon.asWkt())
        return source, aoi

    def build_job(self, parameters, context, feedback, work_dir, tx):
        """The embed job; its outputs (and the pooled sink, self.pooled) are added to tx first."""
        model_id = self.parameterAsChoice(parameters, self.MODEL, context, MODELS)
        grid = outputs.raster_destination(self, parameters, self.OUTPUT_GRID, context, tx, "embedding grid")
        pca = outputs.raster_destination(self, parameters, self.OUTPUT_PCA, context, tx, "PCA raster")
        input_copy = outputs.raster_destination(self, parameters, self.OUTPUT_INPUT, context, tx, "composite")
        self.pooled = outputs.SinkOutput(self, parameters, self.OUTPUT_POOLED, context, tx, "pooled embedding")
        report = self.report_destination(parameters, context, tx)
        if self.parameterAsChoice(parameters, self.SOURCE, context, SOURCES) == "earthengine":
            source, aoi = self._earthengine_source(parameters, context, MODELS[model_id].modality)
        else:
            source, aoi = self._raster_source(parameters, context, model_id, feedback, work_dir)
        return dict(
            self.model_options(parameters, context, model_id),
            **{
                "type": "embed",
                "source": source,
                "aoi": aoi,
                "model": model_id,
                "prep": self.parameterAsChoice(parameters, self.INPUT_PREP, context, PREPARATIONS),
                "overlap": self.parameterAsChoice(parameters, self.OVERLAP, context, TILE_OVERLAPS),
                "outputs": {
                    "grid": grid,
                    "pca": pca,
                    "pca_components": self.parameterAsInt(parameters, self.PCA_COMPONENTS, context),
                    "input_copy": input_copy,
                },
                "tags": {"TERRAEMBED_QGIS_ALGORITHM": "terraembed:embed"},
                "html_report": report,
            },
        )

    # -- running ----------------------------------------------------------------------------------
    def process(self, parameters, context, feedback, tx):
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setCurrentStep(0)
        export_dir = job_temp_dir(tx.run)
        try:
            job = self.build_job(parameters, context, steps, export_dir, tx)
            spec = MODELS[job["model"]]
            feedback.pushInfo(
                "Model: %s (%d-dim), device: %s, preparation: %s" % (spec.label, spec.dim, job["device"], job["prep"])
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
        feedback.pushInfo("Weights: %s" % result.get("weights", ""))
        if result.get("grid"):
            results[self.OUTPUT_GRID] = result["grid"]
        if result.get("pca"):
            results[self.OUTPUT_PCA] = result["pca"]
            style_pca_on_load(context, result["pca"])
            feedback.pushInfo(
                "PCA explained variance: %s" % ", ".join("%.3f" % v for v in result.get("explained_variance", []))
            )
        if result.get("input_copy"):
            results[self.OUTPUT_INPUT] = result["input_copy"]
        results[self.OUTPUT_POOLED] = self._write_pooled(context, job, result, feedback)
        feedback.setProgress(100)
        return results

    def _write_pooled(self, context, job, result, feedback):
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
