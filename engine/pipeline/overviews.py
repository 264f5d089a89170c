"""The grid's overviews made from its rows as they are written, so the COG step (cog.py) no longer
reads the whole streamed grid back to build them.

Each level is what GDAL's "average" overviews give (GDAL 3.10, the runtime's): level 2 from the
full resolution, each further level from the one before it (GDAL cascades), every cell of a level
the mean of the source cells under it weighted by how much of each the cell covers (a level of
ceil(n / 2) cells over n cells: exact 2 x 2 means for even sizes, fractional weights for odd ones),
NaN cells left out of the mean and NaN where all are NaN; sums in float64, the mean rounded to
float32. tests/engine/test_pipeline_overviews.py compares every level with GDAL's own on grids
with NaN holes and odd sizes (equal to within one float32 unit in the last place).

`GridOverviews(paths, dim, rows, cols, ...)` takes the grid's rows in order (`write_rows`, as
GridWriter, from the same thread) and writes each level to its own streamed GeoTIFF; memory holds
the few source rows a level's next row still needs (at most two per level) and one block of rows
being reduced, in chunks of BAND_CHUNK bands.
"""

import math
from typing import List, Optional, Sequence, Tuple

import numpy as np
import rasterio

from .outputs import geotiff_profile

BAND_CHUNK = 32  # bands reduced at a time: bounds the float64 temporaries


def level_size(size: int) -> int:
    """The size of the next level of a side of size cells (GDAL's: rounded up)."""
    return int(math.ceil(size / 2.0))


def axis_taps(src: int, dst: int) -> np.ndarray:
    """The weights (dst, 3) of source cells 2i - 1, 2i and 2i + 1 in cell i of dst = ceil(src / 2)
    cells over src: the fraction of each that cell i covers (GDAL's window [i r, (i + 1) r), r =
    src / dst, which lies within those three for either parity of src); 0 outside the source."""
    ratio = src / float(dst)
    weight = np.zeros((dst, 3), np.float64)
    for i in range(dst):
        x0, x1 = i * ratio, (i + 1) * ratio
        for t, k in enumerate(range(2 * i - 1, 2 * i + 2)):
            w = min(k + 1.0, x1) - max(float(k), x0)
            if 0 <= k < src and w > 1e-8:  # GDAL's own tolerance at the window's ends
                weight[i, t] = w
    return weight


def _horizontal(block: np.ndarray, weight: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(bands, rows, src cols) float32 -> the weighted sums of the valid cells (bands, rows, dst cols)
    and of their weights (the same, or (1, rows, dst cols) when every band has the same NaN cells, as
    the embed job's grids do), float64; strided views of one padded copy, no gathers."""
    dst = weight.shape[0]
    padded = np.zeros(block.shape[:2] + (2 * dst + 2,), np.float32)  # source col k at k + 1
    padded[:, :, 1 : block.shape[2] + 1] = block
    invalid = np.isnan(padded)
    np.copyto(padded, 0.0, where=invalid)
    same = bool((invalid == invalid[:1]).all())
    mask = (~invalid[:1] if same else ~invalid).astype(np.float32)
    num = padded[:, :, 0 : 2 * dst : 2] * weight[:, 0]  # float32 cells times float64 weights: float64
    den = mask[:, :, 0 : 2 * dst : 2] * weight[:, 0]
    for t in (1, 2):  # source col 2i - 1 + t at 2i + t
        num += padded[:, :, t : t + 2 * dst : 2] * weight[:, t]
        den += mask[:, :, t : t + 2 * dst : 2] * weight[:, t]
    return num, den


class Level:
    """One overview level made from its source's rows; emits its own rows as they are complete."""

    def __init__(self, src_rows: int, src_cols: int) -> None:
        self.src_rows, self.src_cols = src_rows, src_cols
        self.rows, self.cols = level_size(src_rows), level_size(src_cols)
        self.col_weight = axis_taps(src_cols, self.cols)
        self.row_weight = axis_taps(src_rows, self.rows)
        taps = 2 * np.arange(self.rows)[:, None] - 1 + np.arange(3)[None, :]
        self.row_index = np.clip(taps, 0, src_rows - 1)  # source rows 2i - 1 .. 2i + 1 (weight 0 outside)
        self._carry: Optional[np.ndarray] = None  # source rows a later level row still needs
        self._carry_start = 0  # source row index of the carry's first row
        self._next = 0  # next row of this level to emit

    def add(self, block: np.ndarray) -> Optional[np.ndarray]:
        """The next source rows (bands, n, src cols); returns this level's rows now complete, or None."""
        rows = block if self._carry is None else np.concatenate([self._carry, block], axis=1)
        received = self._carry_start + rows.shape[1]
        end = self._next
        while end < self.rows and self.row_index[end, 2] < received:  # its last source row is in
            end += 1
        out = self._reduce(rows, self._next, end) if end > self._next else None
        keep = int(self.row_index[end, 0]) if end < self.rows else received
        self._carry = rows[:, keep - self._carry_start :].copy() if keep < received else None  # not a view
        self._carry_start, self._next = keep, end
        return out

    def _reduce(self, rows: np.ndarray, start: int, end: int) -> np.ndarray:
        """Level rows start .. end - 1 from the source rows 2 start - 1 .. 2 end - 1 (those outside the
        source weigh 0: zero rows stand in for them)."""
        n, lo, hi = end - start, 2 * start - 1, 2 * end
        first, last = max(lo, self._carry_start), min(hi, self._carry_start + rows.shape[1])
        local = rows[:, first - self._carry_start : last - self._carry_start]
        pad = ((0, 0), (first - lo, hi - last), (0, 0))
        out = np.empty((rows.shape[0], n, self.cols), np.float32)
        for b0 in range(0, rows.shape[0], BAND_CHUNK):
            num, den = _horizontal(local[b0 : b0 + BAND_CHUNK], self.col_weight)
            if pad[1] != (0, 0):
                num, den = np.pad(num, pad), np.pad(den, pad)
            w = self.row_weight[start:end, 0][None, :, None]
            total, weight = num[:, 0 : 2 * n : 2] * w, den[:, 0 : 2 * n : 2] * w
            for t in (1, 2):  # source row 2i - 1 + t
                w = self.row_weight[start:end, t][None, :, None]
                total += num[:, t : t + 2 * n : 2] * w
                weight += den[:, t : t + 2 * n : 2] * w
            with np.errstate(invalid="ignore", divide="ignore"):
                out[b0 : b0 + BAND_CHUNK] = np.where(weight > 0, total / weight, np.nan)
        return out


class GridOverviews:
    """The overview levels of a (dim, rows, cols) grid, one streamed GeoTIFF each (paths: one per
    level, factor 2, 4, ...), from the grid's rows in order."""

    def __init__(self, paths: Sequence[str], dim: int, rows: int, cols: int, transform, crs) -> None:
        self.paths = list(paths)
        self.levels: List[Level] = []
        self._files: list = []
        self._rows: List[int] = []
        src_rows, src_cols = rows, cols
        try:
            for path in self.paths:
                level = Level(src_rows, src_cols)
                scale = rasterio.Affine.scale(src_cols / float(level.cols), src_rows / float(level.rows))
                transform = transform * scale
                profile = geotiff_profile(dim, level.rows, level.cols, transform, crs, "none")
                self._files.append(rasterio.open(path, "w", **profile))
                self.levels.append(level)
                self._rows.append(0)
                src_rows, src_cols = level.rows, level.cols
        except BaseException:
            self.abort()
            raise

    def write_rows(self, row0: int, block: np.ndarray) -> None:
        """The grid's rows row0 .. (after the rows before them) into every level."""
        data: Optional[np.ndarray] = np.asarray(block, np.float32)
        for i, level in enumerate(self.levels):
            if data is None:
                return
            data = level.add(data)
            if data is not None:
                window = rasterio.windows.Window(0, self._rows[i], level.cols, data.shape[1])
                self._files[i].write(data, window=window)
                self._rows[i] += data.shape[1]

    def close(self) -> None:
        """Close the levels' files (complete when every grid row arrived)."""
        files, self._files = self._files, []
        for f in files:
            f.close()

    def abort(self) -> None:
        files, self._files = self._files, []
        for f in files:
            try:
                f.close()
            except Exception:  # the files are discarded anyway
                pass


class WithOverviews:
    """A GridWriter and the grid's GridOverviews fed the same rows (write_rows, close, abort)."""

    def __init__(self, grid, overviews: GridOverviews) -> None:
        self.grid, self.overviews = grid, overviews

    def write_rows(self, row0: int, block: np.ndarray) -> None:
        self.grid.write_rows(row0, block)
        self.overviews.write_rows(row0, block)

    def close(self) -> None:
        self.grid.close()
        self.overviews.close()

    def abort(self) -> None:
        self.grid.abort()
        self.overviews.abort()
