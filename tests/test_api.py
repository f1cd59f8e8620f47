"""The HTTP API through FastAPI's TestClient (every route and its errors), and `legalkg serve` started for real."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from legalkg.api.app import PROBLEM, READERS, create_app
from legalkg.cli import SAMPLES
from legalkg.graph.ingest import add_documents, build
from legalkg.graph.store import SqliteStore
from servers import serving


@pytest.fixture()
def client(tmp_path):
    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    with TestClient(create_app(path)) as c:
        yield c


def test_dependent_tasks_accepts_identifiers_as_typed(client):
    for typed in ("ND 107/2021", "107/2021/NĐ-CP", "eli/vn/nd/2021/107"):
        body = client.get(f"/v1/documents/{typed}/dependent-tasks", params={"transitive": "true"}).json()
        assert body["query"]["label"] == "107/2021/NĐ-CP" and body["query"]["total"] == 4
        assert [r["distance"] for r in body["results"]] == [1, 1, 2, 2]
        assert all(r["path"][-1]["relation"] == "amends" for r in body["results"] if r["distance"] == 2)


def test_document_page_has_typed_relations_with_spans_and_tasks(client):
    body = client.get("/v1/documents/21/KH-UBND").json()
    assert body["key"] == "21/KH-UBND" and body["place"] == "Bình Định" and len(body["tasks"]) == 2
    implements = [e for e in body["outgoing"] if e["relation"] == "implements"]
    assert implements and all(e["source"].endswith("kh-21-2023-binh-dinh.md") and e["end"] > e["start"] for e in implements)
    decree = client.get("/v1/documents/107/2021/NĐ-CP").json()
    assert {e["relation"] for e in decree["incoming"]} >= {"implements", "depends_on"}


def test_documents_list_filters_and_cursor_pages(client):
    seen, cursor = [], None
    while True:
        page = client.get("/v1/documents", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    everything = client.get("/v1/documents", params={"limit": 500}).json()["items"]
    assert seen == [d["id"] for d in everything] and len(seen) == len(set(seen)) > 3
    decrees = client.get("/v1/documents", params={"type": "Nghị định"}).json()["items"]
    assert {d["key"] for d in decrees} == {"61/2018/NĐ-CP", "107/2021/NĐ-CP"}
    assert [d["key"] for d in client.get("/v1/documents", params={"q": "số hóa hồ sơ"}).json()["items"]] == ["21/KH-UBND"]


def test_impact_stale_conflicts_agencies_tasks_export(client):
    impact = client.get("/v1/documents/61/2018/NĐ-CP/impact").json()
    assert impact["results"] and impact["results"][0]["distance"] == 1
    stale = client.get("/v1/stale").json()["results"]
    assert any(r["cites"] == "61/2018/NĐ-CP" and r["changed_by"] == "107/2021/NĐ-CP" for r in stale)
    assert set(client.get("/v1/conflicts").json()) == {"query", "conflicts", "unresolved"}
    agencies = client.get("/v1/agencies", params={"place": "Bình Định"}).json()["items"]
    tttt = next(a for a in agencies if a["label"] == "Sở Thông tin và Truyền thông")
    workload = client.get(f"/v1/agencies/{tttt['id']}", params={"as_of": "2024-01-01"}).json()
    assert workload["query"]["counts"]["overdue"] >= 1
    both = client.get("/v1/tasks", params={"agency": "Sở Thông tin và Truyền thông"})  # Bình Định's and Quảng Ngãi's
    assert both.status_code == 409 and {c["place"] for c in both.json()["candidates"]} == {"Bình Định", "Quảng Ngãi"}
    tasks = client.get("/v1/tasks", params={"agency": "Sở Thông tin và Truyền thông", "place": "Bình Định",
                                            "overdue_as_of": "2024-01-01"}).json()
    assert tasks["results"] and all(r["deadline"]["end"] < "2024-01-01" for r in tasks["results"])
    lines = client.get("/v1/export", params={"format": "json"}).text.splitlines()
    assert any('"node"' in line for line in lines) and any('"edge"' in line for line in lines)
    assert client.get("/v1/export", params={"format": "graphml"}).text.rstrip().endswith("</graphml>")


def test_upload_extracts_merges_and_reports(client):
    text = (SAMPLES / "kh-21-2023-binh-dinh.md").read_text(encoding="utf-8").replace("21/KH-UBND", "22/KH-UBND")
    created = client.post("/v1/documents", data={"text": text, "name": "kh-22.md"})
    assert created.status_code == 201 and created.json()["label"] == "22/KH-UBND" and created.json()["added"] == 1
    again = client.post("/v1/documents", data={"text": text, "name": "kh-22.md"})
    assert again.json()["unchanged"] == 1
    assert client.get("/v1/documents/22/KH-UBND").json()["tasks"]


def test_cached_answers_follow_the_store(client):
    first = client.get("/v1/documents/ND 107%2F2021/dependent-tasks")
    again = client.get("/v1/documents/ND 107%2F2021/dependent-tasks")
    assert "x-legalkg-cache" not in first.headers and again.headers["x-legalkg-cache"] == "hit"
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    first = first.json()["query"]["total"]
    text = (SAMPLES / "kh-21-2023-binh-dinh.md").read_text(encoding="utf-8").replace("21/KH-UBND", "77/KH-UBND")
    assert client.post("/v1/documents", data={"text": text, "name": "kh-77.md"}).status_code == 201
    after = client.get("/v1/documents/ND 107%2F2021/dependent-tasks")
    assert "x-legalkg-cache" not in after.headers and after.json()["query"]["total"] == first + 1


def test_the_cache_keeps_only_whole_successful_answers_and_can_be_turned_off(tmp_path):
    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    with TestClient(create_app(path)) as cached, TestClient(create_app(path, cache_entries=0)) as uncached:
        for _ in range(2):
            missing = cached.get("/v1/documents/ND 999%2F2031")
            assert missing.status_code == 404 and "x-legalkg-cache" not in missing.headers
        assert "x-legalkg-cache" not in cached.get("/v1/export").headers  # not a cached route
        for _ in range(2):
            assert "x-legalkg-cache" not in uncached.get("/v1/documents/ND 107%2F2021").headers


def test_concurrent_uploads_lose_nothing(client):
    from concurrent.futures import ThreadPoolExecutor

    text = (SAMPLES / "kh-21-2023-binh-dinh.md").read_text(encoding="utf-8")

    def upload(n: int) -> int:
        body = text.replace("21/KH-UBND", f"{100 + n}/KH-UBND")
        return client.post("/v1/documents", data={"text": body, "name": f"kh-{n}.md"}).status_code

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(upload, range(16))) == [201] * 16
    same_name = [text.replace("21/KH-UBND", f"{200 + n}/KH-UBND") for n in range(2)]
    for body in same_name:  # two different documents both called upload.txt are two documents
        assert client.post("/v1/documents", data={"text": body}).json()["added"] == 1
    keys = {d["key"] for d in client.get("/v1/documents", params={"type": "Kế hoạch", "limit": 500}).json()["items"]}
    assert {f"{100 + n}/KH-UBND" for n in range(16)} | {"200/KH-UBND", "201/KH-UBND"} <= keys


def test_concurrent_reads_share_a_few_warm_connections(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    with TestClient(create_app(path, cache_entries=0)) as client, ThreadPoolExecutor(32) as pool:
        urls = [f"/v1/documents/ND 107%2F2021/{what}" for what in ("impact", "dependent-tasks")] * 64
        assert {r.status_code for r in pool.map(client.get, urls)} == {200}
        # one connection per reading request at a time, and one to check the store's generation
        assert client.app.state.readers.qsize() <= READERS + 1


@pytest.mark.parametrize("request_args,status", [
    (("get", "/v1/documents/999/2099/NĐ-CP"), 404),
    (("get", "/v1/documents/hello/impact"), 404),
    (("get", "/v1/documents", {"params": {"cursor": "%%%"}}), 422),
    (("get", "/v1/documents", {"params": {"limit": 0}}), 422),
    (("get", "/v1/agencies/agency/nowhere/nobody"), 404),
    (("get", "/v1/export", {"params": {"format": "pdf"}}), 422),
    (("post", "/v1/documents", {"data": {"text": "   "}}), 422),
    (("post", "/v1/documents", {"files": {"file": ("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)}}), 422),
])
def test_errors_are_problem_json(client, request_args, status):
    method, url, *kwargs = request_args
    response = getattr(client, method)(url, **(kwargs[0] if kwargs else {}))
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == status and response.json()["detail"]


def test_an_ambiguous_identifier_is_409_with_candidates(tmp_path):
    from legalkg.extract.pipeline import extract_text

    header = "ỦY BAN NHÂN DÂN\nTỈNH {P}\nSố: 9/KH-UBND\n{P}, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
    body = "Căn cứ Quyết định số 05/2022/QĐ-UBND ngày 10/01/2022 của UBND tỉnh;\n"
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, [extract_text(header.replace("{P}", p) + body, f"{p}.txt") for p in ("KON TUM", "ĐIỆN BIÊN")])
    with TestClient(create_app(tmp_path / "s.db")) as c:
        response = c.get("/v1/documents/05/2022/QĐ-UBND/dependent-tasks")
    assert response.status_code == 409
    assert {x["place"] for x in response.json()["candidates"]} == {"Kon Tum", "Điện Biên"}


def test_a_missing_store_is_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.db")) as c:
        response = c.get("/v1/stale")
    assert response.status_code == 503 and "no store there" in response.json()["detail"]


def test_annotated_document_highlights_citations_agencies_and_tasks(client):
    page = client.get("/documents/21/KH-UBND/annotated")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<a class="cite" href="/documents/eli/vn/nd/2018/61"' in text  # the cited document's workbench page
    assert '<a class="cite" href="/documents/eli/vn/binh-dinh/kh/2021/140"' in text  # a stub has a page there too
    assert '<span class="agency" title="Sở Thông tin và Truyền thông">' in text
    assert text.count('class="task"') == 2 and 'id="task-1"' in text
    assert client.get("/documents/140/KH-UBND/annotated").status_code == 404  # known only from citations


def test_openapi_schema_lists_the_routes(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/v1/documents", "/v1/documents/{id}", "/v1/documents/{id}/impact", "/v1/documents/{id}/dependent-tasks",
            "/v1/stale", "/v1/conflicts", "/v1/tasks", "/v1/agencies", "/v1/agencies/{id}", "/v1/export"} <= paths


def test_legalkg_serve_starts_a_real_server_on_the_sample_store():
    with serving("--workers", "1") as base:
        response = httpx.get(f"{base}/v1/documents/ND 107%2F2021/dependent-tasks", params={"transitive": "true"}, timeout=5)
        assert response.status_code == 200, response.text
        assert json.loads(response.text)["query"]["total"] == 4
        assert httpx.get(f"{base}/docs", timeout=5).status_code == 200


def test_legalkg_serve_with_worker_processes(tmp_path):
    store = tmp_path / "s.db"
    with SqliteStore(store) as s:
        build(s, [SAMPLES])
    with serving("--store", str(store), "--workers", "2") as base:
        answers = [httpx.get(f"{base}/v1/documents/107%2F2021%2FN%C4%90-CP", timeout=5) for _ in range(6)]
        # connections opened all at once are spread over both workers (a listening socket each, SO_REUSEPORT)
        clients = [httpx.Client(base_url=base, timeout=10) for _ in range(32)]
        workers = [c.get("/v1/status").json()["worker"] for c in clients]
        for c in clients:
            c.close()
    assert {a.status_code for a in answers} == {200}
    assert len(set(workers)) == 2 and min(workers.count(w) for w in set(workers)) >= 4, workers
    for pid in set(workers):  # stopping the server stopped its workers
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_legalkg_serve_refuses_a_port_already_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "legalkg", "serve", "--workers", "2", "--port", str(port)],
                                capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert result.returncode != 0 and f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_status_reports_the_worker_and_the_store(client):
    body = client.get("/v1/status").json()
    assert body["status"] == "ok" and body["worker"] > 0 and body["store"]["nodes"]["Document"] > 0


def test_concurrent_exports_each_stream_the_whole_graph(client):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda _: client.get("/v1/export", params={"format": "nt"}), range(8)))
    assert {b.status_code for b in bodies} == {200} and len({b.text for b in bodies}) == 1 and bodies[0].text


def test_the_same_upload_to_two_server_processes_is_one_source(tmp_path):
    path = tmp_path / "s.db"
    with SqliteStore(path) as store:
        build(store, [SAMPLES])
    text = (SAMPLES / "kh-21-2023-binh-dinh.md").read_text(encoding="utf-8").replace("21/KH-UBND", "31/KH-UBND")
    with TestClient(create_app(path)) as one, TestClient(create_app(path)) as other:
        assert one.post("/v1/documents", data={"text": text, "name": "kh-31.md"}).json()["added"] == 1
        assert other.post("/v1/documents", data={"text": text, "name": "kh-31.md"}).json()["unchanged"] == 1
    with SqliteStore(path) as store:
        assert sum(1 for p in store.sources() if p.endswith("kh-31.md")) == 1


def test_an_agency_name_borne_in_several_provinces_is_409_with_candidates_and_place_picks_one(tmp_path):
    from legalkg.extract.pipeline import extract_text

    header = "ỦY BAN NHÂN DÂN\nTỈNH {P}\nSố: 9/KH-UBND\n{P}, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
    table = ("| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
             "| 1 | Rà soát thủ tục hành chính | Sở Tư pháp | Năm 2023 |\n")
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, [extract_text(header.replace("{P}", p) + table, f"{p}.md") for p in ("KON TUM", "ĐIỆN BIÊN")])
    with TestClient(create_app(tmp_path / "s.db")) as c:
        ambiguous = [c.get("/v1/agencies/Sở Tư pháp"), c.get("/v1/tasks", params={"agency": "Sở Tư pháp"}),
                     c.get("/viz/agencies/Sở Tư pháp")]
        picked = c.get("/v1/agencies/Sở Tư pháp", params={"place": "tỉnh Kon Tum"})
        elsewhere = c.get("/v1/tasks", params={"agency": "Sở Tư pháp", "place": "Điện Biên"})
        nowhere = c.get("/v1/agencies/Sở Tư pháp", params={"place": "Hà Giang"})
    for response in ambiguous:
        assert response.status_code == 409, response.text
        assert {x["place"] for x in response.json()["candidates"]} == {"Kon Tum", "Điện Biên"}
    assert picked.status_code == 200 and picked.json()["query"]["counts"]
    assert elsewhere.status_code == 200 and len(elsewhere.json()["results"]) == 1
    assert nowhere.status_code == 404 and "Kon Tum" in nowhere.json()["detail"]
