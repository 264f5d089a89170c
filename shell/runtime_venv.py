"""The runtime's venv as a folder and a Python (standard library; used by install.py): the venv's Python,
the base Python that creates it, what a Python runs on, the folder that holds it, and the marker file an
install leaves (the torch build, the lock and its digest, whether the test tools are in)."""

import hashlib
import json
import os
import shutil

# B404: runs python with argument lists, never a shell
import subprocess  # nosec B404
import sys
import time
from typing import Any, Optional

from ..shared import locks
from ..shared.locks import InstallError
from . import paths, system
from .i18n import tr

INTERPRETER_SCRIPT = (
    "import sys, platform, struct; print(sys.platform, platform.machine(), "  # no-i18n: code
    "'%d.%d' % sys.version_info[:2], struct.calcsize('P') * 8)"
)


def venv_python(venv_dir: str) -> str:
    return paths.venv_python(venv_dir, sys.platform)


def find_base_python(preferred: Optional[str] = None, platform: str = sys.platform) -> str:
    """A Python to create the venv with: the given one, else QGIS's own interpreter, else one on PATH."""
    minor = "%d.%d" % sys.version_info[:2]
    if preferred:
        candidates = [preferred]
    else:
        candidates = system.base_python_candidates(
            platform, sys.executable, sys.prefix, sys.base_prefix, minor, shutil.which
        )
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise InstallError(system.no_python_message(platform, minor))


def interpreter_of(python: str) -> Optional[locks.Interpreter]:
    """(sys.platform, machine, 'X.Y', bits) of another Python, or None when it does not run."""
    try:
        out = subprocess.run(
            [python, "-c", INTERPRETER_SCRIPT],
            capture_output=True,
            timeout=60,  # nosec B603
            env=system.clean_env(os.environ),
            **system.popen_flags(sys.platform),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    fields = out.stdout.decode("utf-8", "replace").split()
    if out.returncode != 0 or len(fields) != 4:
        return None
    return fields[0], fields[1], fields[2], int(fields[3])


def make_writable_parent(venv_dir: str) -> None:
    """Create the folder that will hold the runtime, or an InstallError when it cannot be written."""
    parent = os.path.dirname(venv_dir) or "."
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise InstallError(
            tr(
                "Cannot create the folder %s (%s). Choose a runtime folder you can write "
                "to (the 'Runtime folder' option or TERRAEMBED_RUNTIME_DIR)."
            )
            % (parent, exc)
        ) from exc
    if not os.access(parent, os.W_OK):
        raise InstallError(
            tr(
                "The folder %s is not writable. Choose a runtime folder you can write to "
                "(the 'Runtime folder' option or TERRAEMBED_RUNTIME_DIR)."
            )
            % parent
        )


def read_marker(venv_dir: str) -> Optional[dict[str, Any]]:
    """The marker of the install that made the runtime, or None (no install finished there)."""
    try:
        with open(os.path.join(venv_dir, locks.MARKER), encoding="utf-8") as f:
            marker: dict[str, Any] = json.load(f)
            return marker
    except (OSError, ValueError):
        return None


def write_marker(venv_dir: str, lock: str, variant: str, dev: bool) -> None:
    """The marker of a finished install: the torch build, the lock and its SHA-256, the test tools, when."""
    with open(lock, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    data = {
        "variant": variant,
        "lock": os.path.basename(lock),
        "lock_sha256": digest,
        "dev": dev,
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    with open(os.path.join(venv_dir, locks.MARKER), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
