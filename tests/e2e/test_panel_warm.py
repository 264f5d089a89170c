"""The panel's warm worker in a QGIS that is the desktop application: the sample run twice from the
panel, the second in the same runtime with the model still loaded (benchmarks/panel_warm.py, which
also times them)."""

import json
import os
import subprocess
import sys

from conftest import REPO, RUNTIME_PYTHON


def test_the_second_panel_run_is_served_by_the_warm_worker(tmp_path):
    out = tmp_path / "warm.json"
    env = dict(os.environ, TERRAEMBED_RUNTIME_PYTHON=RUNTIME_PYTHON, QT_QPA_PLATFORM="offscreen")
    env.pop("TERRAEMBED_WARM_MINUTES", None)  # the default: 5 minutes
    proc = subprocess.run(
        [sys.executable, os.path.join(REPO, "benchmarks", "panel_warm.py"), "--json", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0 and out.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert not figures["first_run_warm"] and figures["second_run_warm"] and figures["model_reused"]
