"""Uploads, extracted and merged in a process of their own (one per server process, started at the first upload).

Extraction and the whole-graph answers the writer saves (queries.core.whole_graph_answers) are pure Python: run in a
server process, they would hold its interpreter lock for as long as they take, and every request that process serves
would wait behind them (measured on the 10k store with a plan uploaded every 2 s: p99 145 ms, against 10 ms without
uploads). In a process of their own they only share the CPU. The process dies with its server process.

A source is its bytes: bytes the store already holds, under any name, change nothing; bytes that are refused are not
kept in the upload folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

MAX_UPLOAD = 10 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class UploadRefused(Exception):
    status: int
    title: str
    detail: str


class Ingester:
    def __init__(self, store_path: str | os.PathLike, folder: Path) -> None:
        self.store_path, self.folder = str(store_path), folder
        self._pool: ProcessPoolExecutor | None = None

    async def ingest(self, data: bytes, filename: str) -> dict:
        """What the upload added (or `held_as` when the store holds these bytes); UploadRefused says why not."""
        check(data)
        if Path(filename).suffix.lower() not in SUFFIXES:
            filename += ".txt"
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self._executor(), ingest, self.store_path, self.folder, data, filename)
        except BrokenProcessPool:  # the process was killed (out of memory, say): the next upload starts another
            self._pool = None
            raise UploadRefused(503, "Upload failed", "the extraction process ended before answering") from None
        if outcome[0] == "refused":
            raise UploadRefused(*outcome[1:])
        return outcome[1]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:  # started from the event loop's thread, which lives as long as the server process
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start, initargs=(os.getpid(),))
        return self._pool


def check(data: bytes) -> None:
    if len(data) > MAX_UPLOAD:
        raise UploadRefused(413, "Too large", f"uploads are limited to {MAX_UPLOAD:,} bytes")
    if not data.strip():
        raise UploadRefused(422, "Empty document", "the upload holds no text")


def ingest(store_path: str, folder: Path, data: bytes, filename: str) -> tuple:
    """In the upload process: ("added", answer) or ("refused", status, title, detail)."""
    from legalkg.extract.pipeline import extract_file
    from legalkg.extract.text import ExtractError
    from legalkg.graph import ids
    from legalkg.graph.build import fragment
    from legalkg.graph.store import SqliteStore
    from legalkg.queries.core import whole_graph_answers

    sha = hashlib.sha256(data).hexdigest()
    with SqliteStore(store_path) as writer, ids.using_base(writer.base_iri):
        if held := writer.source_with_hash(sha):
            return "added", _held(writer, *held)
        path = folder / f"{sha[:16]}-{filename}"
        name = f"uploads/{path.name}"  # what answers show; where the server keeps it is its own business
        path.write_bytes(data)
        try:
            doc = extract_file(path, name)
            own = fragment(doc, sha, str(path.resolve()))
            counts = writer.add_fragments([own], whole_graph=whole_graph_answers)
        except ExtractError as exc:
            path.unlink(missing_ok=True)
            detail = str(exc).replace(str(path), filename).replace(name, filename)
            return "refused", 422, "Unreadable document", detail
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if counts["duplicate"]:  # another server process stored the same bytes first
            held = writer.source_with_hash(sha)
            if held[0] != name:
                path.unlink(missing_ok=True)
            return "added", _held(writer, *held)
    return "added", {"id": own.document, "label": doc.ref.label, "citations": len(doc.citations),
                     "tasks": len(doc.tasks), "warnings": _warnings(doc), **counts}


def _warnings(doc) -> list[str]:
    """What the extraction was not sure of: tables whose rows were left out, short forms never defined."""
    tables = [w.message for w in doc.warnings]
    undefined = [f"{m.text!r}: {m.reason}" for m in doc.mentions if m.kind == "unresolved"]
    return tables + undefined


def _held(store, path: str, document: str) -> dict:
    """The answer to an upload of bytes the store already holds (under this name or another): nothing changes."""
    node = store.node(document)
    return {"id": document, "label": node.label if node else document, "held_as": path,
            "added": 0, "replaced": 0, "unchanged": 1, "duplicate": 0}


def _start(parent: int) -> None:
    from legalkg.api.sparql import die_with_parent

    die_with_parent(parent)
