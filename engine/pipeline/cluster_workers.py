"""What the client checks of each Dask worker before a job runs on it (cluster.py's set-up): the same
TerraEmbed and runtime versions, the model's weights, read access to the inputs, and the nanny's
malloc_trim setting that slows the model. The workers' side of the probe is cluster_tasks.probe_task."""

from typing import Any

from ...shared.errors import UserError
from ..context import JobContext
from ..i18n import tr
from . import cluster_tasks


def check_worker(addr: str, got: dict[str, Any], mine: dict[str, Any], model_spec: Any, allow_unreadable: bool) -> None:
    """UserError when a worker runs another version than `mine`, lacks the weights or (unless allowed)
    cannot read an input. got: what the worker's probe found."""
    diff = ["%s %s (this runtime: %s)" % (k, got.get(k), v) for k, v in mine.items() if got.get(k) != v]
    if diff:
        raise UserError(
            tr(
                "Dask worker %s (host %s) runs another version: %s. Install the same "
                "TerraEmbed version and the same runtime lock on every worker."
            )
            % (addr, got["host"], ", ".join(diff))
        )
    if got["missing_weights"]:
        raise UserError(
            tr(
                "Dask worker %s (host %s) lacks %s for model %s. Put the weights there "
                "(same path, or its Hugging Face cache), or allow downloads."
            )
            % (addr, got["host"], got["missing_weights"], model_spec.id)
        )
    if got["unreadable"] and not allow_unreadable:
        raise UserError(
            tr(
                "Dask worker %s (host %s) cannot read the input %s. Give a path every "
                "worker can read (a shared folder, a /vsicurl/ or cloud URL)."
            )
            % (addr, got["host"], ", ".join(got["unreadable"]))
        )


def log_malloc_trim(workers: dict[str, dict[str, Any]], ctx: JobContext) -> None:
    """Names, in the job's log, the workers whose nanny set malloc_trim (workers: address -> probe info)."""
    trimmed = sorted(a for a, got in workers.items() if got.get("malloc_trim") is not None)
    if trimmed:
        ctx.log(
            tr(
                "Dask worker(s) %s run with %s=%s (the Dask nanny's default), which slows the "
                "model by about 10-15 %%: start `dask worker` with DASK_CONFIG set to the plugin's "
                "engine/pipeline/dask folder (README, 'Running on a cluster')."
            )
            % (", ".join(trimmed), cluster_tasks.MALLOC_TRIM, workers[trimmed[0]]["malloc_trim"])
        )
