"""The speed-ups in the pattern machinery give exactly the matches of the plain patterns they replace."""

from __future__ import annotations

import re

import pytest

from extract import patterns as P
from extract.layout import APPENDIX_START, SITE_META_FIELD, _match_starts

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
