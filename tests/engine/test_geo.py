"""engine/geo.py: the one CRS parser and the one UTM zone function that the raster source, the
features job and the Earth Engine grid all use."""

import pytest

from terraembed.engine.geo import parse_crs, utm_crs
from terraembed.engine.sources.earthengine.request import make_grid
from terraembed.shared.errors import UserError


@pytest.mark.parametrize(
    "lon, lat, epsg",
    [
        (15.0, 45.0, 32633),
        (15.0, -33.9, 32733),
        (-180.0, 10.0, 32601),
        (180.0, 10.0, 32660),
        (179.99, -1.0, 32760),
        (0.0, 0.0, 32631),
        (-0.001, 51.5, 32630),
    ],
)
def test_utm_zone_of_a_point(lon, lat, epsg):
    assert utm_crs(lon, lat).to_epsg() == epsg


def test_parse_crs_accepts_epsg_and_wkt():
    crs = parse_crs("EPSG:32633", "AOI")
    assert crs.to_epsg() == 32633
    assert parse_crs(crs.to_wkt(), "AOI").to_epsg() == 32633


@pytest.mark.parametrize("value", ["EPSG:99999999", "not a crs", 3.5])
def test_parse_crs_names_what_it_was_for(value):
    with pytest.raises(UserError, match=r"The features CRS .* is not understood.*EPSG:32633"):
        parse_crs(value, "features")


def test_earth_engine_grid_uses_the_same_functions():
    aoi = {"bounds": [15.0, 45.0, 15.01, 45.01], "crs": "EPSG:4326"}
    assert make_grid(aoi, 10.0)["crs"] == utm_crs(15.005, 45.005).to_string() == "EPSG:32633"
    with pytest.raises(UserError, match="The output CRS 'EPSG:0' is not understood"):
        make_grid(aoi, 10.0, "EPSG:0")
    with pytest.raises(UserError, match="The AOI CRS"):
        make_grid(dict(aoi, crs="nonsense"), 10.0)
