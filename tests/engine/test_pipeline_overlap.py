"""Overlapping tiles through the embed job: every output cell is the edge-distance-weighted mean of the
chips covering it (abutting tiles: the first chip covering it), holds its own pixels, and the pooled
vector stays the owned-area-weighted mean."""

import numpy as np
import pytest
import rasterio
from pipeline_fakes import FakeModel, random_s2, record_pooled, use_fake_model, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline.tiling import CELLS, OVERLAPS
from terraembed.shared.errors import UserError


class PositionModel(FakeModel):
    """The fake model plus two bands that say where in its chip each output cell lay (row, column
    of the 14 x 14 output), so the stitched grid shows which chip every cell came from."""

    def __init__(self):
        super().__init__()
        self.spec.dim += 2

    def embed(self, raw):
        pooled, grid = super().embed(raw)
        b = grid.shape[0]
        rows, cols = np.mgrid[0:CELLS, 0:CELLS].astype(np.float32)
        where = np.broadcast_to(np.stack([rows, cols])[None], (b, 2, CELLS, CELLS))
        grid = np.ascontiguousarray(np.concatenate([grid, where], axis=1))
        return grid.mean(axis=(2, 3)), grid


@pytest.fixture
def model(monkeypatch):
    return use_fake_model(monkeypatch, PositionModel())


def chip_starts(n, stride):
    starts = list(range(0, max(n - CELLS, 0) + 1, stride))
    if n > CELLS and starts[-1] + CELLS < n:
        starts.append(n - CELLS)
    return starts


def covering(cell, n, stride):
    """(offset of the cell in the chip, the chip's blending weight there) for every chip covering the
    cell along one axis; weight = distance from the cell's centre to the chip's nearer edge."""
    out = []
    for s in chip_starts(n, stride):
        if s <= cell < s + CELLS:
            i = cell - s
            out.append((i, min(i + 0.5, CELLS - i - 0.5)))
    return out


def blended_offsets(r, c, rows, cols, stride):
    """The expected (row, column) position bands: weighted means over all covering chips in 2-D."""
    total = wr = wc = 0.0
    for i, w_i in covering(r, rows, stride):
        for j, w_j in covering(c, cols, stride):
            w = w_i * w_j
            total, wr, wc = total + w, wr + w * i, wc + w * j
    return wr / total, wc / total


def first_cover_offset(cell, n):
    return cell - min(s for s in chip_starts(n, CELLS) if s <= cell < s + CELLS)


def cell_means(data, r, c):
    h, w = data.shape[1:]
    rows = np.minimum(np.arange(r * 16, r * 16 + 16), h - 1)
    cols = np.minimum(np.arange(c * 16, c * 16 + 16), w - 1)
    return data[:, rows][:, :, cols].reshape(data.shape[0], -1).mean(axis=1)


@pytest.mark.parametrize("overlap", ["none", "25%", "50%"])
def test_each_cell_from_the_chips_covering_it(tmp_path, model, overlap):
    data = random_s2(470, 610)  # 30 x 39 cells, partial edge cells
    path = write_raster(tmp_path / "in.tif", data)
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "prep": "tile",
        "overlap": overlap,
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }
    result = run_job(job, JobContext())
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
        assert (g.height, g.width) == (30, 39)
        assert g.transform.a == 160.0
        assert overlap in g.tags()["TERRAEMBED_PREPROCESSING"]
    rows, cols = grid.shape[1:]
    stride = OVERLAPS[overlap]
    assert result["overlap"] == overlap
    assert result["chips"] == len(chip_starts(rows, stride)) * len(chip_starts(cols, stride))
    pixels = data.astype(np.float32)
    for r in range(rows):
        for c in range(cols):
            if overlap == "none":  # the first covering chip: the reference's rule
                want = (first_cover_offset(r, rows), first_cover_offset(c, cols))
                assert (grid[-2, r, c], grid[-1, r, c]) == want, (overlap, r, c)
            else:
                want = blended_offsets(r, c, rows, cols, stride)
                np.testing.assert_allclose(grid[-2:, r, c], want, atol=1e-4, err_msg="%s %d,%d" % (overlap, r, c))
            np.testing.assert_allclose(grid[:12, r, c], cell_means(pixels, r, c), rtol=1e-5)


def test_pooled_is_owned_area_weighted_mean(tmp_path, model):
    data = random_s2(470, 610)
    data[:, :, :100] = 0
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    seen = record_pooled(model)
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "prep": "tile",
        "overlap": "50%",
        "outputs": {},
    }
    result = run_job(job, JobContext())
    from terraembed.engine.pipeline.tiling import plan_tiles

    valid = (data != 0).any(axis=0)
    pooled = iter(np.concatenate(seen))
    weights, vectors = [], []
    for chip in plan_tiles(470, 610, "50%").chips:
        r0, c0, nr, nc = chip.owned_cells
        w = int(valid[r0 * 16 : (r0 + nr) * 16, c0 * 16 : (c0 + nc) * 16].sum())
        if w:
            weights.append(w)
            vectors.append(next(pooled))
    assert sum(weights) == int(valid.sum())  # owned blocks partition the valid pixels
    expected = (np.array(weights)[:, None] * np.array(vectors, np.float64)).sum(0) / sum(weights)
    np.testing.assert_allclose(result["pooled"], expected, rtol=1e-6)


def test_unknown_overlap_and_resize_mode(tmp_path, model):
    path = write_raster(tmp_path / "in.tif", random_s2(100, 100))
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "prep": "tile",
        "overlap": "10%",
        "outputs": {},
    }
    with pytest.raises(UserError, match="The job's 'overlap' must be one of none, 25%, 50%, got '10%'"):
        run_job(job, JobContext())
    ctx = JobContext()
    result = run_job(dict(job, prep="resize", overlap="50%"), ctx)
    assert result["overlap"] == "none"
    assert any("applies to tile preparation only" in w for w in ctx.warnings)
