"""The plugin in the user's language (README "Translations"): plugin.py installs the .qm built from
i18n/terraembed_<lang>.ts for QGIS's locale setting, the panel shows the translated texts, a locale with
no catalogue is English without a word, a damaged catalogue is English with one warning."""

import importlib
import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QAbstractButton, QGroupBox, QLabel

from terraembed import plugin as plugin_module
from terraembed.shared import transaction
from terraembed.shell import i18n

REPO = Path(__file__).resolve().parents[2]


def load_panel_helpers():
    """test_ui_panel.py's DesktopIface, Plugin and process_events (one desktop stand-in for the shell tests)."""
    spec = importlib.util.spec_from_file_location("terraembed_panel_helpers", REPO / "tests/shell/test_ui_panel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory):
    """The catalogues compiled with lrelease, as scripts/package and scripts/setup do."""
    out = tmp_path_factory.mktemp("qm")
    subprocess.run([sys.executable, str(REPO / "scripts" / "i18n.py"), "build", str(out)], check=True)
    assert (out / "terraembed_fr.qm").is_file()
    return out


def import_the_shell_in_english():
    """Every shell module imported before a translator is: a module first imported while one is installed
    would keep its constants (DISPLAY, HELP, layer names) in French for the rest of the session."""
    for folder in ("algorithms", "ui", "runtime"):
        for path in sorted((REPO / folder).glob("*.py")):
            if path.stem != "__init__":
                importlib.import_module("terraembed.%s.%s" % (folder, path.stem))


@pytest.fixture
def locale(monkeypatch):
    """Sets QGIS's locale setting for one test (restored after), and removes what load_translator installed."""
    import_the_shell_in_english()
    settings = QgsSettings()
    before = settings.value("locale/userLocale", "")
    installed = []

    def use(value, folder):
        settings.setValue("locale/userLocale", value)
        monkeypatch.setattr(i18n, "I18N_DIR", str(folder))
        translator = plugin_module.load_translator()
        installed.append(translator)
        return translator

    yield use
    for translator in installed:
        if translator is not None:
            QCoreApplication.removeTranslator(translator)
    i18n.set_language(i18n.ENGLISH)
    settings.setValue("locale/userLocale", before)


def log_messages():
    found = []
    QgsApplication.messageLog().messageReceived.connect(lambda message, tag, level: found.append((tag, message)))
    return found


def french_catalogue():
    root = ET.parse(REPO / "i18n" / "terraembed_fr.ts").getroot()
    return {m.findtext("source"): m.findtext("translation") for m in root.iter("message")}


def test_french_locale_translates_through_qt(qgis_app, locale, qm_dir):
    assert locale("fr_FR", qm_dir) is not None
    assert i18n.tr("Compute embeddings") == "Calculer les embeddings"
    assert i18n.language() == "fr"  # what jobs are sent with (engine/i18n.py)
    assert transaction.tr("The %s needs a file name.") == "La sortie « %s » demande un nom de fichier."


def test_a_locale_without_catalogue_is_english_silently(qgis_app, locale, qm_dir):
    messages = log_messages()
    for value in ("xx_YY", "en_US", ""):
        assert locale(value, qm_dir) is None
        assert i18n.tr("Compute embeddings") == "Compute embeddings" and i18n.language() == "en"
    QCoreApplication.processEvents()
    assert not [m for m in messages if m[0] == "TerraEmbed"]


def test_a_damaged_catalogue_is_english_with_one_warning(qgis_app, locale, tmp_path):
    (tmp_path / "terraembed_fr.qm").write_bytes(b"\x3c\xb8\x64\x18not a catalogue" * 20)
    messages = log_messages()
    assert locale("fr_FR", tmp_path) is None and locale("fr", tmp_path) is None
    QCoreApplication.processEvents()
    warnings = [m for tag, m in messages if tag == "TerraEmbed"]
    assert len(warnings) == 1 and "terraembed_fr.qm cannot be read" in warnings[0], messages
    assert i18n.tr("Compute embeddings") == "Compute embeddings" and i18n.language() == "en"


def widget_texts(root):
    texts = [w.title() for w in root.findChildren(QGroupBox)]
    texts += [w.text() for w in root.findChildren(QAbstractButton)] + [w.text() for w in root.findChildren(QLabel)]
    texts += [w.toolTip() for w in root.findChildren(QAbstractButton)]
    return [t for t in texts if t]


def test_the_panel_is_in_french(qgis_app, runtime_python, locale, qm_dir, monkeypatch):
    helpers = load_panel_helpers()
    assert locale("fr_FR", qm_dir) is not None
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    iface = helpers.DesktopIface()
    plugin = helpers.Plugin(iface)
    from terraembed.ui import gui

    gui.install_gui(plugin)
    try:
        assert plugin.action.text() == "Panneau TerraEmbed"
        plugin.action.trigger()
        dock = plugin.dock
        texts = widget_texts(dock)
        for french in ("Zone d'intérêt", "Options et sortie", "Lancer", "Vérifier l'environnement", "Dessinez"):
            assert any(french in text for text in texts), (french, texts)
        catalogue = french_catalogue()
        english = [t for t in texts if t in catalogue and catalogue[t] != t]
        assert not english, "shown in English although translated: %s" % english
        dock.source.combo.setCurrentIndex(dock.source.combo.findData("earthengine"))  # no area of interest
        assert dock.source.combo.currentText() == "Google Earth Engine"
        assert not dock.start_run()
        assert "Earth Engine demande une zone d'intérêt" in dock.status_label.text()
    finally:
        gui.remove_gui(plugin)
        iface.window.close()
        iface.window.deleteLater()
        helpers.process_events()
