"""IRIs, the store's merge rules (stubs, conflicts, incremental builds), its format checks and crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from legalkg.extract.models import DocRef
from legalkg.extract.pipeline import extract_text
from legalkg.graph import ids
from legalkg.graph.ingest import build_graph
from legalkg.graph.ingest import build
from legalkg.graph.store import BATCH, FORMAT_VERSION, SqliteStore, StoreError, open_store

B = ids.DEFAULT_BASE

IRIS = [
    (DocRef("61/2018/NĐ-CP", "Nghị định", 2018), f"{B}eli/vn/nd/2018/61"),
    (DocRef("107/2021/NĐ-CP", "Nghị định", 2021), f"{B}eli/vn/nd/2021/107"),
    (DocRef("1085/QĐ-TTg", "Quyết định", 2022), f"{B}eli/vn/qd-ttg/1085"),
    (DocRef("01/2018/TT-VPCP", "Thông tư", 2018), f"{B}eli/vn/tt-vpcp/2018/01"),
    (DocRef("140/KH-UBND", "Kế hoạch", 2021, "Quảng Ngãi"), f"{B}eli/vn/quang-ngai/kh/2021/140"),
    (DocRef("140/KH-UBND", "Kế hoạch", None, "Quảng Ngãi"), f"{B}eli/vn/quang-ngai/kh/_/140"),
    (DocRef("2387/UBND-KSTTHC", "Công văn", 2020, "Quảng Ngãi"), f"{B}eli/vn/quang-ngai/cv-ubnd-kstthc/2020/2387"),
    (DocRef("04-NQ/TU", "Nghị quyết", 2021, "Quảng Ngãi"), f"{B}eli/vn/quang-ngai/nq-tu/2021/04"),
    (DocRef(None, "Luật", title="Ngân sách nhà nước", kind="law"), f"{B}eli/vn/luat/ngan-sach-nha-nuoc"),
]


@pytest.mark.parametrize("ref,iri", IRIS, ids=[i.removeprefix(B) for _, i in IRIS])
def test_iris_are_readable_and_eli_like(ref, iri):
    assert ids.document_iri(ref) == iri


@pytest.mark.parametrize("a,b", [
    (DocRef("05/2022/QĐ-UBND", "Quyết định", 2022, "Kon Tum"), DocRef("05/2022/QĐ-UBND", "Quyết định", 2022, "Điện Biên")),
    (DocRef("140/KH-UBND", "Kế hoạch", 2021, "Quảng Ngãi"), DocRef("140/KH-SNNPTNT", "Kế hoạch", 2021, "Quảng Ngãi")),
    (DocRef("140/KH-UBND", "Kế hoạch", 2021, "Quảng Ngãi"), DocRef("140/KH-UBND", "Kế hoạch", 2022, "Quảng Ngãi")),
    (DocRef("45/2020/NĐ-CP", "Nghị định", 2020), DocRef("45/2020/NQ-CP", "Nghị quyết", 2020)),
])
def test_different_documents_get_different_iris(a, b):
    assert ids.document_iri(a) != ids.document_iri(b)


PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\nPHỤ LỤC\n"
    "Stt | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |\n"
    "1 | Số hóa hồ sơ theo Nghị định số 61/2018/NĐ-CP. | Sở Tư pháp | Văn phòng UBND tỉnh | Quý I/2023 |\n"
)
DECREE = (
    "CHÍNH PHỦ\nSố: 61/2018/NĐ-CP\nHà Nội, ngày 24 tháng 4 năm 2018\nNGHỊ ĐỊNH\nVề thực hiện cơ chế một cửa\n"
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
)


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_stub_gains_metadata_and_disagreeing_dates_are_kept_as_conflicts(tmp_path):
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [write(tmp_path, "plan.txt", PLAN)])
        decree = ids.document_iri(DocRef("61/2018/NĐ-CP", "Nghị định", 2018))
        assert store.node(decree).stub and store.node(decree).props["date"] == "2018-04-23"
        build(store, [write(tmp_path, "decree.txt", DECREE)])
        node = store.node(decree)
        assert not node.stub and node.props["title"] == "Về thực hiện cơ chế một cửa"
        assert node.props["date"] == "2018-04-24"  # the document's own text wins
        assert [(c["kind"], c["values"]) for c in store.conflicts()] == [("date", ["2018-04-23", "2018-04-24"])]
        assert len([e for e in store.edges_to([decree]) if e.rel == "based_on"]) == 1  # one node, not two


def test_rebuilding_the_same_files_changes_nothing_and_a_changed_file_replaces_its_part(tmp_path):
    plan = write(tmp_path, "plan.txt", PLAN)
    with SqliteStore(tmp_path / "s.db") as store:
        first = build(store, [tmp_path])
        before = store.stats()
        again = build(store, [tmp_path])
        assert (first.added, again.added, again.unchanged) == (1, 0, 1)
        assert store.stats() == before
        plan.write_text(PLAN.replace("Sở Tư pháp", "Sở Nội vụ"), encoding="utf-8")
        changed = build(store, [tmp_path])
        assert changed.replaced == 1 and store.stats()["edges"] == before["edges"]
        (task,) = store.nodes_of_kind("Task")
        leads = {store.node(e.dst).label for e in store.edges_from([task.iri], ["assigned_to"])}
        assert leads == {"Sở Nội vụ"}


def test_every_edge_keeps_its_source_span_and_rule(tmp_path):
    path = write(tmp_path, "plan.txt", PLAN)
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [path])
        edges = store.edges_from([n.iri for n in store.nodes_of_kind("Document")])
        cites = [e for e in edges if e.rel == "based_on"]
        assert cites and all(e.source == path.name and e.rule for e in cites)
        assert PLAN[cites[0].start : cites[0].end] == "Nghị định số 61/2018/NĐ-CP"


def test_build_graph_gives_a_networkx_multidigraph():
    graph = build_graph([extract_text(PLAN, "plan.txt"), extract_text(DECREE, "decree.txt")])
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"Document", "Task", "Agency"}
    relations = {k for _, _, k in graph.edges(keys=True)}
    assert {"based_on", "part_of", "assigned_to", "coordinates", "depends_on", "issued_by"} <= relations


def test_the_store_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(StoreError, match="no store there"):
        open_store(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(StoreError, match="not a legalkg store"):
        SqliteStore(junk)
    old = tmp_path / "old.db"
    SqliteStore(old).close()
    with sqlite3.connect(old) as db:
        db.execute(f"PRAGMA user_version={FORMAT_VERSION + 1}")
    with pytest.raises(StoreError, match="format"):
        open_store(old)


def test_a_store_of_the_previous_format_is_migrated_when_opened(tmp_path):
    path = tmp_path / "v1.db"
    decree = ids.document_iri(DocRef("61/2018/NĐ-CP", "Nghị định", 2018))
    with SqliteStore(path) as store:
        build(store, [write(tmp_path, "plan.txt", PLAN)])
        citers = store.count_to([decree], ["cites", "based_on"])
    with sqlite3.connect(path) as db:  # as format 1 left it
        db.executescript("DROP INDEX edges_dst_src; CREATE INDEX edges_dst ON edges (dst, rel); PRAGMA user_version=1;"
                         "UPDATE meta SET value = '1' WHERE key = 'format_version'; DROP TABLE changes;"
                         "DROP TABLE batches; DELETE FROM meta WHERE key = 'store_id';"
                         "DROP INDEX sources_file; ALTER TABLE sources DROP COLUMN file;")
    with open_store(path) as store:
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "edges_dst_src" in indexes and "edges_dst" not in indexes and "changes_gen" in indexes
        assert len(store.identity()) == 32 and store.changes_since(0) == ([], [])
        assert store.batch_token(store.generation())  # so the journal serves the first sync after the migration
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION
        assert store.db.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone()[0] == str(FORMAT_VERSION)
        assert store.count_to([decree], ["cites", "based_on"]) == citers == 1
        assert store.source_file("plan.txt") == "plan.txt"  # the name it had was all a format-6 store knew


def test_the_store_journals_what_each_batch_touched(tmp_path):
    plan = write(tmp_path, "plan.txt", PLAN)
    with SqliteStore(tmp_path / "s.db") as store:
        build(store, [plan])
        first = store.generation()
        iris, paths = store.changes_since(0)
        assert paths == [plan.name] and set(iris) == {n.iri for n in store.all_nodes()}
        build(store, [plan])
        assert store.changes_since(first) == ([], [])  # an unchanged file touches nothing
        tasks = {n.iri for n in store.nodes_of_kind("Task")}
        assert tasks
        plan.write_text(PLAN.replace("12/KH-UBND", "13/KH-UBND"), encoding="utf-8")
        build(store, [plan])
        iris, paths = store.changes_since(first)
        assert paths == [plan.name] and tasks <= set(iris)  # the old tasks, removed, are in it too
        assert not tasks & {n.iri for n in store.nodes_of_kind("Task")}
        assert store.identity() == SqliteStore(tmp_path / "s.db").identity() != SqliteStore(tmp_path / "t.db").identity()


CRASHING_BUILD = """
import sys
from legalkg.extract.pipeline import extract_text
from legalkg.graph.build import fragment
from legalkg.graph.store import SqliteStore

template = open(sys.argv[2], encoding="utf-8").read()
def documents():
    for i in range(100000):
        yield extract_text(template.replace("12/KH-UBND", f"{i + 1}/KH-UBND"), f"plan-{i}.txt"), f"sha-{i}"
SqliteStore(sys.argv[1]).add_fragments(fragment(doc, sha) for doc, sha in documents())
"""


def test_a_build_killed_mid_write_leaves_a_store_holding_every_committed_batch(tmp_path):
    store_path, template = tmp_path / "s.db", write(tmp_path, "plan.txt", PLAN)
    script = write(tmp_path, "crash.py", CRASHING_BUILD)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, str(script), str(store_path), str(template)], env=env)
    committed = 0
    try:
        deadline = time.monotonic() + 120
        while committed < 2 * BATCH and time.monotonic() < deadline:
            time.sleep(0.05)
            if store_path.exists():
                try:
                    with sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=0.1) as db:
                        committed = db.execute("SELECT count(*) FROM sources").fetchone()[0]
                except sqlite3.OperationalError:
                    pass  # locked or not created yet
        assert committed >= 2 * BATCH, "the build did not commit two batches in time"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(store_path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stats = store.stats()
        assert stats["sources"] >= committed and stats["sources"] % BATCH == 0  # whole batches only
        assert stats["nodes"]["Task"] == stats["sources"]


def test_a_store_built_before_provisions_reads_its_files_again(tmp_path):
    """Format 8 (issue 17) forgets the sources' hashes, so the next build extracts every file again: a store built
    before provisions and effects existed gains them without the user deleting it."""
    path, plan = tmp_path / "v7.db", write(tmp_path, "plan.txt", PLAN)
    with SqliteStore(path) as store:
        build(store, [plan])
        assert build(store, [plan]).unchanged == 1
    with sqlite3.connect(path) as db:  # as format 7 left it
        db.executescript("PRAGMA user_version=7; UPDATE meta SET value = '7' WHERE key = 'format_version';")
    with open_store(path) as store:
        report = build(store, [plan])
        assert (report.unchanged, report.replaced + report.added) == (0, 1)
        assert build(store, [plan]).unchanged == 1
