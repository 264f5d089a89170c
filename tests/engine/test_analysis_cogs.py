"""The analysis jobs' rasters as Cloud Optimized GeoTIFFs (engine/analysis/cog_rasters.py): every raster of
every analysis job, run through run_job on planted rasters (analysis_outputs.py), has overviews resampled by
what its cells hold (values averaged, classes the most frequent class so an overview holds only classes,
change over time by nearest neighbour so its break stays a period number), 256 x 256 DEFLATE tiles (the
PCA's as the embed job writes it), its tags, nodata and band descriptions; the streamed files go with the
job, a cancelled or failed job leaves every old file as it was and nothing new, and the free-space check
counts the overviews. GDAL's own COG validator: tests/shell/test_cog_stac.py."""

import hashlib
import json
import os
import threading
import warnings

import analysis_outputs as ao
import numpy as np
import pytest
import rasterio

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import cog
from terraembed.engine.pipeline.cog import cog_bytes
from terraembed.engine.pipeline.outputs import block_width
from terraembed.shared import space
from terraembed.shared.errors import Cancelled, UserError

LEVELS = [2, 4]  # 520 x 48 cells: 260, 130 columns


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cogs")
    work = folder / "work"
    work.mkdir()
    inputs, out = ao.run_all(folder, work)
    return {"inputs": inputs, "out": out, "work": str(work)}


def _blocks(a):
    """(bands, H/2, W/2, 4): the 2 x 2 cells below each cell of the first overview."""
    b, h, w = a.shape
    return a.reshape(b, h // 2, 2, w // 2, 2).transpose(0, 1, 3, 2, 4).reshape(b, h // 2, w // 2, 4)


def _check_average(full, half):
    with warnings.catch_warnings():  # the all-NaN blocks stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmean(_blocks(full), axis=-1)
    np.testing.assert_allclose(half, expected, rtol=1e-5, atol=1e-6, equal_nan=True)


def _check_mode(full, half, nodata):
    """Each overview cell: the most frequent class of its 2 x 2 cells (nodata left out), so only classes."""
    cells, (h, w) = _blocks(full)[0], half.shape[1:]
    assert set(np.unique(half)) <= set(np.unique(full))
    for r in range(h):
        for c in range(w):
            valid = cells[r, c][cells[r, c] != nodata]
            if not len(valid):
                assert half[0, r, c] == nodata
                continue
            codes, counts = np.unique(valid, return_counts=True)
            assert half[0, r, c] in codes[counts == counts.max()]  # a tie: any of the most frequent


def _check_nearest(full, half):
    """Each overview cell: the values of one of its 2 x 2 cells, every band from the same cell."""
    cells = _blocks(full)  # (bands, h, w, 4)
    same = (cells == half[..., None]) | (np.isnan(cells) & np.isnan(half[..., None]))
    assert same.all(axis=0).any(axis=-1).all()
    breaks = half[1][np.isfinite(half[1])]
    assert len(breaks) and set(np.unique(breaks)) <= {2.0, 3.0}  # period numbers, never a mean of two


def test_every_raster_output_is_written_and_the_temporary_files_are_gone(written):
    names = sorted(n for n in os.listdir(written["out"]) if n.endswith(".tif"))
    assert names == sorted(ao.OUTPUTS)
    assert os.listdir(written["work"]) == []  # every streamed raster was the job's temporary file


@pytest.mark.parametrize("name", sorted(ao.OUTPUTS))
def test_each_raster_is_a_cog_with_the_overviews_of_its_kind(written, name):
    kind, nodata, count, tag = ao.OUTPUTS[name]
    with rasterio.open(os.path.join(written["out"], name)) as ds:
        assert ds.overviews(1) == LEVELS and ds.compression.name == "deflate"
        tiles = (16, block_width(ao.W)) if name == "pca.tif" else (cog.ANALYSIS_TILE, cog.ANALYSIS_TILE)
        assert ds.block_shapes[0] == tiles
        assert ds.count == count and ao.same_nodata(nodata, ds.nodata)
        assert all(ds.descriptions) and tag in ds.tags()
        full = ds.read()
        half = ds.read(out_shape=(count, ao.H // 2, ao.W // 2))  # the first overview, as viewers get it
    assert (full != nodata).any() if not isinstance(nodata, float) else np.isfinite(full).any()
    if kind == "average":
        _check_average(full, half)
    elif kind == "mode":
        _check_mode(full, half, nodata)
    else:
        _check_nearest(full, half)


def test_class_rasters_keep_their_palette_and_classes(written):
    for name in ("cluster.tif", "classes.tif", "applied.tif", "change_classes.tif"):
        with rasterio.open(os.path.join(written["out"], name)) as ds:
            assert ds.colormap(1)[1][3] == 255 and ds.colormap(1)[0][3] == 0, name
            assert json.loads(ds.tags()["TERRAEMBED_CLASSES"]) and ds.tags()["TERRAEMBED_NODATA_CLASS"] == "0"
    with rasterio.open(os.path.join(written["out"], "classes.tif")) as ds:
        assert json.loads(ds.tags()["TERRAEMBED_CLASSES"]) == list(ao.NAMES.values())


@pytest.mark.parametrize("prefix", ["", "applied_"])
def test_the_probabilities_carry_the_class_rasters_tags(written, prefix):
    out = written["out"]
    with rasterio.open(os.path.join(out, (prefix.rstrip("_") or "classes") + ".tif")) as ds:
        class_tags = ds.tags()
    with rasterio.open(os.path.join(out, prefix + "probabilities.tif")) as ds:
        prob_tags, descriptions = ds.tags(), ds.descriptions
    assert json.loads(prob_tags.pop("TERRAEMBED_CLASSES")) == list(ao.NAMES.values()) == list(descriptions)
    own = {k: v for k, v in prob_tags.items() if k.startswith("TERRAEMBED_")}
    assert own and {k: class_tags[k] for k in own} == own  # the classifier, its source, method and seed
    assert own["TERRAEMBED_SOURCE"] == written["inputs"]["paths"][1 if prefix else 0]
    assert own["TERRAEMBED_METHOD"] == "logistic"


def _sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _old_outputs(folder, names):
    """Earlier results at the destinations: {name: sha256}."""
    for name in names:
        (folder / name).write_bytes(b"an earlier result: " + name.encode())
    return {name: _sha(folder / name) for name in names}


def _job(written, name, out):
    job = next(j for j in ao.jobs(written["inputs"], out) if j["type"] == name)
    if name == "apply_classifier":
        job["classifier"] = os.path.join(written["out"], "classifier.json")
    return dict(job, seed=0)


def _outputs_of(job):
    keys = ("output", "probabilities_output", "uncertainty_output", "mask_output", "classes_output")
    return [os.path.basename(job[k]) for k in keys if job.get(k)]


@pytest.mark.parametrize("name", ["similarity", "apply_classifier", "change_series"])
def test_a_run_cancelled_while_its_cogs_are_copied_leaves_the_old_files(written, tmp_path, name):
    """Cancelled at the COG copy, after every raster was streamed: the old files stay, nothing new is
    left beside them, and the streamed rasters are gone from the temporary folder."""
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir(), work.mkdir()
    job = _job(written, name, out)
    old = _old_outputs(out, _outputs_of(job))
    cancel, seen = threading.Event(), []

    def on_progress(fraction, stage):
        if stage == "write":
            seen.append(sorted(os.listdir(work)))  # the streamed rasters, before the copy
            cancel.set()

    with pytest.raises(Cancelled):
        run_job(job, JobContext(on_progress=on_progress, cancel_event=cancel, work_dir=str(work)))
    assert len(seen[0]) == len(old)  # one streamed raster per raster output, in the temporary folder
    assert {n: _sha(out / n) for n in os.listdir(out)} == old and os.listdir(work) == []


def test_a_failed_cog_copy_leaves_the_old_files(written, tmp_path, monkeypatch):
    """The disk fills while the second of three rasters is copied: the first one's COG, already at its
    partial name, goes with the rest; the old files stay."""
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir(), work.mkdir()
    job = _job(written, "apply_classifier", out)
    old = _old_outputs(out, _outputs_of(job))
    write_cog, copies = cog.write_cog, []

    def disk_full_at_the_second(scratch, partial, *args, **kwargs):
        copies.append(partial)
        if len(copies) == 2:
            raise OSError(28, "No space left on device")
        return write_cog(scratch, partial, *args, **kwargs)

    monkeypatch.setattr(cog, "write_cog", disk_full_at_the_second)
    with pytest.raises(UserError, match="No space left"):
        run_job(job, JobContext(work_dir=str(work)))
    assert len(copies) == 2 and not os.path.exists(copies[0])
    assert {n: _sha(out / n) for n in os.listdir(out)} == old and os.listdir(work) == []


def test_the_free_space_check_counts_the_overviews(written, tmp_path, monkeypatch):
    """Room for the similarity raster's full resolution but not for its overviews: refused before any
    work, naming the raster, with nothing written."""
    full = 768 * 256 * 4  # the full resolution: 3 x 1 tiles of 256 x 256 float32 cells
    estimate = cog_bytes(ao.W, ao.H, 1, "float32", cog.ANALYSIS_TILE)
    assert estimate > full  # the overviews: 260 x 24 and 130 x 12 cells in 64 x 64 tiles
    free = full + space.MARGIN_BYTES + (estimate - full) // 2  # the full resolution fits, the overviews do not
    monkeypatch.setattr(space, "free_bytes", lambda folder: free)
    out = tmp_path / "out"
    out.mkdir()
    job = _job(written, "similarity", out)
    job.pop("mask_output")
    with pytest.raises(UserError, match="Not enough free space in %s: the similarity raster" % out):
        run_job(job, JobContext(work_dir=str(tmp_path)))
    assert os.listdir(out) == []
