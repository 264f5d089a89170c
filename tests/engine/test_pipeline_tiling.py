"""Tile plan geometry: chip positions, the shifted last chip, padding, cell ownership."""

import numpy as np
import pytest

from terraembed.engine.pipeline.tiling import (
    CELLS,
    CHIP,
    OVERLAPS,
    PATCH,
    grid_cells,
    plan_axis,
    plan_tiles,
    resize_cell_bounds,
)


def test_grid_cells_rounds_up():
    assert grid_cells(1) == 1
    assert grid_cells(16) == 1
    assert grid_cells(17) == 2
    assert grid_cells(224) == 14
    assert grid_cells(300) == 19


def test_small_axis_is_one_padded_chip():
    (chip,) = plan_axis(5)
    assert (chip.start, chip.cells, chip.own_start, chip.own_end) == (0, 5, 0, 5)
    (chip,) = plan_axis(14)
    assert (chip.start, chip.cells, chip.own_start, chip.own_end) == (0, 14, 0, 14)


def test_exact_multiple_has_no_shifted_chip():
    chips = plan_axis(28)
    assert [(c.start, c.own_start, c.own_end) for c in chips] == [(0, 0, 14), (14, 14, 28)]


def test_shifted_last_chip_ends_at_edge_and_owns_only_the_rest():
    chips = plan_axis(20)  # 320 px: chips at 0 and 96 px
    assert [c.start * PATCH for c in chips] == [0, 96]
    last = chips[-1]
    assert last.start + last.cells == 20  # ends exactly at the grid edge
    assert (last.own_start, last.own_end) == (14, 20)  # the overlap (cells 6..13) stays with chip 0
    assert last.own_offset == 8 and last.own_count == 6
    chips = plan_axis(29)
    assert [c.start for c in chips] == [0, 14, 15]
    assert [(c.own_start, c.own_end) for c in chips] == [(0, 14), (14, 28), (28, 29)]


@pytest.mark.parametrize("n", list(range(1, 80)))
def test_every_cell_owned_exactly_once(n):
    chips = plan_axis(n)
    owned = np.zeros(n, int)
    for c in chips:
        assert 0 <= c.start and c.start + c.cells <= n  # never past the grid edge
        assert c.cells == min(n, CELLS)
        assert c.start <= c.own_start < c.own_end <= c.start + c.cells
        owned[c.own_start : c.own_end] += 1
    assert (owned == 1).all()
    # stride 224 px for all but the last chip
    starts = [c.start for c in chips]
    assert all(b - a == CELLS for a, b in zip(starts[:-2], starts[1:-1]))


def test_plan_2d_ownership_and_windows():
    plan = plan_tiles(300, 500)  # 19 x 32 cells
    assert (plan.grid_rows, plan.grid_cols) == (19, 32)
    assert len(plan) == 2 * 3
    owned = np.zeros((19, 32), int)
    for chip in plan.chips:
        r0, c0, h, w = chip.pixel_window
        assert h == w == CHIP
        assert r0 % PATCH == 0 and c0 % PATCH == 0  # aligned to the cell grid
        rr, cc, nr, nc = chip.owned_cells
        owned[rr : rr + nr, cc : cc + nc] += 1
        rs, cs = chip.owned_slice
        assert rs.stop - rs.start == nr and cs.stop - cs.start == nc
    assert (owned == 1).all()
    assert [c.pixel_window[:2] for c in plan.chips] == [(0, 0), (0, 224), (0, 288), (80, 0), (80, 224), (80, 288)]


def test_small_input_is_one_chip_with_partial_window():
    plan = plan_tiles(40, 100)
    (chip,) = plan.chips
    assert chip.pixel_window == (0, 0, 48, 112)  # whole cells; padded to 224 when read
    assert chip.owned_cells == (0, 0, 3, 7)


def test_resize_cell_bounds_cover_every_pixel():
    for length in (1, 5, 14, 15, 100, 224, 1000):
        bounds = resize_cell_bounds(length)
        assert len(bounds) == CELLS
        covered = np.zeros(length, bool)
        for lo, hi in bounds:
            assert 0 <= lo < hi <= length
            covered[lo:hi] = True
        assert covered.all()


def nearest_centre_owner(cell, starts, chip_cells=CELLS):
    """Independent statement of centre ownership: among the chips covering the cell, the one whose
    centre is nearest to the cell's centre (the earlier chip on a tie)."""
    covering = [s for s in starts if s <= cell < s + chip_cells]
    return min(covering, key=lambda s: (abs((cell + 0.5) - (s + chip_cells / 2.0)), s))


@pytest.mark.parametrize("overlap", ["25%", "50%"])
@pytest.mark.parametrize("n", list(range(1, 90)))
def test_overlap_centre_ownership_exactly(n, overlap):
    stride = OVERLAPS[overlap]
    chips = plan_axis(n, stride=stride)
    all_starts = list(range(0, max(n - CELLS, 0) + 1, stride))
    if n > CELLS and all_starts[-1] + CELLS < n:
        all_starts.append(n - CELLS)  # the last chip still ends at the grid edge
    owned = np.zeros(n, int)
    for c in chips:
        assert 0 <= c.start and c.start + c.cells <= n and c.cells == min(n, CELLS)
        assert c.own_count > 0  # a chip that owns nothing is not planned
        owned[c.own_start : c.own_end] += 1
        for cell in range(c.own_start, c.own_end):
            assert c.start == nearest_centre_owner(cell, all_starts if n > CELLS else [0]), (n, cell)
    assert (owned == 1).all()


def test_overlap_examples_and_chip_counts():
    chips = plan_axis(28, stride=7)  # chips at 0, 7, 14 cells
    assert [(c.start, c.own_start, c.own_end) for c in chips] == [(0, 0, 11), (7, 11, 18), (14, 18, 28)]
    # interior chips own the middle of their span: at least 3 cells of context on either side
    assert chips[1].own_offset >= 3 and CELLS - chips[1].own_offset - chips[1].own_count >= 3
    n = 140  # 2240 px: 10 abutting chips per axis
    assert [len(plan_axis(n, stride=OVERLAPS[o])) for o in ("none", "25%", "50%")] == [10, 14, 19]
    assert len(plan_tiles(2240, 2240, "50%")) == 19 * 19
    with pytest.raises(ValueError):
        plan_tiles(300, 300, "10%")


def test_no_overlap_plan_is_unchanged():
    for n in range(1, 80):
        assert plan_axis(n) == plan_axis(n, stride=OVERLAPS["none"])
