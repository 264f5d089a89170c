"""The analysis jobs' rasters as Cloud Optimized GeoTIFFs, one way for every job (and Explore's saved
results), through engine/pipeline/cog.write_cog as the embed job writes its grid:

    path = run.rasters.add(dest, "similarity raster", 1, "float32", VALUES)   # before any work
    with rasterio.open(path, "w", **blocks.raster_profile(src, 1, "float32", nodata)) as dst:
        ... tags, descriptions, block by block ...
    run.commit()   # each raster copied to its partial name as a COG, then every output committed together

`add` puts the destination in the job's output transaction (its free-space estimate counts the overviews:
cog_bytes) and returns a new file in the job's temporary folder (its room checked too), where the job
streams the raster, tiled and uncompressed. `write` (run.commit calls it) gives each its overviews,
resampled by what its cells hold (VALUES averaged, NaN left out: similarity, distances, probabilities,
uncertainty, PCA; CLASSES by the most frequent class, nodata left out, so an overview holds only the
raster's classes: clusters, classes, change classes, the similarity mask; SAMPLES by nearest neighbour:
change over time, whose break band is a period number), and copies it to its partial name in the
ANALYSIS layout (256 x 256 tiles, DEFLATE, the floating-point predictor for values) or the GRID one (the
PCA job's, as the embed job writes its PCA). GDAL copies the georeference, nodata, tags, band
descriptions and palette. `remove` (the job's end, whatever it was) deletes the temporary files.
"""

from dataclasses import dataclass
from typing import Any, List

from ...shared.transaction import GEOTIFF
from ..pipeline import cog
from ..pipeline.embed_plan import Scratch

VALUES = cog.RESAMPLING
CLASSES = cog.CLASS_RESAMPLING
SAMPLES = cog.SAMPLE_RESAMPLING


@dataclass(frozen=True)
class _Streamed:
    path: str  # in the job's temporary folder
    partial: str  # the output's partial name
    resampling: str
    layout: str


class CogRasters:
    """The rasters of one job on one grid (grid: an open raster, its width and height)."""

    def __init__(self, outs: Any, grid: Any, ctx: Any) -> None:
        self.outs, self.ctx = outs, ctx
        self.width, self.height = int(grid.width), int(grid.height)
        self.scratch = Scratch(ctx.work_dir)
        self.pending: List[_Streamed] = []
        self.streamed_bytes = 0

    def add(self, dest: str, what: str, count: int, dtype: str, kind: str = VALUES, layout: str = cog.ANALYSIS) -> str:
        """The output dest (`what` in messages) of count bands of dtype, its overviews resampled by kind;
        returns the path to stream it to."""
        tile = cog.ANALYSIS_TILE if layout == cog.ANALYSIS else None
        partial = self.outs.add(dest, what, GEOTIFF, cog.cog_bytes(self.width, self.height, count, dtype, tile))
        path = self.scratch.new("raster%d" % len(self.pending))
        self.streamed_bytes += cog.cog_bytes(self.width, self.height, count, dtype, cog.ANALYSIS_TILE)
        cog.require_scratch_space(self.outs, self.scratch.folder, self.streamed_bytes, "streamed rasters (temporary)")
        self.pending.append(_Streamed(path, partial, kind, layout))
        return path

    def write(self) -> None:
        """Every streamed raster copied to its partial name as a COG (cancel checked before each step)."""
        if self.pending:
            self.ctx.progress(1.0, "write")
        for streamed in self.pending:
            cog.write_cog(
                streamed.path,
                streamed.partial,
                "deflate",
                self.ctx.check_cancel,
                layout=streamed.layout,
                resampling=streamed.resampling,
            )
        self.pending = []

    def remove(self) -> None:
        self.scratch.remove_all()
