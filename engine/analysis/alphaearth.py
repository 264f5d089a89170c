"""Google's int8 files of AlphaEarth embeddings (catalogue.ALPHAEARTH), read as embeddings wherever an
embedding raster is read (blocks.read_block: every analysis job and the Explore session).

The layout Google documents for its COGs (gs://alphaearth_foundations, "AlphaEarth Foundations GCS
data"; the Source Cooperative copy has the same files, with a VRT beside each): 64 bands A00..A63 (the
axes of GOOGLE/SATELLITE_EMBEDDING/V1/ANNUAL, in order, named in the files), signed 8-bit, nodata -128
(a masked cell is -128 in every band). A stored value v stands for sign(v) * (v / 127.5)^2 in [-1, 1]
(the de-quantisation Google gives), so each cell's 64 values make a unit vector again.

A raster is taken for this distribution when it is signed 8-bit with 64 bands, nodata -128 on every
band and the band names A00..A63 (or no band names at all, as a VRT may have); any other int8 raster is
read as it is, and the log says why it was not de-quantised. A WarpedVRT (the change job's resampling)
is judged by the raster under it.
"""

from dataclasses import dataclass

import numpy as np

from ...shared import catalogue, raster_tags
from ..i18n import tr

PRODUCT = catalogue.ALPHAEARTH
DIVISOR = 127.5  # v -> sign(v) * (v / DIVISOR) ** 2
NODATA = -128


@dataclass(frozen=True)
class Recognition:
    """What an int8 raster is: AlphaEarth's distribution (de-quantised on reading) or not, and why."""

    alphaearth: bool
    reason: str


def recognise(src) -> Recognition | None:
    """Recognition of an int8 raster (or of the raster under a WarpedVRT); None for any other type."""
    base = getattr(src, "src_dataset", None) or src
    if not all(t == "int8" for t in base.dtypes):
        return None
    if base.count != PRODUCT.dim:
        return Recognition(False, "it has %d bands, AlphaEarth's files have %d" % (base.count, PRODUCT.dim))
    nodata = set(base.nodatavals)
    if nodata != {NODATA}:
        shown = ", ".join(sorted("none" if v is None else "%g" % v for v in nodata))
        return Recognition(False, "its nodata is %s, AlphaEarth's files have %d" % (shown, NODATA))
    names = [d or "" for d in base.descriptions]
    if names == list(PRODUCT.bands):
        return Recognition(True, "64 signed 8-bit bands A00..A63, nodata -128")
    if not any(names):
        return Recognition(True, "64 signed 8-bit bands, nodata -128 (no band names, as in a VRT)")
    differ = [(i, n) for i, (n, want) in enumerate(zip(names, PRODUCT.bands)) if n != want]
    i, name = differ[0]
    return Recognition(False, "its band %d is named %r, AlphaEarth's is %s" % (i + 1, name, PRODUCT.bands[i]))


def is_quantised(src) -> bool:
    """Whether values read from src are AlphaEarth's int8 codes, to be de-quantised."""
    found = recognise(src)
    return found is not None and found.alphaearth


def dequantise(values: np.ndarray) -> np.ndarray:
    """AlphaEarth's int8 codes (an int8 array, or any array of them, e.g. a resampling's float32) as
    float32 embedding values: sign(v) * (v / 127.5)^2; the nodata code -128 (and NaN) become NaN."""
    v = np.asarray(values)
    if v.dtype == np.int8:  # one look-up in the 256 values: a quarter of the arithmetic's time
        return _TABLE[v.view(np.uint8)]
    v = v.astype(np.float32)
    out = np.sign(v) * np.square(v / np.float32(DIVISOR))
    out[v == NODATA] = np.nan
    return out


def _table() -> np.ndarray:
    """The de-quantised value of every int8 code, indexed by the code's byte (0..255)."""
    codes = np.arange(256, dtype=np.uint8).view(np.int8)
    return dequantise(codes.astype(np.float32))


_TABLE = _table()


def announce(src, ctx, what: str) -> bool:
    """Log what an int8 raster was taken for (nothing for other types); True when it is AlphaEarth's."""
    found = recognise(src)
    if found is None:
        return False
    if found.alphaearth:
        ctx.log(
            tr(
                "The %s %r is AlphaEarth embeddings in Google's int8 distribution (%s): its values are "
                "de-quantised as sign(v) * (v / 127.5)^2, -128 is nodata. %s (%s)."
            )
            % (what, src.name, found.reason, PRODUCT.attribution, PRODUCT.licence)
        )
    else:
        ctx.log(
            tr(
                "The %s %r is signed 8-bit but not AlphaEarth's int8 distribution (%s), so its values are "
                "used as they are, not de-quantised."
            )
            % (what, src.name, found.reason)
        )
    return found.alphaearth


def embedding_model(src) -> str | None:
    """The embeddings' source of a raster: its TERRAEMBED_MODEL tag (a key of catalogue.ANALYSIS_MODELS),
    "alphaearth" for Google's int8 files, else None."""
    return raster_tags.read(src.tags(), raster_tags.MODEL) or (PRODUCT.id if is_quantised(src) else None)
