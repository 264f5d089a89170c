"""Job "similarity": cosine similarity of every cell to a reference embedding.

Spec: {"type": "similarity", "input": path, "output": path,
       "reference": {"geometries": [WKT, ...]} | {"vectors": [[D floats], ...]},
       "threshold": null | float, "mask_output": path | null, "polygons_output": path | null,
       "all_touched": false, "block_size": null}
The reference is the mean embedding of the valid cells under the geometries (WKT in the raster's
CRS; points take the cell they fall in, polygons the cells whose centres they contain, or the cells
they touch when they contain no cell centre; with all_touched every cell a geometry touches) or
the mean of the given vectors (one value per band).
Output: float32 GeoTIFF in [-1, 1], nodata NaN (input nodata and all-zero cells).
With a threshold: mask_output is a uint8 GeoTIFF, 1 where similarity >= threshold, 0 below, 255
nodata; polygons_output (.gpkg or .geojson) holds the polygons of the mask's 1 cells (4-connected),
with fields id, area (map units squared) and cells.
Result: {"output", "mask_output", "polygons_output", "threshold", "reference_cells",
         "reference_features", "valid_cells", "min", "max", "mean", "mask_cells", "polygons",
         "reference_kind": "geometries" | "vectors", "histogram": {"edges", "counts"} (the occupied
         range in at most 40 bins)}
"""

import numpy as np

from .. import limits
from ..engine import keys
from ..engine.errors import UserError
from ..engine.jobs import job
from . import blocks
from . import vectors as vec
from .histogram import Histogram
from .run import embedding_job

MASK_NODATA = 255


def _reference(spec, src, side, ctx):
    """(unit reference vector, cells used, features used)."""
    ref = spec.get("reference")
    if not isinstance(ref, dict) or (("geometries" in ref) == ("vectors" in ref)):
        raise UserError(
            "'reference' must be {\"geometries\": [WKT, ...]} or {\"vectors\": [[one value per band], ...]}."
        )
    if "vectors" in ref:
        try:
            v = np.asarray(ref["vectors"], dtype=np.float64)
        except (TypeError, ValueError):
            raise UserError("Reference vectors must be lists of numbers, one per band.") from None
        if v.ndim == 1:
            v = v[None, :]
        if v.ndim != 2 or v.shape[0] == 0:
            raise UserError("Give at least one reference vector (a list of %d numbers)." % src.count)
        if v.shape[1] != src.count:
            raise UserError(
                "The reference vectors have %d values but the raster has %d bands; use "
                "vectors from the same model as the raster." % (v.shape[1], src.count)
            )
        if not np.isfinite(v).all():
            raise UserError("The reference vectors contain NaN or infinite values.")
        mean, cells, features = v.mean(axis=0), 0, len(v)
    else:
        texts = ref["geometries"]
        if isinstance(texts, str):
            texts = [texts]
        if not texts:
            raise UserError("Give at least one reference geometry (WKT in the raster's CRS).")
        geoms = [blocks.parse_wkt(t, "reference geometry") for t in texts]
        total = np.zeros(src.count, dtype=np.float64)
        per_feature = np.zeros(len(geoms), dtype=np.int64)
        for values, fid, _ in blocks.iter_cells_under(
            src, geoms, side, ctx, "read reference", all_touched=keys.flag(spec, "all_touched")
        ):
            total += values.astype(np.float64).sum(axis=0)
            per_feature += np.bincount(fid, minlength=len(geoms))
        cells = int(per_feature.sum())
        if cells == 0:
            raise UserError(
                "None of the %d reference features covers a valid cell of the raster. "
                "Check that they lie inside the raster, on cells with data, and are in "
                "the raster's CRS." % len(geoms)
            )
        missing = int((per_feature == 0).sum())
        if missing:
            ctx.warn("%d of %d reference features cover no valid cell and were ignored." % (missing, len(geoms)))
        mean, features = total / cells, len(geoms) - missing
    norm = np.linalg.norm(mean)
    if not np.isfinite(norm) or norm == 0:
        raise UserError(
            "The reference embedding is all zeros; cosine similarity is undefined. "
            "Choose other reference features or vectors."
        )
    return mean / norm, cells, features


@job("similarity")
def run_similarity(spec, ctx):
    import rasterio
    from rasterio.windows import transform as window_transform

    threshold = keys.number(spec, "threshold", valid=limits.SIMILARITY, allow_none=True)
    mask_output = spec.get("mask_output") or None
    polygons_output = spec.get("polygons_output") or None
    if threshold is None and (mask_output or polygons_output):
        raise UserError("A mask or polygons output needs a 'threshold' (a similarity in [-1, 1]).")
    driver = vec.driver_for(polygons_output) if polygons_output else None

    with embedding_job(spec, ctx, "Similarity search") as run:
        src, outs, side, source, output = run.src, run.outs, run.side, run.input, run.output
        tmp = outs.add(output, "similarity raster", blocks.GEOTIFF, blocks.raster_bytes(src.width, src.height, 1))
        tmp_mask = (
            outs.add(mask_output, "mask", blocks.GEOTIFF, blocks.raster_bytes(src.width, src.height, 1, "uint8"))
            if mask_output
            else None
        )
        tmp_poly = outs.add(polygons_output, "similar areas", blocks.POLYGONS) if polygons_output else None
        ref, ref_cells, ref_features = _reference(spec, src, side, ctx.substage(0.0, 0.2))
        stats = {"n": 0, "sum": 0.0, "min": np.inf, "max": -np.inf, "mask": 0}
        hist = Histogram(-1.0, 1.0)
        pieces = []

        def similarity(values, valid, window):
            x = values.astype(np.float64)
            norms = np.linalg.norm(x, axis=1)
            ok = valid & (norms > 0)
            sim = np.full(len(values), np.nan, dtype=np.float64)
            sim[ok] = np.clip((x[ok] @ ref) / norms[ok], -1.0, 1.0)
            if ok.any():
                s = sim[ok]
                stats["n"] += int(ok.sum())
                stats["sum"] += float(s.sum())
                stats["min"] = min(stats["min"], float(s.min()))
                stats["max"] = max(stats["max"], float(s.max()))
                hist.add(s)
            outputs = [sim.astype(np.float32)[:, None]]
            if threshold is not None:
                hit = ok & (sim >= threshold)
                stats["mask"] += int(hit.sum())
                mask = np.where(ok, hit.astype(np.uint8), np.uint8(MASK_NODATA))
                outputs.append(mask[:, None])
                if tmp_poly:
                    pieces.extend(
                        vec.polygonize_block(
                            hit.reshape(int(window.height), int(window.width)), window_transform(window, src.transform)
                        )
                    )
            return outputs

        profile = blocks.raster_profile(src, 1, "float32", blocks.FLOAT_NODATA)
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.set_band_description(1, "cosine similarity")
            dst.update_tags(reference_cells=str(ref_cells), reference_features=str(ref_features), source=str(source))
            mask_dst = None
            try:
                if tmp_mask:
                    mask_dst = rasterio.open(tmp_mask, "w", **blocks.raster_profile(src, 1, "uint8", MASK_NODATA))
                    mask_dst.set_band_description(1, "similarity >= %g" % threshold)
                    mask_dst.update_tags(threshold=repr(threshold))
                blocks.map_blocks(src, side, ctx.substage(0.2, 0.9), [dst, mask_dst], similarity, "similarity")
            finally:
                if mask_dst is not None:
                    mask_dst.close()
        if stats["n"] == 0:
            raise blocks.no_valid_cells_error(source)
        polygons = None
        if tmp_poly:
            ctx.check_cancel()
            ctx.progress(0.9, "polygons")
            merged = vec.merge_pieces(pieces)
            cell_area = abs(src.transform.a * src.transform.e - src.transform.b * src.transform.d)
            vec.write_polygons(
                tmp_poly,
                merged,
                {
                    "id": np.arange(1, len(merged) + 1, dtype=np.int64),
                    "area": np.array([p.area for p in merged], dtype=np.float64),
                    "cells": np.array([int(round(p.area / cell_area)) for p in merged], dtype=np.int64),
                },
                src.crs,
                driver,
                layer=vec.layer_name(polygons_output),
            )
            polygons = len(merged)
        run.commit()
    ctx.progress(1.0, "done")
    ctx.log(
        "Similarity: mean %.4f, min %.4f, max %.4f over %d cells%s"
        % (
            stats["sum"] / stats["n"],
            stats["min"],
            stats["max"],
            stats["n"],
            "" if threshold is None else "; %d cells >= %g" % (stats["mask"], threshold),
        )
    )
    return {
        "output": output,
        "mask_output": mask_output,
        "polygons_output": polygons_output,
        "threshold": threshold,
        "reference_cells": ref_cells,
        "reference_features": ref_features,
        "valid_cells": stats["n"],
        "min": stats["min"],
        "max": stats["max"],
        "mean": stats["sum"] / stats["n"],
        "mask_cells": stats["mask"] if threshold is not None else None,
        "polygons": polygons,
        "reference_kind": "vectors" if "vectors" in spec["reference"] else "geometries",
        "histogram": hist.summary(),
    }
