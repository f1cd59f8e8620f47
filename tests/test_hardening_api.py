"""The API under hostile or careless use (issue 13): bodies bounded as they arrive, refused bytes not kept, one source
per content, one computation per answer, whole-graph answers saved by the writer, Unicode-aware search, media types.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from legalkg.api.app import BODY_LIMITS, create_app
from legalkg.cli import SAMPLES
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from legalkg.queries import core

PLAN = SAMPLES / "kh-21-2023-binh-dinh.md"


@pytest.fixture()
def client(store_path):
    with TestClient(create_app(store_path)) as c:
        yield c


def _uploads(store_path) -> list:
    return sorted(p.name for p in store_path.parent.joinpath(f"{store_path.name}.uploads").iterdir())


def _edges(store_path) -> int:
    with SqliteStore(store_path) as store:
        return store.db.execute("SELECT count(*) FROM edges").fetchone()[0]


# --- bodies bounded as their bytes arrive (row 6) --------------------------------------------------------------
async def _send_chunked(app, path: str, content_type: bytes, chunks: int, chunk: bytes) -> tuple[int, int]:
    """Drive the ASGI app with a body of `chunks` pieces and no Content-Length (as Transfer-Encoding: chunked
    arrives); returns the status and how many pieces the app asked for."""
    asked = 0
    status = None

    async def receive():
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": chunk, "more_body": asked < chunks}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"t"), (b"content-type", content_type), (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 1), "server": ("t", 80)}
    await app(scope, receive, send)
    return status, asked


@pytest.mark.parametrize(("path", "content_type", "prefix"), [
    ("/v1/documents", b"multipart/form-data; boundary=B",
     b'--B\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\n'),
    ("/v1/sparql", b"application/sparql-query", b"SELECT * WHERE { ?s ?p ?o } #"),
])
def test_a_chunked_body_is_cut_off_at_the_routes_limit(store_path, path, content_type, prefix):
    piece = 64 * 1024
    limit = next(size for method, route, size in BODY_LIMITS if route == path)
    pieces = 300 * 1024 * 1024 // piece  # 300 MB offered
    app = create_app(store_path)
    status, asked = asyncio.run(_send_chunked(app, path, content_type, pieces, prefix + b"x" * (piece - len(prefix))))
    assert status == 413
    assert asked <= limit // piece + 2, f"read {asked} pieces of {piece} bytes past a limit of {limit:,}"
    assert _uploads(store_path) == []


def test_a_declared_length_over_the_limit_is_refused_before_reading(client):
    answer = client.post("/v1/status", content=b"x" * 100_000)
    assert answer.status_code == 413 and answer.json()["limit"] == 64 * 1024


# --- refused bytes are not kept (row 8) --------------------------------------------------------------------------
def test_refused_uploads_leave_nothing_behind(client, store_path):
    for i in range(3):
        binary = bytes(range(256)) * 4000 + bytes([i])
        answer = client.post("/v1/documents", files={"file": (f"b{i}.txt", binary, "application/octet-stream")})
        assert answer.status_code == 422
    assert _uploads(store_path) == []


# --- the same bytes are the same source, whatever their name (row 11) -------------------------------------------
def test_the_same_bytes_under_another_name_are_the_same_source(client, store_path):
    text = PLAN.read_text(encoding="utf-8").replace("21/KH-UBND", "23/KH-UBND")
    first = client.post("/v1/documents", data={"text": text, "name": "seed.txt"})
    edges = _edges(store_path)
    second = client.post("/v1/documents", data={"text": text, "name": "other.txt"})
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["held_as"].endswith("seed.txt") and second.json()["id"] == first.json()["id"]
    assert _edges(store_path) == edges and len(_uploads(store_path)) == 1
    bundled = client.post("/v1/documents", files={"file": ("copy.md", PLAN.read_bytes(), "text/markdown")})
    assert bundled.status_code == 200 and bundled.json()["held_as"] == f"samples/{PLAN.name}" and _edges(store_path) == edges


def test_a_build_counts_a_copy_under_another_path_as_a_duplicate(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_bytes(PLAN.read_bytes())
    (folder / "b.md").write_bytes(PLAN.read_bytes())
    with SqliteStore(tmp_path / "d.db") as store:
        report = build(store, [folder])
        assert (report.added, report.duplicate) == (1, 1)
        # a.md changes; b.md now holds a.md's old bytes alone, and is ingested in the same build
        (folder / "a.md").write_text(PLAN.read_text(encoding="utf-8").replace("21/KH-UBND", "24/KH-UBND"), encoding="utf-8")
        again = build(store, [folder])
        assert (again.replaced, again.added, again.duplicate) == (1, 1, 0)
        assert {d.label for d in store.documents(limit=500) if not d.stub} >= {"21/KH-UBND", "24/KH-UBND"}


# --- one computation per answer; whole-graph answers saved by the writer (row 10) ------------------------------
def test_concurrent_misses_for_one_answer_compute_it_once(store_path, monkeypatch):
    calls = 0
    real = core.impact

    def slow_impact(*args, **kwargs):
        nonlocal calls
        calls += 1
        threading.Event().wait(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "impact", slow_impact)

    async def burst():
        transport = httpx.ASGITransport(app=create_app(store_path))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await asyncio.gather(*(http.get("/v1/documents/61/2018/NĐ-CP/impact") for _ in range(8)))

    answers = asyncio.run(burst())
    assert calls == 1
    assert {a.status_code for a in answers} == {200} and len({a.content for a in answers}) == 1


def test_after_an_upload_the_stale_list_is_read_not_recomputed(client, monkeypatch):
    text = PLAN.read_text(encoding="utf-8").replace("21/KH-UBND", "25/KH-UBND")
    assert client.post("/v1/documents", data={"text": text, "name": "kh-25.md"}).status_code == 201

    def recomputed(*args, **kwargs):
        raise AssertionError("the stale list was computed by a reader")

    monkeypatch.setattr(core, "stale", recomputed)
    stale = client.get("/v1/stale", params={"limit": 3}).json()
    assert stale["query"]["limit"] == 3 and len(stale["results"]) <= 3
    everything = client.get("/v1/stale", params={"limit": 5000}).json()
    assert any(r["document"] == "25/KH-UBND" for r in everything["results"])
    assert everything["query"]["total"] == len(everything["results"])


# --- search, media types (row 12) --------------------------------------------------------------------------------
def test_search_folds_case_beyond_ascii_and_normalises(client):
    def found(q: str) -> list[str]:
        return [d["id"] for d in client.get("/v1/documents", params={"q": q, "limit": 500}).json()["items"]]

    lower = found("số hóa hồ sơ")
    assert lower and found("SỐ HÓA HỒ SƠ") == lower
    import unicodedata
    assert found(unicodedata.normalize("NFD", "Số Hóa Hồ Sơ")) == lower


def test_upload_of_json_is_an_unsupported_media_type(client):
    answer = client.post("/v1/documents", json={"text": "Kế hoạch số 1/KH-UBND"})
    assert answer.status_code == 415 and "multipart/form-data" in answer.json()["detail"]



def test_a_saved_stale_list_is_the_computed_one_page_by_page(store_path):
    with SqliteStore(store_path) as store:
        computed = core.stale(store, None).json()
        assert computed["results"], "the samples hold a decree and its amendment: something is stale"
        store.save_answers(core.whole_graph_answers)
        for limit in (1, 2, len(computed["results"]) + 5):
            saved = core.stale_json(store, limit)
            assert saved["results"] == computed["results"][:limit]
            assert saved["query"] == {**computed["query"], "limit": limit}


# --- a SPARQL flood does not stall the other routes (row 3) -----------------------------------------------------
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_sparql_flood_leaves_the_other_routes_answering(store_path):
    app = create_app(store_path, sparql_timeout_s=1.0)

    async def flood():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as http:
            queries = [asyncio.create_task(http.get("/v1/sparql", params={"query": SLOW_QUERY})) for _ in range(60)]
            await asyncio.sleep(0.5)  # every query has arrived: the running one, the queue, the refused
            waits = []
            for _ in range(4):
                t0 = asyncio.get_running_loop().time()
                probe = await asyncio.wait_for(http.get("/v1/status"), timeout=5)
                waits.append(asyncio.get_running_loop().time() - t0)
                assert probe.status_code == 200
            done, pending = await asyncio.wait(queries, timeout=5)
            for task in pending:
                task.cancel()
            return waits, [task.result() for task in done]

    try:
        waits, answered = asyncio.run(flood())
    finally:
        app.state.sparql.close()
    assert max(waits) < 1.0, f"/v1/status waited {max(waits):.2f} s behind SPARQL queries"
    busy = [a for a in answered if a.status_code == 503 and a.json()["title"] == "Busy"]
    assert busy and all(int(a.headers["retry-after"]) >= 1 for a in busy)


def test_legalkg_build_saves_the_whole_graph_answers(tmp_path):
    from click.testing import CliRunner

    from legalkg.cli import main

    store = tmp_path / "b.db"
    result = CliRunner().invoke(main, ["build", "--sample", "--store", str(store), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    with SqliteStore(store) as opened:
        rows = opened.saved_answer("stale", 1000)
        assert rows is not None and len(rows) - 1 == len(core.stale(opened, None).results)


# --- query processes end with the server (row 4) -----------------------------------------------------------------
def _children(pid: int) -> list[int]:
    from pathlib import Path

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _sparql_children(server_pid: int) -> dict[int, int]:
    """query process → its worker, under a running `legalkg serve`."""
    from pathlib import Path

    out = {}
    for worker in _children(server_pid):
        for child in _children(worker):
            try:
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    out[child] = worker
            except OSError:
                pass
    return out


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait(condition, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_query_processes_end_with_their_worker_and_with_the_server(store_path):
    import os
    import signal
    import subprocess
    import sys

    from servers import ROOT, free_port, wait_until_up

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "legalkg", "serve", "--store", str(store_path), "--workers", "2",
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def slow_query() -> None:
        def ask() -> None:
            try:
                httpx.get(f"{base}/v1/sparql", params={"query": SLOW_QUERY}, timeout=30)
            except httpx.TransportError:
                pass  # the test kills the worker answering it

        threading.Thread(target=ask, daemon=True).start()

    try:
        wait_until_up(server, lambda: httpx.get(f"{base}/v1/status", timeout=2).status_code == 200,
                      (httpx.TransportError,), 60, "the server")
        slow_query()
        assert _wait(lambda: _sparql_children(server.pid), 30), "no query process started"
        child, worker = next(iter(_sparql_children(server.pid).items()))
        os.kill(worker, signal.SIGKILL)
        assert _wait(lambda: not _alive(child), 10), "the query process outlived its worker"
        slow_query()
        assert _wait(lambda: _sparql_children(server.pid), 30), "no query process started after the restart"
        children = list(_sparql_children(server.pid))
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert _wait(lambda: not any(map(_alive, children)), 10), "query processes outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


# --- uploads extracted in a process of their own (row 10) ---------------------------------------------------------
INGEST_AND_WAIT = """
import asyncio, os, sys, time
from pathlib import Path
from legalkg.api.uploads import Ingester
ingester = Ingester(sys.argv[1], Path(sys.argv[2]))
answer = asyncio.run(ingester.ingest(Path(sys.argv[3]).read_bytes(), "plan.md"))
print(os.getpid(), *ingester._pool._processes, answer["tasks"], flush=True)
time.sleep(60)
"""


def test_an_upload_is_extracted_in_a_process_that_dies_with_its_server(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    store = tmp_path / "s.db"
    SqliteStore(store).close()
    folder = tmp_path / "uploads"
    folder.mkdir()
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen([sys.executable, "-c", INGEST_AND_WAIT, str(store), str(folder), str(PLAN)],
                              stdout=subprocess.PIPE, text=True, cwd=root,
                              env={**os.environ, "PYTHONPATH": str(root)})
    try:
        parent, child, tasks = map(int, server.stdout.readline().split())
        assert child != parent and int(tasks) > 0 and _alive(child)
        os.kill(parent, signal.SIGKILL)
        assert _wait(lambda: not _alive(child), 10), "the upload process outlived its server process"
    finally:
        server.kill()
        server.wait()


def test_a_killed_upload_process_fails_one_upload_and_the_next_starts_another(store_path, tmp_path):
    import os
    import signal

    from legalkg.api.uploads import Ingester, UploadRefused

    ingester = Ingester(store_path, tmp_path)
    try:
        async def run():
            first = await ingester.ingest(PLAN.read_bytes() + b"\n<!-- one -->\n", "one.md")
            (child,) = ingester._pool._processes
            os.kill(child, signal.SIGKILL)
            with pytest.raises(UploadRefused) as refused:
                await ingester.ingest(PLAN.read_bytes() + b"\n<!-- two -->\n", "two.md")
            third = await ingester.ingest(PLAN.read_bytes() + b"\n<!-- three -->\n", "three.md")
            return first, refused.value, third

        first, refused, third = asyncio.run(run())
    finally:
        ingester.close()
    assert refused.status == 503
    assert first["tasks"] > 0 and third["tasks"] > 0
