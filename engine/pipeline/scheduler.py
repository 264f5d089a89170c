"""Finding and reaching a job's Dask scheduler (the job key "scheduler", see cluster.py): what the key
says, the scheduler file's address, a check that a Dask scheduler answers there within the deadline,
and the connection (or the local cluster started for the job).

Every wait on the scheduler has a deadline, the job's "scheduler_timeout" (CONNECT_TIMEOUT_S): before
the Client connects, `check_scheduler` looks the host up, connects itself, does Dask's handshake and
asks the scheduler who it is, all within the timeout (the system's resolver has no deadline, and Dask's
own handshake had none after the connect, so a port where something else listens hung for minutes);
the Client's own connect and registration have it too (Client(timeout=...)), and every later call to
the scheduler has the same deadline (cluster.Cluster._ask)."""

import asyncio
import json
import logging
import os
import re
import socket
import threading
import time
from typing import Any, NamedTuple, Optional

from ...shared.errors import UserError
from ...shared.jobs.embedding import DEFAULT_SCHEDULER_TIMEOUT_S, ModelJob
from ..i18n import tr
from . import cluster_tasks

CONNECT_TIMEOUT_S = DEFAULT_SCHEDULER_TIMEOUT_S  # the job's scheduler_timeout (shared/jobs/embedding.py)
MAX_LOCAL_WORKERS = 256
ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[^\s/:]+(:\d+)?/?$")
DEFAULT_PORT = 8786  # `dask scheduler`'s
HELP = (
    "Give tcp://host:port (as `dask scheduler` prints it), the path of a scheduler file (.json), "
    "or local:N for N worker processes on this machine; leave it empty to run without Dask."
)


class Connection(NamedTuple):
    """A connected Dask client, the local cluster started for the job (or None), where it is (for
    messages), the job's deadline and the nanny's variables to put back on close (or None)."""

    client: Any
    local_cluster: Any
    where: str
    timeout: float
    environ: Optional[dict]


def parse_scheduler(text):
    """("local", N) | ("address", url) | ("file", path) | None; UserError for anything else."""
    text = ("" if text is None else str(text)).strip()
    if not text:
        return None
    if text.lower().startswith("local:"):
        n = text.split(":", 1)[1].strip()
        if not n.isdigit() or not 1 <= int(n) <= MAX_LOCAL_WORKERS:
            raise UserError(
                tr(
                    "The scheduler %r asks for a local cluster of %r workers: use local:N with N "
                    "from 1 to %d, e.g. local:2."
                )
                % (text, n, MAX_LOCAL_WORKERS)
            )
        return "local", int(n)
    if ADDRESS.match(text):
        return "address", text
    if text.lower().endswith(".json"):
        if not os.path.isfile(text):
            raise UserError(
                tr(
                    "The Dask scheduler file %r does not exist. Start the scheduler with "
                    "`dask scheduler --scheduler-file %s`, or give its address."
                )
                % (text, text)
            )
        return "file", text
    raise UserError(tr("The Dask scheduler %r is not understood. %s") % (text, HELP))


def scheduler_file_address(path):
    """The scheduler address in a scheduler file (`dask scheduler --scheduler-file`); UserError when it
    cannot be read or is not such a file."""
    try:
        with open(path, "rb") as f:
            text = f.read()
    except OSError as exc:
        raise UserError(
            tr(
                "The Dask scheduler file %r cannot be read (%s). Check its permissions, or give the "
                "scheduler's address instead."
            )
            % (path, reason(exc))
        ) from None
    try:
        address = json.loads(text)["address"]
    except (ValueError, KeyError, TypeError):
        address = None
    if not isinstance(address, str) or not ADDRESS.match(address):
        raise UserError(
            tr(
                "The file %r is not a Dask scheduler file: it is not JSON with the scheduler's \"address\" "
                "(what `dask scheduler --scheduler-file` writes). Give the file the scheduler wrote, or its "
                "address tcp://host:port."
            )
            % path
        )
    return address


def reason(exc):
    """What an exception says, in words (never its class name: users read these messages)."""
    return getattr(exc, "strerror", None) or str(exc).strip() or "no reason given"


def unreachable(where, timeout, exc):
    return UserError(
        tr(
            "Cannot reach the Dask scheduler at %s within %.0f s (%s). Check that `dask scheduler` runs "
            "there and its port is open, or leave the scheduler empty to run on this machine. Nothing "
            "was written."
        )
        % (where, timeout, reason(exc))
    )


def check_scheduler(address, timeout):
    """Connect to `address`, do Dask's handshake and ask who answers, all within `timeout` seconds.
    UserError when nothing can be reached there, when something that is not a Dask scheduler answers
    (an HTTP server, a program that never answers), or when it is a Dask worker."""
    from urllib.parse import urlsplit

    deadline = time.monotonic() + timeout
    parts = urlsplit(address)
    try:
        host = lookup(parts.hostname, timeout)
        socket.create_connection(
            (host, parts.port or DEFAULT_PORT), timeout=max(0.1, deadline - time.monotonic())
        ).close()
    except OSError as exc:  # TimeoutError included
        raise unreachable(address, timeout, exc) from None
    try:
        who = _identity(address, max(0.1, deadline - time.monotonic()))
    except TimeoutError:  # asyncio's too (Python >= 3.11)
        what = tr("answered nothing within %.0f s: it is not a Dask scheduler, or one that hangs") % timeout
    except Exception:  # MemoryError (an HTTP reply read as a frame length), closed, undecodable ...
        what = tr("is not a Dask scheduler: it answered something else (an HTTP server or another program?)")
    else:
        kind = who.get("type") if isinstance(who, dict) else None
        if kind == "Scheduler":
            return
        if kind in ("Worker", "Nanny"):
            raise UserError(
                tr(
                    "%s is a Dask worker, not the scheduler. Give the scheduler's address (the one "
                    "`dask scheduler` prints, default port %d). Nothing was written."
                )
                % (address, DEFAULT_PORT)
            )
        what = tr("is not a Dask scheduler: it says it is %s") % (kind or tr("something else"))
    raise UserError(
        tr(
            "The program listening at %s %s. Check the address and port (`dask scheduler` prints its "
            "address; another program may use the port), or leave the scheduler empty to run on this "
            "machine. Nothing was written."
        )
        % (address, what)
    )


def lookup(host: str, timeout: float) -> str:
    """The address `host` names, looked up within `timeout` seconds: the system's resolver has no deadline
    of its own (a name server that does not answer holds it for minutes). TimeoutError past it; OSError
    (socket.gaierror) when the name is unknown."""
    found: dict[str, Any] = {}

    def resolve() -> None:
        try:
            found["address"] = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0]
        except OSError as exc:
            found["error"] = exc

    thread = threading.Thread(target=resolve, name="dask-host-lookup", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(tr("looking up the host name %r took more than %.0f s") % (host, timeout))
    if "error" in found:
        raise found["error"]
    return str(found["address"])


def _identity(address, timeout):
    """The identity a Dask server at `address` gives (connect, handshake, one call), within timeout s."""
    from distributed.comm import connect
    from distributed.security import Security

    async def ask():
        comm = await connect(address, timeout=timeout, **Security().get_connection_args("client"))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    return asyncio.run(asyncio.wait_for(ask(), timeout))


def nanny_environ():
    """This process's values (None: unset) of the variables a Dask nanny sets in the process that
    starts its workers: its pre-spawn settings (OMP_NUM_THREADS=1, MKL_NUM_THREADS=1, ...), which
    would stay there for whatever that process starts later. `local:N` puts them back on start and
    close (restore_environ); nothing else of the environment is touched."""
    import dask

    return {name: os.environ.get(name) for name in dask.config.get("distributed.nanny.pre-spawn-environ", {})}


def restore_environ(saved):
    """Put back the variables of a nanny_environ() snapshot."""
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def connect(asked: ModelJob, ctx: Any) -> Optional[Connection]:
    """The job's Dask client (and the local cluster it started), or None when the job has no scheduler
    (asked: the job's ModelJob, read once by its handler: its scheduler and scheduler_timeout). UserError
    when the scheduler cannot be reached or the local cluster cannot start."""
    parsed = parse_scheduler(asked.scheduler)
    if parsed is None:
        return None
    timeout = asked.scheduler_timeout or CONNECT_TIMEOUT_S
    kind, value = parsed
    try:
        from distributed import Client
    except ImportError as exc:
        raise UserError(
            tr("This runtime has no dask.distributed (%s): update the runtime, or leave the scheduler empty.") % exc
        ) from exc
    where = "local:%d" % value if kind == "local" else value
    environ = nanny_environ() if kind == "local" else None
    local_cluster = None
    try:
        if kind == "local":
            local_cluster = _start_local(value, environ, ctx)
            client = Client(local_cluster, set_as_default=False, timeout=timeout)
        else:
            address = scheduler_file_address(value) if kind == "file" else value
            check_scheduler(address, timeout)
            client = Client(address, set_as_default=False, timeout=timeout)
    except UserError:
        raise
    except Exception as exc:  # OSError / TimeoutError from distributed, with its own text
        if local_cluster is not None:
            local_cluster.close()
        if kind == "local":
            raise UserError(
                tr(
                    "Cannot start a local Dask cluster of %d worker process(es) (%s). Run with "
                    "fewer workers, or leave the scheduler empty to run in one process. Nothing was "
                    "written."
                )
                % (value, reason(exc))
            ) from exc
        raise unreachable(where, timeout, exc) from exc
    return Connection(client, local_cluster, where, timeout, environ)


def _start_local(workers: int, environ: dict, ctx: Any) -> Any:
    """A LocalCluster of `workers` processes, one thread each; the nanny's variables put back after."""
    import dask
    from distributed import LocalCluster

    ctx.log(tr("Starting a local Dask cluster of %d worker process(es)...") % workers)
    try:
        with dask.config.set(cluster_tasks.NO_MALLOC_TRIM):
            return LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
    finally:
        restore_environ(environ)  # the workers have started; a restarted one sets it again
