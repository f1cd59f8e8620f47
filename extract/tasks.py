"""Tasks (nhiệm vụ): table rows merged into tasks, and a directive's lettered assignments.

Table rows (extract.tables) become tasks by these rules:
- a row whose STT cell holds a number starts a task; a row with a title in the STT column (or a Roman numeral)
  and nothing in the data columns is a section row;
- a row with an empty STT cell continues the task: after a page break its cells are merged cell by cell, unless
  its result, lead or coordinating cell starts anew where the task's cell had ended a sentence — then its text is
  merged and the rest is a new part; without a page break, a row with no task text is a new part;
- block tables (one cell per group of lines) carry the row-spanned STT and objective over to the rows under them.
Directives without tables: "2. Giao Sở Thông tin và Truyền thông khẩn trương" followed by "a) …", "b) …" — each
lettered item is a task led by the heading's agencies; "phối hợp với X" in the item names the coordinating ones.

Offsets are into the normalised text; extract.pipeline maps them back to the raw text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from legalkg.extract.agencies import coordinating_in, lead_and_coordinating, split_agencies
from legalkg.extract.deadlines import parse_deadline
from legalkg.extract.readers import find_tables
from legalkg.extract.tables import GRID_STYLES, ROMAN, STT, Row, Table, looks_like_agency
from legalkg.extract.vocab import columns

INLINE_TAG = re.compile(r"</?(?:i|b|u|em|strong|span|sup|sub|a|font)\b[^>]{0,200}>", re.IGNORECASE)
BLOCK_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]{0,200}>")
WRAPPED_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=\w)")  # "NĐ-" / "CP", "2026-" / "2030": one word
MARKDOWN_EMPHASIS = re.compile(r"\*+|__")
NEEDS_CLEANING = re.compile(r"[<&*_]|[^\S ]| {2}")  # markup, an entity, white space other than single spaces
LEADING_NUMERAL = re.compile(r"^(?:[IVXL]{1,5})\.?\s+")
SENTENCE_END = re.compile(r"[.;:!?]\s*$")
DIRECTIVE_HEADING = re.compile(r"(?m)^[ \t]*(?P<no>\d{1,2})\.[ \t]+(?P<title>[^\n]+?)[ \t]*\r?$")
DIRECTIVE_ITEM = re.compile(r"(?m)^[ \t]*(?P<letter>[a-zđ])\)[ \t]+")
END_MARK = re.compile(r"\s*/\.\s*$")
SIGNATURE_START = re.compile(r"(?m)^[ \t|*]*(?:TM\.|KT\.|TL\.|TUQ\.|Nơi nhận|CHỦ TỊCH\b)")

PART_CELLS = ("product", "lead", "coordinating", "deadline")  # _Part's fields
CitesOf = Callable[[str], list[str]]  # cell text -> keys of the documents it cites
CELL_BREAK = "\n\n"  # between a task's cells when they are searched for citations at once: no citation spans it
# characters: a lead or coordinating cell longer than this is no list of agencies (the corpus' longest is 419); it is
# not split, and the document's warnings say so (splitting is linear, but at a few MB/s for a cell of unique names)
MAX_AGENCY_CELL = 10_000


def _pieces(text: str | None) -> list[str]:
    return [text] if text else []


class _Part:
    """A part's cells (PART_CELLS), each kept as the cleaned pieces its rows gave and joined when read: joining at
    every row would be quadratic in a task of many rows. A directive's part holds names already found instead."""

    def __init__(self, product: str = "", lead: str | list[str] = "", coordinating: str | list[str] = "",
                 deadline: str = "") -> None:
        self.found = (lead, coordinating) if isinstance(lead, list) else None  # a directive's names
        self.pieces = {name: _pieces(text) if isinstance(text, str) else []
                       for name, text in zip(PART_CELLS, (product, lead, coordinating, deadline))}

    def cell(self, name: str) -> str:
        return " ".join(self.pieces[name])

    def tail(self, name: str) -> str:
        """The cell's last piece: where it ends."""
        return self.pieces[name][-1] if self.pieces[name] else ""

    def extend(self, more: _Part) -> None:
        """A continuation's cells joined to the part's, cell by cell."""
        for name in PART_CELLS:
            self.pieces[name] += more.pieces[name]

    def has_cells(self) -> bool:
        return any(self.pieces.values())

    product = property(lambda self: self.cell("product"))
    lead = property(lambda self: self.found[0] if self.found else self.cell("lead"))
    coordinating = property(lambda self: self.found[1] if self.found else self.cell("coordinating"))
    deadline = property(lambda self: self.cell("deadline"))


@dataclass
class _Draft:
    """A task while its rows come in; its text and objective are kept as pieces, like a part's cells."""

    no: str | None
    section: str | None
    objectives: list[str]
    texts: list[str]
    start: int
    end: int
    layout: str
    parts: list[_Part] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def objective(self) -> str | None:
        return " ".join(self.objectives) or None


@dataclass(frozen=True)
class FoundTask:
    """A task in the normalised text, before its span is mapped back (see extract.models.Task for the fields)."""

    no: str | None
    section: str | None
    objective: str | None
    text: str
    parts: tuple[tuple[str | None, tuple[str, ...], tuple[str, ...], str | None, object], ...]
    cites: tuple[str, ...]
    start: int
    end: int
    layout: str


def clean_cell(text: str | None) -> str:
    """HTML removed (inline tags without a space, block tags as one), entities decoded, whitespace collapsed."""
    if not text:
        return ""
    if not NEEDS_CLEANING.search(text):
        return text.strip()  # most cells: what the substitutions below would leave
    text = BLOCK_TAG.sub(" ", INLINE_TAG.sub("", text))
    text = MARKDOWN_EMPHASIS.sub("", html.unescape(text))
    return re.sub(r"\s+", " ", WRAPPED_HYPHEN.sub("-", text)).strip()


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a and b else a or b


# --- table rows → drafts ---------------------------------------------------------------------------------------
def _cell(table: Table, row: Row, role: str) -> str:
    cell = row.get(table.columns, role)
    return clean_cell(cell.text) if cell else ""


def _row_part(table: Table, row: Row) -> _Part:
    """A row's cells as a part; a lone "Đơn vị thực hiện" column (not split into Chủ trì | Phối hợp) is the lead."""
    lead_role = "lead" if "lead" in table.columns or "unit" not in table.columns else "unit"
    return _Part(*(_cell(table, row, r) for r in ("product", lead_role, "coordinating", "deadline")))


def _is_number(no: str) -> bool:
    return bool(STT.fullmatch(no)) and not ROMAN.fullmatch(no)


def _line_table_drafts(table: Table) -> list[_Draft]:
    drafts: list[_Draft] = []
    section = None
    for row in table.rows:
        no, text, part = _cell(table, row, "no"), _cell(table, row, "task"), _row_part(table, row)
        if no and not _is_number(no) and not part.has_cells():
            section = LEADING_NUMERAL.sub("", _join(no, text)).strip() or section
        elif no and _is_number(no):
            drafts.append(_Draft(no, section, [], _pieces(text), row.start, row.end, table.style, [part]))
        elif drafts:
            _continue(drafts[-1], text, part, row.after_break)
            drafts[-1].end = row.end
    return drafts


def _continue(draft: _Draft, text: str, part: _Part, after_break: bool) -> None:
    """A row with an empty STT: its text continues the task's; its other cells continue the last part cell by cell,
    or start a new part (a row with no task text, or cells that start anew after a page break)."""
    draft.texts += _pieces(text)
    if not part.has_cells():
        return
    last = draft.parts[-1]
    starts_anew = any(_starts_anew(last.tail(f), part.cell(f)) for f in ("product", "lead", "coordinating"))
    if (after_break and not starts_anew) or (text and not after_break):
        last.extend(part)
    else:
        draft.parts.append(part)


def _starts_anew(before: str, after: str) -> bool:
    return bool(before and after and SENTENCE_END.search(before) and after[0].isupper())


def _block_table_drafts(table: Table) -> list[_Draft]:
    drafts: list[_Draft] = []
    section = group = None
    no = objective = None
    for row in table.rows:
        cells = {r: _cell(table, row, r) for r in ("no", "objective", "task")}
        if row.kind == "heading":
            title = cells["objective"] or cells["task"]
            if ROMAN.fullmatch(cells["no"]):
                section, group = f"{cells['no'].rstrip('.')}. {title}", None
            else:
                group = f"{cells['no'].rstrip('.')}. {title}"
            continue
        if row.kind == "row":
            no = cells["no"]
            objective = _join(no, cells["objective"]) if cells["objective"] else None
        elif cells["objective"]:
            objective = cells["objective"]  # a row with its own objective under the row-spanned STT
        heading = f"{section.split('.')[0]} > {group}" if section and group else section
        drafts.append(_Draft(no, heading, _pieces(objective), _pieces(cells["task"]), row.start, row.end, table.style,
                             [_row_part(table, row)]))
    return drafts


def _grid_drafts(table: Table) -> list[_Draft]:
    """Rows of a recovered grid (see extract.tables.ROW_KINDS) to drafts: numbered rows start tasks, headings nest
    into sections, parts add responsible agencies, continuations merge cell by cell."""
    drafts: list[_Draft] = []
    headings: list[tuple[str, str]] = []
    for row in table.rows:
        no, objective, text = (_cell(table, row, r) for r in ("no", "objective", "task"))
        if row.kind == "heading":
            headings = _nest(headings, no, text or objective)
        elif row.kind == "row" or not drafts:
            drafts.append(_Draft(no or None, _section(headings), _pieces(objective), _pieces(text), row.start, row.end,
                                 table.style, [_row_part(table, row)]))
        else:
            draft = drafts[-1]
            draft.texts += _pieces(text)
            draft.objectives += _pieces(objective)
            draft.end = row.end
            part = _row_part(table, row)
            if row.kind == "part":
                draft.parts.append(part)
            else:
                draft.parts[-1].extend(part)
    return drafts


def _heading_level(no: str) -> int:
    """I → 1, I.1 → 2; an Arabic number sits one level under a Roman one (II > 1)."""
    parts = no.rstrip(".").split(".")
    return len(parts) + (0 if ROMAN.fullmatch(parts[0]) else 1)


def _nest(headings: list[tuple[str, str]], no: str, title: str) -> list[tuple[str, str]]:
    """A numbered heading goes under the ones of lower level; an unnumbered one under the last numbered one (it
    replaces an unnumbered heading before it)."""
    if not no:
        while headings and not headings[-1][0]:
            headings = headings[:-1]
        return [*headings, (no, title)]
    return [*(h for h in headings if h[0] and _heading_level(h[0]) < _heading_level(no)), (no, title)]


def _section(headings: list[tuple[str, str]]) -> str | None:
    if not headings:
        return None
    *outer, (no, title) = headings
    inner = f"{no.rstrip('.')}. {title}" if no else title
    return " > ".join([*(n.rstrip(".") for n, _ in outer if n), inner])


# --- directives ------------------------------------------------------------------------------------------------
@cache
def _assignee_words() -> tuple[re.Pattern, re.Pattern]:
    words = columns()["directive"]
    before = "|".join(map(re.escape, words["assign_before"]))
    after = "|".join(map(re.escape, words["assign_after"]))
    verbs = "|".join(map(re.escape, words["heading_verbs"]))
    return re.compile(rf"^(?:{before})\s+|\s+(?:{after})$", re.IGNORECASE), re.compile(rf"\s(?:{verbs})\s", re.IGNORECASE)


def _directive_drafts(text: str, lo: int, hi: int) -> list[_Draft]:
    noise, verbs = _assignee_words()
    if signature := SIGNATURE_START.search(text, lo, hi):
        hi = signature.start()
    headings = [m for m in DIRECTIVE_HEADING.finditer(text, lo, hi)]
    headings = [m for m in headings if looks_like_agency(noise.sub("", m["title"]))]
    drafts = []
    for k, m in enumerate(headings):
        end = headings[k + 1].start() if k + 1 < len(headings) else hi
        assignee = noise.sub("", m["title"]).strip()
        lead = split_agencies(assignee)
        items = list(DIRECTIVE_ITEM.finditer(text, m.end(), end))
        if not items:
            body = clean_cell(text[m.end() : end])
            own = verbs.search(f" {m['title']} ")
            item_text = END_MARK.sub("", _join(m["title"], body) if own else body)
            drafts.append(_item_draft(m["no"], m.group(0).strip(), item_text, m.start(), end, lead))
            continue
        for j, item in enumerate(items):
            stop = items[j + 1].start() if j + 1 < len(items) else end
            item_text = END_MARK.sub("", clean_cell(text[item.end() : stop]))
            drafts.append(_item_draft(f"{m['no']}.{item['letter']}", m.group(0).strip(), item_text, item.start(), stop, lead))
    return drafts


def _item_draft(no: str, section: str, item_text: str, start: int, end: int, lead: list[str]) -> _Draft:
    coordinating = coordinating_in(item_text)
    return _Draft(no, section, [], _pieces(item_text), start, end, "items", [_Part(lead=lead, coordinating=coordinating)])


_DRAFTS_BY_STYLE = {"block": _block_table_drafts, **{style: _grid_drafts for style in GRID_STYLES}}  # else: line rows


# --- public ----------------------------------------------------------------------------------------------------
def find_tasks(text: str, regions: Iterable[tuple[int, int]], cites_of: CitesOf, year: int | None,
               directive: bool = False, skip: Callable[[int], bool] = lambda _: False,
               ) -> tuple[list[FoundTask], list[Table]]:
    """Tasks in the given regions of the normalised text (the document proper), and warnings as tables: the tables
    that could not be read with confidence (no task comes from them), and the rows of tasks whose agency cells were
    too long to split (MAX_AGENCY_CELL). skip(offset) marks page furniture."""
    drafts: list[_Draft] = []
    doubtful: list[Table] = []
    for lo, hi in regions:
        for table in find_tables(text, lo, hi, skip):
            if table.warning:
                doubtful.append(table)
                continue
            drafts += _DRAFTS_BY_STYLE.get(table.style, _line_table_drafts)(table)
    if not drafts and directive:
        for lo, hi in regions:
            drafts += _directive_drafts(text, lo, hi)
    return [_finish(d, cites_of, year) for d in drafts], doubtful + [w for d in drafts for w in _unsplit(d)]


def _finish(draft: _Draft, cites_of: CitesOf, year: int | None) -> FoundTask:
    parts = tuple(
        (p.product or None, *_agencies(p), p.deadline or None,
         parse_deadline(p.deadline, year) if p.deadline else None)
        for p in draft.parts
    )
    cells = [draft.text] + [c for p in draft.parts for c in (p.product, p.lead, p.coordinating, p.deadline)
                            if isinstance(c, str)]
    cites = list(dict.fromkeys(cites_of(CELL_BREAK.join(c for c in cells if c))))
    return FoundTask(draft.no, draft.section, draft.objective, draft.text, parts, tuple(cites), draft.start,
                     draft.end, draft.layout)


def _agencies(part: _Part) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead and coordinating names; the names a lead cell gives after "phối hợp với" are coordinating."""
    if isinstance(part.lead, str) and isinstance(part.coordinating, str):
        lead, coordinating = lead_and_coordinating(_splittable(part.lead), _splittable(part.coordinating))
        return tuple(lead), tuple(coordinating)
    return _names(part.lead), _names(part.coordinating)


def _splittable(cell: str) -> str:
    return cell if len(cell) <= MAX_AGENCY_CELL else ""  # reported by _unsplit


def _unsplit(draft: _Draft) -> list[Table]:
    """A warning for each agency cell of the task too long to split into agencies (MAX_AGENCY_CELL)."""
    too_long = [(name, cell) for part in draft.parts for name in ("lead", "coordinating")
                if isinstance(cell := getattr(part, name), str) and len(cell) > MAX_AGENCY_CELL]
    return [Table(draft.layout, (), (), draft.start, draft.end,
                  warning=f"task {draft.no}: its {name} cell of {len(cell):,} characters (over {MAX_AGENCY_CELL:,}) "
                          "was not split into agencies") for name, cell in too_long]


def _names(cell: str | list[str]) -> tuple[str, ...]:
    return tuple(cell) if isinstance(cell, list) else tuple(split_agencies(cell))
