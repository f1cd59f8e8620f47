"""Extraction time on inputs built to find super-linear steps: seconds (CPU) per MB for each class of input, at growing
sizes, and the ratio of 50 MB to 25 MB of the shared corpus run together into one text (a linear extractor: about 2).

Classes (generated in memory):
- combining     one letter followed by 1M combining marks (the normaliser's worst run)
- pipe, tab, block, markdown, gazette, html
                task tables of 1k, 4k and 10k rows in each layout the readers know (STT numbers of any width)
- long-cell     one task whose lead cell lists agencies, 100 KB to 1 MB (past extract.tasks.MAX_AGENCY_CELL: a warning)
- long-name     one task whose lead cell is one run of department names under one "Sở", 100 KB to 1 MB
- nesting       headings and numbering nested deep: Chương/Mục/Điều, clauses 1. to 1.1.1.1.1.1.1.1., points; heading
                rows I, I.1, … I.1.1.1.1.1.1.1 over numbered rows
- upload        a 2 MB plan: a seed's header and body, then the seeds' appendices (task tables) one after another
- corpus        the shared corpus, files in order, run together to 12, 25 and 50 MB
- corpus-doc    the same with the gazette and seed files only (see DOCUMENT_FOLDERS): all of it document text

    python bench/pathological.py [CLASS ...] [--corpus PATH]     (default: every class, ../shared/corpus)

Prints figures (wall and CPU time; s/MB is CPU time, other work on the machine aside); asserts nothing. The targets:
no class slower than 1 s per MB, 50 MB in at most 2.2x the time of 25 MB. An input that makes extraction fail is
reported as such.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from legalkg.extract.layout import find_layout  # noqa: E402
from legalkg.extract.pipeline import extract_text, iter_files  # noqa: E402
from legalkg.extract.text import read_source  # noqa: E402

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
RESOLUTION = "CHÍNH PHỦ\nSố: 9/2026/NQ-CP\nHà Nội, ngày 05 tháng 01 năm 2026\nNGHỊ QUYẾT\nThử nghiệm\n"
COLUMNS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành")
AGENCIES = ("Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông",
            "Công an tỉnh", "Sở Kế hoạch và Đầu tư", "UBND cấp huyện")
DEPARTMENTS = ("Tư pháp", "Nội vụ", "Tài chính", "Xây dựng", "Y tế")
DEADLINES = ("Quý I/2023", "Tháng 6/2023", "Thường xuyên", "Năm 2024", "Trước ngày 15/12/2023")
TABLE_ROWS = (1_000, 4_000, 10_000)
LONG_CELL = (100_000, 400_000, 1_000_000)  # characters of the one long cell
CORPUS_MB = (12, 25, 50)
# folders whose files are document text through and through: a thuvienphapluat page's site text makes the pipeline take
# that page's document for the whole text (extract.layout), so "corpus" at 50 MB reads one page; "corpus-doc" reads all
DOCUMENT_FOLDERS = ("gazette", "seeds")
NESTING_LEVELS = 8
TARGET_S_PER_MB = 1.0
TARGET_RATIO = 2.2


def row(k: int) -> tuple[str, str, str, str, str]:
    """Row k of a task table: a task citing a decree now and then, a lead, coordinating agencies and a deadline."""
    cite = f" theo Nghị định số {k % 90 + 1}/2018/NĐ-CP" if k % 7 == 0 else ""
    return (str(k), f"Rà soát thủ tục hành chính nhóm {k}{cite}.", AGENCIES[k % len(AGENCIES)],
            f"{AGENCIES[(k + 3) % len(AGENCIES)]}, {AGENCIES[(k + 5) % len(AGENCIES)]}", DEADLINES[k % len(DEADLINES)])


def rows(n: int) -> Iterator[tuple[str, ...]]:
    return (row(k) for k in range(1, n + 1))


# --- task tables in each layout -------------------------------------------------------------------------------------
def pipe_table(n: int) -> str:
    lines = (" | ".join(cells) + " |" for cells in (COLUMNS, *rows(n)))
    return PLAN + "PHỤ LỤC\n" + "\n".join(lines) + "\n"


def tab_table(n: int) -> str:
    lines = ("\t".join(cells) for cells in (COLUMNS, *rows(n)))
    return PLAN + "PHỤ LỤC\n" + "\n".join(lines) + "\n"


def block_table(n: int) -> str:
    """The seeds' layout: one cell per block of lines between "|" lines, rows not delimited."""
    cells = (cell for cells in (COLUMNS, *rows(n)) for cell in cells)
    return PLAN + "PHỤ LỤC\n(Kèm theo Kế hoạch)\n" + "\n|\n".join(cells) + "\n"


def markdown_table(n: int) -> str:
    """thuvienphapluat: "|", a cell, "|", …; a row ends at two "|" lines in a row; header cells in bold."""
    header = [f"**{c}**" for c in COLUMNS]
    page = "".join("|\n" + "".join(f"{cell}\n|\n" for cell in cells) for cells in (header, *rows(n)))
    return PLAN + "PHỤ LỤC\n" + page + "Nơi nhận:\n"


def gazette_table(n: int) -> str:
    """Gazette PDF text: one cell after another, a line each, no separators."""
    header = "TT \nNHIỆM VỤ \nTHỜI HẠN \nHOÀN THÀNH \nCƠ QUAN CHỦ TRÌ \nCƠ QUAN PHỐI HỢP \n"
    body = "".join(f"{no} \n{task} \n{deadline} \n{lead} \n{other} \n" for no, task, lead, other, deadline in rows(n))
    return RESOLUTION + "Phụ lục\n" + header + body


def html_table(n: int) -> str:
    def tr(cells: tuple[str, ...], tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>\n"

    body = tr(COLUMNS, "th") + "".join(map(tr, rows(n)))
    return f"<html><body><p>{PLAN}</p><p>PHỤ LỤC</p><table border=\"1\">\n{body}</table></body></html>"


# --- other shapes ---------------------------------------------------------------------------------------------------
def combining(marks: int) -> str:
    return PLAN + "a" + "\u0301" * marks + "\n"


def long_cell(size: int) -> str:
    """One row whose lead cell names agency after agency, separated as cells do (commas, "và", semicolons)."""
    names, length = [], 0
    for k in range(size):
        name = f"{AGENCIES[k % len(AGENCIES)]} {k}" + (", " if k % 3 else "; ") + ("và " if k % 5 == 4 else "")
        names.append(name)
        length += len(name)
        if length >= size:
            break
    return pipe_table(0) + " | ".join(("1", "Triển khai kế hoạch", "".join(names), "Các sở", "Quý I/2023")) + " |\n"


def long_name(size: int) -> str:
    """One row whose lead cell is a single run of department names under one head ("Sở Tư pháp Nội vụ Tài chính …"),
    which the splitter reads as a sequence of the head's departments."""
    words = " ".join(DEPARTMENTS[k % len(DEPARTMENTS)] for k in range(size // 8))
    return pipe_table(0) + " | ".join(("1", "Triển khai kế hoạch", f"Sở {words}", "Các sở", "Quý I/2023")) + " |\n"


def nesting(groups: int) -> str:
    """Numbering nested as deep as it goes, group after group: Chương, Mục, Điều, clauses 1. to 1.1.1.1.1.1.1.1., points
    and dashes in the body; in the appendix a pipe table whose heading rows nest I > I.1 > I.1.1 > I.1.1.1 (and
    deeper numbers, which are no STT) over numbered rows."""
    body, table = [], [" | ".join(COLUMNS) + " |"]
    for k in range(1, groups + 1):
        body.append(f"Chương {k}\nQUY ĐỊNH CHUNG\nMục {k}. PHẠM VI\nĐiều {k}. Phạm vi điều chỉnh\n")
        body += [f"{'.'.join(['1'] * level)}. Khoản mức {level} theo Nghị định số {level}/2018/NĐ-CP;\na) Điểm a;\n- Gạch\n"
                 for level in range(1, NESTING_LEVELS + 1)]
        table += [f"{'.'.join(['I'] + ['1'] * level)} | Nhóm nhiệm vụ mức {level} | | | |" for level in range(NESTING_LEVELS)]
        table.append(" | ".join(row(k)) + " |")
    return PLAN + "".join(body) + "PHỤ LỤC\n" + "\n".join(table) + "\n"


def corpus_text(corpus: Path, megabytes: float, folders: tuple[str, ...] = ()) -> str:
    """Corpus documents in order (those of the given folders only, if any), run together until the text holds that many
    MB (UTF-8), from the start again if need be."""
    files = [path for path in iter_files([corpus]) if not folders or path.parent.name in folders]
    goal, size, parts = int(megabytes * 1e6), 0, []
    while size < goal:
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.append(text)
            size += len(text.encode("utf-8"))
            if size >= goal:
                break
    return "\n\n".join(parts)


def upload(corpus: Path, megabytes: float = 2) -> str:
    """A 2 MB plan as a user might upload it: a seed plan's header and body, then the appendices (task tables) of the
    seeds one after another until the text holds that many MB."""
    seeds = [read_source(path).text for path in iter_files([corpus / "seeds"])]
    appendices = [text[start:end] for text in seeds for kind, start, end in find_layout(text).sections
                  if kind == "appendix"]
    first = seeds[0]
    parts = [first[: next(start for kind, start, _ in find_layout(first).sections if kind == "appendix")]]
    size = len(parts[0].encode("utf-8"))
    while size < megabytes * 1e6:
        parts.append(appendices[len(parts) % len(appendices)])
        size += len(parts[-1].encode("utf-8"))
    return "\n".join(parts)


# --- measuring ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    megabytes: float
    wall: float
    cpu: float  # the process's CPU time: what the figures are judged on, other work on the machine aside
    tasks: int
    citations: int
    error: str | None = None

    def per_mb(self) -> float:
        return self.cpu / self.megabytes


def measure(text: str) -> Figure:
    megabytes = len(text.encode("utf-8")) / 1e6
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        document = extract_text(text)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        return Figure(megabytes, time.perf_counter() - wall, time.process_time() - cpu, 0, 0, type(exc).__name__)
    return Figure(megabytes, time.perf_counter() - wall, time.process_time() - cpu, len(document.tasks),
                  len(document.citations))


def show(name: str, label: str, figure: Figure) -> None:
    flag = f"  FAILED: {figure.error}" if figure.error else "  SLOW" if figure.per_mb() > TARGET_S_PER_MB else ""
    print(f"{name:<11} {label:>10} {figure.megabytes:7.2f} MB {figure.wall:8.2f} s wall {figure.cpu:8.2f} s cpu "
          f"{figure.per_mb():7.3f} s/MB {figure.tasks:7d} tasks {figure.citations:6d} citations{flag}", flush=True)


def classes(corpus: Path) -> dict[str, list[tuple[str, Callable[[], str]]]]:
    tables = {"pipe": pipe_table, "tab": tab_table, "block": block_table, "markdown": markdown_table,
              "gazette": gazette_table, "html": html_table}
    return {
        "combining": [("1M marks", lambda: combining(1_000_000))],
        **{name: [(f"{n} rows", lambda make=make, n=n: make(n)) for n in TABLE_ROWS] for name, make in tables.items()},
        "long-cell": [(f"{size // 1000} KB", lambda size=size: long_cell(size)) for size in LONG_CELL],
        "long-name": [(f"{size // 1000} KB", lambda size=size: long_name(size)) for size in LONG_CELL],
        "nesting": [(f"{groups} groups", lambda groups=groups: nesting(groups)) for groups in (500, 2_000)],
        "upload": [("2 MB", lambda: upload(corpus))],
        "corpus": [(f"{mb} MB", lambda mb=mb: corpus_text(corpus, mb)) for mb in CORPUS_MB],
        "corpus-doc": [(f"{mb} MB", lambda mb=mb: corpus_text(corpus, mb, DOCUMENT_FOLDERS)) for mb in CORPUS_MB],
    }


def main(argv: list[str]) -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if "--corpus" in argv:
        corpus = Path(argv.pop(argv.index("--corpus") + 1))
        argv.remove("--corpus")
    extract_text(PLAN + "Căn cứ Nghị định số 61/2018/NĐ-CP;\n" + pipe_table(2))  # compile patterns, load spaCy
    chosen = classes(corpus)
    worst: dict[str, float] = {}
    for name in argv or chosen:
        figures = {}
        for label, make in chosen[name]:
            figures[label] = figure = measure(make())
            show(name, label, figure)
            worst[name] = max(worst.get(name, 0.0), figure.per_mb())
        if {"25 MB", "50 MB"} <= figures.keys():
            ratio = figures["50 MB"].cpu / figures["25 MB"].cpu
            print(f"{name:<11} 50 MB / 25 MB: {ratio:.2f} (target at most {TARGET_RATIO})", flush=True)
    print("worst s/MB  " + ", ".join(f"{name} {value:.3f}" for name, value in worst.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
