"""Pipeline speed (part of benchmark.py; see --pipeline-size and --full-tile): the embed job end to
end vs the model alone, and a local single-process run vs a Dask `local:N` cluster (N worker
processes x 1 thread), on the same generated raster.

One fresh subprocess loads the model once and then runs, in interleaved rounds,
    model only, embed job, [embed job reading beside the model], [embed job writing a DEFLATE
    grid], [Dask job], model only, ...
so that load from other processes hits every variant alike (the machine this was developed on
is shared). The job is the real one (run_job: reading, model, stitching, grid GeoTIFF, PCA,
verification); only the model load is shared (the job's open_model returns the loaded model), so
its rate starts at the first chip. Each job's rate is compared with the mean of the model-only
rounds before and after it; the figures are the medians over the rounds.

Figures: model-only chips/s (model.embed on batches of chips cut from the raster, in memory),
end-to-end chips/s of the job (from the first chip to the outputs written, PCA included; the
cluster start of the Dask run is in its job seconds, not in its rate), their ratio (target >= 0.90),
the Dask run's chips/s over the local run's (target >= 0.9 on a 2-core machine), and the minutes
the full Sentinel-2 tile (10980 x 10980 px = 50 x 50 chips of 224 px) takes at
each rate. Beside them, the share of the job's own time spent inside model.embed: the rates' ratio
compares rounds minutes apart, and on a VM whose speed drifts by 20-50 % between minutes that
ratio moves with the drift, while the in-job share (same chips, same minutes) does not.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

TARGET_E2E_SHARE = 0.90
TARGET_DASK_RATIO = 0.9
FULL_TILE = 10980

CHILD = r"""
import json, os, resource, sys, time
import numpy as np
cfg = json.loads(sys.argv[1])
job = cfg["job"]
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.models import device as model_device
from terraembed.models.loader import load_model
from terraembed.engine.pipeline import common
from terraembed.engine.pipeline.chips import tile_producer
from terraembed.engine.pipeline.source import RasterSource
from terraembed.engine.pipeline.tiling import plan_tiles
model = load_model(
    job["model"], weights=job["weights"], device=job["device"], threads=job.get("threads"), precision=job["precision"]
)
common.open_model = lambda asked, ctx: model         # the job uses the model loaded above
source = RasterSource(job["source"]["path"], model.spec.num_channels)
batches = []
def keep(b):
    if b.raw is not None and len(b.raw) == job["batch_size"] and len(batches) < 3:
        batches.append(b.raw)
plan = plan_tiles(source.window.height, source.window.width)
tile_producer(source, plan, job["batch_size"])(keep)
model.embed(batches[0])                               # warm-up
in_model = [0.0]                                      # seconds inside model.embed (this process)
embed = model.embed
def timed_embed(raw):
    t = time.perf_counter()
    try:
        return embed(raw)
    finally:
        in_model[0] += time.perf_counter() - t
model.embed = timed_embed
policy = model_device.read_ahead
def cpu():                                            # this process's CPU seconds, all threads
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def model_only():
    n, t, c = 0, time.perf_counter(), cpu()
    while n < cfg["model_chips"]:
        model.embed(batches[(n // job["batch_size"]) % len(batches)])
        n += job["batch_size"]
    return {"chips": n, "seconds": time.perf_counter() - t, "cpu": cpu() - c}
def embed_job(spec, read_ahead=None):
    model_device.read_ahead = policy if read_ahead is None else (lambda device: read_ahead)
    marks = {}
    def on_log(message, level):
        if message.startswith("Tile mode:"):       # model loaded (on every worker), chips next
            marks["tiles"], marks["cpu"] = time.perf_counter(), cpu()
    t = time.perf_counter()
    in_model[0] = 0.0
    result = run_job(spec, JobContext(on_log=on_log))
    end = time.perf_counter()
    model_device.read_ahead = policy
    grid_mb = os.path.getsize(spec["outputs"]["grid"]) / 1e6
    for key in ("grid", "pca"):
        os.remove(spec["outputs"][key])
    return {"chips": result["chips"], "seconds": end - marks["tiles"], "total": end - t,
            "cpu": cpu() - marks["cpu"], "grid_mb": grid_mb, "in_model": in_model[0]}
rounds = []
for r in range(cfg["rounds"]):
    row = {"model": model_only(), "local": embed_job(job)}
    if cfg["read_ahead_variant"]:
        row["read_ahead"] = embed_job(job, read_ahead=True)
    if cfg["deflate_variant"]:
        row["deflate"] = embed_job(dict(job, outputs=dict(job["outputs"], grid_compression="deflate")))
    if cfg["workers"]:
        row["dask"] = embed_job(dict(job, scheduler="local:%d" % cfg["workers"], threads=None))
    rounds.append(row)
    print(json.dumps({"round": r, "row": row}), file=sys.stderr, flush=True)
rounds.append({"model": model_only()})
print(json.dumps({"rounds": rounds, "load": os.getloadavg(),
                  "read_ahead_default": bool(policy(model.device)), "precision": model.precision}))
"""


def full_tile_chips():
    from terraembed.engine.pipeline.tiling import plan_tiles

    return len(plan_tiles(FULL_TILE, FULL_TILE))


def _rate(run):
    return run["chips"] / run["seconds"]


def bench_pipeline(args, pkg, make_raster):
    """Figures for one raster of args.pipeline_size pixels, from one interleaved subprocess."""
    size = args.pipeline_size
    if size < 672:
        raise SystemExit("--pipeline-size must be at least 672 px (9 chips: one full batch of 8)")
    with tempfile.TemporaryDirectory(prefix="terraembed-bench-pipe-") as tmp:
        path = os.path.join(tmp, "s2_%d.tif" % size)
        make_raster(path, size)
        job = {
            "type": "embed",
            "source": {"kind": "raster", "path": path},
            "model": args.pipeline_model,
            "prep": "tile",
            "device": "cpu",
            "batch_size": 8,
            "threads": args.threads,
            "precision": args.pipeline_precision,
            "weights": {"random_init": True, "seed": 0},
            "outputs": {
                "grid": os.path.join(tmp, "grid.tif"),
                "pca": os.path.join(tmp, "pca.tif"),
                "pca_components": 3,
            },
            "work_dir": tmp,
        }
        cfg = {
            "job": job,
            "rounds": args.pipeline_rounds,
            "model_chips": args.pipeline_model_chips,
            "workers": args.pipeline_workers,
            "read_ahead_variant": args.pipeline_read_ahead,
            "deflate_variant": args.pipeline_deflate,
        }
        env = dict(os.environ, PYTHONPATH=pkg + os.pathsep + os.environ.get("PYTHONPATH", ""))
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(cfg)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=None if args.verbose else subprocess.PIPE,
            text=True,
            cwd=tmp,
        )
        if proc.returncode != 0:
            raise RuntimeError("pipeline run failed:\n%s" % (proc.stderr or "")[-3000:])
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    rounds = out["rounds"]
    model_rates = [_rate(r["model"]) for r in rounds]
    jobs = rounds[:-1]
    names = [n for n in ("local", "read_ahead", "deflate", "dask") if n in jobs[0]]
    rates = {"model": statistics.median(model_rates)}
    share = {}
    for name in names:
        rates[name] = statistics.median(_rate(r[name]) for r in jobs)
        share[name] = statistics.median(
            _rate(r[name]) / ((model_rates[i] + model_rates[i + 1]) / 2.0) for i, r in enumerate(jobs)
        )
    row = {
        "size": size,
        "chips": jobs[0]["local"]["chips"],
        "model": args.pipeline_model,
        "precision": out["precision"],
        "rounds": len(jobs),
        "rates": rates,
        "share_of_model": share,
        "seconds": {n: statistics.median(r[n]["total"] for r in jobs) for n in names},
        "grid_mb": {n: jobs[0][n]["grid_mb"] for n in names},
        "e2e_share": share["local"],
        "workers": args.pipeline_workers,
        "raw": rounds,
        "load_at_end": out["load"],
        "read_ahead_default": out["read_ahead_default"],
    }
    # CPU seconds per chip of this process (all its threads): what the job costs beside the model,
    # less moved by other processes' load than the rates (not for Dask: its workers are other processes)
    row["cpu_per_chip"] = {
        n: statistics.median(r[n]["cpu"] / r[n]["chips"] for r in (rounds if n == "model" else jobs))
        for n in ["model"] + [n for n in names if n != "dask"]
    }
    row["cpu_share"] = row["cpu_per_chip"]["model"] / row["cpu_per_chip"]["local"]
    # the share of the job's own time spent inside model.embed: the same chips in the same minutes, so
    # unlike the rates' ratio it does not move when the machine's speed drifts between rounds
    row["in_model_share"] = statistics.median(r["local"]["in_model"] / r["local"]["seconds"] for r in jobs)
    if "dask" in names:
        row["dask_ratio"] = statistics.median(_rate(r["dask"]) / _rate(r["local"]) for r in jobs)
    return row


def print_pipeline(row, verdict):
    chips_full = full_tile_chips()
    print()
    print(
        "Pipeline speed, %s in %s, %d x %d px raster (%d chips), grid + PCA + pooled outputs, %d interleaved "
        "round(s) in one process"
        % (row["model"], row["precision"], row["size"], row["size"], row["chips"], row["rounds"])
    )
    head = "%-44s %9s %8s %10s %12s %16s %8s" % (
        "run",
        "chips/s",
        "/ model",
        "CPU s/chip",
        "job seconds",
        "full tile (min)",
        "grid MB",
    )
    print(head)
    print("-" * len(head))
    labels = (
        ("model", "model only (batches in memory)"),
        ("local", "embed job, one process (%s)" % ("reads ahead" if row["read_ahead_default"] else "reads in turn")),
        ("read_ahead", "embed job, reading beside the model"),
        ("deflate", "embed job, DEFLATE grid"),
        ("dask", "embed job, Dask local:%d" % row["workers"]),
    )
    for name, label in labels:
        if name not in row["rates"]:
            continue
        secs = row["seconds"].get(name)
        share = row["share_of_model"].get(name)
        cpu = row["cpu_per_chip"].get(name)
        grid_mb = row["grid_mb"].get(name)
        print(
            "%-44s %9.2f %8s %10s %12s %16.1f %8s"
            % (
                label,
                row["rates"][name],
                "%.2f" % share if share else "-",
                "%.3f" % cpu if cpu else "-",
                "%.1f" % secs if secs else "-",
                chips_full / row["rates"][name] / 60.0,
                "%.0f" % grid_mb if grid_mb else "-",
            )
        )
    print(
        "end to end / model only: %.2f (target >= %.2f): %s"
        % (row["e2e_share"], TARGET_E2E_SHARE, verdict(row["e2e_share"] >= TARGET_E2E_SHARE))
    )
    print(
        "CPU seconds per chip, model only / embed job: %.2f (the work the job adds to the model's; "
        "less moved by other processes' load than the rates)" % row["cpu_share"]
    )
    print(
        "time in the model / the embed job's time: %.2f (the same chips in the same minutes: what the "
        "pipeline adds beside the model, whatever the machine's speed does between rounds)" % row["in_model_share"]
    )
    if "dask_ratio" in row:
        print(
            "Dask local:%d / one process: %.2f (target >= %.1f): %s"
            % (row["workers"], row["dask_ratio"], TARGET_DASK_RATIO, verdict(row["dask_ratio"] >= TARGET_DASK_RATIO))
        )
    print(
        "(medians over the rounds; '/ model': each job's rate over the mean of the model-only rounds "
        "before and after it; chips/s of a job: from the first chip read (model loaded, cluster "
        "started) to the outputs written, PCA included; job seconds: the whole job; full tile: %d "
        "chips at each rate, plus the one-off start; load average at the end: %s)"
        % (chips_full, ", ".join("%.2f" % v for v in row["load_at_end"]))
    )
