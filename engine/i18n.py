"""The worker's messages in the user's language, from the shell's own catalogue (docs/DEVELOPING.md
"Translations").

The shell sends the language its Qt translator was loaded for with every job (`job["locale"]`); `run_job`
calls `use(...)` before the handler, and `tr("...")` then looks the English text up in
`i18n/terraembed_<language>.ts`, the same Qt Linguist file the shell's `.qm` is built from, read here with
the standard library (no Qt in the worker, and no second catalogue format for translators to keep).
An unknown language, a missing or unreadable catalogue, or a text not in it: the English text.
Format after translating: `tr("The raster %r has no bands.") % path`. A word that needs another translation in
another place takes a context, as Qt's translate does: `tr("Run", "Report")` (a report's section) is not the
panel's `tr("Run")` (a button). (The XML read is the plugin's own
shipped file, never untrusted input: hence Bandit's B405/B314 are silenced here.)
"""

import functools
import os
import xml.etree.ElementTree as ET  # nosec B405

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")

CONTEXT = "TerraEmbed"  # the shell's (shell/i18n.py) and scripts/i18n.py's default context

_current = {"language": "en"}


def use(locale: object) -> None:
    """Translate the following messages for `locale` (a job's "locale": 'fr', 'fr_FR'; None = English)."""
    code = str(locale or "en").replace("-", "_").split("_")[0].lower()
    _current["language"] = code if code.isalpha() else "en"


def tr(text: str, context: str = CONTEXT) -> str:
    """`text` in the current job's language, or `text` itself; `context` as in the .ts (default TerraEmbed)."""
    language = _current["language"]
    if language == "en":
        return text
    return entries(language).get((context, text), text)


def language() -> str:
    """The language the current job's texts are in: its own when its catalogue has texts, else 'en' (for
    the reports' <html lang>)."""
    code = _current["language"]
    return code if code != "en" and entries(code) else "en"


def translatable(text: str) -> str:
    """Marks a message kept in a constant for scripts/i18n.py; `tr(CONSTANT)` translates it where it is
    raised (a module's constants are made before a job's language is known)."""
    return text


def catalogue(language: str) -> dict:
    """English -> translation of every finished entry of `i18n/terraembed_<language>.ts` in the default
    context ({} if none)."""
    return {source: text for (context, source), text in entries(language).items() if context == CONTEXT}


@functools.lru_cache(maxsize=8)
def entries(language: str) -> dict:
    """(context, English) -> translation of every finished entry of `i18n/terraembed_<language>.ts`."""
    path = os.path.join(I18N_DIR, "terraembed_%s.ts" % language)
    try:
        root = ET.parse(path).getroot()  # nosec B314
    except (OSError, ET.ParseError):
        return {}
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name") or CONTEXT
        for message in context.iter("message"):
            source, translation = message.find("source"), message.find("translation")
            if source is None or translation is None:
                continue
            if translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if source.text and translation.text:
                found[(name, source.text)] = translation.text
    return found
