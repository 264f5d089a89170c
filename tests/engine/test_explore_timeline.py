"""The explore session's timeline through a real worker process and the shell's client: a series file
is explored through its last period and a click's timeline equals the distances computed from the
period rasters, the planted break marked; a plain raster's session follows a series it is given;
a click outside says so and the session goes on."""

import queue
import sys

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.pipeline.series import write_series
from terraembed.shared.periods import Period
from terraembed.shell.client import RuntimeClient
from terraembed.shell.session import SessionClient

PERIODS = ["2019", "2020", "2021", "2022", "2023", "2024"]


def _next(messages, kind, timeout=120):
    while True:
        message = messages.get(timeout=timeout)
        if message["type"] == kind:
            return message
        assert message["type"] in ("progress", "log"), message


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("timeline")
    arrays, regions = synthetic.planted_series(periods=len(PERIODS))
    periods = []
    for label, data in zip(PERIODS, arrays):
        path = synthetic.write_raster(folder / ("emb_%s.tif" % label), data, nodata=np.nan)
        with rasterio.open(path, "r+") as ds:
            ds.update_tags(TERRAEMBED_MODEL="terramind_v1_base", TERRAEMBED_DIM=str(data.shape[0]))
        periods.append(Period(label, "%s-01-01" % label, "%d-01-01" % (int(label) + 1), path))
    vrt = str(folder / "years.vrt")
    with rasterio.open(periods[0].file) as grid:
        write_series(vrt, periods, model="terramind_v1_base", dimensions=grid.count, grid=grid)
    return {"vrt": vrt, "arrays": arrays, "regions": regions, "files": [p.file for p in periods]}


def _open(path, messages):
    client = SessionClient(RuntimeClient(sys.executable), {"kind": "explore", "input": path}, messages.put)
    client.start()
    return client, _next(messages, "answer")["result"]


def _expected(arrays, row, col):
    cells = [a[:, row, col] for a in arrays]
    to_first = [float(synthetic.cosine_distance(cells[0], c)) for c in cells]
    to_previous = [float(synthetic.cosine_distance(a, b)) for a, b in zip(cells, cells[1:])]
    return to_first, to_previous


def _timeline(client, messages, series, row, col):
    x, y = synthetic.cell_centre(synthetic.grid_transform(), row, col)
    qid = client.ask("timeline", {"series": series, "x": x, "y": y})
    answer = _next(messages, "answer")
    assert answer["id"] == qid
    return answer["result"]


def test_a_series_is_explored_and_a_click_gives_the_cells_timeline(series):
    messages = queue.Queue()
    client, info = _open(series["vrt"], messages)
    try:
        assert info["series"]["periods"] == PERIODS and info["series"]["explored"] == "2024"
        assert info["bands"] == series["arrays"][0].shape[0]  # one period's dimensions, not the VRT's
        r0, c0 = synthetic.SERIES_BREAK[:2]
        for row, col, cls in ((r0 + 2, c0 + 3, "one break"), (20, 25, "repeated change"), (0, 39, "stable")):
            result = _timeline(client, messages, info["series"]["path"], row, col)
            to_first, to_previous = _expected(series["arrays"], row, col)
            assert np.allclose(result["to_first"], to_first, atol=1e-6) and result["to_previous"][0] is None
            assert np.allclose(result["to_previous"][1:], to_previous, atol=1e-6)
            assert (
                result["labels"] == PERIODS and result["class"] == cls and (result["row"], result["col"]) == (row, col)
            )
            assert result["break"] == int(np.argmax(to_previous)) + 2
        result = _timeline(client, messages, info["series"]["path"], r0, c0)
        assert result["break"] == synthetic.SERIES_BREAK_AT + 1 and result["break_label"] == "2022"
        assert result["engine_ms"] < 100
        client.ask("similarity", {"labels": [{"x": 500005.0, "y": 4199995.0, "sign": 1}]})
        assert _next(messages, "answer")["result"]["positives"] == 1  # the explored period answers as ever
    finally:
        client.close()


def test_a_plain_rasters_session_follows_the_series_it_is_given(series):
    messages = queue.Queue()
    client, info = _open(series["files"][0], messages)
    try:
        assert info["series"] is None
        result = _timeline(client, messages, series["vrt"], 6, 7)
        assert np.allclose(result["to_first"], _expected(series["arrays"], 6, 7)[0], atol=1e-6)
        qid = client.ask("timeline", {"series": series["vrt"], "x": 0.0, "y": 0.0})
        error = _next(messages, "error")
        assert error["id"] == qid and error["kind"] == "user" and "outside the series" in error["message"]
        qid = client.ask("timeline", {"series": series["files"][1], "x": 500005.0, "y": 4199995.0})
        error = _next(messages, "error")
        assert error["id"] == qid and "not a TerraEmbed series" in error["message"]
        assert _timeline(client, messages, series["vrt"], 6, 7)["to_first"] == result["to_first"]  # goes on
    finally:
        client.close()


@pytest.mark.parametrize("compress", ["none", "deflate"])
def test_a_cell_read_in_place_equals_gdals_read(tmp_path, compress):
    """The embed job's grid layout (uncompressed: read in place from the file's bytes; DEFLATE: a window
    read): every band's value and the validity of cells in inner and edge blocks, a NaN cell, and a
    block that was never written (a sparse file)."""
    from rasterio.windows import Window

    from terraembed.engine.analysis.timeline import CellReader
    from terraembed.engine.pipeline.outputs import geotiff_profile

    rng = np.random.default_rng(4)
    data = rng.normal(size=(12, 40, 1100)).astype(np.float32)  # 2 block columns, 3 block rows (16 rows)
    data[:, 20, 1050] = np.nan
    data[3, 5, 7] = np.nan  # one band's nodata: the cell is invalid
    path = str(tmp_path / "grid.tif")
    profile = geotiff_profile(12, 40, 1100, synthetic.grid_transform(), synthetic.CRS, compress)
    with rasterio.open(path, "w", SPARSE_OK=True, **profile) as dst:
        dst.write(data[:, :32], window=Window(0, 0, 1100, 32))  # rows 32..39 never written
    with rasterio.open(path) as src:
        reader = CellReader(src)
        assert (reader.bytes is not None) == (compress == "none")
        for row, col in ((0, 0), (17, 1099), (20, 1050), (5, 7), (31, 1024), (35, 3)):
            values, valid = reader.read(row, col)
            expected = src.read(window=Window(col, row, 1, 1))[:, 0, 0]
            assert np.array_equal(values[0], expected, equal_nan=True)
            assert valid[0] == bool(np.isfinite(expected).all())
        if compress == "none":
            assert not reader._block_offsets(0, 2).any()  # the sparse block: no data, read as such
        reader.close_map()
