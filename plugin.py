"""The QGIS plugin object. Importing it does no GUI, network or auth work; iface may be None
(qgis_process)."""

import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .shell import i18n

PLUGIN_DIR = os.path.dirname(__file__)


def load_translator():
    """A QTranslator installed for QGIS's locale (the "locale/userLocale" setting, else the system's),
    or None: English, silently, where the plugin has no catalogue for it (i18n/terraembed_<lang>.qm);
    English with one warning in the log where the catalogue cannot be loaded (a damaged file)."""
    language = i18n.language_of(QgsSettings().value("locale/userLocale", "") or QLocale().name())
    path = i18n.catalogue_path(language)
    if language == i18n.ENGLISH or not os.path.isfile(path):
        return None
    translator = QTranslator()
    if not translator.load(path) or translator.isEmpty():
        if i18n.warn_once(path):
            message = i18n.tr("The translation file %s cannot be read (damaged?); TerraEmbed is shown in English.")
            QgsMessageLog.logMessage(message % path, "TerraEmbed", Qgis.MessageLevel.Warning)
        return None
    QCoreApplication.installTranslator(translator)
    i18n.set_language(language)
    return translator


class TerraEmbedPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.dock = None
        self.action = None
        self.translator = None

    # qgis_process calls only this hook
    def initProcessing(self):  # noqa: N802 (QGIS's name)
        if self.provider is not None:
            return
        if self.translator is None:  # before the algorithms' modules: their texts are translated as defined
            self.translator = load_translator()
        from .algorithms.provider import TerraEmbedProvider

        provider = TerraEmbedProvider()
        # addProvider refuses (and deletes) a provider whose id is already registered
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider

    def initGui(self):  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        try:
            from .ui.gui import install_gui
        except ImportError:
            return
        install_gui(self)

    def unload(self):
        if self.iface is not None:
            try:
                from .ui.gui import remove_gui
            except ImportError:
                remove_gui = None
            if remove_gui:
                remove_gui(self)
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        from .shell import warm

        warm.release_shared()  # the panel's warm worker ends with the plugin
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
            i18n.set_language(i18n.ENGLISH)
