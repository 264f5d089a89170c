"""The "embed" job: a raster (or an Earth Engine composite) -> georeferenced embedding grid GeoTIFF,
PCA GeoTIFF and the pooled vector of the AOI.

Job (all keys but type/source/model optional; every key, its default and valid values: its contract,
shared/jobs/embedding.py's EmbedJob, and docs/JOBS.md):
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

The job runs in named steps: its choices checked and its destinations added (embed_plan.py), the
input fetched and opened, the free space reserved, the model opened, then an immutable EmbedPlan
(embed_plan.py) that the rest reads: the chips into the streamed grid (embed_grid.py, the grid's rows
written by a thread beside the model), the PCA and the Cloud Optimized GeoTIFF copies, the result.
Geometry (tile and resize) is defined in tiling.py; reading, nodata and CRS rules in source.py;
grid file layout in outputs.py, written as Cloud Optimized GeoTIFFs by cog.py; PCA in pca.py; the
STAC Item sidecar (<first raster's stem>.stac.json) in stac.py.
"""

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import rasterio

from ...shared.jobs import embedding as contracts
from ...shared.jobs.sources import ImagerySource
from ..i18n import tr
from ..jobs import job
from . import cluster as dask_cluster
from . import common, geoparquet, stac
from . import outputs as out_files
from .cog import IMAGERY, IMAGERY_TILE, overview_factors, write_cog
from .embed_grid import Embedded, embed_resized, embed_tiles
from .embed_plan import Destinations, EmbedPlan, Geometry, Pending, Scratch, read_choices, reserve
from .outputs import base_tags, geotiff_profile
from .pca import CovarianceAccumulator, fit_pca, write_pca


@job("embed")
def run_embed(job: Dict[str, Any], ctx: Any) -> Dict[str, Any]:
    return EmbedJob(job, ctx).run()


class EmbedJob:
    def __init__(self, job: Dict[str, Any], ctx: Any) -> None:
        self.job, self.ctx = job, ctx
        self.asked = contracts.EmbedJob.read(job)  # every key checked before any work
        self.scratch = Scratch(ctx.work_dir or self.asked.work_dir)  # removed at the end in any case
        self.cluster = None  # a cluster.Cluster when the job names a Dask scheduler
        self.tx = None  # the output transaction (outputs.transaction)

    # -- driver ---------------------------------------------------------------------------------
    def run(self) -> Dict[str, Any]:
        sources = common.source_paths(self.job.get("source") or {})
        try:
            with out_files.transaction(self.job, inputs=sources) as self.tx:
                result = self._run()
                self.tx.commit()
            return result
        finally:
            if self.cluster is not None:
                self.cluster.close()
            self.scratch.remove_all()

    def _run(self) -> Dict[str, Any]:
        plan, ctx = self._plan()
        covariance = CovarianceAccumulator(plan.model.spec.dim) if plan.outputs.pca else None
        infer_ctx = ctx.substage(0.02, plan.progress_end)
        if plan.geometry.prep == "tile":
            embedded = embed_tiles(plan, self.job, self.cluster, covariance, infer_ctx)
        else:
            embedded = embed_resized(plan, covariance, infer_ctx)
        explained = self._write_outputs(plan, covariance, ctx)
        return self._result(plan, embedded, explained, ctx)

    # -- the plan -------------------------------------------------------------------------------
    def _plan(self) -> Tuple[EmbedPlan, Any]:
        """Everything decided before the first chip (and the context of the steps after the fetch)."""
        asked = self.asked
        model_spec = common.model_spec(asked.model)
        choices = read_choices(asked, model_spec)
        outputs = self._destinations()  # first: an unwritable one fails before any work
        source, source_spec, provenance, ctx = self._open_input(outputs, model_spec)
        geometry = Geometry.of(source, choices, ctx)
        win = source.window
        ctx.log(
            tr("Input: %s, AOI window %d x %d pixels at offset (%d, %d), %s preparation.")
            % (source.describe(), win.width, win.height, win.col_off, win.row_off, geometry.prep)
        )
        reserve(self.tx, model_spec.dim, source, geometry, outputs, choices.pca_components, self.scratch.folder)
        self.cluster = dask_cluster.open_cluster(
            asked, model_spec, common.source_paths(source_spec), ctx, allow_unreadable=provenance is not None
        )
        model = self.cluster.model if self.cluster else common.open_model(asked, ctx)
        ctx.check_cancel()
        plan = EmbedPlan(
            model=model,
            source=source,
            source_spec=source_spec,
            provenance=provenance,
            geometry=geometry,
            choices=choices,
            outputs=outputs,
            batch=common.batch_size(asked.batch_size, model) if geometry.prep == "tile" else 1,
            tags=base_tags(model, geometry.describe(), source.describe(), self._extra_tags(provenance)),
            # the grid streams to a scratch GeoTIFF (never compressed), copied as a COG at the end (cog.py)
            scratch_grid=self.scratch.new("grid") if outputs.grid or outputs.pca else None,
            scratch_overviews=tuple(
                self.scratch.new("grid-ov%d" % f)
                for f in overview_factors(geometry.cols, geometry.rows)
                if outputs.grid
            ),
            progress_end=0.85 if outputs.pca else 0.95,
        )
        return plan, ctx

    def _destinations(self) -> Destinations:
        outputs = self.asked.outputs
        return Destinations(
            grid=self._pending(outputs.grid, "embedding grid"),
            pca=self._pending(outputs.pca, "PCA raster"),
            input_copy=self._pending(outputs.input_copy, "input copy"),
            pooled=geoparquet.add_output(self.tx, geoparquet.runtime_file(outputs.pooled), "pooled embedding"),
        )

    def _pending(self, path: Optional[str], what: str) -> Optional[Pending]:
        if not path:
            return None
        return Pending(path, self.tx.add(path, what, formats=out_files.GEOTIFF))

    def _open_input(self, outputs: Destinations, model_spec: Any) -> Tuple[Any, Dict[str, Any], Any, Any]:
        """The source fetched (Earth Engine: the first 30 % of the progress) and opened: (source, the
        source as read, provenance or None, the context of the steps after the fetch)."""
        ctx, asked = self.ctx, self.asked
        if isinstance(asked.source, ImagerySource):
            fetch_ctx, ctx = ctx.substage(0.0, 0.3), ctx.substage(0.3, 1.0)
        else:
            fetch_ctx = ctx
        copy_out = outputs.input_copy
        reserve_copy = (lambda nbytes: self.tx.reserve(copy_out.final, nbytes)) if copy_out else None
        _, source_spec, provenance = common.fetch_source(self.job, fetch_ctx, reserve_copy)
        ctx.progress(0.0, "read")
        source = common.open_source(source_spec, model_spec, asked.aoi, ctx)
        common.check_bands_have_data(source, model_spec)
        return source, source_spec, provenance, ctx

    def _extra_tags(self, provenance: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        extra = dict(self.asked.tags or {})
        for key, value in (out_files.provenance_tags(provenance) if provenance else {}).items():
            extra.setdefault(key, value)
        return extra

    # -- after the chips ------------------------------------------------------------------------
    def _write_pca(self, plan: EmbedPlan, covariance: CovarianceAccumulator, ctx: Any) -> List[float]:
        """The PCA of the streamed grid, written as a COG to its partial; the explained variance."""
        k, end = plan.choices.pca_components, plan.progress_end
        ctx.progress(end, "pca")
        fit = fit_pca(covariance, k)
        if fit.rank_limited:
            ctx.warn(
                tr(
                    "The grid has only %d valid cell(s), fewer than the %d PCA components "
                    "asked; the components beyond %d are 0."
                )
                % (fit.n, k, max(fit.n - 1, 0))
            )
        pca_path = self.scratch.new("pca")
        write_pca(
            plan.scratch_grid,
            pca_path,
            fit,
            tags=plan.tags,
            check_cancel=ctx.check_cancel,
            progress=lambda f: ctx.substage(end, 0.97).progress(f, "pca"),
        )
        write_cog(pca_path, plan.outputs.pca.temp, "deflate", ctx.check_cancel)
        return [float(r) for r in fit.ratio]

    def _write_outputs(self, plan: EmbedPlan, covariance: Optional[CovarianceAccumulator], ctx: Any) -> List[float]:
        """The PCA, the grid's COG and the input copy, to their partials, one after the other; the PCA's
        explained variance. (The grid's COG made by a thread beside the PCA raised the job's peak memory
        by about 80 MB, the two steps' GDAL and numpy buffers at once, for no gain measured on a loaded
        machine: benchmarks/README.md.)"""
        explained = self._write_pca(plan, covariance, ctx) if covariance is not None else []
        ctx.progress(0.97, "write")
        if plan.outputs.grid:
            write_cog(
                plan.scratch_grid,
                plan.outputs.grid.temp,
                plan.choices.compress,
                ctx.check_cancel,
                plan.scratch_overviews,
            )
        if plan.outputs.input_copy:
            self._write_input_copy(plan, plan.outputs.input_copy.temp)
        ctx.check_cancel()
        ctx.progress(1.0, "write")
        return explained

    def _write_input_copy(self, plan: EmbedPlan, path: str) -> None:
        """The model-input raster (AOI window, selected bands, scaled), float32, streamed by rows to the job's
        temporary folder in the tiles of the fetched imagery, copied to path as a COG (write_cog's IMAGERY
        layout: DEFLATE with the floating-point predictor, averaged overviews)."""
        source, win = plan.source, plan.source.window
        profile = geotiff_profile(
            len(source.bands), win.height, win.width, source.window_transform(), source.crs, "none"
        )
        profile.update(blockxsize=IMAGERY_TILE, blockysize=IMAGERY_TILE, interleave="pixel")
        rows, streamed = IMAGERY_TILE, self.scratch.new("input")
        with source.open() as reader, rasterio.open(streamed, "w", **profile) as dst:
            dst.descriptions = tuple(plan.model.spec.bands)
            for r0 in range(0, win.height, rows):
                self.ctx.check_cancel()
                h = min(rows, win.height - r0)
                data, valid = reader.read(r0, 0, h, win.width)
                data[:, ~valid] = np.nan
                dst.write(data, window=rasterio.windows.Window(0, r0, win.width, h))
            dst.update_tags(TERRAEMBED_INPUT=source.describe(), TERRAEMBED_SCALE=str(source.scale))
        write_cog(streamed, path, "deflate", self.ctx.check_cancel, layout=IMAGERY)

    # -- the result -----------------------------------------------------------------------------
    def _result(self, plan: EmbedPlan, embedded: Embedded, explained: List[float], ctx: Any) -> Dict[str, Any]:
        model, source, g, outputs = plan.model, plan.source, plan.geometry, plan.outputs
        transform = g.transform
        x0, y0 = transform.c, transform.f
        x1, y1 = x0 + transform.a * g.cols, y0 + transform.e * g.rows
        result = {
            "model": model.spec.id,
            "modality": model.spec.modality,
            "dim": int(model.spec.dim),
            "pooled": [float(v) for v in embedded.pooled],
            "cells": int(embedded.cells),
            "chips": int(embedded.chips),
            "chips_total": int(embedded.chips_total),
            "infer_seconds": float(embedded.seconds),
            "precision": str(model.precision),  # the one used (auto: bf16 or fp32; a refused bf16: fp32)
            "grid": outputs.grid.final if outputs.grid else None,
            "pca": outputs.pca.final if outputs.pca else None,
            "pca_components": plan.choices.pca_components if outputs.pca else 0,
            "explained_variance": explained,
            "crs": source.crs.to_wkt() if source.crs is not None else None,
            "bounds": [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)],
            "cell_size": [abs(transform.a), abs(transform.e)],
            "grid_shape": [int(g.rows), int(g.cols)],
            "device": str(model.device),
            "weights": str(model.weights_description),
            "prep": g.prep,
            "overlap": g.overlap,
            "source": source.path,
            "input_copy": outputs.input_copy.final if outputs.input_copy else None,
            "warnings": list(ctx.warnings),
        }
        if plan.provenance is not None:
            result["provenance"] = plan.provenance
        if outputs.pooled is not None:
            outputs.pooled.write(geoparquet.pooled_table(self.job, result, source))
            result["pooled_output"] = outputs.pooled.dest
        stac.write_embed_item(self.job, result, transform, model, outputs.rasters)
        return result
