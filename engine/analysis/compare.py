"""Job "compare": which embedding raster separates the labelled classes best, validated in space.

Job: {"type": "compare", "rasters": [path, path, ...] (2 or more), "names": [text, ...] | null,
       "output": path (CSV), "labels": [{"wkt": WKT in the FIRST raster's CRS, "label": class}, ...],
       "cv_folds": 5, "validation_block_size": 0 (map units of the first raster's CRS, 0 = automatic),
       "k_neighbors": 5, "seed": 0, "max_samples_per_class": 5000, "all_touched": false}
Each raster is sampled under the labels on its own grid (the labels transformed to its CRS; the
training cells as in classify.py). Classes without a valid cell in every raster are left out of the
comparison (warned). Spatial blocks are defined once, in the first raster's CRS from the labels'
lower-left corner: every raster's cells are placed in them by their centres, and the blocks are
assigned to folds once (validation.fold_of_groups over all rasters' cells), so every raster is
validated on the same blocks in the same folds. Per raster: a linear probe (StandardScaler +
LogisticRegression) and k-NN, each with the pooled accuracy, the mean of the folds with its 95%
interval and the macro F1; the probe's learning curve; the difference of the probe's fold accuracies
to the best raster's, fold by fold, with its 95% interval (within the folds' spread when it holds 0).
Output: CSV, one row per raster in rank order (COLUMNS).
Result: {"output", "classes", "block_size", "folds", "ranking": [{"rank", "name", "path", "dimensions",
         "cell_size", "crs_units", "cells", "features_outside", "logistic": {...}, "knn": {...},
         "learning_curve", "difference": {"mean", "low", "high", "within_spread"} | null}, ...]}
"""

import csv
import os

import numpy as np

from ...shared import catalogue
from ...shared.errors import UserError
from ...shared.jobs.classify import CompareJob
from ..i18n import tr
from ..jobs import job
from . import blocks, validation
from .classify import Training, parse_labels, read_training
from .predict import model_maker
from .run import embedding_job

COLUMNS = (
    "rank", "raster", "path", "dimensions", "cell_size", "training_cells", "features_outside",
    "logistic_accuracy", "logistic_low_95", "logistic_high_95", "logistic_macro_f1",
    "knn_accuracy", "knn_low_95", "knn_high_95", "knn_macro_f1",
    "difference_to_best", "difference_low_95", "difference_high_95", "within_folds_spread",
)  # fmt: skip


def _options(compare: CompareJob) -> dict:
    """The job's values, with every raster's name (its file name when the job gives none)."""
    rasters, names = compare.rasters, compare.names or [None] * len(compare.rasters)
    return {
        "rasters": rasters,
        "names": [n or os.path.splitext(os.path.basename(p))[0] for n, p in zip(names, rasters)],
        "folds": compare.cv_folds,
        "block_size": compare.validation_block_size,
        "k_neighbors": compare.k_neighbors,
        "cap": compare.max_samples_per_class,
        "seed": compare.seed,
        "all_touched": compare.all_touched,
        "reading_block": compare.block_size,
    }


def _geoms_on(geoms, reference, src):
    """The labels (in the reference raster's CRS) in src's CRS."""
    if src.crs == reference.crs:
        return geoms
    from rasterio.warp import transform_geom
    from shapely.geometry import mapping, shape

    return [shape(transform_geom(reference.crs, src.crs, mapping(g))) for g in geoms]


def _outside(geoms, src, name, ctx):
    """How many labels lie outside src's extent (warned); UserError when all do."""
    from shapely import box

    extent = box(*src.bounds)
    outside = sum(1 for g in geoms if not g.intersects(extent))
    if outside == len(geoms):
        raise UserError(
            tr(
                "The raster %r does not overlap the labelled features (none of the %d lies inside its extent). "
                "Compare rasters of the labelled area, or check the labels' CRS."
            )
            % (name, len(geoms))
        )
    if outside:
        ctx.warn(tr("%d of the %d labelled features lie outside the raster %r.") % (outside, len(geoms), name))
    return outside


def _common(trainings, names, ctx):
    """The trainings reduced to the classes every raster has cells of (codes renumbered alike)."""
    common = [n for n in trainings[0].names if all(n in t.names for t in trainings)]
    for name, t in zip(names, trainings):
        missing = [c for c in t.names if c not in common]
        if missing:
            ctx.warn(
                tr(
                    "Class %s of the raster %r has no valid labelled cell in another raster; it is left out of the "
                    "comparison (every raster is validated on the same classes)."
                )
                % (", ".join(map(repr, missing)), name)
            )
    if len(common) < 2:
        raise UserError(
            tr(
                "Fewer than 2 classes have labelled cells in every raster (%s); the comparison needs the same "
                "classes in all rasters. Label classes inside every raster's extent."
            )
            % (", ".join(common) or tr("none"))
        )
    out = []
    for t in trainings:
        old = np.array([common.index(n) if n in common else -1 for n in t.names])
        keep = old[t.y] >= 0
        out.append(Training(t.X[keep], old[t.y][keep], t.groups[keep], t.cells[keep], common, t.dropped))
    return out, common


def _block_xy(training, src, reference):
    """Centres of the training cells in the reference raster's CRS."""
    x, y = validation.cell_centres(training.cells, src.width, src.transform)
    if src.crs != reference.crs:
        from rasterio.warp import transform

        x, y = transform(src.crs, reference.crs, list(x), list(y))
    return np.asarray(x), np.asarray(y)


def _shared_folds(trainings, sources, geoms, opts, ctx):
    """One block size and one {block: fold} for all rasters: [Folds per raster], block size. The size
    (given, or automatic on the first raster) must leave every class in 2 blocks in every raster."""
    reference = sources[0]
    xys = [_block_xy(t, s, reference) for t, s in zip(trainings, sources)]
    origin = validation.labels_origin(geoms)
    res = max(abs(reference.res[0]), abs(reference.res[1]))
    size = opts["block_size"]
    for i, (t, xy) in enumerate(zip(trainings, xys)):
        try:
            size = validation.block_size(xy, t.y, t.names, size, origin, res, ctx)
        except UserError as exc:
            raise UserError(tr("Raster %r: %s") % (opts["names"][i], exc)) from exc
    numbers = [validation.block_numbers(xy[0], xy[1], size, origin) for xy in xys]
    y = np.concatenate([t.y for t in trainings])
    union = np.concatenate(numbers)
    per_class = min(len(np.unique(union[y == c])) for c in range(len(trainings[0].names)))
    n = validation.reduce_folds(opts["folds"], per_class, "blocks", ctx)
    mapping = validation.fold_of_groups(union, y, n, opts["seed"])
    folds = [validation.spatial_folds(t.y, b, size, n, opts["seed"], ctx, mapping) for t, b in zip(trainings, numbers)]
    return folds, size


def _scores(training, folds, method, opts):
    from sklearn.metrics import f1_score

    make = model_maker(method, opts["k_neighbors"], opts["seed"])
    y_pred, fold_acc = validation.predict_folds(make, training.X, training.y, folds)
    mean, lo, hi = validation.interval(fold_acc)
    labels = range(len(training.names))
    return {
        "accuracy": float((y_pred == training.y).mean()),
        "mean": mean,
        "low": lo,
        "high": hi,
        "macro_f1": float(f1_score(training.y, y_pred, labels=labels, average="macro", zero_division=0)),
        "fold_accuracy": fold_acc,
    }


def _raster_facts(src, name, path, training, outside):
    return {
        "name": name,
        "path": path,
        "dimensions": int(src.count),
        "cell_size": float(max(abs(src.res[0]), abs(src.res[1]))),
        "crs_units": (src.crs.linear_units if src.crs and src.crs.is_projected else "degrees") if src.crs else "",
        "cells": int(len(training.y)),
        "features_outside": outside,
    }


def _rank(entries):
    """Sort by the linear probe's mean fold accuracy; each one's difference to the best, fold by fold."""
    entries.sort(key=lambda e: -(e["logistic"]["mean"] or 0.0))
    best = entries[0]
    for rank, entry in enumerate(entries, 1):
        entry["rank"] = rank
        entry["difference"] = None
        if rank > 1:
            mean, lo, hi, within = validation.paired_difference(
                best["logistic"]["fold_accuracy"], entry["logistic"]["fold_accuracy"]
            )
            entry["difference"] = {"mean": mean, "low": lo, "high": hi, "within_spread": within}
    return entries


def _write_csv(path, entries):
    def cell(v):
        return "" if v is None else ("%.6f" % v if isinstance(v, float) else v)

    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for e in entries:
            d = e["difference"] or {}
            row = [e["rank"], e["name"], e["path"], e["dimensions"], e["cell_size"], e["cells"], e["features_outside"]]
            for m in catalogue.CLASSIFIERS:
                row += [e[m]["mean"], e[m]["low"], e[m]["high"], e[m]["macro_f1"]]
            within = d.get("within_spread")
            row += [d.get("mean"), d.get("low"), d.get("high"), "" if within is None else ("yes" if within else "no")]
            writer.writerow([cell(v) for v in row])


def _sample_all(run, geoms, feature_class, all_names, opts, ctx):
    """Training per raster (its own grid), and the labels outside each."""
    trainings, outside = [], []
    n = len(run.sources)
    for i, (src, name) in enumerate(zip(run.sources, opts["names"])):
        ctx.check_cancel()
        on_src = _geoms_on(geoms, run.sources[0], src)
        outside.append(_outside(on_src, src, name, ctx))
        side = blocks.block_side(src.count, opts["reading_block"])
        sub = ctx.substage(0.4 * i / n, 0.4 * (i + 1) / n)
        try:
            trainings.append(
                read_training(
                    src, on_src, feature_class, all_names, opts["cap"], opts["seed"], side, sub, opts["all_touched"]
                )
            )
        except UserError as exc:
            raise UserError(tr("Raster %r: %s") % (name, exc)) from exc
    return trainings, outside


def _summary(entries, ctx):
    best = entries[0]
    for e in entries[1:]:
        d = e["difference"]
        verdict = "within the folds' spread" if d["within_spread"] else "beyond the folds' spread"
        ctx.log(
            tr("%s vs %s: %.3f better, fold by fold (95%% interval %s), %s.")
            % (best["name"], e["name"], d["mean"], _pair_text(d), verdict)
        )


def _pair_text(d):
    return "n/a" if d["low"] is None else "%.3f to %.3f" % (d["low"], d["high"])


@job("compare")
def run_compare(job, ctx):
    compare = CompareJob.read(job)
    opts = _options(compare)
    geoms, all_names, feature_class = parse_labels(compare.labels)
    view = dict(job, **{"raster_%d" % i: p for i, p in enumerate(opts["rasters"])})
    inputs = tuple(("raster_%d" % i, "embedding raster %r" % n) for i, n in enumerate(opts["names"]))
    with embedding_job(view, ctx, "Compare embeddings", inputs) as run:
        tmp = run.outs.add(run.output, "comparison table", blocks.CSV)
        trainings, outside = _sample_all(run, geoms, feature_class, all_names, opts, ctx)
        trainings, classes = _common(trainings, opts["names"], ctx)
        folds, size = _shared_folds(trainings, run.sources, geoms, opts, ctx)
        entries = []
        for i, (src, t, f) in enumerate(zip(run.sources, trainings, folds)):
            ctx.progress(0.4 + 0.6 * i / len(trainings), "validate")
            ctx.check_cancel()
            entry = _raster_facts(src, opts["names"][i], run.inputs[i], t, outside[i])
            entry.update({m: _scores(t, f, m, opts) for m in catalogue.CLASSIFIERS})
            make = model_maker("logistic", opts["k_neighbors"], opts["seed"])
            entry["learning_curve"] = validation.learning_curve(
                make, t.X, t.y, f, opts["seed"], entry["logistic"]["fold_accuracy"]
            )
            entries.append(entry)
        entries = _rank(entries)
        _summary(entries, ctx)
        _write_csv(tmp, entries)
        run.commit()
    ctx.progress(1.0, "done")
    return {
        "output": run.output,
        "classes": classes,
        "block_size": size,
        "folds": folds[0].n,
        "scheme": folds[0].scheme,
        "ranking": entries,
    }
