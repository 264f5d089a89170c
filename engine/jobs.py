"""The job registry: job type -> handler.

A handler is `handler(job: dict, ctx: JobContext) -> dict` (the result, JSON-able). Modules
register themselves with @job("type"); HANDLER_MODULES lists the modules the worker imports
lazily, so that a job only pays for the imports it needs (terratorch alone takes seconds).
"""
import importlib
import os
import time

_HANDLERS = {}

# job type -> module (relative to the package root) that registers it
HANDLER_MODULES = {
    "environment": "engine.environment",
    "embed": "pipeline.embed",
    "embed_features": "pipeline.features",
    "pca": "analysis.pca",
    "similarity": "analysis.similarity",
    "cluster": "analysis.cluster",
    "classify": "analysis.classify",
    "change": "analysis.change",
    "ee_fetch": "sources.earthengine_job",
}


# GDAL's block cache defaults to 5% of the RAM and keeps every block read or written until it is
# full, so a job's memory would grow with its rasters (measured: +330 MB reading a 4096 x 4096
# 12-band raster). Every job runs with this cap: GDAL reads GDAL_CACHEMAX when it first uses the
# cache, which in a worker is after run_job (or a Dask worker's first raster task) set it. A user's
# own GDAL_CACHEMAX is kept.
GDAL_CACHE_MB = 128


def limit_gdal_cache():
    """The GDAL block-cache policy of every process that runs jobs (see GDAL_CACHE_MB)."""
    os.environ.setdefault("GDAL_CACHEMAX", str(GDAL_CACHE_MB))


def job(name):
    def register(func):
        _HANDLERS[name] = func
        return func
    return register


def get_handler(name):
    from .errors import UserError
    if name not in _HANDLERS:
        module = HANDLER_MODULES.get(name)
        if module is None:
            raise UserError("Unknown job type %r; known: %s" % (name, ", ".join(sorted(HANDLER_MODULES))))
        package = __name__.rsplit(".", 2)[0]
        importlib.import_module("%s.%s" % (package, module))
    return _HANDLERS[name]


def run_job(spec, ctx):
    """Run one job spec (a dict with 'type') in this process. With "html_report" (a path), also
    write the job's HTML report (report/): its destination is checked before the job runs and its
    path comes back as the result's "html_report"."""
    limit_gdal_cache()
    handler = get_handler(spec["type"])
    if not spec.get("html_report"):
        return handler(spec, ctx)
    from .. import report
    path = report.check(spec)
    started = time.monotonic()
    result = handler(spec, ctx)
    if ctx.warnings:
        result.setdefault("warnings", list(ctx.warnings))
    result["html_report"] = report.write(spec, result, time.monotonic() - started, path)
    return result
