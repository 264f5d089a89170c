"""Output files of engine jobs: the output transaction on the engine's side, file verification, and
the streamed grid GeoTIFF.

`transaction(job, inputs)` is the one way a job writes outputs (see shared/transaction.py for the
contract): a job run by the shell gets the shell's manifest (job["transaction"]) and only writes
and verifies the partials named there, the shell commits them together with its own sinks; a job
run on its own (`--job`, tests) commits itself. A job whose caller in the worker owns the
transaction (engine/jobs.run_job, which adds the HTML report) gets it as job["transaction"] and
takes part in it: its commit() only verifies, the owner commits the job's files and the report
together. Every output is verified by re-opening it
(`verify_file`): a GeoTIFF must open and every block of every band must lie inside the file, so
a write that hit a full disk is never committed.

Grid GeoTIFF layout: float32, one band per embedding dimension (descriptions emb_000 ..), band
interleaved, tiled in blocks of 16 grid rows x the width split into as few blocks of at most 1024
columns as it takes (each padded by at most 15 columns), BIGTIFF when needed, nodata = NaN (a
cell whose input pixels are all nodata is NaN in every band). Uncompressed by default: embeddings
are float noise to a codec (DEFLATE keeps 87-99 % of their bytes) and it cost more time than any
other step of the pipeline beside the model (benchmarks/README.md); "deflate"
(GRID_COMPRESSIONS) is the choice for grids with many empty (NaN) cells, e.g. a polygon AOI. Rows
arrive in order and are written in whole block rows, so memory holds at most ~30 grid rows of the
grid. The embed job streams it to its temporary folder and cog.py copies it, with overviews, as a COG.
"""

import datetime
import json
import math
import os

import numpy as np
import rasterio

from ...shared import raster_tags
from ...shared.errors import OutputError
from ...shared.transaction import GEOTIFF, Transaction
from ..i18n import tr

GRID_NODATA = float("nan")
BLOCK_ROWS = 16
MAX_BLOCK_COLS = 1024


class _EngineTransaction(Transaction):
    """A Transaction whose outputs are verified by re-opening them (verify_file) by default."""

    def add(self, dest, what, formats=None, nbytes=0, verify=None):
        return super().add(dest, what, formats, nbytes, verify or verify_file)


class _Part(_EngineTransaction):
    """A job's part of a transaction its caller owns: destinations are checked and named by the
    owner, commit() verifies this part's files, the owner commits everything at once."""

    def __init__(self, owner, inputs=()):
        super().__init__(inputs, run=owner.run)
        self.owner = owner
        owner.protect(self.inputs.values())  # the owner's outputs so far (the report) included

    def add(self, dest, what, formats=None, nbytes=0, verify=None):
        partial = self.owner.add(dest, what, formats, nbytes, verify)
        self.outputs.append(self.owner.outputs[-1])
        return partial

    def reserve(self, dest, nbytes):
        self.owner.reserve(dest, nbytes)

    def check_space(self):
        self.owner.check_space()

    def explain(self, exc, output=None):
        return self.owner.explain(exc, output)

    def commit(self):
        self.verify()

    def abort(self):
        self.owner.abort()


def transaction(job, inputs=()):
    """The output transaction of one job: the shell's (from the job's manifest), a part of its
    caller's (a Transaction in the job), or a new one."""
    owner = job.get("transaction")
    if isinstance(owner, Transaction):
        return _Part(owner, inputs)
    if owner:
        return _EngineTransaction.from_manifest(owner, inputs)
    return _EngineTransaction(inputs)


def raster_bytes(width, height, count, dtype="float32"):
    """Uncompressed size of a raster written with geotiff_profile, its edge blocks padded to whole
    blocks (as a tiled GeoTIFF stores them): the free-space estimate of an output."""
    bx = block_width(width)
    padded_width = bx * int(math.ceil(width / float(bx)))
    padded_height = BLOCK_ROWS * int(math.ceil(height / float(BLOCK_ROWS)))
    return padded_width * padded_height * int(count) * np.dtype(dtype).itemsize


def verify_file(path):
    """Re-open a written output; OutputError when it is incomplete (e.g. the disk was full)."""
    ext = os.path.splitext(path)[1].lower()
    if ext in GEOTIFF:
        verify_geotiff(path)
    elif ext in (".gpkg", ".geojson", ".json"):
        import pyogrio

        try:
            pyogrio.read_info(path)
        except Exception as exc:
            raise OutputError(
                tr("The written file %s cannot be read back (%s); nothing was saved.") % (path, exc)
            ) from exc
    elif os.path.getsize(path) == 0:
        raise OutputError(tr("The written file %s is empty; nothing was saved.") % path)


def verify_geotiff(path):
    size = os.path.getsize(path)
    try:
        with rasterio.open(path) as ds:
            for bidx in range(1, ds.count + 1):
                (by, bx) = ds.block_shapes[bidx - 1]
                for row in range(int(math.ceil(ds.height / float(by)))):
                    for col in range(int(math.ceil(ds.width / float(bx)))):
                        offset = ds.get_tag_item("BLOCK_OFFSET_%d_%d" % (col, row), "TIFF", bidx=bidx)
                        length = ds.get_tag_item("BLOCK_SIZE_%d_%d" % (col, row), "TIFF", bidx=bidx)
                        if not offset or not length or int(offset) + int(length) > size:
                            raise OutputError(
                                tr(
                                    "The written GeoTIFF %s is incomplete (block %d,%d of band %d "
                                    "is missing); nothing was saved."
                                )
                                % (path, row, col, bidx)
                            )
    except rasterio.errors.RasterioError as exc:
        raise OutputError(
            tr("The written GeoTIFF %s cannot be read back (%s); nothing was saved.") % (path, exc)
        ) from exc


def base_tags(model, prep, source_desc, extra=None):
    tags = {
        raster_tags.MODEL: model.spec.id,
        raster_tags.MODALITY: model.spec.modality,
        raster_tags.DIM: str(model.spec.dim),
        raster_tags.WEIGHTS: str(getattr(model, "weights_description", "")),
        raster_tags.PRECISION: str(getattr(model, "precision", "")),
        raster_tags.PREPROCESSING: prep,
        raster_tags.INPUT: source_desc,
        raster_tags.DATE: datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        raster_tags.NODATA: "NaN: cells whose input pixels are all nodata",
    }
    for k, v in (extra or {}).items():
        tags[str(k)] = v if isinstance(v, str) else str(v)
    return tags


PROVENANCE_TAG = raster_tags.PROVENANCE
# the provenance's main facts, repeated as tags of their own for GDAL's metadata viewers
_PROVENANCE_FACTS = {
    "collection_id": raster_tags.EE_COLLECTION_ID,
    "start": raster_tags.EE_START,
    "end": raster_tags.EE_END,
    "images": raster_tags.EE_IMAGES,
    "composite": raster_tags.EE_COMPOSITE,
}


def provenance_tags(provenance):
    """GeoTIFF tags of fetched imagery's provenance, the same on every output that carries it:
    TERRAEMBED_PROVENANCE holds the provenance as JSON (sorted keys), TERRAEMBED_EE_COLLECTION_ID,
    _EE_START, _EE_END, _EE_IMAGES and _EE_COMPOSITE repeat its main facts for GDAL's metadata viewers."""
    tags = {PROVENANCE_TAG: json.dumps(provenance, sort_keys=True)}
    for k, name in _PROVENANCE_FACTS.items():
        if k in provenance:
            tags[name] = str(provenance[k])
    return tags


def block_width(width):
    """The tile width of a `width`-column output: as few tiles of at most MAX_BLOCK_COLS as it takes,
    of equal widths rounded up to 16 (a TIFF tile's multiple): under 16 columns of padding per tile."""
    tiles = int(math.ceil(width / float(MAX_BLOCK_COLS)))
    return 16 * int(math.ceil(width / (16.0 * tiles)))


def geotiff_profile(count, height, width, transform, crs, compress="deflate"):
    """The GeoTIFF profile of TerraEmbed's float32 rasters; compress "deflate" or "none"."""
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": count,
        "height": height,
        "width": width,
        "transform": transform,
        "crs": crs,
        "nodata": GRID_NODATA,
        "tiled": True,
        "blockxsize": block_width(width),
        "blockysize": BLOCK_ROWS,
        "interleave": "band",
        "BIGTIFF": "IF_SAFER",
    }
    if compress == "deflate":
        profile.update(compress="deflate", zlevel=1, predictor=1)
    return profile


class GridWriter:
    """Writes a (D, rows, cols) grid that arrives as consecutive bands of rows; compress: the job's
    grid_compression (no default here: the job's is the one)."""

    def __init__(self, path, dim, rows, cols, transform, crs, tags=None, prefix="emb_", *, compress):
        self.path, self.dim, self.rows, self.cols = path, dim, rows, cols
        self._ds = rasterio.open(path, "w", **geotiff_profile(dim, rows, cols, transform, crs, compress))
        self._ds.descriptions = tuple("%s%03d" % (prefix, i) for i in range(dim))
        if tags:
            self._ds.update_tags(**tags)
        self._pending = []  # list of (D, r, cols) arrays not yet written
        self._pending_rows = 0
        self._next_row = 0  # first grid row not yet written to the file

    def write_rows(self, row0, block):
        """Append rows row0 .. row0 + block.shape[1] - 1 (must follow the previous ones)."""
        if row0 != self._next_row + self._pending_rows:
            raise ValueError(
                "grid rows must arrive in order: expected %d, got %d" % (self._next_row + self._pending_rows, row0)
            )
        self._pending.append(np.asarray(block, np.float32))
        self._pending_rows += block.shape[1]
        if self._pending_rows >= BLOCK_ROWS:
            self._flush(final=False)

    def _flush(self, final):
        if not self._pending_rows:
            return
        n = self._pending_rows if final else (self._pending_rows // BLOCK_ROWS) * BLOCK_ROWS
        rows, rest, filled = np.empty((self.dim, n, self.cols), np.float32), [], 0  # one copy of the rows
        for part in self._pending:
            take = min(part.shape[1], n - filled)
            rows[:, filled : filled + take] = part[:, :take]
            filled += take
            if take < part.shape[1]:
                rest.append(part[:, take:].copy())  # the rows of the next block: not the whole part kept
        window = rasterio.windows.Window(0, self._next_row, self.cols, n)
        self._ds.write(rows, window=window)
        self._next_row += n
        self._pending = rest
        self._pending_rows -= n

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
