"""Explore session: its live answers equal the batch jobs' outputs for the same labels, on planted
structure; bad clicks are ignored with a reason; saving goes through the output transaction."""

import gc
import os
import weakref

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.analysis import explore, explore_save
from terraembed.engine.analysis.explore import ExploreSession
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D = 48, 56, 32
NAMES = {1: "water", 2: "forest", 3: "field"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explore")
    path, labels, invalid = synthetic.planted_raster(tmp / "emb.tif", 3, H, W, D, noise=0.6, seed=7)
    return str(path), labels, invalid


def _label(row, col, sign=1, name="target"):
    x, y = synthetic.cell_centre(synthetic.grid_transform(), row, col)
    return {"x": x, "y": y, "sign": sign, "class": name}


def _cells(labels, invalid, code, n, seed):
    rows, cols = np.nonzero((labels == code) & ~invalid)
    pick = np.random.default_rng(seed).choice(len(rows), n, replace=False)
    return [(int(rows[i]), int(cols[i])) for i in pick]


def _class_examples(labels, invalid, per_class=6):
    """The same examples as explore clicks and as the classify job's labels: per_class of each class."""
    clicks, items = [], []
    for code, name in NAMES.items():
        for r, c in _cells(labels, invalid, code, per_class, code):
            clicks.append(_label(r, c, name=name))
            items.append({"wkt": synthetic.point_wkt(synthetic.grid_transform(), r, c), "label": name})
    return clicks, items


def _read(path, band=1):
    with rasterio.open(path) as ds:
        return ds.read(band)


@pytest.fixture(scope="module", params=["float32", "bfloat16"])
def session(request, planted):
    s = ExploreSession(planted[0], JobContext(), storage=request.param)
    yield s
    s.close()


def _oracle(path, pos, neg):
    """cos(x, mean of positives) - cos(x, mean of negatives) in float64, from the file's values."""
    with rasterio.open(path) as ds:
        data = ds.read().astype(np.float64)
    x = data.reshape(data.shape[0], -1).T
    norms = np.linalg.norm(x, axis=1)

    def cos(cells):
        m = np.mean([data[:, r, c] for r, c in cells], axis=0)
        return (x @ (m / np.linalg.norm(m))) / np.where(norms > 0, norms, 1)

    out = cos(pos) - (cos(neg) if neg else 0)
    return out.reshape(H, W)


def test_similarity_equals_the_batch_job(session, planted, tmp_path):
    path, labels, invalid = planted
    pos = _cells(labels, invalid, 2, 3, 1)
    result = session.similarity([_label(r, c) for r, c in pos], str(tmp_path / "heat.tif"))
    live = _read(result["path"])
    batch_out = tmp_path / "batch.tif"
    geometries = [synthetic.point_wkt(synthetic.grid_transform(), r, c) for r, c in pos]
    run_job(
        {"type": "similarity", "input": path, "output": str(batch_out), "reference": {"geometries": geometries}},
        JobContext(),
    )
    batch = _read(batch_out)
    assert np.array_equal(np.isnan(live), np.isnan(batch)) and np.isnan(live[invalid]).all()
    bound = 1e-5 if session.storage == "float32" else explore.BF16_BOUND
    assert np.nanmax(np.abs(live - batch)) <= bound
    assert result["positives"] == 3 and result["negatives"] == 0 and result["ignored"] == []
    # the planted class is what the heat map finds
    assert np.nanmean(live[labels == 2]) > np.nanmean(live[labels != 2]) + 0.3


def test_negatives_subtract_their_similarity(session, planted, tmp_path):
    path, labels, invalid = planted
    pos, neg = _cells(labels, invalid, 1, 2, 2), _cells(labels, invalid, 3, 2, 3)
    clicks = [_label(r, c) for r, c in pos] + [_label(r, c, sign=-1) for r, c in neg]
    result = session.similarity(clicks, str(tmp_path / "heat.tif"))
    live = _read(result["path"])
    bound = 1e-5 if session.storage == "float32" else explore.BF16_BOUND
    assert np.nanmax(np.abs(live - _oracle(path, pos, neg))) <= bound
    assert result["negatives"] == 2 and -2 <= result["min"] < result["max"] <= 2
    assert np.nanmean(live[labels == 3]) < np.nanmean(live[labels == 2]) < np.nanmean(live[labels == 1])
    # the histogram counts every valid cell, so areas at the slider's steps are exact
    counts = np.array(result["histogram"]["counts"])
    assert counts.sum() == (~np.isnan(live)).sum() == result["valid_cells"]
    edges = np.linspace(-2, 2, explore.HIST_BINS + 1)
    k = int(np.searchsorted(edges, 0.25))
    assert counts[k:].sum() == (live[~np.isnan(live)] >= edges[k]).sum()


def test_clicks_outside_or_on_nodata_are_ignored_with_a_reason(session, planted, tmp_path):
    _, labels, invalid = planted
    r, c = _cells(labels, invalid, 1, 1, 4)[0]
    bad_r, bad_c = map(int, np.argwhere(invalid)[0])
    clicks = [_label(r, c), _label(-5, 3), _label(bad_r, bad_c), {"sign": 1}]
    result = session.similarity(clicks, str(tmp_path / "heat.tif"))
    assert result["positives"] == 1
    assert [(g["label"], g["reason"]) for g in result["ignored"]] == [
        (1, "outside the raster"),
        (2, "a cell without data"),
        (3, "no coordinates"),
    ]
    with pytest.raises(UserError, match="at least one positive"):
        session.similarity([_label(r, c, sign=-1)], str(tmp_path / "h2.tif"))


def test_fewshot_class_map_equals_the_classify_job(planted, tmp_path):
    path, labels, invalid = planted
    s = ExploreSession(path, JobContext(), storage="float32")
    clicks, items = _class_examples(labels, invalid)
    clicks.append(_label(*_cells(labels, invalid, 1, 1, 9)[0], sign=-1, name="field"))  # negatives: left out
    result = s.fewshot(clicks, str(tmp_path / "live.tif"))
    run_job(
        {
            "type": "classify",
            "input": path,
            "output": str(tmp_path / "cls.tif"),
            "labels": items,
            "cv_folds": 0,
            "probabilities_output": str(tmp_path / "prob.tif"),
        },
        JobContext(),
    )
    live_cls, live_prob = _read(result["path"], 1), _read(result["path"], 2)
    batch_cls = _read(tmp_path / "cls.tif")
    with rasterio.open(tmp_path / "prob.tif") as ds:
        batch_prob = ds.read().max(axis=0)
    assert result["classes"] == list(NAMES.values()) and result["examples"] == [6, 6, 6]
    assert np.array_equal(np.nan_to_num(live_cls, nan=0).astype(int), batch_cls)
    assert np.nanmax(np.abs(live_prob - batch_prob)) <= 1e-4
    # planted classes are found, and the cross-validation groups labels by spatial blocks
    assert (batch_cls[~invalid] == labels[~invalid]).mean() > 0.95
    assert result["cv_scheme"] == "spatial blocks of 16 x 16 cells" and result["cv_folds"] >= 2
    assert result["cv_block_cells"] == explore.CV_BLOCK == 16
    assert result["cv_accuracy"] > 0.8
    # saving the class map goes through the output transaction
    saved = explore_save.save(s, {"classes": str(tmp_path / "saved.tif")}, JobContext(work_dir=str(tmp_path)))
    assert np.array_equal(_read(saved["classes"]), batch_cls)
    with pytest.raises(UserError, match="at least 2 classes"):
        s.fewshot([c for c in clicks if c["class"] == "water"], str(tmp_path / "x.tif"))
    # a label whose class was left empty is ignored with the reason, not a crash, and changes nothing
    blank = [dict(clicks[0], **{"class": " "}), dict(clicks[1], **{"class": None})]
    again = s.fewshot(clicks + blank, str(tmp_path / "blank.tif"))
    assert [(g["label"], g["reason"]) for g in again["ignored"]] == [
        (len(clicks), "no class"),
        (len(clicks) + 1, "no class"),
    ]
    assert again["examples"] == result["examples"]
    assert np.array_equal(_read(again["path"], 1), live_cls, equal_nan=True)
    s.close()


@pytest.mark.parametrize(
    "locale, words", [("fr", "blocs spatiaux de 16 x 16 cellules"), (None, "spatial blocks of 16 x 16 cells")]
)
def test_the_fewshot_validation_scheme_is_data_and_the_sessions_words(planted, tmp_path, locale, words):
    """The panel says the scheme from the block's side (cv_block_cells, ui/explore_answers.py), with or without
    enough blocks to validate; cv_scheme is in the language the shell opened the session with."""
    from terraembed.engine import i18n
    from terraembed.engine.session import open_session

    path, labels, invalid = planted
    _, s = open_session({"kind": "explore", "input": path, "storage": "float32", "locale": locale}, JobContext())
    try:
        clicks, _ = _class_examples(labels, invalid)
        validated = s.fewshot(clicks, str(tmp_path / "validated.tif"))
        one_each = s.fewshot([clicks[0], clicks[6]], str(tmp_path / "one.tif"))  # a block per class: no folds
    finally:
        s.close()
        i18n.use(None)
    assert validated["cv_accuracy"] > 0.8 and one_each["cv_accuracy"] is None and one_each["cv_folds"] == 0
    for answer in (validated, one_each):
        assert (answer["cv_block_cells"], answer["cv_scheme"]) == (explore.CV_BLOCK, words)


def test_save_writes_all_or_nothing(session, planted, tmp_path):
    _, labels, invalid = planted
    session.similarity([_label(r, c) for r, c in _cells(labels, invalid, 3, 2, 5)], str(tmp_path / "h.tif"))
    old = tmp_path / "mask.tif"
    old.write_bytes(b"an older file the user keeps")
    in_the_way = tmp_path / "areas.gpkg"
    in_the_way.mkdir()  # a folder where the polygons should go: the whole save is refused
    with pytest.raises(UserError, match="areas.gpkg"):
        explore_save.save(
            session,
            {"heatmap": str(tmp_path / "heat.tif"), "mask": str(old), "threshold": 0.5, "polygons": str(in_the_way)},
            JobContext(work_dir=str(tmp_path)),
        )
    assert old.read_bytes() == b"an older file the user keeps"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["areas.gpkg", "h.tif", "mask.tif"]
    in_the_way.rmdir()
    saved = explore_save.save(
        session,
        {
            "heatmap": str(tmp_path / "heat.tif"),
            "mask": str(old),
            "threshold": 0.5,
            "polygons": str(tmp_path / "areas.gpkg"),
        },
        JobContext(work_dir=str(tmp_path)),
    )
    mask = _read(saved["mask"])
    heat = _read(saved["heatmap"])
    assert np.array_equal(mask == 1, np.nan_to_num(heat, nan=-9) >= 0.5)
    assert (mask[invalid] == 255).all()
    # written as the analysis jobs write their rasters (cog_rasters.py): COGs, the streamed files gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["areas.gpkg", "h.tif", "heat.tif", "mask.tif"]
    for name in ("heat.tif", "mask.tif"):
        with rasterio.open(tmp_path / name) as ds:
            assert ds.block_shapes[0] == (256, 256) and ds.compression.name == "deflate"
            assert ds.tags()["TERRAEMBED_SOURCE"] == str(planted[0])


def test_a_grid_larger_than_memory_is_refused_with_the_size(planted, monkeypatch):
    monkeypatch.setattr(explore, "available_memory", lambda: 1000)
    with pytest.raises(UserError, match=r"needs 0\.\d+ GB of memory .* Clip"):
        ExploreSession(planted[0], JobContext(), storage="float32")


def test_replacing_the_raster_is_noticed_and_closing_frees_the_grid(planted, tmp_path):
    copy = tmp_path / "copy.tif"
    copy.write_bytes(open(planted[0], "rb").read())
    s = ExploreSession(str(copy), JobContext(), storage="float32")
    grid = weakref.ref(s.unit)
    assert not s.replaced()
    os.replace(synthetic.write_raster(tmp_path / "other.tif", np.ones((D, H, W), dtype=np.float32)), copy)
    assert s.replaced()
    s.close()
    gc.collect()
    assert grid() is None


@pytest.mark.parametrize(
    "features, storage",
    [
        (["avx512f", "avx512_bf16"], "bfloat16"),
        (["amx_bf16"], "bfloat16"),
        (["avx2", "avx512f"], "float32"),
        ([], "float32"),
    ],
)
def test_bf16_storage_only_where_the_cpu_does_bf16(features, storage):
    assert explore.storage_for("auto", features) == storage
    assert explore.storage_for("float32", features) == "float32"


@pytest.mark.parametrize("interleave", ["band", "pixel"])
def test_loading_by_band_groups_or_row_strips_gives_the_same_vectors(planted, tmp_path, monkeypatch, interleave):
    """A band-interleaved grid is read by groups of bands, a pixel-interleaved one by strips of rows;
    with groups and strips far smaller than the raster, every cell ends up with its own vector."""
    path, labels, invalid = planted
    with rasterio.open(path) as ds:
        data, nodata = ds.read(), ds.nodata
    copy = synthetic.write_raster(tmp_path / "copy.tif", data, nodata=nodata, interleave=interleave)
    whole = ExploreSession(path, JobContext(), storage="float32")
    monkeypatch.setattr(explore, "LOAD_BYTES", H * W * 4 * 3 if interleave == "band" else W * D * 4 * 5)
    parts = ExploreSession(str(copy), JobContext(), storage="float32")
    assert np.array_equal(parts.valid, whole.valid) and np.array_equal(parts.valid, ~invalid.reshape(-1))
    assert np.allclose(parts.unit.numpy(), whole.unit.numpy(), atol=1e-7)  # sums in another order
    assert np.allclose(parts.norms, whole.norms, rtol=1e-6)
    x = data.reshape(D, -1).T.astype(np.float64)[parts.valid]
    assert np.allclose(parts.unit.numpy()[parts.valid], x / np.linalg.norm(x, axis=1)[:, None], atol=1e-6)


def test_fewshot_with_bfloat16_storage_agrees_with_the_classify_job(planted, tmp_path):
    path, labels, invalid = planted
    s = ExploreSession(path, JobContext(), storage="bfloat16")
    clicks, items = _class_examples(labels, invalid)
    result = s.fewshot(clicks, str(tmp_path / "live.tif"))
    run_job(
        {"type": "classify", "input": path, "output": str(tmp_path / "cls.tif"), "labels": items, "cv_folds": 0},
        JobContext(),
    )
    live, batch = np.nan_to_num(_read(result["path"]), nan=0).astype(int), _read(tmp_path / "cls.tif")
    assert (live == batch).mean() >= 0.99
    s.close()


def test_saving_over_the_explored_raster_by_another_name_is_refused(planted, tmp_path):
    """Save results may not replace the raster being explored, whatever the route to it (here a
    symlinked folder): refused before writing, naming both, the raster unchanged."""
    path, labels, invalid = planted
    s = ExploreSession(path, JobContext(), storage="float32")
    s.similarity([_label(*_cells(labels, invalid, 1, 1, 3)[0])], str(tmp_path / "h.tif"))
    os.symlink(os.path.dirname(path), str(tmp_path / "linked"))
    same = str(tmp_path / "linked" / os.path.basename(path))
    before = open(path, "rb").read()
    with pytest.raises(UserError, match="also an input") as refused:
        explore_save.save(s, {"heatmap": same}, JobContext(work_dir=str(tmp_path)))
    assert path in str(refused.value) and open(path, "rb").read() == before
    s.close()


def _gdal_cache_used():
    """Bytes in GDAL's block cache of this process (GDALGetCacheUsed64 of the libgdal rasterio loaded)."""
    import ctypes

    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libgdal" in line and line.split()[-1].startswith("/")}
    ours = sorted(p for p in paths if os.path.basename(os.path.dirname(p)) == "rasterio.libs") or sorted(paths)
    lib = ctypes.CDLL(ours[0])  # rasterio's own (another package may load a libgdal of its own)
    lib.GDALGetCacheUsed64.restype = ctypes.c_int64
    return lib.GDALGetCacheUsed64()


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="finds libgdal through Linux's /proc")
def test_a_loaded_session_holds_no_gdal_blocks(tmp_path):
    """Loading reads every block of the grid once; GDAL would keep up to its cap of them cached for as long
    as the session lives (its file handle stays open for saving): the session keeps a fresh handle instead."""
    grid = np.random.default_rng(1).normal(size=(64, 120, 150)).astype(np.float32)  # 4.6 MB of blocks
    path = synthetic.write_raster(tmp_path / "grid.tif", grid, nodata=np.nan)
    with rasterio.open(path) as src:
        src.read()
        assert _gdal_cache_used() > 4 * 2**20  # blocks read are cached while their handle is open
    assert _gdal_cache_used() < 2**20  # and go with it
    s = ExploreSession(path, JobContext(), storage="float32")
    try:
        assert _gdal_cache_used() < 2**20
    finally:
        s.close()
