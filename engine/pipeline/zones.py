"""Embeddings for features, "cells" vectors (catalogue.FEATURE_VECTORS): a feature's vector is the
mean of the embedding grid's cells whose centres lie inside it, and `cells` is how many there are, so
zones merge exactly: for features A and B that share no cell,
    mean(A + B) = (cells_A * mean_A + cells_B * mean_B) / (cells_A + cells_B)
(sum = mean x cells). The grid is the one *Compute embeddings* writes for the whole raster in tile
preparation without overlap (tiling.py: 224-pixel chips from the raster's origin, one cell per 16 x 16
pixels, each cell from the first chip covering it), so a cell's vector does not depend on which
feature asks for it; only the chips owning a cell of some feature run. A cell counts when its centre
lies strictly inside the feature (a point: inside its buffer square; a centre on the boundary counts
for no feature) and it has data (a cell whose pixels are all nodata is NaN in that grid).
"""

from dataclasses import dataclass, field

import numpy as np
import rasterio

from ...shared.errors import UserError
from ..i18n import tr
from . import common
from .chips import tile_producer
from .prefetch import Prefetcher
from .tiling import PATCH, plan_tiles

NO_CELL = (
    "no grid cell's centre lies inside it (cells are 16 x 16 pixels); use the 'chip' feature vector or a "
    "larger feature (points: a larger buffer)"
)


@dataclass
class Zone:
    """One feature's cells: the grid rows r0..r1-1, columns c0..c1-1 and which of them are inside."""

    r0: int
    c0: int
    inside: np.ndarray  # (rows, cols) bool
    total: np.ndarray = field(default=None)  # (D,) float64 sum of the valid inside cells
    cells: int = 0

    @property
    def r1(self):
        return self.r0 + self.inside.shape[0]

    @property
    def c1(self):
        return self.c0 + self.inside.shape[1]


def feature_geometry(feature, transform):
    """The feature's shapely geometry in the raster's CRS (`transform`: a function of shapely geometries
    from the features' CRS, or None), or a str saying why there is none."""
    from shapely import wkt
    from shapely.geometry import box

    text = feature.get("geometry")
    if text:
        try:
            geom = wkt.loads(text)
        except Exception:
            return "its geometry is not valid WKT"
    else:
        try:
            geom = box(*[float(v) for v in feature["bounds"]])
        except (KeyError, TypeError, ValueError):
            return "no valid bounds (xmin, ymin, xmax, ymax)"
    return transform(geom) if transform is not None else geom


def crs_transform(features_crs, raster_crs):
    """A function taking shapely geometries from features_crs to raster_crs (None: the same CRS)."""
    if features_crs is None or raster_crs is None or features_crs == raster_crs:
        return None
    from rasterio.warp import transform_geom
    from shapely.geometry import mapping, shape

    def apply(geom):
        return shape(transform_geom(features_crs, raster_crs, mapping(geom)))

    return apply


def zone_of(geom, grid_transform, rows, cols):
    """The Zone of a geometry on a grid of rows x cols cells (its affine transform), or a reason."""
    import shapely

    inv = ~grid_transform
    xmin, ymin, xmax, ymax = geom.bounds
    cs, rs = zip(*[inv * (x, y) for x in (xmin, xmax) for y in (ymin, ymax)])
    r0, r1 = max(int(np.floor(min(rs))), 0), min(int(np.ceil(max(rs))), rows)
    c0, c1 = max(int(np.floor(min(cs))), 0), min(int(np.ceil(max(cs))), cols)
    if r1 <= r0 or c1 <= c0:
        return "it lies outside the raster"
    rr, cc = np.mgrid[r0:r1, c0:c1]
    xs, ys = grid_transform * (cc + 0.5, rr + 0.5)
    inside = shapely.contains_xy(geom, np.asarray(xs, float), np.asarray(ys, float))
    if not inside.any():
        return NO_CELL
    return Zone(r0, c0, inside)


def embed_cells(source, features, features_crs, model, batch_size, ctx, read_ahead=True, read_threads=1):
    """({fid: D floats | None}, {fid: cells}, {fid: reason}) of the "cells" vectors of `features`."""
    plan = plan_tiles(source.window.height, source.window.width)
    grid_transform = source.window_transform() * rasterio.Affine.scale(PATCH, PATCH)
    transform = crs_transform(features_crs, source.crs)
    zones, skipped = {}, {}
    for feature in features:
        fid = str(feature.get("id"))
        if feature.get("bounds") is None and feature.get("missing"):
            skipped[fid] = str(feature["missing"])
            continue
        geom = feature_geometry(feature, transform)
        zone = geom if isinstance(geom, str) else zone_of(geom, grid_transform, plan.grid_rows, plan.grid_cols)
        if isinstance(zone, str):
            skipped[fid] = zone
        else:
            zone.total = np.zeros(model.spec.dim, np.float64)
            zones[fid] = zone
    if not zones:
        raise UserError(
            tr("None of the %d feature(s) can be embedded: %s")
            % (len(features), "; ".join("%s: %s" % kv for kv in list(skipped.items())[:5]))
        )
    chips, owners = _chips_needed(plan, zones)
    ctx.log(tr("Cells of %d feature(s) from %d chip(s) of the raster's tile grid.") % (len(zones), len(chips)))
    done, checked = 0, False
    produce = tile_producer(source, plan, batch_size, read_threads, chips)
    with Prefetcher(produce, maxsize=2, read_ahead=read_ahead) as prefetch:
        for batch in prefetch:
            ctx.check_cancel()
            if batch.raw is not None:
                if not checked:  # the first chip with data
                    checked = common.check_value_range(batch.raw[:1], model.spec, ctx) or True
                _, grids = model.embed(batch.raw)
                for item in batch.items:
                    if item.slot >= 0:
                        _add_chip(item, grids[item.slot], [zones[fid] for fid in owners[item.chip.index]])
            done += len(batch.items)
            ctx.progress(done / float(max(len(chips), 1)), "infer")
    vectors, counts = {}, {}
    for fid in [str(f.get("id")) for f in features]:
        zone = zones.get(fid)
        if zone is not None and zone.cells:
            vectors[fid] = [float(v) for v in (zone.total / zone.cells).astype(np.float32)]
            counts[fid] = int(zone.cells)
        else:
            vectors[fid] = None
            if zone is not None:
                skipped[fid] = "all its cells are nodata"
    return vectors, counts, skipped


def _chips_needed(plan, zones):
    """The plan's chips that own a cell inside some zone (plan order), and {chip index: [fid]}."""
    owners = {}
    ncols = len(plan.col_chips)
    for fid, zone in zones.items():
        for ri, row in enumerate(plan.row_chips):
            a0, a1 = max(row.own_start, zone.r0), min(row.own_end, zone.r1)
            if a0 >= a1:
                continue
            for ci, col in enumerate(plan.col_chips):
                b0, b1 = max(col.own_start, zone.c0), min(col.own_end, zone.c1)
                if b0 < b1 and zone.inside[a0 - zone.r0 : a1 - zone.r0, b0 - zone.c0 : b1 - zone.c0].any():
                    owners.setdefault(ri * ncols + ci, []).append(fid)
    chips = [chip for chip in plan.chips if chip.index in owners]
    return chips, owners


def _add_chip(item, grid, zones):
    """Add the cells a chip owns (grid: its (D, 14, 14) output) to the zones they lie in."""
    gr0, gc0, nr, nc = item.chip.owned_cells
    rs, cs = item.chip.owned_slice
    block = np.asarray(grid[:, rs, cs], np.float64)
    valid = item.cell_valid[rs, cs]
    for zone in zones:
        a0, a1 = max(gr0, zone.r0), min(gr0 + nr, zone.r1)
        b0, b1 = max(gc0, zone.c0), min(gc0 + nc, zone.c1)
        if a0 >= a1 or b0 >= b1:
            continue
        take = zone.inside[a0 - zone.r0 : a1 - zone.r0, b0 - zone.c0 : b1 - zone.c0]
        take = take & valid[a0 - gr0 : a1 - gr0, b0 - gc0 : b1 - gc0]
        zone.total += block[:, a0 - gr0 : a1 - gr0, b0 - gc0 : b1 - gc0][:, take].sum(axis=1)
        zone.cells += int(take.sum())
