"""Chips: model inputs read from a RasterSource, with the validity of each output cell.

Tile mode: `tile_producer(source, plan, batch_size)` reads the chips of a TilePlan (one chip = at
most 224 x 224 pixels), a batch's chips of one row of the plan in one window (`read_tiles`), pads
them to 224 by edge replication, and hands them out in batches (for a Prefetcher).
Resize mode: `read_resize_chip` reads the AOI window as one chip.
"""

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr
from .tiling import CELLS, CHIP, PATCH, resize_cell_bounds

# Resize mode holds the whole AOI window in memory: refuse absurd sizes (tile mode has no limit).
MAX_RESIZE_PIXELS = 4096 * 4096


@dataclass
class ChipInput:
    chip: object  # tiling.Chip (tile mode) or None (resize mode)
    raw: Optional[np.ndarray]  # (C, H, W) float32, None when the chip needs no model
    cell_valid: np.ndarray  # (14, 14) bool: output cells with at least one valid AOI pixel
    weight: int = 0  # valid AOI pixels in the cells the chip owns
    slot: int = -1  # index into Batch.raw once stacked; -1: needs no model


@dataclass
class Batch:
    items: List[ChipInput] = field(default_factory=list)
    raw: Optional[np.ndarray] = None  # (B, C, 224, 224): the items with raw, stacked in order


def read_tile(reader, chip, aoi_height, aoi_width):
    """One tile-mode chip: read its window (clipped to the raster), keep validity to the AOI, pad to
    CHIP x CHIP by edge replication."""
    return read_tiles(reader, [chip], aoi_height, aoi_width)[0]


def read_tiles(reader, chips, aoi_height, aoi_width):
    """Tile-mode chips (read_tile) read as one window per run of chips side by side on a row of the plan:
    GDAL decodes the many blocks of one window on the reader's threads (a chip's window, a few blocks mostly
    cached already, it decoded on one thread), and the nodata and validity work runs once per window."""
    items = []
    for run in row_runs(chips):
        r0, c0 = run[0].pixel_window[:2]
        width = max(chip.pixel_window[1] + chip.pixel_window[3] for chip in run) - c0
        data, valid = reader.read(r0, c0, max(chip.pixel_window[2] for chip in run), width)
        for chip in run:
            _, left, h, w = chip.pixel_window
            cols = slice(left - c0, left - c0 + w)
            items.append(_tile(chip, data[:, :h, cols], valid[:h, cols], aoi_height, aoi_width))
    return items


def row_runs(chips):
    """The chips (in plan order) in runs of neighbours on one row of the plan (a chip the list leaves out
    ends a run: its pixels are not read)."""
    run = []
    for chip in chips:
        if run and (chip.pixel_window[0] != run[0].pixel_window[0] or chip.index != run[-1].index + 1):
            yield run
            run = []
        run.append(chip)
    if run:
        yield run


def _tile(chip, data, valid, aoi_height, aoi_width):
    """A chip's ChipInput from its pixels read (data (C, h, w), valid (h, w); smaller than the chip where it
    reaches past the raster)."""
    r0, c0 = chip.pixel_window[:2]
    vh, vw = valid.shape
    mask = np.zeros((CHIP, CHIP), bool)
    mask[:vh, :vw] = valid
    mask[max(0, aoi_height - r0) :, :] = False  # rounding to whole cells: not AOI pixels
    mask[:, max(0, aoi_width - c0) :] = False
    counts = mask.reshape(CELLS, PATCH, CELLS, PATCH).sum(axis=(1, 3))
    rs, cs = chip.owned_slice
    weight = int(counts[rs, cs].sum())
    raw = None
    if weight > 0:
        if vh < CHIP or vw < CHIP:
            raw = np.pad(data, ((0, 0), (0, CHIP - vh), (0, CHIP - vw)), mode="edge")
        else:
            raw = data
    return ChipInput(chip, raw, counts > 0, weight)


def _stack(items):
    batch = Batch(items)
    rows = [it.raw for it in items if it.raw is not None]
    if rows:
        batch.raw = np.stack(rows)
        slot = 0
        for it in items:  # the stacked copy is the one that travels; drop the originals
            if it.raw is not None:
                it.raw, it.slot = None, slot
                slot += 1
    return batch


def tile_producer(source, plan, batch_size, threads=1, chips=None):
    """A produce(put) function for a Prefetcher: batches of up to batch_size model chips, in plan
    order (chips that need no model travel in the same batches to keep the order); chips: those of the
    plan to read (default: all). The chips still missing from a batch are read together (read_tiles),
    on `threads` of GDAL's."""
    chips = list(plan.chips if chips is None else chips)

    def produce(put):
        with source.open(threads=threads) as reader:
            items, n_model, done = [], 0, 0
            while done < len(chips):
                run = next(row_runs(chips[done : done + batch_size - n_model]))
                done += len(run)
                for item in read_tiles(reader, run, plan.height, plan.width):
                    items.append(item)
                    n_model += item.raw is not None
                if n_model >= batch_size:
                    put(_stack(items))
                    items, n_model = [], 0
            if items:
                put(_stack(items))

    return produce


def read_resize_chip(source):
    """Resize mode: the whole AOI window as one chip, with the validity of the 14 x 14 cells."""
    w = source.window
    if w.height * w.width > MAX_RESIZE_PIXELS:
        raise UserError(
            tr(
                "The AOI is %d x %d pixels, too large for 'resize' preparation (at most %d "
                "pixels). Use 'tile' preparation or a smaller AOI."
            )
            % (w.width, w.height, MAX_RESIZE_PIXELS)
        )
    with source.open() as reader:
        data, valid = reader.read(0, 0, w.height, w.width)
    rows, cols = resize_cell_bounds(w.height), resize_cell_bounds(w.width)
    cell_valid = np.zeros((CELLS, CELLS), bool)
    for i, (r0, r1) in enumerate(rows):
        any_row = valid[r0:r1].any(axis=0)
        for j, (c0, c1) in enumerate(cols):
            cell_valid[i, j] = any_row[c0:c1].any()
    return ChipInput(None, data, cell_valid, int(valid.sum()))


def embed_chips(model, raws):
    """Pooled vectors (n, D) of chips that may differ in size, in as few forward passes as possible.

    Same-size chips go through model.embed as one batch. Mixed sizes are normalised chip by chip
    (each chip's own statistics, then resized to 224 by the model's preprocessing) and then run as
    one batch."""
    shapes = {r.shape for r in raws}
    if len(shapes) == 1:
        return model.embed(np.stack(raws))[0]
    preprocess = getattr(model, "preprocess", None)
    forward = getattr(model, "_forward", None)
    if preprocess is None or forward is None:
        return np.concatenate([model.embed(r[None])[0] for r in raws])
    import torch

    x = torch.cat([preprocess(r[None]) for r in raws])
    pooled, _ = forward(x)
    return pooled.float().cpu().numpy()
