"""Provisions and effects in the graph (issue 17): a document's own provisions and their part_of tree, stubs for the
provisions other documents cite or change (replaced when that document is read), effects as nodes with their
edges, provision citations, and all of it through the store, networkx, RDF/SHACL and a Cypher server."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import RDF, Graph, URIRef

from legalkg.extract.models import (Citation, DocRef, Document, Effect, Provision, Span, Task, TaskPart, Words)
from legalkg.graph import ids
from legalkg.graph.build import fragment
from legalkg.graph.ingest import add_documents, build_graph
from legalkg.graph.memory import NetworkxStore
from legalkg.graph.records import EFFECT, EFFECT_RELATIONS, PROVISION
from legalkg.graph.store import SqliteStore

B = ids.DEFAULT_BASE
ND61 = f"{B}eli/vn/nd/2018/61"
ND107 = f"{B}eli/vn/nd/2021/107"
ND20 = f"{B}eli/vn/nd/2015/20"
PLAN = f"{B}eli/vn/quang-ngai/kh/2023/12"

REF61 = DocRef("61/2018/NĐ-CP", "Nghị định", 2018)
REF20 = DocRef("20/2015/NĐ-CP", "Nghị định", 2015)


def prov(path, parent, start, end, heading=""):
    kind, _, label = path[-1].partition(":")
    return Provision(tuple(path), tuple(parent) if parent else None, kind, label, Span(start, end), heading)


def amending() -> Document:
    """ND 107/2021: Chương I holds Điều 1, whose khoản 2 amends khoản 2 Điều 12 of ND 61/2018 (cited with that
    provision); the document as a whole replaces words throughout ND 20/2015."""
    cite61 = Citation(REF61, "amends", "body", Span(100, 120), "Nghị định số 61/2018/NĐ-CP", "rule:amends",
                      provisions=(("dieu:12", "khoan:2"),))
    cite20 = Citation(REF20, "cites", "body", Span(300, 320), "Nghị định số 20/2015/NĐ-CP", "rule:cites")
    return Document(
        "nd-107.txt", DocRef("107/2021/NĐ-CP", "Nghị định", 2021, date="2021-12-06"), "Chính phủ", None, None,
        "2022-02-20", "utf-8", citations=(cite61, cite20),
        provisions=(prov(["chuong:i"], None, 50, 900, "Chương I. SỬA ĐỔI"),
                    prov(["dieu:1"], ["chuong:i"], 60, 600, "Điều 1. Sửa đổi Nghị định 61"),
                    prov(["dieu:1", "khoan:2"], ["dieu:1"], 90, 400),
                    prov(["dieu:1", "khoan:2", "diem:đ"], ["dieu:1", "khoan:2"], 200, 250),
                    prov(["dieu:1", "khoan:2", "diem:d"], ["dieu:1", "khoan:2"], 150, 200)),
        effects=(Effect("amend", "61/2018/NĐ-CP", ("dieu:12", "khoan:2"), None, ("dieu:1", "khoan:2"), None,
                        Span(90, 400), "2. Sửa đổi khoản 2 Điều 12 như sau: …"),
                 Effect("replace_words", "20/2015/NĐ-CP", (), None, (), Words("một cửa", "một cửa liên thông"),
                        Span(300, 380), "Thay cụm từ “một cửa” bằng “một cửa liên thông”.")))


def plan() -> Document:
    task = Task("1", None, None, "Rà soát khoản 2 Điều 12 Nghị định 61/2018/NĐ-CP", (TaskPart(None, (), (), None),),
                ("61/2018/NĐ-CP",), Span(500, 560), "items",
                cited_provisions=(("61/2018/NĐ-CP", ("dieu:12", "khoan:2")),))
    return Document("kh-12.txt", DocRef("12/KH-UBND", "Kế hoạch", 2023, "Quảng Ngãi", "2023-01-05"), None, None, None,
                    None, "utf-8", citations=(Citation(REF61, "cites", "body", Span(200, 220), "Nghị định 61", "r"),),
                    tasks=(task,))


def decree61(with_khoan_2: bool = True) -> Document:
    """ND 61/2018's own text: Chương II holds Điều 12 (and khoản 2, unless left out)."""
    provisions = [prov(["chuong:ii"], None, 40, 900, "Chương II"), prov(["dieu:12"], ["chuong:ii"], 50, 800, "Điều 12. Tiếp nhận"),
                  prov(["dieu:12", "khoan:1"], ["dieu:12"], 70, 300)]
    if with_khoan_2:
        provisions.append(prov(["dieu:12", "khoan:2"], ["dieu:12"], 300, 800))
    return Document("nd-61.txt", DocRef("61/2018/NĐ-CP", "Nghị định", 2018, date="2018-04-23"), "Chính phủ", None, None,
                    None, "utf-8", provisions=tuple(provisions))


def parts_of(store, iri: str) -> list[str]:
    return [e.dst for e in store.edges_from([iri], ["part_of"])]


def chain(store, iri: str) -> list[str]:
    out = [iri]
    while (up := parts_of(store, out[-1])):
        assert len(set(up)) == 1, f"{out[-1]} is part of {up}"
        out.append(up[0])
    return out


def facts(store: SqliteStore) -> tuple:
    nodes = {(n.iri, n.kind, n.label, n.stub, repr(sorted(n.props.items()))) for n in store.all_nodes()}
    edges = Counter((e.src, e.rel, e.dst, e.source, e.start, e.end, e.rule) for e in store.all_edges())
    return nodes, edges


# --- IRIs and labels -------------------------------------------------------------------------------------------------
def test_provision_iris_are_eli_like_stable_and_unique():
    assert ids.provision_iri(ND61, ("dieu:12", "khoan:2")) == f"{ND61}/dieu_12/khoan_2"
    assert ids.provision_iri(ND61, ("chuong:IV", "muc:2")) == f"{ND61}/chuong_iv/muc_2"
    assert ids.provision_iri(ND61, ("phu_luc:",)) == f"{ND61}/phu_luc"
    assert ids.provision_iri(ND61, ("phu_luc:i", "mau:02")) == f"{ND61}/phu_luc_i/mau_02"
    assert ids.provision_iri(ND61, ("dieu:5a", "khoan:1", "diem:a", "tiet:a.1")) == f"{ND61}/dieu_5a/khoan_1/diem_a/tiet_a.1"
    assert ids.provision_iri(ND61, ()) == ND61
    d, dd = (ids.provision_iri(ND61, ("dieu:1", "khoan:1", f"diem:{x}")) for x in ("d", "đ"))
    assert d.endswith("/diem_d") and dd.endswith("/diem_dd") and d != dd
    assert not ids.IRI_FORBIDDEN.search(ids.provision_iri(ND61, ("dieu:1 2", "khoan:\"x\"")))
    assert ids.provision_label(("dieu:12", "khoan:2", "diem:đ")) == "điểm đ khoản 2 Điều 12"
    assert ids.provision_label(("chuong:iv", "muc:2")) == "Mục 2 Chương IV"
    assert ids.provision_label(("phu_luc:i", "mau:02")) == "Mẫu số 02 Phụ lục I"
    assert ids.provision_label(("phu_luc:",)) == "Phụ lục"


# --- the fragment ----------------------------------------------------------------------------------------------------
def test_the_fragment_has_provisions_effects_and_their_edges():
    frag = fragment(amending(), "x")
    nodes = {n.iri: n for n in frag.nodes}
    khoan = nodes[f"{ND107}/dieu_1/khoan_2"]
    assert (khoan.kind, khoan.stub, khoan.label) == (PROVISION, False, "khoản 2 Điều 1 · 107/2021/NĐ-CP")
    assert khoan.props == {"document": ND107, "path": ["dieu:1", "khoan:2"], "kind": "khoan", "label": "2",
                           "heading": "", "start": 90, "end": 400}
    target = nodes[f"{ND61}/dieu_12/khoan_2"]
    assert target.stub and target.props == {"document": ND61, "path": ["dieu:12", "khoan:2"], "kind": "khoan", "label": "2"}
    effect = nodes[f"{ND107}/effect_1"]
    assert effect.kind == EFFECT and effect.label == "sửa đổi khoản 2 Điều 12 · 61/2018/NĐ-CP"
    assert effect.props == {"op": "amend", "text": "2. Sửa đổi khoản 2 Điều 12 như sau: …", "target_document": "61/2018/NĐ-CP",
                            "target": ["dieu:12", "khoan:2"], "source": ["dieu:1", "khoan:2"], "effective": "2022-02-20",
                            "document": ND107, "start": 90, "end": 400}
    whole = nodes[f"{ND107}/effect_2"]
    assert whole.props["words_from"] == "một cửa" and whole.props["words_to"] == "một cửa liên thông"
    assert whole.label == "thay thế cụm từ tại · 20/2015/NĐ-CP"
    edges = {(e.src, e.rel, e.dst): e for e in frag.edges}
    for rel, dst in (("affects", f"{ND61}/dieu_12/khoan_2"), ("stated_in", f"{ND107}/dieu_1/khoan_2"), ("on_document", ND61)):
        e = edges[(f"{ND107}/effect_1", rel, dst)]
        assert (e.start, e.end, e.rule) == (90, 400, "effect:amend")
    assert (f"{ND107}/dieu_1/khoan_2", "effect_amend", f"{ND61}/dieu_12/khoan_2") in edges
    assert {(f"{ND107}/effect_2", "affects", ND20), (f"{ND107}/effect_2", "stated_in", ND107),
            (f"{ND107}/effect_2", "on_document", ND20), (ND107, "effect_replace_words", ND20)} <= set(edges)
    e = edges[(ND107, "cites_provision", f"{ND61}/dieu_12/khoan_2")]
    assert (e.start, e.end, e.rule) == (100, 120, "rule:amends")
    assert edges[(ND107, "amends", ND61)]  # the document-level edges are as they were
    part_of = {(e.src, e.dst): e for e in frag.edges if e.rel == "part_of"}
    assert (f"{ND107}/chuong_i", ND107) in part_of and (f"{ND107}/dieu_1", f"{ND107}/chuong_i") in part_of
    assert part_of[(f"{ND107}/dieu_1/khoan_2", f"{ND107}/dieu_1")].rule == "structure:khoan"
    assert (f"{ND61}/dieu_12/khoan_2", f"{ND61}/dieu_12") in part_of and (f"{ND61}/dieu_12", ND61) in part_of
    assert Counter(s for s, _ in part_of)[f"{ND61}/dieu_12/khoan_2"] == 1  # a stub's chain once per fragment


# --- the store and networkx ------------------------------------------------------------------------------------------
def test_store_and_networkx_hold_provisions_and_effects():
    store = SqliteStore(":memory:")
    add_documents(store, [amending(), plan()])
    assert chain(store, f"{ND107}/dieu_1/khoan_2/diem_dd") == [f"{ND107}/dieu_1/khoan_2/diem_dd", f"{ND107}/dieu_1/khoan_2",
                                                               f"{ND107}/dieu_1", f"{ND107}/chuong_i", ND107]
    assert chain(store, f"{ND61}/dieu_12/khoan_2") == [f"{ND61}/dieu_12/khoan_2", f"{ND61}/dieu_12", ND61]
    assert [e.src for e in store.edges_to([ND61], ["on_document"])] == [f"{ND107}/effect_1"]
    assert [e.src for e in store.edges_to([ND20], ["on_document"])] == [f"{ND107}/effect_2"]
    task = ids.task_iri(PLAN, 1)
    assert [e.dst for e in store.edges_from([task], ["depends_on_provision"])] == [f"{ND61}/dieu_12/khoan_2"]
    assert {e.src for e in store.edges_to([f"{ND61}/dieu_12/khoan_2"])} == {
        f"{ND107}/effect_1", f"{ND107}/dieu_1/khoan_2", ND107, task}
    rows = store.nodes([f"{ND107}/effect_1", f"{ND61}/dieu_12/khoan_2", f"{ND107}/dieu_1"])
    assert rows[f"{ND107}/effect_1"].props["op"] == "amend" and rows[f"{ND61}/dieu_12/khoan_2"].stub
    assert not rows[f"{ND107}/dieu_1"].stub and rows[f"{ND107}/dieu_1"].props["heading"] == "Điều 1. Sửa đổi Nghị định 61"
    assert store.counts()[PROVISION] == 5 + 2 and store.counts()[EFFECT] == 2

    memory = NetworkxStore.of(store)
    for rel in ("part_of", "affects", "on_document", "effect_amend"):
        assert memory.edges_with([rel]) == store.edges_with([rel])
    assert memory.edges_to([ND61], ["on_document"]) == store.edges_to([ND61], ["on_document"])
    graph = build_graph([amending(), plan()])
    node = graph.nodes[f"{ND107}/dieu_1/khoan_2"]
    assert node["kind"] == PROVISION and node["prop_kind"] == "khoan" and node["prop_label"] == "2"
    assert graph.has_edge(f"{ND107}/dieu_1/khoan_2", f"{ND61}/dieu_12/khoan_2", key="effect_amend")
    assert graph.nodes[f"{ND107}/effect_2"]["op"] == "replace_words"


def test_a_stub_provision_becomes_its_documents_own_when_the_document_is_read_in_any_order():
    later = SqliteStore(":memory:")
    add_documents(later, [amending(), plan()])
    add_documents(later, [decree61()])
    first = SqliteStore(":memory:")
    add_documents(first, [decree61()])
    add_documents(first, [amending(), plan()])
    for store in (later, first):
        khoan = store.node(f"{ND61}/dieu_12/khoan_2")
        assert not khoan.stub and khoan.props["start"] == 300
        assert store.node(f"{ND61}/dieu_12").props["heading"] == "Điều 12. Tiếp nhận"
        # its part_of is the one its text gives (Điều 12 is in Chương II), once
        assert chain(store, f"{ND61}/dieu_12/khoan_2") == [f"{ND61}/dieu_12/khoan_2", f"{ND61}/dieu_12", f"{ND61}/chuong_ii", ND61]
        assert [e.source for e in store.edges_from([f"{ND61}/dieu_12"], ["part_of"])] == ["nd-61.txt"]
        assert [e.src for e in store.edges_to([f"{ND61}/dieu_12/khoan_2"], ["affects"])] == [f"{ND107}/effect_1"]
    assert facts(later) == facts(first)


def test_a_changed_document_releases_its_provisions_to_stubs_that_stay_walkable():
    store = SqliteStore(":memory:")
    add_documents(store, [amending(), decree61()])
    changed = decree61(with_khoan_2=False)
    add_documents(store, [changed])  # the same source, other contents: replaces
    khoan = store.node(f"{ND61}/dieu_12/khoan_2")
    assert khoan.stub and "heading" not in khoan.props and "start" not in khoan.props
    assert chain(store, f"{ND61}/dieu_12/khoan_2") == [f"{ND61}/dieu_12/khoan_2", f"{ND61}/dieu_12", f"{ND61}/chuong_ii", ND61]
    assert store.node(f"{ND61}/dieu_12/khoan_1") is not None
    # rebuilt from scratch, the same graph (but for which file is credited with the stub's part_of)
    scratch = SqliteStore(":memory:")
    add_documents(scratch, [amending(), changed])
    strip = lambda fs: ({n for n in fs[0]}, Counter(e[:3] for e in fs[1].elements()))  # noqa: E731
    assert strip(facts(store)) == strip(facts(scratch))


def test_forgetting_a_document_removes_provisions_nobody_names():
    store = SqliteStore(":memory:")
    add_documents(store, [decree61()])
    assert store.node(f"{ND61}/dieu_12/khoan_1") is not None
    store.db.execute("BEGIN")
    store._batch_generation, store._law_titles = store.generation() + 1, set()
    store._forget(store.db.execute("SELECT id FROM sources").fetchone()[0])
    store.db.execute("COMMIT")
    assert store.counts().get(PROVISION, 0) == 0


def test_effect_relations_are_one_per_op():
    assert EFFECT_RELATIONS == ("effect_amend", "effect_insert", "effect_repeal", "effect_replace_words",
                                "effect_replace", "effect_suspend")


# --- RDF and SHACL ---------------------------------------------------------------------------------------------------
@pytest.fixture()
def full_store():
    store = SqliteStore(":memory:")
    add_documents(store, [amending(), plan()])
    add_documents(store, [decree61()])
    return store


def test_rdf_export_parses_and_conforms_with_eli_is_part_of(full_store):
    from legalkg.ontology import rdf
    from legalkg.ontology.rdf import ELI, LKG
    from legalkg.ontology.validate import validate

    graph = Graph().parse(data="".join(rdf.write(full_store, "ttl")), format="turtle")
    assert validate(graph) == []
    khoan = URIRef(f"{ND61}/dieu_12/khoan_2")
    assert (khoan, RDF.type, LKG.Provision) in graph and (khoan, RDF.type, ELI.LegalResourceSubdivision) in graph
    assert (khoan, ELI.is_part_of, URIRef(f"{ND61}/dieu_12")) in graph
    assert (URIRef(f"{ND61}/chuong_ii"), ELI.is_part_of, URIRef(ND61)) in graph
    assert (URIRef(ids.task_iri(PLAN, 1)), LKG.partOf, URIRef(PLAN)) in graph  # a task's part_of as before
    assert not list(graph.triples((None, LKG.partOf, khoan)))
    effect = URIRef(f"{ND107}/effect_1")
    assert (effect, RDF.type, LKG.Effect) in graph
    assert (effect, LKG.affects, khoan) in graph and (effect, LKG.onDocument, URIRef(ND61)) in graph
    assert (URIRef(f"{ND107}/dieu_1/khoan_2"), LKG.amendsProvision, khoan) in graph
    assert (URIRef(ND107), LKG.replacesWords, URIRef(ND20)) in graph
    # a broken provision and effect are reported
    graph.remove((khoan, ELI.is_part_of, None))
    graph.remove((effect, LKG.op, None))
    found = {(v.focus, v.path) for v in validate(graph)}
    assert (str(khoan), str(ELI.is_part_of)) in found and (str(effect), str(LKG.op)) in found


def test_sparql_finds_what_changed_a_provision(full_store):
    from legalkg.ontology import rdf
    from legalkg.ontology.rdf import ELI, LKG

    graph = Graph().parse(data="".join(rdf.write(full_store, "nt")), format="nt")
    rows = graph.query("SELECT ?effect ?op ?from WHERE { ?effect lkg:affects ?p ; lkg:op ?op ; lkg:effective ?from . "
                       "?p eli:is_part_of+ ?doc }", initNs={"lkg": LKG, "eli": ELI},
                       initBindings={"doc": URIRef(ND61)})
    assert {(str(r.effect), str(r.op), str(r[2])) for r in rows} == {(f"{ND107}/effect_1", "amend", "2022-02-20")}


# --- a Cypher server (FalkorDB) --------------------------------------------------------------------------------------
def test_provisions_and_effects_sync_to_a_cypher_server_and_follow_the_stub_merge():
    from legalkg.graph.cypher import KINDS, TYPES, CypherStore, FalkorConnection
    from legalkg.graph.sync import sync
    from servers import falkordb_server

    assert {PROVISION, EFFECT} <= set(KINDS)
    assert {"PART_OF", "AFFECTS", "STATED_IN", "ON_DOCUMENT", "CITES_PROVISION", "DEPENDS_ON_PROVISION",
            "EFFECT_AMEND", "EFFECT_REPLACE_WORDS"} <= set(TYPES.values())
    store = SqliteStore(":memory:")
    add_documents(store, [amending(), plan()])
    with falkordb_server() as uri:
        connection = FalkorConnection(uri, graph="provisions")
        connection.clear()
        remote = CypherStore(connection)

        def same() -> None:
            rows = connection.run("MATCH (a)-[e]->(b) RETURN a.iri, type(e), b.iri, e.source, e.span_start, "
                                  "e.span_end, e.rule")
            assert sorted(tuple(r) for r in rows) == sorted(
                (e.src, TYPES[e.rel], e.dst, e.source, e.start, e.end, e.rule) for e in store.all_edges())
            iris = [n.iri for n in store.all_nodes()]
            assert remote.nodes(iris) == store.nodes(iris)
            for iri, rels in ((ND61, ["on_document"]), (f"{ND61}/dieu_12/khoan_2", None), (f"{ND61}/dieu_12", ["part_of"])):
                assert remote.edges_to([iri], rels) == store.edges_to([iri], rels)
            assert remote.edges_from([f"{ND107}/effect_1"]) == store.edges_from([f"{ND107}/effect_1"])

        sync(store, connection)
        same()
        assert connection.run("MATCH (n:Provision) RETURN count(n)")[0][0] == store.counts()[PROVISION]
        assert connection.run("MATCH (n:Effect) RETURN count(n)")[0][0] == 2
        add_documents(store, [decree61()])  # the stubs become ND 61's own; the amending file's part_of edges go
        report = sync(store, connection)
        assert report.since is not None and "nd-107.txt" in {p for p in store.changes_since(report.since)[1]}
        same()
        assert remote.node(f"{ND61}/dieu_12/khoan_2").stub is False
        assert [e.source for e in remote.edges_from([f"{ND61}/dieu_12"], ["part_of"])] == ["nd-61.txt"]
        connection.close()
