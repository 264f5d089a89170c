"""The foundation seen from QGIS: provider, algorithms, check_environment, runtime errors."""

import json
import re

import processing
import pytest
from qgis.core import QgsApplication, QgsProcessingException

from terraembed.shell.client import RuntimeClient, RuntimeJobError


def test_provider_lists_setup_algorithms(qgis_app):
    provider = QgsApplication.processingRegistry().providerById("terraembed")
    assert provider is not None
    ids = {alg.id() for alg in provider.algorithms()}
    assert {"terraembed:install_runtime", "terraembed:check_environment"} <= ids
    for alg in provider.algorithms():
        assert alg.shortHelpString().strip(), alg.id()


def test_plugin_import_is_light(qgis_app):
    import sys

    import terraembed  # noqa: F401
    from terraembed import plugin  # noqa: F401
    from terraembed.algorithms import provider
    from terraembed.ui import dock, gui, settings_dialog, task  # noqa: F401

    provider._algorithm_classes()  # every algorithm module
    heavy = {"torch", "terratorch", "ee", "rasterio", "sklearn", "h5py", "shapely", "pyproj"}
    assert not heavy & set(sys.modules), heavy & set(sys.modules)


def test_class_factory_accepts_no_iface(qgis_app, restore_session_provider):
    import terraembed

    registry = QgsApplication.processingRegistry()
    registry.removeProvider("terraembed")  # the session's provider, re-added below
    try:
        plugin = terraembed.classFactory(None)
        plugin.initGui()  # with iface None: registers the provider only, no GUI
        plugin.initProcessing()  # a second call changes nothing
        assert registry.providerById("terraembed") is plugin.provider
        plugin.unload()
        assert registry.providerById("terraembed") is None
    finally:
        restore_session_provider()


def test_check_environment_reports_ready_runtime(qgis_app, runtime_python, tmp_path, monkeypatch, feedback):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    out = tmp_path / "report.txt"
    result = processing.run("terraembed:check_environment", {"DEVICE": 0, "OUTPUT": str(out)}, feedback=feedback)
    assert result["READY"] is True, result["REPORT"]
    assert json.loads(result["PROBLEMS"]) == [] and result["DEVICE_USED"].split()[0] in ("cpu", "cuda", "mps")
    text = out.read_text()
    assert "torch" in text and "terratorch" in text and "Lock check" in text
    # what precision 'auto' runs in, and why: the CPU's bf16 features
    assert re.search(
        r"CPU: (native bf16 \((AVX512-BF16|AMX)[^)]*\)|no native bf16 .*); precision 'auto' runs in (bf16|fp32) on",
        text,
    )
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["runtime"]["versions"]["torch"]
    assert data["runtime"]["lock"]["differences"] == []
    # the weights table: a line per model, its yes/no in one column for the longest model id too
    table = text.split("Model weights available without network:\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in table] == list(data["runtime"]["weights"])
    assert len({re.match(r"  \S+ +", line).end() for line in table}) == 1, table


def test_check_environment_names_fix_when_runtime_missing(qgis_app, tmp_path, monkeypatch, feedback):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", str(tmp_path / "nope" / "bin" / "python"))
    result = processing.run("terraembed:check_environment", {"DEVICE": 0}, feedback=feedback)
    assert result["READY"] is False
    assert "install_runtime" in result["REPORT"]
    problems = json.loads(result["PROBLEMS"])  # the same findings, for programs (the panel)
    assert problems and all(p["problem"] and p["fix"] for p in problems)
    assert any("install_runtime" in p["problem"] + p["fix"] for p in problems) and result["DEVICE_USED"] == ""


def test_check_environment_cuda_requested_without_gpu_says_why(qgis_app, runtime_python, monkeypatch, feedback):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", runtime_python)
    result = processing.run("terraembed:check_environment", {"DEVICE": 2}, feedback=feedback)
    import subprocess

    has_cuda = (
        subprocess.run(
            [runtime_python, "-c", "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)"]
        ).returncode
        == 0
    )
    if has_cuda:
        assert result["READY"] is True
    else:
        assert result["READY"] is False
        assert "CUDA was requested but is not usable" in result["REPORT"]


def test_job_round_trip_with_progress(runtime_python):
    progress, logs = [], []
    result = RuntimeClient(runtime_python).run(
        {"type": "environment", "device": "cpu"},
        on_progress=lambda f, s: progress.append((f, s)),
        on_log=lambda m, lvl: logs.append(m),
    )
    assert result["versions"]["torch"]
    assert progress and progress[-1][0] == 1.0
    assert [f for f, _ in progress] == sorted(f for f, _ in progress)


def test_missing_runtime_gives_install_hint(tmp_path):
    with pytest.raises(RuntimeJobError) as err:
        RuntimeClient(str(tmp_path / "missing-python")).run({"type": "environment"})
    assert err.value.kind == "missing"
    assert "install_runtime" in err.value.message


def test_unknown_job_is_a_clear_error(runtime_python):
    with pytest.raises(RuntimeJobError) as err:
        RuntimeClient(runtime_python).run({"type": "no_such_job"})
    assert err.value.kind == "user"
    assert "Unknown job type" in err.value.message


def test_crashing_worker_reports_exit_and_last_log_lines(runtime_python, tmp_path):
    """A runtime whose worker dies (here: a broken package that aborts the interpreter on import)
    becomes a clear error carrying the worker's last lines of stderr."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import sys, os\nsys.stderr.write('fatal: simulated broken native library\\n')\nsys.stderr.flush()\n"
        "os._exit(134)\n"
    )
    client = RuntimeClient(runtime_python, env={"PYTHONPATH": str(site)})  # goes before the plugin's folder
    with pytest.raises(RuntimeJobError) as err:
        client.run({"type": "environment"})
    assert err.value.kind == "crash"
    assert "exit code 134" in err.value.message
    assert "simulated broken native library" in err.value.message


def test_processing_error_when_runtime_missing(qgis_app, tmp_path, monkeypatch):
    """Algorithms that need the runtime fail with the install hint, not a traceback."""
    from qgis.core import QgsProcessingFeedback

    from terraembed.algorithms.base import TerraEmbedAlgorithm

    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", str(tmp_path / "missing"))
    alg = TerraEmbedAlgorithm()
    with pytest.raises(QgsProcessingException) as err:
        alg.run_job({"type": "environment"}, QgsProcessingFeedback())
    assert "Install or update runtime" in str(err.value)
