"""Task tables in the layouts the corpora show, read into rows of cells with spans; columns mapped by header text.

One reader per style:
- pipe rows    "1 | Rà soát … | Các sở, ban ngành | … |"          (a row per line)
- TAB rows     "1\\tRà soát …\\tVăn phòng Sở.\\t…"                   (a row per line; headers repeat at page breaks)
- blocks       cells of one or more hard-wrapped lines between "|" lines; rows are not delimited, so they are
               inferred from the STT cells and from what the cells look like (an agency, a deadline)
- gazette      PDF text: no cell boundaries (extract.grid_pdf recovers the grid)
- markdown     thuvienphapluat cells between "|" lines, rows ended by two of them (extract.grid_markdown)

Offsets are into the normalised text. Turning rows into tasks (continuations, parts, sections) is extract.tasks' job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from legalkg.extract.memo import remembered
from legalkg.extract.vocab import alternation, columns

GRID_STYLES = ("markdown", "html", "gazette")  # readers that recover the grid itself (see ROW_KINDS)
ROLES = ("no", "objective", "task", "product", "lead", "coordinating", "deadline", "unit")
MAX_COLUMNS = 12
MIN_HEADER_CELLS = 3  # a task header names its STT, lead and task columns (is_task_header)
OPENING_ROLES = ("no", "task", "objective")  # what a table's first header cell can be
MAX_OPENING_HEADER = 48  # characters of a table's first header cell ("STT", "Nhiệm vụ/nội dung công việc")
MAX_HEADER = 120  # characters: longer cells are never column headers
MAX_HEADER_TAIL = 30  # what may follow a synonym in a header ("… soạn thảo"); more is running text
ACTIVITY = ("task", "product", "lead", "coordinating", "deadline")  # a block row without its STT and objective
MARKUP = re.compile(r"<[^>]{1,40}>|[*#_]+")
STT = re.compile(r"(?:[IVXL]{1,5}|\d+(?:\.\d{1,3}){0,3})\.?")  # a row number of any width: 1, 12., 1000, I, III.1
# A block cell of this many digits or more ("2023") is a row number only where it goes on from the one before (1000
# after 999): in a block table no column says which cells are numbers, and a lone year is a deadline.
SEQUENCE_DIGITS = 4
ROMAN = re.compile(r"[IVXL]{1,5}\.?")
PIPE_ROW = re.compile(r"\|[^\n|]*\|")  # two separators on one line
BLOCK_SEPARATOR = re.compile(r"(?m)^[ \t]*\|[ \t]*\r?$")
BLOCK_SEPARATOR_AFTER_NEWLINE = re.compile(r"\n[ \t]*\|[ \t]*\r?(?=\n|\Z)")  # the same lines, found fast


@dataclass(frozen=True)
class Cell:
    text: str  # exactly text[start:end] of the normalised text: markup, line breaks and all
    start: int
    end: int


ROW_KINDS = {
    "row": "a numbered row: starts a task",
    "heading": "a section heading: the no cell holds its number (I, III.1, 2), the task or objective cell its title",
    "part": "a sub-row of the task above with responsible agencies of its own: a new part (row-spanned cells are "
            "already copied in by the reader)",
    "continuation": "the rest of the row above (a page break, a wrapped sub-line): merged into it cell by cell",
    "spanned": "a block row continuing the row-spanned STT/objective of the row above: a task of its own",
}


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell | None, ...]  # aligned with Table.columns; None: the row has no such cell
    start: int
    end: int
    after_break: bool = False  # a page break (blank line, repeated header) comes right before this row
    kind: str = "row"  # see ROW_KINDS

    def get(self, columns: tuple[str | None, ...], role: str) -> Cell | None:
        return next((c for c, r in zip(self.cells, columns) if r == role and c is not None), None)


@dataclass(frozen=True)
class Table:
    style: str  # "pipe" | "tab" | "block" | "gazette"
    columns: tuple[str | None, ...]
    rows: tuple[Row, ...] = field(default=())
    start: int = 0
    end: int = 0
    warning: str | None = None  # why the grid could not be read with confidence (its rows are then not trusted)


# --- headers ---------------------------------------------------------------------------------------------------
SLASH_SPACES = re.compile(r"\s*/\s*")


@lru_cache(maxsize=8192)  # a page's header cells come back on every page, and readers ask the same cell again
def header_key(text: str) -> str:
    text = MARKUP.sub(" ", text)
    text = SLASH_SPACES.sub("/", text)
    return " ".join(text.split()).strip(" .:").casefold()


@cache
def header_synonyms() -> dict[str, str]:
    """Header text (as header_key gives it) -> column role, from columns.toml."""
    return {header_key(word): role for role, words in columns()["roles"].items() for word in words}


@cache
def synonym_at_start(boundary: str = "[ ,]") -> re.Pattern:
    """A synonym at the start of a header key, followed by the end or a boundary character."""
    return re.compile(rf"(?:{alternation(header_synonyms())})(?={boundary}|$)")


@cache
def _opening_re() -> re.Pattern:
    """A cheap test for a table's first header cell: it starts with the first word of a no/task/objective header."""
    words = {key.split()[0] for key, role in header_synonyms().items() if role in OPENING_ROLES}
    return re.compile(rf"[\W_]*(?:{alternation(words)})(?![\wđĐ])", re.IGNORECASE)


def opens_header(cell: str) -> bool:
    return len(cell) <= MAX_OPENING_HEADER and bool(_opening_re().match(cell)) and column_role(cell) in OPENING_ROLES


def column_role(header: str) -> str | None:
    if len(header) > MAX_HEADER:
        return None
    key = header_key(header)
    m = synonym_at_start().match(key) if key else None
    return header_synonyms()[m.group(0)] if m and len(key) - m.end() <= MAX_HEADER_TAIL else None


def is_task_header(roles: list[str | None]) -> bool:
    """A task table's header: numbered rows (an STT column), someone responsible (a lead or a merged "Đơn vị thực
    hiện" column) and what is to be done (a task or objective column). Procedure steps ("B1 | Trình tự thực hiện |
    Trách nhiệm thực hiện | … ngày") are not tasks."""
    found = set(filter(None, roles))
    if "no" not in found or roles[roles.index("no") + 1 : roles.index("no") + 2] == ["other"]:
        return False  # the column beside the STT says what a row is: "Tên TTHC" rows are procedures, not tasks
    return bool(found & {"lead", "unit"}) and bool(found & {"task", "objective"})


def refine_merged(columns: list[str | None], below: list[str | None]) -> list[str | None] | None:
    """The second header row under a merged "Đơn vị thực hiện": "Chủ trì" and "Phối hợp" take its columns."""
    named = [r for r in below if r]
    if not named or not set(named) <= {"lead", "coordinating"}:
        return None
    width = max(len(columns), len(below))
    merged = [*columns, *[None] * (width - len(columns))]
    for i, role in enumerate(below):
        if role:
            merged[i] = role
    return merged


# --- line tables: pipe and TAB rows ----------------------------------------------------------------------------
def _split_line(text: str, start: int, end: int, sep: str) -> list[Cell]:
    cells, pos = [], start
    while True:
        cut = text.find(sep, pos, end)
        stop = end if cut < 0 else cut
        cells.append(Cell(text[pos:stop], pos, stop))
        if cut < 0:
            break
        pos = cut + 1
    if sep == "|" and len(cells) > 1 and not cells[-1].text.strip():
        cells.pop()  # "a | b |": the trailing separator closes the row
    return cells


def _lines(text: str, lo: int, hi: int, skip: Callable[[int], int] = lambda pos: pos):
    """(start, end) of the lines of text[lo:hi]; skip(pos) may move on from a line start to a later one."""
    pos = lo
    while (pos := skip(pos)) < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        yield pos, end - (1 if end > pos and text[end - 1] == "\r" else 0)
        pos = end + 1


@cache
def _two_separators(sep: str) -> tuple[re.Pattern, re.Pattern]:
    """A line holding two separators at least (at a line start, and after a newline: re then skips ahead from one
    newline to the next): a task header has MIN_HEADER_CELLS cells."""
    line = rf"(?:[^\n{re.escape(sep)}]*{re.escape(sep)}){{{MIN_HEADER_CELLS - 1}}}"
    return re.compile(line), re.compile(rf"\n{line}")


def _next_header_line(text: str, pos: int, hi: int, sep: str) -> int:
    """The start of the first line from pos on that may hold a task header (hi if none): outside a table the lines
    between are passed over at the speed of a search, not looked at one by one."""
    at_line, after_newline = _two_separators(sep)
    if at_line.match(text, pos, hi):
        return pos
    found = after_newline.search(text, pos, hi)
    return found.start() + 1 if found else hi


def line_tables(text: str, lo: int, hi: int, sep: str, style: str) -> list[Table]:
    tables: list[Table] = []
    columns: list[str | None] | None = None
    rows: list[Row] = []
    pending_break = just_header = False
    table_start = 0

    def close() -> None:
        if columns is not None and rows:
            tables.append(Table(style, tuple(columns), tuple(rows), table_start, rows[-1].end))

    def skip(pos: int) -> int:
        return pos if columns is not None else _next_header_line(text, pos, hi, sep)

    for start, end in _lines(text, lo, hi, skip):
        cells = _split_line(text, start, end, sep)
        roles = _line_roles(cells, columns is None, just_header)
        if columns is not None and just_header:
            just_header = False
            if refined := refine_merged(columns, roles):
                columns = refined
                continue
        if columns is not None and not text[start:end].strip():
            pending_break = True
        elif columns is not None and _same_header(roles, columns):
            pending_break = just_header = True  # the header repeated after a page break
        elif is_task_header(roles):
            close()
            columns, rows, table_start, just_header, pending_break = roles, [], start, True, False
        elif columns is not None and sep not in text[start:end]:
            close()
            columns, rows = None, []
        elif columns is not None:
            rows.append(Row(tuple(_align(cells, len(columns))), start, end, pending_break))
            pending_break = False
    close()
    return tables


def _line_roles(cells: list[Cell], searching: bool, after_header: bool) -> list[str | None]:
    """Column roles of a line's cells. Outside a table only a task header needs them, and it names three columns at
    least; inside one only a repeated header, which opens with a no/task/objective cell; right after a header, a
    second header row may name its merged columns. Other lines are not looked up cell by cell."""
    if searching and len(cells) < MIN_HEADER_CELLS:
        return [None] * len(cells)
    first = next((c.text for c in cells if c.text.strip()), "")
    if not (searching or after_header) and not opens_header(first.strip()):
        return [None] * len(cells)
    return [column_role(c.text) for c in cells]


def _same_header(roles: list[str | None], columns: list[str | None]) -> bool:
    mapped = [r for r in roles if r]
    return is_task_header(roles) and set(mapped) <= set(filter(None, columns)) | {"unit"}


def _align(cells: list[Cell], width: int) -> list[Cell | None]:
    return [*cells[:width], *[None] * (width - len(cells))]


# --- block tables: one cell per group of lines between "|" lines ----------------------------------------------
def separator_lines(text: str, lo: int, hi: int):
    """(start, end) of the "|" lines in text[lo:hi] (lo is a line start)."""
    if first := BLOCK_SEPARATOR.match(text, lo, hi):
        yield first.start(), first.end()
    for m in BLOCK_SEPARATOR_AFTER_NEWLINE.finditer(text, lo, hi):
        yield m.start() + 1, m.end()


def _blocks(text: str, lo: int, hi: int) -> list[Cell]:
    cells, pos = [], lo
    for start, end in separator_lines(text, lo, hi):
        cells.append(_trimmed(text, pos, start))
        pos = end + 1
    cells.append(_trimmed(text, pos, hi))
    return cells


def _trimmed(text: str, start: int, end: int) -> Cell:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Cell(text[start:end], start, end)


def block_tables(text: str, lo: int, hi: int) -> list[Table]:
    cells = _blocks(text, lo, hi)
    tables, i = [], 0
    while i < len(cells):
        header = _block_header(cells, i)
        if header is None:
            i += 1
            continue
        columns, body_start = header
        body_end = _block_table_end(cells, body_start)
        rows = _block_rows(cells[body_start:body_end], columns)
        if rows:
            tables.append(Table("block", columns, tuple(rows), cells[i].start, cells[body_end - 1].end))
        i = max(body_end, i + 1)
    return tables


def _block_header(cells: list[Cell], i: int) -> tuple[tuple[str | None, ...], int] | None:
    """Header cells from cells[i] on, up to the first empty or STT cell; columns of unknown headers stay None.
    The first cell may close a block of other lines ("(Kèm theo …)\nSTT")."""
    first = cells[i].text.rsplit("\n", 1)[-1]
    if not opens_header(first):
        return None
    if first != cells[i].text:
        cells[i] = Cell(first, cells[i].end - len(first), cells[i].end)
    roles: list[str | None] = []
    j = i
    while j < len(cells) and j < i + MAX_COLUMNS and (header := cells[j].text.strip()) and len(header) < 80:
        if j > i and STT.fullmatch(header):
            break
        role = column_role(header)
        roles.append(role if role not in roles else None)
        j += 1
    return (tuple(roles), j) if is_task_header(roles) else None


def _block_table_end(cells: list[Cell], start: int) -> int:
    """A table ends at a cell holding a paragraph break, or at the next header."""
    for j in range(start, len(cells)):
        if "\n\n" in cells[j].text.replace("\r", "") or (j > start and _block_header(cells, j)):
            return j
    return len(cells)


def _block_rows(cells: list[Cell], columns: tuple[str | None, ...]) -> list[Row]:
    rows: list[Row] = []
    groups = _stt_groups([c for c in cells if c.text.strip()])  # empty cells also mark row ends: not data
    for k, group in enumerate(groups):
        stt, rest = group[0], [c for c in group[1:]]
        while rest and not rest[-1].text.strip():
            rest.pop()
        following = groups[k + 1][0] if k + 1 < len(groups) else None
        if _is_heading(stt, rest, following):
            rows.append(Row(_place(columns, {"no": stt, _title_role(columns): rest[0] if rest else None}), stt.start,
                            (rest[-1] if rest else stt).end, kind="heading"))
            continue
        rows += _activity_rows(columns, stt, rest)
    return rows


def _stt_groups(cells: list[Cell]) -> list[list[Cell]]:
    groups: list[list[Cell]] = []
    last = None  # the Arabic number of the last STT ("12" of "12.3")
    for cell in cells:
        text = cell.text.strip()
        if not groups or (STT.fullmatch(text) and continues_numbering(text, last)):
            groups.append([cell])
            last = arabic(text) if arabic(text) is not None else last
        else:
            groups[-1].append(cell)
    return groups


def arabic(stt: str) -> int | None:
    """The Arabic number an STT starts with ("12" of "12.3."), or None (a Roman numeral)."""
    head = stt.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def continues_numbering(stt: str, last: int | None) -> bool:
    """Whether an STT may number a row after the Arabic number last (None: no row yet): short numbers and numerals
    anywhere, a wide one (SEQUENCE_DIGITS or more digits) only as the last number again or the next."""
    head = stt.split(".", 1)[0]
    if not head.isdigit() or len(head) < SEQUENCE_DIGITS:
        return True
    return last is not None and int(head) - last in (0, 1)


def _is_heading(stt: Cell, rest: list[Cell], following: Cell | None) -> bool:
    if len(rest) > 1:
        return False
    if ROMAN.fullmatch(stt.text.strip()):
        return True
    number = stt.text.strip().rstrip(".")
    return following is not None and following.text.strip().startswith(number + ".")


def _title_role(columns: tuple[str | None, ...]) -> str:
    return "objective" if "objective" in columns else "task"


def _place(columns: tuple[str | None, ...], by_role: dict[str, Cell | None]) -> tuple[Cell | None, ...]:
    return tuple(by_role.get(role) if role else None for role in columns)


def _activity_rows(columns: tuple[str | None, ...], stt: Cell, rest: list[Cell]) -> list[Row]:
    """[objective, activity…] of one STT, segmented into rows: the best-scoring split by what the cells look like."""
    has_objective = "objective" in columns
    activity = tuple(r for r in columns if r in ACTIVITY)
    lead_cells = rest[:1] if has_objective else []
    segments = _segment(rest[len(lead_cells):], activity, has_objective)
    rows = []
    for n, (objective, cells) in enumerate(segments):
        by_role = dict(zip(activity, cells))
        if n == 0:
            by_role |= {"no": stt, "objective": lead_cells[0] if lead_cells else None}
        elif objective is not None:
            by_role["objective"] = objective
        members = [c for c in (*by_role.values(),) if c is not None]
        rows.append(Row(_place(columns, by_role), min(c.start for c in members), max(c.end for c in members),
                        kind="row" if n == 0 else "spanned"))
    return rows


def _segment(cells: list[Cell], activity: tuple[str, ...], objectives: bool) -> list[tuple[Cell | None, list[Cell]]]:
    """Dynamic programming over the split points; each segment is (objective or None, its activity cells)."""
    width = len(activity)
    best: list[tuple[float, list] | None] = [None] * (len(cells) + 1)
    best[0] = (0.0, [])
    for i in range(len(cells)):
        if best[i] is None:
            continue
        for size in range(1, width + 1):
            for with_objective in (False, True) if objectives and i else (False,):
                j = i + size + with_objective
                if j > len(cells):
                    continue
                body = cells[i + with_objective : j]
                score = best[i][0] + _row_score(body, activity) - (1.0 if with_objective else 0.0)
                if best[j] is None or score > best[j][0]:
                    best[j] = (score, [*best[i][1], (cells[i] if with_objective else None, body)])
    return best[-1][1] if best[-1] else []


def _row_score(cells: list[Cell], activity: tuple[str, ...]) -> float:
    score = -2.0 * (len(activity) - len(cells))  # short rows happen, but rarely
    for cell, role in zip(cells, activity):
        text = cell.text.strip()
        agency, deadline = looks_like_agency(text), looks_like_deadline(text)
        if role in ("lead", "coordinating"):
            score += 2 if agency else -3
        elif role == "deadline":
            score += 2 if deadline else -3
        else:
            score += -1 if agency or deadline else 0.5
    return score


@cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    cues = columns()["cues"]
    agency, deadline, other = (alternation(cues[k]) for k in ("agency_heads", "deadline_heads", "not_agency"))
    return (re.compile(rf"(?:[-+•]\s*|\d{{1,2}}[.)]\s+)?(?!(?:{other})(?![\wđĐ]))(?:{agency})(?![\wđĐ])", re.IGNORECASE),
            re.compile(rf"(?:[-+•]\s*)?(?:{deadline})(?![\wđĐ])|\d{{1,2}}/\d{{4}}\b|(?:19|20)\d{{2}}\b", re.IGNORECASE))


@remembered
def looks_like_agency(text: str) -> bool:
    return bool(_cues()[0].match(text)) and len(text) < 400


@remembered
def looks_like_deadline(text: str) -> bool:
    return bool(_cues()[1].match(text)) and len(text) < 300
