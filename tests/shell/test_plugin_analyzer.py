"""qgis-plugin-analyzer (pinned in requirements/dev.lock, run with the runtime's Python) finds no
MISSING_I18N in the shipped shell code: plugin.py, __init__.py, algorithms/, ui/, shell/. A user-facing
literal outside tr() fails here as in the plugin repository's own checks; a literal that is no text is
marked `# no-i18n` on its line (the analyzer's own exclusion, also read by tests/quick/test_i18n.py)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHIPPED_SHELL = ("plugin.py", "__init__.py", "metadata.txt", "algorithms", "ui", "shell")


def analyse(runtime_python, plugin_dir):
    """{file: [messages]} of the analyzer's MISSING_I18N findings for a plugin folder."""
    proc = subprocess.run(
        [runtime_python, "-m", "analyzer.main", "analyze", "i18n", str(plugin_dir), "--json", "--linters", "none"]
        + ["--no-cache"],
        capture_output=True,
        text=True,
        cwd=plugin_dir.parent,
        timeout=300,
    )
    if "No module named analyzer" in proc.stderr:
        pytest.fail("qgis-plugin-analyzer is missing from the runtime: scripts/setup --dev installs dev.lock's pins")
    assert proc.returncode == 0 and proc.stdout.lstrip().startswith("{"), proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["analyzer_version"] == "1.18.0"
    found = {}
    for module in report["modules"]:
        for issue in module.get("ast_issues", []):
            if issue.get("type") == "MISSING_I18N":
                found.setdefault(module["path"], []).append("%s: %s" % (issue["line"], issue["message"]))
    return report, found


def shell_copy(tmp_path):
    plugin = tmp_path / "terraembed"
    plugin.mkdir()
    for name in SHIPPED_SHELL:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, plugin / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, plugin / name)
    return plugin


def test_no_missing_i18n_in_the_shipped_shell_code(runtime_python, tmp_path):
    report, found = analyse(runtime_python, shell_copy(tmp_path))
    assert report["metrics"]["total_files"] > 40
    assert not found, json.dumps(found, indent=1)


def test_the_analyzer_finds_an_untranslated_text(runtime_python, tmp_path):
    """The check can fail: a planted literal in a copy of the panel is reported."""
    plugin = shell_copy(tmp_path)
    dock = plugin / "ui" / "dock.py"
    dock.write_text(dock.read_text() + '\n\nPLANTED = QLabel("Choose a raster layer first.")\n')
    _, found = analyse(runtime_python, plugin)
    assert list(found) == ["ui/dock.py"] and "Choose a raster layer first." in found["ui/dock.py"][0]
