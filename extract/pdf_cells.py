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
from itertools import accumulate
from typing import NamedTuple

from legalkg.extract.tables import looks_like_agency, looks_like_deadline
from legalkg.extract.vocab import alternation, columns

ENUMERATOR = re.compile(r"(\d{1,2})[.)]\s")  # "1. Bộ Tài chính …": an item of a cell, which opens the cell
SUB_ROW_CUE = re.compile(r"(?i)(?:trong đó\b|[-+•]\s)")
SENTENCE_END = re.compile(r"[.;:]$")
SENTENCE_ENDINGS = (".", ";", ":")  # SENTENCE_END, read with str.endswith
MAX_CELL_LINES = 80
LOWER_START = 4.0
TOO_WIDE = 3.0
WIDTH_SLACK = 3
MIN_WIDTH_SAMPLES = 3  # cells needed to learn a column's width
WIDTH_SAMPLE_ROWS = 500  # rows read to learn the widths: a longer table's are spread over it (a percentile of them
# says as much as one of every row, and reading each row twice would double the time of the longest tables)
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


class Line(NamedTuple):  # a tuple: table readers make one per line of a page, and a frozen dataclass costs more
    start: int
    end: int
    text: str
    blank: bool = False  # whitespace only: a cell's end, or an empty cell
    after_break: bool = False  # the first line after page furniture
    fused: bool = False  # the second half of a line that runs two cells together ("Bộ Xây dựng Các bộ, ngành")


@cache
def dangling_words() -> re.Pattern:
    return re.compile(rf"(?<!\S)(?:{alternation(columns()['pdf']['dangling'])})$")


@cache
def _dangling_reversed() -> re.Pattern:
    """dangling_words() read from the line's end: the words reversed, then no letter or mark before them."""
    return re.compile(rf"(?:{alternation(w[::-1] for w in columns()['pdf']['dangling'])})(?!\S)")


def _dangles(text: str) -> bool:
    """Whether the line ends in a word that needs the next one: dangling_words().search(text), from the end."""
    if text.endswith("\n"):
        return bool(dangling_words().search(text))
    return _dangling_reversed().match(text[::-1]) is not None


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
        self._move_lists: dict[tuple[int, bool, bool], list[tuple[int, int, float, str]]] = {}
        self.numeric = [False] * len(self.roles)  # columns of figures (targets, rates), learnt like the widths
        # segments read so far, by all their reading depends on (_Segment.key and what was left open): rows alike
        # ("Sở Tư pháp", "Quý I/2023" in rows of one shape) are read once; emptied when the widths are learnt
        self._read_segments: dict[tuple, list[Pass]] = {}
        self._shapes: dict[tuple, list[Pass]] = {}  # the same by what a reading looks at: see _read_alike

    def read_table(self, rows: list[list[Line]]) -> list[list[Pass]]:
        """Every row's cells (the lines of each row after its STT): a first reading learns the widths (learn_widths)
        from the rows, or from WIDTH_SAMPLE_ROWS of them spread over a longer table; the second reading, of every
        row, is the answer. What the lines say is worked out once for both readings."""
        segmented = [_segments(items) for items in rows]
        step = -(-len(rows) // WIDTH_SAMPLE_ROWS)  # 1 up to WIDTH_SAMPLE_ROWS rows
        sample = list(zip(rows, segmented))[::step]
        self.learn_widths([(items, self._read(items, segments)) for items, segments in sample])
        return [self._read(items, segments) for items, segments in zip(rows, segmented)]

    def _read(self, items: list[Line], segments: list[tuple[int, _Segment]]) -> list[Pass]:
        """A row's cells: its lines up to a page break, then each page's rest, read knowing which cells were left
        open (a cell ending in a comma goes on after the break; one ending in a full stop seldom does)."""
        passes: list[Pass] = []
        read = self._read_segments
        for start, segment in segments:
            self._open = self._endings(items, passes) if passes else None
            key = (segment.key, None if self._open is None else tuple(self._open))
            if (found := read.get(key)) is None:
                found = read[key] = self._read_alike(segment)
            passes += [Pass({col: (a + start, b + start) for col, (a, b) in p.cells.items()}, p.kind) for p in found]
        return passes

    def _read_alike(self, segment: _Segment) -> list[Pass]:
        """The segment's reading, shared by the segments of this reading whose lines differ only in what the reading
        does not look at: a line's width beyond whether it is wider than each column, and outside a page's rest
        (where _fitted reads them) the lengths of a line and of its first word and how it ends."""
        limits = [w + WIDTH_SLACK for w in self.widths]
        going = self._open is not None
        shape = (tuple((k[0], k[1], tuple([k[2] > limit for limit in limits]), *k[3:8], *(k[8:] if going else ()))
                       for k in segment.key), None if self._open is None else tuple(self._open))
        if (found := self._shapes.get(shape)) is None:
            found = self._shapes[shape] = self._read_segment(segment)
        return found

    def _endings(self, items: list[Line], passes: list[Pass]) -> list[float]:
        """For each column, how likely its cell goes on after a page break, from how the cell last ended."""
        last: dict[int, str] = {}
        for p in passes:
            for col, (_, b) in p.cells.items():
                last[self.columns.index(col + 1)] = items[b].text
        return [_going_on(last.get(c)) for c in range(len(self.roles))]

    def _read_segment(self, segment: _Segment) -> list[Pass]:
        items = segment.items
        n, k = len(items), len(self.roles)
        if n == 0:
            return []
        self._prepare(segment)
        # best[i][c+1]: best score having read items[:i] with the last cell in column c (-1: a pass just began)
        NEG = float("-inf")
        best = [[NEG] * (k + 1) for _ in range(n + 1)]
        back: list[list[tuple | None]] = [[None] * (k + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        cont = [[False] * (k + 1) for _ in range(n + 1)]  # whether the pass being read began after a page break
        cont[0][0] = self._open is not None
        states = [*range(k), -1]  # a new pass (c = -1) is reached from the other states at the same line
        for i in range(n):
            scores, going = best[i], cont[i]
            for c in states:
                score = scores[c + 1]
                if score == NEG:
                    continue
                going_on = going[c + 1]
                if c >= 0:  # round the columns again: a sub-row
                    penalty = SUB_ROW_PASS if segment.sub_row[i] else NEW_PASS
                    self._relax(best, back, cont, i, -1, score - penalty, (i, c, None, "pass"), False)
                if items[i].blank:
                    self._relax(best, back, cont, i + 1, c, score, (i, c, None, "blank"), going_on)  # a cell's end
                    for c2 in range(c + 1, k) if i else ():  # an empty cell (not before the row's first)
                        skipped = EMPTY_CELL + (0 if going_on else SKIPPED_COLUMN * (c2 - c - 1))
                        self._relax(best, back, cont, i + 1, c2, score - skipped, (i, c, c2, "empty"), going_on)
                    continue
                self._cells(items, best, back, cont, i, c, score, going_on)
        for c in range(k):  # columns left empty at the row's end count as skipped, unless in a continuation
            if best[n][c + 1] != NEG and not cont[n][c + 1]:
                best[n][c + 1] -= SKIPPED_COLUMN * (k - 1 - c)
        end = max(range(k), key=lambda c: best[n][c + 1])
        return self._passes(back, n, end)

    def _cells(self, items: list[Line], best, back, cont, i: int, c: int, score: float, going_on: bool) -> None:
        """From state c at line i, every cell opening there (up to a blank line), each leading to its end: in a
        column after c (columns skipped cost), or back in a column passed (its cell printed around a shorter,
        centred one: the state stays c)."""
        known = self._costs
        for column, state, penalty, kind in self._moves(c, i == 0, going_on):
            how, slot, base, fits = (i, c, column, kind), state + 1, score - penalty, going_on and kind == "cell"
            for e, cost in known.get((i, column, going_on, fits)) or self._cell_costs(items, i, column, going_on, fits):
                s = base - cost
                if s > best[e][slot]:
                    best[e][slot], back[e][slot], cont[e][slot] = s, how, going_on

    def _moves(self, c: int, first_line: bool, going_on: bool) -> list[tuple[int, int, float, str]]:
        """(column, state after it, penalty, kind) of the cells that may open after state c, in the order they are
        tried: the columns after c (a row begins with its first one), then the columns passed."""
        key = (c, first_line, going_on)
        if (moves := self._move_lists.get(key)) is None:
            opened = [(c2, c2, 0 if going_on else SKIPPED_COLUMN * (c2 - c - 1), "cell")
                      for c2 in range(c + 1, len(self.roles)) if not first_line or c2 == 0 or going_on]
            moves = self._move_lists[key] = [*opened, *((c2, c, RESUME, "resume") for c2 in range(c))]
        return moves

    def _cell_costs(self, items: list[Line], i: int, column: int, going_on: bool,
                    fits: bool) -> list[tuple[int, float]]:
        """(end, cost) of every cell of `column` opening at line i, whichever state it is reached from: its opening
        and its lines, read off the prefix sums (see _prepare); fits: in a continuation, how lines wrap parts cells."""
        key = (i, column, going_on, fits)
        if (costs := self._costs.get(key)) is None:
            first, after_first, total = self._sums[column]
            base = first[i] + after_first[i + 1] + self._opening(items, i, column, going_on)
            fitted = self._fitted(items, column) if fits else None  # no cue in a continuation
            costs = self._costs[key] = [
                (e, total[e] - base + (fitted[e - 1] if fitted is not None and e - 1 > i else 0.0))
                for e in range(i + 1, min(self._segment.next_blank[i], i + MAX_CELL_LINES) + 1)]
        return costs

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
        line, role = self._segment.openings[i], self.roles[column]
        score = line.score - (LOWER_START if line.goes_on and not cont else 0.0)
        if self.numeric[column] and not line.numeric:
            score -= NOT_NUMERIC  # a column of figures ("10,5 - 11,0") opens with a figure
        if line.digit and role not in DIGIT_OPENS:
            score -= DIGIT_START
        if cont:  # a page's rest goes on the cells left open; opening any other costs
            return score + self._open[column]
        if role in ("lead", "coordinating"):
            score += CUE if line.agency else -CUE
        elif role == "deadline":
            score += CUE if line.deadline else -CUE / 2
        elif role == "task" and "product" in self.roles and line.provision:
            score -= IN_TASK_CELL  # "Khoản 2 Điều 5" is the article column's
        elif column and line.agency:
            score -= CUE / 4  # agency words open agency cells (the task column is read before any)
        return score

    def _fitted(self, items: list[Line], column: int) -> list[float]:
        """Per line, what it costs a continuation's cell to end on it when its first word would have fitted on the line
        before (so the two are not one cell's lines)."""
        if column not in self._fits:
            width = self.widths[column]
            self._fits[column] = [FITTED * _would_fit(items, x, width) if x else 0.0 for x in range(len(items))]
        return self._fits[column]

    def _prepare(self, segment: _Segment) -> None:
        """Per segment and reading (the widths change between readings): for every column, prefix sums of what lines
        cost a cell of that column; opening scores are computed on first need. A cell from line i to line e - 1
        costs total[e] - first[i] - after_first[i + 1]: lines wider than the column and provision lines in an agency
        cell, from its first line; figures alone on a line outside a column of figures ("12,3" belongs to the
        rates), provision lines in the task cell and agency lines in a product cell, from its second."""
        none = [False] * len(segment.items)
        self._segment, self._sums = segment, []
        for column, role in enumerate(self.roles):
            limit = self.widths[column] + WIDTH_SLACK
            first = _prefix(TOO_WIDE * (w > limit) + IN_AGENCY_CELL * p for w, p in
                            zip(segment.physical, segment.provision if role in ("lead", "coordinating") else none))
            after_first = _prefix(
                NOT_NUMERIC * f + IN_TASK_CELL * p + IN_PRODUCT_CELL * a
                for f, p, a in zip(none if self.numeric[column] else segment.figure,
                                   segment.provision if role == "task" and "product" in self.roles else none,
                                   segment.agency_line if role == "product" and limit < UNKNOWN_WIDTH else none))
            self._sums.append((first, after_first, [a + b for a, b in zip(first, after_first)]))
        self._fits: dict[int, list[float]] = {}
        self._openings: dict[tuple[int, int, bool], float] = {}
        self._costs: dict[tuple[int, int, bool, bool], list[tuple[int, float]]] = {}

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
        self._read_segments, self._shapes = {}, {}
        lines = [it.text for items, _ in readings for it in items if not it.blank]
        if sum(" " not in line for line in lines) > WORD_BY_WORD * len(lines):
            return  # cells broken word by word: line lengths say nothing of the columns
        for col in range(len(self.roles)):
            if len(wrapped[col]) >= MIN_WIDTH_SAMPLES:
                self.widths[col] = max(_percentile(wrapped[col], WIDTH_PERCENTILE),
                                       _percentile(single[col], WIDTH_PERCENTILE))
            elif len(single[col]) >= MIN_WIDTH_SAMPLES:  # a column of short cells ("Quý II/2027"): at least that
                self.widths[col] = max(single[col])


@dataclass(frozen=True)
class _Segment:
    """A row's lines up to a page break (or a page's rest), and what each says whatever the columns' widths."""

    items: list[Line]
    physical: list[int]  # a line's width; a fused line's halves count as the one line they are
    figure: list[bool]  # a figure alone on the line
    provision: list[bool]  # "Khoản 2 Điều 5"
    agency_line: list[bool]  # an agency's name opening the line, not after a dangling word
    sub_row: list[bool]  # "Trong đó:", "- Công nghiệp": a sub-row may begin
    next_blank: list[int]  # the first blank line at or after each line (len(items) if none): no cell runs over one
    openings: list[_OpeningLine]
    key: tuple  # all a reading of the segment depends on, given the columns: segments alike are read once


def _segments(items: list[Line]) -> list[tuple[int, _Segment]]:
    """A row's segments, each with the index of its first line: page breaks part them."""
    breaks = [k for k in range(1, len(items)) if items[k].after_break]
    return [(start, _segment(items[start:end])) for start, end in zip([0, *breaks], [*breaks, len(items)])]


def _segment(items: list[Line]) -> _Segment:
    physical = [len(it.text) for it in items]
    for x in range(len(items) - 1, 0, -1):
        if items[x].fused:  # the first half carries the whole line's width
            physical[x - 1] += 1 + physical[x]
            physical[x] = 0
    features = [_line_features(it.text) for it in items]
    figure, provision, agency_line, sub_row, openings, key = [], [], [], [], [], []
    before = None
    for x, (it, f) in enumerate(zip(items, features)):
        agency = before is not None and not before[1] and f[5]
        opening = _opening_line(items, x, f, before)
        figure.append(f[2])
        provision.append(f[3])
        agency_line.append(agency)
        sub_row.append(f[4])
        openings.append(opening)
        key.append((it.blank, it.fused, physical[x], f[2], f[3], agency, f[4], opening, len(it.text),
                    f[6], f[7]))
        before = f
    return _Segment(items, physical, figure, provision, agency_line, sub_row, _next_blank(items), openings, tuple(key))


_FEATURES: dict[str, tuple] = {}  # a line's text -> _line_features: table cells repeat ("Sở Tư pháp", "Quý I/2023")
REMEMBERED_LINES = 50_000  # texts kept (each at most LONGEST_LINE characters); the store is emptied when full
LONGEST_LINE = 1_000


def _line_features(text: str) -> tuple:
    """What a line's text says alone: (in capitals, ends in a dangling word, a figure alone, a provision, a sub-row
    cue, an agency's name, its first word's length, a sentence's end, ends in a comma, ends in a broken word, opens
    in lower case, opens with a figure)."""
    if (found := _FEATURES.get(text)) is not None:
        return found
    bare = text[:-1] if text.endswith("\n") else text  # where "$" matches
    found = (in_capitals(text), _dangles(text), bool(FIGURE.fullmatch(text)),
             bool(PROVISION.match(text)), bool(SUB_ROW_CUE.match(text)), looks_like_agency(text),
             len(text.split(" ", 1)[0]), bare.endswith(SENTENCE_ENDINGS), text.endswith(","),
             text.endswith(WORD_BREAK), text[:1].islower(), bool(NUMERIC_START.match(text)))
    if len(text) <= LONGEST_LINE:
        if len(_FEATURES) >= REMEMBERED_LINES:
            _FEATURES.clear()
        _FEATURES[text] = found
    return found


class _OpeningLine(NamedTuple):
    """What a line tells of a cell opening on it, whatever the column: computed once a line, not once a column."""

    score: float  # the cues that do not depend on the column
    goes_on: bool  # lower case, or after a word broken at the line's end
    numeric: bool  # opens with a figure
    digit: bool  # opens with a digit and is no list item
    agency: bool
    deadline: bool
    provision: bool


_WORDS: dict[str, tuple] = {}  # a cell's opening words (_words_from) -> what _opening_line reads of them


def _words_features(text: str) -> tuple:
    """(score, digit, agency, deadline, provision) of a cell's opening words, whatever the line before them."""
    if (found := _WORDS.get(text)) is not None:
        return found
    score = 0.0
    if (item := ENUMERATOR.match(text)) and int(item[1]) > 1:
        score -= LIST_GOES_ON  # "2. Bộ Tư pháp …" goes on the list "1. …" began in the same cell
    if text.startswith("("):
        score -= PAREN_START  # "(%)", "(triệu lượt)": a parenthesis qualifies what comes before it
    found = (score, text[:1].isdigit() and not item, looks_like_agency(text), looks_like_deadline(text),
             bool(PROVISION.match(text)))
    if len(_WORDS) >= REMEMBERED_LINES:
        _WORDS.clear()
    _WORDS[text] = found  # at most CUE_CHARS characters
    return found


def _opening_line(items: list[Line], i: int, own: tuple, before: tuple | None) -> _OpeningLine:
    """own, before: the _line_features of line i and of the line before it (None for the first)."""
    words_score, digit, agency, deadline, provision = _words_features(_words_from(items, i))
    score = 0.0
    if items[i].fused:
        score -= FUSED_OPEN
    if before is not None and before[0] and own[0]:
        score -= CAPS_GO_ON  # "THEO TỈNH, THÀNH" / "PHỐ": a title in capitals goes on
    if words_score:
        score += words_score
    if before is not None and before[8]:
        score -= COMMA_GOES_ON  # "Bộ Nội vụ," / "Bộ Ngoại giao": a list goes on
    elif before is not None and before[7]:
        score += SENTENCE_BOUNDARY
    elif before is not None and before[1]:
        score -= DANGLING  # "… so với" / "GDP (%)": a line ending in a word that needs the next one
    goes_on = own[10] or (before is not None and before[9])
    return _OpeningLine(score, goes_on, own[11], digit, agency, deadline, provision)


def _percentile(values: list[int], share: float) -> int:
    return sorted(values)[int(share * (len(values) - 1))] if values else 0


def _prefix(costs) -> list[float]:
    return [0.0, *accumulate(costs)]


def _next_blank(items: list[Line]) -> list[int]:
    """For each line, the index of the first blank line at or after it (the number of lines if none): no cell
    runs over a blank line."""
    found, nxt = [0] * len(items), len(items)
    for x in range(len(items) - 1, -1, -1):
        nxt = x if items[x].blank else nxt
        found[x] = nxt
    return found


def in_capitals(text: str) -> bool:
    """Two letters or more, all capitals (the first small letter settles it)."""
    letters = 0
    for ch in text:
        if ch.isalpha():
            if not ch.isupper():
                return False
            letters += 1
    return letters >= 2


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
    if len(first := items[i].text) >= CUE_CHARS or items[i].blank:
        return first[:CUE_CHARS]
    words = []
    for item in items[i : i + CUE_LINES]:
        if item.blank:
            break
        words.append(item.text)
    return " ".join(words)[:CUE_CHARS]
