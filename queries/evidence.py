"""The sentence that states a relation: read from the source text around the edge's span, for the pages that show
why an edge exists. Each source file is read once per Evidence (a page), and only when one of its edges is shown."""

from __future__ import annotations

import re

from legalkg.extract.text import ExtractError, read_source
from legalkg.graph.store import SqliteStore

BOUNDARY = re.compile(r"[.;:]\s|\n")  # where a sentence or a preamble line ends
WIDEST = 400  # characters of context on each side, at most


class Evidence:
    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self._texts: dict[str, str | None] = {}

    def sentence(self, source: str | None, start: int | None, end: int | None) -> str | None:
        """The sentence holding source[start:end], whitespace collapsed; None when the text cannot be read."""
        text = self.text(source) if source else None
        if text is None or start is None or end is None or end > len(text):
            return None
        left = text[max(0, start - WIDEST):start]
        right = text[end:end + WIDEST]
        cut = [m.end() for m in BOUNDARY.finditer(left)]
        begin = start - len(left) + (cut[-1] if cut else 0)
        stop = BOUNDARY.search(right)
        finish = end + (stop.start() + 1 if stop else len(right))
        return " ".join(text[begin:finish].split())

    def text(self, source: str) -> str | None:
        """The source's text as read from its file (offsets in the store are into it); None when it cannot be read
        any more (why stays in the server: its message names where the server keeps its files)."""
        if source not in self._texts:
            file = self.store.source_file(source)
            try:
                self._texts[source] = read_source(file).raw if file else None
            except (OSError, ExtractError):
                self._texts[source] = None
        return self._texts[source]
