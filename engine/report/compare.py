"""Report of the "compare" job (engine/analysis/compare.py): the ranking, the accuracies with their 95%
intervals, the differences to the best raster and the learning curves, from the job's result."""

from ...shared import catalogue
from ...shared.jobs.analysis import DEFAULT_SEED
from ...shared.jobs.classify import CompareJob
from ..i18n import tr, translatable
from . import charts, page
from .page import Cell, esc
from .validation import interval_text, learning_curve_section

METHOD_WORDS = {
    "logistic": translatable("linear probe (logistic regression)"),
    "knn": translatable("k nearest neighbours"),
}

# crs_units (rasterio's linear_units; "degrees" for a geographic CRS) in words; another unit is shown as it is
UNIT_WORDS = {
    "metre": translatable("metre"),
    "degrees": translatable("degrees"),
    "foot": translatable("foot"),
    "US survey foot": translatable("US survey foot"),
}

RANKING_HEADERS = (
    translatable("Rank"),
    translatable("Raster"),
    translatable("Dimensions"),
    translatable("Cell size"),
    translatable("Labelled cells"),
    translatable("Probe accuracy"),
    translatable("Probe 95%"),
    translatable("Probe macro F1"),
    translatable("k-NN accuracy"),
    translatable("k-NN 95%"),
    translatable("k-NN macro F1"),
    translatable("Against the best"),
)


def _verdict(entry):
    d = entry.get("difference")
    if d is None:
        return tr("best")
    if d["within_spread"]:
        return tr("within the folds' spread of the best")
    return tr("worse than the best by %.1f percentage points (beyond the folds' spread)") % (100.0 * d["mean"])


def _units(units):
    return tr(UNIT_WORDS[units]) if units in UNIT_WORDS else units or ""


def _ranking_table(ranking):
    rows = [
        (
            e["rank"],
            e["name"],
            e["dimensions"],
            "%g %s" % (e["cell_size"], _units(e.get("crs_units"))),
            e["cells"],
            page.percent(e["logistic"]["mean"]),
            interval_text(e["logistic"]["low"], e["logistic"]["high"]),
            e["logistic"]["macro_f1"],
            page.percent(e["knn"]["mean"]),
            interval_text(e["knn"]["low"], e["knn"]["high"]),
            e["knn"]["macro_f1"],
            _verdict(e),
        )
        for e in ranking
    ]
    headers = [tr(word) for word in RANKING_HEADERS]
    return page.table(tr("Rasters ranked by the linear probe's validated accuracy"), headers, rows, row_headers=True)


def _interval_charts(ranking):
    parts = []
    for method in catalogue.CLASSIFIERS:
        svg = charts.intervals(
            [e["name"] for e in ranking],
            [e[method]["mean"] for e in ranking],
            [e[method]["low"] for e in ranking],
            [e[method]["high"] for e in ranking],
            tr("Validated accuracy, %s") % tr(METHOD_WORDS[method]),
        )
        parts.append(
            page.figure(
                svg, tr("Mean accuracy of the folds (dot) and its 95%% interval (bar), %s.") % tr(METHOD_WORDS[method])
            )
        )
    return parts


def _differences(ranking):
    rows = [
        (
            e["name"],
            e["difference"]["mean"],
            e["difference"]["low"],
            e["difference"]["high"],
            tr("yes") if e["difference"]["within_spread"] else tr("no"),
        )
        for e in ranking
        if e.get("difference")
    ]
    if not rows:
        return None
    return page.table(
        tr("The best raster's probe accuracy minus each other's, fold by fold (the same folds)"),
        [tr("Raster"), tr("Difference"), tr("95% low"), tr("95% high"), tr("Within the folds' spread")],
        rows,
        row_headers=True,
    )


def compare_report(job, result, seconds):
    ranking = result["ranking"]
    facts = [
        (tr("Rasters compared"), len(ranking)),
        (tr("Classes"), ", ".join(result["classes"])),
        (
            tr("Validation"),
            tr("%d folds, %s (the same blocks and folds for every raster)") % (result["folds"], result["scheme"]),
        ),
        (tr("k (k-NN)"), job.get("k_neighbors", CompareJob.default("k_neighbors"))),
        (tr("Seed"), job.get("seed", DEFAULT_SEED)),
    ]
    files = [(e["name"], Cell(esc(e["path"]), "code")) for e in ranking]
    sections = [
        page.section(
            tr("Comparison"), page.facts(tr("What was compared"), facts), page.facts(tr("Raster files"), files)
        ),
        page.section(tr("Ranking"), _ranking_table(ranking), *_interval_charts(ranking)),
        page.section(
            tr("Differences"),
            page.paragraph(
                tr(
                    "A difference whose 95% interval holds 0 is within the folds' spread: on these labels the two "
                    "rasters cannot be told apart."
                )
            ),
            _differences(ranking),
        ),
        learning_curve_section([(e["name"], e.get("learning_curve")) for e in ranking], result["scheme"]),
        page.run_section([(tr("Comparison table (CSV)"), result.get("output"))], seconds, result.get("warnings")),
    ]
    best = ranking[0]
    subtitle = tr("best: %s (%s), %d rasters") % (best["name"], page.percent(best["logistic"]["mean"]), len(ranking))
    return page.document(tr("Compare embeddings"), subtitle, [s for s in sections if s])


BUILDERS = {"compare": compare_report}
