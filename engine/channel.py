"""The worker's pipe to the shell: the exit codes, the protocol's output (Channel) and the one reader of
the shell's messages (read_shell). Used by the one-job worker (worker.py) and by sessions (session.py)."""

import os
import sys
import threading
from collections.abc import Callable, Iterable

from ..shared import protocol

EXIT_OK, EXIT_INTERNAL, EXIT_USER, EXIT_CANCELLED, EXIT_MISSING = 0, 1, 2, 3, 4


class Channel:
    """The protocol's output: the real stdout, kept apart from everything else the process prints."""

    def __init__(self) -> None:
        self._out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        # From now on fd 1 (C libraries, print) goes to stderr, so stdout carries protocol only.
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self._lock = threading.Lock()

    def send(self, message: protocol.Message) -> None:
        line = protocol.encode(message)
        with self._lock:
            self._out.write(line)
            self._out.flush()


def read_shell(stdin: Iterable[str | bytes], handle: Callable[[protocol.Message], bool]) -> None:
    """Read the shell's messages until handle(message) returns True, the shell goes away (EOF) or
    its pipe fails; lines that are not messages are skipped. The one reader of every worker."""
    try:
        for line in stdin:
            if not line.strip():
                continue
            try:
                message = protocol.decode(line, allowed=protocol.SHELL_TYPES)
            except protocol.ProtocolError:
                continue
            if handle(message):
                return
    except (OSError, ValueError):
        pass
