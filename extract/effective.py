"""The date a document takes effect, as its own text states it: "Nghị định này có hiệu lực thi hành từ ngày 01 tháng
7 năm 2026", "Thông tư này có hiệu lực kể từ ngày ký ban hành" (the date it was issued), "… có hiệu lực sau 45 ngày kể
từ ngày ký" (issued + 45 days).

Only a sentence whose subject is the document itself ("<its type> này", the types of doctypes.toml) counts: a
clause giving one provision its own date ("Quy định tại khoản 1 Điều 3 Nghị định này có hiệu lực …") does not, nor
does "hết hiệu lực", nor a contract or a licence in a form ("Hợp đồng này có hiệu lực kể từ ngày ký"). The first such
sentence is taken: later ones are transitional clauses or model decisions in an appendix (over the corpus, the last
one is wrong on one of the five documents of gold/effects-dev, the first on none).

A consolidated text (văn bản hợp nhất) takes no effect of its own: it restates the effect clauses of the documents it
consolidates, each with its own date, so it has none here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from legalkg.extract.vocab import CONSOLIDATED_TYPE, vocab

DAY = r"(?P<d>\d{1,2})\s*(?:tháng|/|-|\.)\s*(?P<m>\d{1,2})\s*(?:năm|/|-|\.)\s*(?P<y>(?:19|20)\d{2})"
TAKES_EFFECT = r"\s+có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+"
FROM_DAY = rf"(?:kể\s+)?từ\s+ngày\s+{DAY}"
FROM_SIGNING = r"(?:kể\s+)?từ\s+ngày\s+(?P<signed>ký|ban\s+hành)"
AFTER_DAYS = r"sau\s+(?P<days>\d{1,3})\s+ngày(?:,)?\s+kể\s+từ\s+ngày\s+(?:ký|ban\s+hành)"
# "… khoản 1 Điều 3 Nghị định này", "… quy định tại Nghị định này": the subject is a provision, not the document
# ("Điều 2. Nghị định này …", a heading, ends with a full stop and does not count).
CUE = re.compile(r"có\s+hiệu\s+lực")
BEFORE_CUE, AFTER_CUE = 40, 90  # room for the longest type name and "này"; for the longest date or delay after it
NOT_SUBJECT_BEFORE = re.compile(r"(?:(?:Điều|khoản|điểm|mục|chương)\s+\d+[a-zđ]?|tại|của|theo|với)\s+$", re.IGNORECASE)


@cache
def statement() -> re.Pattern[str]:
    """"<type> này có hiệu lực …", the types from doctypes.toml."""
    types = "|".join(sorted((re.escape(t.name) for t in vocab().doctypes), key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?P<type>{types})\s+này{TAKES_EFFECT}(?:{FROM_DAY}|{FROM_SIGNING}|{AFTER_DAYS})",
                      re.IGNORECASE)


def effective_date(text: str, start: int, end: int, issued: str | None, doc_type: str | None) -> str | None:
    """The ISO date text[start:end] (the document, without site chrome) says the document takes effect; None when it
    does not say, ties it to a signing date that is not known, or is a consolidated text."""
    if doc_type == CONSOLIDATED_TYPE:
        return None
    for cue in CUE.finditer(text, start, end):  # a plain phrase first: the full pattern over every text cost 8 %
        m = statement().search(text, max(start, cue.start() - BEFORE_CUE), min(end, cue.end() + AFTER_CUE))
        if m and m.start() < cue.start() < m.end() and not _about_a_provision(text, m.start()):
            return _date_of(m, issued)
    return None


def _about_a_provision(text: str, at: int) -> bool:
    """"Quy định tại khoản 1 Điều 3 Nghị định này có hiệu lực …": the subject is a provision of the document."""
    return NOT_SUBJECT_BEFORE.search(text[max(0, at - 40):at]) is not None


def _date_of(m: re.Match[str], issued: str | None) -> str | None:
    if m.group("y"):
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
        except ValueError:
            return None
    if not issued:
        return None
    if m.group("days"):
        return (date.fromisoformat(issued) + timedelta(days=int(m.group("days")))).isoformat()
    return issued
