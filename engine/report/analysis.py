"""Reports of the analysis jobs (pca, similarity, cluster, change; classify: classification.py), each from
its job's result: every chart has its numbers in a table underneath."""

import os

from ...shared.jobs.analysis import DEFAULT_SEED
from ..i18n import tr, translatable
from . import charts, page
from .embedding import pca_section
from .page import Cell, esc


def _file(path):
    return Cell(esc(path), "code")


def _name(path):
    return os.path.basename(path or "") or tr("raster")


def _histogram_parts(histogram, what, xlabel, marker=None, marker_label=None):
    edges, counts = histogram.get("edges") or [], histogram.get("counts") or []
    if not counts:
        return []
    svg = charts.histogram(edges, counts, tr("Distribution of the %s") % what, xlabel, marker, marker_label)
    total = float(sum(counts)) or 1.0
    rows = [("%.3f – %.3f" % (a, b), c, page.percent(c / total, 2)) for a, b, c in zip(edges[:-1], edges[1:], counts)]
    return [
        page.figure(
            svg,
            tr("Cells per bin of the %s; dashed line: %s.") % (what, marker_label)
            if marker is not None
            else tr("Cells per bin of the %s.") % what,
        ),
        page.table(tr("Cells per bin of the %s") % what, [tr("Bin"), tr("Cells"), tr("Share")], rows, row_headers=True),
    ]


def pca_report(job, result, seconds):
    rows = [
        (tr("Embedding raster"), _file(job.get("input"))),
        (tr("Components"), result["components"]),
        (tr("Whitened"), bool(result.get("whiten"))),
        (tr("Cells sampled for fitting"), result.get("n_samples")),
        (tr("Valid cells"), result.get("valid_cells")),
        (tr("Seed"), job.get("seed", DEFAULT_SEED)),
        (tr("Total explained variance"), page.percent(sum(result["explained_variance_ratio"]))),
    ]
    sections = [
        page.section(tr("Input"), page.facts(tr("What was reduced"), rows)),
        pca_section(result["explained_variance_ratio"], tr("Explained variance")),
        page.run_section([(tr("Principal components"), result.get("output"))], seconds, result.get("warnings")),
    ]
    return page.document(tr("PCA: %d components") % result["components"], _name(job.get("input")), sections)


EXAMPLE_LABELS = {  # the rows of the reference's and the negative embedding's making
    "reference": (
        translatable("Reference embedding"),
        translatable("Reference features used"),
        translatable("Reference cells"),
    ),
    "negative": (
        translatable("Negative embedding"),
        translatable("Negative features used"),
        translatable("Negative cells"),
    ),
}


def _examples_rows(result, key):
    """How the reference ("reference") or the negative embedding ("negative") was made."""
    by_vectors = result.get(key + "_kind") == "vectors"
    embedding, features, cells = (tr(label) for label in EXAMPLE_LABELS[key])
    return [
        (
            embedding,
            tr("mean of the pooled vectors in the features' emb_ fields")
            if by_vectors
            else tr("mean of the cells under the features"),
        ),
        (features, result.get(key + "_features")),
        (cells, None if by_vectors else result.get(key + "_cells")),
    ]


def similarity_report(job, result, seconds):
    threshold = result.get("threshold")
    negatives = result.get("negative_features") is not None
    ref_rows = _examples_rows(result, "reference")
    if negatives:
        ref_rows += _examples_rows(result, "negative")
    what = tr("similarity (positives minus negatives)") if negatives else tr("cosine similarity")
    stat_rows = [
        (tr("Valid cells"), result.get("valid_cells")),
        (tr("Lowest similarity"), result["min"]),
        (tr("Mean similarity"), result["mean"]),
        (tr("Highest similarity"), result["max"]),
        (tr("Threshold"), threshold if threshold is not None else tr("none")),
        (tr("Cells at or above the threshold"), result.get("mask_cells")),
        (
            tr("Share at or above the threshold"),
            page.percent(result["mask_cells"] / result["valid_cells"], 2)
            if result.get("mask_cells") is not None
            else None,
        ),
        (tr("Similar areas (polygons)"), result.get("polygons")),
    ]
    sections = [
        page.section(
            tr("Input"),
            page.facts(tr("Where the search ran"), [(tr("Embedding raster"), _file(job.get("input")))] + ref_rows),
        ),
        page.section(
            tr("Similarity"),
            page.facts(
                tr("Cosine similarity to the reference minus to the negative embedding (-2..2)")
                if negatives
                else tr("Cosine similarity to the reference (-1..1)"),
                stat_rows,
                4,
            ),
            *_histogram_parts(
                result.get("histogram") or {},
                what,
                what,
                threshold,
                tr("threshold %g") % threshold if threshold is not None else None,
            ),
        ),
        page.run_section(
            [
                (tr("Similarity"), result.get("output")),
                (tr("Similar mask"), result.get("mask_output")),
                (tr("Similar areas"), result.get("polygons_output")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    subtitle = tr("%s, %d reference features") % (_name(job.get("input")), result.get("reference_features") or 0)
    if negatives:
        subtitle += tr(", %d negative") % result["negative_features"]
    return page.document(tr("Similarity search"), subtitle, sections)


def cluster_report(job, result, seconds):
    k, sizes = result["k"], result.get("cluster_cells") or []
    silhouette = result.get("silhouette") or {}
    auto = bool(result.get("k_auto"))
    rows = [
        (tr("Embedding raster"), _file(job.get("input"))),
        (tr("Number of clusters"), k),
        (
            tr("How k was set"),
            tr("automatically: the k of %d..%d with the highest silhouette") % tuple(result["k_range"])
            if auto and result.get("k_range")
            else (tr("automatically") if auto else tr("given")),
        ),
        (tr("Silhouette of the chosen k"), silhouette.get(str(k))),
        (tr("Inertia"), result.get("inertia")),
        (tr("Cells sampled for fitting"), result.get("n_samples")),
        (tr("Valid cells"), result.get("valid_cells")),
        (tr("Seed"), job.get("seed", DEFAULT_SEED)),
    ]
    sections = [page.section(tr("Clustering"), page.facts(tr("k-means clustering"), rows, 4))]
    if auto and silhouette:
        sections.append(_choosing_k_section(silhouette, k))
    if sizes:
        sections.append(_cluster_sizes_section(sizes))
    sections.append(page.run_section([(tr("Clusters"), result.get("output"))], seconds, result.get("warnings")))
    return page.document(tr("Clustering: %d clusters") % k, _name(job.get("input")), sections)


def _choosing_k_section(silhouette, k):
    ks = sorted(int(kk) for kk in silhouette)
    svg = charts.line(
        ks,
        [silhouette[str(kk)] for kk in ks],
        tr("Silhouette score by k"),
        tr("k (number of clusters)"),
        tr("silhouette (higher is better)"),
        chosen=k,
    )
    return page.section(
        tr("Choosing k"),
        page.figure(svg, tr("Silhouette score on a sample of cells for every k tried; the chosen k in red.")),
        page.table(
            tr("Silhouette score by k"),
            ["k", tr("Silhouette"), tr("Chosen")],
            [(kk, silhouette[str(kk)], tr("yes") if kk == k else "") for kk in ks],
            4,
            row_headers=True,
        ),
    )


def _cluster_sizes_section(sizes):
    total = float(sum(sizes)) or 1.0
    labels = [str(i + 1) for i in range(len(sizes))]
    svg = charts.bars(labels, sizes, tr("Cells per cluster"), tr("cells"))
    return page.section(
        tr("Cluster sizes"),
        page.figure(svg, tr("Cells per cluster (1 = the largest).")),
        page.table(
            tr("Cells per cluster"),
            [tr("Cluster"), tr("Cells"), tr("Share")],
            [(tr("cluster %s") % name, c, page.percent(c / total)) for name, c in zip(labels, sizes)],
            row_headers=True,
        ),
    )


def change_report(job, result, seconds):
    threshold = result.get("threshold")
    p = result.get("percentiles") or {}
    rows = [
        (tr("First date"), _file(job.get("before"))),
        (tr("Second date"), _file(job.get("after"))),
        (tr("Second raster resampled onto the first one's grid"), bool(result.get("resampled"))),
        (tr("Cells compared"), result.get("valid_cells")),
        (tr("Mean distance"), result["mean_distance"]),
        (tr("Standard deviation"), result["std_distance"]),
        (tr("Lowest distance"), result["min_distance"]),
        (tr("Median"), p.get("50")),
        (tr("90th percentile"), p.get("90")),
        (tr("99th percentile"), p.get("99")),
        (tr("Highest distance"), result["max_distance"]),
        (tr("Threshold"), threshold if threshold is not None else tr("none")),
        (tr("Cells changed (at or above the threshold)"), result.get("changed_cells")),
        (
            tr("Share changed"),
            page.percent(result["changed_fraction"], 2) if result.get("changed_fraction") is not None else None,
        ),
    ]
    sections = [
        page.section(
            tr("Change"),
            page.facts(tr("Cosine distance between the dates (0 = unchanged, up to 2)"), rows, 4),
            *_histogram_parts(
                result.get("histogram") or {},
                tr("cosine distance"),
                tr("cosine distance (1 - cosine similarity)"),
                threshold,
                tr("threshold %g") % threshold if threshold is not None else None,
            ),
        ),
        page.run_section([(tr("Change"), result.get("output"))], seconds, result.get("warnings")),
    ]
    subtitle = tr("%s to %s") % (_name(job.get("before")), _name(job.get("after")))
    if result.get("changed_fraction") is not None:
        subtitle += tr(", %s changed") % page.percent(result["changed_fraction"])
    return page.document(tr("Change between dates"), subtitle, sections)


BUILDERS = {
    "pca": pca_report,
    "similarity": similarity_report,
    "cluster": cluster_report,
    "change": change_report,
}
