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


def fewshot_answer(accuracy):
    """An Explore few-shot answer as the worker sends it (engine/analysis/explore.py), its cv_scheme in English."""
    return {
        "classes": ["eau", "forêt"],
        "cv_accuracy": accuracy,
        "cv_folds": 3 if accuracy is not None else 0,
        "cv_scheme": "spatial blocks of 16 x 16 cells",
        "cv_block_cells": 16,
        "round_trip_ms": 12.0,
        "worker_ms": 8.0,
        "ignored": [],
    }


def test_the_explore_validation_scheme_is_said_from_its_numbers(qgis_app, locale, qm_dir):
    """The status line of a few-shot answer says the spatial blocks from the answer's block side
    (cv_block_cells) in the panel's language, whatever language the worker's own words are in."""
    from terraembed.ui.explore_answers import CLASSES, summary

    english = summary(CLASSES, fewshot_answer(0.87)), summary(CLASSES, fewshot_answer(None))
    assert "cross-validated accuracy 87 % (3 folds, spatial blocks of 16 x 16 cells)" in english[0], english
    assert "accuracy: label 2 places per class, 16 x 16 cells apart" in english[1], english
    assert locale("fr_FR", qm_dir) is not None
    french = summary(CLASSES, fewshot_answer(0.87)), summary(CLASSES, fewshot_answer(None))
    assert "exactitude en validation croisée 87 % (3 plis, blocs spatiaux de 16 x 16 cellules)" in french[0], french
    assert "exactitude : étiquetez 2 lieux par classe, distants de 16 x 16 cellules" in french[1], french
    assert not [text for text in french if "spatial" in text or "cells" in text], french


def test_a_cells_change_class_is_said_in_the_panels_language(qgis_app, locale, qm_dir):
    """The timeline answer names the class as the class raster does (catalogue.CHANGE_CLASSES); the caption
    says it in the user's words."""
    from terraembed.ui.timeline import TimelinePart

    answer = {
        "labels": ["2020", "2021", "2022"],
        "to_first": [0.0, 0.6, 0.6],
        "to_previous": [None, 0.6, 0.01],
        "break": 2,
        "break_label": "2021",
        "class": "one break",
        "change_step": 0.3,
        "row": 4,
        "col": 7,
    }
    part = TimelinePart()
    part.show_timeline(answer)
    assert "Cell (row 4, column 7): one break; largest step 0.600, ending in 2021." in part.caption.text()
    assert locale("fr_FR", qm_dir) is not None
    part.show_timeline(dict(answer, **{"class": "repeated change"}))
    assert ": changement répété ;" in part.caption.text() and "repeated" not in part.caption.text()
    part.deleteLater()
