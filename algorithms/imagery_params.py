"""The raster-imagery group of the embedding algorithms: the input raster (INPUT), the other sensors'
rasters of TerraMind on several sensors (INPUT_S1, INPUT_DEM) and the scale of its values (SCALE). Read back
as the job's raster source by layer_source, with the model group's bands and Sentinel-1 dB option."""

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterRasterLayer,
    QgsRasterLayer,
    QgsRectangle,
)

from ..shared.catalogue import MODELS, SENSOR_PARAMETERS
from ..shell.i18n import tr
from . import inputs, model_params
from .base import TerraEmbedAlgorithm

INPUT = "INPUT"
INPUT_S1 = SENSOR_PARAMETERS["S1"]
INPUT_DEM = SENSOR_PARAMETERS["DEM"]
SCALE = "SCALE"


def add_sensor_inputs(alg: TerraEmbedAlgorithm) -> None:
    """The other sensors' rasters of TerraMind on several sensors (INPUT_S1, INPUT_DEM)."""
    alg.addParameter(
        QgsProcessingParameterRasterLayer(
            INPUT_S1,
            tr("Sentinel-1 raster (TerraMind on S2 + S1: VV, VH linear; empty = from the input raster)"),
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterRasterLayer(
            INPUT_DEM,
            tr("DEM raster (TerraMind on S2 + S1 + DEM: metres; empty = from the input raster)"),
            optional=True,
        )
    )


def layer_source(
    alg: TerraEmbedAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    model_id: str,
    layer: QgsRasterLayer,
    rect: QgsRectangle,
    feedback: QgsProcessingFeedback,
    work_dir: str,
) -> dict[str, Any]:
    """The job's raster source of `layer` (INPUT) and the other sensors' layers (INPUT_S1, INPUT_DEM),
    bands chosen; a layer that is not a local file is exported for `rect` (its CRS)."""
    spec = MODELS[model_id]
    if spec.modality == "S1" and layer.bandCount() < 2:
        raise QgsProcessingException(
            tr("%s needs two bands (VV, VH in linear backscatter); the raster '%s' has %d.")
            % (spec.label, layer.name(), layer.bandCount())
        )
    s1_db = alg.parameterAsBoolean(parameters, model_params.S1_DB, context)
    others = {
        sensor: alg.parameterAsRasterLayer(parameters, name, context)
        for sensor, name in SENSOR_PARAMETERS.items()
        if parameters.get(name)
    }
    sensors = inputs.sensor_rasters(others, spec, layer, rect, s1_db, context, feedback, work_dir)
    chosen = model_params.band_choice(alg, parameters, context)
    bands = inputs.choose_bands(layer, model_id, chosen, [s for s in spec.sensors if s not in sensors])
    path = inputs.local_raster_path(layer)
    if path is None:
        feedback.pushInfo(tr("Exporting the area of interest of '%s' for the runtime...") % layer.name())
        path = inputs.export_window(layer, rect, work_dir, feedback)
    source = {
        "kind": "raster",
        "path": path,
        "bands": bands,
        "scale": alg.parameterAsDouble(parameters, SCALE, context),
        "s1_db": s1_db,
        "name": layer.name(),
    }
    if sensors:
        source["sensors"] = sensors
    feedback.pushInfo(tr("Input: %s, bands %s -> %s") % (layer.name(), bands, ", ".join(spec.bands)))
    return source
