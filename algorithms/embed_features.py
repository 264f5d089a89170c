import shutil
from typing import Any

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsFields,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterRasterLayer,
    QgsRasterLayer,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..shared import limits
from ..shared.catalogue import (
    CELLS_FIELD,
    FEATURE_EMBEDDED,
    FEATURE_NOT_EMBEDDED,
    FEATURE_STATUS_FIELD,
    FEATURE_VECTORS,
    GEOPARQUET_EXTENSION,
    MODELS,
)
from ..shared.jobs.embedding import EmbedFeaturesJob, RasterInput
from ..shared.partials import job_temp_dir
from ..shell.i18n import tr
from . import checks, compat, imagery_params, inputs, model_params, outputs
from .base import TerraEmbedAlgorithm, number_parameter

STATUS_FIELD = FEATURE_STATUS_FIELD  # per feature: EMBEDDED_STATUS, or why it was not embedded
EMBEDDED_STATUS = FEATURE_EMBEDDED
NO_GEOMETRY = tr("it has no geometry")


class EmbedFeaturesAlgorithm(TerraEmbedAlgorithm):
    """Composed of the raster-imagery and model parameter groups of Compute embeddings (model, bands, other
    sensors, weights, device)."""

    NAME = "embed_features"
    DISPLAY = tr("Embeddings for features")
    GROUP = tr("Embeddings")
    GROUP_ID = "embeddings"
    REPORT_HELP = tr(
        "the inputs, the model and its weights (random weights in red), device and precision, the "
        "features embedded and those skipped with the reason, and the time taken."
    )
    HELP = tr(
        "Embeds the imagery under each feature of a polygon or point layer and appends the pooled embedding to "
        "the feature as fields emb_000... This is how to build a training table for a classifier.\n\n"
        "Each feature's bounding box (points: a square of 'Buffer' raster-CRS units, e.g. metres, around the "
        "point) is read from the raster and resized to the model's 224-pixel input; features are embedded in "
        "batches. Features without a geometry, outside the raster, on nodata only, or larger than one resized chip "
        "allows get empty embedding fields, the reason in the field '%s' ('%s' for the others) and a warning "
        "naming the feature; the run fails only if no feature can be embedded.\n\n"
        "Model, bands, scale, the Sentinel-1 and DEM rasters of TerraMind on several sensors, device, precision, "
        "weights and Dask scheduler work as in 'Compute embeddings'. "
        "Cancel leaves no output."
    ) % (STATUS_FIELD, EMBEDDED_STATUS)
    HELP += tr(
        "\n\nFeature vector: 'chip' (the default) is the above. 'cells' makes each feature's vector the mean of the "
        "embedding grid cells whose centres lie inside it (the grid 'Compute embeddings' writes for the whole "
        "raster in tile preparation: 16 x 16 pixel cells) and adds the field '%s' (their count), so zones merge "
        "exactly: the mean of features A and B = (cells_A x mean_A + cells_B x mean_B) / (cells_A + cells_B). "
        "A feature with no cell centre inside it is skipped; the Dask scheduler is not used.\n\n"
        "Output format: a file name ending in %s writes GeoParquet 1.1 (the runtime writes it with pyarrow, "
        "whatever this QGIS's GDAL can write): the layer's fields, '%s', the embedding as one list column "
        "'embedding' (float32) and the geometry; it is added as a layer only where QGIS's GDAL reads Parquet. "
        "Any other name (GeoPackage: the default) gets one field emb_000... per dimension."
    ) % (CELLS_FIELD, GEOPARQUET_EXTENSION, STATUS_FIELD)

    INPUT_FEATURES = "INPUT_FEATURES"
    INPUT = imagery_params.INPUT
    BUFFER = "BUFFER"
    FEATURE_VECTOR = "FEATURE_VECTOR"
    OUTPUT = "OUTPUT"
    EMBEDDED = "EMBEDDED"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT_FEATURES, tr("Features (polygons or points)"), [compat.SOURCE_POLYGON, compat.SOURCE_POINT]
            )
        )
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, tr("Raster")))
        imagery_params.add_sensor_inputs(self)
        model_params.add_model(self, self.INPUT)
        self.addParameter(
            number_parameter(
                imagery_params.SCALE,
                tr("Scale (10000 for reflectance stored as 0..1)"),
                limits.SCALE,
                RasterInput.default("scale"),
            )
        )
        self.addParameter(
            number_parameter(self.BUFFER, tr("Buffer around points (raster CRS units)"), limits.BUFFER, 160.0)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.FEATURE_VECTOR,
                tr("Feature vector"),
                options=[tr(label) for label in FEATURE_VECTORS.values()],
                defaultValue=EmbedFeaturesJob.default_choice("feature_vector"),
            )
        )
        model_params.add_options(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Features with embeddings")))
        self.addOutput(QgsProcessingOutputNumber(self.EMBEDDED, tr("Features embedded")))
        self.add_report_output()

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = super().checkParameterValues(parameters, context)
        if ok and self.OUTPUT in parameters:
            source = self.parameterAsSource(parameters, self.INPUT_FEATURES, context)
            dim = MODELS[model_params.chosen_model(self, parameters, context)].dim
            message = checks.shapefile_problem(
                tr("Features with embeddings (OUTPUT)"),
                parameters[self.OUTPUT],
                (source.fields().count() if source is not None else 0) + 1 + dim,
            )
            ok = message is None
        return ok, message or ""

    def process(self, parameters, context, feedback, tx):
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        sink = outputs.SinkOutput(self, parameters, self.OUTPUT, context, tx, tr("features with embeddings"))
        report = self.report_destination(parameters, context, tx)
        source, layer, model_id = self._chosen_inputs(parameters, context)
        spec = MODELS[model_id]
        mode = self.parameterAsChoice(parameters, self.FEATURE_VECTOR, context, FEATURE_VECTORS)
        features, originals = self._job_features(parameters, context, source, layer, mode, sink, steps)
        steps.setCurrentStep(1)
        export_dir = job_temp_dir(tx.run)  # other sensors' layers that are not local files
        try:
            raster = imagery_params.layer_source(
                self, parameters, context, model_id, layer, layer.extent(), feedback, export_dir
            )
            job = dict(
                model_params.job_options(self, parameters, context, model_id),
                **{
                    "type": "embed_features",
                    "model": model_id,
                    "feature_vector": mode,
                    "features": features,
                    "features_crs": layer.crs().toWkt(),
                    "source": raster,
                    "html_report": report,
                },
            )
            if sink.runtime_path():
                job["vectors_output"] = {
                    "path": sink.runtime_path(),
                    "fields": source.fields().names(),
                    "crs": source.sourceCrs().toWkt(),
                }
            feedback.pushInfo(
                tr("Embedding %d feature(s) of '%s' with %s") % (len(features), source.sourceName(), spec.label)
            )
            result = self.run_job(job, steps, tx=tx)
        finally:
            shutil.rmtree(export_dir, ignore_errors=True)
        steps.setCurrentStep(2)
        feedback.pushInfo(tr("Precision: %s (asked: %s)") % (result.get("precision", ""), job.get("precision", "")))
        self._warn_skipped(result, originals, feedback)
        if sink.runtime_path():
            dest = sink.written_by_runtime(feedback)
        else:
            dest = self._write_features(sink, source, originals, result, feedback)
        return {
            self.OUTPUT: dest,
            self.EMBEDDED: result.get("embedded", len([v for v in result["vectors"].values() if v])),
            **self.report_output(result),
        }

    def _chosen_inputs(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[QgsFeatureSource, QgsRasterLayer, str]:
        """The features, the local raster and the model the user chose, or a message saying what to choose."""
        source = self.parameterAsSource(parameters, self.INPUT_FEATURES, context)
        if source is None:
            raise QgsProcessingException(tr("Choose a polygon or point layer."))
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("Choose a raster layer."))
        model_id = model_params.chosen_model(self, parameters, context)
        if not inputs.local_raster_path(layer):
            raise QgsProcessingException(
                tr(
                    "The raster '%s' is not a local file. Save it as GeoTIFF first (Export > "
                    "Save As) and use that layer."
                )
                % layer.name()
            )
        return source, layer, model_id

    def _warn_skipped(self, result, originals, feedback):
        for fid, reason in result.get("skipped", {}).items():
            feedback.pushWarning(
                tr("Feature %d (#%s of the layer) was not embedded: %s") % (originals[int(fid)].id(), fid, reason)
            )

    def _job_features(self, parameters, context, source, layer, mode, sink, feedback):
        """The job's features (bounds in the raster's CRS; "cells": the geometry too; GeoParquet: the
        feature's WKB and attributes) and the layer's features, in the same order."""
        buffer = self.parameterAsDouble(parameters, self.BUFFER, context)
        is_point = QgsWkbTypes.geometryType(source.wkbType()) == compat.POINT_GEOMETRY
        if is_point and buffer <= 0:
            raise QgsProcessingException(tr("Points need a buffer larger than 0 (raster CRS units) to cut a window."))
        transform = QgsCoordinateTransform(source.sourceCrs(), layer.crs(), context.transformContext())
        features, originals = [], []
        total = source.featureCount() or 1
        for i, feature in enumerate(source.getFeatures(QgsFeatureRequest())):
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Cancelled: nothing was written."))
            originals.append(feature)
            entry = {"id": i}
            if sink.runtime_path():
                entry["wkb"], entry["attributes"] = outputs.feature_row(feature)
            features.append(entry)
            geom = feature.geometry()
            if geom is None or geom.isEmpty():
                entry.update(bounds=None, missing=NO_GEOMETRY)
                continue
            rect = transform.transformBoundingBox(geom.boundingBox())
            if is_point:
                c = rect.center()
                rect = QgsRectangle(c.x() - buffer, c.y() - buffer, c.x() + buffer, c.y() + buffer)
            entry["bounds"] = [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()]
            if mode == "cells":
                zone = QgsGeometry.fromRect(rect) if is_point else QgsGeometry(geom)
                if not is_point:
                    zone.transform(transform)
                entry["geometry"] = zone.asWkt()
            feedback.setProgress(100.0 * i / total)
        if all(f["bounds"] is None for f in features):
            raise QgsProcessingException(tr("The layer has no features with a geometry."))
        return features, originals

    def _write_features(self, sink, source, originals, result, feedback):
        """The layer's features with the status, the cells ("cells" vectors) and emb_000... fields, through
        QGIS's writer (GeoPackage and the other formats QGIS writes)."""
        fields = QgsFields(source.fields())
        dim = result["dim"]
        cells = result.get("cells")
        ours = [STATUS_FIELD] + ([CELLS_FIELD] if cells is not None else []) + ["emb_%03d" % i for i in range(dim)]
        clash = [n for n in ours if n in set(fields.names())]
        if clash:
            raise QgsProcessingException(
                tr(
                    "The layer already has a field named %s: run on a layer without embedding "
                    "fields, or drop them first."
                )
                % clash[0]
            )
        fields.append(compat.make_field(STATUS_FIELD, QMetaType.Type.QString))
        if cells is not None:
            fields.append(compat.make_field(CELLS_FIELD, QMetaType.Type.Int))
        for i in range(dim):
            fields.append(compat.make_field("emb_%03d" % i, QMetaType.Type.Double))
        vectors, skipped = result["vectors"], result.get("skipped", {})

        def features():
            for i, feature in enumerate(originals):
                out = QgsFeature(fields)
                out.setGeometry(feature.geometry())
                vector = vectors.get(str(i))
                reason = skipped.get(str(i), "no vector")  # no-i18n (a field value, as engine/pipeline/geoparquet.py's)
                status = EMBEDDED_STATUS if vector else FEATURE_NOT_EMBEDDED % reason
                values = [float(v) for v in vector] if vector else [None] * dim
                count = [cells.get(str(i))] if cells is not None else []
                out.setAttributes(feature.attributes() + [status] + count + values)
                yield out

        dest = sink.write(fields, source.wkbType(), source.sourceCrs(), features(), feedback)
        if dest is None:
            raise QgsProcessingException(self.invalidSinkError(sink.parameters, self.OUTPUT))
        return dest
