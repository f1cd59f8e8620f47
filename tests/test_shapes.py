"""SHACL: the export of the seeds conforms to ontology/shapes.ttl; a broken graph does not, and the report names
what is wrong."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from legalkg.cli import SAMPLES
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from legalkg.ontology import rdf
from legalkg.ontology.rdf import ELI, LKG
from legalkg.ontology.validate import validate


@pytest.fixture(scope="module")
def seeds_graph(shared, tmp_path_factory) -> Graph:
    path = tmp_path_factory.mktemp("shapes") / "seeds.db"
    with SqliteStore(path) as store:
        build(store, [shared / "corpus" / "seeds"])
        return Graph().parse(data="".join(rdf.write(store, "nt")), format="nt")


@pytest.fixture()
def samples_graph(tmp_path) -> Graph:
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [SAMPLES])
        return Graph().parse(data="".join(rdf.write(store, "nt")), format="nt")


def test_the_seeds_export_conforms(seeds_graph):
    assert len(seeds_graph) > 10_000
    assert validate(seeds_graph) == []


def test_the_samples_export_conforms(samples_graph):
    assert validate(samples_graph) == []


def test_a_broken_graph_is_reported_focus_by_focus(samples_graph):
    g = samples_graph
    task = next(g.subjects(RDF.type, LKG.Task))
    g.remove((task, LKG.partOf, None))  # a task of no document
    decree = next(g.subjects(RDF.type, LKG.Decree))
    g.add((decree, ELI.date_document, Literal("2031-02-30")))  # a second date, and not a date at all
    provenance = next(g.subjects(RDF.type, LKG.Provenance))
    g.set((provenance, LKG.start, Literal(10**6)))  # a span that starts after it ends
    plan = next(g.subjects(RDF.type, LKG.Plan))
    g.add((plan, LKG.amends, URIRef("https://legalkg.example/agency/vn/nowhere")))  # amends something untyped
    agency = next(g.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    g.add((agency, LKG.place, Literal("Quảng Ngãi", datatype=XSD.string)))  # a place that is a string

    found = {(v.focus, v.path) for v in validate(g)}
    assert (str(task), str(LKG.partOf)) in found
    assert (str(decree), str(ELI.date_document)) in found
    assert (str(provenance), str(LKG.start)) in found
    assert (str(plan), str(LKG.amends)) in found
    assert (str(agency), str(LKG.place)) in found
    assert len({focus for focus, _ in found}) == 5  # and nothing else
