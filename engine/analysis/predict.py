"""Writing a classifier's map, block by block: the class raster, its probabilities and uncertainty.

One way for the jobs that predict every cell with a fitted classifier (classify, apply_classifier):
    tmp, tmp_prob = add_class_rasters(run, probabilities_output, n_classes)        # before any work
    predicted = write_class_rasters(run, predict_proba, names, tmp, tmp_prob, tags, ctx, unsure)
predict_proba: (cells, dimensions) float64 -> (cells, classes) probabilities; names: the classes in
code order (1..n); tmp, tmp_prob: where the class raster and the probabilities (or None) stream
(cog_rasters.py: Cloud Optimized GeoTIFFs at the commit); unsure: an uncertainty.UncertaintyOutputs.
Class raster: uint8 (uint16 above 255 classes), codes 1..n, 0 nodata, palette and class names, overviews
of the most frequent class; probabilities: float32, one band per class named after it, NaN nodata,
averaged overviews, tagged as the class raster is (tags) with the classes. Returns the predicted cells
per class name.
"""

import numpy as np

from ...shared import raster_tags
from . import blocks
from .cog_rasters import CLASSES, VALUES


def make_model(method, k_neighbors, seed):
    """A fresh scikit-learn classifier: standardised vectors, then logistic regression or k-NN."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if method == "logistic":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k_neighbors))


def model_maker(method, k_neighbors, seed):
    """make(n_training_cells) -> a fresh model (k-NN's k at most the training cells)."""
    return lambda n_train: make_model(method, min(k_neighbors, n_train), seed)


def probabilities(logits):
    """LogisticRegression's predict_proba from its decision values: the binary sigmoid, else softmax."""
    if logits.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
        return np.stack([1.0 - p, p], axis=1)
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def add_class_rasters(run, probabilities_output, n_classes):
    """Where the class raster (run.output) and the probabilities (probabilities_output: a path or None) stream:
    (tmp, tmp_prob or None); n_classes: the most classes the map can have."""
    tmp = run.rasters.add(run.output, "class raster", 1, blocks.class_dtype(n_classes), CLASSES)
    if not probabilities_output:
        return tmp, None
    return tmp, run.rasters.add(probabilities_output, "probability raster", n_classes, "float32", VALUES)


def _open_probabilities(tmp_prob, src, names, tags):
    """The probability raster open for writing: a band per class named after it, tagged as the class raster
    is (tags: the classifier, its source raster ...) with the classes (names, code order)."""
    import rasterio

    dst = rasterio.open(tmp_prob, "w", **blocks.raster_profile(src, len(names), "float32", blocks.FLOAT_NODATA))
    for c, name in enumerate(names):
        dst.set_band_description(c + 1, name)
    dst.update_tags(**raster_tags.written(dict(tags, **{raster_tags.CLASSES: [str(nm) for nm in names]})))
    return dst


def write_class_rasters(run, predict_proba, names, tmp, tmp_prob, tags, ctx, unsure):
    """Write the class raster (and the probabilities, the uncertainty) block by block; the predicted
    cells per class."""
    import rasterio

    src, n = run.src, len(names)
    dtype = blocks.class_dtype(n)
    predicted = np.zeros(n + 1, dtype=np.int64)

    def predict(values, valid, window):
        cls = np.full((len(values), 1), blocks.CLASS_NODATA, dtype=dtype)
        prob = np.full((len(values), n), np.nan, dtype=np.float32)
        if valid.any():
            pr = predict_proba(values[valid].astype(np.float64))
            prob[valid] = pr
            cls[valid, 0] = np.argmax(pr, axis=1) + 1
        predicted[:] += np.bincount(cls[:, 0], minlength=n + 1)
        return [cls, prob] + unsure.arrays(prob, valid, window)

    with rasterio.open(tmp, "w", **blocks.raster_profile(src, 1, dtype, blocks.CLASS_NODATA)) as dst:
        blocks.write_class_metadata(dst, names)
        dst.update_tags(**raster_tags.written(tags))
        prob_dst = None
        try:
            if tmp_prob:
                prob_dst = _open_probabilities(tmp_prob, src, names, tags)
            with unsure.opened(tags, names):
                blocks.map_blocks(src, run.side, ctx, [dst, prob_dst] + unsure.dsts, predict, "predict")
        finally:
            if prob_dst is not None:
                prob_dst.close()
    return {names[c]: int(predicted[c + 1]) for c in range(n)}
