"""Words, colours and remembered choices the panel's parts share."""

import html

from qgis.core import QgsSettings

from ..shell.i18n import tr

UI_PREFIX = "terraembed/ui/"

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
WARN_STYLE = "color: #8a6d00;"


def error_text(errors):
    """The user's message from the errors a failed run reported (the last one; no traceback)."""
    messages = [e.strip() for e in errors if e and e.strip()]
    if not messages:
        return tr("The run failed without a message; see the panel's log and the Processing log.")
    message = messages[-1]
    if "Traceback" in message:
        lines = [line for line in message.splitlines() if line.strip()]
        message = lines[-1] if lines else message
    return message


def number(value):
    """An integer result for a message ('?' when missing)."""
    try:
        return "%d" % int(value)
    except (TypeError, ValueError):
        return "?"


def escape(text):
    """Text for a rich-text label."""
    return html.escape(text or "", quote=False)


def remembered(key, default):
    """A choice the panel remembers between sessions (QgsSettings under terraembed/ui/)."""
    return QgsSettings().value(UI_PREFIX + key, default)


def remember(key, value):
    QgsSettings().setValue(UI_PREFIX + key, value)
