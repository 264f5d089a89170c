"""The HTML of a report: one self-contained page (inline CSS, charts as inline SVG, no scripts, no
network), readable in a browser and in whatever QGIS's Results Viewer opens. Every user string goes
through tr() (the job's language, engine/i18n.py) and esc(); chart SVG comes from charts.py (which
escapes its own text)."""

import datetime
import html

from ..i18n import language, tr

STYLE = """
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 24px auto; max-width: 920px;
       color: #1d2630; line-height: 1.4; padding: 0 16px; }
h1 { font-size: 1.5em; margin-bottom: 0.1em; }
h2 { font-size: 1.15em; border-bottom: 2px solid #d8dee4; padding-bottom: 3px; margin-top: 1.6em; }
p.sub { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0 16px 0; font-size: 0.92em; }
caption { text-align: left; font-weight: 600; padding: 4px 0; color: #3b4754; }
th, td { border: 1px solid #d0d7de; padding: 3px 9px; vertical-align: top; }
th { background: #f3f5f7; text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts { min-width: 520px; }
table.facts th { width: 230px; }
table.facts td.num { text-align: left; }
div.cols { display: flex; flex-wrap: wrap; gap: 0 28px; }
div.cols > section { flex: 1 1 400px; }
div.cols table.facts { min-width: 0; width: 100%; }
details summary { cursor: pointer; color: #3b4754; font-size: 0.92em; margin: 4px 0; }
td.code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.92em; word-break: break-all; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: 0.9em; }
.alert { color: #b3261e; font-weight: 600; }
.warn { background: #fff4e5; border-left: 4px solid #e8a33d; padding: 6px 10px; margin: 6px 0; }
footer { color: #8c959f; font-size: 0.85em; margin-top: 2em; }
"""


LONG_TABLE = 12


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def number(value, digits=3):
    """A number as text: integers with thousands separators, floats with `digits` decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, int):
        return "{:,}".format(value)
    if isinstance(value, float):
        return "%.*f" % (digits, value)
    return str(value)


def percent(value, digits=1):
    return "–" if value is None else "%.*f %%" % (digits, 100.0 * value)


class Cell:
    """A table cell with its own markup (already escaped) and CSS class."""

    def __init__(self, markup, css=""):
        self.markup, self.css = markup, css


def _cell(value, digits):
    if isinstance(value, Cell):
        return '<td class="%s">%s</td>' % (value.css, value.markup)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return '<td class="num">%s</td>' % esc(number(value, digits))
    if value is None:
        return '<td class="num">–</td>'
    return "<td>%s</td>" % esc(number(value, digits))


def table(caption, headers, rows, digits=3, row_headers=False):
    """A data table; with row_headers the first value of each row is a <th scope="row">."""
    out = ["<table>", "<caption>%s</caption>" % esc(caption), "<thead><tr>"]
    out += ['<th scope="col">%s</th>' % esc(h) for h in headers]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i == 0 and row_headers:
                cells.append('<th scope="row">%s</th>' % esc(value))
            else:
                cells.append(_cell(value, digits))
        out.append("<tr>%s</tr>" % "".join(cells))
    out.append("</tbody></table>")
    text = "\n".join(out)
    if len(rows) > LONG_TABLE:  # the numbers stay in the page, folded under the chart
        text = "<details><summary>%s</summary>\n%s\n</details>" % (esc(tr("%s (%d rows)") % (caption, len(rows))), text)
    return text


def facts(caption, pairs, digits=3):
    """A two-column table of (label, value) pairs; pairs with value None are left out."""
    rows = ['<tr><th scope="row">%s</th>%s</tr>' % (esc(k), _cell(v, digits)) for k, v in pairs if v is not None]
    return '<table class="facts"><caption>%s</caption><tbody>%s</tbody></table>' % (esc(caption), "\n".join(rows))


def figure(svg, caption):
    return "<figure>%s<figcaption>%s</figcaption></figure>" % (svg, esc(caption))


def paragraph(text, css=""):
    return '<p class="%s">%s</p>' % (css, esc(text)) if css else "<p>%s</p>" % esc(text)


def warnings(items):
    return "\n".join('<div class="warn" role="note">%s</div>' % esc(w) for w in items)


def columns(*sections):
    """Sections side by side where the page is wide enough."""
    return '<div class="cols">%s</div>' % "\n".join(s for s in sections if s)


def section(title, *parts):
    return "<section><h2>%s</h2>\n%s\n</section>" % (esc(title), "\n".join(p for p in parts if p))


def document(title, subtitle, sections, generator="TerraEmbed"):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>%s</h1>"
        "<p class=\"sub\">%s</p></header>\n<main>\n%s\n</main>\n<footer>%s"
        "</footer>\n</body>\n</html>\n"
        % (
            language(),
            esc(title),
            STYLE,
            esc(title),
            esc(subtitle),
            "\n".join(sections),
            esc(tr("Written by %s on %s.") % (generator, now)),
        )
    )


def run_section(outputs, seconds, warning_list):
    """The closing section of every report: output files, job time, warnings."""
    rows = [(label, Cell(esc(path), "code")) for label, path in outputs if path]
    rows.append((tr("Job time"), "%.2f s" % seconds))
    return section(tr("Run", "Report"), facts(tr("Files written and time taken"), rows), warnings(warning_list or []))
