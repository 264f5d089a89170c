"""Output files: temporary names renamed into place on success, and the streamed grid GeoTIFF.

Every output is first written to a hidden temporary file in the destination's folder (same file
system, so the final rename is atomic) and renamed into place only when the whole job succeeded:
a failed or cancelled job leaves no output file and no temporary.

Grid GeoTIFF layout: float32, one band per embedding dimension (descriptions emb_000 ..), band
interleaved, tiled in blocks of 16 grid rows x up to 256 columns, deflate-compressed, BIGTIFF when
needed, nodata = NaN (a cell whose input pixels are all nodata is NaN in every band). Rows arrive
in order and are written in whole block rows, so memory holds at most ~30 grid rows of the grid.
"""
import datetime
import math
import os
import uuid

import numpy as np
import rasterio

from ..engine.errors import UserError
from ..protocol import commit_partial, discard_partial, partial_path, remove_paths, stale_partials_of

GRID_NODATA = float("nan")
BLOCK_ROWS = 16
BLOCK_COLS = 256


def check_destination(path, what):
    """Fail early (UserError) when `path` cannot be written; creates missing folders."""
    path = os.path.abspath(os.path.expanduser(str(path)))
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise UserError("The %s destination %r is a folder; give a file name such as "
                        "'%s'." % (what, path, os.path.join(path, "embeddings.tif")))
    remove_paths(stale_partials_of(path))    # what killed runs left here (never a live run's)
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, ".terraembed-probe-%s" % uuid.uuid4().hex[:8])
        with open(probe, "wb"):
            pass
        os.remove(probe)
    except OSError as exc:
        raise UserError("Cannot write the %s to %r: the folder %r is not writable (%s). Choose "
                        "another destination." % (what, path, folder, exc.strerror or exc)) from exc
    return path


class PendingOutput:
    """A destination path and the hidden temporary file that becomes it on commit()."""

    def __init__(self, final_path, what):
        self.final = check_destination(final_path, what)
        self.temp = partial_path(self.final, ".tif")
        self.what = what

    def commit(self):
        commit_partial(self.temp, self.final)

    def discard(self):
        discard_partial(self.temp)


def base_tags(model, prep, source_desc, extra=None):
    tags = {
        "TERRAEMBED_MODEL": model.spec.id,
        "TERRAEMBED_MODALITY": model.spec.modality,
        "TERRAEMBED_DIM": str(model.spec.dim),
        "TERRAEMBED_WEIGHTS": str(getattr(model, "weights_description", "")),
        "TERRAEMBED_PREPROCESSING": prep,
        "TERRAEMBED_INPUT": source_desc,
        "TERRAEMBED_DATE": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "TERRAEMBED_NODATA": "NaN: cells whose input pixels are all nodata",
    }
    for k, v in (extra or {}).items():
        tags[str(k)] = v if isinstance(v, str) else str(v)
    return tags


def geotiff_profile(count, height, width, transform, crs):
    bx = min(BLOCK_COLS, 16 * int(math.ceil(width / 16.0)))
    return {
        "driver": "GTiff", "dtype": "float32", "count": count, "height": height, "width": width,
        "transform": transform, "crs": crs, "nodata": GRID_NODATA, "tiled": True,
        "blockxsize": bx, "blockysize": BLOCK_ROWS, "interleave": "band", "compress": "deflate",
        "zlevel": 1, "predictor": 1, "BIGTIFF": "IF_SAFER",
    }


class GridWriter:
    """Writes a (D, rows, cols) grid that arrives as consecutive bands of rows."""

    def __init__(self, path, dim, rows, cols, transform, crs, tags=None, prefix="emb_"):
        self.path, self.dim, self.rows, self.cols = path, dim, rows, cols
        self._ds = rasterio.open(path, "w", **geotiff_profile(dim, rows, cols, transform, crs))
        self._ds.descriptions = tuple("%s%03d" % (prefix, i) for i in range(dim))
        if tags:
            self._ds.update_tags(**tags)
        self._pending = []          # list of (D, r, cols) arrays not yet written
        self._pending_rows = 0
        self._next_row = 0          # first grid row not yet written to the file

    def write_rows(self, row0, block):
        """Append rows row0 .. row0 + block.shape[1] - 1 (must follow the previous ones)."""
        if row0 != self._next_row + self._pending_rows:
            raise ValueError("grid rows must arrive in order: expected %d, got %d"
                             % (self._next_row + self._pending_rows, row0))
        self._pending.append(np.asarray(block, np.float32))
        self._pending_rows += block.shape[1]
        if self._pending_rows >= BLOCK_ROWS:
            self._flush(final=False)

    def _flush(self, final):
        if not self._pending_rows:
            return
        data = np.concatenate(self._pending, axis=1) if len(self._pending) > 1 else self._pending[0]
        n = self._pending_rows if final else (self._pending_rows // BLOCK_ROWS) * BLOCK_ROWS
        window = rasterio.windows.Window(0, self._next_row, self.cols, n)
        self._ds.write(np.ascontiguousarray(data[:, :n]), window=window)
        self._next_row += n
        rest = data[:, n:]
        self._pending = [rest] if rest.shape[1] else []
        self._pending_rows = rest.shape[1]

    def close(self):
        """Write what is left and close (the file is complete only if all rows arrived)."""
        if self._ds is None:
            return
        try:
            self._flush(final=True)
        finally:
            self._ds.close()
            self._ds = None

    def abort(self):
        if self._ds is not None:
            try:
                self._ds.close()
            except Exception:  # the file is discarded anyway
                pass
            self._ds = None
