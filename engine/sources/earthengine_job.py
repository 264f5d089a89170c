"""The "ee_fetch" job: fetch an Earth Engine composite and write it as a GeoTIFF, without embedding.

Job: {"type": "ee_fetch", "source": {... see earthengine.fetch_composite ...}, "output": "/path/out.tif"}
Result: {"path": output, "provenance": {...}}. The output goes through the output transaction
(engine/pipeline/outputs.py): the room for the composite (its grid's size) is checked in the output's
folder, the job's temp folder and the imagery cache before anything is fetched; the composite is
fetched into the job's temp folder, moved to the output's partial name, verified, and committed
only on success.
"""

import os
import shutil
import tempfile

from ...shared.errors import UserError
from ..i18n import tr
from ..jobs import job
from ..pipeline import outputs
from ..pipeline.common import check_composite_space
from .earthengine import fetch_composite


@job("ee_fetch")
def ee_fetch(spec, ctx):
    output = spec.get("output")
    if not output:
        raise UserError(tr("The ee_fetch job needs an 'output' GeoTIFF path."))
    output = os.path.abspath(os.path.expanduser(str(output)))
    source = dict(spec.get("source") or {})
    source.pop("kind", None)
    with outputs.transaction(spec) as tx:
        partial = tx.add(output, "composite", outputs.GEOTIFF)
        scratch = tempfile.mkdtemp(prefix="ee-", dir=ctx.work_dir or None)
        try:
            check_composite_space(source, scratch, lambda nbytes: tx.reserve(output, nbytes))
            source["out_dir"] = scratch
            path, provenance = fetch_composite(source, ctx)
            ctx.check_cancel()
            tx.reserve(output, os.path.getsize(path))
            shutil.move(path, partial)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        tx.commit()
    ctx.log(tr("Earth Engine composite written to %s") % output)
    return {"path": output, "provenance": provenance}
