"""Free space: the output transaction's checks before any work, and require_space for folders that are
not outputs (a scratch folder, the imagery cache, an Earth Engine fetch). Standard library only."""

import os
import shutil
from typing import Optional

from .errors import OutputError
from .i18n import tr, translatable

MARGIN_BYTES = 1 << 20


def mb(nbytes: float) -> str:
    return "%.1f MB" % (nbytes / 1e6) if nbytes >= 1e5 else "%d KB" % round(nbytes / 1e3)


def require_space(
    folder: str, nbytes: float, what: str, fix: str = translatable("Free some space or choose another folder")
) -> None:
    """OutputError (the folder, the sizes, what to do) when the file system of folder, or of its
    nearest existing parent, has less than nbytes (plus a margin) free for `what`."""
    probe = os.path.abspath(folder)
    while not os.path.isdir(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)
    free = free_bytes(probe)
    if nbytes and free is not None and nbytes + MARGIN_BYTES > free:
        raise OutputError(
            tr(
                "Not enough free space in %s: the %s %s about %s (and %s to spare), only %s are free. "
                "%s; nothing was written."
            )
            % (
                folder,
                what,
                tr("need") if " and " in what else tr("needs"),
                mb(nbytes),
                mb(MARGIN_BYTES),
                mb(free),
                tr(fix),
            )
        )


def reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def free_bytes(folder: str) -> Optional[int]:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
