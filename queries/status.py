"""A document's status, as a flag on its page and in search results (KeyCite's red and yellow flags, for decrees):
changed — amended, replaced or repealed by a later document, by whom and when; stale — it cites a document that was
changed after it was issued, so what it builds on may have moved; else current (as far as the store knows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from legalkg.graph.records import DOCUMENT_RELATIONS
from legalkg.graph.store import NodeRow, Store
from legalkg.queries.core import CHANGED_BY

SEVERITY = ("repeals", "replaces", "amends")  # the flag names the gravest change first


@dataclass(frozen=True)
class Change:
    relation: str  # amends | replaces | repeals
    by: str  # the changing document's IRI
    by_label: str
    date: str | None
    year: int | None  # of the changing document (known from its number when only citations know it)
    cited: str | None = None  # for a stale flag: the cited document that was changed
    cited_label: str | None = None


@dataclass(frozen=True)
class Status:
    flag: str  # "repealed" | "replaced" | "amended" | "stale" | "current"
    changes: list[Change] = field(default_factory=list)  # the changes of this document
    stale: list[Change] = field(default_factory=list)  # changes of documents it cites, made after it was issued

    def json(self) -> dict:
        return {"flag": self.flag, "changes": [c.__dict__ for c in self.changes],
                "stale": [c.__dict__ for c in self.stale]}


FLAG_OF = {"repeals": "repealed", "replaces": "replaced", "amends": "amended"}


def status(store: Store, doc: NodeRow) -> Status:
    changes = _changes_of(store, [doc.iri])
    stale = [] if doc.stub else _stale_citations(store, doc)
    if changes:
        worst = min(changes, key=lambda c: SEVERITY.index(c.relation))
        return Status(FLAG_OF[worst.relation], changes, stale)
    return Status("stale" if stale else "current", [], stale)


def _changes_of(store: Store, iris: list[str]) -> list[Change]:
    """Each (document, changer, relation) once, the changers' labels and dates read in one call."""
    edges = store.edges_to(iris, CHANGED_BY)
    unique = list(dict.fromkeys((e.dst, e.src, e.rel) for e in edges if e.src != e.dst))
    nodes = store.nodes([i for d, s, _ in unique for i in (d, s)])
    out = []
    for dst, src, rel in unique:
        changer, changed = nodes.get(src), nodes.get(dst)
        facts = changer.props if changer else {}
        out.append(Change(rel, src, changer.label if changer else src, facts.get("date"), facts.get("year"),
                          cited=dst, cited_label=changed.label if changed else dst))
    return sorted(out, key=lambda c: (c.date or "", c.by_label))


def _stale_citations(store: Store, doc: NodeRow) -> list[Change]:
    """Changes of the documents doc cites, made by a document other than doc and known to be no older than doc (by
    their dates, or their years when a date is missing; a change of unknown time raises no flag), that doc does not
    cite itself (a plan citing both 61/2018 and the 107/2021 amending it is up to date)."""
    cited = {e.dst for e in store.edges_from([doc.iri], DOCUMENT_RELATIONS)}
    return [c for c in _changes_of(store, sorted(cited))
            if c.by != doc.iri and c.by not in cited and _not_older(c, doc.props.get("date"), doc.props.get("year"))]


def _not_older(change: Change, date: str | None, year: int | None) -> bool:
    if change.date and date:
        return change.date >= date
    if change.year and year:
        return change.year >= year
    return False
