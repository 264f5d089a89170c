"""Geometries on an embedding raster: WKT parsed with a message that says what to fix, and the valid
cells under a list of geometries, block by block."""

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr, translatable
from .blocks import cell_index, iter_windows, read_block


def parse_wkt(text, what=translatable("geometry")):
    from shapely import wkt as shapely_wkt

    if not isinstance(text, str) or not text.strip():
        raise UserError(tr("A %s is empty; give it as WKT in the raster's CRS.") % what)
    try:
        geom = shapely_wkt.loads(text)
    except Exception as exc:
        raise UserError(tr("A %s is not valid WKT (%s): %r") % (what, exc, text[:120])) from exc
    if geom.is_empty:
        raise UserError(tr("A %s is empty: %r") % (what, text[:120]))
    return geom


def _window_bounds(src, window):
    from rasterio.windows import bounds

    left, bottom, right, top = bounds(window, src.transform)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def iter_cells_under(src, geoms, side, ctx, stage="read features", all_touched=False):
    """Yield (values (m, bands), feature index (m,), cell index (m,)) for the valid cells under the
    geometries, block by block. Polygons take the cells whose centres they contain; points the
    cell they fall in; lines the cells they cross. A geometry that covers no cell centre (a polygon
    smaller than a cell) takes the cells it touches instead. With all_touched, every geometry takes
    every cell it touches. Where geometries overlap, a cell belongs to the later one."""
    from rasterio.features import rasterize
    from rasterio.windows import transform as window_transform
    from shapely import STRtree, box

    tree = STRtree([box(*g.bounds) for g in geoms])  # bounding boxes: a quick window filter
    windows = list(iter_windows(src.width, src.height, side))
    hits = np.zeros(len(geoms), dtype=np.int64)
    # first pass: centre cells (or touched cells with all_touched), over 0..0.9 of the progress;
    # second pass: touched cells of the geometries that covered no cell centre
    passes = [(all_touched, None, 0.0, 1.0 if all_touched else 0.9)]
    if not all_touched:
        passes.append((True, "missed", 0.9, 1.0))
    total = len(windows)
    for touched, which, lo, hi in passes:
        todo = np.ones(len(geoms), dtype=bool) if which is None else hits == 0
        if not todo.any():
            break
        for w_i, window in enumerate(windows):
            ctx.check_cancel()
            here = np.sort(tree.query(box(*_window_bounds(src, window))))
            here = [int(i) for i in here if todo[i]]  # in input order: later geometries win
            if here:
                burned = rasterize(
                    [(geoms[i], i + 1) for i in here],
                    out_shape=(int(window.height), int(window.width)),
                    transform=window_transform(window, src.transform),
                    fill=0,
                    all_touched=touched,
                    dtype="int32",
                ).reshape(-1)
                under = burned > 0
                if under.any():
                    hits += np.bincount(burned[under] - 1, minlength=len(geoms))
                    values, valid = read_block(src, window)
                    keep = under & valid
                    if keep.any():
                        yield (values[keep], burned[keep] - 1, cell_index(window, src.width)[keep])
            ctx.progress(lo + (hi - lo) * (w_i + 1) / total, stage)
    ctx.progress(1.0, stage)
