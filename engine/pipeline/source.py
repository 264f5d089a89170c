"""The raster side of a job: which bands, which pixels (AOI window), in which CRS, read by windows.

`RasterSource` checks everything the user can get wrong (bands, AOI, CRS) before any model work,
and `RasterSource.open()` gives a `WindowReader` (one per thread: GDAL handles are not shared)
whose `read()` returns the raw values of a window in model band order, with nodata filled and a
validity mask. Nothing here reads more than the window it is asked for.

Geographic rasters (lon/lat degrees) are read through a GDAL warped VRT into the UTM zone of the
AOI centre at about the source resolution in metres, so grid cells are metres, never degrees.

Validity: a pixel is *nodata* when every selected band is nodata (the file's nodata value, the
`nodata` override, or a GDAL mask/alpha), or when any band is NaN or ±Inf: garbage is never a value,
so it is never filled into a valid pixel. A single band value that is nodata is filled with 0 before
the model; nodata pixels are filled with 0 in every band. A band that holds no data anywhere in the
area (`refuse_empty_bands`) and a raster of complex values are refused with their names.
"""

import math
import os
from dataclasses import dataclass

import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
from rasterio.enums import Resampling
from rasterio.features import geometry_mask
from rasterio.vrt import WarpedVRT
from rasterio.warp import calculate_default_transform, transform_bounds, transform_geom
from rasterio.windows import Window

from ...shared.errors import UserError, complex_raster, unreadable_raster
from ..coverage import band_list, empty_bands
from ..geo import parse_crs, utm_crs
from ..i18n import tr, translatable

MIN_VALUES_FOR_DB_CHECK = 100  # 'S1 in dB' is checked against windows with at least this many values
EPS = 1e-6  # pixel tolerance for AOI edges that fall (numerically) on pixel edges


@dataclass(frozen=True)
class AoiWindow:
    """The AOI as a window of whole pixels of the (possibly warped) raster."""

    row_off: int
    col_off: int
    height: int
    width: int
    clipped: bool = False  # the area reached past the raster and was cut to it


def _nice_resolution(res):
    """Round a resolution in metres to 2 significant digits (9.97 -> 10, 463.3 -> 460)."""
    if res <= 0 or not math.isfinite(res):
        return res
    digits = 1 - int(math.floor(math.log10(res)))
    return round(res, digits)


class RasterSource:
    """A raster file as the model will see it: selected bands, scale, nodata, CRS, AOI window."""

    def __init__(
        self,
        path,
        band_count,
        bands=None,
        scale=1.0,
        nodata=None,
        s1_db=False,
        aoi=None,
        modality="S2",
        log=None,
        centre_hint=None,
    ):
        """aoi: {"bounds", "crs"} or None (whole raster). centre_hint: {"bounds", "crs"} used
        only to choose the UTM zone of a geographic raster when there is no AOI (features)."""
        self.path = path
        self.scale = float(scale if scale is not None else 1.0)
        self.s1_db = bool(s1_db)
        self.modality = modality
        self.nodata_override = None if nodata is None else float(nodata)
        self.warp = None  # dict of WarpedVRT options when the raster is geographic
        self.warnings = []
        log = log or (lambda m: None)
        if not math.isfinite(self.scale) or self.scale <= 0:
            raise UserError(tr("The scale factor must be a positive number, got %r.") % scale)
        if not os.path.exists(path):
            raise UserError(tr("The raster %r does not exist. Check the path.") % path)
        try:
            ds = rasterio.open(path)
        except Exception as exc:
            raise unreadable_raster(path, exc) from exc
        with ds:
            self._check_georeferenced(ds)
            self.bands = self._select_bands(ds, bands, band_count)
            self.band_descriptions = [ds.descriptions[b - 1] for b in self.bands]
            self.dtype = ds.dtypes[self.bands[0] - 1]
            for band in self.bands:
                if ds.dtypes[band - 1].startswith("complex"):
                    raise complex_raster(path, ds.dtypes[band - 1])
            t = ds.transform
            if t.b != 0 or t.d != 0:
                raise UserError(
                    tr(
                        "The raster %r is rotated or sheared; warp it to a north-up raster "
                        "first (Raster > Projections > Warp)."
                    )
                    % path
                )
            aoi_bounds, aoi_crs = self._parse_area(aoi, ds.crs, tr("AOI"))
            if ds.crs is None:
                self.warnings.append(
                    "The raster has no CRS, so the output grid has none either. Assign "
                    "the raster its CRS (Layer Properties > Source, or Raster > "
                    "Projections > Assign Projection) for georeferenced outputs."
                )
            if ds.crs is not None and ds.crs.is_geographic:
                hint_bounds, hint_crs = aoi_bounds, aoi_crs
                if hint_bounds is None and centre_hint:
                    hint_bounds, hint_crs = self._parse_area(centre_hint, ds.crs, tr("features"))
                self._plan_warp(ds, hint_bounds, hint_crs, log)
            else:
                self.crs = ds.crs
                self.transform = ds.transform
                self.width, self.height = ds.width, ds.height
        if aoi_bounds is None:
            self.window = AoiWindow(0, 0, self.height, self.width)
        else:
            self.window = self.window_for(aoi_bounds, aoi_crs)
            if self.window.clipped:
                self.warnings.append("The AOI extends beyond the raster; only the overlap is used.")
        self.aoi_geometry = self._parse_geometry(aoi, aoi_crs)
        self.warnings.extend(self._resolution_warnings())

    def _resolution_warnings(self):
        """Warn when the pixels are not what the models were trained on (10 m Sentinel pixels),
        or when a Web Mercator raster's nominal metres are far from true metres."""
        if self.crs is None or not self.crs.is_projected:
            return []
        out = []
        try:
            units = (self.crs.linear_units or "").lower()
            pixel = abs(self.transform.a) * (self.crs.linear_units_factor[1] or 1.0)
        except Exception:  # CRS without usable unit information: nothing to say
            return []
        if self.crs.to_epsg() == 3857:
            w = self.window
            cx, cy = self.window_transform() * (w.width / 2.0, w.height / 2.0)
            _, lat = rasterio.warp.transform(self.crs, "EPSG:4326", [cx], [cy])
            true = pixel * math.cos(math.radians(lat[0]))
            if true < pixel / 1.1:
                out.append(
                    "The raster is in Web Mercator (EPSG:3857): its %.3g m pixels are %.3g m "
                    "on the ground at this latitude, and the grid cells are in these nominal "
                    "metres. Reproject it to a UTM zone for true distances." % (pixel, true)
                )
                pixel = true
        if units.startswith("met") and not 4.0 <= pixel <= 25.0:
            out.append(
                "The raster's pixels are %.3g m; the models were trained on 10 m Sentinel "
                "pixels, so embeddings at this resolution may be less meaningful." % pixel
            )
        return out

    def _parse_area(self, area, raster_crs, what):
        """(bounds, crs) of an {"bounds", "crs"} dict, or (None, None)."""
        if not area:
            return None, None
        try:
            bounds = [float(v) for v in area["bounds"]]
        except (KeyError, TypeError, ValueError):
            bounds = []
        if len(bounds) != 4 or not all(math.isfinite(v) for v in bounds):
            raise UserError(tr("The %s needs four finite numbers xmin, ymin, xmax, ymax.") % what)
        if bounds[2] < bounds[0] or bounds[3] < bounds[1]:
            raise UserError(tr("The %s is empty (xmax < xmin or ymax < ymin): %s.") % (what, bounds))
        if area.get("crs") and raster_crs is None:
            raise UserError(
                tr("The raster %r has no CRS, so the %s cannot be placed on it. Assign the raster a CRS first.")
                % (self.path, what)
            )
        crs = parse_crs(area.get("crs"), what) if area.get("crs") else raster_crs
        return bounds, crs

    def _parse_geometry(self, aoi, aoi_crs):
        """The AOI polygon (GeoJSON-like, in the working CRS) when the AOI has a "geometry" (WKT in
        the AOI's CRS): pixels whose centre lies outside it are treated as nodata."""
        text = (aoi or {}).get("geometry")
        if not text:
            return None
        from shapely import wkt
        from shapely.errors import ShapelyError
        from shapely.geometry import mapping

        try:
            shape = wkt.loads(text)
        except (ShapelyError, ValueError, TypeError) as exc:
            raise UserError(tr("The AOI polygon is not valid WKT (%s).") % exc) from exc
        if shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
            raise UserError(tr("The AOI geometry must be a polygon or multipolygon, got %s.") % shape.geom_type)
        geom = mapping(shape)
        if self.crs is not None and aoi_crs is not None and aoi_crs != self.crs:
            geom = transform_geom(aoi_crs, self.crs, geom)
        return geom

    # -- checks ---------------------------------------------------------------------------------
    def _check_georeferenced(self, ds):
        """A raster without a geotransform has no place on the map: nothing can be placed on it."""
        if not ds.transform.is_identity or ds.crs is not None:
            return
        gcps, _ = ds.gcps
        if gcps:
            raise UserError(
                tr(
                    "The raster %r is georeferenced by ground control points only. Warp it to a "
                    "north-up raster first (Raster > Projections > Warp), then use the result."
                )
                % self.path
            )
        raise UserError(
            tr(
                "The raster %r has no georeferencing (no CRS and no geotransform), so no area "
                "of it can be placed on the map. Georeference it (Raster > Georeferencer) or "
                "assign its CRS and extent (e.g. gdal_translate -a_srs EPSG:32633 -a_ullr ...), "
                "then run again."
            )
            % self.path
        )

    def _select_bands(self, ds, bands, band_count):
        if bands is None:
            if ds.count != band_count:
                raise UserError(
                    tr("The model needs %d bands but the raster %r has %d. Choose the %d bands in model order.")
                    % (band_count, self.path, ds.count, band_count)
                )
            return list(range(1, band_count + 1))
        bands = [int(b) for b in bands]
        if len(bands) != band_count:
            raise UserError(tr("The model needs %d bands; %d were chosen (%s).") % (band_count, len(bands), bands))
        bad = [b for b in bands if b < 1 or b > ds.count]
        if bad:
            raise UserError(tr("Band(s) %s do not exist: the raster %r has bands 1..%d.") % (bad, self.path, ds.count))
        repeated = sorted({b for b in bands if bands.count(b) > 1})
        if repeated:
            self.warnings.append(
                "Band(s) %s are chosen more than once (bands %s): each band the model needs should "
                "come from its own raster band, in model order. Check the band choice."
                % (", ".join(map(str, repeated)), ",".join(map(str, bands)))
            )
        return bands

    def _plan_warp(self, ds, aoi_bounds, aoi_crs, log):
        """Geographic raster: read it through a WarpedVRT in the UTM zone of the AOI centre."""
        if aoi_bounds is not None:
            lon0, lat0, lon1, lat1 = transform_bounds(aoi_crs, "EPSG:4326", *aoi_bounds, densify_pts=21)
        else:
            lon0, lat0, lon1, lat1 = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21)
        utm = utm_crs((lon0 + lon1) / 2.0, (lat0 + lat1) / 2.0)
        t, _, _ = calculate_default_transform(ds.crs, utm, ds.width, ds.height, *ds.bounds)
        res = _nice_resolution(abs(t.a))
        left, bottom, right, top = transform_bounds(ds.crs, utm, *ds.bounds, densify_pts=21)
        left, top = math.floor(left / res) * res, math.ceil(top / res) * res
        width = max(1, int(math.ceil((right - left) / res)))
        height = max(1, int(math.ceil((top - bottom) / res)))
        self.crs = utm
        self.transform = rasterio.transform.from_origin(left, top, res, res)
        self.width, self.height = width, height
        self.warp = {
            "crs": utm,
            "transform": self.transform,
            "width": width,
            "height": height,
            "resampling": Resampling.bilinear,
        }
        msg = (
            "The raster is in geographic coordinates (%s); it is warped to %s at %g m pixels so "
            "that grid cells are metres." % (ds.crs.to_string(), utm.to_string(), res)
        )
        log(msg)
        self.warnings.append(msg)

    def window_for(self, aoi_bounds, aoi_crs, what=translatable("AOI"), at_least_one_pixel=False):
        """The window of whole pixels that an area (bounds in aoi_crs) covers, clipped to the
        raster. UserError when it does not overlap the raster, or (unless at_least_one_pixel) when
        it is smaller than one pixel."""
        if self.crs is not None and aoi_crs is not None and aoi_crs != self.crs:
            try:
                xmin, ymin, xmax, ymax = transform_bounds(aoi_crs, self.crs, *aoi_bounds, densify_pts=21)
            except Exception as exc:
                raise UserError(
                    tr("The AOI cannot be reprojected from %s to the raster's CRS %s (%s).")
                    % (aoi_crs.to_string(), self.crs.to_string(), exc)
                ) from exc
            if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
                raise UserError(
                    tr("The AOI cannot be reprojected to the raster's CRS %s; it lies outside that CRS's area of use.")
                    % self.crs.to_string()
                )
        else:
            xmin, ymin, xmax, ymax = aoi_bounds
        inv = ~self.transform
        cols, rows = zip(*[inv * (x, y) for x in (xmin, xmax) for y in (ymin, ymax)])
        c0, c1, r0, r1 = min(cols), max(cols), min(rows), max(rows)
        # overlap with the raster, in fractional pixels
        oc0, oc1 = max(c0, 0.0), min(c1, float(self.width))
        or0, or1 = max(r0, 0.0), min(r1, float(self.height))
        if oc1 - oc0 < -EPS or or1 - or0 < -EPS or ((oc1 - oc0 <= EPS or or1 - or0 <= EPS) and not at_least_one_pixel):
            raise UserError(
                tr(
                    "The %s does not overlap the raster (%s in the raster's CRS vs the "
                    "raster's extent %s). Choose an area inside the raster."
                )
                % (tr(what), _fmt_bounds((xmin, ymin, xmax, ymax)), _fmt_bounds(self.bounds))
            )
        if not at_least_one_pixel and (c1 - c0 < 1.0 - EPS or r1 - r0 < 1.0 - EPS):
            raise UserError(
                tr("The %s is smaller than one pixel of the raster (%.3g x %.3g pixels). Draw a larger area.")
                % (tr(what), c1 - c0, r1 - r0)
            )
        clipped = c0 < -EPS or r0 < -EPS or c1 > self.width + EPS or r1 > self.height + EPS
        col0, row0 = int(math.floor(oc0 + EPS)), int(math.floor(or0 + EPS))
        col1, row1 = int(math.ceil(oc1 - EPS)), int(math.ceil(or1 - EPS))
        col0, row0 = min(col0, self.width - 1), min(row0, self.height - 1)
        col1, row1 = max(col1, col0 + 1), max(row1, row0 + 1)
        return AoiWindow(row0, col0, row1 - row0, col1 - col0, clipped)

    # -- geometry -------------------------------------------------------------------------------
    @property
    def bounds(self):
        t = self.transform
        xs = (t.c, t.c + t.a * self.width)
        ys = (t.f, t.f + t.e * self.height)
        return (min(xs), min(ys), max(xs), max(ys))

    def window_transform(self, window=None):
        """The affine transform of a window's (default: the AOI window's) origin pixel."""
        w = window or self.window
        return self.transform * rasterio.Affine.translation(w.col_off, w.row_off)

    def describe(self):
        return "%s bands %s" % (self.path, ",".join(str(b) for b in self.bands))

    def open(self, window=None):
        """A reader whose read() offsets are relative to `window` (default: the AOI window)."""
        return WindowReader(self, window)


class WindowReader:
    """Reads windows of a RasterSource. One per thread; use as a context manager."""

    def __init__(self, source, window=None):
        self.source = source
        self.window = window or source.window
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
        """(data float32 (C, h, w), nodata (C, h, w), garbage (C, h, w)) of a window of the raster (of
        `reader`: default, the raster as the model sees it), for the bands at `positions` (default:
        all, in model order), decimated to out_shape (h, w) if given. nodata: the band has the nodata
        value (the override, the file's, its mask or alpha); garbage: the value is NaN or ±Inf."""
        src, reader = self.source, reader or self._reader
        bands = src.bands if positions is None else [src.bands[p] for p in positions]
        shape = None if out_shape is None else (len(bands),) + tuple(out_shape)
        try:
            data = reader.read(bands, window=win, out_shape=shape, out_dtype="float32")
            if src.nodata_override is not None:
                nodata = data == np.float32(src.nodata_override)
            else:
                nodata = reader.read_masks(bands, window=win, out_shape=shape) == 0
        except rasterio.errors.RasterioError as exc:  # e.g. truncated: the header reads, the pixels not
            raise unreadable_raster(src.path, exc) from exc
        return data, nodata, ~np.isfinite(data)

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
            return ~(nodata | garbage)

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
        return ds, AoiWindow(r0, c0, r1 - r0, c1 - c0)

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
        bad = nodata | garbage
        valid = _pixels_valid(nodata, garbage)
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
        data[bad] = 0.0
        return data, valid


def _pixels_valid(nodata, garbage):
    """(h, w) validity of a read: not nodata in every band, NaN or ±Inf in none."""
    return ~nodata.all(axis=0) & ~garbage.any(axis=0)


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


def _fmt_bounds(b):
    return "[%s]" % ", ".join("%.6g" % v for v in b)
