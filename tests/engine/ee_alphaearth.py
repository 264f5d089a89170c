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


def answer(constants, years, tiles):
    """The answer to the fetch's question {"years", "images"}: the fake's years over any area, and
    `tiles` for the year asked (the first 'YYYY-01-01' among the expression's constants) when it is
    one of them, else 0."""
    starts = [c for c in constants if isinstance(c, str) and c.endswith("-01-01")]
    year = int(starts[0][:4]) if starts else None
    return {"years": years, "images": tiles if year in years else 0}


def alphaearth_pixels(arr, rows, cols, fill):
    """Fill a structured NPY answer of bands A00..A63: the vectors, `fill` (the request's unmask
    value) on the masked cells."""
    vectors, masked = alphaearth_vectors(rows, cols), alphaearth_masked(rows, cols)
    for i, name in enumerate(ALPHAEARTH_BANDS):
        arr[name] = vectors[i]
        arr[name][masked] = fill


def expected_alphaearth(transform, width, height):
    """What a fetch of the fake's AlphaEarth writes on a grid: the vectors, NaN where masked."""
    from ee_server import global_indices

    rows, cols = global_indices(transform, width, height)
    out = alphaearth_vectors(rows, cols)
    out[:, alphaearth_masked(rows, cols)] = np.nan
    return out
