"""Create or update the TerraEmbed runtime: a separate venv with the pinned ML packages.

Standard library only: used by the `terraembed:install_runtime` algorithm inside QGIS and by
`scripts/setup` (as `python3 -m terraembed.shell.install`) outside it: one code path.

What it does, in order (each step is skipped when already satisfied, so a second run is quick):
1. take the install lock, create the venv with a base Python (QGIS's own by default; system.py) and
   choose the lock of that Python (platforms.py): unsupported Pythons and platforms stop here;
2. install exactly the packages the lock names, with `pip install --no-deps` (pip never resolves,
   so nothing the lock does not name can come in), in the torch build chosen (docs/RUNTIME.md);
   which pins, and how a runtime differs from them, is locks.py;
3. remove any package the lock does not name, run `pip check`, and write a marker file.
A runtime the run created is removed again when it fails or is cancelled.
The venv as a folder and a Python (the base Python, what a Python runs on, the marker) is runtime_venv.py.
"""

import argparse
import json
import os

# B404: runs pip and python with argument lists, never a shell
import subprocess  # nosec B404
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, Optional

from ..shared import locks, platforms
from ..shared.errors import Cancelled
from ..shared.locks import VARIANTS, InstallError
from . import paths, runtime_venv, system
from .i18n import tr
from .runtime_venv import find_base_python, interpreter_of, venv_python


class Installer:
    """Runs the steps; log(line) receives every line of output; is_cancelled() is polled."""

    def __init__(
        self,
        venv_dir: str,
        variant: str = "auto",
        base_python: Optional[str] = None,
        dev: bool = False,
        log: Optional[Callable[[str], None]] = None,
        is_cancelled: Optional[Callable[[], bool]] = None,
        progress: Optional[Callable[[float], None]] = None,
        lock: Optional[str] = None,
    ) -> None:
        self.lock = lock  # None: the lock for the runtime's Python, chosen in ensure_venv
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
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # nosec B603
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env or system.clean_env(os.environ),
            bufsize=1,
            **system.popen_flags(sys.platform),
        )
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
            raise InstallError(tr("Command failed (exit code %d): %s\n%s") % (code, " ".join(args[:6]), tail))
        return code, lines

    def _pip(self, *args: str, check: bool = True) -> tuple[int, list[str]]:
        return self._run([self.python, "-m", "pip", "--disable-pip-version-check", *args], check=check)

    # -- steps ------------------------------------------------------------------------------------
    def ensure_venv(self) -> bool:
        """Use the venv when it runs a Python that has a lock, else create it. Never replaces a
        runtime made for another Python: that stays as it is and the message says what to do."""
        if os.path.isfile(self.python):
            interpreter = interpreter_of(self.python)
            if interpreter is not None:
                self._choose_lock(interpreter)
                return False
            self.log(tr("The runtime at %s does not start; recreating it.") % self.venv_dir)
            if not system.remove_tree(self.venv_dir):
                raise InstallError(
                    tr(
                        "The broken runtime at %s could not be removed (a file in it is in "
                        "use). Close QGIS and delete the folder, then run this again."
                    )
                    % self.venv_dir
                )
        elif os.path.isdir(self.venv_dir) and os.listdir(self.venv_dir):
            raise InstallError(
                tr("The folder %s is not empty and holds no runtime. Choose an empty or new folder for the runtime.")
                % self.venv_dir
            )
        base = find_base_python(self.base_python)
        interpreter = interpreter_of(base)
        if interpreter is None:
            raise InstallError(
                tr("The base Python %s does not run. %s")
                % (base, system.no_python_message(sys.platform, "%d.%d" % sys.version_info[:2]))
            )
        self._choose_lock(interpreter)
        runtime_venv.make_writable_parent(self.venv_dir)
        self.log(tr("Creating the runtime venv at %s with %s") % (self.venv_dir, base))
        code, lines = self._run([base, "-m", "venv", self.venv_dir], check=False)
        if code != 0:
            system.remove_tree(self.venv_dir)
            raise InstallError(
                tr(
                    "Could not create a venv with %s. On Debian/Ubuntu install the venv "
                    "module: sudo apt install python3-venv\n%s"
                )
                % (base, "\n".join(lines[-5:]))
            )
        return True

    def _choose_lock(self, interpreter: locks.Interpreter) -> None:
        minor = interpreter[2]
        if self.lock is None:
            self.lock = locks.lock_for(interpreter)
        if not os.path.isfile(self.lock):
            raise InstallError(
                tr("The lock %s is missing; reinstall the plugin. %s") % (self.lock, platforms.supported_text())
            )
        lock_minor = os.path.basename(self.lock).rsplit("-py", 1)[-1].rsplit(".lock", 1)[0]
        if lock_minor.count(".") == 1 and lock_minor != minor:
            raise InstallError(
                tr(
                    "The runtime at %s was made with Python %s, but this lock is for Python "
                    "%s. Choose another runtime folder (or delete this one) and run this again; "
                    "the old runtime is left as it is."
                )
                % (self.venv_dir, minor, lock_minor)
            )

    def installed(self) -> dict[str, str]:
        """{normalised name: version} of the distributions in the runtime."""
        script = (
            "import json, importlib.metadata as m; print(json.dumps({d.metadata['Name']: d.version "  # no-i18n: code
            "for d in m.distributions() if d.metadata['Name']}))"
        )
        out = subprocess.run(
            [self.python, "-c", script],
            capture_output=True,
            text=True,  # nosec B603
            encoding="utf-8",
            errors="replace",
            check=True,
            env=system.clean_env(os.environ),
            **system.popen_flags(sys.platform),
        ).stdout
        return {locks.normalise(k): v for k, v in json.loads(out).items()}

    def wanted(self, variant):
        pins = locks.variant_pins(locks.read_lock(self.lock), variant)
        if self.dev:
            pins.update(locks.read_lock(locks.lock_path(dev=True)))
        return pins

    def _write_requirements(self, pins: locks.Pins, keys: Iterable[str]) -> str:
        path = os.path.join(self.venv_dir, "terraembed-requirements.txt")
        with open(path, "w", encoding="utf-8") as f:
            for key in sorted(keys):
                name, version = pins[key]
                f.write("%s==%s\n" % (name, version))
        return path

    def install_pins(self, pins: locks.Pins, installed: dict[str, str]) -> list[str]:
        missing = [k for k, (_, v) in pins.items() if installed.get(k) != v]
        if not missing:
            return []
        self.log(tr("Installing %d pinned package(s).") % len(missing))
        torch_keys = [k for k in missing if "+" in pins[k][1]]
        other_keys = [k for k in missing if k not in torch_keys]
        if torch_keys:
            index = locks.CPU_INDEX if "+cpu" in pins[torch_keys[0]][1] else locks.CUDA_INDEX
            self._pip(
                "install",
                "--no-deps",
                "--retries",
                "1",
                "--timeout",
                "30",
                "--index-url",
                index,
                *["%s==%s" % pins[k] for k in torch_keys],
            )
        if other_keys:
            self._pip("install", "--no-deps", "-r", self._write_requirements(pins, other_keys))
        return missing

    def remove_extras(self, pins: locks.Pins, installed: dict[str, str]) -> list[str]:
        keep = set(pins) | {"pip", "setuptools", "wheel"}
        extras = sorted(k for k in installed if k not in keep)
        if extras:
            self.log(tr("Removing packages the lock does not name: %s") % ", ".join(extras))
            self._pip("uninstall", "-y", *extras)
        return extras

    def run(self) -> dict[str, Any]:
        """Install or update; one install at a time; a runtime this run created is removed again when
        the run fails or is cancelled."""
        try:
            lock = system.InstallLock(self.venv_dir, sys.platform).acquire()
        except system.InstallBusy as exc:
            raise InstallError(str(exc)) from exc
        except OSError as exc:
            raise InstallError(
                tr("Cannot write beside the runtime folder %s (%s). Choose a runtime folder you can write to.")
                % (self.venv_dir, exc)
            ) from exc
        created = False
        try:
            created = self.ensure_venv()
            return self._install(created)
        except BaseException:
            if created:
                self.log(tr("Removing the unfinished runtime at %s.") % self.venv_dir)
                system.remove_tree(self.venv_dir)
            raise
        finally:
            lock.release()

    def _install(self, created):
        started = time.time()
        self.progress(0.1)
        variant = locks.choose_variant(self.requested_variant)
        marker = self.read_marker()
        if marker and marker.get("variant") in ("cpu", "cuda") and self.requested_variant == "auto":
            variant = marker["variant"]  # keep what is there (e.g. the cuda fallback)
        self.log(tr("Torch build: %s%s") % (variant, tr(" (auto)") if self.requested_variant == "auto" else ""))
        if marker and marker.get("dev") and not self.dev:
            self.dev = True  # the test tools stay once installed (pass a fresh folder to drop them)
            self.log(tr("Keeping the test tools (dev.lock) installed earlier."))
        installed = self.installed()
        pins = self.wanted(variant)
        try:
            changed = self.install_pins(pins, installed)
        except InstallError as exc:
            fallback = locks.pypi_variant(sys.platform)
            if variant == fallback:
                raise
            self.log(
                tr("%s (%s). Installing PyPI's torch build instead (%s build).")
                % (locks.index_failure_note(sys.platform), str(exc).splitlines()[0], fallback)
            )
            variant = fallback
            pins = self.wanted(variant)
            changed = self.install_pins(pins, self.installed())
        self.progress(0.8)
        installed = self.installed()
        removed = self.remove_extras(pins, installed)
        if changed or removed or created:
            self._pip("check")
        problems = locks.lock_differences(pins, self.installed())
        if problems:
            raise InstallError(tr("The runtime does not match the lock after installing:\n") + "\n".join(problems))
        self.write_marker(variant)
        self.progress(1.0)
        summary = {
            "python": self.python,
            "venv": self.venv_dir,
            "variant": variant,
            "changed": len(changed),
            "removed": len(removed),
            "created": created,
            "seconds": round(time.time() - started, 1),
        }
        self.log(
            tr("Runtime ready: %s (%d package(s) installed, %d removed, %.0f s).")
            % (self.python, len(changed), len(removed), summary["seconds"])
        )
        return summary

    def read_marker(self) -> Optional[dict[str, Any]]:
        return runtime_venv.read_marker(self.venv_dir)

    def write_marker(self, variant):
        runtime_venv.write_marker(self.venv_dir, self.lock, variant, self.dev)


def default_venv_dir() -> str:
    """The default runtime folder (shell/paths.py: per user and Python minor, or an older one)."""
    return paths.this_runtime_dir()[0]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m terraembed.shell.install",  # no-i18n
        description="Create or update the TerraEmbed runtime venv.",  # no-i18n
    )
    parser.add_argument(
        "--venv",
        default=None,
        help="runtime folder (default: per user and Python minor, docs/RUNTIME.md)",  # no-i18n
    )
    parser.add_argument("--variant", default="auto", choices=VARIANTS, help="torch build")  # no-i18n
    parser.add_argument("--base-python", default=None, help="Python used to create the venv")  # no-i18n
    parser.add_argument("--dev", action="store_true", help="also install the test tools (dev.lock)")  # no-i18n
    parser.add_argument("--check", action="store_true", help="only compare the runtime with the lock")  # no-i18n
    args = parser.parse_args(argv)
    installer = Installer(
        args.venv or default_venv_dir(), variant=args.variant, base_python=args.base_python, dev=args.dev
    )
    try:
        if args.check:
            interpreter = interpreter_of(installer.python)
            if interpreter is None:
                raise InstallError("No runtime runs at %s; install it first." % installer.venv_dir)  # no-i18n
            installer.lock = locks.lock_for(interpreter)
            marker = installer.read_marker() or {}
            installer.dev = marker.get("dev", False)
            problems = locks.lock_differences(installer.wanted(marker.get("variant", "cuda")), installer.installed())
            for line in problems:
                print(line)
            print("runtime matches the lock" if not problems else "%d difference(s)" % len(problems))  # no-i18n
            return 1 if problems else 0
        installer.run()
    except InstallError as exc:
        print("ERROR: %s" % exc, file=sys.stderr)  # no-i18n
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
