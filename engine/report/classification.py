"""The report of the Few-shot classification job ("classify"), from its job's result: the classifier and
its validation, the confusion matrix, the per-class scores, the learning curve and the class sizes; every
chart has its numbers in a table underneath."""

from ...shared.jobs.analysis import DEFAULT_SEED
from ...shared.jobs.classify import ClassifyJob
from ..i18n import tr
from . import charts, page, validation
from .analysis import _file, _name


def _unsure_rows(result):
    """The classify job's uncertainty raster, where to label next and the saved classifier, when written."""
    rows = [(tr("Uncertainty raster"), _file(result["uncertainty"]) if result.get("uncertainty") else None)]
    if result.get("suggestions"):
        text = tr("%d cells, at least %g map units apart and from every label: %s")
        rows.append(
            (
                tr("Where to label next"),
                text % (result["suggested_cells"], result["suggestion_spacing"], result["suggestions"]),
            )
        )
    rows.append((tr("Saved classifier"), _file(result["classifier"]) if result.get("classifier") else None))
    return rows


def classify_report(job, result, seconds):
    names, per_class = result["classes"], result.get("per_class") or []
    accuracy = result.get("cv_accuracy")
    method = {
        "logistic": tr("logistic regression"),
        "knn": tr("k nearest neighbours (k = %s)") % job.get("k_neighbors", ClassifyJob.default("k_neighbors")),
    }.get(result.get("method"), result.get("method"))
    rows = _classify_rows(job, result, method)
    sections = [page.section(tr("Classification"), page.facts(tr("Few-shot classification"), rows))]
    matrix = result.get("confusion_matrix")
    if matrix:
        sections += _confusion_sections(matrix, names, per_class)
    else:
        sections.append(
            page.section(
                tr("Accuracy"),
                page.paragraph(
                    tr(
                        "No cross-validation ran (folds 0 or 1, or a class with a single labelled cell), so "
                        "there is no accuracy estimate."
                    )
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
                (tr("Classes"), result.get("output")),
                (tr("Class probabilities"), result.get("probabilities")),
                (tr("Accuracy table (CSV)"), result.get("report")),
            ],
            seconds,
            result.get("warnings"),
        )
    )
    return page.document(
        tr("Few-shot classification: %d classes") % len(names),
        "%s%s"
        % (_name(job.get("input")), tr(", accuracy %s") % page.percent(accuracy) if accuracy is not None else ""),
        sections,
    )


def _classify_rows(job, result, method):
    """The facts of a classification: classifier, training, cross-validation, what was written."""
    accuracy, folds = result.get("cv_accuracy"), result.get("cv_fold_accuracy") or []
    return [
        (tr("Embedding raster"), _file(job.get("input"))),
        (tr("Classifier"), method),
        (tr("Classes"), len(result["classes"])),
        (tr("Training cells"), result.get("n_samples")),
        (
            tr("Cross-validation"),
            tr("%d folds, %s") % (result["cv_folds"], result["cv_scheme"]) if result.get("cv_folds") else tr("none"),
        ),
        (tr("Folds asked"), result.get("cv_folds_requested")),
        (tr("Cross-validated accuracy"), page.percent(accuracy) if accuracy is not None else None),
        (
            tr("Mean accuracy of the folds"),
            page.percent(result["cv_accuracy_mean"]) if result.get("cv_accuracy_mean") else None,
        ),
        (
            tr("95% interval across folds"),
            validation.interval_text(*(result.get("cv_accuracy_interval") or [None, None])),
        ),
        (tr("Macro F1"), result.get("macro_f1")),
        (tr("Spatial block size (map units)"), result.get("validation_block_size")),
        (tr("Accuracy per fold"), ", ".join(page.percent(a) for a in folds) if folds else None),
        (tr("Classes without training cells"), ", ".join(result.get("dropped_classes") or []) or None),
        (tr("Seed"), job.get("seed", DEFAULT_SEED)),
    ] + _unsure_rows(result)


def _confusion_sections(matrix, names, per_class):
    """The cross-validated confusion matrix (figure and table) and the per-class scores."""
    svg = charts.heatmap(
        matrix, names, tr("Confusion matrix (cross-validated cells)"), tr("predicted class"), tr("labelled class")
    )
    return [
        page.section(
            tr("Confusion matrix"),
            page.figure(
                svg,
                tr(
                    "Rows: the labelled class; columns: the class cross-validation "
                    "predicted; the diagonal holds the correct cells."
                ),
            ),
            page.table(
                tr("Confusion matrix: labelled class (rows) by predicted class (columns)"),
                [tr("labelled \\ predicted")] + list(names),
                [[n] + list(r) for n, r in zip(names, matrix)],
                row_headers=True,
            ),
        ),
        page.section(
            tr("Per-class scores"),
            page.table(
                tr("Precision, recall and F1 per class (cross-validated)"),
                [tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support (cells)")],
                [(d["class"], d["precision"], d["recall"], d["f1"], d["support"]) for d in per_class],
                row_headers=True,
            ),
        ),
    ]


def _class_sizes_section(per_class, predicted):
    return page.section(
        tr("Class sizes"),
        page.table(
            tr("Training data and predicted area per class"),
            [tr("Class"), tr("Code"), tr("Labelled features"), tr("Training cells"), tr("Predicted cells")],
            [
                (d["class"], d["code"], d["training_features"], d["training_cells"], predicted.get(d["class"]))
                for d in per_class
            ],
            row_headers=True,
        ),
    )


BUILDERS = {"classify": classify_report}
