"""Real QGIS for shell tests: one QgsApplication (offscreen) with Processing and the TerraEmbed
provider, a throw-away profile folder, and the runtime named by TERRAEMBED_RUNTIME_PYTHON
(scripts/test sets it to the runtime the setup created)."""
import os
import sys
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_PROFILE = tempfile.mkdtemp(prefix="terraembed-qgis-profile-")
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = _PROFILE

from qgis.core import QgsApplication  # noqa: E402

QgsApplication.setPrefixPath("/usr", True)
_APP = QgsApplication([], False)
_APP.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
import processing  # noqa: E402,F401
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()

from terraembed.algorithms.provider import TerraEmbedProvider  # noqa: E402

_PROVIDERS = []


def _restore_session_provider():
    """(Re-)register the provider; a Python-made provider must stay referenced from Python."""
    registry = QgsApplication.processingRegistry()
    if registry.providerById("terraembed") is None:
        _PROVIDERS.append(TerraEmbedProvider())
        registry.addProvider(_PROVIDERS[-1])


_restore_session_provider()


@pytest.fixture
def restore_session_provider():
    return _restore_session_provider

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME_PYTHON = os.environ.get("TERRAEMBED_RUNTIME_PYTHON", "")


@pytest.fixture(scope="session")
def qgis_app():
    return _APP


@pytest.fixture(scope="session")
def runtime_python():
    if not RUNTIME_PYTHON or not os.path.isfile(RUNTIME_PYTHON):
        pytest.fail("TERRAEMBED_RUNTIME_PYTHON must name the runtime's Python (scripts/test sets it); got %r"
                    % RUNTIME_PYTHON)
    return RUNTIME_PYTHON


@pytest.fixture
def feedback():
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos, self.errors, self.progress_values = [], [], []
            self.progressChanged.connect(self.progress_values.append)

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)
            super().pushInfo(info)

        def reportError(self, error, fatalError=False):  # noqa: N802,N803
            self.errors.append(error)
            super().reportError(error, fatalError)

    return Recorder()
