"""scripts/package_path.py: the one place that makes `.build/pkg/terraembed -> checkout`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "package_path.py"


def run(script):
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_the_link_points_at_the_checkout_also_when_reached_through_itself(tmp_path):
    repo = tmp_path / "any-name"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / "scripts")
    folder = run(repo / "scripts" / "package_path.py")
    assert folder == str(repo / ".build" / "pkg")
    assert os.readlink(repo / ".build" / "pkg" / "terraembed") == str(repo)
    # benchmarks and tests may import it through the link: the link must not be made to point at itself
    assert run(repo / ".build" / "pkg" / "terraembed" / "scripts" / "package_path.py") == folder
    assert os.readlink(repo / ".build" / "pkg" / "terraembed") == str(repo)
    assert (Path(folder) / "terraembed" / "scripts" / "package_path.py").is_file()


def test_a_link_pointing_elsewhere_is_replaced(tmp_path):
    repo = tmp_path / "checkout"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / "scripts")
    (repo / ".build" / "pkg").mkdir(parents=True)
    os.symlink(str(tmp_path), repo / ".build" / "pkg" / "terraembed")
    run(repo / "scripts" / "package_path.py")
    assert os.readlink(repo / ".build" / "pkg" / "terraembed") == str(repo)
