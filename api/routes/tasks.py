"""Tasks: by agency, document, deadline range, overdue as of a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from legalkg.api.readers import Store
from legalkg.api.routes.common import DATE, PLACE, json_answer, parse_day, resolve_agencies, resolve_document
from legalkg.graph.records import TASK_RULE
from legalkg.graph.store import Store as StoreInterface
from legalkg.queries import core

router = APIRouter()


@router.get("/v1/tasks", summary="Tasks, by agency, document, deadline range, overdue as of a date")
def list_tasks(store: Store, agency: str | None = None, place: PLACE = None,
               document_id: Annotated[str | None, Query(alias="document")] = None,
               due_from: Annotated[str | None, Query(pattern=DATE)] = None,
               due_to: Annotated[str | None, Query(pattern=DATE)] = None,
               overdue_as_of: Annotated[str | None, Query(pattern=DATE)] = None,
               limit: Annotated[int, Query(ge=1, le=2000)] = core.DEFAULT_LIMIT) -> JSONResponse:
    window = (parse_day(due_from), parse_day(due_to), parse_day(overdue_as_of))
    paths = _paths_to_tasks(store, agency, place, document_id)
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
    return json_answer(core.Answer({"name": "tasks", "total": total, "limit": limit}, results).json())


def _paths_to_tasks(store: StoreInterface, agency: str | None, place: str | None,
                    document_id: str | None) -> dict[str, list] | None:
    """The tasks of the agency or of the document, each with the step that reached it; None: every task."""
    if agency:
        found = resolve_agencies(store, agency, place)
        edges = store.edges_to([a.iri for a in found], ["assigned_to", "coordinates"])
    elif document_id:
        edges = [e for e in store.edges_to([resolve_document(store, document_id).iri], ["part_of"])
                 if e.rule.startswith(TASK_RULE)]  # its tasks, not its provisions
    else:
        return None
    return {e.src: [core.Step.of(e)] for e in edges}


def _due_between(deadline: dict | None, start: date | None, end: date | None, overdue_as_of: date | None) -> bool:
    due = (deadline or {}).get("end")
    if (start or end or overdue_as_of) and not due:
        return False
    day = date.fromisoformat(due) if due else None
    return (not start or day >= start) and (not end or day <= end) and (not overdue_as_of or day < overdue_as_of)
