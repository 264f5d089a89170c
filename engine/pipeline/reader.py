"""Reading a RasterSource's pixels as the model sees them: windows of its selected bands, scaled, dB
converted if asked, with validity (NaN and ±Inf are nodata, as the nodata value, the file's mask or
alpha, and the outside of the AOI polygon are); the bands that hold no data in the area, refused by name."""

import math

import numpy as np
import rasterio
import rasterio.errors
from rasterio.enums import MaskFlags
from rasterio.features import geometry_mask
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from ...shared.errors import UserError, unreadable_raster
from ..coverage import band_list, empty_bands
from ..i18n import tr

MIN_VALUES_FOR_DB_CHECK = 100  # 'S1 in dB' is checked against windows with at least this many values


class WindowReader:
    """Reads windows of a RasterSource. One per thread; use as a context manager. threads > 1: GDAL decodes
    the compressed blocks a read covers on that many threads (its NUM_THREADS; a read of several blocks,
    such as a batch's chips in one window, then takes about half the time on two cores: benchmarks/README.md)."""

    def __init__(self, source, window=None, threads=1):
        self.source = source
        self.window = window or source.window
        self._value_masks = {}  # id(reader) -> per band: the nodata value its mask is, None (all valid) or ...
        with rasterio.Env(GDAL_NUM_THREADS=str(max(1, int(threads)))):  # read by GeoTIFF's driver when it opens
            self._ds = rasterio.open(source.path)
        self._vrt = None
        self._reader = self._ds
        if source.warp is not None:
            opts = dict(source.warp)
            if self.source.nodata_override is not None:
                opts["src_nodata"] = opts["nodata"] = self.source.nodata_override
            elif self._ds.nodata is not None:
                opts["nodata"] = self._ds.nodata
            elif "nodata" not in opts:
                opts["add_alpha"] = True  # outside the source footprint -> masked
            self._vrt = WarpedVRT(self._ds, **opts)
            self._reader = self._vrt

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._vrt is not None:
            self._vrt.close()
        self._ds.close()

    def _check_db(self, values):
        """'In dB' was asked for but the values look linear (hardly any negative): UserError."""
        from ...models.preprocessing import looks_like_db  # torch: only S1 jobs in dB come here

        if values.size >= MIN_VALUES_FOR_DB_CHECK and not looks_like_db(values):
            raise UserError(
                tr(
                    "The Sentinel-1 raster %r is said to be in dB ('Sentinel-1 input is in dB'), but its "
                    "values look linear (%.0f%% are >= 0; backscatter in dB is mostly negative). Turn "
                    "the dB option off for linear data such as COPERNICUS/S1_GRD_FLOAT."
                )
                % (self.source.path, 100.0 * np.count_nonzero(values >= 0) / values.size)
            )

    def _read(self, win, positions=None, out_shape=None, reader=None):
        """(data float32 (C, h, w), nodata (C, h, w), garbage (C, h, w) or None) of a window of the raster (of
        `reader`: default, the raster as the model sees it), for the bands at `positions` (default:
        all, in model order), decimated to out_shape (h, w) if given. nodata: the band has the nodata
        value (the override, the file's, its mask or alpha); garbage: the value is NaN or ±Inf (None: bands
        of integers, which never are)."""
        src, reader = self.source, reader or self._reader
        bands = src.bands if positions is None else [src.bands[p] for p in positions]
        shape = None if out_shape is None else (len(bands),) + tuple(out_shape)
        try:
            data = reader.read(bands, window=win, out_shape=shape, out_dtype="float32")
            if src.nodata_override is not None:
                nodata = data == np.float32(src.nodata_override)
            else:
                nodata = self._nodata_of_values(reader, bands, data)
                if nodata is None:  # a mask band or alpha: GDAL's masks
                    nodata = reader.read_masks(bands, window=win, out_shape=shape) == 0
        except rasterio.errors.RasterioError as exc:  # e.g. truncated: the header reads, the pixels not
            raise unreadable_raster(src.path, exc) from exc
        integers = all(np.issubdtype(np.dtype(reader.dtypes[b - 1]), np.integer) for b in bands)
        return data, nodata, None if integers else ~np.isfinite(data)

    def _nodata_of_values(self, reader, bands, data):
        """The nodata mask of `data` (the values read of `bands`) from the values themselves where every band's
        mask is its nodata value or all valid, as GDAL would compute it (read_masks would decode every block
        a second time: a third of the time of reading a chip); None where a band has a mask band or alpha."""
        rules = self._value_masks.get(id(reader))
        if rules is None:
            rules = {}
            bands_of = zip(range(1, reader.count + 1), reader.mask_flag_enums, reader.nodatavals, reader.dtypes)
            for band, flags, value, dtype in bands_of:
                exact = np.issubdtype(np.dtype(dtype), np.integer) or (value is not None and math.isnan(value))
                if flags == [MaskFlags.all_valid]:
                    rules[band] = None
                elif flags == [MaskFlags.nodata] and value is not None and exact:
                    rules[band] = float(value)  # an integer band's nodata is exact in float32; NaN is NaN
                else:
                    rules[band] = ...  # a mask band, alpha, or a float nodata GDAL compares with a tolerance
            self._value_masks[id(reader)] = rules
        if any(rules[b] is ... for b in bands):
            return None
        nodata = np.zeros(data.shape, dtype=bool)
        for i, b in enumerate(bands):
            value = rules[b]
            if value is None:
                continue
            if math.isnan(value):
                np.isnan(data[i], out=nodata[i])
            else:
                np.equal(data[i], np.float32(value), out=nodata[i])
        return nodata

    def valid_fraction(self, side=256):
        """The fraction of the reader's window that holds data (not nodata), from a decimated read of
        at most side x side pixels (cheap even for a large area)."""
        w = self.window
        win = Window(w.col_off, w.row_off, w.width, w.height)
        _, nodata, garbage = self._read(win, out_shape=(max(1, min(side, w.height)), max(1, min(side, w.width))))
        return float(_pixels_valid(nodata, garbage).mean())

    def empty_bands(self, side=256):
        """Positions (model order) of the bands that hold no data (NaN, ±Inf or nodata) anywhere in the
        reader's window."""
        reader, w = self._file_window()

        def has_data(positions, window, out_shape):
            row, col, rows, cols = window
            win = Window(w.col_off + col, w.row_off + row, cols, rows)
            _, nodata, garbage = self._read(win, positions, out_shape, reader)
            return ~nodata if garbage is None else ~(nodata | garbage)

        return empty_bands(has_data, len(self.source.bands), w.height, w.width, side)

    def _file_window(self):
        """(reader, window) whose pixels cover the reader's window: the file itself under the area when
        it is read warped (a decimated read of the warped raster still warps every pixel)."""
        src, w = self.source, self.window
        if src.warp is None:
            return self._reader, w
        ds = self._ds
        bounds = rasterio.windows.bounds(Window(w.col_off, w.row_off, w.width, w.height), src.transform)
        xmin, ymin, xmax, ymax = transform_bounds(src.crs, ds.crs, *bounds, densify_pts=21)
        cols, rows = zip(*[~ds.transform * (x, y) for x in (xmin, xmax) for y in (ymin, ymax)])
        c0 = min(ds.width - 1, max(0, int(math.floor(min(cols)))))
        r0 = min(ds.height - 1, max(0, int(math.floor(min(rows)))))
        c1 = max(c0 + 1, min(ds.width, int(math.ceil(max(cols)))))
        r1 = max(r0 + 1, min(ds.height, int(math.ceil(max(rows)))))
        return ds, Window(c0, r0, c1 - c0, r1 - r0)

    def read(self, row_off, col_off, height, width):
        """Raw values of a window relative to the reader's window (clipped to the raster).

        Returns (data, valid): data float32 (C, h, w) in model band order with scale applied, dB
        converted if asked, nodata values filled with 0; valid bool (h, w), False for nodata
        pixels (see the module). h, w may be smaller than asked where the window reaches past the raster."""
        src = self.source
        r0 = self.window.row_off + row_off
        c0 = self.window.col_off + col_off
        r1 = min(r0 + height, src.height)
        c1 = min(c0 + width, src.width)
        if r1 <= r0 or c1 <= c0:
            return (np.zeros((len(src.bands), 0, 0), np.float32), np.zeros((0, 0), bool))
        data, nodata, garbage = self._read(Window(c0, r0, c1 - c0, r1 - r0))
        valid = _pixels_valid(nodata, garbage)
        bad = nodata if garbage is None else np.logical_or(nodata, garbage, out=nodata)
        if src.aoi_geometry is not None:  # outside the AOI polygon counts as nodata
            valid &= geometry_mask(
                [src.aoi_geometry],
                out_shape=(r1 - r0, c1 - c0),
                invert=True,
                transform=src.transform * rasterio.Affine.translation(c0, r0),
            )
        if src.scale != 1.0:
            data *= np.float32(src.scale)
        if src.s1_db:
            self._check_db(data[~bad])
            from ...models.preprocessing import db_to_linear  # torch: only S1 embedding jobs ask for dB

            data = db_to_linear(data)
            valid &= np.isfinite(data).all(axis=0)  # dB values beyond float32 once linear
            bad |= ~np.isfinite(data)
        bad |= ~valid[None]
        np.copyto(data, np.float32(0.0), where=bad)
        return data, valid


def _pixels_valid(nodata, garbage):
    """(h, w) validity of a read: not nodata in every band, NaN or ±Inf in none (garbage None: none can be)."""
    valid = ~nodata.all(axis=0)
    return valid if garbage is None else valid & ~garbage.any(axis=0)


def refuse_empty_bands(source, names):
    """UserError naming the bands of `source` (names: theirs in the model) that hold no data in its
    window while others do (an area without any data is told as such elsewhere)."""
    with source.open() as reader:
        empty = reader.empty_bands()
    if not empty or len(empty) == len(source.bands):
        return
    raise UserError(
        tr(
            "The raster %r holds no data in %s within the area of interest: every value there is NaN, "
            "±Inf or nodata. The model needs all its bands (%s): check the band choice, repair or export "
            "the raster again, or choose an area where every band has data."
        )
        % (source.path, band_list([source.bands[i] for i in empty], [names[i] for i in empty]), ", ".join(names))
    )
