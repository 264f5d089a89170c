"""The panel's parameter building and its area of interest, without widgets: plain values in, the
terraembed:embed parameters out (checked by the real algorithm), PanelError naming what to fix."""

import datetime
import json

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProject,
    QgsRectangle,
)

from terraembed.shared import catalogue
from terraembed.ui import aoi as areas
from terraembed.ui.aoi import AreaOfInterest
from terraembed.ui.parameters import (
    EarthEngineChoice,
    PanelChoices,
    PanelError,
    RasterChoice,
    embed_parameters,
    output_paths,
    prepare_output_folder,
    run_name,
    safe_name,
    unique_name,
)

UTM = QgsCoordinateReferenceSystem("EPSG:32633")
RECT = QgsRectangle(400500, 5297500, 402800, 5299500)
TRIANGLE = QgsGeometry.fromPolygonXY(
    [
        [
            QgsPointXY(400600, 5297600),
            QgsPointXY(402000, 5297700),
            QgsPointXY(401500, 5299000),
            QgsPointXY(400600, 5297600),
        ]
    ]
)


def raster_choices(**kw):
    values = dict(model="terrafm_b_s2", source="raster", raster=RasterChoice(path="/data/s2.tif", name="s2"))
    values.update(kw)
    return PanelChoices(**values)


def check_with_the_algorithm(params, tmp_path):
    alg = QgsApplication.processingRegistry().createAlgorithmById("terraembed:embed")
    params = dict(params, **output_paths(str(tmp_path), "run"))
    return alg.checkParameterValues(params, QgsProcessingContext())


# -- the area of interest ----------------------------------------------------------------------------------


def test_a_rectangle_is_not_a_polygon(qgis_app):
    aoi = AreaOfInterest.rectangle(RECT, UTM)
    assert aoi.kind == areas.RECTANGLE and not aoi.is_polygon
    assert aoi.extent().crs().authid() == "EPSG:32633" and QgsRectangle(aoi.extent()) == RECT
    assert aoi.geometry.boundingBox() == RECT
    text = aoi.describe()
    assert text.startswith("Drawn rectangle: x 400500.00 to 402800.00") and "(EPSG:32633)" in text
    assert "2300 x 2000 m" in text and "ignored" not in text
    assert not AreaOfInterest.rectangle(RECT, UTM, areas.MAP_VIEW).is_polygon


def test_polygons_keep_their_shape_and_say_so(qgis_app, tmp_path):
    drawn = AreaOfInterest.polygon(TRIANGLE, UTM)
    assert drawn.is_polygon and drawn.rect == QgsRectangle(400600, 5297600, 402000, 5299000)
    assert drawn.describe().endswith("pixels outside the polygon are ignored.")
    layer = AreaOfInterest.polygon(TRIANGLE, UTM, areas.LAYER, "1 selected feature(s) of fields")
    assert layer.is_polygon and layer.describe().startswith("1 selected feature(s) of fields: x ")
    # the polygon file for AOI_LAYER: the same polygon, in EPSG:4326
    path = drawn.write_polygon(QgsProject.instance().transformContext(), str(tmp_path))
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    assert len(collection["features"]) == 1
    written = QgsGeometry.fromWkt(
        QgsGeometry.fromPolygonXY(
            [[QgsPointXY(x, y) for x, y in collection["features"][0]["geometry"]["coordinates"][0]]]
        ).asWkt()
    )
    back = AreaOfInterest.polygon(written, "EPSG:4326").geometry_in(UTM, QgsProject.instance().transformContext())
    assert back.area() == pytest.approx(TRIANGLE.area(), rel=1e-4)
    assert 13.0 < written.boundingBox().xMinimum() < 14.5  # degrees: UTM 33N near 13.7 E


def test_geographic_areas_are_shown_in_degrees(qgis_app):
    aoi = AreaOfInterest.rectangle(QgsRectangle(14.0, 47.8, 14.005, 47.805), "EPSG:4326", areas.MAP_VIEW)
    assert aoi.describe() == "Map view: x 14.000000 to 14.005000, y 47.800000 to 47.805000 (EPSG:4326)"


# -- the parameters ----------------------------------------------------------------------------------------


def test_raster_parameters_map_choices_by_value(qgis_app, tmp_path):
    params = embed_parameters(
        raster_choices(
            model="terramind_v1_base",
            prep="resize",
            overlap="50%",
            grid_compression="deflate",
            device="cuda",
            pca_components=5,
        )
    )
    assert params == {
        "SOURCE": 0,
        "MODEL": list(catalogue.MODELS).index("terramind_v1_base"),
        "INPUT_PREP": list(catalogue.PREPARATIONS).index("resize"),
        "OVERLAP": list(catalogue.TILE_OVERLAPS).index("50%"),
        "GRID_COMPRESSION": list(catalogue.GRID_COMPRESSIONS).index("deflate"),
        "DEVICE": list(catalogue.DEVICES).index("cuda"),
        "PCA_COMPONENTS": 5,
        "BATCH_SIZE": 0,
        "INPUT": "/data/s2.tif",
        "SCALE": 1.0,
    }


def test_bands_and_area_reach_the_parameters(qgis_app):
    bands = list(range(12, 0, -1))
    aoi = AreaOfInterest.polygon(TRIANGLE, UTM)
    params = embed_parameters(
        raster_choices(
            raster=RasterChoice("/data/s2.tif", "s2", 10000.0, bands), aoi=aoi, aoi_polygon_path="/tmp/aoi.geojson"
        )
    )
    assert params["BANDS"] == bands and params["SCALE"] == 10000.0
    assert params["AOI"].crs().authid() == "EPSG:32633" and params["AOI_LAYER"] == "/tmp/aoi.geojson"
    rectangle = embed_parameters(
        raster_choices(aoi=AreaOfInterest.rectangle(RECT, UTM), aoi_polygon_path="/tmp/unused.geojson")
    )
    assert "AOI_LAYER" not in rectangle and QgsRectangle(rectangle["AOI"]) == RECT
    with pytest.raises(PanelError, match="for every model band"):
        embed_parameters(raster_choices(raster=RasterChoice("/data/s2.tif", "s2", 1.0, [1, 0] + bands[2:])))


def test_other_sensors_layers_reach_the_parameters(qgis_app):
    """A TerraMind model on S2 + S1 + DEM with the S1 and DEM in layers of their own."""
    raster = RasterChoice("/data/s2.tif", "s2", sensors={"S1": "/data/s1.tif", "DEM": "dem_layer_id"})
    params = embed_parameters(raster_choices(model="terramind_v1_tiny_s2_s1_dem", raster=raster))
    assert params["INPUT"] == "/data/s2.tif"
    assert params["INPUT_S1"] == "/data/s1.tif" and params["INPUT_DEM"] == "dem_layer_id"
    assert "INPUT_S1" not in embed_parameters(raster_choices())


def test_earth_engine_parameters_are_accepted_by_the_algorithm(qgis_app, tmp_path):
    choices = PanelChoices(
        model="terrafm_b_s1",
        source="earthengine",
        aoi=AreaOfInterest.rectangle(RECT, UTM),
        earthengine=EarthEngineChoice("2023-01-01", "2023-02-01", 20.0, 12.5, "scl"),
    )
    params = embed_parameters(choices)
    assert (params["START_DATE"], params["END_DATE"], params["EE_SCALE"], params["MAX_CLOUD"]) == (
        "2023-01-01",
        "2023-02-01",
        20.0,
        12.5,
    )
    assert params["CLOUD_MASK"] == list(catalogue.CLOUD_MASKS).index("scl") and "INPUT" not in params
    ok, message = check_with_the_algorithm(params, tmp_path)
    assert ok, message
    assert run_name(choices, datetime.datetime(2024, 5, 6, 7, 8, 9)) == "terrafm_b_s1_ee_s1_20240506_070809"


@pytest.mark.parametrize(
    "choices,words",
    [
        (PanelChoices(model="terrafm_b_s2", source="raster"), "Choose a raster layer"),
        (PanelChoices(model="terrafm_b_s2", source="earthengine"), "Earth Engine needs an area of interest"),
        (
            PanelChoices(
                model="terrafm_b_s2",
                source="earthengine",
                aoi=AreaOfInterest.rectangle(RECT, UTM),
                earthengine=EarthEngineChoice("2022-09-01", "2022-09-01"),
            ),
            "start date must be before",
        ),
        (
            PanelChoices(model="terrafm_b_s2", source="raster", device="tpu", raster=RasterChoice("/x.tif", "x")),
            "Unknown device 'tpu'",
        ),
    ],
)
def test_what_must_be_fixed_first_is_named(qgis_app, choices, words):
    with pytest.raises(PanelError, match=words):
        embed_parameters(choices)


def test_run_names_and_output_paths(qgis_app, tmp_path):
    assert safe_name(" my run / 2 ") == "my_run_2" and safe_name("...") == "run"
    assert run_name(raster_choices(run_name="my run")) == "my_run"
    assert run_name(raster_choices(), datetime.datetime(2024, 1, 2, 3, 4, 5)) == "terrafm_b_s2_s2_20240102_030405"
    paths = output_paths(str(tmp_path), "my_run")
    assert sorted(paths) == ["OUTPUT_GRID", "OUTPUT_PCA", "OUTPUT_POOLED"]
    assert paths["OUTPUT_POOLED"] == str(tmp_path / "my_run_pooled.gpkg")
    assert unique_name(str(tmp_path), "my_run") == "my_run"
    (tmp_path / "my_run_pca.tif").write_bytes(b"x")  # a file of that name exists
    assert unique_name(str(tmp_path), "my_run") == "my_run_2"
    assert unique_name(str(tmp_path), "other", taken={"other", "other_2"}) == "other_3"  # layer groups


def test_output_folder_is_created_or_refused(qgis_app, tmp_path):
    assert prepare_output_folder(str(tmp_path / "new" / "out")) == str(tmp_path / "new" / "out")
    assert (tmp_path / "new" / "out").is_dir()
    with pytest.raises(PanelError, match="Choose an output folder"):
        prepare_output_folder("  ")
    (tmp_path / "file").write_text("x")
    with pytest.raises(PanelError, match="Cannot create the output folder"):
        prepare_output_folder(str(tmp_path / "file" / "sub"))


# -- the environment part's summary ----------------------------------------------------------------------


def test_environment_summary_comes_from_the_structured_outputs(qgis_app):
    from terraembed.ui.environment_box import summary

    problems = [
        {"problem": "No runtime at /x", "fix": "Run 'Install or update runtime'."},
        {"problem": "Weights missing", "fix": "Go online once."},
        {"problem": "third", "fix": "f3"},
    ]
    results = {"READY": False, "REPORT": "a report in other words\n", "PROBLEMS": json.dumps(problems)}
    ready, text, report = summary(True, results, [])
    assert not ready and report == results["REPORT"]
    assert text == (
        "Not ready (3 problem(s)):\nPROBLEM: No runtime at /x\nFIX: Run 'Install or update runtime'.\n"
        "PROBLEM: Weights missing\nFIX: Go online once."
    )
    ready, text, _ = summary(True, {"READY": True, "REPORT": "r", "PROBLEMS": "[]", "DEVICE_USED": "cuda"}, [])
    assert ready and text == "Ready. Device that would be used: cuda"
    ready, text, report = summary(False, {}, ["Traceback (most recent call last):\n  x\nRuntimeError: it broke"])
    assert not ready and "RuntimeError: it broke" in text and report.startswith("The environment check could not")
