"""Which module may import which: the two processes' wall, in both directions (docs/DEVELOPING.md).

- The shell (QGIS's Python: plugin.py, __init__.py, algorithms/, ui/, runtime/) imports the standard
  library, QGIS (qgis, its GDAL bindings osgeo, its processing plugin), other shell modules and the shared
  modules; never the engine's packages, never torch & co.
- The engine (the runtime worker: engine/, models/, pipeline/, sources/, analysis/, report/) imports the
  standard library, the runtime's packages, other engine modules and the shared modules; never Qt or
  QGIS, never a shell module.
- The shared modules (shared/catalogue.py, shared/protocol.py, shared/transaction.py, shared/limits.py, periods.py) import the standard library
  and each other only: both processes load them.

A standard-library `ast` scan of every import (also those inside functions); the self-tests feed it
known-bad and known-good snippets.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"catalogue", "protocol", "transaction", "limits", "periods"}
SHELL = {"plugin", "__init__", "algorithms", "ui", "runtime"}
ENGINE = {"engine", "models", "pipeline", "sources", "analysis", "report"}
QGIS = {"qgis", "osgeo", "processing"}  # QGIS's Python: the shell's third-party side
QT = {"PyQt5", "PyQt6", "PySide2", "PySide6", "sip"}

# The few crossings there are, each with its reason ("importer -> imported", as dotted in-package names).
ALLOWED = {
    ("transaction", "engine.errors"): "UserError, a standard-library exception class both processes raise",
    ("engine.environment", "runtime.locks"): "the lock the runtime was built from, read to compare "
    "installed versions (standard library only; scripts/setup "
    "runs the same module outside QGIS)",
    ("models.cpu_gemm", "runtime.platforms"): "normal_machine, the one spelling of machine names "
    "(x86_64 / AMD64 ...; standard library only)",
}


def layer(module):
    """'shell', 'engine' or 'shared' for an in-package dotted module name ('ui.dock', 'catalogue')."""
    top = module.split(".")[0]
    if top in SHARED:
        return "shared"
    if top in SHELL:
        return "shell"
    if top in ENGINE:
        return "engine"
    raise AssertionError("%s belongs to no layer: add its folder to SHELL, ENGINE or SHARED" % module)


def imports(source, module, is_package=False):
    """(line, target, in_package) for each import of `source`, the module named `module` ('ui.dock').
    Relative imports are resolved to in-package dotted names ('from .. import catalogue' -> 'catalogue')."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, False) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append((node.lineno, node.module, False))
                continue
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            base = base + (node.module.split(".") if node.module else [])
            for alias in node.names:  # a name imported is a submodule, or a name of the module `base`
                target = base + [alias.name]
                found.append((node.lineno, ".".join(target if is_module(target) or not base else base), True))
    return found


def is_module(parts):
    path = ROOT.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def problems(source, module, is_package=False):
    """What `module` must not import, as 'line: target (reason)'."""
    mine = layer(module)
    out = []
    for line, target, in_package in imports(source, module, is_package):
        if not target:
            continue
        top = target.split(".")[0]
        if in_package:
            theirs = layer(target)
            if (module, target) in ALLOWED or theirs == mine or theirs == "shared":
                continue
            out.append("%d: %s (the %s must not import the %s)" % (line, target, mine, theirs))
        elif top in sys.stdlib_module_names or top == "__future__":
            continue
        elif top in QT:
            out.append("%d: %s (Qt only through qgis.PyQt, and only in the shell)" % (line, target))
        elif mine == "shared":
            out.append("%d: %s (shared modules use the standard library only)" % (line, target))
        elif mine == "shell" and top not in QGIS:
            out.append("%d: %s (QGIS's Python has no %s: the engine runs it in the runtime)" % (line, target, top))
        elif mine == "engine" and top in QGIS:
            out.append("%d: %s (the engine runs without QGIS)" % (line, target))
    return list(dict.fromkeys(out))  # one line per import statement and target


def package_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", "scripts", "benchmarks", "docs") or rel.parts[0].startswith("."):
            continue
        parts = list(rel.with_suffix("").parts)
        is_package = parts[-1] == "__init__" and len(parts) > 1
        if is_package:
            parts = parts[:-1]
        yield path, ".".join(parts), is_package


def test_every_module_keeps_to_its_layer():
    found, scanned = [], {"shell": 0, "engine": 0, "shared": 0}
    for path, module, is_package in package_modules():
        scanned[layer(module)] += 1
        for problem in problems(path.read_text(encoding="utf-8"), module, is_package):
            found.append("%s:%s" % (path.relative_to(ROOT).as_posix(), problem))
    assert scanned["shell"] > 20 and scanned["engine"] > 30 and scanned["shared"] == len(SHARED), scanned
    assert not found, "imports across the wall (tests/quick/test_import_layers.py):\n" + "\n".join(found)


def test_the_allowed_crossings_still_exist():
    """An exception nobody needs any more is removed from ALLOWED."""
    used = set()
    for path, module, is_package in package_modules():
        for _, target, _in_package in imports(path.read_text(encoding="utf-8"), module, is_package):
            if (module, target) in ALLOWED:
                used.add((module, target))
    assert used == set(ALLOWED)


BAD = [
    ("ui.dock", "from ..models.registry import MODELS", "the shell must not import the engine"),
    ("algorithms.embed", "import torch", "QGIS's Python has no torch"),
    ("ui.model_info", "from huggingface_hub import hf_hub_download", "QGIS's Python has no"),
    ("runtime.client", "from ..pipeline import embed", "the shell must not import the engine"),
    ("pipeline.embed", "from qgis.core import QgsRasterLayer", "the engine runs without QGIS"),
    ("models.loader", "from ..algorithms import inputs", "the engine must not import the shell"),
    ("sources.earthengine.fetch", "from ...ui import dock", "the engine must not import the shell"),
    ("engine.worker", "def f():\n    from ..runtime import settings", "the engine must not import the shell"),
    ("catalogue", "import numpy", "shared modules use the standard library only"),
    ("protocol", "from .ui import dock", "the shared must not import the shell"),
    ("limits", "from .models import registry", "the shared must not import the engine"),
    ("ui.gui", "from PyQt5.QtWidgets import QAction", "Qt only through qgis.PyQt"),
    ("analysis.pca", "from PyQt6 import QtCore", "Qt only through qgis.PyQt"),
]
GOOD = [
    ("ui.dock", "from .. import catalogue, transaction\nfrom ..runtime import settings\nfrom . import results"),
    ("algorithms.checks", "from osgeo import gdal\nfrom qgis.core import QgsProcessingException"),
    (
        "pipeline.embed",
        "import numpy as np\nimport rasterio\nfrom ..catalogue import PREPARATIONS\n"
        "from ..engine.errors import UserError\nfrom . import common",
    ),
    ("sources.earthengine", "from .fetch import fetch_composite"),
    ("catalogue", "import os\nimport re\nfrom dataclasses import dataclass"),
    ("transaction", "from . import protocol\nfrom .engine.errors import UserError"),
]


@pytest.mark.parametrize("module,snippet,reason", BAD)
def test_scanner_flags_each_crossing(module, snippet, reason):
    found = problems(snippet, module, is_package=module == "sources.earthengine")
    assert found and reason in found[0], found


@pytest.mark.parametrize("module,snippet", GOOD)
def test_scanner_accepts_what_each_layer_may_use(module, snippet):
    assert problems(snippet, module, is_package=module == "sources.earthengine") == []
