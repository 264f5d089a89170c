"""The shell's side of the worker protocol: start a worker in the runtime, send one job, turn its
messages into callbacks, cancel it, and turn every failure into a RuntimeJobError whose message a
user can act on.

Standard library only (no qgis): the algorithms wrap it, and tests can drive it directly.
"""

import collections
import contextlib
import os
import queue
import shutil
import signal

# B404: the worker is started with an argument list, never a shell
import subprocess  # nosec B404
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any, NoReturn, Optional, Protocol, cast

from ..shared import partials, protocol
from ..shared.errors import Cancelled
from ..shared.platforms import PLUGIN_DIR
from . import system
from .i18n import tr

PACKAGE_NAME = __name__.split(".")[0]
INSTALL_HINT = tr(
    "Install it with the Processing algorithm 'TerraEmbed > Setup > Install or update "
    "runtime' (terraembed:install_runtime), or run the README's setup command; or set "
    "the runtime Python in the TerraEmbed settings."
)
CANCEL_GRACE_S = 1.0
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")  # the signals that ask a process to stop
# RuntimeClient.identity(): the runtime's Python, its install stamp, the worker's environment
Identity = tuple[str, system.Stamp, tuple[tuple[str, str], ...]]
ProgressCallback = Callable[[float, str], None]  # (fraction of the job, stage)
LogCallback = Callable[[str, str], None]  # (message, level)


class RuntimeJobError(Exception):
    """A job failed. `message` is for the user; `detail` holds a traceback or the worker's last
    lines of stderr; kind is 'user', 'internal', 'crash' or 'missing'."""

    def __init__(self, message: str, detail: str = "", kind: str = "internal") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.kind = kind


def worker_env(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """The worker's environment: ours without QGIS's PYTHONHOME/PYTHONPATH/PROJ/GDAL variables, with
    PYTHONPATH set to the folder above the plugin only (system.worker_env), then the variables of
    `extra`; a PYTHONPATH in `extra` goes before the plugin's folder (it cannot hide the plugin)."""
    extra = dict(extra or {})
    pythonpath = os.path.dirname(PLUGIN_DIR)
    if extra.get("PYTHONPATH"):
        pythonpath = extra.pop("PYTHONPATH") + os.pathsep + pythonpath
    env = system.worker_env(os.environ, sys.platform, pythonpath)
    env.update(extra)
    return env


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def remove_partials(job: Mapping[str, Any]) -> None:
    """Remove the partial files that a killed worker (or any other writer that no longer runs) left
    beside any destination named in the job; partials of live runs stay."""
    for text in _strings(job):
        if system.looks_like_path(text):
            for path in partials.partials_of(text):
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                    continue
                try:
                    os.remove(path)
                except OSError:
                    pass


@contextlib.contextmanager
def cancel_on_signals(on_signal: Callable[[], object], enabled: bool = True) -> Iterator[list[int]]:
    """While the block runs, SIGINT, SIGTERM and SIGHUP call on_signal() (a cancel) instead of
    ending the process; the previous handlers come back afterwards. Only where it is allowed and
    harmless: in the main thread, and when `enabled` (the caller passes False in desktop QGIS,
    whose own handlers must stay). Yields the list of signal numbers received."""
    received: list[int] = []
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handler(signum: int, frame: object) -> None:
        received.append(signum)
        on_signal()

    previous: dict[int, Any] = {}  # signal number -> its handler before
    try:
        for name in STOP_SIGNALS:
            if hasattr(signal, name):
                number = getattr(signal, name)
                previous[number] = signal.signal(number, handler)
        yield received
    finally:
        for number, old in previous.items():
            signal.signal(number, old if old is not None else signal.SIG_DFL)


def describe_exit(code: Optional[int]) -> str:
    """How a worker ended, in words, from its exit code (negative: killed by that signal)."""
    if code is None or code >= 0:
        return tr("exit code %s") % code
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = tr("signal %d") % -code
    if name in STOP_SIGNALS:
        return tr("stopped by %s (a stop request)") % name
    if name == "SIGKILL":
        return tr("killed by SIGKILL (by a user, or by the system when memory ran out)")
    return tr("killed by %s") % name


class Worker:
    """A running worker process: its pipes read by two threads (stdout lines into `messages`, None at
    its end; the last lines of stderr in `stderr_tail`). identity: the client identity it was started
    for, when it serves a jobs session (a warm worker), else None."""

    def __init__(self, proc: "subprocess.Popen[bytes]", stderr_lines: int, identity: Optional[Identity] = None) -> None:
        self.proc = proc
        self.identity = identity
        self.messages: queue.Queue[Optional[bytes]] = queue.Queue()  # stdout's lines, None at its end
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=stderr_lines)
        self.idle_since = time.monotonic()
        self.threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for t in self.threads:
            t.start()

    def _read_stdout(self) -> None:
        for line in _pipe(self.proc.stdout):
            if line.strip():
                self.messages.put(line)
        self.messages.put(None)

    def _read_stderr(self) -> None:
        for line in _pipe(self.proc.stderr):
            self.stderr_tail.append(line.decode("utf-8", errors="replace").rstrip())

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message: protocol.Message) -> None:
        try:
            _pipe(self.proc.stdin).write(protocol.encode(message).encode("utf-8"))
            _pipe(self.proc.stdin).flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the worker is gone; the reader says why

    def close(self, kill: bool = False, grace_s: float = 2.0) -> None:
        """End the worker: killed at once (kill), else its stdin closed (a warm worker exits) and
        killed only if it has not exited within grace_s."""
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                try:
                    _pipe(self.proc.stdin).close()
                except OSError:
                    pass
            try:
                self.proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                _pipe(stream).close()
            except (OSError, ValueError):
                pass


def _pipe(stream: Optional[IO[bytes]]) -> IO[bytes]:
    """One of a worker's pipes (it is started with all three: never None)."""
    if stream is None:
        raise ValueError("the worker was started without this pipe")
    return stream


class WorkerPool(Protocol):
    """Where a client takes a warm worker from and gives it back to (shell/warm.py's WarmPool)."""

    def take(self, identity: Identity) -> Optional[Worker]: ...

    def give_back(self, worker: Worker) -> None: ...


class RuntimeClient:
    """Runs jobs in the runtime whose Python is `python`; `env`: variables added to the worker's
    environment (see worker_env)."""

    def __init__(
        self,
        python: str,
        env: Optional[Mapping[str, str]] = None,
        stderr_lines: int = 40,
        warm: Optional[WorkerPool] = None,
    ) -> None:
        self.python = python
        self.env = env
        self.stderr_lines = stderr_lines
        self.warm = warm  # a runtime.warm.WarmPool (desktop QGIS), or None: a new worker per job

    def check_available(self) -> None:
        if not self.python or not os.path.isfile(self.python):
            raise RuntimeJobError(
                tr("The TerraEmbed runtime was not found (looked for its Python at %s). %s")
                % (self.python or "<not set>", INSTALL_HINT),
                kind="missing",
            )

    def command(self) -> list[str]:
        return [self.python, "-m", PACKAGE_NAME + ".engine"]

    def run(
        self,
        job: dict[str, Any],
        on_progress: Optional[ProgressCallback] = None,
        on_log: Optional[LogCallback] = None,
        is_cancelled: Optional[Callable[[], bool]] = None,
        poll_s: float = 0.05,
    ) -> dict[str, Any]:
        """Run one job to its end and return its result dict.

        on_progress(fraction, stage), on_log(message, level) are called from this thread;
        is_cancelled() is polled; on cancel the worker is asked to stop, killed if it has not
        within CANCEL_GRACE_S, and Cancelled is raised. With a warm pool (desktop QGIS), the
        job runs in the pool's warm worker when it has one for this runtime, and a worker whose job
        succeeded goes back to the pool; any other end discards it.
        """
        self.check_available()
        on_progress = on_progress or (lambda f, s: None)
        on_log = on_log or (lambda m, lvl: None)
        is_cancelled = is_cancelled or (lambda: False)
        worker = self.warm.take(self.identity()) if self.warm is not None else None
        if worker is not None:
            on_log("Runtime already running (warm, pid %d): no start-up." % worker.proc.pid, "info")
        else:
            worker = self.start(jobs_session=self.warm is not None)
        succeeded = False
        try:
            worker.send(protocol.job_message(job))
            result = self._loop(worker, on_progress, on_log, is_cancelled, poll_s)
            succeeded = True
            return result
        except (Cancelled, RuntimeJobError):
            worker.close(kill=True)
            remove_partials(job)  # a killed worker cannot remove its temporary files
            raise
        finally:
            if succeeded and self.warm is not None:
                self.warm.give_back(worker)
            else:
                worker.close(kill=True)

    def identity(self) -> Identity:
        """What a warm worker must share with this client to run its jobs: the runtime (its Python,
        and its packages as installed now) and the worker's environment."""
        return (self.python, system.runtime_stamp(self.python), tuple(sorted(worker_env(self.env).items())))

    def start(self, jobs_session: bool = False) -> Worker:
        """A new worker process (for one job, or a warm one that runs a jobs session)."""
        try:
            proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,  # nosec B603
                stderr=subprocess.PIPE,
                env=worker_env(self.env),
                **system.popen_flags(sys.platform),
            )  # same cwd: relative paths agree
        except OSError as exc:
            raise RuntimeJobError(
                tr("Could not start the TerraEmbed runtime (%s): %s. %s") % (self.python, exc, INSTALL_HINT),
                kind="missing",
            ) from exc
        worker = Worker(proc, self.stderr_lines, self.identity() if jobs_session else None)
        if jobs_session:
            worker.send(protocol.session_message({"kind": "jobs"}))
        return worker

    def _loop(
        self,
        worker: Worker,
        on_progress: ProgressCallback,
        on_log: LogCallback,
        is_cancelled: Callable[[], bool],
        poll_s: float,
    ) -> dict[str, Any]:
        proc, messages, stderr_tail = worker.proc, worker.messages, worker.stderr_tail
        warm = worker.identity is not None
        cancel_sent_at = None
        while True:
            if cancel_sent_at is None and is_cancelled():
                worker.send({"type": protocol.CANCEL})
                cancel_sent_at = time.monotonic()
            if cancel_sent_at is not None and time.monotonic() - cancel_sent_at > CANCEL_GRACE_S:
                worker.close(kill=True)
                raise Cancelled()
            try:
                line = messages.get(timeout=poll_s)
            except queue.Empty:
                continue
            if line is None:  # stdout closed: the worker has exited
                self._exited(worker, cancel_sent_at is not None, on_log)
            try:
                message = protocol.decode(line, allowed=protocol.WORKER_TYPES)
            except protocol.ProtocolError as exc:
                on_log("runtime: %s" % exc, "debug")
                continue
            kind = message["type"]
            if kind == protocol.PROGRESS:
                on_progress(message.get("fraction", 0.0), message.get("stage", ""))
            elif kind == protocol.LOG:
                on_log(message.get("message", ""), message.get("level", "info"))
            elif kind == protocol.HELLO:
                if message.get("protocol") != protocol.PROTOCOL_VERSION:
                    raise RuntimeJobError(
                        tr("The runtime speaks protocol %r, the plugin %d. Update the runtime.")
                        % (message.get("protocol"), protocol.PROTOCOL_VERSION)
                    )
            elif kind == protocol.RESULT:
                if not warm:  # a one-job worker exits now; a warm one waits for the next job
                    proc.wait(timeout=30)
                return cast("dict[str, Any]", message.get("result", {}))  # no-i18n: a type
            elif kind == protocol.CANCELLED:
                try:
                    proc.wait(timeout=CANCEL_GRACE_S)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                raise Cancelled()
            elif kind == protocol.ERROR:
                proc.wait(timeout=30)
                raise self._error(message, stderr_tail)

    def _exited(self, worker: Worker, cancel_sent: bool, on_log: LogCallback) -> NoReturn:
        """The worker's stdout closed: Cancelled when it was asked or told to stop, else its crash."""
        code = worker.proc.wait()
        if cancel_sent or describe_exit(code).startswith("stopped"):
            on_log("The runtime was %s." % describe_exit(code), "info")
            raise Cancelled()
        worker.threads[1].join(timeout=2)
        tail = worker.stderr_tail
        raise RuntimeJobError(self._crash_message(code, tail), detail="\n".join(tail), kind="crash")

    def _error(self, message: protocol.Message, stderr_tail: Iterable[str]) -> RuntimeJobError:
        """The RuntimeJobError of the worker's error message (its log's last lines unless a user error)."""
        tail = list(stderr_tail)
        detail = message.get("detail", "")
        if message.get("kind") != "user" and tail:
            detail = (detail + tr("\nLast lines of the runtime's log:\n") + "\n".join(tail)).strip()
        text = message.get("message", tr("The runtime reported an error."))
        if message.get("kind") == "missing":  # the worker could not import a runtime package
            text = "%s %s" % (text, INSTALL_HINT)  # no-i18n
        return RuntimeJobError(text, detail=detail, kind=message.get("kind", "internal"))

    def _crash_message(self, code: int, stderr_tail: Iterable[str]) -> str:
        tail = [line for line in stderr_tail if line.strip()][-8:]
        text = tr("The TerraEmbed runtime stopped unexpectedly (%s); nothing was written.") % describe_exit(code)
        if any("No module named" in line for line in tail):  # no-i18n: code
            text += tr(" A package is missing from the runtime: %s") % INSTALL_HINT
        text += system.explain_exit_code(code, sys.platform)
        if tail:
            text += tr(" Last lines of its log:\n") + "\n".join(tail)
        return text
