"""The report of an Apply classifier job: the classifier (what it was fitted on, its classes and the
accuracy it had), the raster it classified, and the cells predicted per class; every chart has its
numbers in a table underneath."""

import os

from ..analysis.classifier_file import describe
from ..i18n import tr
from . import charts, page
from .page import Cell, esc


def _describe(facts):
    """The embeddings in words, with their cell size."""
    if not facts:
        return None
    return tr("%s, cells of %g x %g") % (describe(facts), *facts.get("cell_size", [0, 0]))


def apply_classifier_report(job, result, seconds):
    clf = result.get("classifier") or {}
    training = clf.get("training") or {}
    names, predicted = result["classes"], result.get("predicted_cells") or {}
    accuracy = training.get("cv_accuracy")
    rows = [
        (tr("Embedding raster"), Cell(esc(job.get("input")), "code")),
        (tr("The raster's embeddings"), _describe(result.get("embeddings"))),
        (tr("Classifier file"), Cell(esc(clf.get("path")), "code")),
        (tr("Fitted on"), Cell(esc((clf.get("embeddings") or {}).get("source")), "code")),
        (tr("The classifier's embeddings"), _describe(clf.get("embeddings"))),
        (tr("Classes"), ", ".join(names)),
        (tr("Training cells per class"), ", ".join(str(c) for c in training.get("cells_per_class") or []) or None),
        (tr("Cross-validated accuracy when fitted"), page.percent(accuracy) if accuracy is not None else None),
        (tr("Saved"), tr("%s by TerraEmbed %s") % (clf.get("created"), clf.get("terraembed_version"))),
    ]
    counts = [predicted.get(n, 0) for n in names]
    total = float(sum(counts)) or 1.0
    sections = [
        page.section(tr("Classifier"), page.facts(tr("Apply classifier"), rows)),
        page.section(
            tr("Class sizes"),
            page.figure(
                charts.bars(names, counts, tr("Predicted cells per class"), tr("cells")), tr("Cells of each class.")
            ),
            page.table(
                tr("Predicted cells per class"),
                [tr("Class"), tr("Code"), tr("Cells"), tr("Share")],
                [(n, i + 1, c, page.percent(c / total)) for i, (n, c) in enumerate(zip(names, counts))],
                row_headers=True,
            ),
        ),
        page.run_section(
            [
                (tr("Classes"), result.get("output")),
                (tr("Class probabilities"), result.get("probabilities")),
                (tr("Uncertainty"), result.get("uncertainty")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    name = os.path.basename(job.get("input") or "") or tr("raster")
    return page.document(tr("Apply classifier: %d classes") % len(names), name, sections)


BUILDERS = {"apply_classifier": apply_classifier_report}
