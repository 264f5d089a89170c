"""TerraMind on several sensors from Earth Engine, through the real earthengine-api client against the
loopback fake (tests/engine/ee_server.py): one composite per sensor (Sentinel-2 median, Sentinel-1
median, the Copernicus DEM GLO-30 mosaic), all requested on the same grid, read as one stacked input."""

import json
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ee_server import expected_pixels, function_names, invocations
from pipeline_fakes import FakeModel, use_fake_model
from test_earthengine_fetch import AOI, Ctx, H, W, env, fake  # noqa: F401 (fixtures)
from test_pipeline_embed import cell_means

rasterio = pytest.importorskip("rasterio")

from terraembed.engine.jobs import run_job  # noqa: E402
from terraembed.engine.sources.earthengine import fetch_composite  # noqa: E402
from terraembed.shared.errors import UserError  # noqa: E402

TRANSFORM = (10.0, 0.0, 500000.0, 0.0, -10.0, 4000600.0)


def loaded(expr):
    return [a["id"] for a in invocations(expr, "ImageCollection.load")]


def test_dem_is_a_glo30_mosaic(env, fake):
    path, prov = fetch_composite(dict(env, collection="DEM"), Ctx())
    with rasterio.open(path) as ds:
        assert ds.count == 1 and list(ds.descriptions) == ["DEM"] and (ds.width, ds.height) == (W, H)
        np.testing.assert_array_equal(ds.read(), expected_pixels(TRANSFORM, W, H, 1))
    expr = fake.of_kind("pixels")[0]["body"]["expression"]
    names = function_names(expr)
    assert loaded(expr) == ["COPERNICUS/DEM/GLO30"]
    assert "ImageCollection.mosaic" in names and "reduce.median" not in names
    assert [a.get("mode") for a in invocations(expr, "Image.resample")] == ["bilinear"]
    assert not invocations(expr, "DateRange")  # static tiles: no dates
    assert invocations(expr, "Image.constant") == [{"value": -32768.0}]
    assert prov["collection_id"] == "COPERNICUS/DEM/GLO30" and prov["composite"] == "mosaic"
    assert prov["fill"] == -32768.0 and "metres" in prov["units"]


def test_dem_with_no_tile(env, fake):
    fake.value_handler = lambda expr: 0
    with pytest.raises(UserError, match="No Copernicus DEM tile"):
        fetch_composite(dict(env, collection="DEM"), Ctx())


def test_s2_s1_dem_job_fetches_every_sensor_on_one_grid(env, fake, monkeypatch, tmp_path):
    model = FakeModel(modality="S2+S1+DEM")
    use_fake_model(monkeypatch, model)
    job = {
        "type": "embed",
        "model": "fake",
        "prep": "tile",
        "outputs": {"grid": str(tmp_path / "grid.tif")},
        "source": dict(env, kind="earthengine", collection="S2+S1+DEM"),
    }
    result = run_job(job, Ctx())
    requests = fake.of_kind("pixels")
    ids = {tuple(loaded(r["body"]["expression"])) for r in requests}
    assert ids == {("COPERNICUS/S2_SR_HARMONIZED",), ("COPERNICUS/S1_GRD_FLOAT",), ("COPERNICUS/DEM/GLO30",)}
    grids = {json.dumps(r["body"]["grid"], sort_keys=True) for r in requests}
    assert len(grids) == 1  # one chunk each, the same grid
    prov = result["provenance"]
    assert prov["collection"] == "S2+S1+DEM" and sorted(prov["sensors"]) == ["DEM", "S1", "S2"]
    assert prov["collection_id"] == "COPERNICUS/S2_SR_HARMONIZED + COPERNICUS/S1_GRD_FLOAT + COPERNICUS/DEM/GLO30"
    assert model.batches[0][1] == 15
    stacked = np.concatenate(
        [expected_pixels(TRANSFORM, W, H, 12), expected_pixels(TRANSFORM, W, H, 2), expected_pixels(TRANSFORM, W, H, 1)]
    )
    with rasterio.open(result["grid"]) as g:
        grid = g.read()
        assert g.transform.c == AOI["bounds"][0] and g.transform.a == 160.0
    for r, c in ((0, 0), (2, 3)):
        np.testing.assert_allclose(grid[:15, r, c], cell_means(stacked, r, c), rtol=1e-5)
