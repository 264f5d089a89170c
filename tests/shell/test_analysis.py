"""Analysis algorithms through processing.run on real layers with planted structure (written by the
runtime's synthetic helpers), and the modeler chain Compute embeddings -> cluster."""

import csv
import os

import numpy as np
import processing
import pytest
from osgeo import gdal
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterLayer,
    QgsRasterLayer,
    QgsVectorLayer,
)

ORIGIN_X, ORIGIN_Y, RES = 500000.0, 4200000.0, 10.0  # tests/engine/synthetic.py's grid


@pytest.fixture(scope="module")
def planted(tmp_path_factory, runtime):
    """A 64-band embedding raster of 3 Voronoi regions (labels saved beside it) and a copy with a changed block."""
    folder = tmp_path_factory.mktemp("planted")
    runtime.run(
        "import sys, numpy as np\n"
        "import synthetic as s\n"
        "labels = s.voronoi_labels(3, 60, 80, seed=1)\n"
        "data, centres = s.embed_labels(labels, bands=64, noise=0.3, seed=1)\n"
        "s.write_raster(sys.argv[1] + '/emb.tif', data)\n"
        "np.save(sys.argv[1] + '/labels.npy', labels)\n"
        "after = data.copy(); after[:, 10:30, 20:50] = np.random.default_rng(5).normal(size=(64, 20, 30))\n"
        "s.write_raster(sys.argv[1] + '/after.tif', after)\n"
        "s.write_raster(sys.argv[1] + '/bands32.tif', data[:32])\n",
        str(folder),
    )
    return folder, np.load(folder / "labels.npy")


def cell_xy(row, col):
    return ORIGIN_X + (col + 0.5) * RES, ORIGIN_Y - (row + 0.5) * RES


def read(path):
    return gdal.Open(str(path)).ReadAsArray()


def purity(pred, truth):
    """Share of cells whose predicted class is the majority true label of that class."""
    total = 0
    for c in np.unique(pred[pred > 0]):
        total += np.bincount(truth[pred == c]).max()
    return total / (pred > 0).sum()


def points_layer(points_and_labels):
    layer = QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string", "labels", "memory")
    feats = []
    for (row, col), label in points_and_labels:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*cell_xy(row, col))))
        f.setAttributes([label])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_cluster_recovers_planted_regions(qgis_app, runtime_python, planted, tmp_path, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    folder, labels = planted
    result = processing.run(
        "terraembed:cluster", {"INPUT": str(folder / "emb.tif"), "K": 3, "OUTPUT": str(tmp_path / "k.tif")}
    )
    pred = read(result["OUTPUT"])
    assert result["K_USED"] == 3 and set(np.unique(pred)) == {1, 2, 3}
    assert purity(pred, labels) > 0.95
    dataset = gdal.Open(result["OUTPUT"])
    assert dataset.GetRasterBand(1).GetColorTable() is not None


def test_cluster_automatic_k_finds_planted_k(qgis_app, planted, tmp_path):
    folder, _ = planted
    result = processing.run(
        "terraembed:cluster",
        {"INPUT": str(folder / "emb.tif"), "K": 0, "K_MIN": 2, "K_MAX": 6, "OUTPUT": str(tmp_path / "k.tif")},
    )
    assert result["K_USED"] == 3


def test_similarity_to_a_region(qgis_app, planted, tmp_path):
    folder, labels = planted
    rows, cols = np.nonzero(labels == 2)
    row, col = int(rows[len(rows) // 2]), int(cols[len(cols) // 2])
    ref = points_layer([((row, col), "x")])
    result = processing.run(
        "terraembed:similarity",
        {
            "INPUT": str(folder / "emb.tif"),
            "REFERENCE": ref,
            "MODE": 0,
            "THRESHOLD": 0.6,
            "OUTPUT": str(tmp_path / "sim.tif"),
            "MASK": str(tmp_path / "mask.tif"),
            "POLYGONS": str(tmp_path / "areas.gpkg"),
        },
    )
    sim = read(result["OUTPUT"])
    # one noisy reference cell: the region is far more similar to it than the rest of the raster
    assert sim[labels == 2].mean() > 0.8 and sim[labels != 2].mean() < 0.3
    mask = read(result["MASK"])
    assert ((mask == 1) == (labels == 2)).mean() > 0.9
    assert QgsVectorLayer(result["POLYGONS"], "a", "ogr").featureCount() >= 1


def test_similarity_from_pooled_vector_fields(qgis_app, planted, tmp_path):
    folder, labels = planted
    data = read(folder / "emb.tif")
    vector = data[:, labels == 1].mean(axis=1)
    layer = QgsVectorLayer(
        "Point?crs=EPSG:32633&" + "&".join("field=emb_%03d:double" % i for i in range(64)), "p", "memory"
    )
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(ORIGIN_X, ORIGIN_Y)))
    f.setAttributes([float(v) for v in vector])
    layer.dataProvider().addFeatures([f])
    result = processing.run(
        "terraembed:similarity",
        {"INPUT": str(folder / "emb.tif"), "REFERENCE": layer, "MODE": 1, "OUTPUT": str(tmp_path / "sim.tif")},
    )
    sim = read(result["OUTPUT"])
    assert sim[labels == 1].mean() > 0.9 and sim[labels != 1].mean() < 0.5


def signed_layer(data, cells_and_signs, emb_fields=False):
    """Points on (row, col) cells with a class field, an integer sign field (None = NULL) and, with emb_fields,
    the cell's embedding in emb_000... fields."""
    spec = "Point?crs=EPSG:32633&field=cls:string&field=sign:integer"
    if emb_fields:
        spec += "&" + "&".join("field=emb_%03d:double" % i for i in range(data.shape[0]))
    layer = QgsVectorLayer(spec, "examples", "memory")
    feats = []
    for (row, col), sign in cells_and_signs:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*cell_xy(row, col))))
        values = ["x", sign] + ([float(v) for v in data[:, row, col]] if emb_fields else [])
        f.setAttributes(values)
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def cells_of(labels, cls, n, rng):
    rows, cols = np.nonzero(labels == cls)
    return [(int(rows[i]), int(cols[i])) for i in rng.choice(len(rows), n, replace=False)]


def unit_mean(vectors):
    mean = np.mean(vectors, axis=0)
    return mean / np.linalg.norm(mean)


@pytest.mark.parametrize("mode", [0, 1], ids=["cells", "pooled-vectors"])
def test_similarity_with_negative_examples(qgis_app, planted, tmp_path, feedback, mode):
    folder, labels = planted
    data = read(folder / "emb.tif").astype(np.float64)  # (bands, rows, cols)
    rng = np.random.default_rng(4)
    positives, negatives = cells_of(labels, 2, 3, rng), cells_of(labels, 3, 2, rng)
    signs = [(c, s) for c, s in zip(positives, (1, None, 0))] + [(c, -1) for c in negatives]  # NULL, 0: positive
    result = processing.run(
        "terraembed:similarity",
        {
            "INPUT": str(folder / "emb.tif"),
            "REFERENCE": signed_layer(data, signs, emb_fields=mode == 1),
            "MODE": mode,
            "SIGN_FIELD": "sign",
            "THRESHOLD": 1.2,  # beyond -1..1: only with negative examples
            "OUTPUT": str(tmp_path / "sim.tif"),
            "MASK": str(tmp_path / "mask.tif"),
        },
        feedback=feedback,
    )
    # the oracle: cos(cell, mean of the positives) - cos(cell, mean of the negatives), each clipped to -1..1
    cells = data.reshape(data.shape[0], -1).T
    norms = np.linalg.norm(cells, axis=1)
    expected = np.zeros(len(cells))
    for examples, sign in ((positives, 1), (negatives, -1)):
        unit = unit_mean([data[:, r, c] for r, c in examples])
        expected += sign * np.clip(cells @ unit / norms, -1.0, 1.0)
    sim = read(result["OUTPUT"])
    assert np.abs(sim.ravel() - expected).max() <= 1e-6
    assert sim[labels == 3].mean() < 0 < sim[labels == 2].mean()
    assert ((read(result["MASK"]) == 1) == (sim >= 1.2)).all()
    assert "3 positive and 2 negative examples" in feedback.infos


@pytest.mark.parametrize(
    "signs, threshold, expected",
    [
        ((-1, -5), None, "All 2 reference features are negative examples (their 'sign' is below 0)"),
        ((1, None), 1.5, "Without negative examples the threshold (THRESHOLD) must be between -1 and 1, got 1.5."),
    ],
)
def test_similarity_sign_field_mistakes(qgis_app, planted, tmp_path, signs, threshold, expected):
    folder, labels = planted
    layer = signed_layer(None, [((5, 5), signs[0]), ((9, 9), signs[1])])
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:similarity",
            {
                "INPUT": str(folder / "emb.tif"),
                "REFERENCE": layer,
                "SIGN_FIELD": "sign",
                "THRESHOLD": threshold,
                "OUTPUT": str(tmp_path / "sim.tif"),
            },
        )
    assert expected in str(err.value)
    assert os.listdir(tmp_path) == []


def test_few_shot_classification(qgis_app, planted, tmp_path):
    folder, labels = planted
    rng = np.random.default_rng(0)
    picks = []
    for cls in (1, 2, 3):
        rows, cols = np.nonzero(labels == cls)
        for i in rng.choice(len(rows), 4, replace=False):
            picks.append(((int(rows[i]), int(cols[i])), "class%d" % cls))
    result = processing.run(
        "terraembed:classify",
        {
            "INPUT": str(folder / "emb.tif"),
            "LABELS": points_layer(picks),
            "FIELD": "cls",
            "METHOD": 0,
            "OUTPUT": str(tmp_path / "cls.tif"),
            "PROBABILITIES": str(tmp_path / "prob.tif"),
            "REPORT": str(tmp_path / "report.csv"),
        },
    )
    pred = read(result["OUTPUT"])
    assert (pred == labels).mean() > 0.95  # classes are numbered in order of first appearance: 1, 2, 3
    assert gdal.Open(result["PROBABILITIES"]).RasterCount == 3
    assert result["ACCURACY"] >= 0.9
    rows = list(csv.reader(open(result["REPORT"])))
    assert any(r and r[0] == "class1" for r in rows)


def test_classification_needs_two_classes(qgis_app, planted, tmp_path):
    folder, _ = planted
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:classify",
            {
                "INPUT": str(folder / "emb.tif"),
                "LABELS": points_layer([((5, 5), "a"), ((9, 9), "a")]),
                "FIELD": "cls",
                "OUTPUT": str(tmp_path / "c.tif"),
            },
        )
    assert "at least two classes" in str(err.value)


def test_classification_leaves_negative_examples_out(qgis_app, planted, tmp_path, feedback):
    folder, labels = planted
    rng = np.random.default_rng(1)
    layers = {"plain": QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string&field=sign:integer", "p", "memory")}
    labelled = [(cell, "class%d" % cls, 1) for cls in (1, 2, 3) for cell in cells_of(labels, cls, 4, rng)]
    decoys = [(cell, "class1", -1) for cell in cells_of(labels, 3, 4, rng)]  # "not class1": class 3 cells
    layers["negatives"] = QgsVectorLayer("Point?crs=EPSG:32633&field=cls:string&field=sign:integer", "n", "memory")
    for name, items in (("plain", labelled), ("negatives", labelled[:6] + decoys + labelled[6:])):
        feats = []
        for (row, col), cls, sign in items:
            f = QgsFeature(layers[name].fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*cell_xy(row, col))))
            f.setAttributes([cls, sign])
            feats.append(f)
        layers[name].dataProvider().addFeatures(feats)
    rasters = {}
    for name, layer in layers.items():
        result = processing.run(
            "terraembed:classify",
            {
                "INPUT": str(folder / "emb.tif"),
                "LABELS": layer,
                "FIELD": "cls",
                "SIGN_FIELD": "sign",
                "FOLDS": 0,
                "OUTPUT": str(tmp_path / ("%s.tif" % name)),
            },
            feedback=feedback,
        )
        rasters[name] = read(result["OUTPUT"])
    np.testing.assert_array_equal(rasters["negatives"], rasters["plain"])
    assert (rasters["plain"] == labels).mean() > 0.95
    assert [i for i in feedback.infos if i.startswith("4 negative examples (their 'sign' is below 0) left out")]


def test_change_finds_the_planted_block(qgis_app, planted, tmp_path):
    folder, _ = planted
    result = processing.run(
        "terraembed:change",
        {
            "BEFORE": str(folder / "emb.tif"),
            "AFTER": str(folder / "after.tif"),
            "THRESHOLD": 0.5,
            "OUTPUT": str(tmp_path / "change.tif"),
        },
    )
    change = read(result["OUTPUT"])
    block = np.zeros(change.shape, bool)
    block[10:30, 20:50] = True
    assert change[block].min() > 0.5 and change[~block].max() < 0.05
    assert result["CHANGED"] == pytest.approx(block.mean(), abs=0.01)


def test_change_with_different_dimensions_is_an_error(qgis_app, planted, tmp_path):
    folder, _ = planted
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "terraembed:change",
            {
                "BEFORE": str(folder / "emb.tif"),
                "AFTER": str(folder / "bands32.tif"),
                "OUTPUT": str(tmp_path / "c.tif"),
            },
        )
    assert "band" in str(err.value)
    assert not os.path.exists(tmp_path / "c.tif")


def test_pca_components(qgis_app, planted, tmp_path):
    folder, _ = planted
    result = processing.run(
        "terraembed:pca", {"INPUT": str(folder / "emb.tif"), "COMPONENTS": 3, "OUTPUT": str(tmp_path / "pca.tif")}
    )
    import json

    ratios = json.loads(result["VARIANCE"])
    assert gdal.Open(result["OUTPUT"]).RasterCount == 3 and len(ratios) == 3
    assert ratios == sorted(ratios, reverse=True) and sum(ratios) > 0.8  # 3 planted classes: 2 strong components


def test_modeler_chain_embed_then_cluster(qgis_app, terrafm_weights, sample_s2, tmp_path):
    model = QgsProcessingModelAlgorithm("embed then cluster", "tests", "tests")
    model.addModelParameter(QgsProcessingParameterRasterLayer("input", "input"), QgsProcessingModelParameter("input"))
    model.addModelParameter(QgsProcessingParameterFile("weights", "weights"), QgsProcessingModelParameter("weights"))
    embed = QgsProcessingModelChildAlgorithm("terraembed:embed")
    embed.setChildId("embed")
    embed.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("input")])
    embed.addParameterSources("WEIGHTS_FILE", [QgsProcessingModelChildParameterSource.fromModelParameter("weights")])
    model.addChildAlgorithm(embed)
    cluster = QgsProcessingModelChildAlgorithm("terraembed:cluster")
    cluster.setChildId("cluster")
    cluster.addParameterSources(
        "INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("embed", "OUTPUT_GRID")]
    )
    cluster.addParameterSources("K", [QgsProcessingModelChildParameterSource.fromStaticValue(4)])
    out = QgsProcessingModelOutput("clusters")
    out.setChildOutputName("OUTPUT")
    out.setChildId("cluster")
    cluster.setModelOutputs({"clusters": out})
    model.addChildAlgorithm(cluster)
    path = str(tmp_path / "clusters.tif")
    result = processing.run(model, {"input": sample_s2, "weights": terrafm_weights, "cluster:clusters": path})
    layer = QgsRasterLayer(result["cluster:clusters"], "c")
    assert layer.isValid() and layer.crs().authid() == "EPSG:32633"
    values = set(np.unique(read(path)))
    assert values - {0} <= {1, 2, 3, 4} and len(values - {0}) == 4


def test_similar_areas_over_the_reference_features_file_are_refused(qgis_app, planted, tmp_path):
    """The shell's side of the same-file check: a QGIS sink (the similar-area polygons) whose path
    reaches the reference layer's file through a symlinked folder, the reference given as a feature
    source definition (as the panel passes a layer's selection), is refused before any work, naming
    both; the reference file stays as it was."""
    import json

    from qgis.core import QgsProcessingFeatureSourceDefinition

    folder, labels = planted
    refs = tmp_path / "refs"
    refs.mkdir()
    x, y = cell_xy(10, 10)
    reference = refs / "reference.geojson"
    reference.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32633"}},
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [x, y]}}
                ],
            }
        )
    )
    before = reference.read_bytes()
    os.symlink(str(refs), str(tmp_path / "linked"))
    dest = str(tmp_path / "linked" / "reference.geojson")
    with pytest.raises(QgsProcessingException) as refused:
        processing.run(
            "terraembed:similarity",
            {
                "INPUT": str(folder / "emb.tif"),
                "REFERENCE": QgsProcessingFeatureSourceDefinition(str(reference), False),
                "MODE": 0,
                "THRESHOLD": 0.6,
                "OUTPUT": str(tmp_path / "sim.tif"),
                "POLYGONS": dest,
            },
        )
    assert "is also an input" in str(refused.value) and dest in str(refused.value), str(refused.value)
    assert str(reference) in str(refused.value)
    assert reference.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["linked", "refs"]
