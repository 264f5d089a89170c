"""Files that are not a job's outputs (the imagery cache, a fetched composite, a job's scratch rasters),
written on the partial naming of partials.py, so that a run killed outright (SIGKILL, power loss) leaves
only names that clean_stale (commit.py) recognises and removes once that run is over, and never a live
run's files. Outputs go through the output transaction (transaction.py) instead.

- `atomic_file(dest)`: write under a partial name beside dest, renamed over dest when the block succeeds,
  removed when it fails: readers see the old file or the whole new one, never a part.
- `scratch_path(folder, name)`: a run's temporary file in folder (removed by its owner at the end).

Both first sweep the folder of what runs that are over left there. Standard library only."""

import contextlib
import os
from typing import Iterator

from . import partials
from .commit import clean_stale

SIDECARS = (".aux.xml",)  # files GDAL may write beside a raster it writes


def scratch_path(folder: str, name: str) -> str:
    """A new path in folder (created if need be) for a file named `name` that this process writes: the
    partial name of folder/name, owned by this process, after the leftovers of runs that are over are
    removed from folder."""
    os.makedirs(folder, exist_ok=True)
    clean_stale(folder)
    return partials.partial_path(os.path.join(folder, name))


def remove_file(path: str) -> None:
    """Remove path and its sidecars, where they exist."""
    for p in (path,) + tuple(path + s for s in SIDECARS):
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


@contextlib.contextmanager
def atomic_file(dest: str) -> Iterator[str]:
    """with atomic_file(dest) as path: write path; it replaces dest when the block ends without error
    (one rename), and is removed (with its sidecars) when the block raises or is interrupted."""
    dest = os.path.abspath(dest)
    path = scratch_path(os.path.dirname(dest), os.path.basename(dest))
    try:
        yield path
        os.replace(path, dest)
    except BaseException:
        remove_file(path)
        raise
