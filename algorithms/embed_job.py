"""Building the embed job (the worker's job spec) from the parameters of Compute embeddings and Compute
embeddings for features: the model options, the area of interest, the weights and the imagery source
(a raster layer, with the other sensors' rasters, or Earth Engine). The parameter names are the
algorithm's (EmbedAlgorithm)."""

import datetime
import os

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProcessingException

from ..shared.catalogue import (
    CLOUD_MASKS,
    DEFAULT_END,
    DEFAULT_START,
    DEVICES,
    GRID_COMPRESSIONS,
    MODELS,
    ORBIT_ANY,
    ORBITS,
    POOLING_DEFAULT,
    POOLINGS,
    PRECISIONS,
    PREPARATIONS,
    SENSOR_PARAMETERS,
    SOURCES,
    TILE_OVERLAPS,
)
from ..shell import settings
from ..shell.i18n import tr
from . import inputs, outputs


class EmbedJobBuilder:
    """The job-building half of EmbedAlgorithm (a mixin: the parameter names live on the algorithm)."""

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
                tr(
                    "The area-of-interest layer has no polygon (or none selected). Choose "
                    "polygons, or leave the option empty to use the extent."
                )
            )
        union = QgsGeometry.unaryUnion(parts)
        if union.isEmpty() or not union.isGeosValid():
            union = union.makeValid()
        return union

    def _weights(self, parameters, context, model_id):
        path = self.parameterAsFile(parameters, self.WEIGHTS_FILE, context) or settings.weights_file(model_id)
        if path and os.path.isdir(path):
            raise QgsProcessingException(
                tr(
                    "The weights file %s is a folder; a weights file is expected. Choose the file itself (a .pth "
                    "or .safetensors file of the model), or leave the option empty to use the Hugging Face "
                    "hub/cache."
                )
                % path
            )
        if path and not os.path.isfile(path):
            raise QgsProcessingException(
                tr(
                    "The weights file %s does not exist. Choose an existing file or leave the "
                    "option empty to use the Hugging Face hub/cache."
                )
                % path
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
                tr("Choose an input raster layer (or set 'Imagery source' to Google Earth Engine).")
            )
        polygon = self._aoi_polygon(parameters, context, layer.crs())
        if polygon is not None:
            extent, extent_crs = polygon.boundingBox(), layer.crs()
        else:
            extent = self.parameterAsExtent(parameters, self.AOI, context)
            extent_crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        rect = inputs.aoi_in_layer_crs(extent, extent_crs, layer, context)
        source = self.layer_source(parameters, context, model_id, layer, rect, feedback, work_dir)
        aoi = {
            "bounds": [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()],
            "crs": layer.crs().toWkt(),
        }
        if polygon is not None:
            aoi["geometry"] = polygon.asWkt()
        return source, aoi

    def layer_source(self, parameters, context, model_id, layer, rect, feedback, work_dir):
        """The job's raster source of `layer` (INPUT) and the other sensors' layers (INPUT_S1,
        INPUT_DEM), bands chosen; a layer that is not a local file is exported for `rect` (its CRS)."""
        spec = MODELS[model_id]
        if spec.modality == "S1" and layer.bandCount() < 2:
            raise QgsProcessingException(
                tr("%s needs two bands (VV, VH in linear backscatter); the raster '%s' has %d.")
                % (spec.label, layer.name(), layer.bandCount())
            )
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
            feedback.pushInfo(tr("Exporting the area of interest of '%s' for the runtime...") % layer.name())
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
        feedback.pushInfo(tr("Input: %s, bands %s -> %s") % (layer.name(), bands, ", ".join(spec.bands)))
        return source

    def _earthengine_source(self, parameters, context, modality):
        extent = self.parameterAsExtent(parameters, self.AOI, context)
        crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        polygon = None
        if self.AOI_LAYER in parameters and parameters.get(self.AOI_LAYER):
            crs = QgsCoordinateReferenceSystem("EPSG:4326")
            polygon = self._aoi_polygon(parameters, context, crs)
            extent = polygon.boundingBox()
        if extent is None or extent.isNull() or extent.isEmpty():
            raise QgsProcessingException(tr("Earth Engine needs an area of interest: draw or choose an extent."))
        start = (self.parameterAsString(parameters, self.START_DATE, context) or DEFAULT_START).strip()
        end = (self.parameterAsString(parameters, self.END_DATE, context) or DEFAULT_END).strip()
        for label, value in (("start", start), ("end", end)):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise QgsProcessingException(
                    tr("The %s date %r is not a date: use YYYY-MM-DD.") % (label, value)
                ) from None
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
        grid = outputs.raster_destination(self, parameters, self.OUTPUT_GRID, context, tx, tr("embedding grid"))
        pca = outputs.raster_destination(self, parameters, self.OUTPUT_PCA, context, tx, tr("PCA raster"))
        input_copy = outputs.raster_destination(self, parameters, self.OUTPUT_INPUT, context, tx, tr("composite"))
        self.pooled = outputs.SinkOutput(self, parameters, self.OUTPUT_POOLED, context, tx, tr("pooled embedding"))
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
                    # the runtime writes it when GeoParquet, QGIS the others; named in the STAC sidecar's assets
                    "pooled": self.pooled.file,
                    "grid_compression": self.parameterAsChoice(
                        parameters, self.GRID_COMPRESSION, context, GRID_COMPRESSIONS
                    ),
                },
                "tags": {"TERRAEMBED_QGIS_ALGORITHM": "terraembed:embed"},
                "html_report": report,
            },
        )
