"""Job "cluster": k-means clustering of an embedding raster into a class raster.

Spec: {"type": "cluster", "input": path, "output": path, "k": 8 | null | "auto",
       "k_range": [2, 10], "sample": 100000, "seed": 0, "silhouette_sample": 5000,
       "block_size": null}
Fits scikit-learn's MiniBatchKMeans on a reproducible random sample of valid cells and labels every
valid cell block by block. With k null or "auto", tries every k in k_range (inclusive) and keeps
the one with the highest silhouette score (computed on at most silhouette_sample cells of the
sample). Clusters are numbered by size in the sample: 1 is the largest.
Output: Cloud Optimized GeoTIFF (overviews: the most frequent cluster, cog_rasters.py), uint8 (uint16
above 255 clusters), classes 1..k, nodata 0 (cells where the input is nodata), with a colour table;
tags TERRAEMBED_CLUSTERS, _INERTIA, _SILHOUETTE (JSON).
Result: {"output", "k", "inertia", "silhouette": {"k": score, ...}, "n_samples", "valid_cells",
         "cluster_cells": [cells of cluster 1, ...], "k_auto": bool, "k_range": [lo, hi] | null}
"""

from typing import Any, Optional

import numpy as np

from ...shared import raster_tags
from ...shared.errors import UserError
from ...shared.jobs.analysis import ClusterJob
from ..i18n import tr, translatable
from ..jobs import job
from . import blocks, sampling
from .cog_rasters import CLASSES
from .run import embedding_job


def _kmeans(k, seed):
    from sklearn.cluster import MiniBatchKMeans

    return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048, max_iter=200)


def _silhouette(sub, labels, seed):
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return None
    return float(silhouette_score(sub, labels, random_state=seed))


@job("cluster")
def run_cluster(job: dict, ctx: Any) -> dict:
    cluster = ClusterJob.read(job)
    k, k_auto, seed, sil_n = cluster.k, cluster.k is None, cluster.seed, cluster.silhouette_sample
    k_lo, k_hi = cluster.k_range if k is None else (k, k)
    with embedding_job(job, ctx, translatable("Clustering")) as run:
        src, output = run.src, run.output
        n = sampling.capped_sample(cluster.sample, src.count, ctx)
        k_most = k if k is not None else k_hi
        tmp = run.rasters.add(output, "cluster raster", 1, blocks.class_dtype(k_most), CLASSES)
        sample, _, valid_cells = sampling.sample_valid(src, n, seed, run.side, ctx.substage(0.0, 0.3))
        if valid_cells == 0:
            raise blocks.no_valid_cells_error(run.input)
        m = len(sample)
        _check_k(k, m, valid_cells)
        sample = sample.astype(np.float64)
        sub = sample[:sil_n]  # the sample is in random order: its head is a random subsample
        if k is None:
            k, model, silhouette = _choose_k(sample, sub, (k_lo, k_hi), seed, ctx)
        else:
            model, silhouette = _fit(sample, sub, k, seed, ctx)
        counts = _write_clusters(run, ctx, tmp, model, sample, k, {"silhouette": silhouette, "seed": seed})
        run.commit()
    ctx.progress(1.0, "done")
    return {
        "output": output,
        "k": int(k),
        "inertia": float(model.inertia_),
        "silhouette": silhouette,
        "n_samples": int(m),
        "valid_cells": int(valid_cells),
        "cluster_cells": [int(c) for c in counts[1:]],
        "k_auto": k_auto,
        "k_range": [k_lo, k_hi] if k_auto else None,
    }


def _check_k(k: Optional[int], m: int, valid_cells: int) -> None:
    """A given k must not exceed the cells sampled."""
    if k is not None and k > m:
        raise UserError(
            tr("k = %d is larger than the number of %s valid cells (%d); choose a smaller k%s.")
            % (k, tr("sampled") if m < valid_cells else "", m, tr(" or a larger sample") if m < valid_cells else "")
        )


def _choose_k(sample: np.ndarray, sub: np.ndarray, k_range: tuple, seed: int, ctx: Any) -> tuple:
    """(k, model, silhouette by k) for the k of k_range with the highest silhouette score."""
    k_lo, k_hi = k_range
    m, silhouette, fit_ctx = len(sample), {}, ctx.substage(0.3, 0.5)
    top = min(k_hi, m - 1, len(sub) - 1)
    if top < k_lo:
        raise UserError(
            tr(
                "Too few valid cells (%d) to try k from %d; choose a smaller "
                "'k_range' or a raster with more valid cells."
            )
            % (m, k_lo)
        )
    if top < k_hi:
        ctx.warn(tr("Only %d valid cells: trying k up to %d instead of %d.") % (m, top, k_hi))
    best, model = None, None
    for i, kk in enumerate(range(k_lo, top + 1)):
        ctx.check_cancel()
        candidate = _kmeans(kk, seed).fit(sample)
        score = _silhouette(sub, candidate.predict(sub), seed)
        silhouette[str(kk)] = score
        ctx.log(
            tr("k = %d: silhouette %s, inertia %.4g")
            % (kk, tr("n/a") if score is None else "%.4f" % score, candidate.inertia_)
        )
        if score is not None and (best is None or score > silhouette[str(best)]):
            best, model = kk, candidate
        fit_ctx.progress((i + 1) / (top - k_lo + 1), "choose k")
    if best is None:
        raise UserError(
            tr(
                "No k in 'k_range' splits the cells into two or more clusters; the "
                "raster may be constant. Give k explicitly."
            )
        )
    ctx.log(tr("Chose k = %d (highest silhouette %.4f).") % (best, silhouette[str(best)]))
    return best, model, silhouette


def _fit(sample: np.ndarray, sub: np.ndarray, k: int, seed: int, ctx: Any) -> tuple:
    """(model, silhouette by k) for a given k."""
    ctx.check_cancel()
    model, silhouette = _kmeans(k, seed).fit(sample), {}
    if k >= 2 and len(sub) > k:
        silhouette[str(k)] = _silhouette(sub, model.predict(sub), seed)
    return model, silhouette


def _size_codes(model: Any, sample: np.ndarray, k: int) -> np.ndarray:
    """Each cluster's code, numbered by size in the sample (1 = largest), so codes are stable and meaningful."""
    sizes = np.bincount(model.predict(sample), minlength=k)
    order = np.argsort(-sizes, kind="stable")
    code_of = np.empty(k, dtype=np.int64)
    code_of[order] = np.arange(1, k + 1)
    return code_of


def _write_clusters(run: Any, ctx: Any, tmp: str, model: Any, sample: np.ndarray, k: int, facts: dict) -> np.ndarray:
    """Label every valid cell block by block into the class raster; returns the cells per code (0: nodata)."""
    import rasterio

    code_of = _size_codes(model, sample, k)
    dtype = blocks.class_dtype(k)
    counts = np.zeros(k + 1, dtype=np.int64)

    def predict(values, valid, window):
        out = np.full((len(values), 1), blocks.CLASS_NODATA, dtype=dtype)
        if valid.any():
            out[valid, 0] = code_of[model.predict(values[valid].astype(np.float64))]
        counts[:] += np.bincount(out[:, 0], minlength=k + 1)
        return [out]

    profile = blocks.raster_profile(run.src, 1, dtype, blocks.CLASS_NODATA)
    with rasterio.open(tmp, "w", **profile) as dst:
        blocks.write_class_metadata(dst, ["cluster %d" % c for c in range(1, k + 1)])
        dst.update_tags(
            **raster_tags.written(
                {
                    raster_tags.CLUSTERS: k,
                    raster_tags.INERTIA: float(model.inertia_),
                    raster_tags.SILHOUETTE: facts["silhouette"],
                    raster_tags.SEED: facts["seed"],
                    raster_tags.SOURCE: str(run.input),
                }
            )
        )
        blocks.map_blocks(run.src, run.side, ctx.substage(0.5, 1.0), [dst], predict, "label cells")
    return counts
