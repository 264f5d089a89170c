"""An explore session: one embedding raster held in the worker's memory, answering clicks at once.

The session loads the grid once as unit vectors (cells x dimensions, row-major cells) with their
norms and a validity mask, so that every answer is one matrix product over all cells:
- similarity: heat = cos(x, mean of the positives) - cos(x, mean of the negatives) (the second term
  only when there are negatives), the formula of the 'similarity' job with its "negatives";
- few-shot: StandardScaler + LogisticRegression fitted on the labelled cells (the 'classify' job's
  model), its linear part folded into one (dimensions x classes) product over the unit vectors.
Storage: float32 (answers equal the batch jobs' outputs within 1e-5) or bfloat16 (half the memory
and about half the time of a product on CPUs with native bf16; answers within BF16_BOUND).
Labels: [{"x", "y" (the raster's CRS), "sign": 1 | -1, "class": name}, ...]; the shell sends all of
them with every question, so undo, edits and reloads need no state here.
"""

import math
import os
import time

import numpy as np

from ...shared import platforms, raster_tags
from ...shared.errors import UserError
from ..i18n import tr, translatable
from . import blocks
from .predict import make_model, probabilities

STORAGES = ("auto", "float32", "bfloat16")
BF16_BOUND = 8e-3  # largest |live - batch| of a heat value with bfloat16 storage (tested)
HIST_BINS = 4000  # over [-2, 2]: the slider moves in steps of 0.001 and its areas are exact there
HIST_RANGE = (-2.0, 2.0)
CV_BLOCK = 16  # cells per side of the spatial blocks that group labels in the cross-validation
CV_FOLDS = 3  # each fold is one more fit of the classifier: 3 keep a refit well under a second
PRODUCT_ROWS = 65536  # rows scaled at a time while loading
LOAD_BYTES = 64 * 2**20  # float32 values read at a time while loading
MEMORY_SHARE = 0.8  # of the memory available when the session opens


def storage_for(choice, features=None):
    """The storage a session opened with `choice` uses: "auto" is bfloat16 where the CPU computes
    bf16 products natively (features: its bf16 features, models/precision.py's detection when
    None), float32 elsewhere."""
    if choice != "auto":
        return choice
    from ...models import precision

    features = precision.cpu_bf16_features() if features is None else features
    return "bfloat16" if precision.native_bf16(features) else "float32"


def available_memory():
    """Bytes of memory available to a new allocation, or None where the system does not say."""
    return platforms.memory()[0]


def file_stamp(path):
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _gb(n):
    return "%.2f GB" % (n / 1e9)


class ExploreSession:
    def __init__(self, path, ctx, storage="auto", series=None):
        import torch

        if storage not in STORAGES:
            raise UserError(tr("Storage must be one of %s, got %r.") % (", ".join(STORAGES), storage))
        t0 = time.perf_counter()
        self.path = path
        self.series = series  # the series the raster is a period of (timeline.explored), or None
        self.timeline = None  # the series of the last timeline click (timeline.SeriesCells)
        self.src, self.facts = blocks.open_embeddings(path, ctx, "Explore")
        self.stamp = file_stamp(path)
        src = self.src
        self.width, self.height, self.count = src.width, src.height, src.count
        self.storage = storage_for(storage)
        dtype = torch.bfloat16 if self.storage == "bfloat16" else torch.float32
        n = self.width * self.height
        self.nbytes = n * self.count * (2 if dtype == torch.bfloat16 else 4) + n * 5
        free = available_memory()
        if free is not None and self.nbytes > MEMORY_SHARE * free:
            src.close()
            raise UserError(
                tr(
                    "Exploring %r needs %s of memory (%d x %d cells x %d dimensions, %s) but only %s is "
                    "available. Close other programs, or clip the raster to a smaller area (Raster > "
                    "Extraction > Clip Raster by Extent) and explore that."
                )
                % (path, _gb(self.nbytes), self.width, self.height, self.count, self.storage, _gb(free))
            )
        torch.set_num_threads(os.cpu_count() or 1)
        self.unit = torch.zeros((n, self.count), dtype=dtype)
        self._load(ctx)
        # a new handle for what the session still asks of the file (its grid, its profile when saving): GDAL's
        # blocks cached by the load (up to its cap, engine/jobs.GDAL_CACHE_MB) go with the first one
        src.close()
        src = self.src = blocks.open_raster(path, translatable("embedding raster"))
        import sklearn.linear_model
        import sklearn.model_selection  # noqa: F401

        self.valid_cells = int(self.valid.sum())
        if self.valid_cells == 0:
            src.close()
            raise blocks.no_valid_cells_error(path)
        t = src.transform
        self.cell_area = abs(t.a * t.e - t.b * t.d)
        self.heat = None  # the last heat map, (n,) float32 with NaN on invalid cells
        self.classes = None  # the last class map, ((n,) float32 codes 1..k with NaN, [names])
        self.open_s = time.perf_counter() - t0

    # -- loading ----------------------------------------------------------------------------------
    def _load(self, ctx):
        """Fill the unit vectors, norms and validity. Every block of the file is read once: a
        band-interleaved grid (the embed job's) by groups of bands over the whole raster, a
        pixel-interleaved one by strips of full rows. Then each row is divided by its norm."""
        from rasterio.enums import Interleaving
        from rasterio.windows import Window

        src, n = self.src, self.width * self.height
        sumsq = np.zeros(n, dtype=np.float64)
        self.valid = np.ones(n, dtype=bool)
        if src.interleaving == Interleaving.pixel:
            rows = max(1, LOAD_BYTES // (self.width * self.count * 4))
            parts = [(Window(0, r, self.width, min(rows, self.height - r)), None) for r in range(0, self.height, rows)]
        else:
            per = max(1, LOAD_BYTES // (n * 4))
            bands = range(1, self.count + 1)
            parts = [
                (Window(0, 0, self.width, self.height), list(bands[b : b + per])) for b in range(0, self.count, per)
            ]
        for i, (window, group) in enumerate(parts):
            ctx.check_cancel()
            values, valid = blocks.read_block(src, window, group)
            cells = slice(int(window.row_off) * self.width, int(window.row_off + window.height) * self.width)
            columns = slice(None) if group is None else slice(group[0] - 1, group[-1])
            values[~valid] = 0.0  # NaN and nodata never reach the sums (their rows end as zeros)
            self.valid[cells] &= valid
            sumsq[cells] += np.einsum("ij,ij->i", values, values, dtype=np.float64)
            self.unit[cells, columns] = self._stored(values)
            ctx.progress(0.9 * (i + 1) / len(parts), "load")
        norms = np.sqrt(sumsq)
        self.valid &= norms > 0
        self.norms = np.where(self.valid, norms, 0.0).astype(np.float32)
        scale = self._stored(np.where(self.valid, 1.0 / np.where(self.valid, norms, 1.0), 0.0)[:, None])
        for start in range(0, n, PRODUCT_ROWS):
            self.unit[start : start + PRODUCT_ROWS] *= scale[start : start + PRODUCT_ROWS]
        ctx.progress(1.0, "load")

    def _stored(self, array):
        """A numpy array as a tensor of the storage's type."""
        import torch

        return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32)).to(self.unit.dtype)

    # -- facts ------------------------------------------------------------------------------------
    def info(self):
        return {
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "bands": self.count,
            "grid": self.grid(),
            "crs": self.src.crs.to_wkt() if self.src.crs else "",
            "transform": list(self.src.transform)[:6],
            "valid_cells": self.valid_cells,
            "cell_area": self.cell_area,
            "storage": self.storage,
            "bound": 1e-5 if self.storage == "float32" else BF16_BOUND,
            "memory_mb": round(self.nbytes / 2**20, 1),
            "open_s": round(self.open_s, 3),
            "series": self.series,
        }

    def grid(self):
        """What the embeddings are, for labels made on them: "<model> <N>-d" (a TerraEmbed grid) or
        "<N> bands" (another model's raster)."""
        model = self.facts.get("model")  # the STAC sidecar's, else the raster's tag
        return "%s %d-d" % (model, self.count) if model else "%d bands" % self.count

    def replaced(self):
        """Whether the raster on disk is no longer the one loaded (rewritten, replaced, removed)."""
        try:
            return file_stamp(self.path) != self.stamp
        except OSError:
            return True

    def close(self):
        self.unit = self.norms = self.valid = self.heat = self.classes = None
        self.src.close()
        if self.timeline is not None:
            self.timeline.close()

    # -- labels -----------------------------------------------------------------------------------
    def cells(self, labels):
        """(cell index per usable label, its label index, [{"label": i, "reason": ...}] ignored).
        Labels on the same cell: the later one wins (as where the batch jobs' geometries overlap)."""
        inverse = ~self.src.transform
        by_cell, ignored = {}, []
        for i, label in enumerate(labels):
            try:
                col, row = inverse * (float(label["x"]), float(label["y"]))
            except (KeyError, TypeError, ValueError):
                ignored.append({"label": i, "reason": tr("no coordinates")})
                continue
            col, row = int(math.floor(col)), int(math.floor(row))
            if not (0 <= col < self.width and 0 <= row < self.height):
                ignored.append({"label": i, "reason": tr("outside the raster")})
                continue
            cell = row * self.width + col
            if not self.valid[cell]:
                ignored.append({"label": i, "reason": tr("a cell without data")})
                continue
            by_cell.pop(cell, None)
            by_cell[cell] = i
        return list(by_cell), list(by_cell.values()), ignored

    def vectors(self, cells):
        """The embedding vectors of cells (float64), from the stored unit vectors and norms."""
        idx = np.asarray(cells, dtype=np.int64)
        return self.unit[idx].double().numpy() * self.norms[idx, None].astype(np.float64)

    def _direction(self, cells):
        mean = self.vectors(cells).mean(axis=0)
        norm = np.linalg.norm(mean)
        if not np.isfinite(norm) or norm == 0:
            raise UserError(tr("The examples' mean embedding is all zeros; choose other examples."))
        return mean / norm

    def product(self, w):
        """unit vectors @ w ((dimensions, k) float64) as (cells, k) float32. With bfloat16 storage
        the product is torch's native bfloat16 one (float32 sums, a bfloat16 result): within
        BF16_BOUND of the float32 product for unit vectors, at half the bytes read."""
        w = self._stored(w)
        if w.shape[1] == 1:
            return (self.unit @ w[:, 0]).float().numpy()[:, None]
        return (self.unit @ w).float().numpy()

    # -- similarity -------------------------------------------------------------------------------
    def similarity(self, labels, out_path):
        t0 = time.perf_counter()
        cells, which, ignored = self.cells(labels)
        signs = np.array([1 if int(labels[i].get("sign", 1)) >= 0 else -1 for i in which], dtype=np.int64)
        pos = [c for c, s in zip(cells, signs) if s > 0]
        neg = [c for c, s in zip(cells, signs) if s < 0]
        if not pos:
            raise UserError(tr("Click at least one positive example on a cell with data (a plain click)."))
        w = self._direction(pos)
        if neg:
            w = w - self._direction(neg)
        heat = self.product(w[:, None])[:, 0]
        heat[~self.valid] = np.nan
        self.heat = heat
        t_product = time.perf_counter()
        ok = heat[self.valid]
        counts = np.histogram(ok, bins=HIST_BINS, range=HIST_RANGE)[0]
        self.write_raster(out_path, [heat], "float32", np.nan, ["similarity"])
        return {
            "path": out_path,
            "positives": len(pos),
            "negatives": len(neg),
            "ignored": ignored,
            "min": float(ok.min()),
            "max": float(ok.max()),
            "valid_cells": self.valid_cells,
            "cell_area": self.cell_area,
            "histogram": {"range": list(HIST_RANGE), "counts": counts.tolist()},
            "product_ms": round(1000 * (t_product - t0), 2),
            "engine_ms": round(1000 * (time.perf_counter() - t0), 2),
        }

    # -- few-shot ---------------------------------------------------------------------------------
    def fewshot(self, labels, out_path, seed=0):
        t0 = time.perf_counter()
        positives = [dict(lab, _i=i) for i, lab in enumerate(labels) if int(lab.get("sign", 1)) >= 0]
        usable = [lab for lab in positives if str(lab.get("class") or "").strip()]
        cells, which, ignored = self.cells(usable)
        ignored = [dict(g, label=usable[g["label"]]["_i"]) for g in ignored]
        ignored += [{"label": lab["_i"], "reason": tr("no class")} for lab in positives if lab not in usable]
        names = []
        for i in which:
            name = str(usable[i].get("class") or "").strip()
            if name and name not in names:
                names.append(name)
        if len(names) < 2:
            raise UserError(tr("Few-shot mode needs examples of at least 2 classes; pick another class and click."))
        y = np.array([names.index(str(usable[i].get("class")).strip()) for i in which], dtype=np.int64)
        X = self.vectors(cells)
        model = make_model("logistic", 5, seed).fit(X, y)
        cv = self._cross_validate(X, y, cells, len(names), seed)
        prob = self.predict(model)
        t_fit = time.perf_counter()
        cls = np.argmax(prob, axis=1).astype(np.float32) + 1
        best = prob.max(axis=1).astype(np.float32)
        cls[~self.valid] = np.nan
        best[~self.valid] = np.nan
        self.classes = (cls, names)
        self.write_raster(out_path, [cls, best], "float32", np.nan, ["class", "probability"])
        return {
            "path": out_path,
            "classes": names,
            "examples": np.bincount(y, minlength=len(names)).tolist(),
            "predicted_cells": np.bincount(cls[self.valid].astype(np.int64), minlength=len(names) + 1)[1:].tolist(),
            "ignored": ignored,
            **cv,
            "fit_ms": round(1000 * (t_fit - t0), 2),
            "engine_ms": round(1000 * (time.perf_counter() - t0), 2),
        }

    def _cross_validate(self, X, y, cells, n_classes, seed):
        """Accuracy of the same model over folds grouped by spatial blocks of CV_BLOCK cells: labels
        in one block (neighbours, alike) never sit in both training and test. The scheme as data for the
        panel ("cv_block_cells": the block's side in cells) and in the session's language ("cv_scheme")."""
        from sklearn.model_selection import StratifiedGroupKFold

        rows, cols = np.divmod(np.asarray(cells, dtype=np.int64), self.width)
        groups = (rows // CV_BLOCK) * (self.width // CV_BLOCK + 1) + cols // CV_BLOCK
        per_class = [len(np.unique(groups[y == c])) for c in range(n_classes)]
        scheme = {"cv_scheme": tr("spatial blocks of %d x %d cells") % (CV_BLOCK, CV_BLOCK), "cv_block_cells": CV_BLOCK}
        folds = min(CV_FOLDS, min(per_class))
        if folds < 2:
            return {"cv_accuracy": None, "cv_folds": 0, **scheme}
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        hits = 0
        for train, test in splitter.split(X, y, groups):
            if len(np.unique(y[train])) < 2:
                continue
            model = make_model("logistic", 5, seed).fit(X[train], y[train])
            hits += int((model.predict(X[test]) == y[test]).sum())
        return {"cv_accuracy": hits / len(y), "cv_folds": folds, **scheme}

    def predict(self, model):
        """Class probabilities of every cell: the scaler and the logistic regression folded into one
        product over the unit vectors (logits = |x| (u . W) + b), checked against the model itself
        on a few cells; the model's own predict_proba by blocks if they disagree."""
        scaler, lr = model[0], model[-1]
        weights = lr.coef_ / scaler.scale_
        bias = lr.intercept_ - weights @ scaler.mean_
        logits = self.product(weights.T).astype(np.float64) * self.norms[:, None] + bias
        prob = probabilities(logits)
        idx = np.flatnonzero(self.valid)[:64]
        if self.storage == "float32" and not np.allclose(prob[idx], model.predict_proba(self.vectors(idx)), atol=1e-4):
            prob = np.concatenate(
                [
                    model.predict_proba(self.vectors(np.arange(i, min(i + 65536, len(prob)))))
                    for i in range(0, len(prob), 65536)
                ]
            )
        return prob

    def write_raster(self, path, bands, dtype, nodata, descriptions, saved=False):
        """A raster on the session's grid: plain for the live maps (fast to write and to draw), the
        analysis outputs' streamed profile for saved results (copied as COGs: cog_rasters.py)."""
        import rasterio

        if saved:
            profile = blocks.raster_profile(self.src, len(bands), dtype, nodata)
        else:
            profile = {
                "driver": "GTiff",
                "width": self.width,
                "height": self.height,
                "count": len(bands),
                "dtype": dtype,
                "crs": self.src.crs,
                "transform": self.src.transform,
                "nodata": nodata,
            }
        with rasterio.open(path, "w", **profile) as dst:
            for b, (band, text) in enumerate(zip(bands, descriptions), start=1):
                dst.write(np.asarray(band, dtype=dtype).reshape(self.height, self.width), b)
                dst.set_band_description(b, text)
            dst.update_tags(**raster_tags.written({raster_tags.SOURCE: self.path}))
