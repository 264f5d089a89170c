"""The Earth Engine group: the dates, pixel size, cloud limit and mask, orbit pass and Cloud project of a
composite (Compute embeddings, Fetch Earth Engine composite), with the periods of a series; the project
and the settings' access keys also serve Fetch AlphaEarth embeddings. Read back as the job's Earth Engine
source (source), the dates checked."""

import datetime
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)

from ..shared import limits
from ..shared.catalogue import (
    CLOUD_MASKS,
    DEFAULT_END,
    DEFAULT_MAX_CLOUD,
    DEFAULT_PIXEL_SIZE_M,
    DEFAULT_START,
    ORBIT_ANY,
    ORBITS,
)
from ..shared.jobs.sources import ImagerySource
from ..shell import settings
from ..shell.i18n import tr
from . import aoi_params, compat, series
from .base import TerraEmbedAlgorithm, number_parameter

START_DATE = "START_DATE"
END_DATE = "END_DATE"
EE_SCALE = "EE_SCALE"
MAX_CLOUD = "MAX_CLOUD"
CLOUD_MASK = "CLOUD_MASK"
S1_ORBIT = "S1_ORBIT"
EE_PROJECT = "EE_PROJECT"


# -- declaring ------------------------------------------------------------------------------------
def add_options(alg: TerraEmbedAlgorithm) -> None:
    """Dates, pixel size, cloud limit and mask, orbit pass and project of an Earth Engine composite."""
    alg.addParameter(
        QgsProcessingParameterString(
            START_DATE, tr("Earth Engine: start date (YYYY-MM-DD)"), defaultValue=DEFAULT_START, optional=True
        )
    )
    alg.addParameter(
        QgsProcessingParameterString(
            END_DATE, tr("Earth Engine: end date (YYYY-MM-DD)"), defaultValue=DEFAULT_END, optional=True
        )
    )
    alg.addParameter(
        compat.advanced(
            number_parameter(EE_SCALE, tr("Earth Engine: pixel size (m)"), limits.EE_SCALE, DEFAULT_PIXEL_SIZE_M)
        )
    )
    alg.addParameter(
        compat.advanced(
            number_parameter(
                MAX_CLOUD,
                tr("Earth Engine: maximum cloudy pixel percentage (Sentinel-2)"),
                limits.MAX_CLOUD,
                DEFAULT_MAX_CLOUD,
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                CLOUD_MASK,
                tr("Earth Engine: per-pixel cloud mask (Sentinel-2)"),
                options=list(CLOUD_MASKS),
                defaultValue=ImagerySource.default_choice("cloud_mask"),
            )
        )
    )
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                S1_ORBIT,
                tr("Earth Engine: orbit pass (Sentinel-1)"),
                options=list(ORBITS),
                defaultValue=ImagerySource.default_choice("s1_orbit"),
            )
        )
    )
    alg.addParameter(project_parameter())
    series.add_period_parameters(alg)


def project_parameter() -> QgsProcessingParameterString:
    """The Cloud project (advanced; empty = the settings' or the environment's)."""
    return compat.advanced(
        QgsProcessingParameterString(
            EE_PROJECT,
            tr("Earth Engine: Cloud project (empty = settings, EE_PROJECT or GOOGLE_CLOUD_PROJECT)"),
            defaultValue="",
            optional=True,
        )
    )


# -- reading back ---------------------------------------------------------------------------------
def project(alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> Optional[str]:
    """The Cloud project: the parameter's, else the settings', else None (the worker's environment)."""
    return alg.parameterAsString(parameters, EE_PROJECT, context).strip() or settings.get("ee_project") or None


def access() -> dict[str, Any]:
    """The job keys of the settings' service-account key and imagery cache."""
    return {
        "service_account_key": settings.get("ee_service_account_key") or None,
        "cache_dir": settings.get("imagery_cache_dir") or None,
        "cache_cap_mb": settings.get("imagery_cache_cap_mb"),
    }


def dates(alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext) -> tuple[str, str]:
    """The start and end dates (the defaults when empty), each checked as YYYY-MM-DD."""
    start = (alg.parameterAsString(parameters, START_DATE, context) or DEFAULT_START).strip()
    end = (alg.parameterAsString(parameters, END_DATE, context) or DEFAULT_END).strip()
    for label, value in (("start", start), ("end", end)):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise QgsProcessingException(tr("The %s date %r is not a date: use YYYY-MM-DD.") % (label, value)) from None
    return start, end


def source(
    alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext, modality: str
) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
    """The job's Earth Engine source of `modality` (a catalogue collection) and the job's "aoi" (with the
    polygons' geometry when AOI_LAYER is given, else None)."""
    area, polygon = _area(alg, parameters, context)
    start, end = dates(alg, parameters, context)
    orbit = alg.parameterAsChoice(parameters, S1_ORBIT, context, ORBITS)
    job_source = {
        "kind": "earthengine",
        "collection": modality,
        "aoi": area,
        "start": start,
        "end": end,
        "scale": alg.parameterAsDouble(parameters, EE_SCALE, context),
        "max_cloud": alg.parameterAsDouble(parameters, MAX_CLOUD, context),
        "cloud_mask": alg.parameterAsChoice(parameters, CLOUD_MASK, context, CLOUD_MASKS),
        "s1_orbit": None if orbit == ORBIT_ANY else orbit,
        "s1_relax_iw": True,
        "project": project(alg, parameters, context),
        **access(),
    }
    aoi = None
    if polygon is not None:
        aoi = dict(area, geometry=polygon.asWkt())
    return job_source, aoi


def _area(
    alg: TerraEmbedAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext
) -> tuple[dict[str, Any], Optional[QgsGeometry]]:
    """The job's area (the polygons' bounding box in EPSG:4326 when given, else the extent) and the polygons."""
    extent = alg.parameterAsExtent(parameters, aoi_params.AOI, context)
    crs = alg.parameterAsExtentCrs(parameters, aoi_params.AOI, context)
    polygon = None
    if aoi_params.AOI_LAYER in parameters and parameters.get(aoi_params.AOI_LAYER):
        crs = QgsCoordinateReferenceSystem("EPSG:4326")
        polygon = aoi_params.polygon(alg, parameters, context, crs)
        extent = polygon.boundingBox()
    if aoi_params.is_empty(extent):
        raise QgsProcessingException(tr("Earth Engine needs an area of interest: draw or choose an extent."))
    return aoi_params.job_area(extent, crs), polygon
