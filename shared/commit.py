"""The output transaction's outputs and its commit, journaled (shared/transaction.py runs it), and the recovery of the
commits of runs that died in the middle (clean_stale). Standard library only: both processes load it."""

import errno
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from typing import Any, Optional

from . import partials

Move = list[Any]  # [partial, destination, [device, inode] of the partial] (JSON in the journal)
Keep = list[str]  # [path, its .keep name]
OnStep = Callable[[str, str], None]  # (action, path): the tests' fault point
Verify = Callable[[str], object]  # verify(partial): re-open the written file, raise when it is not right


# sidecars of an existing destination that a new output replaces or makes stale
_SIDECARS_OF_FILE = (".aux.xml", ".msk", ".ovr")
_SIDECARS_OF_STEM = {".shp": (".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qix", ".sbn", ".sbx", ".qmd")}


class Output:
    """One output of a transaction: its destination, the partial written for it, what it is (in messages),
    its estimated size and how to verify the written file."""

    def __init__(self, dest: str, partial: str, what: str, nbytes: int = 0, verify: Optional[Verify] = None) -> None:
        self.dest, self.partial, self.what, self.nbytes, self.verify = dest, partial, what, nbytes, verify

    @property
    def folder(self) -> str:
        return os.path.dirname(self.dest)

    def files(self) -> list[tuple[str, str]]:
        """(partial file, destination file) for the partial and its sidecars, as they exist now."""
        ext = os.path.splitext(self.dest)[1]
        stem = self.partial[: -len(ext)] if ext else self.partial
        dest_stem = self.dest[: -len(ext)] if ext else self.dest
        base = os.path.basename(stem)
        try:
            entries = os.listdir(self.folder)
        except OSError:
            return []
        return [
            (os.path.join(self.folder, e), dest_stem + e[len(base) :]) for e in sorted(entries) if e.startswith(base)
        ]

    def old_sidecars(self) -> list[str]:
        ext = os.path.splitext(self.dest)[1].lower()
        stem = os.path.splitext(self.dest)[0]
        names = [self.dest + s for s in _SIDECARS_OF_FILE] + [stem + s for s in _SIDECARS_OF_STEM.get(ext, ())]
        return [n for n in names if os.path.lexists(n)]


def _remove(path: str) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass


# -- the commit, journaled -------------------------------------------------------------------------
class _Commit:
    """The renames of one commit, written down first (a journal in every folder they touch) so that
    a commit cut short at any instant is undone or finished by whoever finds the journal:

    1. journal: {"moves": [[partial, destination, [device, inode] of the partial]], "keeps": [[path,
       its .keep name]], "journals": [...]} written and flushed in each folder;
    2. keep: every destination that exists, and every stale sidecar, under its .keep name (a hard
       link: the destination stays in place; a rename where links are not supported, and for stale
       sidecars, which go);
    3. move: every partial renamed over its destination (the commit point is the last rename);
    4. finish: the keeps removed, then the journals.

    A rename is done when the destination is the partial's file (device and inode): when every one
    is done the commit is finished, else rolled back (renamed destinations removed or their kept
    file put back, kept files put back). Both are idempotent, so a recovery cut short is recovered
    again."""

    def __init__(
        self,
        moves: list[Move],
        keeps: list[Keep],
        journals: list[str],
        on_step: Optional[OnStep] = None,
        owners: Optional[dict[str, Output]] = None,
    ) -> None:
        self.moves, self.keeps, self.journals = moves, keeps, journals
        self.on_step = on_step
        self.owners = owners or {}  # path -> the Output it belongs to (messages)
        self.output_at_fault: Optional[Output] = None

    @classmethod
    def plan(cls, outputs: Iterable[Output], run: str, on_step: Optional[OnStep] = None) -> "_Commit":
        owners: dict[str, Output] = {}
        moves: list[Move] = []
        for o in outputs:
            for src, target in o.files():
                moves.append([src, target, list(_inode(src) or ())])
                owners[src] = owners[target] = o
        targets = {m[1] for m in moves}
        stale = [(s, o) for o in outputs for s in o.old_sidecars() if s not in targets]
        for s, o in stale:
            owners[s] = o
        keeps = [
            [p, partials.partial_path(p, run, kind="keep")] for p in sorted(t for t in targets if os.path.lexists(t))
        ]
        keeps += [[s, partials.partial_path(s, run, kind="keep")] for s, _ in stale]
        first: dict[str, str] = {}
        for o in outputs:
            first.setdefault(o.folder, o.dest)
        journals = [partials.partial_path(d, run, suffix="", kind="journal") for d in first.values()]
        return cls(moves, keeps, journals, on_step, owners)

    @classmethod
    def load(cls, path: str) -> "Optional[_Commit]":
        """The commit a journal file describes, or None when it was cut short while written (then no
        file had been touched yet: journals are complete before the first keep)."""
        try:
            with open(path) as f:
                data = json.load(f)
            moves = [[str(src), str(target), [int(n) for n in inode]] for src, target, inode in data["moves"]]
            keeps = [[str(p), str(keep)] for p, keep in data["keeps"]]
            return cls(moves, keeps, [str(j) for j in data["journals"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _step(self, action: str, path: str) -> None:
        self.output_at_fault = self.owners.get(path)
        if self.on_step is not None:
            self.on_step(action, path)

    # -- forward ----------------------------------------------------------------------------------
    def run(self) -> None:
        """Durable in this order: the new files' data on disk (so a power cut after the renames cannot
        leave an empty file where the old one was, and a disk that fills at write-back is met here), the
        journals and their folder entries, the keeps and renames, then the folders' new entries, before
        finish() drops the old files."""
        for src, _, _ in self.moves:
            self._step("sync", src)
            sync_file(src)
        text = json.dumps({"moves": self.moves, "keeps": self.keeps, "journals": self.journals})
        for journal in self.journals:
            self._step("journal", journal)
            _write_flushed(journal, text)
        self._sync_folders()
        stale = {s for s, _ in self.keeps} - {m[1] for m in self.moves}
        for path, keep in self.keeps:
            self._step("keep", path)
            if path in stale:
                os.replace(path, keep)
            else:
                _link_or_rename(path, keep)
        for src, target, _ in self.moves:
            self._step("move", target)
            os.replace(src, target)
        self._sync_folders()
        self.output_at_fault = None

    def _sync_folders(self) -> None:
        for folder in sorted({os.path.dirname(m[1]) for m in self.moves}):
            self._step("sync folder", folder)
            sync_folder(folder)

    def finish(self) -> None:
        """After the last rename: the kept old files and the journals go."""
        for _, keep in self.keeps:
            if self.on_step is not None:
                self.on_step("drop keep", keep)
            _remove(keep)
        self._drop_journals()

    # -- back -------------------------------------------------------------------------------------
    def done(self) -> bool:
        """Whether every rename was done (the destination is the partial's file)."""
        return all(file_inode and _inode(target) == tuple(file_inode) for _, target, file_inode in self.moves)

    def roll_back(self) -> None:
        """Every destination as it was before the commit; then the journals and the partials go."""
        kept = {path for path, _ in self.keeps}
        for _, target, file_inode in self.moves:
            if target not in kept and file_inode and _inode(target) == tuple(file_inode):
                _remove(target)  # a new destination, already renamed into place
        for path, keep in self.keeps:
            _put_back(keep, path)
        self._drop_journals()
        for src, _, _ in self.moves:
            _remove(src)

    def recover(self) -> None:
        """A commit cut short (its process died): finish it when every rename was done, else roll
        it back."""
        if self.done():
            self.finish()
        else:
            self.roll_back()

    def _drop_journals(self) -> None:
        for journal in self.journals:
            if self.on_step is not None:
                self.on_step("drop journal", journal)
            _remove(journal)


def _inode(path: str) -> Optional[tuple[int, int]]:
    """(device, inode) of path, or None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _write_flushed(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def sync_file(path: str, platform: str = sys.platform) -> None:
    """The file's data on disk (a folder, as some outputs are, is left to sync_folder). Windows flushes only
    a handle open for writing (FlushFileBuffers); a file system that cannot sync (EINVAL, ENOTSUP) is left
    as it is, a disk that fails or fills raises."""
    if os.path.isdir(path):
        return
    with open(path, "r+b" if platform.startswith("win") else "rb") as f:
        try:
            os.fsync(f.fileno())
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
                raise


def sync_folder(folder: str, platform: str = sys.platform) -> None:
    """The folder's entries (renames, new files) on disk. Windows cannot open a folder to sync it, and NTFS
    journals its renames itself; file systems that cannot sync a folder (EINVAL, ENOTSUP) are left as
    they are."""
    if platform.startswith("win"):
        return
    fd = os.open(folder or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _put_back(keep: str, path: str) -> None:
    """Put the kept file back at path (a hard link of path still in place only goes)."""
    if not os.path.lexists(keep):
        return
    if os.path.lexists(path) and _inode(path) == _inode(keep):
        os.remove(keep)
    else:
        os.replace(keep, path)


def _link_or_rename(path: str, keep: str) -> None:
    """Keep a copy of path under keep: a hard link (path stays in place) or, where links are not
    supported, a rename."""
    try:
        os.link(path, keep)
    except OSError:
        os.replace(path, keep)


# -- leftovers of runs that were killed outright ----------------------------------------------------
def clean_stale(folder: str) -> list[str]:
    """Finish or undo the commits of runs that died in the middle (their journals), then remove the
    partial outputs of runs that are over from folder, and restore a destination an older version's
    killed commit had kept aside. Never touches a live run's files. Returns the paths removed."""
    removed: list[str] = []
    for entry, m in _stale_entries(folder):
        if m.group("kind") == "journal":
            journal = os.path.join(folder, entry)
            commit = _Commit.load(journal)
            try:
                if commit is None:
                    _remove(journal)
                else:
                    commit.recover()
            except OSError:
                continue  # the journal stays, and with it every file of that run, for a later try
            removed.append(journal)
    unresolved = {m.group("run") for _, m in _stale_entries(folder) if m.group("kind") == "journal"}
    for entry, m in _stale_entries(folder):
        if m.group("run") in unresolved:
            continue
        path = os.path.join(folder, entry)
        if m.group("kind") == "keep":
            dest = os.path.join(folder, m.group("name"))
            if not os.path.lexists(dest):
                try:
                    os.replace(path, dest)
                    continue
                except OSError:
                    pass
        _remove(path)
        if not os.path.lexists(path):
            removed.append(path)
    return removed


def _stale_entries(folder: str) -> "list[tuple[str, re.Match[str]]]":
    """(entry, its parsed name) of the partial, kept and journal files of runs that are over."""
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return []
    found = [(e, partials.parse_entry(e)) for e in entries]
    return [(e, m) for e, m in found if m and not partials.run_alive(m)]
