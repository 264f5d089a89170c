"""Validation folds of the classifiers, shared by Few-shot classification (classify.py) and Compare
embeddings (compare.py): which labelled cells validate which, the accuracy's interval across folds,
the learning curve and the paired difference of two rasters on the same folds.

Schemes (catalogue.VALIDATIONS):
- "feature": the cells of one labelled feature stay in one fold (StratifiedGroupKFold on features);
  when a class has a single feature, cells are split instead (optimistic, with a warning);
- "blocks": spatial blocks: the plane is cut into squares of `size` map units from the labels'
  lower-left corner; the cells whose centres fall in one square form a block, and a block is never
  split between training and validation (StratifiedGroupKFold on blocks), so neighbouring cells
  (cells of one block) never sit on both sides. Without a size (0), it is derived from the labels'
  spread: their extent over 5, at least 3 cells, halved while a class lies in a single block;
- "cell": cells are split one by one (StratifiedKFold): optimistic, neighbouring cells are alike.
Folds are assigned per group (feature, block) with the seed: `fold_of_groups` gives the same folds
to every raster whose cells carry the same group numbers (Compare embeddings' fairness).
Intervals are 95% Student-t intervals of the mean across folds (clipped to 0..1 for accuracies).
"""

import math
from dataclasses import dataclass

import numpy as np

from ...shared.errors import UserError
from ..i18n import tr, translatable

SCHEME_WORDS = {
    "feature": translatable("grouped by feature"),
    "cell": translatable("stratified by cell"),
}  # cv_scheme, as before, in the job's language (the log and the report say it)
AUTO_BLOCKS_ACROSS = 5  # automatic blocks: the labels' extent over this many
AUTO_MIN_CELLS = 3  # ... at least this many cells per side (a cell and its neighbours)
CURVE_POINTS = 7  # the most sizes a learning curve fits (each: one model per fold)
CURVE_STEPS = (2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)  # labelled cells per class


@dataclass
class Folds:
    fold: np.ndarray  # per training cell, its fold 0..n-1
    n: int
    scheme: str  # in words, for the log, results and reports
    block_size: float = None  # spatial blocks: the side in map units
    blocks: np.ndarray = None  # spatial blocks: per training cell, its block number

    def splits(self):
        """[(training cell positions, validation cell positions)] per fold."""
        return [(np.nonzero(self.fold != f)[0], np.nonzero(self.fold == f)[0]) for f in range(self.n)]


# -- spatial blocks ---------------------------------------------------------------------------------
def cell_centres(cells, width, transform):
    """(x, y) map coordinates of the centres of cells given as row * width + col."""
    cells = np.asarray(cells, dtype=np.int64)
    rows, cols = cells // int(width), cells % int(width)
    a, b, c, d, e, f = transform.a, transform.b, transform.c, transform.d, transform.e, transform.f
    return a * (cols + 0.5) + b * (rows + 0.5) + c, d * (cols + 0.5) + e * (rows + 0.5) + f


def block_numbers(x, y, size, origin):
    """The block of each point: squares of `size` map units from origin (x0, y0)."""
    col = np.floor((np.asarray(x) - origin[0]) / size).astype(np.int64)
    row = np.floor((np.asarray(y) - origin[1]) / size).astype(np.int64)
    return row * (1 << 31) + col


def _blocks_per_class(blocks, y, n_classes):
    return [len(np.unique(blocks[y == c])) for c in range(n_classes)]


def _works(x, y_cls, size, origin, n_classes):
    return min(_blocks_per_class(block_numbers(x[0], x[1], size, origin), y_cls, n_classes)) >= 2


def largest_block(xy, y, size, origin, res, n_classes):
    """The largest whole number of cells (times res) up to `size` with every class in >= 2 blocks, or
    None when not even one cell does (a class with a single labelled cell)."""
    lo, hi = 1, max(1, int(size // res))
    if not _works(xy, y, lo * res, origin, n_classes):
        return None
    while lo < hi:  # the largest k in [lo, hi] that works (assuming smaller blocks split more)
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if _works(xy, y, mid * res, origin, n_classes) else (lo, mid - 1)
    return lo * res


def _single_cell_error(y, names):
    counts = np.bincount(y, minlength=len(names))
    single = [names[c] for c in range(len(names)) if counts[c] < 2]
    return UserError(
        tr(
            "Class %s has a single labelled cell; spatial validation needs at least 2 labelled cells of "
            "every class, in different blocks. Label it in another place too."
        )
        % ", ".join(repr(n) for n in single or names[:1])
    )


def block_size(xy, y, names, size, origin, res, ctx):
    """The side of the blocks in map units: `size`, or the automatic one when size is 0 (stated in the
    log). UserError naming the class when a class lies in a single block, with the largest size that
    works."""
    n = len(names)
    extent = max(float(np.ptp(xy[0])), float(np.ptp(xy[1]))) + res
    if not size:
        auto = max(extent / AUTO_BLOCKS_ACROSS, AUTO_MIN_CELLS * res)
        best = largest_block(xy, y, auto, origin, res, n)
        if best is None:
            raise _single_cell_error(y, names)
        smaller = ", smaller so that every class lies in 2 blocks" if best + res <= auto else ""
        ctx.log(
            tr("Spatial blocks of %g map units (automatic: the labels' extent %g over %d, at least %d cells of %g%s).")
            % (best, extent, AUTO_BLOCKS_ACROSS, AUTO_MIN_CELLS, res, smaller)
        )
        return best
    blocks = block_numbers(xy[0], xy[1], size, origin)
    per_class = _blocks_per_class(blocks, y, n)
    if min(per_class) >= 2:
        return float(size)
    best = largest_block(xy, y, size, origin, res, n)
    if best is None:
        raise _single_cell_error(y, names)
    single = ", ".join(repr(names[c]) for c in range(n) if per_class[c] < 2)
    larger = "larger than the labelled area (%g map units across); " % extent if size >= extent else ""
    raise UserError(
        tr(
            "Spatial blocks of %g map units are too large: %sclass %s lies in a single block, and validation "
            "needs every class in at least 2 blocks. The largest block that works here is %g map units; "
            "choose that or smaller (0 = automatic)."
        )
        % (size, larger, single, best)
    )


# -- folds --------------------------------------------------------------------------------------------
def fold_of_groups(groups, y, n_folds, seed):
    """{group: fold} from StratifiedGroupKFold (shuffled with the seed) over the cells' groups."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    mapping = {}
    for f, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
        for g in np.unique(groups[test]):
            mapping[int(g)] = f
    return mapping


def reduce_folds(requested, available, limit, ctx):
    folds = min(requested, available)
    if folds < requested:
        ctx.warn(
            tr("Cross-validation uses %d folds instead of %d: the smallest class has only %d %s.")
            % (folds, requested, available, limit)
        )
    return folds


def spatial_folds(y, blocks, size, requested, seed, ctx, mapping=None):
    """Folds of spatial blocks (the mapping {block: fold} given, or made here)."""
    n_classes = int(y.max()) + 1
    if mapping is None:
        n = reduce_folds(requested, min(_blocks_per_class(blocks, y, n_classes)), "blocks", ctx)
        mapping = fold_of_groups(blocks, y, n, seed)
    fold = np.array([mapping.get(int(b), -1) for b in blocks], dtype=np.int64)
    n = max(mapping.values()) + 1
    return Folds(fold, n, tr("spatial blocks of %g map units") % size, float(size), blocks)


def _named(names, flags, capital=False):
    """ "class 'a', 'b'" for the classes whose flag is set ("some class" without names)."""
    chosen = [repr(n) for n, f in zip(names or (), flags) if f]
    text = "class %s" % ", ".join(chosen) if chosen else "some class"
    return text[:1].upper() + text[1:] if capital else text


def grouped_folds(y, groups, requested, seed, ctx, names=None):
    """The "feature" scheme (cells of a feature together), or by cell when a class has a single feature;
    None (with a warning) when a class has a single cell."""
    n_classes = int(y.max()) + 1
    per_class = [len(np.unique(groups[y == c])) for c in range(n_classes)]
    if min(per_class) >= 2:
        n = reduce_folds(requested, min(per_class), "geometries", ctx)
        mapping = fold_of_groups(groups, y, n, seed)
        return Folds(np.array([mapping[int(g)] for g in groups]), n, tr(SCHEME_WORDS["feature"]))
    ctx.warn(
        tr(
            "%s has a single labelled geometry, so cross-validation splits cells, not "
            "geometries: neighbouring cells of one geometry end up in both training and test "
            "folds and the accuracy is optimistic. Label at least 2 geometries per class."
        )
        % _named(names, [k < 2 for k in per_class], capital=True)
    )
    return cell_folds(y, requested, seed, ctx, names)


def cell_folds(y, requested, seed, ctx, names=None):
    """Folds of single cells (StratifiedKFold), or None (warned) when a class has a single cell."""
    from sklearn.model_selection import StratifiedKFold

    counts = np.bincount(y)
    if counts.min() < 2:
        ctx.warn(
            tr("Cross-validation skipped: %s has a single labelled cell; every class needs at least 2.")
            % _named(names, counts < 2)
        )
        return None
    n = reduce_folds(requested, int(counts.min()), "cells", ctx)
    fold = np.zeros(len(y), dtype=np.int64)
    for f, (_, test) in enumerate(StratifiedKFold(n_splits=n, shuffle=True, random_state=seed).split(fold, y)):
        fold[test] = f
    return Folds(fold, n, tr(SCHEME_WORDS["cell"]))


def make_folds(scheme, training, src, origin, size, requested, seed, ctx):
    """The folds of a scheme for training cells on src's grid (training: .y, .groups (features),
    .cells (row * width + col), .names); None: no cross-validation (requested < 2, or warned)."""
    y = training.y
    if requested < 2:
        return None
    if scheme == "blocks":
        xy = cell_centres(training.cells, src.width, src.transform)
        size = block_size(xy, y, training.names, size, origin, max(abs(src.res[0]), abs(src.res[1])), ctx)
        return spatial_folds(y, block_numbers(xy[0], xy[1], size, origin), size, requested, seed, ctx)
    if scheme == "cell":
        ctx.warn(
            tr(
                "Validation by cell is optimistic: neighbouring cells are alike, and they end up in both "
                "training and validation folds. Choose spatial blocks for an honest accuracy."
            )
        )
        return cell_folds(y, requested, seed, ctx, training.names)
    return grouped_folds(y, training.groups, requested, seed, ctx, training.names)


def labels_origin(geoms):
    """The lower-left corner of the labelled geometries (where spatial blocks start)."""
    bounds = np.array([g.bounds for g in geoms])
    return float(bounds[:, 0].min()), float(bounds[:, 1].min())


# -- scores -----------------------------------------------------------------------------------------
def interval(values, clip=True):
    """(mean, low, high): the 95% Student-t interval of the mean of per-fold values (NaN left out)."""
    from scipy import stats

    values = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=np.float64)
    if len(values) == 0:
        return None, None, None
    mean = float(values.mean())
    if len(values) < 2:
        return mean, None, None
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    lo, hi = mean - half, mean + half
    return (mean, max(0.0, lo), min(1.0, hi)) if clip else (mean, lo, hi)


def predict_folds(make_model, X, y, folds):
    """Cross-validated predictions of every cell (a fresh model per fold; -1 where a cell's fold has no
    training cells) and the accuracy of each fold (NaN for a fold without validation cells)."""
    y_pred = np.full(len(y), -1, dtype=np.int64)
    accuracies = []
    for train, test in folds.splits():
        y_pred[test] = fit_predict(make_model, X[train], y[train], X[test])
        accuracies.append(float((y_pred[test] == y[test]).mean()) if len(test) else float("nan"))
    return y_pred, accuracies


def fit_predict(make_model, x_train, y_train, x_test):
    classes = np.unique(y_train)
    if len(x_test) == 0:
        return np.empty(0, dtype=np.int64)
    if len(classes) < 2:  # a fold whose training has one class: that class everywhere
        return np.full(len(x_test), classes[0] if len(classes) else -1, dtype=np.int64)
    return make_model(len(y_train)).fit(x_train, y_train).predict(x_test)


def curve_sizes(counts):
    """Labelled cells per class for the learning curve: CURVE_STEPS below the largest class, and that
    class's count; at most CURVE_POINTS of them (evenly spread, the largest kept)."""
    top = int(max(counts))
    sizes = [s for s in CURVE_STEPS if s < top] + [top]
    if len(sizes) > CURVE_POINTS:
        sizes = [sizes[int(i)] for i in np.unique(np.round(np.linspace(0, len(sizes) - 1, CURVE_POINTS)))]
    return sizes


def learning_curve(make_model, X, y, folds, seed, full=None):
    """Accuracy against labelled cells per class: for each size, every fold's training reduced to at
    most that many cells per class (a fixed random order per class, so each size's cells include the
    smaller sizes'), validated on the fold's whole validation cells; the largest size is the whole
    training (`full`: its fold accuracies when already known). [{"cells_per_class", "accuracy", "low",
    "high", "fold_accuracy"}]."""
    rank = np.random.default_rng(seed).permutation(len(y))  # a random order of the cells
    points = []
    sizes = curve_sizes(np.bincount(y))
    for size in sizes:
        if full is not None and size == sizes[-1]:
            accuracies = list(full)
        else:
            accuracies = [
                _accuracy(make_model, X, y, first_per_class(tr, y, rank, size), te) for tr, te in folds.splits()
            ]
        mean, lo, hi = interval(accuracies)
        points.append({"cells_per_class": size, "accuracy": mean, "low": lo, "high": hi, "fold_accuracy": accuracies})
    return points


def _accuracy(make_model, X, y, train, test):
    pred = fit_predict(make_model, X[train], y[train], X[test])
    return float((pred == y[test]).mean()) if len(test) else float("nan")


def first_per_class(cells, y, rank, size):
    """The first `size` of `cells` of each class in the order `rank`."""
    cells = cells[np.argsort(rank[cells], kind="stable")]
    keep = np.zeros(len(cells), dtype=bool)
    for c in np.unique(y[cells]):
        keep[np.nonzero(y[cells] == c)[0][:size]] = True
    return np.sort(cells[keep])


def paired_difference(a, b):
    """(mean, low, high) of fold-by-fold accuracy a - b (the same folds), and whether 0 lies within."""
    pairs = [(x - y) for x, y in zip(a, b) if not (math.isnan(x) or math.isnan(y))]
    mean, lo, hi = interval(pairs, clip=False)
    within = mean is None or lo is None or lo <= 0.0 <= hi
    return mean, lo, hi, within
