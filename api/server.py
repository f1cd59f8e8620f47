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
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

from legalkg.graph.cypher import Server

RESTARTS = 5  # a worker that keeps dying within QUICK_DEATH_S of its start is not restarted more than this
QUICK_DEATH_S = 5.0
STOP_WAIT_S = 10.0


class ServeError(Exception):
    """The server cannot start (the port is taken, the workers die at once), with the reason."""


def serve(store_path: Path, host: str, port: int, workers: int, cache_entries: int, server: Server | None = None,
          on_listening: Callable[[], None] | None = None) -> None:
    """server: the Cypher server that answers the named questions (None: the store does). on_listening is called
    once, in this process, when the server answers: when every worker process has started its app."""
    import uvicorn

    from legalkg.api.app import create_app

    announce = on_listening or (lambda: None)
    if workers == 1:
        config = uvicorn.Config(create_app(store_path, cache_entries, server=server), host=host, port=port,
                                access_log=False)
        single = _announcing(config, announce)
        try:
            single.run()
        except KeyboardInterrupt:  # Ctrl-C: uvicorn has stopped, then raised it again
            return
        except SystemExit:  # uvicorn exits when it cannot bind (it logged why) or the app fails to start
            if single.started:
                raise
        if not single.started:
            raise ServeError(f"cannot listen on {host}:{port} (see above)")
        return
    if not hasattr(socket, "SO_REUSEPORT"):
        os.environ["LEGALKG_STORE"], os.environ["LEGALKG_CACHE"] = str(Path(store_path).resolve()), str(cache_entries)
        if server is not None:
            os.environ["LEGALKG_SERVER"] = json.dumps(asdict(server))
        announce()  # uvicorn's own supervisor: it says when each worker is up; this is said before
        uvicorn.run("legalkg.api.app:app_from_environment", factory=True, host=host, port=port, workers=workers, access_log=False)
        return
    _check_free(host, port)
    _supervise(workers, (host, port, str(Path(store_path).resolve()), cache_entries, server), announce)


def url(host: str, port: int) -> str:
    """The base URL of a server listening on host:port (an IPv6 address in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _announcing(config, started: Callable[[], None]):
    """A uvicorn server that calls `started` once it listens and its app has started."""
    import uvicorn

    class Announcing(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started and not self.should_exit:
                started()

        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            """SIGHUP stops the server as SIGTERM does (uvicorn handles only SIGINT and SIGTERM; a handler of ours
            raising inside the event loop would be caught and logged by the loop)."""
            hup = getattr(signal, "SIGHUP", None)
            if hup is None or threading.current_thread() is not threading.main_thread():
                with super().capture_signals():
                    yield
                return
            previous = signal.signal(hup, lambda signum, frame: self.handle_exit(signal.SIGTERM, frame))
            try:
                with super().capture_signals():
                    yield
            finally:
                signal.signal(hup, previous)

    return Announcing(config)


def _check_free(host: str, port: int) -> None:
    """Sockets bound with SO_REUSEPORT would share the port with another server of ours: refuse a taken port."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _supervise(workers: int, args: tuple, announce: Callable[[], None]) -> None:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker: no state forked from here
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    ready, started = context.Pipe(duplex=False)  # each worker sends its pid here once its app has started
    args = (*args, started)
    children = {i: _start(context, args) for i in range(workers)}
    up: set[int] = set()
    quick_deaths = 0
    try:
        while not stopping:
            wait([ready, *(p.sentinel for p, _ in children.values())], timeout=0.5)
            while not stopping and ready.poll():
                up.add(ready.recv())
                if len(up) == workers:  # said once: later workers (restarts) add to `up` past the count
                    announce()
            for i, (process, started_at) in list(children.items()):
                if process.is_alive() or stopping:
                    continue
                quick_deaths += time.monotonic() - started_at < QUICK_DEATH_S
                if quick_deaths > RESTARTS:
                    raise ServeError(f"worker processes keep exiting at start (last exit code {process.exitcode})")
                print(f"legalkg: worker {process.pid} exited ({process.exitcode}); starting another", file=sys.stderr)
                children[i] = _start(context, args)
    finally:
        try:
            _stop([p for p, _ in children.values()])  # still under our handlers: a second Ctrl-C waits for this
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            ready.close()
            started.close()


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


def _worker(host: str, port: int, store_path: str, cache_entries: int, server: Server | None, started) -> None:
    import uvicorn

    from legalkg.api.app import create_app

    listener = socket.socket(_family(host), socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    listener.listen(2048)
    config = uvicorn.Config(create_app(store_path, cache_entries, server=server), access_log=False)
    try:
        _announcing(config, lambda: started.send(os.getpid())).run(sockets=[listener])
    except KeyboardInterrupt:  # Ctrl-C reaches every process of the terminal's group: uvicorn has stopped; no trace
        pass


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET
