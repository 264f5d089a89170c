"""engine/coverage.py: which bands of an area hold no data. A few windows spread over the area answer for
the bands that have data (a handful of blocks read, whatever the raster's size), and only a band that
shows nothing there is read block by block, so a band with data in one far corner is never called empty."""

import numpy as np

from terraembed.engine.coverage import empty_bands, spread_windows


def planted(count, height, width, where):
    """A has_data over an area where band b holds values only at the cells where[b] (a bool array), with
    the windows it was asked for."""
    asked = []

    def has_data(positions, window, out_shape):
        assert out_shape is None
        row, col, rows, cols = window
        asked.append((tuple(positions), window))
        return np.stack([where[b][row : row + rows, col : col + cols] for b in positions])

    return has_data, asked


def test_bands_with_data_everywhere_are_cleared_by_the_first_window():
    h, w, side = 10980, 10980, 256
    everywhere = np.ones((h, w), dtype=bool)
    has_data, asked = planted(12, h, w, [everywhere] * 12)
    assert empty_bands(has_data, 12, h, w, side) == []
    assert len(asked) == 1 and asked[0][1] == (0, 0, side, side)


def test_an_empty_band_and_a_band_with_data_in_one_far_corner():
    h, w, side = 1000, 900, 64
    full = np.ones((h, w), dtype=bool)
    empty = np.zeros((h, w), dtype=bool)
    corner = np.zeros((h, w), dtype=bool)
    corner[700:703, 300:302] = True  # far from every sampled window
    for window in spread_windows(h, w, side):
        r, c, rows, cols = window
        assert not corner[r : r + rows, c : c + cols].any()
    has_data, asked = planted(3, h, w, [full, empty, corner])
    assert empty_bands(has_data, 3, h, w, side) == [1]
    scanned = [positions for positions, _ in asked[len(spread_windows(h, w, side)) :]]
    assert all(0 not in positions for positions in scanned)  # the full band is never read again


def test_the_spread_windows_cover_corners_and_stay_inside_small_areas():
    assert spread_windows(100, 50, 256) == [(0, 0, 100, 50)]
    windows = spread_windows(1000, 1000, 100)
    assert (0, 0, 100, 100) in windows and (900, 900, 100, 100) in windows and len(windows) == 16
