"""Files → store: the build. A file whose bytes the store already holds (same path, same SHA-256) is not extracted
again; a changed file replaces what it contributed; unreadable files are reported and the rest goes on.

Extraction (and turning a document into its graph fragment) runs in `jobs` worker processes; the store is written by
this process alone, in batches of one transaction each. The writer is the one part that cannot be shared out, so the
workers run at a lower priority (they take the cores the writer leaves, never the writer's), and at most AHEAD chunks
per worker wait for it (what waits is held in memory).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context

from legalkg.extract.jsonout import document_json
from legalkg.extract.models import Document
from legalkg.extract.pipeline import Failure, extract_file, iter_named_files
from legalkg.extract.text import ExtractError
from legalkg.graph import ids
from legalkg.graph.build import fragment
from legalkg.graph.records import Fragment, content_hash
from legalkg.graph.store import SqliteStore, WholeGraph

CHUNK = 16  # files handed to a worker at a time
AHEAD = 32  # chunks per worker done or under way before the writer takes them: enough for the workers never to wait
WORKER_NICE = 5  # how much lower the workers' priority is than the writer's


@dataclass
class BuildReport:
    files: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicate: int = 0  # the same bytes as a source the store holds under another path
    failures: list[Failure] = field(default_factory=list)

    def json(self) -> dict:
        return {"files": self.files, "added": self.added, "replaced": self.replaced, "unchanged": self.unchanged,
                "duplicate": self.duplicate, "errors": [{"source": f.source, "error": f.error} for f in self.failures]}


@dataclass(frozen=True)
class Todo:
    file: str  # where to read it
    name: str  # what the store calls it
    sha256: str


def file_hash(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(store: SqliteStore, paths: Iterable[str | os.PathLike], tick: Callable[[], None] | None = None,
          jobs: int = 1, whole_graph: WholeGraph | None = None) -> BuildReport:
    """Extract and merge every .txt/.md/.html file under paths; tick() after each file (for a progress bar);
    whole_graph: the answers saved with the last batch (SqliteStore.add_fragments).

    Files the store holds under their path go first: when one of them changed and another file now holds its old
    bytes, the old version is gone before the other file is checked for being a duplicate of it."""
    report = BuildReport()
    held, new, named = [], [], {}
    for path, name in iter_named_files(paths):
        report.files += 1
        file = path.resolve()
        if named.setdefault(name, file) != file:
            report.failures.append(Failure(name, f"{path}: another file of this build has the name {name} "
                                                 f"({named[name]}); build the folder that holds both instead"))
            continue
        try:
            sha = file_hash(path)
        except OSError as exc:
            report.failures.append(Failure(name, str(exc)))
            continue
        known = store.known_hash(name)
        if known == sha:
            report.unchanged += 1
            if tick:
                tick()
        else:
            (new if known is None else held).append(Todo(str(file), name, sha))
    counts = store.add_fragments(_fragments(held + new, store.base_iri, report, tick, jobs), whole_graph)
    report.added, report.replaced, report.duplicate = counts["added"], counts["replaced"], counts["duplicate"]
    report.unchanged += counts["unchanged"]
    return report


def add_documents(store: SqliteStore, documents: Iterable[Document]) -> dict:
    """Merge documents already extracted, each known by its path and a hash of what was extracted from it."""
    with ids.using_base(store.base_iri):
        return store.add_fragments(fragment(doc, document_hash(doc)) for doc in documents)


def document_hash(doc: Document) -> str:
    """What the store compares to know a source is unchanged, when the caller has no hash of the file's bytes."""
    return content_hash(json.dumps(document_json(doc), ensure_ascii=False, sort_keys=True))


def build_graph(documents: Iterable[Document]):
    """The documents merged into one networkx MultiDiGraph (through an in-memory store, so the merge rules are the
    store's): for small corpora, tests and the viz."""
    store = SqliteStore(":memory:")
    add_documents(store, documents)
    return store.to_networkx()


def _prepare(base_iri: str, todo: Todo) -> Fragment | Failure:
    try:
        with ids.using_base(base_iri):
            return fragment(extract_file(todo.file, todo.name), todo.sha256, todo.file)
    except (ExtractError, OSError) as exc:
        return Failure(todo.name, str(exc))


def _fragments(todo: list[Todo], base_iri: str, report: BuildReport, tick, jobs: int) -> Iterator[Fragment]:
    """Fragments of the files to do, their IRIs under the store's base (passed to each worker process)."""
    prepare = partial(_prepare, base_iri)
    if jobs > 1 and len(todo) > CHUNK:
        with get_context("fork").Pool(jobs, initializer=_behind_the_writer) as pool:
            yield from _collect(_in_order(pool, prepare, todo, AHEAD * jobs), report, tick)
    else:
        yield from _collect(map(prepare, todo), report, tick)


def _behind_the_writer() -> None:
    """A worker's priority below the writer's: the writer is the one part of a build that runs on one core."""
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass


def _in_order(pool, prepare: Callable, todo: list[Todo], window: int) -> Iterator[Fragment | Failure]:
    """prepare(t) for each t of todo, in order, CHUNK at a time, with at most `window` chunks handed out and not
    yet taken (Pool.imap hands out all of them: on a large build, what the writer had not taken yet grew to GBs)."""
    pending: deque = deque()
    for start in range(0, len(todo), CHUNK):
        pending.append(pool.apply_async(_prepare_all, (prepare, todo[start:start + CHUNK])))
        if len(pending) >= window:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def _prepare_all(prepare: Callable, todo: list[Todo]) -> list[Fragment | Failure]:
    return [prepare(t) for t in todo]


def _collect(results: Iterable[Fragment | Failure], report: BuildReport, tick) -> Iterator[Fragment]:
    for result in results:
        if tick:
            tick()
        if isinstance(result, Failure):
            report.failures.append(result)
        else:
            yield result
