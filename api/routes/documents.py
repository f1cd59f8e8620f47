"""Documents: the list, one document, what depends on it (impact, dependent tasks), what was changed in its
provisions and what it changes in others (effects), uploads; and the questions over all of them (stale citations,
conflicting facts).

The /impact, /dependent-tasks and /effects routes come before /v1/documents/{id:path}, whose path would match them too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from legalkg.api.limits import BodyTooLarge
from legalkg.api.problems import Problem
from legalkg.api.readers import Answerer, Store
from legalkg.api.routes.common import json_answer, media_type, resolve_document, safe_name
from legalkg.api.uploads import MAX_UPLOAD, UploadRefused
from legalkg.graph.records import PROVISION_RELATIONS
from legalkg.queries import core
from legalkg.queries.effects import effects

PAGE = 50
EFFECTS_LIMIT = 1000  # effects each way: the most amended laws have hundreds
# a document's edges that are not its relations: its tasks and provisions (part_of), the provisions it cites and the
# effects it states (the /effects route gives those)
OWN_STRUCTURE = frozenset({"part_of", *PROVISION_RELATIONS})
CURSOR = "^(?:[0-9a-f]{2})*$"  # an opaque position: the hex of the last IRI of the previous page
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object",
    "properties": {"file": {"type": "string", "format": "binary"}, "text": {"type": "string"},
                   "name": {"type": "string"}},
    "additionalProperties": False}}}}
UPLOAD_FIELDS = {"file", "text", "name"}
UPLOAD_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")

router = APIRouter()


@router.get("/v1/documents", summary="Documents, filtered; cursor pagination")
def list_documents(store: Store, type: str | None = None, place: str | None = None,
                   year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
                   q: str | None = None, cursor: Annotated[str | None, Query(pattern=CURSOR)] = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = PAGE) -> JSONResponse:
    rows = store.documents(_decode_cursor(cursor), limit + 1, type, place, year, q)
    items = [_document_brief(n.iri, n.label, n.stub, n.props) for n in rows[:limit]]
    return json_answer({"items": items, "next": _encode_cursor(rows[limit - 1].iri) if len(rows) > limit else None})


@router.get("/v1/documents/{id:path}/impact", summary="Everything reaching the document backwards, nearest first")
def document_impact(id: str, store: Answerer, depth: Annotated[int, Query(ge=1, le=6)] = 3,
                    limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
    return json_answer(core.impact(store, resolve_document(store, id), depth, limit).json())


@router.get("/v1/documents/{id:path}/dependent-tasks", summary="Tasks that depend on the document")
def dependent_tasks(id: str, store: Answerer, transitive: bool = False,
                    limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
    return json_answer(core.depends_on(store, resolve_document(store, id), transitive, limit).json())


@router.get("/v1/documents/{id:path}/effects",
            summary="Provision-level effects: changes later documents made to this one's provisions (`on`), and "
                    "those this one states on other documents (`stated`)")
def document_effects(id: str, store: Answerer,
                     limit: Annotated[int, Query(ge=1, le=5000)] = EFFECTS_LIMIT) -> JSONResponse:
    return json_answer(effects(store, resolve_document(store, id), limit).json())


@router.get("/v1/documents/{id:path}", summary="A document: metadata, typed relations with spans, tasks")
def get_document(id: str, store: Store, limit: Annotated[int, Query(ge=1, le=5000)] = PAGE) -> JSONResponse:
    node = resolve_document(store, id)
    outgoing = [e for e in store.edges_from([node.iri]) if e.rel not in OWN_STRUCTURE][:limit]
    incoming = store.edges_to([node.iri], core.CITING, limit=limit)
    tasks = core.tasks_of(store, node.iri, limit)
    labels = {n.iri: n.label for n in store.nodes([e.dst for e in outgoing] + [e.src for e in incoming]).values()}
    return json_answer({**_document_brief(node.iri, node.label, node.stub, node.props),
                        "outgoing": [_edge(e, labels.get(e.dst)) for e in outgoing],
                        "incoming": [_edge(e, labels.get(e.src)) for e in incoming],
                        "incoming_total": store.count_to([node.iri], core.CITING),
                        "tasks": [{"id": t.iri, **t.props} for t in store.nodes(tasks).values()]})


@router.post("/v1/documents", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY},
             responses={200: {"description": "The store already holds these bytes (under this name or another): "
                                             "nothing changed; `held_as` names the source"}},
             summary="Upload a document (a file, or text in a form field): extract, merge, report what was added")
async def upload(request: Request) -> JSONResponse:
    if media_type(request) not in UPLOAD_MEDIA:
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
    filename = safe_name(name or getattr(given, "filename", None) or "")
    try:
        answer = await request.app.state.ingester.ingest(data, filename)
    except UploadRefused as exc:
        raise Problem(exc.status, exc.title, exc.detail) from None
    return json_answer(answer, status=200 if answer.get("held_as") else 201)


@router.get("/v1/stale", summary="Documents citing a document that a later one amends, replaces or repeals")
def get_stale(store: Answerer, limit: Annotated[int, Query(ge=1, le=5000)] = core.DEFAULT_LIMIT) -> JSONResponse:
    return json_answer(core.stale_json(store, limit))


@router.get("/v1/conflicts", summary="Facts the sources disagree on; short forms never defined")
def get_conflicts(store: Store) -> JSONResponse:
    return json_answer(core.conflicts(store))


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
