"""HTML reports of jobs: the optional "html_report" key of a job (a destination path).

engine/jobs.run_job checks the job before it runs (check), adds the report's destination to the
job's output transaction (shared/transaction.py) with the job's other outputs, and writes the report from
the job's result when it has succeeded (write) to its partial name; the transaction commits it
together with the job's other outputs. The report's page
is built by the module of the job type (embedding.py: embed, embed_features; analysis.py: pca,
similarity, cluster, change; classification.py: classify; series.py: change_series; compare.py: compare;
classifier.py: apply_classifier) from page.py (HTML) and charts.py (matplotlib SVG), in the job's language
(engine/i18n.py: every word through tr(), <html lang>). A report adds nothing to the result but its own
path ("html_report"): every number in it is in the result.
"""

import importlib
import os

from ...shared.errors import UserError
from ...shared.transaction import file_identity
from ..i18n import tr

# job type -> module (in this package) whose BUILDERS[type](job, result, seconds) returns the HTML
MODULES = {
    "embed": "embedding",
    "embed_features": "embedding",
    "pca": "analysis",
    "similarity": "analysis",
    "cluster": "analysis",
    "classify": "classification",
    "apply_classifier": "classifier",
    "change": "analysis",
    "change_series": "series",
    "compare": "compare",
}


def _paths_in(value, depth=0):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _paths_in(item, depth + 1)
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value:
            yield from _paths_in(item, depth + 1)


def check(job):
    """The report's absolute destination, or None when the job asks for no report. UserError when
    the job type has no report, the destination is another path of the job or the runtime cannot
    draw charts. (The destination itself is checked by the output transaction.)"""
    path = job.get("html_report")
    if not path:
        return None
    if job.get("type") not in MODULES:
        raise UserError(
            tr("Job type %r has no HTML report (reports exist for %s); drop 'html_report'.")
            % (job.get("type"), ", ".join(sorted(MODULES)))
        )
    if not isinstance(path, str):
        raise UserError(tr("'html_report' must be a file path, got %r.") % (path,))
    path = os.path.abspath(os.path.expanduser(path))
    others = {k: v for k, v in job.items() if k != "html_report"}
    same = [p for p in _paths_in(others) if file_identity(p) == file_identity(path)]
    if same:
        raise UserError(
            tr(
                "The HTML report %s is also an input or another output of the job (%s); choose "
                "another file name (e.g. report.html)."
            )
            % (path, same[0])
        )
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise UserError(
            tr(
                "The TerraEmbed runtime cannot draw the report's charts (%s). Run 'Install "
                "or update runtime', or skip the report."
            )
            % exc
        ) from exc
    return path


def build(job, result, seconds):
    """The report's HTML text for a finished job."""
    module = importlib.import_module("%s.%s" % (__name__, MODULES[job["type"]]))
    return module.BUILDERS[job["type"]](job, result, seconds)


def write(job, result, seconds, path):
    """Write the report of a finished job to path (the transaction's partial name)."""
    text = build(job, result, seconds)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
