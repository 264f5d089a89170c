"""terraembed:embed through processing.run on real layers, with a real worker and generated weights."""

import os

import numpy
import processing
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsRasterLayer, QgsVectorLayer


def embed_params(sample, weights, out, **extra):
    params = {
        "INPUT": sample,
        "MODEL": 0,
        "WEIGHTS_FILE": weights,
        "INPUT_PREP": 0,
        "PCA_COMPONENTS": 3,
        "OUTPUT_GRID": str(out / "grid.tif"),
        "OUTPUT_PCA": str(out / "pca.tif"),
        "OUTPUT_POOLED": str(out / "pooled.gpkg"),
    }
    params.update(extra)
    return params


def outputs_in(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def sample_run(qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path_factory):
    os.environ["TERRAEMBED_RUNTIME_PYTHON"] = runtime_python
    out = tmp_path_factory.mktemp("embed")
    result = processing.run("terraembed:embed", embed_params(sample_s2, terrafm_weights, out))
    return out, result


def test_grid_is_georeferenced_like_the_input(sample_run, sample_s2):
    out, result = sample_run
    src, grid = gdal.Open(sample_s2), gdal.Open(result["OUTPUT_GRID"])
    sgt, ggt = src.GetGeoTransform(), grid.GetGeoTransform()
    assert grid.RasterCount == 768 == result["DIM"]
    assert ggt[1] == pytest.approx(16 * sgt[1]) and ggt[5] == pytest.approx(16 * sgt[5])  # cell = 16 px
    assert (ggt[0], ggt[3]) == pytest.approx((sgt[0], sgt[3]))  # same origin
    # extent equal within one cell
    s_right, s_bottom = sgt[0] + sgt[1] * src.RasterXSize, sgt[3] + sgt[5] * src.RasterYSize
    g_right, g_bottom = ggt[0] + ggt[1] * grid.RasterXSize, ggt[3] + ggt[5] * grid.RasterYSize
    assert abs(g_right - s_right) <= ggt[1] and abs(g_bottom - s_bottom) <= abs(ggt[5])
    layer = QgsRasterLayer(result["OUTPUT_GRID"], "grid")
    assert layer.crs().authid() == QgsRasterLayer(sample_s2, "s").crs().authid() == "EPSG:32633"
    assert grid.GetRasterBand(1).GetDescription() == "emb_000"
    assert grid.GetMetadata()["TERRAEMBED_MODEL"] == "terrafm_b_s2"


def test_pca_has_k_bands_and_variance(sample_run):
    _, result = sample_run
    pca = gdal.Open(result["OUTPUT_PCA"])
    assert pca.RasterCount == 3
    grid = gdal.Open(result["OUTPUT_GRID"])
    assert (pca.RasterXSize, pca.RasterYSize) == (grid.RasterXSize, grid.RasterYSize)


def test_pooled_feature_holds_the_engine_vector(sample_run, runtime, terrafm_weights, sample_s2, tmp_path):
    _, result = sample_run
    layer = QgsVectorLayer(result["OUTPUT_POOLED"], "pooled", "ogr")
    assert layer.featureCount() == 1
    names = layer.fields().names()
    emb = [n for n in names if n.startswith("emb_")]
    assert len(emb) == 768 and {"model", "modality", "source", "cells"} <= set(names)
    feature = next(layer.getFeatures())
    assert feature["model"] == "terrafm_b_s2" and feature["cells"] == result["CELLS"]
    got = [feature[n] for n in emb]
    # the same job straight through the engine, without QGIS
    job = {
        "type": "embed",
        "work_dir": str(tmp_path),
        "model": "terrafm_b_s2",
        "prep": "auto",
        "aoi": None,
        "source": {"kind": "raster", "path": sample_s2, "bands": list(range(1, 13)), "scale": 1.0},
        "weights": {"path": terrafm_weights},
        "device": "cpu",
        "outputs": {"grid": None, "pca": None},
    }
    assert got == pytest.approx(runtime.pooled(job, tmp_path), abs=1e-5)
    geom = feature.geometry().boundingBox()
    assert geom.width() > 0 and layer.crs().authid() == "EPSG:32633"


def test_aoi_in_another_crs_limits_the_grid(qgis_app, terrafm_weights, sample_s2, tmp_path):
    # a WGS84 extent inside the sample's UTM footprint
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle

    src = QgsRasterLayer(sample_s2, "s")
    utm = QgsRectangle(400500, 5297500, 402800, 5299500)
    tr = QgsCoordinateTransform(src.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    geo = tr.transformBoundingBox(utm)
    aoi = "%f,%f,%f,%f [EPSG:4326]" % (geo.xMinimum(), geo.xMaximum(), geo.yMinimum(), geo.yMaximum())
    result = processing.run("terraembed:embed", embed_params(sample_s2, terrafm_weights, tmp_path, AOI=aoi))
    grid = QgsRasterLayer(result["OUTPUT_GRID"], "g")
    assert grid.crs().authid() == "EPSG:32633"
    ext = grid.extent()
    back = tr.transformBoundingBox(geo, QgsCoordinateTransform.ReverseTransform)
    assert ext.width() < 3200 and ext.height() < 2880  # smaller than the whole sample
    assert abs(ext.xMinimum() - back.xMinimum()) <= 160 and abs(ext.yMaximum() - back.yMaximum()) <= 160


def test_geographic_raster_is_warped_to_utm(qgis_app, terrafm_weights, sample_s2, tmp_path):
    geo_path = str(tmp_path / "sample_4326.tif")
    gdal.Warp(geo_path, sample_s2, dstSRS="EPSG:4326")
    result = processing.run(
        "terraembed:embed", embed_params(geo_path, terrafm_weights, tmp_path / "o", OUTPUT_POOLED="TEMPORARY_OUTPUT")
    )
    grid = QgsRasterLayer(result["OUTPUT_GRID"], "g")
    assert grid.crs().authid() == "EPSG:32633"  # UTM zone of the area's centre
    assert 100 < grid.rasterUnitsPerPixelX() < 250  # metres (16 pixels of about 10 m), not degrees


def test_cuda_requested_without_gpu_falls_back_with_warning(qgis_app, terrafm_weights, sample_s2, tmp_path, feedback):
    result = processing.run(
        "terraembed:embed",
        embed_params(
            sample_s2,
            terrafm_weights,
            tmp_path,
            DEVICE=2,
            OUTPUT_GRID=None,
            OUTPUT_PCA=None,
            OUTPUT_POOLED="TEMPORARY_OUTPUT",
        ),
        feedback=feedback,
    )
    has_cuda = "cuda" in result["DEVICE_USED"]
    if not has_cuda:
        assert result["DEVICE_USED"] == "cpu"
        assert any("CUDA" in line or "cuda" in line for line in feedback.warnings), feedback.warnings


# -- bad input: a clear QgsProcessingException and no output file ---------------------------------------


def expect_failure(params, tmp_path, *needles):
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:embed", params)
    message = str(err.value)
    for needle in needles:
        assert needle in message, message
    assert "Traceback" not in message
    return message


def test_wrong_band_count(qgis_app, terrafm_weights, tmp_path):
    path = str(tmp_path / "rgb.tif")
    gdal.GetDriverByName("GTiff").Create(path, 64, 64, 3, gdal.GDT_UInt16).SetGeoTransform((0, 10, 0, 0, 0, -10))
    out = tmp_path / "out"
    out.mkdir()
    expect_failure(embed_params(path, terrafm_weights, out), tmp_path, "needs 12 bands", "Bands")
    assert outputs_in(out) == []


def test_s1_model_on_single_band(qgis_app, terrafm_weights, tmp_path):
    path = str(tmp_path / "one.tif")
    gdal.GetDriverByName("GTiff").Create(path, 64, 64, 1, gdal.GDT_Float32).SetGeoTransform((0, 10, 0, 0, 0, -10))
    expect_failure(embed_params(path, terrafm_weights, tmp_path, MODEL=1), tmp_path, "two bands")


def test_aoi_outside_raster(qgis_app, terrafm_weights, sample_s2, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    expect_failure(
        embed_params(sample_s2, terrafm_weights, out, AOI="0,1000,0,1000 [EPSG:32633]"), tmp_path, "does not overlap"
    )
    assert outputs_in(out) == []


def test_aoi_smaller_than_a_pixel(qgis_app, terrafm_weights, sample_s2, tmp_path):
    expect_failure(
        embed_params(sample_s2, terrafm_weights, tmp_path, AOI="400100,400102,5299000,5299002 [EPSG:32633]"),
        tmp_path,
        "less than one pixel",
    )


def test_all_nodata_raster(qgis_app, terrafm_weights, tmp_path):
    path = str(tmp_path / "empty.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 64, 64, 12, gdal.GDT_UInt16)
    ds.SetGeoTransform((400000, 10, 0, 5300000, 0, -10))
    for i in range(12):
        ds.GetRasterBand(i + 1).SetNoDataValue(0)
    ds = None
    out = tmp_path / "out"
    out.mkdir()
    expect_failure(embed_params(path, terrafm_weights, out), tmp_path, "nodata")
    assert outputs_in(out) == []


def test_destination_not_writable(qgis_app, terrafm_weights, sample_s2, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    expect_failure(
        embed_params(sample_s2, terrafm_weights, tmp_path, OUTPUT_GRID=str(blocker / "grid.tif")),
        tmp_path,
        "Choose another destination",
    )


def test_missing_weights_offline_names_repo_and_file(qgis_app, sample_s2, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "out"
    out.mkdir()
    expect_failure(embed_params(sample_s2, "", out, OFFLINE=True), tmp_path, "MBZUAI/TerraFM", "TerraFM-B.pth")
    assert outputs_in(out) == []


def test_cancel_mid_run_leaves_nothing(qgis_app, terrafm_weights, sample_s2, tmp_path):
    out = tmp_path / "out"
    out.mkdir()

    from terraembed.algorithms.base import stage_words

    inference = stage_words("infer")

    class CancelDuringInference(QgsProcessingFeedback):
        def setProgressText(self, text):  # noqa: N802
            super().setProgressText(text)
            if inference in text:
                self.cancel()

    fb = CancelDuringInference()
    with pytest.raises(QgsProcessingException) as err:
        processing.run("terraembed:embed", embed_params(sample_s2, terrafm_weights, out, BATCH_SIZE=1), feedback=fb)
    assert "Cancelled" in str(err.value)
    assert outputs_in(out) == []


def test_client_cancel_stops_worker_within_a_second(runtime_python, terrafm_weights, sample_s2, tmp_path):
    import time

    from terraembed.shared.errors import Cancelled
    from terraembed.shell.client import CANCEL_GRACE_S, RuntimeClient

    out = tmp_path / "out"
    out.mkdir()
    job = {
        "type": "embed",
        "work_dir": str(tmp_path),
        "model": "terrafm_b_s2",
        "prep": "tile",
        "aoi": None,
        "batch_size": 1,
        "device": "cpu",
        "source": {"kind": "raster", "path": sample_s2, "bands": list(range(1, 13)), "scale": 1.0},
        "weights": {"path": terrafm_weights},
        "outputs": {"grid": str(out / "grid.tif"), "pca": str(out / "pca.tif"), "pca_components": 3},
    }
    state = {}

    def cancelled():
        return "at" in state

    def on_progress(fraction, stage):
        if stage == "infer" and "at" not in state:
            state["at"] = time.monotonic()

    client = RuntimeClient(runtime_python)
    with pytest.raises(Cancelled):
        client.run(job, on_progress=on_progress, is_cancelled=cancelled)
    assert time.monotonic() - state["at"] <= CANCEL_GRACE_S + 0.5
    assert outputs_in(out) == []


def test_layer_that_is_not_a_plain_file_is_exported_for_the_worker(qgis_app, terrafm_weights, sample_s2, tmp_path):
    """A layer GDAL reads from inside a ZIP (no file path the runtime could open) is exported window by window,
    and gives the same embeddings as the file itself."""
    import zipfile

    archive = tmp_path / "imagery.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(sample_s2, "s2_sample.tif")
    zipped = QgsRasterLayer("/vsizip/%s/s2_sample.tif" % archive, "zipped")
    assert zipped.isValid()
    aoi = "400320,402560,5297600,5299840 [EPSG:32633]"  # pixel-aligned, 224 x 224 pixels
    common = {"MODEL": 0, "WEIGHTS_FILE": terrafm_weights, "AOI": aoi, "OUTPUT_GRID": None, "OUTPUT_PCA": None}
    from_zip = processing.run("terraembed:embed", dict(common, INPUT=zipped, OUTPUT_POOLED=str(tmp_path / "a.gpkg")))
    from_file = processing.run(
        "terraembed:embed", dict(common, INPUT=sample_s2, OUTPUT_POOLED=str(tmp_path / "b.gpkg"))
    )
    a = next(QgsVectorLayer(from_zip["OUTPUT_POOLED"], "a", "ogr").getFeatures())
    b = next(QgsVectorLayer(from_file["OUTPUT_POOLED"], "b", "ogr").getFeatures())
    assert [a["emb_%03d" % i] for i in range(768)] == pytest.approx([b["emb_%03d" % i] for i in range(768)], abs=1e-4)
    assert a.geometry().boundingBox().toString(0) == b.geometry().boundingBox().toString(0)


def test_reflectance_stored_as_0_to_1_warns_and_scale_fixes_it(
    qgis_app, terrafm_weights, sample_s2, tmp_path, feedback
):
    """A raster of reflectance 0..1 gets a warning naming the fix; with SCALE 10000 it embeds like the original."""
    src = gdal.Open(sample_s2)
    data = src.ReadAsArray().astype("float32") / 10000.0
    path = str(tmp_path / "reflectance01.tif")
    dst = gdal.GetDriverByName("GTiff").Create(
        path, src.RasterXSize, src.RasterYSize, src.RasterCount, gdal.GDT_Float32
    )
    dst.SetGeoTransform(src.GetGeoTransform())
    dst.SetProjection(src.GetProjection())
    for i in range(src.RasterCount):
        band = dst.GetRasterBand(i + 1)
        band.WriteArray(data[i])
        band.SetDescription(src.GetRasterBand(i + 1).GetDescription())
        band.SetNoDataValue(0)
    dst = None
    aoi = "400320,402560,5297600,5299840 [EPSG:32633]"
    common = {"MODEL": 0, "WEIGHTS_FILE": terrafm_weights, "AOI": aoi, "OUTPUT_GRID": None, "OUTPUT_PCA": None}
    processing.run("terraembed:embed", dict(common, INPUT=path, OUTPUT_POOLED="TEMPORARY_OUTPUT"), feedback=feedback)
    assert any("set the scale factor to 10000" in m for m in feedback.warnings), feedback.warnings
    scaled = processing.run(
        "terraembed:embed", dict(common, INPUT=path, SCALE=10000, OUTPUT_POOLED=str(tmp_path / "scaled.gpkg"))
    )
    original = processing.run("terraembed:embed", dict(common, INPUT=sample_s2, OUTPUT_POOLED=str(tmp_path / "o.gpkg")))
    a = next(QgsVectorLayer(scaled["OUTPUT_POOLED"], "a", "ogr").getFeatures())
    b = next(QgsVectorLayer(original["OUTPUT_POOLED"], "b", "ogr").getFeatures())
    assert [a["emb_%03d" % i] for i in range(768)] == pytest.approx([b["emb_%03d" % i] for i in range(768)], abs=1e-3)


def test_aoi_polygons_mask_the_grid_and_shape_the_pooled_feature(qgis_app, terrafm_weights, sample_s2, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry

    triangle = "POLYGON ((400000 5300000, 403200 5300000, 400000 5297120, 400000 5300000))"
    layer = QgsVectorLayer("Polygon?crs=EPSG:32633", "aoi", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt(triangle))
    layer.dataProvider().addFeatures([f])
    result = processing.run("terraembed:embed", embed_params(sample_s2, terrafm_weights, tmp_path, AOI_LAYER=layer))
    dataset = gdal.Open(result["OUTPUT_GRID"])  # keep the dataset alive while its band is read
    grid = dataset.GetRasterBand(1).ReadAsArray()
    rows, cols = grid.shape
    assert grid[0, 0] == grid[0, 0]  # inside: a value
    assert grid[rows - 1, cols - 1] != grid[rows - 1, cols - 1]  # outside: NaN
    whole = processing.run(
        "terraembed:embed", embed_params(sample_s2, terrafm_weights, tmp_path / "w", OUTPUT_POOLED="TEMPORARY_OUTPUT")
    )
    assert result["CELLS"] < 0.7 * whole["CELLS"]
    pooled = next(QgsVectorLayer(result["OUTPUT_POOLED"], "p", "ogr").getFeatures())
    assert pooled.geometry().area() == pytest.approx(QgsGeometry.fromWkt(triangle).area(), rel=1e-6)


def test_tile_overlap_blends_the_chips_covering_a_cell(sample_run, terrafm_weights, sample_s2, tmp_path, feedback):
    _, plain = sample_run
    result = processing.run(
        "terraembed:embed",
        embed_params(
            sample_s2, terrafm_weights, tmp_path, INPUT_PREP=1, OVERLAP=2, OUTPUT_PCA=None, OUTPUT_POOLED=None
        ),
        feedback=feedback,
    )
    grid, reference = gdal.Open(result["OUTPUT_GRID"]), gdal.Open(plain["OUTPUT_GRID"])
    assert (grid.RasterXSize, grid.RasterYSize) == (reference.RasterXSize, reference.RasterYSize) == (20, 18)
    assert grid.GetGeoTransform() == reference.GetGeoTransform()
    assert "overlap 50%" in grid.GetMetadata()["TERRAEMBED_PREPROCESSING"]
    log = "\n".join(feedback.infos + feedback.console)
    assert "4 chip(s) of 224 px at stride 112 px (overlap 50%" in log, log
    # 20 x 18 cells: chips start at columns 0 and 6, rows 0 and 4 either way. Without overlap each cell
    # comes from the first chip covering it; with overlap cells covered by two chips (columns 6..13 or
    # rows 4..13) are blends of both, and all others are the one chip's, as before.
    ours, theirs = grid.ReadAsArray(), reference.ReadAsArray()
    moved = [[4 <= r <= 13 or 6 <= c <= 13 for c in range(20)] for r in range(18)]
    for r in range(18):
        for c in range(20):
            same = numpy.allclose(ours[:, r, c], theirs[:, r, c], atol=1e-5, equal_nan=True)
            assert same != moved[r][c], (r, c)


def test_grid_compression_is_none_by_default_and_deflate_on_request(sample_run, terrafm_weights, sample_s2, tmp_path):
    """The default grid is an uncompressed GeoTIFF; GRID_COMPRESSION=1 writes the same grid DEFLATE-
    compressed. Both open in QGIS as raster layers with the embedding's bands."""
    _, plain = sample_run
    result = processing.run(
        "terraembed:embed",
        embed_params(sample_s2, terrafm_weights, tmp_path, GRID_COMPRESSION=1, OUTPUT_PCA=None, OUTPUT_POOLED=None),
    )
    packed, reference = gdal.Open(result["OUTPUT_GRID"]), gdal.Open(plain["OUTPUT_GRID"])
    assert packed.GetMetadata("IMAGE_STRUCTURE").get("COMPRESSION") == "DEFLATE"
    assert "COMPRESSION" not in reference.GetMetadata("IMAGE_STRUCTURE")
    assert numpy.allclose(packed.ReadAsArray(), reference.ReadAsArray(), atol=1e-6, equal_nan=True)
    for path in (result["OUTPUT_GRID"], plain["OUTPUT_GRID"]):
        layer = QgsRasterLayer(path, "grid")
        assert layer.isValid() and layer.bandCount() == 768
