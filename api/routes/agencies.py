"""Agencies: the list, and one agency's tasks grouped by deadline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from legalkg.api.readers import Answerer, Store
from legalkg.api.routes.common import DATE, PLACE, json_answer, parse_day, resolve_agencies
from legalkg.queries import core

router = APIRouter()


@router.get("/v1/agencies", summary="Agencies, optionally by province or name")
def list_agencies(store: Store, place: str | None = None, q: str | None = None) -> JSONResponse:
    items = [{"id": a.iri, "label": a.label, **a.props} for a in store.nodes_of_kind("Agency")
             if (not place or a.props.get("place") == place) and (not q or q.casefold() in a.label.casefold())]
    return json_answer({"items": sorted(items, key=lambda a: (a.get("place") or "", a["label"]))})


@router.get("/v1/agencies/{id:path}", summary="An agency's tasks, grouped by deadline as of a date")
def get_agency(id: str, store: Answerer, as_of: Annotated[str | None, Query(pattern=DATE)] = None,
               place: PLACE = None) -> JSONResponse:
    agencies = resolve_agencies(store, id, place)
    return json_answer(core.agency_workload(store, agencies, parse_day(as_of) or date.today()).json())
