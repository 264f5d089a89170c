"""The analysis jobs' contracts (engine/analysis/): their keys, types and defaults, written once."""

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from .. import keys, limits
from ..contract import Contract, custom, number, path
from ..errors import UserError
from ..i18n import tr

# -- keys several analysis jobs share ------------------------------------------------------------------------------
DEFAULT_SEED = 0  # the SEED parameter of every analysis algorithm (algorithms/analysis_base.py)


def embedding_input(parameter: str = "INPUT") -> Any:
    return path(doc="the embedding raster", parameter=parameter)


def seed() -> Any:
    return number(DEFAULT_SEED, limits.SEED, doc="the random seed: one seed, one result", parameter="SEED")


def sample(default: int) -> Any:
    return number(default, limits.SAMPLE, minimum=2, doc="cells sampled to fit on (fewer when the raster has fewer)")


def block_size() -> Any:
    return number(None, limits.BLOCK_SIDE, optional=True, doc="cells per block side (null: 256, halved for many bands)")


# -- cluster -------------------------------------------------------------------------------------------------------


def _read_k(job: Any, key: str, default: Any) -> Optional[int]:
    value = job.get(key, default)
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    return keys.whole(job, key, default, minimum=1, valid=limits.CLUSTERS)


def _read_k_range(job: Any, key: str, default: Any) -> tuple[int, int]:
    value = job.get(key, default)
    try:
        lo, hi = (int(v) for v in value)
    except (TypeError, ValueError):
        raise UserError(tr("'k_range' must be two whole numbers [min, max], got %r.") % (value,)) from None
    if lo < 2 or hi < lo:
        raise UserError(tr("'k_range' must satisfy 2 <= min <= max, got %r.") % (value,))
    return lo, hi


@dataclass(frozen=True, kw_only=True)
class ClusterJob(Contract):
    """k-means clustering of an embedding raster into a class raster (engine/analysis/cluster.py)."""

    TYPE: ClassVar[str] = "cluster"
    input: str = embedding_input()
    output: str = path(doc="the cluster raster", parameter="OUTPUT")
    k: Optional[int] = custom(
        8,
        _read_k,
        kind="whole number, null or 'auto'",
        valid=limits.CLUSTERS.text(),
        doc="clusters; null or 'auto' (the panel's 0): every k of k_range is tried, the best silhouette wins",
        parameter="K",
    )
    k_range: tuple[int, int] = custom(
        (2, 10),
        _read_k_range,
        kind="[min, max]",
        valid="2 <= min <= max",
        doc="the k tried when k is automatic",
        parameter=("K_MIN", "K_MAX"),
    )
    seed: int = seed()
    sample: int = sample(100_000)
    silhouette_sample: int = number(5000, limits.SAMPLE, doc="cells of the sample the silhouette is scored on")
    block_size: Optional[int] = block_size()
