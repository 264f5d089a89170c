"""A finished panel run's outputs as layers in a group named after the run (styled by
algorithms/styling.py, as Processing styles them). A run's files are never removed here: a failed run
leaves none (its output transaction), and a finished run's files stay even if its layers cannot be
added."""

from qgis.core import QgsRasterLayer, QgsVectorLayer

from ..algorithms.styling import apply_outline, apply_pca_rgb
from ..shell.i18n import tr

# key: (the result's output, the layer name's suffix, provider, style) in the group's order, top first
LAYERS = (
    ("pooled", "OUTPUT_POOLED", tr("pooled embedding"), "ogr", apply_outline),
    ("pca", "OUTPUT_PCA", "PCA", "gdal", apply_pca_rgb),
    ("grid", "OUTPUT_GRID", tr("embedding grid"), "gdal", None),
    ("series", "OUTPUT_SERIES", tr("series"), "gdal", None),  # a run with periods (algorithms/series.py)
)
HIDDEN = ("grid", "series")  # 768+ bands: in the group, unchecked and collapsed


def add_results(project, name, results):
    """Add the run's valid output layers to a new group `name` at the top of the layer tree; returns
    (group, {key: layer})."""
    group = project.layerTreeRoot().insertGroup(0, name)
    layers = {}
    for key, output, suffix, provider, style in LAYERS:
        path = results.get(output)
        if not path:
            continue
        kind = QgsVectorLayer if provider == "ogr" else QgsRasterLayer
        layer = kind(path, "%s %s" % (name, suffix), provider)  # no-i18n: a layer name
        if not layer.isValid():
            continue
        if style is not None:
            style(layer)
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        if key in HIDDEN:
            node.setItemVisibilityChecked(False)
            node.setExpanded(False)
        layers[key] = layer
    return group, layers


def written_outputs(results):
    """{the output's name in the layer names (e.g. 'PCA'): its path} for the run's written outputs."""
    return {suffix: results[output] for _, output, suffix, _, _ in LAYERS if results.get(output)}


def missing_layers(results, layers):
    """written_outputs that are not among the added `layers` ({key: layer})."""
    return {
        suffix: results[output] for key, output, suffix, _, _ in LAYERS if results.get(output) and key not in layers
    }
