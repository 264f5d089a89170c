"""The preamble every analysis job shares (pca, cluster, classify, similarity, change).

    pca = PcaJob.read(job)                     # the job's own keys first, through its contract
    with embedding_job(job, ctx, "PCA") as run:
        path = run.rasters.add(run.output, "PCA raster", k, "float32")   # a raster output (cog_rasters.py)
        ... read run.src in blocks of run.side cells, write path ...
        run.commit()

`embedding_job` takes the input and output paths from the job, opens the inputs checked for being
embedding rasters (blocks.open_embedding_raster), starts the output transaction with the inputs
protected (an output may not overwrite one), picks the block side for the first input (the job's
"block_size", or blocks.block_side's default) and refuses an input with a band that holds no data
(blocks.refuse_empty_bands). Raster outputs are added through `run.rasters` (cog_rasters.CogRasters:
streamed to the job's temporary folder, copied as Cloud Optimized GeoTIFFs by run.commit()). Leaving the
block by an exception (error, cancel) closes the rasters and removes every partial output; the
temporary files go in every case.
"""

import contextlib
from dataclasses import dataclass

from ...shared import keys
from ..i18n import translatable
from . import blocks
from .cog_rasters import CogRasters


@dataclass
class EmbeddingJob:
    inputs: list  # input paths, in the order of embedding_job's `inputs`
    sources: list  # the open input rasters, same order
    outs: object  # the output transaction (blocks.outputs)
    side: int  # cells per block side
    output: str  # the job's "output" path
    ctx: object
    rasters: CogRasters  # the raster outputs, streamed and copied as COGs at the commit

    @property
    def src(self):
        return self.sources[0]

    @property
    def input(self):
        return self.inputs[0]

    def commit(self):
        """The last step: stop if cancelled, else the rasters copied as COGs and every output committed
        together."""
        self.ctx.check_cancel()
        self.rasters.write()
        self.outs.commit()


@contextlib.contextmanager
def embedding_job(job, ctx, task, inputs=(("input", translatable("embedding raster")),)):
    """Yield an EmbeddingJob for `task` (the job in user words, for messages). inputs: (job key,
    what the raster is called in messages) per input raster."""
    paths = [keys.path(job, key) for key, _ in inputs]
    output = keys.path(job, "output")
    with contextlib.ExitStack() as stack:
        sources = [
            stack.enter_context(blocks.open_embedding_raster(path, ctx, task, what))
            for path, (_, what) in zip(paths, inputs)
        ]
        outs = stack.enter_context(blocks.outputs(job, paths))
        side = blocks.block_side(sources[0].count, job.get("block_size"))
        for src, (_, what) in zip(sources, inputs):
            blocks.refuse_empty_bands(src, what, side)
        rasters = CogRasters(outs, sources[0], ctx)
        stack.callback(rasters.remove)
        yield EmbeddingJob(paths, sources, outs, side, output, ctx, rasters)
