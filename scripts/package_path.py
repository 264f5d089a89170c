"""The folder from which Python imports this checkout as `terraembed`, whatever the checkout's folder is
called: `.build/pkg/terraembed` links to the checkout. The one place that makes the link:
scripts/common.sh runs this file (`PKG_PATH=$(python3 scripts/package_path.py)`), the screenshot
scripts import it, and tests find the folder from the package they imported (tests/engine/package.py).
Standard library only."""

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def package_path(repo: str = REPO) -> str:
    """The folder to put on PYTHONPATH; its `terraembed` link is made, or replaced when it points
    elsewhere, atomically (a concurrent run never sees it missing)."""
    repo = os.path.realpath(repo)  # also when this file was reached through the link itself
    folder = os.path.join(repo, ".build", "pkg")
    link = os.path.join(folder, "terraembed")
    os.makedirs(folder, exist_ok=True)
    if not (os.path.islink(link) and os.readlink(link) == repo):
        temporary = "%s.%d" % (link, os.getpid())
        os.symlink(repo, temporary)
        os.replace(temporary, link)
    return folder


if __name__ == "__main__":
    sys.stdout.write(package_path() + "\n")
