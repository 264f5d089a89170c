"""Desktop QGIS (the real `qgis` binary on a virtual X screen) loads the enabled plugin: the provider with
every algorithm, and the panel and settings entries in the menus."""

import json
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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
    config = tmp_path / "config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    os.symlink(REPO, plugins / "terraembed")
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(config))
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) X display this time
    subprocess.run(
        ["/usr/bin/qgis_process.bin", "plugins", "enable", "terraembed"],
        check=True,
        capture_output=True,
        env=dict(env, QT_QPA_PLATFORM="offscreen"),
    )
    result = tmp_path / "result.json"
    script = tmp_path / "startup.py"
    script.write_text(STARTUP % str(result))
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "qgis",
            "--nologo",
            "--noversioncheck",
            "--code",
            str(script),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
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
