"""The QGIS spellings that differ between QGIS 3.22 (Qt5) and QGIS 4 (Qt6), picked once by what exists.

QGIS moved these enums into `Qgis` (3.30: WkbType, GeometryType, DistanceUnit; 3.34: LayerFilter; 3.36: the
Processing enums (source, number and field types, parameter flags) and RasterBandStatistic; 3.38:
RasterFileWriterResult) and QGIS 4 drops the old class-scoped names. Every other module uses the names below,
never the old or the new spelling directly (tests/quick/test_qt_idioms.py keeps it so; docs/DEVELOPING.md
"Qt5 and Qt6").
"""

from qgis.core import (
    Qgis,
    QgsColorRampShader,
    QgsField,
    QgsMapLayerProxyModel,
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsRasterBandStats,
    QgsRasterFileWriter,
    QgsUnitTypes,
    QgsWkbTypes,
)

if hasattr(Qgis, "ProcessingSourceType"):  # QGIS >= 3.36
    SOURCE_POINT = Qgis.ProcessingSourceType.VectorPoint
    SOURCE_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
    SOURCE_RASTER = Qgis.ProcessingSourceType.Raster
else:
    SOURCE_POINT = QgsProcessing.SourceType.TypeVectorPoint
    SOURCE_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
    SOURCE_RASTER = QgsProcessing.SourceType.TypeRaster

if hasattr(Qgis, "ProcessingNumberParameterType"):  # QGIS >= 3.36
    INTEGER = Qgis.ProcessingNumberParameterType.Integer
    DOUBLE = Qgis.ProcessingNumberParameterType.Double
else:
    INTEGER = QgsProcessingParameterNumber.Type.Integer
    DOUBLE = QgsProcessingParameterNumber.Type.Double

if hasattr(Qgis, "ProcessingFieldParameterDataType"):  # QGIS >= 3.36
    NUMERIC_FIELD = Qgis.ProcessingFieldParameterDataType.Numeric
else:
    NUMERIC_FIELD = QgsProcessingParameterField.DataType.Numeric

if hasattr(Qgis, "ProcessingFileParameterBehavior"):  # QGIS >= 3.36
    FILE_BEHAVIOR = Qgis.ProcessingFileParameterBehavior.File
else:
    FILE_BEHAVIOR = QgsProcessingParameterFile.Behavior.File

if hasattr(Qgis, "ProcessingParameterFlag"):  # QGIS >= 3.36; QGIS 4 has no QgsProcessingParameterDefinition.Flag
    _ADVANCED = Qgis.ProcessingParameterFlag.Advanced
else:
    _ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced

if hasattr(Qgis, "GeometryType"):  # QGIS >= 3.30
    POINT_GEOMETRY = Qgis.GeometryType.Point
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
    POLYGON_WKB = Qgis.WkbType.Polygon
else:
    POINT_GEOMETRY = QgsWkbTypes.GeometryType.PointGeometry
    POLYGON_GEOMETRY = QgsWkbTypes.GeometryType.PolygonGeometry
    POLYGON_WKB = QgsWkbTypes.Type.Polygon

if hasattr(Qgis, "DistanceUnit"):  # QGIS >= 3.30
    METERS = Qgis.DistanceUnit.Meters
else:
    METERS = QgsUnitTypes.DistanceUnit.DistanceMeters

if hasattr(Qgis, "LayerFilter"):  # QGIS >= 3.34
    RASTER_LAYERS = Qgis.LayerFilter.RasterLayer
    POLYGON_LAYERS = Qgis.LayerFilter.PolygonLayer
    POINT_LAYERS = Qgis.LayerFilter.PointLayer
else:
    RASTER_LAYERS = QgsMapLayerProxyModel.Filter.RasterLayer
    POLYGON_LAYERS = QgsMapLayerProxyModel.Filter.PolygonLayer
    POINT_LAYERS = QgsMapLayerProxyModel.Filter.PointLayer

if hasattr(Qgis, "ShaderInterpolationMethod"):  # QGIS >= 3.30
    RAMP_LINEAR = Qgis.ShaderInterpolationMethod.Linear
else:
    RAMP_LINEAR = QgsColorRampShader.Type.Interpolated

if hasattr(Qgis, "RasterBandStatistic"):  # QGIS >= 3.36
    MIN_MAX = Qgis.RasterBandStatistic.Min | Qgis.RasterBandStatistic.Max
else:
    MIN_MAX = QgsRasterBandStats.Stats.Min | QgsRasterBandStats.Stats.Max

if hasattr(Qgis, "RasterFileWriterResult"):  # QGIS >= 3.38
    RASTER_WRITTEN = Qgis.RasterFileWriterResult.Success
else:
    RASTER_WRITTEN = QgsRasterFileWriter.WriterError.NoError


def advanced(param):
    """Show a Processing parameter under "Advanced parameters"; returns it."""
    param.setFlags(param.flags() | _ADVANCED)
    return param


def make_field(name, meta_type):
    """A QgsField of `meta_type` (QMetaType.Type.QString, .Int, .Double, ...).

    QGIS >= 3.38 takes the QMetaType.Type (its QVariant.Type constructor is deprecated and prints a warning per
    field); older QGIS takes only QVariant.Type, whose values are the same numbers.
    """
    if Qgis.QGIS_VERSION_INT >= 33800:
        return QgsField(name, meta_type)
    from qgis.PyQt.QtCore import QVariant  # QGIS < 3.38 only (Qt5)

    return QgsField(name, QVariant.Type(int(meta_type)))
