"""Where the runtime lives: one folder per Python minor in the user's data folder, shared by every
QGIS 3 and QGIS 4 profile, e.g. ~/.local/share/terraembed/py3.11.

- Linux: $XDG_DATA_HOME/terraembed (default ~/.local/share/terraembed)
- Windows: %LOCALAPPDATA%\\terraembed (default <home>\\AppData\\Local\\terraembed), short for MAX_PATH
- macOS: ~/Library/Application Support/terraembed

A runtime made by earlier versions in a QGIS profile (<QGIS3 or QGIS4 profile>/terraembed/runtime) is
reused when it was made with the same Python minor, so nothing is downloaded twice.

Pure functions of (platform, env, home); `python3 shell/paths.py` prints the runtime folder for this
Python (scripts/common.sh uses it). Standard library only, no package-relative imports.
"""

import ntpath
import os
import posixpath
import sys

OVERRIDE = "TERRAEMBED_RUNTIME_DIR"


def tr(text):
    """shell/i18n.tr, reached without a package-relative import (this file also runs as a script)."""
    i18n = sys.modules.get("%s.i18n" % __package__) if __package__ else None
    return i18n.tr(text) if i18n else text


def _path(platform):
    return ntpath if platform == "win32" else posixpath


def minor_text(python):
    """'3.11' from '3.11', '3.11.2' or (3, 11)."""
    if isinstance(python, str):
        return ".".join(python.split(".")[:2])
    return "%d.%d" % tuple(python[:2])


def data_dir(platform, env, home):
    """The per-user folder TerraEmbed keeps its runtimes in."""
    path = _path(platform)
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or path.join(home, "AppData", "Local")
    elif platform == "darwin":
        base = path.join(home, "Library", "Application Support")
    else:
        base = env.get("XDG_DATA_HOME") or path.join(home, ".local", "share")
    return path.join(base, "terraembed")


def default_runtime_dir(platform, env, home, python):
    return _path(platform).join(data_dir(platform, env, home), "py" + minor_text(python))


def qgis_profile_roots(platform, env, home):
    """The QGIS 3 and QGIS 4 'default' profile folders (QGIS_CUSTOM_CONFIG_PATH replaces the base)."""
    path = _path(platform)
    custom = env.get("QGIS_CUSTOM_CONFIG_PATH")
    if custom:
        return [path.join(custom, "profiles", "default")]
    if platform == "win32":
        base = path.join(env.get("APPDATA") or path.join(home, "AppData", "Roaming"), "QGIS")
    elif platform == "darwin":
        base = path.join(home, "Library", "Application Support", "QGIS")
    else:
        base = path.join(env.get("XDG_DATA_HOME") or path.join(home, ".local", "share"), "QGIS")
    return [path.join(base, version, "profiles", "default") for version in ("QGIS3", "QGIS4")]


def old_runtime_dirs(platform, env, home):
    """Where earlier versions put the runtime: <profile>/terraembed/runtime."""
    path = _path(platform)
    return [path.join(root, "terraembed", "runtime") for root in qgis_profile_roots(platform, env, home)]


def venv_python(venv_dir, platform=sys.platform):
    if platform == "win32":
        return ntpath.join(venv_dir, "Scripts", "python.exe")
    return posixpath.join(venv_dir, "bin", "python")


def venv_minor(venv_dir):
    """The Python minor ('3.11') a venv was made with, from its pyvenv.cfg; None when it is no venv."""
    try:
        with open(os.path.join(venv_dir, "pyvenv.cfg"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    values = dict(line.split("=", 1) for line in lines if "=" in line)
    values = {k.strip().lower(): v.strip() for k, v in values.items()}
    version = values.get("version_info") or values.get("version")
    return minor_text(version) if version else None


def find_runtime_dir(platform, env, home, python, exists=os.path.isdir, minor_of=venv_minor):
    """(folder, note): the runtime folder to use and, when relevant, a sentence for the user.

    The TERRAEMBED_RUNTIME_DIR override wins; else the default folder when it holds a runtime; else an
    old in-profile runtime made for the same Python minor (reused as it is); else the default folder
    (to be created). An old runtime for another Python minor is named in the note with the fix."""
    minor = minor_text(python)
    if env.get(OVERRIDE):
        return env[OVERRIDE], ""
    default = default_runtime_dir(platform, env, home, minor)
    if exists(default):
        return default, ""
    notes = []
    for old in old_runtime_dirs(platform, env, home):
        if not exists(old):
            continue
        old_minor = minor_of(old)
        if old_minor == minor:
            return old, tr("Using the runtime made earlier in the QGIS profile: %s.") % old
        notes.append(
            tr(
                "The runtime in %s was made for Python %s, not for this Python %s; it is not used. "
                "Run 'Install or update runtime' to make one in %s, then delete the old folder."
            )
            % (old, old_minor or "(unknown)", minor, default)
        )
    return default, " ".join(notes)


def this_runtime_dir():
    """find_runtime_dir for the running Python on this machine."""
    return find_runtime_dir(sys.platform, os.environ, os.path.expanduser("~"), sys.version_info)


if __name__ == "__main__":
    print(this_runtime_dir()[0])
