"""The output transaction (shared/transaction.py): all outputs appear together or none does, and every
file that was there before a failed run is left byte-identical."""

import errno
import os
import re

import pytest

from terraembed.shared.errors import OutputError
from terraembed.shared.transaction import CSV, GEOTIFF, Transaction, clean_stale, file_identity


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def test_commit_puts_every_output_in_place_and_replaces_the_old_file(tmp_path):
    grid, table = str(tmp_path / "grid.tif"), str(tmp_path / "out" / "table.csv")
    write(grid, "old grid")
    write(str(tmp_path / "grid.tif.aux.xml"), "stale statistics of the old grid")
    tx = Transaction()
    partials = [tx.add(grid, "grid", GEOTIFF), tx.add(table, "table", CSV)]  # out/ is created
    assert read(grid) == "old grid" and not os.path.exists(table)  # nothing in place yet
    write(partials[0], "new grid")
    write(partials[1], "new table")
    tx.commit()
    assert read(grid) == "new grid" and read(table) == "new table"
    assert sorted(os.listdir(tmp_path)) == ["grid.tif", "out"]  # no partial, no stale sidecar
    assert os.listdir(tmp_path / "out") == ["table.csv"]


def test_a_failed_verification_leaves_the_old_files_and_nothing_new(tmp_path):
    grid, table = str(tmp_path / "grid.tif"), str(tmp_path / "new" / "table.csv")
    write(grid, "old grid")

    def broken(path):
        raise OutputError("the table cannot be read back")

    tx = Transaction()
    partials = [tx.add(grid, "grid", GEOTIFF), tx.add(table, "table", CSV, verify=broken)]
    write(partials[0], "new grid")
    write(partials[1], "new table")
    with pytest.raises(OutputError, match="cannot be read back"), tx:
        tx.commit()
    assert read(grid) == "old grid"
    assert os.listdir(tmp_path) == ["grid.tif"]  # the folder add() made is gone


def test_an_output_never_written_fails_the_commit_by_name(tmp_path):
    tx = Transaction()
    tx.add(str(tmp_path / "grid.tif"), "embedding grid", GEOTIFF)
    with pytest.raises(OutputError, match="The embedding grid was not written"):
        tx.commit()


@pytest.mark.parametrize(
    "name, formats, message",
    [
        ("in.tif", GEOTIFF, "is also an input"),
        ("grid.png", GEOTIFF, r"must be one of these formats: \.tif \(GeoTIFF\)"),
        ("", GEOTIFF, "needs a file name"),
        ("folder", GEOTIFF, "is a folder; give a file name such as"),
    ],
)
def test_bad_destinations_are_refused_before_any_work(tmp_path, name, formats, message):
    write(str(tmp_path / "in.tif"), "input")
    os.mkdir(tmp_path / "folder")
    tx = Transaction(inputs=[str(tmp_path / "in.tif")])
    with pytest.raises(OutputError, match=message):
        tx.add(str(tmp_path / name) if name else "", "grid", formats)
    assert sorted(os.listdir(tmp_path)) == ["folder", "in.tif"] and read(str(tmp_path / "in.tif")) == "input"


def test_the_same_file_for_two_outputs_is_refused(tmp_path):
    tx = Transaction()
    tx.add(str(tmp_path / "a.tif"), "grid", GEOTIFF)
    with pytest.raises(OutputError, match="given for two outputs"):
        tx.add(str(tmp_path / "a.tif"), "PCA raster", GEOTIFF)


def test_the_worker_side_writes_the_partials_the_owner_announced(tmp_path):
    """Across the wall: the shell adds the destinations and sends its manifest; the worker's
    transaction writes exactly those partials, and only the shell's commit puts them in place."""
    dest = str(tmp_path / "grid.tif")
    owner = Transaction()
    partial = owner.add(dest, "grid", GEOTIFF)
    worker = Transaction.from_manifest(owner.manifest())
    assert worker.add(dest, "grid", GEOTIFF) == partial
    with pytest.raises(OutputError, match="was not announced by the plugin"):
        worker.add(str(tmp_path / "other.tif"), "PCA raster", GEOTIFF)
    write(partial, "grid")
    worker.commit()  # verifies only
    assert not os.path.exists(dest)
    owner.commit()
    assert read(dest) == "grid"


# -- one file, any name ------------------------------------------------------------------------------
def other_routes(tmp_path):
    """{route: a second name of tmp_path/data/in.tif} (the file holds "input")."""
    data = tmp_path / "data"
    data.mkdir()
    write(str(data / "in.tif"), "input")
    os.symlink(str(data), str(tmp_path / "linked"))
    os.link(str(data / "in.tif"), str(tmp_path / "hardlink.tif"))
    (tmp_path / "other").mkdir()
    return {
        "symlinked folder": str(tmp_path / "linked" / "in.tif"),
        "hard link": str(tmp_path / "hardlink.tif"),
        "dot-dot": str(tmp_path / "other" / ".." / "data" / "in.tif"),
        "dot-dot after a symlink": str(tmp_path / "linked" / ".." / "data" / "in.tif"),
    }


@pytest.mark.skipif(not hasattr(os, "link") or os.name == "nt", reason="symlinks and hard links: POSIX test")
@pytest.mark.parametrize("route", ["symlinked folder", "hard link", "dot-dot", "dot-dot after a symlink"])
def test_an_output_that_is_an_input_under_another_name_is_refused(tmp_path, route):
    dest = other_routes(tmp_path)[route]
    source = str(tmp_path / "data" / "in.tif")
    before = sorted(os.listdir(tmp_path / "data"))
    tx = Transaction(inputs=[source])
    with pytest.raises(OutputError, match="is also an input") as refused:
        tx.add(dest, "embedding grid", GEOTIFF)
    assert os.path.abspath(dest) in str(refused.value) and source in str(refused.value)  # both names
    assert read(source) == "input" and sorted(os.listdir(tmp_path / "data")) == before


@pytest.mark.skipif(os.name == "nt", reason="symlinks: POSIX test")
def test_two_outputs_that_are_one_file_under_two_names_are_refused(tmp_path):
    (tmp_path / "out").mkdir()
    os.symlink(str(tmp_path / "out"), str(tmp_path / "linked"))
    tx = Transaction()
    tx.add(str(tmp_path / "out" / "grid.tif"), "embedding grid", GEOTIFF)
    with pytest.raises(OutputError, match="given for two outputs") as refused:
        tx.add(str(tmp_path / "linked" / "grid.tif"), "PCA raster", GEOTIFF)
    assert str(tmp_path / "out" / "grid.tif") in str(refused.value)


def test_an_input_declared_after_an_output_is_checked_against_it(tmp_path):
    """The HTML report is added before the job names its inputs: the inputs are checked against it."""
    write(str(tmp_path / "in.tif"), "input")
    tx = Transaction()
    tx.add(str(tmp_path / "in.tif"), "HTML report", None)
    with pytest.raises(OutputError, match="is also an input"):
        tx.protect([str(tmp_path / "in.tif")])


@pytest.mark.parametrize("platform, same", [("linux", False), ("darwin", True), ("win32", True)])
def test_names_differing_in_case_are_one_file_where_names_ignore_case(tmp_path, platform, same):
    a, b = str(tmp_path / "new" / "Grid.TIF"), str(tmp_path / "new" / "grid.tif")  # neither exists
    assert (file_identity(a, platform) == file_identity(b, platform)) is same


# -- a commit cut short ------------------------------------------------------------------------------
OLD = {"grid.tif": "old grid", "grid.tif.aux.xml": "old grid statistics", "pca.tif": "old pca"}


def commit_in(tmp_path, on_step):
    """Commit new versions of out/grid.tif, out/pca.tif (both there before) and more/pooled.csv (new),
    calling on_step(action, path) before every step of the commit. Returns the transaction."""
    out, more = tmp_path / "out", tmp_path / "more"
    out.mkdir(exist_ok=True)
    for name, text in OLD.items():
        write(str(out / name), text)
    tx = Transaction()
    tx.on_step = on_step
    for dest, what in ((out / "grid.tif", "embedding grid"), (out / "pca.tif", "PCA raster")):
        write(tx.add(str(dest), what, GEOTIFF), "new " + what)
    write(tx.add(str(more / "pooled.csv"), "pooled table", CSV), "new pooled")
    tx.commit()
    return tx


def state(tmp_path):
    """'old' or 'new' when every destination is all old or all new, else what each one holds; also
    the names of any other file (left over)."""
    out, more = tmp_path / "out", tmp_path / "more"
    files = {n: read(str(out / n)) for n in sorted(os.listdir(out))}
    files.update({"more/" + n: read(str(more / n)) for n in sorted(os.listdir(more))} if more.exists() else {})
    if files == OLD or files == dict(OLD, **{"grid.tif.aux.xml": OLD["grid.tif.aux.xml"]}):
        return "old"
    new = {"grid.tif": "new embedding grid", "pca.tif": "new PCA raster", "more/pooled.csv": "new pooled"}
    return "new" if files == new else files


def steps_of_a_commit(tmp_path):
    """The actions of a whole commit_in, in order (run in tmp_path/count)."""
    (tmp_path / "count").mkdir()
    steps = []
    commit_in(tmp_path / "count", lambda action, path: steps.append(action))
    return steps


def commit_dying_before(case, k):
    """commit_in(case) in a child process that dies (os._exit: nothing runs after it, like SIGKILL)
    just before step k of the commit."""
    pid = os.fork()
    if pid == 0:
        steps = []

        def die_at_k(action, path):
            if len(steps) == k:
                os._exit(9)
            steps.append(action)

        try:
            commit_in(case, die_at_k)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the commit is killed in a forked child (POSIX)")
@pytest.mark.parametrize("recovery", ["next run", "clean up"])
def test_a_commit_killed_at_any_step_is_undone_or_finished_by_the_next_run(tmp_path, recovery):
    """The commit runs in a child process that dies (os._exit, like SIGKILL: nothing runs after it)
    just before step k, for every k; then the next run writing in the folder, or the panel's Clean
    up, finds its journal: every destination all old or all new, never a mix, nothing left over."""
    steps = steps_of_a_commit(tmp_path)
    assert steps[:5] == ["sync"] * 3 + ["journal"] * 2 and "move" in steps and steps[-1] == "drop journal"
    outcomes = []
    for k in range(len(steps) + 1):
        case = tmp_path / ("kill%d" % k)
        case.mkdir()
        commit_dying_before(case, k)
        if state(case) in ("old", "new") and recovery == "next run":
            outcomes.append(state(case))  # cut before the first or after the last file was touched
        if recovery == "next run":
            Transaction().add(str(case / "out" / "grid.tif"), "embedding grid", GEOTIFF)
        else:
            clean_stale(str(case / "out"))
        for folder in ("out", "more"):
            if (case / folder).exists():
                clean_stale(str(case / folder))  # the other folder's partials are over too
        assert state(case) in ("old", "new"), (k, steps[k : k + 1], state(case))
        outcomes.append(state(case))
    assert outcomes[0] == "old" and outcomes[-1] == "new"


# 3 syncs of the new files, 2 journals, 2 syncs of the folders, 3 keeps (grid, pca, grid's stale .aux.xml), 3 moves,
# 2 syncs of the folders
STEPS = ["sync"] * 3 + ["journal"] * 2 + ["sync folder"] * 2 + ["keep"] * 3 + ["move"] * 3 + ["sync folder"] * 2


@pytest.mark.parametrize("step", range(len(STEPS)))
def test_a_commit_that_fails_at_any_step_changes_nothing_and_names_the_file(tmp_path, step):
    """An OS error at step k of the commit (the file system refuses a link, a rename, a write; the disk
    fails or fills when the new data is flushed): every pre-existing file byte-identical, nothing new
    (no partial, kept or journal file), and the message names the output whose file could not be
    replaced or saved."""
    (tmp_path / "count").mkdir()
    steps = []
    commit_in(tmp_path / "count", lambda action, path: steps.append((action, os.path.basename(path))))
    assert [a for a, _ in steps[: len(STEPS) + 1]] == STEPS + ["drop keep"]
    action, name = steps[step]
    count = []

    def refuse(action, at):
        count.append(action)
        if len(count) == step + 1:
            raise PermissionError(errno.EPERM, "Operation not permitted", at)

    with pytest.raises(OutputError) as failed:
        commit_in(tmp_path, refuse)
    assert state(tmp_path) == "old"
    message = str(failed.value)
    if action not in ("journal", "sync folder"):
        name = re.match(r"\.?(?:terraembed-)?(.+?\.(?:tif|csv))", name).group(1)  # a sync names the partial
        what = {"grid": "embedding grid", "pca.": "PCA raster", "pool": "pooled table"}[name[:4]]
        assert "the existing %s" % what in message or "the %s as" % what in message, message
        assert "/%s " % name in message, message


def test_a_long_legal_name_is_written_and_a_too_long_one_is_refused_as_such(tmp_path):
    """240 bytes: legal, so the run writes it (its partial names are cut to fit); 256 bytes: the
    message says the name is too long (not that the folder is not writable)."""
    legal = str(tmp_path / ("g" * 236 + ".tif"))
    tx = Transaction()
    write(tx.add(legal, "embedding grid", GEOTIFF), "new grid")
    tx.commit()
    assert os.listdir(tmp_path) == [os.path.basename(legal)] and read(legal) == "new grid"
    with pytest.raises(OutputError, match="The file name of the PCA raster is too long: .* has 256 bytes"):
        Transaction().add(str(tmp_path / ("p" * 252 + ".tif")), "PCA raster", GEOTIFF)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the commit is killed in a forked child (POSIX)")
def test_a_recovery_that_cannot_finish_keeps_every_file_of_that_run(tmp_path, monkeypatch):
    """When the old files of a killed commit cannot be put back yet (the folder refuses a rename), the
    journal and the kept old files stay for a later try; the next try restores them."""
    commit_dying_before(tmp_path, steps_of_a_commit(tmp_path).index("move") + 1)  # grid new, pca old
    real_replace = os.replace

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", refused)
    clean_stale(str(tmp_path / "out"))
    monkeypatch.setattr(os, "replace", real_replace)
    assert any(".keep" in n for n in os.listdir(tmp_path / "out"))  # the only copy of the old grid
    clean_stale(str(tmp_path / "out"))
    clean_stale(str(tmp_path / "more"))
    assert state(tmp_path) == "old"


def test_a_journal_cut_short_while_written_is_dropped_with_its_partials(tmp_path):
    """A commit killed while writing its journal had touched no file yet: the clean-up drops the
    journal and the dead run's partial, and the old file stays."""
    from terraembed.shared import partials

    grid = str(tmp_path / "grid.tif")
    write(grid, "old grid")
    dead = partials.run_token(pid=2**22 + 3)  # above Linux's pid_max: never alive
    write(partials.partial_path(grid, dead), "new grid")
    write(partials.partial_path(grid, dead, suffix="", kind="journal"), '{"moves": [["')
    clean_stale(str(tmp_path))
    assert os.listdir(tmp_path) == ["grid.tif"] and read(grid) == "old grid"


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_a_new_file_is_synced_through_a_handle_the_system_can_flush(tmp_path, platform):
    """POSIX syncs a file opened for reading; Windows flushes only a handle open for writing, so there the
    file is opened for update, never for writing anew (which would empty it). Either way its bytes stay as
    written."""
    from terraembed.shared.commit import sync_file

    path = tmp_path / "grid.tif"
    path.write_bytes(b"new grid")
    sync_file(str(path), platform)
    assert path.read_bytes() == b"new grid"
    sync_file(str(tmp_path), platform)  # a folder output: left to the folder's sync


def test_folders_are_synced_where_the_system_can_and_left_to_ntfs_on_windows(tmp_path):
    """The commit syncs each destination folder's entries on POSIX systems (a missing folder is an error
    there); on Windows, which cannot open a folder to sync it, the step does nothing."""
    from terraembed.shared.commit import sync_folder

    sync_folder(str(tmp_path), "linux")
    sync_folder(str(tmp_path / "gone"), "win32")
    with pytest.raises(FileNotFoundError):
        sync_folder(str(tmp_path / "gone"), "linux")
