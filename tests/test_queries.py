"""Queries over the store built from the seeds; expected answers derived from ../shared/gold, not from our output."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from legalkg.cli import main
from legalkg.extract.pipeline import extract_text
from legalkg.graph.ingest import add_documents, build
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import CITING, agency_workload, conflicts, depends_on, impact, neighbors, stale
from legalkg.queries.identify import Ambiguous, NotFound, identify

ND_107 = "107/2021/NĐ-CP"
# What the world says of 107/2021/NĐ-CP, read by hand from the seeds' related lists and texts: it amends
# 61/2018/NĐ-CP, which Thông tư 01/2018/TT-VPCP guides. So a task citing either depends on 107/2021 transitively.
THROUGH_107 = {ND_107, "61/2018/NĐ-CP", "01/2018/TT-VPCP"}


@pytest.fixture(scope="module")
def seeds(shared, tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "seeds.db"
    with SqliteStore(path) as store:
        build(store, [shared / "corpus" / "seeds"])
    store = SqliteStore(path)
    yield store
    store.close()


def gold_tasks(shared, cited: set[str]) -> set[tuple[str, str]]:
    out = set()
    for path in sorted((shared / "gold" / "tasks").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out |= {(gold["file"], t["text"]) for t in gold["tasks"] if cited & set(t["cites"])}
    return out


def answered(answer) -> set[tuple[str, str]]:
    return {(r.path[0].source.rsplit("/", 1)[-1], r.text) for r in answer.results}


def test_depends_on_107_directly_is_the_gold_set(seeds, shared):
    answer = depends_on(seeds, identify(seeds, ND_107))
    expected = gold_tasks(shared, {ND_107})
    assert len(expected) == 7
    assert answered(answer) == expected
    assert all(r.distance == 1 and r.path[0].rel == "depends_on" for r in answer.results)


def test_depends_on_107_transitively_adds_the_tasks_of_what_it_amends_and_what_guides_that(seeds, shared):
    answer = depends_on(seeds, identify(seeds, ND_107), transitive=True)
    expected = gold_tasks(shared, THROUGH_107)
    assert len(expected) == 11
    assert answered(answer) == expected
    through = [r for r in answer.results if r.distance > 1]
    assert through and all(r.path[-1].rel == "amends" and r.path[-1].dst.endswith("/nd/2018/61") for r in through)
    for r in answer.results:  # every step of every path points into its source file
        for step in r.path:
            assert step.source and step.start is not None and step.end > step.start


@pytest.mark.parametrize("typed", ["ND 107/2021", "NĐ 107/2021/NĐ-CP", "Nghị định 107/2021", "107/2021/NĐ-CP",
                                   "nghị định số 107/2021", "107/2021/ND-CP"])
def test_identifiers_as_users_type_them(seeds, typed):
    assert identify(seeds, typed).iri.endswith("/eli/vn/nd/2021/107")


@pytest.mark.parametrize("typed", ["Thông tư 107/2021", "ND 107/2020/NQ-CP", "999/2021/NĐ-CP", "hello"])
def test_identifiers_that_name_nothing(seeds, typed):
    with pytest.raises(NotFound):
        identify(seeds, typed)


def test_an_ambiguous_local_number_lists_its_candidates(tmp_path):
    header = "ỦY BAN NHÂN DÂN\nTỈNH {P}\nSố: 9/KH-UBND\n{P}, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
    body = "Căn cứ Quyết định số 05/2022/QĐ-UBND ngày 10/01/2022 của UBND tỉnh;\n"
    with SqliteStore(tmp_path / "s.db") as store:
        add_documents(store, [extract_text(header.replace("{P}", p) + body, f"{p}.txt") for p in ("KON TUM", "ĐIỆN BIÊN")])
        with pytest.raises(Ambiguous) as info:
            identify(store, "05/2022/QĐ-UBND")
        assert {c.props["place"] for c in info.value.candidates} == {"Kon Tum", "Điện Biên"}
        assert identify(store, "05/2022/QĐ-UBND tỉnh Kon Tum").props["place"] == "Kon Tum"


def test_impact_ranks_by_distance_and_every_path_ends_at_the_document(seeds):
    doc = identify(seeds, "61/2018/NĐ-CP")
    answer = impact(seeds, doc, limit=None)
    distances = [r.distance for r in answer.results]
    assert distances == sorted(distances)
    kinds = {r.kind for r in answer.results}
    assert {"document", "task", "agency"} <= kinds
    assert all(r.path[-1].dst == doc.iri for r in answer.results)
    citing = {r.label for r in answer.results if r.kind == "document" and r.distance == 1}
    assert {"184/KH-UBND", "12/CT-UBND", "107/2021/NĐ-CP", "01/2018/TT-VPCP"} <= citing


def test_answers_are_bounded_and_say_how_many_there_are(seeds):
    doc = identify(seeds, "61/2018/NĐ-CP")
    full, page = impact(seeds, doc, limit=None), impact(seeds, doc, limit=20)
    assert len(page.results) == 20 and page.query["truncated"] and len(full.results) > 20
    assert [r.distance for r in page.results] == sorted(r.distance for r in full.results)[:20]
    direct = depends_on(seeds, identify(seeds, ND_107), transitive=True, limit=3)
    assert len(direct.results) == 3 and direct.query["total"] == 11
    assert all(r.distance == 1 for r in direct.results)  # nearest first


@pytest.mark.parametrize("limit", [None, 1, 3, 10, 2000])
def test_totals_count_every_citer_whether_or_not_the_answer_was_cut(seeds, limit):
    for key in ("61/2018/NĐ-CP", ND_107, "01/2018/TT-VPCP"):
        doc = identify(seeds, key)
        for transitive in (False, True):
            answer = depends_on(seeds, doc, transitive=transitive, limit=limit)
            reasons = [doc.iri, *answer.query["through"]]
            assert answer.query["total"] == seeds.count_to(reasons, ["depends_on"]) >= len(answer.results)
        assert impact(seeds, doc, limit=limit).query["citing"] == seeds.count_to([doc.iri], CITING) > 0


def test_stale_lists_documents_citing_an_amended_decree_with_both_dates(seeds):
    rows = [r for r in stale(seeds).results if r.extra["cites"] == "61/2018/NĐ-CP"]
    directive = next(r for r in rows if r.label == "12/CT-UBND")
    assert directive.extra["changed_by"] == ND_107 and directive.extra["change_date"] == "2021-12-06"
    assert directive.extra["date"] == "2020-04-17"  # written before the amendment


def test_agency_workload_groups_by_deadline_as_of_a_date(seeds):
    agencies = [a for a in seeds.find_agencies("Sở Thông tin và Truyền thông") if a.props.get("place") == "Quảng Ngãi"]
    assert len(agencies) == 1
    early, late = (agency_workload(seeds, agencies, d) for d in (date(2020, 1, 1), date(2030, 1, 1)))
    assert early.query["counts"]["overdue"] == 0 < late.query["counts"]["overdue"]
    assert sum(early.query["counts"].values()) == sum(late.query["counts"].values()) == len(early.results)
    assert all(r.extra["role"] for r in early.results)
    dong_nai = [a for a in seeds.find_agencies("Sở Thông tin và Truyền thông") if a.props.get("place") == "Đồng Nai"]
    assert dong_nai and dong_nai[0].iri != agencies[0].iri  # province-scoped agencies


def test_conflicts_and_unresolved_short_forms(seeds):
    found = conflicts(seeds)["conflicts"]
    assert {("self_number", "1256/QĐ-UBND"), ("self_number", "2256/QĐ-UBND")} <= {(c["kind"], c["values"][1]) for c in found}
    assert any(c["kind"] == "date" and c["node"].endswith("/nd/2020/107") for c in found)


def test_neighbors_is_a_subgraph_around_the_node(seeds):
    doc = identify(seeds, ND_107)
    sub = neighbors(seeds, doc.iri, depth=1)
    ids = {n["id"] for n in sub["nodes"]}
    assert doc.iri in ids and len(ids) > 5
    assert all(e["from"] in ids and e["to"] in ids for e in sub["edges"])


def test_query_cli_json_contract(seeds):
    result = CliRunner().invoke(main, ["query", "depends-on", "ND 107/2021", "--transitive", "--format", "json",
                                       "--store", seeds.path])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["query"]["transitive"] is True and len(payload["results"]) == 11
    first = payload["results"][0]
    assert {"kind", "id", "document", "task_no", "text", "lead", "distance", "path"} <= set(first)
    assert {"from", "relation", "to", "source", "start", "end"} <= set(first["path"][0])


@pytest.mark.parametrize("command", sorted(main.commands["query"].commands))
def test_every_query_command_has_help(command):
    result = CliRunner().invoke(main, ["query", command, "--help"])
    assert result.exit_code == 0 and main.commands["query"].commands[command].help


def test_query_cli_errors_are_clear(seeds, tmp_path):
    missing = CliRunner().invoke(main, ["query", "stale", "--store", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no store there" in missing.output
    unknown = CliRunner().invoke(main, ["query", "depends-on", "999/2099/NĐ-CP", "--store", seeds.path])
    assert unknown.exit_code == 1 and "no document" in unknown.output
