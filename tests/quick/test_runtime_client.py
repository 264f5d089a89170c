"""The shell's side of the worker protocol (shell/client.py) without starting a worker."""

import os

from terraembed.shell import client


def test_worker_environment_puts_a_given_pythonpath_before_the_plugin(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/qgis/python")  # QGIS's own: never reaches the worker
    monkeypatch.setenv("GDAL_DATA", "/qgis/gdal")
    plugin_parent = os.path.dirname(client.PLUGIN_DIR)
    assert client.worker_env()["PYTHONPATH"] == plugin_parent
    env = client.worker_env({"PYTHONPATH": "/tests/site", "TERRAEMBED_X": "1"})
    assert env["PYTHONPATH"] == "/tests/site" + os.pathsep + plugin_parent
    assert env["TERRAEMBED_X"] == "1" and "GDAL_DATA" not in env


def test_exit_codes_in_words():
    assert client.describe_exit(0) == "exit code 0"
    assert client.describe_exit(-15) == "stopped by SIGTERM (a stop request)"
    assert client.describe_exit(-9).startswith("killed by SIGKILL")
