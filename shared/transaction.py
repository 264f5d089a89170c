"""The output transaction: every output of a run appears together, or none does.

Standard library only: the shell (QGIS sinks) and the engine (GDAL writers) both use it.

    tx = Transaction(inputs=[source_path])
    partial = tx.add(dest, "embedding grid", formats=GEOTIFF, nbytes=estimate)   # before any work
    ... write the file at `partial` ...
    tx.reserve(dest, better_estimate)        # optional, once the size is known, still before the work
    tx.commit()                              # verify every partial, then rename them all into place
    # or, on any failure / cancel: tx.abort() (the `with Transaction() as tx:` form does it)

Contract:
- add() checks the destination before any work: not a folder, not an input and not another output
  (compared as files: file_identity, whatever the route: symlinks, hard links, `..`, bind mounts),
  a name the file system takes, extension of a known format, folder exists or is created (and
  removed again on abort), writable (a probe file), free space for the estimated size
  (require_space: also for scratch folders and caches that are not outputs, e.g. before an Earth
  Engine fetch). It removes what runs killed outright left in that folder, or finishes or undoes
  their commit (clean_stale), then returns the partial path to write (naming: partials.partial_path).
- Writers write only partial paths (and GDAL/OGR sidecars beside them, `<partial stem>*`).
- commit() runs each output's verify(partial) (a writer re-opens its file), then renames every
  partial and its sidecars over the destinations, journaled (_Commit): a journal listing every
  rename is written (in each folder of the commit) first, the files it replaces are kept under
  `.keep` names (hard links), the renames run, then the keeps and the journals go. If a step fails,
  every destination is restored; if the process dies at any instant, the next run writing in the
  folder (or the panel's Clean up: clean_stale) finishes the commit from the journal when every
  rename was done, else restores every old file: all old or all new, never a mix. Stale sidecars of
  the old destination (e.g. grid.tif.aux.xml) go too.
- protect(paths) adds inputs later (a job's part of its caller's transaction): they are checked
  against the outputs added so far too.
- abort() removes every partial, its sidecars, and the folders add() created.
- Errors are OutputError, whose message is for the user; OS errors met while writing (disk full,
  read-only, permission) become an OutputError that names the folder, the path and the sizes; one
  met by the commit names the file that could not be replaced.
- on_step(action, path), when set, is called before every step of the commit: the tests' fault
  point (kill the process or raise an OS error at step k).

Across the wall, the shell owns the transaction: it adds every destination (its own sinks and the
worker's files), sends manifest() in the job, the worker writes and verifies the partials named
there (Transaction.from_manifest, commit() = verify only) and the shell commits everything last, so
a failed QGIS sink leaves the worker's outputs uncommitted too.
"""

import errno
import os
import sys
from collections.abc import Iterable
from typing import Any, Literal, Optional

from . import partials
from .commit import OnStep, Output, Verify, _Commit, _remove, clean_stale
from .errors import OutputError  # standard library only, like this file
from .i18n import tr
from .space import MARGIN_BYTES, free_bytes, mb, reason, require_space

GEOTIFF = {".tif": "GeoTIFF", ".tiff": "GeoTIFF"}
POLYGONS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}
CSV = {".csv": "CSV"}
HTML = {".html": "HTML", ".htm": "HTML"}
VRT = {".vrt": "VRT"}  # a series (engine/pipeline/series.py)
CLASSIFIER = {".json": "JSON"}  # a saved classifier (engine/analysis/classifier_file.py)
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_DENIED = (errno.EROFS, errno.EACCES, errno.EPERM)


# -- one file, any name -----------------------------------------------------------------------------
def file_identity(path: str, platform: Optional[str] = None) -> tuple[object, ...]:
    """What makes two names one file, whatever the route (symlinked folders, hard links, `..`, bind
    mounts): the device and inode of an existing file; else those of its nearest existing folder and
    the rest of the path, case-folded where file names are case-insensitive (Windows, macOS); the
    resolved real path where the file system has no inodes."""
    platform = platform or sys.platform
    folded = platform.startswith("win") or platform == "darwin"
    probe, rest = os.path.abspath(os.path.expanduser(path)), list[str]()
    while True:
        try:
            st = os.stat(probe)
            break
        except (OSError, ValueError):
            parent, name = os.path.split(probe)
            if parent == probe:
                st = None
                break
            rest.append(name)
            probe = parent
    tail = "/".join(reversed(rest))
    if st is None or not st.st_ino:
        real = os.path.normcase(os.path.realpath(path))
        return ("path", real.casefold() if folded else real)
    return (st.st_dev, st.st_ino, tail.casefold() if folded else tail)


def _input_clash(what: str, dest: str, input_path: str) -> OutputError:
    same = os.path.abspath(os.path.expanduser(input_path)) == dest
    return OutputError(
        tr("The %s %s is also an input%s; choose another file name (nothing was written).")
        % (what, dest, "" if same else tr(" (the same file as %s)") % input_path)
    )


def _check_name_length(dest: str, what: str) -> None:
    """OutputError when dest's file name is longer than its file system takes."""
    name = os.path.basename(dest)
    limit = partials.name_limit(os.path.dirname(dest))
    if len(name.encode("utf-8")) > limit:
        raise OutputError(
            tr(
                "The file name of the %s is too long: %s has %d bytes, the file system of %s takes at most %d. "
                "Choose a shorter name."
            )
            % (what, name, len(name.encode("utf-8")), os.path.dirname(dest), limit)
        )


class Transaction:
    def __init__(
        self, inputs: Iterable[object] = (), run: Optional[str] = None, delegated: Optional[dict[str, str]] = None
    ) -> None:
        self.run = run or partials.run_token()
        self.outputs: list[Output] = []
        self.created: list[str] = []  # folders this run created, outermost first
        self.inputs: dict[tuple[object, ...], str] = {}  # file_identity -> the input's path, as given
        self._delegated = delegated  # dest -> partial given by the owner (from_manifest)
        self.on_step: Optional[OnStep] = None  # fault point of the tests: on_step(action, path) before each commit step
        self.protect(inputs)

    # -- across the wall ---------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """What the worker needs to write this transaction's partials: JSON-able."""
        return {"run": self.run, "partials": {o.dest: o.partial for o in self.outputs}}

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any], inputs: Iterable[object] = ()) -> "Transaction":
        """The worker's side: partial names come from the owner, commit() only verifies."""
        return cls(inputs, run=manifest["run"], delegated=dict(manifest.get("partials") or {}))

    # -- destinations ------------------------------------------------------------------------------
    def protect(self, inputs: Iterable[object]) -> None:
        """Files the run reads: no output may be one of them (also an output added before)."""
        for path in inputs:
            if not path or not isinstance(path, str):
                continue
            identity = file_identity(path)
            self.inputs.setdefault(identity, path)
            for o in self.outputs:
                if file_identity(o.dest) == identity:
                    raise _input_clash(o.what, o.dest, path)

    def add(
        self,
        dest: str,
        what: str,
        formats: Optional[dict[str, str]] = None,
        nbytes: float = 0,
        verify: Optional[Verify] = None,
    ) -> str:
        """Check one destination now and return the partial path to write instead of it."""
        what = tr(what)  # the output in the user's words, in the user's language (where the catalogue has it)
        if not dest or not isinstance(dest, str):
            raise OutputError(tr("The %s needs a file name.") % what)
        dest = os.path.abspath(os.path.expanduser(dest))
        identity = file_identity(dest)
        if identity in self.inputs:
            raise _input_clash(what, dest, self.inputs[identity])
        for o in self.outputs:
            if o.dest == dest or file_identity(o.dest) == identity:
                raise OutputError(
                    tr("The file %s is given for two outputs (the %s%s); give the %s its own file.")
                    % (dest, o.what, "" if o.dest == dest else tr(", as %s") % o.dest, what)
                )
        if os.path.isdir(dest):
            raise OutputError(
                tr("The %s destination %s is a folder; give a file name such as %s.")
                % (
                    what,
                    dest,
                    os.path.join(dest, "%s%s" % (what.replace(" ", "_"), next(iter(formats or GEOTIFF)))),
                )
            )
        ext = os.path.splitext(dest)[1].lower()
        if formats is not None and ext not in formats:
            raise OutputError(
                tr("The %s %s must be one of these formats: %s. Use one of these extensions.")
                % (what, dest, ", ".join("%s (%s)" % (e, f) for e, f in formats.items()))
            )
        if self._delegated is not None:
            if dest not in self._delegated:
                raise OutputError(
                    tr("The %s %s was not announced by the plugin; update the plugin and its runtime together.")
                    % (what, dest)
                )
            partial = self._delegated[dest]
        else:
            _check_name_length(dest, what)
            self._prepare_folder(os.path.dirname(dest), what, dest)
            partial = partials.partial_path(dest, self.run)
        self.outputs.append(Output(dest, partial, what, int(nbytes or 0), verify))
        if nbytes:
            self.check_space()
        return partial

    def _prepare_folder(self, folder: str, what: str, dest: str) -> None:
        missing: list[str] = []
        probe = folder
        while not os.path.isdir(probe):
            if os.path.lexists(probe):
                raise OutputError(
                    tr("Cannot save the %s as %s: %s is a file, not a folder. Choose another destination.")
                    % (what, dest, probe)
                )
            missing.append(probe)
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        for path in reversed(missing):
            try:
                os.mkdir(path)
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(
                    tr("Cannot create the folder %s for the %s (%s). Choose another destination.")
                    % (path, what, exc.strerror or exc)
                ) from exc
            self.created.append(path)
        clean_stale(folder)
        test = partials.partial_path(dest, self.run, suffix=".probe")
        try:
            with open(test, "wb"):
                pass
            os.remove(test)
        except OSError as exc:
            raise OutputError(
                tr("Cannot save the %s in %s: the folder is not writable (%s). Choose another destination.")
                % (what, folder, exc.strerror or exc)
            ) from exc

    def reserve(self, dest: str, nbytes: float) -> None:
        """Set the estimated size of one output (bytes) and check the free space again."""
        dest = os.path.abspath(os.path.expanduser(dest))
        for o in self.outputs:
            if o.dest == dest:
                o.nbytes = int(nbytes)
        self.check_space()

    def check_space(self) -> None:
        """OutputError when a file system has less free space than the outputs on it need."""
        need: dict[int, int] = {}
        folders: dict[int, list[Output]] = {}
        for o in self.outputs:
            try:
                device = os.stat(o.folder).st_dev
            except OSError:
                continue
            need[device] = need.get(device, 0) + o.nbytes
            folders.setdefault(device, []).append(o)
        for device, nbytes in need.items():
            outs = folders[device]
            require_space(outs[0].folder, nbytes, " and ".join(o.what for o in outs if o.nbytes) or outs[0].what)

    # -- ending ------------------------------------------------------------------------------------
    def verify(self) -> None:
        for o in self.outputs:
            if not os.path.isfile(o.partial):
                raise OutputError(
                    tr("The %s was not written (%s is missing); nothing was saved.") % (o.what, o.partial)
                )
            if o.verify is not None:
                try:
                    o.verify(o.partial)
                except OutputError:
                    raise
                except Exception as exc:
                    raise self.explain(exc, o) from exc

    def commit(self) -> None:
        """Verify every output, then rename them all into place (all or nothing, journaled)."""
        self.verify()
        if self._delegated is not None:
            return
        commit = _Commit.plan(self.outputs, self.run, self.on_step)
        try:
            commit.run()
        except BaseException as exc:
            failed = commit.output_at_fault
            try:
                commit.roll_back()
            except OSError:
                pass  # the journal stays: the next run in the folder (or Clean up) restores the old files
            translated = self.explain_commit(exc, failed) if isinstance(exc, OSError) else exc
            self.abort()
            if translated is not exc:
                raise translated from exc
            raise
        commit.finish()
        self.outputs = []
        self.created = []

    def abort(self) -> None:
        """Remove every partial (and sidecars) and the folders this transaction created."""
        for o in self.outputs:
            for src, _ in o.files():
                _remove(src)
        for folder in reversed(self.created):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        self.outputs = []
        self.created = []

    def explain(self, exc: BaseException, output: Optional[Output] = None) -> BaseException:
        """The OutputError for an OS error met while writing (disk full, read-only, denied)."""
        if isinstance(exc, OutputError):
            return exc
        candidates = [output] if output else self.outputs
        code = getattr(exc, "errno", None)
        text = str(exc)
        for o in candidates:
            full = self._no_space(exc, o)
            if full:
                return full
            filename = str(getattr(exc, "filename", None) or "")
            ours = o.folder in text or (filename and os.path.dirname(os.path.abspath(filename)) == o.folder)
            if ours and (code in _DENIED or "Read-only file system" in text or "Permission denied" in text):
                return OutputError(
                    tr("Cannot write the %s in %s (%s). Choose a writable folder; nothing was written.")
                    % (o.what, o.folder, reason(exc))
                )
        return exc

    def _no_space(self, exc: BaseException, o: Output) -> Optional[OutputError]:
        """The OutputError when exc is (or the folder of o shows) a full disk, else None."""
        text = str(exc)
        free = free_bytes(o.folder)
        full = (
            getattr(exc, "errno", None) in _FULL
            or "No space left" in text
            or "disk is full" in text
            or (free is not None and free < MARGIN_BYTES)
        )
        if not full:
            return None
        need = sum(x.nbytes for x in self.outputs) or o.nbytes
        return OutputError(
            tr(
                "No space left on the device of %s while writing the %s (%s): %s free%s. Free some "
                "space or choose another folder; nothing was written."
            )
            % (o.folder, o.what, o.dest, mb(free or 0), tr(", the outputs need about %s") % mb(need) if need else "")
        )

    def explain_commit(self, exc: BaseException, output: Optional[Output]) -> BaseException:
        """The OutputError for an OS error of the commit, which met it at `output` (None: at no one
        output): a full disk as explain() says it, else the file that could not be replaced (locked,
        read-only, immutable)."""
        if output is None:
            return self.explain(exc)
        full = self._no_space(exc, output)
        if full:
            return full
        if os.path.lexists(output.dest):
            return OutputError(
                tr(
                    "Could not replace the existing %s %s (%s): it may be read-only, locked or open in another "
                    "program. Make it writable or close it (or choose another file name); nothing was changed."
                )
                % (output.what, output.dest, reason(exc))
            )
        return OutputError(
            tr("Could not save the %s as %s (%s). Choose a writable folder; nothing was changed.")
            % (output.what, output.dest, reason(exc))
        )

    def __enter__(self) -> "Transaction":
        return self

    def __exit__(self, exc_type: Optional[type], exc: Optional[BaseException], tb: object) -> Literal[False]:
        if exc is None:
            return False
        translated = self.explain(exc) if isinstance(exc, OSError) else exc
        self.abort()
        if translated is not exc:
            raise translated from exc
        return False
