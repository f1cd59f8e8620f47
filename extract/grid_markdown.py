"""Task tables of thuvienphapluat markdown, read as the grid the page gives (see extract.tables.ROW_KINDS).

Being written: until it lands, no table is read here and extract.tables' block reader keeps these pages."""

from __future__ import annotations

from extract.tables import Table


def markdown_tables(text: str, lo: int, hi: int) -> list[Table]:
    """Tables in text[lo:hi] whose rows end at two "|" lines in a row."""
    return []
