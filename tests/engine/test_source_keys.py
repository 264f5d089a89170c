"""The Earth Engine source's keys are read with the jobs' one family of checks (shared/keys.py), in the
same words."""

import os

import pytest

from terraembed.engine.sources.earthengine.request import normalise
from terraembed.shared.errors import UserError


def message(call, *args, **kwargs):
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    return str(err.value)


AOI = {"bounds": [500000, 4000000, 500800, 4000600], "crs": "EPSG:32633"}


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("scale", "fine", "The job's 'source.scale' must be a number between 1 and 10000, got 'fine'."),
        ("max_cloud", 120, "The job's 'source.max_cloud' must be between 0 and 100, got 120."),
        ("max_pixels", 0.5, "The job's 'source.max_pixels' must be a whole number at least 1, got 0.5."),
        ("workers", 40, "The job's 'source.workers' must be between 1 and 32, got 40."),
        ("cloud_mask", "fog", "The job's 'source.cloud_mask' must be one of none, scl, probability, got 'fog'."),
        ("s1_relax_iw", "maybe", "The job's 'source.s1_relax_iw' must be true or false, got 'maybe'."),
    ],
)
def test_earth_engine_source_keys_use_the_same_checks(key, value, expected):
    assert message(normalise, {"aoi": AOI, key: value}) == expected


def test_an_ee_fetch_job_is_checked_before_any_request(tmp_path):
    """The ee_fetch job reads its keys, the source's too, through its contract before it adds its output."""
    from terraembed.engine.context import JobContext
    from terraembed.engine.jobs import run_job

    job = {"type": "ee_fetch", "source": {"aoi": AOI, "s1_orbit": "sideways"}, "output": str(tmp_path / "c.tif")}
    assert message(run_job, job, JobContext()) == "s1_orbit must be ASCENDING, DESCENDING or empty, not 'sideways'."
    assert message(run_job, dict(job, source={"aoi": AOI}, output=None), JobContext()) == (
        "The job needs 'output': a file path."
    )
    assert os.listdir(tmp_path) == []
