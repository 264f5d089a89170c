"""An AlphaEarth series (the "series" job running "alphaearth_fetch" once per year) through the REAL `ee` client
against the loopback Earth Engine (tests/engine/ee_server.py), whose AlphaEarth collection turns the vectors of
a planted region to their opposite from a known year: every year on one grid, the planted change recovered by
change_series and by the Explore timeline as a break at that year, reuse counted (no request at all), a year the
collection lacks stopping or skipped, cancel keeping the years committed, and GRID_LIKE yielding another
raster's grid exactly (fetched on it at 10 m, averaged onto it when coarser: numpy's nanmean is the oracle)."""

import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic
from ee_alphaearth import expected_alphaearth, planted_region
from ee_server import global_indices
from test_earthengine_fetch import Ctx, H, W, env, fake  # noqa: F401 (fixtures)

rasterio = pytest.importorskip("rasterio")

from terraembed.engine.jobs import run_job  # noqa: E402
from terraembed.engine.pipeline.series import read_series, write_series  # noqa: E402
from terraembed.shared.errors import Cancelled, UserError  # noqa: E402
from terraembed.shared.periods import parse_periods  # noqa: E402

TRANSFORM = (10.0, 0.0, 500000.0, 0.0, -10.0, 4000600.0)  # the AOI's grid: 80 x 60 cells of 10 m, UTM 33N
CHANGE_FROM = 2021


@pytest.fixture
def source(env, fake):
    fake.alphaearth_change_from = CHANGE_FROM
    src = dict(env)
    src.pop("collection")
    return src


def _series(source, out, periods="2019..2023", **kw):
    inner = {"type": "alphaearth_fetch", "source": dict(source)}
    return dict({"type": "series", "job": inner, "periods": periods, "series": str(out / "aef.vrt")}, **kw)


def _grid(path):
    with rasterio.open(path) as src:
        return src.crs, tuple(src.transform), src.width, src.height


def _change(series_path, tmp, name):
    spec = {"type": "change_series", "series": str(series_path), "output": str(tmp / ("%s_change.tif" % name)),
            "classes_output": str(tmp / ("%s_classes.tif" % name))}  # fmt: skip
    result = run_job(spec, Ctx())
    with rasterio.open(result["classes_output"]) as ds:
        classes = ds.read(1)
    with rasterio.open(result["output"]) as ds:
        return result, classes, ds.read(2), _grid(result["output"])


def test_a_series_of_years_on_one_grid_recovers_the_planted_change(source, fake, tmp_path):
    out = tmp_path / "series"
    ctx = Ctx()
    result = run_job(_series(source, out), ctx)
    years = [2019, 2020, 2021, 2022, 2023]
    assert (result["computed"], result["reused"], result["model"], result["dimensions"]) == (
        [str(y) for y in years], [], "alphaearth", 64)  # fmt: skip
    series = read_series(result["series"])
    assert [p.label for p in series.periods] == [str(y) for y in years]
    for year, path in zip(years, series.files):
        with rasterio.open(path) as src:
            assert tuple(src.transform)[:6] == TRANSFORM and (src.width, src.height, src.count) == (W, H, 64)
            assert src.tags()["TERRAEMBED_YEAR"] == str(year) and src.tags()["TERRAEMBED_SERIES_PERIOD"] == str(year)
            np.testing.assert_array_equal(src.read(), expected_alphaearth(TRANSFORM, W, H, year, CHANGE_FROM))
    assert len({_grid(path) for path in series.files}) == 1

    change, classes, breaks, _ = _change(result["series"], tmp_path, "aef")
    rows, cols = global_indices(TRANSFORM, W, H)
    planted = planted_region(rows, cols)
    valid = ~np.isnan(expected_alphaearth(TRANSFORM, W, H)[0])
    assert planted[valid].any() and (~planted[valid]).any()
    assert (classes[valid & planted] == 2).all() and (classes[valid & ~planted] == 1).all()
    assert (classes[~valid] == 0).all()
    assert (breaks[valid & planted] == years.index(CHANGE_FROM) + 1).all()  # the break ends at 2021
    assert change["break_cells"][years.index(CHANGE_FROM)] == (valid & planted).sum()


def test_a_rerun_reuses_every_year_without_a_request(source, fake, tmp_path):
    out = tmp_path / "series"
    run_job(_series(source, out, periods="2019..2021"), Ctx())
    one_year = len(fake.of_kind("pixels")) // 3
    fake.clear()
    ctx = Ctx()
    again = run_job(_series(dict(source, workers=1), out, periods="2019..2021"), ctx)  # a run option: no setting
    assert (again["computed"], again["reused"]) == ([], ["2019", "2020", "2021"]) and fake.requests == []
    assert any("reused 3 (2019, 2020, 2021)" in m for m in ctx.logs)
    longer = run_job(_series(source, out, periods="2019..2022"), Ctx())
    assert (longer["computed"], longer["reused"]) == (["2022"], ["2019", "2020", "2021"])
    assert len(fake.of_kind("pixels")) == one_year  # only the new year was fetched
    assert len(read_series(longer["series"]).periods) == 4


def test_a_year_the_collection_lacks_stops_and_keeps_the_years_before(source, fake, tmp_path):
    out = tmp_path / "series"
    fake.alphaearth_years = [2019, 2021, 2022]
    with pytest.raises(UserError) as err:
        run_job(_series(source, out, periods="2019..2022"), Ctx())
    message = str(err.value)
    assert "Period 2020 (2020-01-01/2021-01-01) has no imagery: 0 images match" in message
    assert "no embeddings of 2020 over this area; it has 2019, 2021, 2022" in message
    assert "the periods before it are kept" in message
    assert sorted(os.listdir(out)) == ["aef_2019.stac.json", "aef_2019.tif"]  # complete with its sidecar, no series
    ctx = Ctx()
    skipped = run_job(_series(source, out, periods="2019..2022", if_no_imagery="skip"), ctx)
    assert (skipped["reused"], skipped["computed"], skipped["skipped"]) == (["2019"], ["2021", "2022"], ["2020"])
    assert [p.label for p in read_series(skipped["series"]).periods] == ["2019", "2021", "2022"]
    assert any("Period 2020" in w and "it has 2019, 2021, 2022" in w for w in ctx.warnings)


def test_cancel_keeps_the_years_committed_and_nothing_partial(source, fake, tmp_path):
    out = tmp_path / "series"
    ctx = Ctx()
    ctx._on_log = lambda message, level: (ctx.logs.append(message), "Period 2020" in message and ctx.cancel_event.set())
    with pytest.raises(Cancelled):
        run_job(_series(source, out, periods="2019..2021"), ctx)
    assert sorted(os.listdir(out)) == ["aef_2019.stac.json", "aef_2019.tif"]
    assert run_job(_series(source, out, periods="2019..2021"), Ctx())["reused"] == ["2019"]


@pytest.mark.parametrize(
    "periods, says",
    [("2020-03,2021", "2020-03 \\(2020-03-01/2020-04-01\\) is not a calendar year: AlphaEarth has one layer per "
      "year"), ("2024:seasons", "2024-DJF"), ("2016..2018", "between 2017 and 2100")],
)  # fmt: skip
def test_periods_that_are_not_alphaearth_years_are_refused_before_any_request(source, fake, tmp_path, periods, says):
    with pytest.raises(UserError, match=says):
        run_job(_series(source, tmp_path / "series", periods=periods), Ctx())
    assert fake.requests == [] and not (tmp_path / "series").exists()


# -- GRID_LIKE: another raster's grid, exactly ----------------------------------------------------------
REF_TRANSFORM = (160.0, 0.0, 500000.0, 0.0, -160.0, 4000640.0)  # a model's grid: 16 x 16 cells of 10 m
REF_W, REF_H = 5, 4


@pytest.fixture
def terramind_series(tmp_path):
    """A series of two 8-band 'TerraMind' grids of 160 m cells, as Compute embeddings with periods writes it."""
    folder = tmp_path / "terramind"
    folder.mkdir()
    rng = np.random.default_rng(1)
    transform = rasterio.Affine(*REF_TRANSFORM)
    periods = parse_periods("2021,2022")
    files = []
    for p in periods:
        path = synthetic.write_raster(folder / ("tm_%s.tif" % p.label), rng.normal(size=(8, REF_H, REF_W)),
                                      nodata=np.nan, transform=transform)  # fmt: skip
        with rasterio.open(path, "r+") as ds:
            ds.update_tags(TERRAEMBED_MODEL="terramind_v1_base", TERRAEMBED_DIM="8")
        files.append(p.__class__(p.label, p.start, p.end, str(path)))
    with rasterio.open(files[0].file) as first:
        write_series(str(folder / "tm.vrt"), files, model="terramind_v1_base", dimensions=8, grid=first)
    return folder / "tm.vrt"


def _block_mean(fine, k):
    """The oracle of averaging: the mean of each k x k group of cells, NaN left out (numpy's nanmean)."""
    bands, h, w = fine.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a group of NaN only: NaN
        return np.nanmean(fine.astype(np.float64).reshape(bands, h // k, k, w // k, k), axis=(2, 4))


def test_grid_like_gives_the_reference_grid_exactly_and_averages_the_10_m_cells(
    source, fake, tmp_path, terramind_series
):
    out = tmp_path / "aef"
    ctx = Ctx()
    aoi_far_away = dict(source, aoi={"bounds": [0, 0, 1, 1], "crs": "EPSG:4326"}, grid_like=str(terramind_series))
    result = run_job(_series(aoi_far_away, out, periods="2020..2022"), ctx)
    reference = _grid(terramind_series)
    fine_transform = (10.0, 0.0, 500000.0, 0.0, -10.0, 4000640.0)
    for year, path in zip((2020, 2021, 2022), read_series(result["series"]).files):
        assert _grid(path) == reference  # CRS, transform and size: exactly the TerraMind grid
        with rasterio.open(path) as src:
            data, tags = src.read(), src.tags()
        oracle = _block_mean(expected_alphaearth(fine_transform, REF_W * 16, REF_H * 16, year, CHANGE_FROM), 16)
        np.testing.assert_allclose(data, oracle, rtol=0, atol=1e-6)
        assert "mean of the 16 x 16 AlphaEarth cells of 10 x 10" in tags["TERRAEMBED_RESAMPLED"]
    assert any("cut into 16 x 16 cells of about 10 m, then averaged onto its grid" in m for m in ctx.logs)
    grids = {tuple(r["body"]["grid"]["affineTransform"].values()) for r in fake.of_kind("pixels")}
    assert {g[0] for g in grids} == {10.0}  # fetched at 10 m

    # change maps of both series, cell by cell on one grid; AlphaEarth's break where it was planted
    _, aef_classes, aef_breaks, aef_grid = _change(result["series"], tmp_path, "aef")
    _, tm_classes, _, tm_grid = _change(terramind_series, tmp_path, "tm")
    assert aef_grid == tm_grid == reference and aef_classes.shape == tm_classes.shape
    rows, cols = global_indices(REF_TRANSFORM, REF_W, REF_H)  # 160 m cells; planted blocks of 32 x 10 m
    planted = planted_region(rows * 16, cols * 16)
    assert planted.any() and (~planted).any()
    assert (aef_classes[planted] == 2).all() and (aef_breaks[planted] == 2).all() and (aef_classes[~planted] == 1).all()


def test_grid_like_of_10_m_cells_is_fetched_on_that_grid(source, fake, tmp_path):
    shifted = rasterio.Affine(10.0, 0.0, 500005.0, 0.0, -10.0, 4000595.0)  # off AlphaEarth's lines by half a cell
    reference = synthetic.write_raster(tmp_path / "ref.tif", np.zeros((3, 30, 40)), transform=shifted)
    ctx = Ctx()
    result = run_job({"type": "alphaearth_fetch", "source": dict(source, year=2024, grid_like=str(reference)),
                      "output": str(tmp_path / "aef.tif")}, ctx)  # fmt: skip
    assert _grid(result["path"]) == _grid(reference)
    with rasterio.open(result["path"]) as src:
        np.testing.assert_array_equal(src.read(), expected_alphaearth(tuple(shifted)[:6], 40, 30, 2024, CHANGE_FROM))
    assert any("on the grid raster's own grid of 40 x 30 cells" in m for m in ctx.logs)


def test_a_grid_raster_rebuilt_on_another_grid_is_not_reused(source, fake, tmp_path):
    reference = tmp_path / "ref.tif"
    synthetic.write_raster(reference, np.zeros((3, 20, 30)), transform=synthetic.grid_transform((500000.0, 4000600.0)))
    job = _series(dict(source, grid_like=str(reference)), tmp_path / "aef", periods="2020,2021")
    assert run_job(job, Ctx())["computed"] == ["2020", "2021"]
    assert run_job(job, Ctx())["reused"] == ["2020", "2021"]
    synthetic.write_raster(reference, np.zeros((3, 20, 30)), transform=synthetic.grid_transform((500100.0, 4000600.0)))
    again = run_job(job, Ctx())
    assert again["computed"] == ["2020", "2021"] and _grid(read_series(again["series"]).files[0]) == _grid(reference)


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"not a raster"), "not a raster GDAL can read"),
    ],
)
def test_a_bad_grid_raster_is_refused_by_name_before_any_pixel(source, fake, tmp_path, make, says):
    reference = tmp_path / "ref.tif"
    make(reference)
    with pytest.raises(UserError, match=says):
        run_job(_series(dict(source, grid_like=str(reference)), tmp_path / "aef", periods="2020,2021"), Ctx())
    assert fake.of_kind("pixels") == [] and not (tmp_path / "aef").exists()


def test_averaging_is_the_nan_mean_of_each_cells_group_whatever_the_windows(tmp_path, monkeypatch):
    """average_cells window by window (forced small: many windows, partial ones at the edges) on a tiled file
    of cells 4 x 2 per output cell, with masked cells and one group masked whole, equals numpy's nanmean."""
    from terraembed.engine.context import JobContext
    from terraembed.engine.sources.earthengine import alphaearth_grid

    monkeypatch.setattr(alphaearth_grid, "BLOCK_BYTES", 1)
    kx, ky, width, height = 4, 2, 25, 35
    fine = np.random.default_rng(2).normal(size=(8, height * ky, width * kx)).astype(np.float32)
    fine[:, 3, 5:40] = np.nan
    fine[:, 10:12, 8:12] = np.nan  # every cell of output cell (5, 2)
    path = synthetic.write_raster(tmp_path / "fine.tif", fine, nodata=np.nan, tiled=True, blockxsize=16, blockysize=16)
    output = {"crs": "EPSG:32633", "transform": [40.0, 0.0, 500000.0, 0.0, -20.0, 4200000.0], "width": width,
              "height": height, "scale": 40.0, "cells": [kx, ky]}  # fmt: skip
    request = {"bands": ["b%d" % i for i in range(8)], "nodata": "nan", "output_grid": output}
    alphaearth_grid.average_cells(str(path), str(tmp_path / "mean.tif"), request, JobContext())
    with rasterio.open(tmp_path / "mean.tif") as src:
        mean = src.read()
        assert (src.width, src.height) == (width, height) and tuple(src.transform)[:6] == tuple(output["transform"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        oracle = np.nanmean(fine.astype(np.float64).reshape(8, height, ky, width, kx), axis=(2, 4))
    assert np.isnan(mean[:, 5, 2]).all()
    np.testing.assert_allclose(mean, oracle, rtol=0, atol=1e-6)


def test_the_explore_timeline_of_a_cell_shows_the_planted_break(source, fake, tmp_path):
    import types

    from terraembed.engine.analysis import timeline

    result = run_job(_series(source, tmp_path / "series", periods="2019..2022"), Ctx())
    rows, cols = global_indices(TRANSFORM, W, H)
    valid = ~np.isnan(expected_alphaearth(TRANSFORM, W, H)[0])
    planted = planted_region(rows, cols) & valid
    session = types.SimpleNamespace()
    for row, col in (np.argwhere(planted)[0], np.argwhere(valid & ~planted)[0]):
        x, y = TRANSFORM[2] + (col + 0.5) * 10.0, TRANSFORM[5] - (row + 0.5) * 10.0
        cell = timeline.answer(session, {"series": result["series"], "x": x, "y": y})
        assert (cell["row"], cell["col"]) == (row, col) and cell["labels"] == ["2019", "2020", "2021", "2022"]
        if planted[row, col]:
            assert (cell["class"], cell["break_label"]) == ("one break", "2021")
            np.testing.assert_allclose(cell["to_first"], [0, 0, 2, 2], atol=1e-6)
        else:
            assert cell["class"] == "stable" and np.allclose(cell["to_first"], 0, atol=1e-6)
    session.timeline.close()
