"""Task tables in the text layer of official-gazette PDFs: the grid recovered from the page's structure.

The text layer has no cell boundaries. What it does keep:
- the header row, one header cell after another (a cell wrapped over several lines);
- numbered rows: a row starts at its STT ("1", "2.", "10. Nghị định …"), and STTs run in sequence, so a "2." inside
  a lead cell ("1. Bộ Tài chính … 2. Bộ Tư pháp …") is told from the next row by the numbers around it;
- inside a row, the cells in column order, each wrapped at its column's width; a whitespace-only line at a cell's
  end or for an empty cell; a page break (running header, page number, the header repeated) after which every cell
  of a row that did not fit goes on, again in column order;
- Roman numerals for section headings, sometimes with agency cells that span the rows under them.
Each row's lines are cut into cells by dynamic programming over (line, column): cells start where a line starts with
a capital, a digit or a bullet; a column's lines are no wider than the column (estimated per table from a first
reading); lead and coordinating cells start with an agency word, deadline cells look like deadlines (cues break ties);
a row may go round the columns again for a sub-row ("Trong đó:", "- Công nghiệp": a part with its own agencies) or
after a page break (a continuation, merged cell by cell).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from extract.tables import (Cell, Row, Table, column_role, header_key, looks_like_agency, looks_like_deadline,
                            _is_header, _synonyms)
from extract.vocab import DATA_DIR

STYLE = "gazette"
HEADER_OPENING = re.compile(r"(?i)(?:S?TT|Số TT)(?=\s|$)")  # the line, or its start when header cells run together
OWN_LINE_NUMBER = re.compile(r"(?P<no>\d{1,3})\.?")
INLINE_NUMBER = re.compile(r"(?P<no>\d{1,3})\.?[ \t]+(?=[A-ZĐÀ-Ỹ\"“(])")
ROMAN_LINE = re.compile(r"(?P<no>[IVXL]{1,6})\.?")
INLINE_ROMAN = re.compile(r"(?P<no>[IVXL]{1,6})\.?[ \t]+(?=[A-ZĐÀ-Ỹ])")
ENUMERATOR = re.compile(r"(\d{1,2})[.)]\s")  # "1. Bộ Tài chính …": an item of a cell, which opens the cell
SUB_ROW_CUE = re.compile(r"(?i)(?:trong đó\b|[-+•]\s)")
SENTENCE_END = re.compile(r"[.;:]$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
UNIQUE_ROLES = ("no", "task", "lead", "coordinating", "deadline", "objective")  # a second one is not that column
MAX_HEADER_LINES = 40
MAX_ROW_LINES = 400
MAX_CELL_LINES = 80
FIRST_ROW_REACH = 12  # lines between a header and its first numbered row, at most
MAX_HEADER_LINE = 70  # characters of a header line: longer ones are running text
LABELLED = re.compile(r"\w\s+\d{1,3}\s*:\s*\S")  # "Mục tiêu 1: Giảm …": a heading row under the header
PLACEHOLDER = re.compile(r"\.{4,}|…{2,}")  # a form's blank to fill in
INLINE_LOOKAHEAD = 80  # lines ahead in which an own-line STT of the same number outranks an inline one
# scores of a cell reading (see _cell_score); they only compare readings of one row with each other
LOWER_START = 4.0
TOO_WIDE = 3.0
WIDTH_SLACK = 3
MIN_WIDTH_SAMPLES = 3  # cells needed to learn a column's width
WIDTH_PERCENTILE = 0.8
WORD_BY_WORD = 0.3  # share of one-word lines above which a table's cells are taken as broken word by word
MIN_TEXT_SHARE = 0.5  # of a table's numbered rows that hold a task text (MIN_TEXT_LETTERS letters at least)
MIN_TEXT_LETTERS = 3
REPEATED_HEADER_SHARE = 0.6  # of the header's text a repeat must give (the first reading may take a line more)
CUE = 2.0
SKIPPED_COLUMN = 1.5
NEW_PASS = 5.0  # more than the cues of two cells: a reading must not gain by going round again
SUB_ROW_PASS = 0.5
SENTENCE_BOUNDARY = 0.5
CUE_LINES, CUE_CHARS = 4, 60
FUSED_OPEN = 1.0
FITTED = 2.0
ENDED = 1.5  # a page's rest going on a cell that ended with a full stop
OPEN_ENDINGS = (",", ";", "-", "–", "(", "/")
CONTINUED_CELL = 0.5
UNKNOWN_WIDTH = 10_000  # a cell opening in the middle of a line: the text layer ran two cells together
LIST_GOES_ON = 3.0
DANGLING = 2.0
COMMA_GOES_ON = 1.5
CAPS_GO_ON = 3.0
NOT_NUMERIC = 1.5
NUMERIC_SHARE = 0.7  # of a column's cells opening with a figure, for the column to be one of figures
FIGURE = re.compile(r"[≥≤<>~]?\s*\d[\d.,]*\s*(?:[-–]\s*\d[\d.,]*)?\s*%?")
PROVISION = re.compile(r"(?:[-+•]\s*)?(?:Khoản|Điều|Điểm|Mục|Phụ lục|Chương|Mẫu số)\s+\S")  # "Khoản 2 Điều 5"
IN_AGENCY_CELL = 3.0  # a provision line in an agency cell: it is the article column's, printed around the agency
RESUME = 2.0  # going back to a column already passed in the row
IN_TASK_CELL = 1.5  # … or in the task cell, when the table has a column for articles
IN_PRODUCT_CELL = 1.0  # an agency's name opening a line inside a product cell: the agency column's, centred
NUMERIC_START = re.compile(r"[-+]?\s*[\d≥≤<>~]")
PAREN_START = 1.0
DIGIT_START = 1.5  # "07/2026/TT-BNNMT" after "Thông tư số": numbers go on a cell more often than they open one
DIGIT_OPENS = ("deadline", "objective")  # "2026 - 2030", "15 - 16"
WORD_BREAK = "-"  # "TT-" / "BNNMT": a word broken at the line's end goes on in the same cell


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    blank: bool = False  # whitespace only: a cell's end, or an empty cell
    after_break: bool = False  # the first line after page furniture
    fused: bool = False  # the second half of a line that runs two cells together ("Bộ Xây dựng Các bộ, ngành")


@cache
def _stops() -> re.Pattern:
    with open(DATA_DIR / "columns.toml", "rb") as fh:
        words = tomllib.load(fh)["pdf"]["table_ends"]
    return re.compile("|".join(words))


@cache
def _dangling() -> re.Pattern:
    with open(DATA_DIR / "columns.toml", "rb") as fh:
        words = tomllib.load(fh)["pdf"]["dangling"]
    return re.compile(rf"(?<!\S)(?:{'|'.join(map(re.escape, words))})$")


# --- lines -----------------------------------------------------------------------------------------------------
def _lines(text: str, lo: int, hi: int, skip: Callable[[int], bool]) -> list[Line]:
    """The lines of text[lo:hi]: page furniture dropped and the next line marked; empty lines dropped; lines of
    white space kept as blank markers, except right after page furniture (those are the page's)."""
    out: list[Line] = []
    pos, broken = lo, False
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        raw = text[pos:end].rstrip("\r")
        stripped = raw.strip()
        if skip(pos):
            broken = True
        elif stripped:
            first = pos + (len(raw) - len(raw.lstrip()))
            out.append(Line(first, first + len(stripped), stripped, after_break=broken))
            broken = False
        elif raw and not broken:
            out.append(Line(pos, pos + len(raw), "", blank=True))
        pos = end + 1
    return out


# --- header ----------------------------------------------------------------------------------------------------
def _could_start(text: str) -> bool:
    """Whether a header line may begin a header cell: it begins a synonym, or a synonym begins it."""
    key = header_key(text)
    return bool(key) and (key in _synonym_prefixes() or _synonym_at_start().match(key) is not None)


def _role(text: str) -> str | None:
    """A header cell's role from how it starts (gazette header cells run long: "… để cắt giảm điều kiện …")."""
    m = _synonym_at_start().match(header_key(text))
    return _synonyms()[m.group(0)] if m else column_role(text)


@cache
def _synonym_prefixes() -> frozenset[str]:
    return frozenset(s[:k] for s in _synonyms() for k in range(1, len(s) + 1))


@cache
def _synonym_at_start() -> re.Pattern:
    words = "|".join(map(re.escape, sorted(_synonyms(), key=len, reverse=True)))
    return re.compile(rf"(?:{words})(?=[ ,/(]|$)")


def _read_header(lines: list[Line], i: int) -> tuple[list[str], list[str | None], int] | None:
    """(header cell texts, roles, index of the first body line) of a header starting at lines[i] ("TT", "STT")."""
    opening = HEADER_OPENING.match(lines[i].text)
    if opening is None or column_role(opening.group(0)) != "no":
        return None
    cells = [opening.group(0)]
    pending = [rest] if (rest := lines[i].text[opening.end():].strip()) else []  # "STT Mã" run together
    j = i + 1
    while j < len(lines) and j < i + MAX_HEADER_LINES:
        line = lines[j]
        if line.blank:
            j += 1
            continue
        if _body_start(line.text) or not _header_like(line.text):
            break
        pending.append(line.text)
        j += 1
    for text in pending:
        if len(cells) > 1 and _continues_header(cells[-1], text):  # the STT cell stands alone
            cells[-1] = f"{cells[-1]} {text}"
        else:
            cells.append(text)
    roles = [_role(c) for c in cells]
    roles = [None if r in UNIQUE_ROLES and r in roles[:k] else r for k, r in enumerate(roles)]
    if "task" not in roles and "objective" in roles:
        roles[roles.index("objective")] = "task"  # "Mục tiêu, tên chỉ tiêu" alone: it names the row
    if not {"task", "objective"} & set(roles) and len(roles) > 1 and roles[1] is None:
        roles[1] = "task"  # "CÁC LUẬT, NGHỊ ĐỊNH … CẦN SỬA ĐỔI": the column beside the STT says what the row is
    return (cells, roles, j) if _is_header(roles) and j < len(lines) else None


def _header_like(text: str) -> bool:
    """Header cells are short lines; a long line, a form's dotted blank or a table end closes the header."""
    return (len(text) <= MAX_HEADER_LINE and not PLACEHOLDER.search(text) and not _stops().match(text)
            and not LABELLED.search(text))


def _body_start(text: str) -> bool:
    return bool(OWN_LINE_NUMBER.fullmatch(text) or ROMAN_LINE.fullmatch(text) or INLINE_NUMBER.match(text)
                or INLINE_ROMAN.match(text))


def _continues_header(cell: str, line: str) -> bool:
    if len(cell) == 0 or line[:1].islower() or cell.endswith(("/", ",", "(", "-")) or _dangling().search(cell):
        return True
    if _role(cell) is None and _caps(cell) and _caps(line) and not _could_start(line):
        return True  # "CÁC LUẬT, NGHỊ ĐỊNH, QUYẾT ĐỊNH CỦA" / "THỦ TƯỚNG CHÍNH PHỦ": a header in capitals wraps
    joined = f"{cell} {line}"
    if _role(cell) is None and (_role(joined) is not None or _could_start(joined)):
        return True
    if header_key(joined) in _synonyms():
        return True
    if _role(cell) is not None and _caps(cell) and _caps(line):
        return False  # "NGÀNH, LĨNH VỰC/ ĐỊA PHƯƠNG" / "TỐC ĐỘ BÌNH …": a complete header, then one we do not know
    return not _could_start(line) and _role(cell) is not None and _role(line) is None


# --- rows: where each starts ----------------------------------------------------------------------------------
def _roman(text: str) -> int:
    values = [ROMAN_VALUES[c] for c in text]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


@dataclass(frozen=True)
class _Start:
    index: int  # the line
    no: str
    heading: bool
    rest: int  # where the row's own text starts in that line (its end when the number stands alone)


def _row_starts(lines: list[Line], first: int) -> tuple[list[_Start], int]:
    """Row starts from lines[first] on (the first within FIRST_ROW_REACH lines), and where the table ends."""
    starts: list[_Start] = []
    expected, roman, j = 1, 0, first
    while j < len(lines):
        line = lines[j]
        if not line.blank and (_stops().match(line.text) or _appendix_title(lines, j)):
            break
        if not starts and j - first > FIRST_ROW_REACH:
            return [], j
        start = None if line.blank else _number_at(lines, j, expected, roman, bool(starts) and starts[-1].heading)
        if start is not None:
            starts.append(start)
            if start.heading:
                roman = _roman(start.no.rstrip("."))
            else:
                expected = int(start.no.rstrip(".")) + 1
        j += 1
    return starts, j


def _number_at(lines: list[Line], j: int, expected: int, roman: int, after_heading: bool) -> _Start | None:
    line = lines[j]
    if (m := ROMAN_LINE.fullmatch(line.text) or INLINE_ROMAN.match(line.text)) and _roman(m["no"]) == roman + 1:
        return _Start(j, line.text[: m.end("no") + 1].strip() if m.re is ROMAN_LINE else m["no"], True,
                      line.start + m.end())
    if m := OWN_LINE_NUMBER.fullmatch(line.text):
        n = int(m["no"])
        if n == expected or (n == 1 and after_heading):
            return _Start(j, line.text, False, line.end)
    if ((m := INLINE_NUMBER.match(line.text)) and (int(m["no"]) == expected or (int(m["no"]) == 1 and after_heading))
            and not _own_line_ahead(lines, j, int(m["no"]))):
        return _Start(j, line.text[: m.end("no") + (line.text[m.end("no")] == ".")], False, line.start + m.end())
    return None


def _appendix_title(lines: list[Line], j: int) -> bool:
    if not _appendix_label().match(lines[j].text):
        return False
    following = next((line for line in lines[j + 1 : j + 3] if not line.blank), None)
    return following is not None and _caps(following.text) and not _body_start(following.text)


@cache
def _appendix_label() -> re.Pattern:
    with open(DATA_DIR / "columns.toml", "rb") as fh:
        return re.compile(tomllib.load(fh)["pdf"]["appendix_label"])


def _own_line_ahead(lines: list[Line], j: int, number: int) -> bool:
    """An own-line STT of this number comes before any other own-line STT: the inline one is a cell's numbering."""
    for k in range(j + 1, min(len(lines), j + INLINE_LOOKAHEAD)):
        if _stops().match(lines[k].text):
            return False
        if m := OWN_LINE_NUMBER.fullmatch(lines[k].text):
            return int(m["no"]) == number
    return False


# --- rows: cells -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pass:
    cells: dict[int, tuple[int, int]]  # column (0 = the first column after the STT) -> (first, last) line index
    kind: str  # "row" | "part" | "continuation"


class _Reader:
    """Cuts one table's rows into cells; widths per column come from a first reading of the whole table."""

    def __init__(self, roles: list[str | None]) -> None:
        # the columns after the STT; several article columns side by side ("… để phân quyền", "… để cắt giảm TTHC")
        # are read as one: which of them a line belongs to is not kept, and they are often empty
        self.columns = [c + 1 for c, r in enumerate(roles) if not (c and r == "product" == roles[c - 1])]
        self.roles = [roles[c - 1] for c in self.columns]
        self.widths = [UNKNOWN_WIDTH] * len(self.roles)
        self._open: list[float] | None = None  # while reading what follows a page break: see _endings
        self.numeric = [False] * len(self.roles)  # columns of figures (targets, rates), learnt like the widths

    def read(self, items: list[Line]) -> list[_Pass]:
        """A row's cells: its lines up to a page break, then each page's rest, read knowing which cells were left
        open (a cell ending in a comma goes on after the break; one ending in a full stop seldom does)."""
        passes: list[_Pass] = []
        breaks = [k for k in range(1, len(items)) if items[k].after_break]
        for start, end in zip([0, *breaks], [*breaks, len(items)]):
            self._open = self._endings(items, passes) if passes else None
            passes += [_Pass({col: (a + start, b + start) for col, (a, b) in p.cells.items()}, p.kind)
                       for p in self._read_segment(items[start:end])]
        return passes

    def _endings(self, items: list[Line], passes: list[_Pass]) -> list[float]:
        """For each column, how likely its cell goes on after a page break, from how the cell last ended."""
        last: dict[int, str] = {}
        for p in passes:
            for col, (_, b) in p.cells.items():
                last[self.columns.index(col + 1)] = items[b].text
        return [_going_on(last.get(c)) for c in range(len(self.roles))]

    def _read_segment(self, items: list[Line]) -> list[_Pass]:
        n, k = len(items), len(self.roles)
        if n == 0:
            return []
        lower = [it.text[:1].islower() for it in items]
        self._prepare(items)
        # best[i][c+1]: best score having read items[:i] with the last cell in column c (-1: a pass just began)
        NEG = float("-inf")
        best = [[NEG] * (k + 1) for _ in range(n + 1)]
        back: list[list[tuple | None]] = [[None] * (k + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        cont = [[False] * (k + 1) for _ in range(n + 1)]  # whether the pass being read began after a page break
        cont[0][0] = self._open is not None
        for i in range(n):
            for c in [*range(k), -1]:  # a new pass (c = -1) is reached from the other states at the same line
                score = best[i][c + 1]
                if score == NEG:
                    continue
                going_on = cont[i][c + 1]
                if c >= 0:  # round the columns again: a sub-row
                    penalty = SUB_ROW_PASS if SUB_ROW_CUE.match(items[i].text) else NEW_PASS
                    self._relax(best, back, cont, i, -1, score - penalty, (i, c, None, "pass"), False)
                if items[i].blank:
                    self._relax(best, back, cont, i + 1, c, score, (i, c, None, "blank"), going_on)  # a cell's end
                    for c2 in range(c + 1, k) if i else ():  # an empty cell (not before the row's first)
                        skipped = 0 if going_on else SKIPPED_COLUMN * (c2 - c - 1)
                        self._relax(best, back, cont, i + 1, c2, score - skipped, (i, c, c2, "empty"), going_on)
                    continue
                for c2 in range(c + 1, k):
                    if i == 0 and c2 != 0 and not going_on:
                        break  # a row begins with its first column
                    skipped = 0 if going_on else SKIPPED_COLUMN * (c2 - c - 1)
                    opening = self._opening(items, i, c2, going_on, lower)
                    for e in range(i + 1, min(n, i + MAX_CELL_LINES) + 1):
                        if items[e - 1].blank:
                            break
                        s = score - skipped + opening - self._too_wide(items, i, e, c2)
                        if going_on:  # no cue in a continuation: how the lines wrap tells the cells apart
                            s -= FITTED * _would_fit(items, e - 1, self.widths[c2]) if e - 1 > i else 0
                        self._relax(best, back, cont, e, c2, s, (i, c, c2, "cell"), going_on)
                for c2 in range(c):  # back to a column passed: its cell printed around a shorter, centred one
                    opening = self._opening(items, i, c2, going_on, lower) - RESUME
                    for e in range(i + 1, min(n, i + MAX_CELL_LINES) + 1):
                        if items[e - 1].blank:
                            break
                        s = score + opening - self._too_wide(items, i, e, c2)
                        self._relax(best, back, cont, e, c, s, (i, c, c2, "resume"), going_on)
        for c in range(k):  # columns left empty at the row's end count as skipped, unless in a continuation
            if best[n][c + 1] != NEG and not cont[n][c + 1]:
                best[n][c + 1] -= SKIPPED_COLUMN * (k - 1 - c)
        end = max(range(k), key=lambda c: best[n][c + 1])
        return self._passes(back, n, end)

    @staticmethod
    def _relax(best, back, cont, i: int, c: int, score: float, how: tuple, going_on: bool) -> None:
        if score > best[i][c + 1]:
            best[i][c + 1], back[i][c + 1], cont[i][c + 1] = score, how, going_on

    def _opening(self, items: list[Line], i: int, column: int, cont: bool, lower: list[bool]) -> float:
        key = (i, column, cont)
        if key not in self._openings:
            self._openings[key] = self._opening_score(items, i, column, cont, lower)
        return self._openings[key]

    def _opening_score(self, items: list[Line], i: int, column: int, cont: bool, lower: list[bool]) -> float:
        role, text = self.roles[column], _words_from(items, i)
        score = 0.0
        if (lower[i] or items[i - 1].text.endswith(WORD_BREAK) if i else lower[i]) and not cont:
            score -= LOWER_START
        if items[i].fused:
            score -= FUSED_OPEN
        if i and _caps(items[i - 1].text) and _caps(items[i].text):
            score -= CAPS_GO_ON  # "THEO TỈNH, THÀNH" / "PHỐ": a title in capitals goes on
        if self.numeric[column] and not NUMERIC_START.match(items[i].text):
            score -= NOT_NUMERIC  # a column of figures ("10,5 - 11,0") opens with a figure
        if (item := ENUMERATOR.match(text)) and int(item[1]) > 1:
            score -= LIST_GOES_ON  # "2. Bộ Tư pháp …" goes on the list "1. …" began in the same cell
        elif text[:1].isdigit() and role not in DIGIT_OPENS and not item:
            score -= DIGIT_START
        if i and items[i - 1].text.endswith(","):
            score -= COMMA_GOES_ON  # "Bộ Nội vụ," / "Bộ Ngoại giao": a list goes on
        elif i and SENTENCE_END.search(items[i - 1].text):
            score += SENTENCE_BOUNDARY
        elif i and _dangling().search(items[i - 1].text):
            score -= DANGLING  # "… so với" / "GDP (%)": a line ending in a word that needs the next one
        if text.startswith("("):
            score -= PAREN_START  # "(%)", "(triệu lượt)": a parenthesis qualifies what comes before it
        if cont:  # a page's rest goes on the cells left open; opening any other costs
            return score + self._open[column]
        if role in ("lead", "coordinating"):
            score += CUE if looks_like_agency(text) else -CUE
        elif role == "deadline":
            score += CUE if looks_like_deadline(text) else -CUE / 2
        elif role == "task" and "product" in self.roles and PROVISION.match(text):
            score -= IN_TASK_CELL  # "Khoản 2 Điều 5" is the article column's
        elif column and looks_like_agency(text):
            score -= CUE / 4  # agency words open agency cells (the task column is read before any)
        return score

    def _too_wide(self, items: list[Line], i: int, e: int, column: int) -> float:
        """Lines wider than the column (a fused line's halves count as the one line they are), and figures alone on
        a line outside a column of figures ("12,3" belongs to the rates): prefix sums, so O(1) a cell."""
        wide, figures, in_agency, in_task, agencies = self._sums[column]
        inner = min(i + 1, e)  # lines after a cell's first
        return (TOO_WIDE * (wide[e] - wide[i]) + NOT_NUMERIC * (figures[e] - figures[inner])
                + IN_AGENCY_CELL * (in_agency[e] - in_agency[i]) + IN_TASK_CELL * (in_task[e] - in_task[inner])
                + IN_PRODUCT_CELL * (agencies[e] - agencies[inner]))

    def _prepare(self, items: list[Line]) -> None:
        """Per segment: prefix sums of too-wide lines and figure lines for every column, and opening scores."""
        physical = [len(it.text) for it in items]
        for x in range(len(items) - 1, 0, -1):
            if items[x].fused:  # the first half carries the whole line's width
                physical[x - 1] += 1 + physical[x]
                physical[x] = 0
        is_figure = [bool(FIGURE.fullmatch(it.text)) for it in items]
        is_provision = [bool(PROVISION.match(it.text)) for it in items]
        agency_line = [x > 0 and looks_like_agency(it.text) and not _dangling().search(items[x - 1].text)
                       for x, it in enumerate(items)]
        none = [False] * len(items)
        self._sums = []
        for column, role in enumerate(self.roles):
            limit = self.widths[column] + WIDTH_SLACK
            self._sums.append((_prefix(w > limit for w in physical),
                               _prefix(none if self.numeric[column] else is_figure),
                               _prefix(is_provision if role in ("lead", "coordinating") else none),
                               _prefix(is_provision if role == "task" and "product" in self.roles else none),
                               _prefix(agency_line if role == "product" and limit < UNKNOWN_WIDTH else none)))
        self._openings: dict[tuple[int, int, bool], float] = {}

    def _passes(self, back, n: int, c: int) -> list[_Pass]:
        steps = []
        i = n
        while back[i][c + 1] is not None:
            j, pc, col, kind = back[i][c + 1]
            steps.append((j, i, col, kind))
            i, c = j, pc
        passes: list[_Pass] = []
        cells: dict[int, tuple[int, int]] = {}
        resumed: list[_Pass] = []  # cells gone back to: each merged into the pass as a continuation
        kind = "row" if self._open is None else "continuation"
        for j, e, col, step in reversed(steps):
            if step == "pass":
                passes += [_Pass(cells, kind), *resumed]
                cells, resumed, kind = {}, [], "part"
            elif step == "cell":
                cells[self.columns[col] - 1] = (j, e - 1)
            elif step == "resume":
                resumed.append(_Pass({self.columns[col] - 1: (j, e - 1)}, "continuation"))
        passes += [_Pass(cells, kind), *resumed]
        return passes

    def learn_widths(self, readings: list[tuple[list[Line], list[_Pass]]]) -> None:
        """Each column's width. A wrapped cell's widest line comes close to it (a high percentile of those outvotes
        cells a first reading put in the wrong column); a cell of one line only says the width is at least that."""
        wrapped: list[list[int]] = [[] for _ in self.roles]
        single: list[list[int]] = [[] for _ in self.roles]
        for items, passes in readings:
            for p in passes:
                for col, (a, b) in p.cells.items():
                    widest = max(len(items[x].text) for x in range(a, b + 1))
                    (wrapped if b > a else single)[self.columns.index(col + 1)].append(widest)
        openings: list[list[bool]] = [[] for _ in self.roles]
        for items, passes in readings:
            for p in passes:
                for col, (a, _) in p.cells.items():
                    openings[self.columns.index(col + 1)].append(bool(NUMERIC_START.match(items[a].text)))
        self.numeric = [len(o) >= MIN_WIDTH_SAMPLES and sum(o) >= NUMERIC_SHARE * len(o) for o in openings]
        lines = [it.text for items, _ in readings for it in items if not it.blank]
        if sum(" " not in line for line in lines) > WORD_BY_WORD * len(lines):
            return  # cells broken word by word: line lengths say nothing of the columns
        for col in range(len(self.roles)):
            if len(wrapped[col]) >= MIN_WIDTH_SAMPLES:
                self.widths[col] = max(_percentile(wrapped[col], WIDTH_PERCENTILE),
                                       _percentile(single[col], WIDTH_PERCENTILE))
            elif len(single[col]) >= MIN_WIDTH_SAMPLES:  # a column of short cells ("Quý II/2027"): at least that
                self.widths[col] = max(single[col])


def _percentile(values: list[int], share: float) -> int:
    return sorted(values)[int(share * (len(values) - 1))] if values else 0


def _prefix(flags) -> list[int]:
    sums = [0]
    for flag in flags:
        sums.append(sums[-1] + bool(flag))
    return sums


def _caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _going_on(text: str | None) -> float:
    """A page's first cell in a column: likely where the cell before the break was left open."""
    if text is None:
        return -CONTINUED_CELL  # the cell begins on this page
    if text.endswith(OPEN_ENDINGS) or _dangling().search(text):
        return 0.0
    return -ENDED if text.endswith(".") else -CONTINUED_CELL


def _would_fit(items: list[Line], x: int, width: int) -> bool:
    """Whether line x's first word would have fitted on the line before it (so the two are not one cell's lines)."""
    word = items[x].text.split(" ", 1)[0]
    if SENTENCE_END.search(items[x - 1].text):
        return False  # "Điều 12;" / "Điều 13;": one item a line, as written
    return width < UNKNOWN_WIDTH and len(items[x - 1].text) + 1 + len(word) <= width - WIDTH_SLACK


def _words_from(items: list[Line], i: int) -> str:
    """A cell's opening words as cues read them: a few lines on (a cell broken word by word: "Các" / "Bộ," / …)."""
    words = []
    for item in items[i : i + CUE_LINES]:
        if item.blank:
            break
        words.append(item.text)
    return " ".join(words)[:CUE_CHARS]


# --- tables ----------------------------------------------------------------------------------------------------
def pdf_tables(text: str, lo: int, hi: int, skip: Callable[[int], bool] = lambda _: False) -> list[Table]:
    lines = _lines(text, lo, hi, skip)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if (head := _read_header(lines, i)) is None:
            i += 1
            continue
        header, roles, first = head
        starts, end = _row_starts(lines, first)
        if starts and (table := _table(text, lines, header, roles, starts, end)).rows:
            tables.append(table)
        i = max(end, i + 1)
    return tables


def _row_items(lines: list[Line], starts: list[_Start], k: int, end: int, header: list[str]) -> list[Line]:
    """The lines of row k after its STT, the repeated header after a page break left out."""
    s = starts[k]
    stop = starts[k + 1].index if k + 1 < len(starts) else end
    items: list[Line] = []
    line = lines[s.index]
    if s.rest < line.end:
        items.append(Line(s.rest, line.end, line.text[s.rest - line.start :].strip()))
    j = s.index + 1
    while j < stop:
        if skip := _repeated_header(lines, j, header):  # a page break, whether or not its furniture was seen
            after = j + skip
            if after < stop:
                items.append(Line(lines[after].start, lines[after].end, lines[after].text, lines[after].blank, True))
            j = after + 1
            continue
        items.append(lines[j])
        j += 1
    return [half for it in items if it.text or it.blank for half in _unfused(it)]


def _unfused(line: Line) -> list[Line]:
    """A line that runs two cells together ("Bộ Nông nghiệp và Môi trường Các bộ, cơ quan, địa") as two halves: a
    capitalised agency word right after a lower-case word is where the second cell may begin."""
    halves, start = [], 0
    for m in _fusion().finditer(line.text):
        halves.append((start, m.start()))
        start = m.end()
    if not halves:
        return [line]
    halves.append((start, len(line.text)))
    return [Line(line.start + a, line.start + b, line.text[a:b], after_break=line.after_break and k == 0, fused=k > 0)
            for k, (a, b) in enumerate(halves)]


@cache
def _fusion() -> re.Pattern:
    with open(DATA_DIR / "columns.toml", "rb") as fh:
        heads = [h for h in tomllib.load(fh)["cues"]["agency_heads"] if h[:1].isupper()]
    words = "|".join(map(re.escape, sorted(heads, key=len, reverse=True)))
    return re.compile(rf"(?<=[a-zà-ỹđ]) +(?=(?:{words})(?![\wđĐ]))")


def _repeated_header(lines: list[Line], j: int, header: list[str]) -> int:
    """How many lines from lines[j] repeat the table's header after a page break (0: none)."""
    if not HEADER_OPENING.match(lines[j].text):
        return 0
    want = header_key(" ".join(header))
    got, k = header_key(lines[j].text), j + 1
    if not want.startswith(got):
        return 0
    while k < len(lines) and not lines[k].blank and want.startswith(header_key(f"{got} {lines[k].text}")):
        got = header_key(f"{got} {lines[k].text}")
        k += 1
    return k - j if len(got) >= REPEATED_HEADER_SHARE * len(want) else 0


def _table(text: str, lines: list[Line], header: list[str], roles: list[str | None], starts: list[_Start],
           end: int) -> Table:
    reader = _Reader(roles[1:])
    rows_items = [_row_items(lines, starts, k, end, header) for k in range(len(starts))]
    first = [reader.read(items) for items in rows_items]
    reader.learn_widths(list(zip(rows_items, first)))
    rows: list[Row] = []
    spanned: dict[str, Cell] = {}
    for s, items in zip(starts, rows_items):
        passes = reader.read(items)
        rows += _rows(text, lines[s.index], s, items, passes, roles, spanned)
    tasks = [r for r in rows if r.kind == "row"]
    if sum(_has_words(r.get(tuple(roles), "task")) for r in tasks) < MIN_TEXT_SHARE * len(tasks):
        rows = []  # numbered lines under a header, but no task text in them: not a task table
    return Table(STYLE, tuple(roles), tuple(rows), lines[starts[0].index].start, rows[-1].end if rows else 0)


def _rows(text: str, line: Line, s: _Start, items: list[Line], passes: list[_Pass], roles: list[str | None],
          spanned: dict[str, Cell]) -> list[Row]:
    no = Cell(s.no, line.start, line.start + len(s.no))
    out: list[Row] = []
    agencies = {"lead", "coordinating"}
    has_own = any(roles[c + 1] in agencies for p in passes for c in p.cells)
    for n, p in enumerate(passes):
        by_role: dict[int, Cell] = {}
        for col, (a, b) in p.cells.items():
            by_role[col + 1] = _cell(text, items[a].start, items[b].end)
        if n == 0:
            by_role[0] = no
            if s.heading:
                for col, role in enumerate(roles):
                    if role in agencies and col in by_role:
                        spanned[role] = by_role.pop(col)
            elif not has_own and spanned:
                for col, role in enumerate(roles):
                    if role in spanned:
                        by_role[col] = spanned[role]
            elif has_own:
                for col, role in enumerate(roles):
                    if role in agencies:
                        spanned.pop(role, None)
                        if col in by_role:
                            spanned[role] = by_role[col]
        cells = tuple(by_role.get(col) for col in range(len(roles)))
        present = [c for c in cells if c is not None]
        if not present:
            continue  # a page's rest of blank lines only
        kind = "heading" if s.heading else p.kind
        out.append(Row(cells, min(c.start for c in present), max(c.end for c in present), kind=kind))
        if s.heading:
            break
    return out


def _has_words(cell: Cell | None) -> bool:
    return cell is not None and sum(ch.isalpha() for ch in cell.text) >= MIN_TEXT_LETTERS


def _cell(text: str, start: int, end: int) -> Cell:
    return Cell(text[start:end], start, end)
