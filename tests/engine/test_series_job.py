"""The "series" job (engine/pipeline/series_job.py) against the loopback Earth Engine (the real `ee` client,
tests/engine/ee_server.py) with the transparent fake model: one raster per period on one grid, the
periods already computed reused (counted), a failure or a cancel in period k leaving 1..k-1 reusable and
nothing partial, a period without imagery stopping or skipped as asked."""

import json
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_fakes import use_fake_model
from test_earthengine_fetch import Ctx, env, fake  # noqa: F401 (fixtures)

rasterio = pytest.importorskip("rasterio")

from terraembed.engine.jobs import run_job  # noqa: E402
from terraembed.engine.pipeline.series import read_series  # noqa: E402
from terraembed.engine.pipeline.series_job import settings_key  # noqa: E402
from terraembed.shared.errors import Cancelled, UserError  # noqa: E402
from terraembed.shared.jobs.embedding import EmbedJob  # noqa: E402
from terraembed.shared.jobs.sources import AlphaEarthSource, ImagerySource  # noqa: E402


def _embed_series(env, out, periods="2019..2021", **kw):
    inner = {"type": "embed", "source": dict(env, kind="earthengine"), "model": "fake", "prep": "tile"}
    return dict({"type": "series", "job": inner, "periods": periods, "series": str(out / "s.vrt")}, **kw)


def _no_imagery_in(year):
    """A value handler: no image in `year` (the collection's date filter from its first day to the next
    year's), 5 elsewhere."""

    def count(expression):
        text = json.dumps(expression)
        return 0 if "%d-01-01" % year in text and "%d-01-01" % (year + 1) in text else 5

    return count


def _pixel_requests(fake):
    return len(fake.of_kind("pixels"))


@pytest.fixture
def model(monkeypatch):
    return use_fake_model(monkeypatch)


def test_every_period_on_one_grid_and_a_rerun_reuses_them(env, fake, model, tmp_path):
    out = tmp_path / "series"
    first = run_job(_embed_series(env, out), Ctx())
    assert (first["computed"], first["reused"], first["skipped"]) == (["2019", "2020", "2021"], [], [])
    series = read_series(first["series"])
    assert [p.label for p in series.periods] == ["2019", "2020", "2021"] and series.dimensions == model.spec.dim
    grids = set()
    for p in series.periods:
        with rasterio.open(p.file) as src:
            grids.add((src.crs.to_wkt(), tuple(src.transform), src.width, src.height))
            assert json.loads(src.tags()["TERRAEMBED_PROVENANCE"])["start"] == p.start  # the period's own composite
    assert len(grids) == 1
    with rasterio.open(series.path) as vrt, rasterio.open(series.files[2]) as last:
        np.testing.assert_array_equal(vrt.read(series.band(2, 0)), last.read(1))
    fetched = _pixel_requests(fake)
    ctx = Ctx()
    again = run_job(_embed_series(env, out, device="cpu", batch_size=3), ctx)  # run options are not settings
    assert (again["computed"], again["reused"]) == ([], ["2019", "2020", "2021"])
    assert _pixel_requests(fake) == fetched and any("reused 3 (2019, 2020, 2021)" in m for m in ctx.logs)


def test_the_same_series_asked_in_french_then_english_reuses_every_period(env, fake, model, tmp_path):
    """The language (job["locale"], engine/i18n.py) changes the words of a run, not its periods: the inner job
    of a job file may carry it too (a copy of a French run's job)."""
    out = tmp_path / "series"
    job = _embed_series(env, out, locale="fr")
    job["job"]["locale"] = "fr"
    ctx = Ctx()
    first = run_job(job, ctx)
    assert first["computed"] == ["2019", "2020", "2021"]  # the result's words; the log's in French
    assert any("calculées 3 (2019, 2020, 2021); réutilisées 0 (aucune)" in m for m in ctx.logs), ctx.logs
    fetched = _pixel_requests(fake)
    for english in (_embed_series(env, out, locale="en"), dict(job, locale="en", job=dict(job["job"], locale="en"))):
        again = run_job(english, Ctx())
        assert (again["computed"], again["reused"]) == ([], ["2019", "2020", "2021"])
    assert _pixel_requests(fake) == fetched


def test_other_settings_compute_the_periods_again(env, fake, model, tmp_path):
    out = tmp_path / "series"
    run_job(_embed_series(env, out, periods="2019,2020"), Ctx())
    job = _embed_series(env, out, periods="2019,2020")
    job["job"]["source"]["max_cloud"] = 10
    assert run_job(job, Ctx())["computed"] == ["2019", "2020"]


def test_a_failure_in_period_k_leaves_the_earlier_ones_reusable(env, fake, model, tmp_path):
    out = tmp_path / "series"
    fake.value_handler = _no_imagery_in(2020)
    with pytest.raises(UserError) as err:
        run_job(_embed_series(env, out), Ctx())
    message = str(err.value)
    assert "Period 2020 (2020-01-01/2021-01-01) has no imagery: 0 images match" in message
    assert "the periods before it are kept" in message
    assert sorted(os.listdir(out)) == ["s_2019.stac.json", "s_2019.tif"]  # complete with its STAC sidecar, no series
    fake.value_handler = lambda expression: 5
    result = run_job(_embed_series(env, out), Ctx())
    assert (result["reused"], result["computed"]) == (["2019"], ["2020", "2021"])
    assert read_series(result["series"]).files == [str(out / ("s_%d.tif" % y)) for y in (2019, 2020, 2021)]


def test_a_period_without_imagery_is_skipped_when_asked(env, fake, model, tmp_path):
    fake.value_handler = _no_imagery_in(2020)
    ctx = Ctx()
    result = run_job(_embed_series(env, tmp_path / "series", if_no_imagery="skip"), ctx)
    assert (result["computed"], result["skipped"]) == (["2019", "2021"], ["2020"])
    assert [p.label for p in read_series(result["series"]).periods] == ["2019", "2021"]
    assert any(w.startswith("Period 2020 (2020-01-01/2021-01-01) has no imagery: 0 images") for w in ctx.warnings)


def test_cancel_keeps_the_periods_committed_and_nothing_partial(env, fake, model, tmp_path):
    out = tmp_path / "series"
    ctx = Ctx()
    ctx._on_log = lambda message, level: (ctx.logs.append(message), "Period 2020" in message and ctx.cancel_event.set())
    with pytest.raises(Cancelled):
        run_job(_embed_series(env, out), ctx)
    assert sorted(os.listdir(out)) == ["s_2019.stac.json", "s_2019.tif"]
    assert run_job(_embed_series(env, out), Ctx())["reused"] == ["2019"]


def test_a_series_of_composites(env, fake, tmp_path):
    job = {"type": "series", "job": {"type": "ee_fetch", "source": env}, "periods": "2024:seasons",
           "series": str(tmp_path / "c.vrt")}  # fmt: skip
    result = run_job(job, Ctx())
    series = read_series(result["series"])
    assert (series.model, series.dimensions, len(series.periods)) == ("imagery:S2", 12, 4)
    with rasterio.open(series.path) as vrt:
        assert vrt.descriptions[12] == "2024-MAM B1"
    assert run_job(job, Ctx())["reused"] == ["2024-DJF", "2024-MAM", "2024-JJA", "2024-SON"]


@pytest.mark.parametrize(
    "periods, says",
    [("2021,2019", "list the periods in time order"), ("2024", "use Change between dates"), ("20x9", "not a year")],
)
def test_bad_periods_are_refused_before_any_request(env, fake, model, tmp_path, periods, says):
    with pytest.raises(UserError, match=says):
        run_job(_embed_series(env, tmp_path / "series", periods=periods), Ctx())
    assert fake.requests == [] and not (tmp_path / "series").exists()


def test_a_raster_source_is_sent_to_build_series(env, model, tmp_path):
    job = _embed_series(env, tmp_path / "series")
    job["job"]["source"] = {"kind": "raster", "path": str(tmp_path / "x.tif")}
    with pytest.raises(UserError, match="Build a series"):
        run_job(job, Ctx())


def test_the_model_is_loaded_once_for_all_periods(env, fake, tmp_path):
    job = _embed_series(env, tmp_path / "series")
    job["job"].update(model="terrafm_b_s2", weights={"random_init": True, "seed": 0}, precision="fp32")
    ctx = Ctx()
    assert run_job(job, ctx)["computed"] == ["2019", "2020", "2021"]
    assert sum(m.startswith("Loading TerraFM") for m in ctx.logs) == 1, ctx.logs
    assert sum("Model terrafm_b_s2 reused" in m for m in ctx.logs) == 2


def _period_job():
    """An embed period's job with every run option of its contracts set (each its own value)."""
    inner = {
        "type": "embed", "model": "terrafm_b_s2", "prep": "tile", "overlap": "half", "pooling": "mean",
        "precision": "fp32", "weights": {"random_init": True, "seed": 3},
        "source": {"kind": "earthengine", "collection": "S2", "start": "2020-01-01", "end": "2021-01-01",
                   "aoi": {"bounds": [0, 0, 1000, 1000], "crs": "EPSG:32631"}, "scale": 10, "max_cloud": 30,
                   "cloud_mask": "scl", "name": "layer"},
    }  # fmt: skip
    for key in EmbedJob.run_options():
        inner[key] = "run-" + key
    for key in ImagerySource.run_options() + AlphaEarthSource.run_options():
        inner["source"][key] = "run-" + key
    return inner


def test_a_periods_settings_key_leaves_out_run_options_only():
    inner = _period_job()
    key = settings_key(inner)
    # the key of this job as the versions before the run options were the contracts' wrote it on their periods:
    # the periods a user already has are reused
    assert key == "9803513bdc48b1604e550b8978c45d002e0b736d95058cc39fc46f5f03691282"
    for name in EmbedJob.run_options():
        assert settings_key(dict(inner, **{name: "other"})) == key, name
    for locale in ("fr", "en", "fr_FR"):  # the language: words, not values
        assert settings_key(dict(inner, locale=locale)) == key, locale
    for name in ImagerySource.run_options() + AlphaEarthSource.run_options() + ("name",):
        assert settings_key(dict(inner, source=dict(inner["source"], **{name: "other"}))) == key, name
    for name, value in (("model", "terramind"), ("prep", "resize"), ("pooling", "max"), ("precision", "bf16")):
        assert settings_key(dict(inner, **{name: value})) != key, name
    for name, value in (("start", "2020-02-01"), ("scale", 20), ("max_cloud", 10), ("collection", "S1")):
        assert settings_key(dict(inner, source=dict(inner["source"], **{name: value}))) != key, name
