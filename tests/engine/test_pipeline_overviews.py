"""The grid's overviews made from its rows as they are written (engine/pipeline/overviews.py): every
level equal, bit for bit, to the one GDAL's "average" overviews build from the whole grid (odd sizes
with their fractional weights, NaN holes, cells NaN in some bands only, any split of the rows); the
embed job's grid COG byte for byte the file GDAL's own overviews give; a level holds a few source
rows at most; a failure while writing the levels leaves every old file and no scratch file."""

import hashlib
import os
import shutil

import numpy as np
import pytest
import rasterio
from pipeline_fakes import FakeModel, embed_job, random_s2, use_fake_model, write_raster
from rasterio.transform import from_origin

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import embed
from terraembed.engine.pipeline.cog import overview_factors, write_cog
from terraembed.engine.pipeline.outputs import geotiff_profile
from terraembed.engine.pipeline.overviews import GridOverviews, Level
from terraembed.shared.errors import UserError

TRANSFORM = from_origin(500000, 4100000, 160, 160)


def planted(bands, rows, cols, seed=0):
    """Values of every magnitude with NaN holes: a block in every band, single cells, the corners,
    a whole row band, and one cell NaN in the first band only."""
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.uniform(-3, 3, size=(bands, 1, 1))
    data = (rng.normal(size=(bands, rows, cols)) * scale).astype(np.float32)
    data[:, 1:3, 2:5] = np.nan
    data[:, 0, 0] = data[:, -1, -1] = np.nan
    data[:, min(4, rows - 1) : min(8, rows), :] = np.nan
    data[0, rows // 2, cols // 2] = np.nan
    return data


def gdal_levels(data, folder):
    """Each overview level of data as GDAL builds it (write_cog without levels)."""
    scratch, cog = os.path.join(folder, "scratch.tif"), os.path.join(folder, "gdal.tif")
    profile = geotiff_profile(data.shape[0], data.shape[1], data.shape[2], TRANSFORM, "EPSG:32633", "none")
    with rasterio.open(scratch, "w", **profile) as dst:
        dst.write(data)
    write_cog(scratch, cog)
    levels = []
    with rasterio.open(cog) as ds:
        for i in range(len(ds.overviews(1))):
            with rasterio.open(cog, overview_level=i) as level:
                levels.append(level.read())
    return levels


def streamed_levels(data, folder, chunk):
    """Each level as GridOverviews writes it from data's rows, chunk rows at a time."""
    bands, rows, cols = data.shape
    paths = [os.path.join(folder, "level%d.tif" % f) for f in overview_factors(cols, rows)]
    levels = GridOverviews(paths, bands, rows, cols, TRANSFORM, "EPSG:32633")
    for r0 in range(0, rows, chunk):
        levels.write_rows(r0, data[:, r0 : r0 + chunk])
    levels.close()
    out = []
    for p in paths:
        with rasterio.open(p) as ds:
            out.append(ds.read())
    return out


@pytest.mark.parametrize(
    "bands, rows, cols, chunk",
    [
        (3, 7, 600, 3),  # odd rows: fractional weights down, even columns
        (2, 9, 1027, 14),  # odd both ways, three levels
        (2, 301, 5, 5),  # the long side down
        (4, 687, 300, 14),  # a full tile's rows, chunks of a chip row
        (2, 40, 600, 1),  # one row at a time
        (2, 518, 20, 37),  # chunks that split the levels' windows anywhere
    ],
)
def test_levels_are_gdals_own(tmp_path, bands, rows, cols, chunk):
    data = planted(bands, rows, cols)
    expected = gdal_levels(data, str(tmp_path))
    made = streamed_levels(data, str(tmp_path), chunk)
    assert len(made) == len(expected) == len(overview_factors(cols, rows)) > 0
    for mine, gdal in zip(made, expected):
        assert mine.shape == gdal.shape
        np.testing.assert_array_equal(mine, gdal)  # NaN where GDAL has NaN, equal bits elsewhere
    assert np.isnan(made[0]).any() and np.isfinite(made[0]).any()


def test_a_level_keeps_a_few_source_rows(tmp_path):
    """Whatever the chunks, a level carries at most 3 source rows between calls."""
    level = Level(687, 40)
    rng = np.random.default_rng(0)
    rows, carried, emitted = 0, [], 0
    while rows < 687:
        n = min(int(rng.integers(1, 30)), 687 - rows)
        out = level.add(np.ones((2, n, 40), np.float32))
        emitted += 0 if out is None else out.shape[1]
        carried.append(0 if level._carry is None else level._carry.shape[1])
        rows += n
    assert max(carried) <= 3 and carried[-1] == 0
    assert emitted == level.rows == 344


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.mark.parametrize("compression", ["none", "deflate"])
def test_the_jobs_grid_is_the_cog_gdal_builds(tmp_path, monkeypatch, compression):
    """An embed job whose grid (45 x 263 cells, odd both ways, NaN where the input is nodata) has
    overviews: its COG is byte for byte the one GDAL makes from the same streamed grid."""
    use_fake_model(monkeypatch, FakeModel(bands=3))
    data = random_s2(720, 4200, seed=5, bands=3)
    data[:, 100:300, 500:900] = 0  # nodata: NaN cells
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    real, seen = embed.write_cog, []

    def also_gdals(scratch, partial, compress="none", check_cancel=None, overviews=None):
        real(scratch, partial, compress, check_cancel, overviews)
        if overviews:  # the same streamed grid, its overviews built by GDAL
            plain = str(tmp_path / "plain.tif")
            shutil.copyfile(scratch, plain)
            real(plain, str(tmp_path / "gdal.tif"), compress)
            seen.append(len(overviews))

    monkeypatch.setattr(embed, "write_cog", also_gdals)
    outputs = {"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "pca.tif"), "grid_compression": compression}
    result = run_job(embed_job(path, tmp_path, outputs=outputs, batch_size=8), JobContext())
    assert result["grid_shape"] == [45, 263] and seen == [1]
    assert sha(outputs["grid"]) == sha(str(tmp_path / "gdal.tif"))
    with rasterio.open(outputs["grid"]) as ds:
        assert ds.overviews(1) == [2]
        half = ds.read(1, out_shape=(23, 132))
    assert np.isnan(half).any() and np.isfinite(half).any()


def test_a_failure_writing_the_levels_leaves_old_files(tmp_path, monkeypatch):
    use_fake_model(monkeypatch, FakeModel(bands=3))
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()
    work.mkdir()
    old = out / "grid.tif"
    old.write_bytes(b"previous result")
    path = write_raster(tmp_path / "in.tif", random_s2(700, 4200, bands=3))
    write_rows, calls = GridOverviews.write_rows, []

    def disk_full(self, row0, block):
        calls.append(row0)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return write_rows(self, row0, block)

    monkeypatch.setattr(GridOverviews, "write_rows", disk_full)
    with pytest.raises(UserError, match="No space left"):
        run_job(embed_job(path, tmp_path, outputs={"grid": str(old)}, work_dir=str(work)), JobContext())
    assert len(calls) == 2
    assert os.listdir(out) == ["grid.tif"] and old.read_bytes() == b"previous result"
    assert os.listdir(work) == []
