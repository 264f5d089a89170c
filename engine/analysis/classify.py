"""Job "classify": few-shot classification of every cell from labelled geometries.

Job: {"type": "classify", "input": path, "output": path, "probabilities_output": path | null,
       "report_output": path | null (CSV), "labels": [{"wkt": WKT, "label": "water"}, ...],
       "method": "logistic" | "knn", "k_neighbors": 5, "cv_folds": 5, "seed": 0,
       "max_samples_per_class": 20000, "all_touched": false, "block_size": null}
Training cells are the valid cells under the labelled geometries (WKT in the raster's CRS; points
take their cell, polygons the cells whose centres they contain, or the cells they touch when they
contain no centre; with all_touched every cell they touch; where geometries overlap the later one
wins), at most max_samples_per_class per class (a reproducible random subset). Classes are
numbered 1..n in order of first appearance in "labels"; a class none of whose geometries covers a
valid cell is dropped with a warning.
Model: StandardScaler + LogisticRegression, or StandardScaler + KNeighborsClassifier.
Validation (cv_folds >= 2; validation.py): "validation" "feature" (default: folds grouped by geometry
when every class has >= 2 geometries, else by cell with a warning), "blocks" (spatial blocks of
"validation_block_size" map units, 0 = automatic) or "cell" (optimistic); the folds are reduced to
what the smallest class allows, with a warning. cv_folds 0 or 1 skips it.
Outputs: class raster (uint8, uint16 above 255 classes; codes 1..n, 0 nodata; colour table; class
names in the tag TERRAEMBED_CLASSES), probability raster (float32, one band per class, band
description = class name, nodata NaN), CSV report: one row per class (class, code, training_cells,
training_features, precision, recall, f1, support) then "macro avg", "weighted avg" and "accuracy"
(accuracy in the f1 column; the folds' mean accuracy and 95% interval in fold_mean, fold_low_95,
fold_high_95) rows; metrics empty when there was no cross-validation. Optional: "uncertainty_output",
"suggestions_output" (with "suggestion_count", "suggestion_spacing"; see uncertainty.py) and
"classifier_output" (the fitted logistic regression; see classifier_file.py).
Result: {"output", "probabilities", "report", "classes", "cv_accuracy", "cv_folds", "cv_scheme",
         "cv_fold_accuracy", "cv_folds_requested", "confusion_matrix" (rows = labelled class, columns =
         predicted class, cross-validated cell counts; null without cross-validation), "n_samples",
         "per_class": [...], "method", "predicted_cells", "validation", and with cross-validation
         "cv_accuracy_mean", "cv_accuracy_interval" [low, high], "macro_f1", "validation_block_size",
         "learning_curve" [{"cells_per_class", "accuracy", "low", "high", "fold_accuracy"}], "uncertainty",
         "suggestions", "suggested_cells", "suggestion_spacing", "classifier"}
"""

import csv

import numpy as np

from ...shared import raster_tags
from ...shared.errors import UserError
from ...shared.jobs.classify import ClassifyJob, Labels
from ..i18n import tr, translatable
from ..jobs import job
from . import blocks, classifier_file, geometries, sampling, uncertainty, validation
from .predict import add_class_rasters, model_maker, write_class_rasters
from .run import embedding_job

REPORT_COLUMNS = ("class", "code", "training_cells", "training_features", "precision", "recall", "f1", "support")
# on the accuracy row: the mean of the folds' accuracies and its 95% interval
INTERVAL_COLUMNS = ("fold_mean", "fold_low_95", "fold_high_95")


def parse_labels(labels: Labels) -> tuple:
    """(geometries, class names in order of first appearance, the class of each geometry) of the labels."""
    geoms, names, feature_class = [], [], []
    for wkt, name in labels:
        if name not in names:
            names.append(name)
        geoms.append(geometries.parse_wkt(wkt, translatable("labelled geometry")))
        feature_class.append(names.index(name))
    if len(names) < 2:
        raise UserError(
            tr(
                "Classification needs at least 2 classes; the labels have only %s. Label "
                "features of at least two classes."
            )
            % (repr(names[0]) if names else tr("none"))
        )
    return geoms, names, np.array(feature_class, dtype=np.int64)


def _scores(training, folds, make, seed):
    """The cross-validation's results: predictions, fold accuracies, interval, macro F1, learning curve."""
    from sklearn.metrics import f1_score

    y = training.y
    y_pred, fold_acc = validation.predict_folds(make, training.X, y, folds)
    mean, lo, hi = validation.interval(fold_acc)
    return y_pred, {
        "cv_accuracy": float((y_pred == y).mean()),
        "cv_folds": folds.n,
        "cv_scheme": folds.scheme,
        "cv_fold_accuracy": fold_acc,
        "cv_accuracy_mean": mean,
        "cv_accuracy_interval": [lo, hi],
        "macro_f1": float(f1_score(y, y_pred, labels=range(len(training.names)), average="macro", zero_division=0)),
        "validation_block_size": folds.block_size,
        "learning_curve": validation.learning_curve(make, training.X, y, folds, seed, fold_acc),
    }


def _write_report(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(REPORT_COLUMNS + INTERVAL_COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else (("%.6f" % v) if isinstance(v, float) else v) for v in row])


def _add_outputs(run, classify, n_classes):
    """The partial paths of the class raster, the probability raster and the CSV (None: not asked)."""
    tmp, tmp_prob = add_class_rasters(run, classify.probabilities_output, n_classes)
    report_output = classify.report_output
    tmp_report = run.outs.add(report_output, "accuracy report", blocks.CSV) if report_output else None
    return tmp, tmp_prob, tmp_report


class Training:
    """The training cells: values X, class codes y (0-based, in the order of `names`), the feature
    each cell came from (groups) and its cell index (row * width + col) on the raster."""

    def __init__(self, X, y, groups, cells, names, dropped):
        self.X, self.y, self.groups, self.cells, self.names, self.dropped = X, y, groups, cells, names, dropped
        n = len(names)
        self.counts = np.bincount(y, minlength=n)
        self.n_features = [len(np.unique(groups[y == c])) for c in range(n)]


def _sample_under_labels(src, geoms, feature_class, n_names, cap, seed, side, ctx, all_touched):
    """One bounded sample per class of (values, feature, cell index) under the labelled geometries."""
    samplers = [sampling.BoundedSample(cap) for _ in range(n_names)]
    for values, fid, idx in geometries.iter_cells_under(src, geoms, side, ctx, "read labels", all_touched=all_touched):
        cls = feature_class[fid]
        hashes = sampling.hash_keys(idx, seed)
        for c in np.unique(cls):
            sel = cls == c
            samplers[c].add(hashes[sel], values[sel], fid[sel], idx[sel])
    return samplers


def _check_classes(samplers, all_names, n_geoms, ctx):
    """The class numbers with training cells, and the names of those without (warned); UserError when
    fewer than 2 classes are left."""
    kept = [c for c in range(len(all_names)) if len(samplers[c])]
    dropped = [all_names[c] for c in range(len(all_names)) if not len(samplers[c])]
    if not kept:
        raise UserError(
            tr(
                "None of the %d labelled features covers a valid cell of the raster. "
                "Check that they lie inside the raster, on cells with data, and are in "
                "the raster's CRS."
            )
            % n_geoms
        )
    if dropped:
        ctx.warn(
            tr("No labelled feature of class %s covers a valid cell; %s ignored.")
            % (", ".join(repr(n) for n in dropped), tr("it is") if len(dropped) == 1 else tr("they are"))
        )
    if len(kept) < 2:
        raise UserError(
            tr(
                "Only class %r has labelled features on valid cells; classification "
                "needs at least 2 classes. Add features of another class inside the "
                "raster."
            )
            % all_names[kept[0]]
        )
    return kept, dropped


def read_training(src, geoms, feature_class, all_names, cap, seed, side, ctx, all_touched=False):
    """The Training under the labels (classes without a valid cell dropped, with a warning)."""
    samplers = _sample_under_labels(src, geoms, feature_class, len(all_names), cap, seed, side, ctx, all_touched)
    kept, dropped = _check_classes(samplers, all_names, len(geoms), ctx)
    X, y, groups, cells = [], [], [], []
    for code, c in enumerate(kept):
        values, fid, idx = samplers[c].result()
        X.append(values)
        y.append(np.full(len(values), code, dtype=np.int64))
        groups.append(fid)
        cells.append(idx)
    names = [all_names[c] for c in kept]
    return Training(
        np.concatenate(X).astype(np.float64),
        np.concatenate(y),
        np.concatenate(groups),
        np.concatenate(cells),
        names,
        dropped,
    )


def _class_rows(training, y_pred, cv):
    """(per_class dicts, CSV rows): one row per class, then, with cross-validation, the macro and
    weighted averages and the accuracy (in the f1 column); the metrics are None without it."""
    from sklearn.metrics import precision_recall_fscore_support

    names, y, n = training.names, training.y, len(training.names)
    metrics = [None] * 4
    if y_pred is not None:
        metrics = precision_recall_fscore_support(y, y_pred, labels=range(n), zero_division=0)
    per_class = [
        {
            "class": names[c],
            "code": c + 1,
            "training_cells": int(training.counts[c]),
            "training_features": training.n_features[c],
            **{
                key: None if values is None else cast(values[c])
                for key, values, cast in zip(("precision", "recall", "f1", "support"), metrics, (float,) * 3 + (int,))
            },
        }
        for c in range(n)
    ]
    rows = [[d[k] for k in REPORT_COLUMNS] for d in per_class]
    if y_pred is None:
        return per_class, rows
    total, features = int(len(y)), int(sum(training.n_features))
    for avg in ("macro", "weighted"):
        pa, ra, fa, _ = precision_recall_fscore_support(y, y_pred, labels=range(n), average=avg, zero_division=0)
        rows.append(["%s avg" % avg, None, total, features, float(pa), float(ra), float(fa), total])
    lo, hi = cv["cv_accuracy_interval"]
    rows.append(
        ["accuracy", None, total, features, None, None, cv["cv_accuracy"], total, cv["cv_accuracy_mean"], lo, hi]
    )
    return per_class, rows


def _evaluate(training, classify, run, geoms, ctx):
    """Cross-validate on the training cells: the result's cv_* keys, confusion_matrix, per_class, the
    interval, macro F1 and learning curve, and the CSV's rows ("rows", left out of the result)."""
    from sklearn.metrics import confusion_matrix

    names, y, n = training.names, training.y, len(training.names)
    ctx.log(
        tr("Training cells per class: %s")
        % ", ".join(
            "%s %d (%d features)" % (nm, cnt, nf) for nm, cnt, nf in zip(names, training.counts, training.n_features)
        )
    )
    folds = validation.make_folds(
        classify.validation,
        training,
        run.src,
        validation.labels_origin(geoms),
        classify.validation_block_size,
        classify.cv_folds,
        classify.seed,
        ctx,
    )
    y_pred, cv = None, {"cv_accuracy": None, "cv_folds": 0, "cv_scheme": "none", "cv_fold_accuracy": []}
    if folds is not None:
        y_pred, cv = _scores(
            training, folds, model_maker(classify.method, classify.k_neighbors, classify.seed), classify.seed
        )
        cv["confusion_matrix"] = confusion_matrix(y, y_pred, labels=range(n)).tolist()
        ctx.log(
            tr("Cross-validated accuracy (%d folds, %s): %.3f; mean of the folds %.3f, 95%% interval %s; macro F1 %.3f")
            % (folds.n, folds.scheme, cv["cv_accuracy"], cv["cv_accuracy_mean"], _interval_text(cv), cv["macro_f1"])
        )
    per_class, rows = _class_rows(training, y_pred, cv)
    return {"confusion_matrix": None, **cv, "per_class": per_class, "rows": rows}


def _interval_text(cv):
    lo, hi = cv["cv_accuracy_interval"]
    return "n/a (one fold)" if lo is None else "%.3f-%.3f" % (lo, hi)


@job("classify")
def run_classify(job, ctx):
    classify = ClassifyJob.read(job)
    geoms, all_names, feature_class = parse_labels(classify.labels)
    with embedding_job(job, ctx, "Few-shot classification") as run:
        tmp, tmp_prob, tmp_report = _add_outputs(run, classify, len(all_names))
        unsure = uncertainty.UncertaintyOutputs(run, classify, geoms)
        tmp_classifier = classifier_file.add_output(run, classify.classifier_output, classify.method)
        training = read_training(
            run.src,
            geoms,
            feature_class,
            all_names,
            classify.max_samples_per_class,
            classify.seed,
            run.side,
            ctx.substage(0.0, 0.25),
            classify.all_touched,
        )
        ctx.progress(0.25, "cross-validate")
        ctx.check_cancel()
        cv = _evaluate(training, classify, run, geoms, ctx)
        predicted = _fit_and_map(run, classify, training, cv, tmp, tmp_prob, unsure, ctx)
        rows = cv.pop("rows")
        if tmp_report:
            _write_report(tmp_report, rows)
        extra = unsure.finish(training.names, ctx)
        if tmp_classifier:
            info = {
                "cells_per_class": training.counts.tolist(),
                "cv_accuracy": cv["cv_accuracy"],
                "seed": classify.seed,
            }
            classifier_file.save(tmp_classifier, predicted.pop("model"), training.names, run, info)
            extra["classifier"] = classify.classifier_output
        run.commit()
    ctx.progress(1.0, "done")
    return {
        "output": run.output,
        "probabilities": classify.probabilities_output,
        "report": classify.report_output,
        "classes": training.names,
        "dropped_classes": training.dropped,
        "method": classify.method,
        "validation": classify.validation,
        **cv,
        "cv_folds_requested": classify.cv_folds,
        "n_samples": int(len(training.y)),
        "predicted_cells": predicted["cells"],
        **extra,
    }


def _fit_and_map(run, classify, training, cv, tmp, tmp_prob, unsure, ctx):
    """The model fitted on every training cell, and the class rasters it maps: {"model", "cells": predicted
    cells per class}."""
    ctx.progress(0.35, "fit")
    ctx.check_cancel()
    model = model_maker(classify.method, classify.k_neighbors, classify.seed)(len(training.y))
    model.fit(training.X, training.y)
    tags = {
        raster_tags.METHOD: classify.method,
        raster_tags.CV_ACCURACY: cv["cv_accuracy"],  # left out when there was no cross-validation
        raster_tags.SEED: classify.seed,
        raster_tags.SOURCE: str(run.input),
    }
    cells = write_class_rasters(
        run, model.predict_proba, training.names, tmp, tmp_prob, tags, ctx.substage(0.4, 0.98), unsure
    )
    return {"model": model, "cells": cells}
