"""Read the deadline cell of a plan's task ("Quý I/2023", "Trước ngày 15/02/2023", "Thường xuyên") into a Deadline.

The words are data (extract/data/deadlines.toml). Every phrase the patterns find is a hit; where hits overlap the
leftmost, then the longest, wins. A cell that holds several deadlines gives its first clear one, and the hits after
it are read only to finish that one:
- "Từ năm 2022 đến năm 2023", "Năm 2022 và những năm tiếp theo": the span is closed, or left open;
- "Thường xuyên bắt đầu từ tháng 11/2022": the continuous deadline gets its start;
- "Quý II, hàng năm", "Tháng 3 và tháng 9 hằng năm", "Trước 25/12 năm báo cáo": periods without a year of their
  own before a frequency make a recurring deadline, the periods go into its note. With a year ("Quý I/2023 và hàng
  năm") the period itself is the deadline.
Everything later is ignored ("Tháng 12/2022 và theo Kế hoạch số 140/KH-UBND" is the month). A condition ("Theo lộ
trình", "Khi có hướng dẫn …") is the deadline only when the cell has nothing else. Citation numbers and their issue
dates ("Kế hoạch số 12/KH-UBND ngày 15/02/2023") are blanked out first, so they are never read as deadlines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from legalkg.extract import patterns as P
from legalkg.extract.memo import remembered
from legalkg.extract.vocab import data as vocab_data

YEAR = r"(?:19|20)\d{2}"
NUM_START = r"(?<![\d/.-])"  # a number that is not the tail of another (ISO 9001-2015, 01.02)
GAP = re.compile(r"[\s,;:.–-]*")  # what may separate two hits that are read together
CLAUSE_OPENER = tuple(".;:,(-–")  # a condition must open a clause: the cell's start or after one of these
CLAUSE_END = re.compile(r"[.;](?=\s|$)|\s[-–]\s")


@dataclass(frozen=True)
class Deadline:
    kind: str  # "date" | "month" | "quarter" | "year" | "range" | "recurring" | "continuous" | "conditional"
    start: str | None  # ISO date: the earliest day the deadline allows / the period starts
    end: str | None  # ISO date: the last day (the due date); None when open
    text: str  # the phrase that was parsed (a substring of the input)
    note: str | None = None  # "annual, before 25/12" for recurring ones, the condition for conditional ones


@dataclass(frozen=True)
class _Hit:
    kind: str
    first: date | None
    last: date | None
    pos: int
    stop: int
    role: str | None = None  # the modifier before it: "by", "from", "to", "within"
    dated: bool = True  # has a year of its own (or "năm kế hoạch"); else the plan's year was filled in
    desc: str = ""  # "quarter II", "month 3", "before 25/12": the period in a recurring note
    note: str | None = None


@dataclass(frozen=True)
class _Rules:
    quarters: dict[str, int]
    halves: dict[str, str]
    roles: dict[str, str]
    phrases: tuple[tuple[str, re.Pattern], ...]  # (name, pattern); _hit reads a match by its pattern's name
    recurring: tuple[tuple[str, re.Pattern], ...]  # (note template, pattern)
    continuous: re.Pattern
    onward: re.Pattern
    conditional: re.Pattern


def _alt(words) -> str:
    """Longest first, blanks as \\s+, {n} as a number."""
    escaped = (re.escape(w).replace(r"\ ", r"\s+").replace(r"\{n\}", r"(\d{1,2})") for w in words)
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


def _words_re(words) -> re.Pattern:
    return re.compile(rf"(?<!\w){_alt(words)}(?!\w)", re.IGNORECASE)


def _phrases(w: dict, quarters: str, halves: str, mods: str) -> dict[str, str]:
    day, month, quarter, year = (_alt(w[k]) for k in ("day", "month", "quarter", "year"))
    plan, period = _alt(w["plan_year"]), _alt(w["period"])
    q = rf"(?:{quarters})(?!\w)"
    tail = rf"(?:\s*/\s*(?P<y>{YEAR})|\s+{year}\s+(?P<ny>{YEAR})|\s+(?P<plan>{plan}))?"
    bodies = {
        "quarter_range": rf"(?:{month}\s+)?{quarter}\s+(?P<q>{q})\s*[–-]\s*(?:{quarter}\s+)?(?P<q2>{q}){tail}",
        "quarter": rf"(?:{month}\s+)?{quarter}\s+(?P<q>{q}){tail}",
        "month_range": rf"{month}\s+(?P<m>\d{{1,2}})\s*[–-]\s*(?:{month}\s+)?(?P<m2>\d{{1,2}})(?!\d){tail}",
        "half": rf"(?P<n>\d{{1,2}})\s+{month}\s+(?P<half>{halves})\s+(?:{year}\s+(?P<y>{YEAR})|(?P<plan>{plan})|{year})",
        "date": rf"(?:{day}\s+)?{NUM_START}(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{YEAR})(?!\d)",
        "date_words": rf"{day}\s+(?P<d>\d{{1,2}})\s+{month}\s+(?P<m>\d{{1,2}})(?:\s+{year}\s+(?P<y>{YEAR}))?(?!\d)",
        "day_month": rf"(?:{day}\s+)?{NUM_START}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?![\d/]){tail}",
        "month": rf"{month}\s+(?P<m>\d{{1,2}})(?!\d){tail}",
        "month_number": rf"{NUM_START}(?P<m>\d{{1,2}})/(?P<y>{YEAR})(?![\d/])",
        "year_range": rf"(?:{period}\s+)?{NUM_START}(?P<y>{YEAR})\s*[–-]\s*(?:{year}\s+)?(?P<y2>{YEAR})(?![\d/])",
        "year": rf"(?:{year}\s+)?{NUM_START}(?P<y>{YEAR})(?![\d/-])|(?P<plan>{plan})",
    }
    return {name: rf"(?<!\w)(?:(?P<mod>{mods})\s+)?(?:{body})(?!\w)" for name, body in bodies.items()}


@cache
def rules() -> _Rules:
    data = vocab_data("deadlines.toml")
    roles = {_fold(word): role for role, words in data["modifiers"].items() for word in words}
    quarters = {_fold(k): v for k, v in data["quarters"].items()}
    phrases = _phrases(data["words"], _alt(data["quarters"]), _alt(data["halves"]), _alt(roles))
    continuous = _alt(data["continuous"]["words"])
    return _Rules(
        quarters=quarters,
        halves={_fold(k): v for k, v in data["halves"].items()},
        roles=roles,
        phrases=tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in phrases.items()),
        recurring=tuple((r["note"], _words_re(r["words"])) for r in data["recurring"]),
        continuous=re.compile(rf"(?<!\w){continuous}(?:\s*(?:,|;|và)\s*{continuous})*(?!\w)", re.IGNORECASE),
        onward=re.compile(rf"\s*,?\s*{_alt(data['words']['onward'])}(?!\w)", re.IGNORECASE),
        conditional=_words_re(data["conditional"]["words"]),
    )


class _Groups(dict):  # a match's groups; one its pattern lacks is None
    def __missing__(self, key: str) -> None:
        return None


def _fold(word: str) -> str:
    return re.sub(r"\s+", " ", word).casefold()


def _day(y: int | None, m: int, d: int | None = None) -> date | None:
    """The d-th day of a month; d None is its last day. None without a year or for an impossible date."""
    if y is None or not 1 <= m <= 12:
        return None
    last = calendar.monthrange(y, m)[1]
    return date(y, m, last if d is None else d) if d is None or 1 <= d <= last else None


def _span(name: str, g: _Groups, r: _Rules) -> tuple[str, int, int, str]:
    """kind, first and last month of a period in its year, and its description."""
    if name.startswith("quarter"):
        a, b = r.quarters[_fold(g["q"])], r.quarters[_fold(g["q2"] or g["q"])]
        return ("range" if g["q2"] else "quarter"), 3 * a - 2, 3 * b, f"quarter {g['q'].upper()}"
    if name.startswith("month"):
        a, b = int(g["m"]), int(g["m2"] or g["m"])
        return ("range" if g["m2"] else "month"), a, b, f"month {a}"
    if name == "half":
        n = min(int(g["n"]), 12)
        first = r.halves[_fold(g["half"])] == "first"
        return ("range", 1, n, f"first {n} months") if first else ("range", 13 - n, 12, f"last {n} months")
    return "year", 1, 12, "year"


def _date(g: _Groups, y: int | None, role: str | None) -> tuple[str, date | None, date | None, str, str | None]:
    """kind, first and last day, description and note of a day; 31/02/2023 gives its month, the nearest sense."""
    d, mo = int(g["d"]), int(g["m"])
    if (when := _day(y, mo, d)) is None and _day(y, mo):
        return "month", _day(y, mo, 1), _day(y, mo), f"month {mo}", f"invalid date {d}/{mo}"
    return "date", when, when, f"{'before ' if role == 'by' else ''}{d}/{mo}", None


def _hit(name: str, m: re.Match, year: int | None) -> _Hit | None:
    r, g = rules(), _Groups(m.groupdict())
    role = r.roles.get(_fold(g["mod"])) if g["mod"] else None
    own = g["y"] or g["ny"]
    y, note = (int(own) if own else year), None
    if name == "year_range":
        a, b = sorted((int(g["y"]), int(g["y2"])))
        kind, first, last, desc = "range", date(a, 1, 1), date(b, 12, 31), "years"
    elif name.startswith("date") or name == "day_month":
        if not (1 <= int(g["m"]) <= 12 and 1 <= int(g["d"]) <= 31):
            return None
        kind, first, last, desc, note = _date(g, y, role)
    else:
        kind, a, b, desc = _span(name, g, r)
        if not 1 <= a <= b <= 12:
            return None
        first, last = _day(y, a, 1), _day(y, b)
    note = note or (None if y is not None else "no year")
    hit = _Hit(kind, first, last, m.start(), m.end(), role, bool(own or g["plan"]), desc, note)
    return replace(hit, first=None) if role in ("by", "to") else hit


def _hits(text: str, year: int | None) -> list[_Hit]:
    """Every phrase found, the leftmost and then longest winning where they overlap."""
    r, found = rules(), []
    for name, pattern in r.phrases:
        found += [h for m in pattern.finditer(text) if (h := _hit(name, m, year))]
    for template, pattern in r.recurring:
        for m in pattern.finditer(text):
            note = template.format(n=next(filter(None, m.groups()), None))
            found.append(_Hit("recurring", None, None, m.start(), m.end(), dated=False, note=note))
    found += [_Hit("continuous", None, None, m.start(), m.end(), dated=False) for m in r.continuous.finditer(text)]
    kept: list[_Hit] = []
    for hit in sorted(found, key=lambda h: (h.pos, -h.stop)):
        if not kept or hit.pos >= kept[-1].stop:
            kept.append(hit)
    return kept


def _recurrence(hits: list[_Hit]) -> _Hit | None:
    """Periods without a year followed by a frequency: "Quý II, hàng năm" -> recurring "annual, quarter II"."""
    for i, hit in enumerate(hits):
        if hit.kind == "recurring":
            descs = ", ".join(h.desc for h in hits[:i])
            return replace(hit, pos=hits[0].pos, note=f"{hit.note}, {descs}" if descs else hit.note)
        if hit.dated or hit.kind == "continuous":
            return None
    return None


def _first(text: str, hits: list[_Hit]) -> _Hit:
    """The first hit, finished with the ones right after it (see the module's docstring)."""
    first, nxt = hits[0], (hits[1] if len(hits) > 1 else None)
    if first.kind == "continuous":
        starts = nxt is not None and nxt.role == "from" and GAP.fullmatch(text, first.stop, nxt.pos)
        return replace(first, first=nxt.first, stop=nxt.stop) if starts else first
    if first.kind != "recurring" and not first.dated and (recurring := _recurrence(hits)):
        return recurring
    if first.role == "from":
        if nxt is not None and nxt.role == "to" and GAP.fullmatch(text, first.stop, nxt.pos):
            return replace(first, kind="range", last=nxt.last, stop=nxt.stop)
        return replace(first, kind="range", last=None)
    if first.kind not in ("recurring", "date") and (m := rules().onward.match(text, first.stop)):
        return replace(first, kind="range", last=None, stop=m.end())
    return first


def _condition(text: str) -> Deadline | None:
    for m in rules().conditional.finditer(text):
        if _opens_clause(text, m.start()):
            end = c.start() if (c := CLAUSE_END.search(text, m.end())) else len(text)
            phrase = text[m.start() : end].strip()
            return Deadline("conditional", None, None, phrase, phrase)
    return None


def _opens_clause(text: str, at: int) -> bool:
    """Only white space before `at`, or one of CLAUSE_OPENER before the white space."""
    while at and text[at - 1].isspace():
        at -= 1
    return at == 0 or text[at - 1] in CLAUSE_OPENER


def _mask_citations(text: str) -> str:
    """Blank out document numbers and the issue date after them, keeping the offsets (pieces joined once: a cell
    citing many documents is not copied again for each)."""
    pieces, done = [], 0
    for m in P.iter_numbers(text):
        stop = d.end() if (d := P.date_after_re().match(text, m.end())) else m.end()
        start = max(m.start(), done)
        if stop > start:
            pieces += [text[done:start], " " * (stop - start)]
            done = stop
    return "".join(pieces) + text[done:]


@remembered
def parse_deadline(text: str | None, year: int | None = None) -> Deadline | None:
    """The deadline in a task's deadline cell; year is the plan's year, used where the cell gives none."""
    if not text or not text.strip():
        return None
    hits = _hits(_mask_citations(text), year)
    if not hits:
        return _condition(text)
    hit = _first(text, hits)
    start, end = (d.isoformat() if d else None for d in (hit.first, hit.last))
    return Deadline(hit.kind, start, end, text[hit.pos : hit.stop].strip(), hit.note)
