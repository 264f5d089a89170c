"""The ranges of every number a user gives (shared/limits.py): what passes, and the message otherwise."""

import pytest

from terraembed.shared.limits import BATCH_SIZE, PCA_COMPONENTS, SIMILARITY, Range


@pytest.mark.parametrize("value", [1, 64, "7", " 32 ", 3.0])
def test_values_in_range_pass(value):
    assert PCA_COMPONENTS.problem("PCA components", value) is None


@pytest.mark.parametrize(
    "value, message",
    [
        (0, "PCA components must be between 1 and 64, got 0."),
        (65, "PCA components must be between 1 and 64, got 65."),
        (2.5, "PCA components must be a whole number between 1 and 64, got 2.5."),
        ("three", "PCA components must be a number between 1 and 64, got 'three'."),
        (True, "PCA components must be a number between 1 and 64, got True."),
        (None, "PCA components must be a number between 1 and 64, got None."),
        (float("nan"), "PCA components must be a number between 1 and 64, got nan."),
    ],
)
def test_values_out_of_range_name_the_range(value, message):
    assert PCA_COMPONENTS.problem("PCA components", value) == message


def test_notes_and_float_ranges_are_in_the_message():
    assert BATCH_SIZE.text() == "between 0 and 1024 (0 = the model's default)"
    assert SIMILARITY.problem("Threshold", 0.25) is None
    assert SIMILARITY.problem("Threshold", "1.5") == "Threshold must be between -1 and 1, got 1.5."
    assert Range(0.5, 2, integer=False).problem("x", -1) == "x must be between 0.5 and 2, got -1."
