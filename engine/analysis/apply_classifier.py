"""Job "apply_classifier": a classifier saved by Few-shot classification maps another embedding raster
of the same model (another date or area).

Job: {"type": "apply_classifier", "input": path, "classifier": path (classifier_file.py's JSON),
       "output": path, "probabilities_output": path | null, "uncertainty_output": path | null,
       "block_size": null, "html_report": path | null (engine/report/classifier.py)}
The classifier file is checked first (format, SHA-256, shapes: a file that is not a classifier or was
edited is refused), then the raster against it (classifier_file.check_raster: other dimensions,
another model or modality refused with the reason). Outputs, block by block, as the classify job
writes them: class raster (codes 1..n in the classifier's class order, 0 nodata, palette, class
names), probabilities (one band per class), uncertainty (1 - largest probability, margin).
Result: {"output", "probabilities", "uncertainty", "classes", "predicted_cells", "embeddings" (this
         raster's: classifier_file.embedding_facts), "classifier": {"path", "embeddings", "training",
         "terraembed_version", "created"}}
"""

from ...shared import raster_tags
from ...shared.jobs.classify import ApplyClassifierJob
from ..i18n import tr
from ..jobs import job
from . import classifier_file, uncertainty
from .predict import add_class_rasters, write_class_rasters
from .run import embedding_job


@job("apply_classifier")
def run_apply_classifier(job, ctx):
    apply = ApplyClassifierJob.read(job)
    path = apply.classifier
    clf = classifier_file.load(path)
    with embedding_job(job, ctx, "Apply classifier") as run:
        run.outs.protect([path])
        facts = classifier_file.embedding_facts(run.src, run.input)
        classifier_file.check_raster(clf, facts, ctx)
        tmp, tmp_prob = add_class_rasters(run, apply.probabilities_output, len(clf.classes))
        unsure = uncertainty.UncertaintyOutputs(run, apply, [])  # suggestions need labels: the classify job's
        ctx.log(tr("Classifier: %s, fitted on %s.") % (", ".join(clf.classes), classifier_file.describe(clf.facts)))
        tags = {
            raster_tags.METHOD: "logistic",
            raster_tags.CLASSIFIER: str(clf.path),
            raster_tags.SOURCE: str(run.input),
        }
        predicted = write_class_rasters(
            run, clf.predict_proba, clf.classes, tmp, tmp_prob, tags, ctx.substage(0, 0.98), unsure
        )
        run.commit()
    ctx.progress(1.0, "done")
    body = clf.body
    return {
        "output": run.output,
        "probabilities": apply.probabilities_output,
        "uncertainty": apply.uncertainty_output,
        "classes": clf.classes,
        "predicted_cells": predicted,
        "embeddings": facts,
        "classifier": {
            "path": path,
            "embeddings": clf.facts,
            "training": body.get("training"),
            "terraembed_version": body.get("terraembed_version"),
            "created": body.get("created"),
        },
    }
