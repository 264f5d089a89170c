"""Charts for the reports, drawn with matplotlib (Agg backend) in the runtime and returned as inline
SVG text: text stays text (svg.fonttype none), a <title> and aria-label describe each chart, and ids
are stable between runs (svg.hashsalt). The callers translate titles and labels; the words drawn here
go through tr() (the job's language)."""

import html
import io
import re

from ..i18n import tr

COLOR = "#3b6ea8"
ACCENT = "#c0392b"
LINE = "#e08a1e"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _svg(fig, title):
    plt = _pyplot()
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "terraembed"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    label = html.escape(title, quote=True)
    # role/aria-label on the root element, a <title> as its first child
    text = re.sub(r"<svg\b", '<svg role="img" aria-label="%s"' % label, text, count=1)
    close = text.index(">", text.index("<svg")) + 1
    return text[:close] + "<title>%s</title>" % label + text[close:]


def _figure(width=7.0, height=3.2):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def bars(labels, values, title, ylabel, cumulative=None, percent=False, highlight=None):
    """Vertical bars (optionally one highlighted in red) with an optional cumulative line."""
    fig, ax = _figure()
    xs = list(range(len(values)))
    scale = 100.0 if percent else 1.0
    colors = [ACCENT if highlight is not None and i == highlight else COLOR for i in xs]
    ax.bar(xs, [scale * v for v in values], color=colors, width=0.7, label=ylabel)
    if cumulative is not None:
        ax.plot(xs, [scale * v for v in cumulative], color=LINE, marker="o", linewidth=2, label=tr("cumulative"))
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        if percent:
            ax.set_ylim(0, 105)
    ax.set_xticks(xs)
    ax.set_xticklabels(
        [str(label) for label in labels],
        rotation=45 if len(labels) > 12 else 0,
        ha="right" if len(labels) > 12 else "center",
    )
    ax.set_ylabel(ylabel + (" (%)" if percent else ""))
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)


def histogram(edges, counts, title, xlabel, marker=None, marker_label=None):
    """A histogram from bin edges and counts, with an optional vertical marker (a threshold). When
    one bin dwarfs the others (e.g. the unchanged cells of a change map), the count axis is
    logarithmic so that the small modes stay visible."""
    fig, ax = _figure()
    nonzero = sorted(c for c in counts if c > 0)
    log = bool(nonzero) and nonzero[-1] > 20 * nonzero[len(nonzero) // 2]
    widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
    ax.bar(edges[:-1], counts, width=widths, align="edge", color=COLOR, edgecolor="white", linewidth=0.5)
    if marker is not None:
        ax.axvline(marker, color=ACCENT, linewidth=2, linestyle="--", label=marker_label)
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(tr("cells (log scale)") if log else tr("cells"))
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)


def line(xs, ys, title, xlabel, ylabel, chosen=None):
    """A line with markers; the point at x == chosen in red."""
    fig, ax = _figure()
    points = [(x, y) for x, y in zip(xs, ys) if y is not None]
    ax.plot([p[0] for p in points], [p[1] for p in points], color=COLOR, marker="o", linewidth=2)
    for x, y in points:
        if x == chosen:
            ax.plot([x], [y], marker="o", markersize=11, color=ACCENT, label=tr("chosen k = %s") % x)
            ax.legend(frameon=False)
    ax.set_xticks(list(xs))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)


def heatmap(matrix, labels, title, xlabel, ylabel):
    """A square matrix of counts as a heat map with the count in each cell."""
    plt = _pyplot()
    n = len(labels)
    side = min(6.5, 2.4 + 0.6 * n)
    fig, ax = plt.subplots(figsize=(side + 1.2, side), dpi=100)
    top = max(1, max(max(row) for row in matrix))
    # pcolormesh (vector cells) rather than imshow (an embedded bitmap): crisp at any zoom
    image = ax.pcolormesh(
        [c - 0.5 for c in range(n + 1)],
        [r - 0.5 for r in range(n + 1)],
        matrix,
        cmap="Blues",
        vmin=0,
        vmax=top,
        edgecolors="white",
        linewidth=1,
    )
    ax.set_aspect("equal")
    ax.invert_yaxis()
    for r in range(n):
        for c in range(n):
            value = matrix[r][c]
            ax.text(
                c,
                r,
                "{:,}".format(value),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if value > 0.55 * top else "#1d2630",
            )
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels([str(label) for label in labels], rotation=45 if n > 3 else 0, ha="right" if n > 3 else "center")
    ax.set_yticklabels([str(label) for label in labels])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label=tr("cells"))
    return _svg(fig, title)


def lines(labels, named_values, title, xlabel, ylabel, marks=None):
    """Several lines over the same categorical x (labels): named_values {name: [value or None per
    label]}; marks {name: index of the label to mark with a red point (e.g. a break)}."""
    fig, ax = _figure()
    xs = list(range(len(labels)))
    for name, values in named_values.items():
        points = [(x, v) for x, v in zip(xs, values) if v is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", linewidth=1.6, label=str(name))
        at = (marks or {}).get(name)
        if at is not None and values[at] is not None:
            ax.plot([at], [values[at]], marker="o", markersize=10, color=ACCENT, fillstyle="none")
    ax.set_xticks(xs)
    ax.set_xticklabels(
        [str(label) for label in labels],
        rotation=45 if len(labels) > 8 else 0,
        ha="right" if len(labels) > 8 else "center",
    )
    if len(named_values) > 1:
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)


def learning_curves(series, title, xlabel=None, ylabel=None):
    """One line per series (name, xs, means, lows, highs) with its 95% interval as a band; x on a log
    scale (labelled cells grow by factors). Axis labels: labelled cells per class, accuracy."""
    xlabel = tr("labelled cells per class") if xlabel is None else xlabel
    ylabel = tr("accuracy") if ylabel is None else ylabel
    fig, ax = _figure()
    palette = [COLOR, ACCENT, LINE, "#2e8b57", "#7b4ea3", "#555555"]
    for i, (name, xs, means, lows, highs) in enumerate(series):
        colour = palette[i % len(palette)]
        points = [(x, m, lo, hi) for x, m, lo, hi in zip(xs, means, lows, highs) if m is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], color=colour, marker="o", linewidth=2, label=name)
        band = [p for p in points if p[2] is not None]
        if band:
            ax.fill_between([p[0] for p in band], [p[2] for p in band], [p[3] for p in band], color=colour, alpha=0.15)
    ax.set_xscale("log")
    ticks = sorted({x for _, xs, *_ in series for x in xs})
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)


def intervals(labels, means, lows, highs, title, xlabel=None):
    """Horizontal dots with 95% intervals, one row per label (the first on top)."""
    xlabel = tr("accuracy") if xlabel is None else xlabel
    fig, ax = _figure(7.0, 0.6 + 0.45 * len(labels))
    ys = list(range(len(labels)))[::-1]
    for y, m, lo, hi in zip(ys, means, lows, highs):
        if m is None:
            continue
        if lo is not None:
            ax.plot([lo, hi], [y, y], color=COLOR, linewidth=3, alpha=0.5)
        ax.plot([m], [y], marker="o", color=ACCENT, markersize=8)
    ax.set_yticks(ys)
    ax.set_yticklabels([str(label) for label in labels])
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.8)
    ax.set_title(title, loc="left", fontsize=11)
    return _svg(fig, title)
