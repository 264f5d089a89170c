"""Behaviour shared by every analysis job: cancel and errors leave no output, bad paths are user
errors, sampling does not depend on the block layout, and the worker runs the jobs from a file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.analysis import blocks, sampling
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import Cancelled, UserError

JOBS = ["pca", "similarity", "cluster", "classify", "change", "compare", "apply_classifier"]


@pytest.fixture(scope="module")
def rasters(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("common")
    labels = synthetic.voronoi_labels(3, 50, 60, seed=6)
    data, centres = synthetic.embed_labels(labels, bands=16, noise=0.3, seed=6)
    data, invalid = synthetic.punch_nodata(data, seed=6)
    a = synthetic.write_raster(tmp / "a.tif", data)
    b = synthetic.write_raster(tmp / "b.tif", data[:, ::-1, :])
    return a, b, labels, centres


def _spec(kind, rasters, folder):
    a, b, labels, centres = rasters
    out = str(folder / "out.tif")
    tf = synthetic.grid_transform()
    if kind == "pca":
        return {"type": "pca", "input": a, "output": out, "components": 2}
    if kind == "similarity":
        return {
            "type": "similarity",
            "input": a,
            "output": out,
            "threshold": 0.5,
            "mask_output": str(folder / "mask.tif"),
            "polygons_output": str(folder / "poly.geojson"),
            "reference": {"geometries": [synthetic.rect_wkt(tf, 20, 20, 24, 24)]},
        }
    if kind == "cluster":
        return {"type": "cluster", "input": a, "output": out, "k": 3}
    if kind == "classify":
        items = []
        for c in (1, 2, 3):
            rows, cols = np.nonzero(labels[2:] == c)
            for i in (0, len(rows) // 2, len(rows) - 1):
                items.append({"wkt": synthetic.point_wkt(tf, rows[i] + 2, cols[i]), "label": "c%d" % c})
        return {
            "type": "classify",
            "input": a,
            "output": out,
            "labels": items,
            "probabilities_output": str(folder / "prob.tif"),
            "report_output": str(folder / "report.csv"),
            "uncertainty_output": str(folder / "unsure.tif"),
            "suggestions_output": str(folder / "next.gpkg"),
            "classifier_output": str(folder / "classifier.json"),
        }
    if kind == "apply_classifier":
        return {
            "type": "apply_classifier",
            "input": a,
            "classifier": _classifier(rasters),
            "output": out,
            "probabilities_output": str(folder / "prob.tif"),
            "uncertainty_output": str(folder / "unsure.tif"),
        }
    if kind == "compare":
        classify = _spec("classify", rasters, folder)
        return {"type": "compare", "rasters": [a, b], "labels": classify["labels"], "output": str(folder / "out.csv")}
    return {"type": "change", "before": a, "after": b, "output": out}


def _set_input(spec, path):
    """Point the job's (first) input raster at path."""
    if spec["type"] == "compare":
        spec["rasters"][0] = path
    else:
        spec["before" if spec["type"] == "change" else "input"] = path


def _classifier(rasters):
    """A classifier fitted on raster a, saved beside it (once)."""
    path = os.path.join(os.path.dirname(rasters[0]), "classifier.json")
    if not os.path.exists(path):
        folder = Path(os.path.dirname(rasters[0])) / "fit"
        spec = dict(_spec("classify", rasters, folder), classifier_output=path)
        run_job(spec, JobContext())
    return path


def _cancel_after(n):
    calls = []
    ctx = JobContext(on_progress=lambda f, s: (calls.append(f), len(calls) >= n and ctx.cancel_event.set()))
    return ctx


@pytest.mark.parametrize("kind", JOBS)
def test_job_succeeds_and_outputs_exist(kind, rasters, tmp_path):
    spec = _spec(kind, rasters, tmp_path)
    progress = []
    result = run_job(spec, JobContext(on_progress=lambda f, s: progress.append(f)))
    json.dumps(result, allow_nan=False)  # the result travels as strict JSON
    assert os.path.exists(result["output"])
    assert progress and progress[-1] == pytest.approx(1.0)
    assert all(b >= a - 1e-9 for a, b in zip(progress, progress[1:]))  # never goes backwards
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temporaries left


@pytest.mark.parametrize("kind", JOBS)
@pytest.mark.parametrize("when", [0.0, 0.5, 0.97])
def test_cancel_leaves_no_output(kind, when, rasters, tmp_path):
    """Cancel early (reading), half-way and at the very end (writing): no output, no temporaries."""
    spec = _spec(kind, rasters, tmp_path / "count")
    spec["block_size"] = 5  # 120 blocks per pass
    calls = []
    run_job(spec, JobContext(on_progress=lambda f, s: calls.append(s)))
    n = max(1, int(when * len(calls)))
    spec = _spec(kind, rasters, tmp_path / "run")
    spec["block_size"] = 5
    os.makedirs(tmp_path / "run")
    Path(spec["output"]).write_text("older output")
    with pytest.raises(Cancelled):
        run_job(spec, _cancel_after(n))
    assert sorted(os.listdir(tmp_path / "run")) == [os.path.basename(spec["output"])]  # nothing new, no temporaries
    assert Path(spec["output"]).read_text() == "older output"  # an older output is untouched


@pytest.mark.parametrize("kind", JOBS)
def test_destination_not_writable(kind, rasters, tmp_path):
    spec = _spec(kind, rasters, tmp_path)
    (tmp_path / "a_file").write_text("")
    spec["output"] = str(tmp_path / "a_file" / "out.tif")  # a folder that cannot be created
    with pytest.raises(UserError, match="(?i)writable"):
        run_job(spec, JobContext())
    assert sorted(os.listdir(tmp_path)) == ["a_file"]


@pytest.mark.parametrize("kind", JOBS)
def test_output_is_input_or_missing_input(kind, rasters, tmp_path):
    spec = _spec(kind, rasters, tmp_path)
    spec["output"] = rasters[0]
    with pytest.raises(UserError, match="also an input"):
        run_job(spec, JobContext())
    spec = _spec(kind, rasters, tmp_path)
    _set_input(spec, str(tmp_path / "missing.tif"))
    with pytest.raises(UserError, match="does not exist"):
        run_job(spec, JobContext())
    (tmp_path / "text.tif").write_text("not a raster")
    _set_input(spec, str(tmp_path / "text.tif"))
    with pytest.raises(UserError, match="not a raster GDAL can read, or the file is corrupt"):
        run_job(spec, JobContext())


def test_output_folder_is_created(rasters, tmp_path):
    out = tmp_path / "new" / "folder" / "pca.tif"
    run_job({"type": "pca", "input": rasters[0], "output": str(out), "components": 1}, JobContext())
    assert out.exists()


@pytest.mark.parametrize("kind", ["pca", "cluster", "similarity"])
def test_all_nodata_raster(kind, tmp_path):
    data = np.full((4, 10, 12), synthetic.NODATA, dtype=np.float32)
    path = synthetic.write_raster(tmp_path / "empty.tif", data)
    spec = {
        "type": kind,
        "input": path,
        "output": str(tmp_path / "o.tif"),
        "k": 2,
        "reference": {"vectors": [[1, 2, 3, 4]]},
    }
    with pytest.raises(UserError, match="no valid cells"):
        run_job(spec, JobContext())
    assert sorted(os.listdir(tmp_path)) == ["empty.tif"]


def test_bad_numbers_are_user_errors(rasters, tmp_path):
    base = {"type": "pca", "input": rasters[0], "output": str(tmp_path / "o.tif")}
    for key, value in (
        ("components", "three"),
        ("components", 0),
        ("seed", -1),
        ("sample", 1.5),
        ("block_size", "big"),
        ("block_size", 0),
        ("whiten", "maybe"),
    ):
        with pytest.raises(UserError, match=key):
            run_job(dict(base, **{key: value}), JobContext())


def test_bounded_sample_independent_of_chunks():
    rng = np.random.default_rng(0)
    idx = rng.permutation(10_000).astype(np.uint64)
    keys = sampling.hash_keys(idx, seed=7)
    results = []
    for chunk in (10_000, 333, 7):
        s = sampling.BoundedSample(500)
        for i in range(0, len(idx), chunk):
            s.add(keys[i : i + chunk], idx[i : i + chunk])
        results.append(s.result()[0])
        assert s.seen == 10_000
    np.testing.assert_array_equal(results[0], results[1])
    np.testing.assert_array_equal(results[0], results[2])
    assert len(np.unique(results[0])) == 500
    # a different seed draws a different sample; the keys look uniform
    other = sampling.hash_keys(idx, seed=8)
    assert not np.array_equal(np.argsort(keys)[:500], np.argsort(other)[:500])
    assert 0.45 < (keys < np.uint64(2**63)).mean() < 0.55


def test_read_block_validity(tmp_path):
    data = np.ones((3, 4, 5), dtype=np.float32)
    data[1, 0, 0] = -9999  # nodata in one band only
    data[2, 1, 1] = np.nan
    data[0, 2, 2] = np.inf
    path = synthetic.write_raster(tmp_path / "v.tif", data)
    with rasterio.open(path) as src:
        values, valid = blocks.read_block(src, next(blocks.iter_windows(5, 4, 100)))
    assert values.shape == (20, 3)
    expected = np.ones((4, 5), dtype=bool)
    expected[0, 0] = expected[1, 1] = expected[2, 2] = False
    np.testing.assert_array_equal(valid, expected.reshape(-1))


def test_windows_cover_the_raster():
    cover = np.zeros((23, 31), dtype=int)
    for w in blocks.iter_windows(31, 23, 6):
        cover[w.row_off : w.row_off + w.height, w.col_off : w.col_off + w.width] += 1
    assert (cover == 1).all()
    assert blocks.count_windows(31, 23, 6) == len(list(blocks.iter_windows(31, 23, 6)))
    assert blocks.block_side(64) == 256 and blocks.block_side(1024) < 256
    assert blocks.block_side(64, 7) == 7


def test_geojson_without_pyogrio(rasters, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyogrio.raw", None)  # import fails -> handwritten GeoJSON
    spec = _spec("similarity", rasters, tmp_path)
    result = run_job(spec, JobContext())
    doc = json.loads(Path(spec["polygons_output"]).read_text())
    assert len(doc["features"]) == result["polygons"] > 0
    assert doc["crs"]["properties"]["name"].endswith("32633")
    spec["polygons_output"] = str(tmp_path / "p.gpkg")
    with pytest.raises(UserError, match="pyogrio"):
        run_job(spec, JobContext())


def test_worker_runs_a_job_file(rasters, tmp_path):
    spec = _spec("cluster", rasters, tmp_path)
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps(spec))
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "terraembed.engine", "--job", str(job_file), "--result", str(tmp_path / "result.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["k"] == 3 and os.path.exists(result["output"])
    # a user error exits with code 2 and leaves no output
    spec["k"] = 10**6
    spec["output"] = str(tmp_path / "bad.tif")
    job_file.write_text(json.dumps(spec))
    proc = subprocess.run(
        [sys.executable, "-m", "terraembed.engine", "--job", str(job_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 2 and "must be between 0 and 255" in proc.stderr
    assert not (tmp_path / "bad.tif").exists()


@pytest.mark.parametrize("kind", JOBS)
def test_memory_does_not_grow_with_raster_size(kind, tmp_path):
    """Peak numpy/Python allocations (tracemalloc) of a raster 16x larger stay about the same."""
    import tracemalloc

    def spec_for(n):
        labels = synthetic.voronoi_labels(3, n, n, seed=0)
        data, centres = synthetic.embed_labels(labels, bands=8, seed=0)
        path = synthetic.write_raster(tmp_path / ("r%d.tif" % n), data)
        tf = synthetic.grid_transform()
        step = n // 8
        return {
            "type": kind,
            "input": path,
            "output": str(tmp_path / ("o.csv" if kind == "compare" else "o.tif")),
            "rasters": [path, path],
            "k": 3,
            "sample": 300,
            "block_size": 32,
            "components": 2,
            "before": path,
            "after": path,
            "reference": {"vectors": [centres[1].tolist()]},
            "threshold": 0.5,
            "mask_output": str(tmp_path / "m.tif"),
            "labels": [
                {"wkt": synthetic.point_wkt(tf, r, c), "label": str(labels[r, c])}
                for r in range(0, n, step)
                for c in range(0, n, step)
            ],
        }

    small, big = spec_for(64), spec_for(256)
    if kind == "apply_classifier":  # a classifier of these 8-dimensional embeddings
        fitted = str(tmp_path / "classifier.json")
        run_job(dict(small, type="classify", cv_folds=0, classifier_output=fitted), JobContext())
        small, big = dict(small, classifier=fitted), dict(big, classifier=fitted)
    run_job(small, JobContext())  # warm up: lazy imports allocate too
    peaks = []
    for spec in (small, big):
        tracemalloc.start()
        try:
            run_job(spec, JobContext())
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0] + 300_000, peaks
