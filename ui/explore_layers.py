"""The layers of an explore session in QGIS: the labels (a point layer with class, sign and time),
the live heat map and class map (rasters the worker writes, restyled here), the similar-area
outline, and the area at or above a threshold read from the answer's histogram."""

import datetime

from qgis.core import (
    QgsColorRampShader,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPalettedRasterRenderer,
    QgsPointXY,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType
from qgis.PyQt.QtGui import QColor

from ..algorithms import compat, styling
from ..shell.i18n import tr

LABEL_FIELDS = (
    ("class", QMetaType.Type.QString),
    ("sign", QMetaType.Type.Int),
    ("time", QMetaType.Type.QString),
    ("grid", QMetaType.Type.QString),  # the embeddings the label was made on (the session's "grid")
)
SUGGESTION_FIELDS = (  # engine/analysis/uncertainty.FIELDS, as QGIS fields
    ("rank", QMetaType.Type.Int),
    ("class", QMetaType.Type.QString),
    ("uncertainty", QMetaType.Type.Double),
    ("margin", QMetaType.Type.Double),
    ("first_class", QMetaType.Type.QString),
    ("first_prob", QMetaType.Type.Double),
    ("second_class", QMetaType.Type.QString),
    ("second_prob", QMetaType.Type.Double),
)
HIST_LO, HIST_STEP = -2.0, 0.001  # the worker's histogram: bins of 0.001 from -2 (engine/analysis/explore.py)
CLASS_COLOURS = ("#1f77b4", "#2ca02c", "#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def new_label_layer(crs, name=tr("Explore labels")):
    layer = QgsVectorLayer("Point?crs=%s" % crs.authid() if crs.authid() else "Point", name, "memory")
    if not crs.authid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([compat.make_field(n, t) for n, t in LABEL_FIELDS])
    layer.updateFields()
    return layer


def label_layer_problem(layer):
    """Why a layer cannot hold explore labels, or ""."""
    if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != compat.POINT_GEOMETRY:
        return tr("Labels must be a point layer.")
    names = layer.fields().names()
    missing = [n for n, _ in LABEL_FIELDS[:2] if n not in names]
    if missing:
        return tr("The layer '%s' has no field %s; explore labels have the fields class, sign and time.") % (
            layer.name(),
            " or ".join(missing),
        )
    return ""


def grid_problem(layer, grid):
    """Why labels of a layer do not belong to the embeddings `grid`, or ""."""
    if "grid" not in layer.fields().names():
        return ""
    others = sorted({str(f["grid"]) for f in layer.getFeatures() if f["grid"] not in (None, "", grid)})
    if not others:
        return ""
    return tr(
        "The labels of '%s' were made on other embeddings (%s), not on this raster's (%s): a model's "
        "examples mean nothing to another model. Start with a new label layer, or explore the raster "
        "they were made on."
    ) % (layer.name(), ", ".join(others), grid)


def add_label(layer, point, point_crs, sign, name, transform_context, grid=""):
    """Add one label at point (in point_crs) to the layer; returns its feature id."""
    geom = QgsGeometry.fromPointXY(QgsPointXY(point))
    geom.transform(QgsCoordinateTransform(point_crs, layer.crs(), transform_context))
    feature = QgsFeature(layer.fields())
    feature.setGeometry(geom)
    feature["class"] = name
    feature["sign"] = int(sign)
    if "time" in layer.fields().names():
        feature["time"] = datetime.datetime.now().isoformat(timespec="seconds")
    if "grid" in layer.fields().names():
        feature["grid"] = grid
    if layer.isEditable():
        layer.addFeature(feature)
        return feature.id()
    ok, added = layer.dataProvider().addFeatures([feature])
    layer.triggerRepaint()
    return added[0].id() if ok and added else None


def read_labels(layer, raster_crs, transform_context):
    """[(feature id, {"x", "y" in the raster's CRS, "sign", "class"})] in the order they were added."""
    transform = QgsCoordinateTransform(layer.crs(), raster_crs, transform_context)
    out = []
    for feature in layer.getFeatures():
        geom = feature.geometry()
        if geom is None or geom.isEmpty():
            continue
        geom.transform(transform)
        point = geom.centroid().asPoint()
        sign = feature["sign"]
        try:
            sign = -1 if int(sign) < 0 else 1
        except (TypeError, ValueError):
            sign = 1
        name = feature["class"]
        out.append(
            (feature.id(), {"x": point.x(), "y": point.y(), "sign": sign, "class": "" if name is None else str(name)})
        )
    return sorted(out, key=lambda item: item[0])


def style_heat(layer, threshold, top):
    """Cells at or above threshold in yellow to red (up to top), the rest not drawn."""
    top = max(float(top), float(threshold) + 1e-6)
    ramp = QgsColorRampShader(float(threshold), top)
    ramp.setColorRampType(compat.RAMP_LINEAR)
    ramp.setColorRampItemList(
        [
            QgsColorRampShader.ColorRampItem(float(threshold), QColor(255, 235, 60, 170), "%.3f" % threshold),
            QgsColorRampShader.ColorRampItem(top, QColor(200, 0, 30, 230), "%.3f" % top),
        ]
    )
    ramp.setClip(True)
    shader = QgsRasterShader(float(threshold), top)
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(float(threshold))
    renderer.setClassificationMax(top)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_classes(layer, names):
    classes = [
        QgsPalettedRasterRenderer.Class(i + 1, QColor(CLASS_COLOURS[i % len(CLASS_COLOURS)]), name)
        for i, name in enumerate(names)
    ]
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes))
    layer.setOpacity(0.7)
    layer.triggerRepaint()


def style_outline(layer):
    styling.apply_outline(layer)
    layer.triggerRepaint()


def top_share_threshold(counts, share):
    """The slider step at or above which about `share` of the counted cells lie (the highest step
    with at least that share)."""
    total, above = sum(counts), 0
    for k in range(len(counts) - 1, -1, -1):
        above += counts[k]
        if above >= share * total:
            return round(HIST_LO + k * HIST_STEP, 3)
    return HIST_LO


def area_at_or_above(counts, threshold):
    """Cells at or above threshold, from the histogram's counts (exact at the slider's steps)."""
    k = int(round((float(threshold) - HIST_LO) / HIST_STEP))
    return sum(counts[max(0, k) :])


SUGGESTIONS_NAME = tr("Explore: where to label next")


def show_suggestions(project, old, crs, result):
    """The answer of a "suggest" query as a new point layer in the project, in place of `old`."""
    if old is not None and project.mapLayer(old.id()) is not None:
        project.removeMapLayer(old.id())
    layer = suggestion_layer(crs, result["suggestions"], SUGGESTIONS_NAME)
    project.addMapLayer(layer)
    return layer


def suggestions_text(result):
    return tr(
        "%d places to label next (the most uncertain, at least %g map units apart and from every label): "
        "click them with their class."
    ) % (len(result["suggestions"]), result["spacing"])


def suggestion_layer(crs, items, name):
    """A point layer of an explore session's suggestions (x, y in crs and SUGGESTION_FIELDS; "class" empty)."""
    layer = QgsVectorLayer("Point?crs=%s" % crs.authid() if crs.authid() else "Point", name, "memory")
    if not crs.authid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([compat.make_field(n, t) for n, t in SUGGESTION_FIELDS])
    layer.updateFields()
    features = []
    for item in items:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(item["x"], item["y"])))
        for key, _ in SUGGESTION_FIELDS:
            if item.get(key) is not None:
                feature[key] = item[key]
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    styling.apply_suggestions(layer)
    return layer
