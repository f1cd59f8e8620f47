"""The HTTP API (FastAPI): a thin layer over queries/ and the store. Versioned under /v1, OpenAPI at /docs, errors as
application/problem+json (RFC 9457).

Identifiers in paths take the forms users type ("ND 107/2021", "107/2021/NĐ-CP"), an IRI, or an IRI without the base
("eli/vn/nd/2021/107"); an ambiguous one is a 409 listing the candidates. Requests read through a pool of connections
(readers.py); GET answers are cached per process under the store's generation; uploads are serialised, so concurrent
ones lose nothing. This module assembles the app; the routes are in routes/, one module per resource.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import orjson
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from legalkg.api.cache import ENTRIES as CACHE_ENTRIES
from legalkg.api.cache import AnswerCache
from legalkg.api.limits import BodyLimit
from legalkg.api.problems import ERRORS, PROBLEM, Problem, install_problem_handlers
from legalkg.api.readers import READERS, close_backends, open_pools, start_sync_watch, store_version
from legalkg.api.routes import ROUTERS
from legalkg.api.routes.workbench import refused_upload_page
from legalkg.api.static import mount_static
from legalkg.api.sparql import MAX_QUERY, ROW_LIMIT, TIMEOUT_S, SparqlRunner
from legalkg.api.uploads import MAX_UPLOAD, Ingester
from legalkg.graph import ids
from legalkg.graph.cypher import Server
from legalkg.graph.store import StoreError, open_store

__all__ = ["BODY_LIMITS", "PROBLEM", "READERS", "Problem", "app_from_environment", "create_app"]

BODY_LIMITS = (("POST", "/v1/documents", MAX_UPLOAD + 64 * 1024),  # the file, and the form around it
               ("POST", "/upload", MAX_UPLOAD + 64 * 1024),
               ("POST", "/v1/sparql", 4 * MAX_QUERY))  # a query of MAX_QUERY characters, each up to 4 UTF-8 bytes
CACHED_PREFIXES = ("/v1/documents", "/v1/stale", "/v1/conflicts", "/v1/agencies", "/v1/tasks", "/viz/")


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory` with several worker processes: the store comes from LEGALKG_STORE."""
    server = orjson.loads(os.environ["LEGALKG_SERVER"]) if os.environ.get("LEGALKG_SERVER") else None
    return create_app(os.environ["LEGALKG_STORE"], int(os.environ.get("LEGALKG_CACHE", CACHE_ENTRIES)),
                      server=Server(**server) if server else None)


def create_app(store_path: str | Path, cache_entries: int = CACHE_ENTRIES, sparql_timeout_s: float = TIMEOUT_S,
               sparql_rows: int = ROW_LIMIT, server: Server | None = None) -> FastAPI:
    """The API over the store at store_path; cache_entries GET answers are kept per process (0: none); a SPARQL
    query may run sparql_timeout_s and answer sparql_rows rows. With a server (synced from the store by `legalkg
    sync`), the named questions are answered by it, in the same JSON."""
    app = FastAPI(title="legalkg", version="1", description="A knowledge graph of Vietnamese legal references.",
                  responses=ERRORS, lifespan=_frozen_heap, docs_url=None, redoc_url=None)
    open_pools(app, store_path, server)
    app.state.sparql = SparqlRunner(sparql_timeout_s, sparql_rows)
    app.add_middleware(AnswerCache, version=lambda: store_version(app), prefixes=CACHED_PREFIXES,
                       entries=cache_entries)
    app.add_middleware(BodyLimit, limits=BODY_LIMITS, pages={"/upload": refused_upload_page})
    app.add_middleware(BaseIRI, store_path=store_path)
    upload_dir = Path(f"{store_path}.uploads")  # beside the store: every worker and restart names a file alike
    upload_dir.mkdir(exist_ok=True)
    app.state.ingester = Ingester(store_path, upload_dir)
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_static(app)
    return app


class BaseIRI:
    """Each request reads IRIs under the store's base (graph.ids.using_base): pages and links are made from it. The
    base is read from the store once it exists (a server may start before its store is built)."""

    def __init__(self, app: ASGIApp, store_path: str | Path) -> None:
        self.app, self.store_path, self.base_iri = app, Path(store_path), None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with ids.using_base(self.base_iri or self._read() or ids.DEFAULT_BASE):
            await self.app(scope, receive, send)

    def _read(self) -> str | None:
        if self.store_path.exists():
            try:
                with open_store(self.store_path) as store:
                    self.base_iri = store.base_iri
            except StoreError:
                pass  # the readers answer 503 with the reason
        return self.base_iri


@asynccontextmanager
async def _frozen_heap(app: FastAPI) -> AsyncIterator[None]:
    """What exists once the app has started (modules, spaCy's tables, the schema) lives as long as the process: kept
    out of the garbage collector's full scans, whose pauses were most of the slowest answers' time."""
    start_sync_watch(app)
    gc.collect()
    gc.freeze()
    yield
    app.state.sparql.close()
    app.state.ingester.close()
    close_backends(app)
