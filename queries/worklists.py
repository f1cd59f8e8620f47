"""The lists a legal officer takes away: the tasks a document reaches (its impact list) and an agency's tasks by
urgency. Rows are plain data; the pages show them and the downloads (CSV, XLSX) write the same rows.

Impact: the tasks that depend on the document, directly or through a document it amends or replaces (or one that
guides such a document): queries.core.depends_on, transitive. Each row keeps its path, so "through 61/2018/NĐ-CP"
can be shown and checked. The documents sheet lists the documents holding those tasks and the documents that cite
the focus document or a document it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from legalkg.extract.resolve import find_province
from legalkg.graph.store import NodeRow, Store, fold
from legalkg.queries import core

SOON_DAYS = 30
MOST = 5000  # rows read for one list: the most cited decree of the 10k-document store has about 2,500 tasks
URGENCY = ("overdue", "soon", "later", "undated")


@dataclass(frozen=True)
class TaskRow:
    id: str
    document: str  # the plan's number (or IRI when it has none)
    document_id: str | None
    place: str | None
    no: str | None
    text: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    deadline: str | None  # as written
    due: str | None  # the deadline's last day, ISO
    overdue: bool
    distance: int
    through: tuple[str, ...]  # the documents between the task's citation and the focus ("61/2018/NĐ-CP")
    path: str  # every step, as text

    @property
    def urgency(self) -> str:
        return _urgency(self.due, self.overdue, None)


@dataclass(frozen=True)
class DocumentRow:
    id: str
    label: str
    type: str | None
    date: str | None
    place: str | None
    relation: str  # how it reaches the focus: its first step's relation
    via: str | None  # the document it cites, when not the focus
    stub: bool


@dataclass
class ImpactList:
    document: NodeRow
    through: list[str]  # labels of the documents the focus changes (or that guide them)
    tasks: list[TaskRow]
    documents: list[DocumentRow]
    total: int  # dependent tasks before filters
    filters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    place: str | None = None
    agency: str | None = None  # words of a lead or coordinating agency's name
    due: str | None = None  # "overdue" | "soon" | "later" | "undated"

    def keeps(self, row: TaskRow, as_of: date) -> bool:
        if self.place and (row.place or "") != (find_province(self.place) or self.place.strip()):
            return False
        if self.agency and not _names_hold(row.lead + row.coordinating, self.agency):
            return False
        return not self.due or _urgency(row.due, row.overdue, as_of) == self.due


def impact_list(store: Store, doc: NodeRow, as_of: date, filters: Filters = Filters(), most: int = MOST) -> ImpactList:
    answer = core.depends_on(store, doc, transitive=True, limit=most)
    labels = answer.labels
    coordinating = _coordinating(store, [r.id for r in answer.results])
    rows = [_task_row(r, labels, coordinating.get(r.id, ()), as_of, doc.iri) for r in answer.results]
    through = [labels.get(i, i) for i in answer.query["through"]]
    kept = [r for r in rows if filters.keeps(r, as_of)]
    documents = _documents(store, doc, answer.query["through"], rows)
    return ImpactList(doc, through, kept, documents, answer.query["total"],
                      {k: v for k, v in filters.__dict__.items() if v})


def _task_row(r: core.Result, labels: dict[str, str], coordinating: tuple[str, ...], as_of: date,
              focus: str) -> TaskRow:
    deadline = r.extra.get("deadline") or {}
    due = deadline.get("end")
    visited, path = _walk(r.path, labels)
    return TaskRow(r.id, r.document or "", r.extra.get("document_id"), r.extra.get("place"), r.task_no, r.text or "",
                   tuple(r.lead), coordinating, deadline.get("text"), due, bool(due and date.fromisoformat(due) < as_of),
                   r.distance, tuple(visited[1:-1]), path)


def _walk(steps: list[core.Step], labels: dict[str, str]) -> tuple[list[str], str]:
    """The labels of the nodes a path visits, from the task to the focus, and the path as text. Steps point either
    way ("107/2021 amends 61/2018" is walked from 61/2018): "45/KH #2 → depends_on 61/2018/NĐ-CP ← amends 107/2021"."""
    if not steps:
        return [], ""
    at = steps[0].src
    visited, text = [labels.get(at, at)], [labels.get(at, at)]
    for s in steps:
        forward = s.src == at
        at = s.dst if forward else s.src
        visited.append(labels.get(at, at))
        text.append(f"{'→' if forward else '←'} {s.rel} {labels.get(at, at)}")
    return visited, " ".join(text)


def _coordinating(store: Store, tasks: list[str]) -> dict[str, tuple[str, ...]]:
    edges = store.edges_from(tasks, ["coordinates"])
    names = store.nodes(list({e.dst for e in edges}))
    out: dict[str, list[str]] = {}
    for e in edges:
        out.setdefault(e.src, []).append(names[e.dst].label if e.dst in names else e.dst)
    return {k: tuple(v) for k, v in out.items()}


def _documents(store: Store, doc: NodeRow, through: list[str], tasks: list[TaskRow]) -> list[DocumentRow]:
    """The documents holding the tasks, and those citing the focus or a document it changes (not tasks)."""
    targets = [doc.iri, *through]
    citing = sorted((e for e in store.edges_to(targets, core.CITING, limit=MOST * len(targets))
                     if "/task/" not in e.src), key=lambda e: e.dst != doc.iri)  # citing the focus itself first
    first: dict[str, tuple[str, str]] = {}
    for e in citing:
        first.setdefault(e.src, (e.rel, e.dst))
    for t in tasks:
        if t.document_id:
            first.setdefault(t.document_id, ("part_of", None))
    nodes = store.nodes([*first, *targets])
    rows = []
    for iri, (rel, via) in first.items():
        n = nodes.get(iri)
        if n is None or iri == doc.iri:
            continue
        via_label = nodes[via].label if via and via != doc.iri and via in nodes else None
        rows.append(DocumentRow(iri, n.label, n.props.get("type"), n.props.get("date"), n.props.get("place"), rel,
                                via_label, n.stub))
    return sorted(rows, key=lambda r: (r.stub, r.via is not None, r.date or "", r.label))


# --- an agency's tasks -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencyTask:
    id: str
    document: str
    document_id: str | None
    no: str | None
    text: str
    role: tuple[str, ...]  # "lead", "coordinating"
    deadline: str | None
    due: str | None
    urgency: str  # one of URGENCY


def agency_tasks(store: Store, agencies: list[NodeRow], as_of: date) -> dict[str, list[AgencyTask]]:
    """The agencies' tasks by urgency, in URGENCY's order (overdue first); in each group the nearest due first."""
    answer = core.agency_workload(store, agencies, as_of)
    groups: dict[str, list[AgencyTask]] = {u: [] for u in URGENCY}
    for r in answer.results:
        deadline = r.extra.get("deadline") or {}
        due = deadline.get("end")
        urgency = _urgency(due, bool(due and date.fromisoformat(due) < as_of), as_of)
        groups[urgency].append(AgencyTask(r.id, r.document or "", r.extra.get("document_id"), r.task_no,
                                          r.text or "", tuple(r.extra.get("role") or ()), deadline.get("text"), due,
                                          urgency))
    for rows in groups.values():
        rows.sort(key=lambda t: (t.due or "9999", t.document, t.no or ""))
    return groups


def _urgency(due: str | None, overdue: bool, as_of: date | None) -> str:
    if not due:
        return "undated"
    if overdue:
        return "overdue"
    if as_of is not None and date.fromisoformat(due) <= as_of + timedelta(days=SOON_DAYS):
        return "soon"
    return "later"


def _names_hold(names: tuple[str, ...], words: str) -> bool:
    wanted = [fold(w) for w in words.split()]
    return any(all(w in fold(name) for w in wanted) for name in names)
