"""The "series" job (one raster per period on one grid, then the series VRT) and the "build_series" job
(a series of existing embedding rasters). The format is engine/pipeline/series.py's.

"series" job (every key: shared/jobs/embedding.py's SeriesJob, docs/JOBS.md):
    {"type": "series", "job": {an "embed" job with an Earth Engine source, an "ee_fetch" job, or an
             "alphaearth_fetch" job (its periods whole years: each period fetches its year)},
     "periods": "2019..2025" (periods.py's syntax) | [{"label", "start", "end"}, ...],
     "series": "/x/name.vrt", "if_no_imagery": "stop" | "skip" (catalogue.IF_NO_IMAGERY)}
Each period runs the inner job with the period's dates as its source's start and end, its one output
(the embedding grid; the composite) being `<series stem>_<label>.tif` beside the series. The inner
job's other outputs (PCA, input copy, report) are not written. Each period commits through its own
output transaction, so a failure or a cancel in period k leaves periods 1..k-1 complete; the series
VRT comes last (the caller's transaction). A period whose file is already there, made with the same
area, model and settings (TERRAEMBED_SERIES_KEY, a hash of the inner job without its output paths,
device and batch options), is reused instead of computed. A period with no imagery (NoImagery) stops
the run or is skipped, as if_no_imagery says. Memory: one period at a time (flat in the series' length);
the model is loaded once for all periods (common.keep_model).
Result: {"series", "model", "dimensions", "periods": [{"label", "start", "end", "file", "status"
         ("computed" | "reused" | "skipped"), "images", "device" (computed)}], "computed", "reused",
         "skipped" (labels), "device" (the last period computed: its device)}

"build_series" job: {"type": "build_series", "rasters": [paths, in order], "periods": text | list (empty:
    the rasters' own Earth Engine dates), "series": "/x/name.vrt"}: series.series_from_rasters, in one
    transaction of the worker's own (which rasters are resampled is known only once they are read).
    Result: {"series", "model", "dimensions", "periods": [...], "resampled": [labels]}.
"""

import copy
import hashlib
import json
import os
from collections.abc import Mapping

from ...shared import keys, raster_tags
from ...shared.contract import sub_job
from ...shared.errors import NoImagery, UserError
from ...shared.jobs.embedding import BuildSeriesJob, EmbedJob, SeriesJob
from ...shared.jobs.sources import AlphaEarthFetchJob, AlphaEarthSource, EeFetchJob, ImagerySource
from ...shared.periods import Period, PeriodError, check_series, period_file, period_of, whole_years
from ..i18n import tr, translatable
from ..jobs import get_handler, job
from . import common, outputs
from .series import VRT, read_series, series_from_rasters, write_series

SERIES_KEY_TAG = raster_tags.SERIES_KEY
INNER_JOBS = ("embed", "ee_fetch", "alphaearth_fetch")
# keys that do not change a period's values (where and how fast it runs, where its files go): the inner jobs'
# run options (their contracts'); the framework's "transaction" and "html_report" are dropped before the key is
# made (_inner_job). "name" is no contract's key: the label a raster source carries (algorithms/imagery_params.py)
_RUN_KEYS = frozenset(key for contract in (EmbedJob, EeFetchJob, AlphaEarthFetchJob) for key in contract.run_options())
_SOURCE_RUN_KEYS = frozenset(ImagerySource.run_options() + AlphaEarthSource.run_options() + ("name",))
# a period's status (the result's machine word) as the log says it
STATUS_WORDS = {
    "computed": translatable("computed"),
    "reused": translatable("reused"),
    "skipped": translatable("skipped"),
}
# the framework's keys no contract names that change only the words of a run (engine/i18n.py), never its values:
# a period computed for a French user is reused for an English one
_WORDS_KEYS = frozenset({"locale"})


def settings_key(inner: dict) -> str:
    """What makes a period's raster what it is (area, dates, model and its settings) as a SHA-256 hex: the
    inner job without its output paths, its run options (device, batch, scheduler, cache folders) and its
    language."""
    kept = {k: v for k, v in inner.items() if k not in _RUN_KEYS | _WORDS_KEYS}
    kept["source"] = {k: v for k, v in (inner.get("source") or {}).items() if k not in _SOURCE_RUN_KEYS}
    weights = dict(inner.get("weights") or {})
    path = weights.get("path")
    stat = os.stat(path) if path and os.path.isfile(path) else None
    kept["weights"] = {
        "path": path,
        "file": [stat.st_size, int(stat.st_mtime)] if stat else None,
        "random_init": bool(weights.get("random_init")),
    }
    text = json.dumps(kept, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _inner_job(inner_job: Mapping, period: Period, path: str) -> dict:
    """The job of one period: the series' inner job with the period's dates (an AlphaEarth period: its year)
    and its one output, `path`."""
    inner = copy.deepcopy(dict(inner_job))
    kind = inner.get("type")
    if kind not in INNER_JOBS:
        raise UserError(tr("A series is made by an embed or ee_fetch job, not %r.") % (kind,))
    source = inner.get("source") or {}
    if kind == "embed" and source.get("kind") != "earthengine":
        raise UserError(
            tr(
                "A series of periods needs Earth Engine imagery (one composite per period). For rasters you already "
                "have, use Build a series (terraembed:build_series)."
            )
        )
    inner["source"] = dict(source, start=period.start, end=period.end)
    if kind == "alphaearth_fetch":
        inner["source"] = _alphaearth_year(inner["source"], period)
    for key in ("transaction", "html_report", "work_dir"):
        inner.pop(key, None)
    if kind == "embed":
        compress = (inner.get("outputs") or {}).get("grid_compression")
        inner["outputs"] = {"grid": path, "grid_compression": compress}
    else:
        inner["output"] = path
    inner["tags"] = dict(inner.get("tags") or {}, **{raster_tags.SERIES_PERIOD: period.label})
    inner["tags"][SERIES_KEY_TAG] = settings_key(inner)
    return inner


def _alphaearth_year(source: dict, period: Period) -> dict:
    """An AlphaEarth period's source: the period's year, and the grid raster's grid read now (the settings
    key holds the grid itself, not the raster's name: a raster rebuilt on another grid is another setting)."""
    from ..sources.earthengine.alphaearth_grid import reference_grid

    source = dict(source, year=_years([period])[0])
    if source.get("grid_like") and not source.get("grid"):
        source["grid"] = reference_grid(keys.path(source, "grid_like"))
    return source


def _years(periods: list) -> list:
    """The calendar year of each period; UserError naming a period that is not one (AlphaEarth's layers)."""
    try:
        return whole_years(periods, "AlphaEarth")
    except PeriodError as exc:
        raise UserError(str(exc)) from None


def _reusable(path: str, key: str) -> bool:
    """Whether the period file at `path` is complete and was made with the settings `key`."""
    import rasterio

    if not os.path.isfile(path):
        return False
    try:
        outputs.verify_geotiff(path)
        with rasterio.open(path) as src:
            return src.tags().get(SERIES_KEY_TAG) == key
    except Exception:  # unreadable or incomplete: computed again (and replaced through its transaction)
        return False


def _one_period(inner_job: Mapping, period: Period, series: str, policy: str, ctx) -> dict:
    path = period_file(series, period.label)
    inner = _inner_job(inner_job, period, path)
    done = {"label": period.label, "start": period.start, "end": period.end, "file": path, "images": None}
    if _reusable(path, inner["tags"][SERIES_KEY_TAG]):
        ctx.log(tr("Period %s (%s): reused %s, made earlier with the same area, model and settings.") % (
            period.label, period.text(), path))  # fmt: skip
        ctx.progress(1.0, "period %s reused" % period.label)
        return dict(done, status="reused")
    ctx.log(tr("Period %s (%s): computing %s.") % (period.label, period.text(), path))
    inner["work_dir"] = ctx.work_dir
    try:
        result = get_handler(inner["type"])(inner, ctx)
    except NoImagery as exc:
        what = "Period %s (%s) has no imagery: %d images match. %s" % (period.label, period.text(), exc.images, exc)
        if policy == "stop":
            raise UserError(
                tr(
                    "%s The run stopped there (as asked); the periods before it are kept and the next run reuses them. "
                    "Widen the period, or choose to skip periods without imagery."
                )
                % what
            ) from None
        ctx.warn(tr("%s Skipped, as asked; the series goes on without it.") % what)
        return dict(done, status="skipped", images=exc.images, file=None)
    provenance = result.get("provenance") or {}
    return dict(done, status="computed", images=provenance.get("images"), device=result.get("device"))


def _write_vrt(inner_job: Mapping, series: str, done: list, partial: str) -> dict:
    """Write the series VRT of the periods that have a file; its facts for the result."""
    import rasterio

    listed = [Period(d["label"], d["start"], d["end"], d["file"]) for d in done if d["status"] != "skipped"]
    if len(listed) < 2:
        raise UserError(
            tr(
                "Only %d of the %d periods has imagery, so there is no series: widen the periods, or compare two "
                "dates with Change between dates."
            )
            % (len(listed), len(done))
        )
    with rasterio.open(listed[0].file) as first:
        collection = (inner_job.get("source") or {}).get("collection") or "S2"
        model = raster_tags.read(first.tags(), raster_tags.MODEL) or "imagery:%s" % collection
        names = [d or "band_%03d" % i for i, d in enumerate(first.descriptions)]
        write_series(partial, listed, model=model, dimensions=first.count, grid=first, dest=series, band_names=names)
    return {"model": model, "dimensions": len(names)}


@job("series")
def run_series(job: dict, ctx) -> dict:
    asked = SeriesJob.read(job)
    if asked.periods is None:
        raise UserError(tr('The job needs %r: the periods, e.g. "2019..2025".') % "periods")
    periods, series, policy, inner = list(asked.periods), asked.series, asked.if_no_imagery, asked.job or {}
    grid_like = None  # a raster whose grid AlphaEarth is fetched on: an input, never overwritten
    if inner.get("type") == "alphaearth_fetch":
        _years(periods)  # every period a calendar year, before any request
        grid_like = AlphaEarthSource.read(sub_job(inner, "source"), prefix="job.source.").grid_like
    done = []
    with outputs.transaction(job, [grid_like] if grid_like else ()) as tx, common.keep_model():
        partial = tx.add(series, "series", VRT, verify=read_series)
        for i, period in enumerate(periods):
            ctx.check_cancel()
            done.append(
                _one_period(inner, period, series, policy, ctx.substage(i / len(periods), (i + 1) / len(periods)))
            )
        facts = _write_vrt(inner, series, done, partial)
        ctx.check_cancel()
        tx.commit()
    counts = {
        status: [d["label"] for d in done if d["status"] == status] for status in ("computed", "reused", "skipped")
    }
    said = [
        "%s %d (%s)" % (tr(STATUS_WORDS[status]), len(labels), ", ".join(labels) or tr("none"))
        for status, labels in counts.items()
    ]
    ctx.log(tr("Series %s: %s.") % (series, "; ".join(said)))
    devices = [d["device"] for d in done if d.get("device")]
    return dict(facts, series=series, periods=done, device=devices[-1] if devices else None, **counts)


def _periods_of_rasters(rasters: list) -> list:
    """The periods of rasters computed from Earth Engine imagery: their composites' dates (provenance)."""
    import rasterio

    periods = []
    for path in rasters:
        with rasterio.open(path) as src:
            tags = src.tags()
        try:
            provenance = json.loads(raster_tags.read(tags, raster_tags.PROVENANCE) or "{}")
            periods.append(period_of(str(provenance["start"]), str(provenance["end"])))
        except (ValueError, KeyError, TypeError):
            raise UserError(
                tr(
                    "%s does not say which dates it shows (no Earth Engine provenance): give the periods, one per "
                    "raster in order, e.g. 2019,2020,2021."
                )
                % path
            ) from None
    try:
        check_series(periods)
    except PeriodError as exc:
        raise UserError(tr("The rasters' own dates: %s") % exc) from None
    return periods


@job("build_series")
def run_build_series(job: dict, ctx) -> dict:
    asked = BuildSeriesJob.read(job)
    rasters = list(asked.rasters or ())
    if asked.rasters is None or not all(isinstance(p, str) and p for p in rasters):
        raise UserError(tr("The build_series job needs 'rasters': the embedding rasters' paths, in time order."))
    if len(rasters) < 2:
        raise UserError(
            tr("A series needs at least two rasters (got %d): to compare two dates use Change between dates.")
            % len(rasters)
        )
    series = asked.series
    for path in rasters:
        if not os.path.isfile(path):
            raise UserError(tr("The raster %s does not exist. Choose existing embedding rasters.") % path)
    if asked.periods:
        try:
            check_series(list(asked.periods))
        except PeriodError as exc:
            raise UserError(str(exc)) from None
    periods = list(asked.periods) if asked.periods else _periods_of_rasters(rasters)
    with outputs.transaction(job, rasters) as tx:
        built = series_from_rasters(rasters, periods, series, tx, ctx)
        ctx.check_cancel()
        tx.commit()
    resampled = [p.label for p, path in zip(built.periods, rasters) if p.file != os.path.abspath(path)]
    listed = [{"label": p.label, "start": p.start, "end": p.end, "file": p.file} for p in built.periods]
    return {"series": series, "model": built.model, "dimensions": built.dimensions, "periods": listed,
            "resampled": resampled}  # fmt: skip
