"""The ontology and the RDF export: the vocabulary covers every type and relation and is aligned to ELI/ORG/PROV;
exports parse back (rdflib) to exactly the triples written, in every format; answers and provenance are reachable
with SPARQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from legalkg.api.app import create_app
from legalkg.cli import EXPORT_FORMATS, SAMPLES, main
from legalkg.api.export import MEDIA_TYPES
from legalkg.extract.vocab import vocab
from legalkg.graph.records import DOCUMENT_RELATIONS, PROVISION_RELATIONS
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from legalkg.ontology import rdf
from legalkg.ontology.rdf import ELI, LKG, ONTOLOGY, ORG, PROV, SKOS
from legalkg.queries.core import depends_on
from legalkg.queries.identify import identify

PARSERS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}
GRAPH_RELATIONS = (*DOCUMENT_RELATIONS, "issued_by", "signed_by", "part_of", "assigned_to", "coordinates", "depends_on",
                   *PROVISION_RELATIONS)
STANDARDS = (str(ELI), str(ORG), str(PROV), "http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.fixture(scope="module")
def seeds(shared, tmp_path_factory):
    path = tmp_path_factory.mktemp("rdf") / "seeds.db"
    with SqliteStore(path) as store:
        build(store, [shared / "corpus" / "seeds"])
    with SqliteStore(path) as store:
        yield store


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    path = tmp_path_factory.mktemp("rdf") / "samples.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    return path


def parsed(store: SqliteStore, fmt: str) -> Graph:
    return Graph().parse(data="".join(rdf.write(store, fmt)), format=PARSERS[fmt])


# --- the vocabulary ----------------------------------------------------------------------------------------------
def test_every_document_type_has_a_class_under_eli_legal_resource_with_both_labels(ontology):
    classes = {str(o): s for s, o in ontology.subject_objects(LKG.documentType)}
    assert set(classes) == {t.name for t in vocab().doctypes}
    for name, cls in classes.items():
        assert (cls, RDFS.subClassOf, LKG.Document) in ontology
        labels = {(o.language, str(o)) for o in ontology.objects(cls, SKOS.prefLabel)}
        assert ("vi", name) in labels and any(lang == "en" for lang, _ in labels)
    assert (LKG.Document, RDFS.subClassOf, ELI.LegalResource) in ontology


def test_every_graph_relation_is_one_property_aligned_to_a_standard_with_an_inverse(ontology):
    mapped = {}
    for prop, name in ontology.subject_objects(LKG.graphRelation):
        assert str(name) not in mapped, f"{name} is mapped twice"
        mapped[str(name)] = prop
    assert set(mapped) == set(GRAPH_RELATIONS)
    for name, prop in mapped.items():
        supers = {str(o) for o in ontology.transitive_objects(prop, RDFS.subPropertyOf)} - {str(prop)}
        assert any(s.startswith(STANDARDS) for s in supers), f"{name}: {prop} is aligned to nothing standard"
        has_inverse = (prop, OWL.inverseOf, None) in ontology or (prop, RDF.type, OWL.SymmetricProperty) in ontology
        assert has_inverse, f"{prop} declares no inverse"
        assert {o.language for o in ontology.objects(prop, SKOS.prefLabel)} == {"vi", "en"}
    assert (mapped["amends"], RDFS.subPropertyOf, ELI.amends) in ontology
    assert (mapped["based_on"], RDFS.subPropertyOf, ELI.based_on) in ontology
    assert (mapped["implements"], RDFS.subPropertyOf, ELI.ensures_implementation_of) in ontology


def test_a_provisions_part_of_is_eli_is_part_of_and_a_tasks_stays_lkg_part_of(seeds, ontology):
    assert rdf.vocabulary().of_provisions == {"part_of": ELI.is_part_of}
    assert (LKG.Provision, RDFS.subClassOf, ELI.LegalResourceSubdivision) in ontology
    facts = {(s, p) for s, p, o in rdf.triples(seeds, provenance=False) if p in (ELI.is_part_of, LKG.partOf)}
    provisions = {n.iri for n in seeds.nodes_of_kind("Provision")}
    tasks = {n.iri for n in seeds.nodes_of_kind("Task")}
    assert provisions and {str(s) for s, p in facts if p == ELI.is_part_of} == provisions  # each provision, once
    assert {str(s) for s, p in facts if p == LKG.partOf} == tasks


def test_effect_relations_are_sub_properties_of_eli_changes(ontology):
    mapped = {str(name): prop for prop, name in ontology.subject_objects(LKG.graphRelation)}
    expected = {"effect_amend": ELI.amends, "effect_insert": ELI.amends, "effect_replace_words": ELI.amends,
                "effect_replace": ELI.amends, "effect_repeal": ELI.repeals, "effect_suspend": ELI.changes}
    for rel, parent in expected.items():
        assert (mapped[rel], RDFS.subPropertyOf, parent) in ontology, rel


def test_the_export_uses_only_terms_the_ontology_declares(seeds, ontology):
    declared = set(ontology.subjects())
    used = {t for s, p, o in rdf.triples(seeds) for t in (p, o) if isinstance(t, URIRef) and t.startswith(str(LKG))}
    assert used and used <= declared, used - declared


def test_readme_mapping_table_matches_the_ontology(ontology):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \|[^|]*\| `lkg:(\w+)`", readme, re.MULTILINE))
    expected = {str(name): str(prop).removeprefix(str(LKG)) for prop, name in ontology.subject_objects(LKG.graphRelation)}
    assert rows == expected


# --- round trips -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_each_format_parses_back_to_exactly_the_triples_written(seeds, fmt):
    written = list(rdf.triples(seeds))
    assert len(written) == len(set(written)) > 10_000  # no triple twice
    graph = parsed(seeds, fmt)
    assert len(graph) == len(written)
    assert set(graph) == set(written)


def test_exports_are_deterministic(samples):
    with SqliteStore(samples) as store:
        assert "".join(rdf.write(store, "ttl")) == "".join(rdf.write(store, "ttl"))


def test_text_that_needs_escaping_survives_every_format(tmp_path):
    title = 'về "thí điểm" <script>alert(1)</script> \\ dòng\tmới'
    plan = (f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\n"
            f"KẾ HOẠCH\n{title}\nCăn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n")
    (tmp_path / "plan.txt").write_text(plan, encoding="utf-8")
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [tmp_path / "plan.txt"])
        titles = {str(o) for s, p, o in rdf.triples(store) if p == ELI["title"]}
        assert any("<script>" in t and '"' in t and "\\" in t for t in titles)
        for fmt in PARSERS:
            assert {str(o) for o in parsed(store, fmt).objects(None, ELI["title"])} == titles


# --- answers and provenance through SPARQL ---------------------------------------------------------------------
def test_sparql_over_the_export_gives_the_tasks_depending_on_107_2021(seeds):
    graph = parsed(seeds, "ttl")
    decree = identify(seeds, "107/2021/NĐ-CP")
    rows = graph.query("SELECT DISTINCT ?task WHERE { ?task lkg:dependsOn ?doc }", initNs={"lkg": LKG},
                       initBindings={"doc": URIRef(decree.iri)})
    expected = {r.id for r in depends_on(seeds, decree, limit=None).results}
    assert len(expected) == 7
    assert {str(r.task) for r in rows} == expected


def test_every_fact_has_provenance_with_its_span_reachable_by_sparql(seeds):
    graph = parsed(seeds, "nt")
    amends = next(e for e in seeds.all_edges() if e.rel == "amends" and e.src.endswith("/nd/2021/107"))
    rows = list(graph.query("""
        SELECT ?file ?start ?end ?doc WHERE {
            ?p a lkg:Provenance ; rdf:subject ?s ; rdf:predicate lkg:amends ; rdf:object ?o ;
               lkg:sourceFile ?file ; lkg:start ?start ; lkg:end ?end ; prov:wasDerivedFrom ?doc }""",
        initNs={"lkg": LKG, "rdf": RDF, "prov": PROV},
        initBindings={"s": URIRef(amends.src), "o": URIRef(amends.dst)}))
    assert (Literal(amends.source), Literal(amends.start), Literal(amends.end)) in {(r.file, r.start, r.end) for r in rows}
    facts = {(s, p, o) for s, p, o in graph.triples((None, None, None))
             if isinstance(o, URIRef) and p in {*rdf.vocabulary().relations.values(),
                                                *rdf.vocabulary().of_provisions.values()}}
    stated = set(graph.query("SELECT ?s ?p ?o WHERE { ?x a lkg:Provenance ; rdf:subject ?s ; rdf:predicate ?p ; "
                             "rdf:object ?o }", initNs={"lkg": LKG, "rdf": RDF}))
    assert facts == {tuple(r) for r in stated}


# --- CLI and API -------------------------------------------------------------------------------------------------
def test_cli_and_api_offer_the_same_formats():
    assert set(EXPORT_FORMATS) == set(MEDIA_TYPES)


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_cli_export_writes_a_file_that_parses(samples, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(main, ["export", "--store", str(samples), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with SqliteStore(samples) as store:
        assert set(Graph().parse(out, format=PARSERS[fmt])) == set(rdf.triples(store))
    assert not list(tmp_path.glob("*.partial"))


def test_cli_export_of_a_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["export", "--store", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no store" in result.output


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_api_export_streams_rdf_with_its_media_type(samples, fmt):
    with TestClient(create_app(samples)) as client:
        response = client.get("/v1/export", params={"format": fmt})
    assert response.status_code == 200 and response.headers["content-type"].startswith(MEDIA_TYPES[fmt])
    with SqliteStore(samples) as store:
        assert len(Graph().parse(data=response.text, format=PARSERS[fmt])) == len(list(rdf.triples(store)))


def test_n_triples_escape_line_breaks_so_strict_parsers_read_them():
    import pyoxigraph as ox

    from legalkg.ontology.rdf import Block, _ntriples

    subject = URIRef("https://legalkg.example/eli/vn/nd/2021/107")
    text = 'dòng một\ndòng "hai"\r\n\\ba'
    written = "".join(_ntriples([Block(subject, ((ELI["title"], Literal(text, lang="vi")), (LKG.text, Literal(text))))]))
    assert written.count("\n") == 2  # a line per triple, the breaks escaped
    assert {str(o) for o in Graph().parse(data=written, format="nt").objects()} == {text}
    assert {q.object.value for q in ox.parse(written.encode(), format=ox.RdfFormat.N_TRIPLES)} == {text}
