"""The embed outputs as other tools see them, in QGIS's Python with QGIS's GDAL: Cloud Optimized GeoTIFFs
that GDAL's own validator (osgeo_utils.samples.validate_cloud_optimized_geotiff) accepts, and the STAC
Item sidecar that Compute embeddings writes through processing.run. (The engine side, overview values and
the STAC schema validation: tests/engine/test_pipeline_cog_stac.py.)"""

import json
import os
import subprocess  # nosec B404: the runtime's Python with an argument list
import textwrap

import processing
import pytest
from osgeo import gdal

validate_cog = pytest.importorskip("osgeo_utils.samples.validate_cloud_optimized_geotiff").validate

# Streamed rasters written as the embed job writes them (engine/pipeline/outputs.geotiff_profile), made COGs by
# engine/pipeline/cog.write_cog in the runtime: a 16-band grid of 600 x 300 cells (overviews 2 and 4), the same
# with its overviews made from its rows as the embed job makes them (overviews.GridOverviews) and a 3-band PCA
# (deflate).
MAKE_COGS = textwrap.dedent(
    """
    import sys
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from terraembed.engine.pipeline.cog import write_cog
    from terraembed.engine.pipeline.outputs import geotiff_profile
    from terraembed.engine.pipeline.overviews import GridOverviews

    folder = sys.argv[1]
    transform = from_origin(500000, 4100000, 160, 160)
    for name, count, compress in (("grid", 16, "none"), ("grid-levels", 16, "none"), ("pca", 3, "deflate")):
        scratch = "%s/%s-scratch.tif" % (folder, name)
        profile = geotiff_profile(count, 300, 600, transform, "EPSG:32633", compress)
        data = np.random.default_rng(0).normal(size=(count, 300, 600)).astype("float32")
        with rasterio.open(scratch, "w", **profile) as dst:
            dst.write(data)
            dst.update_tags(TERRAEMBED_MODEL="m")
        levels = None
        if name == "grid-levels":
            levels = ["%s/level%d.tif" % (folder, f) for f in (2, 4)]
            made = GridOverviews(levels, count, 300, 600, transform, "EPSG:32633")
            for r0 in range(0, 300, 14):
                made.write_rows(r0, data[:, r0 : r0 + 14])
            made.close()
        write_cog(scratch, "%s/%s.tif" % (folder, name), compress, None, levels)
    """
)


def _cog_errors(path):
    ds = gdal.Open(path)
    try:
        _, errors, _ = validate_cog(ds, full_check=True)
    finally:
        ds = None
    return errors


def test_grid_and_pca_with_overviews_are_valid_cogs(runtime_python, tmp_path):
    subprocess.run([runtime_python, "-c", MAKE_COGS, str(tmp_path)], check=True, env=os.environ.copy(), timeout=120)
    for name in ("grid", "grid-levels", "pca"):
        path = str(tmp_path / ("%s.tif" % name))
        assert _cog_errors(path) == []
        ds = gdal.Open(path)
        assert ds.GetRasterBand(1).GetOverviewCount() == 2 and ds.GetMetadata()["TERRAEMBED_MODEL"] == "m"
        ds = None
    # the overviews made from the rows give the file GDAL's own overviews give, byte for byte
    assert (tmp_path / "grid-levels.tif").read_bytes() == (tmp_path / "grid.tif").read_bytes()
    # the streamed file, before the copy, is not a COG: the validator can fail
    assert _cog_errors(str(tmp_path / "grid-scratch.tif"))


def test_embed_writes_cogs_and_its_stac_sidecar(qgis_app, runtime_python, terrafm_weights, sample_s2, tmp_path):
    os.environ["TERRAEMBED_RUNTIME_PYTHON"] = runtime_python
    out = tmp_path / "out"
    params = {
        "INPUT": sample_s2,
        "MODEL": 0,
        "WEIGHTS_FILE": terrafm_weights,
        "INPUT_PREP": 2,  # resize: one chip
        "PCA_COMPONENTS": 3,
        "OUTPUT_GRID": str(out / "grid.tif"),
        "OUTPUT_PCA": str(out / "pca.tif"),
        "OUTPUT_POOLED": str(out / "pooled.gpkg"),
        "OUTPUT_REPORT": str(out / "report.html"),
        "OUTPUT_INPUT": str(out / "input.tif"),
    }
    result = processing.run("terraembed:embed", params)
    assert sorted(p.name for p in out.iterdir()) == [
        "grid.stac.json",
        "grid.tif",
        "input.tif",
        "pca.tif",
        "pooled.gpkg",
        "report.html",
    ]
    assert _cog_errors(result["OUTPUT_GRID"]) == [] and _cog_errors(result["OUTPUT_PCA"]) == []
    assert _cog_errors(result["OUTPUT_INPUT"]) == []  # the model input, as the fetched imagery is written
    item = json.loads((out / "grid.stac.json").read_text(encoding="utf-8"))
    props = item["properties"]
    assert props["terraembed:model"] == "terrafm_b_s2" and props["emb:dimensions"] == 768 == result["DIM"]
    assert {k: a["href"] for k, a in item["assets"].items()} == {
        "embeddings": "grid.tif",
        "pca": "pca.tif",
        "composite": "input.tif",
        "pooled": "pooled.gpkg",
        "report": "report.html",
    }
    model_link = [link for link in item["links"] if link["rel"] == "emb:model"]
    assert model_link[0]["href"].endswith(os.path.basename(terrafm_weights))  # the weights file used
    assert props["proj:epsg"] == 32633 and props["proj:shape"] == [14, 14]


def test_pca_algorithm_writes_a_valid_cog(qgis_app, runtime, runtime_python, tmp_path, monkeypatch):
    """*PCA* (terraembed:pca) writes its raster as the embed job writes its PCA: a COG GDAL's validator
    accepts, with averaged overviews (600 columns: 300, 150), DEFLATE and PC1..PC3 as RGB."""
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    runtime.run(
        "import sys, synthetic; synthetic.planted_raster(sys.argv[1], 3, 40, 600, 8, 0.3, 2)", str(tmp_path / "emb.tif")
    )
    result = processing.run(
        "terraembed:pca", {"INPUT": str(tmp_path / "emb.tif"), "COMPONENTS": 3, "OUTPUT": str(tmp_path / "pca.tif")}
    )
    assert _cog_errors(result["OUTPUT"]) == []
    ds = gdal.Open(result["OUTPUT"])
    band = ds.GetRasterBand(1)
    assert band.GetOverviewCount() == 2 and ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert band.GetColorInterpretation() == gdal.GCI_RedBand and "TERRAEMBED_EXPLAINED_VARIANCE" in ds.GetMetadata()
    ds = None
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".aux.xml"))  # QGIS's statistics
    assert left == ["emb.tif", "pca.tif"]  # nothing partial


def test_every_analysis_raster_is_a_valid_cog(runtime, tmp_path):
    """Every raster every analysis job writes (tests/engine/analysis_outputs.py: PCA, clusters, classes,
    probabilities, uncertainty, applied classifier, similarity and its mask, change, change over time and
    its classes), run through run_job in the runtime, is a COG GDAL's validator accepts, with overviews."""
    runtime.run("import sys, analysis_outputs; analysis_outputs.run_all(sys.argv[1])", str(tmp_path))
    out = tmp_path / "out"
    names = sorted(p.name for p in out.glob("*.tif"))
    assert len(names) == 13
    assert {name: _cog_errors(str(out / name)) for name in names} == {name: [] for name in names}
    for name in names:
        ds = gdal.Open(str(out / name))
        assert ds.GetRasterBand(1).GetOverviewCount() == 2, name
        ds = None
