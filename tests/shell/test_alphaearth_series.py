"""An AlphaEarth series through QGIS (processing.run, a real worker) against the loopback Earth Engine
(tests/engine/ee_server.py, whose AlphaEarth collection has 2017-2025 over any area): Fetch AlphaEarth
embeddings with YEARS writes one raster per year on one grid and the series QGIS opens, reuses them, skips a
year the collection lacks when asked, puts every year on exactly the grid of GRID_LIKE, and Change over time
takes the series; bad years are refused before any work."""

import os
import sys

import numpy as np
import processing
import pytest
from osgeo import gdal, osr
from qgis.core import QgsProcessingException, QgsRasterLayer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_embed_earthengine import fake_earth_engine  # noqa: F401 (a fixture)

AOI = "13.60,13.62,47.80,47.81 [EPSG:4326]"


def grid_of(path):
    ds = gdal.Open(str(path))
    return ds.GetProjection(), ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize


def test_years_make_a_series_on_one_grid_and_a_rerun_reuses_them(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "out"
    params = {"AOI": AOI, "YEARS": "2022..2024", "OUTPUT": str(out / "aef.tif")}
    result = processing.run("terraembed:fetch_alphaearth", params, feedback=feedback)
    assert result["OUTPUT_SERIES"] == str(out / "aef.vrt") and result["OUTPUT"] is None
    assert (result["PERIODS_COMPUTED"], result["PERIODS_REUSED"], result["PERIODS_SKIPPED"]) == (3, 0, 0)
    years = ["aef_%d.%s" % (y, ext) for y in (2022, 2023, 2024) for ext in ("stac.json", "tif")]
    assert sorted(os.listdir(out)) == ["aef.vrt"] + years  # each year with its STAC sidecar
    assert len({grid_of(out / ("aef_%d.tif" % y)) for y in (2022, 2023, 2024)}) == 1
    series = QgsRasterLayer(result["OUTPUT_SERIES"], "series")
    assert series.isValid() and series.bandCount() == 3 * 64 and series.crs().authid() == "EPSG:32633"
    assert gdal.Open(result["OUTPUT_SERIES"]).GetRasterBand(65).GetDescription() == "2023 A00"
    assert gdal.Open(str(out / "aef_2023.tif")).GetMetadata()["TERRAEMBED_YEAR"] == "2023"
    assert any("produced by Google and Google DeepMind" in line for line in feedback.infos)
    again = processing.run("terraembed:fetch_alphaearth", dict(params, YEARS="2022..2026", IF_NO_IMAGERY=1))
    assert (again["PERIODS_REUSED"], again["PERIODS_COMPUTED"], again["PERIODS_SKIPPED"]) == (3, 1, 1)
    assert QgsRasterLayer(again["OUTPUT_SERIES"], "s").bandCount() == 4 * 64  # 2026: not in the collection


def _reference(path, cell, columns, rows):
    """A 'TerraMind grid' (8 bands) of `cell` metres in UTM 33N, written with GDAL."""
    ds = gdal.GetDriverByName("GTiff").Create(str(path), columns, rows, 8, gdal.GDT_Float32)
    ds.SetGeoTransform((500000.0, cell, 0.0, 4000640.0, 0.0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for band in range(1, 9):
        ds.GetRasterBand(band).WriteArray(np.full((rows, columns), band, np.float32))
    ds = None
    return str(path)


def test_grid_like_puts_every_year_on_that_grid_for_change_over_time(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    reference = _reference(tmp_path / "terramind.tif", 160.0, 4, 3)
    out = tmp_path / "out"
    params = {"YEARS": "2023,2024", "GRID_LIKE": reference, "OUTPUT": str(out / "aef.tif")}
    result = processing.run("terraembed:fetch_alphaearth", params, feedback=feedback)
    assert result["PERIODS_COMPUTED"] == 2
    for year in (2023, 2024):
        assert grid_of(out / ("aef_%d.tif" % year)) == grid_of(reference)
    assert any("averaged onto its grid" in line for line in feedback.infos)
    change = processing.run(
        "terraembed:change_series",
        {"PERIODS": [result["OUTPUT_SERIES"]], "OUTPUT": str(tmp_path / "change.tif")},
        feedback=feedback,
    )
    assert grid_of(change["OUTPUT"])[1:] == grid_of(reference)[1:]


@pytest.mark.parametrize(
    "params, says",
    [
        ({"YEARS": "2024:seasons"}, "Years: 2024-DJF (2023-12-01/2024-03-01) is not a calendar year"),
        ({"YEARS": "2015..2018"}, "Years: AlphaEarth starts in 2017; 2015 is earlier"),
        ({"YEARS": "2021,2019"}, "list the periods in time order"),
        ({"YEARS": "2020,2021", "AOI": None}, "needs an area of interest"),
    ],
)
def test_bad_years_are_refused_before_any_work(qgis_app, runtime_python, tmp_path, monkeypatch, params, says):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    params = dict({"AOI": AOI, "OUTPUT": str(tmp_path / "aef.tif")}, **params)
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:fetch_alphaearth", {k: v for k, v in params.items() if v is not None})
    assert says in str(err.value)
    assert os.listdir(tmp_path) == []
