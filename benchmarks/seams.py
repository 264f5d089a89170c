"""Seam figure (not a test): how visible the chip borders are in an embedding map, per tile overlap.

    python benchmarks/seams.py [--size 1344] [--model terrafm_b_s2] [--json out.json]

with the runtime's Python, from the repository root (benchmark.py runs it too, with --seams).

On a smooth generated raster (12 bands of slow sines, so neighbouring cells see almost the same
ground), the embed job runs in tile mode with each overlap choice (seeded random weights: a ViT's
border effects come from its architecture and position embeddings, not from training). For every
pair of horizontally or vertically adjacent grid cells the cosine distance of their embeddings is
taken; a pair is *across a chip border* when the two cells are owned by different chips (the
plan's ownership, so for overlapping chips the border is where ownership changes), else *within a
chip*. The figure is mean(across) / mean(within): 1.0 means no seam. Target: 50% overlap <= 1.15.
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

TARGET_SEAM_RATIO_50 = 1.15


def smooth_raster(path, size):
    """size x size x 12 uint16 surface reflectance that changes slowly over space."""
    import rasterio
    from rasterio.transform import from_origin

    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    bands = []
    for b in range(12):
        wave = np.sin(xx / (310.0 + 23 * b) + b) + np.cos(yy / (270.0 + 17 * b) + 0.5 * b)
        bands.append(1500 + 250 * b + 600 * wave)
    data = np.clip(np.stack(bands), 1, 10000).astype(np.uint16)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 12,
        "dtype": "uint16",
        "crs": "EPSG:32633",
        "transform": from_origin(400000.0, 5300000.0, 10.0, 10.0),
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)


def owner_map(plan):
    """(rows, cols) array of the index of the chip that owns each grid cell."""
    owners = np.full((plan.grid_rows, plan.grid_cols), -1, np.int64)
    for chip in plan.chips:
        r0, c0, nr, nc = chip.owned_cells
        owners[r0 : r0 + nr, c0 : c0 + nc] = chip.index
    return owners


def seam_ratio(grid, owners):
    """mean cosine distance of adjacent cells across chip borders / the same within chips, with the
    horizontal and vertical parts; grid (D, rows, cols)."""
    unit = grid / np.linalg.norm(grid, axis=0, keepdims=True)
    parts = {}
    for name, axis in (("horizontal", 2), ("vertical", 1)):
        a = unit[:, :, :-1] if axis == 2 else unit[:, :-1, :]
        b = unit[:, :, 1:] if axis == 2 else unit[:, 1:, :]
        oa = owners[:, :-1] if axis == 2 else owners[:-1, :]
        ob = owners[:, 1:] if axis == 2 else owners[1:, :]
        distance = 1.0 - (a * b).sum(axis=0)
        ok = np.isfinite(distance)
        parts[name] = (distance[ok & (oa != ob)], distance[ok & (oa == ob)])
    across = np.concatenate([p[0] for p in parts.values()])
    within = np.concatenate([p[1] for p in parts.values()])
    out = {
        "ratio": float(across.mean() / within.mean()),
        "across_pairs": int(across.size),
        "within_pairs": int(within.size),
    }
    for name, (acr, wit) in parts.items():
        out[name] = float(acr.mean() / wit.mean())
    return out


def run(size, model_id, threads=None):
    import rasterio

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
    from package_path import package_path

    sys.path.insert(0, package_path())

    from terraembed.engine.context import JobContext
    from terraembed.engine.jobs import run_job
    from terraembed.engine.pipeline.tiling import plan_tiles
    from terraembed.shared.catalogue import TILE_OVERLAPS

    rows = []
    with tempfile.TemporaryDirectory(prefix="terraembed-seams-") as tmp:
        path = os.path.join(tmp, "smooth.tif")
        smooth_raster(path, size)
        for overlap in TILE_OVERLAPS:
            grid_path = os.path.join(tmp, "grid_%s.tif" % overlap.replace("%", "pc"))
            job = {
                "type": "embed",
                "source": {"kind": "raster", "path": path},
                "model": model_id,
                "prep": "tile",
                "overlap": overlap,
                "device": "cpu",
                "threads": threads,
                "weights": {"random_init": True, "seed": 0},
                "work_dir": tmp,
                "outputs": {"grid": grid_path},
            }
            started = time.perf_counter()
            result = run_job(job, JobContext())
            seconds = time.perf_counter() - started
            with rasterio.open(grid_path) as ds:
                grid = ds.read().astype(np.float64)
            row = seam_ratio(grid, owner_map(plan_tiles(size, size, overlap)))
            row.update(overlap=overlap, chips=result["chips"], seconds=seconds)
            rows.append(row)
    return rows


def print_table(rows, size, model_id):
    print(
        "\nSeams: %s on a smooth %d x %d x 12 raster, seeded random weights; mean cosine distance of "
        "adjacent cells across chip borders / within chips (1.0 = no seam)" % (model_id, size, size)
    )
    print(
        "%-8s %6s %9s %11s %9s %8s %8s" % ("overlap", "chips", "seconds", "horizontal", "vertical", "ratio", "<=1.15")
    )
    print("-" * 66)
    for row in rows:
        target = ("PASS" if row["ratio"] <= TARGET_SEAM_RATIO_50 else "FAIL") if row["overlap"] == "50%" else ""
        print(
            "%-8s %6d %9.1f %11.3f %9.3f %8.3f %8s"
            % (row["overlap"], row["chips"], row["seconds"], row["horizontal"], row["vertical"], row["ratio"], target)
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seam figure per tile overlap (see the module docstring).")
    parser.add_argument("--size", type=int, default=1344, help="raster side in pixels (default: %(default)s)")
    parser.add_argument("--model", default="terrafm_b_s2")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    rows = run(args.size, args.model, args.threads)
    print_table(rows, args.size, args.model)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)
    return rows


if __name__ == "__main__":
    main()
