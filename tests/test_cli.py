"""The command line: every command has help, extract prints the JSON contract, bad input gives a clear error."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from legalkg.cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help and main.commands[command].help.split()[0] in result.output


def test_extract_json_contract(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(doc)])
    assert result.exit_code == 0, result.output
    (d,) = json.loads(result.output)["documents"]
    assert {k: d[k] for k in ("key", "type", "year", "place", "date")} == {
        "key": "12/KH-UBND", "type": "Kế hoạch", "year": 2023, "place": "Quảng Ngãi", "date": "2023-01-05"}
    (c,) = d["citations"]
    assert c["key"] == "61/2018/NĐ-CP" and c["relation"] == "based_on" and c["section"] == "body"
    assert doc.read_text(encoding="utf-8")[c["start"] : c["end"]] == c["text"] == "Nghị định số 61/2018/NĐ-CP"
    assert d["relations"][0]["source"] == "12/KH-UBND" and d["relations"][0]["target"] == "61/2018/NĐ-CP"


def test_extract_reports_bad_files_and_keeps_the_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text("Theo Nghị định số 61/2018/NĐ-CP.", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert [d["citations"][0]["key"] for d in payload["documents"]] == ["61/2018/NĐ-CP"]
    assert len(payload["errors"]) == 1 and "image.txt" in payload["errors"][0]["error"]
    assert "binary" in result.stderr


def test_extract_table_format(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("Theo Quyết định số 468/QĐ-TTg ngày 27/3/2021.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--format", "table", str(doc)])
    assert result.exit_code == 0 and "468/QĐ-TTg" in result.output


def test_sample_corpus_yields_tasks_in_both_formats():
    table = CliRunner().invoke(main, ["extract", "--sample", "--format", "table"])
    assert table.exit_code == 0 and "Sở Thông tin và Truyền thông" in table.output
    assert any(line.split()[:1] == ["1.a"] for line in table.output.splitlines()), table.output  # a task row
    payload = json.loads(CliRunner().invoke(main, ["extract", "--sample"]).output)
    tasks = {d["key"]: d["tasks"] for d in payload["documents"]}
    assert [t["no"] for t in tasks["21/KH-UBND"]] == ["1", "2"]
    assert tasks["21/KH-UBND"][1]["cites"] == ["512/UBND-KSTTHC", "640/UBND-KSTTHC"]
    assert tasks["21/KH-UBND"][0]["parts"][0]["deadline_parsed"]["kind"] == "quarter"


def test_build_then_query_the_sample_corpus(tmp_path):
    store = str(tmp_path / "s.db")
    first = CliRunner().invoke(main, ["build", "--sample", "--store", store, "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "5 files: 5 added" in first.output
    again = CliRunner().invoke(main, ["build", "--sample", "--store", store])
    assert "0 added, 0 replaced, 5 unchanged" in again.output
    answer = CliRunner().invoke(main, ["query", "depends-on", "ND 107/2021", "--transitive", "--store", store])
    assert answer.exit_code == 0 and "05/CT-UBND #1.b" in answer.output
    assert "--depends_on--> 61/2018/NĐ-CP <--amends-- 107/2021/NĐ-CP" in answer.output  # the path that proves it


def test_build_reports_bad_files_and_keeps_the_good_ones(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("Theo Nghị định số 61/2018/NĐ-CP.", encoding="utf-8")
    (tmp_path / "docs" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "docs"), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 1 and "1 added" in result.output and "binary" in result.output


def test_extract_needs_input():
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 2 and "give files" in result.output
