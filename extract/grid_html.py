"""Task tables written as HTML <table> markup: a whole .html page, or HTML fragments in a text file.

The markup is read with the standard library's HTMLParser, the way a browser builds a table:
- cells are <td> and <th>; a cell or row left open ends at the next cell, row, row group or table; a table never
  closed ends with the region, or at a <table> where it has no cell open; <tr>/<td> outside any <table> open one (a
  fragment); a <table> inside a cell is a table of its own (MAX_DEPTH levels deep); comments, <script>, <style> and
  Word's <![if …]> are not content;
- rowspan and colspan are expanded into a grid of rows × columns: a cell spanning rows is the very same Cell in
  every row it covers. Spans are read as browsers do ("2px" is 2, "abc" is 1, rowspan="0" runs to the end of the
  row group) and capped to the rows that exist; a colspan overlapping a cell row-spanned from above is cut short;
- a Cell is the cell's content between its tags, whitespace trimmed, so Cell.text == text[start:end] with its inline
  markup and entities (extract.tasks.clean_cell removes them); headers and STT cells are judged on the text the
  parser decoded (entities resolved, <br>/<p> as spaces), and a cell with none (spaces, &nbsp;, <br>) is None.

The header is the first row (of the first few) whose cells name a task table's columns (see extract.tables; an
empty first header cell is the STT's), with the rows under it that share its row-spanned cells or name "Chủ trì" |
"Phối hợp" under a merged "Đơn vị thực hiện"; a row of column numbers "(1) (2) (3)" under it is skipped, and so is
the header repeated in the body. Body rows get a kind (extract.tables.ROW_KINDS):
- "row": a number in the STT cell (any other label too, unless the row is a heading);
- "heading": a number or label with nothing beside it but a title spanning most of the row; a Roman-led number
  (I, I.1) whose data cells are empty or span down over the rows below; a number without data whose next number
  goes one level down ("1" before "1.1"); a lone title spanning the row ("II. NHIỆM VỤ", its number split off);
- "part": the STT row-spanned from above and agencies, product or deadline of its own (the spanned deadline and
  agencies stay in, the spanned task text does not: it is in the task already);
- "continuation": an empty STT: merged into the task above (cells already in the task left out).
A body row with a non-empty cell beyond the header's columns gives the table a warning (its tasks are not trusted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import accumulate

from legalkg.extract.tables import STT, Cell, Row, Table, is_task_header, refine_merged, column_role, opens_header

STYLE = "html"
CELL_TAG = re.compile(r"<t[dh][\s>/]", re.IGNORECASE)  # no table without a cell: the cheap test
CELL_TAGS = ("td", "th")
ROW_GROUPS = ("thead", "tbody", "tfoot")
TABLE_TAGS = frozenset({"table", "tr", *CELL_TAGS, *ROW_GROUPS})
RAW_TEXT = ("script", "style")
INLINE = frozenset("a abbr b big code em font i mark s small span strike strong sub sup u".split())
SPAN_VALUE = re.compile(r"\s*(\d{1,9})")
MAX_ROWSPAN = 65534  # the HTML limit; 0 (to the end of the row group) counts as this too
MAX_GRID_COLUMNS = 64  # slots kept per row; a cell starting further out only makes the row too wide
MAX_LABEL = 8  # an STT cell's label beside a heading's title: "II", "1.2.", "A"
MAX_DEPTH = 8  # tables inside tables: deeper ones are text of the cell holding them (cells left open all run
#                to the end of the region: this keeps their sum linear)
MAX_NESTED_TEXT = 3  # tables around a nested one whose cells also read its text
MAX_HEADER_SEARCH = 5  # rows above the header: a caption or title row inside the table
ROMAN_LED = re.compile(r"[IVXL]{1,5}(?:\.\d{1,3}){0,3}\.?")  # I, III.1: section numbers
COLUMN_NUMBER = re.compile(r"[(\[]?(\d{1,2})[)\]]?")
COMMENT_CLOSE = re.compile(r"--\s*>")
LEADING_NUMBER = re.compile(  # "<b>II. Title": the number of a title, after markup
    r"(?:\s|&nbsp;|<[^<>]{0,200}>)*(?P<no>[IVXL]{1,5}|\d{1,3}(?:\.\d{1,3}){0,3})\.?(?=[\s<&]|$)")
TEXT_ROLES = ("task", "objective")
DATA_ROLES = ("product", "lead", "coordinating", "deadline", "unit")


def html_tables(text: str, lo: int, hi: int) -> list[Table]:
    """Task tables among the HTML tables in text[lo:hi]; tables whose header is not a task table's are left out."""
    if not CELL_TAG.search(text, lo, hi):
        return []
    reader = _Reader(text, lo, hi)
    reader.read(_parser_input(text, lo, hi))
    tables, done = [], lo
    for build in sorted(reader.tables, key=lambda b: b.start):
        if build.start < done:
            continue  # a table inside a task table's cell
        if (table := _task_table(text, build, done)) is not None:
            tables.append(table)
            done = max(done, table.end)
    return tables


# --- parsing: tables of rows of cells with their spans, offsets into the text ----------------------------------
@dataclass(eq=False, slots=True)
class _CellBuild:
    start: int  # content start: just past the start tag
    colspan: int
    rowspan: int
    end: int | None = None  # content end: the end tag, or the tag that closed the cell
    pieces: list[str] = field(default_factory=list)  # decoded text
    cell: Cell | None = None
    plain: str = ""

    def close(self, at: int) -> None:
        self.end = at
        self.plain = " ".join("".join(self.pieces).split()) if self.pieces else ""
        self.pieces = []

    def finish(self, text: str) -> None:
        """The Cell: made for the cells with text of task tables only (a cell left open in a nested table may run
        far)."""
        raw = text[self.start : self.end]
        core = raw.strip()
        at = self.start + raw.find(core[0]) if core and len(core) < len(raw) else self.start
        self.cell = Cell(core, at, at + len(core))


@dataclass(eq=False, slots=True)
class _RowBuild:
    start: int
    group: int  # row groups (thead, tbody, tfoot) end row spans
    cells: list[_CellBuild] = field(default_factory=list)
    end: int | None = None  # past </tr>, when there is one
    spans: bool = False  # a cell of it spans rows or columns


@dataclass(eq=False, slots=True)
class _TableBuild:
    start: int
    rows: list[_RowBuild] = field(default_factory=list)
    group: int = 0
    row: _RowBuild | None = None
    cell: _CellBuild | None = None
    end: int | None = None


class _Reader(HTMLParser):
    """Tables of text[lo:hi]; positions come from getpos() (line, column) through a table of line starts."""

    def __init__(self, text: str, lo: int, hi: int) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.lo, self.hi = text, lo, hi
        self.open: list[_TableBuild] = []  # innermost last
        self.tables: list[_TableBuild] = []
        self.lines: list[int] = [0]
        self.raw_text = False
        self.sinks: list[list[str]] = []  # the pieces of the cells open now
        self.too_deep = 0  # tables open inside a table nested MAX_DEPTH deep: read as its cell's text

    def read(self, source: str) -> None:
        self.lines = list(accumulate((len(line) + 1 for line in source.split("\n")[:-1]), initial=0))
        try:
            self.feed(source)
            self.close()
        except AssertionError:  # _markupbase's complaints about malformed declarations (those known are avoided,
            pass  # see parse_marked_section): what was read stands
        while self.open:
            self._end_table(self.hi, self.hi)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """<![if …]>, <![endif]>, <![CDATA[…]]> and broken ones: a bogus comment up to ">", as HTML5 reads them
        (the base class raises on an unknown keyword and searches to the end for a missing "]>")."""
        end = self.rawdata.find(">", i + 3)
        return -1 if end < 0 else end + 1

    def _at(self) -> int:
        """The offset in the text of the tag being handled."""
        line, column = self.getpos()
        return self.lo + self.lines[line - 1] + column

    def _past_tag(self, at: int) -> int:
        gt = self.text.find(">", at, self.hi)
        return self.hi if gt < 0 else gt + 1

    def _table(self, at: int) -> _TableBuild:
        if not self.open:
            self.open.append(_TableBuild(at))  # rows without a <table>: a fragment
        return self.open[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE:
            return
        if self.too_deep and tag in TABLE_TAGS:
            self.too_deep += tag == "table"
            tag = "br"  # inside a table nested too deep: words apart, no more
        if tag in CELL_TAGS:
            at = self._at()
            t = self._table(at)
            self._close_cell(t, at)
            if t.row is None:
                t.row = _RowBuild(at, t.group)
                t.rows.append(t.row)
            colspan, rowspan = _spans(attrs)
            t.cell = _CellBuild(at + len(self.get_starttag_text() or ""), colspan, rowspan)
            t.row.cells.append(t.cell)
            t.row.spans = t.row.spans or colspan > 1 or rowspan > 1
            self._sync()
        elif tag == "tr":
            at = self._at()
            t = self._table(at)
            self._close_row(t, at)
            t.row = _RowBuild(at, t.group)
            t.rows.append(t.row)
        elif tag == "table":
            at = self._at()
            while self.open and self.open[-1].cell is None:
                self._end_table(at, at)  # a table opened where no cell is: the one before was never closed
            self.handle_data(" ")
            if len(self.open) < MAX_DEPTH:
                self.open.append(_TableBuild(at))
            else:
                self.too_deep = 1
        elif tag in ROW_GROUPS:
            self._new_group()
        elif tag in RAW_TEXT:
            self.raw_text = True
        elif not self.raw_text:
            for pieces in self.sinks:
                pieces.append(" ")  # <br>, <p>, <li>: words apart

    def handle_endtag(self, tag: str) -> None:
        if tag in INLINE:
            return
        if self.too_deep and tag in TABLE_TAGS:
            self.too_deep -= tag == "table"
            tag = "br"
        if tag in CELL_TAGS:
            if self.open:
                self._close_cell(self.open[-1], self._at())
        elif tag == "tr":
            if self.open and (t := self.open[-1]).row is not None:
                at = self._at()
                self._close_row(t, at)
                t.rows[-1].end = self._past_tag(at)
        elif tag == "table":
            if self.open:
                at = self._at()
                self._end_table(at, self._past_tag(at))
        elif tag in ROW_GROUPS:
            self._new_group()
        elif tag in RAW_TEXT:
            self.raw_text = False
        elif not self.raw_text:
            for pieces in self.sinks:
                pieces.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in RAW_TEXT:  # <script/> has no content to skip (the parser does not wait for </script>)
            self.handle_starttag(tag, attrs)  # HTML ignores "/>" on elements that are not void: <td/> opens a cell

    def handle_data(self, data: str) -> None:
        if self.sinks and not self.raw_text:
            for pieces in self.sinks:
                pieces.append(data)

    def _sync(self) -> None:
        """The cells open now get the text read: the innermost table's, and the cells of the few tables around it
        that hold it (every table under the innermost has a cell open: a <table> where none is ends the table)."""
        if len(self.open) == 1:
            cell = self.open[0].cell
            self.sinks = [] if cell is None else [cell.pieces]
        else:
            self.sinks = [t.cell.pieces for t in self.open[-MAX_NESTED_TEXT:] if t.cell is not None]

    def _new_group(self) -> None:
        if self.open:
            t = self.open[-1]
            self._close_row(t, self._at())
            t.group += 1

    def _close_cell(self, t: _TableBuild, at: int) -> None:
        if t.cell is not None:
            t.cell.close(at)
            t.cell = None
            self._sync()

    def _close_row(self, t: _TableBuild, at: int) -> None:
        self._close_cell(t, at)
        t.row = None

    def _end_table(self, at: int, end: int) -> None:
        t = self.open.pop()
        self._close_row(t, at)
        t.end = end
        self.tables.append(t)
        self._sync()


def _spans(attrs: list[tuple[str, str | None]]) -> tuple[int, int]:
    """(colspan, rowspan) as browsers read them: the leading digits, 1 without any; colspan 0 is 1, rowspan 0
    runs to the end of the row group."""
    colspan = rowspan = 1
    for name, value in attrs:
        if name == "colspan":
            colspan = min(max(_number(value), 1), MAX_GRID_COLUMNS)
        elif name == "rowspan":
            rowspan = _number(value) or MAX_ROWSPAN
    return colspan, rowspan


def _number(value: str | None) -> int:
    m = SPAN_VALUE.match(value or "")
    return min(int(m.group(1)), MAX_ROWSPAN) if m else 1


def _parser_input(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] as the parser should see it, the same length and lines: a "<" after the last ">" and a "<!--"
    after the last "-->" can never close, and HTMLParser would search to the end of the text for each of them."""
    source = text[lo:hi]
    last_gt = source.rfind(">")
    if source.find("<", last_gt + 1) >= 0:
        source = source[: last_gt + 1] + source[last_gt + 1 :].replace("<", " ")
    last_close = max((m.end() for m in COMMENT_CLOSE.finditer(source)), default=0)
    if source.find("<!--", last_close) >= 0:
        source = source[:last_close] + source[last_close:].replace("<!--", "<!-x")  # a bogus comment up to ">"
    return source


# --- the grid --------------------------------------------------------------------------------------------------
Slots = list  # list[_CellBuild | None]: a row of the grid


class _Grid:
    """The grid, expanded row by row as far as it is asked for: (source row, its slots, whether a non-empty cell
    starts at or beyond `width`, the columns kept — the header's, once it is known)."""

    def __init__(self, build: _TableBuild) -> None:
        self.source = build.rows
        self.rows: list[tuple[_RowBuild, Slots, bool]] = []
        self.width = MAX_GRID_COLUMNS
        self._pending: dict[int, tuple[_CellBuild, int]] = {}  # column -> (cell spanning down, rows it still covers)
        self._group: int | None = None

    def get(self, k: int) -> tuple[_RowBuild, Slots, bool] | None:
        while len(self.rows) <= k < len(self.source):
            self.rows.append(self._expand(self.source[len(self.rows)]))
        return self.rows[k] if k < len(self.rows) else None

    def _expand(self, row: _RowBuild) -> tuple[_RowBuild, Slots, bool]:
        if row.group != self._group:
            self._pending, self._group = {}, row.group  # spans end with their row group
        width, pending, cells = self.width, self._pending, row.cells
        if not pending and not row.spans:
            return row, cells[:width], any(cb.plain for cb in cells[width:])  # no spans: the cells as they come
        slots = {col: cb for col, (cb, _) in pending.items() if col < width}
        pending = {col: (cb, left - 1) for col, (cb, left) in pending.items() if left > 1 and col < width}
        col, lost = 0, False
        for cb in cells:
            while col in slots:
                col += 1
            if col >= width:
                lost = lost or bool(cb.plain)
                continue
            span = 0
            while span < cb.colspan and col + span < width and col + span not in slots:
                slots[col + span] = cb
                if cb.rowspan > 1:
                    pending[col + span] = (cb, cb.rowspan - 1)
                span += 1
            col += span
        self._pending = pending
        return row, [slots.get(c) for c in range(max(slots, default=-1) + 1)], lost


# --- header ----------------------------------------------------------------------------------------------------
def _roles(slots: Slots, skip: set[int] = frozenset()) -> list[str | None]:
    """Column roles named by a row's cells: a cell spanning columns names its first one."""
    return [column_role(cb.plain) if cb is not None and id(cb) not in skip and (c == 0 or slots[c - 1] is not cb)
            else None for c, cb in enumerate(slots)]


def _header(grid: _Grid) -> tuple[list[str | None], int, set[int]] | None:
    """(column roles, index of the first body row, ids of the header's cells)."""
    for h in range(MAX_HEADER_SEARCH):
        if (got := grid.get(h)) is None:
            return None
        columns = _roles(got[1])
        if "no" not in columns and columns and columns[0] is None and (got[1][0] is None or not got[1][0].plain):
            columns[0] = "no"  # an unnamed first column holds the numbers
        if is_task_header(columns):
            break
    else:
        return None
    head = got[1]
    cells = {id(cb) for cb in head if cb is not None}
    merged = any(cb is not None and c and head[c - 1] is cb for c, cb in enumerate(head))
    first = h + 1
    while (got := grid.get(first)) is not None:
        slots = got[1]
        below = _roles(slots, cells)
        shares = any(cb is not None and id(cb) in cells for cb in slots)
        if _numbered(slots, cells):
            break  # a header cell spanning down into the body (rowspan="99999")
        refined = refine_merged(columns, below) if shares or merged else None
        if refined is None and not shares:
            break
        columns = refined or _fill(columns, below)
        cells |= {id(cb) for cb in slots if cb is not None}
        first += 1
    if (got := grid.get(first)) is not None and _column_numbers(got[1]):
        cells |= {id(cb) for cb in got[1] if cb is not None}
        first += 1
    return (columns, first, cells) if "no" in columns else None


def _numbered(slots: Slots, header: set[int]) -> bool:
    """A row whose first cell of its own is a number: the body, even under header cells spanning down into it."""
    first = next((cb for cb in slots if cb is not None and id(cb) not in header and cb.plain), None)
    return first is not None and bool(STT.fullmatch(first.plain))


def _fill(columns: list[str | None], below: list[str | None]) -> list[str | None]:
    """A second header row under row-spanned header cells names the columns the first left unnamed."""
    width = max(len(columns), len(below))
    out = [*columns, *[None] * (width - len(columns))]
    for c, role in enumerate(below):
        if role and out[c] in (None, "unit"):
            out[c] = role
    return out


def _column_numbers(slots: Slots) -> bool:
    """ "(1) | (2) | (3) …" under the header: the columns numbered."""
    texts = [cb.plain for c, cb in enumerate(slots)
             if cb is not None and cb.plain and (c == 0 or slots[c - 1] is not cb)]
    numbers = [int(m.group(1)) for t in texts if (m := COLUMN_NUMBER.fullmatch(t))]
    return len(texts) >= 3 and len(numbers) == len(texts) and all(a < b for a, b in zip(numbers, numbers[1:]))


# --- body rows -------------------------------------------------------------------------------------------------
@dataclass
class _Columns:
    roles: tuple[str | None, ...]
    key: int  # the STT column
    title: int | None  # where a heading's title goes: the task column, or the objective's
    text: tuple[int, ...]  # task and objective columns
    data: tuple[int, ...]  # product, agencies, deadline

    @classmethod
    def of(cls, roles: list[str | None]) -> _Columns:
        title = next((roles.index(r) for r in ("task", "objective") if r in roles), None)
        return cls(tuple(roles), roles.index("no"), title, tuple(c for c, r in enumerate(roles) if r in TEXT_ROLES),
                   tuple(c for c, r in enumerate(roles) if r in DATA_ROLES))


def _task_table(text: str, build: _TableBuild, after: int) -> Table | None:
    grid = _Grid(build)
    head = _header(grid)
    if head is None:
        return None
    roles, first, header_cells = head
    grid.width = len(roles)
    for row in build.rows:
        for cb in row.cells:
            if cb.plain:
                cb.finish(text)
    rows, warning = _rows(_Columns.of(roles), _body(grid, first, header_cells))
    if not rows:
        return None
    start = max(after, text.rfind("\n", 0, build.start) + 1)  # the line: a TAB reading of it starts there too
    return Table(STYLE, tuple(roles), tuple(rows), start, max(build.end or 0, rows[-1].end), warning)


def _body(grid: _Grid, first: int, header_cells: set[int]) -> list[tuple[_RowBuild, Slots, bool]]:
    """The rows under the header, as many slots as the header has columns (its cells spanning down left out)."""
    width, body = grid.width, []
    spanning = {id(cb) for _, slots, _ in grid.rows[:first] for cb in slots if cb is not None and cb.rowspan > 1}
    spanning &= header_cells
    while (got := grid.get(first)) is not None:
        row, slots, lost = got
        first += 1
        if len(slots) > width:
            lost = lost or any(cb is not None and cb.plain and slots[c - 1] is not cb
                               for c, cb in enumerate(slots[width:], start=width))
            slots = slots[:width]
        if spanning:
            slots = [None if cb is None or id(cb) in spanning else cb for cb in slots]
        if len(slots) < width:
            slots = [*slots, *[None] * (width - len(slots))]
        body.append((row, slots, lost))
    return body


def _rows(columns: _Columns, body: list[tuple[_RowBuild, Slots, bool]]) -> tuple[list[Row], str | None]:
    out: list[Row] = []
    warning = None
    previous: Slots = [None] * len(columns.roles)
    seen: set[int] = set()  # the cells of the current task
    repeated: set[int] = set()  # the cells of a header repeated in the body
    for k, (row, slots, lost) in enumerate(body):
        if lost and warning is None:
            warning = f"a row has cells beyond the header's {len(columns.roles)} columns: {_row_text(row)[:80]!r}"
        if _is_repeated_header(slots) or (repeated and _under_header(columns, slots, repeated)):
            repeated.update(id(cb) for cb in slots if cb is not None)
            previous = [None] * len(slots)
            continue
        repeated = set()
        kind, placed = _classify(columns, slots, previous, body, k)
        if kind == "row" or kind == "heading":
            seen = set()
        elif kind == "part":
            for c in columns.text:
                if placed[c] is not None and id(placed[c]) in seen:
                    placed[c] = None
        else:
            placed = [None if cb is None or id(cb) in seen else cb for cb in placed]
        if kind != "heading":
            seen.update(map(id, slots))
        previous = slots
        cells = tuple(cb if cb is None or type(cb) is Cell else cb.cell if cb.plain else None for cb in placed)
        if any(c is not None for c in cells):
            out.append(Row(cells, row.start, _row_end(row), kind=kind))
    return out, warning


def _row_text(row: _RowBuild) -> str:
    return " | ".join(cb.plain for cb in row.cells)


def _next_number(columns: _Columns, body: list[tuple[_RowBuild, Slots, bool]], k: int) -> str:
    """The next STT below row k ("" if none): asked for numbered rows without data only, so the scans (each up to
    the next STT) add up to one pass."""
    for j in range(k + 1, len(body)):
        cb = body[j][1][columns.key]
        if cb is not None and STT.fullmatch(cb.plain):
            return cb.plain
    return ""


def _is_repeated_header(slots: Slots) -> bool:
    """The header again inside the body (a page break in a converted document)."""
    for cb in slots:
        if cb is not None and cb.plain:
            return opens_header(cb.plain) and is_task_header(_roles(slots))
    return False


def _under_header(columns: _Columns, slots: Slots, header: set[int]) -> bool:
    """A row under a repeated header: sharing its row-spanned cells, or "Chủ trì | Phối hợp"."""
    return (any(cb is not None and id(cb) in header for cb in slots)
            or refine_merged(list(columns.roles), _roles(slots, header)) is not None)


def _classify(columns: _Columns, slots: Slots, previous: Slots, body: list, k: int) -> tuple[str, list]:
    """The row's kind and its cells by column (a cell spanning columns kept in its first one)."""
    placed, filled, last = [], [], None
    for c, cb in enumerate(slots):
        if cb is None or cb is last:
            placed.append(None)
        else:
            placed.append(cb)
            if cb.plain:
                filled.append((c, cb))
        last = cb
    if not filled:
        return "continuation", placed
    key = columns.key
    stt = slots[key]
    no = stt.plain if stt is not None else ""
    if len(filled) <= 2 and (title := _title_row(columns, slots, previous, filled)):
        return "heading", title
    if not no:
        return "continuation", placed
    own_data = [c for c in columns.data if placed[c] is not None and placed[c].plain and placed[c] is not previous[c]]
    if stt is previous[key]:
        return ("part" if own_data else "continuation"), placed
    if _is_section(columns, no, [placed[c] for c in own_data], body, k):
        title = next((placed[c] for c in columns.text if placed[c] is not None and placed[c].plain), None)
        return "heading", _place(columns, stt, title)
    return "row", placed


def _title_row(columns: _Columns, slots: Slots, previous: Slots, filled: list) -> list | None:
    """A title spanning the columns, alone or after its number: the heading's cells, else None."""
    key = columns.key
    stt = slots[key]
    label = stt if stt is not None and stt.plain and _width(slots, stt) == 1 else None
    rest = [(c, cb) for c, cb in filled if cb is not label]
    if len(rest) != 1:
        return None
    at, title = rest[0]
    if title is previous[at] or _width(slots, title) < max(2, (len(slots) + 1) // 2):
        return None  # a title spans the row, or most of it
    if label is not None:
        return _place(columns, label, title) if label is not previous[key] and len(label.plain) <= MAX_LABEL else None
    m = LEADING_NUMBER.match(title.cell.text)
    if m is None or m.end() == len(title.cell.text):
        return _place(columns, None, title)
    at = title.cell.start
    rest_text = title.cell.text[m.end() :]
    skip = len(rest_text) - len(rest_text.lstrip(" \t\r\n.:-–)"))
    no = Cell(m.group("no"), at + m.start("no"), at + m.end("no"))
    named = Cell(rest_text[skip:], at + m.end() + skip, title.cell.end)
    return _place(columns, no, named)


def _width(slots: Slots, cb: _CellBuild) -> int:
    return sum(1 for other in slots if other is cb)


def _is_section(columns: _Columns, no: str, own_data: list[_CellBuild], body: list, k: int) -> bool:
    """A numbered row that heads the rows below: a Roman numeral without data of its own (agency cells may span
    down over its tasks), or a number without data whose next number is one level down ("1" before "1.1")."""
    if ROMAN_LED.fullmatch(no):
        return all(cb.rowspan > 1 for cb in own_data)
    if own_data or not STT.fullmatch(no):
        return False
    return _next_number(columns, body, k).startswith(no.rstrip(".") + ".")


def _place(columns: _Columns, no: Cell | _CellBuild | None, title: Cell | _CellBuild | None) -> list:
    cells: list = [None] * len(columns.roles)
    cells[columns.key] = no
    if columns.title is not None:
        cells[columns.title] = title
    return cells


def _row_end(row: _RowBuild) -> int:
    """Past </tr>, or the end of its last cell with text."""
    if row.end is not None:
        return row.end
    return next((cb.cell.end for cb in reversed(row.cells) if cb.cell is not None), row.start)
