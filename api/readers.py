"""Who reads for a request: a pool of reading connections to the store, at most READERS requests of a process at
once; with a server (serve --backend), a pool of connections to it for the named questions, and a thread watching
its sync mark so the answer cache knows when a sync changed the graph."""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from legalkg.api.problems import Problem
from legalkg.graph.cypher import BackendError, CypherStore, Server
from legalkg.graph.store import SqliteStore, StoreError, open_store
from legalkg.graph.store import Store as StoreInterface

READERS = 4  # requests of one server process reading the store at once


def open_pools(app: FastAPI, store_path: str | Path, server: Server | None) -> None:
    """Empty pools on app.state; connections are opened as requests need them."""
    app.state.store_path = str(store_path)
    app.state.readers = queue.SimpleQueue()
    app.state.server, app.state.backends, app.state.sync_watch = server, queue.SimpleQueue(), None


@contextmanager
def reader(app: FastAPI) -> Iterator[SqliteStore]:
    """A reading connection from the app's pool (opened when the pool is empty), given back after. Connections are
    reused so their page caches stay warm."""
    pool: queue.SimpleQueue = app.state.readers
    try:
        connection = pool.get_nowait()
    except queue.Empty:
        try:
            connection = open_store(app.state.store_path, threads=True)
        except StoreError as exc:
            raise Problem(503, "Store unavailable", str(exc)) from None
    try:
        yield connection
    finally:
        pool.put(connection)


async def reading_store(request: Request) -> AsyncIterator[SqliteStore]:
    """The request's reading connection. At most READERS requests of a process read at once; the others wait their
    turn in order. More would not answer sooner (Python runs one thread at a time), but each would open a connection
    with a cold page cache, and the slower answers would let still more pile up. An async dependency on purpose:
    FastAPI runs the teardown of a sync one through a limiter of one thread, which serialises every request."""
    async with _admission(request.app):
        with reader(request.app) as connection:
            yield connection


async def answering_store(request: Request) -> AsyncIterator[StoreInterface]:
    """Who answers the named questions (depends-on, impact, stale, an agency's workload): the server the app was
    given (serve --backend), else the store, as every other route."""
    app = request.app
    if app.state.server is None:
        async with _admission(app):
            with reader(app) as connection:
                yield connection
        return
    watch = app.state.sync_watch
    if watch is not None and watch.reachable is False:  # known to be down: say so now, not after a timeout
        raise Problem(503, "Backend unavailable", f"the {app.state.server.backend} server at {app.state.server.uri} "
                                                  "does not answer")
    async with _admission(app, "backend"):  # a slow server holds its own slots, not those of the store's routes
        connection = await run_in_threadpool(take_backend, app)  # connecting may take a while: not in the loop
        try:
            yield connection
        finally:
            app.state.backends.put(connection)


Store = Annotated[SqliteStore, Depends(reading_store)]
Answerer = Annotated[StoreInterface, Depends(answering_store)]


def _admission(app: FastAPI, of: str = "store") -> asyncio.Semaphore:
    name = f"admission_{of}"
    if getattr(app.state, name, None) is None:  # made in the event loop that serves the app
        setattr(app.state, name, asyncio.Semaphore(READERS))
    return getattr(app.state, name)


def take_backend(app: FastAPI) -> CypherStore:
    """A pooled connection to the app's server (opened when the pool is empty); the caller puts it back."""
    try:
        return app.state.backends.get_nowait()
    except queue.Empty:
        try:
            return CypherStore(app.state.server.connect())
        except BackendError as exc:
            raise Problem(503, "Backend unavailable", str(exc)) from None


def store_version(app: FastAPI) -> int | tuple | None:
    """The store's generation (every committed batch bumps it), and with a server the mark of its last sync; None
    when there is no store, or the server's mark is not known: answer without the cache."""
    try:
        with reader(app) as connection:
            generation = connection.generation()
    except (Problem, sqlite3.Error):  # no store, or one being written
        return None
    if app.state.server is None:
        return generation
    mark = app.state.sync_watch.mark if app.state.sync_watch is not None else None
    return None if mark is None else (generation, mark)


def start_sync_watch(app: FastAPI) -> None:
    if app.state.server is not None:
        app.state.sync_watch = SyncWatch(app.state.server)
        app.state.sync_watch.start()


def close_backends(app: FastAPI) -> None:
    """Stops the sync watch and closes the pooled server connections."""
    if app.state.sync_watch is not None:
        app.state.sync_watch.stopped.set()
    while not app.state.backends.empty():
        _closed(app.state.backends.get_nowait())


class SyncWatch(threading.Thread):
    """Reads the server's sync mark every `every` seconds, so the answer cache knows when a sync changed the graph
    without asking the server on every request. The mark is None (no cache) while the server cannot be read, has
    never been synced, or a sync is running; `reachable` says whether the last read got an answer."""

    def __init__(self, server: Server, every: float = 1.0) -> None:
        super().__init__(name="legalkg-sync-watch", daemon=True)
        self.server, self.every = server, every
        self.mark: str | None = None
        self.reachable: bool | None = None  # None: not known yet
        self.stopped = threading.Event()

    def run(self) -> None:
        remote = None
        while not self.stopped.is_set():
            try:
                remote = remote or CypherStore(self.server.connect())
                mark = remote.synced() or {}
                self.mark, self.reachable = (mark.get("token") if mark.get("complete") else None), True
            except Exception:  # noqa: BLE001 - whatever failed, the mark is not known: answer without the cache
                self.mark, self.reachable = None, False
                _closed(remote)
                remote = None
            self.stopped.wait(self.every)
        _closed(remote)


def _closed(remote: CypherStore | None) -> None:
    if remote is not None:
        try:
            remote.connection.close()
        except Exception:  # noqa: BLE001, S110 - closing what already failed: nothing more to do
            pass
