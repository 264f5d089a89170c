"""The AlphaEarth collection of the loopback Earth Engine fake (ee_server.py): GOOGLE/SATELLITE_EMBEDDING/
V1/ANNUAL with its years over any area, unit vectors of bands A00..A63 that vary with the position, and
masked columns; and what a fetch of it writes (the tests' oracle)."""

import numpy as np

ALPHAEARTH_ID = "GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL"
ALPHAEARTH_BANDS = ["A%02d" % i for i in range(64)]
ALPHAEARTH_YEARS = list(range(2017, 2026))  # what the fake collection has over any area


def alphaearth_vectors(rows, cols):
    """The fake AlphaEarth embedding of global cells: (64, h, w) float32 unit vectors that vary smoothly
    with the position (no two neighbouring cells alike)."""
    rows, cols = np.broadcast_arrays(np.asarray(rows, np.float64), np.asarray(cols, np.float64))
    b = np.arange(64, dtype=np.float64)[:, None, None]
    v = np.sin(0.013 * (b + 1) * rows[None] + 0.029 * (64 - b) * cols[None] + b)
    return (v / np.linalg.norm(v, axis=0, keepdims=True)).astype(np.float32)


def alphaearth_masked(rows, cols):
    """The global cells the fake collection masks (no embedding): every 40th column from column 7."""
    rows, cols = np.broadcast_arrays(rows, cols)
    return np.mod(cols, 40) == 7


def planted_region(rows, cols):
    """The global cells of the planted change: blocks of 32 x 32 cells in a checkerboard (whole cells of any
    grid of 16 x 16 cells aligned on multiples of 16)."""
    rows, cols = np.broadcast_arrays(rows, cols)
    return (np.floor_divide(rows, 32) + np.floor_divide(cols, 32)) % 2 == 0


def year_of(constants):
    """The year a request asks for: the earliest 'YYYY-01-01' among its expression's constants (its date
    filter's start; None: none)."""
    starts = [int(c[:4]) for c in constants if isinstance(c, str) and c.endswith("-01-01") and c[:4].isdigit()]
    return min(starts) if starts else None


def answer(constants, years, tiles):
    """The answer to the fetch's question {"years", "images"}: the fake's years over any area, and
    `tiles` for the year asked (year_of the expression's constants) when it is one of them, else 0."""
    return {"years": years, "images": tiles if year_of(constants) in years else 0}


def yearly_vectors(rows, cols, year=None, change_from=None):
    """The fake's vectors of `year`: alphaearth_vectors, turned to their opposite (cosine distance 2) in the
    planted region from the year `change_from` on (None: no change)."""
    vectors = alphaearth_vectors(rows, cols)
    if change_from is not None and year is not None and year >= change_from:
        vectors[:, planted_region(rows, cols)] *= -1
    return vectors


def alphaearth_pixels(arr, rows, cols, fill, year=None, change_from=None):
    """Fill a structured NPY answer of bands A00..A63: the vectors of the year, `fill` (the request's
    unmask value) on the masked cells."""
    vectors, masked = yearly_vectors(rows, cols, year, change_from), alphaearth_masked(rows, cols)
    for i, name in enumerate(ALPHAEARTH_BANDS):
        arr[name] = vectors[i]
        arr[name][masked] = fill


def expected_alphaearth(transform, width, height, year=None, change_from=None):
    """What a fetch of the fake's AlphaEarth writes on a grid: the vectors (of the year), NaN where masked."""
    from ee_server import global_indices

    rows, cols = global_indices(transform, width, height)
    out = yearly_vectors(rows, cols, year, change_from)
    out[:, alphaearth_masked(rows, cols)] = np.nan
    return out
