"""The "ee_fetch" job: fetch an Earth Engine composite and write it as a GeoTIFF, without embedding.

Job: {"type": "ee_fetch", "source": {... see earthengine.fetch_composite ...}, "output": "/path/out.tif",
      "tags": {...} (optional: extra GeoTIFF tags, e.g. a series period's)}
Result: {"path": output, "provenance": {...}}. The output goes through the output transaction
(engine/pipeline/outputs.py): the room for the composite (its grid's size) is checked in the output's
folder, the job's temp folder and the imagery cache before anything is fetched; the composite is
fetched into the job's temp folder, copied to the output's partial name as a Cloud Optimized GeoTIFF
(engine/pipeline/cog.write_cog, its IMAGERY layout: DEFLATE as fetched, averaged overviews), verified,
and committed only on success, with its STAC Item sidecar (<output stem>.stac.json,
engine/pipeline/stac.py). The "alphaearth_fetch" job writes one year of AlphaEarth embeddings the same
way, with an embeddings Item as its sidecar (earthengine/alphaearth_stac.py: the licence and attribution).
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

from ...shared.jobs.sources import AlphaEarthFetchJob, EeFetchJob
from ..context import JobContext
from ..i18n import tr
from ..jobs import JobResult, JobSpec, job
from ..pipeline import outputs, stac
from ..pipeline.cog import IMAGERY, write_cog
from ..pipeline.common import check_composite_space
from .earthengine import fetch_composite
from .earthengine.alphaearth_stac import write_alphaearth_item


@job("ee_fetch")
def ee_fetch(job: JobSpec, ctx: JobContext) -> JobResult:
    fetch = EeFetchJob.read(job)  # every key checked (the source's too) before any request
    output = os.path.abspath(os.path.expanduser(fetch.output))
    source = dict(job.get("source") or {})  # the fetch reads it through the same contract (request.py)
    source.pop("kind", None)
    provenance = _fetch_into(
        job, fetch.tags, ctx, output, source, "composite", fetch_composite, sidecar=stac.write_fetch_item
    )
    ctx.log(tr("Earth Engine composite written to %s") % output)
    return {"path": output, "provenance": provenance}


@job("alphaearth_fetch")
def alphaearth_fetch(job: JobSpec, ctx: JobContext) -> JobResult:
    """{"type": "alphaearth_fetch", "source": {"aoi" or "grid_like", "year", ...: see earthengine.alphaearth},
    "output": "/path/out.tif", "tags": {...} (optional)} -> {"path", "provenance"}: one year of AlphaEarth
    embeddings through the output transaction, as the ee_fetch job writes a composite (room checked first,
    fetched into the job's temp folder, moved to the partial name, committed only on success). The grid
    raster (grid_like) is an input: never an output."""
    from .earthengine.alphaearth import alphaearth_request, fetch_alphaearth

    fetch = AlphaEarthFetchJob.read(job)
    output = os.path.abspath(os.path.expanduser(fetch.output))
    source = dict(job.get("source") or {})
    source.pop("kind", None)
    request = alphaearth_request(source)
    cells = (request.get("output_grid") or {}).get("cells") or [1, 1]  # averaged onto a coarser grid: smaller
    inputs = [fetch.source.grid_like] if fetch.source.grid_like else ()
    provenance = _fetch_into(
        job,
        fetch.tags,
        ctx,
        output,
        source,
        "AlphaEarth embeddings",
        fetch_alphaearth,
        inputs,
        request,
        cells[0] * cells[1],
        sidecar=write_alphaearth_item,
    )
    ctx.log(tr("AlphaEarth embeddings of %d written to %s") % (request["year"], output))
    return {"path": output, "provenance": provenance}


def _fetch_into(
    job: JobSpec,
    tags: Optional[Mapping[str, Any]],
    ctx: JobContext,
    output: str,
    source: dict[str, Any],
    what: str,
    fetch: Callable[[dict[str, Any], JobContext], tuple[str, dict[str, Any]]],
    inputs: Sequence[str] = (),
    request: Optional[dict[str, Any]] = None,
    shrink: int = 1,
    sidecar: Optional[Callable[[str, str, dict[str, Any]], None]] = None,
) -> dict[str, Any]:
    """The one way a fetch job writes its GeoTIFF: the output added to the job's transaction (inputs
    protected), room checked in the output's folder, the temp folder and the cache before any request
    (`shrink`: how many fetched cells make one output cell), fetched into the job's temp folder, tagged (a
    series' period and settings key), copied to the partial name as a COG (averaged overviews; what they
    add counted before the copy), with its STAC sidecar (sidecar(partial, output, provenance)), committed
    only on success. Returns the fetch's provenance."""
    with outputs.transaction(job, inputs) as tx:
        partial = tx.add(output, what, outputs.GEOTIFF)
        scratch = tempfile.mkdtemp(prefix="ee-", dir=ctx.work_dir or None)
        try:
            check_composite_space(source, scratch, lambda nbytes: tx.reserve(output, nbytes // shrink), request)
            source["out_dir"] = scratch
            path, provenance = fetch(source, ctx)
            ctx.check_cancel()
            tx.reserve(output, os.path.getsize(path) * 4 // 3)  # the overviews add at most a third
            _add_tags(path, tags)
            write_cog(path, partial, "deflate", ctx.check_cancel, layout=IMAGERY)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if sidecar:
            sidecar(partial, output, provenance)
        tx.commit()
    return provenance


def _add_tags(path: str, tags: Optional[Mapping[str, Any]]) -> None:
    if tags:
        import rasterio

        with rasterio.open(path, "r+") as ds:
            ds.update_tags(**{str(k): str(v) for k, v in tags.items()})
