"""The "ee_fetch" job: fetch an Earth Engine composite and write it as a GeoTIFF, without embedding.

Job: {"type": "ee_fetch", "source": {... see earthengine.fetch_composite ...}, "output": "/path/out.tif"}
Result: {"path": output, "provenance": {...}}. The output appears only on success (the composite is
written in a temporary folder next to it and renamed into place).
"""
import os
import shutil

from ..engine.errors import UserError
from ..protocol import partial_path
from ..engine.jobs import job
from .earthengine import fetch_composite


@job("ee_fetch")
def ee_fetch(spec, ctx):
    output = spec.get("output")
    if not output:
        raise UserError("The ee_fetch job needs an 'output' GeoTIFF path.")
    output = os.path.abspath(os.path.expanduser(str(output)))
    folder = os.path.dirname(output)
    if not os.path.isdir(folder):
        raise UserError("The output folder %s does not exist." % folder)
    source = dict(spec.get("source") or {})
    source.pop("kind", None)
    tmp_dir = partial_path(output, suffix="")
    os.mkdir(tmp_dir)
    try:
        source["out_dir"] = tmp_dir
        path, provenance = fetch_composite(source, ctx)
        os.replace(path, output)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    ctx.log("Earth Engine composite written to %s" % output)
    return {"path": output, "provenance": provenance}
