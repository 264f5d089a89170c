"""Every job's contract (shared/contract.py), by job type: the one place a job's keys, types and defaults
are written. The worker reads a job's dict with `CONTRACTS[type].read(job)`; the Processing declarations
and the panel take their defaults from the same classes; docs/JOBS.md is written from them
(scripts/jobs_doc.py)."""

from ..contract import Contract
from .analysis import ChangeJob, ChangeSeriesJob, ClusterJob, PcaJob, SimilarityJob
from .classify import ApplyClassifierJob, ClassifyJob, CompareJob
from .embedding import BuildSeriesJob, EmbedFeaturesJob, EmbedJob, EnvironmentJob, SeriesJob
from .sources import AlphaEarthFetchJob, EeFetchJob

CONTRACTS: dict[str, type[Contract]] = {
    c.TYPE: c
    for c in (
        ClusterJob,
        PcaJob,
        SimilarityJob,
        ChangeJob,
        ChangeSeriesJob,
        ClassifyJob,
        ApplyClassifierJob,
        CompareJob,
        EmbedJob,
        EmbedFeaturesJob,
        EeFetchJob,
        AlphaEarthFetchJob,
        SeriesJob,
        BuildSeriesJob,
        EnvironmentJob,
    )
}
