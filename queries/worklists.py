"""The lists a legal officer takes away: the tasks a document reaches (its impact list) and an agency's tasks by
urgency. Rows are plain data; the pages show them and the downloads (CSV, XLSX) write the same rows.

Impact: the tasks that depend on the document, directly or through a document it amends or replaces (or one that
guides such a document): queries.core.depends_on, transitive. Each row keeps its path, so "through 61/2018/NĐ-CP"
can be shown and checked, and says how the change touches the provisions the task cites (queries.effects); the
list can keep the affected tasks only (Filters.affected). The documents sheet lists the documents holding those tasks
and the documents that cite the focus document or a document it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from legalkg.extract.resolve import find_province
from legalkg.graph.ids import provision_label
from legalkg.graph.store import NodeRow, SqliteStore, Store, plain
from legalkg.queries import core
from legalkg.queries.effects import AFFECTED, Affected, EffectRow, affected_by, affected_counts, affectedness, reach

SOON_DAYS = 30
MOST = 5000  # dependent tasks read for one list: the most cited decree of the 10k-document store has 6,187
URGENCY = ("overdue", "soon", "later", "undated")
AFFECTED_FILTERS = ("affected", *AFFECTED)  # "affected": every task but those the change did not touch


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
    affected: str | None = None  # how the change touches what it cites (queries.effects.AFFECTED)
    cited_provisions: tuple[str, ...] = ()  # the provisions it cites of the document on its path ("khoản 2 Điều 12")
    changes: tuple[EffectRow, ...] = ()  # the changes touching them (queries.effects.change_line writes one)


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
    tasks: list[TaskRow]  # the first `shown` of those that pass the filters, nearest first
    kept: int  # how many pass the filters (of the first MOST read, when there are more)
    total: int  # dependent tasks before filters
    complete: bool  # every dependent task was read (not only the first MOST)
    documents: list[DocumentRow]
    places: list[str]  # the provinces of the plans holding the dependent tasks (what the province filter offers)
    filters: dict = field(default_factory=dict)
    affected: dict[str, int] = field(default_factory=dict)  # the tasks passing the other filters, by AFFECTED_FILTERS


@dataclass(frozen=True)
class Filters:
    place: str | None = None
    agency: str | None = None  # words of a lead or coordinating agency's name
    due: str | None = None  # "overdue" | "soon" | "later" | "undated"
    affected: str | None = None  # "affected" (all but "not-affected") or one of queries.effects.AFFECTED


def impact_list(store: SqliteStore, doc: NodeRow, as_of: date, filters: Filters = Filters(),
                shown: int | None = None, most: int = MOST) -> ImpactList:
    """The tasks depending on doc (as queries.core.depends_on with transitive=True), filtered, nearest first; rows
    are made for the first `shown` only (None: all), so a page of a hub decree reads the facts of 200 tasks, not of
    thousands. Filters read only what they test (a plan's province, the agencies' names, a deadline's last day; how
    a task is affected, queries.effects, read for every task only when a document on the way has provision-level
    changes or the filter asks for it)."""
    reasons = core.changed_documents(store, doc.iri)
    nearest, complete = _dependents(store, reasons, most)
    total = len(nearest) if complete else store.count_to(list(reasons), ["depends_on"])
    plan_of = {src: dst for src, _, dst in store.pairs(list(nearest), ["part_of"], incoming=False)}
    plans = store.nodes(list(set(plan_of.values())))
    facts = store.task_facts(list(nearest))
    kept = _filtered(store, list(nearest), filters, plan_of, plans, facts, as_of)
    kept.sort(key=lambda t: (len(reasons[nearest[t]]), _label(plans, plan_of.get(t)), plan_of.get(t) or "",
                             facts.get(t, (0, None))[0] or 0))
    marks = _marks(store, kept, nearest, reasons, every=bool(filters.affected))
    if filters.affected and marks is not None:
        kept = [t for t in kept if t in marks and _wanted(marks[t].mark, filters.affected)]
    rows = _task_rows(store, kept[:shown], nearest, reasons, as_of, marks)
    through = [iri for iri in reasons if iri != doc.iri]
    labels = store.nodes(through)
    documents = _documents(store, doc, through, rows, shown)
    given = {k: v for k, v in filters.__dict__.items() if v}
    places = sorted({n.props["place"] for n in plans.values() if n.props.get("place")})
    counted = affected_counts(m.mark for m in marks.values()) if marks is not None else {}
    if counted:
        counted = {"affected": sum(counted.values()) - counted["not-affected"], **counted}
    return ImpactList(doc, [labels[i].label if i in labels else i for i in through], rows,
                      len(kept) if given else total, total, complete, documents, places, given, counted)


def _marks(store: SqliteStore, tasks: list[str], nearest: dict[str, str], reasons: dict[str, list[core.Step]],
           every: bool = False) -> dict[str, Affected] | None:
    """How each task is affected (queries.effects); None, unless `every`, when no document on the way has a
    provision-level change the store knows of: then no task is "not-affected" or touched by a change, and the marks
    (document-level or direct) are read for the rows shown only."""
    if not every and not store.edges_to(list(reasons), ["on_document"], limit=1):
        return None
    return affected_by(store, {t: reach(nearest[t], reasons[nearest[t]]) for t in tasks})


def _wanted(mark: str, wanted: str) -> bool:
    return mark != "not-affected" if wanted == "affected" else mark == wanted


def _dependents(store: SqliteStore, reasons: dict[str, list[core.Step]], most: int) -> tuple[dict[str, str], bool]:
    """Each dependent task → the nearest document it depends on (of `reasons`), at most `most` of them; and whether
    all were read."""
    nearest: dict[str, str] = {}
    complete = True
    for reason in sorted(reasons, key=lambda iri: len(reasons[iri])):
        if len(nearest) >= most:
            return nearest, False
        found = store.pairs([reason], ["depends_on"], limit=most)
        complete &= len(found) < most
        for src, _, _ in found:
            if len(nearest) < most:
                nearest.setdefault(src, reason)
    return nearest, complete and len(nearest) < most


def _filtered(store: SqliteStore, tasks: list[str], filters: Filters, plan_of: dict[str, str],
              plans: dict[str, NodeRow], facts: dict[str, tuple], as_of: date) -> list[str]:
    if filters.place:
        wanted = plain(find_province(filters.place) or filters.place.strip())
        tasks = [t for t in tasks if plain(_place(plans, plan_of.get(t))) == wanted]
    if filters.agency:
        pairs = store.pairs(tasks, ["assigned_to", "coordinates"], incoming=False)
        names = store.nodes(list({dst for _, _, dst in pairs}))
        matching = {src for src, _, dst in pairs if dst in names and _name_holds(names[dst].label, filters.agency)}
        tasks = [t for t in tasks if t in matching]
    if filters.due:
        tasks = [t for t in tasks if _urgency(facts.get(t, (0, None))[1], as_of) == filters.due]
    return tasks


def _place(plans: dict[str, NodeRow], plan: str | None) -> str | None:
    node = plans.get(plan) if plan else None
    return node.props.get("place") if node else None


def _overdue(end: str | None, as_of: date) -> bool:
    return bool(end and date.fromisoformat(end) < as_of)


def _label(nodes: dict[str, NodeRow], iri: str | None) -> str:
    return nodes[iri].label if iri in nodes else ""


def _task_rows(store: SqliteStore, tasks: list[str], nearest: dict[str, str], reasons: dict[str, list[core.Step]],
               as_of: date, marks: dict[str, Affected] | None = None) -> list[TaskRow]:
    """Rows for these tasks, in this order, each with its path: the task's own depends_on edge (with its source
    and span), then the steps from the document it cites to the focus; and how it is affected."""
    edges = {(e.src, e.dst): e for e in store.edges_from(tasks, ["depends_on"]) if e.dst == nearest.get(e.src)}
    paths = {t: [core.Step.of(edges[(t, nearest[t])]), *reasons[nearest[t]]] for t in tasks if (t, nearest[t]) in edges}
    results = {r.id: r for r in core.task_results(store, paths)}
    labels = {iri: n.label for iri, n in store.nodes(list({i for p in paths.values() for s in p for i in (s.src, s.dst)})).items()}
    coordinating = _coordinating(store, tasks)
    if marks is None:
        marks = affectedness(store, paths)
    return [_task_row(results[t], labels, coordinating.get(t, ()), as_of, marks.get(t)) for t in tasks if t in results]


def _task_row(r: core.Result, labels: dict[str, str], coordinating: tuple[str, ...], as_of: date,
              affected: Affected | None = None) -> TaskRow:
    deadline = r.extra.get("deadline") or {}
    due = deadline.get("end")
    visited, path = _walk(r.path, labels)
    return TaskRow(r.id, r.document or "", r.extra.get("document_id"), r.extra.get("place"), r.task_no, r.text or "",
                   tuple(r.lead), coordinating, deadline.get("text"), due, _overdue(due, as_of), r.distance,
                   tuple(visited[1:-1]), path, affected.mark if affected else None,
                   tuple(provision_label(p) for _, p in affected.provisions) if affected else (),
                   tuple(e for _, e in affected.changes) if affected else ())


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


def _documents(store: SqliteStore, doc: NodeRow, through: list[str], tasks: list[TaskRow],
               limit: int | None) -> list[DocumentRow]:
    """The documents holding the tasks, and those citing the focus or a document it changes (not tasks); the
    focus's own citers first."""
    bound = MOST if limit is None else limit
    citing = [p for p in store.pairs([doc.iri], core.CITING, limit=bound * 2) if "/task/" not in p[0]]
    for changed in through:  # then those citing a document the focus changes, while there is room
        if len({p[0] for p in citing}) >= bound:
            break
        citing += [p for p in store.pairs([changed], core.CITING, limit=bound * 2) if "/task/" not in p[0]]
    targets = [doc.iri, *through]
    first: dict[str, tuple[str, str | None]] = {}
    for src, rel, dst in citing:
        first.setdefault(src, (rel, dst))
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
        urgency = _urgency(due, as_of)
        groups[urgency].append(AgencyTask(r.id, r.document or "", r.extra.get("document_id"), r.task_no,
                                          r.text or "", tuple(r.extra.get("role") or ()), deadline.get("text"), due,
                                          urgency))
    for rows in groups.values():
        rows.sort(key=lambda t: (t.due or "9999", t.document, t.no or ""))
    return groups


def _urgency(due: str | None, as_of: date) -> str:
    if not due:
        return "undated"
    if _overdue(due, as_of):
        return "overdue"
    return "soon" if date.fromisoformat(due) <= as_of + timedelta(days=SOON_DAYS) else "later"


def _name_holds(name: str, words: str) -> bool:
    """Whether the name holds every one of the words, without case or diacritics."""
    held = plain(name)
    return all(plain(w) in held for w in words.split())
