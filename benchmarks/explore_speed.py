"""Explore speed (issue 25; part of benchmark.py, see --explore): how fast an explore session answers
clicks on a full tile's embedding grid, through the real worker and the shell's session client.

1. The grid: a generated embedding raster of 687 x 687 cells x 768 dimensions (a Sentinel-2 tile,
   10980 px, at 16 px per cell; 1.45 GB float32), or --explore-size N cells per side, or the raster
   --grid names. It has planted structure (Voronoi regions, each class a random centre plus noise)
   and the layout *Compute embeddings* writes (engine/pipeline/outputs.GridWriter: band-interleaved tiles of
   16 rows), written strip by strip so that memory stays bounded; it lives in a temporary folder
   removed afterwards. The file is read once before anything is timed (it sits in the page cache).
2. Batch: the 'similarity' job through run_job in a fresh process of the runtime's Python (process
   start and imports included in batch_s; the job's own seconds beside it), with the reference
   points of the comparison click below.
3. Per storage (float32, and bfloat16 where storage_for("auto") picks it): a session opened
   through shell/session.SessionClient (open_s: from start() to the answer with id 0) replays 50
   clicks, each waited for: positives, then negatives (all labels sent with every click, as the
   panel does), then two-class few-shot ('a' on the positives' class, 'b' on another). Then one more
   click with the positives only, whose heat map is compared with the batch output over the valid
   cells (max_abs_diff_vs_batch). session_rss_mb: the worker's VmRSS after opening.
   Click figures: engine_ms (the worker's work: product, histogram, heat-map GeoTIFF) and
   round_trip_ms (the client's: the query through the pipe, the work, the answer back), median and
   p95; few-shot: the median engine_ms of its answers in seconds.
4. A threshold move: the area at a threshold from a click's histogram (a cumulative sum of its counts
   from the top, in plain Python as in the shell); threshold_ms is the slowest of THRESHOLD_MOVES.
   Beside it, whether those areas equal the heat map's own count of cells at or above each threshold.
5. What bounds a click: the product reads every stored vector once, so bytes per click = cells x
   dimensions x bytes per value; its GB/s (bytes / the median product time) is set beside this
   machine's read bandwidth (a sum over as many bytes with the same threads).
"""

import itertools
import json
import math
import os
import platform
import queue
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

FULL_TILE_CELLS = 687  # ceil(10980 px / 16 px per cell)
DIMENSIONS = 768
CLASSES = 6
NOISE = 1.0  # standard deviation of the noise per dimension; the class centres' is 1
CELL_SIZE = 160.0  # metres: 16 px of 10 m
POSITIVES, NEGATIVES, FEWSHOT = 20, 15, 15  # the 50 clicks, in this order
THRESHOLD_MOVES = 200
ANSWER_WAIT_S = 600
TARGETS = (  # (key, what, unit, target: at most)
    ("click_ms_median", "click to result, median (end to end)", "ms", 100.0),
    ("click_ms_p95", "click to result, p95 (end to end)", "ms", 250.0),
    ("fewshot_s", "few-shot refit (median)", "s", 1.0),
    ("threshold_ms", "threshold move (slowest)", "ms", 50.0),
    ("open_s", "session open (file in page cache)", "s", 15.0),
)

BATCH_CHILD = r"""
import json, sys, time
from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
t = time.perf_counter()
result = run_job(json.loads(sys.argv[1]), JobContext())
print(json.dumps({"job_s": time.perf_counter() - t, "reference_cells": result["reference_cells"]}))
"""


# -- the grid -------------------------------------------------------------------------------------
def grid_transform():
    from rasterio.transform import from_origin

    return from_origin(400000.0, 5300000.0, CELL_SIZE, CELL_SIZE)


def voronoi_classes(height, width, classes, rng):
    """(height, width) class codes 1..classes: each cell takes its nearest of `classes` random sites."""
    sites = rng.uniform((0, 0), (height, width), size=(classes, 2))
    rows, cols = np.mgrid[0:height, 0:width]
    d = (rows[..., None] - sites[:, 0]) ** 2 + (cols[..., None] - sites[:, 1]) ** 2
    return (np.argmin(d, axis=-1) + 1).astype(np.int32)


def make_grid(path, size=FULL_TILE_CELLS, dimensions=DIMENSIONS, classes=CLASSES, seed=0):
    """Write a size x size embedding grid with planted classes to `path`; returns the class codes."""
    from terraembed.engine.pipeline.outputs import BLOCK_ROWS, GridWriter

    rng = np.random.default_rng(seed)
    codes = voronoi_classes(size, size, classes, rng)
    centres = rng.standard_normal((dimensions, classes + 1), dtype=np.float32)
    tags = {"TERRAEMBED_MODEL": "synthetic (benchmark)", "TERRAEMBED_DIM": str(dimensions)}
    writer = GridWriter(path, dimensions, size, size, grid_transform(), "EPSG:32633", tags, compress="none")
    try:
        for row0 in range(0, size, BLOCK_ROWS):
            strip = codes[row0 : row0 + BLOCK_ROWS]
            noise = rng.standard_normal((dimensions,) + strip.shape, dtype=np.float32)
            noise *= NOISE
            noise += centres[:, strip]
            writer.write_rows(row0, noise)
    finally:
        writer.close()
    return codes


def read_once(path, chunk=64 * 2**20):
    """Read the file through, so that it sits in the page cache."""
    with open(path, "rb") as f:
        while f.read(chunk):
            pass


# -- clicks ---------------------------------------------------------------------------------------
def click_labels(codes, transform, seed=0):
    """The replay's labels: (positives on class 1, negatives on class 2, few-shot 'b' on class 3 and
    'a' on class 1, alternating 'b' first), each {"x", "y", "sign", "class"} at a cell's centre."""
    rng = np.random.default_rng(seed + 1)
    present = [c for c in (1, 2, 3) if (codes == c).any()]
    first, second, third = (present * 3)[:3]  # a small grid may hold fewer classes

    def cells(code, n, sign, name):
        rows, cols = np.nonzero(codes == code)
        picks = rng.choice(len(rows), n, replace=n > len(rows))
        out = []
        for i in picks:
            x, y = transform * (float(cols[i]) + 0.5, float(rows[i]) + 0.5)
            out.append({"x": float(x), "y": float(y), "sign": sign, "class": name})
        return out

    positives = cells(first, POSITIVES, 1, "a")
    negatives = cells(second, NEGATIVES, -1, "a")
    b, a = cells(third, FEWSHOT, 1, "b"), cells(first, FEWSHOT, 1, "a")
    fewshot = [(b if i % 2 == 0 else a)[i] for i in range(FEWSHOT)]
    return positives, negatives, fewshot


def replay(positives, negatives, fewshot):
    """The 50 questions in order: (op, labels) with every label so far, as the panel sends them."""
    for i in range(1, len(positives) + 1):
        yield "similarity", positives[:i]
    for i in range(1, len(negatives) + 1):
        yield "similarity", positives + negatives[:i]
    for i in range(1, len(fewshot) + 1):
        yield "fewshot", positives + negatives + fewshot[:i]


class Session:
    """A session through the real worker: ask and wait for the answer."""

    def __init__(self, python, path, storage):
        from terraembed.shell.client import RuntimeClient
        from terraembed.shell.session import SessionClient

        self.messages = queue.Queue()
        self.client = SessionClient(
            RuntimeClient(python), {"kind": "explore", "input": path, "storage": storage}, self.messages.put
        )

    def open(self):
        """Start the worker and wait until the session is open: (seconds, info)."""
        t0 = time.perf_counter()
        self.client.start()
        answer = self.wait(0)
        return time.perf_counter() - t0, answer["result"]

    def ask(self, op, labels):
        return self.wait(self.client.ask(op, {"labels": labels}))

    def wait(self, qid):
        while True:
            message = self.messages.get(timeout=ANSWER_WAIT_S)
            kind = message["type"]
            if kind == "answer" and message["id"] == qid:
                return message
            if kind in ("error", "ended"):
                raise RuntimeError(
                    "The explore session failed: %s\n%s" % (message.get("message"), message.get("detail", ""))
                )

    def rss_mb(self):
        with open("/proc/%d/status" % self.client.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def close(self):
        self.client.close()


# -- threshold moves ------------------------------------------------------------------------------
def area_at(histogram, threshold, cell_area):
    """Area of the cells at or above `threshold` from a click's histogram: the counts summed from
    the top (a cumulative sum), as the panel does on a slider move."""
    lo, hi = histogram["range"]
    counts = histogram["counts"]
    first = min(len(counts), max(0, int(round((threshold - lo) * len(counts) / (hi - lo)))))
    above = list(itertools.accumulate(reversed(counts)))
    return (above[len(counts) - first - 1] if first < len(counts) else 0) * cell_area


def time_threshold_moves(answer):
    """The slowest threshold move's milliseconds over THRESHOLD_MOVES thresholds in the heat's range."""
    lo, hi = answer["min"], answer["max"]
    worst = 0.0
    for i in range(THRESHOLD_MOVES):
        t0 = time.perf_counter()
        area_at(answer["histogram"], lo + (hi - lo) * i / THRESHOLD_MOVES, answer["cell_area"])
        worst = max(worst, time.perf_counter() - t0)
    return 1000 * worst


def threshold_mismatches(answer, heat):
    """How many slider steps (0.001 apart, within the heat's range) give an area from the histogram
    other than the heat map's own count of cells at or above the step (float32 heat, compared in
    float32 as the session's mask does)."""
    lo, hi = answer["histogram"]["range"]
    bins = len(answer["histogram"]["counts"])
    ok = heat[np.isfinite(heat)]
    wrong = 0
    for i in range(int(math.floor((answer["min"] - lo) * bins / (hi - lo))), bins):
        t = lo + i * (hi - lo) / bins
        if t > answer["max"] + 1e-3:
            break
        if area_at(answer["histogram"], t, 1.0) != int((ok >= np.float32(t)).sum()):
            wrong += 1
    return wrong


# -- runs -----------------------------------------------------------------------------------------
QGIS_PYTHON = "/usr/bin/python3"  # the Python QGIS is built against (Debian), for the drawn clicks


def render_figures(path, storage, clicks=20):
    """Click to the heat map drawn on a QGIS map canvas (explore_render.py in QGIS's Python): {} where
    QGIS cannot run here."""
    probe = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True)  # nosec B603
    if probe.returncode != 0:
        print("  (no QGIS here: click-to-canvas figures skipped)", flush=True)
        return {}
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "explore_render.py")
    proc = subprocess.run(
        [QGIS_PYTHON, script, path, "--storage", storage, "--clicks", str(clicks)],  # nosec B603
        capture_output=True,
        text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        print("  click-to-canvas run failed: %s" % proc.stderr[-500:], flush=True)
        return {}
    data = json.loads(lines[-1])
    return {
        "click_ms_render_median": statistics.median(data["click_ms_render"]),
        "click_ms_render_p95": percentile(data["click_ms_render"], 95),
        "qgis_rss_growth_mb": data["qgis_rss_growth_mb"],
    }


def percentile(values, q):
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def read_band(path):
    import rasterio

    with rasterio.open(path) as ds:
        return ds.read(1)


def run_batch(python, pkg, path, positives, out_path):
    """The 'similarity' job with the positives as reference points, in a fresh runtime process."""
    spec = {
        "type": "similarity",
        "input": path,
        "output": out_path,
        "reference": {"geometries": ["POINT (%r %r)" % (p["x"], p["y"]) for p in positives]},
    }
    env = dict(os.environ, PYTHONPATH=pkg + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t0 = time.perf_counter()
    proc = subprocess.run([python, "-c", BATCH_CHILD, json.dumps(spec)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError("The batch similarity job failed:\n%s" % proc.stderr[-3000:])
    child = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"batch_s": seconds, "batch_job_s": child["job_s"], "reference_cells": child["reference_cells"]}


def read_bandwidth_gb_s(nbytes, repeats=3):
    """This machine's read bandwidth: the best of `repeats` sums over nbytes of float32 (torch's
    threads, as the worker uses)."""
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    data = torch.ones(max(1, nbytes // 4), dtype=torch.float32)
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - t0)
    return nbytes / best / 1e9


def run_storage(python, path, storage, labels, batch_heat):
    """Open a session with `storage`, replay the clicks, compare with the batch output: figures."""
    session = Session(python, path, storage)
    try:
        open_s, info = session.open()
        rss = session.rss_mb()
        answers = {"similarity": [], "fewshot": []}
        for op, asked in replay(*labels):
            answers[op].append(session.ask(op, asked))
        check = session.ask("similarity", labels[0])
        live = read_band(check["result"]["path"])
    finally:
        session.close()
    clicks, fits = answers["similarity"], answers["fewshot"]
    engine = [a["result"]["engine_ms"] for a in clicks]
    round_trip = [a["round_trip_ms"] for a in clicks]
    product_ms = statistics.median(a["result"]["product_ms"] for a in clicks)
    stored = info["width"] * info["height"] * info["bands"] * (2 if info["storage"] == "bfloat16" else 4)
    valid = np.isfinite(live) & np.isfinite(batch_heat)
    return {
        "storage": info["storage"],
        "open_s": open_s,
        "open_engine_s": info["open_s"],
        "session_rss_mb": rss,
        "memory_mb": info["memory_mb"],
        "click_ms_median": statistics.median(round_trip),
        "click_ms_p95": percentile(round_trip, 95),
        "click_engine_ms_median": statistics.median(engine),
        "click_engine_ms_p95": percentile(engine, 95),
        "product_ms_median": product_ms,
        "bytes_per_click": stored,
        "product_gb_s": stored / (product_ms / 1000.0) / 1e9,
        "fewshot_s": statistics.median(a["result"]["engine_ms"] for a in fits) / 1000.0,
        "fewshot_round_trip_s": statistics.median(a["round_trip_ms"] for a in fits) / 1000.0,
        "cv_accuracy": fits[-1]["result"]["cv_accuracy"],
        "max_abs_diff_vs_batch": float(np.abs(live[valid].astype(np.float64) - batch_heat[valid]).max()),
        "bound": info["bound"],
        "valid_cells_differ": int((np.isfinite(live) != np.isfinite(batch_heat)).sum()),
        "threshold_ms": time_threshold_moves(check["result"]),
        "threshold_mismatches": threshold_mismatches(check["result"], live),
        "clicks": len(clicks) + len(fits),
    }


def cpu_name():
    """The CPU's model name (Linux), else what Python knows of the processor (the benchmarks' one)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def storages():
    from terraembed.engine.analysis.explore import storage_for

    return ["float32", "bfloat16"] if storage_for("auto") == "bfloat16" else ["float32"]


def bench(grid, size, python, pkg):
    """All figures (the JSON's dict); `grid`: a raster to use, or None to make one of size cells."""
    import rasterio

    from terraembed.engine.analysis.explore import storage_for

    with tempfile.TemporaryDirectory(prefix="terraembed-explore-") as tmp:
        if grid:
            with rasterio.open(grid) as ds:
                codes = voronoi_classes(ds.height, ds.width, CLASSES, np.random.default_rng(0))  # where to click
                transform = ds.transform
            path = grid
        else:
            path = os.path.join(tmp, "grid.tif")
            t0 = time.perf_counter()
            print("Writing a %d x %d x %d grid ..." % (size, size, DIMENSIONS), flush=True)
            codes = make_grid(path, size)
            transform = grid_transform()
            print("... %.1f s" % (time.perf_counter() - t0), flush=True)
        read_once(path)
        with rasterio.open(path) as ds:
            shape = {"width": ds.width, "height": ds.height, "dimensions": ds.count}
        labels = click_labels(codes, transform)
        print("Batch similarity job (run_job in a fresh runtime process) ...", flush=True)
        batch_out = os.path.join(tmp, "batch.tif")
        batch = run_batch(python, pkg, path, labels[0], batch_out)
        batch_heat = read_band(batch_out)
        by_storage = {}
        for storage in storages():
            print("Session, %s: open, %d clicks ..." % (storage, POSITIVES + NEGATIVES + FEWSHOT), flush=True)
            by_storage[storage] = dict(run_storage(python, path, storage, labels, batch_heat), **batch)
            by_storage[storage].update(render_figures(path, storage))
        read_gb_s = read_bandwidth_gb_s(shape["width"] * shape["height"] * shape["dimensions"] * 4)
    default = storage_for("auto")
    figures = dict(by_storage[default])
    figures.update(
        {
            "storage_default": default,
            "by_storage": by_storage,
            "cpu": cpu_name(),
            "cores": os.cpu_count(),
            "grid": dict(shape, generated=not grid, path=grid),
            "batch_mode": "the similarity job through run_job in a fresh runtime process (process start included)",
            "read_gb_s": read_gb_s,
            "load_average": os.getloadavg(),
        }
    )
    return figures


# -- report ---------------------------------------------------------------------------------------
def print_table(figures):
    grid = figures["grid"]
    names = list(figures["by_storage"])
    cols = [figures["by_storage"][n] for n in names]
    print()
    print(
        "Explore session (issue 25): %d x %d cells x %d dimensions, %s; CPU: %s, %d cores; default storage %s"
        % (
            grid["width"],
            grid["height"],
            grid["dimensions"],
            "generated" if grid["generated"] else grid["path"],
            figures["cpu"],
            figures["cores"],
            figures["storage_default"],
        )
    )
    head = "%-40s" % "figure" + "".join("%18s" % n for n in names) + "%10s" % "target"
    print(head)
    print("-" * len(head))
    for key, what, unit, target in TARGETS:
        cells = "".join("%12.3g %-5s" % (c[key], "PASS" if c[key] <= target else "FAIL") for c in cols)
        print("%-40s%s%10s" % ("%s (%s)" % (what, unit), cells, "<= %g" % target))
    rows = (
        ("click median, engine side (ms)", "click_engine_ms_median", "%.1f"),
        ("click p95, engine side (ms)", "click_engine_ms_p95", "%.1f"),
        ("product over the grid, median (ms)", "product_ms_median", "%.1f"),
        ("bytes read per click (GB)", "bytes_per_click", "%.2f", 1e-9),
        ("product's read rate (GB/s)", "product_gb_s", "%.1f"),
        ("few-shot refit, end to end (s)", "fewshot_round_trip_s", "%.3f"),
        ("session open, engine side (s)", "open_engine_s", "%.2f"),
        ("click to map drawn in QGIS, median (ms)", "click_ms_render_median", "%.0f"),
        ("click to map drawn in QGIS, p95 (ms)", "click_ms_render_p95", "%.0f"),
        ("QGIS's own memory growth (MB)", "qgis_rss_growth_mb", "%.0f"),
        ("session memory, worker VmRSS (MB)", "session_rss_mb", "%.0f"),
        ("session memory, grid held (MB)", "memory_mb", "%.0f"),
        ("batch similarity, fresh process (s)", "batch_s", "%.1f"),
        ("batch similarity, in the job (s)", "batch_job_s", "%.1f"),
        ("max |live - batch|", "max_abs_diff_vs_batch", "%.2g"),
        ("  bound", "bound", "%.2g"),
        ("threshold areas != cell counts (steps)", "threshold_mismatches", "%d"),
    )
    for label, key, fmt, *scale in rows:
        factor = scale[0] if scale else 1
        cells = ("%18s" % (fmt % (c[key] * factor) if key in c else "-") for c in cols)
        print("%-40s%s" % (label, "".join(cells)))
    print(
        "batch / click median (end to end): %s"
        % ", ".join("%s %.0fx" % (n, c["batch_s"] * 1000 / c["click_ms_median"]) for n, c in zip(names, cols))
    )
    print("batch: %s" % figures["batch_mode"])
    print(
        "read bandwidth of this machine (a sum over the grid's float32 bytes): %.1f GB/s; "
        "load average at end: %s" % (figures["read_gb_s"], ", ".join("%.2f" % v for v in figures["load_average"]))
    )


def run(args, pkg):
    """benchmark.py --explore: measure, print, write args.json."""
    figures = bench(args.grid, args.explore_size, sys.executable, pkg)
    print_table(figures)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return figures
