"""Read a TerraEmbed HTML report back with html.parser: its tables (caption -> rows of cell text),
chart titles, and everything that would reach outside the file (scripts, links, external
resources)."""

import html.parser
import re


class Report(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables = {}  # caption -> [[cell text, ...], ...] (header row first)
        self.svg_titles = []
        self.external = []  # (tag, attribute, value) that load or link something
        self.alerts = []  # text of elements with class "alert"
        self.title = None
        self._table = self._row = self._cell = None
        self._caption = self._svg_title = self._title = None
        self._alert_depth = 0
        self._alert_text = []
        self._depth = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._depth += 1
        if tag == "script" or (tag == "link" and attrs.get("rel") == "stylesheet"):
            self.external.append((tag, "", ""))
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key) or ""
            if value and not value.startswith(("#", "data:")):
                self.external.append((tag, key, value))
        if "url(" in (attrs.get("style") or "") and "url(#" not in attrs["style"]:
            self.external.append((tag, "style", attrs["style"]))
        if "alert" in (attrs.get("class") or "").split():
            self._alert_depth = self._depth
            self._alert_text = []
        if tag == "table":
            self._table = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag):
        if self._alert_depth and self._depth == self._alert_depth:
            self.alerts.append("".join(self._alert_text).strip())
            self._alert_depth = 0
        self._depth -= 1
        if tag == "caption" and self._caption is not None:
            self._table_caption = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables[self._table_caption] = self._table
            self._table = None
        elif tag == "title" and self._title is not None:
            text = "".join(self._title).strip()
            if self.title is None:
                self.title = text
            else:
                self.svg_titles.append(text)
            self._title = None

    def handle_data(self, data):
        for part in (self._caption, self._cell, self._title):
            if part is not None:
                part.append(data)
        if self._alert_depth:
            self._alert_text.append(data)

    # -- look-ups -------------------------------------------------------------------------------
    def table(self, caption_start):
        """The rows (header first) of the one table whose caption starts with caption_start."""
        found = [rows for caption, rows in self.tables.items() if caption.startswith(caption_start)]
        assert len(found) == 1, (caption_start, list(self.tables))
        return found[0]

    def fact(self, caption_start, label):
        """The value cell of the row `label` in a two-column facts table."""
        rows = [r for r in self.table(caption_start) if r[0] == label]
        assert len(rows) == 1, (label, self.table(caption_start))
        return rows[0][1]


def num(text):
    """The number in a cell: '1,234' -> 1234, '41.2 %' -> 0.412, '0.873' -> 0.873."""
    text = text.replace(",", "").strip()
    value = float(re.match(r"-?[0-9.]+(e-?[0-9]+)?", text).group(0))
    return value / 100.0 if text.endswith("%") else value


def read(path):
    with open(path, encoding="utf-8") as f:
        return Report(f.read())
