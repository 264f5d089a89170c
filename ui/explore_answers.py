"""The Explore session's answers as the user sees them (ui/explore.py's controller keeps the state): the live
layer of an answer, the saved results as layers, the status line's summary and area, the files Save results
writes and the batch run that gives the live result."""

import os

from qgis.core import QgsRasterLayer, QgsUnitTypes, QgsVectorLayer

from ..algorithms import compat
from ..shell.i18n import tr
from . import explore_layers as xl

SIMILAR, CLASSES = "similarity", "fewshot"
LIVE_NAMES = {
    "heat": tr("Explore: similar places"),
    "classes": tr("Explore: classes"),
    "outline": tr("Explore: similar areas"),
}
LIVE_KEYS = {SIMILAR: "heat", CLASSES: "classes", "outline": "outline"}  # an answer's op -> its live layer
SAVED = ("heatmap", "mask", "polygons", "classes")  # what Save results writes, in this order


def show_live(project, live, op, result):
    """The live layer of an answer of `op` (one of LIVE_KEYS) on its new file: made and added to the
    project the first time (kept in `live`), else pointed at the new file. Unstyled."""
    key = LIVE_KEYS[op]
    provider = "ogr" if key == "outline" else "gdal"
    layer = live.get(key)
    if layer is None:
        layer = (QgsVectorLayer if key == "outline" else QgsRasterLayer)(result["path"], LIVE_NAMES[key], provider)
        live[key] = layer
        project.addMapLayer(layer)
    else:
        layer.setDataSource(result["path"], LIVE_NAMES[key], provider)
    return layer


def add_saved(project, result, threshold, last):
    """The saved results as layers of their own (they outlive the session), styled as the live ones
    (`last`: the last answer of each op)."""
    for key in SAVED:
        path = result.get(key)
        if not path:
            continue
        name = os.path.splitext(os.path.basename(path))[0]
        layer = QgsVectorLayer(path, name, "ogr") if key == "polygons" else QgsRasterLayer(path, name, "gdal")
        if key == "heatmap":
            xl.style_heat(layer, threshold, last[SIMILAR]["max"])
        elif key == "classes":
            xl.style_classes(layer, last[CLASSES]["classes"])
        elif key == "polygons":
            xl.style_outline(layer)
        project.addMapLayer(layer)


def saved_text(result):
    """The status line after Save results: the files' names."""
    return tr("Saved: %s") % ", ".join(os.path.basename(result[k]) for k in SAVED if k in result)


def save_paths(folder, prefix, last):
    """{what: file} Save results writes in folder for the live results (`last`: the last answer of each
    op); ValueError when there is nothing to save."""
    paths = {}
    if last.get(SIMILAR):
        paths.update(
            heatmap=os.path.join(folder, "%s_similarity.tif" % prefix),
            mask=os.path.join(folder, "%s_similar_mask.tif" % prefix),
            polygons=os.path.join(folder, "%s_similar_areas.gpkg" % prefix),
        )
    if last.get(CLASSES):
        paths["classes"] = os.path.join(folder, "%s_classes.tif" % prefix)
    if not paths:
        raise ValueError(tr("Click some examples first: there is nothing to save yet."))
    return paths


def area_text(answer, threshold, crs):
    """The area at or above the threshold of a similarity answer, in km² (cells in a geographic CRS)."""
    cells = xl.area_at_or_above(answer["histogram"]["counts"], threshold)
    share = 100.0 * cells / max(1, answer["valid_cells"])
    if crs.isGeographic():
        size = tr("%d cells") % cells
    else:
        metres = QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), compat.METERS)
        size = tr("%.3f km\u00b2") % (cells * answer["cell_area"] * metres**2 / 1e6)
    return tr(">= %.3f: %s, %.1f %% of the valid area") % (threshold, size, share)


def summary(op, result):
    """The status line of an answer: the labels it used, its accuracy (few-shot), its time, clicks ignored."""
    timing = tr("answered in %.0f ms (worker %.0f ms)") % (result["round_trip_ms"] or 0, result.get("worker_ms", 0))
    ignored = (
        tr(" %d click(s) ignored: %s.")
        % (
            len(result["ignored"]),
            "; ".join(sorted({g["reason"] for g in result["ignored"]})),
        )
        if result.get("ignored")
        else ""
    )
    if op == CLASSES:
        acc, block = result.get("cv_accuracy"), result["cv_block_cells"]  # the spatial blocks' side, in cells
        acc_text = (
            tr("cross-validated accuracy %.0f %% (%d folds, spatial blocks of %d x %d cells)")
            % (100 * acc, result["cv_folds"], block, block)
            if acc is not None
            else tr("accuracy: label 2 places per class, %d x %d cells apart") % (block, block)
        )
        return tr("%d classes, %s; %s.%s") % (len(result["classes"]), acc_text, timing, ignored)
    return tr("%d positive, %d negative; %s.%s") % (result["positives"], result["negatives"], timing, ignored)


def processing_run(mode, explored, labels, threshold):
    """(algorithm id, parameters) of the batch run that gives the live result of `mode` on the explored
    raster's file (`explored`) with the label layer."""
    if mode == CLASSES:
        return "terraembed:classify", {
            "INPUT": explored,
            "LABELS": labels,
            "FIELD": "class",
            "SIGN_FIELD": "sign",
        }
    return "terraembed:similarity", {
        "INPUT": explored,
        "REFERENCE": labels,
        "SIGN_FIELD": "sign",
        "THRESHOLD": threshold,
    }
