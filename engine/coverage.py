"""Which bands of a raster area hold no data at all (every value NaN, ±Inf or nodata), shared by the
embed jobs (their imagery) and the analysis jobs (embedding rasters).

Such a band cannot be filled or ignored: a model needs every band it was trained on, and an
embedding cell needs every dimension. `empty_bands` looks at a decimated read first (cheap), then
reads block by block only the bands that look empty there, until each shows a value, so a band
with a little data is never taken for an empty one."""


def empty_bands(has_data, count, height, width, side):
    """Positions (0-based) of the bands with no data in a height x width area, reading at most
    side x side pixels of the bands at a time.

    has_data(positions, (row_off, col_off, rows, cols), out_shape) -> bool array (len(positions),
    h, w), True where a band holds a value in that window of the area: decimated to out_shape
    (h, w), or every pixel when out_shape is None."""
    sample = has_data(list(range(count)), (0, 0, height, width), (min(side, height), min(side, width)))
    suspects = [i for i in range(count) if not sample[i].any()]
    for row in range(0, height, side):
        for col in range(0, width, side):
            if not suspects:
                return []
            window = (row, col, min(side, height - row), min(side, width - col))
            found = has_data(suspects, window, None)
            suspects = [band for band, values in zip(suspects, found) if not values.any()]
    return suspects


def band_list(numbers, names=None):
    """'band 4 (B4)', 'bands 4 (B4), 7 (B7)': raster band numbers with their names where known."""
    names = names or [None] * len(numbers)
    items = ["%d%s" % (n, " (%s)" % name if name else "") for n, name in zip(numbers, names)]
    return ("band " if len(items) == 1 else "bands ") + ", ".join(items)
