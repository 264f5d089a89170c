"""Series through QGIS (processing.run, a real worker): Compute embeddings and Fetch Earth Engine composite
with periods against the loopback Earth Engine (tests/engine/ee_server.py), and Build a series of loaded
rasters. The files, their one grid and the series QGIS opens are checked as a user sees them."""

import os
import sys

import processing
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsRasterLayer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_embed_earthengine import fake_earth_engine  # noqa: F401 (a fixture)

AOI = "13.60,13.63,47.80,47.82 [EPSG:4326]"


def grid_of(path):
    ds = gdal.Open(str(path))
    return ds.GetProjection(), ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize


def test_embed_with_periods_writes_one_grid_per_period_and_reuses_them(
    qgis_app, runtime_python, terrafm_weights, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "out"  # the fake's key and imagery cache are in tmp_path
    params = {
        "SOURCE": 1,
        "AOI": AOI,
        "MODEL": 0,
        "WEIGHTS_FILE": terrafm_weights,
        "PERIODS": "2019,2020",
        "OUTPUT_GRID": str(out / "grid.tif"),
        "OUTPUT_PCA": str(out / "pca.tif"),
        "OUTPUT_POOLED": str(out / "pooled.gpkg"),
    }
    result = processing.run("terraembed:embed", params, feedback=feedback)
    assert result["OUTPUT_SERIES"] == str(out / "grid.vrt")
    assert (result["PERIODS_COMPUTED"], result["PERIODS_REUSED"], result["PERIODS_SKIPPED"]) == (2, 0, 0)
    assert result["DIM"] == 768 and result["DEVICE_USED"] == "cpu"
    assert sorted(os.listdir(out)) == [
        "grid.vrt",
        "grid_2019.stac.json",
        "grid_2019.tif",
        "grid_2020.stac.json",
        "grid_2020.tif",
    ]  # a STAC sidecar per period
    assert grid_of(out / "grid_2019.tif") == grid_of(out / "grid_2020.tif")
    series = QgsRasterLayer(result["OUTPUT_SERIES"], "series")
    assert series.isValid() and series.bandCount() == 2 * 768
    assert series.crs().authid() == "EPSG:32633"
    assert gdal.Open(result["OUTPUT_SERIES"]).GetRasterBand(769).GetDescription() == "2020 emb_000"
    assert "A series of 2 periods (2019, 2020)" in "\n".join(feedback.infos)
    again = processing.run("terraembed:embed", dict(params, PERIODS="2019..2021"))
    assert (again["PERIODS_COMPUTED"], again["PERIODS_REUSED"]) == (1, 2)
    assert grid_of(out / "grid_2021.tif") == grid_of(out / "grid_2019.tif")
    assert QgsRasterLayer(again["OUTPUT_SERIES"], "s").bandCount() == 3 * 768


@pytest.mark.parametrize(
    "periods, says",
    [("2021,2019", "list the periods in time order"), ("2020-01-01/2019-01-01", "with the later date second")],
)
def test_bad_periods_are_refused_before_any_work(qgis_app, runtime_python, tmp_path, monkeypatch, periods, says):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:fetch_imagery", {"AOI": AOI, "PERIODS": periods, "OUTPUT": str(tmp_path / "c.tif")})
    assert str(err.value).startswith("Periods: ") and says in str(err.value)
    assert os.listdir(tmp_path) == []


def test_periods_need_earth_engine(qgis_app, runtime_python, sample_s2, tmp_path, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    with pytest.raises(QgsProcessingException, match="use Build a series"):
        processing.run(
            "terraembed:embed", {"INPUT": sample_s2, "PERIODS": "2019,2020", "OUTPUT_GRID": str(tmp_path / "g.tif")}
        )
    assert os.listdir(tmp_path) == []


def test_fetch_composite_with_periods(qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "out"
    params = {"AOI": AOI, "COLLECTION": 0, "PERIODS": "2024:seasons", "OUTPUT": str(out / "c.tif")}
    result = processing.run("terraembed:fetch_imagery", params, feedback=feedback)
    assert result["PERIODS_COMPUTED"] == 4 and result["OUTPUT"] is None and not os.path.exists(out / "c.tif")
    layer = QgsRasterLayer(result["OUTPUT_SERIES"], "c")
    assert layer.isValid() and layer.bandCount() == 4 * 12
    assert gdal.Open(result["OUTPUT_SERIES"]).GetRasterBand(13).GetDescription() == "2024-MAM B1"
    grids = {grid_of(out / ("c_2024-%s.tif" % s)) for s in ("DJF", "MAM", "JJA", "SON")}
    assert len(grids) == 1


def test_a_failure_in_period_k_keeps_the_earlier_ones_for_the_next_run(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "out"
    (out / "c_2020.tif").mkdir(parents=True)  # period 2's destination is in the way
    params = {"AOI": AOI, "COLLECTION": 0, "PERIODS": "2019..2021", "OUTPUT": str(out / "c.tif")}
    with pytest.raises(QgsProcessingException, match="c_2020.tif is a folder"):
        processing.run("terraembed:fetch_imagery", params, feedback=feedback)
    assert sorted(os.listdir(out)) == ["c_2019.stac.json", "c_2019.tif", "c_2020.tif"]  # period 1 complete, no series
    assert any("reuses them: 2019." in w for w in feedback.warnings)
    os.rmdir(out / "c_2020.tif")
    again = processing.run("terraembed:fetch_imagery", params)
    assert (again["PERIODS_REUSED"], again["PERIODS_COMPUTED"]) == (1, 2)
    assert gdal.Open(again["OUTPUT_SERIES"]).RasterCount == 3 * 12


@pytest.fixture(scope="module")
def rasters(tmp_path_factory, runtime):
    """Two 16-band embedding rasters on one grid, one on a grid shifted by 2 cells, one of 8 bands."""
    folder = tmp_path_factory.mktemp("series-rasters")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "rng = np.random.default_rng(0)\n"
        "for name in ('a', 'b'):\n"
        "    s.write_raster(sys.argv[1] + '/%s.tif' % name, rng.normal(size=(16, 20, 30)), nodata=float('nan'))\n"
        "shifted = s.grid_transform(origin=(500020.0, 4200000.0))\n"
        "s.write_raster(sys.argv[1] + '/shifted.tif', rng.normal(size=(16, 20, 30)), transform=shifted)\n"
        "s.write_raster(sys.argv[1] + '/narrow.tif', rng.normal(size=(8, 20, 30)))\n",
        str(folder),
    )
    return {name: str(folder / ("%s.tif" % name)) for name in ("a", "b", "shifted", "narrow")}


def test_build_series_of_loaded_rasters(qgis_app, rasters, tmp_path, feedback):
    out = str(tmp_path / "years.vrt")
    params = {"LAYERS": [rasters["a"], rasters["b"], rasters["shifted"]], "PERIODS": "2019..2021", "OUTPUT": out}
    result = processing.run("terraembed:build_series", params, feedback=feedback)
    assert (result["OUTPUT"], result["PERIODS_COUNT"], result["RESAMPLED"]) == (out, 3, 1)
    assert "Period 2021 was resampled onto the first raster's grid." in feedback.infos
    resampled = tmp_path / "years_2021.tif"
    assert grid_of(resampled) == grid_of(rasters["a"])
    layer = QgsRasterLayer(out, "years")
    assert layer.isValid() and layer.bandCount() == 48


@pytest.mark.parametrize(
    "layers, periods, says",
    [
        (["a"], "2019", "use Change between dates"),
        (["a", "narrow"], "2019,2020", "narrow.tif holds 8 bands"),
        (["a", "b"], "2019..2021", "2 rasters but 3 periods"),
        (["a", "b"], "", "does not say which dates it shows"),
    ],
)
def test_build_series_refusals(qgis_app, rasters, tmp_path, layers, periods, says):
    params = {"LAYERS": [rasters[k] for k in layers], "PERIODS": periods, "OUTPUT": str(tmp_path / "s.vrt")}
    with pytest.raises(QgsProcessingException, match=says):
        processing.run("terraembed:build_series", params)
    assert os.listdir(tmp_path) == []
