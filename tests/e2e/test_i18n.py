"""qgis_process in French: a profile whose locale setting is fr_FR gets the algorithms' names, help and
parameters in French (plugin.py loads i18n/terraembed_fr.qm in initProcessing, before the algorithms are
imported), and the worker's messages in French too (the job carries the locale; engine/i18n.py)."""

import os
import subprocess
import sys

import pytest
from conftest import REPO, QgisProcess, install_plugin
from osgeo import gdal, osr


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """A fresh profile with the locale fr_FR and the plugin linked in; the catalogue compiled into the
    checkout's i18n/ as scripts/setup does (the .qm files are build outputs, ignored by git)."""
    subprocess.run([sys.executable, os.path.join(REPO, "scripts", "i18n.py"), "build"], check=True)
    config = tmp_path_factory.mktemp("qgis-config-fr")
    settings = config / "profiles" / "default" / "QGIS"
    settings.mkdir(parents=True)
    (settings / "QGIS3.ini").write_text("[locale]\noverrideFlag=true\nuserLocale=fr_FR\n")
    install_plugin(str(config), REPO)
    qp = QgisProcess(str(config))
    qp("plugins", "enable", "terraembed", check=True)
    return qp


def one_band_raster(path):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 16, 16, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((400000, 160, 0, 5300000, 0, -160))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).Fill(1.0)
    ds = None
    return str(path)


def test_help_is_in_french(french):
    out = french("help", "terraembed:embed", check=True).stdout
    assert "Calculer les embeddings" in out
    assert "Calcule les embeddings d'un modèle de fondation pour une zone d'intérêt" in out
    assert "Zone d'intérêt (vide = tout le raster)" in out and "Préparation des entrées" in out
    assert "Computes foundation-model embeddings" not in out and "Input preparation" not in out


def test_help_stays_english_in_an_english_profile(qgis_process):
    out = qgis_process("help", "terraembed:embed", check=True).stdout
    assert "Computes foundation-model embeddings" in out and "Calcule" not in out


def test_the_workers_bad_input_message_is_in_french(french, tmp_path):
    """The shell sends the locale with the job; the worker answers from the same catalogue."""
    raster = one_band_raster(tmp_path / "one.tif")
    proc, _ = french.run_json("terraembed:pca", INPUT=raster, COMPONENTS=1, OUTPUT=str(tmp_path / "pca.tif"))
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "n'a qu'une bande, ce n'est donc pas un raster d'embeddings" in text, text[-2000:]
    assert "ACP travaille sur des embeddings : produisez une grille d'embeddings avec 'Calculer les embeddings'" in text
    assert "Traceback" not in text and not (tmp_path / "pca.tif").exists()


def test_a_shell_check_message_is_in_french(french, tmp_path):
    raster = one_band_raster(tmp_path / "one.tif")
    proc, _ = french.run_json("terraembed:pca", INPUT=raster, COMPONENTS=0, OUTPUT=str(tmp_path / "pca.tif"))
    text = proc.stdout + proc.stderr
    assert "doit être entre 1 et" in text and "COMPONENTS" in text, text[-2000:]
