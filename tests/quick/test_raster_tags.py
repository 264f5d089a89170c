"""shared/raster_tags.py: one naming of the tags on TerraEmbed's rasters, the old names still read, and
README's table of tags true to it."""

import os
import re

import pytest

from terraembed.shared import raster_tags

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "README.md")
CONSTANTS = {key: value for key, value in vars(raster_tags).items() if key.isupper() and isinstance(value, str)}


def test_every_name_follows_the_convention_and_is_defined_once():
    assert all(raster_tags.PATTERN.match(name) for name in CONSTANTS.values())
    assert len(set(CONSTANTS.values())) == len(CONSTANTS)
    assert all(key == value[len("TERRAEMBED_") :] for key, value in CONSTANTS.items())
    assert set(raster_tags.OLD_NAMES) <= set(CONSTANTS.values())
    old = [name for names in raster_tags.OLD_NAMES.values() for name in names]
    assert len(old) == len(set(old)) and not any(raster_tags.PATTERN.match(name) for name in old)


def test_values_are_text_json_for_lists_and_objects():
    tags = raster_tags.written(
        {
            raster_tags.CLUSTERS: 3,
            raster_tags.INERTIA: 0.1,
            raster_tags.WHITEN: False,
            raster_tags.PERIODS: ["2019", "2020"],
            raster_tags.SILHOUETTE: {"2": 0.5},
            raster_tags.SOURCE: "/data/a b.tif",
            raster_tags.CV_ACCURACY: None,
        }
    )
    assert tags == {
        "TERRAEMBED_CLUSTERS": "3",
        "TERRAEMBED_INERTIA": "0.1",
        "TERRAEMBED_WHITEN": "false",
        "TERRAEMBED_PERIODS": '["2019", "2020"]',
        "TERRAEMBED_SILHOUETTE": '{"2": 0.5}',
        "TERRAEMBED_SOURCE": "/data/a b.tif",
    }


@pytest.mark.parametrize("name", ["k", "CLASS_1", "terraembed_model", "TERRAEMBED_", "TERRAEMBED_a"])
def test_a_name_off_the_convention_is_refused(name):
    with pytest.raises(ValueError, match=name):
        raster_tags.written({name: "1"})


def test_the_new_name_wins_and_the_old_one_is_read_on_old_rasters():
    old = {"k": "4", "EE_IMAGES": "5", "explained_variance_ratio": "[0.5]", "class_names": '["a", "b"]'}
    assert raster_tags.read(old, raster_tags.CLUSTERS) == "4"
    assert raster_tags.read(old, raster_tags.EE_IMAGES) == "5"
    assert raster_tags.has(old, raster_tags.EXPLAINED_VARIANCE_RATIO) and not raster_tags.has(old, raster_tags.DIM)
    assert raster_tags.read(dict(old, TERRAEMBED_CLUSTERS="6"), raster_tags.CLUSTERS) == "6"
    assert raster_tags.read({}, raster_tags.CLUSTERS, "none") == "none"
    assert raster_tags.classes(old) == ["a", "b"]


def test_class_names_of_every_version():
    assert raster_tags.classes({"TERRAEMBED_CLASSES": '["water", "forest"]'}) == ["water", "forest"]
    assert raster_tags.classes({"CLASS_2": "forest", "CLASS_1": "water", "CLASS_10x": "?"}) == ["water", "forest"]
    assert raster_tags.classes({"CLASS_1": "water", "CLASS_3": "urban"}) is None  # a gap: not a class list
    assert raster_tags.classes({"TERRAEMBED_MODEL": "x"}) is None


def test_readme_lists_every_tag_with_its_old_names():
    text = open(README, encoding="utf-8").read()
    section = text.split("### Raster tags", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(TERRAEMBED_[A-Z0-9_]+)`", row.split(" | ")[0])}
    assert listed == set(CONSTANTS.values())
    for new, old in raster_tags.OLD_NAMES.items():
        row = next(row for row in rows if "`%s`" % new in row.split(" | ")[0])
        assert all("`%s`" % name in row.split(" | ")[-1] for name in old), new
