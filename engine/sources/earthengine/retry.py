"""Errors and retries of Earth Engine calls: classify an exception (split / retry / network / fatal),
retry with exponential backoff and jitter (cancellable), and the user-facing messages."""

import random
import time
from collections.abc import Callable
from typing import Any, Optional, Protocol

from ....shared.errors import Cancelled, UserError
from ...i18n import tr

REGISTER_URL = "https://code.earthengine.google.com/register"
SPLIT_PATTERNS = (
    "total request size",
    "too many pixels",
    "request payload size",
    "must be less than or equal to",
    "user memory limit exceeded",
    "computation timed out",
    "pixel grid dimensions",
)
RETRY_STATUSES = (408, 429, 500, 502, 503, 504)


class Cancellable(Protocol):
    """What a retry loop needs of its context (a JobContext, or a fetch thread's view of one)."""

    def check_cancel(self) -> None: ...

    def log(self, message: object, level: str = "info") -> None: ...


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------
def _http_status(exc: Optional[BaseException]) -> Optional[int]:
    """The HTTP status behind an exception (ee wraps googleapiclient's HttpError in EEException,
    keeping it as __context__)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        resp = getattr(exc, "resp", None)
        status = getattr(resp, "status", None) if resp is not None else getattr(exc, "status_code", None)
        if status is not None:
            try:
                return int(status)
            except (TypeError, ValueError):
                return None
        exc = exc.__cause__ or exc.__context__
    return None


def _is_network_error(exc: Optional[BaseException]) -> bool:
    import socket

    kinds: list[type[BaseException]] = [ConnectionError, TimeoutError, socket.timeout, socket.gaierror]
    try:
        import httplib2

        kinds.append(httplib2.HttpLib2Error)
    except ImportError:
        pass
    try:
        from google.auth.exceptions import TransportError

        kinds.append(TransportError)
    except ImportError:
        pass
    try:
        import requests

        kinds.append(requests.exceptions.ConnectionError)
        kinds.append(requests.exceptions.Timeout)
    except ImportError:
        pass
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, tuple(kinds)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def classify(exc: BaseException) -> str:
    """'split' (request too large), 'retry' (429/5xx), 'network' or 'fatal'."""
    if isinstance(exc, (Cancelled, UserError)):
        return "fatal"
    text = str(exc).lower()
    status = _http_status(exc)
    if any(p in text for p in SPLIT_PATTERNS):
        return "split"
    if status in RETRY_STATUSES or "resource_exhausted" in text or "too many concurrent" in text:
        return "retry"
    if status is None and _is_network_error(exc):
        return "network"
    return "fatal"


def _short(exc: object, limit: int = 300) -> str:
    text = str(exc).strip().replace("\n", " ") or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "..."


def exhausted_error(exc: BaseException, attempts: int, what: str) -> UserError:
    """The UserError after `attempts` failed tries of a retryable error."""
    status = _http_status(exc)
    if status == 429 or "resource_exhausted" in str(exc).lower() or "quota" in str(exc).lower():
        return UserError(
            tr(
                "Earth Engine refused %s: quota or rate limit exceeded (HTTP 429: %s), still after %d attempts. "
                "Wait a few minutes and run again, lower 'workers' (parallel requests), or check the Earth Engine "
                "quota of the Cloud project. Imagery fetched before is served from the cache."
            )
            % (what, _short(exc), attempts)
        )
    if status is not None:
        return UserError(
            tr(
                "Earth Engine kept failing on %s (HTTP %d: %s), %d attempts. The service may be having problems; "
                "try again later."
            )
            % (what, status, _short(exc), attempts)
        )
    return UserError(
        tr(
            "Cannot reach Earth Engine for %s (%s: %s), %d attempts. Check the internet connection or proxy "
            "and try again; imagery fetched before is served from the cache without a connection."
        )
        % (what, type(exc).__name__, _short(exc), attempts)
    )


def fatal_error(exc: BaseException, what: str, project: Optional[str] = None) -> UserError:
    """A UserError for a non-retryable Earth Engine answer."""
    status = _http_status(exc)
    text = str(exc)
    low = text.lower()
    if (
        status == 401
        or _is_refresh_error(exc)
        or "invalid_grant" in low
        or "unauthenticated" in low
        or "invalid authentication" in low
    ):
        return UserError(
            tr(
                "Earth Engine did not accept the credentials (%s). Run `earthengine authenticate` again, "
                "or check the service-account key file."
            )
            % _short(exc)
        )
    if status == 403 or "not registered" in low or "has not been used in project" in low or "permission" in low:
        return UserError(
            tr(
                "The Cloud project %r cannot use Earth Engine with these credentials (%s). Register the "
                "project for Earth Engine at %s and enable the Earth Engine API, or set another project "
                "(EE_PROJECT or the plugin setting); a service account also needs the Earth Engine "
                "role on it."
            )
            % (project, _short(exc), REGISTER_URL)
        )
    return UserError(tr("Earth Engine could not compute %s: %s") % (what, _short(exc, 600)))


def _sleep(seconds: float, ctx: Cancellable) -> None:
    """Sleep in short steps so that a cancel stops the wait."""
    end = time.monotonic() + seconds
    while True:
        ctx.check_cancel()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))


def with_retries(
    call: Callable[[], Any],
    ctx: Cancellable,
    limits: dict[str, Any],
    what: str,
    project: Optional[str] = None,
    allow_split: bool = False,
) -> Any:
    """call() with retries and exponential backoff on 429/5xx/network errors. Returns the result,
    or the string 'split' (when allow_split and the service said the request is too large)."""
    attempts = limits["retries"] + 1
    for attempt in range(attempts):
        ctx.check_cancel()
        try:
            return call()
        except (Cancelled, UserError):
            raise
        except Exception as exc:  # classified below; anything unknown becomes a UserError/internal
            kind = classify(exc)
            if kind == "split":
                if allow_split:
                    return "split"
                raise fatal_error(exc, what, project) from None
            if kind == "fatal":
                if _http_status(exc) is None and not _looks_like_ee_error(exc) and not _is_refresh_error(exc):
                    raise
                raise fatal_error(exc, what, project) from None
            if attempt + 1 >= attempts:
                raise exhausted_error(exc, attempts, what) from None
            delay = min(limits["backoff_max_s"], limits["backoff_s"] * (2**attempt))
            delay *= 1.0 + 0.25 * random.random()
            ctx.log(
                tr("Earth Engine: %s failed (%s); retry %d of %d in %.1f s")
                % (what, _short(exc, 120), attempt + 1, attempts - 1, delay)
            )
            _sleep(delay, ctx)


def _is_refresh_error(exc: BaseException) -> bool:
    try:
        from google.auth.exceptions import RefreshError
    except ImportError:
        return False
    return isinstance(exc, RefreshError)


def _looks_like_ee_error(exc: BaseException) -> bool:
    try:
        import ee

        return isinstance(exc, ee.EEException)
    except ImportError:
        return False
