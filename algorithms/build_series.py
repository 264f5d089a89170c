import os

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsRasterLayer,
)

from ..shared.periods import SYNTAX, PeriodError, parse_periods
from ..shell.i18n import tr
from . import compat, inputs
from .base import TerraEmbedAlgorithm


class BuildSeriesAlgorithm(TerraEmbedAlgorithm):
    """A series (engine/pipeline/series.py's VRT) of embedding rasters the user already has."""

    NAME = "build_series"
    DISPLAY = tr("Build a series")
    GROUP = tr("Embeddings")
    GROUP_ID = "embeddings"
    HELP = (
        tr(
            "Makes a series of embedding rasters of the same model that you already have (e.g. one per year): a "
            "series file <name>.vrt that QGIS opens, with every period's bands in order, and that lists the periods "
            "with their dates, as Compute embeddings writes it for periods. Give the rasters in time order and one "
            "period per raster (%s), or leave the periods empty to take each raster's own Earth Engine dates. Rasters "
            "not on the first one's grid (CRS, transform or size) are resampled onto it as <name>_<label>.tif: "
            "averaged when their cells are smaller than the grid's (each cell the mean of the finer cells it covers, "
            "NaN cells left out), else nearest neighbour; the log says which and how. Rasters of another model or "
            "number of dimensions are refused by name; for two rasters only, compare them with Change between dates. "
            "The series refers to the rasters by their place relative to it: move them together."
        )
        % SYNTAX
    )
    LAYERS, PERIODS, OUTPUT, COUNT, RESAMPLED = "LAYERS", "PERIODS", "OUTPUT", "PERIODS_COUNT", "RESAMPLED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.LAYERS, tr("Embedding rasters, in time order"), compat.SOURCE_RASTER
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PERIODS,
                tr("Periods, one per raster in order, e.g. 2019..2023 (empty = the rasters' Earth Engine dates)"),
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, tr("Series"), tr("Series (*.vrt)")))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, tr("Periods in the series")))
        self.addOutput(QgsProcessingOutputNumber(self.RESAMPLED, tr("Rasters resampled onto the first one's grid")))

    def _rasters(self, parameters, context):
        paths = []
        for layer in self.parameterAsLayerList(parameters, self.LAYERS, context):
            path = inputs.local_raster_path(layer) if isinstance(layer, QgsRasterLayer) else None
            if not path:
                raise QgsProcessingException(
                    tr(
                        "The layer '%s' is not a local raster file the runtime can read. Save it as a GeoTIFF first "
                        "(Export > Save As) and use that layer."
                    )
                    % layer.name()
                )
            paths.append(path)
        if len(paths) < 2:
            raise QgsProcessingException(
                tr("A series needs at least two rasters (got %d): to compare two dates use Change between dates.")
                % len(paths)
            )
        return paths

    def process(self, parameters, context, feedback, tx):
        rasters = self._rasters(parameters, context)
        text = self.parameterAsString(parameters, self.PERIODS, context).strip()
        try:
            periods = parse_periods(text)
        except PeriodError as exc:
            raise QgsProcessingException(tr("Periods: %s") % exc) from None
        if periods and len(periods) != len(rasters):
            raise QgsProcessingException(
                tr("%d rasters but %d periods (%s): give one period per raster, in the rasters' order.")
                % (len(rasters), len(periods), ", ".join(p.label for p in periods))
            )
        output = os.path.abspath(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        # The worker's own output transaction: which rasters it resamples (and writes) is known only there.
        job = {"type": "build_series", "rasters": rasters, "periods": text, "series": output}
        result = self.run_job(job, feedback)
        for label in result.get("resampled") or []:
            feedback.pushInfo(tr("Period %s was resampled onto the first raster's grid.") % label)
        feedback.pushInfo(
            tr("Series of %d periods (%s) of %s, %d dimensions: %s")
            % (
                len(result["periods"]),
                ", ".join(p["label"] for p in result["periods"]),
                result.get("model") or tr("an unknown model"),
                result["dimensions"],
                output,
            )
        )
        name = os.path.splitext(os.path.basename(output))[0]
        context.addLayerToLoadOnCompletion(
            output, QgsProcessingContext.LayerDetails(name, context.project(), self.OUTPUT)
        )
        return {self.OUTPUT: output, self.COUNT: len(result["periods"]), self.RESAMPLED: len(result["resampled"])}
