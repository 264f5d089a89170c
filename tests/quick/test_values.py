"""shared/values.yes_no: the one reading of yes/no answers (job keys, settings, HF_HUB_OFFLINE)."""

import pytest

from terraembed.shared import keys, values
from terraembed.shared.errors import UserError
from terraembed.shell import settings


@pytest.mark.parametrize("word", ["true", "TRUE", " Yes ", "1", "on", "On\n", True, 1, 1.0])
def test_yes(word):
    assert values.yes_no(word) is True and values.yes_no(word, default=False) is True


@pytest.mark.parametrize("word", ["false", "False", " no", "0", "OFF", False, 0, 0.0])
def test_no(word):
    assert values.yes_no(word) is False and values.yes_no(word, default=True) is False


@pytest.mark.parametrize("value", ["", "maybe", "y", "2", 2, -1, 0.5, [], {}, b"yes", "true false"])
def test_anything_else_is_none_whatever_the_default(value):
    assert values.yes_no(value) is None and values.yes_no(value, default=True) is None


def test_a_missing_value_is_the_default():
    assert values.yes_no(None) is None
    assert values.yes_no(None, default=True) is True and values.yes_no(None, default=False) is False


def test_job_flags_read_the_same_words_and_keep_their_message():
    assert [keys.flag({"w": w}, "w") for w in ("on", "off", " YES ", 1)] == [True, False, True, True]
    assert keys.flag({"w": None}, "w", True) is True and keys.flag({}, "w") is False
    with pytest.raises(UserError, match="The job's 'w' must be true or false, got 'maybe'."):
        keys.flag({"w": "maybe"}, "w")


@pytest.mark.parametrize("word, offline", [("on", True), ("Yes", True), ("0", False), ("off", False)])
def test_a_yes_no_setting_from_the_environment_reads_the_same_words(monkeypatch, word, offline):
    monkeypatch.setenv("TERRAEMBED_OFFLINE", word)  # the environment wins over QgsSettings: no QGIS needed
    assert settings.get("offline") is offline


def test_a_yes_no_setting_that_is_neither_is_its_default(monkeypatch):
    monkeypatch.setenv("TERRAEMBED_OFFLINE", "perhaps")
    assert settings.get("offline") is settings.DEFAULTS["offline"][1] is False
