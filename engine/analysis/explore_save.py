"""The explore session's threshold outline and its "save" query: the mask and polygons of the last heat
map at a threshold, and the asked-for results of the last answers written through one output transaction
(the rasters as Cloud Optimized GeoTIFFs, as the analysis jobs write theirs: cog_rasters.py)."""

import time

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr
from . import blocks
from . import vectors as vec
from .cog_rasters import CLASSES, VALUES, CogRasters


def mask(session, threshold):
    """uint8 mask of the last heat map: 1 at or above threshold, 0 below, 255 nodata."""
    if session.heat is None:
        raise UserError(tr("Click an example first: there is no similarity map yet."))
    hit = session.valid & (session.heat >= threshold)
    return np.where(session.valid, hit.astype(np.uint8), np.uint8(255))


def polygons(session, threshold):
    hit = mask(session, threshold) == 1
    return vec.merge_pieces(vec.polygonize_block(hit.reshape(session.height, session.width), session.src.transform))


def outline(session, threshold, out_path):
    t0 = time.perf_counter()
    polys = polygons(session, threshold)
    _write_polygons(session, out_path, polys, "GeoJSON")
    return {"path": out_path, "polygons": len(polys), "engine_ms": round(1000 * (time.perf_counter() - t0), 2)}


def _write_polygons(session, path, polys, driver):
    fields = {
        "id": np.arange(1, len(polys) + 1, dtype=np.int64),
        "area": np.array([p.area for p in polys], dtype=np.float64),
        "cells": np.array([int(round(p.area / session.cell_area)) for p in polys], dtype=np.int64),
    }
    vec.write_polygons(path, polys, fields, session.src.crs, driver, layer=vec.layer_name(path))


def save(session, args, ctx):
    """Write the asked-for results of the last answers through one output transaction:
    {"heatmap", "mask", "polygons", "classes" (a path or null each), "threshold"}."""
    threshold = args.get("threshold")
    wanted = {k: args.get(k) or None for k in ("heatmap", "mask", "polygons", "classes")}
    if not any(wanted.values()):
        raise UserError(tr("Choose at least one result to save."))
    if (wanted["mask"] or wanted["polygons"]) and threshold is None:
        raise UserError(tr("A mask or polygons need a threshold: move the slider first."))
    if (wanted["heatmap"] or wanted["mask"] or wanted["polygons"]) and session.heat is None:
        raise UserError(tr("Click an example first: there is no similarity map to save."))
    if wanted["classes"] and session.classes is None:
        raise UserError(tr("Map classes first (few-shot mode, examples of 2 classes): there is no class map."))
    with blocks.outputs(args, [session.path]) as outs:
        rasters = CogRasters(outs, session.src, ctx)
        try:
            _write(session, wanted, threshold, outs, rasters)
            ctx.check_cancel()
            rasters.write()
            outs.commit()
        finally:
            rasters.remove()
    return {k: v for k, v in wanted.items() if v}


def _write(session, wanted, threshold, outs, rasters):
    """The asked-for results, the rasters streamed to be copied as COGs (cog_rasters.py)."""
    if wanted["heatmap"]:
        tmp = rasters.add(wanted["heatmap"], "similarity raster", 1, "float32", VALUES)
        session.write_raster(tmp, [session.heat], "float32", np.nan, ["similarity"], saved=True)
    if wanted["mask"]:
        tmp = rasters.add(wanted["mask"], "mask", 1, "uint8", CLASSES)
        session.write_raster(
            tmp, [mask(session, float(threshold))], "uint8", 255, ["similarity >= %g" % threshold], True
        )
    if wanted["polygons"]:
        tmp = outs.add(wanted["polygons"], "similar areas", blocks.POLYGONS)
        _write_polygons(session, tmp, polygons(session, float(threshold)), vec.driver_for(wanted["polygons"]))
    if wanted["classes"]:
        tmp = rasters.add(wanted["classes"], "class raster", 1, blocks.class_dtype(len(session.classes[1])), CLASSES)
        _save_classes(session, tmp)


def _save_classes(session, path):
    import rasterio

    cls, names = session.classes
    dtype = blocks.class_dtype(len(names))
    codes = np.where(np.isnan(cls), blocks.CLASS_NODATA, cls).astype(dtype).reshape(session.height, session.width)
    with rasterio.open(path, "w", **blocks.raster_profile(session.src, 1, dtype, blocks.CLASS_NODATA)) as dst:
        blocks.write_class_metadata(dst, names)
        dst.write(codes, 1)
