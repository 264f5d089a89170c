"""Build the example graphical models shipped in processing_models/ (run with QGIS's Python):
PYTHONPATH=.build/pkg QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_example_models.py
"""

import os
import sys

from qgis.core import (
    QgsApplication,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QPointF

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def child(model, alg_id, child_id, description, sources, outputs, x):
    c = QgsProcessingModelChildAlgorithm(alg_id)
    c.setChildId(child_id)
    c.setDescription(description)
    c.setPosition(QPointF(x, 200))
    for name, source in sources.items():
        c.addParameterSources(name, [source])
    model_outputs = {}
    for child_output, name in outputs.items():
        out = QgsProcessingModelOutput(name)
        out.setChildOutputName(child_output)
        out.setChildId(child_id)
        model_outputs[name] = out
    c.setModelOutputs(model_outputs)
    model.addChildAlgorithm(c)
    return c


def embed_then_statistics():
    model = QgsProcessingModelAlgorithm("Embeddings then PCA statistics", "TerraEmbed examples", "terraembed_examples")
    model.setHelpContent(
        {
            "ALG_DESC": "Example chain: Compute embeddings on a Sentinel-2 raster, then the native "
            "'Raster layer statistics' algorithm on the PCA output."
        }
    )
    model.addModelParameter(
        QgsProcessingParameterRasterLayer("input", "Sentinel-2 raster (12 bands)"), QgsProcessingModelParameter("input")
    )
    model.addModelParameter(
        QgsProcessingParameterFile("weights", "TerraFM-B weights file (empty = hub/cache)", optional=True),
        QgsProcessingModelParameter("weights"),
    )
    child(
        model,
        "terraembed:embed",
        "embed",
        "Compute embeddings",
        {
            "INPUT": QgsProcessingModelChildParameterSource.fromModelParameter("input"),
            "WEIGHTS_FILE": QgsProcessingModelChildParameterSource.fromModelParameter("weights"),
            "MODEL": QgsProcessingModelChildParameterSource.fromStaticValue(0),
        },
        {"OUTPUT_PCA": "PCA"},
        100,
    )
    child(
        model,
        "native:rasterlayerstatistics",
        "stats",
        "PCA statistics",
        {
            "INPUT": QgsProcessingModelChildParameterSource.fromChildOutput("embed", "OUTPUT_PCA"),
            "BAND": QgsProcessingModelChildParameterSource.fromStaticValue(1),
        },
        {"OUTPUT_HTML_FILE": "Statistics"},
        400,
    )
    return model


def main():
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from terraembed.algorithms.provider import TerraEmbedProvider

    provider = TerraEmbedProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    out_dir = os.path.join(REPO, "processing_models")
    os.makedirs(out_dir, exist_ok=True)
    for name, build in (("embed_then_statistics", embed_then_statistics),):
        path = os.path.join(out_dir, name + ".model3")
        assert build().toFile(path), path
        print("wrote", path)


if __name__ == "__main__":
    main()
