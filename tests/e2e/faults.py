"""Helpers of the fault tests through qgis_process: file hashes, worker processes, inputs made by
the runtime's own libraries, read-only bind mounts and small tmpfs mounts (root only)."""

import contextlib
import hashlib
import os
import subprocess

import pytest

QGIS_PROCESS = "/usr/bin/qgis_process.bin"
RUNTIME_PYTHON = os.environ.get("TERRAEMBED_RUNTIME_PYTHON", "")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="read-only bind mounts and tmpfs mounts need root (as in CI)")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(folder):
    """{relative path: sha256} of every file under folder, and every folder (value None)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[os.path.relpath(os.path.join(root, name), folder)] = None
        for name in files:
            found[os.path.relpath(os.path.join(root, name), folder)] = digest(os.path.join(root, name))
    return found


def workers_of(session):
    """Pids of the TerraEmbed workers in a process session (read from /proc: no procps needed)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                command = f.read().replace(b"\0", b" ")
            if os.getsid(int(entry)) == session and b"terraembed.engine" in command:
                pids.append(int(entry))
        except OSError:
            continue
    return pids


def runtime_run(code, *args):
    """Run Python code in the runtime (rasterio, numpy, the plugin's engine on the path)."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".build", "pkg"), os.path.join(REPO, "tests", "engine")]),
    )
    subprocess.run([RUNTIME_PYTHON, "-c", code, *map(str, args)], check=True, env=env)


def make_raster(path, size):
    """A size x size 12-band Sentinel-2-like raster (EPSG:32633, 10 m pixels from 400000, 5300000)."""
    runtime_run(
        "import sys, numpy as np, rasterio; from rasterio.transform import from_origin\n"
        "n = int(sys.argv[2]); rng = np.random.default_rng(0)\n"
        "data = rng.integers(200, 4000, (12, n, n)).astype('uint16')\n"
        "with rasterio.open(sys.argv[1], 'w', driver='GTiff', width=n, height=n, count=12, dtype='uint16',"
        " crs='EPSG:32633', transform=from_origin(400000, 5300000, 10, 10)) as dst: dst.write(data)\n",
        path,
        size,
    )
    return str(path)


def make_embeddings(path, height, width, bands=16, seed=1):
    """An embedding raster of three planted classes (tests/engine/synthetic.py: EPSG:32633, 10 m cells
    from 500000, 4200000)."""
    runtime_run(
        "import sys\nimport synthetic as s\n"
        "h, w, d, seed = (int(v) for v in sys.argv[2:6])\n"
        "labels = s.voronoi_labels(3, h, w, seed=seed)\n"
        "data, _ = s.embed_labels(labels, bands=d, noise=0.3, seed=seed)\n"
        "s.write_raster(sys.argv[1], data)\n",
        path,
        height,
        width,
        bands,
        seed,
    )
    return str(path)


def make_classifier(path, raster):
    """A classifier saved by the classify job (engine/analysis/classifier_file.py), fitted on a raster of
    make_embeddings: two classes, left and right of its middle column."""
    runtime_run(
        "import sys, rasterio\n"
        "from terraembed.engine.jobs import run_job\nfrom terraembed.engine.context import JobContext\n"
        "import synthetic as s\n"
        "w = rasterio.open(sys.argv[2]).width\ntf = s.grid_transform()\n"
        "labels = [{'wkt': s.point_wkt(tf, r, c), 'label': 'a' if c < w // 2 else 'b'}\n"
        "          for r in (3, 9, 15) for c in (2, 5, w - 6, w - 3)]\n"
        "run_job({'type': 'classify', 'input': sys.argv[2], 'output': sys.argv[1] + '.tif', 'labels': labels,\n"
        "         'cv_folds': 0, 'classifier_output': sys.argv[1]}, JobContext())\n",
        path,
        raster,
    )
    os.remove(str(path) + ".tif")
    return str(path)


def write_points(path, points, epsg=32633):
    """A GeoJSON point layer: points = [(x, y, {field: value})]."""
    import json

    features = [
        {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [x, y]}}
        for x, y, props in points
    ]
    with open(path, "w") as f:
        json.dump(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::%d" % epsg}},
                "features": features,
            },
            f,
        )
    return str(path)


def mount(target, *args):
    os.makedirs(target, exist_ok=True)
    subprocess.run(["mount", *args, str(target)], check=True)
    return target


def umount(target):
    subprocess.run(["umount", str(target)], check=True)


@contextlib.contextmanager
def read_only_view(real, view):
    """view: a read-only bind mount of the folder real (root only)."""
    mount(view, "--bind", str(real))
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        yield view
    finally:
        umount(view)
