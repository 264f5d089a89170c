"""The explore session's "suggest" query: where to label next, from the labels the shell sends.

The labels become classes as the map shows them: in few-shot mode ("fewshot") each positive label's
class; in similarity mode ("similarity") "like this" (sign 1) and "not like this" (sign -1), so
both kinds of example are needed. The few-shot model (predict.make_model, StandardScaler +
LogisticRegression) is fitted on the labelled cells and gives every cell its class probabilities
(the session's folded product, ExploreSession.predict); uncertainty.Candidates picks the n most
uncertain cells, no two closer than the spacing and none closer than that to any label (of either
sign). Args: {"labels", "mode", "suggestion_count": n (20), "suggestion_spacing": map units (0 = 5 cells),
"seed"}. Answer: {"suggestions": [{"x", "y", "rank", "class": null, "uncertainty", "margin",
"first_class", "first_prob", "second_class", "second_prob"}, ...], "classes", "requested", "spacing",
"ignored", "engine_ms"}.
"""

import time

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr
from . import uncertainty
from .predict import make_model

LIKE, UNLIKE = "like this", "not like this"
PRESELECT = 4  # cells kept for the label-distance check: this many times the candidates' pool


def _class_of(label, mode):
    if mode == "similarity":
        return LIKE if int(label.get("sign", 1)) >= 0 else UNLIKE
    if int(label.get("sign", 1)) < 0:
        return ""
    return str(label.get("class") or "").strip()


def _training(session, labels, mode):
    """(cells, class codes, class names, ignored) of the labels that name a class."""
    named = [dict(lab, _i=i) for i, lab in enumerate(labels) if _class_of(lab, mode)]
    cells, which, ignored = session.cells(named)
    ignored = [dict(g, label=named[g["label"]]["_i"]) for g in ignored]
    names = []
    for i in which:
        name = _class_of(named[i], mode)
        if name not in names:
            names.append(name)
    if len(names) < 2:
        raise UserError(
            tr(
                "Suggestions need examples of 2 kinds: in Classes mode 2 classes, in Similar places mode a place "
                "like this and one not like this (Shift+click)."
            )
        )
    y = np.array([names.index(_class_of(named[i], mode)) for i in which], dtype=np.int64)
    return cells, y, names, ignored


def _label_points(labels):
    import shapely

    xy = []
    for lab in labels:
        try:
            xy.append((float(lab["x"]), float(lab["y"])))
        except (KeyError, TypeError, ValueError):
            continue
    return list(shapely.points(np.array(xy, dtype=np.float64))) if xy else []


def suggest(session, labels, args):
    t0 = time.perf_counter()
    mode = args.get("mode") or "fewshot"
    if mode not in ("fewshot", "similarity"):
        raise UserError(tr("Suggestions are for the modes fewshot and similarity, got %r.") % mode)
    n, spacing = uncertainty.options(args, session.src)
    cells, y, names, ignored = _training(session, labels, mode)
    X = session.vectors(cells)
    model = make_model("logistic", 5, int(args.get("seed", 0))).fit(X, y)
    prob = session.predict(model)
    candidates = uncertainty.Candidates(n, spacing, _label_points(labels), int(args.get("seed", 0)))
    idx = np.flatnonzero(session.valid)
    if len(idx) > PRESELECT * candidates.size:
        unsure = 1.0 - prob[idx].max(axis=1)
        idx = idx[np.argpartition(-unsure, PRESELECT * candidates.size)[: PRESELECT * candidates.size]]
    rows, cols = np.divmod(idx, session.width)
    x, y_map = session.src.transform * (cols + 0.5, rows + 0.5)
    candidates.add(prob[idx], idx.astype(np.uint64), np.column_stack([x, y_map]))
    picked = candidates.pick()
    return {
        "suggestions": uncertainty.as_dicts(picked, names),
        "classes": names,
        "requested": n,
        "spacing": spacing,
        "ignored": ignored,
        "engine_ms": round(1000 * (time.perf_counter() - t0), 2),
    }
