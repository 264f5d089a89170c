# Shared by scripts/setup and scripts/test (sourced, not run).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QGIS_BASE="${QGIS_CUSTOM_CONFIG_PATH:-$HOME/.local/share/QGIS/QGIS3}"
PROFILE_DIR="$QGIS_BASE/profiles/default"
RUNTIME_DIR="${TERRAEMBED_RUNTIME_DIR:-$(/usr/bin/python3 "$REPO/shell/paths.py")}"  # docs/RUNTIME.md
RUNTIME_PYTHON="$RUNTIME_DIR/bin/python"
QGIS_PYTHON=/usr/bin/python3          # the Python QGIS is built against (Debian/Ubuntu)
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# The checkout folder may have any name; Python imports the plugin as `terraembed` from here.
PKG_PATH="$(/usr/bin/python3 "$REPO/scripts/package_path.py")"

say() { printf '\n==> %s\n' "$*"; }

QUICK_PYTHON="${TERRAEMBED_QUICK_PYTHON:-python3}"  # runs tests/quick: any python3 with pytest
tools_python() {  # the Python whose ruff and mypy the checks run: the runtime's (dev.lock's pins) when it
  # has both, else QUICK_PYTHON. scripts/test and .pre-commit-config.yaml use it.
  if "$RUNTIME_PYTHON" -c "import ruff, mypy" 2>/dev/null; then echo "$RUNTIME_PYTHON"; else echo "$QUICK_PYTHON"; fi
}

apt_install() {  # apt_install PKG...: install the Debian packages that are missing
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing from the distribution: ${missing[*]}"
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Debian's `qgis_process` wrapper script fails with "Command --noversioncheck not known!" on QGIS 3.22;
# the real binary works.
QGIS_PROCESS=/usr/bin/qgis_process.bin
