"""The workbench: server-rendered pages for legal staff (Jinja2 templates in api/templates, plain CSS and a little
JavaScript in api/static). Search a document, see its status and what it touches (which tasks, and how the change
reaches the provisions they cite), what later documents changed in it provision by provision and what it changes in
others (the effects tab); take the list away as CSV or XLSX; an agency's tasks by urgency; upload a document and see
where it sits.

The pages call the query functions (queries/), not the HTTP API, and leave the JSON API's contract alone: they are
not in the OpenAPI document. Words come from viz/data/workbench.toml, in Vietnamese unless `?lang=en` (remembered in
a cookie) asks for English. Every value reaches the page through Jinja2's escaping.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from legalkg.api.downloads import AGENCY_TASKS, CSV_MEDIA, IMPACT_DOCUMENTS, IMPACT_TASKS, XLSX_MEDIA, csv_bytes, \
    xlsx_bytes
from legalkg.api.limits import BodyTooLarge
from legalkg.api.problems import Problem
from legalkg.api.readers import Store, reader
from legalkg.api.routes.common import DATE, PLACE, parse_day, resolve_agencies, resolve_document, safe_name
from legalkg.api.uploads import MAX_UPLOAD, UploadRefused
from legalkg.graph.ids import local_part
from legalkg.graph.records import DOCUMENT_RELATIONS
from legalkg.graph.store import NodeRow, SqliteStore
from legalkg.queries import core
from legalkg.queries.evidence import Evidence
from legalkg.queries.lookup import place_of
from legalkg.queries.search import search as search_store
from legalkg.queries.status import status
from legalkg.queries.effects import effects
from legalkg.queries.worklists import AFFECTED_FILTERS, MOST, URGENCY, Filters, agency_tasks, impact_list
from legalkg.viz.i18n import LANGUAGES, language, text, words

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
TABS = ("text", "relations", "impact", "effects", "graph", "conflicts")
SHOWN = 200  # rows of a list on a page; the downloads hold all of them
RECENT = 10
AS_OF = Annotated[str | None, Query(description="Overdue as of this day, YYYY-MM-DD (default: today)")]
EFFECTS_SHOWN = 500  # effects each way on the document page
LONGEST_QUERY = 200

router = APIRouter(include_in_schema=False)


def _lang(request: Request) -> str:
    return language(request.query_params.get("lang") or request.cookies.get("lang"))


def _page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    lang = _lang(request)
    response = TEMPLATES.TemplateResponse(request, template, {"t": words(lang), "lang": lang, **context},
                                          status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def html_errors(route: Callable[..., Response]) -> Callable[..., Response]:
    """A Problem a page raises (no such document, an ambiguous number) shown as a page, not as problem+json."""

    @functools.wraps(route)
    def page(*args, **kwargs) -> Response:
        try:
            return route(*args, **kwargs)
        except Problem as problem:
            return _page(kwargs["request"], "problem.html", status_code=problem.status_code, problem=problem,
                         candidates=problem.extra.get("candidates", []))

    return page


def number(n: int, lang: str) -> str:
    """5,000 in English, 5.000 in Vietnamese."""
    return f"{n:,}".replace(",", "." if lang == "vi" else ",")


def _local(iri: str) -> str:
    return quote(local_part(iri), safe="/")


def document_href(iri: str) -> str:
    return "/documents/" + _local(iri)


def agency_href(iri: str) -> str:
    return "/agencies/" + _local(iri)


def _switched(request: Request, lang: str) -> str:
    """This page in the other language: a link relative to the host (not built from the Host header)."""
    return f"{request.url.path}?{urlencode({**request.query_params, 'lang': lang})}"


TEMPLATES.env.globals |= {"document_href": document_href, "agency_href": agency_href, "place_of": place_of,
                          "switch_lang": _switched}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store) -> HTMLResponse:
    recent = store.recent_documents(RECENT)
    return _page(request, "home.html", recent=[(d, status(store, d)) for d in recent], counts=store.counts())


@router.get("/search", response_class=HTMLResponse)
@html_errors
def search(request: Request, store: Store, q: str = "") -> HTMLResponse:
    if len(q) > LONGEST_QUERY:
        raise Problem(422, "Query too long", f"a search is at most {LONGEST_QUERY} characters")
    found = search_store(store, q)
    if len(found.named) == 1 and request.query_params.get("go"):  # a number that names one document: open it
        return RedirectResponse(document_href(found.named[0].iri), status_code=303)
    return _page(request, "search.html", q=q, found=found,
                 documents=[(d, status(store, d)) for d in found.documents])


@router.get("/documents/{id:path}/impact.csv")
@html_errors
def impact_csv(request: Request, id: str, store: Store, as_of: AS_OF = None, place: str | None = None,
               agency: str | None = None, due: str | None = None, affected: str | None = None) -> Response:
    listed = _impact(store, resolve_document(store, id), as_of, place, agency, due, affected)
    return _download(csv_bytes(IMPACT_TASKS, listed.tasks, _lang(request)), CSV_MEDIA,
                     f"impact-{_file_part(listed.document)}.csv")


@router.get("/documents/{id:path}/impact.xlsx")
@html_errors
def impact_xlsx(request: Request, id: str, store: Store, as_of: AS_OF = None, place: str | None = None,
                agency: str | None = None, due: str | None = None, affected: str | None = None) -> Response:
    listed = _impact(store, resolve_document(store, id), as_of, place, agency, due, affected)
    lang = _lang(request)
    note = None if listed.complete else text(lang, "impact_partial", most=number(MOST, lang))
    data = xlsx_bytes([("sheet_tasks", IMPACT_TASKS, listed.tasks),
                       ("sheet_documents", IMPACT_DOCUMENTS, listed.documents)], lang, note)
    return _download(data, XLSX_MEDIA, f"impact-{_file_part(listed.document)}.xlsx")


@router.get("/documents/{id:path}", response_class=HTMLResponse)
@html_errors
def document(request: Request, id: str, store: Store, tab: str = "impact", as_of: AS_OF = None,
             place: str | None = None, agency: str | None = None, due: str | None = None,
             affected: str | None = None) -> HTMLResponse:
    node = resolve_document(store, id)
    tab = tab if tab in TABS else "impact"
    context = {"doc": node, "status": status(store, node), "tab": tab, "tabs": TABS, "local": _local(node.iri),
               "issuer": _one(store, node, "issued_by"), "signer": _one(store, node, "signed_by")}
    if tab == "impact":
        listed = _impact(store, node, as_of, place, agency, due, affected, shown=SHOWN)
        query = urlencode({k: v for k, v in (("as_of", as_of), ("place", place), ("agency", agency), ("due", due),
                                             ("affected", affected)) if v})
        context |= {"listed": listed, "query": query, "urgencies": URGENCY, "affected_filters": AFFECTED_FILTERS,
                    "listed_most": number(MOST, _lang(request)),
                    "places": sorted(set(listed.places) | ({place} if place else set()))}
    elif tab == "relations":
        context |= _relations(store, node)
    elif tab == "effects":
        context |= {"effects": effects(store, node, EFFECTS_SHOWN)}
    elif tab == "conflicts":
        context |= _conflicts(store, node)
    return _page(request, "document.html", **context)


@router.get("/agencies/{id:path}/tasks.csv")
@html_errors
def agency_csv(request: Request, id: str, store: Store, as_of: AS_OF = None, place: PLACE = None) -> Response:
    agencies, rows = _agency_rows(store, id, place, as_of)
    return _download(csv_bytes(AGENCY_TASKS, rows, _lang(request)), CSV_MEDIA, f"tasks-{_file_part(agencies[0])}.csv")


@router.get("/agencies/{id:path}/tasks.xlsx")
@html_errors
def agency_xlsx(request: Request, id: str, store: Store, as_of: AS_OF = None, place: PLACE = None) -> Response:
    agencies, rows = _agency_rows(store, id, place, as_of)
    data = xlsx_bytes([("sheet_tasks", AGENCY_TASKS, rows)], _lang(request))
    return _download(data, XLSX_MEDIA, f"tasks-{_file_part(agencies[0])}.xlsx")


@router.get("/agencies/{id:path}", response_class=HTMLResponse)
@html_errors
def agency(request: Request, id: str, store: Store, as_of: AS_OF = None, place: PLACE = None) -> HTMLResponse:
    agencies, groups = _agency(store, id, place, as_of)
    query = urlencode({k: v for k, v in (("as_of", as_of), ("place", place)) if v})
    return _page(request, "agency.html", agencies=agencies, groups=groups, urgencies=URGENCY, query=query,
                 as_of=_day(as_of), here=_raw_path(request), shown=SHOWN)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return _upload_page(request)


def _upload_page(request: Request, status: int = 200, refused: int | None = None,
                 error: str | None = None) -> HTMLResponse:
    """The upload form; with `refused`, the status whose reason it gives above the form (nothing was stored)."""
    return _page(request, "upload.html", status_code=status, max_upload=MAX_UPLOAD, refused=refused, error=error)


def refused_upload_page(scope: dict, refusal: BodyTooLarge) -> bytes:
    """The upload page saying the file is too large, for api.limits.BodyLimit, which refuses such a body before
    any route reads it."""
    return bytes(_upload_page(Request(scope), 413, 413, str(refusal)).body)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    try:
        form = await request.form(max_part_size=MAX_UPLOAD + 1)
    except BodyTooLarge:
        return _upload_page(request, 413, 413)
    except Exception as exc:  # noqa: BLE001 - a malformed body is the client's error, whatever it is
        return _upload_page(request, 400, 400, str(exc))
    given = form.get("file")
    data = await given.read(MAX_UPLOAD + 1) if hasattr(given, "read") else b""
    filename = safe_name(getattr(given, "filename", None) or "")
    try:
        answer = await request.app.state.ingester.ingest(data, filename)
    except UploadRefused as exc:
        return _upload_page(request, exc.status, exc.status, exc.detail)
    with reader(request.app) as store:
        node = store.node(answer["id"])
        outcome = {"answer": answer, "doc": node, **(_relations(store, node) if node else {}),
                   "tasks": _tasks(store, node) if node else [], "reached_from": _reached_from(store, node)}
    return _page(request, "uploaded.html", status_code=200 if answer.get("held_as") else 201, **outcome)


# --- helpers ---------------------------------------------------------------------------------------------------
def _impact(store: SqliteStore, node: NodeRow, as_of: str | None, place: str | None, agency: str | None,
            due: str | None, affected: str | None = None, shown: int | None = None):
    filters = Filters(place or None, agency or None, due if due in URGENCY else None,
                      affected if affected in AFFECTED_FILTERS else None)
    return impact_list(store, node, _day(as_of), filters, shown)


def _raw_path(request: Request) -> str:
    """The path as the client sent it, still percent-encoded: links to its downloads name what was asked for (an
    agency name may mean two agencies of one province)."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else quote(request.url.path)


def _day(as_of: str | None) -> date:
    """The day asked for (YYYY-MM-DD), or today; a malformed one is a 422 page."""
    if as_of and not re.fullmatch(DATE, as_of):
        raise Problem(422, "Bad date", f"as_of must be a day written YYYY-MM-DD, not {as_of!r}")
    return parse_day(as_of) or date.today()


def _agency(store: SqliteStore, id: str, place: str | None, as_of: str | None):
    found = resolve_agencies(store, id, place)
    return found, agency_tasks(store, found, _day(as_of))


def _agency_rows(store: SqliteStore, id: str, place: str | None, as_of: str | None):
    """The agencies and their tasks in one list, overdue first, for the downloads."""
    agencies, groups = _agency(store, id, place, as_of)
    return agencies, [t for u in URGENCY for t in groups[u]]


def _one(store: SqliteStore, node: NodeRow, relation: str) -> NodeRow | None:
    edges = store.edges_from([node.iri], [relation])
    return store.node(edges[0].dst) if edges else None


def _relations(store: SqliteStore, node: NodeRow) -> dict:
    """Outgoing and incoming relations by kind, each with the sentence that states it."""
    evidence = Evidence(store)
    outgoing = store.edges_from([node.iri], DOCUMENT_RELATIONS)
    citers = list(dict.fromkeys(src for src, _, _ in store.pairs([node.iri], DOCUMENT_RELATIONS, limit=SHOWN * 4)))
    incoming = [e for e in store.edges_from(citers[:SHOWN], DOCUMENT_RELATIONS) if e.dst == node.iri]
    labels = store.nodes([e.dst for e in outgoing] + [e.src for e in incoming])

    def grouped(edges, far: str) -> dict[str, list[dict]]:
        """relation → the documents at the far end, each once, with every sentence that states the relation and the
        source it was read from (a relation may be stated by a third document: "107/2021 sửa đổi 61/2018")."""
        out: dict[str, dict[str, dict]] = {}
        for e in edges:
            iri = getattr(e, far)
            other = labels.get(iri)
            item = out.setdefault(e.rel, {}).setdefault(iri, {"id": iri, "label": other.label if other else iri,
                                                              "stub": bool(other and other.stub), "said": []})
            said = (evidence.sentence(e.source, e.start, e.end), e.source)
            if said not in item["said"]:
                item["said"].append(said)
        return {rel: list(items.values()) for rel, items in out.items()}

    return {"outgoing": grouped(outgoing, "dst"), "incoming": grouped(incoming, "src"),
            "incoming_shown": len(citers[:SHOWN]),
            "incoming_total": store.count_to([node.iri], DOCUMENT_RELATIONS)}


def _tasks(store: SqliteStore, node: NodeRow) -> list[dict]:
    """The document's tasks in order, with their leads (queries.core.task_results)."""
    results = core.task_results(store, {task: [] for task in core.tasks_of(store, node.iri)})
    return [{"no": r.task_no, "text": r.text, "lead": r.lead, "deadline": (r.extra.get("deadline") or {}).get("text")}
            for r in results]


def _reached_from(store: SqliteStore, node: NodeRow | None) -> list[tuple[NodeRow, str | None]]:
    """Where a new document sits: the documents whose impact lists now reach it (those it cites, and every document
    whose changes reach those: queries.core.changing_documents), each with the cited document it goes through."""
    if node is None:
        return []
    cited = list(dict.fromkeys(e.dst for e in store.edges_from([node.iri], DOCUMENT_RELATIONS)))
    through: dict[str, str | None] = {}
    for iri in cited:
        through.setdefault(iri, None)
        for reaching in core.changing_documents(store, iri):
            through.setdefault(reaching, iri)
    nodes = store.nodes(list(through))
    return [(nodes[i], nodes[via].label if via in nodes else via) for i, via in through.items() if i in nodes]


def _conflicts(store: SqliteStore, node: NodeRow) -> dict:
    source = node.props.get("source")
    conflicts = [c for c in store.conflicts() if c["node"] == node.iri or (source and c["source"] == source)]
    return {"conflicts": conflicts, "unresolved": store.unresolved(source) if source else []}


def _download(data: bytes, media: str, filename: str) -> Response:
    """An attachment named in ASCII for old clients and in UTF-8 (RFC 6266) for the others."""
    plain = filename.encode("ascii", "replace").decode().replace("?", "_")
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"})


def _file_part(node: NodeRow) -> str:
    return safe_name(node.label.replace("/", "-"))
