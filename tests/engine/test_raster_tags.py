"""The raster-tag convention (shared/raster_tags.py): every dataset tag the analysis jobs write is named
TERRAEMBED_<UPPER_SNAKE> (GDAL's own names excepted), and the names of earlier versions still read."""

import json
import os
import re

import analysis_outputs
import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared import raster_tags

CONVENTION = re.compile(r"^TERRAEMBED_[A-Z0-9_]+$")
GDAL_OWN = re.compile(r"^(AREA_OR_POINT|STATISTICS_[A-Z]+)$")  # written by GDAL itself, not by us
H, W = 24, 30
NAMES, PERIODS = analysis_outputs.NAMES, analysis_outputs.PERIODS


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return analysis_outputs.planted(tmp_path_factory.mktemp("tags"), height=H, width=W, move=0.05, per_class=4)


def _jobs(planted, out):
    first, second = planted["paths"][:2]
    reference = {"geometries": [synthetic.rect_wkt(synthetic.grid_transform(), 4, 4, 8, 8)]}
    classifier = str(out / "classifier.json")
    return [
        {"type": "pca", "input": first, "output": str(out / "pca.tif"), "components": 3, "whiten": True},
        {"type": "cluster", "input": first, "output": str(out / "cluster.tif"), "k": 3},
        {
            "type": "classify",
            "input": first,
            "labels": planted["items"],
            "output": str(out / "classes.tif"),
            "probabilities_output": str(out / "probabilities.tif"),
            "uncertainty_output": str(out / "uncertainty.tif"),
            "classifier_output": classifier,
        },
        {"type": "apply_classifier", "input": second, "classifier": classifier, "output": str(out / "applied.tif")},
        {
            "type": "similarity",
            "input": first,
            "output": str(out / "similarity.tif"),
            "reference": reference,
            "negatives": {"geometries": [synthetic.rect_wkt(synthetic.grid_transform(), 16, 20, 20, 24)]},
            "threshold": 0.5,
            "mask_output": str(out / "mask.tif"),
        },
        {"type": "change", "before": first, "after": second, "output": str(out / "change.tif")},
        {
            "type": "change_series",
            "inputs": planted["paths"],
            "labels": PERIODS,
            "output": str(out / "change_series.tif"),
            "classes_output": str(out / "change_classes.tif"),
        },
    ]


def _names(path):
    """Every tag name of the raster at path: the dataset's and each band's."""
    with rasterio.open(path) as ds:
        names = set(ds.tags())
        for band in range(1, ds.count + 1):
            names |= set(ds.tags(band))
    return names


def test_every_tag_an_analysis_job_writes_follows_the_convention(planted, tmp_path):
    written = {}
    for job in _jobs(planted, tmp_path):
        run_job(dict(job, seed=0), JobContext())
    for path in sorted(tmp_path.glob("*.tif")):
        written[path.name] = _names(path)
    assert len(written) == 11  # every raster output of the seven jobs
    wrong = {name: sorted(n for n in names if not CONVENTION.match(n) and not GDAL_OWN.match(n))
             for name, names in written.items()}  # fmt: skip
    assert not any(wrong.values()), wrong
    assert all(any(CONVENTION.match(n) for n in names) for names in written.values())  # uncertainty too
    named = set().union(*written.values())
    constants = {value for key, value in vars(raster_tags).items() if key.isupper() and isinstance(value, str)}
    assert {n for n in named if CONVENTION.match(n)} <= constants  # every name written is defined once
    with rasterio.open(tmp_path / "classes.tif") as ds:
        assert raster_tags.classes(ds.tags()) == list(NAMES.values())
        assert ds.tags()["TERRAEMBED_SOURCE"] == planted["paths"][0]
    with rasterio.open(tmp_path / "mask.tif") as ds:
        assert float(ds.tags()["TERRAEMBED_THRESHOLD"]) == 0.5
    with rasterio.open(tmp_path / "change_series.tif") as ds:
        assert json.loads(ds.tags()["TERRAEMBED_PERIODS"]) == PERIODS


# what TerraEmbed 0.1 wrote on a PCA raster and a class raster
OLD_PCA = {"explained_variance_ratio": "[0.5, 0.25, 0.125]", "explained_variance": "[4.0, 2.0, 1.0]",
           "whiten": "false", "seed": "0", "n_samples": "600", "source": "/data/emb.tif"}  # fmt: skip
OLD_CLASSES = {"CLASS_1": "water", "CLASS_2": "forest", "k": "2", "nodata_class": "0", "inertia": "12.5"}


def test_rasters_with_the_old_names_still_read(planted, tmp_path):
    data = np.random.default_rng(1).normal(size=(3, H, W)).astype(np.float32)
    old = synthetic.write_raster(tmp_path / "old_pca.tif", data)
    bare = synthetic.write_raster(tmp_path / "bare.tif", data)
    with rasterio.open(old, "r+") as ds:
        ds.update_tags(**OLD_PCA)
    with rasterio.open(old) as ds:
        tags = ds.tags()
    assert json.loads(raster_tags.read(tags, raster_tags.EXPLAINED_VARIANCE_RATIO)) == [0.5, 0.25, 0.125]
    assert raster_tags.read(tags, raster_tags.PCA_FITTED_CELLS) == "600"
    assert raster_tags.read(tags, raster_tags.WHITEN) == "false"
    assert raster_tags.read(tags, raster_tags.SOURCE) == "/data/emb.tif"
    # an analysis job takes an old PCA raster as a product of embeddings: no "not made by TerraEmbed" warning
    warned = {}
    for path in (old, bare):
        ctx = JobContext()
        run_job({"type": "cluster", "input": str(path), "output": str(tmp_path / "k.tif"), "k": 2, "seed": 0}, ctx)
        warned[os.path.basename(path)] = any("TERRAEMBED_* metadata" in w for w in ctx.warnings)
    assert warned == {"old_pca.tif": False, "bare.tif": True}
    assert raster_tags.classes(OLD_CLASSES) == ["water", "forest"]
    assert raster_tags.read(OLD_CLASSES, raster_tags.CLUSTERS) == "2"
    assert raster_tags.read(OLD_CLASSES, raster_tags.NODATA_CLASS) == "0"
    assert raster_tags.read(OLD_CLASSES, raster_tags.INERTIA) == "12.5"
