"""Change over time: a generated series with a planted break (one region, known period) and a planted
periodic change (another region) is recovered exactly; the numbers equal the distances computed from
the rasters; the result does not depend on the block size; bad series are refused by name."""

import json
import os

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

PERIODS = ["2019", "2020", "2021", "2022", "2023", "2024"]
BREAK_NUMBER = synthetic.SERIES_BREAK_AT + 1  # 1-based number of the period that ends the break


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """The planted periods as GeoTIFFs (a few cells without data in period 3) and the oracle."""
    folder = tmp_path_factory.mktemp("series")
    arrays, regions = synthetic.planted_series(periods=len(PERIODS))
    arrays[2][:, 0, :4] = np.nan  # no data in one period: the cell is left out
    paths = []
    for label, data in zip(PERIODS, arrays):
        path = synthetic.write_raster(folder / ("emb_%s.tif" % label), data, nodata=np.nan)
        with rasterio.open(path, "r+") as ds:
            ds.update_tags(TERRAEMBED_MODEL="terramind_v1_base", TERRAEMBED_DIM=str(data.shape[0]))
        paths.append(path)
    to_first = np.stack([synthetic.cosine_distance(arrays[0], a) for a in arrays])
    steps = np.stack(
        [np.zeros(to_first.shape[1:])] + [synthetic.cosine_distance(a, b) for a, b in zip(arrays, arrays[1:])]
    )
    valid = np.isfinite(to_first).all(axis=0)
    return {"paths": paths, "regions": regions, "to_first": to_first, "steps": steps, "valid": valid}


def _run(planted, tmp, **kw):
    spec = {
        "type": "change_series",
        "inputs": planted["paths"],
        "labels": PERIODS,
        "output": str(tmp / "change.tif"),
        "classes_output": str(tmp / "classes.tif"),
    }
    spec.update(kw)
    messages = []
    result = run_job(spec, JobContext(on_log=lambda m, lvl: messages.append(m)))
    return result, messages


def _bands(path):
    with rasterio.open(path) as ds:
        return ds.read(), ds.descriptions, ds.tags()


def test_the_planted_break_and_periodic_change_are_recovered_exactly(series, tmp_path):
    result, _ = _run(series, tmp_path)
    values, descriptions, tags = _bands(tmp_path / "change.tif")
    classes = _bands(tmp_path / "classes.tif")[0][0]
    valid, brk, periodic = series["valid"], series["regions"]["break"], series["regions"]["periodic"]
    stable = valid & ~brk & ~periodic
    assert (classes[valid & brk] == 2).all() and (classes[valid & periodic] == 3).all() and (classes[stable] == 1).all()
    assert (classes[~valid] == 0).all() and np.isnan(values[:, ~valid]).all()
    assert (values[1][valid & brk] == BREAK_NUMBER).all()
    assert result["class_cells"] == {
        "stable": int(stable.sum()),
        "one break": int((valid & brk).sum()),
        "repeated change": int((valid & periodic).sum()),
    }
    assert result["break_cells"][BREAK_NUMBER - 1] >= (valid & brk).sum() and result["break_cells"][0] == 0
    assert json.loads(tags["TERRAEMBED_PERIODS"]) == PERIODS and "break" in descriptions[1]


def test_the_numbers_equal_the_distances_of_the_rasters(series, tmp_path):
    result, _ = _run(series, tmp_path)
    values = _bands(tmp_path / "change.tif")[0]
    valid, to_first, steps = series["valid"], series["to_first"], series["steps"]
    assert np.allclose(values[0][valid], to_first.max(axis=0)[valid], atol=1e-5)
    assert np.allclose(values[2][valid], steps[1:].max(axis=0)[valid], atol=1e-5)
    assert np.allclose(values[3][valid], steps[1:].mean(axis=0)[valid], atol=1e-5)
    assert np.array_equal(values[1][valid], (np.argmax(steps[1:], axis=0) + 2)[valid])
    assert result["valid_cells"] == valid.sum()
    per_period = result["per_period"]
    assert per_period[0]["to_first"] is None
    for k in range(1, len(PERIODS)):
        assert per_period[k]["to_first"]["mean"] == pytest.approx(to_first[k][valid].mean(), abs=1e-9)
        assert per_period[k]["step_mean"] == pytest.approx(steps[k][valid].mean(), abs=1e-9)


def test_the_result_does_not_depend_on_the_block_size(series, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    small, _ = _run(series, tmp_path / "a", block_size=7)
    whole, _ = _run(series, tmp_path / "b")
    assert small["class_cells"] == whole["class_cells"] and small["break_cells"] == whole["break_cells"]
    for name in ("change.tif", "classes.tif"):
        a, b = _bands(tmp_path / "a" / name)[0], _bands(tmp_path / "b" / name)[0]
        assert np.array_equal(np.nan_to_num(a, nan=-1), np.nan_to_num(b, nan=-1))


def test_change_polygons_carry_their_break_period(series, tmp_path):
    import pyogrio

    result, _ = _run(series, tmp_path, polygons_output=str(tmp_path / "areas.geojson"), block_size=8)
    frame = pyogrio.read_dataframe(str(tmp_path / "areas.geojson"))
    valid, brk, periodic = series["valid"], series["regions"]["break"], series["regions"]["periodic"]
    breaks = frame[frame["class"] == "one break"]
    assert len(breaks) == 1  # one region, merged across blocks
    assert breaks["break_number"].iloc[0] == BREAK_NUMBER and breaks["break_period"].iloc[0] == PERIODS[3]
    assert breaks["cells"].iloc[0] == (valid & brk).sum()
    assert frame[frame["class"] == "repeated change"]["cells"].sum() == (valid & periodic).sum()
    assert result["polygons"] == len(frame)


def test_feature_timelines_are_the_means_of_their_cells(series, tmp_path):
    tf = synthetic.grid_transform()
    r0, c0, r1, c1 = synthetic.SERIES_BREAK
    features = [
        {"wkt": synthetic.rect_wkt(tf, r0, c0, r1, c1), "name": "clearing"},
        {"wkt": synthetic.point_wkt(tf, 20, 25), "name": "field"},
    ]
    result, _ = _run(series, tmp_path, features=features, html_report=str(tmp_path / "report.html"))
    clearing, field = result["timelines"]
    mask = series["regions"]["break"] & series["valid"]
    assert clearing["name"] == "clearing" and clearing["cells"] == mask.sum()
    assert np.allclose(clearing["to_first"], series["to_first"][:, mask].mean(axis=1), atol=1e-9)
    assert np.allclose(field["to_previous"][1:], series["steps"][1:, 20, 25], atol=1e-9)
    assert field["to_previous"][0] is None
    text = (tmp_path / "report.html").read_text()
    assert "Change over time" in text and "clearing" in text and "Breaks per period" in text


def test_bad_series_are_refused_by_name(series, tmp_path):
    paths = series["paths"]
    odd = synthetic.write_raster(tmp_path / "odd.tif", np.ones((8, 30, 40), np.float32))
    with pytest.raises(UserError, match=r"'odd' .* 8 dimensions but the first period 'emb_2019' has 16"):
        _run(series, tmp_path, inputs=paths[:2] + [odd], labels=None)
    other = tmp_path / "other_model.tif"
    with rasterio.open(paths[0]) as src:
        synthetic.write_raster(other, src.read(), nodata=np.nan)
    with rasterio.open(other, "r+") as ds:
        ds.update_tags(TERRAEMBED_MODEL="terrafm_b")
    with pytest.raises(UserError, match=r"'other_model' .* holds embeddings of terrafm_b .* terramind_v1_base"):
        _run(series, tmp_path, inputs=paths[:2] + [str(other)], labels=None)
    with pytest.raises(UserError, match="at least 2 periods.*Change between dates"):
        _run(series, tmp_path, inputs=paths[:1], labels=None)
    with pytest.raises(UserError, match="not a series file.*Change between dates"):
        _run(series, tmp_path, inputs=None, labels=None, series=paths[0])
    assert not list(tmp_path.glob("change*")) and not list(tmp_path.glob("classes*"))


def write_series_file(planted, path):
    """The planted periods listed in a series file (engine/pipeline/series.py's VRT)."""
    from terraembed.engine.pipeline.series import write_series
    from terraembed.shared.periods import Period

    periods = [
        Period(label, "%s-01-01" % label, "%d-01-01" % (int(label) + 1), p)
        for label, p in zip(PERIODS, planted["paths"])
    ]
    with rasterio.open(planted["paths"][0]) as grid:
        write_series(str(path), periods, model="terramind_v1_base", dimensions=grid.count, grid=grid)
    return str(path)


def test_a_series_file_gives_the_same_change_as_its_rasters(series, tmp_path):
    vrt = write_series_file(series, tmp_path / "years.vrt")
    (tmp_path / "list").mkdir()
    from_file, _ = _run(series, tmp_path, inputs=None, labels=None, series=vrt)
    from_list, _ = _run(series, tmp_path / "list")
    assert from_file["periods"] == PERIODS and from_file["class_cells"] == from_list["class_cells"]
    a, b = _bands(tmp_path / "change.tif")[0], _bands(tmp_path / "list" / "change.tif")[0]
    assert np.array_equal(np.nan_to_num(a, nan=-1), np.nan_to_num(b, nan=-1))


def test_a_series_whose_files_moved_names_the_missing_file(series, tmp_path):
    import shutil

    copies = []
    for path in series["paths"]:
        copies.append(shutil.copy(path, tmp_path))
    vrt = write_series_file(dict(series, paths=copies), tmp_path / "years.vrt")
    os.rename(copies[2], str(tmp_path / "elsewhere.tif"))
    with pytest.raises(UserError, match=r"period 2021 as .*emb_2021.tif, which is not there"):
        _run(series, tmp_path, inputs=None, labels=None, series=vrt)
    assert not os.path.exists(tmp_path / "change.tif") and not os.path.exists(tmp_path / "classes.tif")


def test_finer_periods_are_averaged_onto_the_first_ones_coarser_grid(tmp_path):
    """Planted: the first period on 20 m cells, the next two on 10 m cells whose 2 x 2 blocks average to the
    first period's vectors, every cell off them: averaged onto the first period's grid they equal it, so no
    cell changes (nearest neighbour would see a change in every cell)."""
    first = np.random.default_rng(5).normal(size=(16, 6, 8)).astype(np.float32)
    finer = [synthetic.fine_blocks(first, spread=1.0, seed=seed) for seed in (1, 2)]
    paths = []
    for label, data in zip("abc", [first] + finer):
        transform = synthetic.grid_transform(res=20.0 if data is first else 10.0)
        path = synthetic.write_raster(tmp_path / ("%s.tif" % label), data, nodata=np.nan, transform=transform)
        with rasterio.open(path, "r+") as ds:
            ds.update_tags(TERRAEMBED_MODEL="terramind_v1_base", TERRAEMBED_DIM="16")
        paths.append(path)
    result, messages = _run({"paths": paths}, tmp_path, labels=["a", "b", "c"])
    averaged = "(average: its cells (10 x 10) are smaller than the grid's (20 x 20)"
    said = [label for label in "bc" if any("period '%s'" % label in m and averaged in m for m in messages)]
    assert said == ["b", "c"]
    assert result["resampled"] == ["b", "c"] and result["valid_cells"] == 48
    bands = _bands(tmp_path / "change.tif")[0]
    assert np.nanmax(bands[0]) < 1e-5 and np.nanmax(bands[2]) < 1e-5  # no distance to the first, no step
    for data in finer:  # every fine cell is off its block's mean: one picked by nearest neighbour would differ
        repeated = np.repeat(np.repeat(first, 2, axis=1), 2, axis=2)
        assert synthetic.cosine_distance(repeated, data).min() > 0.01
