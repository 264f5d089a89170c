"""The "embed" job: a raster (or an Earth Engine composite) -> georeferenced embedding grid GeoTIFF,
PCA GeoTIFF and the pooled vector of the AOI.

Job spec (all keys but type/source/model optional):
    {"type": "embed", "work_dir": "/tmp/x",
     "source": {"kind": "raster", "path": "/x.tif", "bands": [1-based, model order] | null,
                "scale": 1.0, "nodata": null, "s1_db": false}
               | {"kind": "earthengine", ...},
     "aoi": {"bounds": [xmin, ymin, xmax, ymax], "crs": "EPSG:xxxx" | WKT} | null,
     "model": "terrafm_b_s2", "prep": "tile" | "resize" | "auto", "overlap": "none" | "25%" | "50%",
     "device": "auto", "batch_size": null, "threads": null, "precision": "auto", "pooling": null,
     "weights": {...}, "scheduler": null | "tcp://host:port" | "scheduler.json" | "local:N" (cluster.py),
     "scheduler_timeout": 20,
     "outputs": {"grid": path | null, "pca": path | null, "pca_components": 3, "input_copy": path | null,
                 "grid_compression": "none" | "deflate", "pooled": path | null (a .parquet file is written
                 here as GeoParquet (geoparquet.py); another is the shell's, for the STAC sidecar's assets)},
     "tags": {...}}
Result: {"model", "modality", "dim", "pooled", "cells", "chips" (modelled), "chips_total" (with the
         all-nodata chips skipped), "infer_seconds", "precision", "grid", "pca",
         "explained_variance", "crs", "bounds", "cell_size", "grid_shape", "device", "weights",
         "prep", "provenance" (Earth Engine only), "pooled_output" (the GeoParquet file), "warnings"}.

Geometry (tile and resize) is defined in tiling.py; reading, nodata and CRS rules in source.py;
grid file layout in outputs.py, written as Cloud Optimized GeoTIFFs by cog.py; PCA in pca.py; the
STAC Item sidecar (<first raster's stem>.stac.json) in stac.py.
"""

import os
import tempfile
import time

import numpy as np
import rasterio

from ...shared.atomic import scratch_path
from ...shared.catalogue import PREPARATIONS
from ...shared.errors import UserError
from ..i18n import tr
from ..jobs import job
from . import cluster as dask_cluster
from . import common, geoparquet, stac
from . import outputs as out_files
from .chips import read_resize_chip, tile_producer
from .cog import cog_bytes, require_scratch_space, write_cog
from .outputs import GridWriter, base_tags, geotiff_profile
from .pca import CovarianceAccumulator, fit_pca, write_pca
from .prefetch import Prefetcher
from .stitch import BlendStitcher, Stitcher
from .tiling import CELLS, CHIP, OVERLAPS, PATCH, plan_tiles


@job("embed")
def run_embed(spec, ctx):
    return EmbedJob(spec, ctx).run()


class _Pending:
    """One output of the job: its destination and the partial file written instead."""

    def __init__(self, final, temp):
        self.final, self.temp = final, temp


class EmbedJob:
    def __init__(self, spec, ctx):
        self.spec, self.ctx = spec, ctx
        self.temp_files = []  # scratch files removed at the end in any case
        self.cluster = None  # a cluster.Cluster when the job names a Dask scheduler
        self.tx = None  # the output transaction (outputs.transaction)

    # -- driver ---------------------------------------------------------------------------------
    def run(self):
        sources = common.source_paths(self.spec.get("source") or {})
        try:
            with out_files.transaction(self.spec, inputs=sources) as self.tx:
                result = self._run()
                self.tx.commit()
            return result
        finally:
            if self.cluster is not None:
                self.cluster.close()
            for path in self.temp_files:
                for p in (path, path + ".aux.xml"):
                    if os.path.exists(p):
                        os.remove(p)

    def _run(self):
        spec, ctx = self.spec, self.ctx
        common.check_numbers(spec)
        model_spec = common.model_spec(spec.get("model"))
        prep = (spec.get("prep") or "auto").lower()
        if prep not in PREPARATIONS:
            raise UserError(tr("Unknown input preparation %r: use one of %s.") % (prep, ", ".join(PREPARATIONS)))
        overlap = spec.get("overlap") or "none"
        if overlap not in OVERLAPS:
            raise UserError(tr("Unknown tile overlap %r: use one of %s.") % (overlap, ", ".join(OVERLAPS)))
        outputs = spec.get("outputs") or {}
        k = int(outputs.get("pca_components") or 3)
        if outputs.get("pca") and not 1 <= k <= model_spec.dim:
            raise UserError(
                tr("PCA components must be between 1 and %d for %s, got %d.") % (model_spec.dim, model_spec.id, k)
            )
        compress = out_files.grid_compression(outputs)
        # destinations first: an unwritable one fails before any work
        grid_out = self._pending(outputs.get("grid"), "embedding grid")
        pca_out = self._pending(outputs.get("pca"), "PCA raster")
        copy_out = self._pending(outputs.get("input_copy"), "input copy")
        pooled_out = geoparquet.add_output(self.tx, geoparquet.runtime_file(outputs.get("pooled")), "pooled embedding")

        if (spec.get("source") or {}).get("kind") == "earthengine":
            fetch_ctx, ctx = ctx.substage(0.0, 0.3), ctx.substage(0.3, 1.0)
        else:
            fetch_ctx = ctx
        reserve_copy = (lambda nbytes: self.tx.reserve(copy_out.final, nbytes)) if copy_out else None
        _, source_spec, provenance = common.fetch_source(spec, fetch_ctx, reserve_copy)
        ctx.progress(0.0, "read")
        source = common.open_source(source_spec, model_spec, spec.get("aoi"), ctx)
        common.check_bands_have_data(source, model_spec)
        win = source.window
        if prep == "auto":
            prep = "tile" if (win.height > CHIP or win.width > CHIP) else "resize"
        if prep == "resize":
            common.warn_upsampling(win, CHIP, ctx)
        ctx.log(
            tr("Input: %s, AOI window %d x %d pixels at offset (%d, %d), %s preparation.")
            % (source.describe(), win.width, win.height, win.col_off, win.row_off, prep)
        )
        self._reserve(model_spec.dim, source, grid_out, pca_out, copy_out, prep, k)

        self.cluster = dask_cluster.open_cluster(
            spec, model_spec, common.source_paths(source_spec), ctx, allow_unreadable=provenance is not None
        )
        model = self.cluster.model if self.cluster else common.open_model(spec, ctx)
        ctx.check_cancel()
        if overlap != "none" and prep != "tile":
            ctx.warn(tr("Tile overlap %s applies to tile preparation only; this %s run ignores it.") % (overlap, prep))
            overlap = "none"
        self.model, self.source, self.prep, self.overlap = model, source, prep, overlap
        self.source_spec = source_spec
        extra_tags = dict(spec.get("tags") or {})
        for key, value in (out_files.provenance_tags(provenance) if provenance else {}).items():
            extra_tags.setdefault(key, value)
        # the grid streams to a scratch GeoTIFF (never compressed), copied as a COG at the end (cog.py)
        grid_path = self._scratch("grid") if grid_out is not None or pca_out is not None else None
        self.grid_compression = "none"

        covariance = CovarianceAccumulator(model.spec.dim) if pca_out else None
        progress_end = 0.85 if pca_out else 0.95

        infer_ctx = ctx.substage(0.02, progress_end)
        if prep == "tile":
            geo = self._run_tiles(grid_path, covariance, extra_tags, infer_ctx)
        else:
            geo = self._run_resize(grid_path, covariance, extra_tags, infer_ctx)

        explained = []
        if pca_out:
            ctx.progress(progress_end, "pca")
            fit = fit_pca(covariance, k)
            if fit.rank_limited:
                ctx.warn(
                    tr(
                        "The grid has only %d valid cell(s), fewer than the %d PCA components "
                        "asked; the components beyond %d are 0."
                    )
                    % (fit.n, k, max(fit.n - 1, 0))
                )
            pca_path = self._scratch("pca")
            write_pca(
                grid_path,
                pca_path,
                fit,
                tags=base_tags(model, self._prep_text(), source.describe(), extra_tags),
                check_cancel=ctx.check_cancel,
                progress=lambda f: ctx.substage(progress_end, 0.97).progress(f, "pca"),
            )
            explained = [float(r) for r in fit.ratio]
            write_cog(pca_path, pca_out.temp, "deflate", ctx.check_cancel)
        if grid_out:
            ctx.progress(0.97, "write")
            write_cog(grid_path, grid_out.temp, compress, ctx.check_cancel)
        if copy_out:
            ctx.progress(0.97, "write")
            self._write_input_copy(copy_out.temp)
        ctx.check_cancel()
        ctx.progress(1.0, "write")
        transform, rows, cols = geo["transform"], geo["rows"], geo["cols"]
        x0, y0 = transform.c, transform.f
        x1, y1 = x0 + transform.a * cols, y0 + transform.e * rows
        result = {
            "model": model.spec.id,
            "modality": model.spec.modality,
            "dim": int(model.spec.dim),
            "pooled": [float(v) for v in geo["pooled"]],
            "cells": int(geo["cells"]),
            "chips": int(geo["chips"]),
            "chips_total": int(geo["chips_total"]),
            "infer_seconds": float(geo["seconds"]),
            "precision": str(model.precision),  # the one used (auto: bf16 or fp32; a refused bf16: fp32)
            "grid": grid_out.final if grid_out else None,
            "pca": pca_out.final if pca_out else None,
            "pca_components": k if pca_out else 0,
            "explained_variance": explained,
            "crs": source.crs.to_wkt() if source.crs is not None else None,
            "bounds": [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)],
            "cell_size": [abs(transform.a), abs(transform.e)],
            "grid_shape": [int(rows), int(cols)],
            "device": str(model.device),
            "weights": str(model.weights_description),
            "prep": prep,
            "overlap": overlap,
            "source": source.path,
            "input_copy": copy_out.final if copy_out else None,
            "warnings": list(ctx.warnings),
        }
        if provenance is not None:
            result["provenance"] = provenance
        if pooled_out is not None:
            pooled_out.write(geoparquet.pooled_table(spec, result, source))
            result["pooled_output"] = pooled_out.dest
        stac.write_embed_item(spec, result, geo["transform"], model, [grid_out, pca_out, copy_out])
        return result

    # -- tile mode ------------------------------------------------------------------------------
    def _run_tiles(self, grid_path, covariance, extra_tags, ctx):
        model, source = self.model, self.source
        win = source.window
        plan = plan_tiles(win.height, win.width, self.overlap)
        transform = source.window_transform() * rasterio.Affine.scale(PATCH, PATCH)
        n_chips = len(plan)
        batch = common.batch_size(self.spec, model)
        ctx.log(
            tr(
                "Tile mode: %d chip(s) of %d px at stride %d px (overlap %s; grid %d x %d cells of "
                "%d px), batch size %d."
            )
            % (
                n_chips,
                CHIP,
                OVERLAPS[self.overlap] * PATCH,
                self.overlap,
                plan.grid_cols,
                plan.grid_rows,
                PATCH,
                batch,
            )
        )
        writer = None
        if grid_path:
            writer = GridWriter(
                grid_path,
                model.spec.dim,
                plan.grid_rows,
                plan.grid_cols,
                transform,
                source.crs,
                base_tags(model, self._prep_text(), source.describe(), extra_tags),
                compress=self.grid_compression,
            )
        stitch = Stitcher if self.overlap == "none" else BlendStitcher
        stitcher = stitch(plan, model.spec.dim, writer, covariance)
        started, modelled = time.monotonic(), 0
        try:
            for items, pooled, grid in self._embedded_batches(plan, batch, ctx):
                for item in items:
                    if item.slot >= 0:
                        stitcher.add(item, pooled[item.slot], grid[item.slot])
                    else:
                        stitcher.add(item)
                done = stitcher.chips_done
                ctx.progress(done / float(n_chips), "infer")
                if pooled is not None and modelled == 0:  # first batch
                    rate = len(pooled) / max(time.monotonic() - started, 1e-6)
                    ctx.log(
                        tr("First batch done: %.2f chips/s; about %.0f s left for %d chips.")
                        % (rate, (n_chips - done) / rate, n_chips - done)
                    )
                modelled += 0 if pooled is None else len(pooled)
                ctx.check_cancel()
        except BaseException:
            if writer:
                writer.abort()
            raise
        if writer:
            writer.close()
        if stitcher.weight_sum == 0:
            raise UserError(tr(common.NO_VALID_PIXELS))
        ctx.log(
            tr("Embedded %d chip(s) (%d skipped as all nodata), %d valid cells in %.1f s.")
            % (modelled, n_chips - modelled, stitcher.cells, time.monotonic() - started)
        )
        return {
            "transform": transform,
            "rows": plan.grid_rows,
            "cols": plan.grid_cols,
            "pooled": stitcher.pooled,
            "cells": stitcher.cells,
            "chips": modelled,
            "chips_total": n_chips,
            "seconds": time.monotonic() - started,
        }

    def _embedded_batches(self, plan, batch, ctx):
        """(items, pooled, grid) per batch of chips in plan order: this process's model, or the
        Dask cluster's workers."""
        if self.cluster is not None:
            key = dask_cluster.source_key(self.source_spec, self.model.spec, self.spec.get("aoi"))
            yield from self.cluster.tile_batches(self.source, key, plan, batch)
            return
        checked_range = False
        from ...models.device import read_ahead  # torch: imported with the model, not before

        ahead = read_ahead(getattr(self.model, "device", "cpu"))
        with Prefetcher(tile_producer(self.source, plan, batch), maxsize=2, read_ahead=ahead) as prefetch:
            for chunk in prefetch:
                ctx.check_cancel()
                pooled = grid = None
                if chunk.raw is not None:
                    if not checked_range:
                        checked_range = common.check_value_range(chunk.raw, self.model.spec, ctx) or True
                    pooled, grid = self.model.embed(chunk.raw)
                yield chunk.items, pooled, grid

    # -- resize mode ----------------------------------------------------------------------------
    def _run_resize(self, grid_path, covariance, extra_tags, ctx):
        model, source = self.model, self.source
        win = source.window
        ctx.progress(0.0, "read")
        item = read_resize_chip(source)
        if not item.cell_valid.any():
            raise UserError(tr(common.NO_VALID_PIXELS))
        ctx.check_cancel()
        common.check_value_range(item.raw[None], model.spec, ctx)
        ctx.progress(0.1, "infer")
        started = time.monotonic()
        pooled, grid = model.embed(item.raw[None])
        seconds = time.monotonic() - started
        ctx.progress(0.9, "infer")
        grid = np.array(grid[0], np.float32)
        grid[:, ~item.cell_valid] = np.nan
        transform = source.window_transform() * rasterio.Affine.scale(
            win.width / float(CELLS), win.height / float(CELLS)
        )
        if grid_path:
            writer = GridWriter(
                grid_path,
                model.spec.dim,
                CELLS,
                CELLS,
                transform,
                source.crs,
                base_tags(model, self._prep_text(), source.describe(), extra_tags),
                compress=self.grid_compression,
            )
            try:
                writer.write_rows(0, grid)
            except BaseException:
                writer.abort()
                raise
            writer.close()
        if covariance is not None:
            covariance.add(grid[:, item.cell_valid].T)
        ctx.progress(1.0, "infer")
        return {
            "transform": transform,
            "rows": CELLS,
            "cols": CELLS,
            "pooled": pooled[0],
            "cells": int(item.cell_valid.sum()),
            "chips": 1,
            "chips_total": 1,
            "seconds": seconds,
        }

    # -- helpers --------------------------------------------------------------------------------
    def _pending(self, path, what):
        if not path:
            return None
        return _Pending(path, self.tx.add(path, what, formats=out_files.GEOTIFF))

    def _reserve(self, dim, source, grid_out, pca_out, copy_out, prep, k):
        """Free-space check for the outputs, from the grid's shape, before the model and the inference."""
        win = source.window
        if prep == "resize":
            rows, cols = CELLS, CELLS
        else:
            plan = plan_tiles(win.height, win.width)
            rows, cols = plan.grid_rows, plan.grid_cols
        for out, nbytes in (
            (grid_out, cog_bytes(cols, rows, dim)),
            (pca_out, cog_bytes(cols, rows, k)),
            (copy_out, out_files.raster_bytes(win.width, win.height, len(source.bands))),
        ):
            if out is not None:
                self.tx.reserve(out.final, nbytes)
        if grid_out or pca_out:  # the streamed grid and PCA with their overviews, in the temporary folder
            scratch = cog_bytes(cols, rows, dim) + (cog_bytes(cols, rows, k) if pca_out else 0)
            require_scratch_space(self.tx, self._scratch_folder(), scratch, "streamed grid (temporary)")

    def _scratch_folder(self):
        folder = self.ctx.work_dir or self.spec.get("work_dir")
        return folder if folder and os.path.isdir(folder) else tempfile.gettempdir()

    def _scratch(self, name):
        path = scratch_path(self._scratch_folder(), "terraembed-%s.tif" % name)  # a killed run's: swept
        self.temp_files.append(path)
        return path

    def _prep_text(self):
        if self.prep == "tile":
            stride = OVERLAPS[self.overlap] * PATCH
            owner = (
                "each cell from the first chip covering it"
                if self.overlap == "none"
                else "each cell the mean of the chips covering it, weighted by the distance to each chip's edge"
            )
            return (
                "tile: %d px chips at stride %d (overlap %s, %s), last chip shifted back to the "
                "grid edge, edge replication padding, per-chip normalisation; cell = %d x %d input "
                "pixels; origin = AOI window origin" % (CHIP, stride, self.overlap, owner, PATCH, PATCH)
            )
        return "resize: the AOI window resized to %d px; 14 x 14 cells = AOI / 14" % CHIP

    def _write_input_copy(self, path):
        """The model-input raster (AOI window, selected bands, scaled) as float32 GeoTIFF, by rows."""
        source, win = self.source, self.source.window
        profile = geotiff_profile(len(source.bands), win.height, win.width, source.window_transform(), source.crs)
        rows = 256
        with source.open() as reader, rasterio.open(path, "w", **profile) as dst:
            dst.descriptions = tuple(self.model.spec.bands)
            for r0 in range(0, win.height, rows):
                self.ctx.check_cancel()
                h = min(rows, win.height - r0)
                data, valid = reader.read(r0, 0, h, win.width)
                data[:, ~valid] = np.nan
                dst.write(data, window=rasterio.windows.Window(0, r0, win.width, h))
            dst.update_tags(TERRAEMBED_INPUT=source.describe(), TERRAEMBED_SCALE=str(source.scale))
