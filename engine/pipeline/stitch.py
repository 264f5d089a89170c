"""Stitching tile outputs into one grid: owned cells to the grid writer, the weighted pooled mean,
and the PCA statistics.

Chips arrive in plan order (row of chips by row of chips). Each chip contributes its owned block
of cells to a buffer one chip-row high; when the last chip of a row is in, the buffer goes to the
writer (so memory holds one chip row of the grid, never the whole grid). Cells without a valid
AOI pixel are NaN.

Pooled vector = sum(weight_t * pooled_t) / sum(weight_t), weight_t = valid AOI pixels in the cells
chip t owns (chips without any are not run and weigh nothing).
"""

import numpy as np


class Stitcher:
    def __init__(self, plan, dim, writer=None, covariance=None):
        self.plan, self.dim = plan, dim
        self.writer, self.covariance = writer, covariance
        self.pooled_sum = np.zeros(dim, np.float64)
        self.weight_sum = 0
        self.cells = 0
        self.chips_done = 0
        self._row_buf = None
        self._ncol_chips = len(plan.col_chips)

    def add(self, item, pooled=None, grid=None):
        """item: chips.ChipInput; pooled (D,), grid (D, 14, 14) when the chip went through the
        model, None when it has no valid owned cell."""
        chip = item.chip
        r0, c0, nr, nc = chip.owned_cells
        col_index = chip.index % self._ncol_chips
        if col_index == 0:
            self._row_buf = np.full((self.dim, nr, self.plan.grid_cols), np.nan, np.float32)
        rs, cs = chip.owned_slice
        mask = item.cell_valid[rs, cs]
        if grid is not None and mask.any():
            block = grid[:, rs, cs]
            target = self._row_buf[:, :, c0 : c0 + nc]
            if mask.all():  # most chips: no gathers
                target[...] = block
                cells = block.reshape(self.dim, -1).T
            else:
                target[:, mask] = cells = block[:, mask]
                cells = cells.T
            self.cells += int(mask.sum())
            if self.covariance is not None:
                self.covariance.add(cells)
        if pooled is not None and item.weight > 0:
            self.pooled_sum += item.weight * np.asarray(pooled, np.float64)
            self.weight_sum += item.weight
        if col_index == self._ncol_chips - 1:
            if self.writer is not None:
                self.writer.write_rows(r0, self._row_buf)
            self._row_buf = None
        self.chips_done += 1

    @property
    def pooled(self):
        if self.weight_sum <= 0:
            return None
        return (self.pooled_sum / self.weight_sum).astype(np.float32)


def blend_weights(axis_chip):
    """Per-cell blending weight along one axis of an overlapping chip: the distance, in cells, from the
    cell's centre to the chip's nearer edge (0.5 at the edge cells, 7.0 at the centre of a 14-cell chip)."""
    i = np.arange(axis_chip.cells, dtype=np.float64)
    return np.minimum(i, axis_chip.cells - 1 - i) + 0.5


class BlendStitcher(Stitcher):
    """Overlapping chips: every grid cell is the mean of the embeddings of all chips that cover it,
    weighted by how far the cell lies from each chip's edges (blend_weights, row weight x column
    weight), so the map changes smoothly where one chip hands over to the next instead of jumping.
    The pooled vector stays the owned-area-weighted mean (ownership by tiling's centre rule).

    Memory: the rows that a later chip row still covers are kept (at most one chip height, 14 cell
    rows, of sums and weights); rows no later chip row covers go to the writer and the PCA statistics."""

    def __init__(self, plan, dim, writer=None, covariance=None):
        super().__init__(plan, dim, writer, covariance)
        self._origin = 0  # first grid row not yet written
        self._sum = np.zeros((dim, 0, plan.grid_cols), np.float64)
        self._weight = np.zeros((0, plan.grid_cols), np.float64)

    def add(self, item, pooled=None, grid=None):
        chip = item.chip
        row, col = chip.row, chip.col
        col_index = chip.index % self._ncol_chips
        row_index = chip.index // self._ncol_chips
        if col_index == 0:
            self._extend(row.start + row.cells)
        if grid is not None:
            weight = np.outer(blend_weights(row), blend_weights(col))
            weight *= item.cell_valid[: row.cells, : col.cells]
            r = row.start - self._origin
            block = np.asarray(grid[:, : row.cells, : col.cells], np.float64)
            self._sum[:, r : r + row.cells, col.start : col.start + col.cells] += block * weight
            self._weight[r : r + row.cells, col.start : col.start + col.cells] += weight
        if pooled is not None and item.weight > 0:
            self.pooled_sum += item.weight * np.asarray(pooled, np.float64)
            self.weight_sum += item.weight
        if col_index == self._ncol_chips - 1:
            row_chips = self.plan.row_chips
            final = row_chips[row_index + 1].start if row_index + 1 < len(row_chips) else self.plan.grid_rows
            self._flush(final)
        self.chips_done += 1

    def _extend(self, end):
        grow = end - (self._origin + self._weight.shape[0])
        if grow > 0:
            self._sum = np.concatenate([self._sum, np.zeros((self.dim, grow, self.plan.grid_cols))], axis=1)
            self._weight = np.concatenate([self._weight, np.zeros((grow, self.plan.grid_cols))], axis=0)

    def _flush(self, end):
        """Write grid rows origin .. end-1: no later chip row covers them."""
        n = end - self._origin
        if n <= 0:
            return
        weight = self._weight[:n]
        valid = weight > 0
        rows = np.full((self.dim, n, self.plan.grid_cols), np.nan, np.float32)
        rows[:, valid] = (self._sum[:, :n][:, valid] / weight[valid]).astype(np.float32)
        self.cells += int(valid.sum())
        if self.covariance is not None and valid.any():
            self.covariance.add(rows[:, valid].T)
        if self.writer is not None:
            self.writer.write_rows(self._origin, rows)
        self._sum, self._weight = self._sum[:, n:], self._weight[n:]
        self._origin = end
