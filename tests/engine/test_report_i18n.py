"""The HTML reports speak the job's language (job["locale"], engine/i18n.py) like the worker's messages:
each kind of report run in French has its French title and headings, <html lang="fr"> and none of its
English headings, table headers, captions or chart words left; run in English (or in a language without a
catalogue) it is the English report."""

import html.parser

import numpy as np
import pytest
import synthetic
from pipeline_fakes import random_s2, use_fake_model, write_raster
from report_reader import Report

from terraembed.engine import i18n
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.report import build
from terraembed.models.weights import RANDOM_INIT_DESCRIPTION

# what a reader takes for the report's words (svg "text": the charts' titles, axes, legends and ticks)
WORD_TAGS = ("title", "h1", "h2", "caption", "th", "figcaption", "summary", "p", "footer", "text")
# the same in both languages: the data (raster, class, period and feature names, codes, model ids) and
# the words French spells as English does
SAME = {
    "Classes", "Code", "Classification", "Validation", "Collection", "F1", "Silhouette", "Source", "Dimensions",
    "Raster", "k", "k (k-NN)", "PC1", "PC2", "PC3", "water", "forest", "urban", "informative", "noise",
    "clearing", "fake_s2", "stable", "fake", "Composite", "SCR",
}  # fmt: skip
PERIODS = ["2019", "2020", "2021", "2022", "2023", "2024"]
NAMES = {1: "water", 2: "forest", 3: "urban"}


class Words(html.parser.HTMLParser):
    """<html lang> and the text of every WORD_TAGS element, numbers left out."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang, self.h1, self.h2, self.words = None, [], [], set()
        self._open: list = []  # [tag, [text]] of the open word elements
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in WORD_TAGS:
            self._open.append([tag, []])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            {"h1": self.h1, "h2": self.h2}.get(name, []).append(text)
            if any(c.isalpha() for c in text):
                self.words.add(text)

    def handle_data(self, data):
        if self._open:
            self._open[-1][1].append(data)


def _embed_job(folder):
    path = write_raster(folder / "in.tif", random_s2(150, 150), nodata=0)
    return {
        "type": "embed",
        "source": {"kind": "raster", "path": path},
        "model": "fake",
        "prep": "tile",
        "outputs": {"grid": str(folder / "grid.tif"), "pca": str(folder / "pca.tif"), "pca_components": 3},
    }


def _classify_job(folder):
    path, labels, invalid = synthetic.planted_raster(folder / "emb.tif", 3, 40, 50, 16, noise=0.5, seed=2)
    return {
        "type": "classify",
        "input": path,
        "output": str(folder / "cls.tif"),
        "cv_folds": 3,
        "labels": synthetic.point_labels(labels, invalid, NAMES, 12, rng=1),
    }


def _compare_job(folder):
    path, labels, invalid = synthetic.planted_raster(folder / "informative.tif", 3, 40, 40, 16, noise=2.0, seed=7)
    rng = np.random.default_rng(1)
    noise = synthetic.write_raster(folder / "noise.tif", rng.normal(size=(8, 40, 40)))
    return {
        "type": "compare",
        "rasters": [path, noise],
        "names": ["informative", "noise"],
        "output": str(folder / "compare.csv"),
        "labels": synthetic.point_labels(labels, invalid, NAMES, 40, rng),
    }


def _series_job(folder):
    arrays, _ = synthetic.planted_series(periods=len(PERIODS))
    paths = [synthetic.write_raster(folder / ("emb_%s.tif" % p), a, nodata=np.nan) for p, a in zip(PERIODS, arrays)]
    tf = synthetic.grid_transform()
    r0, c0, r1, c1 = synthetic.SERIES_BREAK
    features = [{"wkt": synthetic.rect_wkt(tf, r0, c0, r1, c1), "name": "clearing"}]
    return {
        "type": "change_series",
        "inputs": paths,
        "labels": PERIODS,
        "output": str(folder / "change.tif"),
        "features": features,
    }


JOBS = {"embed": _embed_job, "classify": _classify_job, "compare": _compare_job, "change_series": _series_job}
# kind -> (English title, French title, French headings the report must have)
EXPECTED = {
    "embed": (
        "Embeddings: fake_s2",
        "Embeddings : fake_s2",
        ["Entrée", "Modèle et poids", "ACP de la grille d'embeddings"],
    ),
    "classify": (
        "Few-shot classification: 3 classes",
        "Classification few-shot : 3 classes",
        ["Matrice de confusion", "Scores par classe", "Courbe d'apprentissage", "Tailles des classes"],
    ),
    "compare": ("Compare embeddings", "Comparer des embeddings", ["Comparaison", "Classement", "Différences"]),
    "change_series": (
        "Change over time",
        "Changement dans le temps",
        ["Entrée", "Classes de changement", "Périodes", "Évolutions des entités"],
    ),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """kind -> {language: (job, result, the report's HTML)}: each job run with its report in English and in
    French (job["locale"]), the French one through the worker's real path (run_job)."""
    out = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_fake_model(monkeypatch)
        for kind, make in JOBS.items():
            out[kind] = {}
            for language in ("en", "fr"):
                folder = tmp_path_factory.mktemp("%s_%s" % (kind, language))
                job = dict(make(folder), locale=language, html_report=str(folder / "report.html"))
                result = run_job(job, JobContext(work_dir=str(folder)))
                with open(result["html_report"], encoding="utf-8") as f:
                    out[kind][language] = (job, result, f.read())
    return out


@pytest.mark.parametrize("kind", list(JOBS))
def test_a_french_report_has_its_french_headings_and_no_english_one(reports, kind):
    english, french = Words(reports[kind]["en"][2]), Words(reports[kind]["fr"][2])
    _, french_title, headings = EXPECTED[kind]
    assert french.lang == "fr"
    assert french.h1 == [french_title]
    assert set(headings) <= set(french.h2), french.h2
    assert "Exécution" in french.h2  # the closing section (the panel's "Run" button says "Lancer")
    left = english.words & french.words - SAME
    assert not left, "English words left in the French %s report: %s" % (kind, sorted(left))


@pytest.mark.parametrize("kind", list(JOBS))
def test_an_english_report_stays_english(reports, kind):
    english = Words(reports[kind]["en"][2])
    assert english.lang == "en"
    assert english.h1 == [EXPECTED[kind][0]]
    assert "Run" in english.h2
    assert not [w for w in english.words if any(c in w for c in "éèàçÉ")]


@pytest.mark.parametrize("locale", ["de", "xx", None])
def test_a_language_without_a_catalogue_gets_the_english_report(reports, locale):
    job, result, text = reports["classify"]["en"]
    i18n.use(locale)
    try:
        other = Words(build(job, result, 1.0))
    finally:
        i18n.use(None)
    english = Words(text)
    assert other.lang == "en"
    assert _without_footer(other.words) == _without_footer(english.words)
    assert "Confusion matrix" in other.h2


def _without_footer(words):
    return {w for w in words if not w.startswith("Written by")}  # the footer holds the minute it was written


def _facts(text):
    """label -> value of every two-column row of a report's tables."""
    return {row[0]: row[1] for rows in Report(text).tables.values() for row in rows if len(row) == 2}


def test_the_words_among_a_french_reports_values_are_french(reports):
    """Not only the headings: the preparation, the device and precision asked ("auto"), the random weights,
    the CRS's units and the change classes are the user's words; the job results keep their machine words."""
    job, result, text = reports["embed"]["fr"]
    facts = _facts(text)
    assert result["prep"] == "tile" and facts["Préparation des entrées"].startswith("tile (tuiles de 224 pixels")
    assert facts["Périphérique"] == "%s (demandé : automatique)" % result["device"]
    assert facts["Précision"] == "%s (demandé : automatique)" % result["precision"]
    assert _facts(reports["embed"]["en"][2])["Device"] == "%s (asked: auto)" % result["device"]
    i18n.use("fr")
    try:
        random = build(dict(job, weights={"random_init": True}), dict(result, weights=RANDOM_INIT_DESCRIPTION), 1.0)
    finally:
        i18n.use(None)
    assert "poids aléatoires (NON pré-entraînés ; les embeddings n'ont aucun sens)" in Report(random).alerts
    assert "random-init" not in random and "NOT pretrained" not in random
    _, result, text = reports["compare"]["fr"]
    assert {e["crs_units"] for e in result["ranking"]} == {"metre"}
    sizes = [row[3] for row in Report(text).table("Rasters classés")[1:]]
    assert sizes and all(size.endswith(" mètres") for size in sizes), sizes
    _, result, text = reports["change_series"]["fr"]
    assert list(result["class_cells"]) == ["stable", "one break", "repeated change"]
    classes = [row[0] for row in Report(text).table("Cellules par classe de changement")[1:]]
    assert classes == ["stable", "une rupture", "changement répété"]
