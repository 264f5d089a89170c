"""The job registry: job type -> handler.

A handler is `handler(job: dict, ctx: JobContext) -> dict` (the result, JSON-able). Modules
register themselves with @job("type"); HANDLER_MODULES lists the modules the worker imports
lazily, so that a job only pays for the imports it needs (terratorch alone takes seconds).
"""
import importlib

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
    """Run one job spec (a dict with 'type') in this process."""
    return get_handler(spec["type"])(spec, ctx)
