"""The explore benchmark (benchmarks/benchmark.py --explore, explore_speed.py) keeps working: its grid
has the embed job's layout and planted classes, and a short run goes end to end through the real
worker with a few clicks."""

import json
import os
import sys
import tempfile

import numpy as np
import pytest
import rasterio

import terraembed

BENCHMARKS = os.path.join(os.path.dirname(os.path.abspath(terraembed.__file__)), "benchmarks")


@pytest.fixture
def explore_speed():
    if BENCHMARKS not in sys.path:
        sys.path.insert(0, BENCHMARKS)
    import explore_speed

    return explore_speed


@pytest.fixture
def benchmark_module(explore_speed):
    import benchmark

    return benchmark


def test_the_grid_has_the_embed_layout_and_planted_classes(explore_speed, tmp_path):
    path = str(tmp_path / "grid.tif")
    codes = explore_speed.make_grid(path, size=40, dimensions=24, classes=3)
    with rasterio.open(path) as ds:
        assert (ds.width, ds.height, ds.count, ds.dtypes[0]) == (40, 40, 24, "float32")
        assert ds.profile["tiled"] and ds.profile["interleave"] == "band" and ds.block_shapes[0][0] == 16
        assert ds.tags()["TERRAEMBED_DIM"] == "24"
        data = ds.read().reshape(24, -1).T
    assert set(np.unique(codes)) == {1, 2, 3}
    means = np.stack([data[codes.ravel() == c].mean(axis=0) for c in (1, 2, 3)])
    nearest = np.argmin(((data[:, None, :] - means[None]) ** 2).sum(axis=-1), axis=1) + 1
    assert (nearest == codes.ravel()).mean() > 0.95  # each class is its own cloud


def test_a_short_explore_run_goes_end_to_end(explore_speed, benchmark_module, tmp_path, monkeypatch):
    monkeypatch.setattr(explore_speed, "POSITIVES", 3)  # a few clicks of each kind: seconds, not minutes
    monkeypatch.setattr(explore_speed, "NEGATIVES", 2)
    monkeypatch.setattr(explore_speed, "FEWSHOT", 2)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    os.mkdir(tmp_path / "tmp")
    out = tmp_path / "explore.json"
    benchmark_module.main(["--explore", "--explore-size", "64", "--json", str(out)])
    figures = json.loads(out.read_text())
    assert figures["storage_default"] in figures["by_storage"]
    for storage, f in figures["by_storage"].items():
        for key in ("open_s", "click_ms_median", "click_ms_p95", "fewshot_s", "session_rss_mb", "batch_s"):
            assert f[key] > 0, (storage, key)
        assert f["clicks"] == 7
        assert f["max_abs_diff_vs_batch"] <= f["bound"] and f["valid_cells_differ"] == 0
        assert f["threshold_mismatches"] == 0
    assert figures["click_ms_median"] == figures["by_storage"][figures["storage_default"]]["click_ms_median"]
    assert figures["threshold_ms"] > 0 and figures["cpu"]
    assert os.listdir(tmp_path / "tmp") == []  # the generated grid went with its folder
