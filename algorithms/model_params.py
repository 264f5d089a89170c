"""The model group of the embedding algorithms (Compute embeddings, Embeddings for features): the model with
its bands, and the advanced options (device, batch size, precision, pooling, weights, Sentinel-1 in dB, Dask
scheduler). Declared on an algorithm by add_model and add_options, read back as the job's keys by
job_options (the weights checked by weights)."""

import os
from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..shared import limits
from ..shared.catalogue import (
    DEVICES,
    MODELS,
    POOLING_DEFAULT,
    POOLINGS,
    PRECISIONS,
    default_batch_text,
)
from ..shared.jobs.embedding import ModelJob, RasterInput, Weights
from ..shell import settings
from ..shell.i18n import tr
from . import checks, compat
from .base import TerraEmbedAlgorithm, number_parameter

MODEL = "MODEL"
BANDS = "BANDS"
DEVICE = "DEVICE"
BATCH_SIZE = "BATCH_SIZE"
PRECISION = "PRECISION"
POOLING = "POOLING"
WEIGHTS_FILE = "WEIGHTS_FILE"
RANDOM_WEIGHTS = "RANDOM_WEIGHTS"
OFFLINE = "OFFLINE"
S1_DB = "S1_DB"
SCHEDULER = "SCHEDULER"

MODEL_LABELS = [model.label for model in MODELS.values()]  # the MODEL enum's options (catalogue order)
BANDS_LABEL = tr("Bands in model order (empty = match by name; command line: BANDS=1,2,3...)")


# -- declaring ------------------------------------------------------------------------------------
def add_model(alg: TerraEmbedAlgorithm, raster: str) -> None:
    """The model and the bands of the raster parameter `raster` it reads, in the model's order."""
    alg.addParameter(QgsProcessingParameterEnum(MODEL, tr("Model"), options=MODEL_LABELS, defaultValue=0))
    alg.addParameter(
        QgsProcessingParameterBand(
            BANDS, BANDS_LABEL, parentLayerParameterName=raster, optional=True, allowMultiple=True
        )
    )


def add_options(alg: TerraEmbedAlgorithm) -> None:
    """The advanced options shared by the embedding algorithms: device, batch, precision, pooling, weights."""
    _add_compute_options(alg)
    _add_weights_options(alg)
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterBoolean(
                S1_DB, tr("Sentinel-1 input is in dB: convert to linear"), defaultValue=RasterInput.default("s1_db")
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterString(
                SCHEDULER,
                tr("Dask scheduler (tcp://host:port, scheduler file, local:N; empty = settings, else this machine)"),
                defaultValue="",
                optional=True,
            )
        )
    )


def _add_compute_options(alg: TerraEmbedAlgorithm) -> None:
    """Device, batch size, precision and pooling."""
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                DEVICE, tr("Device"), options=list(DEVICES), defaultValue=ModelJob.default_choice("device")
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            number_parameter(
                BATCH_SIZE,
                tr("Batch size (0 = default: %s)") % default_batch_text(),
                limits.BATCH_SIZE,
                ModelJob.default("batch_size"),
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                PRECISION,
                tr("Precision (auto = bf16 where the CPU or GPU computes it natively, else fp32; int8 = fast CPU)"),
                options=list(PRECISIONS),
                defaultValue=ModelJob.default_choice("precision"),
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                POOLING,
                tr("Pooling (TerraMind)"),
                options=list(POOLINGS),
                defaultValue=ModelJob.default_choice("pooling"),
            )
        )
    )


def _add_weights_options(alg: TerraEmbedAlgorithm) -> None:
    """The weights file, offline and random weights."""
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterFile(
                WEIGHTS_FILE, tr("Weights file (empty = settings or Hugging Face hub/cache)"), optional=True
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterBoolean(
                OFFLINE, tr("Offline (use cached weights only)"), defaultValue=Weights.default("offline")
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterBoolean(
                RANDOM_WEIGHTS,
                tr("Random weights (testing only: embeddings are meaningless)"),
                defaultValue=Weights.default("random_init"),
            )
        )
    )


# -- reading back ---------------------------------------------------------------------------------
def chosen_model(alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
    """The model's id (a key of catalogue.MODELS)."""
    return alg.parameterAsChoice(parameters, MODEL, context, MODELS)


def band_choice(alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> list[int]:
    """The BANDS parameter as band numbers; a command-line "1,2,3" is three bands (QGIS reads one)."""
    value = parameters.get(BANDS)
    if isinstance(value, str) or (isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value)):
        try:
            return checks.band_numbers(value)
        except ValueError as exc:
            raise QgsProcessingException(tr("Bands: %s") % exc) from exc
    return alg.parameterAsInts(parameters, BANDS, context)


def job_options(
    alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext, model_id: str
) -> dict[str, Any]:
    """The job keys of the options (device, batch size, threads, precision, pooling, weights, scheduler)."""
    pooling = alg.parameterAsChoice(parameters, POOLING, context, POOLINGS)
    device = alg.parameterAsChoice(parameters, DEVICE, context, DEVICES)
    if device == "auto":
        device = settings.get("device") or "auto"
    return {
        "device": device,
        "batch_size": alg.parameterAsInt(parameters, BATCH_SIZE, context) or settings.get("batch_size") or None,
        "threads": None,
        "precision": alg.parameterAsChoice(parameters, PRECISION, context, PRECISIONS),
        "pooling": None if pooling == POOLING_DEFAULT else pooling,
        "weights": weights(alg, parameters, context, model_id),
        "scheduler": (
            alg.parameterAsString(parameters, SCHEDULER, context).strip() or settings.get("scheduler") or None
        ),
    }


def weights(
    alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext, model_id: str
) -> dict[str, Any]:
    """The job's weights: the file (the parameter, else the settings'; checked), offline, random, the cache."""
    path = alg.parameterAsFile(parameters, WEIGHTS_FILE, context) or settings.weights_file(model_id)
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
    return {
        "path": path or None,
        "offline": alg.parameterAsBoolean(parameters, OFFLINE, context) or settings.get("offline"),
        "random_init": alg.parameterAsBoolean(parameters, RANDOM_WEIGHTS, context),
        "cache_dir": settings.get("weights_cache") or None,
    }
