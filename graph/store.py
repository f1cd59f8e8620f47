"""The embedded store: one SQLite file holding the merged graph, behind the small `Store` interface that the queries
use (graph.neo4j implements it too).

- Atomic: each batch of documents is one transaction; a crash mid-write (SIGKILL included) leaves the store as it
  was after the last committed batch. At rest the store is one file (SQLite's rollback journal exists only while a
  batch is being written, and is what undoes a half-written one on the next open).
- Incremental: `add_fragments` merges into what is there; a source file is known by its path and content hash, so
  re-ingesting an unchanged file changes nothing and a changed file replaces what it contributed.
- Versioned: `FORMAT_VERSION` in PRAGMA user_version and the meta table; a store of an older format is migrated
  when opened (`MIGRATIONS`), one of a newer or unknown format is a clear error.
- Identity merge: a document known only by citation is a stub node that gains metadata when its text is ingested;
  facts that disagree (two dates for one number) are kept in `conflicts`, never overwritten. A provision (Điều,
  khoản …) named only by another document's citation or amendment is a stub too, and becomes its document's own when
  that document's text is ingested: its part_of is then the one its text gives (the stubs' part_of edges, read
  from the citing files, go), so a provision read from its text has exactly one parent.
- Laws by name: each batch re-resolves the by-name citations of the titles it touched to the version they mean
  (graph.laws), from the titles ↔ numbers all sources state (law_numbers, law_mentions), so the answer does not
  depend on the order files are built in.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import unicodedata
from functools import cache
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import orjson

from legalkg.graph import ids, laws
from legalkg.graph.records import AGENCY, DOCUMENT, EFFECT, PROVISION, TASK, Conflict, Fragment, Node
from legalkg.graph.ids import is_unknown_year, serial_of

FORMAT_VERSION = 8
DIGEST_MODULUS = 1 << 128
BATCH = 200  # documents per transaction
CHUNK = 500  # parameters per IN (…) query
CACHE_KIB = 256 * 1024  # page cache: index inserts into a store of millions of edges stay in memory
LOCK_WAIT_S = 60  # a writer waits this long for another process's batch to commit before giving up
READ_CACHE_KIB = 16 * 1024  # per reading connection (a web server keeps several)
CONFLICTING_FACTS = ("date", "type")
OWNED_KINDS = (TASK, EFFECT)  # nodes a source alone makes: gone with it
READ_KINDS = (DOCUMENT, PROVISION)  # a source's own when read from its text, stubs when only named
# The whole-graph answers a writer saves: name → rows, the first the answer's header, then one per result, so a page
# of the answer reads only its own rows.
WholeGraph = Callable[["SqliteStore"], dict[str, list[bytes]]]
ANSWER_TABLE = ("CREATE TABLE IF NOT EXISTS answers (name TEXT NOT NULL, n INTEGER NOT NULL, generation INTEGER NOT NULL, "
                "body BLOB NOT NULL, PRIMARY KEY (name, n)) WITHOUT ROWID;")
# What each source states of laws (graph.laws): titles ↔ numbers, and the laws it cites by name with the edge end
# each one is, so a title's citations are re-resolved whenever what is known of its versions changes.
LAW_TABLES = (
    "CREATE TABLE IF NOT EXISTS law_numbers (source INTEGER NOT NULL, title TEXT NOT NULL, iri TEXT NOT NULL, "
    "key TEXT NOT NULL, year INTEGER, date TEXT, label TEXT NOT NULL); "
    "CREATE INDEX IF NOT EXISTS law_numbers_title ON law_numbers (title); "
    "CREATE INDEX IF NOT EXISTS law_numbers_source ON law_numbers (source); "
    "CREATE TABLE IF NOT EXISTS law_mentions (source INTEGER NOT NULL, title TEXT NOT NULL, work TEXT NOT NULL, "
    "label TEXT NOT NULL, year INTEGER, date TEXT, cited_on TEXT, rel TEXT NOT NULL, role TEXT NOT NULL, "
    "start INTEGER, \"end\" INTEGER, rule TEXT NOT NULL, current TEXT NOT NULL); "
    "CREATE INDEX IF NOT EXISTS law_mentions_title ON law_mentions (title); "
    "CREATE INDEX IF NOT EXISTS law_mentions_source ON law_mentions (source);"
)
NODE_COLUMNS = "iri, kind, label, stub, owner, key, serial, year, type, place, date, props"  # a whole row, in order
EDGE_ROWS = 'SELECT e.src, e.rel, e.dst, s.path, e.start, e."end", e.rule FROM edges e JOIN sources s ON s.id = e.source'

MIGRATIONS = {  # format N → N+1, each one transaction
    # incoming edges with their source in the index: counting a hub's citers reads the index only
    1: "CREATE INDEX IF NOT EXISTS edges_dst_src ON edges (dst, rel, src); DROP INDEX IF EXISTS edges_dst;",
    # what each batch touched, so a sync to a server sends what changed since it last did (graph.sync)
    2: "CREATE TABLE IF NOT EXISTS changes (what TEXT NOT NULL, ref TEXT NOT NULL, gen INTEGER NOT NULL, "
       "PRIMARY KEY (what, ref)) WITHOUT ROWID; CREATE INDEX IF NOT EXISTS changes_gen ON changes (gen); "
       "INSERT OR IGNORE INTO meta VALUES ('store_id', lower(hex(randomblob(16))));",
    # a token for each batch, so copies of one store file that went their own ways tell their generations apart; the
    # current generation gets one, so the journal serves the next sync after this migration
    3: "CREATE TABLE IF NOT EXISTS batches (gen INTEGER PRIMARY KEY, token TEXT NOT NULL); "
       "INSERT OR IGNORE INTO batches SELECT CAST(value AS INTEGER), lower(hex(randomblob(16))) FROM meta "
       "WHERE key = 'generation';",
    # whole-graph answers (the stale list) computed by the writer in the transaction that changes the graph, so
    # readers never recompute them after a write (queries.core.WHOLE_GRAPH)
    4: ANSWER_TABLE + " CREATE INDEX IF NOT EXISTS sources_sha ON sources (sha256);",
    # laws cited by name resolved to their numbered versions (graph.laws), and central numbers keyed by the number
    # alone (graph.ids): sources ingested before keep their old nodes until rebuilt
    5: LAW_TABLES,
    # a source is known by its name relative to what was built; `file` is where its bytes were read (a source
    # named by its path before is replaced by the same file under its new name when rebuilt)
    6: "ALTER TABLE sources ADD COLUMN file TEXT; UPDATE sources SET file = path; "
       "CREATE INDEX IF NOT EXISTS sources_file ON sources (file); "
       f"INSERT OR IGNORE INTO meta VALUES ('base_iri', '{ids.DEFAULT_BASE}');",
    # provisions and effects (issue 17) come from reading the texts again: the sources' hashes are forgotten, so the
    # next build reads every file, even one unchanged since it was last built
    7: "UPDATE sources SET sha256 = '';",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL,
    document TEXT NOT NULL, ingested TEXT NOT NULL, file TEXT);
CREATE TABLE IF NOT EXISTS nodes (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT, stub INTEGER NOT NULL,
    owner INTEGER, key TEXT, serial TEXT, year INTEGER, type TEXT, place TEXT, date TEXT, props TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, iri);
CREATE INDEX IF NOT EXISTS nodes_serial ON nodes (serial);
CREATE INDEX IF NOT EXISTS nodes_owner ON nodes (owner);
CREATE INDEX IF NOT EXISTS nodes_key ON nodes (key, place);
CREATE TABLE IF NOT EXISTS aliases (iri TEXT NOT NULL, alias TEXT NOT NULL, folded TEXT NOT NULL,
    PRIMARY KEY (iri, alias)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_folded ON aliases (folded);
CREATE TABLE IF NOT EXISTS edges (src TEXT NOT NULL, rel TEXT NOT NULL, dst TEXT NOT NULL, source INTEGER NOT NULL,
    start INTEGER, "end" INTEGER, rule TEXT);
CREATE INDEX IF NOT EXISTS edges_dst_src ON edges (dst, rel, src);
CREATE INDEX IF NOT EXISTS edges_src ON edges (src, rel);
CREATE INDEX IF NOT EXISTS edges_source ON edges (source);
CREATE INDEX IF NOT EXISTS edges_rel ON edges (rel);
CREATE TABLE IF NOT EXISTS conflicts (iri TEXT, kind TEXT NOT NULL, vals TEXT NOT NULL, source INTEGER,
    start INTEGER, "end" INTEGER, note TEXT);
CREATE INDEX IF NOT EXISTS conflicts_source ON conflicts (source);
CREATE TABLE IF NOT EXISTS unresolved (source INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, reason TEXT);
CREATE INDEX IF NOT EXISTS unresolved_source ON unresolved (source);
CREATE TABLE IF NOT EXISTS changes (what TEXT NOT NULL, ref TEXT NOT NULL, gen INTEGER NOT NULL,
    PRIMARY KEY (what, ref)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS changes_gen ON changes (gen);
INSERT OR IGNORE INTO meta VALUES ('store_id', lower(hex(randomblob(16))));
CREATE TABLE IF NOT EXISTS batches (gen INTEGER PRIMARY KEY, token TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_sha ON sources (sha256);
CREATE INDEX IF NOT EXISTS sources_file ON sources (file);
""" + ANSWER_TABLE + LAW_TABLES


class StoreError(Exception):
    """A store that cannot be opened or written, with the reason."""


@dataclass(frozen=True)
class EdgeRow:
    src: str
    rel: str
    dst: str
    source: str  # the file the edge was read from
    start: int | None
    end: int | None
    rule: str

    def evidence_id(self) -> str:
        """A stable id of this piece of evidence (the fact, the file, the span): the same in every backend."""
        evidence = "\x1f".join(map(str, (self.src, self.rel, self.dst, self.source, self.start, self.end)))
        return hashlib.sha256(evidence.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class NodeRow:
    iri: str
    kind: str
    label: str
    stub: bool
    props: dict


class Store:
    """What the queries need from a graph store. Edges are read in batches of node IRIs."""

    def node(self, iri: str) -> NodeRow | None:
        found = self.nodes([iri])
        return found.get(iri)

    def nodes(self, iris: Sequence[str]) -> dict[str, NodeRow]:
        raise NotImplementedError

    def edges_to(self, iris: Sequence[str], rels: Sequence[str] | None = None, limit: int | None = None) -> list[EdgeRow]:
        raise NotImplementedError

    def count_to(self, iris: Sequence[str], rels: Sequence[str]) -> int:
        """How many distinct nodes have an edge of one of `rels` to one of `iris`."""
        raise NotImplementedError

    def edges_from(self, iris: Sequence[str], rels: Sequence[str] | None = None) -> list[EdgeRow]:
        raise NotImplementedError

    def edges_with(self, rels: Sequence[str]) -> list[EdgeRow]:
        raise NotImplementedError

    def find_documents(self, serial: str, year: int | None = None, type: str | None = None) -> list[NodeRow]:
        """Document nodes with this serial number (and this year, this type, when given)."""
        raise NotImplementedError

    def find_agencies(self, name: str) -> list[NodeRow]:
        raise NotImplementedError

    def nodes_of_kind(self, kind: str) -> Iterator[NodeRow]:
        raise NotImplementedError

    def conflicts(self) -> list[dict]:
        raise NotImplementedError

    def unresolved(self, source: str | None = None) -> list[dict]:
        """Short forms never defined in their document (of one source file, when given)."""
        raise NotImplementedError

    @property
    def base_iri(self) -> str:
        """The base every IRI of this graph starts with (a store without its own record: the caller's)."""
        return ids.base()


class SqliteStore(Store):
    def __init__(self, path: str | os.PathLike, create: bool = True, threads: bool = False,
                 cache_kib: int = CACHE_KIB, base_iri: str | None = None) -> None:
        """threads: the connection may be used from several threads, one at a time (a web request's setup,
        handler and teardown may each run on another worker thread). base_iri: what every IRI of the graph starts
        with, recorded when the store is created (ids.DEFAULT_BASE when not given); given for an existing store, it
        must be the one recorded (StoreError otherwise), so IRIs never drift."""
        self.path = str(path)
        if not create and (self.path == ":memory:" or not Path(self.path).exists()):
            raise StoreError(f"{self.path}: no store there; build one with `legalkg build PATH --store {self.path}`")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=not threads,
                                      timeout=LOCK_WAIT_S)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a legalkg store ({exc})") from None
        self._base_iri = self._check_base(base_iri)
        self.db.create_function("fold", 1, fold, deterministic=True)
        self.db.execute("PRAGMA foreign_keys=OFF")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        self._journal: set[tuple[str, str]] | None = None  # what the batch being written touched (_touched)

    # --- format ------------------------------------------------------------------------------------------------
    def _check_version(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables == 0:
            self.db.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version={FORMAT_VERSION}; COMMIT;")
            self._set_meta("format_version", str(FORMAT_VERSION))
            self._set_meta("created", _now())
        elif version in MIGRATIONS:
            self._migrate(version)
        elif version != FORMAT_VERSION:
            raise StoreError(f"{self.path}: store format {version}, this legalkg reads format {FORMAT_VERSION}; "
                             "rebuild it with `legalkg build`")

    def _check_base(self, asked: str | None) -> str:
        if asked is not None:
            try:
                ids.check_base(asked)
            except ids.BaseIRIError as exc:
                raise StoreError(str(exc)) from None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'base_iri'").fetchone()
        if row is None and self.db.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None:
            try:
                self._set_meta("base_iri", asked or ids.DEFAULT_BASE)  # a new store: its base, once
            except sqlite3.OperationalError:  # read-only: nothing to record, nothing minted yet
                pass
            return asked or ids.DEFAULT_BASE
        recorded = row[0] if row else ids.DEFAULT_BASE  # a store made before the base was a setting
        if asked is not None and asked != recorded:
            raise StoreError(f"{self.path}: this store's IRIs start with {recorded}; it cannot take the base IRI "
                             f"{asked} (IRIs would drift). Build a new store for another base.")
        return recorded

    @property
    def base_iri(self) -> str:
        return self._base_iri

    def _migrate(self, version: int) -> None:
        while version < FORMAT_VERSION:
            self.db.executescript(f"BEGIN IMMEDIATE; {MIGRATIONS[version]} PRAGMA user_version={version + 1}; COMMIT;")
            version += 1
        self._set_meta("format_version", str(FORMAT_VERSION))

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------------------------
    def add_fragments(self, fragments: Iterable[Fragment], whole_graph: WholeGraph | None = None) -> dict:
        """Merge fragments in batches of BATCH, each batch one transaction. whole_graph(store) → {name: body} is
        called inside the last batch's transaction, and its answers are saved under the generation that batch
        commits (`saved_answer`), so no reader sees the new graph without them. Returns counts; a fragment whose
        bytes the store already holds under another path is a "duplicate" and changes nothing."""
        counts = {"added": 0, "replaced": 0, "unchanged": 0, "duplicate": 0}
        batch: list[Fragment] = []
        for frag in fragments:
            self._check_fragment_base(frag)
            if len(batch) >= BATCH:  # written only once the next fragment exists: the last batch is known as such
                self._write_batch(batch, counts)
                batch = []
            batch.append(frag)
        if batch:
            self._write_batch(batch, counts, whole_graph)
        elif whole_graph is not None:
            self.save_answers(whole_graph)
        return counts

    def _check_fragment_base(self, frag: Fragment) -> None:
        if not frag.document.startswith(self.base_iri):
            raise StoreError(f"{frag.source}: its IRIs were minted under another base than this store's "
                             f"{self.base_iri} ({frag.document}); build it with the store's base (ids.using_base)")

    def save_answers(self, whole_graph: WholeGraph) -> None:
        """Save whole-graph answers for the current generation, when they are not saved yet (a store built before
        they existed, or a build that changed nothing)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if not self._answers_current():
                self._put_answers(whole_graph(self), self.generation())
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _answers_current(self) -> bool:
        return self.db.execute("SELECT 1 FROM answers a JOIN meta m ON m.key = 'generation' WHERE a.n = 0 "
                               "AND a.generation = CAST(m.value AS INTEGER) LIMIT 1").fetchone() is not None

    def _put_answers(self, answers: dict[str, list[bytes]], generation: int) -> None:
        for name, rows in answers.items():
            self.db.execute("DELETE FROM answers WHERE name = ?", (name,))
            self.db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)",
                                [(name, n, generation, row) for n, row in enumerate(rows)])

    def source_file(self, name: str) -> str | None:
        """Where the bytes of the source `name` were read when it was built (for reading them again)."""
        row = self.db.execute("SELECT file FROM sources WHERE path = ?", (name,)).fetchone()
        return row[0] if row else None

    def known_hash(self, path: str) -> str | None:
        """The content hash the store holds for a source path (None when it was never ingested)."""
        row = self.db.execute("SELECT sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def source_with_hash(self, sha256: str) -> tuple[str, str] | None:
        """(path, document IRI) of the source holding these bytes: the same bytes are the same source, whatever
        their name."""
        row = self.db.execute("SELECT path, document FROM sources WHERE sha256 = ? ORDER BY id LIMIT 1",
                              (sha256,)).fetchone()
        return (row[0], row[1]) if row else None

    def _write_batch(self, batch: list[Fragment], counts: dict, whole_graph: WholeGraph | None = None) -> None:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            self._batch_generation = self.generation() + 1
            self._law_titles: set[str] = set()
            self._journal = set()
            for frag in batch:
                self._write_one(frag, counts)
            self._resolve_laws(self._law_titles)
            self._write_journal()
            self._set_meta("updated", _now())
            db.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET "
                       "value = CAST(value AS INTEGER) + 1")
            db.execute("INSERT OR REPLACE INTO batches VALUES (?, lower(hex(randomblob(16))))", (self._batch_generation,))
            if whole_graph is not None:
                self._put_answers(whole_graph(self), self._batch_generation)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            self._journal = None

    def _write_one(self, frag: Fragment, counts: dict) -> None:
        row = self.db.execute("SELECT id, sha256 FROM sources WHERE path = ?", (frag.source,)).fetchone()
        if row and row[1] == frag.sha256:
            counts["unchanged"] += 1
            return
        if row or (row := self._known_as_another_name(frag)):
            self._forget(row[0])
            counts["replaced"] += 1
        elif self.source_with_hash(frag.sha256) is not None:
            counts["duplicate"] += 1
            return
        else:
            counts["added"] += 1
        self._merge(frag)

    def _known_as_another_name(self, frag: Fragment) -> tuple | None:
        """The source read from the same file under another name (a store built before names were relative to what
        was built, or the same file reached from another folder): the fragment replaces it."""
        if not frag.file:
            return None
        return self.db.execute("SELECT id FROM sources WHERE file = ? AND path <> ?", (frag.file, frag.source)).fetchone()

    def save_answer(self, name: str, generation: int, rows: list[bytes]) -> None:
        """Save a whole-graph answer computed by a reader, if the store is still at the generation it was computed
        from (a write since would make it wrong), so the other server processes read it instead of computing it."""
        self.db.execute("PRAGMA busy_timeout = 0")  # never wait for a writer: the answer is only a saving
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self.generation() == generation:
                    self._put_answers({name: rows}, generation)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError:  # the store is busy or read-only: not saved, nothing is lost
            pass
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_S * 1000}")

    def saved_answer(self, name: str, limit: int | None = None) -> list[bytes] | None:
        """A whole-graph answer's header and its first `limit` results, if it was saved for the store's current
        generation (read in one transaction, so header and rows are of one generation)."""
        self.db.execute("BEGIN")
        try:
            rows = [r[0] for r in self.db.execute(
                "SELECT a.body FROM answers a JOIN meta m ON m.key = 'generation' WHERE a.name = ? AND a.n <= ? "
                "AND a.generation = CAST(m.value AS INTEGER) ORDER BY a.n", (name, (1 << 62) if limit is None else limit))]
        finally:
            self.db.execute("COMMIT")
        return rows or None

    def _touched(self, what: str, refs: Iterable[str]) -> None:
        """Journal the nodes ("node") or source files ("source") this batch wrote, changed or removed: collected
        while a batch is written (a hub is touched by most of its documents) and written once, before it commits."""
        if self._journal is not None:
            self._journal.update((what, ref) for ref in refs)
        else:
            self._journal = set((what, ref) for ref in refs)
            self._write_journal()
            self._journal = None

    def _write_journal(self) -> None:
        """The batch's journal rows, in the table's key order (each one under the generation the batch commits)."""
        gen = self._batch_generation
        self.db.executemany("INSERT INTO changes VALUES (?, ?, ?) ON CONFLICT (what, ref) DO UPDATE SET gen = excluded.gen",
                            [(what, ref, gen) for what, ref in sorted(self._journal)])
        self._journal.clear()

    def _touched_source(self, source: int) -> None:
        self._touched("source", [r[0] for r in self.db.execute("SELECT path FROM sources WHERE id = ?", (source,))])

    def _forget(self, source: int) -> None:
        """Remove what a source contributed, before its new version is merged."""
        db = self.db
        self._touched("node", [r[0] for r in db.execute("SELECT iri FROM nodes WHERE owner = ?", (source,))])
        self._touched_source(source)
        for table in ("law_numbers", "law_mentions"):
            self._law_titles.update(r[0] for r in db.execute(f"SELECT DISTINCT title FROM {table} WHERE source = ?",
                                                             (source,)))
        for table in ("edges", "conflicts", "unresolved", "law_numbers", "law_mentions"):
            db.execute(f"DELETE FROM {table} WHERE source = ?", (source,))
        db.execute("DELETE FROM nodes WHERE owner = ? AND kind IN (?, ?)", (source, TASK, EFFECT))
        self._release_provisions(source)
        db.execute("UPDATE nodes SET stub = 1, owner = NULL WHERE owner = ?", (source,))
        db.execute("DELETE FROM sources WHERE id = ?", (source,))

    def _release_provisions(self, source: int) -> None:
        """The provisions a forgotten source read from its text (its edges are gone already): those no other file
        names go; the others become stubs again (without what only the text gave), each part_of the stub of its
        path's parent, as the files naming it would have said, so containment stays walkable."""
        db = self.db
        owned = db.execute("SELECT iri, props FROM nodes WHERE owner = ? AND kind = ?", (source, PROVISION)).fetchall()
        named = []
        for iri, props in owned:
            via = db.execute("SELECT source, start, \"end\" FROM edges WHERE dst = ?1 OR src = ?1 ORDER BY source, start "
                             "LIMIT 1", (iri,)).fetchone()
            if via is None:
                db.execute("DELETE FROM nodes WHERE iri = ?", (iri,))
            else:
                named.append((iri, orjson.loads(props), via))
        db.execute("UPDATE nodes SET props = json_remove(props, '$.heading', '$.start', '$.end') "
                   "WHERE owner = ? AND kind = ?", (source, PROVISION))
        for iri, props, via in named:
            self._stub_parents(iri, props, via)

    def _stub_parents(self, iri: str, props: dict, via: tuple) -> None:
        """A stub provision's part_of its path's parent (a stub made when missing), up to its document; via: the
        (source, start, end) the edges are credited to."""
        db = self.db
        while props.get("path") and not db.execute("SELECT 1 FROM edges WHERE src = ? AND rel = 'part_of' LIMIT 1",
                                                  (iri,)).fetchone():
            document, path = props["document"], tuple(props["path"])
            parent = ids.provision_iri(document, path[:-1])
            db.execute("INSERT INTO edges VALUES (?,?,?,?,?,?,?)",
                       (iri, "part_of", parent, via[0], via[1], via[2], f"structure:{path[-1].partition(':')[0]}"))
            self._touched_source(via[0])
            if not path[:-1]:
                break
            props = {"document": document, "path": list(path[:-1]), "kind": path[-2].partition(":")[0],
                     "label": path[-2].partition(":")[2]}
            if db.execute("SELECT 1 FROM nodes WHERE iri = ?", (parent,)).fetchone() is None:
                db.execute("INSERT INTO nodes (iri, kind, label, stub, props) VALUES (?, ?, ?, 1, ?)",
                           (parent, PROVISION, _provision_node_label(parent, path[:-1], db),
                            json.dumps(props, ensure_ascii=False)))
                self._touched("node", [parent])
            iri = parent

    def _merge(self, frag: Fragment) -> None:
        db = self.db
        source = db.execute("INSERT INTO sources (path, sha256, document, ingested, file) VALUES (?, ?, ?, ?, ?)",
                            (frag.source, frag.sha256, frag.document, _now(), frag.file or frag.source)).lastrowid
        self._resolve_unknown_years(frag)
        incoming = _dedupe(frag.nodes)
        existing = self._current(list(incoming))
        rows, conflicts = [], list(frag.conflicts)
        for iri, node in incoming.items():
            old = existing.get(iri)
            props, stub, conflicts_here = _merged(old[0] if old else None, node)
            conflicts += conflicts_here
            owned = node.kind in OWNED_KINDS or (node.kind in READ_KINDS and not node.stub)
            owner = source if owned else (old[1] if old else None)
            label = old[0].label if old and (stub or (node.stub and node.kind == PROVISION)) else node.label
            row = (iri, node.kind, label, int(stub), owner, props.get("key"),
                   serial_of(props["key"]) if props.get("key") else None, props.get("year"), props.get("type"),
                   props.get("place"), props.get("date"), json.dumps(props, ensure_ascii=False))
            if old is None or row != old[2]:  # a stub cited again as it was (a hub, an agency): nothing to write
                rows.append(row)
        db.executemany(
            "INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(iri) DO UPDATE SET kind=excluded.kind, "
            "label=excluded.label, stub=excluded.stub, owner=excluded.owner, key=excluded.key, serial=excluded.serial, "
            "year=excluded.year, type=excluded.type, place=excluded.place, date=excluded.date, props=excluded.props",
            rows)
        self._touched("node", incoming)
        self._touched("source", [frag.source])
        for node in incoming.values():
            if node.kind == DOCUMENT and node.props.get("year") and node.props.get("place") and node.props.get("key"):
                self._absorb_unknown_year(node)
        aliases = {(n.iri, a) for n in frag.nodes for a in (n.label, *n.aliases) if n.kind == AGENCY}
        db.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?, ?)", [(i, a, fold(a)) for i, a in aliases])
        held = {iri for iri, node in incoming.items() if node.kind == PROVISION and node.stub
                and (old := existing.get(iri)) is not None and not old[0].stub}
        self._claim_provisions([iri for iri, node in incoming.items() if node.kind == PROVISION and not node.stub
                                and iri in existing], source)
        db.executemany("INSERT INTO edges VALUES (?,?,?,?,?,?,?)",
                       [(e.src, e.rel, e.dst, source, e.start, e.end, e.rule) for e in frag.edges
                        if not (e.rel == "part_of" and e.src in held)])  # its own text says what holds it
        db.executemany("INSERT INTO conflicts VALUES (?,?,?,?,?,?,?)",
                       [(c.iri, c.kind, json.dumps(c.values, ensure_ascii=False), source, c.start, c.end, c.note)
                        for c in conflicts])
        db.executemany("INSERT INTO unresolved VALUES (?,?,?,?,?)",
                       [(source, u.text, u.start, u.end, u.reason) for u in frag.unresolved])
        db.executemany("INSERT INTO law_numbers VALUES (?,?,?,?,?,?,?)",
                       [(source, n.title, n.iri, n.key, n.year, n.date, n.label) for n in frag.law_numbers])
        db.executemany("INSERT INTO law_mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(source, m.title, m.work, m.label, m.year, m.date, m.cited_on, m.rel, m.role, m.start, m.end,
                         m.rule, m.work) for m in frag.law_mentions])
        self._law_titles.update(n.title for n in frag.law_numbers)
        self._law_titles.update(m.title for m in frag.law_mentions)

    def _claim_provisions(self, iris: list[str], source: int) -> None:
        """Provisions this source reads from its own text, which the store knew: the part_of edges other files gave
        them as stubs go (the text's own part_of is the one), and those files are journalled as changed."""
        for chunk in _chunks(iris):
            marks = ",".join("?" * len(chunk))
            where = f"rel = 'part_of' AND src IN ({marks}) AND source <> ?"
            others = [r[0] for r in self.db.execute(f"SELECT DISTINCT source FROM edges WHERE {where}", [*chunk, source])]
            if others:
                self.db.execute(f"DELETE FROM edges WHERE {where}", [*chunk, source])
                for other in others:
                    self._touched_source(other)

    # --- laws cited by name (graph.laws) ---------------------------------------------------------------------------
    def _resolve_laws(self, titles: set[str]) -> None:
        """Point each by-name citation of these titles at the version it means, from all the store now knows."""
        for title in sorted(titles):
            self._resolve_law(title)

    def _resolve_law(self, title: str) -> None:
        db = self.db
        numbers = db.execute("SELECT source, iri, key, year, date, label FROM law_numbers WHERE title = ?",
                             (title,)).fetchall()
        mentions = db.execute("SELECT rowid, source, work, label, year, date, cited_on, rel, role, start, \"end\", "
                              "rule, current FROM law_mentions WHERE title = ?", (title,)).fetchall()
        work = laws.work_iri(title, self.base_iri)
        known = laws.versions(work, [n[:5] for n in numbers], [(m[1], m[4], m[5], m[6]) for m in mentions])
        label = _most_common([m[3] for m in mentions] or [n[5] for n in numbers])
        used = set()
        for rowid, source, _, _, year, date, cited_on, rel, role, start, end, rule, current in mentions:
            version, how = laws.pick(known, year, date, cited_on)
            target = version.iri if version else work
            used.add(target)
            if version and version.key is None:
                self._year_version(version, work, label)
            if target != current:
                self._repoint(rowid, source, rel, role, start, end, current, target, laws.resolved_rule(rule, how))
        self._drop_unused_year_versions(work, used)
        if mentions or numbers:
            self._set_versions(work, label, known)

    def _repoint(self, rowid: int, source: int, rel: str, role: str, start, end, current: str, target: str,
                 rule: str) -> None:
        column = "dst" if role == "dst" else "src"
        self.db.execute(f"UPDATE edges SET {column} = ?, rule = ? WHERE source = ? AND rel = ? AND start IS ? "
                        f"AND \"end\" IS ? AND {column} = ?", (target, rule, source, rel, start, end, current))
        self.db.execute("UPDATE law_mentions SET current = ? WHERE rowid = ?", (target, rowid))
        self._touched("node", [current, target])
        self._touched_source(source)

    def _year_version(self, version: laws.Version, work: str, label: str) -> None:
        """A version known by title and year only: a node of its own under the work's IRI."""
        law_type, name = laws.split_label(label)
        props = {"type": law_type, "title": name, "year": version.year, "form": "law",
                 "work": work, **({"date": version.date} if version.date else {})}
        self.db.execute("INSERT INTO nodes VALUES (?,?,?,1,NULL,NULL,NULL,?,?,NULL,?,?) ON CONFLICT(iri) DO UPDATE SET "
                        "date=excluded.date, props=excluded.props",
                        (version.iri, DOCUMENT, f"{label} ({version.year})", version.year, props["type"],
                         version.date, json.dumps(props, ensure_ascii=False)))
        self._touched("node", [version.iri])

    def _drop_unused_year_versions(self, work: str, used: set[str]) -> None:
        stale = [r[0] for r in self.db.execute(
            "SELECT iri FROM nodes WHERE iri > ? AND iri < ? AND owner IS NULL AND key IS NULL AND kind = ?",
            (work + "/", work + "0", DOCUMENT))  # a law's provisions (…/dieu_5) are not its versions
            if r[0] not in used and not self.db.execute("SELECT 1 FROM edges WHERE dst = ? OR src = ? LIMIT 1",
                                                         (r[0], r[0])).fetchone()]
        for iri in stale:
            self.db.execute("DELETE FROM nodes WHERE iri = ?", (iri,))
        self._touched("node", stale)

    def _set_versions(self, work: str, label: str, known: list[laws.Version]) -> None:
        """The by-name node lists the versions its title may be (what the citations still on it may mean); a title
        known only by its numbers gets one too, so the title names its versions."""
        row = self.db.execute("SELECT props FROM nodes WHERE iri = ?", (work,)).fetchone()
        if row is None:
            law_type, name = laws.split_label(label)
            row = (json.dumps({"type": law_type, "title": name, "form": "law"}, ensure_ascii=False),)
            self.db.execute("INSERT INTO nodes VALUES (?,?,?,1,NULL,NULL,NULL,NULL,?,NULL,NULL,?)",
                            (work, DOCUMENT, label, law_type, row[0]))
        props = orjson.loads(row[0])
        versions = [v.json() for v in known]
        if props.get("versions") != versions or not props.get("by_name"):
            props |= {"versions": versions, "by_name": True}
            self.db.execute("UPDATE nodes SET props = ? WHERE iri = ?", (json.dumps(props, ensure_ascii=False), work))
            self._touched("node", [work])

    # A local number cited without a date has no year, so its IRI says "_" for it (…/quang-ngai/kh/_/140). When the
    # store knows exactly one dated document of that number and province, the undated mention is that document.
    def _dated(self, key: str, place: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT iri FROM nodes WHERE kind = ? AND key = ? AND place = ? AND year IS NOT NULL", (DOCUMENT, key, place))]

    def _resolve_unknown_years(self, frag: Fragment) -> None:
        dated: dict[tuple, set[str]] = {}
        for n in frag.nodes:
            if n.kind == DOCUMENT and not is_unknown_year(n.iri) and n.props.get("place") and n.props.get("key"):
                dated.setdefault((n.props["key"], n.props["place"]), set()).add(n.iri)
        mapping = {}
        for n in frag.nodes:
            if n.kind == DOCUMENT and is_unknown_year(n.iri) and n.iri not in mapping and n.props.get("key"):
                key = (n.props["key"], n.props.get("place"))
                candidates = dated.get(key) or set(self._dated(*key))
                if len(candidates) == 1:
                    mapping[n.iri] = candidates.pop()
        if mapping:
            for n in frag.nodes:  # the provisions named under an undated document's IRI move with it
                if n.kind == PROVISION and n.props.get("document") in mapping:
                    document = n.props["document"]
                    mapping[n.iri] = mapping[document] + n.iri[len(document):]
            frag.nodes = [_moved(n, mapping) for n in frag.nodes]
            frag.edges = [replace(e, src=mapping.get(e.src, e.src), dst=mapping.get(e.dst, e.dst)) for e in frag.edges]

    def _absorb_unknown_year(self, node: Node) -> None:
        """A dated document arrives: an undated node of its number and province becomes it, if it is the only one."""
        key, place = node.props["key"], node.props["place"]
        undated = [r[0] for r in self.db.execute(
            "SELECT iri FROM nodes WHERE kind = ? AND key = ? AND place = ? AND year IS NULL", (DOCUMENT, key, place))]
        if not undated or len(self._dated(key, place)) != 1:
            return
        for old in undated:
            self._touched("node", [old])
            self._touched("source", [r[0] for r in self.db.execute(
                "SELECT DISTINCT s.path FROM edges e JOIN sources s ON s.id = e.source WHERE e.dst = ? OR e.src = ?",
                (old, old))])
            self.db.execute("UPDATE edges SET dst = ? WHERE dst = ?", (node.iri, old))
            self.db.execute("UPDATE edges SET src = ? WHERE src = ?", (node.iri, old))
            self.db.execute("DELETE FROM nodes WHERE iri = ?", (old,))

    def _current(self, iris: list[str]) -> dict[str, tuple[NodeRow, int | None, tuple]]:
        """The nodes the store holds of these IRIs: each as a NodeRow, its owner and its whole row."""
        out = {}
        for chunk in _chunks(iris):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {NODE_COLUMNS} FROM nodes WHERE iri IN ({marks})", chunk):
                iri, kind, label, stub, owner = row[:5]
                out[iri] = (NodeRow(iri, kind, label, bool(stub), orjson.loads(row[-1])), owner, row)
        return out

    # --- reading -------------------------------------------------------------------------------------------------
    def nodes(self, iris: Sequence[str]) -> dict[str, NodeRow]:
        out: dict[str, NodeRow] = {}
        for chunk in _chunks(list(iris)):
            marks = ",".join("?" * len(chunk))
            for iri, kind, label, stub, props in self.db.execute(
                    f"SELECT iri, kind, label, stub, props FROM nodes WHERE iri IN ({marks})", chunk):
                out[iri] = NodeRow(iri, kind, label, bool(stub), orjson.loads(props))
        return out

    def _edges(self, column: str, iris: Sequence[str], rels: Sequence[str] | None,
               limit: int | None = None) -> list[EdgeRow]:
        out: list[EdgeRow] = []
        rel_filter = f" AND e.rel IN ({','.join('?' * len(rels))})" if rels else ""
        for chunk in _chunks(sorted(set(iris))):  # sorted: chunk after chunk keeps the one order
            marks = ",".join("?" * len(chunk))
            bound = f" LIMIT {int(limit) - len(out)}" if limit is not None else ""
            order = "e.dst, e.rel, e.src" if column == "dst" else "e.src, e.rel, e.dst"
            query = (f"{EDGE_ROWS} WHERE e.{column} IN ({marks}){rel_filter} "
                     f"ORDER BY {order}, s.path, e.start{bound}")  # one order for every backend: limits cut alike
            out += [EdgeRow(*row) for row in self.db.execute(query, [*chunk, *(rels or ())])]
            if limit is not None and len(out) >= limit:
                break
        return out

    def edges_to(self, iris: Sequence[str], rels: Sequence[str] | None = None, limit: int | None = None) -> list[EdgeRow]:
        return self._edges("dst", iris, rels, limit)

    def edges_from(self, iris: Sequence[str], rels: Sequence[str] | None = None) -> list[EdgeRow]:
        return self._edges("src", iris, rels)

    def count_to(self, iris: Sequence[str], rels: Sequence[str]) -> int:
        marks, rel_marks = ",".join("?" * len(iris)), ",".join("?" * len(rels))
        return self.db.execute(f"SELECT count(DISTINCT src) FROM edges WHERE dst IN ({marks}) AND rel IN ({rel_marks})",
                               [*iris, *rels]).fetchone()[0]

    def edges_with(self, rels: Sequence[str]) -> list[EdgeRow]:
        marks = ",".join("?" * len(rels))
        return [EdgeRow(*row) for row in self.db.execute(
            f"{EDGE_ROWS} WHERE e.rel IN ({marks}) ORDER BY e.src, e.rel, e.dst, s.path, e.start",
            list(rels))]

    def find_documents(self, serial: str, year: int | None = None, type: str | None = None) -> list[NodeRow]:
        rows = self.db.execute(
            "SELECT iri, kind, label, stub, props FROM nodes WHERE serial = ? AND kind = ?"
            " AND (? IS NULL OR year = ? OR key LIKE ?) AND (? IS NULL OR type = ?)",
            (serial, DOCUMENT, year, year, f"%/{year}/%", type, type))
        return [NodeRow(i, k, lab, bool(s), orjson.loads(p)) for i, k, lab, s, p in rows]

    def find_agencies(self, name: str) -> list[NodeRow]:
        iris = [r[0] for r in self.db.execute("SELECT DISTINCT iri FROM aliases WHERE folded = ?", (fold(name),))]
        return list(self.nodes(iris).values())

    def nodes_of_kind(self, kind: str) -> Iterator[NodeRow]:
        for iri, k, label, stub, props in self.db.execute(
                "SELECT iri, kind, label, stub, props FROM nodes WHERE kind = ?", (kind,)):
            yield NodeRow(iri, k, label, bool(stub), orjson.loads(props))

    def conflicts(self) -> list[dict]:
        return [c for _, c in self._conflicts()]

    def unresolved(self, source: str | None = None) -> list[dict]:
        return [u for _, u in self._unresolved(source)]

    def findings(self) -> dict[str, dict[str, list]]:
        """Each source file's conflicts and unresolved short forms, as [rowid, item] pairs: the rowid keeps the order
        the store answers them in."""
        out: dict[str, dict[str, list]] = {}
        for name, rows in (("conflicts", self._conflicts()), ("unresolved", self._unresolved())):
            for rowid, item in rows:
                out.setdefault(item["source"], {"conflicts": [], "unresolved": []})[name].append([rowid, item])
        return out

    def _conflicts(self) -> list[tuple[int, dict]]:
        rows = self.db.execute("SELECT c.rowid, c.iri, c.kind, c.vals, s.path, c.start, c.\"end\", c.note "
                               "FROM conflicts c LEFT JOIN sources s ON s.id = c.source ORDER BY c.rowid")
        return [(r, {"node": i, "kind": k, "values": orjson.loads(v), "source": p, "start": st, "end": en, "note": n})
                for r, i, k, v, p, st, en, n in rows]

    def _unresolved(self, source: str | None = None) -> list[tuple[int, dict]]:
        rows = self.db.execute("SELECT u.rowid, s.path, u.text, u.start, u.\"end\", u.reason FROM unresolved u "
                               "JOIN sources s ON s.id = u.source WHERE ? IS NULL OR s.path = ? ORDER BY u.rowid",
                               (source, source))
        return [(r, {"source": p, "text": t, "start": st, "end": e, "reason": why}) for r, p, t, st, e, why in rows]

    def generation(self) -> int:
        """How many batches have been committed to the store: changes whenever its contents do."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def stats(self) -> dict:
        count = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        by_kind = self.counts()
        return {"format_version": FORMAT_VERSION, "sources": by_kind.pop("sources"),
                "nodes": by_kind, "edges": count("SELECT count(*) FROM edges"),
                "stubs": count("SELECT count(*) FROM nodes WHERE stub = 1"),
                "conflicts": count("SELECT count(*) FROM conflicts")}

    def all_nodes(self) -> Iterator[NodeRow]:
        for iri, kind, label, stub, props in self.db.execute("SELECT iri, kind, label, stub, props FROM nodes ORDER BY iri"):
            yield NodeRow(iri, kind, label, bool(stub), orjson.loads(props))

    def all_edges(self, grouped: bool = False) -> Iterator[EdgeRow]:
        """Every edge, in the order written; grouped: by (src, rel, dst), then source and span, so the evidence for
        one fact comes together."""
        order = "e.src, e.rel, e.dst, s.path, e.start, e.\"end\"" if grouped else "e.rowid"
        for row in self.db.execute(f"{EDGE_ROWS} ORDER BY {order}"):
            yield EdgeRow(*row)

    def sources(self) -> dict[str, str]:
        """Each source file and the SHA-256 of what it held when ingested."""
        return dict(self.db.execute("SELECT path, sha256 FROM sources"))

    def edges_of_sources(self, paths: Sequence[str]) -> Iterator[EdgeRow]:
        for chunk in _chunks(sorted(set(paths))):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"{EDGE_ROWS} WHERE s.path IN ({marks})", chunk):
                yield EdgeRow(*row)

    def edge_digests(self, paths: Sequence[str] | None = None) -> dict[str, str]:
        """Each source file (or those of `paths` the store has) and a digest of the edges read from it, a sum of the
        edges' hashes (so the order they are read in does not matter): it changes when the file's edges change, also
        when the file did not."""
        ids = dict(self.db.execute("SELECT id, path FROM sources"))
        if paths is not None:
            wanted = set(paths)
            ids = {i: path for i, path in ids.items() if path in wanted}
        sums = dict.fromkeys(ids, 0)
        for source, *fact in self._edge_facts(list(ids) if paths is not None else None):
            sums[source] += int.from_bytes(hashlib.blake2b(repr(fact).encode("utf-8"), digest_size=16).digest(), "big")
        return {ids[i]: format(total % DIGEST_MODULUS, "032x") for i, total in sums.items()}

    def _edge_facts(self, sources: list[int] | None) -> Iterator[tuple]:
        query = 'SELECT source, src, rel, dst, start, "end", rule FROM edges'
        if sources is None:
            yield from self.db.execute(query)
            return
        for chunk in _chunks(sources):
            yield from self.db.execute(f"{query} WHERE source IN ({','.join('?' * len(chunk))})", chunk)

    def identity(self) -> str:
        """A random id the store got when it was made: a server synced from it knows it by this."""
        return self.db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]

    def batch_token(self, generation: int) -> str | None:
        """A random token of the batch that made `generation` ("" for the empty store; None for a generation this
        store never had): two copies of one store file that went separate ways tell their batches apart by it."""
        if generation == 0:
            return ""
        row = self.db.execute("SELECT token FROM batches WHERE gen = ?", (generation,)).fetchone()
        return row[0] if row else None

    def changes_since(self, generation: int) -> tuple[list[str], list[str]]:
        """The node IRIs and source paths that batches after `generation` wrote, changed or removed."""
        touched: dict[str, list[str]] = {"node": [], "source": []}
        for what, ref in self.db.execute("SELECT what, ref FROM changes WHERE gen > ? ORDER BY what, ref", (generation,)):
            touched[what].append(ref)
        return touched["node"], touched["source"]

    def source_documents(self) -> dict[str, str]:
        """Each source file and the IRI of the document it holds."""
        return dict(self.db.execute("SELECT path, document FROM sources"))

    def all_aliases(self) -> dict[str, list[str]]:
        """The spellings each agency was printed with (its label among them)."""
        out: dict[str, list[str]] = {}
        for iri, alias in self.db.execute("SELECT iri, alias FROM aliases ORDER BY iri, alias"):
            out.setdefault(iri, []).append(alias)
        return out

    def documents(self, after: str = "", limit: int = 50, type: str | None = None, place: str | None = None,
                  year: int | None = None, q: str | None = None) -> list[NodeRow]:
        """Documents in IRI order after `after` (a page), filtered; q searches the number and title."""
        rows = self.db.execute(
            "SELECT iri, kind, label, stub, props FROM nodes WHERE kind = ? AND iri > ?"
            " AND (? IS NULL OR type = ?) AND (? IS NULL OR place = ?) AND (? IS NULL OR year = ?)"
            " AND (? IS NULL OR instr(fold(label || ' ' || coalesce(json_extract(props, '$.title'), '')), ?) > 0)"
            " ORDER BY iri LIMIT ?",
            (DOCUMENT, after, type, type, place, place, year, year, q, fold(q), limit))
        return [NodeRow(i, k, lab, bool(st), orjson.loads(p)) for i, k, lab, st, p in rows]

    def pairs(self, iris: Sequence[str], rels: Sequence[str], incoming: bool = True,
              limit: int | None = None) -> list[tuple[str, str, str]]:
        """(src, rel, dst) of the edges of `rels` into `iris` (incoming) or out of them, each once, without their
        sources: what a filter needs to read of thousands of edges, at a fraction of edges_to's cost."""
        near, far = ("dst", "src") if incoming else ("src", "dst")
        rel_marks = ",".join("?" * len(rels))
        out: list[tuple[str, str, str]] = []
        for chunk in _chunks(sorted(set(iris))):
            bound = f" LIMIT {int(limit) - len(out)}" if limit is not None else ""
            rows = self.db.execute(f"SELECT DISTINCT src, rel, dst FROM edges WHERE {near} IN ({','.join('?' * len(chunk))})"
                                   f" AND rel IN ({rel_marks}) ORDER BY {near}, rel, {far}{bound}", [*chunk, *rels])
            out += rows.fetchall()
            if limit is not None and len(out) >= limit:
                break
        return out

    def task_facts(self, tasks: Sequence[str]) -> dict[str, tuple[int | None, str | None]]:
        """Each task's index in its document and its deadline's last day (ISO), read without decoding the rest of
        its facts."""
        out: dict[str, tuple[int | None, str | None]] = {}
        for chunk in _chunks(list(tasks)):
            out |= {iri: (index, end) for iri, index, end in self.db.execute(
                "SELECT iri, json_extract(props, '$.index'), json_extract(props, '$.deadline.end') FROM nodes "
                f"WHERE iri IN ({','.join('?' * len(chunk))})", chunk)}
        return out

    def recent_documents(self, limit: int = 10) -> list[NodeRow]:
        """Documents whose text was ingested, the latest by date first (undated ones last)."""
        rows = self.db.execute(
            "SELECT iri, kind, label, stub, props FROM nodes WHERE kind = ? AND stub = 0"
            " ORDER BY coalesce(json_extract(props, '$.date'), '') DESC, iri LIMIT ?", (DOCUMENT, limit))
        return [NodeRow(i, k, lab, bool(st), orjson.loads(p)) for i, k, lab, st, p in rows]

    def search_texts(self, kind: str) -> list[tuple[str, str]]:
        """(iri, text) of every node of `kind`: the text a search reads (the label, a document's title, an agency's
        canonical name) as plain() makes it; ingested documents first, then by label."""
        rows = self.db.execute(
            "SELECT iri, label || ' ' || coalesce(json_extract(props, '$.title'), '') || ' ' || "
            "coalesce(json_extract(props, '$.canonical'), '') FROM nodes WHERE kind = ? ORDER BY stub, label, iri", (kind,))
        return [(iri, plain(text) or "") for iri, text in rows]

    def has_more_neighbours(self, iri: str, than: int) -> bool:
        """Whether more than `than` nodes share an edge with iri (read no further than that)."""
        return self.db.execute("SELECT count(*) FROM (SELECT src FROM edges WHERE dst = ?1 UNION "
                               "SELECT dst FROM edges WHERE src = ?1 LIMIT ?2)", (iri, than + 1)).fetchone()[0] > than

    def counts(self) -> dict[str, int]:
        """Nodes by kind, and how many documents have their text in the store."""
        by_kind = dict(self.db.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"))
        return by_kind | {"sources": self.db.execute("SELECT count(*) FROM sources").fetchone()[0]}

    def to_networkx(self, iris: Iterable[str] | None = None):
        """The store (or the subgraph induced by `iris`) as a networkx MultiDiGraph; edges keyed by relation."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        if iris is None:
            nodes, edges = self.all_nodes(), self.all_edges()
        else:
            wanted = set(iris)
            nodes = self.nodes(list(wanted)).values()
            edges = [e for e in self.edges_from(list(wanted)) if e.dst in wanted]
        for n in nodes:  # a prop named like a node attribute (a provision's kind and label) is prop_kind, prop_label
            props = {f"prop_{k}" if k in ("kind", "label", "stub") else k: v for k, v in n.props.items()}
            graph.add_node(n.iri, kind=n.kind, label=n.label, stub=n.stub, **props)
        for e in edges:
            graph.add_edge(e.src, e.dst, key=e.rel, relation=e.rel, source=e.source, start=e.start, end=e.end, rule=e.rule)
        return graph


def _without_marks(c: str) -> str:
    bare = unicodedata.normalize("NFD", c)
    return "".join(x for x in bare if not unicodedata.combining(x))


@cache
def _bare_letters() -> dict[int, str]:
    """Every precomposed Latin letter with marks (Vietnamese's among them) → its bare letter, đ → d: str.translate
    runs in C, a tenth of the time of decomposing each text in Python (searching a 10k store's titles reads 50k of
    them). Made at the first search, not at import (8 ms)."""
    return str.maketrans({chr(c): _without_marks(chr(c)) for c in range(0xC0, 0x2000)
                          if len(_without_marks(chr(c))) == 1 and _without_marks(chr(c)) != chr(c)} | {"đ": "d", "Đ": "D"})


def plain(text: str | None) -> str | None:
    """Text as a person may type it without a Vietnamese keyboard: folded, and without diacritics ("Sở Tư pháp" and
    "so tu phap" are one). Texts in the store are NFC (extract.text); what users type is made NFC first."""
    if not text:
        return text
    return unicodedata.normalize("NFC", text).translate(_bare_letters()).casefold() if not text.isascii() else text.casefold()


def fold(text: str | None) -> str | None:
    """Text as search compares it: NFC, then Unicode case folding (SQLite's lower() folds ASCII only, so "NGÂN SÁCH"
    would not find "ngân sách")."""
    return unicodedata.normalize("NFC", text).casefold() if text else text


def _most_common(values: list[str]) -> str:
    """The value given most often; of equally frequent ones, the first in sort order (so the choice is stable)."""
    return min(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))[0]


def open_store(path: str | os.PathLike, threads: bool = False) -> SqliteStore:
    """An existing store, for reading (a missing one is a StoreError, not a new empty store)."""
    return SqliteStore(path, create=False, threads=threads, cache_kib=READ_CACHE_KIB)


def _merged(old: NodeRow | None, new: Node) -> tuple[dict, bool, list[Conflict]]:
    """Props and stub flag after merging `new` into `old`, and the facts on which they disagree. A document's own
    text wins over what citations say of it; between citations, the first facts stay and later ones fill gaps."""
    if old is None or new.kind in OWNED_KINDS:
        return dict(new.props), new.stub, []
    if new.kind == PROVISION:
        if not new.stub:
            return dict(new.props), False, []  # the text's, not what citations made of it
        return {**new.props, **old.props}, old.stub, []
    if new.kind != DOCUMENT:
        return {**new.props, **old.props}, False, []
    conflicts = [
        Conflict(new.iri, field, (str(old.props[field]), str(new.props[field])), None, None,
                 f"{new.label}: {field} {old.props[field]} and {new.props[field]}")
        for field in CONFLICTING_FACTS
        if field in old.props and field in new.props and old.props[field] != new.props[field]
    ]
    if not new.stub:
        return {**old.props, **new.props}, False, conflicts
    return {**new.props, **old.props}, old.stub, conflicts


def _dedupe(nodes: list[Node]) -> dict[str, Node]:
    """One node per IRI within a fragment: the document itself wins over its stubs; stubs fill each other's gaps;
    an agency collects the spellings it was printed with."""
    out: dict[str, Node] = {}
    for node in nodes:
        seen = out.get(node.iri)
        if seen is None:
            out[node.iri] = node
        elif node.kind in READ_KINDS and seen.stub:
            out[node.iri] = node if not node.stub else replace(seen, props={**node.props, **seen.props})
        elif node.kind == AGENCY:
            out[node.iri] = replace(seen, aliases=tuple(dict.fromkeys((*seen.aliases, *node.aliases))))
    return out


def _moved(node: Node, mapping: dict[str, str]) -> Node:
    if node.iri not in mapping:
        return node
    if node.kind == PROVISION:
        document = node.props["document"]
        return replace(node, iri=mapping[node.iri], props={**node.props, "document": mapping.get(document, document)})
    return replace(node, iri=mapping[node.iri])


def _provision_node_label(iri: str, path: tuple, db: sqlite3.Connection) -> str:
    """A stub provision's label: its name, and its document's label."""
    document = iri.removesuffix("/" + "/".join(map(ids.provision_step, path)))
    row = db.execute("SELECT label FROM nodes WHERE iri = ?", (document,)).fetchone()
    return " · ".join(filter(None, (ids.provision_label(path), row[0] if row else None)))


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
