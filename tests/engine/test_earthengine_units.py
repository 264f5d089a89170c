"""Pure parts of the Earth Engine source: request normalisation, grids, chunk plans, error
classification and the imagery cache. No ee, no network."""

import datetime
import json
import os

import numpy as np
import pytest

from terraembed.engine.sources.cache import ImageryCache, request_key
from terraembed.engine.sources.earthengine.chunks import plan_chunks, split_window, window_grid
from terraembed.engine.sources.earthengine.collections import S2_BANDS
from terraembed.engine.sources.earthengine.request import check_dates, make_grid, normalise
from terraembed.engine.sources.earthengine.retry import _http_status, classify, exhausted_error, fatal_error
from terraembed.shared.errors import UserError

AOI = {"bounds": [500000, 4000000, 500800, 4000600], "crs": "EPSG:32633"}


def test_defaults_and_normalisation():
    r = normalise({"aoi": AOI})
    assert r["collection_id"] == "COPERNICUS/S2_SR_HARMONIZED" and r["bands"] == S2_BANDS
    assert (r["start"], r["end"]) == ("2022-06-01", "2022-09-01")
    assert r["filters"] == {"max_cloud": 30.0, "cloud_mask": "none"}
    assert r["grid"]["scale"] == 10.0 and r["grid"]["crs_for_ee"] == {"crsCode": "EPSG:32633"}
    s1 = normalise({"aoi": AOI, "collection": "s1", "s1_orbit": "any"})
    assert s1["bands"] == ["VV", "VH"] and s1["filters"]["orbit"] is None and s1["filters"]["relax_iw"] is True
    with pytest.raises(UserError, match="ASCENDING"):
        normalise({"aoi": AOI, "collection": "S1", "s1_orbit": "north"})
    with pytest.raises(UserError, match="Unknown Earth Engine collection"):
        normalise({"aoi": AOI, "collection": "L8"})
    with pytest.raises(UserError, match="cloud_mask"):
        normalise({"aoi": AOI, "cloud_mask": "fmask"})
    with pytest.raises(UserError, match="max_cloud"):
        normalise({"aoi": AOI, "max_cloud": 150})
    with pytest.raises(UserError, match="AOI"):
        normalise({})
    with pytest.raises(UserError, match="empty"):
        normalise({"aoi": {"bounds": [1, 1, 1, 2], "crs": "EPSG:4326"}})


def test_dates():
    today = datetime.date(2024, 5, 10)
    assert check_dates("2024-01-01", "2024-05-11", today) == ("2024-01-01", "2024-05-11")
    assert check_dates("2024-01-01T10:00:00Z", "2024-02-01", today) == ("2024-01-01", "2024-02-01")
    assert check_dates(None, "", today) == ("2022-06-01", "2022-09-01")
    with pytest.raises(UserError, match="future"):
        check_dates("2024-01-01", "2024-05-12", today)
    with pytest.raises(UserError, match="not before"):
        check_dates("2024-01-01", "2024-01-01", today)
    with pytest.raises(UserError, match="not a date"):
        check_dates("yesterday", None, today)


@pytest.mark.parametrize(
    "lon,lat,epsg",
    [(12.02, 41.0, 32633), (-58.4, -34.6, 32721), (179.9, 10, 32660), (-180, 0.5, 32601), (3.0, -0.01, 32731)],
)
def test_default_utm_zone(lon, lat, epsg):
    g = make_grid({"bounds": [lon - 0.01, lat - 0.01, lon + 0.005, lat + 0.01], "crs": "EPSG:4326"}, 10.0)
    assert g["crs_for_ee"] == {"crsCode": "EPSG:%d" % epsg}


def test_grid_snapped_and_covering():
    wkt = (
        'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
        'UNIT["degree",0.0174532925199433]]'
    )
    aoi = {"bounds": [12.0, 41.0, 12.05, 41.03], "crs": wkt}
    g = make_grid(aoi, 10.0)
    sx, _, x0, _, sy, y0 = g["transform"]
    assert (sx, sy) == (10.0, -10.0) and x0 % 10 == 0 and y0 % 10 == 0
    from rasterio.warp import transform_bounds

    bx0, by0, bx1, by1 = transform_bounds("EPSG:4326", "EPSG:32633", 12.0, 41.0, 12.05, 41.03, densify_pts=21)
    assert x0 <= bx0 < x0 + 10 and y0 >= by1 > y0 - 10
    assert x0 + g["width"] * 10 >= bx1 > x0 + (g["width"] - 1) * 10
    assert y0 - g["height"] * 10 <= by0 < y0 - (g["height"] - 1) * 10
    # an explicit CRS and a scale; a CRS without an EPSG code goes as WKT
    g2 = make_grid(AOI, 30.0, "EPSG:3857")
    assert g2["crs_for_ee"] == {"crsCode": "EPSG:3857"}
    laea = "+proj=laea +lat_0=40 +lon_0=14 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    g3 = make_grid(AOI, 20.0, laea)
    assert "crsWkt" in g3["crs_for_ee"] and "Lambert" in g3["crs_for_ee"]["crsWkt"]
    # already on the grid: no extra row/column
    g4 = make_grid(AOI, 10.0)
    assert (g4["width"], g4["height"], g4["transform"][2], g4["transform"][5]) == (80, 60, 500000.0, 4000600.0)
    with pytest.raises(UserError, match="degrees"):
        make_grid(AOI, 10.0, "EPSG:4326")
    with pytest.raises(UserError, match="CRS"):
        make_grid({"bounds": [0, 0, 1, 1], "crs": "EPSG:999999"}, 10.0)


def test_aoi_cap():
    with pytest.raises(UserError, match=r"80 x 60 = 4800 pixels at scale 10, over the cap of 4799"):
        normalise({"aoi": AOI, "max_pixels": 4799})
    normalise({"aoi": AOI, "max_pixels": 4800})


@pytest.mark.parametrize(
    "w,h,bpp,max_bytes,side,align",
    [
        (80, 60, 48, 48 * 700, 32768, 16),
        (5000, 3000, 48, 32 << 20, 32768, 256),
        (433, 349, 48, 32 << 20, 32768, 256),
        (1, 1, 8, 8, 1, 256),
        (70000, 3, 8, 1 << 30, 32768, 256),
        (37, 1000, 48, 48 * 37 * 5, 32768, 256),
        (100, 100, 48, 47, 32768, 16),
    ],
)
def test_chunk_plan_tiles_exactly_under_limits(w, h, bpp, max_bytes, side, align):
    windows = plan_chunks(w, h, bpp, max_bytes, side, align)
    cover = np.zeros((h, w), np.int32)
    for r, c, hh, ww in windows:
        assert hh >= 1 and ww >= 1 and hh <= side and ww <= side
        assert hh * ww * bpp <= max(max_bytes, bpp)
        cover[r : r + hh, c : c + ww] += 1
    assert (cover == 1).all()


def test_chunk_alignment_and_split():
    windows = plan_chunks(5000, 3000, 48, 32 << 20, 32768, 256)
    assert all(ww % 256 == 0 for _, c, _, ww in windows if c + ww < 5000)
    assert len(plan_chunks(433, 349, 48, 32 << 20, 32768)) == 1  # fits: one request
    assert split_window((10, 20, 5, 9)) == [(10, 20, 5, 4), (10, 24, 5, 5)]
    assert split_window((10, 20, 9, 5)) == [(10, 20, 4, 5), (14, 20, 5, 5)]


def test_window_grid():
    g = make_grid(AOI, 10.0)
    wg = window_grid(g, (3, 7, 4, 5))
    assert wg == {
        "dimensions": {"width": 5, "height": 4},
        "crsCode": "EPSG:32633",
        "affineTransform": {
            "scaleX": 10.0,
            "shearX": 0.0,
            "translateX": 500070.0,
            "shearY": 0.0,
            "scaleY": -10.0,
            "translateY": 4000570.0,
        },
    }


def _http_error(status, message):
    import httplib2
    from googleapiclient.errors import HttpError

    content = json.dumps({"error": {"code": status, "message": message}}).encode()
    try:
        raise HttpError(httplib2.Response({"status": status}), content)
    except HttpError:
        try:
            raise RuntimeError(message)  # ee raises its EEException from inside the except block
        except RuntimeError as outer:
            return outer


def test_classify():
    assert classify(_http_error(429, "Too many requests")) == "retry"
    assert classify(_http_error(503, "unavailable")) == "retry"
    assert (
        classify(_http_error(400, "Total request size (60000000 bytes) must be less than or equal to 50331648 bytes."))
        == "split"
    )
    assert classify(_http_error(400, "User memory limit exceeded.")) == "split"
    assert classify(_http_error(400, "Image.select: Band 'B99' not found")) == "fatal"
    assert classify(ConnectionError("refused")) == "network"
    assert _http_status(_http_error(403, "x")) == 403
    assert "quota" in str(exhausted_error(_http_error(429, "slow down"), 6, "pixels"))
    assert "register" in str(fatal_error(_http_error(403, "Project p is not registered"), "x", "p"))


def _tif(path, nbytes):
    with open(path, "wb") as f:
        f.write(os.urandom(nbytes))
    return path


def _bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_cache_roundtrip_and_key(tmp_path):
    cache = ImageryCache(str(tmp_path / "c"), cap_mb=1)
    k = request_key({"a": 1, "b": [1, 2]})
    assert k == request_key({"b": [1, 2], "a": 1}) and k != request_key({"a": 2, "b": [1, 2]})
    assert cache.get(k) is None
    src = _tif(str(tmp_path / "x.tif"), 1000)
    stored = cache.put(k, src, {"provenance": {"images": 3}})
    assert _bytes(stored) == _bytes(src)
    tif, meta = cache.get(k)
    assert tif == stored and meta["provenance"] == {"images": 3} and meta["tif_bytes"] == 1000
    # a truncated tif is not served
    with open(tif, "r+b") as f:
        f.truncate(10)
    assert cache.get(k) is None
    # no temporaries are left behind
    assert not [n for _, _, fs in os.walk(cache.root) for n in fs if n.startswith(".")]  # no partial names


def test_cache_lru_eviction(tmp_path):
    cache = ImageryCache(str(tmp_path / "c"), cap_mb=0.01)  # 10485 bytes
    keys = [request_key({"i": i}) for i in range(4)]
    for i, k in enumerate(keys[:3]):
        cache.put(k, _tif(str(tmp_path / ("%d.tif" % i)), 3000), {"i": i})
        for p in cache._paths(k):
            os.utime(p, (1000 + i, 1000 + i))
    assert len(cache.entries()) == 3
    # use entry 0: entry 1 is now the least recently used
    assert cache.get(keys[0]) is not None
    cache.put(keys[3], _tif(str(tmp_path / "3.tif"), 3000), {"i": 3})
    left = {k for _, _, k in cache.entries()}
    assert left == {keys[0], keys[2], keys[3]}
    assert cache.total_bytes() <= cache.cap_bytes
    # larger than the whole cap: not kept, nothing else evicted
    assert cache.put(request_key({"big": 1}), _tif(str(tmp_path / "big.tif"), 20000), {}) is None
    assert {k for _, _, k in cache.entries()} == left
    # disabled
    off = ImageryCache(str(tmp_path / "off"), cap_mb=0)
    assert off.put(keys[0], str(tmp_path / "0.tif"), {}) is None and off.get(keys[0]) is None


def test_default_cache_dir(monkeypatch, tmp_path):
    from terraembed.engine.sources.cache import default_cache_dir

    monkeypatch.delenv("TERRAEMBED_IMAGERY_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        assert default_cache_dir() == os.path.join(str(tmp_path), "terraembed", "imagery")
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert default_cache_dir() == os.path.join(str(tmp_path), "home", ".cache", "terraembed", "imagery")
    monkeypatch.setenv("TERRAEMBED_IMAGERY_CACHE", str(tmp_path / "x"))
    assert default_cache_dir() == str(tmp_path / "x")


def test_import_does_not_import_ee():
    import subprocess
    import sys

    code = (
        "import sys; import terraembed.engine.sources.earthengine, terraembed.engine.sources.earthengine_job; "
        "print('ee' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
