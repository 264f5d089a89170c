"""Render one HTML report per job type to docs/images/report-<type>.png.

Runs the real jobs in the runtime's Python (no QGIS) on synthetic embeddings with planted structure
(analysis jobs) and on sample/s2_sample.tif with random-init TerraFM-B weights (embedding jobs, so
the report shows its random-weights alert), then screenshots each report with headless Chromium:
    $RUNTIME_PYTHON scripts/screenshot_reports.py [--out docs/images] [--keep folder]
Chromium comes from the distribution (apt-get install chromium); the PNGs are reduced to 256 colours
with Pillow (a matplotlib dependency) to stay small.
"""

import argparse
import os
import shutil

# B404: chromium with an argument list, never a shell
import subprocess  # nosec B404
import sys
import tempfile

from package_path import package_path

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def jobs(tmp):
    """(name, job spec) for every report type."""
    import numpy as np
    import synthetic as s  # tests/engine/synthetic.py

    labels = s.voronoi_labels(4, 120, 160, seed=7)
    data, _ = s.embed_labels(labels, bands=64, noise=0.9, seed=7)
    data, invalid = s.punch_nodata(data, seed=7, strip=False)
    emb = s.write_raster(os.path.join(tmp, "embeddings_2023.tif"), data)
    noisy, _ = s.embed_labels(labels, bands=64, noise=4.0, seed=7)  # classes that overlap a little
    noisy = s.write_raster(os.path.join(tmp, "embeddings_noisy.tif"), noisy)
    later = data.copy()
    rng = np.random.default_rng(8)
    later[:, 30:70, 60:120] = rng.normal(size=(64, 40, 60)) * 0.9 + rng.normal(size=(64, 1, 1))
    later += 0.2 * rng.normal(size=later.shape).astype(np.float32)
    after = s.write_raster(os.path.join(tmp, "embeddings_2024.tif"), later)
    tf = s.grid_transform()
    names = {1: "cropland", 2: "forest", 3: "water", 4: "built-up"}
    training = []
    for code, name in names.items():
        rows, cols = np.nonzero((labels == code) & ~invalid)
        for i in rng.choice(len(rows), 4, replace=False):
            r, c = int(rows[i]), int(cols[i])
            training.append({"wkt": s.rect_wkt(tf, max(r - 1, 0), max(c - 1, 0), r + 2, c + 2), "label": name})
    rows, cols = np.nonzero((labels == 3) & ~invalid)
    reference = [s.point_wkt(tf, int(rows[i]), int(cols[i])) for i in (0, len(rows) // 2)]
    out = lambda name: os.path.join(tmp, name)  # noqa: E731
    sample = os.path.join(REPO, "sample", "s2_sample.tif")
    model = {"model": "terrafm_b_s2", "weights": {"random_init": True, "seed": 0}, "device": "cpu"}
    return [
        (
            "embed",
            dict(
                model,
                type="embed",
                source={"kind": "raster", "path": sample, "name": "s2_sample"},
                prep="tile",
                outputs={"grid": out("grid.tif"), "pca": out("pca_rgb.tif"), "pca_components": 3},
            ),
        ),
        (
            "embed_features",
            dict(
                model,
                type="embed_features",
                source={"kind": "raster", "path": sample},
                features=[
                    {"id": i, "bounds": [x, y, x + 500, y + 500]}
                    for i, (x, y) in enumerate(
                        [(400700, 5299000), (401500, 5298300), (402400, 5299300), (402600, 5297500), (390000, 5290000)]
                    )
                ],
            ),
        ),  # the last is outside
        ("pca", {"type": "pca", "input": emb, "output": out("pca.tif"), "components": 8}),
        ("cluster", {"type": "cluster", "input": emb, "output": out("clusters.tif"), "k": "auto", "k_range": [2, 9]}),
        (
            "classify",
            {
                "type": "classify",
                "input": noisy,
                "output": out("classes.tif"),
                "labels": training,
                "cv_folds": 4,
                "report_output": out("accuracy.csv"),
            },
        ),
        (
            "similarity",
            {
                "type": "similarity",
                "input": emb,
                "output": out("similarity.tif"),
                "reference": {"geometries": reference},
                "threshold": 0.6,
                "mask_output": out("similar.tif"),
            },
        ),
        ("change", {"type": "change", "before": emb, "after": after, "output": out("change.tif"), "threshold": 0.5}),
    ]


def screenshot(chromium, html_path, png_path, size):
    profile = tempfile.mkdtemp(prefix="terraembed-chromium-")
    try:
        subprocess.run(
            [chromium]
            + CHROMIUM_FLAGS
            + [
                "--user-data-dir=" + profile,
                "--screenshot=" + png_path,
                "--window-size=%s" % size,
                "file://" + os.path.abspath(html_path),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    from PIL import Image

    with Image.open(png_path) as image:
        small = image.convert("RGB").quantize(colors=256)
    small.save(png_path, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "images"))
    parser.add_argument("--keep", help="write the data and the HTML reports into this folder")
    parser.add_argument("--size", default="1000,1400", help="window size in pixels (width,height)")
    parser.add_argument("--only", nargs="*", help="job types to render (default: all)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Chromium is needed: apt-get install chromium")
    sys.path.insert(0, package_path())
    sys.path.insert(0, os.path.join(REPO, "tests", "engine"))  # the synthetic rasters of the tests
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from terraembed.engine.context import JobContext
    from terraembed.engine.jobs import run_job

    tmp = args.keep or tempfile.mkdtemp(prefix="terraembed-reports-")
    os.makedirs(tmp, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    for name, spec in jobs(tmp):
        if args.only and name not in args.only:
            continue
        html_path = os.path.join(tmp, "report-%s.html" % name.replace("_", "-"))
        run_job(dict(spec, html_report=html_path), JobContext())
        png = os.path.join(args.out, "report-%s.png" % name.replace("_", "-"))
        screenshot(chromium, html_path, png, args.size)
        print("%s: %d KB" % (png, os.path.getsize(png) // 1024))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
