"""Task tables in the text layer of official-gazette PDFs: the grid recovered from the page's structure.

The text layer has no cell boundaries. What it does keep:
- the header row, one header cell after another (a cell wrapped over several lines);
- numbered rows: a row starts at its STT ("1", "2.", "10. Nghị định …"), and STTs run in sequence, so a "2." inside
  a lead cell ("1. Bộ Tài chính … 2. Bộ Tư pháp …") is told from the next row by the numbers around it;
- inside a row, the cells in column order, each wrapped at its column's width; a whitespace-only line at a cell's
  end or for an empty cell; a page break (running header, page number, the header repeated) after which every cell
  of a row that did not fit goes on, again in column order;
- Roman numerals for section headings, sometimes with agency cells that span the rows under them.
This module finds the tables, reads their headers, finds where each row starts, and turns the cells of each row
(read by extract.pdf_cells) into Rows: a numbered row, its sub-rows as parts, a page's rest as a continuation, Roman
numerals as headings; a cell printed once for several rows (an agency on a heading row, the drafting agency of a
documents-to-amend table) is given to every row under it that has none of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from legalkg.extract.layout import after_newline
from legalkg.extract.pdf_cells import Line, in_capitals, dangling_words, Pass, RowReader
from legalkg.extract.tables import (Cell, Row, Table, column_role, continues_numbering, header_key, header_synonyms,
                            is_task_header, synonym_at_start)
from legalkg.extract.vocab import alternation, columns

STYLE = "gazette"
OPENING = r"(?:S?TT|Số TT)(?=\s|$)"  # a header's first cell, the line or its start when header cells run together
HEADER_OPENING = re.compile(rf"(?i){OPENING}")
HEADER_LINE = re.compile(rf"(?m)^\s*(?i:{OPENING})")  # HEADER_OPENING at a line's start, after its blanks
HEADER_FIRST_LETTERS = "SsTtſ"  # what HEADER_OPENING may begin with (ſ: "s" ignoring case): most lines pass over
OWN_LINE_NUMBER = re.compile(r"(?P<no>\d+)\.?")  # any width: rows go on in sequence
INLINE_NUMBER = re.compile(r"(?P<no>\d+)\.?[ \t]+(?=[A-ZĐÀ-Ỹ\"“(])")
ROMAN_LINE = re.compile(r"(?P<no>[IVXL]{1,6})\.?")
INLINE_ROMAN = re.compile(r"(?P<no>[IVXL]{1,6})\.?[ \t]+(?=[A-ZĐÀ-Ỹ])")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
HEADER_BOUNDARY = "[ ,/(]"  # after a synonym in a gazette header cell ("KẾT QUẢ/ĐÁNH GIÁ", "… (Bộ/ngành)"): no tail limit
AGENCY_ROLES = ("lead", "coordinating")
UNIQUE_ROLES = ("no", "task", "lead", "coordinating", "deadline", "objective")  # a second one is not that column
MAX_HEADER_LINES = 40
FIRST_ROW_REACH = 12  # lines between a header and its first numbered row, at most
MAX_HEADER_LINE = 70  # characters of a header line: longer ones are running text
LABELLED = re.compile(r"\w\s+\d{1,3}\s*:\s*\S")  # "Mục tiêu 1: Giảm …": a heading row under the header
PLACEHOLDER = re.compile(r"\.{4,}|…{2,}")  # a form's blank to fill in
INLINE_LOOKAHEAD = 80  # lines ahead in which an own-line STT of the same number outranks an inline one
MIN_TEXT_SHARE = 0.5  # of a table's numbered rows that hold a task text (MIN_TEXT_LETTERS letters at least)
MIN_TEXT_LETTERS = 3
REPEATED_HEADER_SHARE = 0.6  # of the header's text a repeat must give (the first reading may take a line more)



@cache
def _stops() -> re.Pattern:
    return re.compile("|".join(columns()["pdf"]["table_ends"]))


# --- lines -----------------------------------------------------------------------------------------------------
def _lines(text: str, lo: int, hi: int, skip: Callable[[int], bool]) -> list[Line]:
    """The lines of text[lo:hi]: page furniture dropped and the next line marked; empty lines dropped; lines of
    white space kept as blank markers, except right after page furniture (those are the page's)."""
    out: list[Line] = []
    append = out.append
    pos, broken = lo, False
    for raw in text[lo:hi].split("\n"):
        if pos >= hi:
            break  # the text ends with a line break: nothing after it
        end = pos + len(raw)
        raw = raw.rstrip("\r")
        stripped = raw.strip()
        if skip(pos):
            broken = True
        elif stripped:
            first = pos + (len(raw) - len(raw.lstrip()))
            append(Line(first, first + len(stripped), stripped, after_break=broken))
            broken = False
        elif raw and not broken:
            append(Line(pos, pos + len(raw), "", blank=True))
        pos = end + 1
    return out


# --- header ----------------------------------------------------------------------------------------------------
def _could_start(text: str) -> bool:
    """Whether a header line may begin a header cell: it begins a synonym, or a synonym begins it."""
    key = header_key(text)
    return bool(key) and (key in _synonym_prefixes() or synonym_at_start(HEADER_BOUNDARY).match(key) is not None)


def _role(text: str) -> str | None:
    """A header cell's role from how it starts (gazette header cells run long: "… để cắt giảm điều kiện …")."""
    m = synonym_at_start(HEADER_BOUNDARY).match(header_key(text))
    return header_synonyms()[m.group(0)] if m else column_role(text)


@cache
def _synonym_prefixes() -> frozenset[str]:
    return frozenset(s[:k] for s in header_synonyms() for k in range(1, len(s) + 1))


def _read_header(lines: list[Line], i: int) -> tuple[list[str], list[str | None], int] | None:
    """(header cell texts, roles, index of the first body line) of a header starting at lines[i] ("TT", "STT"),
    whether or not it is a task table's (see extract.tables.is_task_header)."""
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
    return (cells, roles, j) if j < len(lines) else None


def _unassigned(roles: list[str | None]) -> bool:
    """A header of tasks that names no one to lead them: said in a warning rather than passed over in silence."""
    found = set(filter(None, roles))
    return {"no", "task", "coordinating"} <= found and not found & {"lead", "unit"}


def _header_like(text: str) -> bool:
    """Header cells are short lines; a long line, a form's dotted blank or a table end closes the header."""
    return (len(text) <= MAX_HEADER_LINE and not PLACEHOLDER.search(text) and not _stops().match(text)
            and not LABELLED.search(text))


def _body_start(text: str) -> bool:
    number = OWN_LINE_NUMBER.fullmatch(text) or INLINE_NUMBER.match(text)
    return bool((number and continues_numbering(number["no"], None)) or ROMAN_LINE.fullmatch(text)
                or INLINE_ROMAN.match(text))


def _continues_header(cell: str, line: str) -> bool:
    if len(cell) == 0 or line[:1].islower() or cell.endswith(("/", ",", "(", "-")) or dangling_words().search(cell):
        return True
    if header_key(cell) in _header_openers():
        return True  # "DANH SÁCH" / "VĂN BẢN": a header cell is never that word alone
    if _role(cell) is None and in_capitals(cell) and in_capitals(line) and not _could_start(line):
        return True  # "CÁC LUẬT, NGHỊ ĐỊNH, QUYẾT ĐỊNH CỦA" / "THỦ TƯỚNG CHÍNH PHỦ": a header in capitals wraps
    joined = f"{cell} {line}"
    if _role(cell) is None and (_role(joined) is not None or _could_start(joined)):
        return True
    if header_key(joined) in header_synonyms():
        return True
    if _role(cell) is not None and in_capitals(cell) and in_capitals(line):
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
    return following is not None and in_capitals(following.text) and not _body_start(following.text)


@cache
def _header_openers() -> frozenset[str]:
    return frozenset(header_key(w) for w in columns()["pdf"]["header_openers"])


@cache
def _appendix_label() -> re.Pattern:
    return re.compile(columns()["pdf"]["appendix_label"])


def _own_line_ahead(lines: list[Line], j: int, number: int) -> bool:
    """An own-line STT of this number comes before any other own-line STT: the inline one is a cell's numbering."""
    for k in range(j + 1, min(len(lines), j + INLINE_LOOKAHEAD)):
        if _stops().match(lines[k].text):
            return False
        if (m := OWN_LINE_NUMBER.fullmatch(lines[k].text)) and continues_numbering(m["no"], number - 1):
            return int(m["no"]) == number
    return False


# --- tables ----------------------------------------------------------------------------------------------------
def pdf_tables(text: str, lo: int, hi: int, skip: Callable[[int], bool] = lambda _: False) -> list[Table]:
    if not _may_open_header(text, lo, hi):
        return []  # no line opens with "STT", "TT": no table, and no need to cut the page into lines
    lines = _lines(text, lo, hi, skip)
    tables: list[Table] = []
    warned: list[list[str | None]] = []
    i = 0
    while i < len(lines):
        if lines[i].text[:1] not in HEADER_FIRST_LETTERS or (head := _read_header(lines, i)) is None:
            i += 1
            continue
        header, roles, first = head
        if not is_task_header(roles):
            named = [cell[:MAX_HEADER_LINE] for cell in header[: max(k for k, r in enumerate(roles) if r) + 1]]
            if _unassigned(roles) and roles not in warned:  # once, not again at every page's repeated header
                warned.append(roles)
                tables.append(Table(STYLE, tuple(roles), (), lines[i].start, lines[first - 1].end, warning=(
                    "a task table (numbered rows, what to do, coordinating agencies) whose lead "
                    f"column could not be named among its headers: {' | '.join(named)}")))
            i += 1
            continue
        starts, end = _row_starts(lines, first)
        if starts and (table := _table(text, lines, header, roles, starts, end)).rows:
            tables.append(table)
        i = max(end, i + 1)
    return tables


def _may_open_header(text: str, lo: int, hi: int) -> bool:
    """Whether some line of text[lo:hi] may open with HEADER_OPENING after its blanks (a search from newline to
    newline; every line that _read_header would take is among those it finds)."""
    first, rest = after_newline(HEADER_LINE)
    return first.match(text, lo, hi) is not None or rest.search(text, lo, hi) is not None


def _row_items(lines: list[Line], starts: list[_Start], k: int, end: int, header: str) -> list[Line]:
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
    heads = [h for h in columns()["cues"]["agency_heads"] if h[:1].isupper()]
    return re.compile(rf"(?<=[a-zà-ỹđ]) +(?=(?:{alternation(heads)})(?![\wđĐ]))")


def _repeated_header(lines: list[Line], j: int, want: str) -> int:
    """How many lines from lines[j] repeat the table's header (its header_key: want) after a page break (0: none)."""
    if not HEADER_OPENING.match(lines[j].text):
        return 0
    got, k = header_key(lines[j].text), j + 1
    if not want.startswith(got):
        return 0
    while k < len(lines) and not lines[k].blank and want.startswith(header_key(f"{got} {lines[k].text}")):
        got = header_key(f"{got} {lines[k].text}")
        k += 1
    return k - j if len(got) >= REPEATED_HEADER_SHARE * len(want) else 0


def _table(text: str, lines: list[Line], header: list[str], roles: list[str | None], starts: list[_Start],
           end: int) -> Table:
    reader = RowReader(roles[1:])
    header_text = header_key(" ".join(header))
    rows_items = [_row_items(lines, starts, k, end, header_text) for k in range(len(starts))]
    rows: list[Row] = []
    spanned: dict[str, Cell] = {}
    for s, items, passes in zip(starts, rows_items, reader.read_table(rows_items)):
        rows += _rows(text, lines[s.index], s, items, passes, roles, spanned)
    tasks = [r for r in rows if r.kind == "row"]
    if sum(_has_words(r.get(tuple(roles), "task")) for r in tasks) < MIN_TEXT_SHARE * len(tasks):
        rows = []  # numbered lines under a header, but no task text in them: not a task table
    return Table(STYLE, tuple(roles), tuple(rows), lines[starts[0].index].start, rows[-1].end if rows else 0)


def _rows(text: str, line: Line, s: _Start, items: list[Line], passes: list[Pass], roles: list[str | None],
          spanned: dict[str, Cell]) -> list[Row]:
    no = Cell(s.no, line.start, line.start + len(s.no))
    out: list[Row] = []
    has_own = any(roles[c + 1] in AGENCY_ROLES for p in passes for c in p.cells)
    for n, p in enumerate(passes):
        by_column = {col + 1: _cell(text, items[a].start, items[b].end) for col, (a, b) in p.cells.items()}
        if n == 0:
            by_column[0] = no
            _carry_spanned(by_column, roles, spanned, s.heading, has_own)
        cells = tuple(by_column.get(col) for col in range(len(roles)))
        present = [c for c in cells if c is not None]
        if not present:
            continue  # a page's rest of blank lines only
        kind = "heading" if s.heading else p.kind
        out.append(Row(cells, min(c.start for c in present), max(c.end for c in present), kind=kind))
        if s.heading:
            break
    return out


def _carry_spanned(by_column: dict[int, Cell], roles: list[str | None], spanned: dict[str, Cell], heading: bool,
                   has_own: bool) -> None:
    """Agency cells printed once for the rows under them: a heading's agencies, or the last row's that had some,
    go to each row that has none of its own."""
    for col, role in enumerate(roles):
        if role not in AGENCY_ROLES:
            continue
        if heading:
            if col in by_column:
                spanned[role] = by_column.pop(col)
        elif has_own:
            spanned.pop(role, None)
            if col in by_column:
                spanned[role] = by_column[col]
        elif role in spanned:
            by_column[col] = spanned[role]


def _has_words(cell: Cell | None) -> bool:
    if cell is None:
        return False
    letters = 0
    for ch in cell.text:
        if ch.isalpha():
            letters += 1
            if letters >= MIN_TEXT_LETTERS:
                return True
    return letters >= MIN_TEXT_LETTERS


def _cell(text: str, start: int, end: int) -> Cell:
    return Cell(text[start:end], start, end)
