"""The area-of-interest group: an extent (AOI) and, in Compute embeddings, polygons that override it
(AOI_LAYER). Read back as the polygons' union in a CRS, or as the job's {"bounds", "crs"} of an extent."""

from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsRectangle,
)

from ..shell.i18n import tr
from . import compat
from .base import TerraEmbedAlgorithm

AOI = "AOI"
AOI_LAYER = "AOI_LAYER"


def add_extent_and_polygons(alg: TerraEmbedAlgorithm) -> None:
    """The optional extent and the optional polygons that override it (Compute embeddings)."""
    alg.addParameter(
        QgsProcessingParameterExtent(AOI, tr("Area of interest (empty = the whole raster)"), optional=True)
    )
    alg.addParameter(
        QgsProcessingParameterFeatureSource(
            AOI_LAYER,
            tr("Area of interest polygons (optional: overrides the extent; pixels outside are ignored)"),
            [compat.SOURCE_POLYGON],
            optional=True,
        )
    )


def polygon(
    alg: TerraEmbedAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    crs: QgsCoordinateReferenceSystem,
) -> Optional[QgsGeometry]:
    """The union of the AOI polygons in crs (None when no polygon layer is given)."""
    if not parameters.get(AOI_LAYER):
        return None
    source = alg.parameterAsSource(parameters, AOI_LAYER, context)
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


def is_empty(extent: Optional[QgsRectangle]) -> bool:
    """Whether no extent was given (none, null or empty)."""
    return extent is None or extent.isNull() or extent.isEmpty()


def job_area(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem) -> dict[str, Any]:
    """The job's area of an extent: its bounds and CRS (WKT; EPSG:4326 when the extent names none)."""
    return {
        "bounds": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
        "crs": (crs if crs.isValid() else QgsCoordinateReferenceSystem("EPSG:4326")).toWkt(),
    }
