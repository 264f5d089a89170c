"""The algorithms' outputs through the one output transaction (shared/transaction.py), shell side:
destinations checked before any work, QGIS feature sinks written under partial names, re-opened
and committed together with the worker's files.

A destination ending in .parquet (catalogue.VECTOR_FORMATS) is written by the runtime as GeoParquet
(engine/pipeline/geoparquet.py): the shell adds it to the transaction and sends its path in the job, the
worker writes the partial. Another feature sink whose destination is a file (pooled.gpkg...) is written by
QgsVectorFileWriter to the transaction's partial path, with the layer name the destination would
have, every addFeature and the final flush checked, and the file re-opened and counted. Other
sinks (memory layers of the modeler, database tables) hold nothing a failed run could lose; they
are written through parameterAsSink with the same checks.
"""

import os
import re
from collections.abc import Iterable
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProperty,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt

from ..shared.catalogue import GEOPARQUET_EXTENSION
from ..shared.errors import OutputError
from ..shared.transaction import GEOTIFF, Transaction
from ..shell.i18n import tr

_PROVIDER_URI = re.compile(r"^[A-Za-z]{2,}:")  # memory:, postgres:, ogr:... (a drive letter is one letter)
CANCELLED = tr("Cancelled: nothing was written.")
GEOPARQUET = {GEOPARQUET_EXTENSION: "GeoParquet"}  # written by the runtime, whatever QGIS's GDAL writes


def parquet_readable() -> bool:
    """Whether QGIS's GDAL reads GeoParquet (has the Parquet driver), so the file can be a layer."""
    from osgeo import ogr

    return ogr.GetDriverByName("Parquet") is not None


def json_value(value: Any) -> Any:
    """An attribute value as JSON for the runtime: NULL -> None, dates and times -> ISO text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toString") and hasattr(value, "isValid"):  # QDate, QDateTime, QTime
        return value.toString(Qt.DateFormat.ISODate)
    return str(value)


def feature_row(feature: QgsFeature) -> tuple[Optional[str], list[Any]]:
    """(geometry as hex WKB or None, attributes as JSON values) of a QgsFeature, for a GeoParquet job."""
    geom = feature.geometry()
    wkb = None if geom is None or geom.isNull() else bytes(geom.asWkb()).hex()
    return wkb, [json_value(v) for v in feature.attributes()]


def vector_formats() -> dict[str, str]:
    """{".ext": OGR driver} for the vector formats QGIS can write."""
    formats = {}
    for ext in QgsVectorFileWriter.supportedFormatExtensions():
        driver = QgsVectorFileWriter.driverForExtension(ext)
        if driver:
            formats["." + ext.lower()] = driver
    return formats


def raster_destination(
    alg: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    name: str,
    context: QgsProcessingContext,
    tx: Transaction,
    what: str,
) -> Optional[str]:
    """The file of a raster destination (None when not asked for), added to the transaction."""
    path = alg.parameterAsOutputLayer(parameters, name, context)
    if not path:
        return None
    tx.add(path, what, GEOTIFF)
    return os.path.abspath(path)


def file_destination(
    alg: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    name: str,
    context: QgsProcessingContext,
    tx: Transaction,
    what: str,
    formats: dict[str, str],
) -> Optional[str]:
    """The file of a file destination (e.g. a CSV report), added to the transaction."""
    path = alg.parameterAsFileOutput(parameters, name, context)
    if not path:
        return None
    tx.add(path, what, formats)
    return os.path.abspath(path)


def _sink_text(parameters: dict[str, Any], name: str, context: QgsProcessingContext) -> str:
    value = parameters.get(name)
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.valueAsString(context.expressionContext(), "")
        value = value[0] if isinstance(value, tuple) else value
    return "" if value is None else str(value)


class SinkOutput:
    """One feature sink of an algorithm: declare() before the job, write() after it."""

    def __init__(
        self,
        alg: QgsProcessingAlgorithm,
        parameters: dict[str, Any],
        name: str,
        context: QgsProcessingContext,
        tx: Transaction,
        what: str,
    ) -> None:
        self.alg, self.parameters, self.name, self.context, self.tx, self.what = (
            alg,
            parameters,
            name,
            context,
            tx,
            what,
        )
        text = _sink_text(parameters, name, context)
        self.file = None
        if text and text != "TEMPORARY_OUTPUT" and not _PROVIDER_URI.match(text):
            dest = alg.parameterAsOutputLayer(parameters, name, context)  # registers it to load at the end
            if dest:
                self.file, self.registered = os.path.abspath(dest), dest
                self.partial = tx.add(self.file, what, dict(vector_formats(), **GEOPARQUET))

    def runtime_path(self) -> Optional[str]:
        """The destination when the runtime writes it (GeoParquet: catalogue.VECTOR_FORMATS), else None."""
        return self.file if self.file and self.file.lower().endswith(GEOPARQUET_EXTENSION) else None

    def written_by_runtime(self, feedback: QgsProcessingFeedback) -> Optional[str]:
        """The GeoParquet destination once the job wrote its partial. It is loaded as a layer only where
        QGIS's GDAL reads GeoParquet (its Parquet driver); otherwise the log says so."""
        if not parquet_readable():
            layers = self.context.layersToLoadOnCompletion()
            for key in (self.registered, self.file):
                layers.pop(key, None)
            self.context.setLayersToLoadOnCompletion(layers)
            feedback.pushInfo(
                tr(
                    "The %s is written as GeoParquet (%s). This QGIS's GDAL has no Parquet driver, so it is not "
                    "added as a layer: open it with GeoPandas, DuckDB or a QGIS built with GDAL's Parquet driver, "
                    "or save the output as .gpkg to see it here."
                )
                % (self.what, self.file)
            )
        return self.file

    def write(
        self,
        fields: QgsFields,
        wkb_type: Any,
        crs: QgsCoordinateReferenceSystem,
        features: Iterable[QgsFeature],
        feedback: Optional[QgsProcessingFeedback] = None,
    ) -> Optional[str]:
        """Write all features; return the destination for the algorithm's results (None: not asked for)."""
        if self.file is None:
            return self._write_sink(fields, wkb_type, crs, features, feedback)
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = QgsVectorFileWriter.driverForExtension(os.path.splitext(self.file)[1][1:])
        options.layerName = os.path.splitext(os.path.basename(self.file))[0]
        options.fileEncoding = "UTF-8"
        writer = QgsVectorFileWriter.create(
            self.partial, fields, wkb_type, crs, self.context.transformContext(), options
        )
        if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            raise self._failed(writer.errorMessage())
        count = 0
        try:
            for feature in features:
                if feedback is not None and feedback.isCanceled():
                    raise QgsProcessingException(CANCELLED)
                if not writer.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                    raise self._failed(writer.lastError() or writer.errorMessage())
                count += 1
            if not writer.flushBuffer():
                raise self._failed(writer.lastError() or writer.errorMessage())
        finally:
            del writer  # closes the file
        self._verify(options.layerName, count)
        return self.file

    def _verify(self, layer_name, count):
        uri = self.partial + ("|layername=%s" % layer_name if self.file.lower().endswith(".gpkg") else "")
        layer = QgsVectorLayer(uri, "check", "ogr")
        found = layer.featureCount() if layer.isValid() else -1
        del layer
        if found != count:
            raise self._failed(tr("%d of %d features could be read back") % (max(found, 0), count))

    def _failed(self, detail: str) -> OutputError:
        mine = [o for o in self.tx.outputs if o.dest == self.file]
        error = self.tx.explain(OSError(None, detail), mine[0] if mine else None)
        if isinstance(error, OutputError):
            return error
        return OutputError(tr("Could not write the %s %s (%s); nothing was written.") % (self.what, self.file, detail))

    def _write_sink(
        self,
        fields: QgsFields,
        wkb_type: Any,
        crs: QgsCoordinateReferenceSystem,
        features: Iterable[QgsFeature],
        feedback: Optional[QgsProcessingFeedback],
    ) -> Optional[str]:
        sink, dest = self.alg.parameterAsSink(self.parameters, self.name, self.context, fields, wkb_type, crs)
        if sink is None:
            return None
        for feature in features:
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException(CANCELLED)
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise OutputError(
                    tr("Could not write the %s (%s); nothing was written.") % (self.what, sink.lastError())
                )
        if hasattr(sink, "flushBuffer") and not sink.flushBuffer():
            raise OutputError(tr("Could not write the %s (%s); nothing was written.") % (self.what, sink.lastError()))
        return dest
