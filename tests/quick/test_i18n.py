"""Every user-facing text of the shell goes through Qt's translation (runtime/i18n.tr), and every such text
is translated in each catalogue of i18n/ (README "Translations").

The scan (standard-library `ast`) looks at the places where the shell hands text to a user; a string
literal with a letter in such a place, not inside a tr(...) call, is a finding:

- Processing: the description of `QgsProcessingParameter*(name, description, ...)`, `QgsProcessingOutput*(...)`
  and `number_parameter(...)` (2nd argument or `description=`), an enum's `options`, a file destination's filter;
- the algorithm's texts: `DISPLAY`, `GROUP`, `HELP`, `REPORT_HELP`, `*_LABEL`, `*_HELP` assigned anywhere, and
  what `displayName`, `group`, `shortHelpString`, `shortDescription`, `helpString` return;
- widgets: the 1st argument of `.setText`, `.setToolTip`, `.setWindowTitle`, `.setTitle`, `.setPlaceholderText`,
  `.setStatusTip`, `.setWhatsThis`, `.setLabelText`, `.addTab`, `.addRow`, `.addItem`, `.setSpecialValueText`,
  `.setSuffix`, `.setDialogTitle`, `.addButton`; the 1st or 2nd (after an icon) of `QLabel`, `QPushButton`,
  `QCheckBox`, `QRadioButton`, `QGroupBox`, `QgsCollapsibleGroupBox`, `QAction`, `QToolButton`, `QMenu`; the 1st
  of `super().__init__` (a widget subclass's title);
- messages: the title and text of `.pushMessage`; the 1st argument of `.pushInfo`, `.pushWarning`,
  `.reportError`, `.setProgressText`, `.pushCommandInfo`, `.pushConsoleInfo`, `QgsMessageLog.logMessage`, `.log`,
  `QgsProcessingException`; the title and text of `QMessageBox.information/warning/critical/question`.

A literal with no words once its format fields are left out ("%d: %s") is no text, nor is the plugin's name.
A literal that is no text (a URL, a file name pattern) is marked `# no-i18n` on its line.
"""

import ast
import importlib.util
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL = ("plugin.py", "algorithms/*.py", "ui/*.py", "runtime/*.py")
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
        elif isinstance(node, ast.Assign):
            for target in node.targets:
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


def test_every_user_facing_text_of_the_shell_is_translatable():
    found = []
    for path in shell_files():
        found += ["%s:%s" % (path.relative_to(ROOT), p) for p in untranslated(path.read_text(encoding="utf-8"))]
    assert len(shell_files()) > 40
    assert not found, "wrap these in tr() (runtime/i18n.py), then run scripts/i18n.py update:\n" + "\n".join(found)


BAD = [
    'p = QgsProcessingParameterRasterLayer("INPUT", "Embedding raster")',
    'p = QgsProcessingParameterEnum("M", tr("Model"), options=["none", "mean"])',
    'p = number_parameter("K", "Clusters", limits.K, 8)',
    'p = QgsProcessingParameterBoolean("W", description="Whiten")',
    'class A:\n    DISPLAY = "Compute embeddings"',
    'class A:\n    HELP = tr("Computes.") + " Device: %s." % x',
    'def displayName(self):\n    return "PCA"',
    'label.setText("Model:")',
    'box.setToolTip("Pick a layer" if x else tr("None"))',
    'w = QPushButton("Run")',
    'w = QPushButton(QIcon(ICON), "Run")',
    'class Box(QGroupBox):\n    def __init__(self, parent):\n        super().__init__("Model", parent)',
    'feedback.pushInfo("Explained variance ratio: %s" % r)',
    'feedback.pushWarning(f"{n} bands chosen twice")',
    'raise QgsProcessingException("Cancelled")',
    'QMessageBox.warning(self, "Export failed", tr("Failed"))',
    'iface.messageBar().pushMessage("TerraEmbed", "Done", level=1)',
    'BANDS_LABEL = "Bands in model order"',
    'label.setText("Project: {}".format(name))',
]
GOOD = [
    'p = QgsProcessingParameterRasterLayer("INPUT", tr("Embedding raster"))',
    'p = QgsProcessingParameterEnum("M", tr("Model"), options=[tr(v) for v in VALUES])',
    'class A:\n    DISPLAY = tr("Compute embeddings")\n    NAME = "embed"',
    'class A:\n    HELP = tr("Computes.") + tr(" Device: %s.") % x',
    'def displayName(self):\n    return tr(self.DISPLAY)',
    'label.setText(tr("Model:"))',
    'label.setText(str(n))',
    'class Box(QGroupBox):\n    def __init__(self, parent):\n        super().__init__(tr("Model"), parent)',
    'feedback.pushInfo(tr("Explained variance ratio: %s") % ", ".join("%.3f" % r for r in ratios))',
    'combo.addItem("%d: %s" % (i, name))',
    'iface.messageBar().pushMessage("TerraEmbed", tr("Done"))',
    'raise QgsProcessingException(CANCELLED)',
    'url.setText("https://example.org")  # no-i18n',
    'QMessageBox.warning(self, tr("TerraEmbed"), tr("Failed"))',
    'w = QgsProcessingParameterFileDestination("R", tr("Report"), tr("HTML files (*.html)"))',
    'settings.setValue("terraembed/device", "cuda")',
    'label.setText(tr("Project: %s") % (settings.get("ee_project") or tr("not set")))',
    'label.setText(tr("Precision: %s") % result["precision"])',
]


@pytest.mark.parametrize("snippet", BAD)
def test_scan_flags_an_untranslated_text(snippet):
    assert untranslated(snippet), snippet


@pytest.mark.parametrize("snippet", GOOD)
def test_scan_accepts_translated_or_technical_text(snippet):
    assert untranslated(snippet) == []


def load_i18n_script():
    spec = importlib.util.spec_from_file_location("terraembed_i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_catalogue_has_every_text_translated():
    """`scripts/i18n.py check`: no text of the code missing from a .ts, no entry unfinished."""
    script = load_i18n_script()
    catalogues = script.ts_files()
    assert [script.language_of(p) for p in catalogues] == ["fr"] or len(catalogues) > 1
    texts = script.extract()
    assert len(texts) > 400  # the shell's texts, the worker's and the catalogue's labels
    for path in catalogues:
        assert script.problems(path, texts) == [], os.path.basename(path)


def test_the_check_finds_a_translation_with_other_format_fields(tmp_path):
    script = load_i18n_script()
    texts = {("TerraEmbed", "%d of %d features"): ["x.py"], ("TerraEmbed", "Done"): ["x.py"]}
    path = tmp_path / "terraembed_xx.ts"
    script.write_ts(path, "xx", texts, {("TerraEmbed", "%d of %d features"): ("%d entités", "")})
    found = script.problems(path, texts)
    assert found == ["unfinished: 'Done'", "format fields differ (the text is %-formatted after translating): "
                     "'%d of %d features'"], found  # fmt: skip


def test_the_extractor_reads_tr_and_translate_calls():
    script = load_i18n_script()
    source = (
        'a = tr("One")\nb = tr("Two %s", context="Other") % x\nc = QCoreApplication.translate("Ctx", "Three")\n'
        "d = tr(label)\ne = str('no')\n"
    )
    assert script.literal_texts(source) == [("TerraEmbed", "One"), ("Other", "Two %s"), ("Ctx", "Three")]
