"""The provision tree of a document: Phần, Chương, Mục, Điều, khoản, điểm, tiết in its body; Phụ lục, Mẫu, Biểu in
its appendix. Each provision has a path of `kind:label` steps (["dieu:5","khoan:2","diem:a"]), its parent's path and
a span from its heading to where the next unit of its rank or higher begins.

Read from the structure the text gives: heading words and numbering at line starts, never cell content. Text that an
amending document quotes (“Điều 20. …”) is the amended document's, not this one's, so headings inside quoted blocks
are skipped; the own articles are then the longest run of increasing numbers (an embedded form's "Điều 1" or a stray
quoted heading whose quote the source left open cannot break the sequence); khoản and điểm count up one by one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from legalkg.extract.layout import Layout, after_newline
from legalkg.extract.vocab import alternation, data, starts_with_one_of

MARKUP = r"[ \t*#_|>]*"  # what may precede a heading on its line: indentation, markdown emphasis, table pipes
ARABIC_LABEL = r"\d{1,3}[a-zđ]?"
ROMAN_LABEL = r"[IVXLC]{1,7}[a-zđ]?"
HEADING_END = r"(?=[ \t]*(?:[.:]|[-–][ \t]|\*|\r|\n|$)|[ \t]+[A-ZĐÀ-Ỹ])"  # "Điều 5." "Chương I" + title, not "Điều 5 của"
# "1." khoản, "a)" điểm, "a.1)" tiết: a line is at most one of them (its label opens with a digit, or a letter and
# then ")" or ".")
NUMBERED_LINE = re.compile(rf"(?m)^{MARKUP}(?:(?P<khoan>\d{{1,3}})\.(?!\d)|(?P<diem>[a-zđ])\)"
                           rf"|(?P<tiet>[a-zđ]\.\d{{1,2}})\))[ \t]*\S")
ARTICLE_END = re.compile(r"[ \t*]*[.:]")
QUOTE_OPENS = "“‟\"„«"
QUOTE_CLOSES = "”\"»"
QUOTED_LINE_START = re.compile(rf"(?m)^{MARKUP}[{QUOTE_OPENS}]")
QUOTED_LINE_END = re.compile(rf"[{QUOTE_CLOSES}][ \t*_)]*[.;,:]*(?:\d{{1,3}})?[ \t*_\r]*$")  # a footnote mark may follow
LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order of điểm labels (no f, j, w, z)
BODY_KINDS = ("header", "body")
HEADING_TEXT_MOST = 160
HEADING_TEXT_READ = 2 * HEADING_TEXT_MOST  # characters read first; more only when blanks fill them
ARTICLE_GAP_MOST = 5  # articles a source may skip (pages lost in conversion) before a jump means quoted text
NUMBERED_KINDS = ("khoan", "diem", "tiet")
LEADING_DIGITS = re.compile(r"\d+")
TRAILING_LETTERS = re.compile(r"\D+$")
OWN_WEIGHT = 10_000  # an article outside quotes outweighs any number of quoted ones


@dataclass(frozen=True)
class Unit:
    kind: str
    words: tuple[str, ...]
    rank: int
    joins_parent: bool


class Heading(NamedTuple):
    """A provision found in the normalised text (the pipeline maps its span to the raw file). A tuple: a long
    document has thousands, and a frozen dataclass costs three times as much to make."""

    path: tuple[str, ...]
    parent: tuple[str, ...] | None
    kind: str
    label: str
    start: int
    end: int
    heading: str


@cache
def units() -> dict[str, Unit]:
    return {u["kind"]: Unit(u["kind"], tuple(u.get("words", ())), u["rank"], u["joins_parent"])
            for u in data("provisions.toml")["unit"]}


@cache
def _word_heading() -> re.Pattern:
    by_word = {w: kind for kind, u in units().items() for w in u.words}
    # "**Điều\n1. Phạm vi…": a web page may wrap a heading right after its word
    first = starts_with_one_of(by_word, ignore_case=False)
    return re.compile(rf"(?m)^{MARKUP}[{QUOTE_OPENS}]?[ \t*]*{first}(?P<word>{alternation(by_word)})(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?:số[ \t]*)?"
                      rf"(?P<label>{ARABIC_LABEL}|{ROMAN_LABEL})?{HEADING_END}")


@cache
def _kind_of_word() -> dict[str, str]:
    return {w: kind for kind, u in units().items() for w in u.words}


def find_provisions(text: str, layout: Layout) -> list[Heading]:
    """Every provision of the document, in text order, parents before children."""
    quoted = _quoted_lines(text, layout)
    body, appendix = [], []
    quoted_number, own_number = None, 0
    for m in _at_line_starts(_word_heading(), text, layout.doc_start, layout.doc_end):
        at, section = m.start("word"), layout.section_at(m.start("word"))
        line_start = text.rfind("\n", 0, at) + 1
        kind, label = _kind_of_word()[m["word"]], _label(m["label"])
        if kind == "dieu" and not ARTICLE_END.match(text, m.end()):
            continue  # "Điều 29 Luật Tiếp công dân" continues a sentence; an article heading is "Điều 29."
        if _opens_quote(text, line_start, at):
            quoted_number = _order(label)[0] if kind == "dieu" else quoted_number
            continue  # “Điều 20. …: the amended document's article, quoted
        if kind == "dieu" and label:
            number = _order(label)[0]
            if quoted_number is not None and number == quoted_number + 1 and number != own_number + 1:
                quoted_number = number
                continue  # the quoted document's next article: its quotation marks went astray
            quoted_number, own_number = None, number
        if kind in ("phu_luc", "mau", "bieu"):
            if not _inside(quoted, at) and (section == "appendix" or (kind == "phu_luc" and section in BODY_KINDS
                                                                       and _opens_appendix(layout, line_start))):
                appendix.append((kind, label, at, _line_end(text, at)))
        elif section in BODY_KINDS and label and (kind == "dieu" or not _inside(quoted, at)):
            body.append((kind, label, at, _line_end(text, at)))
    body = _own_articles(body, quoted)
    articles = [h[2] for h in body if h[0] == "dieu"]
    if any(_inside(quoted, at) for at in articles):
        # a block that runs into one of the document's own articles was left open in the source: it ends there
        quoted = _quoted_lines(text, layout, articles)
    found = _tree(text, body, _body_end(layout)) + _tree(text, _distinct(appendix), layout.doc_end)
    numbered = _NumberedLines(text) if any(h.kind == "dieu" for h in found) else None  # khoản … are an article's
    has_items = numbered is not None and numbered.any_within("tiet", layout.doc_start, layout.doc_end)
    return sorted(found + _sub_units(text, found, quoted, numbered, has_items), key=lambda h: h.start)


def _at_line_starts(pattern: re.Pattern, text: str, start: int, end: int):
    """pattern's matches ("(?m)^…") in text[start:end], found from newline to newline (re would try every offset)."""
    first, rest = after_newline(pattern)
    if (start == 0 or text[start - 1] == "\n") and (m := first.match(text, start, end)):
        yield m
    yield from rest.finditer(text, start, end)


def _opens_quote(text: str, line_start: int, at: int) -> bool:
    return any(ch in QUOTE_OPENS for ch in text[line_start:at])


def _label(raw: str | None) -> str:
    return (raw or "").lower()


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _opens_appendix(layout: Layout, at: int) -> bool:
    """A "Phụ lục" heading in the body that the appendix section starts right after (its title line)."""
    later = [s for kind, s, _ in layout.sections if s > at and kind not in ("chrome",)]
    return bool(later) and layout.section_at(later[0]) == "appendix" and later[0] - at < 400


def _body_end(layout: Layout) -> int:
    ends = [e for kind, _, e in layout.sections if kind in BODY_KINDS]
    return max(ends) if ends else layout.doc_end


def _quoted_lines(text: str, layout: Layout, barriers: list[int] = ()) -> list[tuple[int, int]]:
    """The (start, end) ranges of quoted blocks: from a line that opens with a quotation mark to the first line
    (the same one included) that ends with a closing one, or to the first barrier (an own article heading)."""
    blocks = []
    pos = layout.doc_start
    first, rest = after_newline(QUOTED_LINE_START)
    while pos < layout.doc_end:
        m = first.match(text, pos, layout.doc_end) if pos == 0 or text[pos - 1] == "\n" else None
        m = m or rest.search(text, pos, layout.doc_end)
        if m is None:
            break
        start = m.end() - 1
        line_start = text.rfind("\n", 0, start) + 1
        i = bisect.bisect_right(barriers, start)
        limit = min(barriers[i], layout.doc_end) if i < len(barriers) else layout.doc_end
        end = line_start
        while end < limit:
            line_end = _line_end(text, end)
            if QUOTED_LINE_END.search(text, end if end > start else start + 1, line_end):
                break
            end = line_end + 1
        end = min(_line_end(text, end), limit)
        blocks.append((start, end))
        pos = end + 1
    return blocks


def _inside(blocks: list[tuple[int, int]], at: int) -> bool:
    i = bisect.bisect_right(blocks, (at, float("inf"))) - 1
    return i >= 0 and blocks[i][0] <= at < blocks[i][1]


def _order(label: str, before_base: bool = False) -> tuple[int, int, str]:
    """Where an article label stands: "5" < "5a" < "6"; a "5a" printed right before "5" (the source put the inserted
    article first) stands before it."""
    digits = LEADING_DIGITS.match(label)
    number, suffix = (int(digits.group()), label[digits.end():]) if digits else (0, label)
    return number, -1 if before_base and suffix else 0, suffix


def _own_articles(body: list[tuple], quoted: list[tuple[int, int]]) -> list[tuple]:
    """Keep the Điều headings that form the heaviest increasing run of numbers; one outside quotes weighs more than
    any number inside a quoted block (which may be one the source left open). Other kinds pass."""
    articles = [h for h in body if h[0] == "dieu"]
    weights = [1 if _inside(quoted, h[2]) else OWN_WEIGHT for h in articles]
    keys = [_order(h[1], i + 1 < len(articles) and articles[i + 1][1] == TRAILING_LETTERS.sub("", h[1]))
            for i, h in enumerate(articles)]
    run = [articles[i] for i in _heaviest_increasing(keys, weights)]
    keep = {id(h) for i, h in enumerate(run) if not _isolated(run, i)}
    return [h for h in body if h[0] != "dieu" or id(h) in keep]


def _isolated(run: list[tuple], i: int) -> bool:
    """An article far beyond the one before it whose next is not its successor: a law's article quoted in a
    footnote or a letter ("Điều 116. Nhiệm vụ…" in a Công văn), not a page the source lost (the numbering goes on)."""
    before = _order(run[i - 1][1])[0] if i else 0
    number = _order(run[i][1])[0]
    after = _order(run[i + 1][1])[0] if i + 1 < len(run) else None
    return number - before > ARTICLE_GAP_MOST and after not in (number, number + 1)


def _heaviest_increasing(keys: list, weights: list[int]) -> list[int]:
    """Indexes of the strictly increasing subsequence of greatest total weight (the earliest on ties), in
    O(n log n): a Fenwick tree of the best (weight, end index) over the ranks of the keys."""
    ranks = {k: i + 1 for i, k in enumerate(sorted(set(keys)))}
    tree = [(0, -1)] * (len(ranks) + 1)
    best, back = [], []
    for i, k in enumerate(keys):
        r = ranks[k]
        prior, j = (0, -1), r - 1
        while j > 0:
            prior, j = max(prior, tree[j], key=lambda t: t[0]), j - (j & -j)
        best.append(prior[0] + weights[i])
        back.append(prior[1])
        j = r
        while j < len(tree):
            if best[i] > tree[j][0]:
                tree[j] = (best[i], i)
            j += j & -j
    run, i = [], max(range(len(keys)), key=lambda k: (best[k], -k)) if keys else -1
    while i >= 0:
        run.append(i)
        i = back[i]
    return run[::-1]


def _distinct(headings: list[tuple]) -> list[tuple]:
    """An appendix's index lists its forms before the forms themselves: one unit per label within its appendix (two
    appendices may each have a Mẫu số 01), the last printed."""
    last, appendix = {}, None
    for h in headings:
        if h[0] == "phu_luc":
            appendix = h[1]
        last[(h[0], h[1], None if h[0] == "phu_luc" else appendix)] = h
    return sorted(last.values(), key=lambda h: h[2])


def _tree(text: str, headings: list[tuple], limit: int) -> list[Heading]:
    """Spans and paths from heading order: a unit runs until the next heading of its rank or higher."""
    u = units()
    out: list[Heading] = []
    for i, (kind, label, start, line_end) in enumerate(headings):
        rank = u[kind].rank
        end = next((h[2] for h in headings[i + 1:] if u[h[0]].rank <= rank), limit)
        parent = next((h for h in reversed(out) if u[h.kind].rank < rank and h.end >= end), None)
        step = f"{kind}:{label}"
        path = (*parent.path, step) if parent and u[kind].joins_parent else (step,)
        out.append(Heading(path, parent.path if parent else None, kind, label, start, end, _heading_text(text, start, line_end)))
    return out


def _heading_text(text: str, start: int, end: int) -> str:
    """The heading line's words, cut at HEADING_TEXT_MOST: read from the line's start only as far as needed (the
    words of a prefix are a prefix of the line's words)."""
    near = min(end, start + HEADING_TEXT_READ)
    words = " ".join(text[start:near].replace("*", " ").split())
    if len(words) < HEADING_TEXT_MOST and near < end:
        words = " ".join(text[start:end].replace("*", " ").split())
    return words[:HEADING_TEXT_MOST]


class _NumberedLines:
    """Every numbered line of the text, read once; khoản, điểm and tiết are then counted within each unit's span
    (the same lines a search of each span would find: a line's match lies within it, or it is left out)."""

    def __init__(self, text: str) -> None:
        self.lines: dict[str, tuple[list[int], list[tuple[str, int, int]]]] = {k: ([], []) for k in NUMBERED_KINDS}
        for m in _at_line_starts(NUMBERED_LINE, text, 0, len(text)):
            starts, found = self.lines[m.lastgroup]
            starts.append(m.start() + (text[m.start()] == "\n"))  # the line's start
            found.append((m[m.lastgroup], m.start(m.lastgroup), m.end()))

    def within(self, kind: str, start: int, end: int):
        """(label, where it starts) of the `kind` lines that start at or after `start` and end by `end`."""
        starts, found = self.lines[kind]
        for label, at, match_end in found[bisect.bisect_left(starts, start):]:
            if match_end > end:
                return
            yield label, at

    def any_within(self, kind: str, start: int, end: int) -> bool:
        return next(self.within(kind, start, end), None) is not None


def _sub_units(text: str, found: list[Heading], quoted: list[tuple[int, int]], numbered: _NumberedLines | None,
               has_items: bool) -> list[Heading]:
    """khoản, điểm and tiết of each article, counting up from 1 (a), a.1)): a numbered line that breaks the count
    belongs to something else (a list in a quoted form, a table)."""
    out = []
    for article in (h for h in found if h.kind == "dieu"):
        out += _numbered(text, article, _line_end(text, article.start), article.end, quoted, numbered, has_items)
    return out


def _numbered(text: str, article: Heading, start: int, end: int, quoted, numbered: _NumberedLines,
              has_items: bool) -> list[Heading]:
    clauses = _counted(numbered.within("khoan", start, end), quoted, lambda n: str(int(n) + 1), "1")
    out = []
    spans = _spans(clauses, end) or [(None, start, end)]
    for label, s, e in spans:
        parent = article if label is None else _child(text, article, "khoan", label, s, e)
        if label is not None:
            out.append(parent)
        points = _counted(numbered.within("diem", s, e), quoted, _next_letter, "a")
        for p_label, ps, pe in _spans(points, e):
            point = _child(text, parent, "diem", p_label, ps, pe)
            out.append(point)
            if not has_items:
                continue
            items = _counted(numbered.within("tiet", ps, pe), quoted, lambda t: f"{t[0]}.{int(t[2:]) + 1}",
                             f"{p_label}.1")
            out += [_child(text, point, "tiet", t_label, ts, te) for t_label, ts, te in _spans(items, pe)]
    return out


def _child(text: str, parent: Heading, kind: str, label: str, start: int, end: int) -> Heading:
    return Heading((*parent.path, f"{kind}:{label}"), parent.path, kind, label, start, end,
                   _heading_text(text, start, _line_end(text, start)))


def _counted(lines, quoted, successor, first: str) -> list[tuple[str, int]]:
    out, expected = [], first
    for label, at in lines:
        if label == expected and not _inside(quoted, at):
            out.append((expected, at))
            expected = successor(expected)
    return out


def _spans(starts: list[tuple[str, int]], end: int) -> list[tuple[str, int, int]]:
    return [(label, s, starts[i + 1][1] if i + 1 < len(starts) else end) for i, (label, s) in enumerate(starts)]


def _next_letter(letter: str) -> str:
    i = LETTERS.find(letter)
    return LETTERS[i + 1] if 0 <= i < len(LETTERS) - 1 else "\0"
