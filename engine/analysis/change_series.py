"""Job "change_series": change over time, per cell, over a series of embedding rasters (periods).

Job: {"type": "change_series", "series": path | null, "inputs": [path, ...] | null,
       "labels": [text, ...] | null, "output": path, "classes_output": path | null,
       "polygons_output": path | null, "change_step": float (catalogue.DEFAULT_CHANGE_STEP),
       "features": null | [{"wkt": WKT in the first period's CRS, "name": text}, ...],
       "all_touched": false, "block_size": null}
The periods are a series file (engine/pipeline/series.read_series: a VRT listing them in order) or the
ordered "inputs" (embedding rasters of one model; "labels" names them, else their file names). A
period whose grid differs from the first one's is resampled onto it (the average of the cells each
cell covers when its cells are smaller, else nearest neighbour: engine/pipeline/onto_grid.py; said in the
log). At least 2 periods, every one of the same model and dimensions (the odd one is named).
Per cell, with d(a, b) = 1 - cos(a, b) (0 unchanged, up to 2) and the steps d(period k-1, period k):
- the largest distance to the first period;
- the break: the number (2..N) of the period that ends the largest step;
- the size of that step, and the mean step (steady change: a mean near the largest; one break: a
  largest step far above the mean);
- the class: 1 "stable" (no step at or above change_step), 2 "one break" (exactly one), 3
  "repeated change" (two or more).
A cell is valid when it is valid in every period. Block by block: memory holds 3 blocks of
vectors, whatever the number of periods.
Outputs: "output", float32, 4 bands (those four numbers, in that order), nodata NaN; "classes_output",
uint8 classes 1..3 with a palette (0 nodata); both Cloud Optimized GeoTIFFs (cog_rasters.py), the
overviews of "output" by nearest neighbour (the break stays a period number), those of the classes the
most frequent class; "polygons_output" (.gpkg/.geojson): the changed cells (one break or repeated
change) as polygons, one per class and break period, with fields id, class, break_number, break_period
(the label), area, cells.
Result: {"output", "classes_output", "polygons_output", "periods": [labels], "change_step",
         "valid_cells", "class_cells": {name: cells}, "break_cells": [cells of "one break" and
         "repeated change" whose break ends each period: N values, the first 0],
         "per_period": [{"label", "to_first": {"mean", "50", "90"}, "step_mean"} ...] (the first
         period's are null), "to_first_histograms": [{"edges","counts"} per period from the second],
         "timelines": null | [{"name", "cells", "to_first": [N], "to_previous": [N]}],
         "resampled": [labels of the periods resampled], "polygons"}
"""

import functools

import numpy as np

from ...shared import catalogue, raster_tags
from ...shared.errors import UserError
from ...shared.jobs.analysis import ChangeSeriesJob
from ..i18n import tr
from ..jobs import job
from . import blocks, geometries
from . import series_input as periods_in
from . import vectors as vec
from .cog_rasters import CLASSES, SAMPLES
from .histogram import Histogram

STABLE, ONE_BREAK, REPEATED = 1, 2, 3
BANDS = (
    "largest cosine distance to the first period",
    "break: number of the period that ends the largest step (2..N)",
    "largest step (cosine distance between consecutive periods)",
    "mean step",
)


def unit_rows(x):
    """(unit vectors float64, norms) of the rows of x."""
    x = x.astype(np.float64)
    norms = np.linalg.norm(x, axis=1)
    return x / np.where(norms > 0, norms, 1.0)[:, None], norms


def distance(a, b):
    """Cosine distance 1 - cos between the rows of two arrays of unit vectors."""
    return 1.0 - np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0)


def trajectories(read_period, count):
    """Distances of one block of cells over the periods, reading one period at a time (the first
    and the previous period's unit vectors are kept, never all of them): (to_first (N, cells),
    steps (N, cells), valid (cells,)); the first period's entries are 0. read_period(k) -> (values
    (cells, D), valid (cells,))."""
    first = previous = None
    for k in range(count):
        values, ok = read_period(k)
        unit, norms = unit_rows(values)
        if k == 0:
            first, valid = unit, ok & (norms > 0)
            to_first = np.zeros((count, len(values)))
            steps = np.zeros((count, len(values)))
        else:
            valid &= ok & (norms > 0)
            to_first[k] = distance(first, unit)
            steps[k] = distance(previous, unit)
        previous = unit
    return to_first, steps, valid


def summarise(to_first, steps, change_step):
    """Per cell: (largest distance to the first, break number (1-based period), largest step, mean
    step, class) from trajectories' arrays (N >= 2)."""
    largest = to_first.max(axis=0)
    moves = steps[1:]
    at = np.argmax(moves, axis=0)
    step = moves[at, np.arange(moves.shape[1])]
    changes = (moves >= change_step).sum(axis=0)
    cls = np.where(changes == 0, STABLE, np.where(changes == 1, ONE_BREAK, REPEATED))
    return largest, at + 2, step, moves.mean(axis=0), cls


class Tally:
    """What the result says, gathered block by block."""

    def __init__(self, count, features):
        self.count = count
        self.valid = 0
        self.classes = np.zeros(4, dtype=np.int64)
        self.breaks = np.zeros(count + 1, dtype=np.int64)
        self.hists = [Histogram(0.0, 2.0) for _ in range(count)]
        self.step_sums = np.zeros(count)
        self.to_first_sums = np.zeros(count)
        self.feature_cells = features  # (sorted cell indices, their feature) or None
        n = 0 if features is None else int(features[1].max(initial=-1)) + 1
        self.feature_sums = np.zeros((2, n, count))
        self.feature_counts = np.zeros(n, dtype=np.int64)

    def add(self, to_first, steps, valid, breaks, cls, window, width):
        """One block (window of a grid `width` cells wide): its trajectories, validity, break
        numbers and classes."""
        self.valid += int(valid.sum())
        self.classes += np.bincount(cls[valid], minlength=4)
        changed = valid & (cls != STABLE)
        self.breaks += np.bincount(breaks[changed], minlength=self.count + 1)
        for k in range(1, self.count):
            self.hists[k].add(to_first[k, valid])
        self.step_sums += steps[:, valid].sum(axis=1)
        self.to_first_sums += to_first[:, valid].sum(axis=1)
        if self.feature_cells is not None:
            self._add_features(to_first, steps, valid, window, width)

    def _add_features(self, to_first, steps, valid, window, width):
        index, fid = self.feature_cells
        row0, col0, h, w = int(window.row_off), int(window.col_off), int(window.height), int(window.width)
        lo, hi = np.searchsorted(index, [row0 * width, (row0 + h) * width])
        rows, cols = np.divmod(index[lo:hi].astype(np.int64), width)
        inside = (cols >= col0) & (cols < col0 + w)
        at = (rows[inside] - row0) * w + (cols[inside] - col0)
        who = fid[lo:hi][inside]
        ok = valid[at]
        at, who = at[ok], who[ok]
        np.add.at(self.feature_counts, who, 1)
        for j, values in enumerate((to_first, steps)):
            np.add.at(self.feature_sums[j], who, values[:, at].T)

    def per_period(self, labels):
        rows = []
        for k, label in enumerate(labels):
            if k == 0 or self.valid == 0:
                rows.append({"label": label, "to_first": None, "step_mean": None})
                continue
            hist = self.hists[k]
            rows.append(
                {
                    "label": label,
                    "to_first": {
                        "mean": float(self.to_first_sums[k] / self.valid),
                        "50": hist.percentile(50),
                        "90": hist.percentile(90),
                    },
                    "step_mean": float(self.step_sums[k] / self.valid),
                }
            )
        return rows

    def timelines(self, names):
        if self.feature_cells is None:
            return None
        out = []
        for i, name in enumerate(names):
            n = int(self.feature_counts[i])
            mean = self.feature_sums[:, i] / n if n else None
            out.append(
                {
                    "name": name,
                    "cells": n,
                    "to_first": None if mean is None else [float(v) for v in mean[0]],
                    "to_previous": None if mean is None else [None] + [float(v) for v in mean[1][1:]],
                }
            )
        return out


def _feature_cells(features, all_touched, src, side, ctx):
    """(sorted cell indices, feature per cell), [names] of the features [(WKT, name)]; or (None, []) without."""
    if not features:
        return None, []
    geoms = [geometries.parse_wkt(wkt, "feature geometry") for wkt, _ in features]
    names = [name for _, name in features]
    cells, fids = [], []
    under = geometries.iter_cells_under(src, geoms, side, ctx, "features", all_touched=all_touched)
    for _, fid, index in under:
        cells.append(index)
        fids.append(fid)
    if not cells:
        ctx.warn(tr("None of the %d features covers a valid cell of the first period: no timelines.") % len(geoms))
        return None, []
    index, fid = np.concatenate(cells), np.concatenate(fids)
    order = np.argsort(index, kind="stable")
    return (index[order], fid[order]), names


def _write_block(dsts, window, bands, cls):
    h, w = int(window.height), int(window.width)
    out, classes = dsts
    out.write(np.stack(bands).astype(np.float32).reshape(len(bands), h, w), window=window)
    if classes is not None:
        classes.write(cls.astype(np.uint8).reshape(1, h, w), window=window)


def _pieces(codes, window, transform):
    """Polygons of the changed cells of a block: (code, polygon) with code = break * 4 + class."""
    from rasterio.windows import transform as window_transform

    grid = codes.reshape(int(window.height), int(window.width))
    return vec.polygonize_values(grid, window_transform(window, transform))


def _read_period(sources, window, k):
    return blocks.read_block(sources[k], window)


def _scan(run, tally, change_step, dsts, pieces):
    """Every block: trajectories, summaries, outputs, tally."""
    first = run.sources[0]
    total = blocks.count_windows(first.width, first.height, run.side)
    for i, window in enumerate(blocks.iter_windows(first.width, first.height, run.side)):
        run.ctx.check_cancel()
        to_first, steps, valid = trajectories(functools.partial(_read_period, run.sources, window), run.count)
        largest, breaks, step, mean, cls = summarise(to_first, steps, change_step)
        nan = np.where(valid, 1.0, np.nan)
        _write_block(dsts, window, [largest * nan, breaks * nan, step * nan, mean * nan], np.where(valid, cls, 0))
        tally.add(to_first, steps, valid, breaks, cls, window, first.width)
        if pieces is not None:
            changed = valid & (cls != STABLE)
            codes = np.where(changed, breaks * 4 + cls, 0).astype(np.int32)
            pieces.extend(_pieces(codes, window, first.transform))
        run.ctx.progress((i + 1) / total, "change over time")


def _polygons(path, pieces, labels, src):
    """Write the change areas (merged across blocks, per code); the number of polygons."""
    by_code = {}
    for code, polygon in pieces:
        by_code.setdefault(code, []).append(polygon)
    rows = []
    for code in sorted(by_code):
        for polygon in vec.merge_pieces(by_code[code]):
            rows.append((code // 4, code % 4, polygon))
    cell_area = abs(src.transform.a * src.transform.e - src.transform.b * src.transform.d)
    names = catalogue.CHANGE_CLASSES
    fields = {
        "id": np.arange(1, len(rows) + 1, dtype=np.int64),
        "class": np.array([names[c - 1] for _, c, _ in rows], dtype=object),
        "break_number": np.array([b for b, _, _ in rows], dtype=np.int64),
        "break_period": np.array([labels[b - 1] for b, _, _ in rows], dtype=object),
        "area": np.array([p.area for _, _, p in rows], dtype=np.float64),
        "cells": np.array([int(round(p.area / cell_area)) for _, _, p in rows], dtype=np.int64),
    }
    polygons = [p for _, _, p in rows]
    vec.write_polygons(path, polygons, fields, src.crs, vec.driver_for(path), layer=vec.layer_name(path))
    return len(rows)


def _open_outputs(run, labels, classes_tmp):
    import rasterio

    first = run.sources[0]
    out = rasterio.open(run.tmp, "w", **blocks.raster_profile(first, len(BANDS), "float32", blocks.FLOAT_NODATA))
    for b, text in enumerate(BANDS, start=1):
        out.set_band_description(b, text)
    out.update_tags(
        **raster_tags.written({raster_tags.PERIODS: list(labels), raster_tags.CHANGE_STEP: run.change_step})
    )
    classes = None
    if classes_tmp:
        classes = rasterio.open(classes_tmp, "w", **blocks.raster_profile(first, 1, "uint8", blocks.CLASS_NODATA))
        blocks.write_class_metadata(classes, list(catalogue.CHANGE_CLASSES))
    return out, classes


@job("change_series")
def run_change_series(job, ctx):
    series = ChangeSeriesJob.read(job)
    change_step, classes_output, polygons_output = series.change_step, series.classes_output, series.polygons_output
    if polygons_output:
        vec.driver_for(polygons_output)
    with periods_in.series_job(job, series, ctx, "Change over time") as run:
        run.change_step = change_step
        first = run.sources[0]
        run.tmp = run.rasters.add(run.output, "change over time raster", len(BANDS), "float32", SAMPLES)
        classes_tmp = (
            run.rasters.add(classes_output, "change class raster", 1, "uint8", CLASSES) if classes_output else None
        )
        poly_tmp = run.outs.add(polygons_output, "change areas", blocks.POLYGONS) if polygons_output else None
        features, names = _feature_cells(series.features, series.all_touched, first, run.side, ctx.substage(0.0, 0.1))
        tally = Tally(run.count, features)
        pieces = [] if poly_tmp else None
        dsts = _open_outputs(run, run.labels, classes_tmp)
        try:
            _scan(run, tally, change_step, dsts, pieces)
        finally:
            for dst in dsts:
                if dst is not None:
                    dst.close()
        if tally.valid == 0:
            raise UserError(
                tr(
                    "The periods have no cell with data in every period. Check that they cover the same area "
                    "and their nodata values."
                )
            )
        polygons = _polygons(poly_tmp, pieces, run.labels, first) if poly_tmp else None
        run.commit()
    return _result(run, tally, names, polygons, classes_output, polygons_output, ctx)


def _result(run, tally, names, polygons, classes_output, polygons_output, ctx):
    class_cells = {name: int(tally.classes[i + 1]) for i, name in enumerate(catalogue.CHANGE_CLASSES)}
    ctx.log(
        tr("%d periods, %d cells: %s (a change: a step of at least %g)")
        % (
            run.count,
            tally.valid,
            ", ".join("%s %d" % item for item in class_cells.items()),
            run.change_step,
        )
    )
    ctx.progress(1.0, "done")
    return {
        "output": run.output,
        "classes_output": classes_output,
        "polygons_output": polygons_output,
        "periods": run.labels,
        "change_step": run.change_step,
        "valid_cells": tally.valid,
        "class_cells": class_cells,
        "break_cells": [int(c) for c in tally.breaks[1:]],
        "per_period": tally.per_period(run.labels),
        "to_first_histograms": [h.summary() for h in tally.hists[1:]],
        "timelines": tally.timelines(names),
        "resampled": run.resampled,
        "polygons": polygons,
    }
