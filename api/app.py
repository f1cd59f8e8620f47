"""The HTTP API (FastAPI): a thin layer over queries/ and the store. Versioned under /v1, OpenAPI at /docs, errors as
application/problem+json (RFC 9457).

Identifiers in paths take the forms users type ("ND 107/2021", "107/2021/NĐ-CP"), an IRI, or an IRI without the base
("eli/vn/nd/2021/107"); an ambiguous one is a 409 listing the candidates. Requests read through a pool of connections;
GET answers are cached per process under the store's generation; uploads are serialised, so concurrent ones lose
nothing.
"""

from __future__ import annotations

import asyncio
import calendar
import gc
import os
import re
import sqlite3
import queue
import threading
from http import HTTPStatus
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from legalkg.api.cache import ENTRIES as CACHE_ENTRIES
from legalkg.api.cache import AnswerCache
from legalkg.api.sparql import MAX_QUERY, ROW_LIMIT, TIMEOUT_S, SparqlError, SparqlRunner
from legalkg.api.export import MEDIA_TYPES, export
from legalkg.api.limits import BodyLimit, BodyTooLarge
from legalkg.api.uploads import MAX_UPLOAD, Ingester, UploadRefused
from legalkg.api.export import PATTERN as EXPORT_FORMATS
from legalkg.extract.text import ExtractError, read_source
from legalkg.graph import ids
from legalkg.graph.build import DOCUMENT_RELATIONS
from legalkg.graph.cypher import BackendError, CypherStore, Server
from legalkg.graph.store import NodeRow, SqliteStore, StoreError, open_store
from legalkg.graph.store import Store as StoreInterface
from legalkg.queries import core
from legalkg.queries.identify import Ambiguous, NotFound, agencies_named, identify
from legalkg.queries.sparql import materialise
from legalkg.viz.annotated import marks_for
from legalkg.viz.annotated import render as render_annotated
from legalkg.viz.graph import DEFAULT_CAP, impact_subgraph, render

PROBLEM = "application/problem+json"
PAGE = 50
READERS = 4  # requests of one server process reading the store at once
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object",
    "properties": {"file": {"type": "string", "format": "binary"}, "text": {"type": "string"},
                   "name": {"type": "string"}},
    "additionalProperties": False}}}}
UPLOAD_FIELDS = {"file", "text", "name"}
UPLOAD_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
BODY_LIMITS = (("POST", "/v1/documents", MAX_UPLOAD + 64 * 1024),  # the file, and the form around it
               ("POST", "/v1/sparql", 4 * MAX_QUERY))  # a query of MAX_QUERY characters, each up to 4 UTF-8 bytes
SPARQL_BODY = {"required": True, "content": {
    "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"],
                                                     "properties": {"query": {"type": "string", "minLength": 1}}}}}}
SPARQL_RESPONSES = {200: {"description": "SPARQL 1.1 JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); "
                                         "x-legalkg-truncated: true when rows were cut at the limit",
                          "content": {"application/sparql-results+json": {}, "application/n-triples": {}}}}
DATE = r"^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
CACHED_PREFIXES = ("/v1/documents", "/v1/stale", "/v1/conflicts", "/v1/agencies", "/v1/tasks", "/viz/")
CURSOR = "^(?:[0-9a-f]{2})*$"  # an opaque position: the hex of the last IRI of the previous page


class Problem(HTTPException):
    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra) -> None:
        super().__init__(status, detail, headers)
        self.title, self.extra = title, extra


@contextmanager
def _reader(app: FastAPI) -> Iterator[SqliteStore]:
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


async def _store(request: Request) -> AsyncIterator[SqliteStore]:
    """The request's reading connection. At most READERS requests of a process read at once; the others wait their
    turn in order. More would not answer sooner (Python runs one thread at a time), but each would open a connection
    with a cold page cache, and the slower answers would let still more pile up. An async dependency on purpose:
    FastAPI runs the teardown of a sync one through a limiter of one thread, which serialises every request."""
    async with _admission(request.app):
        with _reader(request.app) as connection:
            yield connection


async def _answerer(request: Request) -> AsyncIterator[StoreInterface]:
    """Who answers the named questions (depends-on, impact, stale, an agency's workload): the server the app was
    given (serve --backend), else the store, as every other route."""
    app = request.app
    if app.state.server is None:
        async with _admission(app):
            with _reader(app) as connection:
                yield connection
        return
    watch = app.state.sync_watch
    if watch is not None and watch.reachable is False:  # known to be down: say so now, not after a timeout
        raise Problem(503, "Backend unavailable", f"the {app.state.server.backend} server at {app.state.server.uri} "
                                                  "does not answer")
    async with _admission(app, "backend"):  # a slow server holds its own slots, not those of the store's routes
        connection = await run_in_threadpool(_take_backend, app)  # connecting may take a while: not in the loop
        try:
            yield connection
        finally:
            app.state.backends.put(connection)


def _closed(remote: CypherStore | None) -> None:
    if remote is not None:
        try:
            remote.connection.close()
        except Exception:  # noqa: BLE001, S110 - closing what already failed: nothing more to do
            pass


def _take_backend(app: FastAPI) -> CypherStore:
    """A pooled connection to the app's server (opened when the pool is empty); the caller puts it back."""
    try:
        return app.state.backends.get_nowait()
    except queue.Empty:
        try:
            return CypherStore(app.state.server.connect())
        except BackendError as exc:
            raise Problem(503, "Backend unavailable", str(exc)) from None


class _SyncWatch(threading.Thread):
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


def _admission(app: FastAPI, of: str = "store") -> asyncio.Semaphore:
    name = f"admission_{of}"
    if getattr(app.state, name, None) is None:  # made in the event loop that serves the app
        setattr(app.state, name, asyncio.Semaphore(READERS))
    return getattr(app.state, name)


Store = Annotated[SqliteStore, Depends(_store)]
Answerer = Annotated[StoreInterface, Depends(_answerer)]


PROBLEM_SCHEMA = {
    "type": "object", "required": ["title", "status", "detail"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {}, "instance": {"type": "string"}, "candidates": {"type": "array"},
                   "errors": {"type": "array"}},
}
ERRORS = {code: {"description": HTTPStatus(code).phrase, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}
          for code in (400, 404, 409, 413, 415, 422, 503)}


@asynccontextmanager
async def _frozen_heap(app: FastAPI) -> AsyncIterator[None]:
    """What exists once the app has started (modules, spaCy's tables, the schema) lives as long as the process: kept
    out of the garbage collector's full scans, whose pauses were most of the slowest answers' time."""
    if app.state.server is not None:
        app.state.sync_watch = _SyncWatch(app.state.server)
        app.state.sync_watch.start()
    gc.collect()
    gc.freeze()
    yield
    app.state.sparql.close()
    app.state.ingester.close()
    if app.state.sync_watch is not None:
        app.state.sync_watch.stopped.set()
    while not app.state.backends.empty():
        _closed(app.state.backends.get_nowait())


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
                  responses=ERRORS, lifespan=_frozen_heap)
    app.state.store_path = str(store_path)
    app.state.sparql = SparqlRunner(sparql_timeout_s, sparql_rows)
    app.state.readers = queue.SimpleQueue()
    app.state.server, app.state.backends, app.state.sync_watch = server, queue.SimpleQueue(), None
    app.add_middleware(AnswerCache, version=lambda: _store_version(app), prefixes=CACHED_PREFIXES,
                       entries=cache_entries)
    app.add_middleware(BodyLimit, limits=BODY_LIMITS)
    upload_dir = Path(f"{store_path}.uploads")  # beside the store: every worker and restart names a file alike
    upload_dir.mkdir(exist_ok=True)
    app.state.ingester = Ingester(store_path, upload_dir)

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> JSONResponse:
        body = {"type": "about:blank", "title": exc.title, "status": exc.status_code, "detail": exc.detail,
                "instance": str(request.url.path), **exc.extra}
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM, headers=exc.headers)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        return await problem(request, Problem(413, "Too large", str(exc), limit=exc.limit))

    @app.exception_handler(BackendError)
    async def backend_failed(request: Request, exc: BackendError) -> JSONResponse:
        return await problem(request, Problem(503, "Backend unavailable", str(exc)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        body = {"type": "about:blank", "title": "Invalid request", "status": 422,
                "detail": "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors),
                "instance": str(request.url.path), "errors": errors}
        return JSONResponse(body, status_code=422, media_type=PROBLEM)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"type": "about:blank", "title": HTTPStatus(exc.status_code).phrase, "status": exc.status_code,
                "detail": exc.detail, "instance": str(request.url.path)}
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not just those of the first route that matched it
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM, headers=headers)

    def document(store: StoreInterface, text: str) -> NodeRow:
        try:
            return identify(store, ids.BASE + text if text.startswith("eli/") else text)
        except Ambiguous as exc:
            raise Problem(409, "Ambiguous identifier", str(exc),
                          candidates=[{"id": c.iri, "label": c.label, "place": c.props.get("place"),
                                       "year": c.props.get("year")} for c in exc.candidates]) from None
        except NotFound as exc:
            raise Problem(404, "Not found", str(exc)) from None

    @app.get("/v1/status", summary="The server process and its store: counts, format, generation (a health check)")
    def status(store: Store) -> JSONResponse:
        body = {"status": "ok", "worker": os.getpid(), "generation": store.generation(), "store": store.stats()}
        if server is not None:
            remote = _take_backend(app)
            try:
                body["backend"] = {**server.describe(), "synced": remote.synced()}
            finally:
                app.state.backends.put(remote)
        return _json(body)

    @app.get("/v1/documents", summary="Documents, filtered; cursor pagination")
    def list_documents(store: Store, type: str | None = None, place: str | None = None,
                       year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
                       q: str | None = None, cursor: Annotated[str | None, Query(pattern=CURSOR)] = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = PAGE) -> JSONResponse:
        rows = store.documents(_decode_cursor(cursor), limit + 1, type, place, year, q)
        items = [_document_brief(n.iri, n.label, n.stub, n.props) for n in rows[:limit]]
        return _json({"items": items, "next": _encode_cursor(rows[limit - 1].iri) if len(rows) > limit else None})

    @app.get("/v1/documents/{id:path}/impact", summary="Everything reaching the document backwards, nearest first")
    def document_impact(id: str, store: Answerer, depth: Annotated[int, Query(ge=1, le=6)] = 3,
                        limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
        return _json(core.impact(store, document(store, id), depth, limit).json())

    @app.get("/v1/documents/{id:path}/dependent-tasks", summary="Tasks that depend on the document")
    def dependent_tasks(id: str, store: Answerer, transitive: bool = False,
                        limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
        return _json(core.depends_on(store, document(store, id), transitive, limit).json())

    @app.get("/v1/documents/{id:path}", summary="A document: metadata, typed relations with spans, tasks")
    def get_document(id: str, store: Store, limit: Annotated[int, Query(ge=1, le=5000)] = PAGE) -> JSONResponse:
        node = document(store, id)
        outgoing = [e for e in store.edges_from([node.iri]) if e.rel != "part_of"][:limit]
        incoming = store.edges_to([node.iri], core.CITING, limit=limit)
        tasks = [e.src for e in store.edges_to([node.iri], ["part_of"], limit=limit)]
        labels = {n.iri: n.label for n in store.nodes([e.dst for e in outgoing] + [e.src for e in incoming]).values()}
        return _json({**_document_brief(node.iri, node.label, node.stub, node.props),
                      "outgoing": [_edge(e, labels.get(e.dst)) for e in outgoing],
                      "incoming": [_edge(e, labels.get(e.src)) for e in incoming],
                      "incoming_total": store.count_to([node.iri], core.CITING),
                      "tasks": [{"id": t.iri, **t.props} for t in store.nodes(tasks).values()]})

    @app.post("/v1/documents", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY},
              responses={200: {"description": "The store already holds these bytes (under this name or another): "
                                              "nothing changed; `held_as` names the source"}},
              summary="Upload a document (a file, or text in a form field): extract, merge, report what was added")
    async def upload(request: Request) -> JSONResponse:
        if _media_type(request) not in UPLOAD_MEDIA:
            raise Problem(415, "Unsupported media type", "send the document as multipart/form-data (a `file` part, "
                                                         "or a `text` field), or a urlencoded form with `text`")
        try:
            form = await request.form(max_part_size=MAX_UPLOAD + 1)
        except BodyTooLarge:
            raise
        except Exception as exc:  # noqa: BLE001 - a malformed multipart body is the client's error, whatever it is
            raise Problem(400, "Bad form", f"the body is not a form this API reads: {exc}") from None
        if unknown := set(form.keys()) - UPLOAD_FIELDS:
            raise Problem(422, "Unknown fields", f"the form takes file, text and name, not {', '.join(sorted(unknown))}")
        given = form.get("file") if form.get("file") is not None else form.get("text")
        data = (await given.read(MAX_UPLOAD + 1)) if hasattr(given, "read") else str(given or "").encode("utf-8")
        name = form.get("name") if isinstance(form.get("name"), str) else None
        filename = _safe_name(name or getattr(given, "filename", None) or "")
        try:
            answer = await app.state.ingester.ingest(data, filename)
        except UploadRefused as exc:
            raise Problem(exc.status, exc.title, exc.detail) from None
        return _json(answer, status=200 if answer.get("held_as") else 201)

    @app.get("/v1/stale", summary="Documents citing a document that a later one amends, replaces or repeals")
    def get_stale(store: Answerer, limit: Annotated[int, Query(ge=1, le=5000)] = core.DEFAULT_LIMIT) -> JSONResponse:
        return _json(core.stale_json(store, limit))

    @app.get("/v1/conflicts", summary="Facts the sources disagree on; short forms never defined")
    def get_conflicts(store: Store) -> JSONResponse:
        return _json(core.conflicts(store))

    @app.get("/v1/agencies", summary="Agencies, optionally by province or name")
    def list_agencies(store: Store, place: str | None = None, q: str | None = None) -> JSONResponse:
        items = [{"id": a.iri, "label": a.label, **a.props} for a in store.nodes_of_kind("Agency")
                 if (not place or a.props.get("place") == place) and (not q or q.casefold() in a.label.casefold())]
        return _json({"items": sorted(items, key=lambda a: (a.get("place") or "", a["label"]))})

    @app.get("/v1/agencies/{id:path}", summary="An agency's tasks, grouped by deadline as of a date")
    def get_agency(id: str, store: Answerer, as_of: Annotated[str | None, Query(pattern=DATE)] = None) -> JSONResponse:
        agencies = agencies_named(store, id)
        if not agencies:
            raise Problem(404, "Not found", f"no agency {id!r}")
        return _json(core.agency_workload(store, agencies, _day(as_of) or date.today()).json())

    @app.get("/v1/tasks", summary="Tasks, by agency, document, deadline range, overdue as of a date")
    def list_tasks(store: Store, agency: str | None = None, document_id: Annotated[str | None, Query(alias="document")] = None,
                   due_from: Annotated[str | None, Query(pattern=DATE)] = None,
                   due_to: Annotated[str | None, Query(pattern=DATE)] = None,
                   overdue_as_of: Annotated[str | None, Query(pattern=DATE)] = None,
                   limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
        window = (_day(due_from), _day(due_to), _day(overdue_as_of))
        if agency:
            found = agencies_named(store, agency)
            if not found:
                raise Problem(404, "Not found", f"no agency {agency!r}")
            paths = {e.src: [core.Step.of(e)] for e in store.edges_to([a.iri for a in found], ["assigned_to", "coordinates"])}
        elif document_id:
            paths = {e.src: [core.Step.of(e)] for e in store.edges_to([document(store, document_id).iri], ["part_of"])}
        else:
            paths = None
        candidates = store.nodes(list(paths)).values() if paths is not None else store.nodes_of_kind("Task")
        kept, total = [], 0
        for task in candidates:  # the deadline is in the task's own props: filter before building answers
            if _due_between(task.props.get("deadline"), *window):
                total += 1
                if len(kept) < limit:
                    kept.append(task.iri)
                elif paths is None:
                    total = None  # scanning every task of the store to count them is not worth an answer's time
                    break
        results = core.task_results(store, {iri: (paths or {}).get(iri, []) for iri in kept})
        return _json(core.Answer({"name": "tasks", "total": total, "limit": limit}, results).json())

    @app.get("/v1/export", summary="The whole graph, streamed: JSON lines, GraphML, or RDF (N-Triples, Turtle, JSON-LD)",
             response_class=StreamingResponse,
             responses={200: {"description": "The graph", "content": {media: {} for media in MEDIA_TYPES.values()}}})
    def export_graph(format: Annotated[str, Query(pattern=EXPORT_FORMATS)] = "json") -> StreamingResponse:
        with _reader(app):  # proves the store opens; the stream reads on a connection of its own, not a reader slot
            pass
        return StreamingResponse(export(app.state.store_path, format), media_type=MEDIA_TYPES[format])

    @app.get("/v1/sparql", summary="A read-only SPARQL query over the graph as RDF (time and row limits)",
             response_class=Response, responses=SPARQL_RESPONSES)
    async def sparql_get(query: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)]) -> Response:
        return await _sparql(app, query)

    @app.post("/v1/sparql", summary="The same, the query in the body (application/sparql-query, or a form field)",
              response_class=Response, responses=SPARQL_RESPONSES, openapi_extra={"requestBody": SPARQL_BODY})
    async def sparql_post(request: Request) -> Response:
        kind = _media_type(request)
        if kind == "application/sparql-query":
            query = (await request.body()).decode("utf-8", errors="replace")
        elif kind == "application/x-www-form-urlencoded":
            query = str((await request.form()).get("query") or "")
        else:
            raise Problem(415, "Unsupported media type", "send the query as application/sparql-query, "
                                                         "or as the form field `query`")
        if not query.strip():
            raise Problem(422, "No query", "the request holds no SPARQL query")
        return await _sparql(app, query)

    @app.get("/viz/documents/{id:path}", response_class=HTMLResponse, summary="The graph around a document (HTML)")
    def viz_document(id: str, store: Store, depth: Annotated[int, Query(ge=1, le=4)] = 2,
                     cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP) -> HTMLResponse:
        node = document(store, id)
        sub = core.neighbors(store, node.iri, depth, limit=cap * 4)
        return HTMLResponse(render(sub, f"{node.label}: {depth} steps around", cap))

    @app.get("/viz/agencies/{id:path}", response_class=HTMLResponse, summary="An agency, its tasks and their documents")
    def viz_agency(id: str, store: Store, cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP) -> HTMLResponse:
        found = agencies_named(store, id)
        if len(found) != 1:
            raise Problem(404, "Not found", f"no agency {id!r}" if not found else f"{id!r} names {len(found)} agencies")
        return HTMLResponse(render(core.neighbors(store, found[0].iri, 2, limit=cap * 4), found[0].label, cap))

    @app.get("/viz/impact/{id:path}", response_class=HTMLResponse, summary="What reaches a document backwards (HTML)")
    def viz_impact(id: str, store: Answerer, cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP) -> HTMLResponse:
        node = document(store, id)
        answer = core.impact(store, node, limit=cap * 4).json()
        return HTMLResponse(render(impact_subgraph(answer), f"impact of {node.label}", cap))

    @app.get("/documents/{id:path}/annotated", response_class=HTMLResponse,
             summary="The document's text with its citations, agencies and tasks highlighted (HTML)")
    def annotated(id: str, store: Store) -> HTMLResponse:
        node = document(store, id)
        source = node.props.get("source")
        if node.stub or not source:
            raise Problem(404, "No text", f"{node.label} is known only from citations; its text was never ingested")
        try:
            text = read_source(source).raw
        except (OSError, ExtractError) as exc:
            raise Problem(404, "No text", f"the source of {node.label} cannot be read any more: {exc}") from None
        outgoing = [e for e in store.edges_from([node.iri], DOCUMENT_RELATIONS) if e.source == source]
        cited = store.nodes([e.dst for e in outgoing])
        citations = [{"start": e.start, "end": e.end, "relation": e.rel, "to": e.dst,
                      "label": cited[e.dst].label if e.dst in cited else e.dst, "stub": e.dst in cited and cited[e.dst].stub}
                     for e in outgoing]
        parts = store.edges_to([node.iri], ["part_of"])
        task_nodes = store.nodes([e.src for e in parts])
        tasks = sorted(({"start": e.start, "end": e.end, **task_nodes[e.src].props} for e in parts if e.src in task_nodes),
                       key=lambda t: t["index"])
        unresolved = store.unresolved(source)
        marks = marks_for(text, citations, tasks, node.props.get("place"))
        return HTMLResponse(render_annotated(node.label, text, marks, tasks, unresolved))

    return app


def _store_version(app: FastAPI) -> int | tuple | None:
    """The store's generation (every committed batch bumps it), and with a server the mark of its last sync; None
    when there is no store, or the server's mark is not known: answer without the cache."""
    try:
        with _reader(app) as connection:
            generation = connection.generation()
    except (Problem, sqlite3.Error):  # no store, or one being written
        return None
    if app.state.server is None:
        return generation
    mark = app.state.sync_watch.mark if app.state.sync_watch is not None else None
    return None if mark is None else (generation, mark)


class _FastJSON(JSONResponse):
    def render(self, content: object) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)  # a tenth of json.dumps' time on big answers


async def _sparql(app: FastAPI, query: str) -> Response:
    """A query waits for its turn in the event loop, holding no thread and no reader slot; past the runner's queue it
    is a 503 with Retry-After."""
    def view() -> Path:  # in the SPARQL runner's thread: building the view may take a while
        with _reader(app) as store:
            return materialise(store.path, store.generation())

    try:
        answer = await app.state.sparql.answer(view, query)
    except SparqlError as exc:
        headers = {"retry-after": str(exc.retry_after)} if exc.retry_after is not None else None
        raise Problem(exc.status, exc.title, exc.detail, headers) from None
    headers = {"x-legalkg-truncated": "true"} if answer.truncated else {}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _json(content: dict, status: int = 200) -> JSONResponse:
    """Answers are plain JSON data already: sent as they are, without FastAPI's encoder walking them again."""
    return _FastJSON(content, status_code=status)


def _allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        if getattr(route, "methods", None) and route.matches({**scope, "method": next(iter(route.methods))})[0] == Match.FULL:
            methods |= route.methods
    return sorted(methods)


def _safe_name(name: str) -> str:
    """A file name the upload folder can hold, whatever the client sent ("../x", NUL bytes, nothing)."""
    return re.sub(r"[^\w.\-]+", "_", Path(name.replace("\x00", "")).name)[:120].strip("._") or "upload.txt"


def _day(text: str | None) -> date | None:
    """A DATE-shaped value as a date; a day past the month's end (2023-02-31) is its last day."""
    if not text:
        return None
    year, month, day = map(int, text.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _document_brief(iri: str, label: str, stub: bool, props: dict) -> dict:
    return {"id": iri, "label": label, "stub": stub, **props}


def _edge(e, label: str | None) -> dict:
    return {"from": e.src, "relation": e.rel, "to": e.dst, "label": label, "source": e.source, "start": e.start,
            "end": e.end, "rule": e.rule}


def _encode_cursor(iri: str) -> str:
    return iri.encode("utf-8").hex()


def _decode_cursor(cursor: str | None) -> str:
    """The position after which the page starts (CURSOR makes every value that passes validation one)."""
    return bytes.fromhex(cursor).decode("utf-8", errors="replace") if cursor else ""


def _due_between(deadline: dict | None, start: date | None, end: date | None, overdue_as_of: date | None) -> bool:
    due = (deadline or {}).get("end")
    if (start or end or overdue_as_of) and not due:
        return False
    day = date.fromisoformat(due) if due else None
    return (not start or day >= start) and (not end or day <= end) and (not overdue_as_of or day < overdue_as_of)
