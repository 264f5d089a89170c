"""Job "change": per-cell cosine distance between two embedding rasters (e.g. two dates).

Job: {"type": "change", "before": path, "after": path, "output": path, "threshold": null | float,
       "block_size": null}
Both rasters must have the same number of bands (embeddings of the same model). When their grids
differ (CRS, transform or size), "after" is resampled onto "before"'s grid (rasterio WarpedVRT,
nearest neighbour); cells of "before" outside "after" become nodata.
Output: float32 Cloud Optimized GeoTIFF (averaged overviews: cog_rasters.py) on "before"'s grid,
1 - cosine similarity in [0, 2] (0 unchanged), nodata NaN where either raster is nodata or a vector is
all zeros.
Result: {"output", "mean_distance", "std_distance", "min_distance", "max_distance",
         "percentiles": {"50": .., "90": .., "99": ..} (from a 0.001-wide histogram),
         "valid_cells", "resampled", "threshold", "changed_cells", "changed_fraction",
         "histogram": {"edges", "counts"} (the occupied range in at most 40 bins)}
"""

from typing import Any, Optional

import numpy as np

from ...shared import raster_tags
from ...shared.errors import UserError
from ...shared.jobs.analysis import ChangeJob
from ..i18n import tr, translatable
from ..jobs import job
from . import blocks
from .cog_rasters import VALUES
from .histogram import Histogram
from .run import embedding_job


def _same_grid(a, b):
    return a.crs == b.crs and a.width == b.width and a.height == b.height and a.transform.almost_equals(b.transform)


def _overlaps(before, after):
    from rasterio.warp import transform_bounds

    try:
        left, bottom, right, top = transform_bounds(after.crs, before.crs, *after.bounds, densify_pts=21)
    except Exception as exc:
        raise UserError(
            tr("Cannot transform the 'after' raster's extent to the 'before' raster's CRS (%s).") % exc
        ) from exc
    b = before.bounds
    return min(right, b.right) > max(left, b.left) and min(top, b.top) > max(bottom, b.bottom)


@job("change")
def run_change(job: dict, ctx: Any) -> dict:
    threshold = ChangeJob.read(job).threshold
    with embedding_job(
        job,
        ctx,
        translatable("Change detection"),
        inputs=(("before", translatable("'before' raster")), ("after", translatable("'after' raster"))),
    ) as run:
        before, after = run.sources
        if before.count != after.count:
            raise UserError(
                tr(
                    "The rasters have different numbers of bands (before %d, after %d): "
                    "compare embeddings of the same model."
                )
                % (before.count, after.count)
            )
        tmp = run.rasters.add(run.output, "change raster", 1, "float32", VALUES)
        resampled = not _same_grid(before, after)
        vrt = _aligned(before, after, ctx) if resampled else None
        stats = _Distances(threshold)
        try:
            _write_distances(run, ctx, tmp, vrt if vrt is not None else after, stats, resampled)
        finally:
            if vrt is not None:
                vrt.close()
        if stats.n == 0:
            raise UserError(
                tr(
                    "The rasters have no cell where both have data%s. Check their nodata "
                    "values and that they cover the same area."
                )
                % (tr(" after resampling 'after' onto the grid of 'before'") if resampled else "")
            )
        run.commit()
    result = stats.result(run.output, resampled, ctx)
    ctx.progress(1.0, "done")
    return result


def _aligned(before: Any, after: Any, ctx: Any) -> Any:
    """'after' resampled onto the grid of 'before' (a WarpedVRT, as a series' periods are: averaged onto coarser
    cells, else nearest neighbour, pipeline/onto_grid.py; the caller closes it)."""
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT

    from ..pipeline.onto_grid import resampling_onto

    if before.crs is None or after.crs is None:
        raise UserError(
            tr("The rasters are on different grids and %s no CRS, so they cannot be aligned. Assign a CRS to both.")
            % (tr("'before' has") if before.crs is None else tr("'after' has"))
        )
    if not _overlaps(before, after):
        raise UserError(tr("The 'before' and 'after' rasters do not overlap. Choose rasters of the same area."))
    onto = resampling_onto(after, before.crs, before.transform)
    ctx.log(tr("Resampling 'after' onto the grid of 'before' (%s).") % onto.said())
    return WarpedVRT(
        after,
        crs=before.crs,
        transform=before.transform,
        width=before.width,
        height=before.height,
        resampling=Resampling[onto.method],
        src_nodata=onto.src_nodata,
        dtype="float32",
        nodata=float("nan"),
    )


class _Distances:
    """The running statistics of the cosine distances, with their histogram."""

    def __init__(self, threshold: Optional[float]) -> None:
        self.threshold = threshold
        self.n, self.sum, self.sumsq, self.min, self.max, self.changed = 0, 0.0, 0.0, np.inf, -np.inf, 0
        self.hist = Histogram(0.0, 2.0)  # 0.001-wide bins: percentiles to 0.001

    def add(self, d: np.ndarray) -> None:
        self.n += len(d)
        self.sum += float(d.sum())
        self.sumsq += float((d * d).sum())
        self.min = min(self.min, float(d.min()))
        self.max = max(self.max, float(d.max()))
        self.hist.add(d)
        if self.threshold is not None:
            self.changed += int((d >= self.threshold).sum())

    def result(self, output: str, resampled: bool, ctx: Any) -> dict:
        n, threshold = self.n, self.threshold
        mean = self.sum / n
        std = float(np.sqrt(max(0.0, self.sumsq / n - mean * mean)))
        percentiles = {str(p): self.hist.percentile(p) for p in (50, 90, 99)}
        ctx.log(tr("Cosine distance: mean %.4f, std %.4f, max %.4f over %d cells") % (mean, std, self.max, n))
        result = {
            "output": output,
            "mean_distance": mean,
            "std_distance": std,
            "min_distance": self.min,
            "max_distance": self.max,
            "percentiles": percentiles,
            "valid_cells": n,
            "resampled": resampled,
            "threshold": threshold,
            "changed_cells": None,
            "changed_fraction": None,
            "histogram": self.hist.summary(),
        }
        if threshold is not None:
            result.update(changed_cells=self.changed, changed_fraction=self.changed / n)
        return result


def _write_distances(run: Any, ctx: Any, tmp: str, aligned: Any, stats: _Distances, resampled: bool) -> None:
    """The cosine distance raster on the grid of 'before', block by block."""
    import rasterio

    before, side = run.sources[0], run.side
    with rasterio.open(tmp, "w", **blocks.raster_profile(before, 1, "float32", blocks.FLOAT_NODATA)) as dst:
        dst.set_band_description(1, "cosine distance (1 - cos)")
        tags = {
            raster_tags.BEFORE: str(run.inputs[0]),
            raster_tags.AFTER: str(run.inputs[1]),
            raster_tags.AFTER_RESAMPLED: bool(resampled),
        }
        dst.update_tags(**raster_tags.written(tags))
        total = blocks.count_windows(before.width, before.height, side)
        for i, window in enumerate(blocks.iter_windows(before.width, before.height, side)):
            ctx.check_cancel()
            dist = _block_distance(before, aligned, window, stats)
            dst.write(dist.astype(np.float32).reshape(1, int(window.height), int(window.width)), window=window)
            ctx.progress((i + 1) / total, "change")


def _block_distance(before: Any, aligned: Any, window: Any, stats: _Distances) -> np.ndarray:
    """1 - cos of each cell of one window (NaN where either side has no data or is all zeros)."""
    xb, okb = blocks.read_block(before, window)
    xa, oka = blocks.read_block(aligned, window)
    xb, xa = xb.astype(np.float64), xa.astype(np.float64)
    nb, na = np.linalg.norm(xb, axis=1), np.linalg.norm(xa, axis=1)
    ok = okb & oka & (nb > 0) & (na > 0)
    dist = np.full(len(xb), np.nan, dtype=np.float64)
    if ok.any():
        cos = np.einsum("ij,ij->i", xb[ok], xa[ok]) / (nb[ok] * na[ok])
        d = 1.0 - np.clip(cos, -1.0, 1.0)
        dist[ok] = d
        stats.add(d)
    return dist
