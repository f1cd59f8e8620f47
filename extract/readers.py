"""Task tables in any layout: which reader reads which part of a text, and which table wins where two overlap.

The readers (extract.tables for pipe, TAB and block rows; extract.grid_markdown, extract.grid_html and
extract.grid_pdf for the grids of thuvienphapluat pages, HTML and gazette PDF text) share the records and the header
vocabulary of extract.tables; this module is the one that knows them all, so none of them imports another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from legalkg.extract.grid_html import html_tables
from legalkg.extract.grid_markdown import markdown_tables
from legalkg.extract.grid_pdf import pdf_tables
from legalkg.extract.tables import (BLOCK_SEPARATOR, BLOCK_SEPARATOR_AFTER_NEWLINE, GRID_STYLES, MAX_OPENING_HEADER, PIPE_ROW,
                            Table, block_tables, line_tables)
from legalkg.extract.vocab import columns

HEADER_REACH = 1500  # characters from the start of a table's header to its lead column, at most


@cache
def _lead_hint() -> re.Pattern:
    """What every task-table header holds somewhere: its lead column ("Chủ trì") or the merged "Đơn vị thực hiện"."""
    roles = columns()["roles"]
    phrases = {min(roles["lead"], key=len), *roles["unit"]}
    forms = {f for p in phrases for f in (p, p.lower(), p.upper(), p[0].upper() + p[1:].lower())}
    return re.compile("|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True)))


def find_tables(text: str, lo: int = 0, hi: int | None = None, skip: Callable[[int], bool] = lambda _: False) -> list[Table]:
    """Task tables in text[lo:hi] (a table qualifies by its header: see is_task_header).
    skip(offset) tells the gazette reader which lines are page furniture.

    Readers start HEADER_REACH characters before the first lead header: no table can start earlier."""
    hi = len(text) if hi is None else hi
    # Over the whole region, before the lead hint: an HTML header may be written in character references
    # ("Ch&#7911; tr&igrave;") or split by tags, and a word processor's attributes put it far past <table>.
    tables: list[Table] = html_tables(text, lo, hi)  # [] at once when there is no <td or <th
    hint = _lead_hint().search(text, lo, hi)
    if hint is None:
        return _without_overlaps(tables)
    lo = max(lo, text.rfind("\n", lo, max(lo, hint.start() - HEADER_REACH)) + 1)
    region = text[lo:hi]
    if "|" in region:
        if PIPE_ROW.search(region):
            tables += line_tables(text, lo, hi, "|", "pipe")
        if BLOCK_SEPARATOR.match(region) or BLOCK_SEPARATOR_AFTER_NEWLINE.search(region):
            # rows ended by two "|" lines, or (the seeds' layout) never ended: one reading of the blocks or the other
            tables += markdown_tables(text, lo, hi) or block_tables(text, lo, hi)
    if "\t" in region:
        tables += line_tables(text, lo, hi, "\t", "tab")
    if not tables and (bare := _bare_hint(text, hint.start(), hi)) is not None:
        tables += pdf_tables(text, max(lo, bare - HEADER_REACH), hi, skip)
    return _without_overlaps(tables)


def _bare_hint(text: str, pos: int, hi: int) -> int | None:
    """The first lead header that is a line of its own (a gazette header cell), not a phrase in running text."""
    for m in _lead_hint().finditer(text, pos, hi):
        line_start, line_end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end(), hi)
        if len(text[line_start : line_end if line_end >= 0 else hi].strip()) <= MAX_OPENING_HEADER:
            return m.start()
    return None


def _without_overlaps(tables: list[Table]) -> list[Table]:
    kept: list[Table] = []
    for t in sorted(tables, key=lambda t: (t.start, t.style not in GRID_STYLES, -len(t.rows))):
        if not any(k.start <= t.start < k.end for k in kept):
            kept.append(t)
    return kept
