"""Every user-facing text of the shell goes through Qt's translation (shell/i18n.tr), and every such text
is translated in each catalogue of i18n/ (README "Translations"). The scan and its list of call sites that
count are in scripts/i18n_scan.py (`python3 scripts/i18n.py scan` runs it, `wrap FILE...` fixes findings);
the self-tests below feed it known-bad and known-good snippets.
"""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_script(name):
    spec = importlib.util.spec_from_file_location("terraembed_%s_script" % name, ROOT / "scripts" / ("%s.py" % name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scan = load_script("i18n_scan")
untranslated = scan.untranslated


def test_every_user_facing_text_of_the_shell_is_translatable():
    found = scan.findings()
    assert len(scan.shell_files()) > 40
    assert not found, (
        "wrap these in tr() (shell/i18n.py; `python3 scripts/i18n.py wrap FILE...`), then run "
        "scripts/i18n.py update:\n" + "\n".join(found)
    )


BAD = [
    'p = QgsProcessingParameterRasterLayer("INPUT", "Embedding raster")',
    'p = QgsProcessingParameterEnum("M", tr("Model"), options=["none", "mean"])',
    'p = number_parameter("K", "Clusters", limits.K, 8)',
    'p = QgsProcessingParameterBoolean("W", description="Whiten")',
    'class A:\n    DISPLAY = "Compute embeddings"',
    'class A:\n    HELP = tr("Computes.") + " Device: %s." % x',
    'class A:\n    HELP = tr("Computes.")\n    HELP += "\\n\\nOutput format: GeoParquet."',
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
    'tx.add(polygons, "change areas", POLYGONS)',
    'out = self.destination(parameters, self.OUTPUT, context, "class raster", tx)',
    'f = file_destination(self, parameters, self.OUTPUT, context, tx, "comparison table", CSV)',
    'p = outputs.raster_destination(self, parameters, self.OUTPUT, context, tx, "composite")',
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
    'tx.add(polygons, tr("change areas"), POLYGONS)',
    'seen.add("change areas")',
    'label.setText(tr("Precision: %s") % result["precision"])',
]


@pytest.mark.parametrize("snippet", BAD)
def test_scan_flags_an_untranslated_text(snippet):
    assert untranslated(snippet), snippet


@pytest.mark.parametrize("snippet", GOOD)
def test_scan_accepts_translated_or_technical_text(snippet):
    assert untranslated(snippet) == []


def test_wrap_fixes_what_the_scan_finds(tmp_path):
    path = tmp_path / "box.py"
    path.write_text(
        "from qgis.PyQt.QtWidgets import QLabel\n\nfrom .. import catalogue\n\n"
        'label = QLabel("Choose a layer")\nlabel.setToolTip(f"{n} bands")\n'
    )
    assert scan.wrap(path, rel="ui/box.py") == (1, [6])
    text = path.read_text()
    assert 'QLabel(tr("Choose a layer"))' in text and "from ..shell.i18n import tr\nfrom .. import catalogue" in text
    assert untranslated(text) == ["7: setToolTip: ' bands'"]  # an f-string is rewritten by hand


def test_wrap_fixes_a_worker_message_and_imports_the_workers_tr(tmp_path):
    """`scripts/i18n.py wrap` on a worker file: its errors, ctx.warn and ctx.log messages, engine/i18n's tr."""
    script = load_i18n_script()
    path = tmp_path / "zones.py"
    path.write_text(
        "from ...shared.errors import UserError\n\n\ndef f(ctx, n):\n"
        '    ctx.warn("%d zones are empty." % n)\n    raise UserError("No zone.")\n'
    )
    assert scan.wrap(path, rel="engine/pipeline/zones.py", sites=script.worker_sites) == (2, [])
    text = path.read_text()
    assert 'ctx.warn(tr("%d zones are empty.") % n)' in text and 'UserError(tr("No zone."))' in text
    assert "from ..i18n import tr\n" in text
    assert scan.import_line("shared/periods.py") == "from .i18n import tr"
    assert scan.import_line("models/loader.py") == "from ..engine.i18n import tr"


def load_i18n_script():
    return load_script("i18n")


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


def test_a_text_back_in_the_code_gets_its_kept_translation_back(tmp_path):
    """A text that left the code keeps its translation as "vanished" (not built); when the text is in
    the code again (a merge, a revert), `update` makes it a translation again, so the worker and the
    .qm use it, instead of a "vanished" entry that no check reports."""
    script = load_i18n_script()
    texts = {("TerraEmbed", "The job's %r"): ["shared/keys.py"]}
    path = tmp_path / "terraembed_xx.ts"
    script.write_ts(path, "xx", texts, {("TerraEmbed", "The job's %r"): ("Le paramètre %r du job", "vanished")})
    assert script.read_ts(path) == {("TerraEmbed", "The job's %r"): ("Le paramètre %r du job", "")}
    assert script.problems(path, texts) == []
