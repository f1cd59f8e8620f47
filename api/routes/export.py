"""GET /v1/export: the whole graph, streamed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from legalkg.api.export import MEDIA_TYPES, export
from legalkg.api.export import PATTERN as EXPORT_FORMATS
from legalkg.api.readers import reader

router = APIRouter()


@router.get("/v1/export", summary="The whole graph, streamed: JSON lines, GraphML, or RDF (N-Triples, Turtle, JSON-LD)",
            response_class=StreamingResponse,
            responses={200: {"description": "The graph", "content": {media: {} for media in MEDIA_TYPES.values()}}})
def export_graph(request: Request, format: Annotated[str, Query(pattern=EXPORT_FORMATS)] = "json") -> StreamingResponse:
    with reader(request.app):  # proves the store opens; the stream reads on a connection of its own, not a reader slot
        pass
    return StreamingResponse(export(request.app.state.store_path, format), media_type=MEDIA_TYPES[format])
