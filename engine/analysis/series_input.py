"""The periods of a series as an analysis job reads them (change_series, the explore timeline).

A job names its periods by "series" (a series file, engine/pipeline/series.py) or by "inputs" (embedding
rasters in order; "labels" names them, else their file names). `series_job` is embedding_job's
counterpart for a series: every period opened and checked (an embedding raster; one model and one
number of dimensions, the odd one named; at least 2 periods), those on another grid resampled onto
the first one's (engine/pipeline/onto_grid.py: the average of the cells each grid cell covers when theirs are
smaller, else nearest neighbour; said in the log), the output transaction with every period's
file protected, the block side for the dimensions.
"""

import contextlib
import os
from dataclasses import dataclass, field
from typing import Optional

from ...shared import raster_tags
from ...shared.errors import UserError
from ..i18n import tr
from . import blocks
from .change import _overlaps, _same_grid
from .cog_rasters import CogRasters

ONE_PERIOD = (
    "A series needs at least 2 periods; %s has %d. To compare two dates use 'Change between dates' "
    "(terraembed:change); to follow change over time add the other periods."
)


def periods(series, inputs, labels):
    """(labels, raster paths, files to protect) of the job's periods, in order: from the series file
    `series`, or the embedding rasters `inputs` named by `labels` (None: their file names)."""
    if (series is None) == (inputs is None):
        raise UserError(tr("Give either a series file ('series') or embedding rasters in order ('inputs'), not both."))
    if series is not None:
        path = series
        if os.path.exists(path) and not is_series(path):
            raise UserError(ONE_PERIOD % (tr("the single raster %r (not a series file)") % path, 1))
        labels, paths = read_series(path)
        return labels, paths, [path] + paths
    paths = [os.path.abspath(os.path.expanduser(p)) for p in inputs]
    labels = labels or [os.path.splitext(os.path.basename(p))[0] for p in paths]
    if len(labels) != len(paths):
        raise UserError(tr("Give one label per period: %d labels for %d rasters.") % (len(labels), len(paths)))
    if len(paths) < 2:
        raise UserError(ONE_PERIOD % (tr("the list of rasters"), len(paths)))
    return [str(label) for label in labels], paths, list(paths)


def read_series(path):
    """([labels], [raster paths]) of a series file, read and checked by engine/pipeline/series.read_series
    (at least 2 periods in order, every file where the series says: a moved one is named)."""
    from ..pipeline.series import read_series as read

    series = read(path)
    return [p.label for p in series.periods], [p.file for p in series.periods]


def is_series(path):
    """Whether a raster file is a series file (it carries engine/pipeline/series.py's metadata item)."""
    import rasterio

    try:
        with rasterio.open(path) as src:
            return raster_tags.has(src.tags(), raster_tags.SERIES)
    except Exception:
        return False


def model_of(src):
    return raster_tags.read(src.tags(), raster_tags.MODEL) or None


def check_alike(sources, labels):
    """UserError naming the first period whose model or number of dimensions differs from the
    first period's."""
    first, model = sources[0], model_of(sources[0])
    for src, label in zip(sources[1:], labels[1:]):
        if src.count != first.count:
            raise UserError(
                tr(
                    "The period %r (%s) has %d dimensions but the first period %r has %d: every period must hold "
                    "embeddings of the same model. Compute it again with the model of the others, or leave it out."
                )
                % (label, src.name, src.count, labels[0], first.count)
            )
        other = model_of(src)
        if model and other and other != model:
            raise UserError(
                tr(
                    "The period %r (%s) holds embeddings of %s but the first period %r holds %s: every period must "
                    "hold embeddings of the same model. Compute it again with %s, or leave it out."
                )
                % (label, src.name, other, labels[0], model, model)
            )


def aligned(sources, labels, ctx, stack):
    """The periods on the first one's grid (WarpedVRTs for the others, closed with the stack) and
    the labels of those resampled."""
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT

    from ..pipeline.onto_grid import resampling_onto

    first, out, resampled = sources[0], [sources[0]], []
    for src, label in zip(sources[1:], labels[1:]):
        if _same_grid(first, src):
            out.append(src)
            continue
        if first.crs is None or src.crs is None:
            raise UserError(tr("The period %r is on another grid than the first and has no CRS: assign one.") % label)
        if not _overlaps(first, src):
            raise UserError(tr("The period %r does not overlap the first period: choose rasters of one area.") % label)
        onto = resampling_onto(src, first.crs, first.transform)
        ctx.log(tr("Resampling the period %r onto the grid of the first period (%s).") % (label, onto.said()))
        vrt = WarpedVRT(
            src,
            crs=first.crs,
            transform=first.transform,
            width=first.width,
            height=first.height,
            resampling=Resampling[onto.method],
            src_nodata=onto.src_nodata,
            dtype="float32",
            nodata=float("nan"),
        )
        out.append(stack.enter_context(vrt))
        resampled.append(label)
    return out, resampled


@dataclass
class SeriesJob:
    labels: list
    paths: list
    sources: list  # on the first period's grid
    outs: object
    side: int
    output: str
    ctx: object
    resampled: list = field(default_factory=list)
    change_step: float = 0.0
    tmp: str = ""
    rasters: Optional[CogRasters] = None  # the raster outputs (cog_rasters.py), on the first period's grid

    @property
    def count(self):
        return len(self.sources)

    def commit(self):
        self.ctx.check_cancel()
        self.rasters.write()
        self.outs.commit()


@contextlib.contextmanager
def series_job(job, periods_of, ctx, task):
    """Yield a SeriesJob for `task` (the job in user words); `periods_of`: the job's contract (its series,
    inputs, labels, output and block_size); `job`: the job's dict (its output transaction)."""
    labels, paths, protected = periods(periods_of.series, periods_of.inputs, periods_of.labels)
    output = periods_of.output
    with contextlib.ExitStack() as stack:
        sources = [
            stack.enter_context(blocks.open_embedding_raster(path, ctx, task, "period %r" % label))
            for path, label in zip(paths, labels)
        ]
        check_alike(sources, labels)
        outs = stack.enter_context(blocks.outputs(job, protected))
        side = blocks.block_side(sources[0].count, periods_of.block_size)
        for src, label in zip(sources, labels):
            blocks.refuse_empty_bands(src, "period %r" % label, side)
        on_grid, resampled = aligned(sources, labels, ctx, stack)
        rasters = CogRasters(outs, sources[0], ctx)
        stack.callback(rasters.remove)
        yield SeriesJob(labels, paths, on_grid, outs, side, output, ctx, resampled, rasters=rasters)
