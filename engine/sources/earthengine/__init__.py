"""Google Earth Engine imagery source: a median composite of Sentinel-2 or Sentinel-1 over an AOI,
fetched on an explicit pixel grid and written as a north-up float32 GeoTIFF.

`fetch_composite(source, ctx) -> (geotiff_path, provenance)` is the entry point (the embed pipeline
calls it for job["source"]["kind"] == "earthengine"; the "ee_fetch" job in earthengine_job.py wraps
it). What happens, in order:

1. The source dict is checked and normalised (dates, collection, AOI, grid, limits) without
   importing `ee`: the grid is the AOI's bounds in the output CRS (default: the UTM zone of the AOI
   centre) snapped outwards to multiples of the scale.
2. The on-disk cache (cache.py) is looked up with a hash of the full request; a hit is copied to
   out_dir and returned with no network and no Earth Engine initialisation.
3. Otherwise project and credentials are resolved (UserError when missing), `ee` is imported and
   initialised (once per process and settings), the collection is filtered and its size asked
   (S1: without the IW filter if none are IW and relaxing is allowed), and the composite's pixels
   are requested with ee.data.computePixels (NPY) in chunks under the per-request limits, in a
   bounded thread pool, with retries and backoff on 429/5xx/network errors and recursive splitting
   on "request too large" answers. Chunks are written into the GeoTIFF by window as they arrive.

Credentials (service-account key contents, tokens) are never logged or stored in provenance.

Modules: request (normalisation, grid, limits; no ee), collections (the collections and their ee
expression), chunks (chunk plan and the pixel fetch), retry (error classes, backoff, messages),
auth (project, credentials, ee.Initialize), fetch (fetch_composite and the GeoTIFF), alphaearth
(fetch_alphaearth: a year of AlphaEarth embeddings on the same machinery).
"""

from .alphaearth import fetch_alphaearth
from .fetch import fetch_composite

__all__ = ["fetch_alphaearth", "fetch_composite"]
