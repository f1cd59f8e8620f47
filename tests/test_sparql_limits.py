"""The SPARQL runner's limits (issue 13): no federated query or update runs, the query process dies with the server
and bounds its own memory and time, answers are bounded in bytes, and queries past the queue are turned away while
the waiting ones hold no thread."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from legalkg.api.sparql import SparqlError, SparqlRunner

ROOT = Path(__file__).resolve().parents[1]
TRIPLES = 3_000
ASK = "ASK { ?s ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 8e13 rows, little memory
CROSS_ORDERED = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # 9e6 rows sorted: many GB
NOWHERE = "http://127.0.0.1:9/sparql"  # the discard port: nothing listens, should a query get through
REFUSED = ("Federated query refused", "Update refused")

REFUSED_QUERIES = {
    "service": f"SELECT * WHERE {{ ?s ?p ?o . service <{NOWHERE}> {{ ?s ?p ?o }} }}",
    "mixed case": f"SELECT * WHERE {{ SeRvIcE SILENT <{NOWHERE}> {{ ?s ?p ?o }} }}",
    "glued": f"SELECT * WHERE {{SERVICE<{NOWHERE}>{{?s ?p ?o}}}}",
    "glued to SILENT": f"SELECT * WHERE {{ SERVICESILENT <{NOWHERE}> {{ ?s ?p ?o }} }}",  # Oxigraph runs it
    "after a variable": f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{NOWHERE}> {{ ?s ?p ?o }} }}",
    "as a prefix": f"PREFIX : <{NOWHERE}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "before a comment": f"SELECT * WHERE {{ SERVICE#\n<{NOWHERE}> {{ ?s ?p ?o }} }}",
    "escaped": r"SELECT * WHERE { \u0053ERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    "in EXISTS": f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{NOWHERE}> {{ ?a ?b ?c }} }} }}",
    "file": "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    "load": "LOAD <https://x.example/data.nt>",
    "insert data": "INSERT DATA { <https://x.example/a> <https://x.example/b> <https://x.example/c> }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "drop": "DROP ALL",
}

# A query that mentions a keyword where it is no keyword, and one that turns the same text into one.
HARMLESS_AND_NOT = {
    "literal": ('SELECT * WHERE { ?s ?p "SERVICE <file:///etc/passwd> { }" }',
                'SELECT * WHERE { ?s ?p "" SERVICE <file:///etc/passwd> { } }'),
    "long literal": ('SELECT * WHERE { ?s ?p """LOAD <x> ;\nINSERT DATA { }""" }',
                     'SELECT * WHERE { ?s ?p """""" LOAD <x> ;\nINSERT DATA { }"""""" }'),
    "IRI": ("SELECT * WHERE { ?s <https://x.example/service> ?o }",
            "SELECT * WHERE { ?s <https://x.example/> SERVICE ?o }"),
    "comment": (f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{NOWHERE}> {{ }}",
                f"SELECT * WHERE {{ ?s ?p ?o \n SERVICE <{NOWHERE}> {{ }} }}"),
    "variable": ("SELECT ?service WHERE { ?service ?p ?o }", "SELECT ?s WHERE { SERVICE ?service { ?s ?p ?o } }"),
    "prefixed name": ("PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s a schema:Service }",
                      "PREFIX service: <http://schema.org/> SELECT * WHERE { ?s a service:Service }"),
    # `<` inside parentheses is an IRI or less-than: both readings are checked.
    "less-than": ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?s && ?s>?o) }",
                  f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'x&&?b>') SERVICE <{NOWHERE}> {{ ?a ?b ?c }} "
                  "FILTER(?o != 'z') }"),
    "IRI with a fragment": ("SELECT * WHERE { VALUES (?s ?t) { (<https://x.example/a> <https://x.example/ns#T>) } }",
                            f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?b)#>')\nSERVICE <{NOWHERE}> {{ ?a ?b ?c }}\n"
                            "# '\n}"),
}


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sparql-limits") / "view"
    store = ox.Store(str(path))
    lines = "".join(f'<https://x.example/s{i}> <https://x.example/p> "value {i}" .\n' for i in range(TRIPLES))
    store.bulk_load(lines.encode(), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def runner():
    runner = SparqlRunner(timeout_s=10)
    yield runner
    runner.close()


@contextlib.contextmanager
def listener():
    """A TCP server on 127.0.0.1, in a thread; yields its port and what it received, one item a connection."""
    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = server.accept()
                with connection:
                    received.append(connection.recv(4096))

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1], received
    finally:
        with contextlib.suppress(OSError):
            server.shutdown(socket.SHUT_RDWR)
        server.close()


def refusal(runner: SparqlRunner, view: Path, query: str) -> SparqlError:
    with pytest.raises(SparqlError) as refused:
        runner.run(view, query)
    return refused.value


def test_a_service_call_to_a_local_listener_is_refused_and_never_made(runner, view):
    with listener() as (port, received):
        refused = refusal(runner, view, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
        time.sleep(0.3)
    assert (refused.status, refused.title) == (400, "Federated query refused") and "SERVICE" in refused.detail
    assert received == []


@pytest.mark.parametrize("query", REFUSED_QUERIES.values(), ids=REFUSED_QUERIES.keys())
def test_federation_and_updates_are_refused_before_they_run(runner, view, query):
    refused = refusal(runner, view, query)
    assert refused.status == 400 and refused.title in REFUSED, refused.detail
    assert "read-only" in refused.detail or "SERVICE" in refused.detail


@pytest.mark.parametrize("harmless,dangerous", HARMLESS_AND_NOT.values(), ids=HARMLESS_AND_NOT.keys())
def test_a_keyword_counts_only_where_it_is_one(runner, view, harmless, dangerous):
    assert runner.run(view, harmless).media_type == "application/sparql-results+json"
    assert refusal(runner, view, dangerous).title in REFUSED


PARENT = """
import multiprocessing, sys, threading, time
from legalkg.api.sparql import SparqlRunner

runner = SparqlRunner(timeout_s=float(sys.argv[3]))
threading.Thread(target=runner.run, args=(sys.argv[1], sys.argv[2]), daemon=True).start()
while not multiprocessing.active_children():
    time.sleep(0.05)
print(multiprocessing.active_children()[0].pid, flush=True)
time.sleep(600)
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gone(pid: int) -> bool:
    """Ended: no such process, or a zombie nobody has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return gone(pid)


@pytest.mark.parametrize("stop,timeout_s", [(signal.SIGKILL, 600), (signal.SIGSTOP, 3)], ids=["killed", "frozen"])
def test_the_query_process_ends_when_its_server_is_killed_or_frozen(view, stop, timeout_s):
    """Killed: it dies with its parent. Frozen (so the parent's timer cannot act): it stops itself at its limits."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(view), ENDLESS, str(timeout_s)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        while cpu_seconds(child) < 0.5:  # the query is running
            time.sleep(0.05)
        parent.send_signal(stop)
        assert gone_within(child, 8)
    finally:
        parent.kill()
        parent.wait()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


def test_the_query_process_caps_its_memory_and_a_query_past_it_ends_cleanly(view):
    memory = 2**30  # a query process takes about half of it before it answers anything
    runner = SparqlRunner(timeout_s=30, memory_limit=memory)
    try:
        first = runner.start()
        assert runner.run(view, ASK).body == b'{"head": {}, "boolean": true}'
        limits = Path(f"/proc/{first}/limits").read_text().splitlines()
        assert next(line for line in limits if "address space" in line).split()[3:5] == [str(memory)] * 2
        assert next(line for line in limits if "cpu time" in line).split()[3] != "unlimited"
        started = time.monotonic()
        failed = refusal(runner, view, CROSS_ORDERED)
        assert (failed.status, failed.title) == (503, "Query too large") and "memory" in failed.detail
        assert time.monotonic() - started < 20
        assert runner.run(view, ASK).body == b'{"head": {}, "boolean": true}'
        assert runner.child_pid not in (None, first)
    finally:
        runner.close()


def test_answers_stop_at_the_byte_limit_even_for_one_huge_literal(view):
    limit = 4096
    runner = SparqlRunner(byte_limit=limit)
    try:
        rows = runner.run(view, "SELECT * WHERE { ?s ?p ?o }")
        assert rows.truncated and len(rows.body) <= limit and json.loads(rows.body)["results"]["bindings"]
        huge = runner.run(view, "SELECT (GROUP_CONCAT(?o) AS ?all) WHERE { ?s ?p ?o }")  # one literal of 30 kB
        assert huge.truncated and len(huge.body) <= limit and json.loads(huge.body)["results"]["bindings"] == []
        triples = runner.run(view, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert triples.truncated and len(triples.body) <= limit and triples.body.endswith(b" .\n")
        small = runner.run(view, "SELECT ?o WHERE { <https://x.example/s7> ?p ?o }")
        assert not small.truncated and json.loads(small.body)["results"]["bindings"][0]["o"]["value"] == "value 7"
    finally:
        runner.close()


def test_queries_past_the_queue_are_turned_away_and_waiting_ones_hold_no_thread(view):
    runner = SparqlRunner(timeout_s=2, queue=1)

    async def scenario():
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))
        beats: list[float] = []

        async def heartbeat() -> None:
            while True:
                beats.append(time.monotonic())
                await asyncio.sleep(0.01)

        beating = asyncio.create_task(heartbeat())
        slow = asyncio.create_task(runner.answer(lambda: view, ENDLESS))
        waiting = asyncio.create_task(runner.answer(lambda: view, ASK))
        await asyncio.sleep(0.5)
        with pytest.raises(SparqlError) as busy:
            await runner.answer(lambda: view, ASK)
        other_route = await asyncio.wait_for(asyncio.to_thread(lambda: "answered"), 1)  # the loop's one thread
        answers = await asyncio.gather(slow, waiting, return_exceptions=True)
        beating.cancel()
        return busy.value, other_route, answers, beats

    try:
        busy, other_route, (slow, waiting), beats = asyncio.run(scenario())
    finally:
        runner.close()
    assert (busy.status, busy.title) == (503, "Busy") and busy.retry_after == 2
    assert other_route == "answered"
    assert isinstance(slow, SparqlError) and slow.title == "Query timed out"
    assert waiting.body == b'{"head": {}, "boolean": true}'
    assert max(b - a for a, b in zip(beats, beats[1:])) < 0.25
