"""Where a classifier is unsure, and where to label next.

Uncertainty of a cell, from its class probabilities: 1 - the largest probability (0 = sure; at most
1 - 1/classes) and the margin between the two best classes (the largest minus the second largest:
0 = a tie, unsure; 1 = sure).

Where to label next: n cells among the most uncertain, picked in order of uncertainty (1 - the
largest probability, then the smaller margin first), each at least `spacing` (map units) from every
cell picked before and from every labelled geometry; a cell closer than that is passed over. So
the suggestions are the most uncertain places, spread out (no two closer than the spacing) and never
next to what is already labelled. The candidates are the POOL_PER_SUGGESTION x n most uncertain
cells farther than the spacing from the labels (at least POOL_MIN, at most POOL_MAX), kept block by
block, so memory does not grow with the raster. Ties in uncertainty are ordered by a hash of the
cell's position and the seed (the same cells whatever the block size).
"""

import numpy as np

from ...shared import keys, limits, raster_tags
from ...shared.jobs.classify import ClassifyJob
from ..i18n import tr
from . import blocks, sampling
from . import vectors as vec
from .cog_rasters import VALUES

POOL_PER_SUGGESTION = 200
POOL_MIN, POOL_MAX = 20_000, 400_000
DEFAULT_SPACING_CELLS = 5  # the spacing when none is given: 5 cells
MEASURES = ("uncertainty", "margin")  # the uncertainty raster's bands, in order (its TERRAEMBED_MEASURES tag)
FIELDS = ("rank", "class", "uncertainty", "margin", "first_class", "first_prob", "second_class", "second_prob")


def measures(prob):
    """(cells, 2) float32: 1 - the largest probability, and the margin between the two best classes;
    NaN where a row of prob is NaN."""
    prob = np.asarray(prob, dtype=np.float64)
    top = -np.sort(-prob, axis=1)[:, :2]
    return np.stack([1.0 - top[:, 0], top[:, 0] - top[:, 1]], axis=1).astype(np.float32)


def options(args, src):
    """(number of suggestions, spacing in map units) from an Explore query's "suggestion_count" and
    "suggestion_spacing" (a classify job reads them through its contract, ClassifyJob)."""
    n = keys.whole(args, "suggestion_count", ClassifyJob.default("suggestion_count"), valid=limits.SUGGESTIONS)
    spacing = keys.number(args, "suggestion_spacing", ClassifyJob.default("suggestion_spacing"), valid=limits.SPACING)
    return n, spacing_on(spacing, src)


def spacing_on(spacing, src):
    """The suggestions' spacing in map units: `spacing`, or DEFAULT_SPACING_CELLS cells of src when 0."""
    return float(spacing or DEFAULT_SPACING_CELLS * max(abs(src.transform.a), abs(src.transform.e)))


class Candidates:
    """The most uncertain cells farther than `spacing` from every label, kept across blocks:
    add(prob, cell index, transform, width) per block; pick() at the end."""

    def __init__(self, n, spacing, labels, seed=0):
        from shapely import STRtree

        self.n, self.spacing, self.seed = int(n), float(spacing), seed
        self.size = int(min(POOL_MAX, max(POOL_MIN, POOL_PER_SUGGESTION * self.n)))
        self.labels = list(labels)
        self.tree = STRtree(self.labels) if self.labels else None
        points = all(g.geom_type == "Point" for g in self.labels)
        self.label_points = np.array([(g.x, g.y) for g in self.labels]) if self.labels and points else None
        self.parts = []  # arrays of (unsure, margin, -hash, cell, x, y, first, second, p1, p2) rows
        self.kept = 0

    def add(self, prob, cells, xy):
        """prob (m, classes) of valid cells, their cell indices (m,) and centres (m, 2) in map units."""
        if not len(cells):
            return
        prob = np.asarray(prob, dtype=np.float64)
        order = np.argsort(-prob, axis=1, kind="stable")[:, :2]
        best = np.take_along_axis(prob, order, axis=1)
        unsure, margin = 1.0 - best[:, 0], best[:, 0] - best[:, 1]
        keep = self._near_labels(xy) == 0
        if self.parts and self.kept >= self.size:
            keep &= unsure >= self._floor()
        if not keep.any():
            return
        hashes = sampling.hash_keys(cells, self.seed).astype(np.float64)
        rows = np.column_stack([unsure, margin, -hashes, cells, xy, order, best])[keep]
        self.parts.append(rows)
        self.kept += len(rows)
        if self.kept > 2 * self.size:
            self._trim()

    def _floor(self):
        self._trim()
        return self.parts[0][-1, 0]

    def _trim(self):
        rows = np.concatenate(self.parts)
        rank = np.lexsort((rows[:, 2], rows[:, 1], -rows[:, 0]))[: self.size]  # most unsure first
        self.parts = [rows[rank]]
        self.kept = len(rank)

    def _near_labels(self, xy):
        """How many labels lie within the spacing of each point (at most 1 where the labels are all
        points: a k-d tree of them, much faster than shapely's points)."""
        if self.tree is None:
            return np.zeros(len(xy), dtype=np.int64)
        if self.label_points is not None:
            from scipy.spatial import cKDTree

            d, _ = cKDTree(self.label_points).query(xy, k=1, distance_upper_bound=2 * self.spacing + 1e-9)
            return (d <= self.spacing).astype(np.int64)
        import shapely

        found = self.tree.query(shapely.points(xy), predicate="dwithin", distance=self.spacing)
        return np.bincount(found[0], minlength=len(xy))

    def pick(self):
        """The suggested rows, most uncertain first, no two within the spacing."""
        if not self.parts:
            return np.empty((0, 10))
        self._trim()
        rows = self.parts[0]  # in order: the first row left is the most uncertain
        x, y = np.ascontiguousarray(rows[:, 4]), np.ascontiguousarray(rows[:, 5])
        left = np.ones(len(rows), dtype=bool)
        chosen = []
        while len(chosen) < self.n:
            i = int(np.argmax(left))
            if not left[i]:
                break
            chosen.append(i)
            left &= (x - x[i]) ** 2 + (y - y[i]) ** 2 >= self.spacing**2
        return rows[chosen]


def suggestion_records(rows, names):
    """The suggestions as attribute columns (FIELDS) and points (x, y)."""
    first, second = rows[:, 6].astype(np.int64), rows[:, 7].astype(np.int64)
    fields = {
        "rank": np.arange(1, len(rows) + 1, dtype=np.int64),
        "class": np.array([None] * len(rows), dtype=object),
        "uncertainty": rows[:, 0].astype(np.float64),
        "margin": rows[:, 1].astype(np.float64),
        "first_class": np.array([names[c] for c in first], dtype=object),
        "first_prob": rows[:, 8].astype(np.float64),
        "second_class": np.array([names[c] for c in second], dtype=object),
        "second_prob": rows[:, 9].astype(np.float64),
    }
    return fields, rows[:, 4:6]


def as_dicts(rows, names):
    """The suggestions as JSON-able dicts (x, y and the FIELDS), for an answer."""
    fields, xy = suggestion_records(rows, names)
    out = []
    for i in range(len(rows)):
        item = {"x": float(xy[i, 0]), "y": float(xy[i, 1])}
        for key in FIELDS:
            value = fields[key][i]
            item[key] = value.item() if hasattr(value, "item") else value
        out.append(item)
    return out


def write_suggestions(path, rows, names, crs, driver):
    """A point layer of the suggestions (FIELDS; "class" empty, ready to fill)."""
    import shapely

    fields, xy = suggestion_records(rows, names)
    vec.write_features(path, list(shapely.points(xy)), fields, crs, driver, vec.layer_name(path), "Point")


def cell_centres(window, transform):
    """(cells, 2) map coordinates of the centres of a window's cells, row-major."""
    rows, cols = np.mgrid[
        int(window.row_off) : int(window.row_off + window.height),
        int(window.col_off) : int(window.col_off + window.width),
    ]
    x, y = transform * (cols.reshape(-1) + 0.5, rows.reshape(-1) + 0.5)
    return np.column_stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])


class UncertaintyOutputs:
    """The optional uncertainty raster ("uncertainty_output") and suggestions ("suggestions_output")
    of a classification job, written while it predicts block by block:
        unsure = UncertaintyOutputs(run, classify, label_geometries)   # before any work
        with unsure.opened(): map_blocks(..., dsts + unsure.dsts, ... + unsure.arrays(prob, valid, window))
        result.update(unsure.finish(names, ctx))                         # before run.commit()
    `classify`: the job's contract (a ClassifyJob, or an ApplyClassifierJob: no suggestions)."""

    def __init__(self, run, classify, labels):
        src = self.src = run.src
        self.raster = classify.uncertainty_output
        self.points = getattr(classify, "suggestions_output", None)
        self.tmp_raster = (
            run.rasters.add(self.raster, "uncertainty raster", len(MEASURES), "float32", VALUES)
            if self.raster
            else None
        )
        self.tmp_points = run.outs.add(self.points, "suggestions", blocks.POLYGONS) if self.points else None
        self.driver = vec.driver_for(self.points) if self.points else None
        self.candidates = None
        if self.points:
            self.n, self.spacing = classify.suggestion_count, spacing_on(classify.suggestion_spacing, src)
            self.candidates = Candidates(self.n, self.spacing, labels, classify.seed)
        self.dst = None

    @property
    def dsts(self):
        return [self.dst]

    def opened(self, tags=None, names=()):
        """A context in which the uncertainty raster (when asked for) is open for writing, tagged as the
        class raster is (tags: the classifier, its source raster ...), with the classes it weighs
        (names, code order) and what its bands measure (raster_tags.MEASURES)."""
        import contextlib

        import rasterio

        stack = contextlib.ExitStack()
        if self.tmp_raster:
            profile = blocks.raster_profile(self.src, 2, "float32", blocks.FLOAT_NODATA)
            self.dst = stack.enter_context(rasterio.open(self.tmp_raster, "w", **profile))
            self.dst.set_band_description(1, "uncertainty: 1 - largest class probability (0 = sure)")
            self.dst.set_band_description(2, "margin: largest - second largest class probability (0 = a tie)")
            own = {raster_tags.MEASURES: list(MEASURES), raster_tags.CLASSES: [str(name) for name in names]}
            self.dst.update_tags(**raster_tags.written(dict(tags or {}, **own)))
        return stack

    def arrays(self, prob, valid, window):
        """The uncertainty raster's (cells, 2) values of a block (prob: NaN rows on invalid cells);
        the block's valid cells join the candidates."""
        if self.candidates is not None and valid.any():
            cells = blocks.cell_index(window, self.src.width)[valid]
            self.candidates.add(prob[valid], cells, cell_centres(window, self.src.transform)[valid])
        return [measures(prob) if self.dst is not None else None]

    def finish(self, names, ctx):
        """Write the suggestions; the result's keys."""
        result = {"uncertainty": self.raster, "suggestions": self.points}
        if self.candidates is None:
            return result
        rows = self.candidates.pick()
        write_suggestions(self.tmp_points, rows, names, self.src.crs, self.driver)
        ctx.log(
            tr("Where to label next: %d cells, the most uncertain at least %g map units apart and from every label.")
            % (len(rows), self.spacing)
        )
        if len(rows) < self.n:
            ctx.warn(
                tr(
                    "Only %d of the %d suggestions fit at a spacing of %g map units: the other uncertain cells are "
                    "closer than that to a label or to a suggestion. Lower the spacing for more."
                )
                % (len(rows), self.n, self.spacing)
            )
        return dict(result, suggested_cells=len(rows), suggestion_spacing=self.spacing)
