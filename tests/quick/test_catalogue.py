"""What shared/catalogue.py holds by itself, with no engine or shell module: its texts state its own values.
The engine's side of its choices is tests/engine/test_catalogue.py, the shell's
tests/shell/test_catalogue_choices.py."""

import re

from terraembed.shared import catalogue


def test_help_texts_state_the_catalogue_batch_sizes():
    text = catalogue.default_batch_text()
    for name, size in catalogue.DEFAULT_BATCH.items():
        assert re.search(r"\b%d on %s\b" % (size, catalogue.DEVICE_NAMES[name]), text)


def test_alphaearth_is_a_source_for_analysis_and_no_model_to_run():
    """Its rasters are analysed like a model's grid (ANALYSIS_MODELS, after the models in their order),
    but it is no option of the MODEL enum: nothing runs it."""
    product = catalogue.ALPHAEARTH
    assert list(catalogue.ANALYSIS_MODELS) == [*catalogue.MODELS, product.id]
    assert product.id not in catalogue.MODELS and product.dim == len(product.bands) == 64
    assert product.bands[0] == "A00" and product.bands[-1] == "A63"
