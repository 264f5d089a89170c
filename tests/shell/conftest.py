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
        pytest.fail(
            "TERRAEMBED_RUNTIME_PYTHON must name the runtime's Python (scripts/test sets it); got %r" % RUNTIME_PYTHON
        )
    return RUNTIME_PYTHON


@pytest.fixture
def feedback():
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos, self.errors, self.warnings, self.console, self.progress_values = [], [], [], [], []
            self.progressChanged.connect(self.progress_values.append)

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)
            super().pushInfo(info)

        def pushConsoleInfo(self, info):  # noqa: N802
            self.console.append(info)
            super().pushConsoleInfo(info)

        def pushWarning(self, warning):  # noqa: N802
            self.warnings.append(warning)
            super().pushWarning(warning)

        def reportError(self, error, fatalError=False):  # noqa: N802,N803
            self.errors.append(error)
            super().reportError(error, fatalError)

    return Recorder()


def run_in_runtime(code, *args):
    """Run Python code in the runtime (torch lives there, never in QGIS's Python); return stdout."""
    import subprocess

    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".build", "pkg"), os.path.join(REPO, "tests", "engine")]),
    )
    proc = subprocess.run([RUNTIME_PYTHON, "-c", code, *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise AssertionError("runtime code failed:\n%s" % proc.stderr[-3000:])
    return proc.stdout


@pytest.fixture(scope="session")
def terrafm_weights(tmp_path_factory, runtime_python):
    """A generated TerraFM-B.pth (published key format, random values), written by the runtime."""
    path = str(tmp_path_factory.mktemp("weights") / "TerraFM-B.pth")
    run_in_runtime("import sys, weights_factory; weights_factory.make_terrafm_weights(sys.argv[1], seed=0)", path)
    return path


@pytest.fixture(scope="session")
def sample_s2():
    return os.path.join(REPO, "sample", "s2_sample.tif")


@pytest.fixture(scope="session")
def sample_s1():
    return os.path.join(REPO, "sample", "s1_sample.tif")


def pooled_in_runtime(job, folder):
    """The pooled vector of `job` run straight through the engine in the runtime, without QGIS."""
    import json

    job_file = os.path.join(str(folder), "job.json")
    with open(job_file, "w") as f:
        json.dump(job, f)
    return json.loads(
        run_in_runtime(
            "import sys, json; from terraembed.engine.jobs import run_job; from terraembed.engine.context import "
            "JobContext; print(json.dumps(run_job(json.load(open(sys.argv[1])), JobContext())['pooled']))",
            job_file,
        )
    )


@pytest.fixture(scope="session")
def runtime(runtime_python):
    """A namespace with run_in_runtime (and pooled, a job's pooled vector), for tests that compare with
    the engine directly."""

    class Runtime:
        run = staticmethod(run_in_runtime)
        pooled = staticmethod(pooled_in_runtime)

    return Runtime
