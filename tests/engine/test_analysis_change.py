"""Change job: the planted changed region stands out, also across shifted/resampled grids."""

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D, PAD = 50, 60, 64, 5
CHANGED = (20, 25, 32, 40)  # rows 20..31, cols 25..39 of "before"'s grid
RES = 10.0
X0, Y0 = 500000.0, 4200000.0


@pytest.fixture(scope="module")
def world():
    """Embeddings on a padded grid (world), a changed version, and the unchanged/changed masks."""
    labels = synthetic.voronoi_labels(4, H + 2 * PAD, W + 2 * PAD, seed=5)
    data, centres = synthetic.embed_labels(labels, bands=D, noise=0.3, seed=5)
    changed = np.zeros(labels.shape, dtype=bool)
    r0, c0, r1, c1 = CHANGED
    changed[r0 + PAD : r1 + PAD, c0 + PAD : c1 + PAD] = True
    rng = np.random.default_rng(55)
    later = data + 0.05 * rng.normal(size=data.shape).astype(np.float32)  # tiny drift everywhere
    new = rng.normal(size=D).astype(np.float32)  # a new land cover, unlike every old one
    later[:, changed] = new[:, None] + 0.3 * rng.normal(size=(D, changed.sum())).astype(np.float32)
    return data, later, changed


def _before(world, tmp):
    data, _, changed = world
    tf = synthetic.grid_transform((X0, Y0), RES)
    b = data[:, PAD : PAD + H, PAD : PAD + W].copy()
    b, invalid = synthetic.punch_nodata(b, seed=5)
    return synthetic.write_raster(tmp / "before.tif", b, transform=tf), invalid, changed[PAD : PAD + H, PAD : PAD + W]


def _change(before, after, out, **kw):
    spec = {"type": "change", "before": str(before), "after": str(after), "output": str(out)}
    spec.update(kw)
    return run_job(spec, JobContext())


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1), ds


def test_change_same_grid(world, tmp_path):
    _, later, _ = world
    before, invalid, changed = _before(world, tmp_path)
    tf = synthetic.grid_transform((X0, Y0), RES)
    a = later[:, PAD : PAD + H, PAD : PAD + W].copy()
    a[:, 45:, :] = synthetic.NODATA  # after has its own nodata too
    after = synthetic.write_raster(tmp_path / "after.tif", a, transform=tf)
    out = tmp_path / "change.tif"
    r = _change(before, after, out, threshold=0.5)
    assert r["resampled"] is False
    dist, ds = _read(out)
    valid = ~invalid
    valid[45:, :] = False
    assert np.isnan(dist[~valid]).all() and np.isfinite(dist[valid]).all()
    assert r["valid_cells"] == valid.sum()
    assert dist[valid & changed].min() > 0.5
    assert dist[valid & ~changed].max() < 0.05
    assert r["changed_cells"] == (valid & changed).sum()
    expected_mean = dist[valid].astype(np.float64).mean()
    assert r["mean_distance"] == pytest.approx(expected_mean, rel=1e-4)
    assert r["percentiles"]["50"] < 0.05 and r["percentiles"]["99"] > 0.5
    assert 0 <= r["min_distance"] <= r["max_distance"] <= 2


def test_change_shifted_grid(world, tmp_path):
    _, later, _ = world
    before, invalid, changed = _before(world, tmp_path)
    # after: same resolution, origin shifted by 3 cells east and 4 cells north
    tf_after = synthetic.grid_transform((X0 + 3 * RES, Y0 + 4 * RES), RES)
    a = later[:, PAD - 4 : PAD - 4 + H, PAD + 3 : PAD + 3 + W]
    after = synthetic.write_raster(tmp_path / "after.tif", a, transform=tf_after)
    r = _change(before, after, tmp_path / "c.tif")
    assert r["resampled"] is True
    dist, ds = _read(tmp_path / "c.tif")
    assert (ds.width, ds.height) == (W, H)
    # after's cell (r, c) is before's cell (r - 4, c + 3): before's first 3 columns and last 4
    # rows lie outside after
    covered = np.zeros((H, W), dtype=bool)
    covered[: H - 4, 3:] = True
    valid = ~invalid & covered
    assert np.isnan(dist[~valid]).all()
    assert np.isfinite(dist[valid]).all()
    assert dist[valid & changed].min() > 0.5
    assert dist[valid & ~changed].max() < 0.05


def test_change_resampled_finer_grid(world, tmp_path):
    _, later, _ = world
    before, invalid, changed = _before(world, tmp_path)
    a = later[:, PAD : PAD + H, PAD : PAD + W]
    fine = np.repeat(np.repeat(a, 2, axis=1), 2, axis=2)  # 5 m cells, 2x2 per 10 m cell
    after = synthetic.write_raster(
        tmp_path / "after.tif", fine, transform=synthetic.grid_transform((X0, Y0), RES / 2), dtype="float32"
    )
    r = _change(before, after, tmp_path / "c.tif", block_size=8)
    assert r["resampled"] is True
    dist, _ = _read(tmp_path / "c.tif")
    valid = ~invalid
    assert np.isfinite(dist[valid]).all()
    assert dist[valid & changed].min() > 0.5
    assert dist[valid & ~changed].max() < 0.05


def test_change_integer_after_with_nodata(world, tmp_path):
    """An int16 (quantised) 'after' on another grid: its nodata and its footprint both mask."""
    _, later, _ = world
    before, invalid, changed = _before(world, tmp_path)
    a = np.round(later[:, PAD - 4 : PAD - 4 + H, PAD + 3 : PAD + 3 + W] * 1000).astype(np.int16)
    a[:, 10, 10] = -32768
    after = synthetic.write_raster(
        tmp_path / "after.tif",
        a,
        nodata=-32768,
        dtype="int16",
        transform=synthetic.grid_transform((X0 + 3 * RES, Y0 + 4 * RES), RES),
    )
    _change(before, after, tmp_path / "c.tif")
    dist, _ = _read(tmp_path / "c.tif")
    assert np.isnan(dist[:, :3]).all() and np.isnan(dist[H - 4 :, :]).all()
    assert np.isnan(dist[10 - 4, 10 + 3])  # after's nodata cell, seen on before's grid
    valid = ~invalid
    valid[:, :3] = False
    valid[H - 4 :, :] = False
    valid[6, 13] = False
    assert np.isfinite(dist[valid]).all()
    assert dist[valid & ~changed].max() < 0.05 and dist[valid & changed].min() > 0.5


def test_change_blockwise_equals_one_block(world, tmp_path):
    _, later, _ = world
    before, _, _ = _before(world, tmp_path)
    after = synthetic.write_raster(
        tmp_path / "after.tif",
        later[:, PAD : PAD + H, PAD : PAD + W],
        transform=synthetic.grid_transform((X0, Y0), RES),
    )
    r1 = _change(before, after, tmp_path / "one.tif", block_size=4096)
    r2 = _change(before, after, tmp_path / "many.tif", block_size=5)
    assert r1["mean_distance"] == pytest.approx(r2["mean_distance"], rel=1e-9)
    np.testing.assert_array_equal(_read(tmp_path / "one.tif")[0], _read(tmp_path / "many.tif")[0])


def test_change_bad_inputs(world, tmp_path):
    _, later, _ = world
    before, _, _ = _before(world, tmp_path)
    fewer = synthetic.write_raster(
        tmp_path / "fewer.tif",
        later[:32, PAD : PAD + H, PAD : PAD + W],
        transform=synthetic.grid_transform((X0, Y0), RES),
    )
    with pytest.raises(UserError, match="different numbers of bands"):
        _change(before, fewer, tmp_path / "o.tif")
    far = synthetic.write_raster(
        tmp_path / "far.tif", later[:, :H, :W], transform=synthetic.grid_transform((X0 + 1e5, Y0), RES)
    )
    with pytest.raises(UserError, match="do not overlap"):
        _change(before, far, tmp_path / "o.tif")
    all_nodata = np.full((D, H, W), synthetic.NODATA, dtype=np.float32)
    empty = synthetic.write_raster(
        tmp_path / "empty.tif", all_nodata, transform=synthetic.grid_transform((X0, Y0), RES)
    )
    with pytest.raises(UserError, match="empty.tif' has no valid cells"):  # told when it is opened
        _change(before, empty, tmp_path / "o.tif")
    with pytest.raises(UserError, match="does not exist"):
        _change(before, tmp_path / "missing.tif", tmp_path / "o.tif")
    assert not (tmp_path / "o.tif").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_finer_after_is_averaged_onto_before(tmp_path):
    """Planted: 'before' on 20 m cells, 'after' on 10 m cells whose 2 x 2 blocks average to 'before' and whose
    every cell is off its block's mean: averaged onto the grid of 'before', nothing changed (nearest neighbour
    would pick one cell of each block and see a change everywhere)."""
    first = np.random.default_rng(5).normal(size=(16, 6, 8)).astype(np.float32)
    fine = synthetic.fine_blocks(first, spread=1.0, seed=1)
    before = synthetic.write_raster(
        tmp_path / "before.tif", first, nodata=np.nan, transform=synthetic.grid_transform(res=20.0)
    )
    after = synthetic.write_raster(tmp_path / "after.tif", fine, nodata=np.nan, transform=synthetic.grid_transform())
    logs = []
    job = {"type": "change", "before": before, "after": after, "output": str(tmp_path / "c.tif")}
    result = run_job(job, JobContext(on_log=lambda m, level: logs.append(m)))
    assert result["resampled"] is True
    assert any("(average: its cells (10 x 10) are smaller than the grid's (20 x 20)" in m for m in logs)
    dist, _ = _read(tmp_path / "c.tif")
    assert np.isfinite(dist).all() and dist.max() < 1e-5
    repeated = np.repeat(np.repeat(first, 2, axis=1), 2, axis=2)
    assert synthetic.cosine_distance(repeated, fine).min() > 0.01  # any one fine cell differs from its block
