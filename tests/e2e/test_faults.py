"""Faults through the real qgis_process: a failed or stopped run leaves every pre-existing file
byte-identical and nothing new behind (no partial output, no temporary folder)."""

import os
import shutil
import signal
import socketserver
import subprocess
import sys
import threading
import time

import pytest
from faults import QGIS_PROCESS, make_raster, mount, needs_root, runtime_run, snapshot, umount, workers_of


@pytest.fixture
def existing_outputs(tmp_path):
    """An output folder that already holds a grid, a PCA and a pooled file from an earlier run."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("grid.tif", "pca.tif", "pooled.gpkg"):
        (out / name).write_bytes(os.urandom(4096))
    return out


@pytest.fixture(scope="module")
def busy_raster(tmp_path_factory):
    """About 50 chips at batch 1: a run busy long enough to be signalled while it writes."""
    return make_raster(tmp_path_factory.mktemp("busy") / "in.tif", 1600)


def embed_args(raster, weights, out, **extra):
    params = {
        "INPUT": raster,
        "MODEL": 0,
        "WEIGHTS_FILE": weights,
        "INPUT_PREP": 1,
        "BATCH_SIZE": 1,
        "OUTPUT_GRID": str(out / "grid.tif"),
        "OUTPUT_PCA": str(out / "pca.tif"),
        "OUTPUT_POOLED": str(out / "pooled.gpkg"),
    }
    params.update(extra)
    return ["run", "terraembed:embed", "--"] + ["%s=%s" % kv for kv in params.items()]


def test_pooled_destination_that_cannot_be_written_changes_nothing(
    qgis_process, terrafm_weights, existing_outputs, tmp_path
):
    raster = make_raster(tmp_path / "in.tif", 240)
    os.remove(existing_outputs / "pooled.gpkg")
    (existing_outputs / "pooled.gpkg").mkdir()  # a folder where the file should go
    before = snapshot(existing_outputs)
    proc = qgis_process(*embed_args(raster, terrafm_weights, existing_outputs))
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text and "pooled" in text.lower(), text[-2000:]
    assert snapshot(existing_outputs) == before  # grid.tif and pca.tif untouched
    assert sorted(os.listdir(existing_outputs)) == ["grid.tif", "pca.tif", "pooled.gpkg"]


def nearly_full(folder, keep, free_kb=8):
    """A 1 MB tmpfs at folder holding the file keep (moved there) and a filler that leaves only
    free_kb: a probe file fits, a report or a GeoPackage does not (root only)."""
    mount(folder, "-t", "tmpfs", "-o", "size=1m", "tmpfs")
    shutil.move(str(keep), str(folder))
    used = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
    with open(os.path.join(folder, "filler"), "wb") as f:
        f.write(b"\0" * (1024 * (1024 - free_kb) - used))
    return folder


@needs_root
@pytest.mark.parametrize("late", ["OUTPUT_REPORT", "OUTPUT_POOLED"])
def test_an_output_that_fails_after_the_work_keeps_every_other_output(
    qgis_process, terrafm_weights, existing_outputs, tmp_path, late
):
    """The HTML report (written by the worker) and the pooled vector (written by QGIS) are committed
    with the grid and the PCA: when either fails on a full disk after the work, nothing changes."""
    raster = make_raster(tmp_path / "in.tif", 240)
    (existing_outputs / "report.html").write_bytes(os.urandom(4096))
    name = "report.html" if late == "OUTPUT_REPORT" else "pooled.gpkg"
    full = nearly_full(tmp_path / "full", existing_outputs / name)
    try:
        before, before_full = snapshot(existing_outputs), snapshot(full)
        paths = {"OUTPUT_REPORT": str(existing_outputs / "report.html"), late: str(full / name)}
        proc = qgis_process(*embed_args(raster, terrafm_weights, existing_outputs, **paths))
        text = proc.stdout + proc.stderr
        assert proc.returncode != 0, text[-2000:]
        errors = [line for line in text.splitlines() if line.startswith("ERROR:")]  # QGIS's, not GDAL's
        assert "Traceback" not in text and errors, text[-3000:]
        assert "No space left on the device of %s" % full in errors[-1], errors
        assert snapshot(existing_outputs) == before and snapshot(full) == before_full
    finally:
        umount(full)


@pytest.mark.parametrize("target", ["group", "qgis_process", "worker"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stop_signal_is_a_clean_cancel(
    qgis_process, terrafm_weights, existing_outputs, tmp_path, busy_raster, signum, target
):
    raster = busy_raster
    before = snapshot(existing_outputs)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = dict(qgis_process.env, TMPDIR=str(private_tmp))
    proc = subprocess.Popen(
        [QGIS_PROCESS, *embed_args(raster, terrafm_weights, existing_outputs)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # signal once the worker is writing the grid: it streams to a
        # scratch partial in its temporary folder, copied to the destination's partial at the end
        if any(".part" in name for _, _, names in os.walk(private_tmp) for name in names):
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the run never started writing")
    time.sleep(1.0)
    if target == "group":
        os.killpg(proc.pid, signum)
    elif target == "qgis_process":
        os.kill(proc.pid, signum)
    else:
        workers = workers_of(proc.pid)
        assert workers, "no worker process found"
        for pid in workers:
            os.kill(pid, signum)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0, output[-2000:]
    assert "Cancelled: nothing was written" in output, output[-3000:]
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output[-3000:]
    time.sleep(1.0)  # a worker whose shell died cleans up by itself
    assert snapshot(existing_outputs) == before
    assert sorted(os.listdir(existing_outputs)) == ["grid.tif", "pca.tif", "pooled.gpkg"]
    assert [n for n in os.listdir(private_tmp) if n.startswith("terraembed")] == []


def test_partials_of_a_killed_run_are_removed_by_the_next_run(qgis_process, terrafm_weights, tmp_path):
    raster = make_raster(tmp_path / "in.tif", 240)
    out = tmp_path / "out"
    out.mkdir()
    from terraembed.shared import partials

    grid = str(out / "grid.tif")
    dead = out / os.path.basename(partials.partial_path(grid, run=partials.run_token(pid=999999)))  # no such process
    dead.write_bytes(b"left by a killed run")
    live = out / os.path.basename(partials.partial_path(grid, run=partials.run_token()))  # this test: alive
    live.write_bytes(b"another run is writing this")
    proc = qgis_process(*embed_args(raster, terrafm_weights, out, OUTPUT_PCA="", OUTPUT_POOLED=""))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not dead.exists() and live.exists()
    assert sorted(os.listdir(out)) == sorted(["grid.tif", "grid.stac.json", live.name])


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL of a worker by pid: Linux test")
def test_killed_worker_is_described(qgis_process, terrafm_weights, existing_outputs, tmp_path, busy_raster):
    raster = busy_raster
    before = snapshot(existing_outputs)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    proc = subprocess.Popen(
        [QGIS_PROCESS, *embed_args(raster, terrafm_weights, existing_outputs)],
        env=dict(qgis_process.env, TMPDIR=str(private_tmp)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240  # until the worker streams the grid to its scratch partial
    while time.monotonic() < deadline and not any(".part" in n for _, _, names in os.walk(private_tmp) for n in names):
        time.sleep(0.2)
    for pid in workers_of(proc.pid):
        os.kill(pid, signal.SIGKILL)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "SIGKILL" in output, output[-2000:]
    assert snapshot(existing_outputs) == before
    assert sorted(os.listdir(existing_outputs)) == ["grid.tif", "pca.tif", "pooled.gpkg"]


def same_file_routes(real, tmp_path):
    """{route: (a second name of the file real, cleanup)}: a symlinked folder, a hard link, `..`
    after a symlink, and a bind mount of its folder (root only)."""
    folder, name = os.path.split(str(real))
    os.symlink(folder, tmp_path / "linked")
    os.link(str(real), tmp_path / ("hardlink" + os.path.splitext(name)[1]))
    (tmp_path / "sub").mkdir()
    os.symlink(folder, tmp_path / "sub" / "link")
    return {
        "symlinked folder": str(tmp_path / "linked" / name),
        "hard link": str(tmp_path / ("hardlink" + os.path.splitext(name)[1])),
        "dot-dot": str(tmp_path / "sub" / "link" / ".." / "link" / name),
        "bind mount": str(tmp_path / "bound" / name),
    }


@pytest.mark.parametrize("route", ["symlinked folder", "hard link", "dot-dot", "bind mount"])
@pytest.mark.parametrize("alg", ["embed", "cluster"])
def test_an_output_that_is_an_input_under_another_name_is_refused(qgis_process, terrafm_weights, tmp_path, alg, route):
    """The data-loss case of issue 31: an output that reaches the input by another route (the
    source image for embed, a 768-band embedding grid for cluster) is refused before any work,
    naming both paths; the input stays byte-identical, nothing new is written."""
    from faults import ROOT, make_embeddings

    if route == "bind mount" and not ROOT:
        pytest.skip("bind mounts need root (as in CI)")
    data = tmp_path / "data"
    data.mkdir()
    if alg == "embed":
        source = make_raster(data / "in.tif", 240)
        params = ["INPUT=%s" % source, "MODEL=0", "WEIGHTS_FILE=%s" % terrafm_weights, "OUTPUT_PCA=", "OUTPUT_POOLED="]
        output = "OUTPUT_GRID"
    else:
        source = make_embeddings(data / "grid.tif", 20, 25, bands=768)
        params, output = ["INPUT=%s" % source, "K=3"], "OUTPUT"
    dest = same_file_routes(source, tmp_path)[route]
    if route == "bind mount":
        mount(tmp_path / "bound", "--bind", str(data))
    try:
        before = snapshot(data)
        proc = qgis_process("run", "terraembed:" + alg, "--", *params, "%s=%s" % (output, dest))
        text = proc.stdout + proc.stderr
        assert proc.returncode != 0, text[-2000:]
        assert "Traceback" not in text and "is also an input" in text, text[-3000:]
        assert os.path.abspath(dest) in text and source in text, text[-3000:]  # both names
        assert "Loading model weights" not in text and "Computing" not in text  # before any work
        after = snapshot(data)
        after.pop(os.path.basename(source) + ".aux.xml", None)  # QGIS's statistics, written on opening any raster
        assert after == before
    finally:
        if route == "bind mount":
            umount(tmp_path / "bound")


@needs_root
def test_a_commit_that_cannot_replace_one_file_changes_nothing_and_names_it(
    qgis_process, terrafm_weights, existing_outputs, tmp_path
):
    """An immutable pca.tif (chattr +i) cannot be replaced when the outputs are committed: the run
    fails naming pca.tif (not the grid), every earlier file is byte-identical and no hidden kept or
    partial file is left."""
    raster = make_raster(tmp_path / "in.tif", 240)
    pca = existing_outputs / "pca.tif"
    before = snapshot(existing_outputs)
    subprocess.run(["chattr", "+i", str(pca)], check=True)
    try:
        proc = qgis_process(*embed_args(raster, terrafm_weights, existing_outputs))
    finally:
        subprocess.run(["chattr", "-i", str(pca)], check=True)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-2000:]
    errors = [line for line in text.splitlines() if line.startswith("ERROR:")]
    assert "Traceback" not in text and errors, text[-3000:]
    assert "Could not replace the existing PCA raster %s" % pca in errors[-1], errors
    assert snapshot(existing_outputs) == before
    assert sorted(os.listdir(existing_outputs)) == ["grid.tif", "pca.tif", "pooled.gpkg"]


def test_band_of_nan_is_named_and_changes_nothing(qgis_process, terrafm_weights, existing_outputs, tmp_path):
    """A raster whose band 4 is NaN everywhere is refused naming the band (not zero-filled into valid
    cells): non-zero exit, no traceback, the earlier outputs untouched."""
    raster = tmp_path / "nan.tif"
    runtime_run(
        "import sys, numpy as np, rasterio; from rasterio.transform import from_origin\n"
        "data = np.random.default_rng(0).integers(200, 4000, (12, 240, 240)).astype('float32')\n"
        "data[3] = np.nan\n"
        "with rasterio.open(sys.argv[1], 'w', driver='GTiff', width=240, height=240, count=12, dtype='float32',"
        " crs='EPSG:32633', transform=from_origin(400000, 5300000, 10, 10)) as dst: dst.write(data)\n",
        raster,
    )
    before = snapshot(existing_outputs)
    proc = qgis_process(*embed_args(str(raster), terrafm_weights, existing_outputs))
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-2000:]
    assert "holds no data in band 4 (B4)" in text and "Traceback" not in text, text[-2000:]
    assert snapshot(existing_outputs) == before


class BadRequest(socketserver.BaseRequestHandler):
    """What an HTTP server answers a request it cannot parse (Dask's binary handshake)."""

    def handle(self):
        self.request.recv(65536)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def test_scheduler_address_of_an_http_server_is_not_a_dask_scheduler(
    qgis_process, terrafm_weights, existing_outputs, tmp_path
):
    """SCHEDULER where an HTTP server listens: 'not a Dask scheduler' (no MemoryError), at once."""
    raster = make_raster(tmp_path / "in.tif", 240)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), BadRequest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = "tcp://127.0.0.1:%d" % server.server_address[1]
    before = snapshot(existing_outputs)
    try:
        proc = qgis_process(*embed_args(raster, terrafm_weights, existing_outputs, SCHEDULER=address))
    finally:
        server.shutdown()
        server.server_close()
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-2000:]
    assert "The program listening at %s is not a Dask scheduler" % address in text, text[-2000:]
    assert "MemoryError" not in text and "Traceback" not in text
    assert snapshot(existing_outputs) == before
