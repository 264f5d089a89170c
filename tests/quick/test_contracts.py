"""The jobs' contracts (shared/contract.py, shared/jobs/): each job's keys, types and defaults written once,
read the same way by the worker, shown the same way in docs/JOBS.md."""

import dataclasses
import os
import subprocess
import sys

import pytest

from terraembed.shared.contract import Contract
from terraembed.shared.errors import UserError
from terraembed.shared.jobs import CONTRACTS
from terraembed.shared.jobs.analysis import ClusterJob

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def required(contract):
    """The smallest job of a contract: every required key given (paths: a name)."""
    return {key["name"]: "/data/%s.tif" % key["name"] for key in contract.keys() if key["default"] == "required"}


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_a_job_with_only_its_required_keys_reads_to_the_defaults(job_type):
    contract = CONTRACTS[job_type]
    assert contract.TYPE == job_type and issubclass(contract, Contract)
    values = contract.read(dict(required(contract), type=job_type))
    for key in contract.keys():
        if key["default"] != "required":
            assert getattr(values, key["name"]) == contract.default(key["name"]), key["name"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        values.input = "elsewhere"  # a job's values do not change while it runs


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_every_key_says_what_it_is(job_type):
    for key in CONTRACTS[job_type].keys():
        assert key["doc"] and key["kind"], key


def test_values_are_read_and_checked_with_the_keys_words():
    job = {"input": "a.tif", "output": "b.tif", "k": "12", "k_range": [3, 5], "seed": 7}
    cluster = ClusterJob.read(job)
    assert (cluster.k, cluster.k_range, cluster.seed, cluster.sample) == (12, (3, 5), 7, 100_000)
    assert ClusterJob.read(dict(job, k="auto")).k is None and ClusterJob.read(dict(job, k=None)).k is None
    with pytest.raises(UserError, match=r"The job's 'k' must be between 0 and 255 \(0 = automatic\), got 300"):
        ClusterJob.read(dict(job, k=300))
    with pytest.raises(UserError, match="The job needs 'output': a file path"):
        ClusterJob.read({"input": "a.tif"})
    with pytest.raises(KeyError):
        ClusterJob.default("input")  # required: no default


def test_the_job_keys_page_is_written_from_the_contracts():
    check = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "jobs_doc.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
