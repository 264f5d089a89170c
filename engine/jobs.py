"""The job registry: job type -> handler.

A handler is `handler(job: dict, ctx: JobContext) -> dict` (the result, JSON-able). Modules
register themselves with @job("type"); HANDLER_MODULES lists the modules the worker imports
lazily, so that a job only pays for the imports it needs (terratorch alone takes seconds).
"""
import importlib
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
    write the job's HTML report (report/) in the job's output transaction: its destination is
    checked with the job's other outputs before any work, it is written under a partial name
    from the job's result, and committed together with them (by the shell when the spec carries
    its manifest, else here); its path comes back as the result's "html_report"."""
    handler = get_handler(spec["type"])
    if not spec.get("html_report"):
        return handler(spec, ctx)
    from .. import report
    from ..pipeline import outputs
    path = report.check(spec)
    with outputs.transaction(spec) as tx:
        partial = tx.add(path, "HTML report", outputs.HTML)
        started = time.monotonic()
        result = handler(dict(spec, transaction=tx), ctx)   # the job's outputs join tx
        if ctx.warnings:
            result.setdefault("warnings", list(ctx.warnings))
        report.write(spec, result, time.monotonic() - started, partial)
        tx.commit()
    result["html_report"] = path
    return result
