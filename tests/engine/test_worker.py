"""The worker from the runtime's side: one job per worker, errors and cancel over the pipe, and the
job-file mode that runs without QGIS (the messages themselves: tests/quick/test_protocol.py)."""

import json
import os
import subprocess
import sys

from terraembed.shared import protocol


def start_worker():
    return subprocess.Popen(
        [sys.executable, "-m", "terraembed.engine"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


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
    proc.stdin.close()  # QGIS died before sending a job
    assert proc.wait(timeout=30) == 3


def test_job_file_mode_runs_without_qgis(tmp_path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"type": "environment", "device": "cpu"}))
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, "-m", "terraembed.engine", "--job", str(job), "--result", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["ready"] in (True, False)
    assert "%" in proc.stderr  # progress lines on stderr


def test_terramind_run_leaves_nothing_in_the_temp_folder(tmp_path, terramind_tiny_weights):
    """terratorch's imports create wandb's temporary folders; with the job's temp folder they go
    with the job, so a TerraMind run (here from a job file, as from the shell) leaves none behind."""
    from pipeline_fakes import random_s2, write_raster

    private = tmp_path / "tmp"
    private.mkdir()
    raster = write_raster(tmp_path / "in.tif", random_s2(64, 64))
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "type": "embed",
                "source": {"kind": "raster", "path": raster},
                "model": "terramind_v1_tiny",
                "weights": {"path": terramind_tiny_weights},
                "device": "cpu",
                "outputs": {"grid": str(tmp_path / "grid.tif")},
            }
        )
    )
    env = dict(os.environ, TMPDIR=str(private), TEMP=str(private), TMP=str(private))
    proc = subprocess.run(
        [sys.executable, "-m", "terraembed.engine", "--job", str(job)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert os.path.exists(tmp_path / "grid.tif")
    assert os.listdir(private) == []  # no tmp*wandb-*, no terraembed-* job folder


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
