"""Pipeline speed (part of benchmark.py; see --pipeline-size): the embed job end to end vs the model
alone, and a local single-process run vs a Dask `local:2` cluster (2 worker processes x 1 thread),
on the same generated raster. Each run is a fresh subprocess, so the figures include what a user
waits for (model load, cluster start) and nothing of this process's state.

Figures: model-only chips/s (model.embed on batches of chips already in memory), end-to-end chips/s
of the job (read + model + stitch + grid GeoTIFF + PCA, from the first chip on: the one-off model
load and cluster start are in the job seconds, not in the rate), their ratio (target >= 0.90), the Dask run's
chips/s over the local run's (target >= 0.9 on a 2-core machine), and the minutes the full Sentinel-2
tile (10980 x 10980 px = 2500 chips) would take at each rate.
"""
import json
import os
import subprocess
import sys
import tempfile

TARGET_E2E_SHARE = 0.90
TARGET_DASK_RATIO = 0.9
FULL_TILE = 10980

CHILD = r"""
import json, sys, time
import numpy as np
job, model_only = json.loads(sys.argv[1]), sys.argv[2] == "model"
if model_only:
    import rasterio
    from terraembed.models.loader import load_model
    model = load_model(job["model"], weights=job["weights"], device=job["device"], threads=job.get("threads"))
    with rasterio.open(job["source"]["path"]) as ds:
        raw = ds.read(window=((0, 224), (0, 224))).astype(np.float32)
    batch = np.ascontiguousarray(np.repeat(raw[None], job["batch_size"], axis=0))
    model.embed(batch)                               # warm-up
    n, t = 0, time.perf_counter()
    while n < job["chips"]:
        model.embed(batch)
        n += batch.shape[0]
    print(json.dumps({"chips": n, "seconds": time.perf_counter() - t}))
else:
    from terraembed.engine.context import JobContext
    from terraembed.engine.jobs import run_job
    marks = {}
    def on_log(message, level):
        if message.startswith("Tile mode:"):       # model loaded (on every worker), chips next
            marks["tiles"] = time.perf_counter()
    t = time.perf_counter()
    result = run_job(job, JobContext(on_log=on_log))
    end = time.perf_counter()
    print(json.dumps({"chips": result["chips"], "seconds": end - marks["tiles"], "total": end - t}))
"""


def full_tile_chips():
    from terraembed.pipeline.tiling import plan_tiles
    return len(plan_tiles(FULL_TILE, FULL_TILE))


def _child(job, mode, pkg):
    env = dict(os.environ, PYTHONPATH=pkg + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(job), mode], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("pipeline %s run failed:\n%s" % (mode, proc.stderr[-3000:]))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_pipeline(args, pkg, make_raster):
    """Rows of figures for one raster of args.pipeline_size pixels."""
    size = args.pipeline_size
    with tempfile.TemporaryDirectory(prefix="terraembed-bench-pipe-") as tmp:
        path = os.path.join(tmp, "s2_%d.tif" % size)
        make_raster(path, size)
        job = {"type": "embed", "source": {"kind": "raster", "path": path}, "model": args.pipeline_model,
               "prep": "tile", "device": "cpu", "batch_size": 8, "threads": args.threads,
               "weights": {"random_init": True},
               "outputs": {"grid": os.path.join(tmp, "grid.tif"), "pca": os.path.join(tmp, "pca.tif"),
                           "pca_components": 3}, "work_dir": tmp}
        local = _child(job, "job", pkg)
        model = _child(dict(job, chips=max(16, min(local["chips"], 64))), "model", pkg)
        dask = _child(dict(job, scheduler="local:%d" % args.pipeline_workers, threads=None), "job", pkg)
    rate = {name: r["chips"] / r["seconds"] for name, r in (("model", model), ("local", local), ("dask", dask))}
    return {"size": size, "chips": local["chips"], "model": args.pipeline_model, "rates": rate,
            "seconds": {"local": local["total"], "dask": dask["total"]},
            "e2e_share": rate["local"] / rate["model"], "dask_ratio": rate["dask"] / rate["local"],
            "workers": args.pipeline_workers}


def print_pipeline(row, verdict):
    chips_full = full_tile_chips()
    print()
    print("Pipeline speed, %s, %d x %d px raster (%d chips), grid + PCA outputs, fresh process per run"
          % (row["model"], row["size"], row["size"], row["chips"]))
    head = "%-34s %9s %14s %16s" % ("run", "chips/s", "job seconds", "full tile (min)")
    print(head)
    print("-" * len(head))
    for name, label in (("model", "model only (batches in memory)"), ("local", "embed job, one process"),
                        ("dask", "embed job, Dask local:%d" % row["workers"])):
        secs = row["seconds"].get(name)
        print("%-34s %9.2f %14s %16.1f" % (label, row["rates"][name], "%.1f" % secs if secs else "-",
                                            chips_full / row["rates"][name] / 60.0))
    print("end to end / model only: %.2f (target >= %.2f): %s"
          % (row["e2e_share"], TARGET_E2E_SHARE, verdict(row["e2e_share"] >= TARGET_E2E_SHARE)))
    print("Dask local:%d / one process: %.2f (target >= %.1f): %s"
          % (row["workers"], row["dask_ratio"], TARGET_DASK_RATIO, verdict(row["dask_ratio"] >= TARGET_DASK_RATIO)))
    print("(chips/s of a job: from the first chip read (model loaded, cluster started) to the outputs "
          "written, PCA included; job seconds: the whole job; full tile: %d chips at each rate, plus the "
          "one-off start)" % chips_full)
