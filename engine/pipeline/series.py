"""The series format: embedding rasters of several periods on one grid, listed in one GDAL VRT.

A series is `<name>.vrt`, a GDAL virtual raster that QGIS opens like any raster: its bands are the
periods' bands in order (period 1's bands 1..D, then period 2's ...), each a plain source in the
period's own GeoTIFF, named relative to the VRT (the series and its files move together). Every period
file is on exactly one grid (same CRS, transform and size). The VRT's default-domain metadata item
TERRAEMBED_SERIES holds what the series is, as JSON:

    {"version": 1, "model": "terramind_v1_base", "dimensions": 768,
     "periods": [{"label": "2019", "start": "2019-01-01", "end": "2020-01-01", "file": "name_2019.tif"}, ...]}

(end exclusive). Why a VRT: QGIS opens it, one file lists the periods in order with their dates, and
it needs nothing beyond GDAL. Band k of period p is band p * D + k of the VRT (`Series.band`).

`write_series` writes the VRT (no pixels: the period files must already be written, the VRT is
committed last), `read_series` opens one and checks it (files present, one grid, one model and
dimension count, at least two periods in order), `series_from_rasters` makes a series of existing
embedding rasters (those not on the first one's grid are resampled onto it). `resampling_onto` is how any
raster goes onto a series' grid (here and in the analysis of a series): the average of the cells each grid
cell covers when the raster's cells are smaller, nearest neighbour otherwise; a resampled period's entry in
TERRAEMBED_SERIES says which ("resampling": "average" or "nearest").
"""

import json
import os
import xml.etree.ElementTree as ET  # building the VRT only (GDAL reads it)
from dataclasses import dataclass, replace
from typing import Any, Mapping, Optional, Sequence

from ...shared import raster_tags
from ...shared.errors import UserError
from ...shared.periods import Period, PeriodError, check_series, period_file
from ...shared.transaction import VRT
from ..i18n import tr
from .onto_grid import OntoGrid, resampling_onto

__all__ = ["VRT", "Period", "Series", "read_series", "series_from_rasters", "write_series"]

SERIES_TAG = raster_tags.SERIES
VERSION = 1


@dataclass(frozen=True)
class Series:
    """An opened, checked series: periods in order, their files as absolute paths, the one grid."""

    path: str
    model: str
    dimensions: int
    periods: tuple  # of Period, file absolute
    crs: Any
    transform: Any
    width: int
    height: int

    @property
    def files(self) -> list:
        return [p.file for p in self.periods]

    def band(self, period: int, dimension: int) -> int:
        """The VRT's 1-based band of `dimension` (0-based) of period number `period` (0-based)."""
        return period * self.dimensions + dimension + 1


# -- writing ---------------------------------------------------------------------------------------
def write_series(
    path: str,
    periods: Sequence[Period],
    *,
    model: str,
    dimensions: int,
    grid: Any,
    dest: Optional[str] = None,
    band_names: Optional[Sequence[str]] = None,
    resampling: Optional[Mapping[str, str]] = None,
) -> None:
    """Write the series VRT at `path` (a partial name; `dest`: the final name, default `path`, the folder
    its sources are relative to). periods: in order, `file` the final path of each period's raster.
    grid: anything with crs, transform, width, height (an open raster of the series' grid).
    band_names: the D bands' names (default emb_000 ..). resampling: {label: AVERAGE or NEAREST} of the
    periods resampled onto the grid (listed in their entries)."""
    try:
        check_series(list(periods))
    except PeriodError as exc:
        raise UserError(str(exc)) from None
    folder = os.path.dirname(os.path.abspath(dest or path))
    names = list(band_names or ["emb_%03d" % i for i in range(dimensions)])
    root = ET.Element("VRTDataset", rasterXSize=str(grid.width), rasterYSize=str(grid.height))
    ET.SubElement(root, "SRS").text = grid.crs.to_wkt()  # GDAL reads it in GIS axis order
    ET.SubElement(root, "GeoTransform").text = ", ".join(repr(float(v)) for v in grid.transform.to_gdal())
    meta = ET.SubElement(root, "Metadata")
    listed = [
        {"label": p.label, "start": p.start, "end": p.end, "file": os.path.relpath(os.path.abspath(p.file), folder)}
        for p in periods
    ]
    for entry in listed:
        if resampling and entry["label"] in resampling:
            entry["resampling"] = resampling[entry["label"]]
    info = {"version": VERSION, "model": model, "dimensions": int(dimensions), "periods": listed}
    ET.SubElement(meta, "MDI", key=SERIES_TAG).text = json.dumps(info)
    band = 0
    for period, entry in zip(periods, listed):
        for k in range(dimensions):
            band += 1
            _source_band(root, band, "%s %s" % (period.label, names[k]), entry["file"], k + 1, grid)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=False)


def _source_band(root: ET.Element, band: int, description: str, filename: str, source_band: int, grid: Any) -> None:
    node = ET.SubElement(root, "VRTRasterBand", dataType="Float32", band=str(band))
    ET.SubElement(node, "Description").text = description
    ET.SubElement(node, "NoDataValue").text = "nan"
    src = ET.SubElement(node, "SimpleSource")
    ET.SubElement(src, "SourceFilename", relativeToVRT="1").text = filename.replace(os.sep, "/")
    ET.SubElement(src, "SourceBand").text = str(source_band)
    rect = {"xOff": "0", "yOff": "0", "xSize": str(grid.width), "ySize": str(grid.height)}
    ET.SubElement(src, "SrcRect", rect)
    ET.SubElement(src, "DstRect", rect)


# -- reading ---------------------------------------------------------------------------------------
def series_info(path: str) -> dict:
    """The TERRAEMBED_SERIES metadata of the VRT at `path` (UserError when it is not a series). GDAL reads
    it (a VRT opens even when its sources are missing: read_series names those)."""
    import rasterio

    if not os.path.isfile(path):
        raise UserError(tr("The series %s does not exist. Choose a series file (.vrt) made by TerraEmbed.") % path)
    try:
        with rasterio.open(path) as ds:
            text = ds.tags().get(SERIES_TAG)
    except Exception as exc:  # rasterio.errors.RasterioIOError and friends
        raise UserError(tr("The series %s cannot be read (%s); choose a series file (.vrt).") % (path, exc)) from None
    if text is None:
        raise UserError(
            tr(
                "%s is not a TerraEmbed series (it has no %s metadata): make one with Build a series or by "
                "computing embeddings with periods."
            )
            % (path, SERIES_TAG)
        )
    return _parse_info(path, text)


def _parse_info(path: str, text: str) -> dict:
    try:
        info = json.loads(text)
        info["periods"] = [
            Period(str(p["label"]), str(p["start"]), str(p["end"]), str(p["file"])) for p in info["periods"]
        ]
        info["dimensions"] = int(info["dimensions"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(
            tr("The series %s has damaged %s metadata (%s); build it again.") % (path, SERIES_TAG, exc)
        ) from None
    if info.get("version") != VERSION:
        raise UserError(
            tr("The series %s is of version %r; this TerraEmbed reads version %d: update the plugin.")
            % (path, info.get("version"), VERSION)
        )
    return info


def read_series(path: str) -> Series:
    """Open the series at `path` and check it: at least two periods in order without overlap, every
    period file present (a moved or deleted one named), all on one grid and of one model and dimension
    count (the odd one named)."""
    path = os.path.abspath(path)
    info = series_info(path)
    folder = os.path.dirname(path)
    periods = [replace(p, file=os.path.normpath(os.path.join(folder, p.file))) for p in info["periods"]]
    try:
        check_series(periods)
    except PeriodError as exc:
        raise UserError(tr("The series %s: %s") % (path, exc)) from None
    for p in periods:
        if not os.path.isfile(p.file):
            raise UserError(
                tr(
                    "The series %s lists the file of period %s as %s, which is not there: it was moved, renamed or "
                    "deleted. Put it back beside the series, or build the series again."
                )
                % (path, p.label, p.file)
            )
    first = _check_files(path, periods, info["model"], info["dimensions"])
    return Series(path, info["model"], info["dimensions"], tuple(periods), *first)


def _check_files(path: str, periods: list, model: str, dimensions: int) -> tuple:
    """(crs, transform, width, height) of the first period; UserError naming a period file off that
    grid or of another model or dimension count."""
    import rasterio

    grid: tuple = ()
    for p in periods:
        with rasterio.open(p.file) as src:
            found = raster_tags.read(src.tags(), raster_tags.MODEL)
            if src.count != dimensions or (model and found and found != model):
                raise UserError(
                    tr("The series %s mixes models: period %s (%s) holds %d bands of %s, the series %d of %s. "
                    "Build the series from embeddings of one model.") % (path, p.label, p.file, src.count,
                    found or tr("an unknown model"), dimensions, model or tr("an unknown model"))
                )  # fmt: skip
            if not grid:
                grid = (src.crs, src.transform, src.width, src.height)
            elif not same_grid(src, *grid):
                raise UserError(
                    tr(
                        "The series %s is not on one grid: period %s (%s) differs from period %s in CRS, transform "
                        "or size. Build the series again."
                    )
                    % (path, p.label, p.file, periods[0].label)
                )
    return grid


def same_grid(src: Any, crs: Any, transform: Any, width: int, height: int) -> bool:
    """True when the open raster `src` is on the grid (crs, transform, width, height)."""
    return src.crs == crs and (src.width, src.height) == (width, height) and src.transform.almost_equals(transform)


# -- a series of existing rasters ------------------------------------------------------------------
def series_from_rasters(paths: Sequence[str], periods: Sequence[Period], dest: str, tx: Any, ctx: Any) -> Series:
    """The series `dest` of the embedding rasters `paths` (one per period, in order): the rasters on the
    first one's grid are listed as they are; the others are resampled onto it (resampling_onto: average
    from smaller cells, else nearest) into `<dest stem>_<label>.tif`, said in the log, the series and the
    file. tx: the output transaction (the VRT and the resampled files are added to it; the caller commits).
    UserError for one raster only, a raster of another model or dimension count (named), or periods that do
    not match the rasters."""
    import rasterio

    if len(paths) != len(periods):
        raise UserError(
            tr("%d rasters but %d periods: give one period per raster, in the rasters' order.")
            % (len(paths), len(periods))
        )
    try:
        check_series(list(periods))
    except PeriodError as exc:
        raise UserError(str(exc)) from None
    with rasterio.open(paths[0]) as first:
        model, dims = raster_tags.read(first.tags(), raster_tags.MODEL, "") or "", first.count
        grid = _Grid(first.crs, first.transform, first.width, first.height)
        for path in paths[1:]:
            _check_same_model(path, paths[0], model, dims)
    partial = tx.add(dest, "series", VRT, verify=series_info)  # a bad destination fails before any work
    listed, resampling = [], {}
    for path, period in zip(paths, periods):
        with rasterio.open(path) as src:
            on_grid = same_grid(src, grid.crs, grid.transform, grid.width, grid.height)
            onto = None if on_grid else resampling_onto(src, grid.crs, grid.transform)
        if onto is None:
            listed.append(replace(period, file=os.path.abspath(path)))
            continue
        out = period_file(dest, period.label)
        ctx.log(tr("%s is not on the grid of %s: resampled onto it (%s) as %s.") % (path, paths[0], onto.said(), out))
        partial_out = tx.add(out, "resampled raster of period %s" % period.label, nbytes=_bytes(grid, dims))
        _resample(path, partial_out, grid, onto, ctx)
        listed.append(replace(period, file=out))
        resampling[period.label] = onto.method
    write_series(partial, listed, model=model, dimensions=dims, grid=grid, dest=dest, resampling=resampling)
    return Series(os.path.abspath(dest), model, dims, tuple(listed), grid.crs, grid.transform, grid.width, grid.height)


@dataclass(frozen=True)
class _Grid:
    crs: Any
    transform: Any
    width: int
    height: int


def _bytes(grid: _Grid, dims: int) -> int:
    from .outputs import raster_bytes

    return raster_bytes(grid.width, grid.height, dims)


def _check_same_model(path: str, first_path: str, model: str, dims: int) -> None:
    import rasterio

    with rasterio.open(path) as src:
        found = raster_tags.read(src.tags(), raster_tags.MODEL, "") or ""
        if src.count != dims or (model and found and found != model):
            raise UserError(
                tr(
                    "%s holds %d bands of %s, but %s holds %d bands of %s: a series is made of embeddings of one "
                    "model. Leave %s out or compute it with the same model."
                )
                % (
                    path,
                    src.count,
                    found or tr("an unknown model"),
                    first_path,
                    dims,
                    model or tr("an unknown model"),
                    path,
                )
            )


def _resample(path: str, partial: str, grid: _Grid, onto: OntoGrid, ctx: Any) -> None:
    """Write `path` resampled onto `grid` (onto.method; TERRAEMBED_RESAMPLED says it) at `partial`, one output
    block at a time (memory flat in the grid's size); cells outside `path` are NaN."""
    import numpy as np
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT
    from rasterio.windows import Window

    from ..analysis import alphaearth
    from .outputs import BLOCK_ROWS, block_width, geotiff_profile

    with rasterio.open(path) as src:
        vrt_options = dict(crs=grid.crs, transform=grid.transform, width=grid.width, height=grid.height)
        # AlphaEarth's int8 codes keep their nodata code through the warp and are de-quantised after it: the
        # float32 raster written holds the embedding values, tagged as AlphaEarth's (its codes would be read
        # as values once no longer int8)
        nodata = alphaearth.NODATA if onto.quantised else float("nan")
        vrt_options.update(resampling=Resampling[onto.method], src_nodata=onto.src_nodata, nodata=nodata)
        with WarpedVRT(src, **vrt_options) as warped:
            profile = geotiff_profile(src.count, grid.height, grid.width, grid.transform, grid.crs, "none")
            with rasterio.open(partial, "w", **profile) as dst:
                dst.descriptions = src.descriptions
                dst.update_tags(**src.tags())
                tags = {raster_tags.RESAMPLED: onto.tag(path)}
                if onto.quantised:
                    tags.update({raster_tags.MODEL: alphaearth.PRODUCT.id, raster_tags.DIM: str(src.count)})
                dst.update_tags(**raster_tags.written(tags))
                cols = block_width(grid.width)
                for row in range(0, grid.height, BLOCK_ROWS):
                    ctx.check_cancel()
                    for col in range(0, grid.width, cols):
                        window = Window(col, row, min(cols, grid.width - col), min(BLOCK_ROWS, grid.height - row))
                        values = warped.read(window=window, out_dtype=np.float32)
                        dst.write(alphaearth.dequantise(values) if onto.quantised else values, window=window)
                    ctx.progress(min(1.0, (row + BLOCK_ROWS) / float(max(grid.height, 1))), "resample")
