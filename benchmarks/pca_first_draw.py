"""The first draw of a full-tile PCA raster in QGIS (not a test): today's plain GeoTIFF against the COG.

Run with QGIS's Python from the repository root (it calls the runtime's Python to write the rasters):
    /usr/bin/python3 benchmarks/pca_first_draw.py [--size 687] [--repeats 5] [--runtime PYTHON]

The runtime writes a size x size x 3 PCA raster (a Sentinel-2 tile's grid: 10980 px / 16 = 687 cells;
smooth scores plus noise, a NaN border) as the embed job wrote it before issue 29 (float32, DEFLATE,
tiles of 16 rows, no overviews: engine/pipeline/outputs.geotiff_profile) and as it writes it now
(engine/pipeline/cog.write_cog: the same with averaged overviews, COG layout). QGIS then opens a fresh copy
of each (a new file name per repeat, so no dataset or block cache is shared), styles it as the plugin
does (algorithms/styling.apply_pca_rgb: a 2-98 % cumulative cut on a 250,000-cell sample) and draws it
at full extent with QgsMapRendererParallelJob on a large and a small canvas. Prints, per layout and
canvas, the median of the repeats: style_ms (open and stretch), draw_ms, first_draw_ms (both), and
the file's size.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess  # nosec B404: the runtime's Python with an argument list
import sys
import tempfile
import textwrap
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANVASES = ((1200, 900), (400, 300))

WRITE = textwrap.dedent(
    """
    import shutil, sys
    import numpy as np
    import rasterio
    from rasterio.enums import ColorInterp
    from rasterio.transform import from_origin
    from terraembed.engine.pipeline.cog import write_cog
    from terraembed.engine.pipeline.outputs import geotiff_profile

    folder, size = sys.argv[1], int(sys.argv[2])
    yy, xx = np.mgrid[0:size, 0:size].astype("float32")
    rng = np.random.default_rng(0)
    scores = np.stack([np.sin(yy / 31.0 + k) * np.cos(xx / 47.0 - k) * (3 - k) for k in range(3)])
    scores += rng.normal(scale=0.2, size=scores.shape).astype("float32")
    scores[:, :, :20] = np.nan
    profile = geotiff_profile(3, size, size, from_origin(300000, 5000040, 160, 160), "EPSG:32633")
    with rasterio.open(folder + "/plain.tif", "w", **profile) as dst:
        dst.write(scores)
        dst.colorinterp = [ColorInterp.red, ColorInterp.green, ColorInterp.blue]
    shutil.copy(folder + "/plain.tif", folder + "/scratch.tif")
    write_cog(folder + "/scratch.tif", folder + "/cog.tif", "deflate")
    """
)


def first_draw(path, width, height):
    """(style_ms, draw_ms) of a fresh layer of path drawn at full extent on a width x height map."""
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRasterLayer
    from qgis.PyQt.QtCore import QSize

    from terraembed.algorithms.styling import apply_pca_rgb

    t0 = time.perf_counter()
    layer = QgsRasterLayer(path, "pca")
    apply_pca_rgb(layer)
    t1 = time.perf_counter()
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(layer.extent())
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    t2 = time.perf_counter()
    assert not job.errors(), [e.message for e in job.errors()]
    return 1000 * (t1 - t0), 1000 * (t2 - t1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=687)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runtime", default=os.environ.get("TERRAEMBED_RUNTIME_PYTHON", ""))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = tempfile.mkdtemp(prefix="terraembed-draw-profile-")
    sys.path.insert(0, os.path.join(REPO, ".build", "pkg"))
    folder = tempfile.mkdtemp(prefix="terraembed-pca-draw-")
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, ".build", "pkg"))
    subprocess.run([args.runtime or "python3", "-c", WRITE, folder, str(args.size)], check=True, env=env)

    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    rows = []
    try:
        for layout in ("plain", "cog"):
            source = os.path.join(folder, layout + ".tif")
            for width, height in CANVASES:
                times = []
                for n in range(args.repeats):
                    copy = os.path.join(folder, "%s-%dx%d-%d.tif" % (layout, width, height, n))
                    shutil.copy(source, copy)
                    times.append(first_draw(copy, width, height))
                style = statistics.median(t[0] for t in times)
                draw = statistics.median(t[1] for t in times)
                row = {"layout": layout, "canvas": "%dx%d" % (width, height), "style_ms": round(style, 1)}
                row.update(draw_ms=round(draw, 1), first_draw_ms=round(style + draw, 1))
                row["file_mb"] = round(os.path.getsize(source) / 1e6, 2)
                rows.append(row)
                print(json.dumps(row), flush=True)
    finally:
        app.exitQgis()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
