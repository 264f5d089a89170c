"""Building the embed job (the worker's job) from the parameters of Compute embeddings: its parameter groups
(model_params, imagery_params, aoi_params, earthengine_params) and its own options, whose names are the
algorithm's (EmbedAlgorithm.SOURCE, .OUTPUT_GRID ...)."""

from typing import Any, Optional

from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

from ..shared.catalogue import GRID_COMPRESSIONS, MODELS, PREPARATIONS, SOURCES, TILE_OVERLAPS
from ..shared.transaction import Transaction
from ..shell.i18n import tr
from . import aoi_params, earthengine_params, imagery_params, inputs, model_params, outputs
from .base import TerraEmbedAlgorithm

TAGS = {"TERRAEMBED_QGIS_ALGORITHM": "terraembed:embed"}


def build_job(
    alg: TerraEmbedAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    work_dir: str,
    tx: Transaction,
) -> tuple[dict[str, Any], outputs.SinkOutput]:
    """The embed job and the pooled embedding's sink; every output is added to tx first."""
    model_id = model_params.chosen_model(alg, parameters, context)
    grid = outputs.raster_destination(alg, parameters, alg.OUTPUT_GRID, context, tx, tr("embedding grid"))
    pca = outputs.raster_destination(alg, parameters, alg.OUTPUT_PCA, context, tx, tr("PCA raster"))
    input_copy = outputs.raster_destination(alg, parameters, alg.OUTPUT_INPUT, context, tx, tr("composite"))
    pooled = outputs.SinkOutput(alg, parameters, alg.OUTPUT_POOLED, context, tx, tr("pooled embedding"))
    report = alg.report_destination(parameters, context, tx)
    if alg.parameterAsChoice(parameters, alg.SOURCE, context, SOURCES) == "earthengine":
        source, aoi = earthengine_params.source(alg, parameters, context, MODELS[model_id].modality)
    else:
        source, aoi = raster_source(alg, parameters, context, model_id, feedback, work_dir)
    job = dict(
        model_params.job_options(alg, parameters, context, model_id),
        **{
            "type": "embed",
            "source": source,
            "aoi": aoi,
            "model": model_id,
            "prep": alg.parameterAsChoice(parameters, alg.INPUT_PREP, context, PREPARATIONS),
            "overlap": alg.parameterAsChoice(parameters, alg.OVERLAP, context, TILE_OVERLAPS),
            "outputs": {
                "grid": grid,
                "pca": pca,
                "pca_components": alg.parameterAsInt(parameters, alg.PCA_COMPONENTS, context),
                "input_copy": input_copy,
                # the runtime writes it when GeoParquet, QGIS the others; named in the STAC sidecar's assets
                "pooled": pooled.file,
                "grid_compression": alg.parameterAsChoice(parameters, alg.GRID_COMPRESSION, context, GRID_COMPRESSIONS),
            },
            "tags": dict(TAGS),
            "html_report": report,
        },
    )
    return job, pooled


def period_job(alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
    """The embed job of one period of a series (Earth Engine imagery, no outputs: the series job names each
    period's grid)."""
    if alg.parameterAsChoice(parameters, alg.SOURCE, context, SOURCES) != "earthengine":
        raise QgsProcessingException(
            tr(
                "Periods need Google Earth Engine as the imagery source (one composite per period). For "
                "embedding rasters you already have, use Build a series (terraembed:build_series); leave Periods "
                "empty for one run."
            )
        )
    model_id = model_params.chosen_model(alg, parameters, context)
    source, aoi = earthengine_params.source(alg, parameters, context, MODELS[model_id].modality)
    compression = alg.parameterAsChoice(parameters, alg.GRID_COMPRESSION, context, GRID_COMPRESSIONS)
    return dict(
        model_params.job_options(alg, parameters, context, model_id),
        type="embed",
        source=source,
        aoi=aoi,
        model=model_id,
        prep=alg.parameterAsChoice(parameters, alg.INPUT_PREP, context, PREPARATIONS),
        overlap=alg.parameterAsChoice(parameters, alg.OVERLAP, context, TILE_OVERLAPS),
        outputs={"grid_compression": compression},
        tags=dict(TAGS),
    )


def raster_source(
    alg: TerraEmbedAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    model_id: str,
    feedback: QgsProcessingFeedback,
    work_dir: str,
) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
    """The job's raster source (INPUT, cut to the area of interest) and its "aoi" in the raster's CRS."""
    layer = alg.parameterAsRasterLayer(parameters, imagery_params.INPUT, context)
    if layer is None:
        raise QgsProcessingException(
            tr("Choose an input raster layer (or set 'Imagery source' to Google Earth Engine).")
        )
    polygon = aoi_params.polygon(alg, parameters, context, layer.crs())
    if polygon is not None:
        extent, extent_crs = polygon.boundingBox(), layer.crs()
    else:
        extent = alg.parameterAsExtent(parameters, aoi_params.AOI, context)
        extent_crs = alg.parameterAsExtentCrs(parameters, aoi_params.AOI, context)
    rect = inputs.aoi_in_layer_crs(extent, extent_crs, layer, context)
    source = imagery_params.layer_source(alg, parameters, context, model_id, layer, rect, feedback, work_dir)
    aoi = {
        "bounds": [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()],
        "crs": layer.crs().toWkt(),
    }
    if polygon is not None:
        aoi["geometry"] = polygon.asWkt()
    return source, aoi
