"""The plugin through the real qgis_process binary: headless listing, the environment check, the main
job with its declared outputs, and a bad input that ends in a clear message."""

import os
import subprocess
import zipfile

from osgeo import gdal, ogr

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_provider_is_listed_headless(qgis_process):
    out = qgis_process("list", check=True).stdout
    for alg in ("terraembed:install_runtime", "terraembed:check_environment", "terraembed:embed"):
        assert alg in out


def test_check_environment_says_ready(qgis_process):
    proc, data = qgis_process.run_json("terraembed:check_environment")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert data["results"]["READY"] is True, data["results"]["REPORT"]


def test_embed_writes_declared_outputs(qgis_process, terrafm_weights, tmp_path):
    # the input is given relative to the working directory, as a shell user would
    proc, data = qgis_process.run_json(
        "terraembed:embed",
        cwd=REPO,
        INPUT="sample/s2_sample.tif",
        MODEL=0,
        WEIGHTS_FILE=terrafm_weights,
        OUTPUT_GRID=tmp_path / "grid.tif",
        OUTPUT_PCA=tmp_path / "pca.tif",
        OUTPUT_POOLED=tmp_path / "pooled.gpkg",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = data["results"]
    assert results["DIM"] == 768 and results["CELLS"] > 0
    assert gdal.Open(results["OUTPUT_GRID"]).RasterCount == 768
    assert gdal.Open(results["OUTPUT_PCA"]).RasterCount == 3
    pooled = ogr.Open(str(tmp_path / "pooled.gpkg"))
    layer = pooled.GetLayer(0)
    assert layer.GetFeatureCount() == 1
    assert layer.GetLayerDefn().GetFieldCount() == 4 + 768


def test_bad_input_is_a_message_not_a_traceback(qgis_process, terrafm_weights, tmp_path):
    rgb = str(tmp_path / "rgb.tif")
    gdal.GetDriverByName("GTiff").Create(rgb, 32, 32, 3, gdal.GDT_UInt16).SetGeoTransform((0, 10, 0, 0, 0, -10))
    proc, _ = qgis_process.run_json(
        "terraembed:embed",
        INPUT=rgb,
        MODEL=0,
        WEIGHTS_FILE=terrafm_weights,
        OUTPUT_GRID=tmp_path / "grid.tif",
        OUTPUT_PCA=tmp_path / "pca.tif",
    )
    assert proc.returncode != 0
    assert "needs 12 bands" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not os.path.exists(tmp_path / "grid.tif") and not os.path.exists(tmp_path / "pca.tif")


def test_plugin_zip_installs_into_a_fresh_profile(tmp_path, monkeypatch):
    """scripts/package builds the ZIP Plugin Manager installs; unzipped into a new profile it loads headless
    and carries no tests, dev scripts or caches."""
    subprocess.run([os.path.join(REPO, "scripts", "package")], check=True, capture_output=True)
    version = [
        line.split("=", 1)[1].strip()
        for line in open(os.path.join(REPO, "metadata.txt"))
        if line.startswith("version=")
    ][0]
    archive = os.path.join(REPO, "dist", "terraembed-%s.zip" % version)
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert all(n.startswith("terraembed/") for n in names)
        assert (
            "terraembed/metadata.txt" in names and "terraembed/requirements/runtime-linux-x86_64-py3.11.lock" in names
        )
        assert "terraembed/i18n/terraembed_fr.qm" in names and "terraembed/i18n/terraembed_fr.ts" in names
        assert not [
            n
            for n in names
            if n.startswith(("terraembed/tests/", "terraembed/scripts/", "terraembed/.ci/", "terraembed/.pre-commit"))
            or "__pycache__" in n
            or n.endswith(".pyc")
        ]
        plugins = tmp_path / "config" / "profiles" / "default" / "python" / "plugins"
        plugins.mkdir(parents=True)
        z.extractall(plugins)
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "config"), QT_QPA_PLATFORM="offscreen")
    subprocess.run(
        ["/usr/bin/qgis_process.bin", "plugins", "enable", "terraembed"], check=True, env=env, capture_output=True
    )
    listing = subprocess.run(["/usr/bin/qgis_process.bin", "list"], env=env, capture_output=True, text=True).stdout
    assert "terraembed:embed" in listing and "terraembed:check_environment" in listing


def test_band_comma_list_and_stage_words(qgis_process, terrafm_weights, tmp_path):
    proc, data = qgis_process.run_json(
        "terraembed:embed",
        cwd=REPO,
        INPUT="sample/s2_sample.tif",
        MODEL=0,
        BANDS="1,2,3,4,5,6,7,8,9,10,11,12",
        WEIGHTS_FILE=terrafm_weights,
        OUTPUT_GRID=tmp_path / "grid.tif",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert gdal.Open(data["results"]["OUTPUT_GRID"]).RasterCount == 768
    assert "infer" not in (proc.stdout + proc.stderr).split()


def test_out_of_range_number_names_the_range(qgis_process, tmp_path):
    proc, _ = qgis_process.run_json(
        "terraembed:embed",
        cwd=REPO,
        INPUT="sample/s2_sample.tif",
        PCA_COMPONENTS=1000,
        OUTPUT_GRID=tmp_path / "grid.tif",
    )
    assert proc.returncode != 0
    assert "PCA components' (PCA_COMPONENTS) must be between 1 and 64, got 1000" in proc.stdout + proc.stderr
    assert not os.listdir(tmp_path)
