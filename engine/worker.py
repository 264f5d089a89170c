"""The runtime worker: reads one job from stdin, runs it, answers on stdout (see shared/protocol.py).

Run as `python -m <package>.engine` from the runtime's interpreter, with the plugin folder's parent
on PYTHONPATH. `python -m <package>.engine --job job.json` runs a job file without QGIS and
without the protocol (progress and log lines go to stderr, the result to stdout or --result).
"""

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from typing import IO, Any, Optional

from ..shared import partials, protocol
from ..shared.errors import Cancelled, UserError
from ..shared.partials import job_temp_dir
from .channel import EXIT_CANCELLED, EXIT_INTERNAL, EXIT_MISSING, EXIT_OK, EXIT_USER, Channel, read_shell
from .context import JobContext
from .jobs import JobSpec, run_job
from .session import Report, Run, Stdin

# what to run when the runtime lacks packages and the job came from a job file (no QGIS)
INSTALL_COMMAND = (
    "python3 -m terraembed.shell.install --venv <runtime folder> (QGIS's Python, from the "
    "folder above the plugin), or the Processing algorithm terraembed:install_runtime"
)


def missing_packages(exc: BaseException) -> list[str]:
    """The runtime packages (distribution names) that are not installed, when an import failed
    because of one of them; [] when the failure is of another kind (a broken package, our bug)."""
    import importlib.metadata

    from ..shared.locks import PACKAGES

    missing = []
    for name in PACKAGES:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    module = (getattr(exc, "name", None) or "").split(".")[0]
    failed = {"sklearn": "scikit-learn", "ee": "earthengine-api"}.get(module, module)
    if isinstance(exc, ModuleNotFoundError) and module and module != __name__.split(".")[0]:
        missing = [failed] + [name for name in missing if name != failed]  # the one that failed first
    return missing


def _listen_for_cancel(stdin: Stdin, cancel_event: threading.Event) -> None:
    """Any 'cancel' line, or the shell going away (EOF), cancels the job."""
    read_shell(stdin, lambda message: message["type"] == protocol.CANCEL)
    cancel_event.set()


def _execute(job: JobSpec, ctx: JobContext, report: Report, run: Run = run_job) -> int:
    """Run the job (run(job, ctx): a job handler, or a session's opening or query) and report its
    outcome through report(message); return the exit code."""
    try:
        result = run(job, ctx)
    except Cancelled:
        report({"type": protocol.CANCELLED})
        return EXIT_CANCELLED
    except UserError as exc:  # OutputError too
        report(protocol.error(str(exc), kind=exc.kind))
        return EXIT_USER
    except ImportError as exc:
        missing = missing_packages(exc)
        if not missing:
            return _internal_error(exc, report)
        report(
            protocol.error(
                "The TerraEmbed runtime (%s) lacks the package(s) %s (%s)." % (sys.executable, ", ".join(missing), exc),
                kind="missing",
            )
        )  # no traceback
        return EXIT_MISSING
    except MemoryError:
        report(
            protocol.error(
                "The runtime ran out of memory. Use a smaller batch size, tile mode or a smaller area.", kind="user"
            )
        )
        return EXIT_USER
    except Exception as exc:  # an unexpected failure: report it with its traceback
        return _internal_error(exc, report)
    if ctx.warnings and isinstance(result, dict):
        result.setdefault("warnings", list(ctx.warnings))
    report({"type": protocol.RESULT, "result": result})
    return EXIT_OK


def _internal_error(exc: BaseException, report: Report) -> int:
    report(
        protocol.error(
            "Internal error in the TerraEmbed runtime: %s: %s" % (type(exc).__name__, exc),
            kind="internal",
            detail=traceback.format_exc(),
        )
    )
    return EXIT_INTERNAL


STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def cancel_on_signals(cancel_event: threading.Event) -> None:
    """SIGINT, SIGTERM and SIGHUP (Ctrl-C, a stop from a timeout, systemd, docker or a batch
    scheduler, a closed terminal) cancel the job like a cancel message: it stops within one batch,
    removes its partial outputs and answers 'cancelled'."""

    def handler(signum: int, frame: object) -> None:
        cancel_event.set()

    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


class _JobTemp:
    """The job's temp folder: the shell's work_dir, else one of its own removed at the end. Every
    temporary file of the job and of the libraries it imports (tempfile, TMPDIR: e.g. wandb's
    folders that terratorch's imports create, dask's scratch space) goes there. remove() puts the
    process's temp settings back, for the next job of a warm worker."""

    KEYS = ("TMPDIR", "TEMP", "TMP")

    def __init__(self, work_dir: Optional[str]) -> None:
        self.previous = (tempfile.tempdir, {key: os.environ.get(key) for key in self.KEYS})
        given = work_dir if work_dir and os.path.isdir(work_dir) else None
        self.own = given is None
        self.path = given if given is not None else job_temp_dir(partials.run_token())
        tempfile.tempdir = self.path
        for key in self.KEYS:
            os.environ[key] = self.path

    def remove(self) -> None:
        if self.own:
            shutil.rmtree(self.path, ignore_errors=True)
        tempfile.tempdir, environ = self.previous
        for key, value in environ.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def serve(stdin: Optional[IO[str]] = None) -> int:
    cancel_event = threading.Event()
    cancel_on_signals(cancel_event)
    channel = Channel()
    stdin = stdin or sys.stdin
    channel.send(
        {
            "type": protocol.HELLO,
            "protocol": protocol.PROTOCOL_VERSION,
            "pid": os.getpid(),
            "python": platform.python_version(),
        }
    )
    line = stdin.readline()
    if not line:
        return EXIT_CANCELLED
    try:
        message = protocol.decode(line, allowed=(protocol.JOB, protocol.SESSION))
        if message.get("protocol") != protocol.PROTOCOL_VERSION:
            raise protocol.ProtocolError(
                "protocol version %r, this worker speaks %d" % (message.get("protocol"), protocol.PROTOCOL_VERSION)
            )
        job = message["job"] if message["type"] == protocol.JOB else message["session"]
    except (protocol.ProtocolError, KeyError) as exc:
        channel.send(
            protocol.error(
                "The plugin and its runtime disagree (%s). Update both: run 'Install or update runtime'." % exc,
                kind="internal",
            )
        )
        return EXIT_INTERNAL
    temp = _JobTemp(job.get("work_dir"))
    ctx = JobContext(
        on_progress=lambda f, s: channel.send(protocol.progress(f, s)),
        on_log=lambda m, lvl: channel.send(protocol.log(m, lvl)),
        cancel_event=cancel_event,
        work_dir=temp.path,
    )
    try:
        if message["type"] == protocol.SESSION and job.get("kind") == "jobs":
            from .session import serve_jobs

            return serve_jobs(channel, stdin, cancel_event, _execute, _JobTemp)
        if message["type"] == protocol.SESSION:
            from .session import serve_session

            return serve_session(message, channel, stdin, ctx, _execute)
        threading.Thread(target=_listen_for_cancel, args=(stdin, cancel_event), daemon=True).start()
        return _execute(job, ctx, channel.send)
    finally:
        temp.remove()


def run_file(job_path: str, result_path: Optional[str] = None, scheduler: Optional[str] = None) -> int:
    """Run a job file without QGIS: progress and log on stderr, result JSON to stdout or a file.
    scheduler: a Dask scheduler for the job (overrides the file's "scheduler" key)."""
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    if scheduler:
        job["scheduler"] = scheduler

    def on_progress(fraction: float, stage: str) -> None:
        sys.stderr.write("[%5.1f%%] %s\n" % (100 * fraction, stage))

    def on_log(message: str, level: str) -> None:
        sys.stderr.write("%s: %s\n" % (level, message))

    cancel_event = threading.Event()
    cancel_on_signals(cancel_event)
    temp = _JobTemp(job.get("work_dir"))
    ctx = JobContext(on_progress=on_progress, on_log=on_log, cancel_event=cancel_event, work_dir=temp.path)
    outcome: dict[str, Any] = {}
    try:
        code = _execute(job, ctx, outcome.update)
    finally:
        temp.remove()
    text = json.dumps(outcome.get("result", outcome), indent=2)
    if result_path:
        with open(result_path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        print(text)
    if code == EXIT_MISSING:
        sys.stderr.write("%s Install them: %s.\n" % (outcome.get("message"), INSTALL_COMMAND))
    elif code == EXIT_CANCELLED:
        sys.stderr.write("Cancelled: nothing was written.\n")
    elif code != EXIT_OK:
        sys.stderr.write("%s\n" % outcome.get("message", ""))
    return code


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m terraembed.engine", description="TerraEmbed runtime worker.")
    parser.add_argument("--job", help="run this job file (JSON) instead of serving the protocol")
    parser.add_argument("--result", help="with --job: write the result JSON here")
    parser.add_argument(
        "--scheduler",
        help="with --job: run the model on this Dask cluster (tcp://host:port, "
        "a scheduler file, or local:N worker processes)",
    )
    args = parser.parse_args(argv)
    if args.job:
        return run_file(args.job, args.result, args.scheduler)
    return serve()
