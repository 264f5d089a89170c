"""Platform decisions of the runtime, for Windows, macOS and Linux, with the platform passed in."""

import os
import subprocess
import sys

import pytest

from terraembed.shared import locks, platforms
from terraembed.shell import paths, system


@pytest.mark.parametrize(
    "plat, machine, python, bits, name",
    [
        ("linux", "x86_64", "3.11", 64, "runtime-linux-x86_64-py3.11.lock"),
        ("linux", "aarch64", (3, 13), 64, "runtime-linux-aarch64-py3.13.lock"),
        ("win32", "AMD64", "3.12", 64, "runtime-windows-x86_64-py3.12.lock"),
        ("darwin", "arm64", "3.13", 64, "runtime-macos-arm64-py3.13.lock"),
    ],
)
def test_lock_for_each_supported_interpreter_exists(plat, machine, python, bits, name):
    assert platforms.lock_name(plat, machine, python, bits) == name
    assert os.path.isfile(locks.lock_path(interpreter=(plat, machine, python, bits)))


@pytest.mark.parametrize(
    "plat, machine, python, bits, words",
    [
        ("linux", "x86_64", "3.10", 64, "Python 3.10 has no runtime lock; the runtime needs Python 3.11, 3.12, 3.13"),
        ("win32", "AMD64", "3.14", 64, "Python 3.14 has no runtime lock"),
        ("win32", "AMD64", "3.12", 32, "32-bit Python; PyTorch exists for 64-bit Pythons only"),
        ("darwin", "x86_64", "3.12", 64, "Intel Macs (macOS x86_64) are not supported: PyTorch has published no build"),
        ("freebsd14", "amd64", "3.11", 64, "no runtime lock for freebsd14 on x86_64"),
    ],
)
def test_interpreters_without_a_lock_get_the_reason_and_the_supported_list(plat, machine, python, bits, words):
    with pytest.raises(platforms.Unsupported) as err:
        platforms.lock_name(plat, machine, python, bits)
    assert words in str(err.value)
    with pytest.raises(locks.InstallError) as err:
        locks.lock_for((plat, machine, python, bits))
    assert words in str(err.value)


def test_default_runtime_folder_per_platform():
    assert paths.default_runtime_dir("linux", {}, "/home/ann", (3, 11)) == "/home/ann/.local/share/terraembed/py3.11"
    assert (
        paths.default_runtime_dir("linux", {"XDG_DATA_HOME": "/data"}, "/home/ann", "3.12") == "/data/terraembed/py3.12"
    )
    assert (
        paths.default_runtime_dir("win32", {"LOCALAPPDATA": r"C:\Users\Ann\AppData\Local"}, r"C:\Users\Ann", "3.12")
        == r"C:\Users\Ann\AppData\Local\terraembed\py3.12"
    )
    assert (
        paths.default_runtime_dir("win32", {}, r"C:\Users\Ann", "3.12")
        == r"C:\Users\Ann\AppData\Local\terraembed\py3.12"
    )
    assert (
        paths.default_runtime_dir("darwin", {}, "/Users/ann", "3.13")
        == "/Users/ann/Library/Application Support/terraembed/py3.13"
    )
    assert paths.venv_python(r"C:\rt", "win32") == r"C:\rt\Scripts\python.exe"
    assert paths.venv_python("/rt", "darwin") == "/rt/bin/python"


def test_old_runtime_locations_of_qgis3_and_qgis4_profiles():
    assert paths.old_runtime_dirs("win32", {"APPDATA": r"C:\Users\Ann\AppData\Roaming"}, r"C:\Users\Ann") == [
        r"C:\Users\Ann\AppData\Roaming\QGIS\QGIS3\profiles\default\terraembed\runtime",
        r"C:\Users\Ann\AppData\Roaming\QGIS\QGIS4\profiles\default\terraembed\runtime",
    ]
    assert (
        paths.old_runtime_dirs("darwin", {}, "/Users/ann")[1]
        == "/Users/ann/Library/Application Support/QGIS/QGIS4/profiles/default/terraembed/runtime"
    )
    assert paths.old_runtime_dirs("linux", {"QGIS_CUSTOM_CONFIG_PATH": "/q"}, "/h") == [
        "/q/profiles/default/terraembed/runtime"
    ]


def _venv(folder, version):
    os.makedirs(folder)
    with open(os.path.join(folder, "pyvenv.cfg"), "w") as f:
        f.write("home = /usr/bin\ninclude-system-site-packages = false\nversion = %s\n" % version)


def test_old_runtime_of_the_same_python_is_reused_another_is_explained(tmp_path):
    home = str(tmp_path)
    old3 = paths.old_runtime_dirs("linux", {}, home)[0]
    old4 = paths.old_runtime_dirs("linux", {}, home)[1]
    _venv(old3, "3.11.2")
    assert paths.find_runtime_dir("linux", {}, home, (3, 11)) == (
        old3,
        "Using the runtime made earlier in the QGIS profile: %s." % old3,
    )
    folder, note = paths.find_runtime_dir("linux", {}, home, (3, 13))
    assert folder == os.path.join(home, ".local", "share", "terraembed", "py3.13")
    assert "was made for Python 3.11, not for this Python 3.13" in note and "Install or update runtime" in note
    _venv(old4, "3.13.0")
    assert paths.find_runtime_dir("linux", {}, home, "3.13")[0] == old4
    _venv(paths.default_runtime_dir("linux", {}, home, "3.11"), "3.11.2")
    assert paths.find_runtime_dir("linux", {}, home, "3.11") == (
        paths.default_runtime_dir("linux", {}, home, "3.11"),
        "",
    )
    assert paths.find_runtime_dir("linux", {"TERRAEMBED_RUNTIME_DIR": "/x"}, home, "3.11") == ("/x", "")


def test_scripts_use_the_same_default_folder(tmp_path):
    env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run(
        ["bash", "-c", 'source scripts/common.sh >/dev/null; echo "$RUNTIME_DIR"'],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == paths.default_runtime_dir(sys.platform, {}, str(tmp_path), sys.version_info)
    env["TERRAEMBED_RUNTIME_DIR"] = "/elsewhere"
    out = subprocess.run(
        ["bash", "-c", 'source scripts/common.sh >/dev/null; echo "$RUNTIME_DIR"'],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "/elsewhere"


def test_worker_environment_drops_qgis_python_gdal_and_proj_variables():
    env = {
        "PYTHONHOME": "C:\\OSGeo4W\\apps\\Python312",
        "PYTHONPATH": "x",
        "PROJ_LIB": "p",
        "PROJ_DATA": "p",
        "GDAL_DATA": "g",
        "Gdal_Driver_Path": "d",
        "PATH": "C:\\bin",
        "HOME": "h",
    }
    out = system.worker_env(env, "win32", "C:\\plugins")
    assert out == {
        "PATH": "C:\\bin",
        "HOME": "h",
        "PYTHONPATH": "C:\\plugins",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONNOUSERSITE": "1",
    }


def test_console_window_hidden_on_windows_only():
    assert system.popen_flags("win32") == {"creationflags": 0x08000000}
    assert system.popen_flags("linux") == {} and system.popen_flags("darwin") == {}


@pytest.mark.parametrize(
    "text, is_path",
    [
        ("C:\\Users\\ann\\grid.tif", True),
        ("C:/Users/ann/grid.tif", True),
        ("/tmp/grid.tif", True),
        ("out/grid.tif", True),
        ("\\\\server\\share\\g.tif", True),
        ("terramind_v1_base", False),
        ("cpu", False),
        ("", False),
    ],
)
def test_paths_recognised_on_every_platform(text, is_path):
    assert system.looks_like_path(text) is is_path


def test_windows_crash_codes_are_explained():
    assert "Visual C++ Redistributable" in system.explain_exit_code(3221225781, "win32")
    assert "Visual C++ Redistributable" in system.explain_exit_code(-1073741515, "win32")  # the same, signed
    assert "access violation" in system.explain_exit_code(0xC0000005, "win32")
    assert "stack buffer overrun" in system.explain_exit_code(0xC0000409, "win32")
    assert system.explain_exit_code(-9, "linux") == ""  # POSIX signals: client.describe_exit says them
    assert system.explain_exit_code(1, "win32") == "" and system.explain_exit_code(None, "darwin") == ""


def test_base_python_candidates_per_platform():
    which = {
        "python3.12": None,
        "python3": r"C:\Users\Ann\AppData\Local\Microsoft\WindowsApps\python3.exe",
        "python": r"C:\Python312\python.exe",
        "py": None,
    }.get
    win = system.base_python_candidates(
        "win32",
        r"C:\Program Files\QGIS 3.40\bin\qgis-bin.exe",
        r"C:\PROGRA~1\QGIS34~1.0\apps\Python312",
        r"C:\PROGRA~1\QGIS34~1.0\apps\Python312",
        "3.12",
        which,
    )
    assert win[0] == r"C:\PROGRA~1\QGIS34~1.0\apps\Python312\python.exe"
    assert r"C:\Python312\python.exe" in win and not [c for c in win if "WindowsApps" in c]
    mac = system.base_python_candidates(
        "darwin",
        "/Applications/QGIS.app/Contents/MacOS/QGIS",
        "/Applications/QGIS.app/Contents/Frameworks/Python.framework/Versions/3.12",
        "/Applications/QGIS.app/Contents/Frameworks/Python.framework/Versions/3.12",
        "3.12",
        lambda name: None,
    )
    assert mac[0] == "/Applications/QGIS.app/Contents/Frameworks/Python.framework/Versions/3.12/bin/python3.12"
    assert "/Applications/QGIS.app/Contents/MacOS/bin/python3" in mac
    linux = system.base_python_candidates("linux", "/usr/bin/python3", "/usr", "/usr", "3.11", lambda n: None)
    assert linux[:2] == ["/usr/bin/python3", "/usr/bin/python3.11"]
    assert "python.org" in system.no_python_message("win32", "3.12")
    assert "brew install python@3.12" in system.no_python_message("darwin", "3.12")


def test_torch_build_pins_per_platform():
    pins = locks.read_lock(locks.lock_path(interpreter=("win32", "AMD64", "3.12", 64)))
    assert locks.variant_pins(pins, "cpu", "win32") == pins  # PyPI's Windows torch is the CPU build
    cuda = locks.variant_pins(pins, "cuda", "win32")
    assert cuda["torch"][1] == "2.14.1+cu130" and cuda["torchvision"][1] == "0.29.1+cu130"
    assert locks.pypi_variant("win32") == "cpu" and "CPU only" in locks.index_failure_note("win32")
    mac = locks.read_lock(locks.lock_path(interpreter=("darwin", "arm64", "3.12", 64)))
    assert locks.variant_pins(mac, "cpu", "darwin") == mac == locks.variant_pins(mac, "cuda", "darwin")
    linux = locks.read_lock(locks.lock_path(interpreter=("linux", "x86_64", "3.11", 64)))
    assert locks.variant_pins(linux, "cpu", "linux")["torch"][1] == "2.14.1+cpu"
    assert locks.pypi_variant("linux") == "cuda"


def test_install_lock_refuses_a_live_holder_and_takes_over_a_stale_one(tmp_path):
    venv = str(tmp_path / "rt")
    first = system.InstallLock(venv, sys.platform).acquire()
    with pytest.raises(system.InstallBusy):
        system.InstallLock(venv, sys.platform, pid=os.getpid() + 1).acquire()
    first.release()
    dead = subprocess.Popen(["true"])
    dead.wait()
    with open(venv + ".install-lock", "w") as f:
        f.write(str(dead.pid))
    taken = system.InstallLock(venv, sys.platform).acquire()
    assert taken.holder() == os.getpid()
    taken.release()
    assert not os.path.exists(venv + ".install-lock")


def test_remove_tree_handles_read_only_files(tmp_path):
    folder = tmp_path / "rt" / "Lib"
    folder.mkdir(parents=True)
    (folder / "a.pyd").write_text("x")
    (folder / "a.pyd").chmod(0o400)
    folder.chmod(0o500)
    assert system.remove_tree(str(tmp_path / "rt"), delay_s=0)
    assert not (tmp_path / "rt").exists() and sorted(os.listdir(tmp_path)) == []


def test_freed_memory_is_given_back_on_linux_and_left_to_the_allocator_elsewhere():
    """Explore and the warm worker hand freed heap back after loading (glibc's malloc_trim); Windows' and
    macOS's allocators return large blocks themselves, so nothing is called there."""
    import platform

    from terraembed.shared.platforms import release_heap

    assert release_heap("win32") is False and release_heap("darwin") is False
    blocks = [bytearray(1 << 16) for _ in range(2000)]  # 128 MB in blocks below glibc's mmap threshold
    del blocks
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert release_heap("linux") is True  # the freed 128 MB went back
