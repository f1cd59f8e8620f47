"""The base IRI is a setting of a store: recorded when the store is created, read by every reader from there, never
changed afterwards (IRIs never drift)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from legalkg.cli import SAMPLES
from legalkg.extract.pipeline import extract_text
from legalkg.graph import ids
from legalkg.graph.build import fragment
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore, StoreError, open_store
from legalkg.ontology import rdf
from legalkg.queries.core import depends_on, impact
from legalkg.queries.identify import agencies_named, identify
from legalkg.queries.sparql import RdfView

OURS = "https://data.example.gov.vn/lkg/"
DECREE = """CHÍNH PHỦ
Số: 9/2020/NĐ-CP
Hà Nội, ngày 2 tháng 3 năm 2020

NGHỊ ĐỊNH
Quy định thử
"""


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "ours.db"
    with SqliteStore(path, base_iri=OURS) as store:
        build(store, [SAMPLES])
    return path


def data_iris(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple
            if isinstance(t, URIRef) and not str(t).startswith(rdf.VOCABULARIES)}


@pytest.mark.parametrize("bad", ["legalkg.example/", "ftp://x.org/", "https://x.org/no-slash", "https://x.org/a b/",
                                 "https://x.org/?q=1/", "https:///path/", "urn:x:y/"])
def test_a_base_that_cannot_start_iris_is_refused(bad):
    with pytest.raises(ids.BaseIRIError):
        ids.check_base(bad)


@pytest.mark.parametrize("good", [OURS, "http://localhost:8000/", "https://example.org/vi/luật/"])
def test_a_base_that_can_start_iris_is_taken(good):
    assert ids.check_base(good) == good


def test_a_new_store_records_its_base_and_every_iri_starts_with_it(ours):
    with open_store(ours) as store:
        assert store.base_iri == OURS
        nodes = list(store.all_nodes())
        assert nodes and all(n.iri.startswith(OURS) for n in nodes)
        assert all(e.src.startswith(OURS) and e.dst.startswith(OURS) for e in store.all_edges())
        kinds = {n.kind for n in nodes}
        assert {"Document", "Agency", "Task", "Person"} <= kinds


def test_a_store_made_without_a_base_has_the_default(tmp_path):
    with SqliteStore(tmp_path / "d.db") as store:
        assert store.base_iri == ids.DEFAULT_BASE
    with SqliteStore(tmp_path / "d.db", base_iri=ids.DEFAULT_BASE) as store:  # the same base: fine
        assert store.base_iri == ids.DEFAULT_BASE


def test_another_base_for_an_existing_store_is_a_clear_error(ours, tmp_path):
    with pytest.raises(StoreError, match="IRIs start with https://data.example.gov.vn/lkg/.*drift"):
        SqliteStore(ours, base_iri=ids.DEFAULT_BASE)
    with SqliteStore(tmp_path / "d.db") as store:
        build(store, [SAMPLES / "nd-61-2018-mot-cua.txt"])
    with pytest.raises(StoreError, match="cannot take the base IRI"):
        SqliteStore(tmp_path / "d.db", base_iri=OURS)


def test_a_fragment_minted_under_another_base_is_refused_not_merged(tmp_path):
    with SqliteStore(tmp_path / "s.db", base_iri=OURS) as store:
        foreign = fragment(extract_text(DECREE, "decree.txt"), "sha")  # minted under the default base
        with pytest.raises(StoreError, match="another base"):
            store.add_fragments([foreign])
        assert list(store.all_nodes()) == []


def test_the_queries_read_the_store_base(ours):
    with open_store(ours) as store:
        decree = identify(store, "ND 107/2021")
        assert decree.iri == f"{OURS}eli/vn/nd/2021/107"
        assert identify(store, decree.iri).iri == decree.iri
        assert depends_on(store, decree, transitive=True).results
        reached = impact(store, decree).results
        assert reached and all(r.id.startswith(OURS) for r in reached)
        assert identify(store, "Luật Tổ chức Chính phủ").iri == f"{OURS}eli/vn/luat/to-chuc-chinh-phu/2015"  # by title
        agency = agencies_named(store, "Văn phòng UBND tỉnh")[0]
        local = agency.iri.removeprefix(OURS)
        assert local.startswith("agency/") and agencies_named(store, local) == [agency]


def test_the_rdf_export_and_sparql_view_carry_the_base_and_our_vocabulary(ours):
    with open_store(ours) as store:
        for fmt, parser in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")):
            graph = Graph().parse(data="".join(rdf.write(store, fmt)), format=parser)
            minted = data_iris(graph)
            assert minted and all(i.startswith(OURS) for i in minted), fmt
            assert any("/place/" in i for i in minted) and any("/provenance/" in i for i in minted)
        view = RdfView.of(store)
        rows = view.named("depends_on", doc=f"{OURS}eli/vn/nd/2021/107")
        assert rows and all(str(r["task"]).strip("<>").startswith(OURS) for r in rows)


def test_the_default_base_is_unchanged_for_stores_made_before_it_was_a_setting(tmp_path):
    with SqliteStore(tmp_path / "old.db") as store:
        build(store, [SAMPLES / "nd-61-2018-mot-cua.txt"])
        store.db.execute("DELETE FROM meta WHERE key = 'base_iri'")  # as a format-6 store was written
    with open_store(tmp_path / "old.db") as store:
        assert store.base_iri == ids.DEFAULT_BASE
        assert identify(store, "61/2018/NĐ-CP").iri == f"{ids.DEFAULT_BASE}eli/vn/nd/2018/61"


def test_the_api_answers_pages_and_sparql_under_the_store_base(ours):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app

    with TestClient(create_app(ours, cache_entries=0)) as client:
        decree = client.get("/v1/documents/eli/vn/nd/2021/107").json()
        assert decree["id"] == f"{OURS}eli/vn/nd/2021/107"
        tasks = client.get("/v1/documents/ND 107/2021/dependent-tasks", params={"transitive": "true"}).json()
        assert tasks["results"] and all(r["id"].startswith(OURS) for r in tasks["results"])
        page = client.get("/viz/documents/eli/vn/nd/2021/107").text
        assert '"/documents/eli/vn/nd/2021/107"' in page and "/documents/https" not in page
        annotated = client.get("/documents/eli/vn/nd/2021/107/annotated")
        assert annotated.status_code == 200 and 'href="/documents/eli/vn/nd/2018/61"' in annotated.text
        organizations = "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> }"
        rows = client.get("/v1/sparql", params={"query": organizations},
                          headers={"accept": "application/sparql-results+json"}).json()["results"]["bindings"]
        assert rows and all(r["s"]["value"].startswith(OURS) for r in rows)


def test_answers_name_sources_by_what_was_built_never_by_where_the_server_keeps_them(ours):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app

    with TestClient(create_app(ours, cache_entries=0)) as client:
        decree = client.get("/v1/documents/eli/vn/nd/2021/107").json()
        assert decree["source"] == "samples/nd-107-2021-sua-doi.txt"
        sources = {e["source"] for e in (*decree["outgoing"], *decree["incoming"])}
        impact = client.get("/v1/documents/ND 107/2021/impact").json()
        sources |= {step["source"] for r in impact["results"] for step in r["path"]}
        assert sources and all(s.startswith("samples/") for s in sources), sources


def test_a_synced_server_answers_under_the_base_of_the_store_it_was_synced_from(ours):
    from servers import falkordb_server

    from legalkg.graph.cypher import CypherStore, connect
    from legalkg.graph.sync import sync

    with falkordb_server() as uri, open_store(ours) as store:
        connection = connect("falkordb", uri, graph="base-iri")
        sync(store, connection)
        remote = CypherStore(connection)
        assert remote.base_iri == OURS
        decree = identify(remote, f"{OURS}eli/vn/nd/2021/107")
        assert decree.iri == f"{OURS}eli/vn/nd/2021/107"
        agency = agencies_named(store, "Văn phòng UBND tỉnh")[0]
        assert agencies_named(remote, agency.iri.removeprefix(OURS)) == [agency]
        connection.close()


def test_the_command_line_records_the_base_and_refuses_another(tmp_path):
    from click.testing import CliRunner

    from legalkg.cli import main

    runner, store = CliRunner(), str(tmp_path / "s.db")
    made = runner.invoke(main, ["build", str(SAMPLES / "nd-61-2018-mot-cua.txt"), "--store", store,
                                "--base-iri", OURS])
    assert made.exit_code == 0, made.output
    answer = runner.invoke(main, ["query", "depends-on", "61/2018/NĐ-CP", "--store", store, "--format", "json"])
    assert OURS in answer.output and ids.DEFAULT_BASE not in answer.output
    local = runner.invoke(main, ["query", "depends-on", "eli/vn/nd/2018/61", "--store", store, "--format", "json"])
    assert local.exit_code == 0 and local.output == answer.output  # an IRI without the base names the document too
    law = runner.invoke(main, ["query", "impact", "Luật Tổ chức Chính phủ", "--store", store, "--format", "json"])
    assert law.exit_code == 0 and f"{OURS}eli/vn/luat/to-chuc-chinh-phu/2015" in law.output, law.output
    again = runner.invoke(main, ["build", str(SAMPLES), "--store", store], env={"LEGALKG_BASE_IRI": "https://x.org/"})
    assert again.exit_code != 0 and "cannot take the base IRI https://x.org/" in again.output
    assert runner.invoke(main, ["build", str(SAMPLES), "--store", store]).exit_code == 0  # no base asked: the store's
    bad = runner.invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "n.db"), "--base-iri", "x.org"])
    assert bad.exit_code != 0 and "not an absolute http(s) IRI" in bad.output
    page = tmp_path / "p.html"
    assert runner.invoke(main, ["viz", "ND 107/2021", "-o", str(page), "--store", store]).exit_code == 0
    assert '"/documents/eli/vn/nd/2021/107"' in page.read_text(encoding="utf-8")
