"""The shipped shell code uses only spellings that QGIS 3.22 (PyQt5) and QGIS 4 (PyQt6) both accept.

A standard-library `ast` scan; the rules (docs/DEVELOPING.md, "Qt5 and Qt6") are data below, one reason each.
The self-tests feed the scanner known-bad snippets (every rule must fire) and known-good ones (none may fire).
That the scoped spellings found here exist in the QGIS that runs is checked in QGIS's Python:
tests/shell/test_qt_idioms.py (it reads SHIPPED and the scanner's names from this module).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    "plugin.py",
    "__init__.py",
    "shared/protocol.py",
    "algorithms/**/*.py",
    "ui/**/*.py",
    "shell/*.py",
    "scripts/screenshot_panel.py",
    "scripts/screenshot_explore.py",
]
COMPAT = "algorithms/compat.py"  # the one module that picks between the 3.22 and the 3.30+/4 spellings

# rule id: (reason, files where the spelling is allowed)
RULES = {
    "flat-enum": (
        "PyQt6 has only scoped enums: Qt.AlignLeft is gone, Qt.AlignmentFlag.AlignLeft works on PyQt5 "
        ">= 5.11 and PyQt6 (same for QGIS classes: Qgis.Warning -> Qgis.MessageLevel.Warning)",
        (),
    ),
    "instance-enum": (
        "an old enum member read through an instance (param.FlagAdvanced) does not exist on "
        "QGIS 4; use the scoped name or algorithms/compat.py",
        (),
    ),
    "exec_": ("exec_() is gone in PyQt6; exec() works on PyQt5 and PyQt6", ()),
    "qvariant-type": (
        "QVariant.Type (QVariant.Double ...) is gone in PyQt6 and the QgsField(QVariant) "
        "constructor is deprecated from QGIS 3.38; build fields with compat.make_field and "
        "QMetaType.Type",
        (COMPAT,),
    ),
    "direct-qt-import": ("Qt is imported only through qgis.PyQt, which maps to PyQt5 or PyQt6", ()),
    "qaction-from-qtwidgets": (
        "QAction, QActionGroup, QShortcut and QUndoCommand live in QtGui on Qt6: import "
        "from QtGui first, QtWidgets only as the ImportError fallback",
        (),
    ),
    "qgis4-removed-enum": (
        "QGIS 4 removed these class-scoped enums (moved into Qgis in 3.30-3.38); only "
        "algorithms/compat.py names them, picking what exists",
        (COMPAT,),
    ),
}

QT_CLASS = re.compile(r"^(Qt|Qgis|Q[A-Z]\w*|Qgs[A-Z]\w*)$")
CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]+$")  # Qgis.QGIS_VERSION_INT, QgsProcessing.TEMPORARY_OUTPUT
OLD_MEMBER = re.compile(r"^(Flag[A-Z]\w*|Type[A-Z]\w*|FastInsert|NoError)$")
QT_COLORS = {
    "white",
    "black",
    "red",
    "darkRed",
    "green",
    "darkGreen",
    "blue",
    "darkBlue",
    "cyan",
    "darkCyan",
    "magenta",
    "darkMagenta",
    "yellow",
    "darkYellow",
    "gray",
    "darkGray",
    "lightGray",
    "transparent",
    "color0",
    "color1",
}
QT_MODULES = {"PyQt5", "PyQt6", "PySide2", "PySide6", "sip"}
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut", "QUndoCommand", "QUndoStack", "QFileSystemModel"}
QGIS4_REMOVED = {
    ("QgsProcessing", "SourceType"),
    ("QgsProcessingParameterDefinition", "Flag"),
    ("QgsProcessingParameterNumber", "Type"),
    ("QgsProcessingParameterField", "DataType"),
    ("QgsProcessingAlgorithm", "Flag"),
    ("QgsWkbTypes", "Type"),
    ("QgsWkbTypes", "GeometryType"),
    ("QgsUnitTypes", "DistanceUnit"),
    ("QgsMapLayerProxyModel", "Filter"),
    ("QgsRasterBandStats", "Stats"),
    ("QgsRasterFileWriter", "WriterError"),
    ("QgsRasterFileWriter", "Mode"),
}


class _Scanner(ast.NodeVisitor):
    def __init__(self):
        self.found = []  # (line, rule id, spelling)
        self.parents = {}
        self.in_import_error_handler = 0

    def report(self, node, rule, text):
        self.found.append((node.lineno, rule, text))

    def scan(self, tree):
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.visit(tree)
        return self.found

    def visit_Attribute(self, node):
        parent = self.parents.get(node)
        owner = node.value
        used_as_scope = isinstance(parent, ast.Attribute) and parent.value is node
        called = isinstance(parent, ast.Call) and parent.func is node
        if node.attr in ("exec_", "print_"):
            self.report(node, "exec_", "." + node.attr)
        if isinstance(owner, ast.Name) and owner.id == "QVariant":
            self.report(node, "qvariant-type", "QVariant." + node.attr)
        elif isinstance(owner, ast.Name) and QT_CLASS.match(owner.id):
            if (owner.id, node.attr) in QGIS4_REMOVED:
                self.report(node, "qgis4-removed-enum", "%s.%s" % (owner.id, node.attr))
            elif (
                not used_as_scope
                and not called
                and not CONSTANT.match(node.attr)
                and (node.attr[:1].isupper() or (owner.id == "Qt" and node.attr in QT_COLORS))
            ):
                self.report(node, "flat-enum", "%s.%s" % (owner.id, node.attr))
        elif OLD_MEMBER.match(node.attr) and not (isinstance(owner, ast.Attribute) and owner.attr[:1].isupper()):
            self.report(node, "instance-enum", "." + node.attr)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        catches = any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names)
        self.in_import_error_handler += catches
        self.generic_visit(node)
        self.in_import_error_handler -= catches

    def _module(self, node, module, names):
        if module.split(".")[0] in QT_MODULES:
            self.report(node, "direct-qt-import", module)
        if "QVariant" in names:
            self.report(node, "qvariant-type", "import QVariant")
        if module == "qgis.PyQt.QtWidgets" and MOVED_TO_QTGUI & set(names) and not self.in_import_error_handler:
            self.report(node, "qaction-from-qtwidgets", ", ".join(sorted(MOVED_TO_QTGUI & set(names))))

    def visit_Import(self, node):
        for alias in node.names:
            self._module(node, alias.name, [])

    def visit_ImportFrom(self, node):
        if node.level == 0 and node.module:
            self._module(node, node.module, [a.name for a in node.names])


def scan_source(source, path=""):
    """(line, rule, spelling) for each Qt5-only idiom in `source`, minus the ones allowed in `path`."""
    found = _Scanner().scan(ast.parse(source))
    return [f for f in found if path not in RULES[f[1]][1]]


def shipped_files():
    files = sorted({p for pattern in SHIPPED for p in ROOT.glob(pattern) if ".build" not in p.parts})
    assert len(files) > 20, files  # the globs still find the shell code
    return files


def test_shipped_code_has_no_qt5_only_idioms():
    problems = []
    for path in shipped_files():
        rel = path.relative_to(ROOT).as_posix()
        for line, rule, text in scan_source(path.read_text(encoding="utf-8"), rel):
            problems.append("%s:%d: %s [%s] - %s" % (rel, line, text, rule, RULES[rule][0]))
    assert not problems, "Qt5-only spellings (see docs/DEVELOPING.md, 'Qt5 and Qt6'):\n" + "\n".join(problems)


BAD = {
    "flat-enum": [
        "label.setAlignment(Qt.AlignLeft)",
        "QDialogButtonBox(QDialogButtonBox.Ok)",
        "w.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)",
        "bar.pushMessage('t', 'm', Qgis.Warning)",
        "QColor(Qt.red)",
        "layer.geometryType() == QgsWkbTypes.PolygonGeometry",
        "QgsProcessing.TypeVectorPolygon",
        "QgsProcessingParameterNumber.Integer",
    ],
    "instance-enum": [
        "param.setFlags(param.flags() | param.FlagAdvanced)",
        "self.p.FlagHidden",
        "sink.addFeature(f, sink.FastInsert)",
    ],
    "exec_": ["dialog.exec_()", "QApplication.exec_()"],
    "qvariant-type": ["QgsField('a', QVariant.Double)", "from qgis.PyQt.QtCore import QVariant"],
    "direct-qt-import": ["from PyQt5.QtCore import Qt", "import PyQt6.QtWidgets", "from PyQt5 import sip"],
    "qaction-from-qtwidgets": ["from qgis.PyQt.QtWidgets import QAction, QMenu"],
    "qgis4-removed-enum": [
        "QgsProcessing.SourceType.TypeVectorPolygon",
        "QgsProcessingParameterDefinition.Flag.FlagAdvanced",
        "QgsProcessingParameterNumber.Type.Integer",
        "QgsProcessingParameterField.DataType.Numeric",
        "QgsWkbTypes.Type.Polygon",
        "QgsMapLayerProxyModel.Filter.RasterLayer",
        "QgsRasterFileWriter.WriterError.NoError",
    ],
}
GOOD = [
    "label.setAlignment(Qt.AlignmentFlag.AlignLeft)",
    "QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)",
    "w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)",
    "bar.pushMessage('t', 'm', Qgis.MessageLevel.Warning)",
    "Qgis.ProcessingSourceType.VectorPolygon",
    "QgsProcessing.TEMPORARY_OUTPUT",
    "Qgis.QGIS_VERSION_INT >= 33800",
    "QgsFeatureSink.Flag.FastInsert",
    "QgsFileWidget.StorageMode.GetDirectory",
    "QColor(Qt.GlobalColor.red)",
    "dialog.exec()",
    "QgsApplication.instance().exec()",
    "QgsProject.instance().addMapLayer(layer)",
    "QgsField('a', QMetaType.Type.Double)",
    "from qgis.PyQt.QtCore import Qt, QMetaType",
    "try:\n    from qgis.PyQt.QtGui import QAction\nexcept ImportError:\n    from qgis.PyQt.QtWidgets import QAction",
    "compat.advanced(param)",
    "self.SOURCE_TYPE",
    "QgsProcessingParameterNumber(name, 'x', compat.DOUBLE)",
]


@pytest.mark.parametrize("rule,snippet", [(r, s) for r, snippets in BAD.items() for s in snippets])
def test_scanner_flags_each_qt5_idiom(rule, snippet):
    assert rule in [found[1] for found in scan_source(snippet)], snippet


def test_every_rule_has_a_bad_example():
    assert set(BAD) == set(RULES)


@pytest.mark.parametrize("snippet", GOOD)
def test_scanner_accepts_scoped_spellings(snippet):
    assert scan_source(snippet) == []


def test_compat_module_is_the_only_exception():
    compat = (ROOT / COMPAT).read_text(encoding="utf-8")
    assert {f[1] for f in scan_source(compat)} == {"qvariant-type", "qgis4-removed-enum"}
    assert scan_source(compat, COMPAT) == []
