"""The SPARQL versions of the named questions (queries/*.rq over Oxigraph) give the same answers as the store's
queries (queries/core.py), on the seeds and on a 10,000-document synthetic corpus."""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path

import pytest

from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import agency_workload, depends_on, impact, stale
from legalkg.queries.sparql import NAMES, QUERY_DIR, RdfView, query_text, with_values

AS_OF = date(2024, 6, 30)


def store_and_view(path: Path, sources: list[Path]) -> tuple[SqliteStore, RdfView]:
    with SqliteStore(path) as store:
        build(store, sources, jobs=os.cpu_count() or 1)
    store = SqliteStore(path)
    return store, RdfView.of(store, provenance=False)


@pytest.fixture(scope="module")
def seeds(shared, tmp_path_factory):
    store, view = store_and_view(tmp_path_factory.mktemp("sparql") / "seeds.db", [shared / "corpus" / "seeds"])
    yield store, view
    store.close()


@pytest.fixture(scope="module")
def synthetic(synthetic_store):
    store = SqliteStore(synthetic_store)
    yield store, RdfView.of(store, provenance=False)
    store.close()


def documents(store: SqliteStore, sample: int | None = None) -> list:
    docs = [n for n in store.nodes_of_kind("Document")]
    cited = {e.dst for e in store.edges_with(["depends_on", "amends", "guides"])}
    docs = [n for n in docs if n.iri in cited or not n.stub]
    return random.Random(5).sample(docs, sample) if sample and len(docs) > sample else docs


def agencies(store: SqliteStore, sample: int | None = None) -> list:
    found = list(store.nodes_of_kind("Agency"))
    return random.Random(5).sample(found, sample) if sample and len(found) > sample else found


def check_depends_on(store, view, docs) -> None:
    for doc in docs:
        for transitive, name in ((False, "depends_on"), (True, "depends_on_transitive")):
            expected = {r.id for r in depends_on(store, doc, transitive, limit=None).results}
            assert {row["task"] for row in view.named(name, doc=doc.iri)} == expected, (doc.label, transitive)


def check_impact(store, view, docs) -> None:
    for doc in docs:
        expected = {(r.id, r.distance) for r in impact(store, doc, depth=3, limit=None).results}
        assert {(row["node"], row["distance"]) for row in view.named("impact", doc=doc.iri)} == expected, doc.label


def check_stale(store, view) -> None:
    expected = {(r.id, r.path[0].dst, r.path[1].src) for r in stale(store).results}
    assert {(row["citing"], row["cited"], row["changer"]) for row in view.named("stale")} == expected


def check_workload(store, view, found) -> None:
    for agency in found:
        expected = {r.id: (set(r.extra["role"]), r.extra["group"]) for r in agency_workload(store, [agency], AS_OF).results}
        rows = view.named("agency_workload", agency=agency.iri, asOf=AS_OF)
        answered: dict[str, tuple[set, str]] = {}
        for row in rows:
            answered.setdefault(row["task"], (set(), row["group"]))[0].add(row["role"])
        assert answered == expected, agency.label


def test_the_queries_are_files_one_per_question():
    assert {p.stem for p in QUERY_DIR.glob("*.rq")} == set(NAMES)
    assert all(query_text(name).lstrip().startswith("#") for name in NAMES)  # each says what it answers


def test_seeds_depends_on_direct_and_transitive(seeds):
    store, view = seeds
    docs = documents(store)
    assert len(docs) > 50
    check_depends_on(store, view, docs)
    transitive = {row["task"] for row in view.named("depends_on_transitive", doc="https://legalkg.example/eli/vn/nd/2021/107")}
    assert len(transitive) == 11  # the gold-derived figure of tests/test_queries.py


def test_seeds_impact(seeds):
    check_impact(*seeds, documents(seeds[0]))


def test_seeds_stale_and_agency_workload(seeds):
    store, view = seeds
    check_stale(store, view)
    assert view.named("stale")
    found = agencies(store)
    assert len(found) > 20
    check_workload(store, view, found)


def test_synthetic_10k_gives_the_same_answers(synthetic):
    store, view = synthetic
    assert len(view) > 500_000
    docs = documents(store, sample=60)
    check_depends_on(store, view, docs)
    check_impact(store, view, docs[:20])
    check_stale(store, view)
    check_workload(store, view, agencies(store, sample=30))


def test_bound_values_never_become_query_syntax(seeds):
    _, view = seeds
    with pytest.raises(ValueError, match="Invalid IRI"):
        view.named("depends_on", doc="https://x.example/a> } } DELETE WHERE { ?s ?p ?o } #")
    sneaky = 'x" } } SELECT * WHERE { ?s ?p ?o } #'
    assert f'"{sneaky}"' not in with_values(query_text("depends_on"), {"doc": sneaky})  # escaped as a literal
    assert view.named("depends_on", doc=sneaky) == []
