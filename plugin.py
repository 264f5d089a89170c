"""The QGIS plugin object. Importing it does no GUI, network or auth work; iface may be None
(qgis_process)."""

import os

from qgis.core import QgsApplication

PLUGIN_DIR = os.path.dirname(__file__)


class TerraEmbedPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.dock = None
        self.action = None

    # qgis_process calls only this hook
    def initProcessing(self):  # noqa: N802 (QGIS's name)
        if self.provider is not None:
            return
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
