"""TerraEmbed benchmark (not a test): model throughput, one-pass vs two-pass, int8, pipeline memory.

Run from the repository root with the runtime's Python:

    python benchmarks/benchmark.py                 # all models, full run (tens of minutes on 2 cores)
    python benchmarks/benchmark.py --quick         # short run: 2 models, fewer repetitions
    python benchmarks/benchmark.py --models terrafm_b_s2,terramind_v1_tiny --skip-rss

Prints, with the targets of issue 3 next to the figures (PASS/FAIL):
1. the machine's fp32 matmul peak (a large product with the same thread count: the faster of
   torch.matmul and oneDNN's, the one the models' linear layers use on x86-64);
2. per model (random weights: speed does not depend on the values): chips/s at batch 1 and 8
   through model.embed (preprocessing included), FLOPs per chip (torch.utils.flop_counter, fused
   attention counted) and the achieved GFLOP/s as a share of the matmul peak (target >= 85% at
   batch 8); where the linear layers run on oneDNN, the speed-up over torch's own;
3. the same batch-8 chips through embed_two_pass (one forward for pooled, one for grid): ratio
   one-pass / two-pass (target >= 1.9x);
4. int8 fast mode vs fp32 at batch 8: speed-up (target >= 1.5x) and the cosine similarity of the
   pooled vectors on real-looking chips cut from sample/s2_sample.tif (target >= 0.99);
   bf16 (what precision 'auto' runs on a CPU with native bf16) vs fp32 (the default before it) at
   batch 8: speed-up (issue 28's targets: TerraFM-B >= 1.8x, TerraMind-small >= 1.5x) and the
   minimum cosine of the pooled vectors and grid cells (bound >= 0.999); skipped on a CPU without
   native bf16, where 'auto' is fp32;
5. peak RSS of the embed job in tile mode on a generated 1024 x 1024 and 4096 x 4096 12-band
   raster, each in a fresh subprocess (its VmHWM; target: 4096 run <= 1.5x the 1024 run); run
   first, while this process is still small;
6. pipeline speed (--pipeline-size N, or --full-tile for a 10980 px Sentinel-2 tile; 0 = skip):
   end-to-end vs model-only chips/s, the share of the job's own time spent in the model, and a
   local run vs a Dask local:2 cluster, interleaved rounds in one process (see pipeline_speed.py);
7. with --seams SIZE, the seam figure per tile overlap (benchmarks/seams.py).
With --explore (nothing else runs): the explore session's clicks on a full tile's grid (or
--explore-size N cells, or --grid RASTER) against the targets of issue 25 (explore_speed.py).
Timed calls of compared variants are interleaved (A, B, A, B, ...) and medians compared, so that
load from other processes hits both alike.
"""

import argparse
import copy
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import explore_speed
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL_MODELS = (
    "terrafm_b_s2",
    "terrafm_b_s1",
    "terramind_v1_tiny",
    "terramind_v1_small",
    "terramind_v1_base",
    "terramind_v1_large",
    "terrafm_l_s2",
    "terrafm_l_s1",
)
QUICK_MODELS = ("terrafm_b_s2", "terramind_v1_tiny")
TARGET_PEAK_SHARE = 0.85
TARGET_TWO_PASS = 1.9
TARGET_INT8_SPEEDUP = 1.5
TARGET_INT8_COSINE = 0.99
TARGET_RSS_RATIO = 1.5
TARGET_BF16_SPEEDUP = {"terrafm_b_s2": 1.8, "terrafm_b_s1": 1.8, "terramind_v1_small": 1.5}  # over fp32


sys.path.insert(0, os.path.join(REPO, "scripts"))
from package_path import package_path  # noqa: E402 - scripts/ is put on sys.path just above

PKG = package_path()
sys.path.insert(0, PKG)


def verdict(ok):
    return "PASS" if ok else "FAIL"


# -- inputs ---------------------------------------------------------------------------------------
def sample_chips(modality, n):
    """n real-looking 224 x 224 chips cut from the sample rasters (flipped/rotated variants)."""
    import rasterio

    name = "s1_sample.tif" if modality == "S1" else "s2_sample.tif"
    with rasterio.open(os.path.join(REPO, "sample", name)) as ds:
        data = ds.read().astype(np.float32)
    h, w = data.shape[1:]
    bases = [data[:, r : r + 224, c : c + 224] for r in (0, h - 224) for c in (0, w - 224)]
    chips = []
    for i in range(n):
        chip = bases[i % len(bases)]
        k = (i // len(bases)) % 4
        chips.append(np.rot90(chip, k, axes=(1, 2)) if k else chip)
    return np.ascontiguousarray(np.stack(chips))


# -- measurements ---------------------------------------------------------------------------------
def gemms():
    """The fp32 matrix products a model can run on here: {name: f(a, b)}. torch.matmul is MKL's
    sgemm on x86-64; oneDNN's is the one models/cpu_gemm.py gives the models' linear layers (on AMD
    CPUs about twice MKL's speed), so the peak is the faster of the two, not torch.matmul's alone."""
    import torch

    from terraembed.models.cpu_gemm import onednn_available, onednn_linear

    found = {"torch.matmul": torch.matmul}
    if onednn_available():
        found["oneDNN"] = onednn_linear  # a @ b.T: the same FLOPs as a @ b
    return found


def matmul_peak(n, repeats):
    """{gemm name: GFLOP/s} of an n^3 fp32 product, best of `repeats` runs each."""
    import torch

    a = torch.randn(n, n)
    b = torch.randn(n, n)
    rates = {}
    for name, gemm in gemms().items():
        gemm(a, b)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            gemm(a, b)
            times.append(time.perf_counter() - t)
        rates[name] = 2.0 * n**3 / min(times) / 1e9
    return rates


def flops_per_chip(model, raw):
    """torch's FLOP counter on one chip, taught the two ops it does not count on the CPU: fused
    attention (aten._scaled_dot_product_flash_attention_for_cpu: counted as its GPU variants are)
    and oneDNN's linear layers (2 x rows x in x out)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode, sdpa_flop_count

    def attention_flop(q_shape, k_shape, v_shape, *args, out_shape=None, **kwargs):
        return sdpa_flop_count(q_shape, k_shape, v_shape)

    def linear_flop(x_shape, w_shape, *args, out_shape=None, **kwargs):
        return 2 * int(np.prod(x_shape[:-1])) * x_shape[-1] * w_shape[0]

    extra = {torch.ops.aten._scaled_dot_product_flash_attention_for_cpu: attention_flop}
    if hasattr(torch.ops.mkldnn, "_linear_pointwise"):
        extra[torch.ops.mkldnn._linear_pointwise] = linear_flop
    x = model.preprocess(raw[:1])
    counter = FlopCounterMode(display=False, custom_mapping=extra)
    with torch.inference_mode(), counter:
        model.module(x)
    return counter.get_total_flops()


def embed_two_pass(model, raw):
    """The baseline of the one-pass figure: one forward for the pooled vector, a second one for the
    grid (what model.embed would cost if it did not take both from one forward)."""
    x = model.preprocess(raw)
    pooled, _ = model._forward(x)
    pooled = model._np(pooled)
    _, grid = model._forward(x)
    return pooled, np.ascontiguousarray(model._np(grid))


def interleaved(funcs, min_calls, min_seconds):
    """Call each function in turn (after one warm-up each) until every one has at least min_calls
    timed calls and min_seconds have passed; return the median seconds per call of each."""
    for f in funcs:
        f()
    times = [[] for _ in funcs]
    start = time.perf_counter()
    while min(len(t) for t in times) < min_calls or time.perf_counter() - start < min_seconds:
        for i, f in enumerate(funcs):
            t = time.perf_counter()
            f()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def cosine(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def cpu_runs_bf16():
    """Whether precision 'auto' runs bf16 on this CPU (models/precision.py), and the CPU's features."""
    from terraembed.models.cpu_gemm import onednn_available
    from terraembed.models.precision import choose_precision, cpu_bf16_features

    features = cpu_bf16_features() if onednn_available() else ()
    return choose_precision("auto", "cpu", features)[0] == "bf16"


def bench_model(model_id, args):
    """All variants of one model timed in the same interleaved rounds, together with a matmul
    probe, so that every ratio (and the share of the matmul peak) compares like with like even
    when other processes load the machine."""
    import torch

    from terraembed.models.cpu_gemm import OneDNNLinear, use_torch_linears
    from terraembed.models.loader import load_model

    t = time.perf_counter()
    model = load_model(model_id, weights={"random_init": True, "seed": 0}, device="cpu", threads=args.threads)
    load_s = time.perf_counter() - t
    chips = sample_chips(model.spec.modality, 8)
    b1, b8 = chips[:1], chips
    flops = flops_per_chip(model, chips)
    row = {"model": model_id, "load_s": load_s, "gflop_per_chip": flops / 1e9}
    n = args.matmul_size
    ma, mb = torch.randn(n, n), torch.randn(n, n)
    gemm = gemms()[args.peak_gemm]
    # What the process runs matmuls in (importing terratorch sets 'medium' = bf16 on CPUs that
    # have it); the probe always measures true fp32 ('highest').
    row["matmul_precision"] = torch.get_float32_matmul_precision()

    def probe():
        current = torch.get_float32_matmul_precision()
        torch.set_float32_matmul_precision("highest")
        try:
            gemm(ma, mb)
        finally:
            torch.set_float32_matmul_precision(current)

    funcs = [lambda: model.embed(b1), lambda: model.embed(b8), lambda: embed_two_pass(model, b8), probe]
    quant = None
    if not args.skip_int8:
        # the int8 model is the loader's quantisation of *this* model's module, so that both
        # have the same weights (random_init does not take a seed for every model family)
        from terraembed.models.loader import quantize_int8

        quant = copy.copy(model)
        quant.module = quantize_int8(model.module)
        quant.precision = "int8"
        ref_pooled, ref_grid = model.embed(b8)
        q_pooled, q_grid = quant.embed(b8)
        row["int8_cos_min"] = float(cosine(ref_pooled, q_pooled).min())
        row["int8_grid_cos_mean"] = float(cosine(ref_grid.transpose(0, 2, 3, 1), q_grid.transpose(0, 2, 3, 1)).mean())
        funcs.append(lambda: quant.embed(b8))
    bf16 = None
    if not args.skip_bf16 and cpu_runs_bf16():
        # precision 'auto' on this CPU: the loader's bf16 layers on a copy of *this* model's module
        from terraembed.models.cpu_bf16 import use_bf16_layers

        bf16 = copy.copy(model)
        bf16.module = copy.deepcopy(model.module)
        use_bf16_layers(bf16.module)
        bf16.precision = "bf16"
        ref_pooled, ref_grid = model.embed(b8)
        h_pooled, h_grid = bf16.embed(b8)
        row["bf16_cos_min"] = float(cosine(ref_pooled, h_pooled).min())
        row["bf16_grid_cos_min"] = float(cosine(ref_grid.transpose(0, 2, 3, 1), h_grid.transpose(0, 2, 3, 1)).min())
        funcs.append(lambda: bf16.embed(b8))
    plain = None
    if any(isinstance(m, OneDNNLinear) for m in model.module.modules()):
        # the same model with torch's own linear layers (MKL on x86-64): what cpu_gemm gains
        plain = copy.copy(model)
        plain.module = copy.deepcopy(model.module)
        use_torch_linears(plain.module)
        funcs.append(lambda: plain.embed(b8))
    calls, secs = (2, 0.0) if args.quick else (args.rounds, 0.0)
    times = interleaved(funcs, calls, secs)
    t1, t8, t8_two, tmm = times[:4]
    row.update(b1_chips_s=1 / t1, b8_chips_s=8 / t8, b8_two_pass_chips_s=8 / t8_two)
    row["peak_gflops"] = 2.0 * n**3 / tmm / 1e9
    row["b8_gflops"] = flops * 8 / t8 / 1e9
    row["b8_peak_share"] = row["b8_gflops"] / row["peak_gflops"]
    row["two_pass_ratio"] = t8_two / t8
    if quant is not None:
        row["int8_chips_s"] = 8 / times[4]
        row["int8_speedup"] = t8 / times[4]
    if bf16 is not None:
        t_bf16 = times[4 + (quant is not None)]
        row["bf16_chips_s"] = 8 / t_bf16
        row["bf16_speedup"] = t8 / t_bf16
    if plain is not None:
        row["torch_linears_chips_s"] = 8 / times[-1]
        row["onednn_speedup"] = times[-1] / t8
    model = quant = plain = bf16 = None  # free the weights before the next model
    return row


RSS_CHILD = r"""
import json, resource, sys, time
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
def peak_rss_mb():
    # VmHWM: this process's own high-water mark. (ru_maxrss of a child can report the parent's
    # size: Linux carries the pre-exec high-water mark of the forked copy over the exec.)
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
job = json.loads(sys.argv[1])
t = time.perf_counter()
result = run_job(job, JobContext())
print(json.dumps({"rss_mb": peak_rss_mb(),
                  "chips": result["chips"], "seconds": time.perf_counter() - t,
                  "grid_shape": result["grid_shape"]}))
"""


def make_big_raster(path, size):
    """A size x size 12-band uint16 raster, the S2 sample mirrored over the area, written by rows."""
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(os.path.join(REPO, "sample", "s2_sample.tif")) as ds:
        sample = ds.read()
    sample[sample == 0] = 1  # no nodata wedge repeated all over
    h, w = sample.shape[1:]

    def mirror(idx, n):
        period = 2 * n
        m = idx % period
        return np.where(m < n, m, period - 1 - m)

    cols = mirror(np.arange(size), w)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 12,
        "dtype": "uint16",
        "crs": "EPSG:32633",
        "transform": from_origin(400000.0, 5300000.0, 10.0, 10.0),
        "nodata": 0,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
        "zlevel": 1,
        "BIGTIFF": "IF_SAFER",
    }
    with rasterio.open(path, "w", **profile) as dst:
        for r0 in range(0, size, 256):
            rows = mirror(np.arange(r0, min(r0 + 256, size)), h)
            block = sample[:, rows][:, :, cols]
            dst.write(block, window=rasterio.windows.Window(0, r0, size, len(rows)))


def bench_rss(args):
    out = []
    with tempfile.TemporaryDirectory(prefix="terraembed-bench-") as tmp:
        for size in (1024, 4096):
            path = os.path.join(tmp, "s2_%d.tif" % size)
            make_big_raster(path, size)
            job = {
                "type": "embed",
                "source": {"kind": "raster", "path": path},
                "aoi": None,
                "model": args.rss_model,
                "prep": "tile",
                "device": "cpu",
                "batch_size": 8,
                "threads": args.threads,
                "precision": args.rss_precision,
                "weights": {"random_init": True},
                "outputs": {
                    "grid": os.path.join(tmp, "grid_%d.tif" % size),
                    "pca": os.path.join(tmp, "pca_%d.tif" % size),
                    "pca_components": 3,
                },
                "work_dir": tmp,
            }
            env = dict(os.environ, PYTHONPATH=PKG + os.pathsep + os.environ.get("PYTHONPATH", ""))
            proc = subprocess.run(
                [sys.executable, "-c", RSS_CHILD, json.dumps(job)], env=env, capture_output=True, text=True, cwd=tmp
            )
            if proc.returncode != 0:
                raise RuntimeError("RSS run for %d failed:\n%s" % (size, proc.stderr[-3000:]))
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["size"] = size
            row["raster_mb"] = size * size * 12 * 2 / 2**20
            out.append(row)
            for p in os.listdir(tmp):
                if p.endswith(".tif"):
                    os.remove(os.path.join(tmp, p))
    return out


# -- report ---------------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description="TerraEmbed benchmark (see the module docstring).")
    parser.add_argument(
        "--models", help="comma-separated model ids, or 'none' (default: all; --quick: %s)" % ",".join(QUICK_MODELS)
    )
    parser.add_argument("--quick", action="store_true", help="short run: fewer models and repetitions")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    parser.add_argument("--skip-int8", action="store_true")
    parser.add_argument("--skip-bf16", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument("--rss-model", default="terrafm_b_s2")
    parser.add_argument("--rss-precision", default="fp32")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds per model (each round runs every variant once)"
    )
    parser.add_argument("--matmul-size", type=int, default=4096, help="size of the matmul probe")
    parser.add_argument(
        "--seams",
        type=int,
        default=0,
        metavar="SIZE",
        help="also the seam figure per tile overlap on a SIZE x SIZE smooth raster (seams.py)",
    )
    parser.add_argument(
        "--pipeline-size", type=int, default=0, help="pipeline speed on an N x N raster (10980 = a full tile; 0 = skip)"
    )
    parser.add_argument("--pipeline-model", default="terrafm_b_s2")
    parser.add_argument("--pipeline-precision", default="auto", help="the job's precision (default: auto)")
    parser.add_argument("--pipeline-workers", type=int, default=2, help="Dask local:N workers (0: no Dask run)")
    parser.add_argument(
        "--pipeline-rounds",
        type=int,
        default=2,
        help="interleaved rounds of the pipeline runs (model only, job, Dask job)",
    )
    parser.add_argument("--pipeline-model-chips", type=int, default=48, help="chips per model-only round")
    parser.add_argument(
        "--pipeline-read-ahead",
        action="store_true",
        help="also time the job with its reader thread working beside the model",
    )
    parser.add_argument(
        "--pipeline-deflate",
        action="store_true",
        help="also time the job writing a DEFLATE-compressed grid (GRID_COMPRESSION), with the grid sizes",
    )
    parser.add_argument(
        "--full-tile",
        action="store_true",
        help="pipeline speed on a full Sentinel-2 tile (%d px; one round: model only, the job, "
        "the Dask job; about half an hour on 2 quiet cores)" % 10980,
    )
    parser.add_argument(
        "--explore",
        action="store_true",
        help="only the explore session's figures (issue 25; explore_speed.py): open, clicks, few-shot, batch",
    )
    parser.add_argument("--grid", help="--explore: this embedding raster instead of a generated grid")
    parser.add_argument(
        "--explore-size",
        type=int,
        default=None,
        metavar="N",
        help="--explore: generate an N x N cell grid (default: a full tile's, %d)" % explore_speed.FULL_TILE_CELLS,
    )
    parser.add_argument("--verbose", action="store_true", help="show the pipeline runs' logs")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.explore:
        args.explore_size = args.explore_size or explore_speed.FULL_TILE_CELLS
        return explore_speed.run(args, PKG)
    if args.full_tile:
        args.pipeline_size, args.pipeline_rounds = 10980, 1
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    models = args.models.split(",") if args.models else list(QUICK_MODELS if args.quick else ALL_MODELS)
    models = [m for m in models if m and m != "none"]

    print(
        "TerraEmbed benchmark: torch %s, %d thread(s), %s, Python %s, CPU: %s"
        % (torch.__version__, threads, platform.machine(), platform.python_version(), explore_speed.cpu_name())
    )
    from terraembed.models.cpu_gemm import onednn_available
    from terraembed.models.precision import cpu_bf16_features, describe_cpu_bf16

    print(
        "CPU bf16: %s; precision 'auto' runs %s on the CPU"
        % (describe_cpu_bf16(cpu_bf16_features() if onednn_available() else ()), "bf16" if cpu_runs_bf16() else "fp32")
    )
    print("Load average at start: %s" % ", ".join("%.2f" % v for v in os.getloadavg()))
    if args.quick:
        args.matmul_size = min(args.matmul_size, 2048)
    rates = matmul_peak(args.matmul_size, 3 if args.quick else 5)
    args.peak_gemm = max(rates, key=rates.get)
    peak = rates[args.peak_gemm]
    print(
        "fp32 matmul peak (%d^3, best of runs, before the models): %s; peak = %s's %.1f GFLOP/s"
        % (
            args.matmul_size,
            ", ".join("%s %.1f GFLOP/s" % kv for kv in rates.items()),
            args.peak_gemm,
            peak,
        )
    )
    print("(Each model's share of the peak uses the same product timed in its own rounds.)\n")

    rss = []
    if not args.skip_rss:
        print()
        print(
            "Peak RSS of the embed job, tile mode, grid + PCA outputs (%s %s, batch 8, fresh process each)"
            % (args.rss_model, args.rss_precision),
            flush=True,
        )
        rss = bench_rss(args)
        head = "%-12s %10s %6s %11s %9s %12s" % ("raster", "raw MB", "chips", "grid cells", "seconds", "peak RSS MB")
        print(head)
        print("-" * len(head))
        for r in rss:
            print(
                "%-12s %10.0f %6d %11s %9.1f %12.0f"
                % (
                    "%dx%dx12" % (r["size"], r["size"]),
                    r["raster_mb"],
                    r["chips"],
                    "%dx%d" % tuple(r["grid_shape"]),
                    r["seconds"],
                    r["rss_mb"],
                )
            )
        ratio = rss[1]["rss_mb"] / rss[0]["rss_mb"]
        print(
            "RSS ratio 4096 / 1024: %.2f (target <= %.1f): %s"
            % (ratio, TARGET_RSS_RATIO, verdict(ratio <= TARGET_RSS_RATIO))
        )
    pipeline = None
    if args.pipeline_size:
        from pipeline_speed import bench_pipeline, print_pipeline

        pipeline = bench_pipeline(args, PKG, make_big_raster)
        print_pipeline(pipeline, verdict)
    rows = []
    for model_id in models:
        print("... %s" % model_id, flush=True)
        rows.append(bench_model(model_id, args))
    if rows:
        print_model_tables(rows, args)
    seams = []
    if args.seams:
        import seams as seam_figure

        seams = seam_figure.run(args.seams, "terrafm_b_s2", args.threads)
        seam_figure.print_table(seams, args.seams, "terrafm_b_s2")
    print(
        "\nLoad average at end: %s; this process's peak RSS: %.0f MB"
        % (", ".join("%.2f" % v for v in os.getloadavg()), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "peak_gflops": peak,
                    "gemm_gflops": rates,
                    "threads": threads,
                    "models": rows,
                    "rss": rss,
                    "pipeline": pipeline,
                    "seams": seams,
                },
                f,
                indent=2,
            )


def print_model_tables(rows, args):
    print()
    print("Throughput (model.embed: preprocessing + one forward -> pooled and grid; random weights)")
    head = "%-20s %9s %9s %9s %10s %11s %8s %6s %8s" % (
        "model",
        "GFLOP/ch",
        "b1 ch/s",
        "b8 ch/s",
        "b8 GFLOP/s",
        "fp32 mm GF/s",
        "% peak",
        ">=85%",
        "mm prec",
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            "%-20s %9.1f %9.2f %9.2f %10.1f %11.1f %7.1f%% %6s %8s"
            % (
                r["model"],
                r["gflop_per_chip"],
                r["b1_chips_s"],
                r["b8_chips_s"],
                r["b8_gflops"],
                r["peak_gflops"],
                100 * r["b8_peak_share"],
                verdict(r["b8_peak_share"] >= TARGET_PEAK_SHARE),
                r["matmul_precision"],
            )
        )
    if any(r["matmul_precision"] != "highest" for r in rows):
        print(
            "NOTE: 'mm prec' is torch.get_float32_matmul_precision() while the model ran: 'medium' "
            "or 'high' means its fp32 matmuls ran in reduced precision (bf16/tf32), so its figures "
            "are not fp32 figures (importing terratorch sets 'medium')."
        )
    print()
    print("One pass (pooled + grid from one forward) vs two-pass baseline, batch 8")
    head = "%-20s %12s %12s %8s %7s" % ("model", "1-pass ch/s", "2-pass ch/s", "ratio", ">=1.9x")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            "%-20s %12.2f %12.2f %7.2fx %7s"
            % (
                r["model"],
                r["b8_chips_s"],
                r["b8_two_pass_chips_s"],
                r["two_pass_ratio"],
                verdict(r["two_pass_ratio"] >= TARGET_TWO_PASS),
            )
        )
    with_torch = [r for r in rows if "onednn_speedup" in r]
    if with_torch:
        print()
        print("oneDNN linear layers (models/cpu_gemm.py) vs torch's own (MKL), batch 8")
        head = "%-20s %13s %14s %9s" % ("model", "oneDNN ch/s", "torch's ch/s", "speed-up")
        print(head)
        print("-" * len(head))
        for r in with_torch:
            print(
                "%-20s %13.2f %14.2f %8.2fx"
                % (r["model"], r["b8_chips_s"], r["torch_linears_chips_s"], r["onednn_speedup"])
            )
    print_bf16_table(rows)
    if not args.skip_int8:
        print()
        print("int8 fast mode vs fp32, batch 8 (cosine of pooled vectors on chips of the sample rasters)")
        head = "%-20s %10s %9s %7s %11s %7s %14s" % (
            "model",
            "int8 ch/s",
            "speed-up",
            ">=1.5x",
            "cos min",
            ">=0.99",
            "grid cos mean",
        )
        print(head)
        print("-" * len(head))
        for r in rows:
            print(
                "%-20s %10.2f %8.2fx %7s %11.4f %7s %14.4f"
                % (
                    r["model"],
                    r["int8_chips_s"],
                    r["int8_speedup"],
                    verdict(r["int8_speedup"] >= TARGET_INT8_SPEEDUP),
                    r["int8_cos_min"],
                    verdict(r["int8_cos_min"] >= TARGET_INT8_COSINE),
                    r["int8_grid_cos_mean"],
                )
            )


def print_bf16_table(rows):
    with_bf16 = [r for r in rows if "bf16_speedup" in r]
    if not with_bf16:
        return
    print()
    print(
        "bf16 (precision 'auto' here: models/cpu_bf16.py) vs fp32 (the default before it), batch 8, the same "
        "rounds (cosines on chips of the sample rasters)"
    )
    head = "%-20s %9s %9s %9s %7s %12s %12s %7s" % (
        "model",
        "fp32 ch/s",
        "bf16 ch/s",
        "speed-up",
        "target",
        "pooled cos",
        "cell cos min",
        ">=0.999",
    )
    print(head)
    print("-" * len(head))
    for r in with_bf16:
        target = TARGET_BF16_SPEEDUP.get(r["model"])
        print(
            "%-20s %9.2f %9.2f %8.2fx %7s %12.6f %12.6f %7s"
            % (
                r["model"],
                r["b8_chips_s"],
                r["bf16_chips_s"],
                r["bf16_speedup"],
                "-" if target is None else "%s" % verdict(r["bf16_speedup"] >= target),
                r["bf16_cos_min"],
                r["bf16_grid_cos_min"],
                verdict(min(r["bf16_cos_min"], r["bf16_grid_cos_min"]) >= 0.999),
            )
        )


if __name__ == "__main__":
    main()
