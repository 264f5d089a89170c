"""Input preparation geometry: which pixels go into which chip, and which grid cells each chip owns.

Pure arithmetic (no I/O), so it can be tested exhaustively. All numbers are in pixels of the
*AOI window*: the rectangle of source pixels the AOI covers (row/column 0 = the window origin).

Tile mode (docs/MODELS.md "Input preparation and grids"), precisely:

* The grid has ``ceil(H/16) x ceil(W/16)`` cells; cell (i, j) is input pixels rows
  ``16i .. 16i+15``, columns ``16j .. 16j+15``. Its georeference: origin = the AOI window origin,
  cell size = 16 x the pixel size. When H or W is not a multiple of 16 the last cell row/column
  reaches up to 15 pixels past the AOI; those pixels are read from the raster where it has them
  and replicated from the edge where it does not. Only AOI pixels decide whether a cell is valid.
  So the chips are laid on the *grid extent* ``L = 16 * cells`` of each axis.
* Along an axis of ``n`` cells: if ``n <= 14`` there is one chip at 0 (smaller than 224 px, it is
  padded to 224 by edge replication); otherwise chips start at 0, 224, 448, ... (stride 224) and
  the last chip is shifted back to end exactly at the grid edge (start ``16 * (n - 14)``), so every
  chip is aligned to the cell grid and each of its 14 x 14 output cells is exactly one grid cell.
* Ownership without overlap (the default, equivalent to the reference): a cell belongs to the
  first chip along the axis that covers it. The regular chips own all 14 of their cells; the
  shifted last chip owns only the cells after the previous chip's end (the overlap is computed
  twice and kept once, from the earlier chip). In 2-D a chip owns the product of its row range and
  column range, so every grid cell is owned by exactly one chip.
* Overlapping chips (``OVERLAPS`` in shared/catalogue.py: "25%" = stride 10 cells / 160 px, "50%" = stride
  7 cells / 112 px; the last chip is shifted back to the grid edge as above). A ViT's tokens near a
  chip border see less context, so abutting chips leave seams. The grid then blends the chips
  (stitch.BlendStitcher: each cell is the mean over the chips covering it, weighted by the distance
  from the cell's centre to each chip's nearer edge). Ownership, which decides the pooled vector's
  weights and which chips must run at all, follows the *centre rule*: for a cell ``c`` and a chip
  covering cells ``s .. s+13`` the distance is ``min(c - s, s + 13 - c)``; the covering chip with the
  largest distance owns the cell, the earlier chip on a tie. Along an axis each chip then owns one
  contiguous run of cells (possibly none: such a chip is left out of the plan), and in 2-D again the
  product of its row and column runs. A stride of 168 px (an exact 25%) is not a whole number of
  16 px cells, so the chips' tokens would not fall on the grid's cells; 160 px is the nearest stride
  with at least 25% overlap.

Resize mode: the whole AOI window is one chip (the model resizes it to 224); the output is one
14 x 14 grid over the AOI, cell size = AOI size / 14 on each axis.
"""

import math
from dataclasses import dataclass

from ...shared.catalogue import TILE_OVERLAPS as OVERLAPS

CHIP = 224  # model input size in pixels
PATCH = 16  # input pixels per grid cell (ViT patch)
CELLS = CHIP // PATCH  # 14 grid cells per chip side


@dataclass(frozen=True)
class AxisChip:
    start: int  # first grid cell of the chip (its pixel start is start * PATCH)
    cells: int  # grid cells the chip covers (14, or fewer when the whole axis is shorter)
    own_start: int  # first grid cell it owns
    own_end: int  # one past the last grid cell it owns

    @property
    def own_offset(self):
        """Index of the first owned cell inside the chip's own 14-cell output."""
        return self.own_start - self.start

    @property
    def own_count(self):
        return self.own_end - self.own_start


def grid_cells(length_px, patch=PATCH):
    """Number of grid cells along an axis of length_px input pixels (the last one may be partial)."""
    if length_px <= 0:
        raise ValueError("an axis needs at least one pixel")
    return int(math.ceil(length_px / float(patch)))


def plan_axis(n_cells, chip_cells=CELLS, stride=None):
    """Chips along one axis of n_cells grid cells (see the module docstring). stride: cells between
    chip starts; chip_cells (the default) means abutting chips with first-chip ownership, a smaller
    stride means overlapping chips with centre ownership."""
    if n_cells <= 0:
        raise ValueError("an axis needs at least one cell")
    stride = chip_cells if stride is None else stride
    if not 1 <= stride <= chip_cells:
        raise ValueError("the chip stride must be between 1 and %d cells" % chip_cells)
    if n_cells <= chip_cells:
        return [AxisChip(0, n_cells, 0, n_cells)]
    starts = list(range(0, n_cells - chip_cells + 1, stride))
    if starts[-1] + chip_cells < n_cells:
        starts.append(n_cells - chip_cells)  # the shifted last chip, ends at the edge
    if stride == chip_cells:
        chips, owned_to = [], 0
        for s in starts:
            end = s + chip_cells
            chips.append(AxisChip(s, chip_cells, max(s, owned_to), end))
            owned_to = end
        return chips
    return _centre_owned(n_cells, chip_cells, starts)


def _centre_owned(n_cells, chip_cells, starts):
    """Overlapping chips: each cell to the covering chip where it is furthest from a chip border."""
    owner = []
    for c in range(n_cells):
        best, best_distance = None, -1
        for k, s in enumerate(starts):
            if s <= c < s + chip_cells:
                distance = min(c - s, s + chip_cells - 1 - c)
                if distance > best_distance:
                    best, best_distance = k, distance
        owner.append(best)
    chips = []
    for k, s in enumerate(starts):
        cells = [c for c in range(n_cells) if owner[c] == k]
        if not cells:
            continue  # a chip that owns nothing is not run
        if cells[-1] - cells[0] + 1 != len(cells):
            raise AssertionError("centre ownership must give contiguous runs")
        chips.append(AxisChip(s, chip_cells, cells[0], cells[-1] + 1))
    return chips


@dataclass(frozen=True)
class Chip:
    """One model input in tile mode: where it lies and which cells of its output it owns."""

    index: int
    row: AxisChip
    col: AxisChip

    @property
    def pixel_window(self):
        """(row_off, col_off, height, width) in AOI-window pixels of the chip's real content
        (before padding to CHIP); it may reach past the AOI, never past the grid extent."""
        return (self.row.start * PATCH, self.col.start * PATCH, self.row.cells * PATCH, self.col.cells * PATCH)

    @property
    def owned_cells(self):
        """(row0, col0, rows, cols) of the owned block in grid cells."""
        return (self.row.own_start, self.col.own_start, self.row.own_count, self.col.own_count)

    @property
    def owned_slice(self):
        """Slices into the chip's (D, 14, 14) output that select its owned block."""
        r, c = self.row.own_offset, self.col.own_offset
        return (slice(r, r + self.row.own_count), slice(c, c + self.col.own_count))


@dataclass(frozen=True)
class TilePlan:
    height: int  # AOI window height in pixels
    width: int  # AOI window width in pixels
    grid_rows: int
    grid_cols: int
    row_chips: tuple
    col_chips: tuple

    @property
    def chips(self):
        """Chips in reading order (row of chips by row of chips, left to right)."""
        out = []
        for r in self.row_chips:
            for c in self.col_chips:
                out.append(Chip(len(out), r, c))
        return out

    def __len__(self):
        return len(self.row_chips) * len(self.col_chips)


def plan_tiles(height, width, overlap="none"):
    """The tile plan of an AOI window; overlap is a key of OVERLAPS."""
    if overlap not in OVERLAPS:
        raise ValueError("unknown overlap %r" % (overlap,))
    stride = OVERLAPS[overlap]
    rows, cols = grid_cells(height), grid_cells(width)
    return TilePlan(
        height, width, rows, cols, tuple(plan_axis(rows, stride=stride)), tuple(plan_axis(cols, stride=stride))
    )


def resize_cell_bounds(length_px, cells=CELLS):
    """For resize mode: the pixel range [lo, hi) each of the `cells` output cells covers (at least
    one pixel each, so every cell has a footprint even when the AOI is narrower than 14 px)."""
    out = []
    for i in range(cells):
        lo = int(math.floor(i * length_px / float(cells)))
        hi = int(math.ceil((i + 1) * length_px / float(cells)))
        lo = min(lo, length_px - 1)
        out.append((lo, max(hi, lo + 1)))
    return out
