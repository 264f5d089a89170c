"""Job "pca": reduce a multiband (embedding) raster to k principal components.

Job: {"type": "pca", "input": path, "output": path, "components": 3, "whiten": false,
       "sample": 100000, "seed": 0, "block_size": null}
Fits scikit-learn's PCA on a reproducible random sample of valid cells, then projects every valid
cell block by block into a GeoTIFF in the job's temporary folder, copied to the output as a Cloud
Optimized GeoTIFF as the embed job writes its PCA (cog_rasters.py, engine/pipeline/cog.write_cog's GRID
layout: DEFLATE, averaged overviews). Output: float32 COG with k bands on the input's grid, nodata NaN
where the input is nodata, in the PCA raster convention of engine/pipeline/pca.describe_pca_raster (band
descriptions "PC1 (41.2%)", TERRAEMBED_EXPLAINED_VARIANCE_RATIO JSON tag, band statistics, PC1..PC3 as
RGB); tags TERRAEMBED_WHITEN, _SEED, _SOURCE (the sample's size: TERRAEMBED_PCA_FITTED_CELLS).
Result: {"output", "components", "explained_variance_ratio": [...], "explained_variance": [...],
         "cumulative_explained_variance_ratio", "n_samples", "valid_cells", "whiten"}
"""

from typing import Any

import numpy as np

from ...shared import raster_tags
from ...shared.errors import UserError
from ...shared.jobs.analysis import PcaJob
from ..context import JobContext
from ..i18n import tr, translatable
from ..jobs import job
from ..pipeline.cog import GRID
from ..pipeline.pca import ComponentStatistics, describe_pca_raster
from . import blocks, sampling
from .cog_rasters import VALUES
from .run import EmbeddingJob, embedding_job


@job("pca")
def run_pca(job: dict, ctx: JobContext) -> dict:
    pca_job = PcaJob.read(job)
    k, whiten, seed = pca_job.components, pca_job.whiten, pca_job.seed
    with embedding_job(job, ctx, translatable("PCA")) as run:
        src, side, source, output = run.src, run.side, run.input, run.output
        if k > src.count:
            raise UserError(
                tr("Asked for %d components but the raster has only %d bands; choose at most %d components.")
                % (k, src.count, src.count)
            )
        n = sampling.capped_sample(pca_job.sample, src.count, ctx)
        streamed = run.rasters.add(output, "PCA raster", k, "float32", VALUES, layout=GRID)
        sample, _, valid_cells = sampling.sample_valid(src, n, seed, side, ctx.substage(0.0, 0.4))
        if valid_cells == 0:
            raise blocks.no_valid_cells_error(source)
        pca = fit_components(sample, k, whiten, seed, valid_cells, ctx)
        ratio = [float(v) for v in pca.explained_variance_ratio_]
        variance = [float(v) for v in pca.explained_variance_]
        tags = {raster_tags.WHITEN: bool(whiten), raster_tags.SEED: seed, raster_tags.SOURCE: str(source)}
        write_components(run, pca, tags, len(sample), streamed, ctx)
        run.commit()
    ctx.progress(1.0, "done")
    return {
        "output": output,
        "components": k,
        "explained_variance_ratio": ratio,
        "explained_variance": variance,
        "cumulative_explained_variance_ratio": [float(v) for v in np.cumsum(ratio)],
        "n_samples": int(len(sample)),
        "valid_cells": int(valid_cells),
        "whiten": whiten,
    }


def write_components(run: EmbeddingJob, pca: Any, tags: dict, fitted: int, streamed: str, ctx: JobContext) -> None:
    """Every valid cell of run's raster projected on the fitted components, block by block, into the
    streamed raster (run.rasters: tags, the PCA raster's descriptions, statistics and colours), copied at the
    commit to the output's partial as a Cloud Optimized GeoTIFF as the embed job writes its PCA (write_cog's
    GRID layout: DEFLATE, averaged overviews)."""
    import rasterio

    src, k = run.src, int(pca.n_components_)
    statistics = ComponentStatistics(k)

    def project(values, valid, window):
        out = np.full((len(values), k), np.nan, dtype=np.float32)
        if valid.any():
            scores = pca.transform(values[valid].astype(np.float64))
            out[valid] = scores
            statistics.add(scores.T)
        return [out]

    profile = blocks.raster_profile(src, k, "float32", blocks.FLOAT_NODATA)
    with rasterio.open(streamed, "w", **profile) as dst:
        dst.update_tags(**raster_tags.written(tags))  # the fitted cells: describe_pca_raster's tag
        blocks.map_blocks(src, run.side, ctx.substage(0.45, 0.95), [dst], project, "write components")
        ratio, variance = (
            [float(v) for v in pca.explained_variance_ratio_],
            [float(v) for v in pca.explained_variance_],
        )
        describe_pca_raster(dst, ratio, variance, fitted, statistics)
    ctx.progress(0.95, "write")


def fit_components(sample: np.ndarray, k: int, whiten: bool, seed: int, valid_cells: int, ctx: JobContext) -> Any:
    """scikit-learn's PCA of k components fitted on the sampled cells (logged with its explained variance),
    or a UserError when there are fewer sampled cells than components."""
    from sklearn.decomposition import PCA

    if len(sample) < k:
        raise UserError(
            tr(
                "Only %d valid cells to fit %d components; choose at most %d components "
                "or a raster with more valid cells."
            )
            % (len(sample), k, len(sample))
        )
    ctx.progress(0.4, "fit PCA")
    ctx.check_cancel()
    pca = PCA(n_components=k, whiten=whiten, random_state=seed).fit(sample.astype(np.float64))
    ratio = [float(v) for v in pca.explained_variance_ratio_]
    ctx.log(
        tr("PCA on %d of %d valid cells: explained variance ratio %s (total %.3f)")
        % (len(sample), valid_cells, ", ".join("%.3f" % r for r in ratio), sum(ratio))
    )
    return pca
