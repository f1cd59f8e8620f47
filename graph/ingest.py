"""Files → store: the build. A file whose bytes the store already holds (same path, same SHA-256) is not extracted
again; a changed file replaces what it contributed; unreadable files are reported and the rest goes on."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract.models import Document
from extract.pipeline import Failure, extract_file, iter_files
from extract.text import ExtractError
from graph.store import SqliteStore


@dataclass
class BuildReport:
    files: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)

    def json(self) -> dict:
        return {"files": self.files, "added": self.added, "replaced": self.replaced, "unchanged": self.unchanged,
                "errors": [{"source": f.source, "error": f.error} for f in self.failures]}


def file_hash(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(store: SqliteStore, paths: Iterable[str | os.PathLike], tick: Callable[[], None] | None = None) -> BuildReport:
    """Extract and merge every .txt/.md/.html file under paths; tick() after each file (for a progress bar)."""
    report = BuildReport()
    files = list(iter_files(paths))
    report.files = len(files)
    counts = store.add(_changed(store, files, report, tick))
    report.added, report.replaced = counts["added"], counts["replaced"]
    report.unchanged += counts["unchanged"]
    return report


def _changed(store: SqliteStore, files: list[Path], report: BuildReport, tick) -> Iterator[tuple[Document, str]]:
    for path in files:
        try:
            sha = file_hash(path)
            if store.known_hash(str(path)) == sha:
                report.unchanged += 1
            else:
                yield extract_file(path), sha
        except (ExtractError, OSError) as exc:
            report.failures.append(Failure(str(path), str(exc)))
        finally:
            if tick:
                tick()
