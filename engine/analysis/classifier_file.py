"""A fitted classifier saved to a file, to apply it to other embedding rasters of the same model.

Format: JSON (UTF-8), no pickle. A pickle runs code when it is loaded, so a classifier file shared
by someone else could run anything on the user's machine; scikit-learn's own pickles also break
between its versions. What the few-shot classifier is (StandardScaler + LogisticRegression) is a
handful of numbers: the scaler's mean and scale and the regression's coefficients and intercepts,
which JSON stores exactly (Python writes floats as the shortest text that reads back to the same
float64), so an applied classifier predicts what the fitted one predicted, cell for cell. A
k-nearest-neighbours classifier is its training cells (up to 20000 per class, hundreds of
dimensions each), so it is not saved: the logistic regression is.

{"format": "terraembed-classifier", "format_version": 1, "terraembed_version": "0.1.0",
 "created": "2026-12-07T18:00:00Z", "method": "logistic",
 "classes": ["water", "forest"],            # code i + 1 in the class raster
 "embeddings": {"model": "terrafm_b" | null, "modality": "S2L2A" | null, "dimensions": 768,
                "crs": WKT, "cell_size": [x, y], "width": W, "height": H, "bounds": [l, b, r, t],
                "source": path of the training raster},
 "scaler": {"mean": [...], "scale": [...]},
 "logistic": {"coef": [[...], ...], "intercept": [...]},   # as scikit-learn holds them
 "training": {"cells_per_class": [...], "cv_accuracy": 0.93 | null, "seed": 0},
 "sha256": hex digest of the canonical JSON of every other key}

The SHA-256 is over the canonical text (sorted keys, no spaces, ASCII) of everything but itself:
a file edited by hand or damaged is refused. It is a check of integrity, not a signature: whoever
edits the file can recompute it, so share classifier files as you would share the labels.
"""

import datetime
import hashlib
import json
import os

import numpy as np

from ...shared import raster_tags
from ...shared.errors import OutputError, UserError
from ...shared.transaction import CLASSIFIER
from ..i18n import tr
from .predict import probabilities

FORMAT = "terraembed-classifier"
FORMAT_VERSION = 1
MAX_BYTES = 256 * 2**20  # far above any classifier (768 dimensions x 255 classes is about 4 MB)


def _canonical(content):
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def digest(content):
    """SHA-256 (hex) of the canonical JSON of content without its "sha256" key."""
    body = {k: v for k, v in content.items() if k != "sha256"}
    return hashlib.sha256(_canonical(body).encode("ascii")).hexdigest()


def embedding_facts(src, path):
    """What the embeddings of a raster are: the model and modality (TerraEmbed's tags, None on
    another maker's raster), the dimensions and the grid."""
    tags = src.tags()
    return {
        "model": raster_tags.read(tags, raster_tags.MODEL) or None,
        "modality": raster_tags.read(tags, raster_tags.MODALITY) or None,
        "dimensions": int(src.count),
        "crs": src.crs.to_wkt() if src.crs else "",
        "cell_size": [float(abs(src.transform.a)), float(abs(src.transform.e))],
        "width": int(src.width),
        "height": int(src.height),
        "bounds": [float(v) for v in src.bounds],
        "source": str(path),
    }


def content(model, names, facts, training):
    """The file's content (with its hash) for a fitted StandardScaler + LogisticRegression pipeline."""
    from ..pipeline.cluster_tasks import plugin_version

    scaler, lr = model[0], model[-1]
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "terraembed_version": plugin_version(),
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": "logistic",
        "classes": [str(n) for n in names],
        "embeddings": facts,
        "scaler": {"mean": _floats(scaler.mean_), "scale": _floats(scaler.scale_)},
        "logistic": {"coef": [_floats(row) for row in lr.coef_], "intercept": _floats(lr.intercept_)},
        "training": training,
    }
    body["sha256"] = digest(body)
    return body


def _floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def write(path, body):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(body, indent=1, sort_keys=True, ensure_ascii=True, allow_nan=False))
        f.write("\n")


class Classifier:
    """A loaded classifier: class probabilities of embedding vectors, as the fitted pipeline gives them."""

    def __init__(self, body, path):
        self.path = path
        self.body = body
        self.classes = list(body["classes"])
        self.facts = body["embeddings"]
        self.mean = np.asarray(body["scaler"]["mean"], dtype=np.float64)
        self.scale = np.asarray(body["scaler"]["scale"], dtype=np.float64)
        self.coef = np.asarray(body["logistic"]["coef"], dtype=np.float64)
        self.intercept = np.asarray(body["logistic"]["intercept"], dtype=np.float64)

    @property
    def dimensions(self):
        return int(self.facts["dimensions"])

    def predict_proba(self, values):
        """(cells, classes) probabilities of (cells, dimensions) values: scikit-learn's
        LogisticRegression.predict_proba after StandardScaler, with the stored numbers."""
        x = (np.asarray(values, dtype=np.float64) - self.mean) / self.scale
        return probabilities(x @ self.coef.T + self.intercept)


def not_a_classifier(path, why):
    return UserError(
        tr(
            "The file %r is not a TerraEmbed classifier (%s). Choose a file saved by Few-shot classification "
            "('Save the classifier')."
        )
        % (path, why)
    )


def load(path):
    """The Classifier in a file; UserError for a file that is missing, not a classifier or edited."""
    if not path or not os.path.isfile(path):
        raise UserError(
            tr("The classifier file %r does not exist. Choose a file saved by Few-shot classification.") % path
        )
    if os.path.getsize(path) > MAX_BYTES:
        raise not_a_classifier(path, "it is larger than any classifier")
    try:
        with open(path, encoding="utf-8") as f:
            body = json.load(f, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise not_a_classifier(path, "it is not JSON: %s" % exc) from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise not_a_classifier(path, "it has no \"format\": \"%s\"" % FORMAT)
    if body.get("format_version") != FORMAT_VERSION:
        raise UserError(
            tr(
                "The classifier file %r is of format version %r; this TerraEmbed reads version %d. Update TerraEmbed, "
                "or save the classifier again with this one."
            )
            % (path, body.get("format_version"), FORMAT_VERSION)
        )
    if body.get("sha256") != digest(body):
        raise UserError(
            tr(
                "The classifier file %r was changed after it was saved (its SHA-256 does not match its content), so "
                "it is refused: an edited classifier predicts something nobody fitted. Save the classifier again "
                "with Few-shot classification."
            )
            % path
        )
    return _checked(body, path)


def _no_constant(name):
    raise ValueError("%s is not a number JSON allows" % name)


def _checked(body, path):
    """The Classifier of a file's content, its parts checked (names, grid facts, shapes, numbers)."""
    try:
        clf = Classifier(body, path)
        n, d = len(clf.classes), clf.dimensions
        rows = 1 if n == 2 else n
        shapes_ok = clf.mean.shape == (d,) and clf.scale.shape == (d,) and clf.coef.shape == (rows, d)
        shapes_ok = shapes_ok and clf.intercept.shape == (rows,) and n >= 2
        names_ok = isinstance(body["classes"], list) and all(isinstance(c, str) and c.strip() for c in clf.classes)
        cell = [float(v) for v in clf.facts["cell_size"]]
        facts_ok = len(cell) == 2 and all(isinstance(clf.facts.get(k) or "", str) for k in ("model", "modality"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise not_a_classifier(path, "a part is missing or malformed: %s" % exc) from exc
    if not (names_ok and facts_ok):
        raise not_a_classifier(path, "its classes or the facts of its embeddings are malformed")
    numbers = np.concatenate([clf.mean, clf.scale, clf.coef.ravel(), clf.intercept])
    if not shapes_ok or not np.isfinite(numbers).all() or (clf.scale == 0).any():
        raise not_a_classifier(path, "its numbers do not fit %d classes of %d dimensions" % (n, d))
    return clf


def describe(facts):
    """The embeddings in words: "terrafm_b (S2L2A) 768-d" or "768 bands (not a TerraEmbed grid)"."""
    if facts.get("model"):
        modality = " (%s)" % facts["modality"] if facts.get("modality") else ""
        return "%s%s %d-d" % (facts["model"], modality, facts["dimensions"])
    return "%d bands (no TerraEmbed model tag)" % facts["dimensions"]


def check_raster(clf, facts, ctx):
    """Refuse a raster whose embeddings are not the classifier's (other dimensions, another model or
    modality); warn where the model cannot be checked or the cell size differs."""
    trained = clf.facts
    reason = None
    if facts["dimensions"] != clf.dimensions:
        reason = "it has %d bands, the classifier's embeddings %d dimensions" % (facts["dimensions"], clf.dimensions)
    elif trained.get("model") and facts.get("model") and trained["model"] != facts["model"]:
        reason = "it holds embeddings of the model %s, the classifier was fitted on %s" % (
            facts["model"],
            trained["model"],
        )
    elif trained.get("modality") and facts.get("modality") and trained["modality"] != facts["modality"]:
        reason = "its embeddings are of %s imagery, the classifier's of %s" % (facts["modality"], trained["modality"])
    if reason:
        raise UserError(
            tr(
                "The classifier %r cannot classify %r: %s. A classifier means something only on embeddings of the "
                "model it was fitted on (%s); compute embeddings of this area with that model, or fit a classifier "
                "on this raster."
            )
            % (clf.path, facts["source"], reason, describe(trained))
        )
    if not (trained.get("model") and facts.get("model")):
        ctx.warn(
            tr(
                "The model of %s cannot be checked (the classifier: %s; this raster: %s): make sure both are "
                "embeddings of the same model."
            )
            % (facts["source"], describe(trained), describe(facts))
        )
    if [round(v, 9) for v in trained["cell_size"]] != [round(v, 9) for v in facts["cell_size"]]:
        ctx.log(
            tr(
                "Cell size %g x %g here, %g x %g in the training raster: the same model at another cell size "
                "may see the ground differently."
            )
            % tuple(facts["cell_size"] + trained["cell_size"])
        )


def add_output(run, path, method):
    """The partial path of the classifier file (the job's "classifier_output" `path`; None: not asked for).
    Only the logistic regression is saved: UserError before any work for k nearest neighbours."""
    if not path:
        return None
    if method != "logistic":
        raise UserError(
            tr(
                "Only a logistic regression classifier can be saved (a k-nearest-neighbours classifier is its "
                "thousands of training cells). Choose 'Logistic regression', or leave 'Save the classifier' empty."
            )
        )
    return run.outs.add(path, "classifier file", CLASSIFIER, verify=_verify)


def _verify(partial):
    """The transaction's check of a written classifier file: it loads (complete, its hash right)."""
    try:
        load(partial)
    except UserError as exc:
        raise OutputError(
            tr("The written classifier file %s cannot be read back (%s); nothing was saved.") % (partial, exc)
        ) from exc


def save(tmp, model, names, run, training):
    """Write the fitted pipeline of a classification run on run.src to tmp (the partial path)."""
    write(tmp, content(model, names, embedding_facts(run.src, run.input), training))
