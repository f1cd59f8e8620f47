"""/v1/sparql: read-only SPARQL over the graph as RDF, by GET or POST, under the runner's time and row limits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response

from legalkg.api.problems import Problem
from legalkg.api.readers import reader
from legalkg.api.routes.common import media_type
from legalkg.api.sparql import MAX_QUERY, SparqlError
from legalkg.queries.sparql import materialise

SPARQL_BODY = {"required": True, "content": {
    "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"],
                                                     "properties": {"query": {"type": "string", "minLength": 1}}}}}}
SPARQL_RESPONSES = {200: {"description": "SPARQL 1.1 JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE); "
                                         "x-legalkg-truncated: true when rows were cut at the limit",
                          "content": {"application/sparql-results+json": {}, "application/n-triples": {}}}}

router = APIRouter()


@router.get("/v1/sparql", summary="A read-only SPARQL query over the graph as RDF (time and row limits)",
            response_class=Response, responses=SPARQL_RESPONSES)
async def sparql_get(request: Request, query: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)]) -> Response:
    return await _answer(request.app, query)


@router.post("/v1/sparql", summary="The same, the query in the body (application/sparql-query, or a form field)",
             response_class=Response, responses=SPARQL_RESPONSES, openapi_extra={"requestBody": SPARQL_BODY})
async def sparql_post(request: Request) -> Response:
    kind = media_type(request)
    if kind == "application/sparql-query":
        query = (await request.body()).decode("utf-8", errors="replace")
    elif kind == "application/x-www-form-urlencoded":
        query = str((await request.form()).get("query") or "")
    else:
        raise Problem(415, "Unsupported media type", "send the query as application/sparql-query, "
                                                     "or as the form field `query`")
    if not query.strip():
        raise Problem(422, "No query", "the request holds no SPARQL query")
    return await _answer(request.app, query)


async def _answer(app: FastAPI, query: str) -> Response:
    """A query waits for its turn in the event loop, holding no thread and no reader slot; past the runner's queue it
    is a 503 with Retry-After."""
    def view() -> Path:  # in the SPARQL runner's thread: building the view may take a while
        with reader(app) as store:
            return materialise(store.path, store.generation())

    try:
        answer = await app.state.sparql.answer(view, query)
    except SparqlError as exc:
        headers = {"retry-after": str(exc.retry_after)} if exc.retry_after is not None else None
        raise Problem(exc.status, exc.title, exc.detail, headers) from None
    headers = {"x-legalkg-truncated": "true"} if answer.truncated else {}
    return Response(answer.body, media_type=answer.media_type, headers=headers)
