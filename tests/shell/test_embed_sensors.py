"""terraembed:embed with TerraMind on several sensors through processing.run: a Sentinel-2 layer, a
Sentinel-1 layer on a coarser grid (resampled, said in the log) and a DEM layer, with a real worker and
generated TerraMind weights (every sensor's patch embedding); the outputs are those of one sensor, and
the pooled vector equals the engine's own run. Bad inputs: a missing sensor, a sensor raster for a
single-sensor model, sensor rasters that do not overlap."""

import os

import numpy
import processing
import pytest
from osgeo import gdal, osr
from qgis.core import QgsProcessingException, QgsVectorLayer

from terraembed.models.registry import MODELS

MODEL = list(MODELS).index("terramind_v1_tiny_s2_s1_dem")


@pytest.fixture(scope="module")
def terramind_weights(tmp_path_factory, runtime):
    path = str(tmp_path_factory.mktemp("weights") / "TerraMind_v1_tiny.pt")
    runtime.run("import sys, weights_factory; weights_factory.make_terramind_weights(sys.argv[1], size='tiny')", path)
    return path


def write_dem(path, origin=(400000.0, 5300000.0), size=(96, 108), pixel=30.0, unit=None):
    """A 30 m DEM (a tilted plane, metres), EPSG:32633."""
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size[0], size[1], 1, gdal.GDT_Float32)
    ds.SetGeoTransform((origin[0], pixel, 0, origin[1], 0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    yy, xx = numpy.mgrid[0 : size[1], 0 : size[0]]
    band = ds.GetRasterBand(1)
    band.WriteArray((300.0 + 2.0 * yy + 1.0 * xx).astype(numpy.float32))
    band.SetDescription("DEM")
    if unit:
        band.SetUnitType(unit)
    ds = None
    return str(path)


@pytest.fixture(scope="module")
def sensor_inputs(tmp_path_factory, sample_s1):
    folder = tmp_path_factory.mktemp("sensors")
    s1_20m = str(folder / "s1_20m.tif")
    gdal.Warp(s1_20m, sample_s1, xRes=20.0, yRes=20.0, resampleAlg="average")
    return {"S1": s1_20m, "DEM": write_dem(folder / "dem.tif")}


def params(sample_s2, weights, out, **extra):
    p = {
        "INPUT": sample_s2,
        "MODEL": MODEL,
        "WEIGHTS_FILE": weights,
        "INPUT_PREP": 1,
        "PCA_COMPONENTS": 3,
        "OUTPUT_GRID": str(out / "grid.tif"),
        "OUTPUT_PCA": str(out / "pca.tif"),
        "OUTPUT_POOLED": str(out / "pooled.gpkg"),
    }
    p.update(extra)
    return p


def test_s2_s1_dem_run_outputs_like_one_sensor(
    qgis_app, runtime, sample_s2, sensor_inputs, terramind_weights, tmp_path, feedback
):
    result = processing.run(
        "terraembed:embed",
        params(sample_s2, terramind_weights, tmp_path, INPUT_S1=sensor_inputs["S1"], INPUT_DEM=sensor_inputs["DEM"]),
        feedback=feedback,
    )
    grid = gdal.Open(result["OUTPUT_GRID"])
    assert grid.RasterCount == 192 == result["DIM"]
    assert (grid.RasterYSize, grid.RasterXSize) == (18, 20)
    assert grid.GetGeoTransform() == pytest.approx((400000.0, 160.0, 0, 5300000.0, 0, -160.0))
    assert grid.GetMetadata()["TERRAEMBED_MODEL"] == "terramind_v1_tiny_s2_s1_dem"
    assert gdal.Open(result["OUTPUT_PCA"]).RasterCount == 3
    log = "\n".join(feedback.infos + feedback.console + feedback.warnings)
    assert "Sentinel-1 raster" in log and "resampled (bilinear) onto the Sentinel-2 grid" in log
    assert "DEM raster" in log and "resampled" in log
    layer = QgsVectorLayer(result["OUTPUT_POOLED"], "pooled", "ogr")
    feature = next(layer.getFeatures())
    assert feature["modality"] == "S2+S1+DEM"
    got = [feature["emb_%03d" % i] for i in range(192)]
    job = {
        "type": "embed",
        "work_dir": str(tmp_path),
        "model": "terramind_v1_tiny_s2_s1_dem",
        "prep": "tile",
        "source": {
            "kind": "raster",
            "path": sample_s2,
            "sensors": {"S1": {"path": sensor_inputs["S1"]}, "DEM": {"path": sensor_inputs["DEM"]}},
        },
        "weights": {"path": terramind_weights},
        "device": "cpu",
        "outputs": {"grid": None, "pca": None},
    }
    assert got == pytest.approx(runtime.pooled(job, tmp_path), abs=1e-5)


def test_missing_sensor_is_named(qgis_app, runtime_python, sample_s2, sensor_inputs, terramind_weights, tmp_path):
    os.environ["TERRAEMBED_RUNTIME_PYTHON"] = runtime_python
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:embed", params(sample_s2, terramind_weights, tmp_path, INPUT_S1=sensor_inputs["S1"]))
    msg = str(err.value)
    assert "DEM" in msg and "INPUT_DEM" in msg
    assert not os.listdir(tmp_path)


def test_sensor_raster_for_a_single_sensor_model(qgis_app, sample_s2, sensor_inputs, terramind_weights, tmp_path):
    with pytest.raises(QgsProcessingException, match="INPUT_DEM: the model .* reads no separate DEM raster"):
        processing.run(
            "terraembed:embed", params(sample_s2, terramind_weights, tmp_path, MODEL=2, INPUT_DEM=sensor_inputs["DEM"])
        )
    assert not os.listdir(tmp_path)


def test_sensor_rasters_that_do_not_overlap(qgis_app, sample_s2, sensor_inputs, terramind_weights, tmp_path):
    far = write_dem(tmp_path.parent / ("far_%s.tif" % tmp_path.name), origin=(500000.0, 5300000.0))
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:embed",
            params(sample_s2, terramind_weights, tmp_path, INPUT_S1=sensor_inputs["S1"], INPUT_DEM=far),
        )
    assert "does not overlap" in str(err.value)
    assert not os.listdir(tmp_path)


def test_features_take_the_other_sensors_rasters(qgis_app, sample_s2, sensor_inputs, terramind_weights, tmp_path):
    """Embeddings for features on S2 + S1 + DEM with INPUT_S1 / INPUT_DEM: each feature's vector is the
    pooled vector Compute embeddings gives for the same window and sensors (resize mode; the same
    agreement as test_embed_features' for one sensor)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle

    box = QgsRectangle(400320, 5298400, 400960, 5299040)
    layer = QgsVectorLayer("Polygon?crs=EPSG:32633&field=name:string", "labels", "memory")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromRect(box))
    feature.setAttributes(["field"])
    layer.dataProvider().addFeatures([feature])
    sensors = {"INPUT_S1": sensor_inputs["S1"], "INPUT_DEM": sensor_inputs["DEM"]}
    table = processing.run(
        "terraembed:embed_features",
        dict(
            {"INPUT_FEATURES": layer, "INPUT": sample_s2, "MODEL": MODEL, "WEIGHTS_FILE": terramind_weights},
            OUTPUT=str(tmp_path / "table.gpkg"),
            **sensors,
        ),
    )
    assert table["EMBEDDED"] == 1
    row = next(QgsVectorLayer(table["OUTPUT"], "t", "ogr").getFeatures())
    ref = processing.run(
        "terraembed:embed",
        params(
            sample_s2,
            terramind_weights,
            tmp_path,
            AOI="400320,400960,5298400,5299040 [EPSG:32633]",
            INPUT_PREP=2,
            OUTPUT_GRID=None,
            OUTPUT_PCA=None,
            **sensors,
        ),
    )
    pooled = next(QgsVectorLayer(ref["OUTPUT_POOLED"], "r", "ogr").getFeatures())
    got, want = (numpy.array([f["emb_%03d" % i] for i in range(192)]) for f in (row, pooled))
    assert got @ want / numpy.linalg.norm(got) / numpy.linalg.norm(want) > 0.9999  # as for one sensor
