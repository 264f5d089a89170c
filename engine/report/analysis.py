"""Reports of the analysis jobs (pca, similarity, cluster, classify, change), each from its job's
result: every chart has its numbers in a table underneath."""

import os

from ...shared.jobs.analysis import DEFAULT_SEED
from ...shared.jobs.classify import ClassifyJob
from . import charts, page, validation
from .embedding import pca_section
from .page import Cell, esc


def _file(path):
    return Cell(esc(path), "code")


def _name(path):
    return os.path.basename(path or "") or "raster"


def _histogram_parts(histogram, what, xlabel, marker=None, marker_label=None):
    edges, counts = histogram.get("edges") or [], histogram.get("counts") or []
    if not counts:
        return []
    svg = charts.histogram(edges, counts, "Distribution of the %s" % what, xlabel, marker, marker_label)
    total = float(sum(counts)) or 1.0
    rows = [("%.3f – %.3f" % (a, b), c, page.percent(c / total, 2)) for a, b, c in zip(edges[:-1], edges[1:], counts)]
    return [
        page.figure(
            svg, "Cells per bin of the %s%s." % (what, "; dashed line: %s" % marker_label if marker is not None else "")
        ),
        page.table("Cells per bin of the %s" % what, ["Bin", "Cells", "Share"], rows, row_headers=True),
    ]


def pca_report(job, result, seconds):
    rows = [
        ("Embedding raster", _file(job.get("input"))),
        ("Components", result["components"]),
        ("Whitened", bool(result.get("whiten"))),
        ("Cells sampled for fitting", result.get("n_samples")),
        ("Valid cells", result.get("valid_cells")),
        ("Seed", job.get("seed", DEFAULT_SEED)),
        ("Total explained variance", page.percent(sum(result["explained_variance_ratio"]))),
    ]
    sections = [
        page.section("Input", page.facts("What was reduced", rows)),
        pca_section(result["explained_variance_ratio"], "Explained variance"),
        page.run_section([("Principal components", result.get("output"))], seconds, result.get("warnings")),
    ]
    return page.document("PCA: %d components" % result["components"], _name(job.get("input")), sections)


def _examples_rows(result, key, noun):
    """How the reference ("reference") or the negative embedding ("negative") was made."""
    by_vectors = result.get(key + "_kind") == "vectors"
    return [
        (
            "%s embedding" % noun.capitalize(),
            "mean of the pooled vectors in the features' emb_ fields"
            if by_vectors
            else "mean of the cells under the features",
        ),
        ("%s features used" % noun.capitalize(), result.get(key + "_features")),
        ("%s cells" % noun.capitalize(), None if by_vectors else result.get(key + "_cells")),
    ]


def similarity_report(job, result, seconds):
    threshold = result.get("threshold")
    negatives = result.get("negative_features") is not None
    ref_rows = _examples_rows(result, "reference", "reference")
    if negatives:
        ref_rows += _examples_rows(result, "negative", "negative")
    what = "similarity (positives minus negatives)" if negatives else "cosine similarity"
    stat_rows = [
        ("Valid cells", result.get("valid_cells")),
        ("Lowest similarity", result["min"]),
        ("Mean similarity", result["mean"]),
        ("Highest similarity", result["max"]),
        ("Threshold", threshold if threshold is not None else "none"),
        ("Cells at or above the threshold", result.get("mask_cells")),
        (
            "Share at or above the threshold",
            page.percent(result["mask_cells"] / result["valid_cells"], 2)
            if result.get("mask_cells") is not None
            else None,
        ),
        ("Similar areas (polygons)", result.get("polygons")),
    ]
    sections = [
        page.section(
            "Input", page.facts("Where the search ran", [("Embedding raster", _file(job.get("input")))] + ref_rows)
        ),
        page.section(
            "Similarity",
            page.facts(
                "Cosine similarity to the reference minus to the negative embedding (-2..2)"
                if negatives
                else "Cosine similarity to the reference (-1..1)",
                stat_rows,
                4,
            ),
            *_histogram_parts(
                result.get("histogram") or {},
                what,
                what,
                threshold,
                "threshold %g" % threshold if threshold is not None else None,
            ),
        ),
        page.run_section(
            [
                ("Similarity", result.get("output")),
                ("Similar mask", result.get("mask_output")),
                ("Similar areas", result.get("polygons_output")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    subtitle = "%s, %d reference features" % (_name(job.get("input")), result.get("reference_features") or 0)
    if negatives:
        subtitle += ", %d negative" % result["negative_features"]
    return page.document("Similarity search", subtitle, sections)


def cluster_report(job, result, seconds):
    k, sizes = result["k"], result.get("cluster_cells") or []
    silhouette = result.get("silhouette") or {}
    auto = bool(result.get("k_auto"))
    rows = [
        ("Embedding raster", _file(job.get("input"))),
        ("Number of clusters", k),
        (
            "How k was set",
            "automatically: the k of %d..%d with the highest silhouette" % tuple(result["k_range"])
            if auto and result.get("k_range")
            else ("automatically" if auto else "given"),
        ),
        ("Silhouette of the chosen k", silhouette.get(str(k))),
        ("Inertia", result.get("inertia")),
        ("Cells sampled for fitting", result.get("n_samples")),
        ("Valid cells", result.get("valid_cells")),
        ("Seed", job.get("seed", DEFAULT_SEED)),
    ]
    sections = [page.section("Clustering", page.facts("k-means clustering", rows, 4))]
    if auto and silhouette:
        sections.append(_choosing_k_section(silhouette, k))
    if sizes:
        sections.append(_cluster_sizes_section(sizes))
    sections.append(page.run_section([("Clusters", result.get("output"))], seconds, result.get("warnings")))
    return page.document("Clustering: %d clusters" % k, _name(job.get("input")), sections)


def _choosing_k_section(silhouette, k):
    ks = sorted(int(kk) for kk in silhouette)
    svg = charts.line(
        ks,
        [silhouette[str(kk)] for kk in ks],
        "Silhouette score by k",
        "k (number of clusters)",
        "silhouette (higher is better)",
        chosen=k,
    )
    return page.section(
        "Choosing k",
        page.figure(svg, "Silhouette score on a sample of cells for every k tried; the chosen k in red."),
        page.table(
            "Silhouette score by k",
            ["k", "Silhouette", "Chosen"],
            [(kk, silhouette[str(kk)], "yes" if kk == k else "") for kk in ks],
            4,
            row_headers=True,
        ),
    )


def _cluster_sizes_section(sizes):
    total = float(sum(sizes)) or 1.0
    labels = [str(i + 1) for i in range(len(sizes))]
    svg = charts.bars(labels, sizes, "Cells per cluster", "cells")
    return page.section(
        "Cluster sizes",
        page.figure(svg, "Cells per cluster (1 = the largest)."),
        page.table(
            "Cells per cluster",
            ["Cluster", "Cells", "Share"],
            [("cluster %s" % name, c, page.percent(c / total)) for name, c in zip(labels, sizes)],
            row_headers=True,
        ),
    )


def _unsure_rows(result):
    """The classify job's uncertainty raster, where to label next and the saved classifier, when written."""
    rows = [("Uncertainty raster", _file(result["uncertainty"]) if result.get("uncertainty") else None)]
    if result.get("suggestions"):
        text = "%d cells, at least %g map units apart and from every label: %s"
        rows.append(
            (
                "Where to label next",
                text % (result["suggested_cells"], result["suggestion_spacing"], result["suggestions"]),
            )
        )
    rows.append(("Saved classifier", _file(result["classifier"]) if result.get("classifier") else None))
    return rows


def classify_report(job, result, seconds):
    names, per_class = result["classes"], result.get("per_class") or []
    accuracy = result.get("cv_accuracy")
    method = {
        "logistic": "logistic regression",
        "knn": "k nearest neighbours (k = %s)" % job.get("k_neighbors", ClassifyJob.default("k_neighbors")),
    }.get(result.get("method"), result.get("method"))
    rows = _classify_rows(job, result, method)
    sections = [page.section("Classification", page.facts("Few-shot classification", rows))]
    matrix = result.get("confusion_matrix")
    if matrix:
        sections += _confusion_sections(matrix, names, per_class)
    else:
        sections.append(
            page.section(
                "Accuracy",
                page.paragraph(
                    "No cross-validation ran (folds 0 or 1, or a class with a single labelled cell), so "
                    "there is no accuracy estimate."
                ),
            )
        )
    curve = validation.learning_curve_section([(method, result.get("learning_curve"))], result.get("cv_scheme"))
    if curve:
        sections.append(curve)
    sections.append(_class_sizes_section(per_class, result.get("predicted_cells") or {}))
    sections.append(
        page.run_section(
            [
                ("Classes", result.get("output")),
                ("Class probabilities", result.get("probabilities")),
                ("Accuracy table (CSV)", result.get("report")),
            ],
            seconds,
            result.get("warnings"),
        )
    )
    return page.document(
        "Few-shot classification: %d classes" % len(names),
        "%s%s" % (_name(job.get("input")), ", accuracy %s" % page.percent(accuracy) if accuracy is not None else ""),
        sections,
    )


def _classify_rows(job, result, method):
    """The facts of a classification: classifier, training, cross-validation, what was written."""
    accuracy, folds = result.get("cv_accuracy"), result.get("cv_fold_accuracy") or []
    return [
        ("Embedding raster", _file(job.get("input"))),
        ("Classifier", method),
        ("Classes", len(result["classes"])),
        ("Training cells", result.get("n_samples")),
        (
            "Cross-validation",
            "%d folds, %s" % (result["cv_folds"], result["cv_scheme"]) if result.get("cv_folds") else "none",
        ),
        ("Folds asked", result.get("cv_folds_requested")),
        ("Cross-validated accuracy", page.percent(accuracy) if accuracy is not None else None),
        (
            "Mean accuracy of the folds",
            page.percent(result["cv_accuracy_mean"]) if result.get("cv_accuracy_mean") else None,
        ),
        ("95% interval across folds", validation.interval_text(*(result.get("cv_accuracy_interval") or [None, None]))),
        ("Macro F1", result.get("macro_f1")),
        ("Spatial block size (map units)", result.get("validation_block_size")),
        ("Accuracy per fold", ", ".join(page.percent(a) for a in folds) if folds else None),
        ("Classes without training cells", ", ".join(result.get("dropped_classes") or []) or None),
        ("Seed", job.get("seed", DEFAULT_SEED)),
    ] + _unsure_rows(result)


def _confusion_sections(matrix, names, per_class):
    """The cross-validated confusion matrix (figure and table) and the per-class scores."""
    svg = charts.heatmap(matrix, names, "Confusion matrix (cross-validated cells)", "predicted class", "labelled class")
    return [
        page.section(
            "Confusion matrix",
            page.figure(
                svg,
                "Rows: the labelled class; columns: the class cross-validation "
                "predicted; the diagonal holds the correct cells.",
            ),
            page.table(
                "Confusion matrix: labelled class (rows) by predicted class (columns)",
                ["labelled \\ predicted"] + list(names),
                [[n] + list(r) for n, r in zip(names, matrix)],
                row_headers=True,
            ),
        ),
        page.section(
            "Per-class scores",
            page.table(
                "Precision, recall and F1 per class (cross-validated)",
                ["Class", "Precision", "Recall", "F1", "Support (cells)"],
                [(d["class"], d["precision"], d["recall"], d["f1"], d["support"]) for d in per_class],
                row_headers=True,
            ),
        ),
    ]


def _class_sizes_section(per_class, predicted):
    return page.section(
        "Class sizes",
        page.table(
            "Training data and predicted area per class",
            ["Class", "Code", "Labelled features", "Training cells", "Predicted cells"],
            [
                (d["class"], d["code"], d["training_features"], d["training_cells"], predicted.get(d["class"]))
                for d in per_class
            ],
            row_headers=True,
        ),
    )


def change_report(job, result, seconds):
    threshold = result.get("threshold")
    p = result.get("percentiles") or {}
    rows = [
        ("First date", _file(job.get("before"))),
        ("Second date", _file(job.get("after"))),
        ("Second raster resampled onto the first one's grid", bool(result.get("resampled"))),
        ("Cells compared", result.get("valid_cells")),
        ("Mean distance", result["mean_distance"]),
        ("Standard deviation", result["std_distance"]),
        ("Lowest distance", result["min_distance"]),
        ("Median", p.get("50")),
        ("90th percentile", p.get("90")),
        ("99th percentile", p.get("99")),
        ("Highest distance", result["max_distance"]),
        ("Threshold", threshold if threshold is not None else "none"),
        ("Cells changed (at or above the threshold)", result.get("changed_cells")),
        (
            "Share changed",
            page.percent(result["changed_fraction"], 2) if result.get("changed_fraction") is not None else None,
        ),
    ]
    sections = [
        page.section(
            "Change",
            page.facts("Cosine distance between the dates (0 = unchanged, up to 2)", rows, 4),
            *_histogram_parts(
                result.get("histogram") or {},
                "cosine distance",
                "cosine distance (1 - cosine similarity)",
                threshold,
                "threshold %g" % threshold if threshold is not None else None,
            ),
        ),
        page.run_section([("Change", result.get("output"))], seconds, result.get("warnings")),
    ]
    subtitle = "%s to %s" % (_name(job.get("before")), _name(job.get("after")))
    if result.get("changed_fraction") is not None:
        subtitle += ", %s changed" % page.percent(result["changed_fraction"])
    return page.document("Change between dates", subtitle, sections)


BUILDERS = {
    "pca": pca_report,
    "similarity": similarity_report,
    "cluster": cluster_report,
    "classify": classify_report,
    "change": change_report,
}
