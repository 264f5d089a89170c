"""The report of an Apply classifier job: the classifier (what it was fitted on, its classes and the
accuracy it had), the raster it classified, and the cells predicted per class; every chart has its
numbers in a table underneath."""

import os

from ..analysis.classifier_file import describe
from . import charts, page
from .page import Cell, esc


def _describe(facts):
    """The embeddings in words, with their cell size."""
    if not facts:
        return None
    return "%s, cells of %g x %g" % (describe(facts), *facts.get("cell_size", [0, 0]))


def apply_classifier_report(job, result, seconds):
    clf = result.get("classifier") or {}
    training = clf.get("training") or {}
    names, predicted = result["classes"], result.get("predicted_cells") or {}
    accuracy = training.get("cv_accuracy")
    rows = [
        ("Embedding raster", Cell(esc(job.get("input")), "code")),
        ("The raster's embeddings", _describe(result.get("embeddings"))),
        ("Classifier file", Cell(esc(clf.get("path")), "code")),
        ("Fitted on", Cell(esc((clf.get("embeddings") or {}).get("source")), "code")),
        ("The classifier's embeddings", _describe(clf.get("embeddings"))),
        ("Classes", ", ".join(names)),
        ("Training cells per class", ", ".join(str(c) for c in training.get("cells_per_class") or []) or None),
        ("Cross-validated accuracy when fitted", page.percent(accuracy) if accuracy is not None else None),
        ("Saved", "%s by TerraEmbed %s" % (clf.get("created"), clf.get("terraembed_version"))),
    ]
    counts = [predicted.get(n, 0) for n in names]
    total = float(sum(counts)) or 1.0
    sections = [
        page.section("Classifier", page.facts("Apply classifier", rows)),
        page.section(
            "Class sizes",
            page.figure(charts.bars(names, counts, "Predicted cells per class", "cells"), "Cells of each class."),
            page.table(
                "Predicted cells per class",
                ["Class", "Code", "Cells", "Share"],
                [(n, i + 1, c, page.percent(c / total)) for i, (n, c) in enumerate(zip(names, counts))],
                row_headers=True,
            ),
        ),
        page.run_section(
            [
                ("Classes", result.get("output")),
                ("Class probabilities", result.get("probabilities")),
                ("Uncertainty", result.get("uncertainty")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    name = os.path.basename(job.get("input") or "") or "raster"
    return page.document("Apply classifier: %d classes" % len(names), name, sections)


BUILDERS = {"apply_classifier": apply_classifier_report}
