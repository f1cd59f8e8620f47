"""Provision-level effects over a store built from hand-made documents (extract.models → graph.build.fragment → the
store): the changes table of an amended decree and the effects an amending decree states (queries.effects, `legalkg
query effects`, GET /v1/documents/{id}/effects, the document page's tab), and how each dependent task is affected
(`depends-on`, the Ảnh hưởng tab): by a change of a provision it cites or of one containing it, of a part of it, at
the document level only, or not at all.

The documents are written here and their provisions, effects and cited provisions set by hand
(dataclasses.replace), so the answers do not move with the extractor."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from servers import falkordb_server, serving
import test_workbench_browser as browsing

from legalkg.api.app import create_app
from legalkg.cli import main
from legalkg.extract.models import Effect, Provision, Span, Words
from legalkg.extract.pipeline import extract_text
from legalkg.graph.ingest import add_documents
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import depends_on, impact, neighbors, tasks_of
from legalkg.queries.effects import affectedness, change_line, effects, path_order
from legalkg.queries.identify import identify
from legalkg.queries.worklists import Filters, impact_list

ND_61 = """CHÍNH PHỦ
Số: 61/2018/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Hà Nội, ngày 23 tháng 4 năm 2018
NGHỊ ĐỊNH
Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính
Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
Chương I
QUY ĐỊNH CHUNG
Điều 5. Nguyên tắc
Điều 7. Bộ phận Một cửa
Chương II
TIẾP NHẬN HỒ SƠ
Điều 9. Tiếp nhận hồ sơ
Điều 12. Số hóa hồ sơ
1. Hồ sơ được tiếp nhận.
2. Hồ sơ được số hóa.
a) Hồ sơ giấy.
Nghị định này có hiệu lực thi hành kể từ ngày 21 tháng 6 năm 2018.
"""
ND_107 = """CHÍNH PHỦ
Số: 107/2021/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Hà Nội, ngày 06 tháng 12 năm 2021
NGHỊ ĐỊNH
Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ
Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP
1. Sửa đổi khoản 2 Điều 12 như sau: “2. Hồ sơ được số hóa khi tiếp nhận.”
2. Bãi bỏ Điều 5.
3. Thay cụm từ “Bộ phận Một cửa” bằng cụm từ “Bộ phận tiếp nhận” tại Điều 7.
Điều 2. Hiệu lực thi hành
Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2022.
"""
ND_50 = """CHÍNH PHỦ
Số: 50/2023/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Hà Nội, ngày 10 tháng 7 năm 2023
NGHỊ ĐỊNH
Sửa đổi Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ
Điều 1. Bãi bỏ Chương II của Nghị định số 61/2018/NĐ-CP.
Điều 2. Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 9 năm 2023.
"""
PLAN = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 77/KH-UBND
Phú Yên, ngày 02 tháng 8 năm 2024
KẾ HOẠCH
Về cải cách thủ tục hành chính theo cơ chế một cửa năm 2024 (văn bản do bộ kiểm thử viết)
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;
PHỤ LỤC
Stt | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
1 | Số hóa hồ sơ theo khoản 2 Điều 12 Nghị định số 61/2018/NĐ-CP. | Sở Nội vụ | Văn phòng UBND tỉnh | Quý IV/2024 |
2 | Rà soát việc số hóa theo Điều 12 Nghị định số 61/2018/NĐ-CP. | Sở Nội vụ | Văn phòng UBND tỉnh | Quý IV/2024 |
3 | Số hóa hồ sơ giấy theo điểm a khoản 2 Điều 12 Nghị định số 61/2018/NĐ-CP. | Sở Nội vụ | | Quý IV/2024 |
4 | Kiện toàn Bộ phận Một cửa theo Điều 9 Nghị định số 61/2018/NĐ-CP. | Văn phòng UBND tỉnh | | Quý IV/2024 |
5 | Tuyên truyền Nghị định số 61/2018/NĐ-CP. | Sở Tư pháp | | Quý IV/2024 |
6 | Rà soát Chương I Nghị định số 61/2018/NĐ-CP. | Sở Tư pháp | | Quý IV/2024 |
7 | Công khai kết quả theo khoản 1 Điều 12 Nghị định số 61/2018/NĐ-CP. | Sở Tư pháp | | Quý IV/2024 |
"""
KEY_61 = "61/2018/NĐ-CP"
# task no → the provisions of 61/2018 it cites
CITED = {"1": [("dieu:12", "khoan:2")], "2": [("dieu:12",)], "3": [("dieu:12", "khoan:2", "diem:a")],
         "4": [("dieu:9",)], "5": [], "6": [("chuong:i",)], "7": [("dieu:12", "khoan:1")]}


def _p(path: tuple[str, ...], parent: tuple[str, ...] | None, heading: str) -> Provision:
    kind, _, label = path[-1].partition(":")
    start = ND_61.index(heading + "\n")
    return Provision(path, parent, kind, label, Span(start, start + len(heading)), heading)


def _e(op: str, target: tuple[str, ...], source: tuple[str, ...], text: str, words: Words | None = None,
       amending: str = ND_107) -> Effect:
    start = amending.index(text)
    return Effect(op, KEY_61, target, None, source, words, Span(start, start + len(text)), text)


def _spanned(provisions: tuple[Provision, ...]) -> tuple[Provision, ...]:
    """Each provision spanning from its heading to the next heading outside it (as extract.structure spans them)."""
    out = []
    for p in provisions:
        after = [q.span.start for q in provisions if q.span.start > p.span.start and q.path[:len(p.path)] != p.path
                 and not (p.kind == "chuong" and q.kind != "chuong")]
        out.append(replace(p, span=Span(p.span.start, min(after, default=ND_61.index("Nghị định này có")))))
    return tuple(out)


PROVISIONS_61 = _spanned((
    _p(("chuong:i",), None, "Chương I"), _p(("dieu:5",), ("chuong:i",), "Điều 5. Nguyên tắc"),
    _p(("dieu:7",), ("chuong:i",), "Điều 7. Bộ phận Một cửa"), _p(("chuong:ii",), None, "Chương II"),
    _p(("dieu:9",), ("chuong:ii",), "Điều 9. Tiếp nhận hồ sơ"),
    _p(("dieu:12",), ("chuong:ii",), "Điều 12. Số hóa hồ sơ"),
    _p(("dieu:12", "khoan:1"), ("dieu:12",), "1. Hồ sơ được tiếp nhận."),
    _p(("dieu:12", "khoan:2"), ("dieu:12",), "2. Hồ sơ được số hóa."),
    _p(("dieu:12", "khoan:2", "diem:a"), ("dieu:12", "khoan:2"), "a) Hồ sơ giấy."),
))
EFFECTS_107 = (
    _e("amend", ("dieu:12", "khoan:2"), ("dieu:1", "khoan:1"), "1. Sửa đổi khoản 2 Điều 12 như sau:"),
    _e("repeal", ("dieu:5",), ("dieu:1", "khoan:2"), "2. Bãi bỏ Điều 5."),
    _e("replace_words", ("dieu:7",), ("dieu:1", "khoan:3"), "3. Thay cụm từ “Bộ phận Một cửa”",
       Words("Bộ phận Một cửa", "Bộ phận tiếp nhận")),
)
EFFECTS_50 = (_e("repeal", ("chuong:ii",), ("dieu:1",), "Điều 1. Bãi bỏ Chương II của Nghị định số 61/2018/NĐ-CP.",
                 amending=ND_50),)


def documents():
    nd61 = replace(extract_text(ND_61, "nd-61.txt"), provisions=PROVISIONS_61, effects=())
    nd107 = replace(extract_text(ND_107, "nd-107.txt"), effects=EFFECTS_107)
    nd50 = replace(extract_text(ND_50, "nd-50.txt"), effects=EFFECTS_50)
    plan = extract_text(PLAN, "kh-77.txt")
    assert [t.no for t in plan.tasks] == list(CITED)
    plan = replace(plan, tasks=tuple(replace(t, cited_provisions=tuple((KEY_61, p) for p in CITED[t.no]))
                                     for t in plan.tasks))
    return [nd61, nd107, nd50, plan]


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    """The store of the documents above, for the module: tests only read it."""
    path = tmp_path_factory.mktemp("effects") / "effects.db"
    with SqliteStore(path) as store:
        add_documents(store, documents())
    return path


@pytest.fixture()
def store(store_file):
    with SqliteStore(store_file) as s:
        yield s


def by_no(answer) -> dict[str, dict]:
    return {r.task_no: r.json(answer.labels) for r in answer.results}


# --- the changes table ------------------------------------------------------------------------------------------
def test_effects_on_a_decree_list_every_changed_provision_how_by_what_and_from_when(store):
    answer = effects(store, identify(store, "ND 61/2018")).json()
    rows = [(e["target_label"], e["op"], e["by_document"], e["source_label"], e["effective"]) for e in answer["on"]]
    assert rows == [  # in the order of the amended text
        ("Điều 5", "repeal", "107/2021/NĐ-CP", "khoản 2 Điều 1", "2022-01-01"),
        ("Điều 7", "replace_words", "107/2021/NĐ-CP", "khoản 3 Điều 1", "2022-01-01"),
        ("Chương II", "repeal", "50/2023/NĐ-CP", "Điều 1", "2023-09-01"),
        ("khoản 2 Điều 12", "amend", "107/2021/NĐ-CP", "khoản 1 Điều 1", "2022-01-01"),
    ]
    words = next(e for e in answer["on"] if e["op"] == "replace_words")
    assert words["words"] == {"from": "Bộ phận Một cửa", "to": "Bộ phận tiếp nhận"}
    amended = next(e for e in answer["on"] if e["op"] == "amend")
    assert amended["text"] == "1. Sửa đổi khoản 2 Điều 12 như sau:"
    assert amended["target_id"].endswith("/eli/vn/nd/2018/61/dieu_12/khoan_2")
    assert amended["target_heading"] == "2. Hồ sơ được số hóa."
    assert amended["by_document_id"].endswith("/eli/vn/nd/2021/107") and amended["by_date"] == "2021-12-06"
    assert amended["source_id"].endswith("/eli/vn/nd/2021/107/dieu_1/khoan_1")
    start, end = amended["evidence"]["start"], amended["evidence"]["end"]
    assert amended["evidence"]["source"] == "nd-107.txt" and ND_107[start:end] == amended["text"]
    q = answer["query"]
    assert q["on_total"] == 4 and q["stated_total"] == 0 and q["changed_provisions"] == 4
    assert [d["label"] for d in q["changed_by"]] == ["107/2021/NĐ-CP", "50/2023/NĐ-CP"]


def test_a_provision_an_effect_inserts_sits_at_the_end_of_the_unit_holding_it(tmp_path):
    docs = documents()
    inserted = _e("insert", ("dieu:12", "khoan:3"), ("dieu:1", "khoan:1"), "1. Sửa đổi khoản 2 Điều 12 như sau:")
    docs[1] = replace(docs[1], effects=(*EFFECTS_107, inserted))
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, docs)
        answer = effects(store, identify(store, KEY_61)).json()
    assert [e["target_label"] for e in answer["on"]][-2:] == ["khoản 2 Điều 12", "khoản 3 Điều 12"]


def test_an_amending_decree_states_its_effects_in_the_order_of_its_text(store):
    answer = effects(store, identify(store, "107/2021/NĐ-CP")).json()
    assert answer["on"] == []
    assert [(e["op"], e["target_document"], e["target_label"]) for e in answer["stated"]] == [
        ("amend", KEY_61, "khoản 2 Điều 12"), ("repeal", KEY_61, "Điều 5"), ("replace_words", KEY_61, "Điều 7")]


def test_effects_are_cut_to_the_limit_and_say_how_many_there_are(store):
    answer = effects(store, identify(store, KEY_61), limit=2).json()
    assert len(answer["on"]) == 2 and answer["query"]["on_total"] == 4


def test_provisions_sort_as_the_text_numbers_them():
    paths = [("dieu:10",), ("dieu:5a",), ("dieu:5",), ("dieu:5", "khoan:2", "diem:đ"), ("dieu:5", "khoan:2", "diem:e"),
             ("dieu:5", "khoan:2", "diem:d"), ("phu_luc:i",), ("chuong:ii",)]
    assert sorted(paths, key=path_order) == [
        ("chuong:ii",), ("dieu:5",), ("dieu:5", "khoan:2", "diem:d"), ("dieu:5", "khoan:2", "diem:đ"),
        ("dieu:5", "khoan:2", "diem:e"), ("dieu:5a",), ("dieu:10",), ("phu_luc:i",)]


# --- how a dependent task is affected ---------------------------------------------------------------------------
def test_tasks_citing_what_107_changed_are_affected_and_the_others_are_marked(store):
    answer = depends_on(store, identify(store, "ND 107/2021"), transitive=True, limit=None)
    rows = by_no(answer)
    assert {no: r["affected"] for no, r in rows.items()} == {
        "1": "provision",  # khoản 2 Điều 12, amended
        "2": "part",  # Điều 12, whose khoản 2 was amended
        "3": "provision",  # điểm a khoản 2 Điều 12, inside the amended khoản
        "4": "not-affected",  # Điều 9: 107/2021 did not touch it (50/2023 did, but that is not this change)
        "5": "document-level",  # the decree only
        "6": "part",  # Chương I, whose Điều 5 was repealed and Điều 7 reworded
        "7": "not-affected",  # khoản 1 Điều 12, beside the amended khoản 2
    }
    assert answer.query["affected"] == {"provision": 2, "part": 2, "document-level": 1, "not-affected": 2,
                                         "direct": 0}
    first = rows["1"]
    assert first["cited_provisions"] == [{"id": first["cited_provisions"][0]["id"], "path": ["dieu:12", "khoan:2"],
                                          "label": "khoản 2 Điều 12"}]
    (change,) = first["changes"]
    assert change["how"] == "provision" and change["op"] == "amend" and change["by_document"] == "107/2021/NĐ-CP"
    assert change["effective"] == "2022-01-01" and change["target_label"] == "khoản 2 Điều 12"
    assert [c["target_label"] for c in rows["6"]["changes"]] == ["Điều 5", "Điều 7"]
    # the answer's rows and their order are as before: every dependent task, nearest first
    assert [r.task_no for r in answer.results] == sorted(CITED, key=int)
    assert all(r["path"][0]["relation"] == "depends_on" for r in rows.values())


def test_on_the_amended_decree_itself_a_task_is_marked_by_any_later_change(store):
    rows = by_no(depends_on(store, identify(store, KEY_61), limit=None))
    assert {no: r["affected"] for no, r in rows.items()} == {
        "1": "provision", "2": "provision",  # Điều 12 sits in Chương II, which 50/2023 repealed
        "3": "provision", "4": "provision", "5": "document-level", "6": "part", "7": "provision"}
    assert {c["by_document"] for c in rows["4"]["changes"]} == {"50/2023/NĐ-CP"}
    assert [c["how"] for c in rows["2"]["changes"]] == ["provision", "part"]  # Chương II holds it; khoản 2 is in it


def test_a_change_to_the_whole_document_touches_every_provision_it_has(tmp_path):
    docs = documents()
    whole = Effect("repeal", KEY_61, (), None, ("dieu:1",), None, Span(0, 10), "Bãi bỏ Nghị định số 61/2018/NĐ-CP.")
    docs[2] = replace(docs[2], effects=(whole,))
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, docs)
        rows = by_no(depends_on(store, identify(store, KEY_61), limit=None))
        table = effects(store, identify(store, KEY_61)).json()["on"]
    assert {no: r["affected"] for no, r in rows.items()} == {
        "1": "provision", "2": "provision", "3": "provision", "4": "provision", "5": "document-level",
        "6": "provision", "7": "provision"}
    assert {c["by_document"] for c in rows["4"]["changes"]} == {"50/2023/NĐ-CP"}
    last = table[-1]  # after the provisions, in the changes table
    assert last["target"] == [] and last["target_label"] is None and last["target_id"].endswith("/eli/vn/nd/2018/61")


def test_a_provision_no_later_document_changed_is_marked_direct(tmp_path):
    docs = documents()
    docs[2] = replace(docs[2], effects=())  # 50/2023 states nothing: Điều 9 and khoản 1 Điều 12 stay as they were
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, docs)
        rows = by_no(depends_on(store, identify(store, KEY_61), limit=None))
    assert rows["4"]["affected"] == rows["7"]["affected"] == "direct"
    assert rows["4"]["changes"] == []


def test_a_change_known_only_between_documents_leaves_every_task_affected_at_the_document_level(tmp_path):
    docs = documents()
    docs[1] = replace(docs[1], effects=())  # 107/2021 amends 61/2018, but no provision-level effect was read
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, docs)
        answer = depends_on(store, identify(store, "ND 107/2021"), transitive=True, limit=None)
    assert {r.extra["affected"] for r in answer.results} == {"document-level"}


def test_affectedness_reads_paths_of_any_steps(store):
    """The judgement takes depends-on paths; a task reached through a guiding document is judged at the document
    level (what it cites is not what was changed)."""
    task = next(r for r in depends_on(store, identify(store, KEY_61), limit=None).results if r.task_no == "1")
    first = task.path[0]

    class Step:
        def __init__(self, src, rel, dst):
            self.src, self.rel, self.dst = src, rel, dst

    guided = [first, Step(first.dst, "guides", "https://legalkg.example/eli/vn/nd/2030/1")]
    assert affectedness(store, {task.id: guided})[task.id].mark == "document-level"


def test_provisions_and_effects_stay_out_of_the_document_level_questions(store):
    """A document's provisions are part_of it, as its tasks are: impact, neighbors and a document's task list read
    tasks, not provisions, and the impact answer is what it was before provisions were nodes."""
    nd61 = identify(store, KEY_61)
    kinds = {r.kind for r in impact(store, nd61, limit=None).results}
    assert kinds == {"document", "task", "agency"}
    assert all("/dieu_" not in r.id and "/chuong_" not in r.id for r in impact(store, nd61, limit=3).results)
    around = neighbors(store, nd61.iri, depth=2)
    assert {n["kind"] for n in around["nodes"]} <= {"Document", "Task", "Agency", "Person"}
    assert {e["relation"] for e in around["edges"]}.isdisjoint({"affects", "on_document", "cites_provision"})
    plan = identify(store, "77/KH-UBND")
    assert len(tasks_of(store, plan.iri)) == 7 and tasks_of(store, nd61.iri) == []
    assert len(tasks_of(store, plan.iri, limit=2)) == 2


# --- the command line, the API and the page ---------------------------------------------------------------------
def test_query_effects_prints_the_changes_table_and_json(store_file):
    result = CliRunner().invoke(main, ["query", "effects", "ND 61/2018", "--store", str(store_file)])
    assert result.exit_code == 0, result.output
    assert "khoản 2 Điều 12" in result.output and "amend" in result.output and "2022-01-01" in result.output
    assert "4 changes" in result.output
    as_json = CliRunner().invoke(main, ["query", "effects", "ND 107/2021", "--store", str(store_file),
                                        "--format", "json"])
    answer = json.loads(as_json.output)
    assert answer["query"]["name"] == "effects" and len(answer["stated"]) == 3 and answer["on"] == []


def test_query_depends_on_shows_how_each_task_is_affected(store_file):
    result = CliRunner().invoke(main, ["query", "depends-on", "ND 107/2021", "--transitive", "--store",
                                       str(store_file)])
    assert result.exit_code == 0, result.output
    assert "not-affected" in result.output and "document-level" in result.output and "part" in result.output
    as_json = CliRunner().invoke(main, ["query", "depends-on", "ND 107/2021", "--transitive", "--store",
                                        str(store_file), "--format", "json"])
    answer = json.loads(as_json.output)
    assert answer["query"]["affected"]["not-affected"] == 2
    assert {r["affected"] for r in answer["results"]} == {"provision", "part", "document-level", "not-affected"}


def test_api_effects_both_directions(store_file):
    with TestClient(create_app(store_file)) as client:
        on = client.get("/v1/documents/ND 61/2018/effects")
        assert on.status_code == 200, on.text
        assert [e["op"] for e in on.json()["on"]] == ["repeal", "replace_words", "repeal", "amend"]
        assert on.json()["stated"] == [] and on.json()["query"]["on_total"] == 4
        stated = client.get("/v1/documents/eli/vn/nd/2021/107/effects", params={"limit": 1}).json()
        assert len(stated["stated"]) == 1 and stated["query"]["stated_total"] == 3
        tasks = client.get("/v1/documents/ND 107/2021/dependent-tasks", params={"transitive": "true"}).json()
        assert {r["affected"] for r in tasks["results"]} == {"provision", "part", "document-level", "not-affected"}
        assert client.get("/v1/documents/ND 999/2021/effects").status_code == 404
        plan = client.get("/v1/documents/KH 77/2024").json()
        assert len(plan["tasks"]) == 7 and all("/task/" in t["id"] for t in plan["tasks"])
        assert {e["relation"] for e in plan["outgoing"]}.isdisjoint({"cites_provision", "part_of"})


def test_the_document_page_has_an_effects_tab_in_both_languages(store_file):
    with TestClient(create_app(store_file)) as client:
        page = client.get("/documents/eli/vn/nd/2018/61", params={"tab": "effects"}).text
        assert 'aria-current="page">Thay đổi điều khoản<' in page
        rows = page.split('id="effects-on"', 1)[1].split("</table>", 1)[0]
        assert rows.count("<tr data-effect=") == 4 and "khoản 2 Điều 12" in rows and "2022-01-01" in rows
        assert 'href="/documents/eli/vn/nd/2021/107"' in rows and "Bãi bỏ" in rows and "Sửa đổi, bổ sung" in rows
        assert "Cụm từ “Bộ phận Một cửa” → “Bộ phận tiếp nhận”" in rows
        assert 'id="effects-stated"' not in page and "Kho chưa ghi nhận thay đổi nào văn bản này quy định" in page
        english = client.get("/documents/eli/vn/nd/2018/61", params={"tab": "effects", "lang": "en"}).text
        assert "Repealed" in english and "Changes to this document" in english
        amending = client.get("/documents/eli/vn/nd/2021/107", params={"tab": "effects"}).text
        stated = amending.split('id="effects-stated"', 1)[1].split("</table>", 1)[0]
        assert stated.count("<tr data-effect=") == 3 and 'href="/documents/eli/vn/nd/2018/61"' in stated


def test_the_impact_tab_marks_each_task_and_filters_the_unaffected_out(store_file):
    with TestClient(create_app(store_file)) as client:
        page = client.get("/documents/eli/vn/nd/2021/107", params={"tab": "impact"}).text
        assert "Không bị ảnh hưởng" in page and "Chỉ xác định được ở cấp văn bản" in page
        kept = client.get("/documents/eli/vn/nd/2021/107", params={"tab": "impact", "affected": "affected"}).text
        assert kept.count('data-task="') == 5
        csv = client.get("/documents/eli/vn/nd/2021/107/impact.csv").content.decode("utf-8-sig")
        assert csv.count("\n") == 8


def test_impact_list_rows_carry_the_mark_and_the_changes(store):
    nd107 = identify(store, "ND 107/2021")
    listed = impact_list(store, nd107, as_of=date(2024, 1, 1))
    marks = {r.no: r.affected for r in listed.tasks}
    assert marks["1"] == "provision" and marks["4"] == "not-affected" and marks["5"] == "document-level"
    assert listed.affected == {"affected": 5, "provision": 2, "part": 2, "document-level": 1, "not-affected": 2,
                               "direct": 0}
    first = next(r for r in listed.tasks if r.no == "1")
    assert first.cited_provisions == ("khoản 2 Điều 12",)
    assert [change_line(e) for e in first.changes] == ["khoản 2 Điều 12: amend by 107/2021/NĐ-CP (2022-01-01)"]
    kept = impact_list(store, nd107, as_of=date(2024, 1, 1), filters=Filters(affected="affected"))
    assert {r.no for r in kept.tasks} == {"1", "2", "3", "5", "6"} and kept.kept == 5 and kept.total == 7
    parts = impact_list(store, nd107, as_of=date(2024, 1, 1), filters=Filters(affected="part"))
    assert {r.no for r in parts.tasks} == {"2", "6"}


def test_without_provision_level_changes_the_list_marks_only_the_rows_it_shows(tmp_path):
    docs = documents()
    docs[1] = replace(docs[1], effects=())
    docs[2] = replace(docs[2], effects=())
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, docs)
        listed = impact_list(store, identify(store, KEY_61), as_of=date(2024, 1, 1))
        direct = impact_list(store, identify(store, KEY_61), as_of=date(2024, 1, 1), filters=Filters(affected="direct"))
    assert listed.affected == {}
    assert {r.no: r.affected for r in listed.tasks} == {"1": "direct", "2": "direct", "3": "direct", "4": "direct",
                                                         "5": "document-level", "6": "direct", "7": "direct"}
    assert len(direct.tasks) == 6


def test_a_cypher_server_synced_from_the_store_answers_alike(store_file):
    """`query --backend falkordb effects …` and depends-on read the provisions and effects the sync wrote."""
    runner = CliRunner()
    with falkordb_server() as uri:
        synced = runner.invoke(main, ["sync", "--backend", "falkordb", "--uri", uri, "--graph", "effects", "--full",
                                      "--store", str(store_file)])
        assert synced.exit_code == 0, synced.output
        remote = ["--backend", "falkordb", "--uri", uri, "--graph", "effects"]
        for question in (["effects", "ND 61/2018"], ["effects", "ND 107/2021"],
                         ["depends-on", "ND 107/2021", "--transitive"], ["depends-on", KEY_61]):
            local = runner.invoke(main, ["query", *question, "--store", str(store_file), "--format", "json"])
            served = runner.invoke(main, ["query", *remote, *question, "--store", str(store_file), "--format", "json"])
            assert local.exit_code == served.exit_code == 0, served.output
            assert json.loads(served.stdout) == json.loads(local.stdout), question


# --- in a browser (Debian's chromium; skipped without it, as tests/test_workbench_browser.py) -------------------
browser, visit = browsing.browser, browsing.visit  # its fixtures: a headless Chromium, pages that record requests


@pytest.fixture(scope="module")
def served(store_file):
    with serving("--store", str(store_file), "--workers", "1") as base:
        yield base


@pytest.mark.skipif(browsing.CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
@pytest.mark.parametrize("path,name", [("/documents/eli/vn/nd/2018/61?tab=effects", "effects-61"),
                                       ("/documents/eli/vn/nd/2021/107?tab=effects&lang=en", "effects-107-en"),
                                       ("/documents/eli/vn/nd/2021/107?tab=impact", "impact-marked-107")])
def test_the_effects_tab_and_the_marked_impact_list_have_no_serious_accessibility_violation(served, visit, path, name):
    v = visit(served)
    v.go(path)
    assert v.grave_violations() == []
    v.shot(name)
