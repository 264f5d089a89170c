"""The quick tier: tests of the standard-library modules (shared/, shell/...)
that need neither the runtime nor QGIS. A plain `python3 -m pytest tests/quick` runs them: when
`terraembed` is not importable (no PYTHONPATH), a link named terraembed to this checkout is made in
a temporary folder and put on sys.path. A run that imports QGIS, Qt or a runtime package fails.
"""

import importlib.util
import os
import sys
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEAVY = ("qgis", "PyQt5", "PyQt6", "torch", "terratorch", "rasterio", "numpy", "sklearn", "ee", "dask")

if importlib.util.find_spec("terraembed") is None:
    _LINKS = tempfile.mkdtemp(prefix="terraembed-quick-")
    os.symlink(REPO, os.path.join(_LINKS, "terraembed"))
    sys.path.insert(0, _LINKS)


def pytest_sessionfinish(session, exitstatus):
    heavy = sorted(name for name in HEAVY if name in sys.modules)
    if heavy:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(
            "\nThe quick tier imported %s: such a test belongs in tests/engine or tests/shell." % ", ".join(heavy),
            file=sys.stderr,
        )
