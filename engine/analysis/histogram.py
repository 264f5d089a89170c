"""A streaming histogram of scores on a fixed range: fine bins for exact-enough percentiles, and a
coarse copy of the occupied range for a report's chart (see engine/report/)."""

import numpy as np


class Histogram:
    def __init__(self, lo, hi, bins=2000):
        self.lo, self.hi, self.bins = float(lo), float(hi), int(bins)
        self.counts = np.zeros(self.bins, dtype=np.int64)
        self.edges = np.linspace(self.lo, self.hi, self.bins + 1)

    def add(self, values):
        self.counts += np.histogram(values, bins=self.bins, range=(self.lo, self.hi))[0]

    @property
    def n(self):
        return int(self.counts.sum())

    def percentile(self, p):
        """Upper edge of the bin holding the p-th percentile (0..100)."""
        cum = np.cumsum(self.counts) / max(self.n, 1)
        return float(self.edges[min(self.bins, int(np.searchsorted(cum, p / 100.0)) + 1)])

    def summary(self, max_bins=40):
        """{"edges": [...], "counts": [...]}: the occupied part of the range in at most max_bins
        equal bins (edges on the fine grid; counts add up to n)."""
        occupied = np.flatnonzero(self.counts)
        if not len(occupied):
            return {"edges": [], "counts": []}
        first, last = int(occupied[0]), int(occupied[-1]) + 1
        step = -(-(last - first) // max_bins)
        n_bins = -(-(last - first) // step)
        first = max(0, min(first, self.bins - step * n_bins))
        counts = np.zeros(step * n_bins, dtype=np.int64)
        part = self.counts[first : first + step * n_bins]
        counts[: len(part)] = part
        width = (self.hi - self.lo) / self.bins
        edges = np.clip(self.lo + (first + step * np.arange(n_bins + 1)) * width, self.lo, self.hi)
        return {
            "edges": [float(e) for e in edges],
            "counts": [int(c) for c in counts.reshape(n_bins, step).sum(axis=1)],
        }
