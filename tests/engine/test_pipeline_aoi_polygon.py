"""An AOI polygon: pixels outside it count as nodata, so cells wholly outside are nodata in the grid and
the pooled vector only weighs what lies inside."""

import os

import numpy as np
import pytest
import rasterio

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(REPO, "sample", "s2_sample.tif")
# the sample: EPSG:32633, origin (400000, 5300000), 10 m pixels, 320 x 288
TRIANGLE = "POLYGON ((400000 5300000, 403200 5300000, 400000 5297120, 400000 5300000))"


def job(tmp_path, aoi, name):
    return {
        "type": "embed",
        "work_dir": str(tmp_path),
        "model": "terrafm_b_s2",
        "prep": "tile",
        "device": "cpu",
        "source": {"kind": "raster", "path": SAMPLE, "bands": list(range(1, 13))},
        "weights": {"random_init": True, "seed": 1},
        "aoi": aoi,
        "outputs": {"grid": str(tmp_path / (name + ".tif")), "pca": None},
    }


def test_cells_outside_the_polygon_are_nodata(tmp_path):
    bounds = [400000, 5297120, 403200, 5300000]
    full = run_job(job(tmp_path, {"bounds": bounds, "crs": "EPSG:32633"}, "full"), JobContext())
    tri = run_job(job(tmp_path, {"bounds": bounds, "crs": "EPSG:32633", "geometry": TRIANGLE}, "tri"), JobContext())
    with rasterio.open(tmp_path / "tri.tif") as ds:
        band = ds.read(1)
    valid = np.isfinite(band)
    rows, cols = band.shape  # 18 x 20 cells of 160 m
    assert valid[0, 0] and valid[0, cols - 2]  # top-left corner: inside
    assert not valid[rows - 1, cols - 1]  # bottom-right corner: outside
    # cells whose centre lies well below the diagonal are nodata
    for r in range(rows):
        for c in range(cols):
            x, y = (c + 0.5) / cols, (r + 0.5) / rows  # fractions from the top-left
            if x + y > 1.15:
                assert not valid[r, c], (r, c)
            if x + y < 0.85:
                assert valid[r, c], (r, c)
    assert tri["cells"] < full["cells"] * 0.7
    assert not np.allclose(tri["pooled"], full["pooled"])


def test_polygon_in_another_crs_is_reprojected(tmp_path):
    from rasterio.warp import transform_geom
    from shapely import wkt
    from shapely.geometry import mapping, shape

    geo = shape(transform_geom("EPSG:32633", "EPSG:4326", mapping(wkt.loads(TRIANGLE))))
    result = run_job(
        job(tmp_path, {"bounds": list(geo.bounds), "crs": "EPSG:4326", "geometry": geo.wkt}, "geo"), JobContext()
    )
    assert 150 < result["cells"] < 230  # about half of the 360 cells


@pytest.mark.parametrize(
    "geometry, message", [("POLYGON ((nonsense))", "not valid WKT"), ("POINT (400100 5299900)", "polygon")]
)
def test_bad_polygons_are_user_errors(tmp_path, geometry, message):
    aoi = {"bounds": [400000, 5297120, 403200, 5300000], "crs": "EPSG:32633", "geometry": geometry}
    with pytest.raises(UserError, match=message):
        run_job(job(tmp_path, aoi, "bad"), JobContext())
    assert not os.path.exists(tmp_path / "bad.tif")
