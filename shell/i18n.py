"""The shell's one translation helper (README "Translations", docs/DEVELOPING.md "Translations").

`tr(text)` is Qt's `QCoreApplication.translate(CONTEXT, text)`: the plugin installs a QTranslator with
`i18n/terraembed_<language>.qm` for QGIS's locale (plugin.py) before any other shell module is imported,
so module and class constants (an algorithm's DISPLAY, HELP, parameter labels) are translated when
they are defined. Standard library only: the runtime/ modules are tested without Qt (tests/quick), so
Qt's QCoreApplication is taken from QGIS's already loaded `qgis.PyQt.QtCore`, never imported here;
without it (no QGIS, no translator) `tr` returns the text unchanged.

The language the translator was loaded for travels to the worker with every job (`job["locale"]`,
algorithms/base.run_job_raw), which translates its messages from the same `.ts` catalogue
(engine/i18n.py). `scripts/i18n.py` extracts every `tr("...")` literal into `i18n/*.ts` and builds the
`.qm`; `tests/quick/test_i18n.py` fails on a user-facing literal of the shell not wrapped in `tr`.
"""

import os
import sys
from typing import Optional

CONTEXT = "TerraEmbed"  # the one translation context of the plugin's own strings
I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
ENGLISH = "en"  # the source language: no translator, no catalogue

_state = {"language": ENGLISH}
_warned: set[str] = set()  # damaged catalogues already reported


def tr(text: str, context: str = CONTEXT) -> str:
    """`text` in the user's language (Qt's translation; `text` itself where there is none)."""
    qtcore = sys.modules.get("qgis.PyQt.QtCore")
    app = getattr(qtcore, "QCoreApplication", None)
    if app is None:
        return text
    return str(app.translate(context, text))


def language_of(locale: Optional[str]) -> str:
    """The language code of a QGIS locale setting: 'fr_FR' -> 'fr', 'pt-BR' -> 'pt', '' -> 'en'."""
    code = (locale or "").strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code.isalpha() else ENGLISH


def catalogue_path(language: str, suffix: str = ".qm") -> str:
    """The compiled (`.qm`) or source (`.ts`) catalogue of a language, whether it exists or not."""
    return os.path.join(I18N_DIR, "terraembed_%s%s" % (language, suffix))


def set_language(language: Optional[str]) -> None:
    """The language the shell's translator was loaded for (plugin.py), passed on to the worker."""
    _state["language"] = language or ENGLISH


def language() -> str:
    """The language jobs are sent with: the loaded translator's, else English."""
    return _state["language"]


def warn_once(path: str) -> bool:
    """True the first time a damaged catalogue `path` is met in this QGIS session (it is said once)."""
    if path in _warned:
        return False
    _warned.add(path)
    return True
