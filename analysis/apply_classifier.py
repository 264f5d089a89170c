"""Job "apply_classifier": a classifier saved by Few-shot classification maps another embedding raster
of the same model (another date or area).

Spec: {"type": "apply_classifier", "input": path, "classifier": path (classifier_file.py's JSON),
       "output": path, "probabilities_output": path | null, "uncertainty_output": path | null,
       "block_size": null}
The classifier file is checked first (format, SHA-256, shapes: a file that is not a classifier or was
edited is refused), then the raster against it (classifier_file.check_raster: other dimensions,
another model or modality refused with the reason). Outputs, block by block, as the classify job
writes them: class raster (codes 1..n in the classifier's class order, 0 nodata, palette, class
names), probabilities (one band per class), uncertainty (1 - largest probability, margin).
Result: {"output", "probabilities", "uncertainty", "classes", "predicted_cells", "classifier":
         {"path", "embeddings", "training", "terraembed_version", "created"}}
"""

import numpy as np

from ..engine import keys
from ..engine.jobs import job
from . import blocks, classifier_file, uncertainty
from .classify import _open_probabilities
from .run import embedding_job


def _add_outputs(run, spec, n_classes):
    src, outs = run.src, run.outs
    tmp = outs.add(run.output, "class raster", blocks.GEOTIFF, blocks.raster_bytes(src.width, src.height, 1, "uint16"))
    prob = spec.get("probabilities_output") or None
    nbytes = blocks.raster_bytes(src.width, src.height, n_classes)
    tmp_prob = outs.add(prob, "probability raster", blocks.GEOTIFF, nbytes) if prob else None
    return tmp, tmp_prob


def _write(run, clf, tmp, tmp_prob, unsure, ctx):
    """The class raster, probabilities and uncertainty, block by block; predicted cells per class."""
    import rasterio

    src, names = run.src, clf.classes
    n, dtype = len(names), blocks.class_dtype(len(names))
    predicted = np.zeros(n + 1, dtype=np.int64)

    def predict(values, valid, window):
        cls = np.full((len(values), 1), blocks.CLASS_NODATA, dtype=dtype)
        prob = np.full((len(values), n), np.nan, dtype=np.float32)
        if valid.any():
            pr = clf.predict_proba(values[valid])
            prob[valid] = pr
            cls[valid, 0] = np.argmax(pr, axis=1) + 1
        predicted[:] += np.bincount(cls[:, 0], minlength=n + 1)
        return [cls, prob] + unsure.arrays(prob, valid, window)

    with rasterio.open(tmp, "w", **blocks.raster_profile(src, 1, dtype, blocks.CLASS_NODATA)) as dst:
        blocks.write_class_metadata(dst, names)
        dst.update_tags(method="logistic", classifier=str(clf.path), source=str(run.input))
        prob_dst = _open_probabilities(tmp_prob, src, names) if tmp_prob else None
        try:
            with unsure.opened():
                blocks.map_blocks(src, run.side, ctx, [dst, prob_dst] + unsure.dsts, predict, "predict")
        finally:
            if prob_dst is not None:
                prob_dst.close()
    return {names[c]: int(predicted[c + 1]) for c in range(n)}


@job("apply_classifier")
def run_apply_classifier(spec, ctx):
    path = keys.path(spec, "classifier")
    clf = classifier_file.load(path)
    spec = dict(spec, suggestions_output=None)  # suggestions need labels: the classify job's
    with embedding_job(spec, ctx, "Apply classifier") as run:
        run.outs.protect([path])
        classifier_file.check_raster(clf, classifier_file.embedding_facts(run.src, run.input), ctx)
        tmp, tmp_prob = _add_outputs(run, spec, len(clf.classes))
        unsure = uncertainty.UncertaintyOutputs(run, spec, [], 0)
        ctx.log("Classifier: %s, fitted on %s." % (", ".join(clf.classes), classifier_file.describe(clf.facts)))
        predicted = _write(run, clf, tmp, tmp_prob, unsure, ctx.substage(0.0, 0.98))
        run.commit()
    ctx.progress(1.0, "done")
    body = clf.body
    return {
        "output": run.output,
        "probabilities": spec.get("probabilities_output") or None,
        "uncertainty": spec.get("uncertainty_output") or None,
        "classes": clf.classes,
        "predicted_cells": predicted,
        "classifier": {
            "path": path,
            "embeddings": clf.facts,
            "training": body.get("training"),
            "terraembed_version": body.get("terraembed_version"),
            "created": body.get("created"),
        },
    }
