"""GeoParquet outputs (a destination ending in .parquet) and the 'cells' feature vectors through
processing.run: the runtime writes the files (read back here with geopandas in the runtime), a QGIS
whose GDAL has no Parquet driver keeps them out of the layers to load and says so, and two halves of a
polygon merge exactly into the whole with the real TerraFM-B model."""

import json
import os

import processing
import pytest
from osgeo import ogr
from qgis.core import (
    NULL,
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate

CELLS = 1  # FEATURE_VECTOR: catalogue.FEATURE_VECTORS order (0 chip, 1 cells)
X0, Y0 = 400000.0, 5300000.0  # the sample raster's origin (10 m pixels, 16-pixel cells of 160 m)

READ_BACK = """
import json, sys
import geopandas as gpd, pyarrow.parquet as pq
frame = gpd.read_parquet(sys.argv[1])
geo = json.loads(pq.read_schema(sys.argv[1]).metadata[b"geo"])
print(json.dumps({
    "columns": list(frame.columns),
    "epsg": frame.crs.to_epsg(),
    "embedding": str(pq.read_schema(sys.argv[1]).field("embedding").type),
    "rows": pq.read_table(sys.argv[1]).drop(["geometry"]).to_pylist(),
    "wkt": [g.wkt for g in frame.geometry],
    "geo": geo,
}))
"""


def read_back(runtime, path):
    return json.loads(runtime.run(READ_BACK, str(path)))


def polygons(wkts):
    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:32633&field=name:string&field=label:integer&field=day:date", "zones", "memory"
    )
    feats = []
    for i, wkt in enumerate(wkts):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        f.setAttributes(["z%d" % i, i, QDate(2024, 5, 1 + i) if i == 0 else NULL])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


WHOLE = QgsGeometry.fromWkt(
    "POLYGON((400500 5299300, 401700 5299650, 402700 5299200, 402300 5297500, 400700 5297600, 400500 5299300))"
)
CUT = X0 + 8 * 160.0  # a cell edge: no cell centre lies on the cut


def half(left):
    x0, x1 = (X0, CUT) if left else (CUT, X0 + 4000)
    return WHOLE.intersection(
        QgsGeometry.fromWkt(
            "POLYGON((%f 5296000, %f 5296000, %f 5301000, %f 5301000, %f 5296000))" % (x0, x1, x1, x0, x0)
        )
    ).asWkt()


def run_features(layer, raster, weights, out, feedback, context=None, **extra):
    params = {"INPUT_FEATURES": layer, "INPUT": raster, "MODEL": 0, "WEIGHTS_FILE": weights, "OUTPUT": str(out)}
    params.update(extra)
    return processing.run("terraembed:embed_features", params, context=context, feedback=feedback)


def test_cells_as_geoparquet_and_halves_merge(
    qgis_app, runtime, runtime_python, terrafm_weights, sample_s2, tmp_path, feedback, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    halves = tmp_path / "halves.parquet"
    result = run_features(
        polygons([half(True), half(False)]), sample_s2, terrafm_weights, halves, feedback, context, FEATURE_VECTOR=CELLS
    )
    assert result["OUTPUT"] == str(halves) and result["EMBEDDED"] == 2
    table = read_back(runtime, halves)
    assert table["columns"] == ["name", "label", "day", "embed_status", "cells", "embedding", "geometry"]
    assert [r["day"] for r in table["rows"]] == ["2024-05-01", None]  # a date as ISO text, NULL as null
    assert table["embedding"] == "fixed_size_list<element: float>[768]" and table["epsg"] == 32633
    assert table["geo"]["version"] == "1.1.0" and table["geo"]["columns"]["geometry"]["encoding"] == "WKB"
    assert [r["name"] for r in table["rows"]] == ["z0", "z1"]
    assert all(r["embed_status"] == "embedded" and r["cells"] > 0 for r in table["rows"])
    if ogr.GetDriverByName("Parquet") is None:
        assert str(halves) not in context.layersToLoadOnCompletion()
        assert any("no Parquet driver" in m and str(halves) in m for m in feedback.infos), feedback.infos
    else:
        assert QgsVectorLayer(str(halves), "h", "ogr").featureCount() == 2

    whole = run_features(
        polygons([WHOLE.asWkt()]), sample_s2, terrafm_weights, tmp_path / "whole.gpkg", feedback, FEATURE_VECTOR=CELLS
    )
    row = next(QgsVectorLayer(whole["OUTPUT"], "w", "ogr").getFeatures())
    counts = [r["cells"] for r in table["rows"]]
    assert row["cells"] == sum(counts)
    merged = [sum(r["cells"] * r["embedding"][i] for r in table["rows"]) / float(sum(counts)) for i in range(768)]
    for i in range(768):  # the GeoPackage holds the float32 mean as a double
        assert merged[i] == pytest.approx(row["emb_%03d" % i], rel=3e-7, abs=1e-7), i


def test_pooled_vector_as_geoparquet(
    qgis_app, runtime, runtime_python, terrafm_weights, sample_s2, tmp_path, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "pooled.parquet"
    result = processing.run(
        "terraembed:embed",
        {
            "INPUT": sample_s2,
            "MODEL": 0,
            "WEIGHTS_FILE": terrafm_weights,
            "INPUT_PREP": 2,
            "OUTPUT_GRID": None,
            "OUTPUT_PCA": None,
            "OUTPUT_POOLED": str(out),
        },
    )
    assert result["OUTPUT_POOLED"] == str(out)
    table = read_back(runtime, out)
    assert table["columns"] == ["model", "modality", "source", "cells", "embedding", "geometry"]
    assert table["rows"][0]["cells"] == result["CELLS"] and len(table["rows"][0]["embedding"]) == 768
    assert table["wkt"][0].startswith("POLYGON ((") and table["epsg"] == 32633


def test_geoparquet_destination_that_cannot_be_written(
    qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    layer = polygons([WHOLE.asWkt()])
    with pytest.raises(QgsProcessingException, match="is a file, not a folder"):
        run_features(layer, sample_s2, terrafm_weights, blocker / "out.parquet", None)
    assert sorted(os.listdir(tmp_path)) == ["a_file"]


def test_the_dialog_accepts_a_parquet_name_for_the_vector_outputs(qgis_app):
    """QGIS's algorithm dialog checks a destination's extension against its GDAL's drivers
    (isSupportedOutputValue); a .parquet name for the two feature sinks is accepted with or without
    GDAL's Parquet driver, other unknown extensions are still refused."""
    context = QgsProcessingContext()
    registry = QgsApplication.processingRegistry()
    for alg_id, name in (("terraembed:embed_features", "OUTPUT"), ("terraembed:embed", "OUTPUT_POOLED")):
        parameter = registry.algorithmById(alg_id).parameterDefinition(name)
        assert parameter.isSupportedOutputValue("/tmp/table.parquet", context)[0], alg_id
        assert parameter.isSupportedOutputValue("/tmp/table.gpkg", context)[0], alg_id
        assert not parameter.isSupportedOutputValue("/tmp/table.nothing", context)[0], alg_id
