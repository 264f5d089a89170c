"""AlphaEarth embeddings from Earth Engine through the REAL earthengine-api client, offline, against the
loopback fake of the service (tests/engine/ee_server.py, which serves GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL:
its years over any area and unit vectors with masked columns): the grid, the 64 bands, the tags an
analysis job reads, the cache, and a year the collection lacks."""

import json
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ee_alphaearth import ALPHAEARTH_BANDS, ALPHAEARTH_ID, expected_alphaearth
from ee_server import constants, function_names, invocations
from stac_schema import validate_item
from test_earthengine_fetch import AOI, Ctx, H, W, env, fake  # noqa: F401 (fixtures)

rasterio = pytest.importorskip("rasterio")

from terraembed.engine.analysis import blocks  # noqa: E402
from terraembed.engine.context import JobContext  # noqa: E402
from terraembed.engine.jobs import run_job  # noqa: E402
from terraembed.engine.pipeline.stac import read_facts  # noqa: E402
from terraembed.engine.sources.earthengine import fetch_alphaearth  # noqa: E402
from terraembed.shared.errors import UserError  # noqa: E402

TRANSFORM = (10.0, 0.0, 500000.0, 0.0, -10.0, 4000600.0)  # AOI's grid: 80 x 60 cells of 10 m, UTM 33N


@pytest.fixture
def source(env):
    src = dict(env, year=2024)
    src.pop("collection")
    return src


def test_a_year_is_fetched_as_an_embedding_raster(source, fake):
    ctx = Ctx()
    path, prov = fetch_alphaearth(dict(source, max_request_bytes=256 * 1500, block_align=16), ctx)
    with rasterio.open(path) as ds:
        assert (ds.width, ds.height, ds.count) == (W, H, 64) and ds.dtypes == ("float32",) * 64
        assert ds.crs.to_epsg() == 32633 and tuple(ds.transform)[:6] == TRANSFORM
        assert list(ds.descriptions) == ALPHAEARTH_BANDS and np.isnan(ds.nodata)
        data, tags = ds.read(), ds.tags()
    np.testing.assert_array_equal(data, expected_alphaearth(TRANSFORM, W, H))  # NaN where masked
    assert tags["TERRAEMBED_MODEL"] == "alphaearth" and tags["TERRAEMBED_DIM"] == "64"
    assert tags["TERRAEMBED_YEAR"] == "2024" and ALPHAEARTH_ID in tags["TERRAEMBED_INPUT"]
    assert tags["TERRAEMBED_EE_COLLECTION_ID"] == ALPHAEARTH_ID and tags["TERRAEMBED_LICENCE"] == "CC-BY 4.0"
    assert "produced by Google and Google DeepMind" in tags["TERRAEMBED_ATTRIBUTION"]
    assert json.loads(tags["TERRAEMBED_PROVENANCE"])["year"] == 2024
    assert prov["years_available"] == list(range(2017, 2026)) and prov["images"] == 2
    assert prov["requests"] == len(fake.of_kind("pixels")) > 1  # in chunks under the request limit

    expr = fake.of_kind("pixels")[0]["body"]["expression"]
    assert [a["id"] for a in invocations(expr, "ImageCollection.load")] == [ALPHAEARTH_ID]
    assert "ImageCollection.mosaic" in function_names(expr) and "reduce.median" not in function_names(expr)
    assert [a["bandSelectors"] for a in invocations(expr, "Image.select")] == [ALPHAEARTH_BANDS]
    assert {"2024-01-01", "2025-01-01"} <= {c for c in constants(expr) if isinstance(c, str)}
    assert invocations(expr, "Image.constant") == [{"value": -2.0}]  # masked cells, made NaN on writing
    assert len(fake.of_kind("value")) == 1  # one question: the years over the area and the year's tiles
    assert any("has 2017-2025" in m for m in ctx.logs) and any("CC-BY 4.0" in m for m in ctx.logs)

    # what an analysis job sees: an embedding grid (no warning), NaN cells invalid
    seen = Ctx()
    with blocks.open_embedding_raster(path, seen, "Test") as src:
        _, valid = blocks.read_block(src, rasterio.windows.Window(0, 0, W, H))
    assert not any("TERRAEMBED_" in m for m in seen.logs) and np.array_equal(valid, ~np.isnan(data[0]).reshape(-1))


def test_a_repeated_year_comes_from_the_cache_without_a_connection(source, fake):
    first, _ = fetch_alphaearth(source, Ctx())
    with rasterio.open(first) as ds:
        before = ds.read()
    fake.clear()
    again = dict(source, out_dir=source["out_dir"] + "-again", project=None, service_account_key=None)
    second, prov = fetch_alphaearth(again, Ctx())
    assert fake.requests == [] and prov["cache_hit"] is True
    with rasterio.open(second) as ds:
        np.testing.assert_array_equal(ds.read(), before)
    fetch_alphaearth(dict(source, year=2023), Ctx())  # another year is another request
    assert len(fake.of_kind("pixels")) >= 1


@pytest.mark.parametrize(
    "years, year, said",
    [
        (list(range(2017, 2025)), 2025, "no embeddings of 2025 over this area; it has 2017-2024"),
        ([2018, 2020, 2021], 2019, "no embeddings of 2019 over this area; it has 2018, 2020, 2021"),
        ([], 2024, "no embeddings over this area in any year"),
    ],
)
def test_a_year_the_collection_lacks_is_named_with_the_years_it_has(source, fake, years, year, said):
    fake.alphaearth_years = years
    with pytest.raises(UserError, match=said):
        fetch_alphaearth(dict(source, year=year), Ctx())
    assert not fake.of_kind("pixels") and os.listdir(source["out_dir"]) == []


@pytest.mark.parametrize(
    "year, said",
    [(2016, "between 2017 and 2100"), ("last", "must be a number between 2017"), (2024.5, "must be a whole number")],
)
def test_a_year_out_of_range_is_refused_before_any_request(source, fake, year, said):
    with pytest.raises(UserError, match="AlphaEarth year.*" + said):
        fetch_alphaearth(dict(source, year=year), Ctx())
    assert fake.requests == []


def test_the_job_commits_the_raster_and_a_failed_one_leaves_nothing(source, fake, tmp_path):
    out = tmp_path / "aef_2024.tif"
    result = run_job({"type": "alphaearth_fetch", "source": source, "output": str(out)}, JobContext())
    assert result["path"] == str(out) and result["provenance"]["year"] == 2024
    with rasterio.open(out) as ds:
        assert ds.count == 64 and ds.tags()["TERRAEMBED_MODEL"] == "alphaearth"
        assert ds.block_shapes[0] == (256, 256) and ds.compression.name == "deflate"  # a COG, as the composite
    _check_the_sidecar(tmp_path / "aef_2024.stac.json")
    failing = tmp_path / "failing.tif"
    failing.write_bytes(b"an earlier file")
    fake.script("pixels", [(500, "internal error")] * 20)
    with pytest.raises(UserError, match="kept failing"):
        run_job(
            {"type": "alphaearth_fetch", "source": dict(source, year=2022, retries=1), "output": str(failing)},
            JobContext(),
        )
    assert failing.read_bytes() == b"an earlier file" and not (tmp_path / "failing.stac.json").exists()
    assert sorted(os.listdir(tmp_path)) == sorted(["aef_2024.tif", "failing.tif"] + _others(tmp_path))


def _check_the_sidecar(path):
    """The year's STAC Item: valid, an embeddings Item (read back by the analysis jobs), with the year, the
    collection, the licence and the attribution the publisher asks for."""
    item = json.loads(path.read_text(encoding="utf-8"))
    validate_item(item)
    props = item["properties"]
    assert props["start_datetime"] == "2024-01-01T00:00:00Z" and props["end_datetime"] == "2024-12-31T23:59:59Z"
    assert props["terraembed:model"] == "alphaearth" and props["emb:dimensions"] == 64 and props["emb:type"] == "pixel"
    assert props["terraembed:year"] == 2024 and props["terraembed:source_collections"] == [ALPHAEARTH_ID]
    assert props["license"] == "CC-BY-4.0" and props["terraembed:licence"] == "CC-BY 4.0"
    attribution = "The AlphaEarth Foundations Satellite Embedding dataset is produced by Google and Google DeepMind."
    assert props["terraembed:attribution"] == attribution and attribution in props["description"]
    assert props["providers"][0]["roles"] == ["producer", "licensor"]
    assert {link["rel"]: link["href"] for link in item["links"]}[
        "license"
    ] == "https://creativecommons.org/licenses/by/4.0/"
    assert {k: a["href"] for k, a in item["assets"].items()} == {"embeddings": path.name.replace(".stac.json", ".tif")}
    assert "cloud-optimized" in item["assets"]["embeddings"]["type"]
    facts = read_facts(str(path).replace(".stac.json", ".tif"), pytest.fail)
    assert (facts["model"], facts["dimensions"]) == ("alphaearth", 64)


def _others(folder):
    """Files of the test's folder that are not the job's (the fixtures' key, cache and out folders)."""
    return [n for n in os.listdir(folder) if not n.endswith(".tif")]
