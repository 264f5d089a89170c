"""The Earth Engine source through the REAL earthengine-api client, offline: ee.Initialize, the
expression building and serialisation, computePixels and the NPY parsing all run unmodified against
tests/engine/ee_server.py, a loopback HTTP fake of the REST service (127.0.0.1 only).

The only things patched in the library: ee.deprecation._FetchDataCatalogStac (Initialize would
download the public data catalog from storage.googleapis.com) and, for the user-credentials test,
ee.oauth.TOKEN_URI (Google's token endpoint -> the fake's)."""

import json
import os
import sys
import threading
import time

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ee_server import (
    ACCESS_TOKEN,
    FakeEarthEngine,
    constants,
    expected_pixels,
    function_names,
    invocations,
    write_service_account_key,
)

ee = pytest.importorskip("ee")
rasterio = pytest.importorskip("rasterio")

from stac_schema import validate_item  # noqa: E402

from terraembed.engine.context import JobContext  # noqa: E402
from terraembed.engine.jobs import run_job  # noqa: E402
from terraembed.engine.sources.earthengine import auth, fetch_composite  # noqa: E402
from terraembed.engine.sources.earthengine.chunks import plan_chunks  # noqa: E402
from terraembed.engine.sources.earthengine.collections import S2_BANDS  # noqa: E402
from terraembed.shared.errors import Cancelled, UserError  # noqa: E402

# 80 x 60 pixels at 10 m in UTM 33N
AOI = {"bounds": [500000, 4000000, 500800, 4000600], "crs": "EPSG:32633"}
W, H = 80, 60


class Ctx(JobContext):
    """A JobContext that records logs and progress."""

    def __init__(self, work_dir=None, on_progress=None):
        self.logs, self.fractions = [], []

        def progress(f, stage):
            self.fractions.append(f)
            if on_progress:
                on_progress(f, stage)

        super().__init__(on_progress=progress, on_log=lambda m, lvl: self.logs.append(m), work_dir=work_dir)


@pytest.fixture
def fake():
    server = FakeEarthEngine().start()
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path, monkeypatch, fake):
    """A clean, offline environment: no stored credentials, no project variables, the catalog fetch
    of ee.Initialize disabled. Returns a base S2 source using a service-account key file."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(home / "gcloud"))
    for name in (
        "EE_PROJECT",
        "GOOGLE_CLOUD_PROJECT",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "TERRAEMBED_EE_PROJECT",
        "TERRAEMBED_EE_KEY_FILE",
        "TERRAEMBED_IMAGERY_CACHE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(ee.deprecation, "_FetchDataCatalogStac", lambda: {})
    monkeypatch.setattr(auth, "_INIT_KEY", None)
    key = tmp_path / "key.json"
    write_service_account_key(str(key), fake.url + "/token")
    source = {
        "collection": "S2",
        "aoi": dict(AOI),
        "project": "test-project",
        "service_account_key": str(key),
        "api_url": fake.url,
        "cache_dir": str(tmp_path / "cache"),
        "out_dir": str(tmp_path / "out"),
        "backoff_s": 0.001,
        "backoff_max_s": 0.01,
        "workers": 3,
        "request_timeout_s": 20,
    }
    return source


def _load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _check_raster(path, nbands, names):
    with rasterio.open(path) as ds:
        data = ds.read()
        assert ds.crs.to_epsg() == 32633
        assert ds.dtypes == ("float32",) * nbands
        assert (ds.width, ds.height, ds.count) == (W, H, nbands)
        assert tuple(ds.transform)[:6] == (10.0, 0.0, 500000.0, 0.0, -10.0, 4000600.0)
        assert list(ds.descriptions) == names
        tags = ds.tags()
        t = ds.transform
        expected = expected_pixels((t.a, t.b, t.c, t.d, t.e, t.f), ds.width, ds.height, nbands)
    np.testing.assert_array_equal(data, expected)
    return tags


def _pixel_windows(fake):
    out = []
    for r in fake.of_kind("pixels"):
        g = r["body"]["grid"]
        a = g["affineTransform"]
        col = round((a["translateX"] - 500000) / 10)
        row = round((4000600 - a["translateY"]) / 10)
        out.append((row, col, g["dimensions"]["height"], g["dimensions"]["width"]))
    return out


def test_s2_payloads_grid_and_exact_stitching(env, fake):
    env.update(max_request_bytes=48 * 700, block_align=16)  # at most 700 px per request
    ctx = Ctx()
    path, prov = fetch_composite(env, ctx)
    assert os.path.dirname(path) == env["out_dir"]
    tags = _check_raster(path, 12, S2_BANDS)

    # the real client did: token (service-account JWT), discovery x2, algorithms, value, pixels...
    kinds = [r["kind"] for r in fake.requests]
    assert kinds[0] == "token" and fake.requests[0]["body"]["grant_type"].endswith("jwt-bearer")
    assert kinds.count("algorithms") == 1 and kinds.count("value") == 1
    for r in fake.requests:
        if r["kind"] in ("algorithms", "value", "pixels"):
            assert r["path"].startswith("/v1alpha/projects/test-project/")
            assert {k.lower(): v for k, v in r["headers"].items()}["authorization"] == "Bearer " + ACCESS_TOKEN

    # chunks: all under the limit, exactly tiling the grid
    windows = _pixel_windows(fake)
    assert len(windows) > 4
    cover = np.zeros((H, W), int)
    for row, col, h, w in windows:
        assert h * w <= 700
        cover[row : row + h, col : col + w] += 1
    assert (cover == 1).all()
    for r in fake.of_kind("pixels"):
        body = r["body"]
        assert body["fileFormat"] == "NPY"
        assert body["grid"]["crsCode"] == "EPSG:32633"
        a = body["grid"]["affineTransform"]
        assert (a["scaleX"], a["scaleY"], a["shearX"], a["shearY"]) == (10.0, -10.0, 0.0, 0.0)

    # the expression: collection, filters, mask-free median of the 12 bands, filled, float
    expr = fake.of_kind("pixels")[0]["body"]["expression"]
    assert fake.of_kind("pixels")[-1]["body"]["expression"] == expr
    names = function_names(expr)
    assert [a["id"] for a in invocations(expr, "ImageCollection.load")] == ["COPERNICUS/S2_SR_HARMONIZED"]
    gt = invocations(expr, "Filter.greaterThan")
    assert gt == [{"leftField": "CLOUDY_PIXEL_PERCENTAGE", "rightValue": 30}] and "Filter.not" in names
    dr = invocations(expr, "DateRange")
    assert dr == [{"start": "2022-06-01", "end": "2022-09-01"}]
    assert invocations(expr, "Filter.intersects")  # filterBounds
    rect = invocations(expr, "GeometryConstructors.Rectangle")
    assert rect[0]["coordinates"] == [500000, 4000000, 500800, 4000600] and rect[0]["geodesic"] is False
    assert [a["bandSelectors"] for a in invocations(expr, "Image.select")] == [S2_BANDS]
    for fn in ("reduce.median", "Image.unmask", "Image.toFloat"):
        assert fn in names
    assert invocations(expr, "Image.constant") == [{"value": 0}]
    assert "SCL" not in json.dumps(expr) and "S2_CLOUD_PROBABILITY" not in json.dumps(expr)
    # the count query is the same filtered collection
    count_expr = fake.of_kind("value")[0]["body"]["expression"]
    assert "Collection.size" in function_names(count_expr) or "Collection.size" in json.dumps(count_expr)

    assert prov["collection_id"] == "COPERNICUS/S2_SR_HARMONIZED" and prov["images"] == 5
    assert prov["cache_hit"] is False and prov["filters"]["max_cloud"] == 30 and prov["filters"]["cloud_mask"] == "none"
    assert prov["start"] == "2022-06-01" and prov["end"] == "2022-09-01"
    assert prov["grid"] == {
        "crs": "EPSG:32633",
        "transform": [10.0, 0.0, 500000.0, 0.0, -10.0, 4000600.0],
        "width": W,
        "height": H,
        "scale": 10.0,
    }
    assert prov["requests"] == len(windows)
    assert json.loads(tags["TERRAEMBED_PROVENANCE"])["images"] == 5
    assert ctx.fractions[-1] == 1.0
    # secrets never reach the log
    text = "\n".join(ctx.logs)
    key = _load_json(env["service_account_key"])
    assert ACCESS_TOKEN not in text and key["private_key"][40:80] not in text and "BEGIN PRIVATE" not in text


def test_cache_hit_needs_no_network_and_no_settings(env, fake, tmp_path):
    path1, prov1 = fetch_composite(dict(env), Ctx())
    n = len(fake.requests)
    path2, prov2 = fetch_composite(dict(env, out_dir=str(tmp_path / "out2")), Ctx())
    assert len(fake.requests) == n  # zero HTTP requests
    assert prov2["cache_hit"] is True and prov2["images"] == prov1["images"]
    _check_raster(path2, 12, S2_BANDS)
    fake.stop()
    # no server, no project, no credentials: still served
    src = dict(env, out_dir=str(tmp_path / "out3"))
    for k in ("project", "service_account_key", "api_url"):
        src.pop(k)
    path3, prov3 = fetch_composite(src, Ctx())
    assert prov3["cache_hit"] is True
    _check_raster(path3, 12, S2_BANDS)
    # a different request (dates) is a miss and needs the service: the error says so
    with pytest.raises(UserError, match="project"):
        fetch_composite(dict(src, start="2022-06-02"), Ctx())


def test_retry_on_429_then_success(env, fake):
    fake.script("pixels", [(429, "Too many concurrent aggregations."), (503, "Service unavailable.")])
    fake.script("value", [(429, "Quota exceeded.")])
    ctx = Ctx()
    path, prov = fetch_composite(dict(env, workers=1), ctx)
    _check_raster(path, 12, S2_BANDS)
    assert len(fake.of_kind("value")) == 2
    assert len(fake.of_kind("pixels")) == prov["requests"] + 2
    assert any("retry 1 of 5" in m for m in ctx.logs)


def test_500_until_exhausted_is_a_user_error_and_writes_nothing(env, fake):
    fake.script("pixels", [(500, "Internal error.")] * 3)
    with pytest.raises(UserError, match="HTTP 500") as info:
        fetch_composite(dict(env, workers=1, retries=2), Ctx())
    assert "3 attempts" in str(info.value)
    assert len(fake.of_kind("pixels")) == 3
    assert os.listdir(env["out_dir"]) == []
    assert not os.path.exists(env["cache_dir"]) or not any(
        f.endswith(".tif") for _, _, fs in os.walk(env["cache_dir"]) for f in fs
    )


def test_429_until_exhausted_says_quota(env, fake):
    fake.script("pixels", [(429, "Quota exceeded for quota metric.")] * 2)
    with pytest.raises(UserError, match="quota") as info:
        fetch_composite(dict(env, workers=1, retries=1), Ctx())
    assert "workers" in str(info.value)


def test_request_too_large_splits_recursively(env, fake):
    fake.max_request_pixels = 500  # the service refuses more than 500 px; the client plans 4800
    path, prov = fetch_composite(dict(env, block_align=8), Ctx())
    _check_raster(path, 12, S2_BANDS)
    windows = _pixel_windows(fake)
    ok = [w for w in windows if w[2] * w[3] <= 500]
    assert len(ok) < len(windows) and prov["requests"] == len(ok)
    cover = np.zeros((H, W), int)
    for row, col, h, w in ok:
        cover[row : row + h, col : col + w] += 1
    assert (cover == 1).all()


def test_network_down(env, fake):
    url = fake.url
    fake.stop()
    with pytest.raises(UserError, match="Cannot reach Earth Engine"):
        fetch_composite(dict(env, api_url=url, retries=1), Ctx())


def test_connection_dropped_during_pixels(env, fake):
    fake.script("pixels", [(0, "")] * 3)
    with pytest.raises(UserError, match="Cannot reach Earth Engine") as info:
        fetch_composite(dict(env, workers=1, retries=2), Ctx())
    assert "3 attempts" in str(info.value)
    assert len(fake.of_kind("pixels")) == 3
    assert os.listdir(env["out_dir"]) == []


def test_connection_dropped_once_then_success(env, fake):
    fake.script("pixels", [(0, "")])
    ctx = Ctx()
    path, prov = fetch_composite(dict(env, workers=1), ctx)
    _check_raster(path, 12, S2_BANDS)
    assert len(fake.of_kind("pixels")) == prov["requests"] + 1  # the dropped request was repeated
    assert any("retry 1 of" in m for m in ctx.logs)


def _s1_value_handler(iw_count, any_count):
    def handler(expr):
        return iw_count if "instrumentMode" in constants(expr) else any_count

    return handler


def test_s1_iw_relaxed_when_empty(env, fake):
    fake.value_handler = _s1_value_handler(0, 7)
    ctx = Ctx()
    path, prov = fetch_composite(dict(env, collection="S1", s1_orbit="descending"), ctx)
    _check_raster(path, 2, ["VV", "VH"])
    first, second = [r["body"]["expression"] for r in fake.of_kind("value")]
    assert {"leftField": "instrumentMode", "rightValue": "IW"} in invocations(first, "Filter.equals")
    assert "instrumentMode" not in constants(second)
    for expr in (first, second, fake.of_kind("pixels")[0]["body"]["expression"]):
        assert [a["id"] for a in invocations(expr, "ImageCollection.load")] == ["COPERNICUS/S1_GRD_FLOAT"]
        lc = invocations(expr, "Filter.listContains")
        assert {"leftField": "transmitterReceiverPolarisation", "rightValue": "VV"} in lc
        assert {"leftField": "transmitterReceiverPolarisation", "rightValue": "VH"} in lc
        assert {"leftField": "orbitProperties_pass", "rightValue": "DESCENDING"} in invocations(expr, "Filter.equals")
    pix = fake.of_kind("pixels")[0]["body"]["expression"]
    assert "instrumentMode" not in constants(pix)
    assert [a["bandSelectors"] for a in invocations(pix, "Image.select")] == [["VV", "VH"]]
    assert "reduce.median" in function_names(pix) and "CLOUDY_PIXEL_PERCENTAGE" not in constants(pix)
    assert prov["iw_relaxed"] is True and prov["images"] == 7 and prov["filters"]["iw_relaxed"] is True
    assert prov["filters"]["orbit"] == "DESCENDING" and prov["filters"]["instrument_mode"] is None
    assert any("without the IW filter" in m for m in ctx.logs)


def test_s1_iw_kept_when_present(env, fake):
    fake.value_handler = _s1_value_handler(4, 9)
    path, prov = fetch_composite(dict(env, collection="S1"), Ctx())
    assert len(fake.of_kind("value")) == 1
    assert "instrumentMode" in constants(fake.of_kind("pixels")[0]["body"]["expression"])
    assert prov["iw_relaxed"] is False and prov["images"] == 4 and prov["filters"]["instrument_mode"] == "IW"
    assert prov["filters"]["orbit"] is None


def test_s1_empty_even_after_relaxing(env, fake):
    fake.value_handler = _s1_value_handler(0, 0)
    with pytest.raises(UserError, match="No Sentinel-1 image.*any other mode"):
        fetch_composite(dict(env, collection="S1"), Ctx())
    assert len(fake.of_kind("value")) == 2 and not fake.of_kind("pixels")


def test_s1_empty_without_relaxing(env, fake):
    fake.value_handler = _s1_value_handler(0, 5)
    with pytest.raises(UserError, match="relaxing the mode is off"):
        fetch_composite(dict(env, collection="S1", s1_relax_iw=False), Ctx())
    assert len(fake.of_kind("value")) == 1


def test_s2_empty_collection(env, fake):
    fake.value_handler = lambda expr: 0
    with pytest.raises(UserError, match=r"at most 10% cloudy.*max_cloud.*widen the dates"):
        fetch_composite(dict(env, max_cloud=10), Ctx())
    assert not fake.of_kind("pixels")
    assert {"leftField": "CLOUDY_PIXEL_PERCENTAGE", "rightValue": 10} in invocations(
        fake.of_kind("value")[0]["body"]["expression"], "Filter.greaterThan"
    )


def test_s2_scl_mask(env, fake):
    path, prov = fetch_composite(dict(env, cloud_mask="scl"), Ctx())
    expr = fake.of_kind("pixels")[0]["body"]["expression"]
    assert ["SCL"] in constants(expr) and "Image.updateMask" in function_names(expr)
    neq = [a for a in invocations(expr, "Image.neq")]
    assert len(neq) == 4
    assert prov["filters"]["cloud_mask"] == "scl" and prov["filters"]["scl_masked_classes"] == [3, 8, 9, 10]
    _check_raster(path, 12, S2_BANDS)


def test_s2_probability_mask(env, fake):
    path, prov = fetch_composite(dict(env, cloud_mask="probability", cloud_probability_threshold=35), Ctx())
    expr = fake.of_kind("pixels")[0]["body"]["expression"]
    ids = [a["id"] for a in invocations(expr, "ImageCollection.load")]
    assert sorted(ids) == ["COPERNICUS/S2_CLOUD_PROBABILITY", "COPERNICUS/S2_SR_HARMONIZED"]
    names = function_names(expr)
    assert "Join.saveFirst" in names and "Image.updateMask" in names and "Image.lt" in names
    assert ["probability"] in constants(expr) and 35 in constants(expr)
    assert prov["filters"]["cloud_probability_threshold"] == 35


def test_cancel_between_requests(env, fake):
    ctx = None

    def on_progress(f, stage):
        if f > 0.06 and "pixels" in stage:
            ctx.cancel_event.set()

    ctx = Ctx(on_progress=on_progress)
    with pytest.raises(Cancelled):
        fetch_composite(dict(env, workers=1, max_request_bytes=48 * 500, block_align=8), ctx)
    n_planned = len(plan_chunks(W, H, 48, 48 * 500, 32768, 8))
    assert n_planned >= 10
    assert 1 <= len(fake.of_kind("pixels")) <= 2
    assert os.listdir(env["out_dir"]) == []
    assert _cache_empty(env["cache_dir"])


def _cache_empty(root):
    from terraembed.engine.sources.cache import ImageryCache

    return ImageryCache(root).entries() == []


def test_cancel_during_backoff(env, fake):
    fake.script("pixels", [(503, "unavailable")] * 10)
    ctx = Ctx()
    timer = threading.Timer(0.3, ctx.cancel_event.set)
    timer.start()
    try:
        t0 = time.monotonic()
        with pytest.raises(Cancelled):
            fetch_composite(dict(env, workers=1, retries=10, backoff_s=5.0, backoff_max_s=5.0), ctx)
        assert time.monotonic() - t0 < 3
    finally:
        timer.cancel()


def test_failure_stops_the_other_threads(env, fake):
    """One chunk failing for good ends the fetch; the other threads stop retrying at once."""
    fake.script("pixels", [(400, "Image.select: bad band")] + [(503, "unavailable")] * 50)
    t0 = time.monotonic()
    with pytest.raises(UserError, match="bad band"):
        fetch_composite(
            dict(
                env, workers=3, retries=10, backoff_s=0.2, backoff_max_s=0.2, max_request_bytes=48 * 700, block_align=16
            ),
            Ctx(),
        )
    time.sleep(0.5)
    n = len(fake.of_kind("pixels"))
    time.sleep(0.6)
    assert len(fake.of_kind("pixels")) == n  # nobody is still retrying
    assert time.monotonic() - t0 < 5


def test_user_credentials_from_earthengine_authenticate(env, fake, tmp_path, monkeypatch):
    cred_dir = tmp_path / "home" / ".config" / "earthengine"
    cred_dir.mkdir(parents=True)
    (cred_dir / "credentials").write_text(
        json.dumps({"refresh_token": "1//secret-refresh-token", "project": "stored-project"})
    )
    monkeypatch.setattr(ee.oauth, "TOKEN_URI", fake.url + "/token")
    src = dict(env)
    src.pop("service_account_key")
    src.pop("project")  # the project stored by `earthengine set_project` is used
    ctx = Ctx()
    path, prov = fetch_composite(src, ctx)
    token_req = fake.of_kind("token")[0]["body"]
    assert token_req["grant_type"] == "refresh_token" and token_req["refresh_token"] == "1//secret-refresh-token"
    assert prov["project"] == "stored-project"
    assert fake.of_kind("pixels")[0]["path"] == "/v1alpha/projects/stored-project/image:computePixels"
    text = "\n".join(ctx.logs)
    assert "secret-refresh-token" not in text and ACCESS_TOKEN not in text
    assert "secret-refresh-token" not in json.dumps(prov)


def test_no_credentials(env, fake):
    src = dict(env)
    src.pop("service_account_key")
    with pytest.raises(UserError, match="earthengine authenticate"):
        fetch_composite(src, Ctx())
    assert fake.requests == []


def test_no_project(env, fake, tmp_path):
    src = dict(env)
    src.pop("project")
    key = tmp_path / "key2.json"
    info = _load_json(env["service_account_key"])
    info.pop("project_id")
    key.write_text(json.dumps(info))
    src["service_account_key"] = str(key)
    with pytest.raises(UserError, match="EE_PROJECT") as e:
        fetch_composite(src, Ctx())
    assert "GOOGLE_CLOUD_PROJECT" in str(e.value)
    assert fake.requests == []


def test_project_from_environment(env, fake, monkeypatch):
    monkeypatch.setenv("EE_PROJECT", "env-project")
    src = dict(env)
    src.pop("project")
    path, prov = fetch_composite(src, Ctx())
    assert prov["project"] == "env-project"
    assert fake.of_kind("algorithms")[0]["path"] == "/v1alpha/projects/env-project/algorithms"


def test_project_not_registered(env, fake):
    fake.script("algorithms", [(403, "Project test-project is not registered to use Earth Engine.")])
    with pytest.raises(UserError, match="code.earthengine.google.com/register"):
        fetch_composite(env, Ctx())


def test_credentials_rejected(env, fake):
    fake.script("token", [(400, "invalid_grant: Invalid JWT Signature.")])
    with pytest.raises(UserError, match="did not accept the credentials"):
        fetch_composite(env, Ctx())


def test_expired_credentials_on_a_request(env, fake):
    # the client refreshes the token on a 401 and repeats the request (twice); a third 401 is final
    fake.script("value", [(401, "Request had invalid authentication credentials.")] * 3)
    with pytest.raises(UserError, match="earthengine authenticate"):
        fetch_composite(env, Ctx())
    assert len(fake.of_kind("token")) == 3 and len(fake.of_kind("value")) == 3


def test_bad_expression_answer_is_a_user_error(env, fake):
    fake.script("pixels", [(400, "Image.select: Pattern 'B8A' did not match any bands.")])
    with pytest.raises(UserError, match="did not match any bands"):
        fetch_composite(dict(env, workers=1), Ctx())


def test_missing_key_file(env):
    with pytest.raises(UserError, match="does not exist"):
        fetch_composite(dict(env, service_account_key="/nonexistent/key.json"), Ctx())


@pytest.mark.parametrize(
    "start,end,pattern",
    [
        ("2022-09-01", "2022-06-01", "not before"),
        ("2022-06-01", "2999-01-01", "in the future"),
        ("2022-13-01", "2022-09-01", "not a date"),
    ],
)
def test_bad_dates(env, fake, start, end, pattern):
    with pytest.raises(UserError, match=pattern):
        fetch_composite(dict(env, start=start, end=end), Ctx())
    assert fake.requests == []


def test_aoi_too_large(env, fake):
    with pytest.raises(UserError, match=r"80 x 60 = 4800 pixels.*cap of 1000"):
        fetch_composite(dict(env, max_pixels=1000), Ctx())
    assert fake.requests == []


def test_ee_fetch_job(env, fake, tmp_path):
    out = tmp_path / "composite.tif"
    src = dict(env, kind="earthengine")
    src.pop("out_dir")
    result = run_job({"type": "ee_fetch", "source": src, "output": str(out)}, Ctx())
    assert result["path"] == str(out) and result["provenance"]["images"] == 5
    _check_raster(str(out), 12, S2_BANDS)
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # no temporary folder left beside it
    item = _load_json(tmp_path / "composite.stac.json")  # its STAC sidecar: the imagery's dates and collection
    validate_item(item)
    props = item["properties"]
    assert props["terraembed:source_collections"] == ["COPERNICUS/S2_SR_HARMONIZED"]
    assert props["start_datetime"] < props["end_datetime"] and props["datetime"] is None
    assert item["assets"]["composite"]["href"] == "composite.tif" and props["terraembed:images"] == 5


def test_ee_fetch_job_writes_a_cloud_optimized_geotiff(env, fake, tmp_path):
    """The composite as a COG (engine/pipeline/cog.write_cog's IMAGERY layout): the fetch's pixels, tags
    and band names, DEFLATE with the floating-point predictor as fetched, pixel interleaved 256 x 256 tiles,
    averaged overviews. GDAL's own COG validator: tests/shell/test_embed_earthengine.py."""
    out = tmp_path / "wide.tif"
    aoi = {"bounds": [500000, 4000000, 503000, 4002700], "crs": "EPSG:32633"}  # 300 x 270 px: one overview
    src = dict(env, kind="earthengine", aoi=aoi, collection="S1")
    src.pop("out_dir")
    run_job({"type": "ee_fetch", "source": src, "output": str(out), "tags": {"TERRAEMBED_SERIES_PERIOD": "x"}}, Ctx())
    with rasterio.open(out) as ds:
        assert ds.overviews(1) == [2] and ds.block_shapes[0] == (256, 256)
        assert ds.tags(ns="IMAGE_STRUCTURE")["PREDICTOR"] == "3" and ds.compression.name == "deflate"
        assert ds.profile["interleave"] == "pixel" and list(ds.descriptions) == ["VV", "VH"]
        assert ds.tags()["TERRAEMBED_SERIES_PERIOD"] == "x" and ds.tags()["TERRAEMBED_EE_IMAGES"] == "5"
        t = ds.transform
        np.testing.assert_array_equal(ds.read(), expected_pixels((t.a, t.b, t.c, t.d, t.e, t.f), 300, 270, 2))
        half = ds.read(out_shape=(2, 135, 150))
    full = expected_pixels((t.a, t.b, t.c, t.d, t.e, t.f), 300, 270, 2).astype(np.float64)
    np.testing.assert_allclose(half, full.reshape(2, 135, 2, 150, 2).mean(axis=(2, 4)), rtol=1e-5)
    item = _load_json(tmp_path / "wide.stac.json")
    assert item["assets"]["composite"]["type"] == "image/tiff; application=geotiff; profile=cloud-optimized"


def test_ee_fetch_job_failure_leaves_no_output(env, fake, tmp_path):
    out = tmp_path / "failed.tif"
    fake.script("pixels", [(500, "boom")] * 2)
    src = dict(env, workers=1, retries=1)
    src.pop("out_dir")
    with pytest.raises(UserError):
        run_job({"type": "ee_fetch", "source": src, "output": str(out)}, Ctx())
    assert not out.exists()
    assert not (tmp_path / "failed.stac.json").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]


def test_tiled_output_with_unaligned_chunks_in_parallel(env, fake):
    """A tiled, compressed GeoTIFF (>= 256 px) filled by out-of-order windows that cut its blocks."""
    aoi = {"bounds": [500000, 4000000, 503000, 4002700], "crs": "EPSG:32633"}  # 300 x 270 px
    path, prov = fetch_composite(
        dict(env, aoi=aoi, collection="S1", max_request_bytes=8 * 7000, max_request_side=128, block_align=1, workers=4),
        Ctx(),
    )
    with rasterio.open(path) as ds:
        assert ds.profile["tiled"] and ds.profile["compress"] == "deflate"
        assert (ds.width, ds.height) == (300, 270)
        t = ds.transform
        np.testing.assert_array_equal(ds.read(), expected_pixels((t.a, t.b, t.c, t.d, t.e, t.f), 300, 270, 2))
    windows = _pixel_windows(fake)
    assert len(windows) == prov["requests"] > 10
    assert any(c % 256 for _, c, _, _ in windows) and any(r % 256 for r, _, _, _ in windows)


def test_service_that_never_answers_is_given_the_request_timeout(env, fake):
    """Every Earth Engine request has a deadline (request_timeout_s): a service that accepts a pixel
    request and never answers is retried, then told as unreachable, within the timeouts."""
    fake.script("pixels", [(-1, "")] * 2)
    started = time.monotonic()
    with pytest.raises(UserError, match="Cannot reach Earth Engine") as info:
        fetch_composite(dict(env, workers=1, retries=1, request_timeout_s=2), Ctx())
    assert "2 attempts" in str(info.value)
    assert time.monotonic() - started < 2 * 2 + 8  # two timed-out requests and the rest of the fetch
    assert len(fake.of_kind("pixels")) == 2
    assert os.listdir(env["out_dir"]) == []


def test_the_composite_is_written_under_a_partial_name_and_a_dead_runs_leftover_is_swept(env, fake):
    """shared/atomic.py: while the pixels arrive the composite is a partial of this process's run (so a
    fetch killed outright leaves a name the clean-up knows), and a dead run's leftover goes."""
    from terraembed.shared import partials

    out = env["out_dir"]
    os.makedirs(out)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a run that is over
    leftover = os.path.basename(partials.partial_path(os.path.join(out, "ee_s2_x.tif"), partials.run_token(pid)))
    open(os.path.join(out, leftover), "wb").close()
    seen = []

    def on_progress(f, stage):
        if "pixels" in stage:
            seen.append(set(os.listdir(out)) - {leftover})

    path, _ = fetch_composite(
        dict(env, workers=1, max_request_bytes=48 * 500, block_align=8), Ctx(on_progress=on_progress)
    )
    names = set().union(*seen)
    assert len(names) == 1, names
    m = partials.parse_entry(names.pop())
    assert m and m.group("kind") == "part" and m.group("run").split("-")[1] == str(os.getpid())
    assert partials.names_match(m.group("name"), os.path.basename(path))
    assert os.listdir(out) == [os.path.basename(path)]
