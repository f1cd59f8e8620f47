"""Little helpers the routers share: JSON answers, dates, a document from the identifier a user typed."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import Query, Request
from fastapi.responses import JSONResponse

from legalkg.api.problems import Problem
from legalkg.graph.store import NodeRow
from legalkg.graph.store import Store as StoreInterface
from legalkg.queries.identify import Ambiguous, NotFound, identify
from legalkg.queries.lookup import AgencyAmbiguous, AgencyNotFound, agency_named, place_of

DATE = r"^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
PLACE = Annotated[str | None, Query(description="The agency of this province, when agencies of several bear its name")]
LANG = Annotated[str | None, Query(description="The page's language: vi (default) or en")]


class FastJSON(JSONResponse):
    def render(self, content: object) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)  # a tenth of json.dumps' time on big answers


def json_answer(content: dict, status: int = 200) -> JSONResponse:
    """Answers are plain JSON data already: sent as they are, without FastAPI's encoder walking them again."""
    return FastJSON(content, status_code=status)


def parse_day(text: str | None) -> date | None:
    """A DATE-shaped value as a date; a day past the month's end (2023-02-31) is its last day."""
    if not text:
        return None
    year, month, day = map(int, text.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def resolve_document(store: StoreInterface, text: str) -> NodeRow:
    """The document a path names ("ND 107/2021", an IRI, an IRI without the base); 409 with the candidates when it
    names several, 404 when none."""
    try:
        return identify(store, text)
    except Ambiguous as exc:
        raise Problem(409, "Ambiguous identifier", str(exc),
                      candidates=[{"id": c.iri, "label": c.label, "place": c.props.get("place"),
                                   "year": c.props.get("year")} for c in exc.candidates]) from None
    except NotFound as exc:
        raise Problem(404, "Not found", str(exc)) from None


def resolve_agencies(store: StoreInterface, name: str, place: str | None = None) -> list[NodeRow]:
    """The agencies a name (or IRI) means, all of one province (queries.lookup.agency_named): 404 when none, 409 with
    the candidates when agencies of several provinces bear the name and no place was given."""
    try:
        return agency_named(store, name, place)
    except AgencyNotFound as exc:
        raise Problem(404, "Not found", str(exc)) from None
    except AgencyAmbiguous as exc:
        candidates = [{"id": a.iri, "label": a.label, "place": place_of(a)} for a in exc.candidates]
        raise Problem(409, "Ambiguous agency", f"{exc}; ask again with ?place= or an agency's id",
                      candidates=candidates) from None


def safe_name(name: str) -> str:
    """A file name the upload folder can hold, whatever the client sent ("../x", NUL bytes, nothing)."""
    return re.sub(r"[^\w.\-]+", "_", Path(name.replace("\x00", "")).name)[:120].strip("._") or "upload.txt"
