"""A job with its HTML report ("html_report" in the job: a path), run by engine/jobs.run_job: the report's
destination is checked with the job's other outputs before any work, it is written under a partial name
from the job's result, and committed together with them (by the shell when the job carries its manifest,
else here); its path comes back as the result's "html_report"."""

import time
from typing import Any

from ...shared.transaction import HTML
from ..context import JobContext
from ..pipeline import outputs
from . import check, write


def run_with_report(job: dict[str, Any], ctx: JobContext, handler: Any) -> dict[str, Any]:
    path = check(job)
    with outputs.transaction(job) as tx:
        partial = tx.add(path, "HTML report", HTML)
        started = time.monotonic()
        result: dict[str, Any] = handler(dict(job, transaction=tx), ctx)  # the job's outputs join tx
        if ctx.warnings:
            result.setdefault("warnings", list(ctx.warnings))
        write(job, result, time.monotonic() - started, partial)
        tx.commit()
    result["html_report"] = path
    return result
