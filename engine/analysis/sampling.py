"""A bounded, reproducible random sample of the valid cells of an embedding raster, on which the analysis
jobs fit their models: which cells are drawn depends only on the seed and the cells' positions (a hash of
row * width + col), so the result is the same whatever the block size."""

import numpy as np

from ..i18n import tr
from .blocks import cell_index, count_windows, iter_windows, read_block

# The fitting sample is reduced (with a log line) so that it stays below this many values.
SAMPLE_BUDGET_VALUES = 25_000_000
_M1, _M2, _GOLD = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(x):
    with np.errstate(over="ignore"):
        z = x + _GOLD
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def hash_keys(index, seed):
    """A pseudo-random uint64 per cell that depends only on the cell's index and the seed."""
    salt = _splitmix64(np.array([seed], dtype=np.uint64))[0]
    return _splitmix64(np.asarray(index, dtype=np.uint64) ^ salt)


class BoundedSample:
    """Keeps the `n` items with the smallest hash keys seen so far (a reproducible random sample of
    a stream of any length, independent of how the stream is cut into blocks)."""

    def __init__(self, n):
        self.n = int(n)
        self.keys = np.empty(0, dtype=np.uint64)
        self.parts = None  # list of arrays, aligned with keys
        self.seen = 0

    def add(self, keys, *arrays):
        self.seen += len(keys)
        if len(keys) == 0:
            return
        if self.parts is not None and len(self.keys) >= self.n:
            keep = keys < self.keys.max()
            if not keep.any():
                return
            keys = keys[keep]
            arrays = [a[keep] for a in arrays]
        if self.parts is None:
            self.parts = [np.asarray(a) for a in arrays]
            self.keys = np.asarray(keys)
        else:
            self.keys = np.concatenate([self.keys, keys])
            self.parts = [np.concatenate([p, a]) for p, a in zip(self.parts, arrays)]
        if len(self.keys) > self.n:
            sel = np.argpartition(self.keys, self.n - 1)[: self.n]
            self.keys = self.keys[sel]
            self.parts = [p[sel] for p in self.parts]

    def result(self):
        """The kept items, ordered by key (so the order is reproducible too)."""
        if self.parts is None:
            return []
        order = np.argsort(self.keys, kind="stable")
        return [p[order] for p in self.parts]

    def __len__(self):
        return len(self.keys)


def capped_sample(n: int, count: int, ctx) -> int:
    """The job's sample size `n`, reduced (with a log line) so that n cells of `count` bands fit the budget."""
    cap = max(1000, SAMPLE_BUDGET_VALUES // max(1, count))
    if n > cap:
        ctx.log(tr("Sample reduced from %d to %d cells to bound memory (%d bands).") % (n, cap, count))
        n = cap
    return n


def sample_valid(src, n, seed, side, ctx, stage="sample"):
    """A reproducible random sample of at most n valid cells: (values (m, bands) float32,
    cell indices (m,) uint64, number of valid cells in the raster)."""
    sampler = BoundedSample(n)
    total = count_windows(src.width, src.height, side)
    for i, window in enumerate(iter_windows(src.width, src.height, side)):
        ctx.check_cancel()
        values, valid = read_block(src, window)
        idx = cell_index(window, src.width)[valid]
        sampler.add(hash_keys(idx, seed), values[valid], idx)
        ctx.progress((i + 1) / total, stage)
    if len(sampler) == 0:
        return np.empty((0, src.count), np.float32), np.empty(0, np.uint64), 0
    values, idx = sampler.result()
    return values, idx, sampler.seen
