"""Shared by the analysis algorithms (PCA, similarity, clustering, classification, change): a raster
input that the worker can read, geometries handed over as WKT in the raster's CRS, and checked
destinations. The numerics run in the runtime (scikit-learn), never in QGIS's Python."""

from qgis.core import (
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsProcessingParameterField,
    QgsProcessingParameterRasterDestination,
)

from ..shared import limits
from ..shared.catalogue import ALPHAEARTH
from ..shared.jobs.analysis import DEFAULT_SEED
from ..shell.i18n import tr
from . import compat, inputs, outputs
from .base import TerraEmbedAlgorithm, number_parameter

# What every analysis algorithm's help says of the embedding rasters it takes.
EMBEDDING_RASTERS_HELP = tr(
    "Embedding rasters: a grid of 'Compute embeddings', AlphaEarth embeddings from 'Fetch AlphaEarth "
    "embeddings', or Google's int8 AlphaEarth files (a COG of gs://alphaearth_foundations or a VRT of them: "
    "64 signed 8-bit bands A00..A63, nodata -128), de-quantised on reading as sign(v) x (v / 127.5)^2 with -128 "
    "as nodata (AlphaEarth: %s, \"%s\"). Another int8 raster is read as it is; the log says which."
) % (ALPHAEARTH.licence, ALPHAEARTH.attribution)


# What the help of every analysis algorithm with a raster output says of its rasters.
RASTER_OUTPUTS_HELP = tr(
    "Raster outputs are Cloud Optimized GeoTIFFs (tiled, DEFLATE, with overviews), so QGIS and web viewers draw "
    "them zoomed out without reading every cell. The overviews average values (similarity, distances, "
    "probabilities, uncertainty, components); class rasters and masks keep the most frequent class, so they show "
    "only their classes; 'Change over time' keeps one cell's values, so its break stays a period number."
)


class AnalysisAlgorithm(TerraEmbedAlgorithm):
    GROUP = tr("Analysis")
    GROUP_ID = "analysis"
    SEED = "SEED"
    LABELS, FIELD = "LABELS", "FIELD"  # the labelled features and their class field (classify, compare)
    SIGN_FIELD = "SIGN_FIELD"

    def shortHelpString(self):  # noqa: N802
        """The algorithm's help, then which embedding rasters it takes (the same for every analysis) and, with a
        raster output, what its rasters are."""
        text = "%s\n\n%s" % (super().shortHelpString(), EMBEDDING_RASTERS_HELP)
        if any(isinstance(p, QgsProcessingParameterRasterDestination) for p in self.parameterDefinitions()):
            text += "\n\n" + RASTER_OUTPUTS_HELP
        return text

    def add_seed(self):
        label = tr("Random seed (results are reproducible for one seed)")
        param = number_parameter(self.SEED, label, limits.SEED, DEFAULT_SEED)
        compat.advanced(param)
        self.addParameter(param)

    def add_sign_field(self, parent):
        """The optional numeric field of the `parent` layer that marks negative examples (added after the
        other parameters, so saved models keep working)."""
        self.addParameter(
            QgsProcessingParameterField(
                self.SIGN_FIELD,
                tr("Field marking negative examples (optional): features whose value is below 0 are negative examples"),
                parentLayerParameterName=parent,
                type=compat.NUMERIC_FIELD,
                optional=True,
            )
        )

    def labelled_features(self, parameters, context):
        """(the LABELS source, the name of its FIELD of class names), both checked."""
        source = self.parameterAsSource(parameters, self.LABELS, context)
        if source is None:
            raise QgsProcessingException(tr("Choose the labelled features."))
        field = self.parameterAsString(parameters, self.FIELD, context)
        if source.fields().indexOf(field) < 0:
            raise QgsProcessingException(tr("The field %r is not in the labelled layer.") % field)
        return source, field

    def sign_field(self, parameters, source, context):
        """The name of the sign field of `source`, or None when none was chosen."""
        name = self.parameterAsString(parameters, self.SIGN_FIELD, context)
        if not name:
            return None
        if source.fields().indexOf(name) < 0:
            raise QgsProcessingException(
                tr("The field %r (SIGN_FIELD) is not in the layer; choose one of its numeric fields or none.") % name
            )
        return name

    @staticmethod
    def is_negative(feature, sign_field):
        """Whether a feature is a negative example: its sign field below 0 (NULL or no field: not)."""
        if sign_field is None:
            return False
        value = feature[sign_field]
        return value is not None and str(value) not in ("", "NULL") and float(value) < 0

    def raster_file(self, parameters, name, context, what=tr("embedding raster")):
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            raise QgsProcessingException(tr("Choose the %s.") % what)
        path = inputs.local_raster_path(layer)
        if not path:
            raise QgsProcessingException(
                tr(
                    "The %s '%s' is not a local file that the runtime can read. Save it as a "
                    "GeoTIFF first (Export > Save As) and use that layer."
                )
                % (what, layer.name())
            )
        return layer, path

    def destination(self, parameters, name, context, what, tx):
        """A raster destination, checked now and written through tx (None when not asked for)."""
        return outputs.raster_destination(self, parameters, name, context, tx, what)

    @staticmethod
    def geometries_wkt(source, crs, context, feedback=None):
        """[(feature, WKT in crs)] for the features of a source with a geometry."""
        transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        out = []
        for feature in source.getFeatures():
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException(tr("Cancelled: nothing was written."))
            geom = feature.geometry()
            if geom is None or geom.isEmpty():
                continue
            geom.transform(transform)
            out.append((feature, geom.asWkt()))
        return out
