"""Several sensors' rasters as one model input (TerraMind on Sentinel-2 + Sentinel-1 (+ DEM)).

The model's first sensor (S2) comes from the job's raster, which defines the grid: CRS, pixels, AOI
window. Every other sensor comes from its own raster, `source["sensors"][sensor] = {"path", "bands",
"nodata", "s1_db"}`, or, when it has none, from the job's raster too (a stacked raster: the job's
"bands" then lists the bands of every sensor it holds, in model order: S2 B1..B12, VV, VH, DEM).
A sensor raster on another grid (CRS, pixel size or origin) is resampled bilinearly onto the first
sensor's grid through a GDAL warped VRT, and the log says so.

Per sensor: the S2 scale factor applies to the S2 bands only, 'S1 is in dB' to the S1 bands only,
and a DEM whose band unit says feet is converted to metres.

Validity: a pixel is nodata when the first sensor says so (as for one sensor). Holes in another
sensor (its nodata, or outside its raster) get a neutral value: S1 0 (no backscatter; the model's
normalisation turns it into the pre-training mean), DEM the pre-training mean elevation (670.665 m):
both z-score 0. The log says how much of the area each sensor covers; a sensor that covers none of
it is an error.
"""

import numpy as np
import rasterio
from rasterio.enums import Resampling

from ...shared.catalogue import SENSOR_BANDS, SENSOR_NAMES, SENSOR_PARAMETERS, match_bands
from ...shared.errors import UserError, unreadable_raster
from ..i18n import tr
from .reader import refuse_empty_bands
from .source import RasterSource, _fmt_bounds

SENSOR_WHAT = {
    "S2": "Sentinel-2 B1..B12 (12 bands, no B10)",
    "S1": "Sentinel-1 VV, VH",
    "DEM": "a DEM (1 band, metres)",
}
FEET_UNITS = ("ft", "foot", "feet", "us survey foot", "ft_us", "us_survey_foot", "international foot")
FEET = 0.3048
MIN_COVERAGE_NOTE = 0.999  # below this covered fraction, the log says how much a sensor covers


def dem_fill():
    """The DEM value for holes: the TerraMind v1 pre-training mean (z-score 0)."""
    from ...models.preprocessing import TERRAMIND_V1_DEM_MEAN

    return TERRAMIND_V1_DEM_MEAN[0]


def _band_unit(path, band):
    try:
        with rasterio.open(path) as ds:
            return (ds.units[band - 1] or "").strip().lower()
    except (rasterio.errors.RasterioError, IndexError) as exc:
        raise unreadable_raster(path, exc) from exc


def _file_grid(path):
    try:
        with rasterio.open(path) as ds:
            return ds.crs, ds.transform, ds.width, ds.height, ds.count, list(ds.descriptions)
    except rasterio.errors.RasterioError as exc:
        raise unreadable_raster(path, exc) from exc


def _stacked_bands(spec, path, sensors, bands):
    """{sensor: its 1-based bands} of the sensors that a stacked raster holds."""
    needed = [b for s in sensors for b in SENSOR_BANDS[s]]
    if bands is None:
        _, _, _, _, count, descriptions = _file_grid(path)
        bands = match_bands(descriptions, needed)
        if bands is None and count == len(needed):
            bands = list(range(1, count + 1))
        if bands is None:
            raise UserError(missing_sensor_message(spec, sensors, path, count))
    bands = [int(b) for b in bands]
    if len(bands) != len(needed):
        raise UserError(missing_sensor_message(spec, sensors, path, len(bands), chosen=True))
    out, start = {}, 0
    for s in sensors:
        n = len(SENSOR_BANDS[s])
        out[s] = bands[start : start + n]
        start += n
    return out


def missing_sensor_message(spec, sensors, path, count, chosen=False):
    others = [s for s in sensors if s != spec.sensors[0]]
    give = tr(" and ").join(tr("the %s raster (%s)") % (SENSOR_NAMES[s], SENSOR_PARAMETERS[s]) for s in others)
    return tr(
        "%s needs %s: %s. The raster %r has %d %s. Give %s, or a stacked raster with all %d bands "
        "(choose them in model order: %s)."
    ) % (
        spec.label,
        " + ".join(SENSOR_NAMES[s] for s in spec.sensors),
        "; ".join(SENSOR_WHAT[s] for s in sensors),
        path,
        count,
        tr("bands were chosen") if chosen else tr("band(s)"),
        give or tr("the missing sensor's raster"),
        sum(len(SENSOR_BANDS[s]) for s in sensors),
        ", ".join(b for s in sensors for b in SENSOR_BANDS[s]),
    )


class SensorStack:
    """A RasterSource look-alike (window, crs, transform, describe, window_for, open) whose reads
    stack the sensors' bands in model order on the first sensor's grid."""

    def __init__(self, source, spec, aoi, log, centre_hint=None):
        self.spec = spec
        self.warnings = []
        extras = dict(source.get("sensors") or {})
        unknown = sorted(set(extras) - set(spec.sensors[1:]))
        if unknown:
            raise UserError(
                tr("%s takes separate rasters for %s only, not for %s.")
                % (spec.label, ", ".join(SENSOR_NAMES[s] for s in spec.sensors[1:]), ", ".join(map(str, unknown)))
            )
        path = source["path"]
        stacked = [s for s in spec.sensors if s not in extras]
        band_sets = _stacked_bands(spec, path, stacked, source.get("bands"))
        self.parts = []  # (sensor, RasterSource, how) in model order
        for sensor in spec.sensors:
            if sensor in extras:
                part = self._own_raster(sensor, extras[sensor], log)
            else:
                part = self._raster(sensor, path, band_sets[sensor], source, aoi, log, centre_hint)
            self.parts.append(part)
        first = self.parts[0][1]
        self.path, self.scale, self.window = first.path, first.scale, first.window
        self.crs, self.transform, self.width, self.height = first.crs, first.transform, first.width, first.height
        self.aoi_geometry = first.aoi_geometry
        self.bands = [b for _, src, _ in self.parts for b in src.bands]
        for i, (sensor, src, how) in enumerate(self.parts[1:], start=1):
            self.parts[i] = (sensor, src, self._place(sensor, src, how, log))

    # -- building ---------------------------------------------------------------------------------
    def _raster(self, sensor, path, bands, source, aoi, log, centre_hint, own=None):
        own = own or {}
        first = sensor == self.spec.sensors[0]
        scale = source.get("scale", 1.0) if sensor == "S2" else 1.0
        if sensor == "DEM" and _band_unit(path, bands[0]) in FEET_UNITS:
            scale = FEET
            log("The DEM band of %s is in feet (its unit says so): converted to metres (x %g)." % (path, FEET))
        src = RasterSource(
            path,
            len(bands),
            bands=bands,
            scale=scale,
            nodata=own.get("nodata") if own else source.get("nodata"),
            s1_db=(own or source).get("s1_db", False) if sensor == "S1" else False,
            aoi=aoi if first else None,
            modality=sensor,
            log=log if first else None,
            centre_hint=centre_hint if first else None,
        )
        if first:
            self.warnings.extend(src.warnings)
        else:
            self.warnings.extend(w for w in src.warnings if "chosen more than once" in w)
        return sensor, src, "stacked" if not own else "own"

    def _own_raster(self, sensor, own, log):
        if not own.get("path"):
            raise UserError(tr("The %s raster has no path.") % SENSOR_NAMES[sensor])
        bands = own.get("bands")
        if bands is None:
            _, _, _, _, count, descriptions = _file_grid(own["path"])
            needed = SENSOR_BANDS[sensor]
            bands = match_bands(descriptions, needed) or (list(range(1, count + 1)) if count == len(needed) else None)
            if bands is None:
                raise UserError(
                    tr(
                        "The %s raster %r has %d band(s), none named %s: give a raster with exactly %d "
                        "band(s) (%s), or name its bands."
                    )
                    % (SENSOR_NAMES[sensor], own["path"], count, ", ".join(needed), len(needed), ", ".join(needed))
                )
        return self._raster(sensor, own["path"], [int(b) for b in bands], {}, None, log, None, own=own)

    def _place(self, sensor, src, how, log):
        """Put a sensor's RasterSource on the first sensor's grid (resampled when it differs), check
        that it covers the area of interest; returns how it is read ('stacked', 'own', 'resampled')."""
        first = self.parts[0][1]
        crs, transform, width, height, _, _ = _file_grid(src.path)
        same_grid = (
            crs == first.crs
            and transform == first.transform
            and (width, height) == (first.width, first.height)
            and first.warp is None
        )
        if how == "stacked":
            src.warp = dict(first.warp) if first.warp else None  # the first sensor's own file
        elif not same_grid:
            self._resample(sensor, src, crs, transform, log)
            how = "resampled"
        src.crs, src.transform, src.width, src.height = first.crs, first.transform, first.width, first.height
        src.window, src.aoi_geometry = first.window, None
        refuse_empty_bands(src, list(SENSOR_BANDS[sensor]))
        self._check_coverage(sensor, src)
        return how

    def _resample(self, sensor, src, crs, transform, log):
        """Read src warped onto the first sensor's grid (bilinear); UserError when either has no CRS."""
        first = self.parts[0][1]
        if crs is None or first.crs is None:
            raise UserError(
                tr(
                    "The %s raster %r and the %s raster cannot be put on one grid: %s no CRS. "
                    "Assign the CRS (Raster > Projections > Assign Projection), or use rasters on "
                    "the same grid."
                )
                % (
                    SENSOR_NAMES[sensor],
                    src.path,
                    SENSOR_NAMES[self.spec.sensors[0]],
                    tr("it has") if crs is None else tr("the other has"),
                )
            )
        # float32 with NaN as nodata (unless the file has its own): outside the raster = nodata
        src.warp = {
            "crs": first.crs,
            "transform": first.transform,
            "width": first.width,
            "height": first.height,
            "resampling": Resampling.bilinear,
            "nodata": np.nan,
            "dtype": "float32",
        }
        log(
            "The %s raster %s (%s, %.3g x %.3g pixels) is resampled (bilinear) onto the %s grid (%s, %.3g "
            "pixels)."
            % (
                SENSOR_NAMES[sensor],
                src.path,
                crs.to_string(),
                abs(transform.a),
                abs(transform.e),
                SENSOR_NAMES[self.spec.sensors[0]],
                first.crs.to_string(),
                abs(first.transform.a),
            )
        )

    def _check_coverage(self, sensor, src):
        """UserError when src holds no data in the area; a warning when it covers only part of it."""
        with src.open() as reader:
            covered = reader.valid_fraction()
        if covered <= 0.0:
            raise UserError(
                tr(
                    "The %s raster %r does not overlap the area of interest on the %s raster (%s in its "
                    "CRS), or holds only nodata there. Give a %s raster that covers the same area."
                )
                % (
                    SENSOR_NAMES[sensor],
                    src.path,
                    SENSOR_NAMES[self.spec.sensors[0]],
                    _fmt_bounds(self.aoi_bounds()),
                    SENSOR_NAMES[sensor],
                )
            )
        if covered < MIN_COVERAGE_NOTE:
            fill = (
                "0 (no backscatter: the model sees the pre-training mean)"
                if sensor == "S1"
                else "the pre-training mean elevation %.3f m" % dem_fill()
            )
            self.warnings.append(
                "The %s raster covers %.0f%% of the area of interest (nodata holes, or it ends "
                "inside it); the rest gets %s, a neutral input." % (SENSOR_NAMES[sensor], 100 * covered, fill)
            )

    # -- geometry (the first sensor's) -------------------------------------------------------------
    def aoi_bounds(self):
        w = self.window
        t = self.window_transform()
        x0, y0 = t.c, t.f
        x1, y1 = t * (w.width, w.height)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    @property
    def bounds(self):
        return self.parts[0][1].bounds

    def window_for(self, *args, **kwargs):
        return self.parts[0][1].window_for(*args, **kwargs)

    def window_transform(self, window=None):
        return self.parts[0][1].window_transform(window)

    def describe(self):
        return "; ".join(
            "%s: %s%s" % (sensor, src.describe(), " (resampled)" if how == "resampled" else "")
            for sensor, src, how in self.parts
        )

    def open(self, window=None, threads=1):
        return StackReader(self, window, threads)


class StackReader:
    """Reads the same window from every sensor; one per thread; a context manager."""

    def __init__(self, stack, window=None, threads=1):
        self.stack = stack
        self.readers = []
        try:
            for sensor, src, _ in stack.parts:
                self.readers.append((sensor, src.open(window, threads)))
        except BaseException:
            self.close()
            raise
        self._dem_fill = dem_fill() if "DEM" in stack.spec.sensors else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for _, reader in self.readers:
            reader.close()

    def read(self, row_off, col_off, height, width):
        """(data (C, h, w) in model band order, valid (h, w) of the first sensor); see the module."""
        parts, valid = [], None
        for sensor, reader in self.readers:
            data, ok = reader.read(row_off, col_off, height, width)
            if valid is None:
                valid = ok
            elif sensor == "DEM":
                data[:, ~ok] = self._dem_fill
            parts.append(data)
        return np.concatenate(parts, axis=0), valid
