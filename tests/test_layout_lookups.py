"""The quick lookups the extraction's hot paths use (extract/layout.py, extract/structure.py) answer as the plain
computations they replace: a section test per offset, line starts, the site's repeated title, numbered lines."""

from __future__ import annotations

import re

import pytest

from legalkg.extract.layout import Layout, Lines, _title_repeated, find_layout
from legalkg.extract.structure import MARKUP, _NumberedLines

PAGE = ("THƯ VIỆN PHÁP LUẬT\nĐăng nhập\n\nỦY BAN NHÂN DÂN\nSố: 12/KH-UBND\nKẾ HOẠCH\nThực hiện Nghị định số "
        "61/2018/NĐ-CP\n1. Giao Sở Nội vụ chủ trì.\nKế hoạch 12/KH-UBND năm 2026 thực hiện\nThành viên Pro\n")


@pytest.mark.parametrize("text", [PAGE, "KẾ HOẠCH\nSố: 3/KH-UBND\n1. Nội dung.\n", ""])
def test_the_section_test_agrees_with_section_at_everywhere(text):
    layout = find_layout(text)
    for kind in ("chrome", "body", "header", "appendix"):
        inside = layout.in_kind(kind)
        assert [inside(at) for at in range(len(text) + 2)] == \
            [layout.section_at(at) == kind for at in range(len(text) + 2)]


def test_a_layout_without_the_kind_answers_no_at_once_but_body_is_what_precedes_every_section():
    layout = Layout((("header", 5, 10), ("body", 10, 20)), 5, 20)
    assert not any(layout.in_kind("chrome")(at) for at in range(25))
    assert layout.in_kind("body")(0) and layout.section_at(0) == "body"


@pytest.mark.parametrize("text", ["", "a", "\n", "a\nbc\n\nd", "\n\nx\n"])
def test_line_starts_and_ends(text):
    lines = Lines(text)
    naive, at = [], 0
    for line in text.split("\n"):
        naive.append((at, at + len(line)))
        at += len(line) + 1
    assert list(lines) == naive and lines.starts == [s for s, _ in naive]


@pytest.mark.parametrize("text,start,expected", [
    ("x\nKế hoạch 12/KH-UBND năm 2026\n", 0, 2),
    ("x\nKế hoạch 12/KH-UBND\n", 0, 2),  # the number at the line's end
    ("x\nSố 12/KH-UBND\n", 0, None),  # must not match: the number line itself
    ("x\nKế hoạch 12/KH-UBNDX\n", 0, None),  # must not match: another number that starts alike
    ("x\n12/KH-UBND và Kế hoạch 12/KH-UBND\n", 0, None),  # must not match: a digit before the number on the line
    ("Kế hoạch 12/KH-UBND\nQuyết định 12/KH-UBND\n", 5, 20),  # a line that starts before `start` is passed over
])
def test_the_repeated_title_is_the_line_the_pattern_would_find(text, start, expected):
    assert _title_repeated(text, start, "12/KH-UBND") == expected
    pattern = re.compile(r"(?m)^[ \t]*(?!Số )(?:[A-ZĐ][^\d|*:;,()\n]{1,40}?|[A-Z][A-Za-z ]+ No\.) "
                         + re.escape("12/KH-UBND") + r"(?:\s|$)")
    m = pattern.search(text, start)
    assert (m.start() if m else None) == expected


NUMBERED = ("Điều 1. Phạm vi\n1. Khoản một:\na) Điểm a;\n a.1) Tiết;\n**b)** không\nb) Điểm b.\n2. Khoản hai\n"
            "12.5 không\n> 3. Khoản ba\n")
PATTERNS = {  # each kind searched on its own, as the tree read them before they were read at once
    "khoan": re.compile(rf"(?m)^{MARKUP}(\d{{1,3}})\.(?!\d)[ \t]*\S"),
    "diem": re.compile(rf"(?m)^{MARKUP}([a-zđ])\)[ \t]*\S"),
    "tiet": re.compile(rf"(?m)^{MARKUP}([a-zđ]\.\d{{1,2}})\)[ \t]*\S"),
}


@pytest.mark.parametrize("start,end", [(0, len(NUMBERED)), (15, 60), (16, 40), (30, len(NUMBERED)), (0, 0), (45, 46)])
def test_numbered_lines_read_once_are_those_a_search_of_each_span_finds(start, end):
    numbered = _NumberedLines(NUMBERED)
    for kind, pattern in PATTERNS.items():
        assert list(numbered.within(kind, start, end)) == \
            [(m.group(1), m.start(1)) for m in pattern.finditer(NUMBERED, start, end)]
