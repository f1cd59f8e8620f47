"""The workbench's search box: what a person types → documents and agencies.

A document number as people type it ("ND 107/2021", "107/2021/NĐ-CP", "Nghị định 61/2018", "140/KH-UBND") is
looked up as an identifier first (queries.identify), so every document it names comes first; then words of titles
(every word must appear, compared folded), then agencies by name or by words of their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legalkg.graph.store import NodeRow, SqliteStore
from legalkg.queries.identify import Ambiguous, NotFound, identify
from legalkg.queries.identify import agencies_named

LIMIT = 50


@dataclass
class Found:
    query: str
    documents: list[NodeRow] = field(default_factory=list)
    agencies: list[NodeRow] = field(default_factory=list)
    by_number: bool = False  # the query named documents by their number

    @property
    def empty(self) -> bool:
        return not self.documents and not self.agencies


def search(store: SqliteStore, query: str, limit: int = LIMIT) -> Found:
    query = " ".join(query.split())
    found = Found(query)
    if not query:
        return found
    named = _documents_named(store, query)
    found.by_number = bool(named)
    words = query.split()
    found.documents = _unique(named + store.having_words("Document", words, limit))[:limit]
    found.agencies = _unique(_agencies_named(store, query) + store.having_words("Agency", words, limit))[:limit]
    return found


def _documents_named(store: SqliteStore, query: str) -> list[NodeRow]:
    try:
        return [identify(store, query)]
    except Ambiguous as exc:
        return list(exc.candidates)
    except (NotFound, ValueError):
        return []


def _agencies_named(store: SqliteStore, query: str) -> list[NodeRow]:
    try:
        return list(agencies_named(store, query))
    except (LookupError, ValueError):
        return []


def _unique(nodes: list[NodeRow]) -> list[NodeRow]:
    return list({n.iri: n for n in nodes}.values())
