"""The queries' Store over a networkx MultiDiGraph held in memory: for notebooks, and as a third implementation the
others are checked against (the same questions answer alike on SQLite, networkx and a Cypher server).

The graph is keyed by evidence, not by relation (as SqliteStore.to_networkx is): the same fact read twice, in two
files or two spans, is two edges, as in the other stores, so answers cite the same evidence. Orders are the
embedded store's: edges by (endpoint, relation, other endpoint, source, start), nodes by IRI.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import networkx as nx

from legalkg.graph.records import DOCUMENT
from legalkg.graph.ids import serial_of
from legalkg.graph.store import EdgeRow, NodeRow, SqliteStore, Store, fold


class NetworkxStore(Store):
    def __init__(self, graph: nx.MultiDiGraph, aliases: dict[str, list[str]] | None = None,
                 conflicts: list[dict] | None = None, unresolved: list[dict] | None = None) -> None:
        self.graph = graph
        self._folded: dict[str, set[str]] = {}
        for iri, names in (aliases or {}).items():
            for name in names:
                self._folded.setdefault(fold(name), set()).add(iri)
        self._conflicts, self._unresolved = conflicts or [], unresolved or []

    @classmethod
    def of(cls, store: SqliteStore) -> NetworkxStore:
        """The whole store, copied into memory."""
        graph = nx.MultiDiGraph()
        for n in store.all_nodes():
            graph.add_node(n.iri, row=n)
        for e in store.all_edges():
            graph.add_edge(e.src, e.dst, key=e.evidence_id(), row=e)
        return cls(graph, store.all_aliases(), store.conflicts(), store.unresolved())

    def nodes(self, iris: Sequence[str]) -> dict[str, NodeRow]:
        return {iri: self.graph.nodes[iri]["row"] for iri in dict.fromkeys(iris) if iri in self.graph}

    def edges_to(self, iris: Sequence[str], rels: Sequence[str] | None = None, limit: int | None = None) -> list[EdgeRow]:
        edges = [d["row"] for iri in set(iris) if iri in self.graph for _, _, d in self.graph.in_edges(iri, data=True)]
        return _sorted(_of(edges, rels), incoming=True)[:limit]

    def edges_from(self, iris: Sequence[str], rels: Sequence[str] | None = None) -> list[EdgeRow]:
        edges = [d["row"] for iri in set(iris) if iri in self.graph for _, _, d in self.graph.out_edges(iri, data=True)]
        return _sorted(_of(edges, rels), incoming=False)

    def count_to(self, iris: Sequence[str], rels: Sequence[str]) -> int:
        return len({e.src for e in self.edges_to(iris, rels)})

    def edges_with(self, rels: Sequence[str]) -> list[EdgeRow]:
        return _sorted(_of((d["row"] for _, _, d in self.graph.edges(data=True)), rels), incoming=False)

    def find_documents(self, serial: str, year: int | None = None, type: str | None = None) -> list[NodeRow]:
        def matches(n: NodeRow) -> bool:
            key = n.props.get("key")
            return (n.kind == DOCUMENT and bool(key) and serial_of(key) == serial
                    and (year is None or n.props.get("year") == year or f"/{year}/" in key)
                    and (type is None or n.props.get("type") == type))

        return [n for n in self._rows() if matches(n)]

    def find_agencies(self, name: str) -> list[NodeRow]:
        return list(self.nodes(sorted(self._folded.get(fold(name), ()))).values())

    def nodes_of_kind(self, kind: str) -> Iterator[NodeRow]:
        return (n for n in self._rows() if n.kind == kind)

    def conflicts(self) -> list[dict]:
        return list(self._conflicts)

    def unresolved(self, source: str | None = None) -> list[dict]:
        return [u for u in self._unresolved if source is None or u["source"] == source]

    def _rows(self) -> list[NodeRow]:
        return sorted((d["row"] for _, d in self.graph.nodes(data=True)), key=lambda n: n.iri)


def _of(edges, rels: Sequence[str] | None) -> list[EdgeRow]:
    return [e for e in edges if not rels or e.rel in rels]


def _sorted(edges: list[EdgeRow], incoming: bool) -> list[EdgeRow]:
    def key(e: EdgeRow) -> tuple:
        ends = (e.dst, e.rel, e.src) if incoming else (e.src, e.rel, e.dst)
        return (*ends, e.source, e.start is not None, e.start or 0)  # SQLite sorts NULL first

    return sorted(edges, key=key)
