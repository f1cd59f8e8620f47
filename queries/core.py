"""Named questions over a graph store (graph.store.Store), each answer carrying the path that proves it.

- depends_on: tasks that cite a document; transitively also those citing a document it amends or replaces, or one
  that guides such a document (a task citing 61/2018/NĐ-CP depends on 107/2021/NĐ-CP, which amends it); each task
  marked with how the change touches the provisions it cites (queries.effects: provision, part, document-level,
  not-affected, direct);
- impact: everything that reaches a document backwards — documents citing it, their tasks, the agencies leading
  them — ranked by distance;
- stale: documents citing a document that a later document amends, replaces or repeals;
- agency_workload: tasks an agency leads or coordinates, grouped by deadline, overdue ones as of a date;
- conflicts: facts the sources disagree on, and short forms the text never defined;
- neighbors: the subgraph around a node, for the viz.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import orjson

from legalkg.graph.records import DOCUMENT_RELATIONS, TASK_RULE
from legalkg.graph.store import EdgeRow, NodeRow, Store
from legalkg.queries.effects import affected_counts, affectedness

CHANGES = ("amends", "replaces")  # DOC changes X: tasks citing X depend on DOC
CHANGED_BY = ("amends", "replaces", "repeals")
CITING = (*DOCUMENT_RELATIONS, "depends_on")
DEFAULT_LIMIT = 200  # results per answer unless asked for more: hubs (61/2018/NĐ-CP) are cited by thousands
# what a neighbourhood (the viz) is drawn from: the relations between documents, tasks, agencies and signers
NEIGHBOR_RELATIONS = (*DOCUMENT_RELATIONS, "issued_by", "signed_by", "part_of", "assigned_to", "coordinates",
                      "depends_on")


@dataclass(frozen=True)
class Step:
    src: str
    rel: str
    dst: str
    source: str
    start: int | None
    end: int | None

    @staticmethod
    def of(edge: EdgeRow) -> Step:
        return Step(edge.src, edge.rel, edge.dst, edge.source, edge.start, edge.end)

    def json(self, labels: dict[str, str]) -> dict:
        return {"from": labels.get(self.src, self.src), "relation": self.rel, "to": labels.get(self.dst, self.dst),
                "from_id": self.src, "to_id": self.dst, "source": self.source, "start": self.start, "end": self.end}


@dataclass
class Result:
    kind: str  # "task" | "document" | "agency"
    id: str
    label: str
    distance: int
    path: list[Step]
    document: str | None = None  # the task's document (its number, or its IRI when it has none)
    task_no: str | None = None
    text: str | None = None
    lead: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def json(self, labels: dict[str, str]) -> dict:
        out = {"kind": self.kind, "id": self.id, "label": self.label, "document": self.document,
               "task_no": self.task_no, "text": self.text, "lead": self.lead, "distance": self.distance,
               "path": [s.json(labels) for s in self.path]}
        return out | self.extra


@dataclass
class Answer:
    query: dict
    results: list[Result]
    labels: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict:
        return {"query": self.query, "results": [r.json(self.labels) for r in self.results]}


# --- depends-on ------------------------------------------------------------------------------------------------
def depends_on(store: Store, doc: NodeRow, transitive: bool = False, limit: int | None = DEFAULT_LIMIT) -> Answer:
    """Tasks citing doc (transitively: or a document it changes, or one guiding those), nearest first. At most
    `limit` results (None: all); the query says how many there are in all."""
    reasons = changed_documents(store, doc.iri) if transitive else {doc.iri: []}
    best: dict[str, list[Step]] = {}
    complete = True  # every depends_on edge of every reason was read: best holds them all
    for reason in sorted(reasons, key=lambda iri: len(reasons[iri])):  # nearest reasons first: shortest paths
        room = None if limit is None else limit - len(best)
        if room is not None and room <= 0:
            complete = False
            break
        bound = None if room is None else room + len(best)
        edges = store.edges_to([reason], ["depends_on"], limit=bound)
        complete &= bound is None or len(edges) < bound
        for e in edges:
            if e.src not in best:
                best[e.src] = [Step.of(e), *reasons[reason]]
    total = len(best) if complete else store.count_to(list(reasons), ["depends_on"])
    if limit is not None:
        best = dict(list(best.items())[:limit])
    results = task_results(store, best)
    marks = affectedness(store, {r.id: r.path for r in results})
    for r in results:
        if r.id in marks:
            r.extra |= marks[r.id].json()
    query = {"name": "depends-on", "document": doc.iri, "label": doc.label, "transitive": transitive,
             "through": [iri for iri in reasons if iri != doc.iri], "total": total, "limit": limit,
             "affected": affected_counts(r.extra.get("affected") for r in results if r.extra.get("affected"))}
    return Answer(query, results, _labels(store, results, reasons))


def changed_documents(store: Store, start: str) -> dict[str, list[Step]]:
    """start, the documents it amends or replaces (and so on), and the documents that guide any of them; each with
    the steps that lead back to start."""
    reached: dict[str, list[Step]] = {start: []}
    frontier = [start]
    while frontier:
        found: dict[str, list[Step]] = {}
        for e in store.edges_from(frontier, CHANGES):
            if e.dst not in reached and e.dst not in found:
                found[e.dst] = [Step.of(e), *reached[e.src]]
        for e in store.edges_to(frontier, ["guides"]):
            if e.src not in reached and e.src not in found:
                found[e.src] = [Step.of(e), *reached[e.dst]]
        reached |= found
        frontier = list(found)
    return reached


def changing_documents(store: Store, cited: str) -> list[str]:
    """The documents whose transitive depends-on reaches a task citing `cited`: those X with cited in
    changed_documents(X), found by walking its edges backwards (what amends or replaces cited, and so on; what cited
    guides, and what changes that)."""
    reached, frontier = {cited}, [cited]
    while frontier:
        found = [e.src for e in store.edges_to(frontier, CHANGES)] + [e.dst for e in store.edges_from(frontier, ["guides"])]
        frontier = [i for i in dict.fromkeys(found) if i not in reached]
        reached.update(frontier)
    return sorted(reached - {cited})


def task_results(store: Store, paths: dict[str, list[Step]]) -> list[Result]:
    tasks = store.nodes(list(paths))
    documents = {e.src: e.dst for e in store.edges_from(list(paths), ["part_of"])}
    doc_nodes = store.nodes(list(set(documents.values())))
    leads: dict[str, list[str]] = {}
    agencies = store.edges_from(list(paths), ["assigned_to"])
    agency_nodes = store.nodes([e.dst for e in agencies])
    for e in agencies:
        leads.setdefault(e.src, []).append(agency_nodes[e.dst].label if e.dst in agency_nodes else e.dst)
    results = []
    for iri, path in paths.items():
        task = tasks.get(iri)
        if task is None:
            continue
        doc_iri = documents.get(iri)
        doc = doc_nodes.get(doc_iri)
        results.append(Result("task", iri, task.label, len(path), path,
                              document=(doc.props.get("key") or doc.iri) if doc else doc_iri,
                              task_no=task.props.get("no"), text=task.props.get("text"), lead=leads.get(iri, []),
                              extra={"deadline": task.props.get("deadline"), "document_id": doc_iri,
                                     "place": doc.props.get("place") if doc else None}))
    return sorted(results, key=lambda r: (r.distance, r.document or "", r.extra.get("document_id") or "",
                                          _task_order(tasks.get(r.id))))


def _task_order(task: NodeRow | None) -> int:
    return task.props.get("index", 0) if task else 0


# --- impact ----------------------------------------------------------------------------------------------------
def impact(store: Store, doc: NodeRow, depth: int = 3, limit: int | None = DEFAULT_LIMIT) -> Answer:
    """What reaches doc backwards, nearest first: documents citing (implementing, based on, amending …) it and tasks
    depending on it; then those documents' tasks and citing documents, the tasks' lead agencies; and so on, up to
    `depth` steps. At most `limit` results (None: all), each with its path."""
    reached: dict[str, list[Step]] = {doc.iri: []}
    layer = [doc.iri]
    agencies = f"{store.base_iri}agency/"  # agencies end a path: nothing is followed from them
    citing: int | None = None  # documents and tasks citing doc, when the first step read all of them
    for _ in range(depth):
        room = None if limit is None else limit + 1 - len(reached)
        if not layer or (room is not None and room <= 0):
            break
        found: dict[str, list[Step]] = {}
        documents, tasks = [i for i in layer if not _is_task(i)], [i for i in layer if _is_task(i)]
        steps = _into(store, documents, room)
        if room is None or len(steps) < room:
            if layer == [doc.iri]:
                citing = len({e.src for e in steps if e.rel in CITING})
            steps += store.edges_from(tasks, ["assigned_to"])
        for e in steps:
            node, via = (e.dst, e.src) if e.rel == "assigned_to" else (e.src, e.dst)
            if node not in reached and node not in found and (room is None or len(found) < room):
                found[node] = [Step.of(e), *reached[via]]
        reached |= found
        layer = [i for i in found if not i.startswith(agencies)]
    del reached[doc.iri]
    results = _impact_results(store, reached)
    query = {"name": "impact", "document": doc.iri, "label": doc.label, "depth": depth, "limit": limit,
             "citing": store.count_to([doc.iri], CITING) if citing is None else citing,
             "truncated": limit is not None and len(reached) >= limit}
    return Answer(query, results, _labels(store, results, {}))


def tasks_of(store: Store, document: str, limit: int | None = None) -> list[str]:
    """The document's tasks (the sources of its part_of edges a task's row gives, not its provisions'), in the
    store's order, at most `limit` (None: all)."""
    bound = limit
    while True:
        edges = store.edges_to([document], ["part_of"], limit=bound)
        tasks = [e.src for e in edges if e.rule.startswith(TASK_RULE)]
        if limit is None or bound is None or len(edges) < bound or len(tasks) >= limit:
            return tasks[:limit]
        bound *= 4


def _into(store: Store, documents: list[str], room: int | None) -> list[EdgeRow]:
    """The edges citing `documents` and their tasks' part_of edges, in the store's order, at most `room` (None: all).
    A document's provisions are part_of it too (graph.build), but are not what cites or depends on it: they are
    skipped, and read past when they fill a bound."""
    bound = room
    while True:
        edges = store.edges_to(documents, (*CITING, "part_of"), limit=bound)
        kept = [e for e in edges if not _provision_part(e)]
        if room is None or bound is None or len(edges) < bound or len(kept) >= room:
            return kept[:room]
        bound *= 4


def _is_task(iri: str) -> bool:
    return "/task/" in iri


def _impact_results(store: Store, reached: dict[str, list[Step]]) -> list[Result]:
    nodes = store.nodes(list(reached))
    task_paths = {iri: p for iri, p in reached.items() if nodes.get(iri) and nodes[iri].kind == "Task"}
    results = task_results(store, task_paths)
    for iri, path in reached.items():
        node = nodes.get(iri)
        if node is None or node.kind == "Task":
            continue
        kind = "agency" if node.kind == "Agency" else "document"
        results.append(Result(kind, iri, node.label, len(path), path, document=node.props.get("key"),
                              extra={"place": node.props.get("place"), "date": node.props.get("date"),
                                     "type": node.props.get("type"), "stub": node.stub}))
    return sorted(results, key=lambda r: (r.distance, {"document": 0, "task": 1, "agency": 2}[r.kind], r.label))


# --- stale -----------------------------------------------------------------------------------------------------
def stale(store: Store, limit: int | None = None) -> Answer:
    """Ingested documents citing a document that another document amends, replaces or repeals, with both dates."""
    changes = store.edges_with(CHANGED_BY)
    cites = [c for c in store.edges_to([e.dst for e in changes], DOCUMENT_RELATIONS) if not _is_task(c.src)]
    nodes = store.nodes([iri for e in (*changes, *cites) for iri in (e.src, e.dst)])
    citing_now = {(e.src, e.dst) for e in store.edges_from(list({c.src for c in cites}), DOCUMENT_RELATIONS)}
    by_target: dict[str, list[EdgeRow]] = {}
    for c in cites:
        by_target.setdefault(c.dst, []).append(c)
    unique: dict[tuple, Result] = {}
    for change in changes:
        changer, changed = nodes.get(change.src), nodes.get(change.dst)
        for cite in by_target.get(change.dst, []):
            citing = nodes.get(cite.src)
            if cite.src == change.src or citing is None or citing.stub:
                continue
            extra = {"date": citing.props.get("date"), "cites": changed.label if changed else change.dst,
                     "changed_by": changer.label if changer else change.src, "change": change.rel,
                     "change_date": changer.props.get("date") if changer else None,
                     "cited_date": changed.props.get("date") if changed else None,
                     "also_cites_the_change": (cite.src, change.src) in citing_now}
            unique.setdefault((citing.iri, change.dst, change.src),  # IRIs: two provinces' 05/2022/QĐ-UBND are two
                              Result("document", citing.iri, citing.label, 2, [Step.of(cite), Step.of(change)],
                                     document=citing.props.get("key"), extra=extra))
    results = sorted(unique.values(), key=lambda r: (r.label, r.extra["cites"]))[:limit]
    return Answer({"name": "stale", "total": len(unique), "limit": limit}, results, _labels(store, results, {}))


def stale_json(store: Store, limit: int | None = None) -> dict:
    """The stale answer as JSON, cut to `limit`: read from the rows saved for the store's generation (by the writer,
    see whole_graph_answers, or by the first reader that computed it), else computed now and saved."""
    if not hasattr(store, "saved_answer"):  # a server backend: it answers the question itself
        return stale(store, limit).json()
    rows = store.saved_answer("stale", limit)
    if rows is None:
        generation = store.generation()
        rows = _rows(stale(store).json())
        store.save_answer("stale", generation, rows)
        rows = rows[:None if limit is None else limit + 1]
    header = orjson.loads(rows[0])
    return {"query": {**header, "limit": limit}, "results": [orjson.loads(r) for r in rows[1:]]}


def whole_graph_answers(store: Store) -> dict[str, list[bytes]]:
    """Answers over the whole graph, for the writer to save with each change (SqliteStore.add_fragments): reading
    them then costs a lookup of the rows a page needs, not a recomputation in every server process after every
    upload."""
    return {"stale": _rows(stale(store).json())}


def _rows(answer: dict) -> list[bytes]:
    return [orjson.dumps(answer["query"]), *map(orjson.dumps, answer["results"])]


# --- agency workload -------------------------------------------------------------------------------------------
def agency_workload(store: Store, agencies: list[NodeRow], as_of: date) -> Answer:
    rows = store.edges_to([a.iri for a in agencies], ["assigned_to", "coordinates"])
    roles: dict[str, set[str]] = {}
    for e in rows:
        roles.setdefault(e.src, set()).add("lead" if e.rel == "assigned_to" else "coordinating")
    paths = {e.src: [Step.of(e)] for e in rows}
    results = task_results(store, paths)
    for r in results:
        deadline = r.extra.get("deadline") or {}
        end = deadline.get("end")
        r.extra |= {"role": sorted(roles.get(r.id, ())), "due": end,
                    "group": _deadline_group(end, as_of)}
    order = {"overdue": 0, "due": 1, "open": 2}
    results.sort(key=lambda r: (order[r.extra["group"]], r.extra["due"] or "9999", r.document or ""))
    query = {"name": "agency", "agencies": [a.iri for a in agencies], "labels": [a.label for a in agencies],
             "as_of": as_of.isoformat(), "counts": {g: sum(r.extra["group"] == g for r in results) for g in order}}
    return Answer(query, results, _labels(store, results, {}))


def _deadline_group(end: str | None, as_of: date) -> str:
    if not end:
        return "open"  # continuous, recurring, conditional or no deadline
    return "overdue" if date.fromisoformat(end) < as_of else "due"


# --- conflicts and neighbors -----------------------------------------------------------------------------------
def conflicts(store: Store) -> dict:
    return {"query": {"name": "conflicts"}, "conflicts": store.conflicts(), "unresolved": store.unresolved()}


def neighbors(store: Store, iri: str, depth: int = 1, limit: int = 300) -> dict:
    """Nodes within `depth` edges of iri (both directions), at most `limit` of them, and the edges among them: the
    documents, tasks, agencies and signers and their relations (the provisions and effects are the effects query's).
    A hub's incoming edges are read up to 4 × limit a step; the query says `truncated` when nodes were left out."""
    seen = {iri}
    frontier = [iri]
    truncated = False
    for _ in range(depth):
        incoming = store.edges_to(frontier, NEIGHBOR_RELATIONS, limit=4 * limit)
        edges = [e for e in store.edges_from(frontier, NEIGHBOR_RELATIONS) + incoming if not _provision_part(e)]
        new = list(dict.fromkeys(n for e in edges for n in (e.src, e.dst) if n not in seen))
        room = max(0, limit - len(seen))
        truncated |= len(new) > room or len(incoming) >= 4 * limit
        new = new[:room]
        seen.update(new)
        frontier = new
        if not frontier:
            break
    nodes = store.nodes(list(seen))
    edges = [e for e in store.edges_from(list(seen), NEIGHBOR_RELATIONS) if e.dst in seen]
    return {
        "query": {"name": "neighbors", "node": iri, "depth": depth, "truncated": truncated},
        "nodes": [{"id": n.iri, "kind": n.kind, "label": n.label, "stub": n.stub, **_brief(n)} for n in nodes.values()],
        "edges": [{"from": e.src, "to": e.dst, "relation": e.rel, "source": e.source, "start": e.start, "end": e.end,
                   "rule": e.rule} for e in edges],
    }


def _provision_part(edge: EdgeRow) -> bool:
    """A provision's part_of edge (to its document or its parent provision): the text's structure, not a relation."""
    return edge.rel == "part_of" and not edge.rule.startswith(TASK_RULE)


def _brief(node: NodeRow) -> dict:
    keep = ("key", "type", "date", "place", "title", "no", "text", "canonical")
    return {k: node.props[k] for k in keep if k in node.props}


def _labels(store: Store, results: Iterable[Result], extra: dict) -> dict[str, str]:
    iris = {i for r in results for s in r.path for i in (s.src, s.dst)} | set(extra)
    return {iri: n.label for iri, n in store.nodes(list(iris)).items()}
