"""The panel's warm worker (issue 28), not a test: the sample run twice from the real panel, each
timed from Run to its layers in the project. The first run starts the runtime and loads the model;
the second runs in the warm worker with the model still loaded.

Run with QGIS's Python, from the repository root, after scripts/setup:
    /usr/bin/python3 benchmarks/panel_warm.py [--weights TerraFM-B.pth] [--json OUT]

Offscreen QGIS that calls itself the desktop application (the warm worker is desktop QGIS's), the
panel in a small window (scripts/screenshot_panel.py's), generated test weights unless given.
Prints the two times and whether the second run was served warm; --json writes them.
"""

import argparse
import json
import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import screenshot_panel as desktop_qgis  # noqa: E402  (the shared offscreen desktop)

TARGET_WARM_S = 3.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", help="TerraFM-B weights file (default: generated test weights)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    app, provider = desktop_qgis.start_qgis(platform="desktop")
    from qgis.core import QgsApplication, QgsProject

    desktop_qgis.use_weights(args.weights)
    project = QgsProject.instance()
    sample = desktop_qgis.true_colour_sample(project)
    window, canvas, tree, dock = desktop_qgis.desktop(project)
    dock.source.layer_combo.setLayer(sample)
    dock.output_dir.setFilePath(tempfile.mkdtemp(prefix="terraembed-warm-"))
    logs, finished, times = [], [], []
    dock.runFinished.connect(lambda ok, message: finished.append((ok, message, time.perf_counter())))
    for i in range(2):
        dock.run_name_edit.setText("run%d" % (i + 1))
        dock.log_view.clear()
        t0 = time.perf_counter()
        if not dock.start_run():
            sys.exit("The run did not start: %s" % dock.status_label.text())
        desktop_qgis.wait_until(app, lambda n=i: len(finished) > n, 600, "run %d" % (i + 1))
        ok, message, t1 = finished[-1]
        if not ok:
            sys.exit("Run %d failed: %s" % (i + 1, message))
        times.append(t1 - t0)
        logs.append(dock.log_view.toPlainText())
    figures = {
        "first_run_s": times[0],
        "second_run_s": times[1],
        "second_run_warm": "Runtime already running (warm" in logs[1],
        "first_run_warm": "Runtime already running (warm" in logs[0],
        "model_reused": "reused: already loaded" in logs[1],
    }
    print(
        "Run to layers loaded: first %.2f s (starts the runtime), second %.2f s (%s) -- target <= %.0f s %s"
        % (
            times[0],
            times[1],
            "warm" if figures["second_run_warm"] else "NOT warm",
            TARGET_WARM_S,
            "PASS" if times[1] <= TARGET_WARM_S else "FAIL",
        )
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    dock.shutdown()
    from terraembed.shell import warm

    warm.release_shared()
    QgsApplication.processingRegistry().removeProvider(provider)
    window.deleteLater()
    desktop_qgis.wait(app, 0.2)
    app.exitQgis()


if __name__ == "__main__":
    main()
