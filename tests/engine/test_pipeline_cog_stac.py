"""The embed job's grid and PCA as Cloud Optimized GeoTIFFs (overviews averaged, georeference, nodata
and tags kept, the free-space estimate) and its STAC Item sidecar (valid STAC, its fields against the
run, gone with a failed run, read back by the analysis jobs). GDAL's own COG validator runs in
tests/shell/test_cog_stac.py (it ships with QGIS's GDAL bindings, not with rasterio)."""

import json
import math
import os
import threading

import jsonschema
import numpy as np
import pytest
import rasterio
from pipeline_fakes import embed_job, random_s2, write_raster
from rasterio.transform import from_origin
from rasterio.warp import transform_bounds
from stac_schema import validate_item

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline.cog import cog_bytes, overview_factors, write_cog
from terraembed.engine.pipeline.outputs import geotiff_profile
from terraembed.engine.pipeline.pca import ComponentStatistics, describe_pca_raster
from terraembed.shared.errors import Cancelled


def _planted(bands, rows, cols, seed=0):
    """Values that differ in every cell, with NaN cells: one whole 2 x 2 block, and one cell of another."""
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(bands, rows, cols)).astype(np.float32)
    data[:, 4:6, 10:12] = np.nan  # a whole block of the first overview: NaN there
    data[:, 8, 20] = np.nan  # one cell of its block: the mean of the other three
    return data


def _scratch(path, data, tags=None):
    profile = geotiff_profile(
        data.shape[0], data.shape[1], data.shape[2], from_origin(500000, 4100000, 160, 160), "EPSG:32633", "none"
    )
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
        dst.descriptions = tuple("emb_%03d" % i for i in range(data.shape[0]))
        dst.update_tags(**(tags or {}))
        dst.update_tags(1, EXAMPLE="band one")
    return path


def test_overview_levels():
    assert overview_factors(14, 14) == [] and overview_factors(256, 100) == []
    assert overview_factors(257, 10) == [2]
    assert overview_factors(687, 687) == [2, 4]  # a full Sentinel-2 tile's grid: 344, 172 cells
    assert overview_factors(3000, 40) == [2, 4, 8, 16]


def test_overviews_are_the_means_of_the_cells_and_the_rest_is_kept(tmp_path):
    data = _planted(5, 40, 600)
    scratch = _scratch(str(tmp_path / "scratch.tif"), data, {"TERRAEMBED_MODEL": "m", "TERRAEMBED_DIM": "5"})
    out = str(tmp_path / "grid.tif")
    write_cog(scratch, out)
    with rasterio.open(scratch) as before, rasterio.open(out) as cog:
        assert cog.overviews(1) == [2, 4]  # 600 -> 300 -> 150 columns
        assert cog.profile["interleave"] == "band" and cog.block_shapes[0] == (16, 608)
        assert (cog.transform, cog.crs, cog.descriptions) == (before.transform, before.crs, before.descriptions)
        assert math.isnan(cog.nodata) and cog.dtypes[0] == "float32"
        assert cog.tags() == before.tags() and cog.tags(1)["EXAMPLE"] == "band one"
        np.testing.assert_array_equal(cog.read(), data)
        half = cog.read(out_shape=(5, 20, 300))  # the first overview, as GDAL serves it to viewers
    blocks = data.reshape(5, 20, 2, 300, 2)
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):  # the all-NaN block
        expected = np.nanmean(blocks, axis=(2, 4))
    np.testing.assert_allclose(half, expected, rtol=1e-5, atol=1e-6)
    assert np.isnan(half[:, 2, 5]).all()  # the all-NaN block stays nodata
    np.testing.assert_allclose(half[:, 4, 10], np.nanmean(data[:, 8:10, 20:22], axis=(1, 2)), rtol=1e-5)
    with rasterio.open(out, overview_level=0) as first:
        assert first.block_shapes[0] == (64, 64)
    assert 0 < os.path.getsize(out) - cog_bytes(600, 40, 5) < 16384  # the free-space estimate, but the header


def test_pca_cog_keeps_its_colours_and_statistics(tmp_path):
    data = _planted(3, 300, 300, seed=1)
    scratch = str(tmp_path / "pca-scratch.tif")
    profile = geotiff_profile(3, 300, 300, from_origin(0, 0, 10, -10), "EPSG:32633")
    statistics = ComponentStatistics(3)
    with rasterio.open(scratch, "w", **profile) as dst:
        dst.write(data)
        valid = ~np.isnan(data).any(axis=0)
        statistics.add(data[:, valid])
        describe_pca_raster(dst, [0.5, 0.3, 0.1], [5.0, 3.0, 1.0], int(valid.sum()), statistics)
    write_cog(scratch, str(tmp_path / "pca.tif"), "deflate")
    with rasterio.open(scratch) as before, rasterio.open(str(tmp_path / "pca.tif")) as cog:
        assert [c.name for c in cog.colorinterp] == ["red", "green", "blue"]
        assert cog.descriptions == before.descriptions and cog.tags(2) == before.tags(2)
        assert cog.overviews(1) == [2] and cog.compression.name == "deflate"


def test_embed_writes_cogs_and_a_valid_stac_item(tmp_path, fake_model):
    data = random_s2(640, 4200, seed=2)  # 40 x 263 cells: one overview level
    path = write_raster(tmp_path / "in.tif", data)
    out = {"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "pca.tif"), "pca_components": 3}
    job = embed_job(path, tmp_path, outputs=dict(out, pooled=str(tmp_path / "pooled.gpkg")))
    result = run_job(dict(job, html_report=str(tmp_path / "report.html")), JobContext())
    for name in ("grid", "pca"):
        with rasterio.open(out[name]) as ds:
            assert ds.overviews(1) == [2] and ds.block_shapes[0][0] == 16
            assert ds.tags()["TERRAEMBED_MODEL"] == "fake_s2"
    item_path = tmp_path / "grid.stac.json"
    assert sorted(os.listdir(tmp_path)) == ["grid.stac.json", "grid.tif", "in.tif", "pca.tif", "report.html"]
    item = json.loads(item_path.read_text())
    validate_item(item)
    props = item["properties"]
    assert props["emb:dimensions"] == fake_model.spec.dim == result["dim"] and props["emb:type"] == "pixel"
    assert props["terraembed:model"] == "fake_s2" and props["data_type"] == "float32"
    assert props["proj:epsg"] == 32633 and props["proj:shape"] == [40, 263] and props["gsd"] == 160.0
    assert props["emb:runtime_parameters"]["chip_size"] == 224 and props["terraembed:random_weights"] is False
    west, south, east, north = transform_bounds(
        "EPSG:32633", "EPSG:4326", 400000, 5300000 - 6400, 400000 + 42000, 5300000
    )
    bbox = item["bbox"]
    assert bbox[0] <= west and bbox[1] <= south and bbox[2] >= east and bbox[3] >= north  # contains the area
    assert bbox[2] - bbox[0] < 1.01 * (east - west)
    assets = item["assets"]
    assert {k: a["href"] for k, a in assets.items()} == {
        "embeddings": "grid.tif",
        "pca": "pca.tif",
        "pooled": "pooled.gpkg",
        "report": "report.html",
    }
    assert "cloud-optimized" in assets["embeddings"]["type"]
    assert [link["rel"] for link in item["links"]] == ["emb:source-data"]  # the fake has no weights source


def test_the_validator_refuses_a_broken_item(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    run_job(embed_job(path, tmp_path), JobContext())
    item = json.loads((tmp_path / "grid.stac.json").read_text())
    for broken in (dict(item, bbox=item["bbox"][:3]), dict(item, properties={"title": "no datetime"})):
        with pytest.raises(jsonschema.ValidationError):
            validate_item(broken)
    with pytest.raises(jsonschema.ValidationError):  # the projection extension's own schema
        validate_item(dict(item, properties=dict(item["properties"], **{"proj:shape": [1]})))


def test_random_weights_are_said_loudly(tmp_path, fake_model):
    fake_model.weights_description = "random-init (NOT pretrained; embeddings are meaningless)"
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    run_job(embed_job(path, tmp_path, weights={"random_init": True}), JobContext())
    item = json.loads((tmp_path / "grid.stac.json").read_text())
    validate_item(item)
    props = item["properties"]
    assert "RANDOM WEIGHTS" in props["title"] and "RANDOM WEIGHTS" in props["terraembed:warning"]
    assert props["terraembed:random_weights"] is True and "NOT pretrained" in props["terraembed:weights"]


def test_pca_only_run_names_the_sidecar_after_the_pca(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    run_job(embed_job(path, tmp_path, outputs={"pca": str(tmp_path / "p.tif")}), JobContext())
    item = json.loads((tmp_path / "p.stac.json").read_text())
    assert list(item["assets"]) == ["pca"] and item["properties"]["emb:type"] == "chip"


@pytest.mark.parametrize("stage", ["pca", "write"])  # while the PCA is written; before the grid's COG copy
def test_cancelled_run_leaves_no_sidecar(tmp_path, fake_model, stage):
    path = write_raster(tmp_path / "in.tif", random_s2(700, 700))
    old = tmp_path / "grid.stac.json"
    old.write_text('{"old": true}')
    cancel = threading.Event()

    def on_progress(fraction, at):
        if at == stage:
            cancel.set()

    ctx = JobContext(on_progress=on_progress, cancel_event=cancel)
    with pytest.raises(Cancelled):
        run_job(
            embed_job(path, tmp_path, outputs={"grid": str(tmp_path / "grid.tif"), "pca": str(tmp_path / "p.tif")}), ctx
        )
    assert sorted(os.listdir(tmp_path)) == ["grid.stac.json", "in.tif"] and old.read_text() == '{"old": true}'


def test_analysis_reads_the_sidecar_and_ignores_a_broken_one(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    run_job(embed_job(path, tmp_path), JobContext())
    grid, item_path = str(tmp_path / "grid.tif"), tmp_path / "grid.stac.json"
    item = json.loads(item_path.read_text())
    item["properties"]["terraembed:model"] = "named_by_the_sidecar"
    item_path.write_text(json.dumps(item))
    pca = {"type": "pca", "input": grid, "output": str(tmp_path / "pc.tif"), "components": 2}
    lines = []
    ctx = JobContext(on_log=lambda message, level: lines.append(message))
    run_job(pca, ctx)
    assert not ctx.warnings and any("named_by_the_sidecar" in line and "13 dimensions" in line for line in lines)
    item_path.write_text(json.dumps(item)[:-20])  # edited by hand into invalid JSON
    ctx = JobContext()
    run_job(dict(pca, output=str(tmp_path / "pc2.tif")), ctx)
    assert len(ctx.warnings) == 1 and "grid.stac.json cannot be read" in ctx.warnings[0]
    assert "tags are used" in ctx.warnings[0]


def test_explore_takes_the_model_from_the_sidecar(tmp_path, fake_model):
    from terraembed.engine.analysis.explore import ExploreSession

    path = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    run_job(embed_job(path, tmp_path), JobContext())
    item_path = tmp_path / "grid.stac.json"
    item = json.loads(item_path.read_text())
    item["properties"]["terraembed:model"] = "named_by_the_sidecar"
    item_path.write_text(json.dumps(item))
    session = ExploreSession(str(tmp_path / "grid.tif"), JobContext(), "float32")
    try:
        assert session.grid() == "named_by_the_sidecar 13-d"
    finally:
        session.close()
    item_path.write_text("{not json")
    ctx = JobContext()
    session = ExploreSession(str(tmp_path / "grid.tif"), ctx, "float32")
    try:
        assert session.grid() == "fake_s2 13-d" and "cannot be read" in ctx.warnings[0]
    finally:
        session.close()
