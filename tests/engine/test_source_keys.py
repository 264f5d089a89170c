"""The Earth Engine source's keys are read with the jobs' one family of checks (shared/keys.py), in the
same words."""

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
    ],
)
def test_earth_engine_source_keys_use_the_same_checks(key, value, expected):
    assert message(normalise, {"aoi": AOI, key: value}) == expected
