"""The SPARQL endpoint: GET and POST, SPARQL JSON results, read-only, with a time limit and a row limit; answers
follow uploads."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from legalkg.api.app import PROBLEM, create_app
from legalkg.cli import SAMPLES
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import depends_on
from legalkg.queries.identify import identify

PREFIX = "PREFIX lkg: <https://legalkg.example/ontology#>\n"
DEPENDENT = PREFIX + "SELECT DISTINCT ?task WHERE { ?task lkg:dependsOn <https://legalkg.example/eli/vn/nd/2021/107> }"
RESULTS = "application/sparql-results+json"


@pytest.fixture()
def client(store_path):
    with TestClient(create_app(store_path, sparql_timeout_s=3, sparql_rows=25)) as c:
        yield c


def tasks_of(response) -> set[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(RESULTS)
    return {b["task"]["value"] for b in response.json()["results"]["bindings"]}


def test_get_and_both_posts_answer_alike_and_as_the_store_does(client, store_path):
    by_get = tasks_of(client.get("/v1/sparql", params={"query": DEPENDENT}))
    by_form = tasks_of(client.post("/v1/sparql", data={"query": DEPENDENT}))
    by_body = tasks_of(client.post("/v1/sparql", content=DEPENDENT.encode(),
                                   headers={"content-type": "application/sparql-query"}))
    with SqliteStore(store_path) as store:
        expected = {r.id for r in depends_on(store, identify(store, "ND 107/2021"), limit=None).results}
    assert expected and by_get == by_form == by_body == expected


def test_ask_construct_and_typed_bindings(client):
    ask = client.get("/v1/sparql", params={"query": PREFIX + "ASK { ?d a lkg:Decree }"})
    assert ask.json() == {"head": {}, "boolean": True}
    rows = client.get("/v1/sparql", params={"query": PREFIX + "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
                      "SELECT ?date ?title WHERE { <https://legalkg.example/eli/vn/nd/2021/107> eli:date_document ?date ; "
                      "eli:title ?title }"}).json()["results"]["bindings"]
    assert rows[0]["date"]["datatype"].endswith("#date") and rows[0]["title"]["xml:lang"] == "vi"
    graph = client.get("/v1/sparql", params={"query": PREFIX + "CONSTRUCT { ?t lkg:dependsOn ?d } WHERE { ?t lkg:dependsOn ?d }"})
    assert graph.headers["content-type"].startswith("application/n-triples") and graph.text.count(" .\n") > 3


def test_updates_are_refused_and_nothing_changes(client):
    before = client.get("/v1/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    for update in ("INSERT DATA { <https://x.example/a> <https://x.example/b> <https://x.example/c> }",
                   "DELETE WHERE { ?s ?p ?o }", "DROP ALL", "CLEAR DEFAULT"):
        response = client.post("/v1/sparql", content=update.encode(), headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400 and response.headers["content-type"] == PROBLEM, update
        assert "read-only" in response.json()["detail"]
    assert client.get("/v1/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json() == before


def test_rows_past_the_limit_are_cut_and_said_to_be(client):
    response = client.get("/v1/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 25 and response.headers["x-legalkg-truncated"] == "true"
    small = client.get("/v1/sparql", params={"query": PREFIX + "SELECT ?d WHERE { ?d a lkg:Decree }"})
    assert "x-legalkg-truncated" not in small.headers


def test_a_query_past_the_time_limit_is_stopped_and_the_next_one_runs(client):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = client.get("/v1/sparql", params={"query": heavy})
    assert response.status_code == 503 and "time" in response.json()["title"].lower()
    assert time.monotonic() - started < 10
    assert tasks_of(client.get("/v1/sparql", params={"query": DEPENDENT}))


@pytest.mark.parametrize("request_args,status", [
    ({"params": {"query": "SELEKT nothing"}}, 400),
    ({"params": {}}, 422),
])
def test_bad_queries_are_problems(client, request_args, status):
    response = client.get("/v1/sparql", **request_args)
    assert response.status_code == status and response.headers["content-type"] == PROBLEM


def test_a_query_too_long_is_a_413(client):
    response = client.post("/v1/sparql", content=b"#" * 100_001, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM


def test_a_post_of_another_media_type_is_a_415(client):
    response = client.post("/v1/sparql", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 415 and response.headers["content-type"] == PROBLEM


def test_answers_follow_uploads(client):
    before = tasks_of(client.get("/v1/sparql", params={"query": DEPENDENT}))
    text = (SAMPLES / "kh-21-2023-binh-dinh.md").read_text(encoding="utf-8").replace("21/KH-UBND", "77/KH-UBND")
    assert client.post("/v1/documents", data={"text": text, "name": "kh-77.md"}).status_code == 201
    after = tasks_of(client.get("/v1/sparql", params={"query": DEPENDENT}))
    assert before < after and any("/77/" in t for t in after - before)


def test_a_real_server_answers_rdflibs_sparql_client(store_path):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from servers import serving

    with serving("--store", str(store_path), "--workers", "2") as base:
        remote = Graph(SPARQLStore(query_endpoint=f"{base}/v1/sparql", returnFormat="json", method="GET"))
        rows = {str(r.task) for r in remote.query(DEPENDENT)}
        again = {str(r.task) for r in Graph(SPARQLStore(query_endpoint=f"{base}/v1/sparql", returnFormat="json",
                                                         method="POST_FORM")).query(DEPENDENT)}
    with SqliteStore(store_path) as store:
        expected = {r.id for r in depends_on(store, identify(store, "ND 107/2021"), limit=None).results}
    assert rows == again == expected
