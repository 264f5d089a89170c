"""The runtime installer: pins only, idempotent, removes what the lock does not name, clear errors."""

import os
import subprocess
import sys

import processing
import pytest

from terraembed.shared import locks
from terraembed.shell import install


def write_lock(path, *pins):
    path.write_text("# test lock\n" + "\n".join(pins) + "\n")
    return str(path)


def test_lock_parsing_and_cpu_variant():
    pins = locks.read_lock(locks.lock_path())
    assert pins["torch"][1] == "2.14.1" and pins["terratorch"][1] == "1.2.4"
    assert pins["affine"][1].startswith("2.")  # affine<3 (rasterio on Python 3.11)
    cpu = locks.variant_pins(pins, "cpu")
    assert cpu["torch"][1] == "2.14.1+cpu" and cpu["torchvision"][1] == "0.29.1+cpu"
    assert not [k for k in cpu if k.startswith(("nvidia-", "triton", "cuda-"))]
    assert any(k.startswith("nvidia-") for k in locks.variant_pins(pins, "cuda"))


def test_lock_rejects_loose_pins(tmp_path):
    with pytest.raises(locks.InstallError):
        locks.read_lock(write_lock(tmp_path / "bad.lock", "six>=1"))


def test_install_is_pinned_idempotent_and_removes_extras(tmp_path):
    lock = write_lock(tmp_path / "tiny.lock", "six==1.16.0")
    venv = str(tmp_path / "venv")
    log = []
    installer = install.Installer(venv, variant="cuda", lock=lock, log=log.append)
    first = installer.run()
    assert first["created"] and first["changed"] == 1
    assert installer.installed()["six"] == "1.16.0"
    second = install.Installer(venv, variant="cuda", lock=lock, log=log.append).run()
    assert second["changed"] == 0 and second["removed"] == 0 and not second["created"]
    # something the lock does not name gets in (a user's pip install): the check sees it, a run removes it
    subprocess.run(
        [install.venv_python(venv), "-m", "pip", "install", "-q", "--no-deps", "iniconfig==2.3.1"], check=True
    )
    problems = locks.lock_differences(installer.wanted("cuda"), installer.installed())
    assert problems == ["not in the lock: iniconfig 2.3.1"]
    third = install.Installer(venv, variant="cuda", lock=lock, log=log.append).run()
    assert third["removed"] == 1 and "iniconfig" not in installer.installed()


def test_missing_lock_is_a_clear_error_and_leaves_nothing(tmp_path):
    with pytest.raises(install.InstallError) as err:
        install.Installer(str(tmp_path / "v"), lock=str(tmp_path / "none.lock"), log=lambda line: None).run()
    assert "missing; reinstall the plugin" in str(err.value) and "linux-x86_64" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == []


def test_runtime_for_another_python_minor_is_kept_and_explained(tmp_path):
    venv = tmp_path / "v"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    other = "3.%d" % (sys.version_info[1] + 1)  # a lock for another Python minor than this venv's
    lock = write_lock(tmp_path / ("runtime-linux-x86_64-py%s.lock" % other), "six==1.16.0")
    before = sorted(os.listdir(venv))
    with pytest.raises(install.InstallError) as err:
        install.Installer(str(venv), lock=lock, log=lambda line: None).run()
    made = "made with Python %d.%d" % sys.version_info[:2]
    assert made in str(err.value) and "Choose another runtime folder" in str(err.value)
    assert sorted(os.listdir(venv)) == before


def test_second_install_while_one_runs_is_refused(tmp_path):
    venv = str(tmp_path / "v")
    holder = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "v.install-lock").write_text(str(holder.pid))
        with pytest.raises(install.InstallError) as err:
            install.Installer(venv, lock=write_lock(tmp_path / "tiny.lock", "six==1.16.0")).run()
        assert "Another install of this runtime is running (process %d)" % holder.pid in str(err.value)
        assert not os.path.exists(venv)
    finally:
        holder.kill()
        holder.wait()


def test_not_writable_runtime_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"  # a folder cannot be made under a file, even by root
    blocker.write_text("x")
    with pytest.raises(install.InstallError) as err:
        install.Installer(str(blocker / "v"), lock=write_lock(tmp_path / "tiny.lock", "six==1.16.0")).run()
    assert "Choose a runtime folder you can write to" in str(err.value)
    assert blocker.read_text() == "x"


def test_bad_base_python_is_a_clear_error(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    lock = write_lock(tmp_path / "tiny.lock", "six==1.16.0")
    with pytest.raises(install.InstallError) as err:
        install.Installer(
            str(tmp_path / "v"), variant="cuda", base_python=str(fake), lock=lock, log=lambda line: None
        ).run()
    assert "python3-venv" in str(err.value)
    assert not os.path.exists(tmp_path / "v")


def test_install_runtime_algorithm_on_the_ready_runtime_changes_nothing(qgis_app, feedback, tmp_path, monkeypatch):
    """The algorithm on a runtime that matches its lock installs and removes nothing. The runtime is
    a small one of this test (its lock names one package), never the shared runtime: the installer
    removes whatever its lock does not name."""
    requirements = tmp_path / "requirements"
    requirements.mkdir()
    interpreter = install.interpreter_of("/usr/bin/python3")
    write_lock(requirements / os.path.basename(locks.lock_for(interpreter)), "six==1.16.0")
    monkeypatch.setattr(locks, "REQUIREMENTS_DIR", str(requirements))
    venv = str(tmp_path / "runtime")
    install.Installer(venv, base_python="/usr/bin/python3", log=lambda line: None).run()
    before = install.Installer(venv).installed()
    result = processing.run(
        "terraembed:install_runtime", {"VENV_DIR": venv, "VARIANT": 0, "DEV": False}, feedback=feedback
    )
    assert result["OK"] is True and result["PYTHON"] == install.venv_python(venv)
    assert any("0 package(s) installed, 0 removed" in line for line in feedback.console), feedback.console[-5:]
    assert install.Installer(venv).installed() == before == {**before, "six": "1.16.0"}


def test_installer_takes_the_lock_of_the_python_it_builds_the_runtime_with(tmp_path):
    installer = install.Installer(str(tmp_path / "v"), base_python="/usr/bin/python3", log=lambda line: None)
    assert installer.ensure_venv() is True
    assert os.path.basename(installer.lock) == "runtime-linux-x86_64-py%d.%d.lock" % sys.version_info[:2]
    again = install.Installer(str(tmp_path / "v"), log=lambda line: None)
    assert again.ensure_venv() is False and again.lock == installer.lock
