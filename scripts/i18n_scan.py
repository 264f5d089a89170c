"""The scan of the shell for user-facing literals outside tr() (README "Translations"): used by
tests/quick/test_i18n.py and by `python3 scripts/i18n.py scan|wrap`. Standard library only.

The scan (standard-library `ast`) looks at the places where the shell hands text to a user; a string
literal with a letter in such a place, not inside a tr(...) call, is a finding:

- Processing: the description of `QgsProcessingParameter*(name, description, ...)`, `QgsProcessingOutput*(...)`
  and `number_parameter(...)` (2nd argument or `description=`), an enum's `options`, a file destination's filter;
- the algorithm's texts: `DISPLAY`, `GROUP`, `HELP`, `REPORT_HELP`, `*_LABEL`, `*_HELP` assigned (or `+=`) anywhere, and
  what `displayName`, `group`, `shortHelpString`, `shortDescription`, `helpString` return;
- widgets: the 1st argument of `.setText`, `.setToolTip`, `.setWindowTitle`, `.setTitle`, `.setPlaceholderText`,
  `.setStatusTip`, `.setWhatsThis`, `.setLabelText`, `.addTab`, `.addRow`, `.addItem`, `.setSpecialValueText`,
  `.setSuffix`, `.setDialogTitle`, `.addButton`; the 1st or 2nd (after an icon) of `QLabel`, `QPushButton`,
  `QCheckBox`, `QRadioButton`, `QGroupBox`, `QgsCollapsibleGroupBox`, `QAction`, `QToolButton`, `QMenu`; the 1st
  of `super().__init__` (a widget subclass's title);
- an output's name in messages: `what` of `tx.add(dest, what, ...)`, `.destination(parameters, name, context, what,
  tx)`, `file_destination(alg, parameters, name, context, tx, what, ...)` and `raster_destination(...)` (the same);
- messages: the title and text of `.pushMessage`; the 1st argument of `.pushInfo`, `.pushWarning`,
  `.reportError`, `.setProgressText`, `.pushCommandInfo`, `.pushConsoleInfo`, `QgsMessageLog.logMessage`, `.log`,
  `QgsProcessingException`; the title and text of `QMessageBox.information/warning/critical/question`.

A literal with no words once its format fields are left out ("%d: %s") is no text, nor is the plugin's name.
A literal that is no text (a URL, a file name pattern) is marked `# no-i18n` on its line.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHELL = ("plugin.py", "algorithms/*.py", "ui/*.py", "shell/*.py")
WIDGET_METHODS = {
    "setText", "setToolTip", "setWindowTitle", "setTitle", "setPlaceholderText", "setStatusTip", "setWhatsThis",
    "setLabelText", "addTab", "addRow", "addItem", "setSpecialValueText", "setSuffix", "setDialogTitle", "addButton",
}  # fmt: skip
WIDGETS = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QgsCollapsibleGroupBox", "QAction"}
WIDGETS |= {"QToolButton", "QMenu"}
MESSAGES = {
    "pushMessage", "pushInfo", "pushWarning", "reportError", "setProgressText", "pushCommandInfo", "pushConsoleInfo",
    "logMessage", "log", "QgsProcessingException", "information", "warning", "critical", "question",
}  # fmt: skip
OUTPUT_NAMES = {
    "add": 1,
    "destination": 3,
    "file_destination": 5,
    "raster_destination": 5,
}  # tx.add(dest, what), ...: the index of `what`
PARAMETER_PREFIXES = ("QgsProcessingParameter", "QgsProcessingOutput")
NAMES = {"DISPLAY", "GROUP", "HELP", "REPORT_HELP"}
RETURNS = {"displayName", "group", "shortHelpString", "shortDescription", "helpString"}
TRANSLATE = {"tr", "translate"}
NOT_TEXT = {"TerraEmbed"}  # the plugin's name, the same in every language
FORMAT = re.compile(r"%(\(\w+\))?[-#0 +]*\d*(\.\d+)?[sdrfgeixXc%]|\{[^{}]*\}")


def is_text(value):
    """Whether a literal holds words: a letter once format fields (%s, %(name)d, {0}) are left out."""
    return isinstance(value, str) and value not in NOT_TEXT and any(c.isalpha() for c in FORMAT.sub("", value))


def call_name(func):
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def texts_outside_tr(node):
    """String literals with a letter in `node`, not inside a tr(...) / translate(...) call."""
    if isinstance(node, ast.Call) and call_name(node.func) in TRANSLATE:
        return []
    if isinstance(node, ast.Constant):
        return [node] if is_text(node.value) else []
    if isinstance(node, ast.Call):  # "...".format(x) is text; the arguments of another call are not this text
        children = [node.func]
    elif isinstance(node, ast.Subscript):  # result["precision"]: a key
        children = [node.value]
    elif isinstance(node, (ast.Compare, ast.Dict)):
        children = []
    else:
        children = list(ast.iter_child_nodes(node))
    return [found for child in children for found in texts_outside_tr(child)]


def call_texts(node):
    """The argument nodes of a call that carry text to a user, by the table above."""
    name = call_name(node.func)
    keywords = {k.arg: k.value for k in node.keywords}
    if name.startswith(PARAMETER_PREFIXES) or name == "number_parameter":
        texts = node.args[1:2] + [keywords[k] for k in ("description", "options", "fileFilter") if k in keywords]
        return texts + (node.args[2:3] if name.endswith("FileDestination") else [])
    if name in WIDGET_METHODS:
        return node.args[:1]
    if name in OUTPUT_NAMES and (name != "add" or call_name(getattr(node.func, "value", node.func)) == "tx"):
        return node.args[OUTPUT_NAMES[name] : OUTPUT_NAMES[name] + 1]  # the output in the user's words
    if name in WIDGETS:  # QPushButton(text) or QPushButton(icon, text)
        return node.args[:2]
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    if name == "__init__" and isinstance(receiver, ast.Call) and call_name(receiver.func) == "super":
        return node.args[:1]  # a widget subclass's title: QGroupBox.__init__(self, "Model", parent)
    if name in MESSAGES:
        if name in ("information", "warning", "critical", "question"):  # QMessageBox.x(parent, title, text)
            return node.args[1:3] if call_name(getattr(node.func, "value", node.func)) == "QMessageBox" else []
        return node.args[:2] if name == "pushMessage" else node.args[:1]  # pushMessage(title, text, ...)
    return []


def site_texts(tree):
    """(node, site) for each argument, assignment or return value of the table."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from ((arg, call_name(node.func)) for arg in call_texts(node))
        elif isinstance(node, (ast.Assign, ast.AugAssign)):  # HELP = ... and HELP += ...
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                name = target.id if isinstance(target, ast.Name) else ""
                if name in NAMES or name.endswith(("_LABEL", "_HELP")):
                    yield node.value, name
        elif isinstance(node, ast.FunctionDef) and node.name in RETURNS:
            yield from ((n.value, node.name) for n in ast.walk(node) if isinstance(n, ast.Return) and n.value)


def untranslated(source):
    """'line: site: text' for each user-facing literal of `source` not wrapped in tr()."""
    lines = source.splitlines()
    out = []
    for value, site in site_texts(ast.parse(source)):
        for literal in texts_outside_tr(value):
            if "# no-i18n" not in lines[literal.lineno - 1]:
                out.append("%d: %s: %r" % (literal.lineno, site, literal.value[:60]))
    return list(dict.fromkeys(out))


def shell_files():
    return sorted(path for pattern in SHELL for path in ROOT.glob(pattern))


def findings():
    """'file:line: site: text' for the whole shell."""
    found = []
    for path in shell_files():
        found += ["%s:%s" % (path.relative_to(ROOT), p) for p in untranslated(path.read_text(encoding="utf-8"))]
    return found


def import_line(rel):
    """The import of tr for a file of the plugin: the shell's ('ui/dock.py' -> 'from ..shell.i18n import tr'),
    the worker's ('engine/analysis/pca.py' -> 'from ..i18n import tr', 'models/x.py' -> 'from ..engine.i18n
    import tr') or shared/i18n.py's ('shared/x.py' -> 'from .i18n import tr')."""
    parts = Path(rel).parts
    if parts[0] in ("shell", "shared"):
        return "from .i18n import tr"
    if parts[0] == "engine":
        return "from %si18n import tr" % ("." * (len(parts) - 1))
    side = "engine" if parts[0] == "models" else "shell"
    return "from %s%s.i18n import tr" % ("." * len(parts), side)


def wrap(path, rel=None, sites=site_texts):
    """Wrap each finding of a file in tr(...) in place and add the import (`rel`: its path in the plugin,
    default from `path`; `sites`: where the texts are, default the shell's table above); returns the number
    wrapped and the lines of f-strings left to rewrite by hand (tr needs one literal: tr("%d cells") % n)."""
    source = Path(path).read_text(encoding="utf-8")
    tree, lines = ast.parse(source), source.splitlines(keepends=True)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    nodes, by_hand = {}, []
    for value, _site in sites(tree):
        for literal in texts_outside_tr(value):
            if "# no-i18n" in lines[literal.lineno - 1]:
                continue
            if isinstance(parents.get(literal), ast.JoinedStr):
                by_hand.append(literal.lineno)
            else:
                nodes[(literal.lineno, literal.col_offset)] = literal
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line, col):  # ast columns are UTF-8 byte offsets
        return starts[line - 1] + len(lines[line - 1].encode()[:col].decode())

    for node in sorted(nodes.values(), key=lambda n: (n.lineno, n.col_offset), reverse=True):
        a, b = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
        source = source[:a] + "tr(" + source[a:b] + ")" + source[b:]
    wanted = import_line(rel or Path(path).resolve().relative_to(ROOT).as_posix())
    if nodes and wanted not in source:
        source = _add_import(source, wanted)
    Path(path).write_text(source, encoding="utf-8")
    return len(nodes), sorted(set(by_hand))


def _add_import(source, line):
    """`line` before the first relative import (ruff's import sorting puts it in its place)."""
    lines = source.split("\n")
    first = next((i for i, text in enumerate(lines) if text.startswith("from .")), None)
    if first is None:
        first = max((i + 1 for i, text in enumerate(lines) if text.startswith(("import ", "from "))), default=0)
    return "\n".join(lines[:first] + [line] + lines[first:])
