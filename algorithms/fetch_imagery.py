from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterRasterDestination,
)

from ..shared.catalogue import COLLECTIONS
from ..shell.i18n import tr
from . import aoi_params, earthengine_params, outputs, series
from .base import TerraEmbedAlgorithm


class FetchImageryAlgorithm(TerraEmbedAlgorithm):
    """The Earth Engine composite of Compute embeddings, on its own (the same Earth Engine parameter group,
    the same cache)."""

    NAME = "fetch_imagery"
    DISPLAY = tr("Fetch Earth Engine composite")
    GROUP = tr("Imagery")
    GROUP_ID = "imagery"
    HELP = (
        tr(
            "Fetches a composite from Google Earth Engine for an area of interest and a date range, as a float32 Cloud "
            "Optimized GeoTIFF (DEFLATE, averaged overviews) on an explicit grid (the UTM zone of the area's centre at "
            "the chosen pixel size): Sentinel-2 surface reflectance (COPERNICUS/S2_SR_HARMONIZED, 12 bands B1..B12 "
            "without B10, images under the cloud limit, optional per-pixel cloud mask) or Sentinel-1 "
            "(COPERNICUS/S1_GRD_FLOAT, VV and VH in linear units, IW mode preferred, optional orbit pass) or the "
            "Copernicus DEM (COPERNICUS/DEM/GLO30, a mosaic of its 30 m tiles, elevation in metres; no date filter), "
            "the third sensor of TerraMind on S2 + S1 + DEM. Large areas are fetched in chunks under Earth Engine's "
            "request limits and stitched exactly; results are cached on disk, so a repeated request needs no network. "
            "The provenance (collection, images used, filters) is written to the log, the file's metadata and a STAC "
            "Item beside it (<name>.stac.json: footprint, date range, collection). The result can feed 'Compute "
            "embeddings' as a raster layer.\n\n"
            "Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the "
            "settings) and a Cloud project registered for Earth Engine.\n\n"
        )
        + series.HELP
    )
    COLLECTION = "COLLECTION"
    OUTPUT = "OUTPUT"
    IMAGES = "IMAGES"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterExtent(aoi_params.AOI, tr("Area of interest")))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.COLLECTION, tr("Imagery"), options=[tr(label) for label in COLLECTIONS.values()], defaultValue=0
            )
        )
        earthengine_params.add_options(self)
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Composite")))
        self.addOutput(QgsProcessingOutputNumber(self.IMAGES, tr("Images in the composite")))
        series.add_series_outputs(self)

    def process(self, parameters, context, feedback, tx):
        modality = self.parameterAsChoice(parameters, self.COLLECTION, context, COLLECTIONS)
        source, _ = earthengine_params.source(self, parameters, context, modality)
        periods = series.periods_of(self, parameters, context)
        if periods:  # a series: one composite per period (algorithms/series.py)
            job = {"type": "ee_fetch", "source": source}
            return series.run_series(self, parameters, context, feedback, tx, job, self.OUTPUT, periods)
        output = outputs.raster_destination(self, parameters, self.OUTPUT, context, tx, tr("composite"))
        result = self.run_job({"type": "ee_fetch", "source": source, "output": output}, feedback, tx=tx)
        provenance = result.get("provenance") or {}
        images = provenance.get("images")
        feedback.pushInfo(
            tr("Composite of %s image(s) from %s, %s to %s")
            % (images, provenance.get("collection_id", modality), source["start"], source["end"])
        )
        if not result.get("path"):
            raise QgsProcessingException(tr("Earth Engine returned no composite."))
        return {self.OUTPUT: result["path"], self.IMAGES: images if images is not None else -1}
