"""Job "classify": few-shot classification of every cell from labelled geometries.

Spec: {"type": "classify", "input": path, "output": path, "probabilities_output": path | null,
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
Cross-validation (cv_folds >= 2): folds grouped by geometry (StratifiedGroupKFold: cells of one
geometry never sit in both training and test) when every class has >= 2 geometries, otherwise
stratified by cell (optimistic: neighbouring cells are alike); the number of folds is reduced to
what the smallest class allows, with a warning. cv_folds 0 or 1 skips it.
Outputs: class raster (uint8, uint16 above 255 classes; codes 1..n, 0 nodata; colour table; class
names in tags CLASS_<code> and class_names), probability raster (float32, one band per class, band
description = class name, nodata NaN), CSV report: one row per class (class, code, training_cells,
training_features, precision, recall, f1, support) then "macro avg", "weighted avg" and "accuracy"
(accuracy in the f1 column) rows; metrics empty when there was no cross-validation.
Result: {"output", "probabilities", "report", "classes", "cv_accuracy", "cv_folds", "cv_scheme",
         "cv_fold_accuracy", "cv_folds_requested", "confusion_matrix" (rows = labelled class, columns =
         predicted class, cross-validated cell counts; null without cross-validation), "n_samples",
         "per_class": [...], "method", "predicted_cells"}
"""

import csv

import numpy as np

from ...shared import limits
from ...shared.errors import UserError
from .. import keys
from ..i18n import tr, translatable
from ..jobs import job
from . import blocks
from .run import embedding_job

METHODS = ("logistic", "knn")


def _parse_labels(spec):
    items = spec.get("labels")
    if not isinstance(items, list) or not items:
        raise UserError(tr("The job needs 'labels': a list of {\"wkt\": geometry, \"label\": class}."))
    geoms, names, feature_class = [], [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "wkt" not in item or item.get("label") is None:
            raise UserError(
                tr("Label %d must be {\"wkt\": geometry, \"label\": class}, got %r.")
                % (i + 1, item if not isinstance(item, dict) else sorted(item))
            )
        name = str(item["label"]).strip()
        if not name:
            raise UserError(tr("Label %d has an empty class name.") % (i + 1))
        if name not in names:
            names.append(name)
        geoms.append(blocks.parse_wkt(item["wkt"], translatable("labelled geometry")))
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


def _model(method, k_neighbors, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if method == "logistic":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k_neighbors))


def _cross_validate(X, y, groups, n_classes, requested, method, k_neighbors, seed, ctx):
    """(y_pred or None, folds, scheme, fold accuracies)."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

    if requested < 2:
        return None, 0, "none", []
    counts = np.bincount(y, minlength=n_classes)
    n_groups = [len(np.unique(groups[y == c])) for c in range(n_classes)]
    if min(n_groups) >= 2:
        folds, scheme = min(requested, min(n_groups)), "grouped by feature"
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        limit, split_groups = "geometries", groups
    elif counts.min() >= 2:
        folds, scheme = min(requested, int(counts.min())), "stratified by cell"
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        limit, split_groups = "cells", None
        ctx.warn(
            tr(
                "Some class has a single labelled geometry, so cross-validation splits cells, not "
                "geometries: neighbouring cells of one geometry end up in both training and test "
                "folds and the accuracy is optimistic. Label at least 2 geometries per class."
            )
        )
    else:
        ctx.warn(tr("Cross-validation skipped: some class has a single labelled cell."))
        return None, 0, "none", []
    if folds < requested:
        ctx.warn(
            tr("Cross-validation uses %d folds instead of %d: the smallest class has only %d %s.")
            % (folds, requested, folds, limit)
        )
    splits = list(splitter.split(X, y, split_groups))
    smallest_train = min(len(train) for train, _ in splits)
    model = _model(method, min(k_neighbors, smallest_train), seed)
    y_pred = cross_val_predict(model, X, y, cv=splits)
    fold_acc = [float((y_pred[test] == y[test]).mean()) for _, test in splits]
    return y_pred, folds, scheme, fold_acc


def _write_report(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["class", "code", "training_cells", "training_features", "precision", "recall", "f1", "support"]
        )
        for row in rows:
            writer.writerow(["" if v is None else (("%.6f" % v) if isinstance(v, float) else v) for v in row])


@job("classify")
def run_classify(spec, ctx):
    import rasterio
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    prob_output = spec.get("probabilities_output") or None
    report_output = spec.get("report_output") or None
    method = str(spec.get("method") or "logistic").lower()
    if method not in METHODS:
        raise UserError(tr("'method' must be one of %s, got %r.") % (", ".join(METHODS), method))
    k_neighbors = keys.whole(spec, "k_neighbors", 5, valid=limits.NEIGHBORS)
    requested_folds = keys.whole(spec, "cv_folds", 5, valid=limits.FOLDS)
    cap = keys.whole(spec, "max_samples_per_class", 20000, minimum=10)
    seed = blocks.get_seed(spec)
    geoms, all_names, feature_class = _parse_labels(spec)

    with embedding_job(spec, ctx, translatable("Few-shot classification")) as run:
        src, outs, side, source, output = run.src, run.outs, run.side, run.input, run.output
        tmp = outs.add(output, "class raster", blocks.GEOTIFF, blocks.raster_bytes(src.width, src.height, 1, "uint16"))
        tmp_prob = (
            outs.add(
                prob_output,
                "probability raster",
                blocks.GEOTIFF,
                blocks.raster_bytes(src.width, src.height, len(all_names)),
            )
            if prob_output
            else None
        )
        tmp_report = outs.add(report_output, "accuracy report", blocks.CSV) if report_output else None

        # -- training cells --------------------------------------------------------------------
        samplers = [blocks.BoundedSample(cap) for _ in all_names]
        for values, fid, idx in blocks.iter_cells_under(
            src, geoms, side, ctx.substage(0.0, 0.25), "read labels", all_touched=keys.flag(spec, "all_touched")
        ):
            cls = feature_class[fid]
            hashes = blocks.hash_keys(idx, seed)
            for c in np.unique(cls):
                sel = cls == c
                samplers[c].add(hashes[sel], values[sel], fid[sel])
        kept = [c for c in range(len(all_names)) if len(samplers[c])]
        dropped = [all_names[c] for c in range(len(all_names)) if not len(samplers[c])]
        if not kept:
            raise UserError(
                tr(
                    "None of the %d labelled features covers a valid cell of the raster. "
                    "Check that they lie inside the raster, on cells with data, and are in "
                    "the raster's CRS."
                )
                % len(geoms)
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
        names = [all_names[c] for c in kept]
        X, y, groups = [], [], []
        for code, c in enumerate(kept):
            values, fid = samplers[c].result()
            X.append(values)
            y.append(np.full(len(values), code, dtype=np.int64))
            groups.append(fid)
        X = np.concatenate(X).astype(np.float64)
        y, groups = np.concatenate(y), np.concatenate(groups)
        n = len(names)
        counts = np.bincount(y, minlength=n)
        n_features = [len(np.unique(groups[y == c])) for c in range(n)]
        ctx.log(
            tr("Training cells per class: %s")
            % ", ".join("%s %d (%d features)" % (nm, cnt, nf) for nm, cnt, nf in zip(names, counts, n_features))
        )

        # -- cross-validation and fit ----------------------------------------------------------
        ctx.progress(0.25, "cross-validate")
        ctx.check_cancel()
        y_pred, folds, scheme, fold_acc = _cross_validate(
            X, y, groups, n, requested_folds, method, k_neighbors, seed, ctx
        )
        per_class = []
        cv_accuracy = confusion = None
        rows = []
        if y_pred is not None:
            cv_accuracy = float((y_pred == y).mean())
            confusion = confusion_matrix(y, y_pred, labels=range(n)).tolist()
            p, r, f, s = precision_recall_fscore_support(y, y_pred, labels=range(n), zero_division=0)
            for c in range(n):
                per_class.append(
                    {
                        "class": names[c],
                        "code": c + 1,
                        "training_cells": int(counts[c]),
                        "training_features": n_features[c],
                        "precision": float(p[c]),
                        "recall": float(r[c]),
                        "f1": float(f[c]),
                        "support": int(s[c]),
                    }
                )
            rows = [
                [
                    d["class"],
                    d["code"],
                    d["training_cells"],
                    d["training_features"],
                    d["precision"],
                    d["recall"],
                    d["f1"],
                    d["support"],
                ]
                for d in per_class
            ]
            for avg in ("macro", "weighted"):
                pa, ra, fa, _ = precision_recall_fscore_support(
                    y, y_pred, labels=range(n), average=avg, zero_division=0
                )
                rows.append(
                    [
                        "%s avg" % avg,
                        None,
                        int(len(y)),
                        int(sum(n_features)),
                        float(pa),
                        float(ra),
                        float(fa),
                        int(len(y)),
                    ]
                )
            rows.append(["accuracy", None, int(len(y)), int(sum(n_features)), None, None, cv_accuracy, int(len(y))])
            ctx.log(tr("Cross-validated accuracy (%d folds, %s): %.3f") % (folds, scheme, cv_accuracy))
        else:
            per_class = [
                {
                    "class": names[c],
                    "code": c + 1,
                    "training_cells": int(counts[c]),
                    "training_features": n_features[c],
                    "precision": None,
                    "recall": None,
                    "f1": None,
                    "support": None,
                }
                for c in range(n)
            ]
            rows = [
                [d["class"], d["code"], d["training_cells"], d["training_features"], None, None, None, None]
                for d in per_class
            ]
        ctx.progress(0.35, "fit")
        ctx.check_cancel()
        model = _model(method, min(k_neighbors, len(y)), seed).fit(X, y)

        # -- predict every cell ----------------------------------------------------------------
        dtype = blocks.class_dtype(n)
        predicted = np.zeros(n + 1, dtype=np.int64)

        def predict(values, valid, window):
            cls = np.full((len(values), 1), blocks.CLASS_NODATA, dtype=dtype)
            prob = np.full((len(values), n), np.nan, dtype=np.float32)
            if valid.any():
                pr = model.predict_proba(values[valid].astype(np.float64))
                prob[valid] = pr
                cls[valid, 0] = np.argmax(pr, axis=1) + 1
            predicted[:] += np.bincount(cls[:, 0], minlength=n + 1)
            return [cls, prob]

        with rasterio.open(tmp, "w", **blocks.raster_profile(src, 1, dtype, blocks.CLASS_NODATA)) as dst:
            blocks.write_class_metadata(dst, names)
            dst.update_tags(
                method=method,
                cv_accuracy="" if cv_accuracy is None else repr(cv_accuracy),
                seed=str(seed),
                source=str(source),
            )
            prob_dst = None
            try:
                if tmp_prob:
                    prob_dst = rasterio.open(
                        tmp_prob, "w", **blocks.raster_profile(src, n, "float32", blocks.FLOAT_NODATA)
                    )
                    for c, name in enumerate(names):
                        prob_dst.set_band_description(c + 1, name)
                    prob_dst.update_tags(**{"CLASS_%d" % (c + 1): nm for c, nm in enumerate(names)})
                blocks.map_blocks(src, side, ctx.substage(0.4, 0.98), [dst, prob_dst], predict, "predict")
            finally:
                if prob_dst is not None:
                    prob_dst.close()
        if tmp_report:
            _write_report(tmp_report, rows)
        run.commit()
    ctx.progress(1.0, "done")
    return {
        "output": output,
        "probabilities": prob_output,
        "report": report_output,
        "classes": names,
        "dropped_classes": dropped,
        "method": method,
        "cv_accuracy": cv_accuracy,
        "cv_folds": folds,
        "cv_scheme": scheme,
        "cv_fold_accuracy": fold_acc,
        "cv_folds_requested": requested_folds,
        "confusion_matrix": confusion,
        "n_samples": int(len(y)),
        "per_class": per_class,
        "predicted_cells": {names[c]: int(predicted[c + 1]) for c in range(n)},
    }
