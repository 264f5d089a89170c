"""The "embed_features" job: one vector per feature, its bounding box resized to 224 ("chip") or the
mean of the raster's embedding grid cells inside it, with their count ("cells", zones.py).

Job (every key, its default and valid values: shared/jobs/embedding.py's EmbedFeaturesJob, docs/JOBS.md):
    {"type": "embed_features", "source": {...as in "embed"...}, "model": "terrafm_b_s2",
     "device": "auto", "batch_size": null, "threads": null, "precision": "auto", "pooling": null,
     "weights": {...}, "scheduler": null | Dask scheduler (as in "embed"),
     "feature_vector": "chip" (default) | "cells" (catalogue.FEATURE_VECTORS; zones.py),
     "features": [{"id": 5, "bounds": [xmin, ymin, xmax, ymax], "geometry": WKT (cells: the zone;
                   default: the bounds), "wkb": hex, "attributes": [...] (GeoParquet only)},
                  {"id": 6, "bounds": null, "missing": "it has no geometry"}, ...],
     "features_crs": "EPSG:xxxx" | WKT (default: the raster's CRS),
     "vectors_output": null | {"path": "x.parquet", "fields": [names of "attributes"], "crs": WKT of
                               "wkb"}: the features with their vectors as GeoParquet (geoparquet.py)}
Result:
    {"vectors": {"5": [D floats] | None, ...}, "skipped": {"7": "reason", ...}, "embedded": n,
     "feature_vector", "cells": {"5": n, ...} (cells only), "vectors_output" (the GeoParquet file),
     "dim", "model", "modality", "device", "weights", "precision", "crs" (WKT the windows were read in),
     "provenance" (Earth Engine only), "warnings"}

"chip" (the default): each feature's bounding box is read as a window of whole pixels (at least one
pixel: a point with a small buffer uses the pixels it touches; nodata pixels filled with 0) and goes to the model as one
chip in resize preparation (the model resizes it to 224 after its own normalisation). Features are
batched; the reading of the next batch overlaps inference. A feature without bounds ("missing" says
why, e.g. it has no geometry), outside the raster, whose window is all nodata, or too large for one
chip is skipped with its reason, and a warning names the skipped features; the job fails only when
no feature could be embedded. "cells": see zones.py.
"""

import numpy as np

from ...shared.errors import UserError
from ...shared.jobs.embedding import EmbedFeaturesJob
from ...shared.jobs.sources import ImagerySource
from ..geo import parse_crs
from ..i18n import tr, translatable
from ..jobs import job
from . import cluster as dask_cluster
from . import common, geoparquet, zones
from . import outputs as out_files
from .chips import MAX_RESIZE_PIXELS, embed_chips
from .prefetch import Prefetcher


@job("embed_features")
def run_embed_features(job, ctx):
    asked = EmbedFeaturesJob.read(job)  # every key checked before any work
    model_spec = common.model_spec(asked.model)
    features, mode = list(asked.features), asked.feature_vector
    if not features:
        raise UserError(tr("There are no features to embed."))
    sources = common.source_paths(job.get("source") or {})
    with out_files.transaction(job, inputs=sources) as tx:  # destinations first: a bad one fails now
        vectors_output = asked.vectors_output or {}
        dest = vectors_output.get("path")
        parquet = geoparquet.add_output(tx, dest, "features with embeddings", len(features), model_spec.dim)
        clash = geoparquet.reserved_clash(vectors_output.get("fields") or [], mode == "cells")
        if parquet is not None and clash:
            raise UserError(tr("The layer already has a field named %s: rename or drop it first.") % clash)
        result = _embed(job, asked, ctx, model_spec, features)
        if parquet is not None:
            ctx.progress(1.0, "write")
            parquet.write(geoparquet.features_table(job, result))
            result["vectors_output"] = parquet.dest
        tx.commit()
    return result


def _embed(job, asked, ctx, model_spec, features):
    """The job's result: the features' vectors (and cells) by the chosen feature vector."""
    mode = asked.feature_vector
    if isinstance(asked.source, ImagerySource):
        fetch_ctx, ctx = ctx.substage(0.0, 0.3), ctx.substage(0.3, 1.0)
    else:
        fetch_ctx = ctx
    _, source_spec, provenance = common.fetch_source(job, fetch_ctx)
    ctx.progress(0.0, "read")
    fcrs = asked.features_crs
    union = _union_bounds(features)
    hint = {"bounds": union, "crs": fcrs} if union else None
    source = common.open_source(source_spec, model_spec, None, ctx, centre_hint=hint)
    common.check_bands_have_data(source, model_spec)
    crs = source.crs if not fcrs else parse_crs(fcrs, "features")
    counts = None
    if mode == "cells":
        model, vectors, counts, skipped = _cell_vectors(asked, source, features, crs, ctx)
    else:
        model, vectors, skipped = _chip_vectors(asked, source, features, crs, ctx)
    embedded = sum(1 for v in vectors.values() if v is not None)
    if embedded == 0:
        raise UserError(tr("No feature could be embedded: every feature window is all nodata."))
    if skipped:
        ctx.warn(skipped_warning(skipped, len(vectors)))
    result = {
        "vectors": vectors,
        "skipped": skipped,
        "embedded": embedded,
        "feature_vector": mode,
        "dim": int(model.spec.dim),
        "model": model.spec.id,
        "modality": model.spec.modality,
        "device": str(model.device),
        "weights": str(model.weights_description),
        "precision": str(model.precision),  # the one used (auto: bf16 or fp32; a refused bf16: fp32)
        "crs": source.crs.to_wkt() if source.crs is not None else None,
        "warnings": list(ctx.warnings),
    }
    if counts is not None:
        result["cells"] = counts
    if provenance is not None:
        result["provenance"] = provenance
    return result


def _cell_vectors(asked, source, features, crs, ctx):
    """(model, vectors, cells, skipped) of the "cells" feature vectors (zones.py), on this machine."""
    if asked.scheduler:
        ctx.warn(tr("The 'cells' feature vectors are computed on this machine; the Dask scheduler is not used."))
    model = common.open_model(asked, ctx)
    from ...models.device import read_ahead, read_threads  # torch: imported with the model, not before

    ctx.log(tr("Model %s on %s (%s).") % (model.spec.id, model.device, model.weights_description))
    batch = common.batch_size(asked.batch_size, model)
    ahead, threads = read_ahead(model.device), read_threads(model.device)
    vectors, counts, skipped = zones.embed_cells(source, features, crs, model, batch, ctx, ahead, threads)
    return model, vectors, counts, skipped


def _feature_windows(source, features, crs):
    """(feature ids in order, {fid: window}, {fid: reason}) of the "chip" feature vectors."""
    order, windows, skipped = [], {}, {}
    for feature in features:
        fid = str(feature.get("id"))
        order.append(fid)
        if feature.get("bounds") is None and feature.get("missing"):
            skipped[fid] = str(feature["missing"])
            continue
        try:
            bounds = [float(v) for v in feature["bounds"]]
            if len(bounds) != 4 or not all(np.isfinite(bounds)) or bounds[2] < bounds[0] or bounds[3] < bounds[1]:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            skipped[fid] = "no valid bounds (xmin, ymin, xmax, ymax)"
            continue
        try:
            window = source.window_for(bounds, crs, what=translatable("feature"), at_least_one_pixel=True)
        except UserError as exc:
            skipped[fid] = str(exc)
            continue
        if window.height * window.width > MAX_RESIZE_PIXELS:
            skipped[fid] = (
                "its bounding box is %d x %d pixels, more than %d; embed it with the "
                "'Compute embeddings' algorithm (tile mode) instead" % (window.width, window.height, MAX_RESIZE_PIXELS)
            )
            continue
        windows[fid] = window
    if not windows:
        raise UserError(
            tr("None of the %d feature(s) can be embedded: %s")
            % (len(order), "; ".join("%s: %s" % kv for kv in list(skipped.items())[:5]))
        )
    return order, windows, skipped


def _chip_vectors(asked, source, features, crs, ctx):
    """(model, vectors, skipped) of the "chip" feature vectors: each bounding box resized to one chip."""
    order, windows, skipped = _feature_windows(source, features, crs)
    model_spec = common.model_spec(asked.model)
    cluster = dask_cluster.open_cluster(asked, model_spec, [], ctx)
    try:
        model = cluster.model if cluster else common.open_model(asked, ctx)
        ctx.log(
            tr("Model %s on %s (%s); %d feature(s) to embed.")
            % (model.spec.id, model.device, model.weights_description, len(windows))
        )
        vectors = {fid: None for fid in order}
        todo = [fid for fid in order if fid in windows]
        produce = _feature_producer(source, windows, todo, common.batch_size(asked.batch_size, model))
        done = 0
        checked = False
        from ...models.device import read_ahead  # torch: imported with the model, not before

        ahead = cluster is not None or read_ahead(model.device)  # the model runs elsewhere, or a core is free
        with Prefetcher(produce, maxsize=2, read_ahead=ahead) as prefetch:
            for batch, ready, pooled in _pooled_batches(prefetch, model, cluster, ctx):
                for fid, raw in batch:
                    if raw is None:
                        skipped[fid] = "all pixels of its window are nodata"
                if ready:
                    if not checked:
                        checked = common.check_value_range(ready[0][1][None], model.spec, ctx) or True
                    for (fid, _), vec in zip(ready, pooled):
                        vectors[fid] = [float(v) for v in vec]
                done += len(batch)
                ctx.progress(done / float(len(todo)), "infer")
    finally:
        if cluster is not None:
            cluster.close()
    return model, vectors, skipped


def skipped_warning(skipped, total, listed=5):
    """'2 of 7 feature(s) were not embedded: #3 (reason); ...', the first `listed`, by the job's feature id."""
    items = ["#%s (%s)" % kv for kv in list(skipped.items())[:listed]]
    more = len(skipped) - len(items)
    return "%d of %d feature(s) were not embedded: %s%s." % (
        len(skipped),
        total,
        "; ".join(items),
        "; and %d more (the result's 'skipped' lists them all)" % more if more > 0 else "",
    )


def _feature_producer(source, windows, todo, batch_size):
    """A produce(put) for a Prefetcher: batches of (fid, raw | None) with batch_size raws each."""

    def produce(put):
        batch = []
        with source.open() as reader:
            for fid in todo:
                w = windows[fid]
                data, valid = reader.read(
                    w.row_off - source.window.row_off, w.col_off - source.window.col_off, w.height, w.width
                )
                batch.append((fid, data if valid.any() else None))
                if sum(1 for _, raw in batch if raw is not None) >= batch_size:
                    put(batch)
                    batch = []
        if batch:
            put(batch)

    return produce


def _pooled_batches(batches, model, cluster, ctx):
    """(batch, ready, pooled (n, D) | None) per batch, in order: ready = its (fid, raw) with raw.
    On a Dask cluster this client reads the feature windows and the workers embed them."""

    def split(batch):
        return [(fid, raw) for fid, raw in batch if raw is not None]

    if cluster is None:
        for batch in batches:
            ctx.check_cancel()
            ready = split(batch)
            yield batch, ready, embed_chips(model, [raw for _, raw in ready]) if ready else None
        return
    from .cluster_tasks import embed_chips_task

    jobs = (
        (batch, (cluster.model_key, [raw for _, raw in split(batch)]) if split(batch) else None) for batch in batches
    )
    batch_bytes = 64 * 1024 * 1024  # a batch of feature windows: up to a few chips' pixels
    for batch, pooled in cluster.map_ordered(embed_chips_task, jobs, batch_bytes):
        yield batch, split(batch), pooled


def _union_bounds(features):
    xs0, ys0, xs1, ys1 = [], [], [], []
    for f in features:
        try:
            b = [float(v) for v in f["bounds"]]
        except (KeyError, TypeError, ValueError):
            continue
        if len(b) == 4 and all(np.isfinite(b)):
            xs0.append(b[0]), ys0.append(b[1]), xs1.append(b[2]), ys1.append(b[3])
    if not xs0:
        return None
    return [min(xs0), min(ys0), max(xs1), max(ys1)]
