import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)

from ..shared import limits
from ..shared.jobs.analysis import ChangeSeriesJob
from ..shared.transaction import POLYGONS
from ..shell.i18n import tr
from . import compat, inputs
from .analysis_base import AnalysisAlgorithm
from .base import number_parameter


class ChangeSeriesAlgorithm(AnalysisAlgorithm):
    NAME = "change_series"
    DISPLAY = tr("Change over time")
    HELP = tr(
        "Change over a series of periods (e.g. one embedding raster per year), per cell: the largest cosine "
        "distance (1 - cosine similarity, 0 = unchanged, up to 2) to the first period; the break, the number of "
        "the period that ends the largest step between consecutive periods; the size of that step; and the mean "
        "step (steady change: a mean near the largest step; one break: a largest step far above it), as the 4 "
        "bands of one raster. The class raster says stable (no step at or above the change step), one break "
        "(exactly one) or repeated change (two or more, e.g. crop rotation); the change areas are the polygons "
        "of the changed cells, one per class and break period. Periods: one series file made by TerraEmbed, or "
        "embedding rasters of the same model in order, at least 2 (for two dates use 'Change between dates'); a "
        "period on another grid is resampled onto the first one's (averaged from smaller cells, else nearest; "
        "the log says which). A cell counts when it has data in "
        "every period. Cost: every period is read once, block by block; memory stays the same for any number "
        "of periods, time grows with it."
    )
    REPORT_HELP = tr(
        "the cells per class of change, the distance to the first period and the step by period (mean, median, "
        "90th percentile, histograms), the breaks per period, and the timelines of the optional features."
    )
    PERIODS, LABELS, CHANGE_STEP, FEATURES, NAME_FIELD = "PERIODS", "LABELS", "CHANGE_STEP", "FEATURES", "NAME_FIELD"
    OUTPUT, CLASSES, POLYGONS, CHANGED = "OUTPUT", "CLASSES", "POLYGONS", "CHANGED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.PERIODS,
                tr("Periods: a series file, or embedding rasters of one model in order (oldest first)"),
                compat.SOURCE_RASTER,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.LABELS, tr("Period labels, comma separated (default: the layer names)"), optional=True
            )
        )
        self.addParameter(
            number_parameter(
                self.CHANGE_STEP,
                tr("Change step: a step between consecutive periods at or above this cosine distance is a change"),
                limits.DISTANCE,
                ChangeSeriesJob.default("change_step"),
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.FEATURES,
                tr("Features whose timelines the report shows (optional)"),
                [compat.SOURCE_POINT, compat.SOURCE_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.NAME_FIELD, tr("Feature names (optional)"), parentLayerParameterName=self.FEATURES, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Change over time")))
        self.addParameter(QgsProcessingParameterRasterDestination(self.CLASSES, tr("Change classes"), optional=True))
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.POLYGONS, tr("Change areas"), compat.SOURCE_POLYGON, optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.CHANGED, tr("Changed fraction (one break or repeated change)")))
        self.add_report_output()

    def periods(self, parameters, context):
        """(layers, {"series": path} or {"inputs": [paths], "labels": [...]}) of the PERIODS."""
        layers = self.parameterAsLayerList(parameters, self.PERIODS, context)
        if not layers:
            raise QgsProcessingException(tr("Choose a series file or the embedding rasters of the periods, in order."))
        paths = []
        for layer in layers:
            path = inputs.local_raster_path(layer)
            if not path:
                raise QgsProcessingException(
                    tr(
                        "The period '%s' is not a local raster file that the runtime can read. Save it as a GeoTIFF "
                        "first (Export > Save As) and use that layer."
                    )
                    % layer.name()
                )
            paths.append(path)
        if len(paths) == 1:
            return layers, {"series": paths[0]}
        text = self.parameterAsString(parameters, self.LABELS, context).strip()
        labels = [t.strip() for t in text.split(",")] if text else [layer.name() for layer in layers]
        if len(labels) != len(paths):
            raise QgsProcessingException(
                tr("Give one label per period (LABELS): %d labels for %d rasters.") % (len(labels), len(paths))
            )
        return layers, {"inputs": paths, "labels": labels}

    def features(self, parameters, context, crs, feedback):
        source = self.parameterAsSource(parameters, self.FEATURES, context)
        if source is None:
            return None
        field = self.parameterAsString(parameters, self.NAME_FIELD, context)
        items = []
        for i, (feature, wkt) in enumerate(self.geometries_wkt(source, crs, context, feedback)):
            name = feature[field] if field else None
            items.append({"wkt": wkt, "name": str(name) if name not in (None, "") else tr("feature %d") % (i + 1)})
        return items

    def process(self, parameters, context, feedback, tx):
        layers, periods = self.periods(parameters, context)
        output = self.destination(parameters, self.OUTPUT, context, tr("change over time raster"), tx)
        classes = self.destination(parameters, self.CLASSES, context, tr("change class raster"), tx)
        polygons = self.parameterAsOutputLayer(parameters, self.POLYGONS, context) or None
        if polygons:
            polygons = os.path.abspath(polygons)
            tx.add(polygons, tr("change areas"), POLYGONS)
        job = {
            "type": "change_series",
            **periods,
            "output": output,
            "classes_output": classes,
            "polygons_output": polygons,
            "change_step": self.parameterAsDouble(parameters, self.CHANGE_STEP, context),
            "features": self.features(parameters, context, layers[0].crs(), feedback),
            "html_report": self.report_destination(parameters, context, tx),
        }
        result = self.run_job(job, feedback, tx=tx)
        cells = result["class_cells"]
        changed = (result["valid_cells"] - cells["stable"]) / max(1, result["valid_cells"])
        feedback.pushInfo(
            tr("%d periods (%s to %s): %s")
            % (
                len(result["periods"]),
                result["periods"][0],
                result["periods"][-1],
                ", ".join("%s %d cells" % item for item in cells.items()),
            )
        )
        outputs = {self.OUTPUT: output, self.CHANGED: changed, **self.report_output(result)}
        if classes:
            outputs[self.CLASSES] = classes
        if polygons:
            outputs[self.POLYGONS] = polygons
        return outputs
