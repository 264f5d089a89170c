from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..shared import catalogue
from ..shell.i18n import tr


def _algorithm_classes():
    """Every algorithm class, one per file. Imported here, not at plugin import."""
    from .change import ChangeAlgorithm
    from .check_environment import CheckEnvironmentAlgorithm
    from .classify import ClassifyAlgorithm
    from .cluster import ClusterAlgorithm
    from .embed import EmbedAlgorithm
    from .embed_features import EmbedFeaturesAlgorithm
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
        PcaAlgorithm,
        SimilarityAlgorithm,
        ClusterAlgorithm,
        ClassifyAlgorithm,
        ChangeAlgorithm,
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

    def loadAlgorithms(self):  # noqa: N802
        for cls in _algorithm_classes():
            self.addAlgorithm(cls())
