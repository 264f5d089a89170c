"""Desktop GUI hooks called by plugin.py: a toolbar button and Plugins/Raster menu entries that show
the TerraEmbed panel (created on first use), and a settings entry. Needs an iface; nothing here runs
under qgis_process."""

from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon

try:
    from qgis.PyQt.QtGui import QAction  # Qt6: QAction lives in QtGui
except ImportError:
    from qgis.PyQt.QtWidgets import QAction  # Qt5

from ..shared import catalogue
from ..shell.i18n import tr
from .settings_dialog import open_settings

MENU = "&TerraEmbed"


def install_gui(plugin):
    """Add the panel action (toolbar, Plugins and Raster menus) and the settings action to plugin.iface.
    Sets plugin.action, plugin.settings_action and (lazily) plugin.dock."""
    iface = plugin.iface
    parent = iface.mainWindow()
    action = QAction(QIcon(catalogue.ICON), tr("TerraEmbed panel"), parent)
    action.setObjectName("TerraEmbedPanelAction")
    action.setToolTip(tr("TerraEmbed: compute foundation-model embeddings for an area (panel)"))
    action.setCheckable(True)
    action.triggered.connect(lambda checked: show_panel(plugin, checked))
    settings_action = QAction(tr("TerraEmbed settings..."), parent)
    settings_action.setObjectName("TerraEmbedSettingsAction")
    settings_action.triggered.connect(lambda: open_settings(plugin.iface.mainWindow(), plugin.dock))
    iface.addToolBarIcon(action)
    for add in (iface.addPluginToMenu, iface.addPluginToRasterMenu):
        add(MENU, action)
        add(MENU, settings_action)
    plugin.action = action
    plugin.settings_action = settings_action
    plugin.dock = getattr(plugin, "dock", None)


def create_dock(plugin):
    from .dock import TerraEmbedDock

    iface = plugin.iface
    dock = TerraEmbedDock(iface.mapCanvas(), iface.messageBar(), QgsProject.instance(), iface.mainWindow())
    iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.closedStateChanged.connect(lambda closed: plugin.action.setChecked(not closed))
    plugin.dock = dock
    return dock


def show_panel(plugin, visible=True):
    """Show (creating it on first use) or hide the panel; returns the dock."""
    dock = plugin.dock or create_dock(plugin)
    dock.setUserVisible(bool(visible))
    if visible:
        dock.raise_()
    if plugin.action is not None and plugin.action.isChecked() != bool(visible):
        plugin.action.setChecked(bool(visible))
    return dock


def remove_gui(plugin):
    """Undo install_gui: cancel running panel work, remove the dock, menus and toolbar button."""
    iface = plugin.iface
    dock = getattr(plugin, "dock", None)
    if dock is not None:
        dock.shutdown()
        iface.removeDockWidget(dock)
        dock.setParent(None)
        dock.deleteLater()
        plugin.dock = None
    for action in (getattr(plugin, "action", None), getattr(plugin, "settings_action", None)):
        if action is None:
            continue
        iface.removePluginMenu(MENU, action)
        iface.removePluginRasterMenu(MENU, action)
        iface.removeToolBarIcon(action)
        action.deleteLater()
    plugin.action = None
    plugin.settings_action = None
