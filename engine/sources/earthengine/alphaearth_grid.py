"""AlphaEarth on the grid of another raster (source "grid_like": e.g. a TerraMind embedding grid or series):
that raster's grid read exactly (CRS, transform, size), the grid the year is fetched on, and the mean of
the fetched cells onto the reference grid.

Earth Engine's computePixels takes any grid (an affine transform and dimensions in a CRS), so the year is
always fetched on lines of the reference grid:
- reference cells of about AlphaEarth's 10 m (k = 1): fetched on that grid itself (Earth Engine resamples
  the 10 m layer onto it, nearest neighbour);
- coarser cells (a model's grid cell is 16 x 16 pixels, 160 m at 10 m): each cell is cut into kx x ky cells
  of about 10 m, that finer grid is fetched, and each reference cell is the mean of the kx x ky unit vectors
  it covers (cells AlphaEarth masks left out; NaN where all are masked). Asking Earth Engine for the coarse
  grid instead would resample the mosaic by its own rules (the collection's pyramid levels, then nearest
  neighbour), which say nothing exact about which 10 m cells a coarse cell stands for (nor can the tests'
  loopback service check them). The mean is computed here, exactly, block by block (memory flat in the
  grid's size).
"""

import math
import os
from typing import Any, Optional

import numpy as np

from ....shared import catalogue
from ....shared.errors import UserError, unreadable_raster
from ...geo import parse_crs
from ...i18n import tr
from .request import _crs_for_ee

NATIVE_M = catalogue.ALPHAEARTH.cell_size_m
BLOCK_BYTES = 16 * 1024 * 1024  # fetched cells read at a time when averaging (float32; about 5x that at peak)
METRES_PER_DEGREE = 111_320.0  # at the equator; a degree of longitude times cos(latitude)


def reference_grid(path: str) -> dict[str, Any]:
    """The grid of the raster at `path` (the GRID_LIKE raster), JSON-able: {"crs" (WKT), "transform"
    (affine order a, b, c, d, e, f), "width", "height"}. UserError for a missing or unreadable file, a
    raster without a CRS or a rotated or south-up grid."""
    import rasterio

    if not os.path.isfile(path):
        raise UserError(
            tr("The grid raster %s does not exist. Choose an existing raster (e.g. an embedding grid).") % path
        )
    try:
        with rasterio.open(path) as src:
            crs, t, width, height = src.crs, src.transform, src.width, src.height
    except Exception as exc:  # rasterio.errors.RasterioIOError and friends
        raise unreadable_raster(path, exc, "grid raster") from None
    if crs is None:
        raise UserError(
            tr(
                "The grid raster %s has no CRS, so AlphaEarth cannot be placed on it: set its CRS (e.g. with GDAL's "
                "Assign projection) or choose another raster."
            )
            % path
        )
    if t.b != 0 or t.d != 0 or t.a <= 0 or t.e >= 0:
        raise UserError(
            tr(
                "The grid raster %s is rotated or not north-up; AlphaEarth is fetched on north-up grids only. Warp it "
                "to a north-up grid first (GDAL's Warp) or choose another raster."
            )
            % path
        )
    return {"crs": crs.to_wkt(), "transform": [t.a, t.b, t.c, t.d, t.e, t.f], "width": width, "height": height}


def cells_per_cell(grid: dict[str, Any]) -> tuple[int, int]:
    """(kx, ky): into how many columns and rows of about AlphaEarth's 10 m one cell of `grid` is cut."""
    crs = parse_crs(grid["crs"], "grid raster")
    a, _, c, _, e, f = grid["transform"]
    if crs.is_geographic:
        lat = math.radians(f + e * grid["height"] / 2.0)
        size_x, size_y = a * METRES_PER_DEGREE * max(math.cos(lat), 1e-6), -e * METRES_PER_DEGREE
    else:
        factor = crs.linear_units_factor[1] if crs.linear_units_factor else 1.0
        size_x, size_y = a * factor, -e * factor
    return max(1, round(size_x / NATIVE_M)), max(1, round(size_y / NATIVE_M))


def fetch_grids(reference: dict[str, Any]) -> tuple[dict[str, Any], Optional[dict[str, Any]]]:
    """(the grid to fetch, in make_grid's form; the output grid with its "cells" [kx, ky] when the fetched
    cells are averaged onto it, else None: the fetched grid is the reference itself)."""
    crs = parse_crs(reference["crs"], "grid raster")
    a, _, c, _, e, f = (float(v) for v in reference["transform"])
    width, height = int(reference["width"]), int(reference["height"])
    kx, ky = cells_per_cell(reference)
    fetched = {
        "crs": crs.to_string(),
        "crs_for_ee": _crs_for_ee(crs),
        "transform": [a / kx, 0.0, c, 0.0, e / ky, f],
        "width": width * kx,
        "height": height * ky,
        "scale": a / kx,
    }
    if (kx, ky) == (1, 1):
        return fetched, None
    output = {"crs": crs.to_string(), "transform": [a, 0.0, c, 0.0, e, f], "width": width, "height": height}
    return fetched, dict(output, scale=a, cells=[kx, ky])


def average_cells(fetched: str, path: str, request: dict[str, Any], ctx: Any) -> None:
    """Write at `path` the mean of the fetched raster's kx x ky cells per cell of request["output_grid"]
    (NaN cells left out; NaN where all are), with its band names and tags; window by window, each window
    whole blocks of the fetched file where the cells allow (every block decoded once)."""
    import rasterio
    from rasterio.windows import Window

    from .fetch import _open_geotiff

    output = request["output_grid"]
    kx, ky = output["cells"]
    width, height = output["width"], output["height"]
    with rasterio.open(fetched) as src, _open_geotiff(path, dict(request, grid=output)) as dst:
        dst.descriptions = src.descriptions
        dst.update_tags(**src.tags())
        rows_at_once, cols_at_once = _window_cells(src.block_shapes[0], kx, ky, width, src.count)
        for row in range(0, height, rows_at_once):
            rows = min(rows_at_once, height - row)
            for col in range(0, width, cols_at_once):
                ctx.check_cancel()
                cols = min(cols_at_once, width - col)
                block = src.read(window=Window(col * kx, row * ky, cols * kx, rows * ky)).astype(np.float64)
                dst.write(_mean_of_cells(block, rows, cols, kx, ky), window=Window(col, row, cols, rows))
            ctx.progress(min(1.0, (row + rows) / float(height)), "averaging onto the grid")


def _window_cells(block: tuple, kx: int, ky: int, width: int, bands: int) -> tuple[int, int]:
    """(rows, columns) of output cells averaged at a time: at least one block of the fetched file high and
    wide, as many blocks wide as BLOCK_BYTES of fetched cells allow."""
    rows = max(1, -(-block[0] // ky))
    base = max(1, -(-block[1] // kx))
    per_column = rows * ky * kx * bands * 4
    return rows, min(width, base * max(1, BLOCK_BYTES // (per_column * base)))


def _mean_of_cells(block: np.ndarray, rows: int, width: int, kx: int, ky: int) -> np.ndarray:
    """(bands, rows, width) float32: the mean over each ky x kx group of `block`'s cells, NaN left out."""
    bands = block.shape[0]
    valid = ~np.isnan(block).any(axis=0)
    count = valid.reshape(rows, ky, width, kx).sum(axis=(1, 3))
    total = np.where(valid, block, 0.0).reshape(bands, rows, ky, width, kx).sum(axis=(2, 4))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
    return mean.astype(np.float32)
