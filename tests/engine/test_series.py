"""The series format (engine/pipeline/series.py): a VRT over period rasters on one grid, read back and checked."""

import json
import os
import shutil

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import outputs
from terraembed.engine.pipeline.series import SERIES_TAG, read_series, series_from_rasters, write_series
from terraembed.shared.errors import UserError
from terraembed.shared.periods import parse_periods

H, W, D = 12, 17, 5
MODEL = "terramind_v1_tiny"


def _period_raster(path, seed, dims=D, model=MODEL, transform=None, crs=synthetic.CRS):
    data = np.random.default_rng(seed).normal(size=(dims, H, W)).astype(np.float32)
    synthetic.write_raster(path, data, nodata=float("nan"), transform=transform, crs=crs)
    with rasterio.open(path, "r+") as ds:
        ds.update_tags(TERRAEMBED_MODEL=model, TERRAEMBED_DIM=str(dims))
    return str(path), data


def _series(tmp_path, labels="2019..2021"):
    periods = parse_periods(labels)
    files, arrays = [], []
    for k, p in enumerate(periods):
        path, data = _period_raster(tmp_path / ("s_%s.tif" % p.label), seed=k)
        files.append(path)
        arrays.append(data)
    listed = [p.__class__(p.label, p.start, p.end, f) for p, f in zip(periods, files)]
    vrt = str(tmp_path / "s.vrt")
    with rasterio.open(files[0]) as grid:
        write_series(vrt, listed, model=MODEL, dimensions=D, grid=grid)
    return vrt, files, arrays


def test_a_series_opens_as_one_raster_with_every_period_band_in_order(tmp_path):
    vrt, files, arrays = _series(tmp_path)
    with rasterio.open(vrt) as ds:
        assert ds.count == 3 * D and (ds.width, ds.height) == (W, H)
        info = json.loads(ds.tags()[SERIES_TAG])
        assert [p["file"] for p in info["periods"]] == ["s_2019.tif", "s_2020.tif", "s_2021.tif"]  # relative
        assert (info["model"], info["dimensions"], info["version"]) == (MODEL, D, 1)
        series = read_series(vrt)
        for p, data in enumerate(arrays):
            for k in range(D):
                np.testing.assert_array_equal(ds.read(series.band(p, k)), data[k])
        assert ds.descriptions[D] == "2020 emb_000"
    assert [p.label for p in series.periods] == ["2019", "2020", "2021"]
    assert series.files == [os.path.abspath(f) for f in files]
    assert series.periods[1].start == "2020-01-01" and series.periods[1].end == "2021-01-01"


def test_every_period_of_a_series_is_on_one_grid(tmp_path):
    vrt, files, _ = _series(tmp_path)
    series = read_series(vrt)
    for path in series.files:
        with rasterio.open(path) as src:
            assert src.crs == series.crs and src.transform == series.transform
            assert (src.width, src.height) == (series.width, series.height)


def test_a_series_moves_with_its_files(tmp_path):
    (tmp_path / "a").mkdir()
    _, _, arrays = _series(tmp_path / "a")
    shutil.move(str(tmp_path / "a"), str(tmp_path / "b"))
    series = read_series(str(tmp_path / "b" / "s.vrt"))
    with rasterio.open(series.path) as ds:
        np.testing.assert_array_equal(ds.read(series.band(2, 4)), arrays[2][4])


def test_a_moved_period_file_is_named(tmp_path):
    vrt, files, _ = _series(tmp_path)
    os.rename(files[1], str(tmp_path / "elsewhere.tif"))
    with pytest.raises(UserError) as err:
        read_series(vrt)
    assert "period 2020" in str(err.value) and files[1] in str(err.value) and "moved" in str(err.value)


def test_a_period_of_another_model_or_grid_is_named(tmp_path):
    vrt, files, _ = _series(tmp_path)
    _period_raster(files[2], seed=9, model="terrafm_b")
    with pytest.raises(UserError, match="period 2021 .* of terrafm_b"):
        read_series(vrt)
    _period_raster(files[2], seed=9, transform=synthetic.grid_transform(res=20.0))
    with pytest.raises(UserError, match="not on one grid: period 2021"):
        read_series(vrt)


def test_a_file_that_is_not_a_series_is_refused(tmp_path):
    path, _ = _period_raster(tmp_path / "x.tif", seed=0)
    with pytest.raises(UserError, match="is not a TerraEmbed series"):
        read_series(path)
    (tmp_path / "bad.vrt").write_text("<VRTDataset")
    with pytest.raises(UserError, match="cannot be read"):
        read_series(str(tmp_path / "bad.vrt"))
    with pytest.raises(UserError, match="does not exist"):
        read_series(str(tmp_path / "none.vrt"))


def test_rasters_off_the_first_grid_are_resampled_onto_it_and_said(tmp_path):
    first, data0 = _period_raster(tmp_path / "y2019.tif", seed=0)
    shifted = synthetic.grid_transform(origin=(500000.0 - 30.0, 4200000.0 + 20.0))  # 3 columns left, 2 rows up
    second, data1 = _period_raster(tmp_path / "y2020.tif", seed=1, transform=shifted)
    logs = []
    ctx = JobContext(on_log=lambda m, level: logs.append(m))
    dest = str(tmp_path / "out" / "series.vrt")
    with outputs.transaction({}, [first, second]) as tx:
        series = series_from_rasters([first, second], parse_periods("2019,2020"), dest, tx, ctx)
        tx.commit()
    resampled = str(tmp_path / "out" / "series_2020.tif")
    said = [m for m in logs if "y2020.tif is not on the grid of" in m and resampled in m]
    assert len(said) == 1 and "(nearest neighbour: its cells (10 x 10) are not smaller" in said[0]
    assert read_series(dest).files == [first, resampled]
    assert [p.get("resampling") for p in _listed(dest)] == [None, "nearest"]
    with rasterio.open(resampled) as src:
        assert src.transform == series.transform
        assert src.tags()["TERRAEMBED_RESAMPLED"] == "nearest from the 10 x 10 cells of y2020.tif onto 10 x 10 cells"
        moved = src.read()
    np.testing.assert_array_equal(moved[:, : H - 2, : W - 3], data1[:, 2:, 3:])  # the same places on the ground
    assert np.isnan(moved[:, H - 2 :, :]).all() and np.isnan(moved[:, :, W - 3 :]).all()


def _listed(vrt):
    """The periods' entries of the series file's TERRAEMBED_SERIES."""
    with rasterio.open(vrt) as ds:
        return json.loads(ds.tags()[SERIES_TAG])["periods"]


def _build(tmp_path, first, second):
    """The series of `first` and `second` (2019, 2020) in tmp_path/out: (the resampled 2020 raster, the log)."""
    logs = []
    ctx = JobContext(on_log=lambda m, level: logs.append(m))
    dest = str(tmp_path / "out" / "series.vrt")
    with outputs.transaction({}, [first, second]) as tx:
        series_from_rasters([first, second], parse_periods("2019,2020"), dest, tx, ctx)
        tx.commit()
    return dest, str(tmp_path / "out" / "series_2020.tif"), logs


@pytest.mark.parametrize("nodata", [float("nan"), None])
def test_finer_cells_are_averaged_onto_a_coarser_first_grid(tmp_path, nodata):
    """Planted: a 10 m raster whose 2 x 2 blocks have known means (no cell equal to its block's mean, so
    nearest neighbour would give other values), after a 20 m first period: each 20 m cell is its block's
    mean; a NaN cell is left out of its block's mean (also when the raster declares no nodata), a block of
    NaN cells stays NaN."""
    coarse = synthetic.grid_transform(res=20.0)
    first, means = _period_raster(tmp_path / "y2019.tif", seed=0, transform=coarse)  # H x W cells of 20 m
    fine = synthetic.fine_blocks(means, seed=1)  # 2H x 2W cells of 10 m on the same ground
    m = means[:, 0, 0]
    fine[:, 0:2, 0:2] = np.stack([m + 1.5, m * np.nan, m - 0.5, m - 1.0], axis=1).reshape(D, 2, 2)  # mean m
    fine[:, 4:6, 6:8] = np.nan  # block (2, 3): no data
    second = str(tmp_path / "y2020.tif")
    synthetic.write_raster(second, fine, nodata=nodata)
    with rasterio.open(second, "r+") as ds:
        ds.update_tags(TERRAEMBED_MODEL=MODEL, TERRAEMBED_DIM=str(D))
    dest, resampled, logs = _build(tmp_path, first, second)
    said = [m for m in logs if resampled in m]
    assert len(said) == 1 and "(average: its cells (10 x 10) are smaller than the grid's (20 x 20)" in said[0]
    assert [p.get("resampling") for p in _listed(dest)] == [None, "average"]
    with rasterio.open(resampled) as src:
        assert src.tags()["TERRAEMBED_RESAMPLED"] == "average from the 10 x 10 cells of y2020.tif onto 20 x 20 cells"
        got = src.read()
    assert np.isnan(got[:, 2, 3]).all()
    got[:, 2, 3] = means[:, 2, 3]
    np.testing.assert_allclose(got, means, atol=1e-5)
    blocks = fine.reshape(D, H, 2, W, 2)  # no cell is its block's mean: nearest neighbour would not pass
    assert np.nanmin(np.abs(blocks - means[:, :, None, :, None])) > 0.1


def test_coarser_cells_go_onto_a_finer_first_grid_by_nearest_neighbour(tmp_path):
    """A 20 m raster after a 10 m first period: each 10 m cell takes the value of the 20 m cell it lies in."""
    first, _ = _period_raster(tmp_path / "y2019.tif", seed=0)  # 10 m
    data = np.random.default_rng(1).normal(size=(D, H // 2, (W + 1) // 2)).astype(np.float32)
    second = str(tmp_path / "y2020.tif")
    synthetic.write_raster(second, data, nodata=float("nan"), transform=synthetic.grid_transform(res=20.0))
    dest, resampled, logs = _build(tmp_path, first, second)
    assert any(resampled in m and "(nearest neighbour: its cells (20 x 20) are not smaller" in m for m in logs)
    assert [p.get("resampling") for p in _listed(dest)] == [None, "nearest"]
    with rasterio.open(resampled) as src:
        got = src.read()
    np.testing.assert_array_equal(got, np.repeat(np.repeat(data, 2, axis=1), 2, axis=2)[:, :H, :W])


def test_rasters_of_another_model_or_one_raster_are_refused(tmp_path):
    first, _ = _period_raster(tmp_path / "a.tif", seed=0)
    odd, _ = _period_raster(tmp_path / "b.tif", seed=1, dims=D + 1)
    dest = str(tmp_path / "s.vrt")
    with outputs.transaction({}) as tx, pytest.raises(UserError) as err:
        series_from_rasters([first, odd], parse_periods("2019,2020"), dest, tx, JobContext())
    assert str(err.value).startswith(odd) and "Leave %s out" % odd in str(err.value)
    with outputs.transaction({}) as tx, pytest.raises(UserError, match="use Change between dates"):
        series_from_rasters([first], parse_periods("2019"), dest, tx, JobContext())
    assert not os.path.exists(dest) and sorted(os.listdir(tmp_path)) == ["a.tif", "b.tif"]


def _dated(path, seed, start, end, **kw):
    path, data = _period_raster(path, seed, **kw)
    with rasterio.open(path, "r+") as ds:
        ds.update_tags(**outputs.provenance_tags({"start": start, "end": end, "collection_id": "X"}))
    return path


def test_build_series_job_takes_the_rasters_own_dates(tmp_path):
    rasters = [_dated(tmp_path / ("e%d.tif" % y), y, "%d-01-01" % y, "%d-01-01" % (y + 1)) for y in (2019, 2020)]
    rasters.append(_dated(tmp_path / "e3.tif", 3, "2021-03-01", "2021-04-01"))
    result = run_job({"type": "build_series", "rasters": rasters, "series": str(tmp_path / "s.vrt")}, JobContext())
    assert [p["label"] for p in result["periods"]] == ["2019", "2020", "2021-03"] and result["resampled"] == []
    assert read_series(result["series"]).files == rasters


def test_build_series_job_refuses_rasters_without_dates_or_one_raster(tmp_path):
    a, _ = _period_raster(tmp_path / "a.tif", seed=0)
    b, _ = _period_raster(tmp_path / "b.tif", seed=1)
    job = {"type": "build_series", "rasters": [a, b], "series": str(tmp_path / "s.vrt")}
    with pytest.raises(UserError, match="a.tif does not say which dates it shows .* e.g. 2019,2020,2021"):
        run_job(job, JobContext())
    with pytest.raises(UserError, match="at least two rasters .* use Change between dates"):
        run_job(dict(job, rasters=[a], periods="2019"), JobContext())
    assert run_job(dict(job, periods="2019,2020"), JobContext())["dimensions"] == D
