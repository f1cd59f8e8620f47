"""Shared fixtures: where ../shared is, and a clear skip reason when it is absent (CI fails instead, see .ci/run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SYNTHETIC_DOCS = 10_000


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"needs the shared corpus and gold at {SHARED} (not present on this machine)")
    return SHARED


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory) -> Path:
    """A store of 10,000 synthetic documents (bench/synthetic.py), built once per run for the suites that compare
    backends at scale; they only read it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synthetic import generate

    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore

    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "docs", SYNTHETIC_DOCS)
    with SqliteStore(folder / "s.db") as store:
        build(store, [folder / "docs"], jobs=os.cpu_count() or 1)
    return folder / "s.db"


@pytest.fixture(scope="session")
def corpus_store(shared, tmp_path_factory) -> Path:
    """A store of the whole shared corpus (about 9 s on two cores), built once per run; tests only read it."""
    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore
    from legalkg.queries.core import whole_graph_answers

    path = tmp_path_factory.mktemp("corpus") / "s.db"
    with SqliteStore(path) as store:
        report = build(store, [shared / "corpus"], jobs=os.cpu_count() or 1, whole_graph=whole_graph_answers)
    assert report.failures == []
    return path


@pytest.fixture()
def store_path(tmp_path) -> Path:
    """A store built from the bundled sample documents, fresh for each test (tests may write to it)."""
    from legalkg.cli import SAMPLES
    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore

    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    return path
