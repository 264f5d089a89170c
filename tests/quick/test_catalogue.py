"""What shared/catalogue.py holds by itself, with no engine or shell module: its texts state its own values.
The engine's side of its choices is tests/engine/test_catalogue.py, the shell's
tests/shell/test_catalogue_choices.py."""

import re

from terraembed.shared import catalogue


def test_help_texts_state_the_catalogue_batch_sizes():
    text = catalogue.default_batch_text()
    for name, size in catalogue.DEFAULT_BATCH.items():
        assert re.search(r"\b%d on %s\b" % (size, catalogue.DEVICE_NAMES[name]), text)
