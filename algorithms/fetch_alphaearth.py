from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..shared import limits
from ..shared.catalogue import ALPHAEARTH, DEFAULT_PIXEL_SIZE_M
from ..shared.periods import PeriodError, parse_periods, whole_years
from ..shell.i18n import tr
from . import aoi_params, compat, earthengine_params, inputs, outputs, series
from .base import TerraEmbedAlgorithm, number_parameter


class FetchAlphaEarthAlgorithm(TerraEmbedAlgorithm):
    """One year of Google's AlphaEarth embeddings from Earth Engine, as an embedding raster."""

    NAME = "fetch_alphaearth"
    DISPLAY = tr("Fetch AlphaEarth embeddings")
    GROUP = tr("Embeddings")
    GROUP_ID = "embeddings"
    HELP = tr(
        "Fetches Google DeepMind's AlphaEarth Foundations embeddings (Earth Engine %s: one 64-dimensional unit vector "
        "per 10 m cell and calendar year, published for %d-%d) for an area of interest and a year, as a 64-band "
        "float32 Cloud Optimized GeoTIFF (bands A00..A63) on the same explicit grid as 'Fetch Earth Engine composite' "
        "(the UTM zone of the area's centre at the chosen pixel size), with the chunked requests, retries, limits and "
        "on-disk cache of that fetch. Cells AlphaEarth masks are nodata (NaN). The file carries TerraEmbed's embedding "
        "tags (model 'alphaearth', 64 dimensions, the year, the collection), so PCA, similarity, clustering, "
        "classification, change and the Explore tool take it like a grid of 'Compute embeddings'; no model runs. A "
        "STAC Item beside it (<name>.stac.json) names the year, the collection, the licence and the attribution. A "
        "year the collection does not have over the area is refused with the years it has.\n\n"
        "Years (YEARS, e.g. 2017..2025 or 2019,2021,2023; whole calendar years only; empty = the Year above): a "
        "series, one raster per year on exactly one grid, <name>_<year>.tif beside a series file <name>.vrt (the "
        "years' bands in order) that QGIS opens and that Change over time (terraembed:change_series) and the "
        "Explore timeline take. Each year is saved as soon as it is fetched: a failed or cancelled run keeps the "
        "years before it, and a new run with the same area and settings reuses them without a request (the log "
        "and the outputs count the years fetched, reused and skipped). A year the collection lacks over the area "
        "is named with the years it has, and stops the run or is skipped, as chosen. Cost: one fetch per year "
        "(years already in the imagery cache need no network).\n\n"
        "On the grid of (GRID_LIKE, optional: e.g. a TerraMind embedding grid or the series file of Compute "
        "embeddings with periods): every year on exactly that raster's grid (CRS, transform and size; the area "
        "and pixel size above are not used), so the change maps of both series compare cell by cell. Cells of "
        "about 10 m are fetched on that grid itself; coarser cells (a model's grid cell is 16 x 16 pixels) are "
        "cut into cells of about 10 m, fetched, and each is the mean of the AlphaEarth vectors it covers (cells "
        "AlphaEarth masks left out), as the log says; this fetches (cell size / 10 m)^2 times more cells than "
        "the grid has.\n\n"
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
    AOI = aoi_params.AOI
    YEAR = "YEAR"
    YEARS = "YEARS"
    GRID_LIKE = "GRID_LIKE"
    EE_SCALE = earthengine_params.EE_SCALE
    OUTPUT = "OUTPUT"
    IMAGES = "IMAGES"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterExtent(
                self.AOI, tr("Area of interest (not needed with a grid raster)"), optional=True
            )
        )
        self.addParameter(number_parameter(self.YEAR, tr("Year"), limits.ALPHAEARTH_YEAR, ALPHAEARTH.years[1]))
        self.addParameter(
            QgsProcessingParameterString(
                self.YEARS, tr("Years of a series (empty = the year above), e.g. 2017..2025"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.GRID_LIKE,
                tr("On the grid of this raster (optional: e.g. a TerraMind grid or series)"),
                optional=True,
            )
        )
        series.add_if_no_imagery_parameter(self)
        self.addParameter(
            compat.advanced(
                number_parameter(
                    self.EE_SCALE, tr("Pixel size (m; AlphaEarth's is 10)"), limits.EE_SCALE, DEFAULT_PIXEL_SIZE_M
                )
            )
        )
        self.addParameter(earthengine_params.project_parameter())
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("AlphaEarth embeddings")))
        self.addOutput(QgsProcessingOutputNumber(self.IMAGES, tr("AlphaEarth tiles mosaicked")))
        series.add_series_outputs(self)

    def years(self, parameters, context):
        """The YEARS parameter's years as periods ([]: the one YEAR), checked (QgsProcessingException with the fix)."""
        try:
            periods = parse_periods(self.parameterAsString(parameters, self.YEARS, context))
            years = whole_years(periods, "AlphaEarth")
        except PeriodError as exc:
            raise QgsProcessingException(tr("Years: %s") % exc) from None
        early = [y for y in years if y < limits.ALPHAEARTH_YEAR.minimum]
        if early:
            raise QgsProcessingException(
                tr("Years: AlphaEarth starts in %d; %s is earlier. Type years from %d on, e.g. %d..%d.")
                % (ALPHAEARTH.years[0], early[0], ALPHAEARTH.years[0], ALPHAEARTH.years[0], ALPHAEARTH.years[1])
            )
        return periods

    def source(self, parameters, context):
        """The job's source: the area, the year and the Earth Engine settings."""
        area = self.area(parameters, context)
        scale = {} if "grid_like" in area else {"scale": self.parameterAsDouble(parameters, self.EE_SCALE, context)}
        return {
            "kind": "earthengine",
            **area,
            **scale,
            "year": self.parameterAsInt(parameters, self.YEAR, context),
            "project": earthengine_params.project(self, parameters, context),
            **earthengine_params.access(),
        }

    def area(self, parameters, context):
        """{"grid_like": the grid raster's file} or {"aoi": the extent}; QgsProcessingException when neither."""
        layer = self.parameterAsRasterLayer(parameters, self.GRID_LIKE, context)
        if layer is not None:
            path = inputs.local_raster_path(layer)
            if not path:
                raise QgsProcessingException(
                    tr(
                        "The grid raster '%s' is not a local file that the runtime can read. Save it as a GeoTIFF "
                        "first (Export > Save As) and use that layer."
                    )
                    % layer.name()
                )
            return {"grid_like": path}
        extent = self.parameterAsExtent(parameters, self.AOI, context)
        crs = self.parameterAsExtentCrs(parameters, self.AOI, context)
        if aoi_params.is_empty(extent):
            raise QgsProcessingException(
                tr("AlphaEarth needs an area of interest: draw or choose an extent, or choose a grid raster.")
            )
        return {"aoi": aoi_params.job_area(extent, crs)}

    def process(self, parameters, context, feedback, tx):
        periods = self.years(parameters, context)
        source = self.source(parameters, context)
        if "grid_like" in source and not self.parameterAsExtent(parameters, self.AOI, context).isNull():
            feedback.pushInfo(tr("The area of interest is not used: the grid raster gives the area and the grid."))
        if len(periods) > 1:  # a series: one fetch per year (algorithms/series.py, the worker's series job)
            feedback.pushInfo("%s (%s)" % (ALPHAEARTH.attribution, ALPHAEARTH.licence))  # no-i18n: licence text
            job = {"type": "alphaearth_fetch", "source": source}
            return series.run_series(self, parameters, context, feedback, tx, job, self.OUTPUT, periods)
        if periods:
            source["year"] = int(periods[0].label)
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
