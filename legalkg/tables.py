"""Tables for the command line: a header row, a rule, one row per record and one field per column, aligned.

Every command that prints a table prints it through `table` (and its count through `count_line`), so they all look
alike: cells hold one line (newlines and tabs become spaces), a cell longer than its column's width is cut and ends
with "…", widths are counted as a terminal draws them (combining marks take no cell, wide characters two), and a
list in a cell is printed as plain words ("lead, coordinating"), never as a Python repr.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GAP = "  "
ELLIPSIS = "…"
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 40  # at most this many terminal cells; longer values are cut and end with …
    align: str = "<"  # "<" left, ">" right (numbers)


def table(columns: Sequence[Column | str], rows: Iterable[Sequence[object]], indent: str = "") -> list[str]:
    """The lines of a table: header, rule, rows. Columns are Column or a header (width 40, left-aligned)."""
    columns = [c if isinstance(c, Column) else Column(c) for c in columns]
    cells = [[fit(cell_text(value), column.width) for value, column in zip(row, columns, strict=True)] for row in rows]
    widths = [max([width(c.header), *(width(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = [_line([c.header for c in columns], widths, ["<"] * len(columns)),
             _line(["-" * w for w in widths], widths, ["<"] * len(columns))]
    aligns = [c.align for c in columns]
    lines += [_line(row, widths, aligns) for row in cells]
    return [indent + line for line in lines]


def count_line(shown: int, total: int | None = None, noun: str = "results", truncated: bool = False,
               at_least: int | None = None) -> str:
    """"3 results"; "8 of 145 results" when the answer was cut; "8 of at least 10000 results" when only a lower
    bound of the total is known; "8 results (more not shown)" when it was cut and nothing is known of the total."""
    if total is not None and total != shown:
        return f"{shown} of {total} {noun}"
    if total is None and at_least is not None:
        return f"{shown} of at least {at_least} {noun}"
    if truncated and total is None:
        return f"{shown} {noun} (more not shown)"
    return f"{shown} {_singular(noun) if shown == 1 else noun}"


def cell_text(value: object) -> str:
    """A value as one line of plain text: None is empty, a list or tuple its items joined by ", ", a bool yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(cell_text(v) for v in items if v is not None and v != "")
    return SPACES.sub(" ", str(value)).strip()


def width(text: str) -> int:
    """Terminal cells text takes: combining marks none, East Asian wide and fullwidth characters two."""
    return sum(_char_width(ch) for ch in text)


def fit(text: str, limit: int) -> str:
    """text, or its start ending with … when it is wider than limit cells."""
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _line(cells: Sequence[str], widths: Sequence[int], aligns: Sequence[str]) -> str:
    padded = []
    for i, (cell, w, align) in enumerate(zip(cells, widths, aligns, strict=True)):
        pad = " " * (w - width(cell))
        if align == ">":
            padded.append(pad + cell)
        else:
            padded.append(cell if i == len(cells) - 1 else cell + pad)  # no trailing spaces after the last column
    return GAP.join(padded).rstrip()


def _singular(noun: str) -> str:
    irregular = {"results": "result", "documents": "document", "tasks": "task", "conflicts": "conflict",
                 "citations": "citation", "relations": "relation", "agencies": "agency"}
    if noun in irregular:
        return irregular[noun]
    if noun.endswith(" forms"):
        return noun[:-1]
    return noun
