"""The job registry: job type -> handler.

A handler is `handler(job: dict, ctx: JobContext) -> dict` (the result, JSON-able). Modules
register themselves with @job("type"); HANDLER_MODULES lists the modules the worker imports
lazily, so that a job only pays for the imports it needs (terratorch alone takes seconds).
"""

import importlib
import os
from collections.abc import Callable
from typing import Any

from . import i18n
from .context import JobContext
from .i18n import tr

JobSpec = dict[str, Any]  # JSON-able, with "type"
JobResult = dict[str, Any]  # JSON-able
Handler = Callable[[JobSpec, JobContext], JobResult]

_HANDLERS: dict[str, Handler] = {}

# job type -> module (relative to the package root) that registers it
HANDLER_MODULES = {
    "environment": "engine.pipeline.environment",
    "embed": "engine.pipeline.embed",
    "embed_features": "engine.pipeline.features",
    "pca": "engine.analysis.pca",
    "similarity": "engine.analysis.similarity",
    "cluster": "engine.analysis.cluster",
    "classify": "engine.analysis.classify",
    "apply_classifier": "engine.analysis.apply_classifier",
    "change": "engine.analysis.change",
    "change_series": "engine.analysis.change_series",
    "compare": "engine.analysis.compare",
    "ee_fetch": "engine.sources.earthengine_job",
    "alphaearth_fetch": "engine.sources.earthengine_job",
    "series": "engine.pipeline.series_job",
    "build_series": "engine.pipeline.series_job",
}


# GDAL's block cache defaults to 5% of the RAM and keeps every block read or written until it is
# full, so a job's memory would grow with its rasters (measured: +330 MB reading a 4096 x 4096
# 12-band raster). Every job runs with this cap: GDAL reads GDAL_CACHEMAX when it first uses the
# cache, which in a worker is after run_job (or a Dask worker's first raster task) set it. A user's
# own GDAL_CACHEMAX is kept.
GDAL_CACHE_MB = 128


def limit_gdal_cache() -> None:
    """The GDAL block-cache policy of every process that runs jobs (see GDAL_CACHE_MB)."""
    os.environ.setdefault("GDAL_CACHEMAX", str(GDAL_CACHE_MB))


def job(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[name] = func
        return func

    return register


def get_handler(name: str) -> Handler:
    from ..shared.errors import UserError

    if name not in _HANDLERS:
        module = HANDLER_MODULES.get(name)
        if module is None:
            raise UserError(tr("Unknown job type %r; known: %s") % (name, ", ".join(sorted(HANDLER_MODULES))))
        load(module)
    return _HANDLERS[name]


def load(module: str) -> Any:
    """A module of this package by its dotted name from the package root ("engine.report.job"): features
    are found by name, so the framework imports none of them."""
    package = __name__.rsplit(".", 2)[0]
    return importlib.import_module("%s.%s" % (package, module))


# The module that runs a job with its HTML report ("html_report" in the job): found by name, like handlers.
REPORT_MODULE = "engine.report.job"


def run_job(job: JobSpec, ctx: JobContext) -> JobResult:
    """Run one job (a dict with 'type') in this process; with "html_report" (a path), the job and
    its HTML report together (engine/report/job.py)."""
    limit_gdal_cache()
    i18n.use(job.get("locale"))  # the worker's messages in the shell's language (engine/i18n.py)
    handler = get_handler(job["type"])
    if not job.get("html_report"):
        return handler(job, ctx)
    result: JobResult = load(REPORT_MODULE).run_with_report(job, ctx, handler)
    return result
