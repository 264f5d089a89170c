"""The worker protocol from the runtime's side: message encoding, one job per worker, errors and
cancel over the pipe, and the job-file mode that runs without QGIS."""
import json
import os
import subprocess
import sys

import pytest

from terraembed import protocol

PKG_PARENT = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]


def test_encode_decode_round_trip():
    line = protocol.encode(protocol.progress(0.5, "infer"))
    assert line.endswith("\n") and "\n" not in line[:-1]
    assert protocol.decode(line) == {"type": "progress", "fraction": 0.5, "stage": "infer"}
    assert protocol.progress(7)["fraction"] == 1.0


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", '{"no": "type"}'])
def test_decode_rejects_non_messages(bad):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(bad)


def test_decode_rejects_unexpected_types():
    with pytest.raises(protocol.ProtocolError):
        protocol.decode('{"type": "job"}', allowed=protocol.WORKER_TYPES)


def test_encode_refuses_nan():
    with pytest.raises(ValueError):
        protocol.encode({"type": "result", "result": {"x": float("nan")}})


def start_worker():
    return subprocess.Popen([sys.executable, "-m", "terraembed.engine"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_messages(proc):
    return [protocol.decode(line) for line in proc.stdout if line.strip()]


def test_worker_runs_one_job_and_stdout_carries_only_protocol():
    proc = start_worker()
    proc.stdin.write(protocol.encode(protocol.job_message({"type": "environment", "device": "cpu"})))
    proc.stdin.flush()
    messages = read_messages(proc)
    assert proc.wait(timeout=60) == 0
    types = [m["type"] for m in messages]
    assert types[0] == "hello" and types[-1] == "result"
    assert set(types) <= {"hello", "progress", "log", "result"}
    assert messages[-1]["result"]["versions"]["torch"]


def test_worker_reports_user_errors_with_exit_code_2():
    proc = start_worker()
    proc.stdin.write(protocol.encode(protocol.job_message({"type": "nope"})))
    proc.stdin.flush()
    messages = read_messages(proc)
    assert proc.wait(timeout=60) == 2
    assert messages[-1]["type"] == "error" and messages[-1]["kind"] == "user"


def test_worker_rejects_other_protocol_versions():
    proc = start_worker()
    proc.stdin.write(json.dumps({"type": "job", "protocol": 99, "job": {"type": "environment"}}) + "\n")
    proc.stdin.flush()
    messages = read_messages(proc)
    assert proc.wait(timeout=60) == 1
    assert "disagree" in messages[-1]["message"]


def test_worker_exits_when_the_shell_goes_away():
    proc = start_worker()
    proc.stdin.close()   # QGIS died before sending a job
    assert proc.wait(timeout=30) == 3


def test_job_file_mode_runs_without_qgis(tmp_path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"type": "environment", "device": "cpu"}))
    out = tmp_path / "result.json"
    proc = subprocess.run([sys.executable, "-m", "terraembed.engine", "--job", str(job), "--result", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["ready"] in (True, False)
    assert "%" in proc.stderr   # progress lines on stderr


def test_partial_names_are_found_for_cleanup(tmp_path):
    """What a run writes while working is what the clean-up finds: the run's own partials and those
    of runs that are over (a dead process, the older naming without an owner), never those of
    another live run."""
    dest = str(tmp_path / "grid.tif")
    mine = protocol.run_token()
    dead = protocol.run_token(pid=2 ** 22 + 12345)          # above Linux's pid_max: never alive
    live = protocol.run_token(pid=os.getppid())             # the test's parent: alive
    own, stale, folder = (protocol.partial_path(dest, mine), protocol.partial_path(dest, dead),
                          protocol.partial_path(dest, dead, suffix=""))
    old = str(tmp_path / ".grid.tif.0123abcd.part.tif")
    other = protocol.partial_path(dest, live)
    for path in (own, stale, old, other, dest, str(tmp_path / "grid.tif.aux.xml"),
                 protocol.partial_path(str(tmp_path / "other.tif"), dead)):
        open(path, "w").close()
    os.mkdir(folder)
    assert sorted(protocol.partials_of(dest, mine)) == sorted([own, stale, folder, old])
    assert other not in protocol.partials_of(dest)


def test_terramind_run_leaves_nothing_in_the_temp_folder(tmp_path, terramind_tiny_weights):
    """terratorch's imports create wandb's temporary folders; with the job's temp folder they go
    with the job, so a TerraMind run (here from a job file, as from the shell) leaves none behind."""
    from pipeline_fakes import random_s2, write_raster
    private = tmp_path / "tmp"
    private.mkdir()
    raster = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"type": "embed", "source": {"kind": "raster", "path": raster},
                               "model": "terramind_v1_tiny", "weights": {"path": terramind_tiny_weights},
                               "device": "cpu", "outputs": {"grid": str(tmp_path / "grid.tif")}}))
    env = dict(os.environ, TMPDIR=str(private), TEMP=str(private), TMP=str(private))
    proc = subprocess.run([sys.executable, "-m", "terraembed.engine", "--job", str(job)], capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert os.path.exists(tmp_path / "grid.tif")
    assert os.listdir(private) == []          # no tmp*wandb-*, no terraembed-* job folder


def test_every_job_runs_with_the_gdal_cache_cap(monkeypatch):
    """run_job (the worker's, a job file's, a benchmark's) sets GDAL's block-cache cap once for every
    job type, analysis and embed alike; a user's own GDAL_CACHEMAX is kept."""
    from terraembed.engine import jobs
    from terraembed.engine.context import JobContext

    seen = []
    monkeypatch.setitem(jobs._HANDLERS, "cache_probe", lambda spec, ctx: seen.append(os.environ.get("GDAL_CACHEMAX")))
    monkeypatch.delenv("GDAL_CACHEMAX", raising=False)
    jobs.run_job({"type": "cache_probe"}, JobContext())
    monkeypatch.setenv("GDAL_CACHEMAX", "64")
    jobs.run_job({"type": "cache_probe"}, JobContext())
    assert seen == [str(jobs.GDAL_CACHE_MB), "64"]
