"""Temporary folders that go when the process ends: at the end of their block, on an error, on Ctrl-C (SIGINT) and,
inside `signals_stop()`, on SIGTERM and SIGHUP too (which otherwise end a Python process without running any
`finally`).

`legalkg serve` without --store builds the sample store in one; the RDF view for SPARQL (`<store>.rdf`) and the
uploads (`<store>.uploads`) are kept beside the store, so they go with it.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "legalkg-"
STOPPING = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Stopped(BaseException):
    """A signal asked the process to stop (SIGTERM, SIGHUP): raised in the main thread, like KeyboardInterrupt, and
    like it not an Exception, so that an event loop running a callback when it arrives does not catch and log it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_stop(signals: tuple[int, ...] = STOPPING) -> Iterator[None]:
    """Within the block, the signals raise Stopped in the main thread, so context managers and `finally` blocks run
    as they do for Ctrl-C; the previous handlers come back afterwards. (uvicorn installs its own handlers while it
    serves, restores these when it stops, then raises the signal again: it arrives here.)"""
    def stop(signum, frame) -> None:
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in signals}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def temporary_folder(prefix: str = PREFIX) -> Iterator[Path]:
    """A new folder under TMPDIR, removed with everything in it when the block ends, however it ends. Signals that
    arrive while it is being removed wait until it is gone."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        with _signals_held():
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Signals that arrive in the block are noted and raised again after it (in the main thread; elsewhere signal
    handlers cannot be changed and the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: arrived.append(signum)) for s in (signal.SIGINT, *STOPPING)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for signum in dict.fromkeys(arrived):
            signal.raise_signal(signum)
