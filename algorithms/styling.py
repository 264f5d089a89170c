"""How result layers look, whoever loads them: Processing (on completion) and the panel (ui/results.py)."""

from qgis.core import (
    QgsContrastEnhancement,
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsMultiBandColorRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterLayer,
    QgsSingleSymbolRenderer,
)

from . import compat

_KEEP = []  # post-processors must outlive processAlgorithm (QGIS does not own Python ones)


def apply_pca_rgb(layer):
    """PCA components 1, 2, 3 as red, green, blue with a 2-98 % cumulative cut stretch."""
    if not isinstance(layer, QgsRasterLayer) or not layer.isValid():
        return
    bands = [1, 2, 3] if layer.bandCount() >= 3 else [1] * 3
    renderer = QgsMultiBandColorRenderer(layer.dataProvider(), *bands)
    enhancements = []
    for band in bands:
        ce = QgsContrastEnhancement(layer.dataProvider().dataType(band))
        ce.setContrastEnhancementAlgorithm(QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
        lo, hi = layer.dataProvider().cumulativeCut(band, 0.02, 0.98, layer.extent(), 250000)
        if not (hi > lo):
            stats = layer.dataProvider().bandStatistics(band, compat.MIN_MAX)
            lo, hi = stats.minimumValue, stats.maximumValue
        ce.setMinimumValue(lo)
        ce.setMaximumValue(hi)
        enhancements.append(ce)
    renderer.setRedContrastEnhancement(enhancements[0])
    renderer.setGreenContrastEnhancement(enhancements[1])
    renderer.setBlueContrastEnhancement(enhancements[2])
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def apply_outline(layer):
    """A pooled-embedding polygon: an orange outline, no fill (the imagery stays visible)."""
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple({"style": "no", "outline_color": "255,120,0,255", "outline_width": "0.8"})
        )
    )


class PcaStyler(QgsProcessingLayerPostProcessorInterface):
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        apply_pca_rgb(layer)


def style_pca_on_load(context, path):
    if context.willLoadLayerOnCompletion(path):
        styler = PcaStyler()
        _KEEP.append(styler)
        del _KEEP[:-16]
        context.layerToLoadOnCompletionDetails(path).setPostProcessor(styler)


def apply_suggestions(layer):
    """Where to label next: magenta stars with a white outline, seen on any map."""
    symbol = QgsMarkerSymbol.createSimple(
        {"name": "star", "color": "230,0,180,255", "outline_color": "255,255,255,255", "size": "4"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


class SuggestionStyler(QgsProcessingLayerPostProcessorInterface):
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        apply_suggestions(layer)


def style_suggestions_on_load(context, path):
    if context.willLoadLayerOnCompletion(path):
        styler = SuggestionStyler()
        _KEEP.append(styler)
        del _KEEP[:-16]
        context.layerToLoadOnCompletionDetails(path).setPostProcessor(styler)
