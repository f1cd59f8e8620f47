"""Copy the embedded store into a Cypher server (graph.cypher), whole or incrementally, in batches; idempotent.

Nodes carry a hash of their content, so only changed nodes are written; nodes the store no longer has are removed
with their edges. Edges are written per source file: a file whose edges changed (or that went away) loses its
edges, and the new ones are written; a digest of the file's edges is recorded last, with the conflicts and
unresolved short forms read from it. The digest is of the edges, not
of the file, because a file's edges can change while it does not: when a dated document arrives, the undated
mentions of it in other files are re-pointed to it. So a sync cut off midway (the server killed)
and run again converges to the same graph: whatever was not recorded as done is done again, and MERGE on stable ids
makes doing it twice the same as once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from graph.cypher import RELATIONS, Connection, statement
from graph.ids import serial_of
from graph.store import EdgeRow, NodeRow, SqliteStore

BATCH = 5000  # rows per statement
FILES_PER_ROUND = 200  # source files whose edges are replaced, then recorded, together


@dataclass
class SyncReport:
    nodes_written: int = 0
    nodes_removed: int = 0
    sources_written: int = 0
    sources_removed: int = 0
    edges_written: int = 0

    @property
    def changed(self) -> bool:
        return any((self.nodes_written, self.nodes_removed, self.sources_written, self.sources_removed))


def sync(store: SqliteStore, connection: Connection, tick: Callable[[str], None] = lambda _: None,
         batch: int = BATCH, files_per_round: int = FILES_PER_ROUND) -> SyncReport:
    """Bring the server's graph to the store's; tick is told the progress after every batch."""
    report = SyncReport()
    connection.setup()
    rows_by_kind, gone = _node_changes(store, connection)
    synced = {path: digest for path, digest in connection.run(statement("sources"))}
    findings = store.findings()
    current = {path: _source_digest(edges, findings.get(path)) for path, edges in store.edge_digests().items()}
    changed = sorted(p for p, digest in current.items() if synced.get(p) != digest)
    removed = sorted(set(synced) - set(current))
    if rows_by_kind or gone or changed or removed or not connection.run(statement("sync_mark")):
        _mark(store, connection)  # before: what readers cached from the graph as it was is not served any more
    for kind, rows in rows_by_kind.items():
        for chunk in _batches(rows, batch):
            connection.run(statement("merge_nodes", kind=kind), {"rows": chunk})
            report.nodes_written += len(chunk)
            tick(f"{report.nodes_written} nodes")
    for chunk in _batches(gone, batch):
        connection.run(statement("delete_nodes"), {"iris": chunk})
    report.nodes_removed = len(gone)

    stale = [p for p in changed if p in synced] + removed  # a file never synced has no edges there to remove
    for chunk in _batches(stale, files_per_round):
        for rel in RELATIONS:  # one relationship type a statement: each looks its edges up in that type's index
            connection.run(statement("delete_source_edges", rel=rel), {"sources": chunk})
    for paths in _batches(changed, files_per_round):  # edges, then the files' digests: a cut sync redoes these files
        report.edges_written += _write_edges(connection, store.edges_of_sources(paths), batch)
        connection.run(statement("merge_sources"), {"rows": [_source_row(p, current[p], findings.get(p)) for p in paths]})
        tick(f"{report.edges_written} edges")
    for chunk in _batches(removed, files_per_round):
        connection.run(statement("delete_sources"), {"paths": chunk})
    report.sources_written, report.sources_removed = len(changed), len(removed)
    if report.changed:
        _mark(store, connection)  # after: nor what they cached while the sync ran
    return report


def _node_changes(store: SqliteStore, connection: Connection) -> tuple[dict[str, list[dict]], list[str]]:
    """The node rows to write, by kind (new or changed), and the IRIs of the server's nodes the store has not."""
    remote = {iri: h for iri, h in connection.run(statement("node_hashes"))}
    aliases = store.all_aliases()
    rows_by_kind: dict[str, list[dict]] = defaultdict(list)
    local: set[str] = set()
    for node in store.all_nodes():
        local.add(node.iri)
        row = _node_row(node, aliases.get(node.iri, ()))
        if remote.get(node.iri) != row["h"]:
            rows_by_kind[node.kind].append(row)
    return dict(rows_by_kind), sorted(set(remote) - local)


def _mark(store: SqliteStore, connection: Connection) -> None:
    connection.run(statement("mark_sync"), {"token": uuid.uuid4().hex, "generation": store.generation(),
                                            "at": datetime.now(UTC).isoformat(timespec="seconds")})


def _source_digest(edges: str, findings: dict | None) -> str:
    return hashlib.blake2b(edges.encode("ascii") + orjson.dumps(findings), digest_size=16).hexdigest()


def _source_row(path: str, digest: str, findings: dict | None) -> dict:
    findings = findings or {"conflicts": [], "unresolved": []}
    return {"path": path, "digest": digest, "conflicts": orjson.dumps(findings["conflicts"]).decode("utf-8"),
            "unresolved": orjson.dumps(findings["unresolved"]).decode("utf-8")}


def _write_edges(connection: Connection, edges: Iterable[EdgeRow], batch: int) -> int:
    by_rel: dict[str, list[dict]] = defaultdict(list)
    for e in edges:
        by_rel[e.rel].append({"src": e.src, "dst": e.dst, "eid": e.evidence_id(), "source": e.source,
                              "start": e.start, "end": e.end, "rule": e.rule})
    written = 0
    for rel, rows in by_rel.items():
        for chunk in _batches(rows, batch):
            connection.run(statement("merge_edges", rel=rel), {"rows": chunk})
            written += len(chunk)
    return written


def _node_row(node: NodeRow, aliases: Iterable[str]) -> dict:
    props = node.props
    row = {"iri": node.iri, "kind": node.kind, "label": node.label, "stub": node.stub, "key": props.get("key"),
           "serial": _serial(props.get("key")), "year": props.get("year"), "type": props.get("type"),
           "place": props.get("place"), "date": props.get("date"), "due": (props.get("deadline") or {}).get("end"),
           "props": orjson.dumps(props).decode("utf-8"),  # key order kept: answers print alike
           "folded": sorted({a.casefold() for a in (*aliases, node.label)}) if node.kind == "Agency" else []}
    row["h"] = hashlib.sha256(orjson.dumps(row, option=orjson.OPT_SORT_KEYS)).hexdigest()[:24]
    return row


def _serial(key: str | None) -> str | None:
    return serial_of(key) if key else None


def _batches(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
