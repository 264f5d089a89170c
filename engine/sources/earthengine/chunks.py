"""Chunks of the output grid: the plan (pure), splitting, and fetching the pixels of all chunks with
computePixels in a bounded thread pool (retries, and halving a chunk the service calls too large)."""

import concurrent.futures
import math
import threading
from collections.abc import Callable
from typing import Any, Optional, Union

import numpy as np

from ....shared.errors import Cancelled, UserError
from ...context import JobContext
from ...i18n import tr
from .retry import with_retries

Window = tuple[int, int, int, int]  # (row, col, height, width) in the output grid
Limits = dict[str, Any]  # the request limits and retry policy (EarthEngineRequest.request_limits)
Writer = Callable[[Window, np.ndarray], object]  # write(window, its pixels)


# ------------------------------------------------------------------------------------------------
# Chunking (pure)
# ------------------------------------------------------------------------------------------------
def plan_chunks(
    width: int, height: int, bytes_per_pixel: int, max_bytes: int, max_side: int, align: int = 256
) -> list[Window]:
    """Windows (row, col, height, width) tiling a width x height grid exactly, each under
    max_bytes and max_side; sides are multiples of `align` when larger than it."""
    max_px = max(1, int(max_bytes) // int(bytes_per_pixel))
    max_side = max(1, int(max_side))

    def fit(n: int, total: int) -> int:
        n = max(1, min(int(n), max_side, total))
        return n - n % align if align < n < total else n

    if width <= max_side and width * min(height, align) <= max_px:
        cw = width  # full-width strips
    else:
        cw = fit(math.isqrt(max_px), width)
    ch = fit(max_px // cw, height)
    return [(r, c, min(ch, height - r), min(cw, width - c)) for r in range(0, height, ch) for c in range(0, width, cw)]


def split_window(window: Window) -> list[Window]:
    """Two halves of a window along its longer side."""
    r, c, h, w = window
    if w >= h:
        a = w // 2
        return [(r, c, h, a), (r, c + a, h, w - a)]
    a = h // 2
    return [(r, c, a, w), (r + a, c, h - a, w)]


def window_grid(grid: dict[str, Any], window: Window) -> dict[str, Any]:
    """The computePixels grid of a window of the output grid."""
    r, c, h, w = window
    sx, _, x0, _, sy, y0 = grid["transform"]
    out = {
        "dimensions": {"width": int(w), "height": int(h)},
        "affineTransform": {
            "scaleX": sx,
            "shearX": 0.0,
            "translateX": x0 + c * sx,
            "shearY": 0.0,
            "scaleY": sy,
            "translateY": y0 + r * sy,
        },
    }
    out.update(grid["crs_for_ee"])
    return out


# ------------------------------------------------------------------------------------------------
# Pixels
# ------------------------------------------------------------------------------------------------
class _StoppableContext:
    """The job context as seen by a pool thread: also stops when the fetch as a whole failed, so
    that no thread keeps retrying (or sleeping in a backoff) after the job has ended."""

    def __init__(self, ctx: JobContext, stop: threading.Event) -> None:
        self._ctx, self._stop = ctx, stop

    def check_cancel(self) -> None:
        if self._stop.is_set():
            raise Cancelled()
        self._ctx.check_cancel()

    def log(self, message: object, level: str = "info") -> None:
        if not self._stop.is_set():
            self._ctx.log(message, level)


def _fetch_window(
    ee: Any,
    image: Any,
    grid: dict[str, Any],
    bands: list[str],
    window: Window,
    ctx: JobContext,
    limits: dict[str, Any],
    project: Optional[str],
    stop: threading.Event,
) -> Union[np.ndarray, str]:
    """One window's pixels as a (bands, h, w) float32 array, or 'split'."""
    stoppable = _StoppableContext(ctx, stop)
    stoppable.check_cancel()
    params = {"expression": image, "fileFormat": "NUMPY_NDARRAY", "grid": window_grid(grid, window)}
    r, c, h, w = window
    result = with_retries(
        lambda: ee.data.computePixels(params),
        stoppable,
        limits,
        "pixels of rows %d-%d, columns %d-%d" % (r, r + h - 1, c, c + w - 1),
        project,
        allow_split=True,
    )
    if isinstance(result, str):
        return result
    arr = np.asarray(result)
    names = arr.dtype.names or ()
    if arr.shape != (h, w) or any(b not in names for b in bands):
        raise RuntimeError(
            "Earth Engine answered a %s array with bands %s for a %dx%d request of %s" % (arr.shape, names, h, w, bands)
        )
    return np.stack([arr[b].astype(np.float32, copy=False) for b in bands])


def _halves_of_refused(win: Window, limits: Limits, ctx: JobContext) -> list[Window]:
    """The two halves to request instead of a window the service refused as too large, or a UserError
    when the window is already at the smallest request side."""
    if max(win[2], win[3]) <= limits["min_request_side"]:
        raise UserError(
            tr("Earth Engine refuses even a %dx%d pixel request as too large; use a coarser scale or fewer dates.")
            % (win[3], win[2])
        )
    ctx.log(tr("Earth Engine: request of %dx%d pixels too large; splitting it in two") % (win[3], win[2]))
    return split_window(win)


def fetch_pixels(
    ee: Any, image: Any, request: dict[str, Any], ctx: JobContext, limits: Limits, project: Optional[str], write: Writer
) -> int:
    """Fetch the whole grid in chunks; write(window, array) is called in this thread for each one."""
    grid, bands = request["grid"], request["bands"]
    width, height = grid["width"], grid["height"]
    windows = plan_chunks(
        width, height, 4 * len(bands), limits["max_request_bytes"], limits["max_request_side"], limits["block_align"]
    )
    total, done, requests = float(width * height), 0, 0
    stop = threading.Event()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=limits["workers"], thread_name_prefix="ee-fetch")
    pending = {}

    def submit(win: Window) -> None:
        pending[pool.submit(_fetch_window, ee, image, grid, bands, win, ctx, limits, project, stop)] = win

    ctx.log(
        tr("Earth Engine: fetching %d x %d pixels of %d bands in %d request(s), %d in parallel")
        % (width, height, len(bands), len(windows), limits["workers"])
    )
    ctx.progress(0.0, tr("Fetching Earth Engine pixels"))
    try:
        for win in windows:
            submit(win)
        while pending:
            ctx.check_cancel()
            finished, _ = concurrent.futures.wait(
                list(pending), timeout=0.1, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for fut in finished:
                win = pending.pop(fut)
                result = fut.result()
                if isinstance(result, str):  # the service said too large: halve it
                    for half in _halves_of_refused(win, limits, ctx):
                        submit(half)
                    continue
                ctx.check_cancel()
                write(win, result)
                requests += 1
                done += win[2] * win[3]
                ctx.progress(done / total, tr("Fetching Earth Engine pixels (%d/%d px)") % (done, total))
    except BaseException:
        stop.set()
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return requests
