"""Compute embeddings with Google Earth Engine as the source, end to end through QGIS: the real `ee`
client in the worker talks to a fake Earth Engine service on 127.0.0.1 (tests/engine/ee_server.py,
started in the runtime), so the request, the pixels, the grid and the outputs are all real."""

import json
import os
import subprocess

import processing
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsRasterLayer

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EE_SERVER = os.path.join(REPO, "tests", "engine", "ee_server.py")  # run as a script: see its serve_until_stdin_closes


@pytest.fixture
def fake_earth_engine(runtime_python, tmp_path, monkeypatch):
    key = tmp_path / "key.json"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".build", "pkg"), os.path.join(REPO, "tests", "engine")]),
    )
    proc = subprocess.Popen(
        [runtime_python, EE_SERVER, str(key)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no stored user credentials
    monkeypatch.setenv("TERRAEMBED_EE_API_URL", url)
    monkeypatch.setenv("TERRAEMBED_EE_KEY_FILE", str(key))
    monkeypatch.setenv("TERRAEMBED_EE_PROJECT", "test-project")
    monkeypatch.setenv("TERRAEMBED_IMAGERY_CACHE", str(tmp_path / "imagery-cache"))
    state = {}
    yield state
    proc.stdin.close()
    state["pixel_requests"] = int(proc.stdout.read().split()[-1])
    proc.wait(timeout=10)


def test_embed_from_earth_engine(
    qgis_app, runtime_python, terrafm_weights, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    aoi = "13.60,13.63,47.80,47.82 [EPSG:4326]"
    params = {
        "SOURCE": 1,
        "AOI": aoi,
        "MODEL": 0,
        "WEIGHTS_FILE": terrafm_weights,
        "START_DATE": "2022-06-01",
        "END_DATE": "2022-09-01",
        "OUTPUT_GRID": str(tmp_path / "grid.tif"),
        "OUTPUT_PCA": str(tmp_path / "pca.tif"),
        "OUTPUT_POOLED": str(tmp_path / "pooled.gpkg"),
        "OUTPUT_INPUT": str(tmp_path / "composite.tif"),
    }
    result = processing.run("terraembed:embed", params, feedback=feedback)
    composite = gdal.Open(result["OUTPUT_INPUT"])
    assert composite.RasterCount == 12
    assert composite.GetRasterBand(1).GetDescription() == "B1"
    grid = QgsRasterLayer(result["OUTPUT_GRID"], "g")
    assert grid.crs().authid() == "EPSG:32633"  # the AOI centre's UTM zone
    assert grid.rasterUnitsPerPixelX() == pytest.approx(160.0)  # 16 pixels of 10 m
    assert result["DIM"] == 768 and result["CELLS"] > 0
    log = "\n".join(feedback.infos)
    assert "COPERNICUS/S2_SR_HARMONIZED" in log


def test_reversed_dates_are_refused_before_any_request(
    qgis_app, runtime_python, terrafm_weights, fake_earth_engine, tmp_path, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:embed",
            {
                "SOURCE": 1,
                "AOI": "13.60,13.63,47.80,47.82 [EPSG:4326]",
                "MODEL": 0,
                "WEIGHTS_FILE": terrafm_weights,
                "START_DATE": "2022-09-01",
                "END_DATE": "2022-06-01",
                "OUTPUT_GRID": str(tmp_path / "grid.tif"),
            },
        )
    assert "date" in str(err.value).lower()
    assert not os.path.exists(tmp_path / "grid.tif")


def test_fetch_composite_algorithm_sentinel1(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    result = processing.run(
        "terraembed:fetch_imagery",
        {
            "AOI": "13.60,13.62,47.80,47.81 [EPSG:4326]",
            "COLLECTION": 1,
            "S1_ORBIT": 1,
            "OUTPUT": str(tmp_path / "s1.tif"),
        },
        feedback=feedback,
    )
    ds = gdal.Open(result["OUTPUT"])
    assert ds.RasterCount == 2
    assert [ds.GetRasterBand(i + 1).GetDescription() for i in range(2)] == ["VV", "VH"]
    assert QgsRasterLayer(result["OUTPUT"], "s1").crs().authid() == "EPSG:32633"
    assert result["IMAGES"] == 5  # the fake service counts 5 images
    assert any("COPERNICUS/S1_GRD_FLOAT" in line for line in feedback.infos)


def test_fetch_composite_algorithm_writes_a_valid_cog(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, monkeypatch
):
    """The composite as a Cloud Optimized GeoTIFF GDAL's own validator accepts (an area of over 256 pixels
    across: an overview level), DEFLATE as fetched, with its STAC sidecar."""
    validate = pytest.importorskip("osgeo_utils.samples.validate_cloud_optimized_geotiff").validate
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    params = {"AOI": "13.60,13.64,47.80,47.81 [EPSG:4326]", "COLLECTION": 1, "OUTPUT": str(tmp_path / "s1.tif")}
    result = processing.run("terraembed:fetch_imagery", params)
    ds = gdal.Open(result["OUTPUT"])
    assert ds.RasterXSize > 256 and ds.GetRasterBand(1).GetOverviewCount() == 1
    assert validate(ds, full_check=True)[1] == []
    assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    ds = None
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("s1")) == ["s1.stac.json", "s1.tif"]


def test_fetch_composite_algorithm_dem(qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch):
    """The Copernicus DEM, the third sensor of TerraMind S2 + S1 + DEM, fetched on its own."""
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    result = processing.run(
        "terraembed:fetch_imagery",
        {"AOI": "13.60,13.62,47.80,47.81 [EPSG:4326]", "COLLECTION": 2, "OUTPUT": str(tmp_path / "dem.tif")},
        feedback=feedback,
    )
    ds = gdal.Open(result["OUTPUT"])
    assert ds.RasterCount == 1 and ds.GetRasterBand(1).GetDescription() == "DEM"
    assert QgsRasterLayer(result["OUTPUT"], "dem").crs().authid() == "EPSG:32633"
    assert any("COPERNICUS/DEM/GLO30" in line for line in feedback.infos)


def test_earth_engine_with_aoi_polygon_masks_outside(
    qgis_app, runtime_python, terrafm_weights, fake_earth_engine, tmp_path, monkeypatch
):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "aoi", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt("POLYGON ((13.60 47.82, 13.63 47.82, 13.60 47.80, 13.60 47.82))"))
    layer.dataProvider().addFeatures([f])
    result = processing.run(
        "terraembed:embed",
        {
            "SOURCE": 1,
            "AOI_LAYER": layer,
            "MODEL": 0,
            "WEIGHTS_FILE": terrafm_weights,
            "OUTPUT_GRID": str(tmp_path / "grid.tif"),
            "OUTPUT_PCA": None,
            "OUTPUT_POOLED": str(tmp_path / "p.gpkg"),
        },
    )
    dataset = gdal.Open(result["OUTPUT_GRID"])
    grid = dataset.GetRasterBand(1).ReadAsArray()
    rows, cols = grid.shape
    assert grid[0, 0] == grid[0, 0]  # top-left: inside the triangle
    assert grid[rows - 1, cols - 1] != grid[rows - 1, cols - 1]  # bottom-right: outside (NaN)
    assert 0 < result["CELLS"] < 0.7 * rows * cols


def test_fetch_alphaearth_year_then_cluster_it(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, feedback, monkeypatch
):
    """A year of AlphaEarth (the fake serves GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL) as an embedding raster
    that an analysis algorithm takes as it is."""
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    result = processing.run(
        "terraembed:fetch_alphaearth",
        {"AOI": "13.60,13.62,47.80,47.81 [EPSG:4326]", "YEAR": 2023, "OUTPUT": str(tmp_path / "aef_2023.tif")},
        feedback=feedback,
    )
    ds = gdal.Open(result["OUTPUT"])
    assert ds.RasterCount == 64 and ds.GetRasterBand(64).GetDescription() == "A63"
    assert ds.GetRasterBand(1).DataType == gdal.GDT_Float32
    tags = ds.GetMetadata()
    assert tags["TERRAEMBED_MODEL"] == "alphaearth" and tags["TERRAEMBED_DIM"] == "64"
    assert (
        tags["TERRAEMBED_YEAR"] == "2023"
        and tags["TERRAEMBED_EE_COLLECTION_ID"] == "GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL"
    )
    assert QgsRasterLayer(result["OUTPUT"], "aef").crs().authid() == "EPSG:32633"
    validate = pytest.importorskip("osgeo_utils.samples.validate_cloud_optimized_geotiff").validate
    assert validate(ds, full_check=True)[1] == []  # a Cloud Optimized GeoTIFF
    ds = None
    item = json.loads((tmp_path / "aef_2023.stac.json").read_text(encoding="utf-8"))  # its STAC sidecar
    assert item["properties"]["license"] == "CC-BY-4.0" and item["assets"]["embeddings"]["href"] == "aef_2023.tif"
    assert result["IMAGES"] == 2  # the fake's tiles of a year
    assert any("produced by Google and Google DeepMind" in line for line in feedback.infos)
    clusters = processing.run(
        "terraembed:cluster", {"INPUT": result["OUTPUT"], "K": 2, "OUTPUT": str(tmp_path / "k.tif")}, feedback=feedback
    )
    assert clusters["K_USED"] == 2
    assert not any("TERRAEMBED_* metadata" in line for line in feedback.warnings)


@pytest.mark.parametrize(
    "year, said",
    [(2030, "no embeddings of 2030 over this area; it has 2017-2025"), (2016, "between 2017 and 2100")],
)
def test_fetch_alphaearth_year_the_collection_lacks(
    qgis_app, runtime_python, fake_earth_engine, tmp_path, monkeypatch, year, said
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:fetch_alphaearth",
            {"AOI": "13.60,13.62,47.80,47.81 [EPSG:4326]", "YEAR": year, "OUTPUT": str(tmp_path / "aef.tif")},
        )
    assert said in str(err.value)
    assert not os.path.exists(tmp_path / "aef.tif")
