"""PCA of a grid's valid cells, fitted while the grid streams and applied block by block.

Fitting: `CovarianceAccumulator.add(cells)` sums the cells and their outer products as the
stitcher produces them, so the PCA is fitted on *all* valid cells (no sampling needed) with
D x D memory. `fit_pca` takes the eigenvectors of the covariance. Signs are fixed so that the
largest-magnitude loading of each component is positive (deterministic output).

Applying: `write_pca` reads the grid GeoTIFF in blocks and writes a k-band float32 GeoTIFF (NaN
nodata) described by `describe_pca_raster`, the PCA raster convention the pca job follows too.

Fewer valid cells than needed: with n valid cells the covariance has rank n - 1 at most; the
components beyond that have zero variance and are written as 0 (with a warning).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import rasterio
from rasterio.enums import ColorInterp

from ...shared import raster_tags
from ...shared.errors import UserError
from ..i18n import tr
from .outputs import geotiff_profile


class CovarianceAccumulator:
    """Running sums for the covariance of cell vectors. Cells are gathered (shifted by the first
    batch's mean, so no catastrophic cancellation) until GEMM_ROWS of them fill a buffer; each full
    buffer's products are one float32 GEMM, accumulated in float64. One chip's 196 cells at a time
    the GEMM was ~3x slower per cell (2.7 against 0.9 ms per chip on the EPYC of benchmarks/README.md),
    and the cells arrive a chip at a time."""

    GEMM_ROWS = 2048

    def __init__(self, dim: int) -> None:
        self.n = 0
        self.shift = None
        self.sum: np.ndarray = np.zeros(dim, np.float64)
        self.outer: np.ndarray = np.zeros((dim, dim), np.float64)
        self._buffer: np.ndarray = np.empty((self.GEMM_ROWS, dim), np.float32)
        self._rows = 0

    def add(self, cells: np.ndarray) -> None:
        """cells: (n, D) valid cell vectors."""
        if cells.shape[0] == 0:
            return
        x = np.asarray(cells, np.float32)
        if self.shift is None:
            self.shift = x.mean(axis=0)
        self.n += x.shape[0]
        while x.shape[0]:
            take = min(x.shape[0], self.GEMM_ROWS - self._rows)
            np.subtract(x[:take], self.shift, out=self._buffer[self._rows : self._rows + take])
            self._rows += take
            x = x[take:]
            if self._rows == self.GEMM_ROWS:
                self._flush()

    def _flush(self) -> None:
        x = self._buffer[: self._rows]
        self.sum += x.sum(axis=0, dtype=np.float64)
        self.outer += x.T @ x
        self._rows = 0

    def mean_and_covariance(self) -> tuple[np.ndarray, np.ndarray]:
        self._flush()
        m = self.sum / self.n
        cov = (self.outer - self.n * np.outer(m, m)) / max(self.n - 1, 1)
        return m + self.shift, (cov + cov.T) / 2.0


@dataclass
class PcaFit:
    mean: np.ndarray  # (D,)
    components: np.ndarray  # (k, D)
    variance: np.ndarray  # (k,) eigenvalues
    ratio: np.ndarray  # (k,) explained variance ratio
    n: int
    rank_limited: bool


def fit_pca(acc: CovarianceAccumulator, k: int) -> PcaFit:
    dim = acc.sum.shape[0]
    if not 1 <= k <= dim:
        raise UserError(tr("The number of PCA components must be between 1 and %d, got %d.") % (dim, k))
    if acc.n == 0:
        raise UserError(tr("There are no valid grid cells to fit a PCA on."))
    mean, cov = acc.mean_and_covariance()
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1][:k]
    values = np.clip(values[order], 0.0, None)
    vectors = vectors[:, order].T.copy()  # (k, D)
    rank = max(acc.n - 1, 0)
    limited = k > rank
    if limited:
        values[rank:] = 0.0
        vectors[rank:] = 0.0
    for i in range(k):
        j = int(np.argmax(np.abs(vectors[i])))
        if vectors[i, j] < 0:
            vectors[i] = -vectors[i]
    total = float(np.clip(np.trace(cov), 0.0, None))
    ratio = values / total if total > 0 else np.zeros_like(values)
    return PcaFit(mean, vectors, values, ratio, acc.n, limited)


class ComponentStatistics:
    """Running minimum, maximum, mean and standard deviation of each component's scores (float64),
    for the STATISTICS_* band tags viewers stretch with."""

    def __init__(self, k: int) -> None:
        self.stats: np.ndarray = np.zeros((k, 4), np.float64)  # min, max, sum, sumsq
        self.stats[:, 0], self.stats[:, 1] = np.inf, -np.inf
        self.count = 0

    def add(self, scores: np.ndarray) -> None:
        """scores: (k, n) scores of n valid cells."""
        if scores.shape[1] == 0:
            return
        s64 = np.asarray(scores, np.float64)
        self.stats[:, 0] = np.minimum(self.stats[:, 0], s64.min(axis=1))
        self.stats[:, 1] = np.maximum(self.stats[:, 1], s64.max(axis=1))
        self.stats[:, 2] += s64.sum(axis=1)
        self.stats[:, 3] += (s64 * s64).sum(axis=1)
        self.count += s64.shape[1]

    def band_tags(self, i: int) -> dict[str, str]:
        if not self.count:
            return {}
        mn, mx, total, squares = self.stats[i]
        m = total / self.count
        sd = float(np.sqrt(max(squares / self.count - m * m, 0.0)))
        return {
            "STATISTICS_MINIMUM": "%.8g" % mn,
            "STATISTICS_MAXIMUM": "%.8g" % mx,
            "STATISTICS_MEAN": "%.8g" % m,
            "STATISTICS_STDDEV": "%.8g" % sd,
        }


def describe_pca_raster(
    dst: Any, ratio: Iterable[float], variance: Iterable[float], fitted_cells: int, statistics: ComponentStatistics
) -> None:
    """The PCA raster convention, the same whichever job writes it (embed's PCA output, the pca
    job): band i is described "PC<i> (<explained variance ratio>%)" and tagged
    TERRAEMBED_EXPLAINED_VARIANCE_RATIO and STATISTICS_MINIMUM/MAXIMUM/MEAN/STDDEV (of the valid cells);
    the dataset tags TERRAEMBED_EXPLAINED_VARIANCE_RATIO and _EXPLAINED_VARIANCE (JSON lists),
    TERRAEMBED_PCA_COMPONENTS and TERRAEMBED_PCA_FITTED_CELLS; with 3 or more components the first
    three bands are red, green and blue, so the raster opens as an RGB composite of PC1..PC3."""
    ratio = [float(r) for r in ratio]
    k = len(ratio)
    dst.descriptions = tuple("PC%d (%.1f%%)" % (i + 1, 100 * r) for i, r in enumerate(ratio))
    dst.update_tags(
        **raster_tags.written(
            {
                raster_tags.EXPLAINED_VARIANCE_RATIO: ratio,
                raster_tags.EXPLAINED_VARIANCE: [float(v) for v in variance],
                raster_tags.PCA_COMPONENTS: k,
                raster_tags.PCA_FITTED_CELLS: int(fitted_cells),
            }
        )
    )
    for i in range(k):
        band_ratio = {raster_tags.EXPLAINED_VARIANCE_RATIO: "%.6f" % ratio[i]}
        dst.update_tags(i + 1, **band_ratio, **statistics.band_tags(i))
    if k >= 3:
        dst.colorinterp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue] + [ColorInterp.undefined] * (k - 3)


def write_pca(
    grid_path: str,
    out_path: str,
    fit: PcaFit,
    tags: Optional[dict[str, str]] = None,
    check_cancel: Optional[Callable[[], None]] = None,
    progress: Optional[Callable[[float], None]] = None,
) -> None:
    """Project the grid GeoTIFF at grid_path onto the fitted components; write out_path."""
    k = fit.components.shape[0]
    comps: np.ndarray = fit.components.astype(np.float32)
    mean: np.ndarray = fit.mean.astype(np.float32)
    statistics = ComponentStatistics(k)
    with rasterio.open(grid_path) as src:
        profile = geotiff_profile(k, src.height, src.width, src.transform, src.crs)
        with rasterio.open(out_path, "w", **profile) as dst:
            windows = [w for _, w in src.block_windows(1)]
            for n, win in enumerate(windows):
                if check_cancel:
                    check_cancel()
                block = src.read(window=win)  # (D, h, w)
                d, h, w = block.shape
                flat = block.reshape(d, -1)
                valid = ~np.isnan(flat).any(axis=0)
                out = np.full((k, h * w), np.nan, np.float32)
                if valid.any():
                    scores = comps @ (flat[:, valid] - mean[:, None])
                    out[:, valid] = scores
                    statistics.add(scores)
                dst.write(out.reshape(k, h, w), window=win)
                if progress:
                    progress((n + 1) / float(len(windows)))
            dst.update_tags(**dict(tags or {}))
            describe_pca_raster(dst, fit.ratio, fit.variance, fit.n, statistics)
