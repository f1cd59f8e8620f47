"""Server backends: the Store interface that the queries use, answered in Cypher (queries/cypher/*.cypher) by a
FalkorDB or a Neo4j server.

The statements are one Cypher core, in the subset both engines run; what differs (how to connect, constraints and
indexes, how rows come back) lives in a Connection. Values only ever travel as parameters; the only text put into a
statement is a node kind or a relation type, from the graph's own vocabulary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import orjson

from legalkg.graph.records import (AGENCY, DOCUMENT, DOCUMENT_RELATIONS, EFFECT, PERSON, PROVISION,
                                    PROVISION_RELATIONS, TASK)
from legalkg.graph.store import EdgeRow, NodeRow, Store

STATEMENTS = Path(__file__).resolve().parents[1] / "queries" / "cypher"
KINDS = (DOCUMENT, AGENCY, TASK, PERSON, PROVISION, EFFECT)
RELATIONS = (*DOCUMENT_RELATIONS, "issued_by", "signed_by", "part_of", "assigned_to", "coordinates", "depends_on",
             *PROVISION_RELATIONS)
TYPES = {rel: rel.upper() for rel in RELATIONS}  # relation → relationship type
RELATION_OF = {t: rel for rel, t in TYPES.items()}
MARK_FIELDS = ("token", "store", "generation", "batch", "complete", "at", "base_iri")  # queries/cypher/sync_mark.cypher
NO_LIMIT = 1_000_000_000  # LIMIT for "all" (FalkorDB answered LIMIT 2**62 with no rows at all)
TIMEOUT_S = 30  # a server that does not answer within this is an error, not a hang


class BackendError(Exception):
    """A server that cannot be reached or refuses us, with the reason."""


NAMED = ("depends_on", "depends_on_transitive", "impact", "stale", "agency_workload")  # queries/cypher/named/


def named_statement(name: str) -> str:
    """One of the named questions as a single Cypher statement (for Neo4j Browser, and for checking the queries'
    answers): the rows, not the ranked answers with paths that queries.core builds."""
    if name not in NAMED:
        raise ValueError(f"unknown named query {name!r}: one of {', '.join(NAMED)}")
    return statement(f"named/{name}")


@cache
def statement(name: str, kind: str | None = None, rel: str | None = None) -> str:
    text = (STATEMENTS / f"{name}.cypher").read_text(encoding="utf-8")
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"unknown node kind {kind!r}")
        text = text.replace("{kind}", kind)
    if rel is not None:
        text = text.replace("{rel}", TYPES[rel])  # KeyError for a relation the graph does not have
    return text


def falkordb_setup_statements() -> list[str]:
    """The indexes FalkorConnection.setup creates (FalkorDB's dialect: no names, no IF NOT EXISTS)."""
    nodes = [f"(n:{label}) ON (n.{prop})" for label, prop in (("Node", "iri"), ("Document", "serial"),
                                                              ("Source", "path"))]
    edges = [f"()-[e:{t}]-() ON (e.source)" for t in TYPES.values()]  # a changed file's edges found, not scanned
    return [f"CREATE INDEX FOR {pattern}" for pattern in nodes + edges]


def neo4j_setup_statements() -> list[str]:
    """The constraints and indexes Neo4jConnection.setup creates, in order."""
    return ["CREATE CONSTRAINT legalkg_node_iri IF NOT EXISTS FOR (n:Node) REQUIRE n.iri IS UNIQUE",
            "CREATE INDEX legalkg_document_serial IF NOT EXISTS FOR (n:Document) ON (n.serial)",
            "CREATE CONSTRAINT legalkg_source_path IF NOT EXISTS FOR (s:Source) REQUIRE s.path IS UNIQUE",
            "CREATE CONSTRAINT legalkg_sync_mark IF NOT EXISTS FOR (m:SyncMark) REQUIRE m.name IS UNIQUE",
            *(f"CREATE INDEX legalkg_{rel}_source IF NOT EXISTS FOR ()-[e:{t}]-() ON (e.source)"
              for rel, t in TYPES.items())]


NEO4J_CLEAR = ("MATCH (n:Node) DETACH DELETE n", "MATCH (s:Source) DELETE s", "MATCH (m:SyncMark) DELETE m")


def all_statements() -> list[tuple[str, str]]:
    """Every Cypher statement a backend can send, as (name, text), for linting (tests/test_cypher_lint.py).

    Every file under queries/cypher/ (and named/), filled as statement() fills it at run time, once for each value
    its placeholders take: merge_nodes[Document] for each node kind, merge_edges[CITES] and
    delete_source_edges[CITES] for each relation. Those run on both servers. Then the statements built in code, which
    only one server is sent: "neo4j:setup:NAME" and "neo4j:clear:N" (Neo4jConnection), "falkordb:setup:N"
    (FalkorConnection; its clear() deletes the graph, no Cypher)."""
    out: list[tuple[str, str]] = []
    for path in sorted([*STATEMENTS.glob("*.cypher"), *STATEMENTS.glob("named/*.cypher")]):
        name = path.relative_to(STATEMENTS).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        if "{kind}" in text:
            out += [(f"{name}[{kind}]", statement(name, kind=kind)) for kind in KINDS]
        elif "{rel}" in text:
            out += [(f"{name}[{TYPES[rel]}]", statement(name, rel=rel)) for rel in RELATIONS]
        else:
            out.append((name, statement(name)))
    out += [(f"neo4j:setup:{text.split()[2]}", text) for text in neo4j_setup_statements()]
    out += [(f"neo4j:clear:{i}", text) for i, text in enumerate(NEO4J_CLEAR)]
    out += [(f"falkordb:setup:{i}", text) for i, text in enumerate(falkordb_setup_statements())]
    return out


class Connection:
    """What a server backend must do: run a statement with parameters and give back rows."""

    def run(self, statement: str, params: dict | None = None) -> list[list]:
        raise NotImplementedError

    def records(self, statement: str, params: dict | None = None) -> list[dict]:
        """Rows as dicts by the names the statement RETURNs them as."""
        raise NotImplementedError

    def setup(self) -> None:
        """Constraints and indexes the statements rely on (idempotent)."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class FalkorConnection(Connection):
    """FalkorDB over RESP (its own client; its Bolt listener is not usable)."""

    def __init__(self, uri: str, graph: str = "legalkg", password: str | None = None) -> None:
        from falkordb import FalkorDB
        from redis.exceptions import RedisError

        parsed = urlparse(uri)
        if parsed.scheme not in ("redis", "rediss", "falkor", "falkors"):
            raise BackendError(f"{uri}: a FalkorDB URI is redis://HOST:PORT")
        self._errors = RedisError
        try:
            self.db = FalkorDB(host=parsed.hostname or "127.0.0.1", port=parsed.port or 6379,
                               password=password or parsed.password, ssl=parsed.scheme in ("rediss", "falkors"),
                               socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
            self.db.connection.ping()
        except RedisError as exc:
            raise BackendError(f"cannot reach FalkorDB at {uri}: {exc}") from None
        self.graph_name = graph
        self.graph = self.db.select_graph(graph)

    def run(self, statement: str, params: dict | None = None) -> list[list]:
        return self._query(statement, params).result_set

    def records(self, statement: str, params: dict | None = None) -> list[dict]:
        result = self._query(statement, params)
        names = [name for _, name in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def _query(self, statement: str, params: dict | None):
        try:
            return self.graph.query(statement, params or {})
        except self._errors as exc:
            raise BackendError(f"FalkorDB: {exc}") from None

    def setup(self) -> None:
        for index in falkordb_setup_statements():
            try:
                self.graph.query(index)
            except self._errors as exc:
                if "already indexed" not in str(exc):
                    raise BackendError(f"FalkorDB: {exc}") from None

    def clear(self) -> None:
        try:
            self.graph.delete()
        except self._errors:
            pass  # no graph yet
        self.graph = self.db.select_graph(self.graph_name)

    def close(self) -> None:
        self.db.connection.close()


class Neo4jConnection(Connection):
    """Neo4j (or Aura) over Bolt, with the official driver."""

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        import neo4j

        self._errors = (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError)  # DriverError: the server went
        failures = (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, ValueError, OSError)
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), connection_timeout=TIMEOUT_S)
        except failures as exc:
            raise BackendError(f"cannot reach Neo4j at {uri} as {user}: {exc}") from None
        try:
            self.driver.verify_connectivity()
        except failures as exc:
            self.driver.close()
            raise BackendError(f"cannot reach Neo4j at {uri} as {user}: {exc}") from None
        self.database = database

    def run(self, statement: str, params: dict | None = None) -> list[list]:
        return [list(r.values()) for r in self._query(statement, params)]

    def records(self, statement: str, params: dict | None = None) -> list[dict]:
        return [r.data() for r in self._query(statement, params)]

    def _query(self, statement: str, params: dict | None) -> list:
        try:
            records, _, _ = self.driver.execute_query(statement, params or {}, database_=self.database)
        except self._errors as exc:
            raise BackendError(f"Neo4j: {exc}") from None
        return records

    def setup(self) -> None:
        for constraint_or_index in neo4j_setup_statements():
            self.run(constraint_or_index)

    def clear(self) -> None:
        """Our nodes only: the database may hold other graphs of the user's."""
        for delete in NEO4J_CLEAR:
            self.run(delete)

    def close(self) -> None:
        self.driver.close()


def connect(backend: str, uri: str, graph: str = "legalkg", user: str = "neo4j", password: str | None = None,
            database: str | None = None) -> Connection:
    if backend == "falkordb":
        return FalkorConnection(uri, graph, password)
    if backend == "neo4j":
        return Neo4jConnection(uri, user, password or "", database)
    raise BackendError(f"unknown backend {backend!r}: neo4j or falkordb")


@dataclass(frozen=True)
class Server:
    """Which server answers and how to log in. The password is never held here, only the name of the environment
    variable it is in, so a Server can be passed to worker processes and printed."""

    backend: str  # neo4j or falkordb
    uri: str
    graph: str = "legalkg"
    user: str = "neo4j"
    password_env: str | None = None
    database: str | None = None

    def connect(self) -> Connection:
        password = os.environ.get(self.password_env) if self.password_env else None
        if self.password_env and password is None:
            raise BackendError(f"the environment variable {self.password_env} (the password) is not set")
        return connect(self.backend, self.uri, self.graph, self.user, password, self.database)

    def describe(self) -> dict:
        return {"backend": self.backend, "uri": self.uri,
                **({"graph": self.graph} if self.backend == "falkordb" else {"database": self.database})}


class CypherStore(Store):
    """The queries' Store, answered by a server."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._base_iri: str | None = None

    def __enter__(self) -> CypherStore:
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()

    def nodes(self, iris: Sequence[str]) -> dict[str, NodeRow]:
        rows = self.connection.run(statement("nodes"), {"iris": list(dict.fromkeys(iris))})
        return {r[0]: _node(r) for r in rows}

    def edges_to(self, iris: Sequence[str], rels: Sequence[str] | None = None, limit: int | None = None) -> list[EdgeRow]:
        params = {"iris": sorted(set(iris)), "types": _types(rels), "limit": NO_LIMIT if limit is None else int(limit)}
        return [_edge(r) for r in self.connection.run(statement("edges_to"), params)]

    def edges_from(self, iris: Sequence[str], rels: Sequence[str] | None = None) -> list[EdgeRow]:
        params = {"iris": sorted(set(iris)), "types": _types(rels)}
        return [_edge(r) for r in self.connection.run(statement("edges_from"), params)]

    def count_to(self, iris: Sequence[str], rels: Sequence[str]) -> int:
        rows = self.connection.run(statement("count_to"), {"iris": sorted(set(iris)), "types": _types(rels)})
        return int(rows[0][0]) if rows else 0

    def edges_with(self, rels: Sequence[str]) -> list[EdgeRow]:
        return [_edge(r) for r in self.connection.run(statement("edges_with"), {"types": _types(rels)})]

    def find_documents(self, serial: str, year: int | None = None, type: str | None = None) -> list[NodeRow]:
        params = {"serial": serial, "year": year, "year_infix": f"/{year}/", "type": type}
        return [_node(r) for r in self.connection.run(statement("find_documents"), params)]

    def find_agencies(self, name: str) -> list[NodeRow]:
        return [_node(r) for r in self.connection.run(statement("find_agencies"), {"folded": name.casefold()})]

    def nodes_of_kind(self, kind: str) -> Iterator[NodeRow]:
        yield from (_node(r) for r in self.connection.run(statement("nodes_of_kind"), {"kind": kind}))

    def named(self, name: str, **params) -> list[dict]:
        return self.connection.records(named_statement(name), params)

    @property
    def base_iri(self) -> str:
        """The base of the store the server was synced from (its sync mark), else the caller's (graph.ids). Kept once
        read: a store's base never changes, and a graph synced from another store is a new connection's business."""
        if self._base_iri is None:
            self._base_iri = (self.synced() or {}).get("base_iri") or ""  # "": synced before bases were recorded
        return self._base_iri or super().base_iri

    def synced(self) -> dict | None:
        """The mark the last sync left (graph.sync): a token, the store and its generation, complete or not, when."""
        rows = self.connection.run(statement("sync_mark"))
        return dict(zip(MARK_FIELDS, rows[0], strict=True)) if rows else None

    def conflicts(self) -> list[dict]:
        return self._findings(0, None)

    def unresolved(self, source: str | None = None) -> list[dict]:
        return self._findings(1, source)

    def _findings(self, column: int, source: str | None) -> list[dict]:
        """Kept per source file as JSON [rowid, item] pairs (graph.sync): put back in the store's order."""
        rows = self.connection.run(statement("findings"), {"path": source})
        pairs = [pair for row in rows if row[column] for pair in orjson.loads(row[column])]
        return [item for _, item in sorted(pairs, key=lambda pair: pair[0])]


def _types(rels: Sequence[str] | None) -> list[str]:
    return [TYPES[r] for r in (rels or RELATIONS)]


def _node(row: list) -> NodeRow:
    iri, kind, label, stub, props = row[:5]
    return NodeRow(iri, kind, label, bool(stub), orjson.loads(props) if props else {})


def _edge(row: list) -> EdgeRow:
    src, rel, dst, source, start, end, rule = row[:7]
    return EdgeRow(src, RELATION_OF[rel], dst, source, start, end, rule)
