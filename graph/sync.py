"""Copy the embedded store into a Cypher server (graph.cypher), whole or incrementally, in batches; idempotent.

What to send: the server keeps a mark of its last sync (which store, as of which of its generations, complete or
not). If it was synced completely from this store, the store's journal of what later batches touched says what to
send; otherwise every node is compared by a hash of its content, and every source file by a digest of its edges,
conflicts and unresolved short forms. (A digest of the edges, not of the file: a file's edges can change while it
does not, when a dated document arrives and the undated mentions of it in other files are re-pointed to it.)

How: nodes are written (MERGE on the IRI) and removed with their edges; a changed file loses its edges on the
server, is recorded (digest pending), its new edges are written, and its digest is recorded last. The mark says
"incomplete" while this runs, and a sync marks the graph complete only if the mark is still its own. So a
sync cut off midway (the server killed) and run again compares everything and converges to the same graph: MERGE on
stable ids makes doing something twice the same as once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from legalkg.graph.cypher import RELATIONS, Connection, CypherStore, statement
from legalkg.graph.ids import serial_of
from legalkg.graph.store import EdgeRow, NodeRow, SqliteStore

BATCH = 5000  # rows per statement
FILES_PER_ROUND = 200  # source files whose edges are replaced, then recorded, together


@dataclass
class SyncReport:
    nodes_written: int = 0
    nodes_removed: int = 0
    sources_written: int = 0
    sources_removed: int = 0
    edges_written: int = 0
    since: int | None = None  # the store's generation it sent the changes after; None: it compared everything

    @property
    def changed(self) -> bool:
        return any((self.nodes_written, self.nodes_removed, self.sources_written, self.sources_removed))


@dataclass
class _Plan:
    """What a sync will do: node rows to write (by kind), node IRIs to remove, source files whose edges to replace
    (with their digests and findings) or remove, and the files whose edges on the server go first."""

    rows_by_kind: dict[str, list[dict]]
    gone: list[str]
    changed: list[str]
    removed: list[str]
    stale: list[str]
    digests: dict[str, str]
    findings: dict[str, dict]

    @property
    def empty(self) -> bool:
        return not (self.rows_by_kind or self.gone or self.changed or self.removed)


def sync(store: SqliteStore, connection: Connection, tick: Callable[[str], None] = lambda _: None,
         batch: int = BATCH, files_per_round: int = FILES_PER_ROUND) -> SyncReport:
    """Bring the server's graph to the store's; tick is told the progress after every batch.

    When the server's mark says it was last synced completely from this store, as of generation G, only what the
    store's batches after G touched is compared and sent; otherwise (a first sync, another store, a sync cut off
    midway) every node and file is compared with the server's."""
    report = SyncReport()
    connection.setup()
    generation, identity = store.generation(), store.identity()  # the generation first: later writes go next time
    mark = CypherStore(connection).synced()
    since = _journal_base(store, identity, mark)
    plan = _changes_since(store, since) if since is not None else _differences(store, connection)
    report.since = since
    expected = mark["token"] if mark else None
    if not plan.empty:  # incomplete: readers stop serving what they cached; a sync cut off after this compares all
        expected = _mark(connection, {"store": identity, "generation": None, "batch": None, "complete": False,
                                      "base_iri": store.base_iri})
    _send_nodes(connection, plan, report, tick, batch)
    _send_files(connection, store, plan, report, tick, batch, files_per_round)
    if not plan.empty or since != generation:  # complete, unless another sync has marked the graph since
        done = {"store": identity, "generation": generation, "batch": store.batch_token(generation), "complete": True,
                "base_iri": store.base_iri}
        if _mark(connection, done, expected) is None:  # another sync marked the graph meanwhile; its work and ours
            _mark(connection, {**done, "generation": None, "batch": None, "complete": False})  # interleaved: compare
    return report


def _send_nodes(connection: Connection, plan: _Plan, report: SyncReport, tick, batch: int) -> None:
    for kind, rows in plan.rows_by_kind.items():
        for chunk in _batches(rows, batch):
            connection.run(statement("merge_nodes", kind=kind), {"rows": chunk})
            report.nodes_written += len(chunk)
            tick(f"{report.nodes_written} nodes")
    for chunk in _batches(plan.gone, batch):
        connection.run(statement("delete_nodes"), {"iris": chunk})
    report.nodes_removed = len(plan.gone)


def _send_files(connection: Connection, store: SqliteStore, plan: _Plan, report: SyncReport, tick, batch: int,
                files_per_round: int) -> None:
    """Changed files: their old edges out, each recorded (digest pending), its edges in, its digest recorded; a sync
    cut off anywhere in this leaves nothing the next one does not see. Removed files: their edges and record out."""
    for chunk in _batches(plan.stale, files_per_round):
        for rel in RELATIONS:  # one relationship type a statement: each looks its edges up in that type's index
            connection.run(statement("delete_source_edges", rel=rel), {"sources": chunk})
    for paths in _batches(plan.changed, files_per_round):
        pending = [{"path": p, "digest": None, "conflicts": "[]", "unresolved": "[]"} for p in paths]
        connection.run(statement("merge_sources"), {"rows": pending})
        report.edges_written += _write_edges(connection, store.edges_of_sources(paths), batch)
        rows = [_source_row(p, plan.digests[p], plan.findings.get(p)) for p in paths]
        connection.run(statement("merge_sources"), {"rows": rows})
        tick(f"{report.edges_written} edges")
    for chunk in _batches(plan.removed, files_per_round):
        connection.run(statement("delete_sources"), {"paths": chunk})
    report.sources_written, report.sources_removed = len(plan.changed), len(plan.removed)


def _journal_base(store: SqliteStore, identity: str, mark: dict | None) -> int | None:
    """The generation after which the store's journal says what to send: the server's last sync was complete, from
    this store, and this store's batch of that generation is the one that was synced (a copy of the store file that
    went its own way, or a restored older one, has other batches)."""
    if not mark or not mark["complete"] or mark["store"] != identity or mark["generation"] is None:
        return None
    batch = store.batch_token(mark["generation"])
    return mark["generation"] if batch is not None and batch == mark["batch"] else None


def _differences(store: SqliteStore, connection: Connection) -> _Plan:
    """Every node and source file of the store compared with the server's (by content hash and edge digest)."""
    rows_by_kind, gone = _node_changes(store, connection)
    synced = {path: digest for path, digest in connection.run(statement("sources"))}
    findings = store.findings()
    current = {path: _source_digest(edges, findings.get(path)) for path, edges in store.edge_digests().items()}
    changed = sorted(p for p, digest in current.items() if synced.get(p) != digest)
    removed = sorted(set(synced) - set(current))
    stale = [p for p in changed if p in synced] + removed  # a file never synced has no edges there to remove
    return _Plan(rows_by_kind, gone, changed, removed, stale, current, findings)


def _changes_since(store: SqliteStore, generation: int) -> _Plan:
    """What the store's batches after `generation` touched (its journal): nodes and files it still has are sent
    again, those it has not any more are removed."""
    iris, paths = store.changes_since(generation)
    present = store.nodes(iris)
    aliases = store.all_aliases()
    rows_by_kind: dict[str, list[dict]] = defaultdict(list)
    for node in present.values():
        rows_by_kind[node.kind].append(_node_row(node, aliases.get(node.iri, ())))
    gone = [iri for iri in iris if iri not in present]
    files = store.sources()
    changed, removed = [p for p in paths if p in files], [p for p in paths if p not in files]
    findings = store.findings()
    digests = {p: _source_digest(edges, findings.get(p)) for p, edges in store.edge_digests(changed).items()}
    return _Plan(dict(rows_by_kind), gone, changed, removed, changed + removed, digests, findings)


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


def _mark(connection: Connection, fields: dict, expected: str | None = None) -> str | None:
    """The server's record of its last sync: from which store, as of which generation and batch, complete or not,
    and a new token, by which readers know the graph changed. With `expected`, only if the mark still has that token
    (another sync that started meanwhile keeps its own). Returns the new token, or None when the mark was not ours."""
    token = uuid.uuid4().hex
    params = {**fields, "token": token, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    if expected is None:
        connection.run(statement("mark_sync"), params)
        return token
    return token if connection.run(statement("mark_sync_if"), {**params, "expected": expected}) else None


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
