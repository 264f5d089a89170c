"""The output transaction (transaction.py): all outputs appear together or none does, and every
file that was there before a failed run is left byte-identical."""

import os

import pytest

from terraembed.transaction import CSV, GEOTIFF, OutputError, Transaction


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
