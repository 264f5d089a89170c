"""The algorithms' enum options, the panel's and the settings' combo boxes offer exactly shared/catalogue.py's
choices in its order, and a value the panel picks is the value the algorithm reads (mapped by value,
never by a copied index). The engine's side: tests/engine/test_catalogue.py."""

import pytest
from qgis.core import QgsApplication, QgsProcessingContext, QgsProject
from qgis.gui import QgsMapCanvas, QgsMessageBar
from qgis.PyQt.QtCore import QCoreApplication, QEvent

from terraembed.shared import catalogue
from terraembed.ui import parameters
from terraembed.ui.dock import TerraEmbedDock
from terraembed.ui.settings_dialog import SettingsDialog


def algorithm(name):
    alg = QgsApplication.processingRegistry().createAlgorithmById("terraembed:" + name)
    assert alg is not None, name
    return alg


def options(alg, name):
    return alg.parameterDefinition(name).options()


EMBED_ENUMS = {
    "SOURCE": list(catalogue.SOURCES.values()),
    "MODEL": [m.label for m in catalogue.MODELS.values()],
    "INPUT_PREP": list(catalogue.PREPARATIONS),
    "OVERLAP": list(catalogue.TILE_OVERLAP_HELP.values()),
    "GRID_COMPRESSION": list(catalogue.GRID_COMPRESSIONS.values()),
    "DEVICE": list(catalogue.DEVICES),
    "PRECISION": list(catalogue.PRECISIONS),
    "POOLING": list(catalogue.POOLINGS),
    "CLOUD_MASK": list(catalogue.CLOUD_MASKS),
    "S1_ORBIT": list(catalogue.ORBITS),
    "IF_NO_IMAGERY": list(catalogue.IF_NO_IMAGERY.values()),
}


def test_algorithm_enums_are_the_catalogue(qgis_app):
    embed = algorithm("embed")
    for name, expected in EMBED_ENUMS.items():
        assert options(embed, name) == expected, name
    assert embed.parameterDefinition("START_DATE").defaultValue() == catalogue.DEFAULT_START
    assert embed.parameterDefinition("END_DATE").defaultValue() == catalogue.DEFAULT_END
    for name in ("embed", "embed_features"):  # a saved model's index keeps its meaning: auto came last
        alg = algorithm(name)
        precision = alg.parameterDefinition("PRECISION")
        assert precision.options()[precision.defaultValue()] == catalogue.PRECISION_DEFAULT == "auto"
        assert precision.options()[:4] == ["fp32", "bf16", "fp16", "int8"]
    assert catalogue.default_batch_text() in embed.parameterDefinition("BATCH_SIZE").description()
    features = algorithm("embed_features")
    for name in ("MODEL", "DEVICE", "PRECISION", "POOLING"):
        assert options(features, name) == EMBED_ENUMS[name], name
    assert options(features, "FEATURE_VECTOR") == list(catalogue.FEATURE_VECTORS.values())
    assert options(algorithm("check_environment"), "DEVICE") == list(catalogue.DEVICES)
    assert options(algorithm("fetch_imagery"), "COLLECTION") == list(catalogue.COLLECTIONS.values())
    assert options(algorithm("fetch_imagery"), "IF_NO_IMAGERY") == EMBED_ENUMS["IF_NO_IMAGERY"]
    classify = algorithm("classify")
    validation = classify.parameterDefinition("VALIDATION")
    assert validation.options() == list(catalogue.VALIDATIONS.values())
    assert list(catalogue.VALIDATIONS)[validation.defaultValue()] == catalogue.VALIDATION_DEFAULT
    method = classify.parameterDefinition("METHOD")  # a saved model's index keeps its meaning: the order stays
    assert method.options() == list(catalogue.CLASSIFIERS.values()) == ["Logistic regression", "k nearest neighbours"]
    assert list(catalogue.CLASSIFIERS)[method.defaultValue()] == catalogue.CLASSIFIER_DEFAULT
    assert options(algorithm("similarity"), "MODE") == list(catalogue.SIMILARITY_EXAMPLES.values())
    assert list(catalogue.SIMILARITY_EXAMPLES) == ["geometries", "vectors"]


def combo_values(combo):
    return [combo.itemData(i) for i in range(combo.count())]


@pytest.fixture
def dock(qgis_app):
    canvas, bar = QgsMapCanvas(), QgsMessageBar()
    dock = TerraEmbedDock(canvas, bar, QgsProject.instance())
    yield dock
    dock.shutdown()
    dock.deleteLater()
    # deleted now, not at some later event loop: a live dock's layer combo follows the project's layers
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_panel_and_settings_combos_are_the_catalogue(dock):
    assert combo_values(dock.model.combo) == list(catalogue.MODEL_IDS)
    assert [dock.model.combo.itemText(i) for i in range(dock.model.combo.count())] == EMBED_ENUMS["MODEL"]
    assert combo_values(dock.source.combo) == list(catalogue.SOURCES)
    assert combo_values(dock.source.cloud_mask) == list(catalogue.CLOUD_MASKS)
    assert combo_values(dock.prep_combo) == list(catalogue.PREPARATIONS)
    assert combo_values(dock.overlap_combo) == list(catalogue.TILE_OVERLAPS)
    assert combo_values(dock.device_combo) == list(catalogue.DEVICES)
    assert dock.source.start_date.date().toString("yyyy-MM-dd") == catalogue.DEFAULT_START
    assert dock.source.end_date.date().toString("yyyy-MM-dd") == catalogue.DEFAULT_END
    settings = SettingsDialog()
    assert combo_values(settings.device) == list(catalogue.DEVICES)
    assert catalogue.default_batch_text() in settings.batch_size.specialValueText()
    assert list(settings.weights_files) == list(catalogue.MODEL_IDS)
    settings.reject()


CHOICES = [
    ("model", catalogue.MODELS, "MODEL"),
    ("prep", catalogue.PREPARATIONS, "INPUT_PREP"),
    ("overlap", catalogue.TILE_OVERLAPS, "OVERLAP"),
    ("device", catalogue.DEVICES, "DEVICE"),
]


@pytest.mark.parametrize("field,values,name", CHOICES)
def test_the_value_the_panel_picks_is_the_value_the_algorithm_reads(qgis_app, field, values, name):
    embed = algorithm("embed")
    context = QgsProcessingContext()
    for value in values:
        base = dict(
            model=catalogue.MODEL_IDS[0], source="raster", raster=parameters.RasterChoice(path="/x.tif", name="x")
        )
        base[field] = value
        params = parameters.embed_parameters(parameters.PanelChoices(**base))
        assert embed.parameterAsChoice(params, name, context, values) == value


def test_every_cloud_mask_and_source_reaches_the_algorithm_as_itself(qgis_app):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    from terraembed.ui.aoi import AreaOfInterest

    embed = algorithm("embed")
    context = QgsProcessingContext()
    aoi = AreaOfInterest.rectangle(QgsRectangle(0, 0, 1, 1), QgsCoordinateReferenceSystem("EPSG:4326"))
    for mask in catalogue.CLOUD_MASKS:
        params = parameters.embed_parameters(
            parameters.PanelChoices(
                model=catalogue.MODEL_IDS[0],
                source="earthengine",
                aoi=aoi,
                earthengine=parameters.EarthEngineChoice(cloud_mask=mask),
            )
        )
        assert embed.parameterAsChoice(params, "CLOUD_MASK", context, catalogue.CLOUD_MASKS) == mask
        assert embed.parameterAsChoice(params, "SOURCE", context, catalogue.SOURCES) == "earthengine"
