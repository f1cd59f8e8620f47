"""Task tables of thuvienphapluat markdown, read as the grid the page gives (see extract.tables.ROW_KINDS).

The page prints a table as blocks of lines between lines holding only "|": a row is "|", cell, "|", cell, …, "|",
so the end of one row and the start of the next are two "|" lines in a row — and so is an empty cell. A run of k
"|" lines between two cells of text is read against the header's width N (the current row holds c cells so far):

- k - 2 >= N - c: the row is filled with N - c empty cells and ends; the rest are empty leading cells of the next
  row ("fill full rows first");
- k == 1: the next cell of the row; a full row followed by a single "|" ends the table (what follows is not a cell);
- otherwise the row continues with k - 1 empty cells, unless the next cell opens a row (a Roman numeral, a label
  like the table's first one, "Bước 2", or a number that may come next) and can stand in the STT column, or the row
  could not end (two "|" lines, or the table's end) before it runs out of columns: then the row ends short (a
  sub-row of row-spanned cells, or a heading over merged cells);
- a sub-row that starts on the STT column without a number (its leading cells are spanned) ends short, and the
  empties after it lead the next row.
The table ends where a cell would be the tail of the page, a new header (of any table: emphasised header cells),
the title right before one, or an appendix title ("PHỤ LỤC II" run straight into after the last cell).

Rows are then labelled: a numbered row starts a task; a number and one title cell alone (a Roman numeral, or
emphasised) is a heading, and so is one emphasised cell alone ("II. Title"); a row of emphasised cells without a
number (a total) is left out; a short row without a number is a part when it brings agency cells — its cells are
placed on the columns they fit by content (cue words, and the words the column's cells start or end with), and the
row-spanned cells (deadline, product, …) are copied from the row above — otherwise a continuation; a full row with an
empty STT cell is a continuation, or a part when it brings agency cells of its own while the row above had some.
A table whose rows have more cells than its header, or none of whose numbered rows is as wide as it, is returned
with a warning and yields no tasks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from legalkg.extract.tables import (
    MARKUP, MAX_COLUMNS, MAX_HEADER, MAX_OPENING_HEADER, Cell, Row, Table, is_task_header, separator_lines, column_role,
    looks_like_agency, looks_like_deadline, opens_header,
)

STYLE = "markdown"
NUMBER = re.compile(r"(?:[IVXL]{1,5}|\d+)(?:\.\d{1,3}){0,3}\.?")  # 1, 12., 1000, I, III.1, III.1.1
ROMAN_LED = re.compile(r"[IVXL]{1,5}(?:\.\d{1,3}){0,3}\.?")
LABEL = re.compile(r"(?P<prefix>[^\W\d_]{1,5}) ?\d+[a-zđ]?\.?")  # "Bước 1", "B1": a step label
NUMBERED_TITLE = re.compile(r"[*_]*(?P<no>(?:[IVXL]{1,5}|\d{1,3})(?:\.\d{1,3}){0,3})[.)]?[*_]*[ \t]+(?=\S)")
COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")  # "(1) | (2) | …": a row numbering the columns
APPENDIX = re.compile(r"PH[ỤU] L[ỤU]C\b")
AGENCY_ROLES = ("lead", "coordinating", "unit")
PART_ROLES = ("product", "lead", "coordinating", "deadline")  # what a part carries; spanned ones are copied
SCAN_ROWS = 8  # rows under the header looked at for the width of the body
MAX_HEADER_CELL = 64  # characters of a header cell's text: longer emphasised blocks are titles
MAX_BACK = 2  # header cells without a role ("Thứ tự công việc") that may stand before the opening one


def markdown_tables(text: str, lo: int, hi: int) -> list[Table]:
    """Tables in text[lo:hi] whose rows end at two "|" lines in a row."""
    blocks = _Blocks.read(text, lo, hi)
    tables: list[Table] = []
    i = 0
    while i < len(blocks):
        head = _header(blocks, i) if blocks.may_open(i) else None
        if head is None:
            i += 1
            continue
        table, stop = _Reader(blocks, head).read()
        if table is not None:
            tables.append(table)
        i = max(stop, i + 1)
    return tables


# --- blocks: the cells of text between "|" lines ------------------------------------------------------------------
@dataclass
class _Blocks:
    text: str
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    gap: list[int] = field(default_factory=list)  # "|" lines between the block before and this one
    closed: list[bool] = field(default_factory=list)  # a "|" line follows: the block can be a cell

    @classmethod
    def read(cls, text: str, lo: int, hi: int) -> _Blocks:
        blocks, pos, k = cls(text), lo, 0
        for start, end in separator_lines(text, lo, hi):
            if blocks._add(pos, start, k, True):
                k = 0
            k += 1
            pos = end + 1
        blocks._add(pos, hi, k, False)
        return blocks

    def _add(self, start: int, end: int, gap: int, closed: bool) -> bool:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return False
        self.start.append(start)
        self.end.append(end)
        self.gap.append(gap)
        self.closed.append(closed)
        return True

    def __len__(self) -> int:
        return len(self.start)

    def cell(self, i: int) -> Cell:
        return Cell(self.text[self.start[i] : self.end[i]], self.start[i], self.end[i])

    def raw(self, i: int) -> str:
        return self.text[self.start[i] : self.end[i]]

    def plain(self, i: int) -> str:
        """The block without markup, whitespace collapsed (short blocks only: it is for labels and headers)."""
        return " ".join(MARKUP.sub(" ", self.raw(i)).split()) if self.end[i] - self.start[i] < 200 else "…"

    def may_open(self, i: int) -> bool:
        """A header's opening cell: a whole emphasised block after a "|" line, that names a no/task/objective
        column (the page prints header cells in bold)."""
        return self.gap[i] >= 1 and self.closed[i] and self.end[i] - self.start[i] <= 2 * MAX_OPENING_HEADER and \
            _emphasised(self.raw(i)) and opens_header(self.raw(i))


def _edge_words(plain: str) -> set[str]:
    words = plain.casefold().split()
    return {w.strip(".,;:()") for w in (words[:1] + words[-1:])} - {""} if words and plain != "…" else set()


def _unwrapped(cell: Cell) -> Cell:
    """The cell without the emphasis markers and spaces around it (its offsets moved in to match)."""
    text, start, end = cell.text, 0, len(cell.text)
    while start < end and text[start] in "*_ \t\r\n":
        start += 1
    while end > start and text[end - 1] in "*_ \t\r\n":
        end -= 1
    return Cell(text[start:end], cell.start + start, cell.start + end) if start < end else cell


def _emphasised(raw: str) -> bool:
    return len(raw) > 2 and raw[0] in "*_" and raw[-1] in "*_"


def _empty(blocks: _Blocks, i: int) -> bool:
    """Markup and nothing else ("** **"): an empty cell that the page printed."""
    return blocks.end[i] - blocks.start[i] < 12 and not blocks.plain(i)


# --- the header ---------------------------------------------------------------------------------------------------
@dataclass
class _Head:
    first: int  # block of the first header cell
    columns: tuple[str | None, ...]
    body: int  # block of the first body cell


def _header(blocks: _Blocks, i: int) -> _Head | None:
    """The header row opening at block i: cells one "|" apart up to two "|" lines in a row (the row end), with the
    roles of a task table. Without that row end the table is not of this style (the block reader's)."""
    last = i
    while last + 1 < len(blocks) and blocks.gap[last + 1] == 1 and blocks.closed[last + 1]:
        nxt = last + 1
        if nxt - i >= MAX_COLUMNS or blocks.end[nxt] - blocks.start[nxt] > MAX_HEADER or _opens_row(blocks.plain(nxt)):
            return None
        last = nxt
    if last + 1 >= len(blocks) or blocks.gap[last + 1] < 2 or not blocks.closed[last + 1]:
        return None
    roles: list[str | None] = []
    for j in range(i, last + 1):
        role = column_role(blocks.raw(j))
        roles.append(role if role not in roles else None)
    if not is_task_header(roles):
        return None
    first, body = i, last + 1
    width = _body_width(blocks, body)
    while width > len(roles) and first - i > -MAX_BACK and _header_before(blocks, first):
        first -= 1
        roles.insert(0, column_role(blocks.raw(first)) if column_role(blocks.raw(first)) not in roles else None)
    head = _Head(first, tuple(roles), body)
    head = _merged_below(blocks, head) or head
    return _numbered_below(blocks, head) or head


def _header_before(blocks: _Blocks, first: int) -> bool:
    """The block before the header's opening cell is one of its cells: one "|" apart, short and emphasised."""
    prev = first - 1
    return prev >= 0 and blocks.gap[first] == 1 and blocks.gap[prev] >= 1 and _emphasised(blocks.raw(prev)) and \
        len(blocks.plain(prev)) <= MAX_OPENING_HEADER and not _opens_row(blocks.plain(prev))


def _body_width(blocks: _Blocks, body: int) -> int:
    """The widest of the first numbered rows under the header that show no empty cell (so no ambiguity): rows may
    be short (spanned cells), not wide."""
    widths: Counter[int] = Counter()
    i, rows = body, 0
    while i < len(blocks) and rows < SCAN_ROWS and blocks.closed[i]:
        j = i
        while j + 1 < len(blocks) and blocks.gap[j + 1] == 1 and blocks.closed[j + 1] and j - i <= MAX_COLUMNS:
            j += 1
            if blocks.may_open(j):
                return max(widths, default=0)  # the next table's header: its rows are not this table's
        if blocks.gap[i] == 2 and j + 1 < len(blocks) and blocks.gap[j + 1] == 2 and \
                (NUMBER.fullmatch(first := blocks.plain(i)) or LABEL.fullmatch(first)):
            widths[j - i + 1] += 1
        rows += 1
        i = j + 1
    return max(widths, default=0)


def _header_row(blocks: _Blocks, i: int) -> bool:
    """Blocks from i to a row end that read as a table header of any kind: emphasised short cells, two or more of
    them naming a column."""
    last = _row_cells(blocks, i)
    if last == i or last + 1 >= len(blocks) or blocks.gap[last + 1] < 2 or not blocks.closed[i]:
        return False
    named = 0
    for j in range(i, last + 1):
        raw = blocks.raw(j)
        if len(raw) > MAX_HEADER or not _emphasised(raw) or len(blocks.plain(j)) > MAX_HEADER_CELL:
            return False
        named += column_role(raw) is not None
    return named >= 2


def _row_cells(blocks: _Blocks, i: int) -> int:
    """The last block of the row starting at block i if every cell is one "|" apart and the row ends cleanly."""
    j = i
    while j + 1 < len(blocks) and blocks.gap[j + 1] == 1 and blocks.closed[j + 1] and j - i < MAX_COLUMNS:
        j += 1
    return j


def _merged_below(blocks: _Blocks, head: _Head) -> _Head | None:
    """A second header row under a merged "Đơn vị thực hiện": "Chủ trì" and "Phối hợp" take its place."""
    if "unit" not in head.columns or blocks.gap[head.body] != 2:
        return None
    last = _row_cells(blocks, head.body)
    below = [column_role(blocks.raw(j)) for j in range(head.body, last + 1)]
    if last + 1 >= len(blocks) or blocks.gap[last + 1] < 2 or not below or not set(below) <= {"lead", "coordinating"}:
        return None
    u = head.columns.index("unit")
    return _Head(head.first, (*head.columns[:u], *below, *head.columns[u + 1 :]), last + 1)


def _numbered_below(blocks: _Blocks, head: _Head) -> _Head | None:
    """A row numbering the columns, "(1) | (2) | …", under the header: skipped."""
    if blocks.gap[head.body] != 2:
        return None
    last = _row_cells(blocks, head.body)
    numbers = [COLUMN_NUMBER.fullmatch(blocks.plain(j)) for j in range(head.body, last + 1)]
    if len(numbers) != len(head.columns) or not all(numbers) or last + 1 >= len(blocks) or blocks.gap[last + 1] < 2:
        return None
    if [int(m.group(1)) for m in numbers] != list(range(1, len(numbers) + 1)):
        return None
    return _Head(head.first, head.columns, last + 1)


def _arabic(plain: str) -> int | None:
    head = plain.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _opens_row(plain: str, prefix: str | None = None) -> bool:
    """A number, a Roman numeral (I, III.1), or a step label with the given prefix ("Bước 2")."""
    if NUMBER.fullmatch(plain):
        return True
    m = LABEL.fullmatch(plain) if prefix else None
    return bool(m and m.group("prefix").casefold() == prefix)


# --- the body -----------------------------------------------------------------------------------------------------
@dataclass
class _Raw:
    """A row as the separators give it: block indices by column, and how many columns it spans (empties included)."""

    cells: dict[int, int] = field(default_factory=dict)
    width: int = 0
    leading: int = 0  # empty cells before its first block


class _Reader:
    def __init__(self, blocks: _Blocks, head: _Head) -> None:
        self.b, self.head, self.columns = blocks, head, head.columns
        self.n = len(head.columns)
        roles = head.columns
        self.label = roles.index("no") if "no" in roles else (0 if roles[0] is None else None)
        first = blocks.plain(head.body) if head.body < len(blocks) else ""
        m = LABEL.fullmatch(first) if self.label is not None and not NUMBER.fullmatch(first) else None
        self.prefix = m.group("prefix").casefold() if m else None
        self.warning: str | None = None
        self.raws: list[_Raw] = []
        self.numbered = False  # a row opened with a number (or step label) so far
        self.last: int | None = None  # the first part of the last row's Arabic number ("3" of "3.2")
        self.profile: list[Counter[str]] | None = None

    def opens(self, i: int) -> bool:
        return _opens_row(self.b.plain(i), self.prefix)

    # - the grid -
    def read(self) -> tuple[Table | None, int]:
        """(the table, the block after it)."""
        b, n = self.b, self.n
        raws: list[_Raw] = []
        row = _Raw(width=n)  # the header: a full row
        i = self.head.body
        while i < len(b):
            k = b.gap[i]
            if not b.closed[i] or self._ends_table(i):
                break
            if k - 2 >= n - row.width:  # fill the row, end it; the rest lead the next row
                lead = (k - 2 - (n - row.width)) % (n + 1)
                if lead >= n:
                    break
                if self._unanchored(row) and k - 2 < n:
                    lead = k - 2  # a sub-row under spanned cells ends short; the empties lead the next one
                else:
                    row.width = n
                row = self._next_row(raws, row, lead)
            elif k == 1:
                if row.width >= n:
                    if self._runs_on(i):
                        self.warning = f"a row has more cells than the header's {n}"
                    break
            elif self.label is not None and self.label <= k - 2 and self._next_number(i) and self._row_goes_on(i):
                row.width += k - 2 - self.label
                row = self._next_row(raws, row, self.label)
            elif row.width + k - 1 <= n - 1 and self._can_close(i, row.width + k - 1):
                row.width += k - 1
            else:  # the row ends short; the cell opens the next one
                row.width += k - 2
                row = self._next_row(raws, row, 0)
            row.cells[row.width] = i
            row.width += 1
            if self.label is not None and row.cells.get(self.label) == i and self.opens(i):
                self.numbered = True
                self.last = _arabic(b.plain(i)) or self.last
            i += 1
        if row.cells:
            raws.append(row)
        if not raws:
            return None, i
        table_rows = self._label(raws)
        if not table_rows:
            return None, i
        start, end = b.start[self.head.first], b.end[i - 1]
        return Table(STYLE, self.columns, tuple(table_rows), start, end, self.warning or self._narrow(raws)), i

    def _next_row(self, raws: list[_Raw], row: _Raw, lead: int) -> _Raw:
        if row.cells:
            raws.append(row)
        return _Raw(width=lead, leading=lead)

    def _ends_table(self, i: int) -> bool:
        """A new header, or an appendix title, where a cell would be: the block is a header cell, or the one block
        right before a header, a single "|" apart — text between two tables (in a row of this table, two "|" lines
        would end that row first)."""
        b = self.b
        for x in range(i, min(len(b), i + MAX_BACK + 2)):
            if x > i and b.gap[x] != 1:
                break
            if b.may_open(x) and (head := _header(b, x)) is not None and head.first <= i + 1:
                return True
        titled = _emphasised(b.raw(i)) and i + 1 < len(b) and b.gap[i + 1] == 1 and _header_row(b, i + 1)
        if titled or _header_row(b, i):
            return True  # the header of another table (one without a lead column), or its title right before it
        return b.end[i] - b.start[i] < 2000 and bool(APPENDIX.match(b.plain(i) if b.end[i] - b.start[i] < 200
                                                                     else MARKUP.sub("", b.raw(i)[:60]).strip()))

    def _unanchored(self, row: _Raw) -> bool:
        """A row that starts on the STT column without a number, in a table whose rows are numbered: a sub-row whose
        leading cells are spanned from above, so its cells start further right than the separators show. Which of the
        empty cells after it are its own and which lead the next row is a tie: they go to the next row."""
        first = self.label is not None and row.cells.get(self.label)
        return bool(first) and row.leading == 0 and self.label == min(row.cells) and self.numbered and \
            not self.opens(first) and not _emphasised(self.b.raw(first))

    def _can_close(self, i: int, column: int) -> bool:
        """Block i on that column leaves the row room to end where the separators say it does: at two "|" lines in a
        row, or at the end of the table, before the row runs out of columns."""
        b = self.b
        for j in range(i, i + self.n - column):
            if j + 1 >= len(b) or not b.closed[j + 1] or b.gap[j + 1] >= 2 or self._ends_table(j + 1):
                return True
        return False

    def _next_number(self, i: int) -> bool:
        """Block i opens a row and its number may come next: a Roman numeral, a step label, 1, or the last row's
        number or the one after it (1.2 after 1.1, 3 after 2.4) — not a figure in a cell ("12" after "3")."""
        if not self.opens(i):
            return False
        value = _arabic(self.b.plain(i))
        return value is None or self.last is None or value in (1, self.last, self.last + 1)

    def _row_goes_on(self, i: int) -> bool:
        """A row opening at block i holds more than its number: the next cell is one "|" away."""
        b = self.b
        return i + 1 < len(b) and b.gap[i + 1] == 1 and b.closed[i + 1]

    def _runs_on(self, i: int) -> bool:
        """After a full row and a single "|", block i and the cells after it still make rows: the rows are wider
        than the header (not the text after the table)."""
        b = self.b
        if "\n\n" in b.raw(i) or b.end[i] - b.start[i] > 2000:
            return False
        j = _row_cells(b, i)
        return j + 1 < len(b) and b.gap[j + 1] >= 2 and b.closed[j + 1] and j - i < MAX_COLUMNS and \
            (self.opens(j + 1) or b.gap[j + 1] > 2)

    def _narrow(self, raws: list[_Raw]) -> str | None:
        """No numbered row is as wide as the header: its width is not the rows'."""
        label = self.label
        numbered = [r for r in raws if label is not None and label in r.cells and self.opens(r.cells[label])
                    and len(r.cells) > 2]
        return f"no numbered row has the header's {self.n} cells" if len(numbered) >= 3 and \
            all(r.width < self.n for r in numbered) else None

    # - labelling -
    def _label(self, raws: list[_Raw]) -> list[Row]:
        self.raws = raws
        rows: list[Row] = []
        above: Row | None = None  # the last row that is not a heading
        for raw in raws:
            content = {c: i for c, i in raw.cells.items() if not _empty(self.b, i)}
            row = self._row(raw, content, above) if content else None
            if row is not None:
                rows.append(row)
                above = row if row.kind != "heading" else above
        return rows

    def _row(self, raw: _Raw, content: dict[int, int], above: Row | None) -> Row | None:
        b, n, label = self.b, self.n, self.label
        short = raw.width < n
        numbered = label is not None and label in content and self.opens(content[label])
        if numbered:
            placed = self._place_numbered(content) if short else content
            heading = self._heading(placed)
            if heading is not None:
                return heading
            return self._make(placed, "row")
        if all(_emphasised(b.raw(i)) for i in content.values()):
            if len(content) == 1:
                return self._title_row(next(iter(content.values())))  # a heading over the whole row
            return None  # a row of emphasised cells and no number: a total, a note — no task's
        if short:
            placed = content if raw.leading else self._place(list(content.values()), set(range(n)) - {label}, 1)
            roles = {self.columns[c] for c in placed}
            if not roles & set(AGENCY_ROLES):
                return self._make(placed, "continuation")
            return self._make(placed, "part", above)
        if label is not None and label not in content:
            own = any(self.columns[c] in AGENCY_ROLES for c in content)
            had = above is not None and any(c and r in AGENCY_ROLES for c, r in zip(above.cells, self.columns))
            return self._make(content, "part" if own and had else "continuation")
        return self._make(content, "row")

    def _make(self, placed: dict[int, int], kind: str, above: Row | None = None) -> Row:
        cells: list[Cell | None] = [None] * self.n
        for c, i in placed.items():
            cells[c] = self.b.cell(i)
        own = [c for c in cells if c is not None]
        if above is not None:  # a part: the cells spanned from the row above come with it
            for c, role in enumerate(self.columns):
                if role in PART_ROLES and c not in placed and above.cells[c] is not None:
                    cells[c] = above.cells[c]
        return Row(tuple(cells), min(c.start for c in own), max(c.end for c in own), kind=kind)

    def _place_numbered(self, content: dict[int, int]) -> dict[int, int]:
        """A short numbered row: the number and the cell after it stay; the others go where they fit, leftmost on a
        tie (the cells it lacks are spanned from above, or merged, on its right)."""
        label = self.label
        order = sorted(content)
        fixed = {c: content[c] for c in order if c <= label}
        rest = [content[c] for c in order if c > label]
        if rest:
            fixed[label + 1] = rest.pop(0)
        free = set(range(label + 2, self.n))
        return fixed | (self._place(rest, free, -1) if rest else {})

    def _place(self, cells: list[int], free: set[int], lean: int) -> dict[int, int]:
        """Cells in their order on the free columns, where they fit best by content; on a tie the rightmost
        (lean 1: a sub-row under spanned STT and task cells) or the leftmost (lean -1)."""
        cols = sorted(free)
        if len(cells) > len(cols):
            return dict(zip(cols, cells))
        fits = [[self._fit(i, c) for c in cols] for i in cells]
        best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
        for x in range(len(cols)):
            best[0, x] = (fits[0][x] + 0.001 * lean * x, (x,))
        for j in range(1, len(cells)):
            for x in range(j, len(cols)):
                prior = [best[j - 1, y] for y in range(j - 1, x) if (j - 1, y) in best]
                if prior:
                    score, path = max(prior)
                    best[j, x] = (score + fits[j][x] + 0.001 * lean * x, (*path, x))
        last = len(cells) - 1
        _, path = max(v for (j, _x), v in best.items() if j == last)
        return {cols[x]: i for x, i in zip(path, cells)}

    def _fit(self, i: int, column: int) -> float:
        """How well block i fits a column: cue words (an agency, a deadline) and the words the column's cells in full
        rows of this table start or end with ("… ngày")."""
        role = self.columns[column]
        text = self.b.plain(i) if self.b.end[i] - self.b.start[i] < 200 else self.b.raw(i)
        agency = looks_like_agency(text)
        deadline = looks_like_deadline(text) and not agency
        if role in AGENCY_ROLES:
            score = 2.0 if agency else -2.0 if deadline else 0.0
        elif role == "deadline":
            score = 2.0 if deadline else -2.0 if agency else 0.0
        else:
            score = -1.0 if agency or deadline else 0.0
        words = self._profile()[column]
        return score + sum(0.5 for w in _edge_words(text) if words[w] >= 2)

    def _profile(self) -> list[Counter[str]]:
        """The first and last words of each column's cells, over the table's full rows."""
        if self.profile is None:
            self.profile = [Counter() for _ in self.columns]
            for raw in self.raws:
                if raw.width == self.n and len(raw.cells) == self.n:
                    for c, i in raw.cells.items():
                        self.profile[c].update(_edge_words(self.b.plain(i)))
        return self.profile

    def _heading(self, placed: dict[int, int]) -> Row | None:
        """A number and one title cell beside it, nothing else: a heading when the number is Roman or they are
        emphasised."""
        label = self.label
        others = [c for c in placed if c != label]
        if len(others) != 1 or others[0] != label + 1:
            return None
        no, title = placed[label], placed[others[0]]
        if not (ROMAN_LED.fullmatch(self.b.plain(no)) or _emphasised(self.b.raw(no)) or _emphasised(self.b.raw(title))):
            return None
        return self._heading_row(self.b.cell(no), self.b.cell(title))

    def _title_row(self, i: int) -> Row:
        """One emphasised cell over the whole row: a heading; "II. Title" gives its number."""
        cell = self.b.cell(i)
        m = NUMBERED_TITLE.match(cell.text)
        if m is None:
            return self._heading_row(None, cell)
        no = Cell(m.group("no"), cell.start + m.start("no"), cell.start + m.end("no"))
        return self._heading_row(no, Cell(cell.text[m.end() :], cell.start + m.end(), cell.end))

    def _heading_row(self, no: Cell | None, title: Cell) -> Row:
        """The heading's number and title without the emphasis around them ("*III.1.1*"): a section's name."""
        no, title = (_unwrapped(no) if no else None), _unwrapped(title)
        roles = self.columns
        cells: list[Cell | None] = [None] * self.n
        if no is not None and "no" in roles:
            cells[roles.index("no")] = no
        for role in ("task", "objective"):
            if role in roles:
                cells[roles.index(role)] = title
                break
        return Row(tuple(cells), (no or title).start, title.end, kind="heading")
