import os

from qgis.core import QgsProcessingParameterFeatureSink, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..shared import catalogue
from ..shell.i18n import tr


def _algorithm_classes():
    """Every algorithm class, one per file. Imported here, not at plugin import."""
    from .apply_classifier import ApplyClassifierAlgorithm
    from .build_series import BuildSeriesAlgorithm
    from .change import ChangeAlgorithm
    from .change_series import ChangeSeriesAlgorithm
    from .check_environment import CheckEnvironmentAlgorithm
    from .classify import ClassifyAlgorithm
    from .cluster import ClusterAlgorithm
    from .compare import CompareAlgorithm
    from .embed import EmbedAlgorithm
    from .embed_features import EmbedFeaturesAlgorithm
    from .fetch_alphaearth import FetchAlphaEarthAlgorithm
    from .fetch_imagery import FetchImageryAlgorithm
    from .install_runtime import InstallRuntimeAlgorithm
    from .pca import PcaAlgorithm
    from .similarity import SimilarityAlgorithm

    return [
        InstallRuntimeAlgorithm,
        CheckEnvironmentAlgorithm,
        EmbedAlgorithm,
        EmbedFeaturesAlgorithm,
        FetchImageryAlgorithm,
        FetchAlphaEarthAlgorithm,
        BuildSeriesAlgorithm,
        PcaAlgorithm,
        SimilarityAlgorithm,
        ClusterAlgorithm,
        ClassifyAlgorithm,
        ApplyClassifierAlgorithm,
        ChangeAlgorithm,
        ChangeSeriesAlgorithm,
        CompareAlgorithm,
    ]


class TerraEmbedProvider(QgsProcessingProvider):
    def id(self):
        return "terraembed"

    def name(self):
        return "TerraEmbed"

    def longName(self):  # noqa: N802
        return tr("TerraEmbed: geospatial foundation-model embeddings")

    def icon(self):
        return QIcon(catalogue.ICON)

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        """Every raster output is written as GeoTIFF: the file dialogs offer only that (checks.py refuses others)."""
        return ["tif", "tiff"]

    def isSupportedOutputValue(self, value, parameter, context):  # noqa: N802
        """A feature sink named *.parquet is written by the runtime as GeoParquet (catalogue.VECTOR_FORMATS),
        whatever QGIS's GDAL writes: the algorithm dialog accepts the name (QGIS checks the extension against
        its GDAL's drivers; processing.run and qgis_process do not check)."""
        from .checks import destination_path

        path = destination_path(value)
        is_sink = parameter.type() == QgsProcessingParameterFeatureSink.typeName()
        if is_sink and os.path.splitext(path)[1].lower() == catalogue.GEOPARQUET_EXTENSION:
            return True, ""
        return super().isSupportedOutputValue(value, parameter, context)

    def loadAlgorithms(self):  # noqa: N802
        for cls in _algorithm_classes():
            self.addAlgorithm(cls())
