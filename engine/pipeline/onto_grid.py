"""How a raster goes onto a series' grid (the first period's), wherever a series is put on one grid: the
series of existing rasters (series.series_from_rasters) and the periods an analysis of a series reads
(analysis/series_input.aligned).

Embeddings going to coarser cells are averaged: each grid cell the mean of the source cells it covers (GDAL's
"average", NaN cells left out), as the grid's own overviews are made; nearest neighbour would pick one of
them and alias. Onto cells of the same size or smaller, nearest neighbour: each grid cell takes the value
of the cell it falls in, unchanged. AlphaEarth's int8 codes stay nearest (their de-quantisation is not linear,
so the mean of codes is not the code of the mean).
"""

import math
import os
from dataclasses import dataclass
from typing import Any, Optional, Tuple

from ..i18n import tr

AVERAGE, NEAREST = "average", "nearest"  # GDAL's (rasterio's) names of the two resamplings
FINER = 0.99  # a raster's cells under this fraction of the grid's, along either axis, are averaged


@dataclass(frozen=True)
class OntoGrid:
    """How a raster goes onto a series' grid (resampling_onto): `method` AVERAGE or NEAREST, the raster's
    cells and the grid's (x, y sizes in the grid's CRS), whether they are AlphaEarth's int8 codes (de-quantised
    after the warp where a resampled copy is written: series.py), and the
    raster's nodata for the warp (`src_nodata`: its own, else NaN for floating-point values, so NaN cells are
    left out of a mean instead of making it NaN)."""

    method: str
    cells: Tuple[float, float]
    grid_cells: Tuple[float, float]
    quantised: bool = False
    src_nodata: Optional[float] = None

    def said(self) -> str:
        """The method and why, for the log."""
        sizes = ("%g x %g" % self.cells, "%g x %g" % self.grid_cells)
        if self.method == AVERAGE:
            return (
                tr(
                    "average: its cells (%s) are smaller than the grid's (%s), each cell the mean of those it "
                    "covers, NaN left out"
                )
                % sizes
            )
        if self.quantised and any(c < FINER * g for c, g in zip(self.cells, self.grid_cells)):
            return tr("nearest neighbour: AlphaEarth's int8 codes are not averaged")
        return tr("nearest neighbour: its cells (%s) are not smaller than the grid's (%s)") % sizes

    def tag(self, path: str) -> str:
        """TERRAEMBED_RESAMPLED of the resampled raster of `path`: the method first."""
        return "%s from the %g x %g cells of %s onto %g x %g cells" % (
            (self.method,) + self.cells + (os.path.basename(path),) + self.grid_cells
        )


def resampling_onto(src: Any, crs: Any, transform: Any) -> OntoGrid:
    """How the open raster `src` goes onto the grid (crs, transform): AVERAGE when its cells are smaller than the
    grid's along either axis (measured in the grid's CRS; each grid cell the mean of the cells it covers, NaN
    cells left out: nearest would pick one of them and alias), else NEAREST (cells of the same size or larger:
    each grid cell takes the one it falls in). AlphaEarth's int8 codes are never averaged (their de-quantisation
    is not linear): NEAREST."""
    from ..analysis.alphaearth import is_quantised

    cells, grid_cells = _cell_size(src, crs), _cell(transform)
    finer = any(c < FINER * g for c, g in zip(cells, grid_cells))
    quantised = is_quantised(src)
    method = AVERAGE if finer and not quantised else NEAREST
    nodata = src.nodata
    if nodata is None and str(src.dtypes[0]).startswith(("float", "complex")):
        nodata = float("nan")
    return OntoGrid(method, cells, grid_cells, quantised, nodata)


def _cell(transform: Any) -> Tuple[float, float]:
    return math.hypot(transform.a, transform.d), math.hypot(transform.b, transform.e)


def _cell_size(src: Any, crs: Any) -> Tuple[float, float]:
    """The cell size of `src` in `crs` (its extent there over its columns and rows)."""
    if src.crs is None or crs is None or src.crs == crs:
        return _cell(src.transform)
    from rasterio.warp import transform_bounds

    left, bottom, right, top = transform_bounds(src.crs, crs, *src.bounds, densify_pts=21)
    return (right - left) / src.width, (top - bottom) / src.height
