"""The speed-ups in the pattern machinery give exactly the matches of the plain patterns they replace."""

from __future__ import annotations

import re

import pytest

from legalkg.extract import patterns as P
from legalkg.extract.layout import APPENDIX_START, SITE_META_FIELD, _match_starts

TEXTS = [
    "theo Nghị định số 61/2018/NĐ-CP và 107/2021/NĐ-CP",
    "x12/ 2018/NĐ-CP",  # a blocked match hides a valid one that starts inside it
    "biểu số II.05a/VPCP/KSTT; QCVN 01:2021/BYT; 0123456/KH-UBND; 12345/KH-UBND",
    "1291/SNNPTNT ngày 26/5/2020, 04-NQ/TU, a04-NQ/TU, .05/QĐ-TTg",
    "",
    "/KH-UBND 7/",
    "123456/KH-UBND, 12a/QĐ-UBND, 7-NQ/TW8, 2018/2019/NĐ-CP, 1/ 2/ 3",
]


@pytest.mark.parametrize("text", TEXTS)
def test_iter_bounded_equals_a_leading_lookbehind(text):
    plain = re.compile(P.NUMBER)
    bounded = P.iter_bounded(P.number_re(), text, P.NUMBER_BLOCKER)
    assert [m.span() for m in bounded] == [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in P.iter_numbers(text)] == [m.span() for m in plain.finditer(text)]


def test_iter_bounded_finds_the_number_behind_a_blocked_one():
    assert [m.group(0) for m in P.iter_bounded(P.number_re(), "x12/ 2018/NĐ-CP", P.NUMBER_BLOCKER)] == ["2018/NĐ-CP"]


def test_bounded_match_refuses_a_blocked_start():
    assert P.bounded_match(P.number_re(), "số:59/2020/QH14", P.NUMBER_BLOCKER, 3) is None
    assert P.bounded_match(P.number_re(), "số 59/2020/QH14", P.NUMBER_BLOCKER, 3).group(0) == "59/2020/QH14"


LINES = "PHỤ LỤC I\n  - Số hiệu: 1\n|(Kèm theo Quyết định)\n(Kèm theo Quyết định)\nPhụ lục\n\n- Loại văn bản: x\n"


@pytest.mark.parametrize("pattern", [APPENDIX_START, SITE_META_FIELD])
def test_line_start_patterns_match_where_multiline_caret_does(pattern):
    assert _match_starts(pattern, LINES) == [m.start() for m in pattern.finditer(LINES)]
    assert _match_starts(pattern, LINES)  # the sample exercises the pattern


NEW_FORMS = [
    "theo Nghị quyết số 66.4/2025/NQ-CP và 6.12/2026/NQ-CP, 123456.1/NQ-CP, 1.234/NQ-CP",
    "Tờ trình số**382**/TTr-CP, Thông tư số 22 /2026/TT-BTC, **40/2021/TT-**BTC",
    "10-CTr/TU, 459-KHHĐ/TU, 368- QĐ/TW, 28-2024/CTHĐQT-DA, 2030-2035/",
]


@pytest.mark.parametrize("text", NEW_FORMS)
def test_iter_numbers_equals_the_plain_pattern_on_new_forms(text):
    plain = re.compile(P.NUMBER)
    assert [m.span() for m in P.iter_numbers(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("text,key", [
    ("theo 66.4/2025/NQ-CP", "66.4/2025/NQ-CP"),
    ("số**382**/TTr-CP", "382/TTr-CP"),
    ("số 40/2021/TT-**BTC", "40/2021/TT-BTC"),
    ("số 69/2019/NĐ-\nCP", "69/2019/NĐ-CP"),
])
def test_number_key_drops_blanks_and_bold_markers(text, key):
    from legalkg.extract.citations import number_parts

    (m,) = P.iter_numbers(text)
    assert number_parts(m)[0] == key
