"""The valid range of every number a user gives, in one place.

Standard library only: both sides import it. The Processing parameters declare these ranges (so
QGIS's dialogs, the modeler and `qgis_process` know them, and the shell's parameter check names
them), and the engine checks job specs against the same ranges (jobs from a job file, without QGIS).
"""

from typing import Any, Callable, Optional

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


class Range:
    """Inclusive [minimum, maximum] (None: no bound on that side); `note` says what special values
    mean (shown in messages)."""

    def __init__(
        self, minimum: Optional[float], maximum: Optional[float], integer: bool = True, note: str = ""
    ) -> None:
        self.minimum, self.maximum, self.integer, self.note = minimum, maximum, integer, note

    def text(self, tr: Translate = _same) -> str:
        """'between 1 and 64', 'at least 10', 'at most 5' or '' (no bounds), with the note; `tr`: the
        caller's translation (shell/i18n.tr in the shell, engine/i18n.tr in the worker)."""
        fmt = "%d" if self.integer else "%g"
        if self.minimum is not None and self.maximum is not None:
            text = tr("between %s and %s") % (fmt % self.minimum, fmt % self.maximum)
        elif self.minimum is not None:
            text = tr("at least %s") % (fmt % self.minimum)
        elif self.maximum is not None:
            text = tr("at most %s") % (fmt % self.maximum)
        else:
            text = ""
        return text + (" (%s)" % tr(self.note) if self.note else "")

    def problem(self, label: str, value: Any, tr: Translate = _same) -> Optional[str]:
        """None when value is valid, else a message that names the valid range (in `tr`'s language)."""
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError, AttributeError, OverflowError):
            return (tr("%s must be a number %s") % (label, self.text(tr))).rstrip() + tr(", got %r.") % (value,)
        if number != number or number in (float("inf"), float("-inf")):  # NaN, infinite
            return (tr("%s must be a number %s") % (label, self.text(tr))).rstrip() + tr(", got %r.") % (value,)
        if self.integer and number != int(number):
            return (tr("%s must be a whole number %s") % (label, self.text(tr))).rstrip() + tr(", got %r.") % (value,)
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            return tr("%s must be %s, got %s.") % (label, self.text(tr), _shown(value))
        return None


def _shown(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("%g" % value)


# -- embedding ------------------------------------------------------------------------------------
BATCH_SIZE = Range(0, 1024, note="0 = the model's default")
PCA_COMPONENTS = Range(1, 64)  # the PCA raster of Compute embeddings
SCALE = Range(1e-6, 1e6, integer=False, note="e.g. 10000 for reflectance stored as 0..1")
BUFFER = Range(0.0, 1e7, integer=False)  # around points, raster CRS units
EE_SCALE = Range(1.0, 10000.0, integer=False)  # Earth Engine pixel size, metres
MAX_CLOUD = Range(0.0, 100.0, integer=False)  # percent
SERIES_PERIODS = Range(2, 120)  # periods of a series (periods.py); one period: Change between dates
THREADS = Range(0, None)  # torch's CPU threads; 0 or null: torch's default
SCHEDULER_TIMEOUT = Range(0.0, None, integer=False)  # seconds; 0: the default
NODATA = Range(None, None, integer=False)  # any number
# -- Earth Engine requests (a job's "source"; the request limits of computePixels) --------------------
CLOUD_PROBABILITY = Range(0.0, 100.0, integer=False)  # percent
CACHE_CAP_MB = Range(0.0, None, integer=False)  # 0: no cache
EE_MAX_PIXELS = Range(1, None)  # pixels of the output grid
EE_WORKERS = Range(1, 32)  # requests at once
EE_REQUEST_BYTES = Range(1, None)
EE_REQUEST_SIDE = Range(1, 32768)
EE_MIN_REQUEST_SIDE = Range(1, None)
EE_BLOCK_ALIGN = Range(1, None)
EE_RETRIES = Range(0, 50)
EE_BACKOFF_S = Range(0.0, 600.0, integer=False)
EE_BACKOFF_MAX_S = Range(0.0, 3600.0, integer=False)
EE_REQUEST_TIMEOUT_S = Range(0.0, 86400.0, integer=False)
# -- analysis -------------------------------------------------------------------------------------
COMPONENTS = Range(1, 1024)  # and at most the raster's band count
SAMPLE = Range(10, 10_000_000)
SEED = Range(0, 2**31 - 1)
BLOCK_SIDE = Range(1, None)  # cells per block side of an analysis job (its memory bound)
CLUSTERS = Range(0, 255, note="0 = automatic")  # the class raster is 8-bit
AUTO_K = Range(2, 255)
NEIGHBORS = Range(1, 1000)
FOLDS = Range(0, 100, note="0 = no cross-validation")
COMPARE_FOLDS = Range(2, 100)  # Compare embeddings always validates
VALIDATION_BLOCK = Range(0.0, 1e9, integer=False, note="map units; 0 = automatic")  # spatial blocks
SIMILARITY = Range(-1.0, 1.0, integer=False)  # cosine similarity
SIMILARITY_DIFFERENCE = Range(-2.0, 2.0, integer=False)  # similarity to the positives minus to the negatives
DISTANCE = Range(0.0, 2.0, integer=False)  # cosine distance
SUGGESTIONS = Range(1, 1000)  # where to label next: cells suggested
SPACING = Range(0.0, 1e7, integer=False, note="0 = 5 cells")  # between suggestions and from labels, map units
# -- published embeddings -------------------------------------------------------------------------
# AlphaEarth's first year; the last is open: the collection is asked which years it has.
ALPHAEARTH_YEAR = Range(2017, 2100, note="and a year the collection has")
