"""The scoped Qt and QGIS spellings the shipped shell code uses exist in the QGIS that runs the tests.

The part of the Qt5/Qt6 checks that needs QGIS itself; the `ast` rules, the files they scan (SHIPPED)
and their self-tests are in the quick tier: tests/quick/test_qt_idioms.py.
"""

import ast

import qgis.core
import qgis.gui
import qgis.PyQt.QtCore
import qgis.PyQt.QtGui
import qgis.PyQt.QtWidgets

from terraembed.tests.quick.test_qt_idioms import COMPAT, QT_CLASS, ROOT, shipped_files


def _scoped_spellings(tree):
    """'Qt.AlignmentFlag.AlignLeft'-like chains (class.scope.member) in a module."""
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        if isinstance(node, ast.Name) and QT_CLASS.match(node.id) and len(parts) == 2 and parts[0][:1].isupper():
            yield [node.id] + parts


def test_every_scoped_spelling_exists_in_this_qgis(qgis_app):
    """The scoped spellings the shell uses resolve here (QGIS 3.22 / PyQt5), not only in the documentation.
    In compat.py, a branch for a newer QGIS (its Qgis.X does not exist here) is skipped: the hasattr picks."""
    namespace = {}
    for module in (qgis.PyQt.QtWidgets, qgis.PyQt.QtGui, qgis.PyQt.QtCore, qgis.gui, qgis.core):
        namespace.update(vars(module))
    missing, checked = [], 0
    for path in shipped_files():
        rel = path.relative_to(ROOT).as_posix()
        for name, scope, member in _scoped_spellings(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in namespace:
                continue  # not a Qt or QGIS class (a name of our own)
            owner = namespace[name]
            if rel == COMPAT and not hasattr(owner, scope):
                continue
            checked += 1
            if not hasattr(getattr(owner, scope, None), member):
                missing.append("%s: %s.%s.%s" % (rel, name, scope, member))
    assert checked > 50 and not missing, missing
