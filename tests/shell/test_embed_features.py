"""terraembed:embed_features: a training table from polygons or points over a raster."""

import math

import processing
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsRectangle, QgsVectorLayer


def memory_layer(kind, crs, geometries):
    layer = QgsVectorLayer("%s?crs=%s&field=name:string&field=label:integer" % (kind, crs), "labels", "memory")
    feats = []
    for i, geom in enumerate(geometries):
        f = QgsFeature(layer.fields())
        f.setGeometry(geom)
        f.setAttributes(["f%d" % i, i % 2])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def embed_features(layer, raster, weights, out, feedback):
    """terraembed:embed_features of the layer's features on the raster with TerraFM-B."""
    return processing.run(
        "terraembed:embed_features",
        {"INPUT_FEATURES": layer, "INPUT": raster, "MODEL": 0, "WEIGHTS_FILE": weights, "OUTPUT": str(out)},
        feedback=feedback,
    )


def test_polygons_get_pooled_vectors_and_keep_their_fields(
    qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    boxes = [
        QgsRectangle(400320, 5298400, 400960, 5299040),
        QgsRectangle(401600, 5297600, 402240, 5298240),
        QgsRectangle(10, 10, 20, 20),
    ]  # the last one lies outside the raster
    layer = memory_layer("Polygon", "EPSG:32633", [QgsGeometry.fromRect(r) for r in boxes])
    result = embed_features(layer, sample_s2, terrafm_weights, tmp_path / "table.gpkg", feedback)
    assert result["EMBEDDED"] == 2
    out = QgsVectorLayer(result["OUTPUT"], "t", "ogr")
    names = out.fields().names()
    assert {"name", "label"} <= set(names) and len([n for n in names if n.startswith("emb_")]) == 768
    rows = {f["name"]: f for f in out.getFeatures()}
    assert len(rows) == 3
    assert rows["f2"]["emb_000"] is None or str(rows["f2"]["emb_000"]) == "NULL"
    assert any("f2" in w or "#2" in w for w in feedback.warnings)
    v0 = [rows["f0"]["emb_%03d" % i] for i in range(768)]
    v1 = [rows["f1"]["emb_%03d" % i] for i in range(768)]
    assert v0 != v1
    # the same window through Compute embeddings in resize mode gives the same vector
    aoi = "400320,400960,5298400,5299040 [EPSG:32633]"
    ref = processing.run(
        "terraembed:embed",
        {
            "INPUT": sample_s2,
            "MODEL": 0,
            "WEIGHTS_FILE": terrafm_weights,
            "AOI": aoi,
            "INPUT_PREP": 2,
            "OUTPUT_GRID": None,
            "OUTPUT_PCA": None,
            "OUTPUT_POOLED": str(tmp_path / "ref.gpkg"),
        },
    )
    ref_feature = next(QgsVectorLayer(ref["OUTPUT_POOLED"], "r", "ogr").getFeatures())
    assert cosine(v0, [ref_feature["emb_%03d" % i] for i in range(768)]) > 0.9999


def test_points_use_a_buffer(qgis_app, terrafm_weights, sample_s2, tmp_path):
    layer = memory_layer(
        "Point",
        "EPSG:32633",
        [QgsGeometry.fromPointXY(QgsPointXY(401000, 5298500)), QgsGeometry.fromPointXY(QgsPointXY(402500, 5299000))],
    )
    result = processing.run(
        "terraembed:embed_features",
        {
            "INPUT_FEATURES": layer,
            "INPUT": sample_s2,
            "MODEL": 0,
            "WEIGHTS_FILE": terrafm_weights,
            "BUFFER": 160,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    assert result["EMBEDDED"] == 2
    out = result["OUTPUT"]
    assert all(f["emb_767"] is not None for f in out.getFeatures())


def test_no_feature_on_the_raster_is_an_error(qgis_app, terrafm_weights, sample_s2):
    layer = memory_layer("Polygon", "EPSG:32633", [QgsGeometry.fromRect(QgsRectangle(0, 0, 50, 50))])
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:embed_features",
            {
                "INPUT_FEATURES": layer,
                "INPUT": sample_s2,
                "MODEL": 0,
                "WEIGHTS_FILE": terrafm_weights,
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "None of the 1 feature(s) can be embedded" in str(err.value)


def test_features_without_geometry_are_named_and_marked(
    qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path, feedback, monkeypatch
):
    """A feature without a geometry gets empty embedding fields, the reason in 'embed_status' and a
    warning naming it by its feature id; the others say 'embedded'."""
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    layer = memory_layer(
        "Polygon", "EPSG:32633", [QgsGeometry.fromRect(QgsRectangle(400320, 5298400, 400960, 5299040)), QgsGeometry()]
    )
    no_geometry = [f.id() for f in layer.getFeatures() if f.geometry().isEmpty()][0]
    result = embed_features(layer, sample_s2, terrafm_weights, tmp_path / "table.gpkg", feedback)
    assert result["EMBEDDED"] == 1
    rows = {f["name"]: f for f in QgsVectorLayer(result["OUTPUT"], "t", "ogr").getFeatures()}
    assert rows["f0"]["embed_status"] == "embedded"
    assert rows["f1"]["embed_status"] == "not embedded: it has no geometry"
    assert str(rows["f1"]["emb_000"]) in ("None", "NULL")
    assert any(
        "Feature %d (#1 of the layer) was not embedded: it has no geometry" % no_geometry in w
        for w in feedback.warnings
    ), feedback.warnings
    assert not any("see 'skipped'" in w for w in feedback.warnings)
