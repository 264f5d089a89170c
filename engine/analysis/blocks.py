"""Shared machinery of the analysis jobs: block-wise raster reading, validity masks, a bounded
outputs that appear only when a job succeeds (the bounded sample of valid cells: sampling.py; the cells
under geometries: geometries.py).

Conventions used by every analysis job:
- A raster is read in windows (`iter_windows`), so memory depends on the block size and the
  number of bands, never on the raster's size. The job key "block_size" (cells per side) overrides
  the default (256, smaller for rasters with many bands).
- A cell is valid when every band is finite and differs from that band's nodata value (and the
  dataset's mask, where the file has one, says valid). An input with a band that holds no data at
  all (every value NaN, ±Inf or nodata) is refused naming that band; complex rasters are refused.
- Models are fitted on a bounded random sample of valid cells (`sample_valid`). Which cells are
  drawn depends only on the seed and the cells' positions (a hash of row * width + col), so the
  result is the same whatever the block size.
- Float outputs are float32 with nodata NaN; class outputs are uint8 (uint16 above 255 classes)
  with nodata 0 and classes 1..n.
- Outputs go through the output transaction (`outputs`): written under partial names beside their
  destination, verified, and renamed into place together only when the whole job succeeded. Rasters
  are streamed to the job's temporary folder (`raster_profile`) and copied to their partial names as
  Cloud Optimized GeoTIFFs at the commit (cog_rasters.py).
"""

import math
import os

import numpy as np

from ...shared import keys, raster_tags
from ...shared.errors import UserError, complex_raster, unreadable_raster
from ...shared.transaction import CSV, GEOTIFF, POLYGONS  # noqa: F401 (for the jobs)
from ..coverage import band_list, empty_bands
from ..i18n import tr, translatable
from ..pipeline.cog import ANALYSIS_TILE, interleave
from ..pipeline.outputs import transaction
from . import alphaearth

DEFAULT_BLOCK = 256
MIN_BLOCK = 1
# Default block side is halved until a float64 working copy of one block fits in this many bytes.
BLOCK_BUDGET_BYTES = 128 * 1024 * 1024

FLOAT_NODATA = float("nan")
CLASS_NODATA = 0


# -- opening rasters ----------------------------------------------------------------------------
def open_raster(path, what=translatable("input raster")):
    import rasterio

    what = tr(what)  # the raster in the user's words, in the job's language

    if not path or not os.path.exists(path):
        raise UserError(tr("The %s %r does not exist. Choose an existing raster file.") % (what, path))
    try:
        src = rasterio.open(path)
    except Exception as exc:  # rasterio.errors.RasterioIOError and friends
        raise unreadable_raster(path, exc, what) from exc
    if src.count < 1:
        src.close()
        raise UserError(tr("The %s %r has no bands.") % (what, path))
    complex_types = [t for t in src.dtypes if t.startswith("complex")]
    if complex_types:
        src.close()
        raise complex_raster(path, complex_types[0], what)
    return src


EMBEDDING_MAKER = translatable("'Compute embeddings' (terraembed:embed)")
# tags that mark a raster as embeddings or a product of them: the embed job's grid and PCA, the PCA job
_EMBEDDING_TAGS = (raster_tags.DIM, raster_tags.EXPLAINED_VARIANCE_RATIO)


def embedding_facts(path, src, ctx):
    """The model and dimensions of an embedding raster ({"model", "dimensions", "from"}): from its
    STAC sidecar (engine/pipeline/stac.read_facts) when one names this raster, else from its TERRAEMBED_*
    tags or Google's int8 AlphaEarth layout ("from": the sidecar's path or "tags"); a sidecar that cannot
    be read is ignored with a warning."""
    from ..pipeline.stac import read_facts

    tags = src.tags()
    dim = str(raster_tags.read(tags, raster_tags.DIM, ""))
    facts = {
        "model": alphaearth.embedding_model(src),
        "dimensions": int(dim) if dim.isdigit() else None,
        "from": "tags",
    }
    item = read_facts(path, ctx.warn)
    if item is not None:
        facts["from"] = item["sidecar"]
        facts.update({k: item[k] for k in ("model", "dimensions") if item[k] is not None})
    return facts


def open_embeddings(path, ctx, task, what=translatable("embedding raster")):
    """open_embedding_raster and the raster's embedding_facts, as (src, facts)."""
    facts = {}
    src = open_embedding_raster(path, ctx, task, what, facts)
    return src, facts


def open_embedding_raster(path, ctx, task, what=translatable("embedding raster"), facts=None):
    """open_raster for an analysis input, checked for being an embedding raster: one band is an
    error, a raster with neither a STAC sidecar nor the tags of an embedding grid a warning (it may
    be imagery), a sidecar whose dimensions are not the band count a warning. facts (a dict): filled
    with embedding_facts."""
    src = open_raster(path, what)
    what, task, maker = tr(what), tr(task), tr(EMBEDDING_MAKER)  # in the job's language
    if src.count < 2:
        src.close()
        raise UserError(
            tr(
                "The %s %r has only 1 band, so it is not an embedding raster (one band per "
                "embedding dimension, e.g. 768). %s works on embeddings: make an embedding grid "
                "with %s and use that."
            )
            % (what, path, task, maker)
        )
    alphaearth_int8 = alphaearth.announce(src, ctx, what)  # Google's int8 files: de-quantised by read_block
    tags = src.tags()
    found = embedding_facts(path, src, ctx)
    if facts is not None:
        facts.update(found)
    if found["from"] != "tags":
        ctx.log(
            tr("%s: embeddings of %s, %s dimensions (STAC sidecar %s).")
            % (what, found["model"] or tr("an unnamed model"), found["dimensions"] or src.count, found["from"])
        )
        if found["dimensions"] not in (None, src.count):
            ctx.warn(
                tr(
                    "The STAC sidecar %s says %d dimensions but the %s %r has %d bands; the sidecar belongs to "
                    "another raster. Delete it or compute the embeddings again."
                )
                % (found["from"], found["dimensions"], what, path, src.count)
            )
    elif not alphaearth_int8 and not any(raster_tags.has(tags, name) for name in _EMBEDDING_TAGS):
        ctx.warn(
            tr(
                "The %s %r has no TERRAEMBED_* metadata, so it was not made by %s; %s treats its %d "
                "bands as embedding dimensions. If it is imagery (e.g. reflectance), compute "
                "embeddings first."
            )
            % (what, path, maker, task, src.count)
        )
    return src


def refuse_empty_bands(src, what, side):
    """UserError naming the bands that hold no data anywhere (every cell NaN, ±Inf or nodata), read in
    blocks of side x side cells: no cell of the raster could be valid. A raster without any valid
    cell is told as such."""
    from rasterio.windows import Window

    def has_data(positions, window, out_shape):
        row, col, rows, cols = window
        win = Window(col, row, cols, rows)
        indexes = [p + 1 for p in positions]
        shape = None if out_shape is None else (len(indexes),) + tuple(out_shape)
        return ~_band_invalid(src, _read(src, indexes, win, shape), indexes, win, out_shape)

    empty = empty_bands(has_data, src.count, src.height, src.width, side)
    if len(empty) == src.count:
        raise no_valid_cells_error(src.name)
    if empty:
        raise UserError(
            tr(
                "The %s %r holds no data in %s: every cell there is NaN, ±Inf or nodata, so no cell has "
                "a whole embedding. Compute the embeddings again, or choose another raster."
            )
            % (what, src.name, band_list([i + 1 for i in empty]))
        )


def block_side(count, block_size=None):
    """Cells per block side: the job's "block_size", or 256 halved for rasters with many bands."""
    if block_size is not None:
        return keys.whole({"block_size": block_size}, "block_size", DEFAULT_BLOCK, minimum=MIN_BLOCK)
    side = DEFAULT_BLOCK
    while side > 32 and side * side * count * 8 > BLOCK_BUDGET_BYTES:
        side //= 2
    return side


def iter_windows(width, height, side):
    """Windows of side x side cells (clipped at the edges), row of blocks by row of blocks."""
    from rasterio.windows import Window

    for row in range(0, height, side):
        for col in range(0, width, side):
            yield Window(col, row, min(side, width - col), min(side, height - row))


def count_windows(width, height, side):
    return int(math.ceil(height / side)) * int(math.ceil(width / side))


def _uses_dataset_mask(src):
    from rasterio.enums import MaskFlags

    flags = src.mask_flag_enums
    return any(MaskFlags.per_dataset in f or MaskFlags.alpha in f for f in flags)


def read_block(src, window, bands=None):
    """Read one window as (cells, bands) float32 values and a (cells,) validity mask.

    Cells are in row-major order within the window. Invalid: any band non-finite, equal to its
    nodata value, or masked by the dataset's mask/alpha band. AlphaEarth's int8 files come
    de-quantised (alphaearth.py).
    """
    indexes = list(bands) if bands is not None else list(range(1, src.count + 1))
    data = _read(src, indexes, window)
    invalid = _band_invalid(src, data, indexes, window).any(axis=0)
    values = data.reshape(data.shape[0], -1).T
    values = alphaearth.dequantise(values) if alphaearth.is_quantised(src) else values.astype(np.float32, copy=False)
    return values, ~invalid.reshape(-1)


def _read(src, indexes, window, out_shape=None):
    import rasterio.errors

    try:
        return src.read(indexes, window=window, out_shape=out_shape)
    except rasterio.errors.RasterioError as exc:  # e.g. a truncated file whose header is intact
        raise unreadable_raster(src.name, exc) from exc


def _band_invalid(src, data, indexes, window, out_shape=None):
    """(bands, h, w) True where a band's value is its nodata value, NaN, ±Inf (also once float32:
    float64 values beyond its range), or masked by the dataset's mask/alpha band."""
    invalid = np.zeros(data.shape, dtype=bool)
    nodatavals = src.nodatavals
    for i, band in enumerate(indexes):
        nd = nodatavals[band - 1] if nodatavals else None
        if nd is not None and not (isinstance(nd, float) and math.isnan(nd)):
            invalid[i] |= data[i] == np.asarray(nd).astype(data.dtype)
    if np.issubdtype(data.dtype, np.floating):
        with np.errstate(over="ignore"):
            invalid |= ~np.isfinite(data.astype(np.float32, copy=False))
    if _uses_dataset_mask(src):
        invalid |= (src.dataset_mask(window=window, out_shape=out_shape) == 0)[None]
    return invalid


def cell_index(window, width):
    """Global cell index (row * width + col) of every cell of a window, row-major, as uint64."""
    rows = np.arange(int(window.row_off), int(window.row_off + window.height), dtype=np.uint64)
    cols = np.arange(int(window.col_off), int(window.col_off + window.width), dtype=np.uint64)
    return (rows[:, None] * np.uint64(width) + cols[None, :]).reshape(-1)


def no_valid_cells_error(path):
    return UserError(
        tr(
            "The raster %r has no valid cells (every cell is NaN, ±Inf or nodata in at least one band). "
            "Check its nodata value, or choose another raster."
        )
        % path
    )


# -- outputs ------------------------------------------------------------------------------------
def outputs(job, inputs=()):
    """The job's output transaction (shared/transaction.py): `tmp = outs.add(dest, what, formats, nbytes)`
    checks a destination and returns the partial path to write; `outs.commit()` at the very end.
    Leaving the `with` block by an exception (error, cancel) removes every partial."""
    return transaction(job, inputs)


def raster_profile(src, count, dtype, nodata):
    """The profile of a raster streamed on src's grid to the job's temporary folder (cog_rasters.py):
    tiled as the COG it becomes, uncompressed (it is compressed once, by the COG copy)."""
    profile = {
        "driver": "GTiff",
        "width": src.width,
        "height": src.height,
        "count": count,
        "dtype": dtype,
        "crs": src.crs,
        "transform": src.transform,
        "nodata": nodata,
        "tiled": True,
        "blockxsize": ANALYSIS_TILE,
        "blockysize": ANALYSIS_TILE,
        "BIGTIFF": "IF_SAFER",
    }
    if count > 1:
        profile["interleave"] = interleave(count)
    return profile


def map_blocks(src, side, ctx, dsts, func, stage="write"):
    """For every window: func(values, valid, window) -> one (cells, bands) array per dst (None
    for a dst that is None); written into the dsts at that window."""
    total = count_windows(src.width, src.height, side)
    for i, window in enumerate(iter_windows(src.width, src.height, side)):
        ctx.check_cancel()
        values, valid = read_block(src, window)
        arrays = func(values, valid, window)
        h, w = int(window.height), int(window.width)
        for dst, arr in zip(dsts, arrays):
            if dst is not None:
                dst.write(np.ascontiguousarray(arr.T).reshape(dst.count, h, w), window=window)
        ctx.progress((i + 1) / total, stage)


def class_dtype(n_classes):
    return "uint8" if n_classes <= 255 else "uint16"


# -- palettes -----------------------------------------------------------------------------------
_QUALITATIVE = [  # matplotlib's tab20, reordered: strong colours first
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (174, 199, 232),
    (255, 187, 120),
    (152, 223, 138),
    (255, 152, 150),
    (197, 176, 213),
    (196, 156, 148),
    (247, 182, 210),
    (199, 199, 199),
    (219, 219, 141),
    (158, 218, 229),
]


def palette(n_classes):
    """{code: (r, g, b, a)} for codes 1..n (0, nodata, transparent)."""
    import colorsys

    colours = {CLASS_NODATA: (0, 0, 0, 0)}
    for code in range(1, n_classes + 1):
        if code <= len(_QUALITATIVE):
            r, g, b = _QUALITATIVE[code - 1]
        else:  # golden-angle hues, alternating lightness
            h = (code * 0.618033988749895) % 1.0
            r, g, b = (int(255 * c) for c in colorsys.hls_to_rgb(h, 0.45 + 0.15 * (code % 2), 0.65))
        colours[code] = (r, g, b, 255)
    return colours


def write_class_metadata(dst, names):
    """Palette, class-name tags and a band description on a class raster (codes 1..n)."""
    dst.write_colormap(1, palette(len(names)))
    tags = {raster_tags.CLASSES: [str(n) for n in names], raster_tags.NODATA_CLASS: CLASS_NODATA}
    dst.update_tags(**raster_tags.written(tags))
    dst.set_band_description(1, "class (0 = nodata)")
