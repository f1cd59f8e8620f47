"""The workbench's search box: what a person types → documents and agencies.

A document number as people type it ("ND 107/2021", "107/2021/NĐ-CP", "Nghị định 61/2018", "140/KH-UBND") is
looked up as an identifier first (queries.identify), so every document it names comes first; then words of titles
(every word must appear, compared without case or diacritics: "quang ngai" finds "Quảng Ngãi"), then agencies by name
or by words of their names.

The texts searched are read once per store generation and kept in the process (about 150 ms on a 10k store, then
20 ms a search instead of 150): reading every title from the store for each search was most of its time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from legalkg.graph.store import NodeRow, SqliteStore, plain
from legalkg.queries.identify import Ambiguous, NotFound, identify
from legalkg.queries.identify import agencies_named

LIMIT = 50


@dataclass
class Found:
    query: str
    documents: list[NodeRow] = field(default_factory=list)
    agencies: list[NodeRow] = field(default_factory=list)
    named: list[NodeRow] = field(default_factory=list)  # the documents the query names as a number

    @property
    def empty(self) -> bool:
        return not self.documents and not self.agencies


def search(store: SqliteStore, query: str, limit: int = LIMIT) -> Found:
    query = " ".join(query.split())
    found = Found(query)
    if not query:
        return found
    found.named = _documents_named(store, query)
    words = query.split()
    found.documents = _unique(found.named + _having_words(store, "Document", words, limit))[:limit]
    found.agencies = _unique(_agencies_named(store, query) + _having_words(store, "Agency", words, limit))[:limit]
    return found


_TEXTS: dict[tuple[str, str], tuple[int, list[tuple[str, str]]]] = {}  # (store, kind) → (generation, store.search_texts(kind))
_TEXTS_LOCK = threading.Lock()


def _having_words(store: SqliteStore, kind: str, words: list[str], limit: int) -> list[NodeRow]:
    wanted = [plain(w) for w in words if w.strip()]
    if not wanted:
        return []
    found = []
    for iri, text in _texts(store, kind):
        if all(w in text for w in wanted):
            found.append(iri)
            if len(found) == limit:
                break
    nodes = store.nodes(found)
    return [nodes[i] for i in found if i in nodes]


def _texts(store: SqliteStore, kind: str) -> list[tuple[str, str]]:
    key, generation = (store.identity(), kind), store.generation()
    with _TEXTS_LOCK:
        held = _TEXTS.get(key)
    if held is None or held[0] != generation:
        held = (generation, store.search_texts(kind))
        with _TEXTS_LOCK:
            _TEXTS[key] = held
    return held[1]


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
