"""The runtime locks: one per supported platform and Python, and every pin installable there.

test_every_pin_has_a_wheel_for_its_platform asks PyPI's JSON API (https://pypi.org/pypi/<name>/json,
in parallel; answers cached in .build/pypi-json/ for a day) which files each pinned version has, and
fails listing every pin without a wheel for its lock's platform and Python (or an allowed pure-Python
sdist). It needs network access to PyPI.
"""

import concurrent.futures
import importlib.util
import json
import os
import re
import time
import urllib.request

import pytest

from terraembed.shared import locks, platforms

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.path.join(REPO, ".build", "pypi-json")
CACHE_S = 24 * 3600
_spec = importlib.util.spec_from_file_location("lock_runtime", os.path.join(REPO, "scripts", "lock_runtime.py"))
lock_runtime = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock_runtime)
# the newest glibc / macOS the locks may need (scripts/lock_runtime.py targets)
MAX_GLIBC = (2, 28)
MAX_MACOS = tuple(int(p) for p in lock_runtime.MACOS_TARGET.split("."))
ARCH = {"linux-x86_64": "x86_64", "linux-aarch64": "aarch64", "windows-x86_64": "amd64", "macos-arm64": "arm64"}


def targets():
    return [(p, v) for p in platforms.PLATFORMS for v in platforms.PYTHONS]


def lock_file(plat, python):
    return os.path.join(locks.REQUIREMENTS_DIR, "runtime-%s-py%s.lock" % (plat, python))


def test_one_lock_per_platform_and_python_each_naming_them():
    assert lock_runtime.PLATFORMS.keys() == platforms.PLATFORMS.keys()
    names = sorted(n for n in os.listdir(locks.REQUIREMENTS_DIR) if n.startswith("runtime-") and n.endswith(".lock"))
    assert names == sorted(os.path.basename(lock_file(p, v)) for p, v in targets())
    for plat, python in targets():
        with open(lock_file(plat, python), encoding="utf-8") as f:
            head = f.read().split("\n", 2)[:2]
        assert "for Python %s on " % python in head[0] and "(platform: %s, Python: %s)" % (plat, python) in head[1]
        pins = locks.read_lock(lock_file(plat, python))
        assert pins["torch"][1] == "2.14.1" and pins["torchvision"][1] == "0.29.1"
        assert pins["terratorch"][1] == "1.2.4" and pins["torchgeo"][1] == "0.8.1"
        assert "pip" not in pins
        assert any(k.startswith("nvidia-") for k in pins) == plat.startswith("linux")
        assert ("colorama" in pins) == (plat == "windows-x86_64")


def test_shared_pins_equal_the_reference_lock_where_the_platform_has_the_package():
    reference = locks.read_lock(lock_file("linux-x86_64", "3.11"))
    for plat, python in targets():
        pins = locks.read_lock(lock_file(plat, python))
        differ = [
            "%s %s (reference %s)" % (k, v[1], reference[k][1])
            for k, v in pins.items()
            if k in reference and reference[k][1] != v[1]
        ]
        assert not differ, "%s-py%s: %s" % (plat, python, ", ".join(differ))


def _release_files(name):
    path = os.path.join(CACHE, name + ".json")
    if os.path.isfile(path) and time.time() - os.path.getmtime(path) < CACHE_S:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    url = "https://pypi.org/pypi/%s/json" % name
    for attempt in range(5):  # a burst of look-ups can meet a passing DNS or connection failure
        try:
            # B310: a fixed https URL
            with urllib.request.urlopen(url, timeout=60) as answer:  # nosec B310
                releases = json.load(answer)["releases"]
            break
        except OSError:
            if attempt == 4:
                raise
            time.sleep(1.0 + 2 * attempt)
    files = {version: [f["filename"] for f in entries if not f.get("yanked")] for version, entries in releases.items()}
    os.makedirs(CACHE, exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(files, f)
    os.replace(path + ".tmp", path)
    return files


def _same_version(version):
    """PEP 440 equality of release numbers: 13.0.3.0 is 13.0.3 (pip and uv write the one, PyPI the other)."""
    m = re.match(r"^(\d+(?:\.\d+)*)(.*)$", version.lower())
    release = m.group(1).split(".")
    while len(release) > 1 and release[-1] == "0":
        release.pop()
    return ".".join(release) + m.group(2)


def _platform_ok(tag, plat):
    arch = ARCH[plat]
    if tag == "any":
        return True
    if plat.startswith("linux"):
        legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
        m = re.match(r"^(manylinux1|manylinux2010|manylinux2014)_(.+)$", tag)
        if m:
            return m.group(2) == arch and legacy[m.group(1)] <= MAX_GLIBC
        m = re.match(r"^manylinux_(\d+)_(\d+)_(.+)$", tag)
        return bool(m) and m.group(3) == arch and (int(m.group(1)), int(m.group(2))) <= MAX_GLIBC
    if plat.startswith("windows"):
        return tag == "win_amd64"
    m = re.match(r"^macosx_(\d+)_(\d+)_(.+)$", tag)
    return bool(m) and m.group(3) in ("arm64", "universal2") and (int(m.group(1)), int(m.group(2))) <= MAX_MACOS


def _python_ok(py, abi, python):
    minor = int(python.split(".")[1])
    m = re.match(r"^(py|cp)3(\d*)$", py)
    if not m:
        return False
    kind, since = m.group(1), int(m.group(2) or 0)
    if kind == "py":
        return abi == "none" and since <= minor
    if abi == "abi3":
        return since <= minor
    return since == minor and abi in ("cp3%d" % minor, "none")


def wheel_fits(filename, plat, python):
    if not filename.endswith(".whl"):
        return False
    py_tags, abi_tags, plat_tags = filename[:-4].split("-")[-3:]
    return any(_python_ok(p, a, python) for p in py_tags.split(".") for a in abi_tags.split(".")) and any(
        _platform_ok(t, plat) for t in plat_tags.split(".")
    )


def test_wheel_tag_rules():
    assert wheel_fits("torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl", "linux-x86_64", "3.11")
    assert not wheel_fits("torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl", "linux-x86_64", "3.12")
    assert not wheel_fits("x-1-cp311-cp311-manylinux_2_34_x86_64.whl", "linux-x86_64", "3.11")
    assert wheel_fits("x-1-cp39-abi3-manylinux2014_aarch64.whl", "linux-aarch64", "3.13")
    assert wheel_fits("x-1-cp313-cp313-macosx_11_0_arm64.whl", "macos-arm64", "3.13")
    assert not wheel_fits("x-1-cp313-cp313-macosx_15_0_arm64.whl", "macos-arm64", "3.13")
    assert not wheel_fits("x-1-cp313-cp313-macosx_10_13_x86_64.whl", "macos-arm64", "3.13")
    assert wheel_fits("six-1.17.0-py2.py3-none-any.whl", "windows-x86_64", "3.12")
    assert not wheel_fits("x-1-cp312-cp312-win32.whl", "windows-x86_64", "3.12")
    assert not wheel_fits("x-1.tar.gz", "windows-x86_64", "3.12")


def test_every_pin_has_a_wheel_for_its_platform():
    dev = locks.read_lock(locks.lock_path(dev=True))
    wanted = {(plat, python): {**locks.read_lock(lock_file(plat, python)), **dev} for plat, python in targets()}
    names = sorted({k for pins in wanted.values() for k in pins})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        try:
            files = dict(zip(names, pool.map(_release_files, names)))
        except OSError as exc:
            pytest.fail(
                "PyPI (https://pypi.org/pypi/<name>/json) could not be asked: %s. This test needs "
                "network access to PyPI." % exc
            )
    missing = []
    for (plat, python), pins in sorted(wanted.items()):
        for key, (name, version) in sorted(pins.items()):
            available = [
                f for v, names in files[key].items() if _same_version(v) == _same_version(version) for f in names
            ]
            if key in lock_runtime.SDIST_ALLOWED and any(f.endswith((".tar.gz", ".zip")) for f in available):
                continue
            if not any(wheel_fits(f, plat, python) for f in available):
                missing.append("%s-py%s: %s==%s" % (plat, python, name, version))
    assert not missing, "pins without a wheel for their platform and Python:\n" + "\n".join(missing)
