"""The server backends answer as the embedded store does: sync the store to a real FalkorDB (started here, on a free
loopback port) and ask the same named questions through both."""

from __future__ import annotations

from datetime import date

import pytest

from graph.cypher import CypherStore, FalkorConnection
from graph.ingest import build
from graph.store import SqliteStore
from graph.sync import sync
from queries.core import agency_workload, depends_on, impact, stale
from queries.identify import identify
from servers import falkordb_server

AS_OF = date(2024, 6, 30)


@pytest.fixture(scope="module")
def server():
    with falkordb_server() as uri:
        yield uri


@pytest.fixture(scope="module")
def seeds(shared, server, tmp_path_factory):
    path = tmp_path_factory.mktemp("cypher") / "seeds.db"
    with SqliteStore(path) as store:
        build(store, [shared / "corpus" / "seeds"])
    store = SqliteStore(path)
    connection = FalkorConnection(server, graph="seeds")
    connection.clear()
    report = sync(store, connection)
    yield store, CypherStore(connection), report
    connection.close()
    store.close()


def answers(store, docs, agencies) -> list:
    out = [stale(store).json()]
    for doc in docs:
        for transitive in (False, True):
            out.append(depends_on(store, doc, transitive).json())
            out.append(depends_on(store, doc, transitive, limit=3).json())
        out.append(impact(store, doc).json())
        out.append(impact(store, doc, limit=10).json())
    out += [agency_workload(store, [a], AS_OF).json() for a in agencies]
    return out


def test_a_sync_writes_the_whole_store(seeds):
    store, remote, report = seeds
    stats = store.stats()
    assert report.nodes_written == sum(stats["nodes"].values()) and report.edges_written == stats["edges"]
    assert remote.connection.run("MATCH ()-[e]->() RETURN count(e)")[0][0] == stats["edges"]


def test_the_named_questions_answer_alike_on_the_seeds(seeds):
    store, remote, _ = seeds
    docs = [n for n in store.nodes_of_kind("Document") if not n.stub] + [identify(store, "61/2018/NĐ-CP")]
    agencies = list(store.nodes_of_kind("Agency"))[::5]
    assert len(docs) >= 5 and agencies
    assert answers(remote, docs, agencies) == answers(store, docs, agencies)


def test_identifiers_resolve_alike(seeds):
    store, remote, _ = seeds
    for typed in ("ND 107/2021", "61/2018/NĐ-CP", "Nghị định 107/2021", "https://legalkg.example/eli/vn/nd/2021/107"):
        assert identify(remote, typed) == identify(store, typed)


def test_a_second_sync_changes_nothing(seeds):
    store, remote, _ = seeds
    before = remote.connection.run("MATCH (n) RETURN count(n)")[0][0], remote.connection.run("MATCH ()-[e]->() RETURN count(e)")[0][0]
    again = sync(store, remote.connection)
    assert not again.changed and again.edges_written == 0
    after = remote.connection.run("MATCH (n) RETURN count(n)")[0][0], remote.connection.run("MATCH ()-[e]->() RETURN count(e)")[0][0]
    assert after == before


def edge_count(connection) -> int:
    return connection.run("MATCH ()-[e]->() RETURN count(e)")[0][0]


def test_an_incremental_sync_writes_what_changed_and_converges(server, tmp_path):
    from api.cli import SAMPLES

    folder = tmp_path / "docs"
    folder.mkdir()
    for sample in SAMPLES.iterdir():
        (folder / sample.name).write_bytes(sample.read_bytes())
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [folder])
        connection = FalkorConnection(server, graph="incremental")
        connection.clear()
        first = sync(store, connection)
        plan = next(folder.glob("kh-21*"))
        plan.write_text(plan.read_text(encoding="utf-8").replace("21/KH-UBND", "91/KH-UBND"), encoding="utf-8")
        (folder / "kh-22.md").write_text(plan.read_text(encoding="utf-8").replace("91/KH-UBND", "22/KH-UBND"),
                                         encoding="utf-8")
        build(store, [folder])
        second = sync(store, connection)
        assert second.sources_written == 2 and second.nodes_written < first.nodes_written
        assert second.nodes_removed > 0  # the plan's old number and its tasks went
        assert edge_count(connection) == store.stats()["edges"]
        remote = CypherStore(connection)
        docs = [n for n in store.nodes_of_kind("Document") if not n.stub]
        assert answers(remote, docs, []) == answers(store, docs, [])
        connection.close()


def test_a_sync_cut_off_midway_converges_when_run_again(server, tmp_path):
    from api.cli import SAMPLES

    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [SAMPLES])
        connection = FalkorConnection(server, graph="interrupted")
        connection.clear()

        def crash(progress: str) -> None:
            if "edges" in progress:
                raise KeyboardInterrupt  # the client dies after the edges of its first file

        with pytest.raises(KeyboardInterrupt):
            sync(store, connection, tick=crash, batch=7, files_per_round=1)
        assert 0 < edge_count(connection) < store.stats()["edges"]
        assert len(connection.run("MATCH (s:Source) RETURN s.path")) == 1
        sync(store, connection)
        assert edge_count(connection) == store.stats()["edges"]
        assert not sync(store, connection).changed
        remote = CypherStore(connection)
        docs = [n for n in store.nodes_of_kind("Document") if not n.stub]
        assert answers(remote, docs, []) == answers(store, docs, [])
        connection.close()


def test_a_server_that_is_not_there_is_a_clear_error():
    from graph.cypher import BackendError
    from servers import free_port

    with pytest.raises(BackendError, match="cannot reach FalkorDB"):
        FalkorConnection(f"redis://127.0.0.1:{free_port()}")
    with pytest.raises(BackendError, match="redis://"):
        FalkorConnection("bolt://127.0.0.1:7687")
