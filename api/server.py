"""`legalkg serve` with several worker processes, each listening on its own socket bound with SO_REUSEPORT.

uvicorn's supervisor shares one listening socket between its workers, and whichever worker wakes first accepts a
whole burst of new connections at once; keep-alive connections then stay with it, so a client pool that connects all
at once loads one worker and leaves the others idle (measured: 55 of 64 connections on one of two workers, p99 five
times higher). With a socket per worker, the kernel spreads connections over the workers by their addresses. Where
SO_REUSEPORT does not exist, uvicorn's own supervisor runs the workers.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import sys
import time
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

from legalkg.graph.cypher import Server

RESTARTS = 5  # a worker that keeps dying within QUICK_DEATH_S of its start is not restarted more than this
QUICK_DEATH_S = 5.0
STOP_WAIT_S = 10.0


class ServeError(Exception):
    """The server cannot start (the port is taken, the workers die at once), with the reason."""


def serve(store_path: Path, host: str, port: int, workers: int, cache_entries: int, server: Server | None = None) -> None:
    """server: the Cypher server that answers the named questions (None: the store does)."""
    import uvicorn

    from legalkg.api.app import create_app

    if workers == 1:
        uvicorn.run(create_app(store_path, cache_entries, server=server), host=host, port=port, access_log=False)
        return
    if not hasattr(socket, "SO_REUSEPORT"):
        os.environ["LEGALKG_STORE"], os.environ["LEGALKG_CACHE"] = str(Path(store_path).resolve()), str(cache_entries)
        if server is not None:
            os.environ["LEGALKG_SERVER"] = json.dumps(asdict(server))
        uvicorn.run("legalkg.api.app:app_from_environment", factory=True, host=host, port=port, workers=workers, access_log=False)
        return
    _check_free(host, port)
    _supervise(workers, (host, port, str(Path(store_path).resolve()), cache_entries, server))


def _check_free(host: str, port: int) -> None:
    """Sockets bound with SO_REUSEPORT would share the port with another server of ours: refuse a taken port."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _supervise(workers: int, args: tuple) -> None:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker: no state forked from here
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    children = {i: _start(context, args) for i in range(workers)}
    quick_deaths = 0
    try:
        while not stopping:
            wait([p.sentinel for p, _ in children.values()], timeout=0.5)
            for i, (process, started) in list(children.items()):
                if process.is_alive() or stopping:
                    continue
                quick_deaths += time.monotonic() - started < QUICK_DEATH_S
                if quick_deaths > RESTARTS:
                    raise ServeError(f"worker processes keep exiting at start (last exit code {process.exitcode})")
                print(f"legalkg: worker {process.pid} exited ({process.exitcode}); starting another", file=sys.stderr)
                children[i] = _start(context, args)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop([p for p, _ in children.values()])


def _start(context, args: tuple) -> tuple[multiprocessing.Process, float]:
    process = context.Process(target=_worker, args=args)  # not a daemon: a worker starts a SPARQL child of its own
    process.start()
    return process, time.monotonic()


def _stop(processes: list[multiprocessing.Process]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
    deadline = time.monotonic() + STOP_WAIT_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def _worker(host: str, port: int, store_path: str, cache_entries: int, server: Server | None) -> None:
    import uvicorn

    from legalkg.api.app import create_app

    listener = socket.socket(_family(host), socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    listener.listen(2048)
    config = uvicorn.Config(create_app(store_path, cache_entries, server=server), access_log=False)
    uvicorn.Server(config).run(sockets=[listener])


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET
