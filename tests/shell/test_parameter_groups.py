"""The parameters of the embedding and fetch algorithms are a contract with users: saved models, the
dialogs' remembered settings, `qgis_process` command lines and job files name them. The algorithms are
composed of parameter groups (algorithms/*_params.py, issue 30 item 5); this pins what each declared
before the composition: names, order, types, descriptions, defaults, flags, options and outputs.

Choices may be appended (a new model at the end of catalogue.MODELS: the enum index is the saved choice),
never reordered. A deliberate change updates tests/shell/pinned_parameters.json: the failure prints the
parameter as it is now, and `python3 tests/shell/test_parameter_groups.py` (QGIS's Python, PYTHONPATH as for
the shell tests) writes the file anew."""

import json
import os

import pytest
from qgis.core import QgsApplication, QgsProcessingParameterDefinition

PINNED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pinned_parameters.json")
ALGORITHMS = ("embed", "embed_features", "fetch_imagery", "fetch_alphaearth")


def _flag(definition, name):
    """Whether the definition carries the flag `name` (Optional, Advanced, Hidden), on QGIS 3 and 4."""
    flags = definition.flags()
    try:
        from qgis.core import Qgis

        value = getattr(Qgis.ProcessingParameterFlag, name)
    except AttributeError:
        value = getattr(QgsProcessingParameterDefinition, "Flag" + name)
    return bool(flags & value)


def _plain(value):
    """A default value as JSON (QGIS hands back str, int, float, bool, lists or None)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _extras(definition):
    """What a parameter of a given type declares besides its name, description and default."""
    extras = {}
    for attr in (
        "options",
        "allowMultiple",
        "parentLayerParameterName",
        "dataType",
        "minimum",
        "maximum",
        "dataTypes",
        "createByDefault",
        "behavior",
        "extension",
        "fileFilter",
        "multiLine",
    ):
        method = getattr(definition, attr, None)
        if callable(method):
            try:
                extras[attr] = _plain(method())
            except TypeError:
                continue
    return extras


def describe(algorithm_id):
    """The algorithm's parameters (in order) and outputs, as plain JSON-able values."""
    alg = QgsApplication.processingRegistry().createAlgorithmById("terraembed:" + algorithm_id)
    assert alg is not None, algorithm_id
    parameters = [
        {
            "name": d.name(),
            "type": d.type(),
            "description": d.description(),
            "default": _plain(d.defaultValue()),
            "optional": _flag(d, "Optional"),
            "advanced": _flag(d, "Advanced"),
            "hidden": _flag(d, "Hidden"),
            **_extras(d),
        }
        for d in alg.parameterDefinitions()
    ]
    outputs = [{"name": o.name(), "type": o.type(), "description": o.description()} for o in alg.outputDefinitions()]
    return {"parameters": parameters, "outputs": outputs, "help": alg.shortHelpString()}


@pytest.mark.parametrize("algorithm_id", ALGORITHMS)
def test_parameters_stay_as_users_saved_them(algorithm_id):
    with open(PINNED, encoding="utf-8") as f:
        pinned = json.load(f)[algorithm_id]
    now = json.loads(json.dumps(describe(algorithm_id)))
    assert [p["name"] for p in now["parameters"]] == [p["name"] for p in pinned["parameters"]]
    for current, saved in zip(now["parameters"], pinned["parameters"]):
        if "options" in saved:  # appended choices keep every saved index
            assert current["options"][: len(saved["options"])] == saved["options"], saved["name"]
            current = dict(current, options=saved["options"])
        assert current == saved, "%s: %s changed; now:\n%s" % (algorithm_id, saved["name"], json.dumps(current))
    assert now["outputs"] == pinned["outputs"], json.dumps(now["outputs"], indent=1)
    assert now["help"] == pinned["help"], now["help"]


def test_the_composed_algorithms_inherit_only_the_base():
    """Each algorithm is a TerraEmbedAlgorithm composed of parameter groups, not a subclass of another
    algorithm (whose parameters and methods it would inherit without using them)."""
    from terraembed.algorithms.base import TerraEmbedAlgorithm

    registry = QgsApplication.processingRegistry()
    for algorithm_id in ALGORITHMS:
        cls = type(registry.algorithmById("terraembed:" + algorithm_id))
        assert cls.__bases__ == (TerraEmbedAlgorithm,), (algorithm_id, cls.__mro__)


if __name__ == "__main__":  # writes pinned_parameters.json from the algorithms as they are now
    import sys

    sys.path.insert(0, os.path.dirname(PINNED))
    import conftest  # noqa: F401  (starts QGIS and registers the provider)

    with open(PINNED, "w", encoding="utf-8") as out:
        json.dump({a: describe(a) for a in ALGORITHMS}, out, indent=1, ensure_ascii=False)
        out.write("\n")
