"""The server backends answer as the embedded store does: sync the store to a real FalkorDB (started here, on a free
loopback port) and ask the same named questions through both."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from legalkg.graph.cypher import RELATION_OF, CypherStore, FalkorConnection
from legalkg.graph.ingest import build
from legalkg.graph.memory import NetworkxStore
from legalkg.graph.store import SqliteStore
from legalkg.graph.sync import sync
from legalkg.queries.core import agency_workload, conflicts, depends_on, impact, stale
from legalkg.queries.identify import identify
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
    yield from synced(path, server, "seeds")


def synced(path, server: str, graph: str):
    """The store at path, synced whole to a graph of its own on the server: (store, the server's Store, report)."""
    store = SqliteStore(path)
    connection = FalkorConnection(server, graph=graph)
    connection.clear()
    report = sync(store, connection)
    yield store, CypherStore(connection), report
    connection.close()
    store.close()


def answers(store, docs, agencies) -> list:
    out = [stale(store).json(), conflicts(store)]
    out += [store.unresolved(source) for source in sorted({d.props.get("source") for d in docs} - {None})]
    for doc in docs:
        for transitive in (False, True):
            out.append(depends_on(store, doc, transitive).json())
            out.append(depends_on(store, doc, transitive, limit=3).json())
        out.append(impact(store, doc).json())
        out.append(impact(store, doc, limit=10).json())
    out += [agency_workload(store, [a], AS_OF).json() for a in agencies]
    return out


@pytest.fixture(scope="module")
def synthetic(synthetic_store, server):
    yield from synced(synthetic_store, server, "synthetic")


def test_a_sync_writes_the_whole_store(seeds):
    store, remote, report = seeds
    stats = store.stats()
    assert stats["conflicts"]  # so the server is asked for some (unresolved short forms: the test of re-pointed edges)
    assert report.nodes_written == sum(stats["nodes"].values()) and report.edges_written == stats["edges"]
    assert remote.connection.run("MATCH ()-[e]->() RETURN count(e)")[0][0] == stats["edges"]


def test_the_named_questions_answer_alike_on_the_seeds(seeds):
    store, remote, _ = seeds
    docs = [n for n in store.nodes_of_kind("Document") if not n.stub] + [identify(store, "61/2018/NĐ-CP")]
    agencies = list(store.nodes_of_kind("Agency"))[::5]
    assert len(docs) >= 5 and agencies
    embedded = answers(store, docs, agencies)
    assert answers(remote, docs, agencies) == embedded
    assert answers(NetworkxStore.of(store), docs, agencies) == embedded  # and the graph in memory, in networkx


def test_the_named_questions_answer_alike_on_10k_synthetic_documents(synthetic):
    import random

    store, remote, report = synthetic
    stats = store.stats()
    assert stats["edges"] > 250_000 and report.edges_written == stats["edges"] == edge_count(remote.connection)
    cited = {e.dst for e in store.edges_with(["depends_on", "amends", "guides"])}
    docs = random.Random(5).sample([n for n in store.nodes_of_kind("Document") if n.iri in cited or not n.stub], 80)
    agencies = random.Random(5).sample(list(store.nodes_of_kind("Agency")), 20)
    embedded, in_memory = answers(store, docs, agencies), NetworkxStore.of(store)
    assert answers(remote, docs, agencies) == embedded
    assert answers(in_memory, docs, agencies) == embedded
    assert any(depends_on(store, d, True).results for d in docs)  # the sample asks questions that have answers
    for typed in [d.props["key"] for d in docs[:10] if d.props.get("key")] + [d.iri for d in docs[:3]]:
        assert resolved(remote, typed) == resolved(store, typed) == resolved(in_memory, typed)


def resolved(store, typed: str):
    """What identify answers: the node, or which candidates it could not choose between, or that there is none."""
    from legalkg.queries.identify import Ambiguous, NotFound

    try:
        return identify(store, typed)
    except Ambiguous as exc:
        return sorted(c.iri for c in exc.candidates)
    except NotFound as exc:
        return str(exc)


def named_rows_match(store, remote, docs, agencies, impact_docs) -> None:
    """The named Cypher statements (queries/cypher/named/) give the rows of the named questions' answers."""
    for doc in docs:
        for transitive, name in ((False, "depends_on"), (True, "depends_on_transitive")):
            expected = {r.id for r in depends_on(store, doc, transitive, limit=None).results}
            assert {row["task"] for row in remote.named(name, doc=doc.iri)} == expected, (doc.iri, transitive)
    for doc in impact_docs:
        expected = {(r.id, r.distance) for r in impact(store, doc, depth=3, limit=None).results}
        assert {(row["node"], row["distance"]) for row in remote.named("impact", doc=doc.iri)} == expected, doc.iri
    expected = {(r.id, r.path[0].dst, r.path[1].src) for r in stale(store).results}
    assert {(row["citing"], row["cited"], row["changer"]) for row in remote.named("stale")} == expected
    for agency in agencies:
        expected = {r.id: (set(r.extra["role"]), r.extra["group"]) for r in agency_workload(store, [agency], AS_OF).results}
        answered: dict[str, tuple[set, str]] = {}
        for row in remote.named("agency_workload", agency=agency.iri, asOf=AS_OF.isoformat()):
            answered.setdefault(row["task"], (set(), row["due_group"]))[0].add(row["role"])
        assert answered == expected, agency.iri


def test_the_named_cypher_statements_answer_as_the_named_questions_on_the_seeds(seeds):
    store, remote, _ = seeds
    docs = list(store.nodes_of_kind("Document"))
    named_rows_match(store, remote, docs, list(store.nodes_of_kind("Agency")), docs)
    nd107 = "https://legalkg.example/eli/vn/nd/2021/107"
    assert len({row["task"] for row in remote.named("depends_on_transitive", doc=nd107)}) == 11  # as test_queries


def test_the_named_cypher_statements_answer_alike_on_10k_synthetic_documents(synthetic):
    import random

    store, remote, _ = synthetic
    cited = {e.dst for e in store.edges_with(["depends_on", "amends", "guides"])}
    docs = random.Random(7).sample([n for n in store.nodes_of_kind("Document") if n.iri in cited or not n.stub], 60)
    named_rows_match(store, remote, docs, random.Random(7).sample(list(store.nodes_of_kind("Agency")), 30), docs[:20])


def test_the_named_cypher_statements_are_files_in_the_graphs_vocabulary():
    from legalkg.graph.cypher import NAMED, STATEMENTS, TYPES, named_statement
    from legalkg.queries.core import CHANGED_BY, CITING

    assert {p.stem for p in (STATEMENTS / "named").glob("*.cypher")} == set(NAMED)
    assert all(named_statement(n).startswith("//") for n in NAMED)  # each says what it answers
    assert "|".join(TYPES[r] for r in (*CITING, "part_of")) in named_statement("impact")
    assert "|".join(TYPES[r] for r in CHANGED_BY) in named_statement("stale")
    with pytest.raises(ValueError):
        named_statement("../merge_nodes")


def test_text_in_parameters_never_becomes_cypher(seeds):
    store, remote, _ = seeds
    before = remote.connection.run("MATCH (n) RETURN count(n)")[0][0]
    sneaky = "x'}) MATCH (n) DETACH DELETE n //"
    assert remote.named("depends_on", doc=sneaky) == [] and remote.find_agencies(sneaky) == []
    assert remote.find_documents(sneaky) == [] and remote.nodes([sneaky]) == {}
    assert remote.connection.run("MATCH (n) RETURN count(n)")[0][0] == before


def test_identifiers_resolve_alike(seeds):
    store, remote, _ = seeds
    in_memory = NetworkxStore.of(store)
    for typed in ("ND 107/2021", "61/2018/NĐ-CP", "Nghị định 107/2021", "https://legalkg.example/eli/vn/nd/2021/107",
                  "QĐ 1256", "KH 140"):
        assert resolved(remote, typed) == resolved(store, typed) == resolved(in_memory, typed)


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
    from legalkg.cli import SAMPLES

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
        assert first.since is None and second.since == store.generation() - 1  # the journal, not a comparison
        assert second.sources_written == 2 and second.nodes_written < first.nodes_written
        assert second.nodes_removed > 0  # the plan's old number and its tasks went
        assert edge_count(connection) == store.stats()["edges"]
        remote = CypherStore(connection)
        docs = [n for n in store.nodes_of_kind("Document") if not n.stub]
        assert answers(remote, docs, []) == answers(store, docs, [])
        connection.close()


def server_edges(connection) -> list[tuple]:
    rows = connection.run("MATCH (a)-[e]->(b) RETURN a.iri, type(e), b.iri, e.source, e.span_start, e.span_end, e.rule")
    return sorted((a, RELATION_OF[t], b, source, start, end, rule) for a, t, b, source, start, end, rule in rows)


def store_edges(store) -> list[tuple]:
    return sorted({(e.src, e.rel, e.dst, e.source, e.start, e.end, e.rule) for e in store.all_edges()})


PLAN_CITING_AN_UNDATED_PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 12/KH-UBND
Quảng Ngãi, ngày 05 tháng 01 năm 2023
KẾ HOẠCH
Thử nghiệm đồng bộ
Căn cứ Kế hoạch số 140/KH-UBND của UBND tỉnh về chuyển đổi số;
Các sở thực hiện theo Thông tư số 01 của Bộ.
"""
THE_DATED_PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 140/KH-UBND
Quảng Ngãi, ngày 10 tháng 6 năm 2021
KẾ HOẠCH
Chuyển đổi số tỉnh Quảng Ngãi
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;
"""


@pytest.mark.parametrize("compared", [False, True], ids=["journal", "comparison"])
def test_edges_repointed_in_files_that_did_not_change_are_synced_again(server, tmp_path, compared):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh-12.txt").write_text(PLAN_CITING_AN_UNDATED_PLAN, encoding="utf-8")
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [folder])
        undated = "https://legalkg.example/eli/vn/quang-ngai/kh/_/140"
        assert any(e.dst == undated for e in store.all_edges())
        connection = FalkorConnection(server, graph="absorbed")
        connection.clear()
        sync(store, connection)
        (folder / "kh-140.txt").write_text(THE_DATED_PLAN, encoding="utf-8")
        build(store, [folder])  # the undated mention in kh-12 is now the 2021 plan; kh-12 itself did not change
        assert not any(undated in (e.src, e.dst) for e in store.all_edges())
        if compared:
            connection.run("MATCH (m:SyncMark) DELETE m")  # as if another store had been synced there
        assert (sync(store, connection).since is None) == compared
        assert server_edges(connection) == store_edges(store)
        assert not sync(store, connection).changed
        remote = CypherStore(connection)
        assert store.unresolved() and remote.unresolved() == store.unresolved()
        plan = "docs/kh-12.txt"  # a source is named from the folder built
        assert store.unresolved(plan) and remote.unresolved(plan) == store.unresolved(plan)
        assert remote.conflicts() == store.conflicts()
        connection.close()


def test_a_file_cut_off_between_its_edges_and_its_record_loses_its_old_edges(server, tmp_path):
    with samples_and_an_empty_graph(server, tmp_path, "cut-record") as (folder, store, connection):
        run = connection.run
        edges_sent = []

        def cut(text, params=None):
            if "MERGE (s:Source" in text and edges_sent and params["rows"][0]["digest"] is not None:
                raise KeyboardInterrupt  # the client dies after a file's edges, before its digest is recorded
            edges_sent.append(text) if "MERGE (a)-[e:" in text else None
            return run(text, params)

        connection.run = cut
        with pytest.raises(KeyboardInterrupt):
            sync(store, connection, files_per_round=1)
        connection.run = run
        cut_path = sorted(folder.iterdir())[0]  # files go in path order: the first is the one cut off
        cut_file = f"{folder.name}/{cut_path.name}"  # its name in the store: from the folder built
        assert any(e[3] == cut_file for e in server_edges(connection))
        assert cut_file not in {r[0] for r in connection.run("MATCH (s:Source) WHERE s.digest IS NOT NULL RETURN s.path")}
        text = cut_path.read_text(encoding="utf-8")
        assert "107/2021/NĐ-CP" in text
        cut_path.write_text(text.replace("107/2021/NĐ-CP", "45/2020/NĐ-CP"), encoding="utf-8")
        build(store, [folder])
        sync(store, connection)
        assert server_edges(connection) == store_edges(store)


def test_copies_of_one_store_that_went_their_own_ways_are_compared_whole(server, tmp_path):
    import shutil

    folder = copy_of_samples(tmp_path)
    with SqliteStore(tmp_path / "s.db") as original:
        build(original, [folder])
    shutil.copy(tmp_path / "s.db", tmp_path / "t.db")
    connection = FalkorConnection(server, graph="copies")
    connection.clear()
    with SqliteStore(tmp_path / "s.db") as first, SqliteStore(tmp_path / "t.db") as second:
        (tmp_path / "kh-new.txt").write_text(PLAN_CITING_107, encoding="utf-8")
        (tmp_path / "kh-other.txt").write_text(PLAN_CITING_107.replace("77/KH-UBND", "78/KH-UBND"), encoding="utf-8")
        build(first, [tmp_path / "kh-new.txt"])
        build(second, [tmp_path / "kh-other.txt"])  # the same id and generation, another batch
        assert first.identity() == second.identity() and first.generation() == second.generation()
        assert store_edges(first) != store_edges(second)
        sync(first, connection)
        report = sync(second, connection)
        assert report.since is None
        assert server_edges(connection) == store_edges(second)
    connection.close()


def test_a_sync_does_not_mark_complete_a_graph_another_sync_has_marked_since(server, tmp_path):
    from legalkg.graph.sync import _mark

    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [copy_of_samples(tmp_path)])
        connection = FalkorConnection(server, graph="two-syncs")
        connection.clear()
        others = []

        def another_sync_starts(progress: str) -> None:
            if not others:
                others.append(_mark(connection, {"store": "x", "generation": None, "batch": None, "complete": False,
                                                 "base_iri": store.base_iri}))

        sync(store, connection, tick=another_sync_starts)
        mark = CypherStore(connection).synced()
        assert not mark["complete"]  # their writes interleaved: not complete, whoever finishes last
        assert sync(store, connection).since is None  # so the next one compares everything
        assert CypherStore(connection).synced()["complete"]
        connection.close()


def test_a_sync_finishing_after_another_completed_leaves_the_graph_to_be_compared(server, tmp_path):
    with samples_and_an_empty_graph(server, tmp_path, "slow-sync") as (folder, store, connection):
        done = []

        def a_faster_sync_runs_meanwhile(progress: str) -> None:
            if not done:
                done.append(sync(store, FalkorConnection(server, graph="slow-sync")))
                assert CypherStore(connection).synced()["complete"]

        sync(store, connection, tick=a_faster_sync_runs_meanwhile)
        assert not CypherStore(connection).synced()["complete"]
        assert sync(store, connection).since is None
        assert server_edges(connection) == store_edges(store)


def test_a_server_synced_from_another_store_is_compared_whole(server, tmp_path):
    from legalkg.cli import SAMPLES

    connection = FalkorConnection(server, graph="two-stores")
    connection.clear()
    with SqliteStore(tmp_path / "a.db") as first:
        build(first, [SAMPLES])
        sync(first, connection)
    folder = tmp_path / "docs"
    folder.mkdir()
    for sample in sorted(SAMPLES.iterdir())[1:]:  # one document fewer, in files of other paths
        (folder / sample.name).write_bytes(sample.read_bytes())
    with SqliteStore(tmp_path / "b.db") as other:
        build(other, [folder])
        report = sync(other, connection)
        assert report.since is None and report.sources_removed == len(list(SAMPLES.iterdir()))
        assert server_edges(connection) == store_edges(other)
        assert len(server_nodes(connection)) == sum(other.stats()["nodes"].values())
        assert sync(other, connection).since == other.generation()
    connection.close()


def test_a_sync_cut_off_midway_converges_when_run_again(server, tmp_path):
    from legalkg.cli import SAMPLES

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


def server_nodes(connection) -> list[tuple]:
    return sorted(tuple(r) for r in connection.run("MATCH (n:Node) RETURN n.iri, n.h"))


@pytest.mark.parametrize("when", ["nodes", "edges"])
def test_a_sync_whose_server_is_killed_midway_converges_when_run_again(tmp_path, when):
    from legalkg.cli import SAMPLES
    from legalkg.graph.cypher import BackendError
    from servers import free_port, start_falkordb

    port, data = free_port(), tmp_path / "falkordb"
    data.mkdir()
    uri = f"redis://127.0.0.1:{port}"
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [SAMPLES])
        process = start_falkordb(port, data)
        connection = FalkorConnection(uri)
        ticks = []

        def kill(progress: str) -> None:
            ticks.append(progress)
            if when in progress and len(ticks) >= 3:
                process.kill()  # SIGKILL: no shutdown, no last write
                process.wait()

        with pytest.raises(BackendError):
            sync(store, connection, tick=kill, batch=7, files_per_round=1)
        process = start_falkordb(port, data)  # again, on what it had written to its append-only file
        try:
            again = FalkorConnection(uri)
            nodes, edges = sum(store.stats()["nodes"].values()), store.stats()["edges"]
            kept = len(server_nodes(again)), edge_count(again)  # what the server had written when it was killed
            assert (0 < kept[0] < nodes and kept[1] == 0) if when == "nodes" else (kept[0] == nodes and 0 < kept[1] < edges)
            sync(store, again)
            assert server_edges(again) == store_edges(store)
            assert len(server_nodes(again)) == nodes
            assert not sync(store, again).changed
            remote = CypherStore(again)
            docs = [n for n in store.nodes_of_kind("Document") if not n.stub]
            assert answers(remote, docs, []) == answers(store, docs, [])
            again.close()
        finally:
            process.terminate()
            process.wait(timeout=15)


def test_a_server_that_is_not_there_is_a_clear_error():
    from legalkg.graph.cypher import BackendError
    from servers import free_port

    with pytest.raises(BackendError, match="cannot reach FalkorDB"):
        FalkorConnection(f"redis://127.0.0.1:{free_port()}")
    with pytest.raises(BackendError, match="redis://"):
        FalkorConnection("bolt://127.0.0.1:7687")
    from legalkg.graph.cypher import Neo4jConnection

    with pytest.raises(BackendError, match="cannot reach Neo4j") as refused:  # the real driver, a closed port
        Neo4jConnection(f"bolt://127.0.0.1:{free_port()}", "neo4j", "s3cret-password")
    assert "s3cret" not in str(refused.value)
    with pytest.raises(BackendError, match="cannot reach Neo4j"):
        Neo4jConnection("http://127.0.0.1:7474", "neo4j", "secret")  # not a Bolt URI


def test_the_cli_syncs_and_queries_a_server_like_the_store(server, tmp_path):
    from click.testing import CliRunner

    from legalkg.cli import SAMPLES, main

    store = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(SAMPLES), "--store", store]).exit_code == 0
    synced = runner.invoke(main, ["sync", "--backend", "falkordb", "--uri", server, "--graph", "cli", "--full",
                                  "--store", store])
    assert synced.exit_code == 0 and "nodes written" in synced.stdout, synced.output
    again = runner.invoke(main, ["sync", "--backend", "falkordb", "--uri", server, "--graph", "cli", "--store", store])
    assert again.exit_code == 0 and "nothing changed" in again.stdout
    server_args = ["--backend", "falkordb", "--uri", server, "--graph", "cli"]
    for question in (["depends-on", "ND 107/2021", "--transitive"], ["impact", "ND 107/2021"], ["stale"]):
        local = runner.invoke(main, ["query", *question, "--store", store, "--format", "json"])
        remote = runner.invoke(main, ["query", *server_args, *question, "--store", store, "--format", "json"])
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout
    local = runner.invoke(main, ["query", "conflicts", "--store", store, "--format", "json"])
    remote = runner.invoke(main, ["query", *server_args, "conflicts", "--store", store, "--format", "json"])
    assert remote.exit_code == 0 and remote.stdout == local.stdout


def test_the_cli_says_clearly_when_the_server_is_not_there(tmp_path):
    from click.testing import CliRunner

    from legalkg.cli import SAMPLES, main
    from servers import free_port

    store = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(main, ["build", str(SAMPLES), "--store", store])
    result = runner.invoke(main, ["sync", "--backend", "falkordb", "--uri", f"redis://127.0.0.1:{free_port()}",
                                  "--store", store])
    assert result.exit_code == 1 and "cannot reach FalkorDB" in result.output
    missing = runner.invoke(main, ["sync", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1", "--password-env",
                                   "LEGALKG_NO_SUCH_VARIABLE", "--store", store])
    assert missing.exit_code == 1 and "LEGALKG_NO_SUCH_VARIABLE" in missing.output


@pytest.fixture(scope="module")
def neo4j_seeds(shared, tmp_path_factory):
    import os

    from legalkg.graph.cypher import Neo4jConnection

    uri = os.environ.get("LEGALKG_NEO4J_URI")
    if not uri:
        pytest.skip("a real Neo4j is asked for by LEGALKG_NEO4J_URI (with LEGALKG_NEO4J_USER, LEGALKG_NEO4J_PASSWORD)")
    path = tmp_path_factory.mktemp("neo4j") / "seeds.db"
    with SqliteStore(path) as store:
        build(store, [shared / "corpus" / "seeds"])
    store = SqliteStore(path)
    connection = Neo4jConnection(uri, os.environ.get("LEGALKG_NEO4J_USER", "neo4j"),
                                 os.environ.get("LEGALKG_NEO4J_PASSWORD", ""), os.environ.get("LEGALKG_NEO4J_DATABASE"))
    connection.clear()
    sync(store, connection)
    yield store, CypherStore(connection)
    connection.close()
    store.close()


def test_neo4j_answers_like_the_store_on_the_seeds(neo4j_seeds):
    store, remote = neo4j_seeds
    docs = [n for n in store.nodes_of_kind("Document") if not n.stub]
    agencies = list(store.nodes_of_kind("Agency"))[::5]
    assert answers(remote, docs, agencies) == answers(store, docs, agencies)
    assert not sync(store, remote.connection).changed


def named_paths(store) -> list[str]:
    docs = [n for n in store.nodes_of_kind("Document") if not n.stub][:6]
    agencies = list(store.nodes_of_kind("Agency"))[::7]
    paths = ["/v1/stale", "/v1/stale?limit=3"]
    for d in docs:
        paths += [f"/v1/documents/{d.iri}/impact", f"/v1/documents/{d.iri}/impact?depth=1&limit=5",
                  f"/v1/documents/{d.iri}/dependent-tasks", f"/v1/documents/{d.iri}/dependent-tasks?transitive=true"]
    paths += ["/v1/documents/ND 107/2021/dependent-tasks?transitive=true", "/v1/documents/61/2018/NĐ-CP/impact"]
    return paths + [f"/v1/agencies/{a.iri}?as_of=2024-06-30" for a in agencies] + ["/viz/impact/ND 107/2021"]


def test_the_api_answers_the_named_questions_from_the_server_alike(seeds, server):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app
    from legalkg.graph.cypher import Server

    store, _, _ = seeds
    embedded = create_app(store.path, cache_entries=0)
    served = create_app(store.path, cache_entries=0, server=Server("falkordb", server, graph="seeds"))
    with TestClient(embedded) as local, TestClient(served) as remote:
        for path in named_paths(store):
            want, got = local.get(path), remote.get(path)
            assert want.status_code == 200, path
            assert got.status_code == 200 and got.content == want.content, path
        assert remote.get("/v1/documents/999/2099/NĐ-CP/impact").status_code == 404
        status = remote.get("/v1/status").json()["backend"]
        assert status["backend"] == "falkordb" and status["graph"] == "seeds" and status["synced"]["token"]
    never_synced = create_app(store.path, cache_entries=0, server=Server("falkordb", server, graph="never-synced"))
    with TestClient(embedded) as local, TestClient(never_synced) as remote:  # so the server, not the store, answers
        for path in named_paths(store):
            assert remote.get(path).content != local.get(path).content, path


def test_a_sync_that_changes_the_server_graph_ends_its_cached_answers(server, tmp_path):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app
    from legalkg.graph.cypher import Server

    path = "/v1/documents/ND 107/2021/dependent-tasks?transitive=true"
    with samples_and_an_empty_graph(server, tmp_path, "cached") as (folder, store, connection):
        sync(store, connection)
        app = create_app(store.path, server=Server("falkordb", server, graph="cached"))
        with TestClient(app) as client, TestClient(create_app(store.path, cache_entries=0)) as embedded:
            wait_for(lambda: client.app.state.sync_watch.mark)
            assert "x-legalkg-cache" not in client.get(path).headers
            assert client.get(path).headers.get("x-legalkg-cache") == "hit"
            (folder / "kh-new.txt").write_text(PLAN_CITING_107, encoding="utf-8")  # one more task depends on it
            build(store, [folder])
            assert sync(store, connection).since is not None  # by the journal
            token = CypherStore(connection).synced()["token"]
            wait_for(lambda: client.app.state.sync_watch.mark == token)
            fresh = client.get(path)
            assert "x-legalkg-cache" not in fresh.headers and fresh.json() == embedded.get(path).json()
            assert fresh.json()["query"]["total"] == client.get(path).json()["query"]["total"]


PLAN_CITING_107 = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 77/KH-UBND
Quảng Ngãi, ngày 05 tháng 3 năm 2024
KẾ HOẠCH
Thử nghiệm bộ nhớ đệm
STT | Nội dung | Cơ quan chủ trì | Thời gian
1 | Triển khai Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ | Sở Tư pháp | Năm 2024
"""


@contextmanager
def samples_and_an_empty_graph(server: str, tmp_path, graph: str):
    """A store built from a copy of the samples (a folder the test may change), and an empty graph on the server."""
    folder = copy_of_samples(tmp_path)
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [folder])
        connection = FalkorConnection(server, graph=graph)
        connection.clear()
        try:
            yield folder, store, connection
        finally:
            connection.close()


def copy_of_samples(tmp_path):
    from legalkg.cli import SAMPLES

    folder = tmp_path / "docs"
    folder.mkdir()
    for sample in SAMPLES.iterdir():
        (folder / sample.name).write_bytes(sample.read_bytes())
    return folder


def wait_for(condition, timeout: float = 10) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_api_says_clearly_when_its_server_goes_away(tmp_path):
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app
    from legalkg.cli import SAMPLES, main
    from legalkg.graph.cypher import Server
    from servers import free_port

    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [SAMPLES])
    with falkordb_server() as uri:
        with SqliteStore(tmp_path / "s.db") as store:
            connection = FalkorConnection(uri)
            sync(store, connection)
            connection.close()
        client = TestClient(create_app(tmp_path / "s.db", cache_entries=0, server=Server("falkordb", uri)))
        assert client.get("/v1/stale").status_code == 200
    gone = client.get("/v1/stale")
    assert gone.status_code == 503 and gone.headers["content-type"] == "application/problem+json"
    assert "FalkorDB" in gone.json()["detail"]
    assert client.get("/v1/documents?limit=1").status_code == 200  # what the store answers still is answered
    with TestClient(create_app(tmp_path / "s.db", cache_entries=0, server=Server("falkordb", uri))) as watched:
        wait_for(lambda: watched.app.state.sync_watch.reachable is False)
        refused_now = watched.get("/v1/documents/ND 107/2021/impact")  # known down: no connection tried
        assert refused_now.status_code == 503 and "does not answer" in refused_now.json()["detail"]
    refused = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "s.db"), "--backend", "falkordb",
                                        "--uri", f"redis://127.0.0.1:{free_port()}"])
    assert refused.exit_code == 1 and "cannot reach FalkorDB" in refused.output


def test_legalkg_serve_with_a_backend_answers_from_it_in_every_worker(seeds, server):
    import httpx
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app
    from servers import serving

    store, _, _ = seeds
    path = "/v1/documents/ND 107/2021/impact"
    want = TestClient(create_app(store.path, cache_entries=0)).get(path).json()
    with serving("--store", str(store.path), "--workers", "2", "--backend", "falkordb", "--uri", server,
                 "--graph", "seeds") as base:
        with httpx.Client(base_url=base, timeout=10) as client:
            workers = set()
            for _ in range(64):
                with httpx.Client(base_url=base, timeout=10) as fresh:  # new connections, until both workers answer
                    status = fresh.get("/v1/status").json()
                    workers.add(status["worker"])
                    assert status["backend"]["graph"] == "seeds"
                if len(workers) == 2:
                    break
            assert len(workers) == 2
            assert client.get(path).json() == want
