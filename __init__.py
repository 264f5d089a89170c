"""TerraEmbed QGIS plugin.

This package is imported in two places: by QGIS (the shell: plugin.py, algorithms/, ui/, shell/)
and by the runtime worker (the engine: engine/, models/); both load shared/. So nothing here imports
qgis at module level.
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import TerraEmbedPlugin

    return TerraEmbedPlugin(iface)
