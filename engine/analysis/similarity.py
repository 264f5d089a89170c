"""Job "similarity": cosine similarity of every cell to a reference embedding, optionally minus the
cosine similarity to a negative embedding.

Job: {"type": "similarity", "input": path, "output": path,
       "reference": {"geometries": [WKT, ...]} | {"vectors": [[D floats], ...]},
       "negatives": null | {"geometries": [WKT, ...]} | {"vectors": [[D floats], ...]},
       "threshold": null | float, "mask_output": path | null, "polygons_output": path | null,
       "all_touched": false, "block_size": null}
The reference (the positive examples) is the mean embedding of the valid cells under the geometries
(WKT in the raster's CRS; points take the cell they fall in, polygons the cells whose centres they
contain, or the cells they touch when they contain no cell centre; with all_touched every cell a
geometry touches) or the mean of the given vectors (one value per band). The negatives (examples of
what is not sought) give a negative embedding the same way.
Output: float32 Cloud Optimized GeoTIFF (averaged overviews: cog_rasters.py), nodata NaN (input nodata
and all-zero cells). Without negatives the cosine similarity to the reference, in [-1, 1]; with negatives
cos(cell, reference) - cos(cell, negative embedding), each term clipped to [-1, 1], so in [-2, 2].
With a threshold (in [-1, 1], or [-2, 2] with negatives): mask_output is a uint8 COG (overviews: the
most frequent value), 1 where the output >= threshold, 0 below, 255 nodata; polygons_output (.gpkg or
.geojson) holds the polygons of the mask's 1 cells (4-connected), with fields id, area (map units
squared) and cells.
Result: {"output", "mask_output", "polygons_output", "threshold", "reference_cells",
         "reference_features", "negative_cells", "negative_features" (null without negatives),
         "valid_cells", "min", "max", "mean", "mask_cells", "polygons",
         "reference_kind", "negative_kind" (null without negatives): "geometries" | "vectors",
         "histogram": {"edges", "counts"} (the occupied range in at most 40 bins)}
Cells and features of vectors: cells 0, features the number of vectors.
"""

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ...shared import limits, raster_tags
from ...shared.errors import UserError
from ...shared.jobs.analysis import Examples, SimilarityJob
from ..i18n import tr, translatable
from ..jobs import job
from . import blocks, geometries
from . import vectors as vec
from .cog_rasters import CLASSES, VALUES
from .histogram import Histogram
from .run import embedding_job

MASK_NODATA = 255
DESCRIPTION = {False: "cosine similarity", True: "cosine similarity to the reference minus to the negatives"}
NOUNS = {"reference": translatable("reference"), "negatives": translatable("negative")}  # its examples in messages


def _reference(
    examples: Examples, key: str, all_touched: bool, src: Any, side: int, ctx: Any
) -> tuple[np.ndarray, int, int]:
    """(unit mean embedding, cells used, features used) of the job's `key`: "reference" (the positive
    examples) or "negatives"."""
    (kind, items), noun = examples, tr(NOUNS[key])
    if kind == "vectors":
        mean, cells, features = _mean_of_vectors(items, noun, src.count)
    else:
        mean, cells, features = _mean_under_geometries(key, items, all_touched, noun, src, side, ctx)
    norm = np.linalg.norm(mean)
    if not np.isfinite(norm) or norm == 0:
        raise UserError(
            tr("The %s embedding is all zeros; cosine similarity is undefined. Choose other %s features or vectors.")
            % (noun, noun)
        )
    return mean / norm, cells, features


def _mean_of_vectors(vectors: Any, noun: str, bands: int) -> tuple[np.ndarray, int, int]:
    """(mean, 0 cells, number of vectors) of the given example vectors, each one value per band."""
    try:
        v = np.asarray(vectors, dtype=np.float64)
    except (TypeError, ValueError):
        raise UserError(tr("The %s vectors must be lists of numbers, one per band.") % noun) from None
    if v.ndim == 1:
        v = v[None, :]
    if v.ndim != 2 or v.shape[0] == 0:
        raise UserError(tr("Give at least one %s vector (a list of %d numbers).") % (noun, bands))
    if v.shape[1] != bands:
        raise UserError(
            tr(
                "The %s vectors have %d values but the raster has %d bands; use "
                "vectors from the same model as the raster."
            )
            % (noun, v.shape[1], bands)
        )
    if not np.isfinite(v).all():
        raise UserError(tr("The %s vectors contain NaN or infinite values.") % noun)
    return v.mean(axis=0), 0, len(v)


def _mean_under_geometries(
    key: str, texts: Any, all_touched: bool, noun: str, src: Any, side: int, ctx: Any
) -> tuple[np.ndarray, int, int]:
    """(mean, cells used, features used) of the valid cells under the example geometries (WKT)."""
    if isinstance(texts, str):
        texts = [texts]
    if not texts:
        raise UserError(tr("Give at least one %s geometry (WKT in the raster's CRS).") % noun)
    geoms = [geometries.parse_wkt(t, tr("%s geometry") % noun) for t in texts]
    total = np.zeros(src.count, dtype=np.float64)
    per_feature = np.zeros(len(geoms), dtype=np.int64)
    for values, fid, _ in geometries.iter_cells_under(src, geoms, side, ctx, "read " + key, all_touched=all_touched):
        total += values.astype(np.float64).sum(axis=0)
        per_feature += np.bincount(fid, minlength=len(geoms))
    cells = int(per_feature.sum())
    if cells == 0:
        raise UserError(
            tr(
                "None of the %d %s features covers a valid cell of the raster. "
                "Check that they lie inside the raster, on cells with data, and are in "
                "the raster's CRS."
            )
            % (len(geoms), noun)
        )
    missing = int((per_feature == 0).sum())
    if missing:
        ctx.warn(tr("%d of %d %s features cover no valid cell and were ignored.") % (missing, len(geoms), noun))
    return total / cells, cells, len(geoms) - missing


def _cosine(x, norms, unit):
    """Cosine similarity of the rows of x (with their norms) to a unit vector, clipped to [-1, 1]."""
    return np.clip((x @ unit) / norms, -1.0, 1.0)


@dataclass(frozen=True)
class _Options:
    """What the job asks for, checked before any work."""

    has_negatives: bool
    threshold: Optional[float]
    mask_output: Optional[str]
    polygons_output: Optional[str]
    driver: Optional[str]


def _options(similarity: SimilarityJob) -> _Options:
    has_negatives = similarity.negatives is not None
    span = limits.SIMILARITY_DIFFERENCE if has_negatives else limits.SIMILARITY  # of the output
    threshold, mask_output, polygons_output = similarity.threshold, similarity.mask_output, similarity.polygons_output
    if threshold is None and (mask_output or polygons_output):
        raise UserError(tr("A mask or polygons output needs a 'threshold' (a similarity %s).") % span.text())
    driver = vec.driver_for(polygons_output) if polygons_output else None
    return _Options(has_negatives, threshold, mask_output, polygons_output, driver)


class _Scorer:
    """The block function of map_blocks: each cell's similarity (and mask), with the running statistics,
    the histogram and the mask's polygon pieces."""

    def __init__(self, src: Any, ref: np.ndarray, neg: Optional[np.ndarray], opts: _Options) -> None:
        span = limits.SIMILARITY_DIFFERENCE if opts.has_negatives else limits.SIMILARITY
        self.src, self.ref, self.neg, self.threshold = src, ref, neg, opts.threshold
        self.polygons = bool(opts.polygons_output)
        self.stats = {"n": 0, "sum": 0.0, "min": np.inf, "max": -np.inf, "mask": 0}
        self.hist = Histogram(
            span.minimum, span.maximum, bins=round(1000 * (span.maximum - span.minimum))
        )  # bins 0.001 wide
        self.pieces: list = []

    def __call__(self, values: np.ndarray, valid: np.ndarray, window: Any) -> list:
        x = values.astype(np.float64)
        norms = np.linalg.norm(x, axis=1)
        ok = valid & (norms > 0)
        sim = np.full(len(values), np.nan, dtype=np.float64)
        sim[ok] = _cosine(x[ok], norms[ok], self.ref)
        if self.neg is not None:
            sim[ok] -= _cosine(x[ok], norms[ok], self.neg)
        if ok.any():
            self._count(sim[ok])
        outputs = [sim.astype(np.float32)[:, None]]
        if self.threshold is not None:
            hit = ok & (sim >= self.threshold)
            self.stats["mask"] += int(hit.sum())
            mask = np.where(ok, hit.astype(np.uint8), np.uint8(MASK_NODATA))
            outputs.append(mask[:, None])
            if self.polygons:
                self._add_pieces(hit, window)
        return outputs

    def _count(self, s: np.ndarray) -> None:
        stats = self.stats
        stats["n"] += int(s.size)
        stats["sum"] += float(s.sum())
        stats["min"] = min(stats["min"], float(s.min()))
        stats["max"] = max(stats["max"], float(s.max()))
        self.hist.add(s)

    def _add_pieces(self, hit: np.ndarray, window: Any) -> None:
        from rasterio.windows import transform as window_transform

        self.pieces.extend(
            vec.polygonize_block(
                hit.reshape(int(window.height), int(window.width)), window_transform(window, self.src.transform)
            )
        )


@job("similarity")
def run_similarity(job: dict, ctx: Any) -> dict:
    similarity = SimilarityJob.read(job)
    opts = _options(similarity)
    with embedding_job(job, ctx, translatable("Similarity search")) as run:
        src, outs, output = run.src, run.outs, run.output
        tmp = run.rasters.add(output, "similarity raster", 1, "float32", VALUES)
        tmp_mask = run.rasters.add(opts.mask_output, "mask", 1, "uint8", CLASSES) if opts.mask_output else None
        tmp_poly = outs.add(opts.polygons_output, "similar areas", blocks.POLYGONS) if opts.polygons_output else None
        examples = _examples(similarity, run, ctx)
        scorer = _Scorer(src, examples["ref"], examples["neg"], opts)
        _write_rasters(run, ctx, scorer, examples, tmp, tmp_mask)
        if scorer.stats["n"] == 0:
            raise blocks.no_valid_cells_error(run.input)
        polygons = _write_polygons(src, ctx, scorer.pieces, tmp_poly, opts) if tmp_poly else None
        run.commit()
    ctx.progress(1.0, "done")
    _log_summary(ctx, scorer.stats, opts)
    return _result(similarity, output, opts, examples, scorer, polygons)


def _examples(similarity: SimilarityJob, run: Any, ctx: Any) -> dict:
    """The unit reference and negative embeddings with the cells and features each came from."""
    negatives, touched = similarity.negatives, similarity.all_touched
    split = 0.1 if negatives is not None else 0.2
    ref, ref_cells, ref_features = _reference(
        similarity.reference, "reference", touched, run.src, run.side, ctx.substage(0.0, split)
    )
    neg, neg_cells, neg_features = (
        _reference(negatives, "negatives", touched, run.src, run.side, ctx.substage(split, 0.2))
        if negatives is not None
        else (None, None, None)
    )
    return {
        "ref": ref,
        "neg": neg,
        "reference_cells": ref_cells,
        "reference_features": ref_features,
        "negative_cells": neg_cells,
        "negative_features": neg_features,
    }


def _write_rasters(run: Any, ctx: Any, scorer: _Scorer, examples: dict, tmp: str, tmp_mask: Optional[str]) -> None:
    """The similarity raster (and the mask) block by block."""
    import rasterio

    src, has_negatives, threshold = run.src, scorer.neg is not None, scorer.threshold
    profile = blocks.raster_profile(src, 1, "float32", blocks.FLOAT_NODATA)
    with rasterio.open(tmp, "w", **profile) as dst:
        dst.set_band_description(1, DESCRIPTION[has_negatives])
        tags = {
            raster_tags.REFERENCE_CELLS: examples["reference_cells"],
            raster_tags.REFERENCE_FEATURES: examples["reference_features"],
            raster_tags.SOURCE: str(run.input),
        }
        if has_negatives:
            tags[raster_tags.NEGATIVE_CELLS] = examples["negative_cells"]
            tags[raster_tags.NEGATIVE_FEATURES] = examples["negative_features"]
        dst.update_tags(**raster_tags.written(tags))
        mask_dst = None
        try:
            if tmp_mask:
                mask_dst = rasterio.open(tmp_mask, "w", **blocks.raster_profile(src, 1, "uint8", MASK_NODATA))
                mask_dst.set_band_description(1, "similarity >= %g" % threshold)
                mask_dst.update_tags(**raster_tags.written({raster_tags.THRESHOLD: float(threshold)}))
            blocks.map_blocks(src, run.side, ctx.substage(0.2, 0.9), [dst, mask_dst], scorer, "similarity")
        finally:
            if mask_dst is not None:
                mask_dst.close()


def _write_polygons(src: Any, ctx: Any, pieces: list, tmp_poly: str, opts: _Options) -> int:
    """The mask's polygons (id, area, cells); returns their number."""
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
        opts.driver,
        layer=vec.layer_name(opts.polygons_output),
    )
    return len(merged)


def _log_summary(ctx: Any, stats: dict, opts: _Options) -> None:
    threshold = opts.threshold
    ctx.log(
        tr("%s: mean %.4f, min %.4f, max %.4f over %d cells%s")
        % (
            DESCRIPTION[opts.has_negatives].capitalize(),
            stats["sum"] / stats["n"],
            stats["min"],
            stats["max"],
            stats["n"],
            "" if threshold is None else tr("; %d cells >= %g") % (stats["mask"], threshold),
        )
    )


def _result(
    similarity: SimilarityJob, output: str, opts: _Options, examples: dict, scorer: _Scorer, polygons: Optional[int]
) -> dict:
    stats, threshold = scorer.stats, opts.threshold
    return {
        "output": output,
        "mask_output": opts.mask_output,
        "polygons_output": opts.polygons_output,
        "threshold": threshold,
        "reference_cells": examples["reference_cells"],
        "reference_features": examples["reference_features"],
        "negative_cells": examples["negative_cells"],
        "negative_features": examples["negative_features"],
        "valid_cells": stats["n"],
        "min": stats["min"],
        "max": stats["max"],
        "mean": stats["sum"] / stats["n"],
        "mask_cells": stats["mask"] if threshold is not None else None,
        "polygons": polygons,
        "reference_kind": similarity.reference[0],
        "negative_kind": similarity.negatives[0] if similarity.negatives is not None else None,
        "histogram": scorer.hist.summary(),
    }
