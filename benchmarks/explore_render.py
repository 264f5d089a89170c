"""Explore with QGIS drawing the answers (not a test): click to the heat map drawn on a map canvas.

Run with QGIS's Python (benchmarks/explore_speed.py calls it when QGIS is there):
    /usr/bin/python3 benchmarks/explore_render.py GRID [--storage auto] [--clicks 20]

Offscreen QGIS, the panel's ExploreController (the real worker and session), a 1200 x 900 canvas
showing the live heat map. Each click is a positive at a random valid cell; timed from the click to
the canvas's `mapCanvasRefreshed` after the new map was shown (the answer through the pipe, the layer
switched to the new file, restyled and drawn). Prints one JSON line: click_ms_render (all),
answer_ms (click to answer in QGIS), qgis_rss_growth_mb (this process's VmRSS after the clicks minus
before the session).
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grid")
    parser.add_argument("--storage", default="auto")
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = tempfile.mkdtemp(prefix="terraembed-render-profile-")
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    from package_path import package_path

    sys.path.insert(0, package_path())

    from qgis.core import QgsApplication, QgsPointXY, QgsProject, QgsRasterLayer
    from qgis.gui import QgsMapCanvas

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], True)
    app.initQgis()
    from terraembed.ui.explore import ExploreController

    def pump(condition, timeout=600.0):
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                sys.exit("timed out")
            app.processEvents()
            time.sleep(0.001)

    project = QgsProject.instance()
    grid = QgsRasterLayer(args.grid, "grid")
    project.addMapLayer(grid)
    canvas = QgsMapCanvas()
    canvas.resize(1200, 900)
    canvas.show()
    canvas.setDestinationCrs(grid.crs())
    canvas.setExtent(grid.extent())
    before = rss_mb()
    controller = ExploreController(project, storage=args.storage)
    answers = []
    controller.answered.connect(lambda op, result: answers.append((op, time.perf_counter())))
    controller.start(grid)
    pump(lambda: controller.info is not None)
    drawn = []
    canvas.mapCanvasRefreshed.connect(lambda: drawn.append(time.perf_counter()))
    extent, rng = grid.extent(), random.Random(0)
    render, answer = [], []
    for _ in range(args.clicks):
        point = QgsPointXY(
            rng.uniform(extent.xMinimum(), extent.xMaximum()), rng.uniform(extent.yMinimum(), extent.yMaximum())
        )
        n_answers, t0 = len([a for a in answers if a[0] == "similarity"]), time.perf_counter()
        controller.add(point, grid.crs(), 1)
        pump(lambda n=n_answers: len([a for a in answers if a[0] == "similarity"]) > n)
        t_answer = [a for a in answers if a[0] == "similarity"][-1][1]
        heat = controller.live["heat"]
        if canvas.layers() != [heat]:
            canvas.setLayers([heat])
        n_drawn = len(drawn)
        canvas.refresh()
        pump(lambda n=n_drawn: len(drawn) > n)
        render.append(1000 * (drawn[-1] - t0))
        answer.append(1000 * (t_answer - t0))
        pump(lambda t0=t_answer: any(op == "outline" and t > t0 for op, t in answers), timeout=60)  # as between clicks
    growth = rss_mb() - before
    controller.shutdown()
    print(json.dumps({"click_ms_render": render, "answer_ms": answer, "qgis_rss_growth_mb": growth}))
    app.exitQgis()


if __name__ == "__main__":
    main()
