"""The report of "change_series" (Change over time), from its job's result: every chart has its
numbers in a table underneath."""

from ..i18n import tr
from . import charts, page
from .analysis import _histogram_parts, _name

CHART_FEATURES = 12  # feature timelines drawn in one chart (the table holds them all)


def _input_section(job, result):
    source = job.get("series") or tr("%d rasters in order") % len(job.get("inputs") or [])
    rows = [
        (tr("Series"), page.Cell(page.esc(source), "code")),
        (tr("Periods"), len(result["periods"])),
        (tr("First and last period"), "%s, %s" % (result["periods"][0], result["periods"][-1])),
        (tr("A change: a step of at least"), result["change_step"]),
        (tr("Cells with data in every period"), result.get("valid_cells")),
        (tr("Periods resampled onto the first one's grid"), ", ".join(result.get("resampled") or []) or tr("none")),
    ]
    return page.section(tr("Input"), page.facts(tr("What was compared"), rows))


def _classes_section(result):
    cells = result.get("class_cells") or {}
    total = float(sum(cells.values())) or 1.0
    names = list(cells)  # catalogue.CHANGE_CLASSES: the class raster's own names; in words, translated here
    words = [tr(n) for n in names]
    svg = charts.bars(words, [cells[n] for n in names], tr("Cells per class of change"), tr("cells"))
    rows = [(w, cells[n], page.percent(cells[n] / total)) for w, n in zip(words, names)]
    return page.section(
        tr("Classes of change"),
        page.paragraph(
            tr(
                "stable: no step between consecutive periods at or above %g; one break: exactly one; repeated "
                "change: two or more."
            )
            % result["change_step"]
        ),
        page.figure(svg, tr("Cells per class of change.")),
        page.table(tr("Cells per class of change"), [tr("Class"), tr("Cells"), tr("Share")], rows, row_headers=True),
    )


def _periods_section(result):
    labels, rows = result["periods"], result.get("per_period") or []
    breaks = result.get("break_cells") or [0] * len(labels)
    later = [r for r in rows if r.get("to_first")]
    svg = charts.lines(
        labels,
        {
            tr("mean distance to the first period"): [None] + [r["to_first"]["mean"] for r in later],
            tr("90th percentile"): [None] + [r["to_first"]["90"] for r in later],
            tr("mean step from the previous period"): [None] + [r["step_mean"] for r in later],
        },
        tr("Change by period"),
        tr("period"),
        tr("cosine distance"),
    )
    bars = charts.bars(labels, breaks, tr("Breaks per period (changed cells)"), tr("cells"))
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
        hists += _histogram_parts(hist, tr("distance of %s to the first period") % label, tr("cosine distance"))
    parts = [
        page.figure(svg, tr("Distance to the first period and step from the previous one, by period.")),
        page.figure(bars, tr("Cells of one break or repeated change whose largest step ends in each period.")),
        page.table(
            tr("Distribution per period"),
            [
                tr("Period"),
                tr("Mean distance to the first"),
                tr("Median"),
                tr("90th percentile"),
                tr("Mean step"),
                tr("Breaks (cells)"),
            ],
            table_rows,
            row_headers=True,
        ),
    ]
    if hists:
        parts.append(
            "<details><summary>%s</summary>\n%s\n</details>" % (page.esc(tr("Histograms per period")), "\n".join(hists))
        )
    return page.section(tr("Periods"), *parts)


def _timelines_section(result):
    timelines = [t for t in (result.get("timelines") or []) if t.get("to_first")]
    if not timelines:
        return None
    labels = result["periods"]
    shown = timelines[:CHART_FEATURES]
    svg = charts.lines(
        labels,
        {t["name"]: t["to_first"] for t in shown},
        tr("Timelines of the features (mean over their cells)"),
        tr("period"),
        tr("cosine distance to the first period"),
    )
    rows = [[t["name"], t["cells"]] + list(t["to_first"]) for t in timelines]
    steps = [[t["name"], t["cells"]] + list(t["to_previous"]) for t in timelines]
    note = "" if len(timelines) <= CHART_FEATURES else tr(" (the first %d features)") % CHART_FEATURES
    return page.section(
        tr("Timelines of the features"),
        page.figure(svg, tr("Mean cosine distance of each feature's cells to the first period%s.") % note),
        page.table(
            tr("Distance to the first period"), [tr("Feature"), tr("Cells")] + list(labels), rows, row_headers=True
        ),
        page.table(
            tr("Step from the previous period"), [tr("Feature"), tr("Cells")] + list(labels), steps, row_headers=True
        ),
    )


def change_series_report(job, result, seconds):
    sections = [
        _input_section(job, result),
        _classes_section(result),
        _periods_section(result),
        _timelines_section(result),
        page.run_section(
            [
                (tr("Change over time"), result.get("output")),
                (tr("Change classes"), result.get("classes_output")),
                (tr("Change areas"), result.get("polygons_output")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    subtitle = tr("%s, %d periods (%s to %s)") % (
        _name(job.get("series") or (job.get("inputs") or [""])[0]),
        len(result["periods"]),
        result["periods"][0],
        result["periods"][-1],
    )
    return page.document(tr("Change over time"), subtitle, [s for s in sections if s])


BUILDERS = {"change_series": change_series_report}
