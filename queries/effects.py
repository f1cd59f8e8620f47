"""Provision-level effects: what later documents changed in a document, provision by provision (legislation.gov.uk's
changes table, computed from the amending texts), and whether a task that cites provisions is touched by a change.

The graph (graph.build): an Effect node per instruction of an amending document (op, part, words_from, words_to,
text, target_document, target, source, effective, document: the amending document) with edges `affects` → the
target provision (the target document when the whole of it changes), `stated_in` → the provision of the amending
document stating it (or that document), `on_document` → the target document. Provision nodes (document, path, kind,
label, heading) are `part_of` their parent provision or their document; a task `depends_on_provision` the
provisions its cells cite (besides `depends_on` the documents).

How a task is affected (`affected`), judged against "the change" of its row in a depends-on answer:

- "provision": a provision it cites, or one containing it (its Điều, Chương …, the whole document), was changed;
- "part": a part of a provision it cites was changed (it cites Điều 12, khoản 2 of Điều 12 was amended): legal
  staff want those too, so they count as affected;
- "document-level": it cites only the document, or reaches the change through a guiding document, or the store
  knows the change only as a document relation (no provision-level effects read for it): it stays affected;
- "not-affected": it cites provisions of the changed document, and the change touched none of them, nor a provision
  containing one, nor a part of one. Such tasks stay in the answer (the answer's rows are unchanged), marked, and
  counted in the query's `affected` counts, so a list can set them aside;
- "direct": it cites the focus document itself (distance 1) at provisions that no later document changed.

The change of a row: for a task citing a document that the focus (or a document on the way to it) amends or
replaces, the effects the changing document next to the cited one states on it (a replacement changes every
provision); for a task citing the focus itself, every later change to the provisions it cites (so the page of
61/2018/NĐ-CP shows which of its dependent tasks cite a provision 107/2021/NĐ-CP amended).
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from legalkg.graph.ids import provision_iri, provision_label
from legalkg.graph.records import EFFECT, PROVISION, PROVISION_KINDS
from legalkg.graph.store import EdgeRow, NodeRow, Store

DIVISION_KINDS = ("phan", "chuong", "muc")
DIVISION_STEP = re.compile(r"/(?:phan|chuong|muc)_[^/]*$")  # graph.ids.provision_iri of a division

AFFECTED = ("provision", "part", "document-level", "not-affected", "direct")  # how a task is affected (above)
EFFECT_EDGES = ("affects", "stated_in")
LABEL_ORDER = re.compile(r"(\d+)|(\D+)")
LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order of điểm labels


# --- provision paths -------------------------------------------------------------------------------------------
def path_order(path: Sequence[str]) -> tuple:
    """A sort key putting provisions in the order of the text: the body's units before the appendix's, Điều 2 before
    Điều 10, Điều 5 before 5a before 6, điểm d before đ."""
    return _path_order(tuple(path))


@lru_cache(maxsize=1 << 14)
def _path_order(path: tuple[str, ...]) -> tuple:
    return tuple((_KIND_RANK.get(kind, len(_KIND_RANK)), kind,
                  tuple((0, int(n), ()) if n else (1, 0, tuple(map(_letter_rank, s)))
                        for n, s in LABEL_ORDER.findall(label)))
                 for kind, _, label in (step.partition(":") for step in path))


_KIND_RANK = {kind: i for i, kind in enumerate(PROVISION_KINDS)}


def _letter_rank(c: str) -> int:
    return LETTERS.index(c) if c in LETTERS else len(LETTERS) + ord(c)


def _path_of(node: NodeRow | None, iri: str, document: str) -> tuple[str, ...]:
    """A provision's path: its node's, else read from its IRI ({document}/dieu_12/khoan_2, graph.ids)."""
    if node is not None and isinstance(node.props.get("path"), list):
        return tuple(node.props["path"])
    rest = iri[len(document) + 1:] if iri.startswith(document + "/") else ""
    steps = []
    for segment in filter(None, rest.split("/")):
        kind = next((k for k in sorted(PROVISION_KINDS, key=len, reverse=True)
                     if segment == k or segment.startswith(k + "_")), segment)
        steps.append(f"{kind}:{segment[len(kind) + 1:]}")
    return tuple(steps)


# --- the effects on a document and those it states -------------------------------------------------------------
@dataclass(frozen=True)
class EffectRow:
    id: str
    op: str
    part: str | None
    words: dict | None  # {"from", "to"}
    text: str | None
    target_document_id: str
    target_document: str
    target: tuple[str, ...]  # () for the whole document
    target_id: str | None  # the provision node (or the document) it affects
    target_heading: str | None
    by_document_id: str
    by_document: str
    by_date: str | None
    source: tuple[str, ...]
    source_id: str | None
    effective: str | None  # the day the amending document takes effect
    file: str | None  # where it was read, with the span of its instruction
    start: int | None
    end: int | None
    place: int | None = None  # where the target starts in its document's text (see _placed)

    @property
    def target_label(self) -> str:
        return provision_label(self.target)

    @property
    def source_label(self) -> str:
        return provision_label(self.source)

    def json(self) -> dict:
        return {"id": self.id, "op": self.op, "part": self.part, "words": self.words, "text": self.text,
                "target_document": self.target_document, "target_document_id": self.target_document_id,
                "target": list(self.target), "target_label": self.target_label or None, "target_id": self.target_id,
                "target_heading": self.target_heading,
                "by_document": self.by_document, "by_document_id": self.by_document_id, "by_date": self.by_date,
                "source": list(self.source), "source_label": self.source_label or None, "source_id": self.source_id,
                "effective": self.effective,
                "evidence": {"source": self.file, "start": self.start, "end": self.end}}


@dataclass
class Effects:
    """The effects on a document's provisions (`on`, in the order of its text) and those it states on other
    documents (`stated`, in the order of its own text)."""

    document: NodeRow
    on: list[EffectRow]
    stated: list[EffectRow]
    limit: int | None = None
    on_total: int = 0
    stated_total: int = 0
    changed_provisions: int = 0  # of all the effects on it, not of the `limit` shown
    changed_by: list[tuple[str, str]] = field(default_factory=list)  # (id, label) of every document changing it

    def json(self) -> dict:
        query = {"name": "effects", "document": self.document.iri, "label": self.document.label,
                 "on_total": self.on_total, "stated_total": self.stated_total, "limit": self.limit,
                 "changed_provisions": self.changed_provisions,
                 "changed_by": [{"id": i, "label": label} for i, label in self.changed_by]}
        return {"query": query, "on": [e.json() for e in self.on], "stated": [e.json() for e in self.stated]}


def effects(store: Store, doc: NodeRow, limit: int | None = None) -> Effects:
    """Every effect on doc's provisions (by any document) and every effect doc states on another document, each with
    its target and source provisions, the amending document and the day it takes effect; at most `limit` of each
    (None: all)."""
    on = _effect_rows(store, effects_on(store, [doc.iri]), placed=True)
    on.sort(key=lambda e: ((0, e.place, len(e.target)) if e.place is not None else (1, 0, 0), path_order(e.target),
                           e.effective or "", e.by_date or "", e.by_document, e.start or 0))
    stated = _effect_rows(store, effects_stated(store, doc))
    stated.sort(key=lambda e: (e.start if e.start is not None else 1 << 62, _index(e.id), path_order(e.target)))
    changed_by = sorted({(e.by_document_id, e.by_document) for e in on})
    return Effects(doc, on[:limit], stated[:limit], limit, len(on), len(stated), len({e.target for e in on}),
                   changed_by)


def _index(iri: str) -> int:
    """n of an effect's IRI, {document}/effect_n (graph.ids.effect_iri): the order the amending text states it in."""
    tail = iri.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def effects_on(store: Store, documents: Sequence[str]) -> dict[str, NodeRow]:
    """The Effect nodes whose target is a provision of one of `documents` (or the whole of it)."""
    iris = list(dict.fromkeys(e.src for e in store.edges_to(list(documents), ["on_document"])))
    return {i: n for i, n in store.nodes(iris).items() if n.kind == EFFECT}


def effects_stated(store: Store, doc: NodeRow) -> dict[str, NodeRow]:
    """The Effect nodes doc states: those stated in doc itself or in one of its provisions (its tree, walked down
    its part_of edges)."""
    where, frontier = [doc.iri], [doc.iri]
    while frontier:
        frontier = [e.src for e in store.edges_to(frontier, ["part_of"]) if "/task/" not in e.src[len(doc.iri):]]
        where += frontier
    found = sorted({e.src for e in store.edges_to(where, ["stated_in"])})
    return {i: n for i, n in store.nodes(found).items() if n.kind == EFFECT}


def _effect_rows(store: Store, found: dict[str, NodeRow], placed: bool = False) -> list[EffectRow]:
    """The effects as rows, with their ends' labels; `placed`: with where each target sits in its document's text,
    so a changes table follows the text (a provision the text lacks, one an effect inserts, sits where the unit
    holding it does; one under no known unit, after the others)."""
    edges = store.edges_from(list(found), EFFECT_EDGES)
    ends: dict[tuple[str, str], EdgeRow] = {}
    for e in edges:
        ends.setdefault((e.src, e.rel), e)
    documents = {n.props.get("document") for n in found.values()}
    targets = {e.dst for e in edges if e.rel == "affects"}
    on = {e.src: e.dst for e in store.edges_from(list(found), ["on_document"])}
    nodes = store.nodes([i for i in (*documents, *targets, *on.values()) if i])
    rows = []
    for iri, n in found.items():
        p = n.props
        affects, stated = ends.get((iri, "affects")), ends.get((iri, "stated_in"))
        by = p.get("document") or (stated.dst if stated else iri.rsplit("/", 1)[0])
        by_node, target_doc = nodes.get(by), on.get(iri)
        target_node = nodes.get(affects.dst) if affects else None
        target_doc_node = nodes.get(target_doc) if target_doc else None
        words = ({"from": p.get("words_from"), "to": p.get("words_to")}
                 if p.get("words_from") is not None or p.get("words_to") is not None else None)
        evidence = affects or stated
        rows.append(EffectRow(
            iri, p.get("op", ""), p.get("part"), words, p.get("text"),
            target_doc or "", target_doc_node.label if target_doc_node else (p.get("target_document") or ""),
            tuple(p.get("target") or ()), affects.dst if affects else None,
            target_node.props.get("heading") if target_node and target_node.kind == PROVISION else None,
            by, by_node.label if by_node else by, by_node.props.get("date") if by_node else None,
            tuple(p.get("source") or ()), stated.dst if stated else None, p.get("effective"),
            evidence.source if evidence else None, p.get("start", evidence.start if evidence else None),
            p.get("end", evidence.end if evidence else None)))
    return _placed(store, rows) if placed else rows


def _placed(store: Store, rows: list[EffectRow]) -> list[EffectRow]:
    """Each row with where its target starts in the text; a target the text lacks (a khoản an effect inserts) just
    before the end of the nearest unit holding it."""
    holders = {r.id: [provision_iri(r.target_document_id, r.target[:depth]) for depth in range(len(r.target), 0, -1)]
               for r in rows if r.target_document_id and r.target}
    nodes = store.nodes(list({i for chain in holders.values() for i in chain}))

    def place(chain: list[str]) -> int | None:
        for depth, iri in enumerate(chain):
            props = nodes[iri].props if iri in nodes else {}
            at = props.get("start") if depth == 0 else props.get("end")
            if isinstance(at, int):
                return at if depth == 0 else at - 1
        return None

    return [replace(r, place=place(holders.get(r.id, []))) for r in rows]


# --- how a task is affected --------------------------------------------------------------------------------------
@dataclass
class Affected:
    mark: str  # one of AFFECTED
    cited: str  # the document the task cites on its way to the focus
    provisions: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # its cited provisions of `cited`
    changes: list[tuple[str, EffectRow]] = field(default_factory=list)  # ("provision" | "part", the effect)

    def json(self) -> dict:
        return {"affected": self.mark,
                "cited_provisions": [{"id": i, "path": list(p), "label": provision_label(p)}
                                     for i, p in self.provisions],
                "changes": [{"how": how, **_change_json(e)} for how, e in self.changes]}


def change_line(e: EffectRow) -> str:
    """A change as a short line: "khoản 2 Điều 12: amend by 107/2021/NĐ-CP (2022-01-01)"."""
    where = e.target_label or e.target_document
    when = f" ({e.effective})" if e.effective else ""
    return f"{where}: {e.op}{' ' + e.part if e.part else ''} by {e.by_document}{when}"


def _change_json(e: EffectRow) -> dict:
    return {"effect": e.id, "op": e.op, "part": e.part, "target": list(e.target),
            "target_label": e.target_label or None,
            "target_id": e.target_id, "by_document": e.by_document, "by_document_id": e.by_document_id,
            "source_label": e.source_label or None, "effective": e.effective}


Reach = tuple[str, str | None, str]  # (cited document, the document changing it next on the way, how it is reached)


def reach(cited: str, onward: Sequence) -> Reach:
    """How a task citing `cited` reaches the focus, from the steps between `cited` and the focus (none: it is the
    focus): (cited, the document changing it next to it or None, "direct" | "amends" | "replaces" | "guides")."""
    if not onward:
        return cited, None, "direct"
    step = onward[0]
    if step.dst == cited and step.rel != "guides":
        return cited, step.src, step.rel
    return cited, None, "guides"


def affectedness(store: Store, paths: dict[str, Sequence]) -> dict[str, Affected]:
    """How each task is affected (see the module's docstring), from its depends-on path: its depends_on step, then
    the steps from the document it cites to the focus (queries.core.Step, or anything with src, rel and dst)."""
    return affected_by(store, {t: reach(p[0].dst, p[1:]) for t, p in paths.items() if p})


def affected_by(store: Store, reaches: dict[str, Reach]) -> dict[str, Affected]:
    """How each task is affected, from how it reaches the focus (`reach`)."""
    if not reaches:
        return {}
    cited = _cited_provisions(store, list(reaches))
    if not cited:  # no task cites a provision: each is affected at the document level, whatever changed
        return {t: Affected("document-level", r[0]) for t, r in reaches.items()}
    found = effects_on(store, sorted({r[0] for r in reaches.values()}))
    rows = {e.id: e for e in _effect_rows(store, found)} if found else {}
    provision_nodes = store.nodes(list({dst for _, dst in cited}))
    cited_by: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for task, dst in cited:
        document = reaches[task][0]
        node = provision_nodes.get(dst)
        owner = node.props.get("document") if node is not None else None
        if owner == document or (owner is None and dst.startswith(document + "/")):
            item = (dst, _path_of(node, dst, document))
            if item not in cited_by.setdefault(task, []):
                cited_by[task].append(item)
    ancestors = _ancestors(store, [i for items in cited_by.values() for i, _ in items] +
                           [r.target_id for r in rows.values() if r.target_id]) if rows else {}
    by_document: dict[str, list[EffectRow]] = {}
    for r in sorted(rows.values(), key=lambda r: (path_order(r.target), r.effective or "", r.id)):
        by_document.setdefault(r.target_document_id, []).append(r)
    changes: dict[tuple[str, str | None], _Changes] = {}
    out = {}
    for task, (document, changer, how) in reaches.items():
        provisions = cited_by.get(task, [])
        if len(provisions) > 1:
            provisions.sort(key=lambda item: path_order(item[1]))
        if (document, changer) not in changes:
            on_document = by_document.get(document, [])
            changes[document, changer] = _Changes(
                on_document if changer is None else [e for e in on_document if e.by_document_id == changer], ancestors)
        out[task] = _judge(document, how, provisions, changes[document, changer], ancestors)
    return out


def _cited_provisions(store: Store, tasks: list[str]) -> list[tuple[str, str]]:
    """(task, provision) for each provision the tasks cite; read without the edges' sources where the store can."""
    if hasattr(store, "pairs"):  # the embedded store: a fraction of edges_from's time on thousands of tasks
        return list(dict.fromkeys((src, dst) for src, _, dst in store.pairs(tasks, ["depends_on_provision"],
                                                                           incoming=False)))
    return list(dict.fromkeys((e.src, e.dst) for e in store.edges_from(tasks, ["depends_on_provision"])))


class _Changes:
    """The effects a group of tasks is judged against (those on one document, by one changing document or by any),
    indexed so that a cited provision finds those touching it without reading the others: by target path and node,
    and by every path and node holding a target."""

    def __init__(self, effects: list[EffectRow], ancestors: dict[str, set[str]]) -> None:
        self.effects = effects
        self.order = {e.id: i for i, e in enumerate(effects)}
        self.seen: dict[tuple, list[tuple[str, EffectRow]]] = {}
        self.at_path: dict[tuple[str, ...], list[EffectRow]] = {}
        self.at_node: dict[str, list[EffectRow]] = {}
        self.within_path: dict[tuple[str, ...], list[EffectRow]] = {}
        self.within_node: dict[str, list[EffectRow]] = {}
        for e in effects:
            self.at_path.setdefault(e.target, []).append(e)
            if e.target_id:
                self.at_node.setdefault(e.target_id, []).append(e)
                for holder in ancestors.get(e.target_id, ()):
                    self.within_node.setdefault(holder, []).append(e)
            for depth in range(1, len(e.target)):
                self.within_path.setdefault(e.target[:depth], []).append(e)

    def touching(self, provisions: list[tuple[str, tuple[str, ...]]],
                 ancestors: dict[str, set[str]]) -> list[tuple[str, EffectRow]]:
        key = tuple(provisions)
        if key not in self.seen:  # tasks of one plan often cite the same provisions
            self.seen[key] = self._touching(provisions, ancestors)
        return self.seen[key]

    def _touching(self, provisions: list[tuple[str, tuple[str, ...]]],
                  ancestors: dict[str, set[str]]) -> list[tuple[str, EffectRow]]:
        """("provision" | "part", effect) for each effect touching one of the provisions, in the effects' order:
        "provision" when its target is a cited provision or holds one (by path, or by the tree's part_of edges: a
        Chương holds its Điều; the whole document holds all), "part" when a cited provision holds its target."""
        found: dict[str, tuple[str, EffectRow]] = {}
        for iri, path in provisions:
            for e in self._holding(iri, path, ancestors):
                found[e.id] = ("provision", e)
            for e in (*self.within_path.get(path, ()), *self.within_node.get(iri, ())):
                found.setdefault(e.id, ("part", e))
        return sorted(found.values(), key=lambda item: self.order[item[1].id])

    def _holding(self, iri: str, path: tuple[str, ...], ancestors: dict[str, set[str]]) -> list[EffectRow]:
        found = [e for depth in range(len(path) + 1) for e in self.at_path.get(path[:depth], ())]
        return found + [e for node in (iri, *ancestors.get(iri, ())) for e in self.at_node.get(node, ())]


def _judge(document: str, how: str, provisions: list[tuple[str, tuple[str, ...]]], considered: _Changes,
           ancestors: dict[str, set[str]]) -> Affected:
    if how == "guides" or not provisions:
        return Affected("document-level", document, provisions, [])
    changes = considered.touching(provisions, ancestors)
    if how == "replaces":  # the whole document is replaced: every provision of it changes
        return Affected("provision", document, provisions, changes)
    if how != "direct" and not considered.effects:  # the change is known only as a relation between the documents
        return Affected("document-level", document, provisions, [])
    kinds = {kind for kind, _ in changes}
    mark = ("provision" if "provision" in kinds else "part" if "part" in kinds
            else "direct" if how == "direct" else "not-affected")
    if mark == "not-affected" and _unplaced(considered.effects, provisions, ancestors):
        mark = "document-level"  # a Chương changed, and whether it holds the cited Điều is not known
    return Affected(mark, document, provisions, changes)


def _unplaced(effects: list[EffectRow], provisions: list[tuple[str, tuple[str, ...]]],
              ancestors: dict[str, set[str]]) -> bool:
    """Whether an effect on a division (Phần, Chương, Mục) may hold a cited provision whose place in the divisions
    the store does not know (the changed document's text is not in it: a stub Điều is part_of the document)."""
    if not any(e.target and e.target[0].split(":")[0] in DIVISION_KINDS for e in effects):
        return False
    return any(not any(DIVISION_STEP.search(a) for a in ancestors.get(iri, ())) for iri, _ in provisions)


def _ancestors(store: Store, iris: Iterable[str]) -> dict[str, set[str]]:
    """Each provision → the units holding it, up its part_of edges (its Điều, its Chương …, its document)."""
    parents: dict[str, set[str]] = {}
    frontier = list(dict.fromkeys(iris))
    seen = set(frontier)
    while frontier:
        edges = (store.pairs(frontier, ["part_of"], incoming=False) if hasattr(store, "pairs")
                 else [(e.src, e.rel, e.dst) for e in store.edges_from(frontier, ["part_of"])])
        for src, _, dst in edges:
            parents.setdefault(src, set()).add(dst)
        frontier = list(dict.fromkeys(dst for _, _, dst in edges if dst not in seen))
        seen.update(frontier)
    held: dict[str, set[str]] = {}

    def up(iri: str) -> set[str]:
        if iri not in held:
            held[iri] = set()  # a circle (never made by the builder) ends here
            out = set()
            for p in parents.get(iri, ()):
                out |= {p} | up(p)
            held[iri] = out
        return held[iri]

    return {i: up(i) for i in dict.fromkeys(iris)}


def affected_counts(marks: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(AFFECTED, 0)
    for m in marks:
        counts[m] = counts.get(m, 0) + 1
    return counts
