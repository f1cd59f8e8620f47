"""HTML pages: the interactive graph around a document, an agency or an impact (/viz/…), and a document's text
with its citations, agencies and tasks highlighted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from legalkg.api.problems import Problem
from legalkg.api.readers import Answerer, Store
from legalkg.api.routes.common import LANG, PLACE, resolve_agencies, resolve_document
from legalkg.graph.records import DOCUMENT_RELATIONS, TASK_RULE
from legalkg.graph.store import NodeRow, SqliteStore
from legalkg.queries import core
from legalkg.queries.evidence import Evidence
from legalkg.viz.annotated import marks_for
from legalkg.viz.annotated import render as render_annotated
from legalkg.viz.graph import DEFAULT_CAP, impact_subgraph, render
from legalkg.viz.i18n import language, text

router = APIRouter()
VIS_URL = "/static/vis/vis-network"  # .min.js and .css: api/static.py serves pyvis' copy there


@router.get("/viz/documents/{id:path}", response_class=HTMLResponse, summary="The graph around a document (HTML)")
def viz_document(id: str, store: Store,
                 depth: Annotated[int | None, Query(ge=1, le=4, description=(
                     "Steps around the document; by default 2, or 1 when the document has more than a third of `cap` "
                     "neighbours (a hub decree: its second step is hundreds of documents)"))] = None,
                 cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP,
                 lang: LANG = None,
                 ) -> HTMLResponse:
    node, lang = resolve_document(store, id), language(lang)
    depth = depth or _default_depth(store, node.iri, cap)
    sub = core.neighbors(store, node.iri, depth, limit=cap * 4)
    title = text(lang, "graph_title_document", label=node.label, depth=depth)
    return HTMLResponse(render(sub, title, cap, focus=node.iri, lang=lang, library=VIS_URL))


def _default_depth(store: SqliteStore, iri: str, cap: int) -> int:
    return 1 if store.has_more_neighbours(iri, cap // 3) else 2


@router.get("/viz/agencies/{id:path}", response_class=HTMLResponse, summary="An agency, its tasks and their documents")
def viz_agency(id: str, store: Store, cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP,
               place: PLACE = None,
               lang: LANG = None,
               ) -> HTMLResponse:
    found, lang = resolve_agencies(store, id, place), language(lang)
    if len(found) != 1:
        raise Problem(409, "Ambiguous agency", f"{id!r} names {len(found)} agencies of one province; give its id",
                      candidates=[{"id": a.iri, "label": a.label} for a in found])
    sub = core.neighbors(store, found[0].iri, 2, limit=cap * 4)
    title = text(lang, "graph_title_agency", label=found[0].label)
    return HTMLResponse(render(sub, title, cap, focus=found[0].iri, lang=lang, library=VIS_URL))


@router.get("/viz/impact/{id:path}", response_class=HTMLResponse, summary="What reaches a document backwards (HTML)")
def viz_impact(id: str, store: Answerer, cap: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_CAP,
               lang: LANG = None,
               ) -> HTMLResponse:
    node, lang = resolve_document(store, id), language(lang)
    answer = core.impact(store, node, limit=cap * 4).json()
    title = text(lang, "graph_title_impact", label=node.label)
    return HTMLResponse(render(impact_subgraph(answer), title, cap, focus=node.iri, layout="levels", lang=lang, library=VIS_URL))


@router.get("/documents/{id:path}/annotated", response_class=HTMLResponse,
            summary="The document's text with its citations, agencies and tasks highlighted (HTML)")
def annotated(id: str, store: Store, lang: LANG = None) -> HTMLResponse:
    lang = language(lang)
    node = resolve_document(store, id)
    source = node.props.get("source")
    if node.stub or not source:
        raise Problem(404, "No text", f"{node.label} is known only from citations; its text was never ingested")
    text = Evidence(store).text(source)
    if text is None:
        raise Problem(404, "No text", f"the source of {node.label}, {source}, cannot be read any more")
    citations, tasks = _citations(store, node, source), _tasks(store, node)
    unresolved = store.unresolved(source)
    marks = marks_for(text, citations, tasks, node.props.get("place"), lang)
    return HTMLResponse(render_annotated(node.label, text, marks, tasks, unresolved, lang))


def _citations(store: SqliteStore, node: NodeRow, source: str) -> list[dict]:
    """What the document's own text cites, with the spans to highlight."""
    outgoing = [e for e in store.edges_from([node.iri], DOCUMENT_RELATIONS) if e.source == source]
    cited = store.nodes([e.dst for e in outgoing])
    return [{"start": e.start, "end": e.end, "relation": e.rel, "to": e.dst,
             "label": cited[e.dst].label if e.dst in cited else e.dst, "stub": e.dst in cited and cited[e.dst].stub}
            for e in outgoing]


def _tasks(store: SqliteStore, node: NodeRow) -> list[dict]:
    """The document's tasks with their spans, by index."""
    parts = [e for e in store.edges_to([node.iri], ["part_of"]) if e.rule.startswith(TASK_RULE)]  # not provisions
    task_nodes = store.nodes([e.src for e in parts])
    return sorted(({"start": e.start, "end": e.end, **task_nodes[e.src].props} for e in parts if e.src in task_nodes),
                  key=lambda t: t["index"])
