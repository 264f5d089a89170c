"""Turning QGIS inputs into what a job spec needs: a local raster file, its band choice, an AOI
with its CRS. Shell side (qgis), shared by the embedding algorithms and the panel."""

import os
from collections.abc import Sequence
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapLayer,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterBlockFeedback,
    QgsRasterFileWriter,
    QgsRasterLayer,
    QgsRasterPipe,
    QgsRectangle,
)

from ..shared.catalogue import MODELS, SENSOR_BANDS, SENSOR_PARAMETERS, Model, canonical_band, match_bands
from ..shell.i18n import tr
from . import compat


def local_raster_path(layer: QgsRasterLayer) -> Optional[str]:
    """The layer's file if QGIS reads it with GDAL from a local file, else None."""
    if layer.providerType() != "gdal":
        return None
    path = layer.source().split("|")[0]
    return os.path.abspath(path) if os.path.isfile(path) else None


def layer_file(layer: Optional[QgsMapLayer]) -> Optional[str]:
    """The local file a layer reads (any provider that names one: GDAL, OGR...), else None."""
    if layer is None:
        return None
    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path")
    return os.path.abspath(path) if path and os.path.exists(path) else None


# parameter types whose value is a layer, layers or a file the algorithm reads
LAYER_INPUTS = ("raster", "vector", "source", "layer", "mesh", "pointcloud")


def input_files(alg: QgsProcessingAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> list[str]:
    """The files a run of alg reads: every layer and file of its input parameters (an output may not
    be one of them)."""
    files = []
    for definition in alg.parameterDefinitions():
        name, kind = definition.name(), definition.type()
        if definition.isDestination() or parameters.get(name) in (None, ""):
            continue
        if kind in LAYER_INPUTS:
            value = parameters[name]
            if isinstance(value, QgsProcessingFeatureSourceDefinition):  # e.g. selected features only
                value = value.source
            files.append(layer_file(alg.parameterAsLayer({name: value}, name, context)))
        elif kind == "multilayer":
            files += [layer_file(layer) for layer in alg.parameterAsLayerList(parameters, name, context)]
        elif kind == "file":
            files.append(alg.parameterAsFile(parameters, name, context))
    return [f for f in files if f]


def band_descriptions(layer: QgsRasterLayer) -> list[str]:
    """The band descriptions of a raster layer (GDAL's, when the layer is a file; else QGIS's names)."""
    path = local_raster_path(layer)
    if path:
        from osgeo import gdal  # QGIS's own GDAL bindings

        try:
            ds = gdal.Open(path)
        except RuntimeError:  # bindings with exceptions on: fall back to QGIS's band names
            ds = None
        if ds is not None:
            return [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)]
    return [layer.bandName(i + 1) for i in range(layer.bandCount())]


def choose_bands(
    layer: QgsRasterLayer, model_id: str, chosen: Optional[Sequence[int]], sensors: Optional[Sequence[str]] = None
) -> list[int]:
    """1-based band indices in model order: the user's choice, else matched by description, else the
    first N when the count is exactly right; otherwise a QgsProcessingException saying what to do.
    sensors: the sensors this layer holds (default: all of the model's; a model on several sensors
    may take the others from their own layers)."""
    spec = MODELS[model_id]
    sensors = tuple(sensors or spec.sensors)
    model_bands = tuple(b for s in sensors for b in SENSOR_BANDS[s])
    what = (
        spec.label if sensors == spec.sensors else tr("%s (from this raster: %s)") % (spec.label, " + ".join(sensors))
    )
    needed = len(model_bands)
    count = layer.bandCount()
    if chosen:
        return checked_band_choice(chosen, what, model_bands, count)
    descriptions = band_descriptions(layer)
    matched = match_bands(descriptions, model_bands)
    if matched:
        return matched
    if count == needed:
        return list(range(1, needed + 1))
    recognised = ["%d=%s" % (i + 1, canonical_band(d)) for i, d in enumerate(descriptions) if canonical_band(d)]
    others = [s for s in sensors if s != spec.sensors[0]]
    hint = (
        tr(" For %s, give each sensor's own raster (%s).")
        % (" + ".join(spec.sensors), ", ".join("%s: %s" % (s, SENSOR_PARAMETERS[s]) for s in others))
        if others
        else ""
    )
    raise QgsProcessingException(
        tr(
            "%s needs %d bands in this order: %s. The raster '%s' has %d band(s)%s, which could not be matched by "
            "name. Choose the bands in the 'Bands' parameter (in model order), or use a raster with exactly %d bands.%s"
        )
        % (
            what,
            needed,
            ", ".join(model_bands),
            layer.name(),
            count,
            (tr(" (recognised: %s)") % ", ".join(recognised)) if recognised else "",
            needed,
            hint,
        )
    )


def checked_band_choice(chosen: Sequence[int], what: str, model_bands: Sequence[str], count: int) -> list[int]:
    """The user's band choice if it names one existing band per model band, else a QgsProcessingException.
    what: the model (and sensors) as the message names it; count: the raster's band count."""
    needed = len(model_bands)
    if len(chosen) != needed:
        raise QgsProcessingException(
            tr(
                "%s needs %d bands in this order: %s. You selected %d band(s). Select exactly %d bands in the "
                "'Bands' parameter, in model order."
            )
            % (
                what,
                needed,
                ", ".join(model_bands),
                len(chosen),
                needed,
            )
        )
    bad = [b for b in chosen if b < 1 or b > count]
    if bad:
        raise QgsProcessingException(tr("Band(s) %s do not exist: the raster has %d bands.") % (bad, count))
    return list(chosen)


def sensor_rasters(
    others: dict[str, Optional[QgsRasterLayer]],
    spec: Model,
    layer: QgsRasterLayer,
    rect: QgsRectangle,
    s1_db: bool,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    work_dir: str,
) -> dict[str, dict[str, Any]]:
    """{sensor: {"path", "bands"(, "s1_db")}} of the other sensors' layers given ({sensor: layer}, the
    INPUT_S1 / INPUT_DEM parameters) for a TerraMind model on several sensors; the engine resamples
    them onto `layer`'s grid. rect: the AOI in `layer`'s CRS."""
    out: dict[str, dict[str, Any]] = {}
    for sensor, other in others.items():
        if other is None:
            continue
        name = SENSOR_PARAMETERS[sensor]
        if sensor not in spec.sensors[1:]:
            raise QgsProcessingException(
                tr(
                    "%s: the model %s reads no separate %s raster. Leave %s empty, or choose a TerraMind model on "
                    "several sensors (S2 + S1, S2 + S1 + DEM)."
                )
                % (name, spec.label, sensor, name)
            )
        path = local_raster_path(other)
        if path is None:
            other_rect = aoi_in_layer_crs(rect, layer.crs(), other, context)
            feedback.pushInfo(tr("Exporting the area of interest of '%s' for the runtime...") % other.name())
            path = export_window(other, other_rect, work_dir, feedback, name="input_%s" % sensor.lower())
        out[sensor] = {"path": path, "bands": choose_bands(other, spec.id, None, [sensor])}
        if sensor == "S1":
            out[sensor]["s1_db"] = s1_db
        feedback.pushInfo(tr("%s raster: %s, bands %s") % (sensor, other.name(), out[sensor]["bands"]))
    return out


def aoi_in_layer_crs(
    extent: Optional[QgsRectangle],
    extent_crs: QgsCoordinateReferenceSystem,
    layer: QgsRasterLayer,
    context: Optional[QgsProcessingContext],
) -> QgsRectangle:
    """The AOI rectangle in the layer's CRS (the whole layer when extent is empty), checked against it."""
    layer_extent = layer.extent()
    if extent is None or extent.isNull() or extent.isEmpty():
        return QgsRectangle(layer_extent)
    rect = QgsRectangle(extent)
    if extent_crs.isValid() and extent_crs != layer.crs():
        transform = QgsCoordinateTransform(
            extent_crs, layer.crs(), context.transformContext() if context else QgsProject.instance().transformContext()
        )
        rect = transform.transformBoundingBox(rect)
    if not rect.intersects(layer_extent):
        raise QgsProcessingException(
            tr(
                "The area of interest does not overlap the raster '%s'. Draw or choose an area inside the raster's "
                "extent (%s, in %s)."
            )
            % (layer.name(), layer_extent.toString(2), layer.crs().authid() or tr("its CRS"))
        )
    clipped = rect.intersect(layer_extent)
    if clipped.width() < layer.rasterUnitsPerPixelX() or clipped.height() < layer.rasterUnitsPerPixelY():
        raise QgsProcessingException(
            tr("The area of interest covers less than one pixel of '%s' (pixel size %g x %g). Choose a larger area.")
            % (layer.name(), layer.rasterUnitsPerPixelX(), layer.rasterUnitsPerPixelY())
        )
    return clipped


def export_window(
    layer: QgsRasterLayer,
    rect: QgsRectangle,
    directory: str,
    feedback: Optional[QgsProcessingFeedback] = None,
    name: str = "input_window",
) -> str:
    """Write the layer's pixels inside rect (layer CRS) to a GeoTIFF for the worker; return its path.
    Used for layers that are not a local GDAL file (WMS/WCS, virtual, memory providers...)."""
    xres, yres = layer.rasterUnitsPerPixelX(), layer.rasterUnitsPerPixelY()
    width, height = max(1, int(round(rect.width() / xres))), max(1, int(round(rect.height() / yres)))
    path = os.path.join(directory, name + ".tif")
    writer = QgsRasterFileWriter(path)
    writer.setOutputFormat("GTiff")
    pipe = QgsRasterPipe()
    if not pipe.set(layer.dataProvider().clone()):
        raise QgsProcessingException(tr("Could not read the raster layer '%s'.") % layer.name())
    block_feedback = QgsRasterBlockFeedback()
    if feedback is not None:
        feedback.canceled.connect(block_feedback.cancel)
        block_feedback.progressChanged.connect(feedback.setProgress)
    error = writer.writeRaster(
        pipe, width, height, rect, layer.crs(), QgsProject.instance().transformContext(), block_feedback
    )
    if block_feedback.isCanceled():
        raise QgsProcessingException(tr("Cancelled: nothing was written."))
    if error != compat.RASTER_WRITTEN:
        raise QgsProcessingException(
            tr("Could not export the raster layer '%s' for processing (error %s).") % (layer.name(), error)
        )
    return path
