"""Extraction time grows linearly with the input: for each step that once grew faster (issue 13), the time for an
input four times as large, against the time for the input itself. Linear work gives about 4, quadratic about 16; the
bound, 8, leaves room for a busy machine. Each time is the best of up to three runs, and the smaller input takes
50 ms at least, so timer noise does not decide.

The inputs are the shapes that were slow: a run of combining marks after one letter, task tables of every layout past
row 999 (an STT of four digits did not start a row, and every later row went on task 999), a task continued over many
rows, and agency cells of thousands of names. And rows 1000 on start tasks of their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from legalkg.extract.agencies import lead_and_coordinating
from legalkg.extract.pipeline import extract_text
from legalkg.extract.text import normalise

LINEAR_BOUND = 8.0
RUNS = 3
ENOUGH = 1.0  # seconds: a run this slow is not repeated (the old, quadratic code takes minutes otherwise)

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
RESOLUTION = "CHÍNH PHỦ\nSố: 9/2026/NQ-CP\nHà Nội, ngày 05 tháng 01 năm 2026\nNGHỊ QUYẾT\nThử nghiệm\n"
COLUMNS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành")
LINE = "Tiếp tục rà soát, đánh giá và đề xuất phương án đơn giản hóa thủ tục hành chính, giấy tờ công dân liên quan"
LEADS = ("Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Văn phòng UBND tỉnh", "Công an tỉnh")


def row(k: int) -> tuple[str, str, str, str, str]:
    return str(k), f"Rà soát thủ tục nhóm {k}.", LEADS[k % len(LEADS)], "Các sở, ban, ngành", "Quý I/2023"


def rows(n: int) -> list[tuple[str, ...]]:
    return [row(k) for k in range(1, n + 1)]


# --- task tables in each layout the readers know ----------------------------------------------------------------
def pipe(n: int) -> str:
    return PLAN + "PHỤ LỤC\n" + "".join(" | ".join(cells) + " |\n" for cells in (COLUMNS, *rows(n)))


def tab(n: int) -> str:
    return PLAN + "PHỤ LỤC\n" + "".join("\t".join(cells) + "\n" for cells in (COLUMNS, *rows(n)))


def block(n: int) -> str:
    return PLAN + "PHỤ LỤC\n(Kèm theo Kế hoạch)\n" + "\n|\n".join(c for cells in (COLUMNS, *rows(n)) for c in cells) + "\n"


def markdown(n: int) -> str:
    header = tuple(f"**{c}**" for c in COLUMNS)
    return PLAN + "PHỤ LỤC\n" + "".join("|\n" + "".join(f"{c}\n|\n" for c in cells) for cells in (header, *rows(n)))


def gazette(n: int) -> str:
    header = "TT \nNHIỆM VỤ \nTHỜI HẠN \nHOÀN THÀNH \nCƠ QUAN CHỦ TRÌ \nCƠ QUAN PHỐI HỢP \n"
    return RESOLUTION + "Phụ lục\n" + header + "".join(f"{no} \n{task} \n{when} \n{lead} \n{other} \n"
                                                        for no, task, lead, other, when in rows(n))


def html(n: int) -> str:
    def tr(cells: tuple[str, ...], tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>\n"

    return f"<p>{PLAN}</p><p>PHỤ LỤC</p><table>{tr(COLUMNS, 'th')}{''.join(map(tr, rows(n)))}</table>"


# the smaller size: 50 ms or more; pipe and TAB rows large enough that the old, quadratic reading shows
LAYOUTS = {"pipe": (pipe, 2_500), "tab": (tab, 2_500), "block": (block, 800), "markdown": (markdown, 800),
           "gazette": (gazette, 300), "html": (html, 800)}


def growth(make: Callable[[int, int], Callable[[], object]], n: int) -> float:
    """time(4n) / time(n); make(size, run) prepares the work and gives it (run lets the input differ between runs,
    past any cache)."""
    return best_of(lambda run: make(4 * n, run)) / best_of(lambda run: make(n, run))


def best_of(make: Callable[[int], Callable[[], object]]) -> float:
    best, spent = float("inf"), 0.0
    for run in range(RUNS):
        work = make(run)
        start = time.perf_counter()
        work()
        took = time.perf_counter() - start
        best, spent = min(best, took), spent + took
        if spent > ENOUGH:
            break
    return best


def reading(text: str) -> Callable[[], object]:
    return lambda: extract_text(text)


# --- the tests --------------------------------------------------------------------------------------------------
def test_a_run_of_combining_marks_normalises_in_linear_time():
    def work(marks: int, run: int):
        raw = f"{run}a" + "\u0301\u0323" * (marks // 2)  # classes 230 and 220: CPython puts them in order by insertion
        return lambda: normalise(raw)

    assert growth(work, 100_000) < LINEAR_BOUND


@pytest.mark.parametrize("layout", LAYOUTS)
def test_task_tables_past_row_999_read_in_linear_time(layout):
    make, n = LAYOUTS[layout]
    assert growth(lambda size, run: reading(make(size)), n) < LINEAR_BOUND


def test_a_task_continued_over_many_rows_in_linear_time():
    def work(continued: int, run: int):
        more = "".join(f" | {LINE} số {k}. | | | |\n" for k in range(continued))
        return reading(pipe(1) + more)

    assert growth(work, 2_000) < LINEAR_BOUND


def test_an_agency_cell_of_thousands_of_names_splits_in_linear_time():
    def work(names: int, run: int):
        cell = "Các sở, " + ", ".join("ban, ngành" for _ in range(names)) + f", ngành {run}"
        return lambda: lead_and_coordinating(cell, cell)

    assert growth(work, 8_000) < LINEAR_BOUND


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rows_past_999_start_tasks_of_their_own(layout):
    make, _ = LAYOUTS[layout]
    raw = make(1_200)
    found = extract_text(raw).tasks
    assert [t.no.rstrip(".") for t in found] == [str(k) for k in range(1, 1_201)]
    task = found[999]
    assert (task.text, task.parts[0].lead) == ("Rà soát thủ tục nhóm 1000.", (LEADS[1_000 % len(LEADS)],))
    assert raw[task.span.start : task.span.end].count("nhóm") == 1  # its own row, not those after it
