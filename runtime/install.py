"""Create or update the TerraEmbed runtime: a separate venv with the pinned ML packages.

Standard library only: used by the `terraembed:install_runtime` algorithm inside QGIS and by
`scripts/setup` (as `python3 -m terraembed.runtime.install`) outside it: one code path.

What it does, in order (each step is skipped when already satisfied, so a second run is quick):
1. create the venv with a base Python (the same minor version as QGIS's Python by default);
2. install exactly the packages the lock names, with `pip install --no-deps` (pip never resolves,
   so nothing the lock does not name can come in), in the torch build chosen for the machine;
3. remove any package the lock does not name, run `pip check`, and write a marker file.

Torch builds ("variants"):
- `cuda`: PyPI's Linux torch wheels (they bundle CUDA 13 libraries, about 5 GB; run on CPU too).
- `cpu`: the CPU-only torch/torchvision wheels from the PyTorch CPU index (a few hundred MB
  instead of about 5 GB); every other package has the same pin. If that index cannot be reached, the installer
  says so and installs the `cuda` variant instead (it works on CPU, only larger).
- `auto` (default): `cuda` when an NVIDIA driver is present, else `cpu`.
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess  # nosec B404: runs pip and python with argument lists, never a shell
import sys
import time

from . import platforms

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS_DIR = platforms.REQUIREMENTS_DIR
MARKER = "terraembed-runtime.json"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# packages that only the CUDA build of torch needs
CUDA_ONLY_PREFIXES = ("nvidia-", "cuda-", "triton")
VARIANTS = ("auto", "cpu", "cuda")


class InstallError(Exception):
    """The runtime could not be installed; the message says why and what to do."""


class Cancelled(Exception):
    pass


def lock_path(dev=False, interpreter=None):
    """dev.lock, or the runtime lock for an interpreter given as platforms.current() gives it (default:
    the running one). A platform or Python without a lock gives a path that does not exist;
    platforms.lock_name says why."""
    if dev:
        return os.path.join(REQUIREMENTS_DIR, "dev.lock")
    sys_platform, machine, python, bits = interpreter or platforms.current()
    try:
        return os.path.join(REQUIREMENTS_DIR, platforms.lock_name(sys_platform, machine, python, bits))
    except platforms.Unsupported:
        return os.path.join(REQUIREMENTS_DIR, "runtime-%s-%s-py%s.lock"
                            % (sys_platform, platforms.normal_machine(machine), python))


def read_lock(path):
    """{normalised name: (name, version)} from a lock file of `name==version` lines."""
    pins = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "==" not in line:
                raise InstallError("%s: not an exact pin: %r" % (path, line))
            name, version = (part.strip() for part in line.split("==", 1))
            pins[normalise(name)] = (name, version)
    return pins


def normalise(name):
    return name.lower().replace("_", "-").replace(".", "-")


def nvidia_driver_present():
    return os.path.exists("/proc/driver/nvidia/version") or shutil.which("nvidia-smi") is not None


def choose_variant(requested="auto"):
    if requested not in VARIANTS:
        raise InstallError("Unknown torch build %r; use one of %s." % (requested, ", ".join(VARIANTS)))
    if requested != "auto":
        return requested
    return "cuda" if nvidia_driver_present() else "cpu"


def variant_pins(pins, variant):
    """The pins for a variant: the cpu variant swaps torch/torchvision for +cpu builds and drops
    the packages only the CUDA build needs."""
    if variant == "cuda":
        return dict(pins)
    out = {k: v for k, v in pins.items() if not k.startswith(CUDA_ONLY_PREFIXES)}
    for key in ("torch", "torchvision"):
        if key not in out:
            continue
        name, version = out[key]
        out[key] = (name, version.split("+")[0] + "+cpu")
    return out


def venv_python(venv_dir):
    if sys.platform == "win32":
        return os.path.join(venv_dir, "Scripts", "python.exe")
    return os.path.join(venv_dir, "bin", "python")


def find_base_python(preferred=None):
    """A Python to create the venv with: the given one, else python3.<QGIS's minor>, else python3."""
    candidates = [preferred] if preferred else []
    minor = "python%d.%d" % sys.version_info[:2]
    candidates += [os.path.join("/usr/bin", minor), shutil.which(minor), "/usr/bin/python3",
                   shutil.which("python3")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise InstallError("No Python 3 interpreter found to create the runtime. Install python3 and "
                       "python3-venv (Debian/Ubuntu: sudo apt install python3-venv), or choose one "
                       "in the 'Base Python' option.")


class Installer:
    """Runs the steps; log(line) receives every line of output; is_cancelled() is polled."""

    def __init__(self, venv_dir, variant="auto", base_python=None, dev=False, log=None,
                 is_cancelled=None, progress=None, lock=None):
        self.lock = lock or lock_path()
        self.venv_dir = os.path.abspath(venv_dir)
        self.requested_variant = variant
        self.base_python = base_python
        self.dev = dev
        self.log = log or (lambda line: print(line, flush=True))
        self.is_cancelled = is_cancelled or (lambda: False)
        self.progress = progress or (lambda fraction: None)
        self.python = venv_python(self.venv_dir)

    # -- subprocesses -----------------------------------------------------------------------------
    def _run(self, args, env=None, check=True):
        """Run a command (argument list, no shell), stream its output, return (code, lines)."""
        self.log("$ " + " ".join(args))
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # nosec B603
                                stdin=subprocess.DEVNULL, text=True, env=env, bufsize=1)
        lines = []
        try:
            for line in proc.stdout:
                line = line.rstrip()
                lines.append(line)
                self.log(line)
                if self.is_cancelled():
                    raise Cancelled()
        except Cancelled:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise
        code = proc.wait()
        if check and code != 0:
            tail = "\n".join(lines[-15:])
            raise InstallError("Command failed (exit code %d): %s\n%s" % (code, " ".join(args[:6]), tail))
        return code, lines

    def _pip(self, *args, check=True):
        return self._run([self.python, "-m", "pip", "--disable-pip-version-check", *args], check=check)

    # -- steps ------------------------------------------------------------------------------------
    def ensure_venv(self):
        if os.path.isfile(self.python):
            code, _ = self._run([self.python, "-c", "import sys, venv; print(sys.version)"], check=False)
            if code == 0:
                return False
            self.log("The runtime at %s is broken; recreating it." % self.venv_dir)
            shutil.rmtree(self.venv_dir)
        base = find_base_python(self.base_python)
        self.log("Creating the runtime venv at %s with %s" % (self.venv_dir, base))
        os.makedirs(os.path.dirname(self.venv_dir) or ".", exist_ok=True)
        code, lines = self._run([base, "-m", "venv", self.venv_dir], check=False)
        if code != 0:
            shutil.rmtree(self.venv_dir, ignore_errors=True)
            raise InstallError("Could not create a venv with %s. On Debian/Ubuntu install the venv "
                               "module: sudo apt install python3-venv\n%s" % (base, "\n".join(lines[-5:])))
        return True

    def installed(self):
        """{normalised name: version} of the distributions in the runtime."""
        script = ("import json, importlib.metadata as m; print(json.dumps({d.metadata['Name']: d.version "
                  "for d in m.distributions() if d.metadata['Name']}))")
        out = subprocess.run([self.python, "-c", script], capture_output=True, text=True,  # nosec B603
                             check=True).stdout
        return {normalise(k): v for k, v in json.loads(out).items()}

    def wanted(self, variant):
        pins = variant_pins(read_lock(self.lock), variant)
        if self.dev:
            pins.update(read_lock(lock_path(dev=True)))
        return pins

    def _write_requirements(self, pins, keys):
        path = os.path.join(self.venv_dir, "terraembed-requirements.txt")
        with open(path, "w", encoding="utf-8") as f:
            for key in sorted(keys):
                name, version = pins[key]
                f.write("%s==%s\n" % (name, version))
        return path

    def install_pins(self, pins, installed):
        missing = [k for k, (_, v) in pins.items() if installed.get(k) != v]
        if not missing:
            return []
        self.log("Installing %d pinned package(s)." % len(missing))
        torch_keys = [k for k in missing if "+cpu" in pins[k][1]]
        other_keys = [k for k in missing if k not in torch_keys]
        if torch_keys:
            self._pip("install", "--no-deps", "--retries", "1", "--timeout", "30",
                      "--index-url", CPU_INDEX, *["%s==%s" % pins[k] for k in torch_keys])
        if other_keys:
            self._pip("install", "--no-deps", "-r", self._write_requirements(pins, other_keys))
        return missing

    def remove_extras(self, pins, installed):
        keep = set(pins) | {"pip", "setuptools", "wheel"}
        extras = sorted(k for k in installed if k not in keep)
        if extras:
            self.log("Removing packages the lock does not name: %s" % ", ".join(extras))
            self._pip("uninstall", "-y", *extras)
        return extras

    def run(self):
        if not os.path.isfile(self.lock):
            raise InstallError("There is no pinned package set for this platform (%s, %s) yet. Point "
                               "the runtime setting at a Python environment that has torch, "
                               "terratorch, huggingface_hub, earthengine-api, rasterio and "
                               "scikit-learn (see README, 'Runtime')." % (sys.platform, platform.machine()))
        started = time.time()
        created = self.ensure_venv()
        self.progress(0.1)
        variant = choose_variant(self.requested_variant)
        marker = self.read_marker()
        if marker and marker.get("variant") in ("cpu", "cuda") and self.requested_variant == "auto":
            variant = marker["variant"]  # keep what is there (e.g. the cuda fallback)
        self.log("Torch build: %s%s" % (variant, " (auto)" if self.requested_variant == "auto" else ""))
        if marker and marker.get("dev") and not self.dev:
            self.dev = True  # the test tools stay once installed (pass a fresh folder to drop them)
            self.log("Keeping the test tools (dev.lock) installed earlier.")
        installed = self.installed()
        pins = self.wanted(variant)
        try:
            changed = self.install_pins(pins, installed)
        except InstallError as exc:
            if variant != "cpu":
                raise
            self.log("The PyTorch CPU index could not be used (%s). Installing PyPI's torch build "
                     "instead: it also runs on the CPU, it is only larger." % str(exc).splitlines()[0])
            variant = "cuda"
            pins = self.wanted(variant)
            changed = self.install_pins(pins, self.installed())
        self.progress(0.8)
        installed = self.installed()
        removed = self.remove_extras(pins, installed)
        if changed or removed or created:
            self._pip("check")
        problems = lock_differences(pins, self.installed())
        if problems:
            raise InstallError("The runtime does not match the lock after installing:\n" + "\n".join(problems))
        self.write_marker(variant)
        self.progress(1.0)
        summary = {"python": self.python, "venv": self.venv_dir, "variant": variant,
                   "changed": len(changed), "removed": len(removed), "created": created,
                   "seconds": round(time.time() - started, 1)}
        self.log("Runtime ready: %s (%d package(s) installed, %d removed, %.0f s)."
                 % (self.python, len(changed), len(removed), summary["seconds"]))
        return summary

    def read_marker(self):
        try:
            with open(os.path.join(self.venv_dir, MARKER), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def write_marker(self, variant):
        with open(self.lock, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        data = {"variant": variant, "lock": os.path.basename(self.lock), "lock_sha256": digest,
                "dev": self.dev, "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        with open(os.path.join(self.venv_dir, MARKER), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)


def lock_differences(pins, installed):
    """Lines describing every difference between the pins and what is installed."""
    problems = []
    for key, (name, version) in sorted(pins.items()):
        have = installed.get(key)
        if have is None:
            problems.append("missing: %s==%s" % (name, version))
        elif have != version:
            problems.append("wrong version: %s %s (lock: %s)" % (name, have, version))
    for key in sorted(set(installed) - set(pins) - {"pip", "setuptools", "wheel"}):
        problems.append("not in the lock: %s %s" % (key, installed[key]))
    return problems


def default_venv_dir():
    """The default location: <QGIS profile>/terraembed/runtime (the profile QGIS would use)."""
    base = os.environ.get("QGIS_CUSTOM_CONFIG_PATH") or os.path.join(
        os.path.expanduser("~"), ".local", "share", "QGIS", "QGIS3")
    return os.path.join(base, "profiles", "default", "terraembed", "runtime")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m terraembed.runtime.install",
                                     description="Create or update the TerraEmbed runtime venv.")
    parser.add_argument("--venv", default=None, help="runtime folder (default: %(default)s in the QGIS profile)")
    parser.add_argument("--variant", default="auto", choices=VARIANTS, help="torch build")
    parser.add_argument("--base-python", default=None, help="Python used to create the venv")
    parser.add_argument("--dev", action="store_true", help="also install the test tools (dev.lock)")
    parser.add_argument("--check", action="store_true", help="only compare the runtime with the lock")
    args = parser.parse_args(argv)
    installer = Installer(args.venv or default_venv_dir(), variant=args.variant,
                          base_python=args.base_python, dev=args.dev)
    try:
        if args.check:
            marker = installer.read_marker() or {}
            installer.dev = marker.get("dev", False)
            problems = lock_differences(installer.wanted(marker.get("variant", "cuda")), installer.installed())
            for line in problems:
                print(line)
            print("runtime matches the lock" if not problems else "%d difference(s)" % len(problems))
            return 1 if problems else 0
        installer.run()
    except InstallError as exc:
        print("ERROR: %s" % exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
