"""The raster side of a job: which bands, which pixels (AOI window), in which CRS, read by windows.

`RasterSource` checks everything the user can get wrong (bands, AOI, CRS) before any model work,
and `RasterSource.open()` gives a `WindowReader` (reader.py; one per thread: GDAL handles are not shared)
whose `read()` returns the raw values of a window in model band order, with nodata filled and a
validity mask. Nothing here reads more than the window it is asked for.

Geographic rasters (lon/lat degrees) are read through a GDAL warped VRT into the UTM zone of the
AOI centre at about the source resolution in metres, so grid cells are metres, never degrees.

Validity: a pixel is *nodata* when every selected band is nodata (the file's nodata value, the
`nodata` override, or a GDAL mask/alpha), or when any band is NaN or ±Inf: garbage is never a value,
so it is never filled into a valid pixel. A single band value that is nodata is filled with 0 before
the model; nodata pixels are filled with 0 in every band. A band that holds no data anywhere in the
area (`reader.refuse_empty_bands`) and a raster of complex values are refused with their names.
"""

import math
import os
from dataclasses import dataclass

import rasterio
import rasterio.errors
import rasterio.warp
from rasterio.enums import Resampling
from rasterio.warp import calculate_default_transform, transform_bounds, transform_geom

from ...shared.errors import UserError, complex_raster, unreadable_raster
from ..geo import parse_crs, utm_crs
from ..i18n import tr, translatable
from .reader import WindowReader

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
            self._check_dataset(ds, bands, band_count)
            aoi_bounds, aoi_crs = self._parse_area(aoi, ds.crs, "AOI")
            self._place_grid(ds, aoi_bounds, aoi_crs, centre_hint, log)
        if aoi_bounds is None:
            self.window = AoiWindow(0, 0, self.height, self.width)
        else:
            self.window = self.window_for(aoi_bounds, aoi_crs)
            if self.window.clipped:
                self.warnings.append("The AOI extends beyond the raster; only the overlap is used.")
        self.aoi_geometry = self._parse_geometry(aoi, aoi_crs)
        self.warnings.extend(self._resolution_warnings())

    def _check_dataset(self, ds, bands, band_count):
        """Georeferencing, the bands (and their type) and a north-up grid; UserError for what is wrong."""
        self._check_georeferenced(ds)
        self.bands = self._select_bands(ds, bands, band_count)
        self.band_descriptions = [ds.descriptions[b - 1] for b in self.bands]
        self.dtype = ds.dtypes[self.bands[0] - 1]
        for band in self.bands:
            if ds.dtypes[band - 1].startswith("complex"):
                raise complex_raster(self.path, ds.dtypes[band - 1])
        t = ds.transform
        if t.b != 0 or t.d != 0:
            raise UserError(
                tr(
                    "The raster %r is rotated or sheared; warp it to a north-up raster "
                    "first (Raster > Projections > Warp)."
                )
                % self.path
            )

    def _place_grid(self, ds, aoi_bounds, aoi_crs, centre_hint, log):
        """The grid the model reads: the file's, or a UTM warp of a geographic raster."""
        if ds.crs is None:
            self.warnings.append(
                "The raster has no CRS, so the output grid has none either. Assign "
                "the raster its CRS (Layer Properties > Source, or Raster > "
                "Projections > Assign Projection) for georeferenced outputs."
            )
        if ds.crs is not None and ds.crs.is_geographic:
            hint_bounds, hint_crs = aoi_bounds, aoi_crs
            if hint_bounds is None and centre_hint:
                hint_bounds, hint_crs = self._parse_area(centre_hint, ds.crs, "features")
            self._plan_warp(ds, hint_bounds, hint_crs, log)
        else:
            self.crs = ds.crs
            self.transform = ds.transform
            self.width, self.height = ds.width, ds.height

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

    def open(self, window=None, threads=1):
        """A reader whose read() offsets are relative to `window` (default: the AOI window); threads: GDAL's
        threads decoding the compressed blocks of one read (reader.py)."""
        return WindowReader(self, window, threads)


def _fmt_bounds(b):
    return "[%s]" % ", ".join("%.6g" % v for v in b)
