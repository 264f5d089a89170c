"""The settings dialog under offscreen QGIS: values round-trip through QgsSettings (what the algorithms
read), environment overrides are shown, and 'Authenticate' runs a process without blocking."""

import os
import stat
import time

import pytest
from qgis.core import QgsApplication, QgsSettings

from terraembed.shell import settings
from terraembed.ui import settings_dialog
from terraembed.ui.settings_dialog import SettingsDialog

KEYS = [
    "runtime_python",
    "weights_cache",
    "offline",
    "ee_project",
    "ee_service_account_key",
    "device",
    "batch_size",
    "imagery_cache_dir",
    "imagery_cache_cap_mb",
]


@pytest.fixture
def clean_settings(qgis_app, monkeypatch):
    for key in KEYS:
        monkeypatch.delenv(settings.DEFAULTS[key][0], raising=False)
    saved = {k: QgsSettings().value(settings.PREFIX + k) for k in KEYS}
    saved_weights = {m: settings.weights_file(m) for m in ("terrafm_b_s2", "terramind_v1_base")}
    yield
    for key, value in saved.items():
        if value is None:
            QgsSettings().remove(settings.PREFIX + key)
        else:
            QgsSettings().setValue(settings.PREFIX + key, value)
    for model_id, path in saved_weights.items():
        settings.set_weights_file(model_id, path)


def wait_for(predicate, timeout=20.0):
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        QgsApplication.processEvents()
        time.sleep(0.02)


def test_values_round_trip_through_qgssettings(clean_settings, tmp_path):
    weights = tmp_path / "TerraMind_v1_base.pt"
    weights.write_bytes(b"x")
    key = tmp_path / "key.json"
    key.write_text("{}")
    dialog = SettingsDialog()
    dialog.weights_cache.setFilePath(str(tmp_path / "hf"))
    dialog.offline.setChecked(True)
    dialog.ee_project.setText("my-ee-project")
    dialog.ee_key.setFilePath(str(key))
    dialog.device.setCurrentIndex(1)
    dialog.batch_size.setValue(16)
    dialog.imagery_dir.setFilePath(str(tmp_path / "imagery"))
    dialog.imagery_cap.setValue(500)
    dialog.weights_files["terramind_v1_base"].setFilePath(str(weights))
    dialog.accept()
    assert settings.get("weights_cache") == str(tmp_path / "hf")
    assert settings.get("offline") is True
    assert settings.get("ee_project") == "my-ee-project"
    assert settings.get("ee_service_account_key") == str(key)
    assert settings.get("device") == "cpu" and settings.get("batch_size") == 16
    assert settings.get("imagery_cache_dir") == str(tmp_path / "imagery")
    assert settings.get("imagery_cache_cap_mb") == 500
    assert settings.weights_file("terramind_v1_base") == str(weights)
    # a new dialog shows what was saved
    again = SettingsDialog()
    assert again.ee_project.text() == "my-ee-project" and again.offline.isChecked()
    assert again.device.currentText() == "cpu" and again.batch_size.value() == 16
    assert again.weights_files["terramind_v1_base"].filePath() == str(weights)
    again.reject()


def test_cancel_saves_nothing(clean_settings):
    settings.set_value("ee_project", "before")
    dialog = SettingsDialog()
    dialog.ee_project.setText("after")
    dialog.reject()
    assert settings.get("ee_project") == "before"


def test_environment_override_is_shown(clean_settings, monkeypatch):
    monkeypatch.setenv("TERRAEMBED_DEVICE", "cuda")
    dialog = SettingsDialog()
    notes = [label.text() for label in dialog.findChildren(settings_dialog.QLabel)]
    assert any("TERRAEMBED_DEVICE=cuda" in text for text in notes)
    dialog.reject()


def fake_earthengine(tmp_path, body):
    script = tmp_path / "earthengine"
    script.write_text("#!/bin/sh\necho \"$@\" > %s\n%s\n" % (tmp_path / "args.txt", body))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_authenticate_runs_in_the_background(clean_settings, monkeypatch, tmp_path):
    command = fake_earthengine(tmp_path, "sleep 1\necho 'Successfully saved authorization token.'")
    monkeypatch.setattr(settings_dialog, "earthengine_command", lambda: command)
    dialog = SettingsDialog()
    started = time.monotonic()
    dialog.authenticate()
    assert time.monotonic() - started < 0.5  # never waits for the sign-in
    assert not dialog.auth_button.isEnabled() and "browser" in dialog.auth_status.text()
    wait_for(lambda: dialog.auth_button.isEnabled())
    assert "Signed in" in dialog.auth_status.text()
    assert "Successfully saved" in dialog.auth_log.toPlainText()
    assert (tmp_path / "args.txt").read_text().split()[0] == "authenticate"
    dialog.reject()


def test_authenticate_failure_and_missing_command(clean_settings, monkeypatch, tmp_path):
    command = fake_earthengine(tmp_path, "echo 'denied' >&2\nexit 3")
    monkeypatch.setattr(settings_dialog, "earthengine_command", lambda: command)
    dialog = SettingsDialog()
    dialog.authenticate()
    wait_for(lambda: dialog.auth_button.isEnabled())
    assert "exit code 3" in dialog.auth_status.text() and "denied" in dialog.auth_log.toPlainText()
    monkeypatch.setattr(settings_dialog, "earthengine_command", lambda: str(tmp_path / "missing" / "earthengine"))
    dialog.authenticate()
    assert "not found" in dialog.auth_status.text()
    dialog.reject()


def test_closing_the_dialog_ends_a_pending_sign_in(clean_settings, monkeypatch, tmp_path):
    command = fake_earthengine(tmp_path, "sleep 30")
    monkeypatch.setattr(settings_dialog, "earthengine_command", lambda: command)
    dialog = SettingsDialog()
    dialog.authenticate()
    wait_for(lambda: dialog.auth_process.state() == settings_dialog.QProcess.Running)
    dialog.reject()
    wait_for(lambda: dialog.auth_process.state() == settings_dialog.QProcess.NotRunning)


def test_earthengine_command_is_next_to_the_runtime_python(monkeypatch, tmp_path):
    monkeypatch.setenv("TERRAEMBED_RUNTIME_PYTHON", str(tmp_path / "venv" / "bin" / "python"))
    assert settings_dialog.earthengine_command() == os.path.join(str(tmp_path / "venv" / "bin"), "earthengine")
