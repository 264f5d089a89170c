"""The shipped graphical model chains Compute embeddings into a native QGIS algorithm."""

import os

import processing
from qgis.core import QgsProcessingModelAlgorithm

MODEL = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "processing_models",
    "embed_then_statistics.model3",
)


def test_example_model_chains_embed_into_native_statistics(
    qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path, monkeypatch
):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(MODEL)
    assert [c.algorithmId() for c in model.childAlgorithms().values()].count("terraembed:embed") == 1
    stats_path = str(tmp_path / "stats.html")
    pca_path = str(tmp_path / "pca.tif")
    result = processing.run(
        model, {"input": sample_s2, "weights": terrafm_weights, "embed:PCA": pca_path, "stats:Statistics": stats_path}
    )
    assert os.path.isfile(pca_path)
    html = open(stats_path, encoding="utf-8").read()
    assert "Mean" in html or "mean" in html
    assert result["embed:PCA"] == pca_path
