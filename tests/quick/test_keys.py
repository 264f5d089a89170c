"""shared/keys.py: the one family of job-spec checks. Every job (embed, the analysis jobs, Earth
Engine sources) names the key and the valid range in the same words as the shell's parameter
checks (limits.Range)."""

import pytest

from terraembed.shared import keys, limits
from terraembed.shared.errors import UserError


def message(call, *args, **kwargs):
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    return str(err.value)


def test_defaults_and_conversions():
    assert keys.whole({}, "k", 8) == 8
    assert keys.whole({"k": None}, "k", 8) == 8 and keys.whole({"k": " "}, "k", 8) == 8
    assert keys.whole({"k": "12"}, "k", 8) == 12 and keys.whole({"k": 12.0}, "k", 8) == 12
    assert isinstance(keys.whole({"k": 12.0}, "k", 8), int)
    assert keys.number({"t": "0.25"}, "t", 0.5) == 0.25
    assert keys.number({}, "t", allow_none=True) is None


@pytest.mark.parametrize("value", ["three", 1.5, True, float("nan"), float("inf"), [3]])
def test_not_a_whole_number_names_the_key_and_range(value):
    text = message(keys.whole, {"workers": value}, "workers", 4, minimum=1, maximum=32)
    assert text.startswith("The job's 'workers' must be a ") and "between 1 and 32" in text, text


def test_out_of_range_names_the_declared_range_first_then_the_narrower_one():
    assert (
        message(keys.whole, {"k": 500}, "k", 8, minimum=1, valid=limits.CLUSTERS)
        == "The job's 'k' must be between 0 and 255 (0 = automatic), got 500."
    )
    assert (
        message(keys.whole, {"k": 0}, "k", 8, minimum=1, valid=limits.CLUSTERS)
        == "The job's 'k' must be between 1 and 255, got 0."
    )


def test_one_sided_ranges_say_so():
    assert (
        message(keys.whole, {"sample": 5}, "sample", 100, minimum=10)
        == "The job's 'sample' must be at least 10, got 5."
    )
    assert message(keys.number, {"x": 7}, "x", 1, maximum=5) == "The job's 'x' must be at most 5, got 7."
    assert message(keys.number, {"x": "x"}, "x", 1) == "The job's 'x' must be a number, got 'x'."


def test_flags_and_paths():
    assert keys.flag({"w": "yes"}, "w") is True and keys.flag({"w": 0}, "w") is False
    assert keys.flag({}, "w", True) is True
    assert message(keys.flag, {"w": "maybe"}, "w") == "The job's 'w' must be true or false, got 'maybe'."
    assert message(keys.path, {}, "input") == "The job needs 'input': a file path."
