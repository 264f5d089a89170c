"""Report parts of validated classifiers (engine/analysis/validation.py), shared by the Few-shot classification
and the Compare embeddings reports: the accuracy's interval in words and the learning curve."""

from ..i18n import tr
from . import charts, page


def interval_text(lo, hi):
    """'91.2 % – 96.0 %', or None without an interval (a single fold)."""
    return None if lo is None or hi is None else "%s – %s" % (page.percent(lo), page.percent(hi))


def learning_curve_section(series, scheme):
    """A section with the learning curves of series [(name, points)] (points: the result's
    "learning_curve") as a chart and a table."""
    series = [(name, points) for name, points in series if points]
    if not series:
        return None
    svg = charts.learning_curves(
        [
            (
                name,
                [p["cells_per_class"] for p in points],
                [p["accuracy"] for p in points],
                [p["low"] for p in points],
                [p["high"] for p in points],
            )
            for name, points in series
        ],
        tr("Learning curve (%s)") % scheme,
    )
    rows = [(name, p["cells_per_class"], p["accuracy"], p["low"], p["high"]) for name, points in series for p in points]
    return page.section(
        tr("Learning curve"),
        page.figure(
            svg,
            tr(
                "Validated accuracy (mean of the folds, with its 95%% interval as a band) when each fold's "
                "training keeps at most this many labelled cells per class (%s). A curve still rising at the "
                "right says more labels would help."
            )
            % scheme,
        ),
        page.table(
            tr("Accuracy by labelled cells per class"),
            [tr("Series"), tr("Cells per class"), tr("Accuracy"), tr("95% low"), tr("95% high")],
            rows,
            row_headers=True,
        ),
    )
