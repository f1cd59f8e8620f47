"""The cells of one gazette table row: its lines cut into cells by dynamic programming over (line, column).

extract.grid_pdf finds the tables, their headers and where each row starts; this module reads a row's lines into
cells. A reading is scored, and the best one kept:
- a cell opens at a capital, a digit or a bullet; not after a word that needs the next one (data: [pdf] dangling in
  columns.toml), a comma, a word broken at the line's end, nor inside a title in capitals or a numbered list;
- a column's lines are no wider than the column, and a column of figures opens with a figure — both learnt per table
  from a first reading of all its rows (learn_widths); article lines belong to the article column, agency names to
  the agency columns;
- lead and coordinating cells open with an agency word, deadline cells look like deadlines: cues only break ties;
- a blank line is a cell's end or an empty cell; columns left empty cost something, so a reading fills the row;
- a row may go round the columns again for a sub-row ("Trong đó:", "- Công nghiệp") or go back to a column it passed
  (a cell printed around a shorter, vertically centred one); after a page break, each page's rest is read knowing
  which cells were left open.
The weights below only compare readings of one row with each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.tables import looks_like_agency, looks_like_deadline
from extract.vocab import alternation, columns

ENUMERATOR = re.compile(r"(\d{1,2})[.)]\s")  # "1. Bộ Tài chính …": an item of a cell, which opens the cell
SUB_ROW_CUE = re.compile(r"(?i)(?:trong đó\b|[-+•]\s)")
SENTENCE_END = re.compile(r"[.;:]$")
MAX_CELL_LINES = 80
LOWER_START = 4.0
TOO_WIDE = 3.0
WIDTH_SLACK = 3
MIN_WIDTH_SAMPLES = 3  # cells needed to learn a column's width
WIDTH_PERCENTILE = 0.8
WORD_BY_WORD = 0.3  # share of one-word lines above which a table's cells are taken as broken word by word
CUE = 2.0
SKIPPED_COLUMN = 1.5
EMPTY_CELL = 0.25  # a blank line read as an empty cell rather than a cell's end: only when the cells say so
NEW_PASS = 5.0  # more than the cues of two cells: a reading must not gain by going round again
SUB_ROW_PASS = 0.5
SENTENCE_BOUNDARY = 0.5
CUE_LINES, CUE_CHARS = 4, 60
FUSED_OPEN = 1.0  # a cell opening in the middle of a line: the text layer ran two cells together
FITTED = 2.0
ENDED = 1.5  # a page's rest going on a cell that ended with a full stop
OPEN_ENDINGS = (",", ";", "-", "–", "(", "/")
CONTINUED_CELL = 0.5
UNKNOWN_WIDTH = 10_000  # a column whose width is not known
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
def dangling_words() -> re.Pattern:
    return re.compile(rf"(?<!\S)(?:{alternation(columns()['pdf']['dangling'])})$")


@dataclass(frozen=True)
class Pass:
    cells: dict[int, tuple[int, int]]  # column (0 = the first column after the STT) -> (first, last) line index
    kind: str  # "row" | "part" | "continuation"


class RowReader:
    """Cuts one table's rows into cells; widths per column come from a first reading of the whole table."""

    def __init__(self, roles: list[str | None]) -> None:
        # the columns after the STT; several article columns side by side ("… để phân quyền", "… để cắt giảm TTHC")
        # are read as one: which of them a line belongs to is not kept, and they are often empty
        self.columns = [c + 1 for c, r in enumerate(roles) if not (c and r == "product" == roles[c - 1])]
        self.roles = [roles[c - 1] for c in self.columns]
        self.widths = [UNKNOWN_WIDTH] * len(self.roles)
        self._open: list[float] | None = None  # while reading what follows a page break: see _endings
        self.numeric = [False] * len(self.roles)  # columns of figures (targets, rates), learnt like the widths

    def read(self, items: list[Line]) -> list[Pass]:
        """A row's cells: its lines up to a page break, then each page's rest, read knowing which cells were left
        open (a cell ending in a comma goes on after the break; one ending in a full stop seldom does)."""
        passes: list[Pass] = []
        breaks = [k for k in range(1, len(items)) if items[k].after_break]
        for start, end in zip([0, *breaks], [*breaks, len(items)]):
            self._open = self._endings(items, passes) if passes else None
            passes += [Pass({col: (a + start, b + start) for col, (a, b) in p.cells.items()}, p.kind)
                       for p in self._read_segment(items[start:end])]
        return passes

    def _endings(self, items: list[Line], passes: list[Pass]) -> list[float]:
        """For each column, how likely its cell goes on after a page break, from how the cell last ended."""
        last: dict[int, str] = {}
        for p in passes:
            for col, (_, b) in p.cells.items():
                last[self.columns.index(col + 1)] = items[b].text
        return [_going_on(last.get(c)) for c in range(len(self.roles))]

    def _read_segment(self, items: list[Line]) -> list[Pass]:
        n, k = len(items), len(self.roles)
        if n == 0:
            return []
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
                        skipped = EMPTY_CELL + (0 if going_on else SKIPPED_COLUMN * (c2 - c - 1))
                        self._relax(best, back, cont, i + 1, c2, score - skipped, (i, c, c2, "empty"), going_on)
                    continue
                for c2 in range(c + 1, k):
                    if i == 0 and c2 != 0 and not going_on:
                        break  # a row begins with its first column
                    skipped = 0 if going_on else SKIPPED_COLUMN * (c2 - c - 1)
                    self._cells(items, best, back, cont, i, c, c2, c2, score - skipped, "cell", going_on)
                for c2 in range(c):  # back to a column passed: its cell printed around a shorter, centred one
                    self._cells(items, best, back, cont, i, c, c2, c, score - RESUME, "resume", going_on)
        for c in range(k):  # columns left empty at the row's end count as skipped, unless in a continuation
            if best[n][c + 1] != NEG and not cont[n][c + 1]:
                best[n][c + 1] -= SKIPPED_COLUMN * (k - 1 - c)
        end = max(range(k), key=lambda c: best[n][c + 1])
        return self._passes(back, n, end)

    def _cells(self, items: list[Line], best, back, cont, i: int, c: int, column: int, state: int, score: float,
               kind: str, going_on: bool) -> None:
        """Every cell of `column` that opens at line i (up to a blank line), each leading to (its end, state)."""
        score += self._opening(items, i, column, going_on)
        for e in range(i + 1, min(len(items), i + MAX_CELL_LINES) + 1):
            if items[e - 1].blank:
                break
            s = score - self._too_wide(items, i, e, column)
            if going_on and kind == "cell" and e - 1 > i:  # no cue in a continuation: how lines wrap parts cells
                s -= FITTED * _would_fit(items, e - 1, self.widths[column])
            self._relax(best, back, cont, e, state, s, (i, c, column, kind), going_on)

    @staticmethod
    def _relax(best, back, cont, i: int, c: int, score: float, how: tuple, going_on: bool) -> None:
        if score > best[i][c + 1]:
            best[i][c + 1], back[i][c + 1], cont[i][c + 1] = score, how, going_on

    def _opening(self, items: list[Line], i: int, column: int, cont: bool) -> float:
        key = (i, column, cont)
        if key not in self._openings:
            self._openings[key] = self._opening_score(items, i, column, cont)
        return self._openings[key]

    def _opening_score(self, items: list[Line], i: int, column: int, cont: bool) -> float:
        role, text = self.roles[column], _words_from(items, i)
        score = 0.0
        goes_on = items[i].text[:1].islower() or (i > 0 and items[i - 1].text.endswith(WORD_BREAK))
        if goes_on and not cont:
            score -= LOWER_START
        if items[i].fused:
            score -= FUSED_OPEN
        if i and in_capitals(items[i - 1].text) and in_capitals(items[i].text):
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
        elif i and dangling_words().search(items[i - 1].text):
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
        agency_line = [x > 0 and looks_like_agency(it.text) and not dangling_words().search(items[x - 1].text)
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

    def _passes(self, back, n: int, c: int) -> list[Pass]:
        steps = []
        i = n
        while back[i][c + 1] is not None:
            j, pc, col, kind = back[i][c + 1]
            steps.append((j, i, col, kind))
            i, c = j, pc
        passes: list[Pass] = []
        cells: dict[int, tuple[int, int]] = {}
        resumed: list[Pass] = []  # cells gone back to: each merged into the pass as a continuation
        kind = "row" if self._open is None else "continuation"
        for j, e, col, step in reversed(steps):
            if step == "pass":
                passes += [Pass(cells, kind), *resumed]
                cells, resumed, kind = {}, [], "part"
            elif step == "cell":
                cells[self.columns[col] - 1] = (j, e - 1)
            elif step == "resume":
                resumed.append(Pass({self.columns[col] - 1: (j, e - 1)}, "continuation"))
        passes += [Pass(cells, kind), *resumed]
        return passes

    def learn_widths(self, readings: list[tuple[list[Line], list[Pass]]]) -> None:
        """Each column's width. A wrapped cell's widest line comes close to it (a high percentile of those outvotes
        cells a first reading put in the wrong column); a cell of one line only says the width is at least that."""
        wrapped: list[list[int]] = [[] for _ in self.roles]
        single: list[list[int]] = [[] for _ in self.roles]
        openings: list[list[bool]] = [[] for _ in self.roles]
        for items, passes in readings:
            for p in passes:
                for col, (a, b) in p.cells.items():
                    column = self.columns.index(col + 1)
                    widest = max(len(items[x].text) for x in range(a, b + 1))
                    (wrapped if b > a else single)[column].append(widest)
                    openings[column].append(bool(NUMERIC_START.match(items[a].text)))
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


def in_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _going_on(text: str | None) -> float:
    """A page's first cell in a column: likely where the cell before the break was left open."""
    if text is None:
        return -CONTINUED_CELL  # the cell begins on this page
    if text.endswith(OPEN_ENDINGS) or dangling_words().search(text):
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
