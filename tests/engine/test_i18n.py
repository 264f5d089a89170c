"""The worker says its messages in the language the shell sends with the job (job["locale"]), from the
shell's own catalogue i18n/terraembed_<lang>.ts (engine/i18n.py); English where there is none."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from terraembed.engine import i18n
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError


def pca_error(tmp_path, locale, **spec):
    job = {"type": "pca", "input": str(tmp_path / "missing.tif"), "output": str(tmp_path / "pca.tif")}
    job.update(spec)
    if locale is not None:
        job["locale"] = locale
    with pytest.raises(UserError) as caught:
        run_job(job, JobContext())
    assert not (tmp_path / "pca.tif").exists()
    return str(caught.value)


def two_band_raster(path):
    profile = dict(driver="GTiff", width=8, height=8, count=2, dtype="float32", crs="EPSG:32633")
    with rasterio.open(path, "w", transform=from_origin(400000, 5300000, 160, 160), **profile) as dst:
        dst.write(np.random.default_rng(0).normal(size=(2, 8, 8)).astype("float32"))
    return str(path)


@pytest.mark.parametrize("locale", ["fr", "fr_FR", "fr-CA"])
def test_a_bad_input_is_said_in_french(tmp_path, locale):
    message = pca_error(tmp_path, locale)
    assert "n'existe pas. Choisissez un fichier raster existant." in message
    assert "does not exist" not in message


@pytest.mark.parametrize("locale", [None, "en", "en_GB", "xx", "", "../fr"])
def test_english_without_a_catalogue(tmp_path, locale):
    assert "does not exist. Choose an existing raster file." in pca_error(tmp_path, locale)


def test_range_and_count_messages_in_french(tmp_path):
    raster = two_band_raster(tmp_path / "two.tif")
    message = pca_error(tmp_path, "fr", input=raster, components=0)
    assert "Le paramètre 'components' du job doit être entre 1 et 1024, reçu 0." in message, message
    message = pca_error(tmp_path, "fr", input=raster, components=3)
    assert message == ("3 composantes demandées mais le raster n'a que 2 bandes ; choisissez au plus 2 composantes."), (
        message
    )


def test_an_output_message_of_the_transaction_in_french(tmp_path):
    """shared/transaction.py (loaded by both processes) translates with the job's language too."""
    raster = two_band_raster(tmp_path / "two.tif")
    (tmp_path / "afile").write_text("")
    job = {
        "type": "pca",
        "input": raster,
        "output": str(tmp_path / "afile" / "pca.tif"),
        "locale": "fr",
        "components": 2,
    }
    with pytest.raises(UserError) as caught:
        run_job(job, JobContext())
    assert "Impossible d'enregistrer la sortie « raster d'ACP » sous" in str(caught.value), str(caught.value)
    assert "est un fichier, pas un dossier" in str(caught.value)


def test_each_job_has_its_own_language(tmp_path):
    """A warm worker runs job after job: a French job does not leave the next one in French."""
    assert "n'existe pas" in pca_error(tmp_path, "fr")
    assert "does not exist" in pca_error(tmp_path, None)


def test_the_worker_reads_every_finished_entry_of_the_catalogue():
    french = i18n.catalogue("fr")
    assert len(french) > 700
    assert french["Cancelled: nothing was written."] == "Annulé : rien n'a été écrit."
    assert i18n.catalogue("xx") == {}


def test_a_context_tells_apart_two_translations_of_one_word():
    """The panel's "Run" is a button (Lancer), a report's "Run" its closing section (Exécution)."""
    i18n.use("fr")
    try:
        assert (i18n.tr("Run"), i18n.tr("Run", "Report"), i18n.language()) == ("Lancer", "Exécution", "fr")
        assert i18n.tr("Run", "NoSuchContext") == "Run"
        i18n.use("xx")
        assert (i18n.tr("Run", "Report"), i18n.language()) == ("Run", "en")
    finally:
        i18n.use(None)


def test_an_explore_session_speaks_the_shells_language(tmp_path):
    """The Explore session is not a job: its spec carries the locale too (ui/explore.py)."""
    from terraembed.engine.session import open_session

    with pytest.raises(UserError) as caught:
        open_session({"kind": "explore", "input": str(tmp_path / "missing.tif"), "locale": "fr"}, JobContext())
    assert "n'existe pas" in str(caught.value), str(caught.value)
    with pytest.raises(UserError) as caught:
        open_session({"kind": "explore", "input": str(tmp_path / "missing.tif")}, JobContext())
    assert "does not exist" in str(caught.value)
