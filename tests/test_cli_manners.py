"""The command line's manners: every option says what it does, tables have headers and one field per column and say
"N of M" when cut, an agency name that several provinces' agencies bear is a question back, and `legalkg serve` says
where it listens and leaves no temporary folder behind, however it is stopped."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import httpx
import pytest
from click.testing import CliRunner

from legalkg.cli import main
from legalkg.tables import Column, count_line, fit, table, width

ROOT = Path(__file__).resolve().parents[1]


def command_paths(command: click.Command = main, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command of the tree, groups included, with the words that name it."""
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            found += command_paths(sub, (*path, name))
    return found


COMMANDS = command_paths()


def test_the_walk_sees_nested_commands():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"", "query", "query depends-on", "query agency", "audit tasks", "audit documents", "serve"} <= names


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) or "legalkg" for p, _ in COMMANDS])
def test_every_option_says_what_it_does(path, command):
    undocumented = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not undocumented, f"legalkg {' '.join(path)}: options without help: {undocumented}"
    assert (command.help or "").strip(), f"legalkg {' '.join(path)} has no help"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) or "legalkg" for p, _ in COMMANDS])
def test_help_works_for_every_command(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ") and "--help" in result.output
    assert "%Y" not in result.output  # no strftime format as a metavar


def test_as_of_shows_the_date_as_people_write_it():
    result = CliRunner().invoke(main, ["query", "agency", "--help"])
    assert "--as-of YYYY-MM-DD" in result.output and "--place PROVINCE" in result.output


# --- tables --------------------------------------------------------------------------------------------------------
def cells(lines: list[str]) -> list[dict[str, str]]:
    """A printed table read back: the rule under the header says where each column starts and ends."""
    header, rule, *rows = lines
    spans, start = [], None
    for i, ch in enumerate(rule + " "):
        if ch == "-" and start is None:
            start = i
        elif ch != "-" and start is not None:
            spans.append((start, i))
            start = None
    names = [header[a:b].strip() for a, b in spans]
    bounds = [(a, spans[k + 1][0] if k + 1 < len(spans) else None) for k, (a, _) in enumerate(spans)]
    return [{n: row[a:b].strip() for n, (a, b) in zip(names, bounds)} for row in rows]


def test_a_table_has_headers_aligned_columns_and_cut_cells():
    lines = table([Column("no", 4, ">"), Column("text", 10), "lead"],
                  [(1, "short", ["lead", "coordinating"]), (12, "much longer than ten", None),
                   (3, "line\nbreak\tand tab", "x")])
    assert lines[0].split() == ["no", "text", "lead"] and set(lines[1].replace(" ", "")) == {"-"}
    rows = cells(lines)
    assert rows[0] == {"no": "1", "text": "short", "lead": "lead, coordinating"}
    assert rows[1]["text"] == "much long…" and width(rows[1]["text"]) == 10 and rows[1]["lead"] == ""
    assert rows[2]["text"] == "line brea…"
    assert lines[2].index("1") == lines[3].index("12") + 1  # numbers right-aligned
    assert all(line == line.rstrip() for line in lines)


def test_widths_count_what_a_terminal_draws():
    assert width("Sở Tư pháp") == 10 and width("e\u0301") == 1 and width("漢字") == 4
    assert fit("Văn phòng Sở Thông tin", 10) == "Văn phòng…"


def test_the_count_line_says_n_of_m_when_cut():
    assert count_line(8, 145) == "8 of 145 results"
    assert count_line(4, 4, "tasks") == "4 tasks" and count_line(1, None, "tasks") == "1 task"
    assert count_line(8, None, truncated=True) == "8 results (more not shown)"
    assert count_line(8, None, truncated=True, at_least=10_000) == "8 of at least 10000 results"


def test_extract_table_has_a_column_per_field():
    result = CliRunner().invoke(main, ["extract", "--sample", "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    documents = cells(lines[:lines.index("")])
    assert {d["number"] for d in documents} >= {"21/KH-UBND", "107/2021/NĐ-CP"}
    assert next(d for d in documents if d["number"] == "21/KH-UBND")["tasks"] == "2"
    start = lines.index("kh-21-2023-binh-dinh.md: 21/KH-UBND")
    at = next(i for i in range(start, len(lines)) if lines[i].strip() == "tasks (2)")
    tasks = cells([line[4:] for line in lines[at + 1:at + 5]])
    assert tasks[0]["no"] == "1" and tasks[0]["due"] == "Quý II/2023"  # the deadline no longer runs into the task
    assert tasks[0]["lead"] == "Sở Thông tin và Truyền thông" and tasks[0]["task"].startswith("Số hóa hồ sơ")
    assert tasks[0]["task"].endswith("…")
    assert lines[-1] == "5 documents"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("manners") / "s.db"
    assert CliRunner().invoke(main, ["build", "--sample", "--store", str(path), "--jobs", "1"]).exit_code == 0
    return str(path)


def test_a_cut_answer_says_how_many_there_are(sample_store):
    full = CliRunner().invoke(main, ["query", "impact", "ND 107/2021", "--limit", "0", "--store", sample_store])
    total = len(cells(full.output.splitlines()[1:-1]))
    assert full.output.splitlines()[-1] == f"{total} results" and total > 8
    cut = CliRunner().invoke(main, ["query", "impact", "ND 107/2021", "--limit", "8", "--store", sample_store])
    assert cut.exit_code == 0 and cut.output.splitlines()[-1] == f"8 of {total} results"
    assert len(cells(cut.output.splitlines()[1:-1])) == 8
    tasks = CliRunner().invoke(main, ["query", "depends-on", "ND 107/2021", "--transitive", "--limit", "2",
                                      "--store", sample_store])
    assert tasks.output.splitlines()[-1] == "2 of 4 tasks"


def test_impact_json_says_the_total_too(sample_store):
    import json

    result = CliRunner().invoke(main, ["query", "impact", "ND 107/2021", "--limit", "3", "--format", "json",
                                       "--store", sample_store])
    answer = json.loads(result.output)
    assert len(answer["results"]) == 3 and answer["query"]["total"] > 3


def test_an_impact_too_large_to_count_says_at_least(sample_store):
    from legalkg.graph.store import open_store
    from legalkg.queries.identify import identify
    from legalkg.queries.lookup import impact

    with open_store(sample_store) as store:
        doc = identify(store, "ND 107/2021")
        exact = impact(store, doc, 3, 8)
        bounded = impact(store, doc, 3, 4, count_up_to=6)
        whole = impact(store, doc, 3, None)
    assert exact.query["total"] == len(whole.results) and len(exact.results) == 8
    assert bounded.query["total"] is None and bounded.query["total_at_least"] == 6 and len(bounded.results) == 4


def test_an_agency_name_of_several_provinces_asks_for_the_province(sample_store):
    name = "Sở Thông tin và Truyền thông"  # the samples hold Bình Định's and Quảng Ngãi's
    result = CliRunner().invoke(main, ["query", "agency", name, "--store", sample_store])
    assert result.exit_code == 2 and "--place" in result.output
    listed = cells(result.output.splitlines()[1:])
    assert {(a["province"], a["IRI"].rsplit("/", 2)[1]) for a in listed} == {("Bình Định", "binh-dinh"),
                                                                            ("Quảng Ngãi", "quang-ngai")}
    chosen = CliRunner().invoke(main, ["query", "agency", name, "--place", "tỉnh bình định", "--as-of", "2023-05-01",
                                       "--store", sample_store])
    assert chosen.exit_code == 0, chosen.output
    assert chosen.output.startswith(f"agency {name} (Bình Định), as of 2023-05-01")
    rows = cells(chosen.output.splitlines()[1:-1])
    assert rows and {r["role"] for r in rows} == {"lead"} and "['" not in chosen.output
    by_iri = CliRunner().invoke(main, ["query", "agency", "agency/quang-ngai/so-thong-tin-va-truyen-thong",
                                       "--store", sample_store])
    assert by_iri.exit_code == 0 and "(Quảng Ngãi)" in by_iri.output
    elsewhere = CliRunner().invoke(main, ["query", "agency", name, "--place", "Kon Tum", "--store", sample_store])
    assert elsewhere.exit_code == 1 and "Bình Định, Quảng Ngãi" in elsewhere.output


def test_a_number_of_several_documents_lists_them_and_exits_2(tmp_path):
    header = "ỦY BAN NHÂN DÂN\nTỈNH {P}\nSố: 9/KH-UBND\n{P}, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử\n"
    body = "Căn cứ Quyết định số 05/2022/QĐ-UBND ngày 10/01/2022 của UBND tỉnh;\n"
    (tmp_path / "docs").mkdir()
    for place in ("KON TUM", "ĐIỆN BIÊN"):
        (tmp_path / "docs" / f"{place}.txt").write_text(header.replace("{P}", place) + body, encoding="utf-8")
    store = str(tmp_path / "s.db")
    assert CliRunner().invoke(main, ["build", str(tmp_path / "docs"), "--store", store, "--jobs", "1"]).exit_code == 0
    result = CliRunner().invoke(main, ["query", "impact", "05/2022/QĐ-UBND", "--store", store])
    assert result.exit_code == 2 and "names 2 documents" in result.output
    assert {row["place"] for row in cells(result.output.splitlines()[1:])} == {"Kon Tum", "Điện Biên"}


def test_roles_are_plain_words():
    from legalkg.tables import cell_text

    assert cell_text(["lead", "coordinating"]) == "lead, coordinating" and cell_text({"lead"}) == "lead"


# --- serve: where it listens, and no temporary folder left -------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`python -m legalkg serve ARGS` with TMPDIR set to tmp, its stderr read line by line in a thread."""

    def __init__(self, tmp: Path, *args: str, session: bool = False) -> None:
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "legalkg", "serve", *args, "--port", str(self.port)],
                                        cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, start_new_session=session)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, start: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("the server exited: " + "\n".join(self.seen))
            self.seen.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"no line starting {start!r}: " + "\n".join(self.seen))

    def stop(self, signum: int, group: bool = False) -> int:
        (os.killpg if group else os.kill)(self.process.pid, signum)
        try:
            code = self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        while (line := self.lines.get(timeout=10)) is not None:
            self.seen.append(line)
        return code


def leftovers(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("legalkg-"))


@pytest.mark.parametrize("signum,workers", [(signal.SIGINT, "2"), (signal.SIGTERM, "2"), (signal.SIGTERM, "1"),
                                            (signal.SIGINT, "1"), (signal.SIGHUP, "1"), (signal.SIGHUP, "2")],
                         ids=["SIGINT-2", "SIGTERM-2", "SIGTERM-1", "SIGINT-1", "SIGHUP-1", "SIGHUP-2"])
def test_serve_says_where_it_listens_and_leaves_no_temporary_folder(tmp_path, signum, workers):
    served = Served(tmp_path, "--workers", workers)
    try:
        line = served.wait_for("legalkg: serving ")
        base = line.split()[2]
        assert base == f"http://127.0.0.1:{served.port}" and f"{base}/docs" in line and f"{workers} worker" in line
        assert f"the workbench at {base}/," in line and httpx.get(f"{base}/", timeout=10).status_code == 200
        assert leftovers(tmp_path), "the sample store is not in a temporary folder under TMPDIR"
        assert httpx.get(f"{base}/v1/documents/ND 107%2F2021/dependent-tasks", timeout=10).status_code == 200
        assert httpx.get(f"{base}/v1/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60).status_code == 200
    finally:
        code = served.stop(signum)
    assert code == 0, served.seen
    assert leftovers(tmp_path) == [], served.seen
    assert sum(line.startswith("legalkg: serving ") for line in served.seen) == 1
    assert served.seen[-1] == "legalkg: stopped"


def test_ctrl_c_in_a_terminal_stops_every_process_quietly(tmp_path):
    """A terminal's Ctrl-C reaches the whole process group: workers, their query and upload processes too."""
    served = Served(tmp_path, "--workers", "2", session=True)
    try:
        base = served.wait_for("legalkg: serving ").split()[2]
        assert httpx.get(f"{base}/v1/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60).status_code == 200
        upload = httpx.post(f"{base}/v1/documents", data={"text": "Theo Nghị định số 61/2018/NĐ-CP.", "name": "a.txt"},
                            timeout=60)
        assert upload.status_code == 201, upload.text
    finally:
        code = served.stop(signal.SIGINT, group=True)
    assert code == 0 and leftovers(tmp_path) == []
    assert not any("Traceback" in line for line in served.seen), "\n".join(served.seen)
    deadline = time.monotonic() + 10
    while subprocess.run(["pgrep", "-g", str(served.process.pid)], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, "processes of the server outlived it"
        time.sleep(0.2)


def test_serve_that_cannot_start_leaves_no_temporary_folder(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            result = subprocess.run([sys.executable, "-m", "legalkg", "serve", "--workers", workers, "--port", str(port)],
                                    cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True,
                                    text=True, timeout=120)
            assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr
            assert "legalkg: serving" not in result.stderr
            assert leftovers(tmp_path) == []


def test_a_temporary_folder_goes_on_sigterm(tmp_path, monkeypatch):
    from legalkg.tempdirs import Stopped, signals_stop, temporary_folder

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Stopped), signals_stop(), temporary_folder() as folder:
        (folder / "store.db").write_text("x")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal interrupts this
    assert not folder.exists() and leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == before
