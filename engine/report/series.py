"""The report of "change_series" (Change over time), from its job's result: every chart has its
numbers in a table underneath."""

from . import charts, page
from .analysis import _histogram_parts, _name

CHART_FEATURES = 12  # feature timelines drawn in one chart (the table holds them all)


def _input_section(job, result):
    source = job.get("series") or "%d rasters in order" % len(job.get("inputs") or [])
    rows = [
        ("Series", page.Cell(page.esc(source), "code")),
        ("Periods", len(result["periods"])),
        ("First and last period", "%s, %s" % (result["periods"][0], result["periods"][-1])),
        ("A change: a step of at least", result["change_step"]),
        ("Cells with data in every period", result.get("valid_cells")),
        ("Periods resampled onto the first one's grid", ", ".join(result.get("resampled") or []) or "none"),
    ]
    return page.section("Input", page.facts("What was compared", rows))


def _classes_section(result):
    cells = result.get("class_cells") or {}
    total = float(sum(cells.values())) or 1.0
    names = list(cells)
    svg = charts.bars(names, [cells[n] for n in names], "Cells per class of change", "cells")
    rows = [(n, cells[n], page.percent(cells[n] / total)) for n in names]
    return page.section(
        "Classes of change",
        page.paragraph(
            "stable: no step between consecutive periods at or above %g; one break: exactly one; repeated "
            "change: two or more." % result["change_step"]
        ),
        page.figure(svg, "Cells per class of change."),
        page.table("Cells per class of change", ["Class", "Cells", "Share"], rows, row_headers=True),
    )


def _periods_section(result):
    labels, rows = result["periods"], result.get("per_period") or []
    breaks = result.get("break_cells") or [0] * len(labels)
    later = [r for r in rows if r.get("to_first")]
    svg = charts.lines(
        labels,
        {
            "mean distance to the first period": [None] + [r["to_first"]["mean"] for r in later],
            "90th percentile": [None] + [r["to_first"]["90"] for r in later],
            "mean step from the previous period": [None] + [r["step_mean"] for r in later],
        },
        "Change by period",
        "period",
        "cosine distance",
    )
    bars = charts.bars(labels, breaks, "Breaks per period (changed cells)", "cells")
    table_rows = [
        (
            r["label"],
            None if not r.get("to_first") else r["to_first"]["mean"],
            None if not r.get("to_first") else r["to_first"]["50"],
            None if not r.get("to_first") else r["to_first"]["90"],
            r.get("step_mean"),
            b,
        )
        for r, b in zip(rows, breaks)
    ]
    hists = []
    for label, hist in zip(labels[1:], result.get("to_first_histograms") or []):
        hists += _histogram_parts(hist, "distance of %s to the first period" % label, "cosine distance")
    parts = [
        page.figure(svg, "Distance to the first period and step from the previous one, by period."),
        page.figure(bars, "Cells of one break or repeated change whose largest step ends in each period."),
        page.table(
            "Distribution per period",
            ["Period", "Mean distance to the first", "Median", "90th percentile", "Mean step", "Breaks (cells)"],
            table_rows,
            row_headers=True,
        ),
    ]
    if hists:
        parts.append("<details><summary>Histograms per period</summary>\n%s\n</details>" % "\n".join(hists))
    return page.section("Periods", *parts)


def _timelines_section(result):
    timelines = [t for t in (result.get("timelines") or []) if t.get("to_first")]
    if not timelines:
        return None
    labels = result["periods"]
    shown = timelines[:CHART_FEATURES]
    svg = charts.lines(
        labels,
        {t["name"]: t["to_first"] for t in shown},
        "Timelines of the features (mean over their cells)",
        "period",
        "cosine distance to the first period",
    )
    rows = [[t["name"], t["cells"]] + list(t["to_first"]) for t in timelines]
    steps = [[t["name"], t["cells"]] + list(t["to_previous"]) for t in timelines]
    note = "" if len(timelines) <= CHART_FEATURES else " (the first %d features)" % CHART_FEATURES
    return page.section(
        "Timelines of the features",
        page.figure(svg, "Mean cosine distance of each feature's cells to the first period%s." % note),
        page.table("Distance to the first period", ["Feature", "Cells"] + list(labels), rows, row_headers=True),
        page.table("Step from the previous period", ["Feature", "Cells"] + list(labels), steps, row_headers=True),
    )


def change_series_report(job, result, seconds):
    sections = [
        _input_section(job, result),
        _classes_section(result),
        _periods_section(result),
        _timelines_section(result),
        page.run_section(
            [
                ("Change over time", result.get("output")),
                ("Change classes", result.get("classes_output")),
                ("Change areas", result.get("polygons_output")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    subtitle = "%s, %d periods (%s to %s)" % (
        _name(job.get("series") or (job.get("inputs") or [""])[0]),
        len(result["periods"]),
        result["periods"][0],
        result["periods"][-1],
    )
    return page.document("Change over time", subtitle, [s for s in sections if s])


BUILDERS = {"change_series": change_series_report}
