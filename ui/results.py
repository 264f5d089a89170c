"""A finished panel run's outputs as layers in a group named after the run (styled by
algorithms/styling.py, as Processing styles them), and the clean-up of a run that did not finish."""

import os

from qgis.core import QgsRasterLayer, QgsVectorLayer

from ..algorithms.styling import apply_outline, apply_pca_rgb

# key: (the result's output, the layer name's suffix, provider, style) in the group's order, top first
LAYERS = (
    ("pooled", "OUTPUT_POOLED", "pooled embedding", "ogr", apply_outline),
    ("pca", "OUTPUT_PCA", "PCA", "gdal", apply_pca_rgb),
    ("grid", "OUTPUT_GRID", "embedding grid", "gdal", None),
)
HIDDEN = ("grid",)  # 768+ bands: in the group, unchecked and collapsed


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
        layer = kind(path, "%s %s" % (name, suffix), provider)
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


def remove_outputs(paths):
    """A failed or cancelled run leaves none of its own output files (their names were free at the start)."""
    for path in paths:
        for candidate in (path, path + ".aux.xml"):
            if os.path.isfile(candidate):
                try:
                    os.remove(candidate)
                except OSError:
                    pass
