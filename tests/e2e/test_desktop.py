"""Desktop QGIS (the real `qgis` binary on a virtual X screen) loads the enabled plugin: the provider with
every algorithm, and the panel and settings entries in the menus."""

import json

from conftest import run_desktop_qgis

STARTUP = """
import json
from qgis.core import QgsApplication
from qgis.utils import iface, active_plugins
from qgis.PyQt.QtCore import QTimer

def report():
    provider = QgsApplication.processingRegistry().providerById("terraembed")
    actions = [a.text() for a in iface.mainWindow().findChildren(type(iface.actionExit())) if "TerraEmbed" in a.text()]
    with open(%r, "w") as f:
        json.dump({"provider": provider is not None, "active": "terraembed" in active_plugins,
                   "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
                   "actions": sorted(set(actions))}, f)
    QgsApplication.exit(0)

QTimer.singleShot(2000, report)
"""


def test_desktop_qgis_shows_the_provider_and_the_panel_entries(tmp_path):
    result = tmp_path / "result.json"
    script = tmp_path / "startup.py"
    script.write_text(STARTUP % str(result))
    proc = run_desktop_qgis(tmp_path, script)
    assert result.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(result.read_text())
    assert data["provider"] and data["active"]
    assert {
        "terraembed:embed",
        "terraembed:check_environment",
        "terraembed:install_runtime",
        "terraembed:cluster",
    } <= set(data["algorithms"])
    assert "TerraEmbed panel" in data["actions"] and "TerraEmbed settings..." in data["actions"]
