from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)

from ..shared import limits
from ..shared.catalogue import ALPHAEARTH, DEFAULT_PIXEL_SIZE_M
from ..shell import settings
from ..shell.i18n import tr
from . import compat, outputs
from .base import TerraEmbedAlgorithm, number_parameter


class FetchAlphaEarthAlgorithm(TerraEmbedAlgorithm):
    """One year of Google's AlphaEarth embeddings from Earth Engine, as an embedding raster."""

    NAME = "fetch_alphaearth"
    DISPLAY = tr("Fetch AlphaEarth embeddings")
    GROUP = tr("Embeddings")
    GROUP_ID = "embeddings"
    HELP = tr(
        "Fetches Google DeepMind's AlphaEarth Foundations embeddings (Earth Engine %s: one 64-dimensional "
        "unit vector per 10 m cell and calendar year, published for %d-%d) for an area of interest and a year, "
        "as a 64-band float32 GeoTIFF (bands A00..A63) on the same explicit grid as 'Fetch Earth Engine "
        "composite' (the UTM zone of the area's centre at the chosen pixel size), with the chunked requests, "
        "retries, limits and on-disk cache of that fetch. Cells AlphaEarth masks are nodata (NaN). The file "
        "carries TerraEmbed's embedding tags (model 'alphaearth', 64 dimensions, the year, the collection), so "
        "PCA, similarity, clustering, classification, change and the Explore tool take it like a grid of "
        "'Compute embeddings'; no model runs. A year the collection does not have over the area is refused "
        "with the years it has. Fetch one year per run (a series of years: one run each).\n\n"
        "Licence: %s; every use must carry the attribution \"%s\"\n\n"
        "Google's int8 GeoTIFFs of the same embeddings (gs://alphaearth_foundations, Source Cooperative) need "
        "no fetch: the analysis algorithms read them as they are and de-quantise them.\n\n"
        "Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the "
        "settings) and a Cloud project registered for Earth Engine."
    ) % (
        ALPHAEARTH.collection_id,
        ALPHAEARTH.years[0],
        ALPHAEARTH.years[1],
        ALPHAEARTH.licence,
        ALPHAEARTH.attribution,
    )
    AOI = "AOI"
    YEAR = "YEAR"
    EE_SCALE = "EE_SCALE"
    EE_PROJECT = "EE_PROJECT"
    OUTPUT = "OUTPUT"
    IMAGES = "IMAGES"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterExtent(self.AOI, tr("Area of interest")))
        self.addParameter(number_parameter(self.YEAR, tr("Year"), limits.ALPHAEARTH_YEAR, ALPHAEARTH.years[1]))
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.EE_SCALE, tr("Pixel size (m; AlphaEarth's is 10)"), limits.EE_SCALE, DEFAULT_PIXEL_SIZE_M
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
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("AlphaEarth embeddings")))
        self.addOutput(QgsProcessingOutputNumber(self.IMAGES, tr("AlphaEarth tiles mosaicked")))

    def source(self, parameters, context):
        """The job's source: the area, the year and the Earth Engine settings."""
        extent = self.parameterAsExtent(parameters, self.AOI, context)
        crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        if extent is None or extent.isNull() or extent.isEmpty():
            raise QgsProcessingException(tr("AlphaEarth needs an area of interest: draw or choose an extent."))
        return {
            "kind": "earthengine",
            "aoi": {
                "bounds": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
                "crs": (crs if crs.isValid() else QgsCoordinateReferenceSystem("EPSG:4326")).toWkt(),
            },
            "year": self.parameterAsInt(parameters, self.YEAR, context),
            "scale": self.parameterAsDouble(parameters, self.EE_SCALE, context),
            "project": self.parameterAsString(parameters, self.EE_PROJECT, context).strip()
            or settings.get("ee_project")
            or None,
            "service_account_key": settings.get("ee_service_account_key") or None,
            "cache_dir": settings.get("imagery_cache_dir") or None,
            "cache_cap_mb": settings.get("imagery_cache_cap_mb"),
        }

    def process(self, parameters, context, feedback, tx):
        source = self.source(parameters, context)
        output = outputs.raster_destination(self, parameters, self.OUTPUT, context, tx, tr("AlphaEarth embeddings"))
        result = self.run_job({"type": "alphaearth_fetch", "source": source, "output": output}, feedback, tx=tx)
        provenance = result.get("provenance") or {}
        if not result.get("path"):
            raise QgsProcessingException(tr("Earth Engine returned no AlphaEarth embeddings."))
        feedback.pushInfo(
            tr("AlphaEarth %s from %s tile(s) of %s. %s (%s)")
            % (
                source["year"],
                provenance.get("images"),
                ALPHAEARTH.collection_id,
                ALPHAEARTH.attribution,
                ALPHAEARTH.licence,
            )
        )
        images = provenance.get("images")
        return {self.OUTPUT: result["path"], self.IMAGES: images if images is not None else -1}
