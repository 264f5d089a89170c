"""HTML reports of jobs: the optional "html_report" key of a job spec (a destination path).

engine/jobs.run_job checks the destination before the job runs (check) and writes the report from
the job's result when it has succeeded (write): under a partial name beside the destination
(protocol.partial_path), renamed into place at the end, like every other output. The report's page
is built by the module of the job type (embedding.py: embed, embed_features; analysis.py: pca,
similarity, cluster, classify, change) from page.py (HTML) and charts.py (matplotlib SVG). A
report adds nothing to the result but its own path ("html_report"): every number in it is in the
result.
"""
import importlib
import os

from ..engine.errors import UserError
from ..protocol import partial_path

# job type -> module (in this package) whose BUILDERS[type](spec, result, seconds) returns the HTML
MODULES = {"embed": "embedding", "embed_features": "embedding", "pca": "analysis",
           "similarity": "analysis", "cluster": "analysis", "classify": "analysis",
           "change": "analysis"}


def _paths_in(value, depth=0):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _paths_in(item, depth + 1)
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value:
            yield from _paths_in(item, depth + 1)


def check(spec):
    """The report's absolute destination, or None when the job asks for no report. UserError when
    the job type has no report, the destination is not writable or is another path of the job."""
    path = spec.get("html_report")
    if not path:
        return None
    if spec.get("type") not in MODULES:
        raise UserError("Job type %r has no HTML report (reports exist for %s); drop "
                        "'html_report'." % (spec.get("type"), ", ".join(sorted(MODULES))))
    if not isinstance(path, str):
        raise UserError("'html_report' must be a file path, got %r." % (path,))
    from ..transaction import Transaction
    probe = Transaction()     # the destination checks of every output (folder, writable, format, space)
    probe.add(path, "HTML report", formats={".html": "HTML", ".htm": "HTML"})
    probe.abort()
    path = os.path.abspath(os.path.expanduser(path))
    others = {k: v for k, v in spec.items() if k != "html_report"}
    if any(os.path.abspath(p) == path for p in _paths_in(others)):
        raise UserError("The HTML report %r is also an input or another output of the job; choose "
                        "another file name (e.g. report.html)." % path)
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise UserError("The TerraEmbed runtime cannot draw the report's charts (%s). Run 'Install "
                        "or update runtime', or skip the report." % exc) from exc
    return path


def build(spec, result, seconds):
    """The report's HTML text for a finished job."""
    module = importlib.import_module("%s.%s" % (__name__, MODULES[spec["type"]]))
    return module.BUILDERS[spec["type"]](spec, result, seconds)


def write(spec, result, seconds, path):
    """Write the report of a finished job to path (partial name, then rename); return path."""
    text = build(spec, result, seconds)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = partial_path(path)
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path
