"""The job registry: job type -> handler.

A handler is `handler(job: dict, ctx: JobContext) -> dict` (the result, JSON-able). Modules
register themselves with @job("type"); HANDLER_MODULES lists the modules the worker imports
lazily, so that a job only pays for the imports it needs (terratorch alone takes seconds).
"""

import importlib
import os
import time
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
    "environment": "engine.environment",
    "embed": "engine.pipeline.embed",
    "embed_features": "engine.pipeline.features",
    "pca": "engine.analysis.pca",
    "similarity": "engine.analysis.similarity",
    "cluster": "engine.analysis.cluster",
    "classify": "engine.analysis.classify",
    "change": "engine.analysis.change",
    "ee_fetch": "engine.sources.earthengine_job",
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
        package = __name__.rsplit(".", 2)[0]
        importlib.import_module("%s.%s" % (package, module))
    return _HANDLERS[name]


def run_job(spec: JobSpec, ctx: JobContext) -> JobResult:
    """Run one job spec (a dict with 'type') in this process. With "html_report" (a path), also
    write the job's HTML report (report/) in the job's output transaction: its destination is
    checked with the job's other outputs before any work, it is written under a partial name
    from the job's result, and committed together with them (by the shell when the spec carries
    its manifest, else here); its path comes back as the result's "html_report"."""
    limit_gdal_cache()
    i18n.use(spec.get("locale"))  # the worker's messages in the shell's language (engine/i18n.py)
    handler = get_handler(spec["type"])
    if not spec.get("html_report"):
        return handler(spec, ctx)
    from ..shared.transaction import HTML
    from . import report
    from .pipeline import outputs

    path = report.check(spec)
    with outputs.transaction(spec) as tx:
        partial = tx.add(path, "HTML report", HTML)
        started = time.monotonic()
        result = handler(dict(spec, transaction=tx), ctx)  # the job's outputs join tx
        if ctx.warnings:
            result.setdefault("warnings", list(ctx.warnings))
        report.write(spec, result, time.monotonic() - started, partial)
        tx.commit()
    result["html_report"] = path
    return result
