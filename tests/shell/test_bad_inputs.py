"""Bad inputs through processing.run: every one ends in a message that says what is wrong and what is
valid (range, choices, file type), before any work starts; a command-line band list is a list."""

import os

import processing
import pytest
from osgeo import gdal
from qgis.core import (
    QgsApplication,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
)

from terraembed.shared import limits


def algorithms():
    return [a for a in QgsApplication.processingRegistry().algorithms() if a.provider().id() == "terraembed"]


def parameters_of(kind):
    return [
        pytest.param(alg.id(), d.name(), id="%s:%s" % (alg.name(), d.name()))
        for alg in algorithms()
        for d in alg.parameterDefinitions()
        if isinstance(d, kind)
    ]


def refused(alg_id, params):
    """The message processing.run refuses params with (nothing may be run)."""
    with pytest.raises(QgsProcessingException) as err:
        processing.run(alg_id, params)
    return str(err.value)


def definition(alg_id, name):
    return QgsApplication.processingRegistry().algorithmById(alg_id).parameterDefinition(name)


@pytest.mark.parametrize("alg_id,name", parameters_of(QgsProcessingParameterNumber))
def test_every_number_declares_a_range_and_names_it(qgis_app, alg_id, name):
    d = definition(alg_id, name)
    assert -1e300 < d.minimum() and d.maximum() < 1e300, "%s %s declares no range" % (alg_id, name)
    assert d.minimum() <= (d.defaultValue() if d.defaultValue() is not None else d.minimum()) <= d.maximum()
    integer = d.dataType() == QgsProcessingParameterNumber.Type.Integer
    valid = limits.Range(d.minimum(), d.maximum(), integer=integer)
    for bad in (d.maximum() + 1, d.minimum() - 1):
        message = refused(alg_id, {name: bad})
        assert name in message and valid.text() in message, message


@pytest.mark.parametrize("alg_id,name", parameters_of(QgsProcessingParameterEnum))
def test_every_choice_out_of_range_names_the_choices(qgis_app, alg_id, name):
    d = definition(alg_id, name)
    message = refused(alg_id, {name: len(d.options())})
    assert name in message and "0 = %s" % d.options()[0] in message, message


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("PCA_COMPONENTS", 1000, "must be between 1 and 64, got 1000"),
        ("PCA_COMPONENTS", 0, "must be between 1 and 64, got 0"),
        ("BATCH_SIZE", -5, "must be between 0 and 1024, got -5"),
        ("SCALE", -1, "must be between 1e-06 and 1e+06, got -1"),
        ("MODEL", 20, "got 20"),  # 20 models: 0..19
        ("PCA_COMPONENTS", "many", "must be a number"),
    ],
)
def test_tester_numbers_for_embed(qgis_app, sample_s2, tmp_path, name, value, expected):
    message = refused("terraembed:embed", {"INPUT": sample_s2, name: value, "OUTPUT_GRID": str(tmp_path / "g.tif")})
    assert expected in message and name in message, message
    assert os.listdir(tmp_path) == []


def test_k_500_for_clustering(qgis_app, sample_s2, tmp_path):
    message = refused("terraembed:cluster", {"INPUT": sample_s2, "K": 500, "OUTPUT": str(tmp_path / "c.tif")})
    assert "(K) must be between 0 and 255, got 500" in message


@pytest.mark.parametrize(
    "alg_id,name,file_name,expected",
    [
        ("terraembed:embed", "OUTPUT_GRID", "grid.png", "must end in .tif or .tiff; got grid.png"),
        ("terraembed:embed", "OUTPUT_PCA", "pca.jpg", "must end in .tif or .tiff; got pca.jpg"),
        ("terraembed:similarity", "POLYGONS", "areas.shp", "must end in .gpkg or .geojson or .json; got areas.shp"),
        ("terraembed:classify", "REPORT", "report.txt", "must end in .csv; got report.txt"),
    ],
)
def test_output_file_types_must_match_the_content(qgis_app, sample_s2, tmp_path, alg_id, name, file_name, expected):
    message = refused(alg_id, {"INPUT": sample_s2, name: str(tmp_path / file_name)})
    assert expected in message and name in message, message
    assert os.listdir(tmp_path) == []


def test_pooled_shapefile_is_refused_before_work(qgis_app, sample_s2, tmp_path):
    message = refused(
        "terraembed:embed",
        {
            "INPUT": sample_s2,
            "MODEL": 0,
            "RANDOM_WEIGHTS": True,
            "OUTPUT_GRID": str(tmp_path / "grid.tif"),
            "OUTPUT_POOLED": str(tmp_path / "pooled.shp"),
        },
    )
    assert "a shapefile holds at most 255 fields, and this output needs 772" in message
    assert "GeoPackage" in message and "pooled.gpkg" in message
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"just some text, not an image\n", "is not a raster GDAL can read, or it is corrupt or truncated (GDAL: "),
        (None, "does not exist"),
    ],
)
def test_input_that_is_not_a_raster(qgis_app, tmp_path, content, expected):
    path = tmp_path / "input.tif"
    if content is not None:
        path.write_bytes(content)
    for alg_id in ("terraembed:embed", "terraembed:pca"):
        message = refused(
            alg_id, {"INPUT": str(path), "OUTPUT_GRID": str(tmp_path / "g.tif"), "OUTPUT": str(tmp_path / "o.tif")}
        )
        assert expected in message and "not found" not in message, message


class StageRecorder(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.texts = [], []

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)

    def setProgressText(self, text):  # noqa: N802
        self.texts.append(text)


def test_command_line_band_list_is_twelve_bands(qgis_app, runtime_python, sample_s2, tmp_path):
    """BANDS=1,...,12 as text (how qgis_process passes it) is twelve bands; the progress text says the stage
    in words, once per stage."""
    feedback = StageRecorder()
    os.environ["TERRAEMBED_RUNTIME_PYTHON"] = runtime_python
    result = processing.run(
        "terraembed:embed",
        {
            "INPUT": sample_s2,
            "MODEL": 0,
            "BANDS": "12,11,10,9,8,7,6,5,4,3,2,1",
            "RANDOM_WEIGHTS": True,
            "INPUT_PREP": 2,
            "PCA_COMPONENTS": 3,
            "OUTPUT_GRID": str(tmp_path / "grid.tif"),
            "OUTPUT_PCA": str(tmp_path / "pca.tif"),
        },
        feedback=feedback,
    )
    assert gdal.Open(result["OUTPUT_GRID"]).RasterCount == 768
    assert any("bands [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]" in i for i in feedback.infos), feedback.infos
    stages = [t for t in feedback.texts if t]
    assert "Reading imagery" in stages and "Computing embeddings" in stages and "Computing the PCA" in stages
    assert "infer" not in stages
    assert all(a != b for a, b in zip(stages, stages[1:])), stages  # one line per stage change


def test_bad_band_list_names_the_bad_item(qgis_app, sample_s2, tmp_path):
    message = refused(
        "terraembed:embed", {"INPUT": sample_s2, "BANDS": "1,2,three", "OUTPUT_GRID": str(tmp_path / "g.tif")}
    )
    assert "'three' is not a band number" in message and "BANDS=1,2,3" in message


def test_weights_file_that_is_a_folder_is_named(qgis_app, sample_s2, tmp_path):
    folder = tmp_path / "weights"
    folder.mkdir()
    params = {"INPUT": sample_s2, "WEIGHTS_FILE": str(folder), "OUTPUT_GRID": str(tmp_path / "g.tif")}
    message = refused("terraembed:embed", params)
    assert "(WEIGHTS_FILE): %s is a folder; a file is expected" % folder in message, message
    assert "Incorrect parameter value" not in message
    assert os.listdir(tmp_path) == ["weights"]


def test_band_choice_of_the_wrong_count_or_a_missing_band_is_named(qgis_app, sample_s2, tmp_path):
    """The user's own band choice: one band per model band, each one the raster has (inputs.choose_bands)."""
    out = str(tmp_path / "g.tif")
    message = refused("terraembed:embed", {"INPUT": sample_s2, "MODEL": 0, "BANDS": "1,2,3", "OUTPUT_GRID": out})
    assert "You selected 3 band(s). Select exactly 12 bands in the 'Bands' parameter" in message, message
    bands = ",".join(str(b) for b in range(2, 14))
    message = refused("terraembed:embed", {"INPUT": sample_s2, "MODEL": 0, "BANDS": bands, "OUTPUT_GRID": out})
    assert "Band(s) [13] do not exist: the raster has 12 bands." in message, message
    assert not os.path.exists(out)


@pytest.mark.parametrize(
    "alg_id, rasters, output",
    [("terraembed:classify", "INPUT", "out.tif"), ("terraembed:compare", "INPUTS", "out.csv")],
)
def test_a_class_field_the_labels_do_not_have_is_named(qgis_app, sample_s2, tmp_path, alg_id, rasters, output):
    """Few-shot classification and Compare read their labels the same way: a class field the layer does not
    have is named, before any work, and nothing is written."""
    from qgis.core import QgsVectorLayer

    labels = QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string", "labels", "memory")
    params = {
        rasters: sample_s2 if rasters == "INPUT" else [sample_s2, sample_s2],
        "LABELS": labels,
        "FIELD": "nope",
        "OUTPUT": str(tmp_path / output),
    }
    message = refused(alg_id, params)
    assert "The field 'nope' is not in the labelled layer." in message, message
    assert os.listdir(tmp_path) == []
