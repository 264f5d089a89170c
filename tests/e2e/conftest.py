"""End-to-end: the real qgis_process binary in a throw-away QGIS profile with the plugin installed.
This folder is put on sys.path, so tests can `import faults` (the fault tests' helpers)."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QGIS_PROCESS = "/usr/bin/qgis_process.bin"  # Debian's qgis_process wrapper fails on 3.22 (README)
RUNTIME_PYTHON = os.environ.get("TERRAEMBED_RUNTIME_PYTHON", "")


def runtime_dir(config_dir):
    """XDG_RUNTIME_DIR for QGIS: the caller's, else a private folder in the profile (without one Qt makes
    'runtime-<user>' in TMPDIR, which the fault tests take for a file a run left behind)."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return os.environ["XDG_RUNTIME_DIR"]
    path = os.path.join(config_dir, "runtime")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class QgisProcess:
    def __init__(self, config_dir):
        self.config_dir = config_dir
        self.env = dict(
            os.environ,
            QGIS_CUSTOM_CONFIG_PATH=config_dir,
            QT_QPA_PLATFORM="offscreen",
            TERRAEMBED_RUNTIME_PYTHON=RUNTIME_PYTHON,
            XDG_RUNTIME_DIR=runtime_dir(config_dir),
        )

    def __call__(self, *args, check=False, timeout=600, cwd=None):
        proc = subprocess.run(
            [QGIS_PROCESS, *args], capture_output=True, text=True, env=self.env, timeout=timeout, cwd=cwd
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                "qgis_process %s failed (%d):\n%s\n%s"
                % (args, proc.returncode, proc.stdout[-2000:], proc.stderr[-3000:])
            )
        return proc

    def run_json(self, alg, cwd=None, **params):
        args = ["run", alg, "--json", "--"] + ["%s=%s" % kv for kv in params.items()]
        proc = self(*args, cwd=cwd)
        data = None
        if proc.stdout.strip().startswith("{"):
            data = json.loads(proc.stdout)
        return proc, data


def install_plugin(config_dir, source_dir):
    plugins = os.path.join(config_dir, "profiles", "default", "python", "plugins")
    os.makedirs(plugins, exist_ok=True)
    os.symlink(source_dir, os.path.join(plugins, "terraembed"))


def run_desktop_qgis(tmp_path, startup, env=None, timeout=300):
    """Desktop QGIS (the real `qgis` binary on a virtual X screen) with the plugin installed and
    enabled in a fresh profile, running the Python file `startup` at start (it writes its findings
    and exits QGIS). Returns the finished process."""
    config = tmp_path / "config"
    install_plugin(str(config), REPO)
    env = dict(os.environ if env is None else env, QGIS_CUSTOM_CONFIG_PATH=str(config))
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) X display this time
    subprocess.run(
        [QGIS_PROCESS, "plugins", "enable", "terraembed"],
        check=True,
        capture_output=True,
        env=dict(env, QT_QPA_PLATFORM="offscreen"),
    )
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "qgis", "--nologo", "--noversioncheck"]
    return subprocess.run(command + ["--code", str(startup)], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory):
    if not RUNTIME_PYTHON or not os.path.isfile(RUNTIME_PYTHON):
        pytest.fail("TERRAEMBED_RUNTIME_PYTHON must name the runtime's Python (scripts/test sets it)")
    config = str(tmp_path_factory.mktemp("qgis-config"))
    install_plugin(config, REPO)
    qp = QgisProcess(config)
    qp("plugins", "enable", "terraembed", check=True)
    return qp


@pytest.fixture(scope="session")
def terrafm_weights(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("weights") / "TerraFM-B.pth")
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".build", "pkg"), os.path.join(REPO, "tests", "engine")]),
    )
    subprocess.run(
        [RUNTIME_PYTHON, "-c", "import sys, weights_factory; weights_factory.make_terrafm_weights(sys.argv[1])", path],
        check=True,
        env=env,
    )
    return path
