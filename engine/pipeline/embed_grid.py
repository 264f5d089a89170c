"""The embed job's chips through the model into the streamed grid, the PCA statistics and the pooled
vector: tile mode (`embed_tiles`: chips read in plan order, batched, stitched, the grid's rows
written and the PCA statistics summed by a thread beside the model, row_writer.py) and resize mode
(`embed_resized`: the AOI window as one chip)."""

import time
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Tuple

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr
from . import cluster as dask_cluster
from . import common
from .chips import read_resize_chip, tile_producer
from .embed_plan import EmbedPlan
from .outputs import GridWriter
from .overviews import GridOverviews, WithOverviews
from .pca import CovarianceAccumulator
from .prefetch import Prefetcher
from .row_writer import WriterThread
from .stitch import BlendStitcher, Stitcher
from .tiling import CHIP, OVERLAPS, PATCH

# grid rows and PCA cells waiting for the writer thread: a full tile's chip row of 768 bands is 30 MB
WRITER_QUEUE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Embedded:
    """What the chips gave: the pooled vector of the AOI (None when no chip was modelled), valid
    cells, chips modelled and planned, seconds from the first chip to the grid written."""

    pooled: Optional[np.ndarray]
    cells: int
    chips: int
    chips_total: int
    seconds: float


def _grid_writer(plan: EmbedPlan) -> Optional[Any]:
    """The streamed grid's writer (with its overview levels when the grid is an output), or None."""
    if not plan.scratch_grid:
        return None
    g = plan.geometry
    grid = GridWriter(
        plan.scratch_grid,
        plan.model.spec.dim,
        g.rows,
        g.cols,
        g.transform,
        plan.source.crs,
        plan.tags,
        compress="none",  # the scratch grid; the output's compression is the COG copy's (cog.py)
    )
    if not plan.scratch_overviews:
        return grid
    try:
        levels = GridOverviews(
            plan.scratch_overviews, plan.model.spec.dim, g.rows, g.cols, g.transform, plan.source.crs
        )
    except BaseException:
        grid.abort()
        raise
    return WithOverviews(grid, levels)


def embed_tiles(plan: EmbedPlan, job: dict, cluster: Any, covariance: Optional[CovarianceAccumulator], ctx) -> Embedded:
    tiles, n_chips = plan.geometry.tiles, len(plan.geometry.tiles)
    ctx.log(
        tr("Tile mode: %d chip(s) of %d px at stride %d px (overlap %s; grid %d x %d cells of %d px), batch size %d.")
        % (
            n_chips,
            CHIP,
            OVERLAPS[plan.geometry.overlap] * PATCH,
            plan.geometry.overlap,
            tiles.grid_cols,
            tiles.grid_rows,
            PATCH,
            plan.batch,
        )
    )
    grid = _grid_writer(plan)
    thread = WriterThread(WRITER_QUEUE_BYTES)
    started = time.monotonic()
    try:
        stitch = Stitcher if plan.geometry.overlap == "none" else BlendStitcher
        stitcher = stitch(
            tiles,
            plan.model.spec.dim,
            thread.queued(grid) if grid is not None else None,
            thread.queued(covariance) if covariance is not None else None,
        )
        modelled = _stitch_batches(plan, job, cluster, stitcher, started, ctx)
        if grid is not None:
            thread.submit(grid.close)
        thread.finish()
    except BaseException:
        thread.abort()
        if grid is not None:
            grid.abort()
        raise
    if stitcher.weight_sum == 0:
        raise UserError(common.NO_VALID_PIXELS)
    seconds = time.monotonic() - started
    ctx.log(
        tr("Embedded %d chip(s) (%d skipped as all nodata), %d valid cells in %.1f s.")
        % (modelled, n_chips - modelled, stitcher.cells, seconds)
    )
    return Embedded(stitcher.pooled, stitcher.cells, modelled, n_chips, seconds)


def _stitch_batches(plan: EmbedPlan, job: dict, cluster: Any, stitcher: Stitcher, started: float, ctx) -> int:
    """Every batch into the stitcher, with progress and the first batch's rate; the chips modelled."""
    n_chips, modelled = len(plan.geometry.tiles), 0
    for items, pooled, grid in _embedded_batches(plan, job, cluster, ctx):
        for item in items:
            if item.slot >= 0:
                stitcher.add(item, pooled[item.slot], grid[item.slot])
            else:
                stitcher.add(item)
        done = stitcher.chips_done
        ctx.progress(done / float(n_chips), "infer")
        if pooled is not None and modelled == 0:  # first batch
            rate = len(pooled) / max(time.monotonic() - started, 1e-6)
            ctx.log(
                tr("First batch done: %.2f chips/s; about %.0f s left for %d chips.")
                % (rate, (n_chips - done) / rate, n_chips - done)
            )
        modelled += 0 if pooled is None else len(pooled)
        ctx.check_cancel()
    return modelled


def _embedded_batches(plan: EmbedPlan, job: dict, cluster: Any, ctx) -> Iterator[Tuple[Any, Any, Any]]:
    """(items, pooled, grid) per batch of chips in plan order: this process's model, or the
    Dask cluster's workers."""
    tiles, model = plan.geometry.tiles, plan.model
    if cluster is not None:
        key = dask_cluster.source_key(plan.source_spec, model.spec, job.get("aoi"))
        yield from cluster.tile_batches(plan.source, key, tiles, plan.batch)
        return
    checked_range = False
    from ...models.device import read_ahead, read_threads  # torch: imported with the model, not before

    device = getattr(model, "device", "cpu")
    chips = tile_producer(plan.source, tiles, plan.batch, read_threads(device))
    with Prefetcher(chips, maxsize=2, read_ahead=read_ahead(device)) as prefetch:
        for chunk in prefetch:
            ctx.check_cancel()
            pooled = grid = None
            if chunk.raw is not None:
                if not checked_range:
                    checked_range = common.check_value_range(chunk.raw, model.spec, ctx) or True
                pooled, grid = model.embed(chunk.raw)
            yield chunk.items, pooled, grid


def embed_resized(plan: EmbedPlan, covariance: Optional[CovarianceAccumulator], ctx) -> Embedded:
    model = plan.model
    ctx.progress(0.0, "read")
    item = read_resize_chip(plan.source)
    if not item.cell_valid.any():
        raise UserError(common.NO_VALID_PIXELS)
    ctx.check_cancel()
    common.check_value_range(item.raw[None], model.spec, ctx)
    ctx.progress(0.1, "infer")
    started = time.monotonic()
    pooled, grid = model.embed(item.raw[None])
    seconds = time.monotonic() - started
    ctx.progress(0.9, "infer")
    grid = np.array(grid[0], np.float32)
    grid[:, ~item.cell_valid] = np.nan
    writer = _grid_writer(plan)
    if writer is not None:
        try:
            writer.write_rows(0, grid)
        except BaseException:
            writer.abort()
            raise
        writer.close()
    if covariance is not None:
        covariance.add(grid[:, item.cell_valid].T)
    ctx.progress(1.0, "infer")
    return Embedded(pooled[0], int(item.cell_valid.sum()), 1, 1, seconds)
