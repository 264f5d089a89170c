"""Bad inputs a tester ran through the engine: each gets a message that says what is wrong and what
to do (never a traceback, never nonsense), or a warning where the run can go on."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import rasterio
import synthetic
from pipeline_fakes import embed_job, random_s2, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared import limits
from terraembed.shared.errors import UserError
from terraembed.shell.client import INSTALL_HINT, RuntimeClient, RuntimeJobError


def test_raster_without_georeferencing_is_told_so(tmp_path, fake_model):
    path = str(tmp_path / "plain.tif")
    with rasterio.open(path, "w", driver="GTiff", width=64, height=64, count=12, dtype="uint16") as dst:
        dst.write(random_s2(64, 64))
    # the shell sends the layer's own extent as the AOI: it must not be told it does not overlap
    job = embed_job(path, tmp_path, aoi={"bounds": [0, -64, 64, 0], "crs": ""})
    with pytest.raises(UserError) as err:
        run_job(job, JobContext())
    assert "has no georeferencing" in str(err.value) and "Georeferencer" in str(err.value)
    assert "overlap" not in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["plain.tif"]


@pytest.mark.parametrize("content", [b"this is not a raster\n" * 10, b"II*\x00\x08\x00\x00\x00\x0c\x00"])
def test_file_that_is_not_a_raster(tmp_path, fake_model, content):
    path = tmp_path / "broken.tif"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        run_job(embed_job(path, tmp_path), JobContext())
    text = str(err.value)
    assert "not a raster GDAL can read, or the file is corrupt or truncated (GDAL: " in text
    assert "does not exist" not in text and "not found" not in text


def truncated_copy(tmp_path, data, name="cut.tif"):
    """A striped, uncompressed GeoTIFF cut in half: its header reads, its pixels do not."""
    full = write_raster(tmp_path / "full.tif", data)
    raw = open(full, "rb").read()
    cut = tmp_path / name
    cut.write_bytes(raw[: len(raw) // 2])
    os.remove(full)
    return str(cut)


def test_truncated_raster_is_corrupt_not_internal(tmp_path, fake_model):
    cut = truncated_copy(tmp_path, random_s2(256, 256))
    with pytest.raises(UserError, match="corrupt or truncated"):
        run_job(embed_job(cut, tmp_path), JobContext())
    assert not os.path.exists(tmp_path / "grid.tif")


def test_truncated_embedding_raster_in_analysis(tmp_path):
    data = np.random.default_rng(0).random((8, 300, 300), dtype=np.float32)
    cut = truncated_copy(tmp_path, data)
    spec = {"type": "pca", "input": cut, "output": str(tmp_path / "pca.tif"), "components": 3}
    with pytest.raises(UserError, match="corrupt or truncated"):
        run_job(spec, JobContext())


def test_duplicate_bands_warn(tmp_path, fake_model):
    path = write_raster(tmp_path / "s2.tif", random_s2(64, 64))
    ctx = JobContext()
    run_job(embed_job(path, tmp_path, source={"bands": [3] * 12}), ctx)
    assert any("Band(s) 3 are chosen more than once" in w for w in ctx.warnings), ctx.warnings


def test_tiny_area_in_resize_mode_warns_about_upsampling(tmp_path, fake_model):
    path = write_raster(tmp_path / "tiny.tif", random_s2(5, 5))
    ctx = JobContext()
    run_job(embed_job(path, tmp_path, prep="auto"), ctx)
    assert any("only 5 x 5 pixels" in w and "45x" in w and "larger area" in w for w in ctx.warnings), ctx.warnings
    # a 100 px area is enlarged 2.24x: no warning
    path = write_raster(tmp_path / "ok.tif", random_s2(100, 100))
    ctx = JobContext()
    run_job(embed_job(path, tmp_path / "b", prep="resize"), ctx)
    assert not any("enlarges" in w for w in ctx.warnings)


@pytest.mark.parametrize(
    "key,value,expected",
    [
        ("batch_size", -5, "'batch_size' must be between 0 and 1024 (0 = the model's default), got -5"),
        (
            "outputs",
            {"grid": None, "pca": "p.tif", "pca_components": 1000},
            "'outputs.pca_components' must be between 1 and 64, got 1000",
        ),
        (
            "outputs",
            {"grid": None, "pca": "p.tif", "pca_components": 0},
            "'outputs.pca_components' must be between 1 and 64, got 0",
        ),
        ("source", {"scale": -1}, "'source.scale' must be between 1e-06 and 1e+06"),
        ("threads", "many", "The job's 'threads' must be a number at least 0, got 'many'"),
        ("source", {"nodata": "none"}, "The job's 'source.nodata' must be a number, got 'none'"),
    ],
)
def test_job_file_numbers_name_their_range(tmp_path, fake_model, key, value, expected):
    path = write_raster(tmp_path / "s2.tif", random_s2(32, 32))
    job = embed_job(path, tmp_path)
    if key == "source":
        job["source"].update(value)
    else:
        job[key] = value
    with pytest.raises(UserError) as err:
        run_job(job, JobContext())
    assert expected in str(err.value)


@pytest.mark.parametrize(
    "key,value,range_",
    [
        ("components", 0, limits.COMPONENTS),
        ("k", 500, limits.CLUSTERS),
        ("seed", -1, limits.SEED),
        ("sample", 5, limits.SAMPLE),
    ],
)
def test_analysis_job_numbers_name_the_declared_range(tmp_path, key, value, range_):
    data = np.random.default_rng(0).random((8, 20, 20), dtype=np.float32)
    path = synthetic.write_raster(tmp_path / "emb.tif", data)
    job_type = "cluster" if key == "k" else "pca"
    spec = {"type": job_type, "input": path, "output": str(tmp_path / "o.tif"), key: value}
    with pytest.raises(UserError) as err:
        run_job(spec, JobContext())
    assert range_.text() in str(err.value) and repr(key) in str(err.value)


@pytest.mark.parametrize("job_type", ["pca", "cluster", "similarity"])
def test_one_band_raster_is_not_an_embedding_raster(tmp_path, job_type):
    path = synthetic.write_raster(tmp_path / "dem.tif", np.random.default_rng(0).random((1, 20, 20)))
    spec = {
        "type": job_type,
        "input": path,
        "output": str(tmp_path / "o.tif"),
        "k": 2,
        "reference": {"vectors": [[1.0]]},
    }
    with pytest.raises(UserError) as err:
        run_job(spec, JobContext())
    assert "has only 1 band, so it is not an embedding raster" in str(err.value)
    assert "'Compute embeddings' (terraembed:embed)" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["dem.tif"]


def test_reflectance_raster_in_analysis_warns(tmp_path):
    path = write_raster(tmp_path / "s2.tif", random_s2(20, 20))
    ctx = JobContext()
    run_job({"type": "cluster", "input": path, "output": str(tmp_path / "c.tif"), "k": 2}, ctx)
    assert any("has no TERRAEMBED_* metadata" in w and "compute embeddings first" in w for w in ctx.warnings)
    # an embedding grid written by the embed job carries its tags: no warning
    grid = synthetic.write_raster(tmp_path / "grid.tif", np.random.default_rng(0).random((8, 20, 20)))
    with rasterio.open(grid, "r+") as ds:
        ds.update_tags(TERRAEMBED_DIM="8")
    ctx = JobContext()
    run_job({"type": "cluster", "input": grid, "output": str(tmp_path / "c2.tif"), "k": 2}, ctx)
    assert not any("TERRAEMBED" in w for w in ctx.warnings)


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python with nothing but the standard library: a runtime nobody installed packages into."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return str(venv / "bin" / "python")


def test_runtime_without_packages_names_them_and_the_fix(tmp_path, bare_python):
    path = write_raster(tmp_path / "s2.tif", random_s2(32, 32))
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": path},
        "model": "terrafm_b_s2",
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }
    with pytest.raises(RuntimeJobError) as err:
        RuntimeClient(bare_python).run(job)
    exc = err.value
    assert exc.kind == "missing"
    assert "lacks the package(s) numpy" in exc.message and "rasterio" in exc.message
    assert INSTALL_HINT in exc.message and "Traceback" not in exc.message + exc.detail  # qgis_process prints detail
    assert not os.path.exists(tmp_path / "grid.tif")


def test_job_file_without_packages_prints_the_install_command(tmp_path, bare_python):
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"type": "pca", "input": "x.tif", "output": str(tmp_path / "o.tif")}))
    env = dict(os.environ)  # PYTHONPATH: the folder above the package, as the test command sets it
    proc = subprocess.run(
        [bare_python, "-m", "terraembed.engine", "--job", str(job)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 4
    assert "lacks the package(s) numpy" in proc.stderr
    assert "terraembed.shell.install" in proc.stderr and "Traceback" not in proc.stderr


# -- garbage values: NaN and ±Inf are nodata, never zero-filled data ------------------------------------


@pytest.mark.parametrize("garbage", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("job_type", ["embed", "embed_features"])
def test_a_band_of_nan_or_inf_is_named_and_nothing_written(tmp_path, fake_model, garbage, job_type):
    data = random_s2(300, 300).astype(np.float32)
    data[3] = garbage
    path = write_raster(tmp_path / "s2.tif", data)
    job = embed_job(path, tmp_path)
    if job_type == "embed_features":
        job.update(type="embed_features", features=[{"id": 1, "bounds": [400100, 5299000, 400900, 5299900]}])
    with pytest.raises(UserError) as err:
        run_job(job, JobContext())
    assert "holds no data in band 4 (B4)" in str(err.value) and "NaN, ±Inf or nodata" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["s2.tif"]


@pytest.mark.parametrize("garbage", [np.nan, np.inf])
def test_every_band_nan_or_inf_is_no_valid_pixels(tmp_path, fake_model, garbage):
    path = write_raster(tmp_path / "s2.tif", np.full((12, 288, 320), garbage, np.float32))
    with pytest.raises(UserError, match="no valid pixels inside the area of interest: every pixel is nodata, NaN"):
        run_job(embed_job(path, tmp_path), JobContext())
    assert sorted(os.listdir(tmp_path)) == ["s2.tif"]


def test_nan_and_inf_pixels_are_nodata_and_not_counted(tmp_path, fake_model):
    """One band NaN in the 4 left columns of cells, another +Inf in the 2 top rows of cells: those cells
    are nodata in the grid and left out of the cell count (the fake model also refuses non-finite input)."""
    data = random_s2(288, 320).astype(np.float32)  # 18 x 20 cells
    data[3, :, :64] = np.nan
    data[7, :32, :] = np.inf
    path = write_raster(tmp_path / "s2.tif", data)
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert result["cells"] == 16 * 16
    with rasterio.open(result["grid"]) as ds:
        grid = ds.read()
    assert np.isnan(grid[:, :, :4]).all() and np.isnan(grid[:, :2, :]).all()
    assert np.isfinite(grid[:, 2:, 4:]).all()


def test_a_band_with_a_little_data_is_not_refused(tmp_path, fake_model):
    """The decimated look at the bands misses a single pixel; the full read of that band finds it."""
    data = random_s2(600, 600).astype(np.float32)
    data[3] = np.nan
    data[3, 150, 150] = 1234.0
    path = write_raster(tmp_path / "s2.tif", data)
    result = run_job(embed_job(path, tmp_path), JobContext())
    assert result["cells"] == 1


def test_complex_raster_is_refused_with_the_reason(tmp_path, fake_model):
    values = random_s2(32, 32).astype(np.complex64) * (1 + 1j)
    path = write_raster(tmp_path / "slc.tif", values)
    with pytest.raises(UserError) as err:
        run_job(embed_job(path, tmp_path), JobContext())
    assert "holds complex values (complex64" in str(err.value) and "imaginary part" in str(err.value)
    spec = {"type": "pca", "input": path, "output": str(tmp_path / "o.tif"), "components": 2}
    with pytest.raises(UserError, match="holds complex values"):
        run_job(spec, JobContext())
    assert sorted(os.listdir(tmp_path)) == ["slc.tif"]


@pytest.mark.parametrize("job_type", ["pca", "cluster", "similarity"])
def test_embedding_band_without_data_is_named(tmp_path, job_type):
    data = np.random.default_rng(0).random((8, 40, 40), dtype=np.float32)
    data[4] = np.nan
    data[4, 39, 39] = np.inf
    path = synthetic.write_raster(tmp_path / "emb.tif", data)
    spec = {
        "type": job_type,
        "input": path,
        "output": str(tmp_path / "o.tif"),
        "k": 2,
        "reference": {"vectors": [[1.0] * 8]},
    }
    with pytest.raises(UserError) as err:
        run_job(spec, JobContext())
    assert "holds no data in band 5:" in str(err.value) and "NaN, ±Inf or nodata" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["emb.tif"]


def test_embedding_cells_with_nan_or_inf_are_not_counted(tmp_path):
    data = np.random.default_rng(0).random((8, 40, 40), dtype=np.float32)
    data[2, :10] = np.nan
    data[6, :, :10] = -np.inf
    path = synthetic.write_raster(tmp_path / "emb.tif", data)
    result = run_job({"type": "pca", "input": path, "output": str(tmp_path / "o.tif"), "components": 2}, JobContext())
    assert result["valid_cells"] == 30 * 30


def test_weights_file_that_is_a_folder_is_named(tmp_path):
    path = write_raster(tmp_path / "s2.tif", random_s2(32, 32))
    job = dict(embed_job(path, tmp_path), model="terrafm_b_s2", weights={"path": str(tmp_path)})
    with pytest.raises(UserError) as err:
        run_job(job, JobContext())
    assert "The weights file for model 'terrafm_b_s2' is a folder: %s" % tmp_path in str(err.value)
    assert "A weights file is expected" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["s2.tif"]


def test_features_without_geometry_or_bounds_are_named(tmp_path, fake_model):
    path = write_raster(tmp_path / "s2.tif", random_s2(64, 64))
    features = [
        {"id": 1, "bounds": [400100, 5299500, 400500, 5299900]},
        {"id": 2, "bounds": None, "missing": "it has no geometry"},
        {"id": 3, "bounds": "nonsense"},
    ]
    job = {"type": "embed_features", "source": {"kind": "raster", "path": path}, "model": "fake", "features": features}
    ctx = JobContext()
    result = run_job(job, ctx)
    assert result["embedded"] == 1 and result["skipped"]["2"] == "it has no geometry"
    assert "2 of 3 feature(s) were not embedded: #2 (it has no geometry); #3 (no valid bounds" in (
        " ".join(ctx.warnings)
    ), ctx.warnings
    assert not any("see 'skipped'" in w for w in ctx.warnings)


@pytest.mark.parametrize("patch", [False, True])
def test_band_check_of_a_geographic_raster_reads_the_file_under_the_area(tmp_path, fake_model, patch):
    """A lon/lat raster is read warped to UTM; its bands are checked on the file's own pixels: band 4
    all NaN is named, band 4 with a patch of data is not refused."""
    from rasterio.transform import from_origin

    data = random_s2(300, 300).astype(np.float32)
    data[3] = np.nan
    if patch:
        data[3, 100:140, 100:140] = 1234.0
    path = write_raster(tmp_path / "ll.tif", data, crs="EPSG:4326", transform=from_origin(15.0, 47.8, 1e-4, 1e-4))
    job = embed_job(path, tmp_path)
    if patch:
        assert run_job(job, JobContext())["cells"] > 0
    else:
        with pytest.raises(UserError, match=r"holds no data in band 4 \(B4\)"):
            run_job(job, JobContext())
