"""Which bands of a raster area hold no data at all (every value NaN, ±Inf or nodata), shared by the
embed jobs (their imagery) and the analysis jobs (embedding rasters).

Such a band cannot be filled or ignored: a model needs every band it was trained on, and an
embedding cell needs every dimension. `empty_bands` looks at a few windows spread over the area first
(cheap: a handful of blocks whatever the file's layout; a decimated read of the whole area decodes every
block of it, and every band again on a pixel-interleaved file: 147 s before the first chip of a full
Sentinel-2 tile), then reads block by block only the bands that show no value there, until each shows
one, so a band with a little data is never taken for an empty one."""

SAMPLES = 4  # windows per side looked at first: SAMPLES x SAMPLES of the area's side x side windows


def empty_bands(has_data, count, height, width, side):
    """Positions (0-based) of the bands with no data in a height x width area, reading at most
    side x side pixels of the bands at a time.

    has_data(positions, (row_off, col_off, rows, cols), out_shape) -> bool array (len(positions),
    h, w), True where a band holds a value in that window of the area: decimated to out_shape
    (h, w), or every pixel when out_shape is None (as empty_bands asks)."""
    suspects = list(range(count))
    for window in spread_windows(height, width, side):
        found = has_data(suspects, window, None)
        suspects = [band for band, values in zip(suspects, found) if not values.any()]
        if not suspects:
            return []
    for row in range(0, height, side):
        for col in range(0, width, side):
            if not suspects:
                return []
            window = (row, col, min(side, height - row), min(side, width - col))
            found = has_data(suspects, window, None)
            suspects = [band for band, values in zip(suspects, found) if not values.any()]
    return suspects


def spread_windows(height, width, side, samples=SAMPLES):
    """Up to samples x samples windows of side x side pixels spread evenly over a height x width area
    (its corners and centre among them), as (row_off, col_off, rows, cols)."""
    rows, cols = min(side, height), min(side, width)

    def offsets(extent, size):
        steps = max(1, samples - 1)
        return sorted({round((extent - size) * i / steps) for i in range(samples)})

    return [(r, c, rows, cols) for r in offsets(height, rows) for c in offsets(width, cols)]


def band_list(numbers, names=None):
    """'band 4 (B4)', 'bands 4 (B4), 7 (B7)': raster band numbers with their names where known."""
    names = names or [None] * len(numbers)
    items = ["%d%s" % (n, " (%s)" % name if name else "") for n, name in zip(numbers, names)]
    return ("band " if len(items) == 1 else "bands ") + ", ".join(items)
