"""The output transaction: every output of a run appears together, or none does.

Standard library only: the shell (QGIS sinks) and the engine (GDAL writers) both use it.

    tx = Transaction(inputs=[source_path])
    partial = tx.add(dest, "embedding grid", formats=GEOTIFF, nbytes=estimate)   # before any work
    ... write the file at `partial` ...
    tx.reserve(dest, better_estimate)        # optional, once the size is known, still before the work
    tx.commit()                              # verify every partial, then rename them all into place
    # or, on any failure / cancel: tx.abort() (the `with Transaction() as tx:` form does it)

Contract:
- add() checks the destination before any work: not a folder, not an input, not twice, extension of
  a known format, folder exists or is created (and removed again on abort), writable (a probe file),
  free space for the estimated size (require_space: also for scratch folders and caches that are
  not outputs, e.g. before an Earth Engine fetch). It removes what runs killed outright left in that folder
  (clean_stale), then returns the partial path to write (naming: protocol.partial_path).
- Writers write only partial paths (and GDAL/OGR sidecars beside them, `<partial stem>*`).
- commit() runs each output's verify(partial) (a writer re-opens its file), then renames every
  partial and its sidecars over the destinations. The files it replaces are first kept under
  `.keep` names; if any rename fails, every destination is restored, so the commit is all or
  nothing. Stale sidecars of the old destination (e.g. grid.tif.aux.xml) go too.
- abort() removes every partial, its sidecars, and the folders add() created.
- Errors are OutputError, whose message is for the user; OS errors met while writing (disk full,
  read-only, permission) become an OutputError that names the folder, the path and the sizes.

Across the wall, the shell owns the transaction: it adds every destination (its own sinks and the
worker's files), sends manifest() in the job, the worker writes and verifies the partials named
there (Transaction.from_manifest, commit() = verify only) and the shell commits everything last, so
a failed QGIS sink leaves the worker's outputs uncommitted too.
"""

import errno
import os
import shutil
import tempfile

from . import protocol
from .engine.errors import UserError  # standard library only, like this file

GEOTIFF = {".tif": "GeoTIFF", ".tiff": "GeoTIFF"}
POLYGONS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}
CSV = {".csv": "CSV"}
HTML = {".html": "HTML", ".htm": "HTML"}
# sidecars of an existing destination that a new output replaces or makes stale
_SIDECARS_OF_FILE = (".aux.xml", ".msk", ".ovr")
_SIDECARS_OF_STEM = {".shp": (".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qix", ".sbn", ".sbx", ".qmd")}
MARGIN_BYTES = 1 << 20
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_DENIED = (errno.EROFS, errno.EACCES, errno.EPERM)


class OutputError(UserError):
    """An output cannot be written; the message says why and what to do."""


def _mb(nbytes):
    return "%.1f MB" % (nbytes / 1e6) if nbytes >= 1e5 else "%d KB" % round(nbytes / 1e3)


class _Output:
    def __init__(self, dest, partial, what, nbytes=0, verify=None):
        self.dest, self.partial, self.what, self.nbytes, self.verify = dest, partial, what, nbytes, verify

    @property
    def folder(self):
        return os.path.dirname(self.dest)

    def files(self):
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

    def old_sidecars(self):
        ext = os.path.splitext(self.dest)[1].lower()
        stem = os.path.splitext(self.dest)[0]
        names = [self.dest + s for s in _SIDECARS_OF_FILE] + [stem + s for s in _SIDECARS_OF_STEM.get(ext, ())]
        return [n for n in names if os.path.lexists(n)]


class Transaction:
    def __init__(self, inputs=(), run=None, delegated=None):
        self.run = run or protocol.run_token()
        self.outputs = []
        self.created = []  # folders this run created, outermost first
        self.inputs = {os.path.abspath(p) for p in inputs if p}
        self._delegated = delegated  # dest -> partial given by the owner (from_manifest)

    # -- across the wall ---------------------------------------------------------------------------
    def manifest(self):
        """What the worker needs to write this transaction's partials: JSON-able."""
        return {"run": self.run, "partials": {o.dest: o.partial for o in self.outputs}}

    @classmethod
    def from_manifest(cls, manifest, inputs=()):
        """The worker's side: partial names come from the owner, commit() only verifies."""
        return cls(inputs, run=manifest["run"], delegated=dict(manifest.get("partials") or {}))

    # -- destinations ------------------------------------------------------------------------------
    def add(self, dest, what, formats=None, nbytes=0, verify=None):
        """Check one destination now and return the partial path to write instead of it."""
        if not dest or not isinstance(dest, str):
            raise OutputError("The %s needs a file name." % what)
        dest = os.path.abspath(os.path.expanduser(dest))
        if dest in self.inputs:
            raise OutputError("The %s %s is also an input; choose another file name." % (what, dest))
        if any(o.dest == dest for o in self.outputs):
            raise OutputError("The file %s is given for two outputs; give the %s its own file." % (dest, what))
        if os.path.isdir(dest):
            raise OutputError(
                "The %s destination %s is a folder; give a file name such as %s."
                % (
                    what,
                    dest,
                    os.path.join(dest, "%s%s" % (what.replace(" ", "_"), next(iter(formats or {".tif": 0})))),
                )
            )
        ext = os.path.splitext(dest)[1].lower()
        if formats is not None and ext not in formats:
            raise OutputError(
                "The %s %s must be one of these formats: %s. Use one of these extensions."
                % (what, dest, ", ".join("%s (%s)" % (e, f) for e, f in formats.items()))
            )
        if self._delegated is not None:
            if dest not in self._delegated:
                raise OutputError(
                    "The %s %s was not announced by the plugin; update the plugin and its runtime "
                    "together." % (what, dest)
                )
            partial = self._delegated[dest]
        else:
            self._prepare_folder(os.path.dirname(dest), what, dest)
            partial = protocol.partial_path(dest, self.run)
        self.outputs.append(_Output(dest, partial, what, int(nbytes or 0), verify))
        if nbytes:
            self.check_space()
        return partial

    def _prepare_folder(self, folder, what, dest):
        missing = []
        probe = folder
        while not os.path.isdir(probe):
            if os.path.lexists(probe):
                raise OutputError(
                    "Cannot save the %s as %s: %s is a file, not a folder. Choose another "
                    "destination." % (what, dest, probe)
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
                    "Cannot create the folder %s for the %s (%s). Choose another destination."
                    % (path, what, exc.strerror or exc)
                ) from exc
            self.created.append(path)
        clean_stale(folder)
        test = protocol.partial_path(dest, self.run, suffix=".probe")
        try:
            with open(test, "wb"):
                pass
            os.remove(test)
        except OSError as exc:
            raise OutputError(
                "Cannot save the %s in %s: the folder is not writable (%s). Choose another "
                "destination." % (what, folder, exc.strerror or exc)
            ) from exc

    def reserve(self, dest, nbytes):
        """Set the estimated size of one output (bytes) and check the free space again."""
        dest = os.path.abspath(os.path.expanduser(dest))
        for o in self.outputs:
            if o.dest == dest:
                o.nbytes = int(nbytes)
        self.check_space()

    def check_space(self):
        """OutputError when a file system has less free space than the outputs on it need."""
        need, folders = {}, {}
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
    def verify(self):
        for o in self.outputs:
            if not os.path.isfile(o.partial):
                raise OutputError("The %s was not written (%s is missing); nothing was saved." % (o.what, o.partial))
            if o.verify is not None:
                try:
                    o.verify(o.partial)
                except OutputError:
                    raise
                except Exception as exc:
                    raise self.explain(exc, o) from exc

    def commit(self):
        """Verify every output, then rename them all into place (all or nothing)."""
        self.verify()
        if self._delegated is not None:
            return
        moves = [pair for o in self.outputs for pair in o.files()]
        targets = {t for _, t in moves}
        stale = [s for o in self.outputs for s in o.old_sidecars() if s not in targets]
        kept, done = [], []  # (path, its .keep copy), destinations already replaced
        try:
            for path in sorted(t for t in targets if os.path.lexists(t)) + stale:
                keep = protocol.partial_path(path, self.run, kind="keep")
                if path in stale:
                    os.replace(path, keep)
                else:
                    _link_or_rename(path, keep)
                kept.append((path, keep))
            for src, target in moves:
                os.replace(src, target)
                done.append(target)
        except BaseException as exc:
            keeps = dict(kept)
            for target in done:
                if target not in keeps:
                    _remove(target)
            for path, keep in kept:
                os.replace(keep, path)
            translated = self.explain(exc) if isinstance(exc, OSError) else exc
            self.abort()
            if translated is not exc:
                raise translated from exc
            raise
        for _, keep in kept:
            _remove(keep)
        self.outputs = []
        self.created = []

    def abort(self):
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

    def explain(self, exc, output=None):
        """The OutputError for an OS error met while writing (disk full, read-only, denied)."""
        if isinstance(exc, OutputError):
            return exc
        candidates = [output] if output else self.outputs
        code = getattr(exc, "errno", None)
        text = str(exc)
        for o in candidates:
            free = _free(o.folder)
            full = (
                code in _FULL
                or "No space left" in text
                or "disk is full" in text
                or (free is not None and free < MARGIN_BYTES)
            )
            if full:
                need = sum(x.nbytes for x in self.outputs) or o.nbytes
                return OutputError(
                    "No space left on the device of %s while writing the %s (%s): %s free%s. Free some "
                    "space or choose another folder; nothing was written."
                    % (
                        o.folder,
                        o.what,
                        o.dest,
                        _mb(free or 0),
                        ", the outputs need about %s" % _mb(need) if need else "",
                    )
                )
            filename = str(getattr(exc, "filename", None) or "")
            ours = o.folder in text or (filename and os.path.dirname(os.path.abspath(filename)) == o.folder)
            if ours and (code in _DENIED or "Read-only file system" in text or "Permission denied" in text):
                return OutputError(
                    "Cannot write the %s in %s (%s). Choose a writable folder; nothing was written."
                    % (o.what, o.folder, exc.strerror if isinstance(exc, OSError) and exc.strerror else text)
                )
        return exc

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        translated = self.explain(exc) if isinstance(exc, OSError) else exc
        self.abort()
        if translated is not exc:
            raise translated from exc
        return False


def require_space(folder, nbytes, what, fix="Free some space or choose another folder"):
    """OutputError (the folder, the sizes, what to do) when the file system of folder, or of its
    nearest existing parent, has less than nbytes (plus a margin) free for `what`."""
    probe = os.path.abspath(folder)
    while not os.path.isdir(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)
    free = _free(probe)
    if nbytes and free is not None and nbytes + MARGIN_BYTES > free:
        raise OutputError(
            "Not enough free space in %s: the %s %s about %s (and %s to spare), only %s are free. "
            "%s; nothing was written."
            % (folder, what, "need" if " and " in what else "needs", _mb(nbytes), _mb(MARGIN_BYTES), _mb(free), fix)
        )


def _free(folder):
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _remove(path):
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass


def _link_or_rename(path, keep):
    """Keep a copy of path under keep: a hard link (path stays in place) or, where links are not
    supported, a rename."""
    try:
        os.link(path, keep)
    except OSError:
        os.replace(path, keep)


# -- leftovers of runs that were killed outright ----------------------------------------------------
def clean_stale(folder):
    """Remove the partial outputs of runs that are over from folder, and restore a destination a
    killed commit had kept aside. Never touches a live run's files. Returns the paths removed."""
    removed = []
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = protocol.parse_entry(entry)
        if not m or protocol.run_alive(m):
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


def clean_stale_temp(tempdir=None):
    """Remove the job temp folders (terraembed-<run>-...) of runs that are over. Returns their paths."""
    tempdir = tempdir or tempfile.gettempdir()
    removed = []
    try:
        entries = os.listdir(tempdir)
    except OSError:
        return removed
    for entry in entries:
        m = protocol.parse_temp_dir(entry)
        path = os.path.join(tempdir, entry)
        if m and not protocol.run_alive(m) and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def job_temp_dir(run, tempdir=None):
    """A new job temp folder owned by `run` (its name lets clean_stale_temp recognise it)."""
    clean_stale_temp(tempdir)
    return tempfile.mkdtemp(prefix="terraembed-%s-" % run, dir=tempdir)
