"""Every raster the analysis jobs write, from planted embedding rasters wide enough for overviews (520 x 48
cells: overview levels 2 and 4), and what each one is: the resampling its overviews must show, its nodata,
its bands and a tag it carries. Used by tests/engine/test_analysis_cogs.py and, for GDAL's own COG
validator, tests/shell/test_cog_stac.py (through the runtime: `run_all(folder)`)."""

import math
import os

import numpy as np
import synthetic

H, W, D = 48, 520, 16
NAMES = {1: "water", 2: "forest", 3: "urban"}
PERIODS = ["2019", "2020", "2021"]
NAN = float("nan")

# file -> (overview resampling, nodata, bands, a tag it carries)
OUTPUTS = {
    "pca.tif": ("average", NAN, 3, "TERRAEMBED_EXPLAINED_VARIANCE_RATIO"),
    "cluster.tif": ("mode", 0, 1, "TERRAEMBED_CLUSTERS"),
    "classes.tif": ("mode", 0, 1, "TERRAEMBED_METHOD"),
    "probabilities.tif": ("average", NAN, 3, "TERRAEMBED_CLASSES"),
    "uncertainty.tif": ("average", NAN, 2, "TERRAEMBED_MEASURES"),
    "applied.tif": ("mode", 0, 1, "TERRAEMBED_CLASSIFIER"),
    "applied_probabilities.tif": ("average", NAN, 3, "TERRAEMBED_CLASSIFIER"),
    "applied_uncertainty.tif": ("average", NAN, 2, "TERRAEMBED_CLASSIFIER"),
    "similarity.tif": ("average", NAN, 1, "TERRAEMBED_REFERENCE_CELLS"),
    "mask.tif": ("mode", 255, 1, "TERRAEMBED_THRESHOLD"),
    "change.tif": ("average", NAN, 1, "TERRAEMBED_BEFORE"),
    "change_series.tif": ("nearest", NAN, 4, "TERRAEMBED_PERIODS"),
    "change_classes.tif": ("mode", 0, 1, "TERRAEMBED_CLASSES"),
}


def planted(folder, height=H, width=W, move=0.3, per_class=6):
    """Three periods of a planted embedding raster (3 Voronoi classes, nodata punched in and kept in every
    period, the later periods moved by `move` times noise), with per_class labelled points per class:
    {"paths", "labels", "items"}."""
    import rasterio

    labels = synthetic.voronoi_labels(3, height, width, seed=7)
    data, _ = synthetic.embed_labels(labels, bands=D, noise=0.3, seed=7)
    data, invalid = synthetic.punch_nodata(data, seed=7)
    rng = np.random.default_rng(7)
    paths = []
    for n, label in enumerate(PERIODS):
        moved = np.where(invalid, data, data + (move * n * rng.normal(size=data.shape)).astype(np.float32))
        path = synthetic.write_raster(os.path.join(str(folder), "emb_%s.tif" % label), moved)
        with rasterio.open(path, "r+") as ds:
            ds.update_tags(TERRAEMBED_MODEL="terramind_v1_base", TERRAEMBED_DIM=str(D))
        paths.append(str(path))
    items = synthetic.point_labels(labels, invalid, NAMES, per_class, 7)
    return {"paths": paths, "labels": labels, "items": items}


def jobs(inputs, out):
    """The analysis jobs that write every raster of OUTPUTS into the folder out."""
    first, second = inputs["paths"][:2]
    transform = synthetic.grid_transform()
    classifier = os.path.join(str(out), "classifier.json")

    def at(name):
        return os.path.join(str(out), name)

    return [
        {"type": "pca", "input": first, "output": at("pca.tif"), "components": 3},
        {"type": "cluster", "input": first, "output": at("cluster.tif"), "k": 3},
        {
            "type": "classify",
            "input": first,
            "labels": inputs["items"],
            "output": at("classes.tif"),
            "probabilities_output": at("probabilities.tif"),
            "uncertainty_output": at("uncertainty.tif"),
            "classifier_output": classifier,
        },
        {
            "type": "apply_classifier",
            "input": second,
            "classifier": classifier,
            "output": at("applied.tif"),
            "probabilities_output": at("applied_probabilities.tif"),
            "uncertainty_output": at("applied_uncertainty.tif"),
        },
        {
            "type": "similarity",
            "input": first,
            "output": at("similarity.tif"),
            "reference": {"geometries": [synthetic.rect_wkt(transform, 10, 10, 20, 40)]},
            "negatives": {"geometries": [synthetic.rect_wkt(transform, 30, 400, 40, 430)]},
            "threshold": 0.3,
            "mask_output": at("mask.tif"),
        },
        {"type": "change", "before": first, "after": second, "output": at("change.tif")},
        {
            "type": "change_series",
            "inputs": inputs["paths"],
            "labels": PERIODS,
            "output": at("change_series.tif"),
            "classes_output": at("change_classes.tif"),
            "change_step": 0.05,
        },
    ]


def run_all(folder, work=None):
    """The planted inputs in folder, every job's outputs in folder/out (work: the jobs' temporary folder);
    returns (inputs, out)."""
    from terraembed.engine.context import JobContext
    from terraembed.engine.jobs import run_job

    inputs = planted(folder)
    out = os.path.join(str(folder), "out")
    os.makedirs(out, exist_ok=True)
    for job in jobs(inputs, out):
        run_job(dict(job, seed=0), JobContext(work_dir=str(work) if work else None))
    return inputs, out


def same_nodata(a, b):
    return (isinstance(a, float) and math.isnan(a) and b is not None and math.isnan(b)) or a == b
