"""Cloud Optimized GeoTIFF outputs: the embed job's grid, PCA raster and model-input copy, the analysis
jobs' rasters (engine/analysis/cog_rasters.py: the ANALYSIS layout; the PCA job's in the GRID one), and the
rasters the Earth Engine fetch jobs write (composite, AlphaEarth year: the IMAGERY layout).

A COG needs its image file directories (IFDs) first, then the overviews' data from the smallest up,
then the full-resolution data last; the grid arrives row by row, so it cannot be written that way in
one pass. `write_cog` takes the streamed GeoTIFF (written to the job's temporary folder as before:
float32, band interleaved, tiled in blocks of 16 rows, NaN nodata, tags and descriptions set) with
its overviews (average resampling, which leaves NaN cells out of each mean: averaged vectors for the
grid, averaged colours for the PCA): the embed job's grid brings them made as its rows were written
(overviews.py: the same bits GDAL's give, without reading the grid back), given to GDAL as the
overviews of a VRT of the streamed grid; the PCA's are built here by GDAL. GDAL then copies it with
COPY_SRC_OVERVIEWS to the output's partial name: the layout GDAL's COG driver writes (validated in tests by GDAL's
validate_cloud_optimized_geotiff), with the band interleaving and the tiles of today (GDAL's COG
driver only interleaves by pixel before GDAL 3.11, which for a 768-band grid makes one tile of
512 x 512 cells weigh 800 MB). GDAL copies the georeference, nodata, tags, band descriptions and
colour interpretation.

Costs: the overviews add at most a third to the file (`cog_bytes`, the free-space estimate); while
the job runs, the streamed copy and its overviews also sit in the temporary folder
(`require_scratch_space`); GDAL reads and writes block by block within its capped block cache, so
memory stays as before.
"""

import math
import os
from typing import Optional, Sequence

from ...shared.space import require_space
from .outputs import BLOCK_ROWS, block_width, raster_bytes

GRID = "grid"  # the embed job's grid and PCA: band interleaved, blocks of BLOCK_ROWS rows as wide as the raster
IMAGERY = "imagery"  # fetched Earth Engine rasters: pixel interleaved, IMAGERY_TILE squares, as they were fetched
IMAGERY_TILE = 256
ANALYSIS = "analysis"  # analysis rasters: ANALYSIS_TILE squares, pixel interleaved up to 4 bands, DEFLATE
ANALYSIS_TILE = 256
OVERVIEW_SIDE = 256  # overviews halve the raster until its longer side is at most this many cells
OVERVIEW_BLOCK = 64  # GDAL tiles overviews in squares (GDAL_TIFF_OVR_BLOCKSIZE); small ones waste least
RESAMPLING = "average"  # values: the mean of the cells below, NaN (nodata) cells left out
CLASS_RESAMPLING = "mode"  # classes: the most frequent class of the cells below, nodata left out
SAMPLE_RESAMPLING = "nearest"  # one cell's values: whole numbers stay whole


def overview_factors(width: int, height: int) -> list:
    """The overview levels of a width x height raster: 2, 4, 8 ... until the smallest level's longer
    side is at most OVERVIEW_SIDE cells (none for a raster that small already)."""
    factors, side = [], max(int(width), int(height))
    while side > OVERVIEW_SIDE:
        factors.append(2 ** (len(factors) + 1))
        side = int(math.ceil(side / 2.0))
    return factors


def cog_bytes(width: int, height: int, count: int, dtype: str = "float32", tile: Optional[int] = None) -> int:
    """Uncompressed size of the COG: the full resolution and every overview level, each padded to
    whole tiles (the free-space estimate of a COG output; tile: the side of its square tiles, None for
    the GRID layout's blocks)."""
    import numpy as np

    if tile:
        total = _padded(width, tile) * _padded(height, tile) * int(count) * np.dtype(dtype).itemsize
    else:
        total = raster_bytes(width, height, count, dtype)
    for f in overview_factors(width, height):
        w, h = _whole(math.ceil(width / float(f))), _whole(math.ceil(height / float(f)))
        total += w * h * int(count) * np.dtype(dtype).itemsize
    return total


def _whole(cells: int) -> int:
    """cells padded to whole overview tiles."""
    return _padded(cells, OVERVIEW_BLOCK)


def _padded(cells: int, tile: int) -> int:
    return int(tile) * int(math.ceil(cells / float(tile)))


def interleave(count: int) -> str:
    """How an analysis raster of count bands interleaves them: by pixel up to 4 bands (a cell's values
    read together), by band above (a few bands of many read alone)."""
    return "band" if count > 4 else "pixel"


def require_scratch_space(tx, folder: str, nbytes: int, what: str) -> None:
    """Refuse (OutputError) when the temporary folder lacks room for the streamed rasters (nbytes) on
    top of the transaction's outputs that share its file system."""
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return
    shared = 0
    for o in tx.outputs:
        try:
            if os.stat(o.folder).st_dev == device:
                shared += o.nbytes
        except OSError:
            continue
    require_space(
        folder,
        nbytes + shared,
        what,
        "Free some space in the temporary folder or the output folder, or choose a smaller area",
    )


def write_cog(
    scratch: str,
    partial: str,
    compress: str = "none",
    check_cancel=None,
    overviews: Optional[Sequence[str]] = None,
    layout: str = GRID,
    resampling: str = RESAMPLING,
) -> None:
    """Give the streamed GeoTIFF at scratch its overviews and copy it to partial as a COG
    (compress: the job's grid_compression, "none" or "deflate"; overviews: the levels' streamed
    GeoTIFFs when they were made as the rows were written (overviews.py), else GDAL builds them here
    from scratch, resampled by `resampling` (RESAMPLING, CLASS_RESAMPLING or SAMPLE_RESAMPLING); layout:
    GRID, IMAGERY for a fetched raster (DEFLATE with the floating-point predictor as the fetch writes it)
    or ANALYSIS). GDAL's steps cannot be interrupted (a full tile's grid: about 7 s each on the machine of
    benchmarks/README.md); check_cancel() runs before each."""
    import rasterio
    import rasterio.shutil
    from rasterio.enums import Resampling
    from rasterio.io import MemoryFile

    for_cancel = check_cancel or (lambda: None)
    for_cancel()
    if not overviews:
        with rasterio.Env(GDAL_TIFF_OVR_BLOCKSIZE=OVERVIEW_BLOCK), rasterio.open(scratch, "r+") as ds:
            factors = overview_factors(ds.width, ds.height)
            if factors:
                ds.build_overviews(factors, getattr(Resampling, resampling))
    for_cancel()
    with rasterio.Env(GDAL_TIFF_OVR_BLOCKSIZE=OVERVIEW_BLOCK):
        if not overviews:
            with rasterio.open(scratch) as src:
                shape = src.width, src.count, src.dtypes[0]
            rasterio.shutil.copy(scratch, partial, driver="GTiff", **_cog_options(shape, compress, layout))
            return
        with MemoryFile(_with_overviews(scratch, overviews), ext=".vrt") as mem, mem.open() as src:
            shape = src.width, src.count, src.dtypes[0]
            rasterio.shutil.copy(src, partial, driver="GTiff", **_cog_options(shape, compress, layout))


def _cog_options(shape: tuple, compress: str, layout: str = GRID) -> dict:
    """GDAL's creation options of the COG copy; shape: (width, band count, data type) of the raster."""
    width, count, dtype = shape
    options = {
        "COPY_SRC_OVERVIEWS": "YES",
        "TILED": "YES",
        "BLOCKXSIZE": block_width(width),
        "BLOCKYSIZE": BLOCK_ROWS,
        "INTERLEAVE": "BAND",
        "BIGTIFF": "IF_SAFER",
    }
    if layout == IMAGERY:
        options.update(BLOCKXSIZE=IMAGERY_TILE, BLOCKYSIZE=IMAGERY_TILE, INTERLEAVE="PIXEL")
        if compress == "deflate":
            options.update(COMPRESS="DEFLATE", PREDICTOR=3)
        return options
    if layout == ANALYSIS:
        options.update(BLOCKXSIZE=ANALYSIS_TILE, BLOCKYSIZE=ANALYSIS_TILE, INTERLEAVE=interleave(count).upper())
        if compress == "deflate":  # values: the floating-point predictor (about 6 % smaller); classes: none (smaller)
            options.update(COMPRESS="DEFLATE", PREDICTOR=3 if dtype.startswith("float") else 1)
        return options
    if compress == "deflate":
        options.update(COMPRESS="DEFLATE", ZLEVEL=1, PREDICTOR=1)
    return options


def _with_overviews(scratch: str, overviews: Sequence[str]) -> bytes:
    """A VRT of scratch (GDAL's own: georeference, nodata, tags, descriptions) whose bands have the
    levels' files as their overviews."""
    import xml.etree.ElementTree as ET

    import rasterio.shutil
    from rasterio.io import MemoryFile

    with MemoryFile(ext=".vrt") as mem:
        rasterio.shutil.copy(scratch, mem.name, driver="VRT")
        root = ET.fromstring(bytes(mem.getbuffer()))  # nosec B314: the VRT GDAL just wrote of our own scratch file
    for band in root.iter("VRTRasterBand"):
        for path in overviews:
            overview = ET.SubElement(band, "Overview")
            ET.SubElement(overview, "SourceFilename", relativeToVRT="0").text = os.path.abspath(path)
            ET.SubElement(overview, "SourceBand").text = band.get("band")
    return ET.tostring(root)
