"""The user's language for the modules both processes load (docs/DEVELOPING.md "Translations").

Standard library only, and no import across the wall: `tr` takes the worker's translation
(engine/i18n.py, the job's language) when the worker has loaded it, else the shell's (shell/i18n.py,
Qt's translator), each looked up in `sys.modules`; the English text where neither translates it.
"""

import sys

_PACKAGE = (__package__ or "").rpartition(".")[0]  # the plugin's package ('terraembed'), '' when loaded alone


def tr(text: str) -> str:
    """`text` in the user's language: the worker's job language, else QGIS's, else `text` itself."""
    for name in ("engine.i18n", "shell.i18n"):
        module = sys.modules.get("%s.%s" % (_PACKAGE, name) if _PACKAGE else name)
        translated = module.tr(text) if module is not None else text
        if translated != text:
            return translated
    return text


def translatable(text: str) -> str:
    """Marks a message kept in a constant for scripts/i18n.py; `tr(CONSTANT)` translates it where it is
    shown (a module's constants are made before a job's language is known)."""
    return text
