"""The embed job's plan: everything decided before the first chip, in frozen dataclasses.

`read_choices` takes the job's choices (preparation, tile overlap, PCA components, grid
compression: its contract, shared/jobs/embedding.py) and checks them against the model;
`Geometry.of` settles the preparation for the opened raster (auto: tile when the AOI window is larger
than a chip) and the grid it gives (tile plan, shape, transform);
`reserve` checks the free space for the outputs and the streamed scratch files from that shape;
`EmbedPlan` gathers them with the model, the source and the destinations, and is what the steps of
embed.py read (nothing in it changes while the job runs).
"""

import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import rasterio

from ...shared.atomic import scratch_path
from ...shared.errors import UserError
from ...shared.jobs.embedding import EmbedJob
from ..i18n import tr
from . import common
from .cog import IMAGERY_TILE, cog_bytes, require_scratch_space
from .tiling import CELLS, CHIP, OVERLAPS, PATCH, TilePlan, plan_tiles


@dataclass(frozen=True)
class Choices:
    """The job's choices, checked: preparation as asked ("auto" too), overlap, PCA components, grid
    compression."""

    prep: str
    overlap: str
    pca_components: int
    compress: str


@dataclass(frozen=True)
class Pending:
    """One output of the job: its destination and the partial file written instead."""

    final: str
    temp: str


@dataclass(frozen=True)
class Destinations:
    grid: Optional[Pending]
    pca: Optional[Pending]
    input_copy: Optional[Pending]
    pooled: Any  # geoparquet's output (or None)

    @property
    def rasters(self) -> List[Optional[Pending]]:
        return [self.grid, self.pca, self.input_copy]


@dataclass(frozen=True)
class Geometry:
    """The preparation settled for the opened raster and the grid it gives."""

    prep: str  # "tile" | "resize"
    overlap: str  # "none" in resize mode
    tiles: Optional[TilePlan]  # tile mode's chips
    rows: int
    cols: int
    transform: rasterio.Affine  # of the grid's cells

    @classmethod
    def of(cls, source: Any, choices: Choices, ctx: Any) -> "Geometry":
        win = source.window
        prep, overlap = choices.prep, choices.overlap
        if prep == "auto":
            prep = "tile" if (win.height > CHIP or win.width > CHIP) else "resize"
        if prep == "resize":
            common.warn_upsampling(win, CHIP, ctx)
        if overlap != "none" and prep != "tile":
            ctx.warn(tr("Tile overlap %s applies to tile preparation only; this %s run ignores it.") % (overlap, prep))
            overlap = "none"
        if prep == "resize":
            scale = rasterio.Affine.scale(win.width / float(CELLS), win.height / float(CELLS))
            return cls(prep, overlap, None, CELLS, CELLS, source.window_transform() * scale)
        tiles = plan_tiles(win.height, win.width, overlap)
        transform = source.window_transform() * rasterio.Affine.scale(PATCH, PATCH)
        return cls(prep, overlap, tiles, tiles.grid_rows, tiles.grid_cols, transform)

    def describe(self) -> str:
        """The TERRAEMBED_PREPROCESSING tag."""
        if self.prep == "tile":
            stride = OVERLAPS[self.overlap] * PATCH
            owner = (
                "each cell from the first chip covering it"
                if self.overlap == "none"
                else "each cell the mean of the chips covering it, weighted by the distance to each chip's edge"
            )
            return (
                "tile: %d px chips at stride %d (overlap %s, %s), last chip shifted back to the "
                "grid edge, edge replication padding, per-chip normalisation; cell = %d x %d input "
                "pixels; origin = AOI window origin" % (CHIP, stride, self.overlap, owner, PATCH, PATCH)
            )
        return "resize: the AOI window resized to %d px; 14 x 14 cells = AOI / 14" % CHIP


@dataclass(frozen=True)
class EmbedPlan:
    model: Any
    source: Any  # RasterSource or SensorStack
    source_spec: Dict[str, Any]  # the source as read (a fetched composite: its file)
    provenance: Optional[Dict[str, Any]]  # fetched imagery's, else None
    geometry: Geometry
    choices: Choices
    outputs: Destinations
    batch: int  # chips per forward pass
    tags: Dict[str, str]  # the grid's and the PCA's GeoTIFF tags
    scratch_grid: Optional[str]  # the streamed grid (temporary), None when neither grid nor PCA is asked
    scratch_overviews: Tuple[str, ...]  # the grid output's overview levels, streamed beside it (overviews.py)
    progress_end: float  # where the chips' progress ends (the PCA follows)


def read_choices(embed: EmbedJob, model_spec: Any) -> Choices:
    """The job's choices (its contract checked their values), refused when the model cannot take them."""
    k = embed.outputs.pca_components
    if embed.outputs.pca and not 1 <= k <= model_spec.dim:
        raise UserError(
            tr("PCA components must be between 1 and %d for %s, got %d.") % (model_spec.dim, model_spec.id, k)
        )
    return Choices(embed.prep, embed.overlap, k, embed.outputs.grid_compression)


def reserve(tx: Any, dim: int, source: Any, geometry: Geometry, outputs: Destinations, k: int, scratch: str) -> None:
    """Free-space check for the outputs, from the grid's shape, before the model and the inference."""
    rows, cols, win = geometry.rows, geometry.cols, source.window
    for out, nbytes in (
        (outputs.grid, cog_bytes(cols, rows, dim)),
        (outputs.pca, cog_bytes(cols, rows, k)),
        (outputs.input_copy, cog_bytes(win.width, win.height, len(source.bands), tile=IMAGERY_TILE)),
    ):
        if out is not None:
            tx.reserve(out.final, nbytes)
    # the streamed grid, PCA and input copy with their overviews, in the temporary folder
    nbytes = (cog_bytes(cols, rows, dim) if outputs.grid or outputs.pca else 0) + (
        cog_bytes(cols, rows, k) if outputs.pca else 0
    )
    if outputs.input_copy:
        nbytes += cog_bytes(win.width, win.height, len(source.bands), tile=IMAGERY_TILE)
    if nbytes:
        require_scratch_space(tx, scratch, nbytes, "streamed rasters (temporary)")


class Scratch:
    """The job's temporary files, in its work folder (else the system's temporary folder); removed
    (with GDAL's .aux.xml beside them) by remove_all, whatever happened."""

    def __init__(self, folder: Optional[str]) -> None:
        self.folder = folder if folder and os.path.isdir(folder) else tempfile.gettempdir()
        self.paths: List[str] = []

    def new(self, name: str) -> str:
        path = scratch_path(self.folder, "terraembed-%s.tif" % name)  # a partial of this run: a killed run's is swept
        self.paths.append(path)
        return path

    def remove_all(self, remove: Callable[[str], None] = os.remove) -> None:
        for path in self.paths:
            for p in (path, path + ".aux.xml"):
                if os.path.exists(p):
                    remove(p)
