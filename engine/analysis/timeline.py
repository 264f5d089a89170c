"""The explore session's "timeline" op: one cell's change over a series, at a click.

args: {"series": path of a series file, "x", "y": the click in the series' CRS (without them: only
open the series, so that the first click pays no opening)}. The periods' rasters
are opened at the first click on a series (kept open for the next ones) and only the clicked cell's
vector is read from each (CellReader: in place for the embed job's uncompressed grids, else a one-cell
window), so an answer costs N small reads, never a load. The numbers are change_series' own:
cosine distance of each period to the first and to the previous one, the break (the period that
ends the largest step) and the class of change for the given change step.
Answer: {"series", "labels", "to_first": [N], "to_previous": [None, N-1 values], "break": number
(2..N), "break_label", "class", "change_step", "row", "col", "engine_ms"}.
"""

import math
import mmap
import os
import time

import numpy as np

from ...shared import catalogue, keys, limits
from ...shared.errors import UserError
from ..i18n import tr
from . import blocks, change_series
from . import series_input as periods_in


def explored(path):
    """(the raster an explore session loads, the series it belongs to or None): a series file is
    explored through its last period; any other raster is explored itself."""
    if not path or not os.path.exists(path) or not periods_in.is_series(path):
        return path, None
    labels, paths = periods_in.read_series(path)
    return paths[-1], {"path": os.path.abspath(path), "explored": labels[-1], "periods": labels}


class CellReader:
    """Every band's value at one cell of an open raster. An uncompressed, band-interleaved float32
    GeoTIFF (the embed job's grid by default) is read in place: the cell's 4 bytes in each band's
    block, found from the block offsets GDAL reports (once per block) and read from a memory map of
    the file: a few milliseconds for 768 bands. Anything else is read as a one-cell window (GDAL
    reads the band blocks under it: slower with many bands or compression)."""

    def __init__(self, src):
        self.src, self.map, self.bytes, self.offsets = src, None, None, {}
        if self._in_place(src):
            with open(src.name, "rb") as f:
                self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            self.bytes = np.frombuffer(self.map, dtype=np.uint8)
            self.nodata = np.array([np.nan if v is None else v for v in src.nodatavals], dtype=np.float32)
            if self.bytes[:2].tobytes() != b"II":  # big-endian: GDAL's window read
                self.close_map()

    @staticmethod
    def _in_place(src):
        from rasterio.enums import Interleaving

        return (
            src.driver == "GTiff"
            and src.compression is None
            and set(src.dtypes) == {"float32"}
            and (src.count == 1 or src.interleaving == Interleaving.band)
            and os.path.isfile(src.name)
            and not blocks._uses_dataset_mask(src)
        )

    def read(self, row, col):
        """read_block's (values (1, D) float32, valid (1,)) of the cell."""
        from rasterio.windows import Window

        window = Window(col, row, 1, 1)
        if self.bytes is None:
            return blocks.read_block(self.src, window)
        rows, cols = self.src.block_shapes[0]
        offsets = self._block_offsets(col // cols, row // rows)
        at = offsets + 4 * ((row % rows) * cols + col % cols)
        values = self.bytes[at[:, None] + np.arange(4)].copy().view("<f4")[:, 0].astype(np.float32)
        values[offsets == 0] = np.nan  # a block never written (a sparse file): no data
        invalid = ~np.isfinite(values) | (values == self.nodata)  # read_block's rule (no dataset mask here)
        return values[None, :], np.array([not invalid.any()])

    def _block_offsets(self, bx, by):
        key = (bx, by)
        if key not in self.offsets:
            item = "BLOCK_OFFSET_%d_%d" % (bx, by)
            self.offsets[key] = np.array(
                [int(self.src.get_tag_item(item, "TIFF", bidx=b) or 0) for b in range(1, self.src.count + 1)],
                dtype=np.int64,
            )
        return self.offsets[key]

    def close_map(self):
        self.bytes = None
        if self.map is not None:
            self.map.close()
            self.map = None

    def close(self):
        self.close_map()
        self.src.close()


class SeriesCells:
    """The periods of one series, open, for cell reads."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.labels, self.paths = periods_in.read_series(path)  # checked: files, one grid, one model
        self.stamps = [os.stat(p).st_mtime_ns for p in self.paths]
        self.readers = []
        try:
            for label, raster in zip(self.labels, self.paths):
                self.readers.append(CellReader(blocks.open_raster(raster, "period %r" % label)))
        except Exception:
            self.close()
            raise

    def current(self):
        """Whether the files are those opened (not rewritten since)."""
        try:
            return [os.stat(p).st_mtime_ns for p in self.paths] == self.stamps
        except OSError:
            return False

    def cell(self, x, y):
        first = self.readers[0].src
        col, row = ~first.transform * (float(x), float(y))
        col, row = int(math.floor(col)), int(math.floor(row))
        if not (0 <= col < first.width and 0 <= row < first.height):
            raise UserError(
                tr("The click is outside the series %s: click a cell inside it.") % os.path.basename(self.path)
            )
        return row, col

    def vectors(self, row, col):
        """read_block's (values (1, D), valid (1,)) of the cell in each period."""
        return [reader.read(row, col) for reader in self.readers]

    def close(self):
        for reader in self.readers:
            reader.close()
        self.readers = []


def opened(session, path):
    """The session's SeriesCells for path (opened once, again when its files changed)."""
    current = getattr(session, "timeline", None)
    if current is not None and current.path == os.path.abspath(path) and current.current():
        return current
    if current is not None:
        current.close()
    session.timeline = None
    session.timeline = SeriesCells(path)
    return session.timeline


def answer(session, args):
    t0 = time.perf_counter()
    path = args.get("series")
    if not path:
        raise UserError(tr("Choose a series for the timeline (a series file made by TerraEmbed)."))
    change_step = keys.number(args, "change_step", catalogue.DEFAULT_CHANGE_STEP, valid=limits.DISTANCE)
    series = opened(session, path)
    if args.get("x") is None:  # opening only (the panel picked a series): the first click pays no opening
        return {
            "series": series.path,
            "labels": series.labels,
            "engine_ms": round(1000 * (time.perf_counter() - t0), 2),
        }
    row, col = series.cell(args.get("x"), args.get("y"))
    reads = series.vectors(row, col)
    to_first, steps, valid = change_series.trajectories(lambda k: reads[k], len(reads))
    if not valid[0]:
        missing = [label for label, (_, ok) in zip(series.labels, reads) if not ok[0]]
        raise UserError(
            tr("The cell (row %d, column %d) has no data in %s: no timeline there.")
            % (row, col, ", ".join(repr(m) for m in missing) or tr("every period"))
        )
    _, breaks, _, _, cls = change_series.summarise(to_first, steps, change_step)
    number = int(breaks[0])
    return {
        "series": series.path,
        "labels": series.labels,
        "to_first": [float(v) for v in to_first[:, 0]],
        "to_previous": [None] + [float(v) for v in steps[1:, 0]],
        "break": number,
        "break_label": series.labels[number - 1],
        "class": catalogue.CHANGE_CLASSES[int(cls[0]) - 1],
        "change_step": change_step,
        "row": row,
        "col": col,
        "engine_ms": round(1000 * (time.perf_counter() - t0), 2),
    }
