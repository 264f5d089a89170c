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
            target = self._row_buf[:, :, c0:c0 + nc]
            target[:, mask] = block[:, mask]
            self.cells += int(mask.sum())
            if self.covariance is not None:
                self.covariance.add(block[:, mask].T)
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
