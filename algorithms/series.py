"""Periods in Compute embeddings and Fetch Earth Engine composite: the PERIODS parameter and the series run
(the worker's "series" job, engine/pipeline/series_job.py): one raster per period on one grid, then the series VRT
(engine/pipeline/series.py's format). The series takes its name from the raster destination: grid.tif gives
grid.vrt and the periods' files grid_<label>.tif beside it."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)

from ..shared.catalogue import IF_NO_IMAGERY
from ..shared.jobs.embedding import SeriesJob
from ..shared.periods import SYNTAX, PeriodError, check_series, parse_periods, period_file
from ..shared.transaction import VRT
from ..shell.i18n import tr
from . import compat

PERIODS = "PERIODS"
IF_EMPTY = "IF_NO_IMAGERY"
OUTPUT_SERIES = "OUTPUT_SERIES"
COMPUTED, REUSED, SKIPPED = "PERIODS_COMPUTED", "PERIODS_REUSED", "PERIODS_SKIPPED"
HELP = (
    tr(
        "Periods (Earth Engine; empty = the start and end dates): a series, one raster per period on exactly one "
        "grid, plus a series file <name>.vrt that QGIS opens (the periods' bands in order) and that lists the "
        "periods with their dates; the periods' files are <name>_<label>.tif beside it. Syntax: %s. Cost: one run "
        "per period (a series of N periods costs N runs; imagery already in the cache is not fetched again), memory "
        "as for one period whatever the series' length. Each period is saved as soon as it is done: a failed or "
        "cancelled run keeps the periods finished before it, and a new run with the same area, model and settings "
        "reuses them (the log and the outputs count the periods computed, reused and skipped). A period without "
        "imagery stops the run or is skipped, as chosen. With periods only the rasters and the series are written "
        "(no PCA, pooled vector, composite copy or report)."
    )
    % SYNTAX
)


def add_period_parameters(alg):
    alg.addParameter(
        QgsProcessingParameterString(
            PERIODS, tr("Earth Engine: periods of a series (empty = the dates above), e.g. 2019..2025"), optional=True
        )
    )
    add_if_no_imagery_parameter(alg)


def add_if_no_imagery_parameter(alg):
    """The choice for a period without imagery (stop or skip), as every series run reads it."""
    alg.addParameter(
        compat.advanced(
            QgsProcessingParameterEnum(
                IF_EMPTY,
                tr("Earth Engine: a period without imagery"),
                options=[tr(label) for label in IF_NO_IMAGERY.values()],
                defaultValue=list(IF_NO_IMAGERY).index(SeriesJob.default("if_no_imagery")),
            )
        )
    )


def add_series_outputs(alg):
    alg.addOutput(QgsProcessingOutputRasterLayer(OUTPUT_SERIES, tr("Series (every period's bands, in order)")))
    alg.addOutput(QgsProcessingOutputNumber(COMPUTED, tr("Periods computed")))
    alg.addOutput(QgsProcessingOutputNumber(REUSED, tr("Periods reused")))
    alg.addOutput(QgsProcessingOutputNumber(SKIPPED, tr("Periods skipped (no imagery)")))


def periods_of(alg, parameters, context):
    """The PERIODS parameter's periods ([]: no series), checked (QgsProcessingException with the fix)."""
    try:
        periods = parse_periods(alg.parameterAsString(parameters, PERIODS, context))
        if periods:
            check_series(periods)
    except PeriodError as exc:
        raise QgsProcessingException(tr("Periods: %s") % exc) from None
    return periods


def run_series(alg, parameters, context, feedback, tx, inner, destination, periods):
    """Run `inner` (an embed or ee_fetch job without outputs) once per period; the series VRT takes the name
    of the raster destination `destination` and is committed by tx with the run. The results of the series
    outputs (and `destination`: None, no such file is written)."""
    path = alg.parameterAsOutputLayer(parameters, destination, context)
    if not path:
        raise QgsProcessingException(
            tr(
                "A series needs the %s output: its name names the series (name.vrt) and the periods' files "
                "(name_<label>.tif)."
            )
            % alg.parameterDefinition(destination).description()
        )
    series = os.path.splitext(os.path.abspath(path))[0] + ".vrt"
    tx.add(series, tr("series"), VRT)
    _load_series_instead(context, path, series)
    policy = alg.parameterAsChoice(parameters, IF_EMPTY, context, IF_NO_IMAGERY)
    feedback.pushInfo(
        tr("A series of %d periods (%s), one run each, saved as each is done; a period without imagery: %s.")
        % (len(periods), ", ".join(p.label for p in periods), tr(IF_NO_IMAGERY[policy]))
    )
    listed = [{"label": p.label, "start": p.start, "end": p.end} for p in periods]
    series_job = {"type": "series", "job": inner, "periods": listed, "series": series, "if_no_imagery": policy}
    try:
        result = alg.run_job(series_job, feedback, tx=tx)
    except QgsProcessingException:
        kept = [p.label for p in periods if os.path.isfile(period_file(series, p.label))]
        if kept:  # each period is committed as soon as it is done: say so beside the error
            feedback.pushWarning(
                tr(
                    "The series was not written, but these periods' files are complete and the next run with the "
                    "same settings reuses them: %s."
                )
                % ", ".join(kept)
            )
        raise
    said = {
        "computed": tr("Periods computed: %d%s"),
        "reused": tr("Periods reused: %d%s"),
        "skipped": tr("Periods skipped: %d%s"),
    }  # a period's status in the result -> in words
    for status, words in said.items():
        labels = result.get(status) or []
        feedback.pushInfo(words % (len(labels), " (%s)" % ", ".join(labels) if labels else ""))
    results = {
        destination: None,
        OUTPUT_SERIES: series,
        COMPUTED: len(result.get("computed") or []),
        REUSED: len(result.get("reused") or []),
        SKIPPED: len(result.get("skipped") or []),
    }
    for name, key in (("DIM", "dimensions"), ("DEVICE_USED", "device")):  # Compute embeddings' own outputs
        if alg.outputDefinition(name) is not None:
            results[name] = result.get(key)
    return results


def _load_series_instead(context, path, series):
    """Load the series, not the destination's own file (which a series run does not write), at the end."""
    layers = context.layersToLoadOnCompletion()
    details = layers.pop(path, None)
    if details is None:
        return
    details.name = os.path.splitext(os.path.basename(series))[0]
    details.outputName = OUTPUT_SERIES
    layers[series] = details
    context.setLayersToLoadOnCompletion(layers)
