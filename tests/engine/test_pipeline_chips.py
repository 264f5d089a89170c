"""Chips read a batch's run at a time (one window per run of chips on a row of the plan) are the chips
read one by one: the same pixels, validity, weights and padding, at the raster's edges, over nodata and
with overlapping chips; and GDAL's threads decode them alike."""

import numpy as np
import pytest
import rasterio
from pipeline_fakes import random_s2
from rasterio.transform import from_origin

from terraembed.engine.pipeline.chips import read_tile, read_tiles, row_runs, tile_producer
from terraembed.engine.pipeline.source import RasterSource
from terraembed.engine.pipeline.tiling import plan_tiles


def _raster(tmp_path, height=600, width=700):
    """Tiled and DEFLATE-compressed (GDAL's threads decode such blocks), with nodata in whole chips and
    across chips, and the plan reaching past its last row and column."""
    data = random_s2(height, width)
    data[:, :240, :240] = 0  # the first chip without data
    data[:, 300:420, 150:500] = 0  # a hole across chips
    data[3, 500:, 600:] = 0  # one band's nodata only
    path = str(tmp_path / "in.tif")
    profile = dict(driver="GTiff", width=width, height=height, count=12, dtype="uint16", nodata=0, crs="EPSG:32633")
    profile.update(transform=from_origin(400000.0, 5300000.0, 10.0, 10.0), tiled=True, blockxsize=128, blockysize=128)
    with rasterio.open(path, "w", compress="deflate", **profile) as dst:
        dst.write(data)
    return path


def _same(a, b):
    assert a.chip == b.chip and a.weight == b.weight and a.slot == b.slot
    assert np.array_equal(a.cell_valid, b.cell_valid)
    assert (a.raw is None) == (b.raw is None)
    if a.raw is not None:
        assert a.raw.shape == (12, 224, 224) and np.array_equal(a.raw, b.raw)


@pytest.mark.parametrize("overlap", ["none", "50%"])
@pytest.mark.parametrize("threads", [1, 2])
def test_a_run_of_chips_reads_as_its_chips_one_by_one(tmp_path, overlap, threads):
    path = _raster(tmp_path)
    source = RasterSource(str(path), 12)
    # the plan reaches past the raster's last column and row: those chips are padded by edge replication
    plan = plan_tiles(source.window.height, source.window.width, overlap=overlap)
    with source.open() as one, source.open(threads=threads) as many:
        alone = [read_tile(one, chip, plan.height, plan.width) for chip in plan.chips]
        together = read_tiles(many, plan.chips, plan.height, plan.width)
    assert len(together) == len(alone) == len(plan.chips)
    for a, b in zip(alone, together):
        _same(a, b)
    assert any(a.raw is None for a in alone) and any(a.raw is not None for a in alone)


def test_runs_stay_on_one_row_of_chips(tmp_path):
    plan = plan_tiles(600, 700)
    runs = list(row_runs(plan.chips))
    assert [c for run in runs for c in run] == list(plan.chips)
    assert all(len({c.pixel_window[0] for c in run}) == 1 for run in runs)
    assert len(runs) == len({c.pixel_window[0] for c in plan.chips})


def test_batches_are_the_same_whatever_the_runs(tmp_path):
    path = _raster(tmp_path)
    source = RasterSource(str(path), 12)
    plan = plan_tiles(source.window.height, source.window.width)
    batches = []
    tile_producer(source, plan, 3, threads=2)(batches.append)
    with source.open() as reader:
        items = [read_tile(reader, chip, plan.height, plan.width) for chip in plan.chips]
    # in plan order, each batch holds 3 model chips (the last one fewer), the chips without data beside them
    assert [it.chip for b in batches for it in b.items] == list(plan.chips)
    assert all(b.raw is not None and len(b.raw) == 3 for b in batches[:-1])
    modelled = [it for it in items if it.raw is not None]
    stacked = np.concatenate([b.raw for b in batches if b.raw is not None])
    assert np.array_equal(stacked, np.stack([it.raw for it in modelled]))


def test_a_chip_left_out_ends_a_run():
    chips = plan_tiles(600, 700).chips  # 3 rows of 4 chips
    runs = list(row_runs([chips[0], chips[1], chips[3], chips[4]]))
    assert runs == [[chips[0], chips[1]], [chips[3]], [chips[4]]]  # chips[2] is not read; chips[4] is on the next row
