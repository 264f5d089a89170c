"""Faults for real: a full disk (a 1 MB tmpfs) and a read-only folder (a read-only bind mount) leave
every pre-existing output byte-identical, nothing new behind, and a message instead of a traceback;
an Earth Engine fetch without room for its composite (output, temp folder or cache) is refused first
(root only: mounts; elsewhere these cases are skipped with the reason). A Dask scheduler address where
something else listens (an HTTP server, a listener that never answers), a Dask worker's address and a
scheduler file that is not one are told as such within the connect timeout (real sockets on loopback,
real dask.distributed)."""

import hashlib
import os
import socket
import socketserver
import subprocess
import threading
import time

import distributed  # imported before the clock starts: the tests time the job, not the import
import numpy as np
import pytest
from pipeline_fakes import embed_job, random_s2, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="mounting a tmpfs or a read-only bind mount needs root")


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def mounted(tmp_path, *args):
    target = tmp_path / "mnt"
    target.mkdir()
    subprocess.run(["mount", *args, str(target)], check=True)
    return target


@pytest.fixture
def raster(tmp_path):
    rng = np.random.default_rng(0)
    return write_raster(tmp_path / "emb.tif", rng.random((16, 300, 300)).astype(np.float32))


@needs_root
def test_disk_full_keeps_existing_output_and_says_so(tmp_path, raster):
    out = mounted(tmp_path, "-t", "tmpfs", "-o", "size=1m", "tmpfs")
    try:
        dest = out / "pca.tif"
        dest.write_bytes(b"previous result")
        before = sha(dest)
        with pytest.raises(UserError, match="free space|No space left") as info:
            run_job({"type": "pca", "input": raster, "output": str(dest), "components": 8}, JobContext())
        assert str(out) in str(info.value)
        assert sha(dest) == before
        assert sorted(os.listdir(out)) == ["pca.tif"]
    finally:
        subprocess.run(["umount", str(out)], check=True)


@needs_root
def test_read_only_folder_refused_before_work(tmp_path, raster):
    real = tmp_path / "real"
    real.mkdir()
    (real / "pca.tif").write_bytes(b"previous result")
    before = sha(real / "pca.tif")
    ro = mounted(tmp_path, "--bind", str(real))
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        with pytest.raises(UserError, match="not writable"):
            run_job({"type": "pca", "input": raster, "output": str(ro / "pca.tif")}, JobContext())
        assert sha(real / "pca.tif") == before and os.listdir(real) == ["pca.tif"]
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def _ee_fetch(output, work_dir, cache_dir):
    """An ee_fetch job of a 200 x 200 px Sentinel-2 composite (about 1.9 MB): refused before any
    request, so no Earth Engine (not even the fake one) is needed."""
    source = {
        "kind": "earthengine",
        "collection": "S2",
        "aoi": {"bounds": [400000, 5300000, 402000, 5302000], "crs": "EPSG:32633"},
        "scale": 10,
        "cache_dir": str(cache_dir),
    }
    return run_job({"type": "ee_fetch", "source": source, "output": str(output)}, JobContext(work_dir=str(work_dir)))


@needs_root
@pytest.mark.parametrize("where", ["output", "temporary folder", "cache"])
def test_earth_engine_fetch_refused_without_room_for_the_composite(tmp_path, where):
    small = mounted(tmp_path, "-t", "tmpfs", "-o", "size=1m", "tmpfs")
    try:
        folders = {
            name: (small if name == where else tmp_path / name.replace(" ", "_"))
            for name in ("output", "temporary folder", "cache")
        }
        for folder in folders.values():
            folder.mkdir(exist_ok=True)
        dest = folders["output"] / "composite.tif"
        dest.write_bytes(b"previous composite")
        before = sorted(os.listdir(small))
        with pytest.raises(UserError, match="Not enough free space in %s" % small) as info:
            _ee_fetch(dest, folders["temporary folder"], folders["cache"])
        assert "1.9 MB" in str(info.value) and "free" in str(info.value)  # the sizes, in the message
        assert dest.read_bytes() == b"previous composite"
        assert sorted(os.listdir(small)) == before
        assert sorted(os.listdir(folders["output"])) == ["composite.tif"]
    finally:
        subprocess.run(["umount", str(small)], check=True)


@pytest.mark.parametrize("owner", ["job alone", "shell's manifest"])
@pytest.mark.parametrize("job, key", [("pca", "output"), ("cluster", "output"), ("pca", "html_report")])
def test_an_output_that_is_the_input_under_another_name_is_refused(tmp_path, raster, job, key, owner):
    """The engine's side of the same-file check (a job run alone, or a worker given the shell's
    manifest): an output reaching the input through a symlinked folder is refused before any work,
    naming both paths, and the input stays byte-identical."""
    from terraembed.shared.transaction import Transaction

    os.symlink(str(tmp_path), str(tmp_path / "linked"))
    spec = {"type": job, "input": raster, "output": str(tmp_path / "out.tif"), "k": 2, "components": 3}
    spec[key] = str(tmp_path / "linked" / "emb.tif")
    if owner == "shell's manifest":  # a shell that did not check (an older one): the worker still does
        shell = Transaction()
        for name in ("output", "html_report"):
            if name in spec:
                shell.add(spec[name], name, None)
        spec["transaction"] = shell.manifest()
    before = sha(raster)
    with pytest.raises(UserError, match="also an input") as refused:
        run_job(spec, JobContext())
    assert spec[key] in str(refused.value) and raster in str(refused.value)
    assert sha(raster) == before and sorted(os.listdir(tmp_path)) == ["emb.tif", "linked"]


# -- every remote wait has a deadline -----------------------------------------------------------------
TIMEOUT = 3.0  # the job's scheduler_timeout in these tests
MARGIN = 3.0  # for the job's own work on a busy 2-core machine


class BadRequest(socketserver.BaseRequestHandler):
    """What an HTTP server answers a request it cannot parse (Dask's binary handshake)."""

    def handle(self):
        self.request.recv(65536)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@pytest.fixture
def http_server():
    """An HTTP server on loopback: it answers Dask's handshake with an HTTP error."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), BadRequest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "tcp://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_listener():
    """A listener on loopback that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.1)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:  # the accept timeout
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield "tcp://127.0.0.1:%d" % sock.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted + [sock]:
        conn.close()


@pytest.fixture
def s2_raster(tmp_path):
    return write_raster(tmp_path / "in.tif", random_s2(64, 64))


def run_with_scheduler(scheduler, tmp_path, raster):
    """(the UserError's message, seconds taken) of an embed job on `scheduler`; nothing may be written."""
    started = time.monotonic()
    with pytest.raises(UserError) as err:
        run_job(embed_job(raster, tmp_path, scheduler=scheduler, scheduler_timeout=TIMEOUT), JobContext())
    seconds = time.monotonic() - started
    assert sorted(os.listdir(tmp_path)) == [os.path.basename(raster)] or sorted(os.listdir(tmp_path)) == sorted(
        [os.path.basename(raster), "scheduler.json"]
    )
    for raw in ("Error", "Traceback"):  # no MemoryError, AssertionError, ...: words, not exception names
        assert raw not in str(err.value), str(err.value)
    return str(err.value), seconds


@pytest.mark.parametrize(
    "listener, says",
    [
        ("http_server", "is not a Dask scheduler: it answered something else (an HTTP server"),
        ("silent_listener", "answered nothing within 3 s: it is not a Dask scheduler"),
    ],
)
def test_port_where_something_else_listens_is_not_a_dask_scheduler(
    tmp_path, s2_raster, fake_model, request, listener, says
):
    address = request.getfixturevalue(listener)
    message, seconds = run_with_scheduler(address, tmp_path, s2_raster)
    assert "The program listening at %s %s" % (address, says) in message
    assert seconds < TIMEOUT + MARGIN, seconds


def test_scheduler_file_that_is_not_one_is_named(tmp_path, s2_raster, fake_model, http_server):
    file = tmp_path / "scheduler.json"
    file.write_text("<html>not a scheduler file</html>")
    message, _ = run_with_scheduler(str(file), tmp_path, s2_raster)
    assert "The file %r is not a Dask scheduler file: it is not JSON" % str(file) in message
    file.write_text('{"address": "%s"}' % http_server)  # a scheduler file whose address is something else
    message, seconds = run_with_scheduler(str(file), tmp_path, s2_raster)
    assert "%s is not a Dask scheduler" % http_server in message and seconds < TIMEOUT + MARGIN


def test_a_dask_workers_address_is_not_the_schedulers(tmp_path, s2_raster, fake_model):
    with distributed.LocalCluster(n_workers=1, processes=False, protocol="tcp", dashboard_address=":0") as cluster:
        worker = next(iter(cluster.workers.values())).address
        message, seconds = run_with_scheduler(worker, tmp_path, s2_raster)
    assert "%s is a Dask worker, not the scheduler" % worker in message and seconds < TIMEOUT + MARGIN


def test_a_host_name_whose_lookup_hangs_is_refused_within_the_deadline(tmp_path, s2_raster, fake_model, monkeypatch):
    """A name server that does not answer: the system's resolver would wait for minutes; the job says the
    scheduler cannot be reached within its deadline, names the host, and writes nothing."""
    import socket
    import threading

    answered_never = threading.Event()
    real = socket.getaddrinfo

    def hangs(host, *args, **kwargs):
        if host == "scheduler.hangs.example":
            answered_never.wait(60)  # the resolver thread is a daemon: the test does not wait for it
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hangs)
    message, seconds = run_with_scheduler("tcp://scheduler.hangs.example:8786", tmp_path, s2_raster)
    answered_never.set()
    assert "scheduler.hangs.example" in message and "took more than 3 s" in message, message
    assert seconds < TIMEOUT + MARGIN, seconds
