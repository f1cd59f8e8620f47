"""The impact list and an agency's tasks as files to take away: CSV (UTF-8 with a byte-order mark, which Excel needs
to read Vietnamese as UTF-8) and XLSX (openpyxl; a sheet of tasks and a sheet of documents). Column headers are UI
words (viz/data/workbench.toml), in the page's language: Vietnamese unless English was asked for.

A cell that starts with = + - @ would be read by a spreadsheet as a formula; document text is data, so such cells are
written with a leading apostrophe (OWASP's advice for CSV injection) in CSV, and as strings in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font

from legalkg.queries.effects import change_line
from legalkg.queries.worklists import AgencyTask, DocumentRow, TaskRow
from legalkg.viz.i18n import text

CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    header: str  # a key of the UI words
    value: Callable[[object], object]
    words: str | None = None  # the values are codes ("overdue", "lead"), written as the UI words `words + code`

    def cell(self, row: object, lang: str) -> str:
        value = self.value(row)
        if self.words is None:
            return _cell(value)
        codes = value if isinstance(value, tuple) else (value,)
        return _joined(tuple(_said(lang, self.words, code) for code in codes if code))


def _joined(values: Sequence[str]) -> str:
    return "; ".join(values)


IMPACT_TASKS = (
    Column("col_document", lambda r: r.document), Column("col_place", lambda r: r.place),
    Column("col_task_no", lambda r: r.no), Column("col_task", lambda r: r.text),
    Column("col_lead", lambda r: _joined(r.lead)), Column("col_coordinating", lambda r: _joined(r.coordinating)),
    Column("col_deadline", lambda r: r.deadline), Column("col_due", lambda r: r.due),
    Column("col_overdue", lambda r: "x" if r.overdue else ""), Column("col_through", lambda r: _joined(r.through)),
    Column("col_path", lambda r: r.path),
    Column("col_affected", lambda r: r.affected, words="affected_"),
    Column("col_cited_provisions", lambda r: _joined(r.cited_provisions)),
    Column("col_changes", lambda r: _joined(tuple(change_line(e) for e in r.changes))),
    Column("col_task_id", lambda r: r.id),  # last: a task's id closes its row (the browser test reads it there)
)
IMPACT_DOCUMENTS = (
    Column("col_document", lambda r: r.label), Column("col_type", lambda r: r.type), Column("col_date", lambda r: r.date),
    Column("col_place", lambda r: r.place), Column("col_relation", lambda r: r.relation, words="rel_"),
    Column("col_via", lambda r: r.via), Column("col_document_id", lambda r: r.id),
)
AGENCY_TASKS = (
    Column("col_urgency", lambda r: r.urgency, words="urgency_"), Column("col_document", lambda r: r.document),
    Column("col_task_no", lambda r: r.no), Column("col_task", lambda r: r.text),
    Column("col_role", lambda r: r.role, words="role_"), Column("col_deadline", lambda r: r.deadline),
    Column("col_due", lambda r: r.due), Column("col_task_id", lambda r: r.id),
)


def csv_bytes(columns: Sequence[Column], rows: Sequence[TaskRow | DocumentRow | AgencyTask], lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text(lang, c.header) for c in columns])
    for row in rows:
        writer.writerow([_defused(c.cell(row, lang)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Column], Sequence[object]]], lang: str,
               note: str | None = None) -> bytes:
    """sheets: (title key, columns, rows) each, and a last sheet holding `note` when there is one (what the list
    leaves out). Written in openpyxl's write-only mode: rows are streamed, a third of the time of building the whole
    workbook in memory."""
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(text(lang, title)[:31])  # Excel's limit on sheet names
        sheet.freeze_panes = "A2"
        for letter, width in zip(_letters(len(columns)), _widths(columns, rows)):
            sheet.column_dimensions[letter].width = width
        sheet.append([_header(sheet, text(lang, c.header)) for c in columns])
        for row in rows:
            sheet.append([_text_cell(sheet, c.cell(row, lang)) for c in columns])
    if note:
        book.create_sheet(text(lang, "sheet_note")[:31]).append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell


def _text_cell(sheet, value: str) -> str | WriteOnlyCell:
    """A value as text: control characters (which XLSX cannot hold) dropped; one that would be read as a formula is
    written as a string cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = TYPE_STRING
    return cell


def _said(lang: str, prefix: str, code: str) -> str:
    try:
        return text(lang, prefix + code)
    except KeyError:
        return code


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _defused(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i + 1) for i in range(n)]


def _widths(columns: Sequence[Column], rows: Sequence[object]) -> list[float]:
    sample = rows[:200]
    return [min(60, max(10, *(len(c.cell(r, 'vi')) for r in sample))) if sample else 14 for c in columns]
