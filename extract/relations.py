"""Type the relations the text states: from the citing document to what it cites, and between two cited documents.

"Căn cứ …" → based_on, "Thực hiện …" → implements: clause-initial cues, read in the preamble only (before the body's
first article, chapter, part or top-level item), where a document states its own basis; a "Căn cứ" in the body tells
someone else what to go by. The cue types the clause's first citation and those listed with it ("…; Nghị định số B",
"… và Luật số C"); a document named inside another's title is a title mention.
"A … sửa đổi, bổ sung … B" → A amends B; "B (được sửa đổi, bổ sung tại A)" → A amends B; "Quyết định này … thay thế
Quyết định số 768" (or an article opening with "Bãi bỏ …") → the document replaces (repeals) 768; "Bãi bỏ các văn bản
sau:" then a list → the document repeals the first document of each item. The amending (replacing, guiding) document
must not be the earlier one: a stated direction that contradicts the years is flipped and the rule says so. A law named
by title in a relation resolves to the number under which the same document cites that title.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from legalkg.extract.citations import Found, canonical_law_title, issuer_code_of
from legalkg.extract.patterns import cue_alternation, type_words
from legalkg.extract.vocab import vocab

CLAUSE_BREAK = re.compile(
    r";|[.:](?=\s)|\n[ \t]*\n|\t|\||\n(?=[ \t]*(?:[-+•*]|\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.|Căn cứ|Thực hiện|Triển khai))"
)
CLAUSE_REACH = 600
MAX_MENTION = 2000  # characters: longer than any citation (an amending law's title included)
NEAR_REACH = 160
BREAK_SETTLED = 40  # a break this far into the near window is found the same from either window start
LIST_MARKER = re.compile(r"[\s\-+•*_#>]*(?:\(?\d+(?:\.\d+)*[.)]|[a-zđ]\))?[\s*_]*")
SELF_SUBJECT = re.compile(r"(?i)(?<![\wđĐ])này(?![\wđĐ])|\A\s*Điều\s+\d+[a-z]?\s*\.")
# A clause that opens with a citation continues the list of the clause before it ("Căn cứ Luật A; Luật B; …").
LIST_CONTINUES = re.compile(r"[;:]|\n")
MAX_LIST_CLAUSES = 64
# Between two citations of one list: the first one's date and issuer are its tail; then only a separator.
ADJACENT_GAP = re.compile(r"[\s*_]*(?:[,;][\s*_]*)?(?:(?:và|hoặc)\s+)?(?:các\s+)?(?:số\s*:?\s*)?")
COORDINATOR_BEFORE = re.compile(
    r"(?:[,;]|(?<![\wđĐ])(?P<conjunction>và|hoặc))\s*(?:(?:theo|tại|bởi)\s+)?(?:các\s+)?(?:số\s*:?\s*)?\Z"
)
COORDINATOR_REACH = 24

BETWEEN_TARGET = re.compile(r"\s*(?:các\s+)?")  # a "between" cue stands right before its target
# The body opens with its first division; the preamble is what comes before it.
MARKUP = r"[ \t*#_|>]*"
FIRST_DIVISION = (
    rf"(?m)^{MARKUP}(?:(?:Điều|ĐIỀU)\s+1[ \t*_]*(?:[.:]|$)|(?:Chương|CHƯƠNG)\s+(?:I|1)(?![\wđĐ])"
    rf"|(?:Phần|PHẦN)\s+(?:I|1|thứ\s+nhất|THỨ\s+NHẤT)(?![\wđĐ])|(?:I|1)\s*[.)]\s)"
)
# Lists: an item opens a line with its marker; an article heading ("Điều 3.") ends any list.
ITEM_MARKER = re.compile(
    rf"{MARKUP}(?:(?P<num>\d{{1,3}})\s*[.)]|\((?P<paren>\d{{1,3}})\)|(?P<alpha>[a-zđ])\)|(?P<dash>[-+•]))(?=\s)"
)
ARTICLE_HEADING = re.compile(rf"{MARKUP}(?:Điều|ĐIỀU)\s+\d+[a-z]?\s*\.")
OPENER_REACH = 400  # characters from a list opener's cue to its first item
OPENER_END = re.compile(r":[\s*_]*\Z")
HEADING_STOP = re.compile(r"[.;:]\s")  # a heading that runs into a sentence is an article's text, not a list's opener
TABLE_ROW = re.compile(r"[ \t]*\|")

# "… sửa đổi một số điều của Quy định về X ban hành kèm theo Quyết định số N": what is attached to N is N.
ATTACHED_TO = r"(?![\wđĐ])[^;.:()]{0,250}?(?<![\wđĐ])(?:được\s+)?ban\s+hành\s+kèm\s+theo\s*"
AMENDING_LAW_TITLE = re.compile(r"(?i)\Asửa\s+đổi,?\s+bổ\s+sung\s+(?:một\s+số\s+điều\s+)?(?:của\s+)?(?:các\s+)?luật\s+")
NEXT_LAW_IN_TITLE = re.compile(r"\s*(?:,|(?<![\wđĐ])và)?\s*(?<![\wđĐ])Luật\s+")
CHANGES = ("amends", "replaces", "repeals")  # relations a document cannot have with one of higher rank
CENTRAL_RANK, LOCAL_RANK = 6, 7


@dataclass(frozen=True)
class Link:
    """A relation between two cited documents, with where the text states it."""

    source: Found
    relation: str
    target: Found
    rule: str
    start: int
    end: int


@dataclass(frozen=True)
class Typed:
    """A found citation with its relation from the citing document (based_on, repeals … or just cites), and the
    relations it has with other citations."""

    found: Found
    relation: str
    rule: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Cue:
    relation: str
    voice: str  # "active" | "passive" | "between"
    start: int


# --- cue patterns --------------------------------------------------------------------------------------------------
@cache
def _clause_start_re() -> re.Pattern:
    cues = vocab().relation_cues
    alts = [f"(?P<{rel}>{cue_alternation(spec['clause_start'])})" for rel, spec in cues.items() if "clause_start" in spec]
    return re.compile(rf"(?i:{'|'.join(alts)})(?![\wđĐ])")


@cache
def _cue_before_re() -> re.Pattern:
    connectors = cue_alternation(vocab().connectors)
    between = rf"(?:\s*(?:{connectors}|\d+[a-z]?|[a-zđ](?=\s)|,))*\s*"
    alts = [f"(?P<{rel}_{voice}>{cue_alternation(spec[voice])})"
            for rel, spec in vocab().relation_cues.items() for voice in ("passive", "active", "between") if voice in spec]
    attached = f"(?:{cue_alternation(vocab().attachments)}){ATTACHED_TO}"
    return re.compile(rf"(?<![\wđĐ])(?i:{'|'.join(alts)}){between}(?:{attached})?\Z")


@cache
def _list_opener_re() -> re.Pattern:
    alts = [f"(?P<{rel}>{cue_alternation(spec['list_opener'])})"
            for rel, spec in vocab().relation_cues.items() if "list_opener" in spec]
    return re.compile(rf"(?<![\wđĐ])(?i:{'|'.join(alts)})(?![\wđĐ])")


@cache
def _document_noun_re() -> re.Pattern:
    """What names documents other than the citing one: "văn bản", a type word not followed by "này"."""
    return re.compile(rf"(?<![\wđĐ])(?:văn\s+bản|(?i:{type_words()}))(?![\wđĐ])(?!\s+này)")


@cache
def _first_division_re() -> re.Pattern:
    """The body's first division; a numbered preamble line ("1. Căn cứ …") is not one."""
    cues = [c for spec in vocab().relation_cues.values() for c in spec.get("clause_start", ())]
    return re.compile(rf"{FIRST_DIVISION}(?![*_\s]*(?i:{cue_alternation(cues)}))")


def rank(doc_type: str | None, issuer: str | None, kind: str = "document") -> int | None:
    """A document's legal rank (1 highest), from its type or its issuer; None when neither tells."""
    by_type, by_issuer = vocab().rank_by_type, vocab().rank_by_issuer
    if doc_type in by_type:
        return by_type[doc_type]
    if kind == "law":
        return by_type["Luật"]
    if not issuer:
        return None
    for prefix, r in by_issuer:
        if issuer.startswith(prefix):
            return r
    scope = vocab().issuer_scope(issuer)
    return CENTRAL_RANK if scope == "central" else LOCAL_RANK if scope == "local" else None


def rank_of_number(key: str | None, doc_type: str | None) -> int | None:
    """The rank of a document known by its number ("44/2025/QĐ-TTg", "384-QĐ/TW") and type."""
    return rank(doc_type, issuer_code_of(key))


def _found_rank(f: Found) -> int | None:
    return rank(f.type, f.issuer_code, f.kind)


def may_change(source: int | None, target: int | None) -> bool:
    """Whether a document of rank `source` can amend, replace or repeal one of rank `target` (unknown: yes)."""
    return source is None or target is None or source <= target


def preamble_end(text: str, start: int = 0) -> int:
    """Where the body's first division opens (the end of the text when there is none)."""
    m = _first_division_re().search(text, start)
    return m.start() if m else len(text)


# --- clauses -------------------------------------------------------------------------------------------------------
def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """(where the break before it starts, where the clause holding `pos` begins): after the last clause break in the
    CLAUSE_REACH characters before it (-1 for the break when there is none). Most clauses are short, so a near window
    is tried first; a break found well inside it is the last one."""
    near = max(0, pos - NEAR_REACH)
    last = None
    for last in CLAUSE_BREAK.finditer(text, near, pos):
        pass
    if last is not None and (last.start() >= near + BREAK_SETTLED or near == 0):
        return last.start(), last.end()
    lo = max(0, pos - CLAUSE_REACH)
    bounds = (-1, lo)
    for m in CLAUSE_BREAK.finditer(text, lo, pos):
        bounds = (m.start(), m.end())
    return bounds


def _opening_cue(text: str, clause: int, pos: int) -> str | None:
    m = _clause_start_re().match(text, LIST_MARKER.match(text, clause, pos).end(), pos)
    return m.lastgroup if m else None


class _Openings:
    """The clause-initial cue of each clause of the preamble, a clause that opens with a citation taking the cue of
    the clause before it."""

    def __init__(self, text: str, citations: list[Found], end: int):
        self.text, self.end = text, end
        self.starts = [c.start for c in citations]

    def _opens_with_citation(self, clause: int, limit: int) -> bool:
        at = LIST_MARKER.match(self.text, clause, limit).end()
        i = bisect.bisect_left(self.starts, at)
        return i < len(self.starts) and self.starts[i] == at

    def of(self, brk: int, clause: int, pos: int) -> str | None:
        """The cue of the clause that starts at `clause` after the break at `brk` and holds `pos`."""
        if pos >= self.end:
            return None
        for _ in range(MAX_LIST_CLAUSES):
            if cue := _opening_cue(self.text, clause, pos):
                return cue
            if not self._opens_with_citation(clause, pos) or brk < 0 or not LIST_CONTINUES.match(self.text, brk):
                return None
            pos, (brk, clause) = brk, _clause_bounds(self.text, brk)
        return None


def _cue_right_before(text: str, lo: int, pos: int) -> Cue | None:
    m = _cue_before_re().search(text, lo, pos)
    if not m:
        return None
    relation, voice = m.lastgroup.rsplit("_", 1)
    if voice == "between" and not BETWEEN_TARGET.fullmatch(text, m.end(m.lastgroup), pos):
        return None  # "thực hiện theo quy định tại Nghị định …" follows a rule; it implements nothing
    return Cue(relation, voice, m.start())


def _self_subject(text: str, clause: int, cue: Cue, pos: int, section: str) -> str | None:
    """How the citing document is the subject ("" for its title or "… này" in the clause, "+opens_clause" when the cue
    opens the clause: "Điều 3. Bãi bỏ …"), or None when it is not."""
    if section == "header" or SELF_SUBJECT.search(text[clause:pos]):
        return ""
    if cue.voice == "active" and LIST_MARKER.match(text, clause, cue.start).end() == cue.start:
        return "+opens_clause"
    return None


# --- typing --------------------------------------------------------------------------------------------------------
def type_relations(text: str, citations: list[Found], sections: list[str], doc_start: int = 0,
                   own_rank: int | None = None) -> list[Typed]:
    """Relations of each citation; `sections[i]` is the section of citations[i]; `own_rank` the citing document's
    legal rank (see `rank`), when known."""
    openings = _Openings(text, citations, preamble_end(text, doc_start))
    typed: list[Typed] = []
    for i, found in enumerate(citations):
        if sections[i] == "related":
            typed.append(_related_item(found, citations[i - 1] if i else None, typed[-1] if typed else None, text))
            continue
        brk, clause = _clause_bounds(text, found.start)
        earlier = [typed[j] for j in _in_clause(citations, i, clause) if sections[j] != "related"]
        opening = openings.of(brk, clause, found.start) if sections[i] in ("header", "body") else None
        typed.append(_typed(text, found, clause, earlier, opening, sections[i]))
    typed = _within_rank(_list_members(text, typed, openings.end), own_rank)
    return _resolve_law_names(typed)


def _within_rank(typed: list[Typed], own_rank: int | None) -> list[Typed]:
    """The citing document changes no document of higher rank: where its text seems to say so, it proposes or quotes."""
    return [replace(t, relation="cites", rule=f"{t.rule}+outranked")
            if t.relation in CHANGES and not may_change(own_rank, _found_rank(t.found)) else t for t in typed]


def _in_clause(citations: list[Found], i: int, clause: int) -> list[int]:
    """Indices of the citations before citations[i] that end inside its clause, in order. Citations are sorted by
    start and none is longer than MAX_MENTION, so the search back stops there."""
    out = []
    for j in range(i - 1, -1, -1):
        c = citations[j]
        if clause < c.end <= citations[i].start:
            out.append(j)
        elif c.start < clause - MAX_MENTION:
            break
    return out[::-1]


def _typed(text: str, found: Found, clause: int, earlier: list[Typed], opening: str | None, section: str) -> Typed:
    previous = earlier[-1].found if earlier else None
    cue = _cue_right_before(text, previous.end if previous else clause, found.start)
    if cue is not None and previous is not None:
        link = _link(found, cue, earlier)
        return Typed(found, "cites", "title_mention", (link,) if link else ())
    subject = _self_subject(text, clause, cue, found.start, section) if cue and cue.voice != "between" else None
    if subject is not None:
        return Typed(found, cue.relation, f"cue:{cue.relation}{subject}")
    if listed := _coordinated_with(text, found, earlier):
        return _like(listed[0], found, listed[1])
    if previous is None and opening:
        return Typed(found, opening, f"clause_start:{opening}")
    return Typed(found, "cites", "title_mention" if previous is not None else "default")


def _link(found: Found, cue: Cue, earlier: list[Typed]) -> Link | None:
    """The relation the cue states between this citation and one before it in the clause: the last one, or, when a
    change to a law would come from a lower-ranked document, the last one that document can change."""
    other = earlier[-1].found
    if cue.voice == "passive" and cue.relation in CHANGES:
        other = next((t.found for t in reversed(earlier) if _can_change(found, t.found)), other)
    source, target = (found, other) if cue.voice == "passive" else (other, found)
    return _ordered(source, cue.relation, target, min(source.start, target.start), max(source.end, target.end))


def _can_change(source: Found, target: Found) -> bool:
    return may_change(_found_rank(source), _found_rank(target))


def _coordinated_with(text: str, found: Found, earlier: list[Typed]) -> tuple[Typed, bool] | None:
    """The citation this one is listed with, and whether a "và"/"hoặc" joins them. After a "và" or a comma: the last
    one of its type and kind in the clause (a title may run on between them: "sửa đổi Nghị định A … về X và Nghị định
    B"), else the one right before it. Without: the one right before it, when only that one's date and issuer stand
    between them."""
    if not earlier:
        return None
    previous = earlier[-1]
    if m := COORDINATOR_BEFORE.search(text, max(previous.found.end, found.start - COORDINATOR_REACH), found.start):
        same = (t for t in reversed(earlier) if t.found.type == found.type and t.found.kind == found.kind)
        return next(same, previous), bool(m["conjunction"])
    return (previous, False) if ADJACENT_GAP.fullmatch(text, previous.found.tail_end, found.start) else None


def _in_date_order(link: Link) -> bool:
    return not (link.source.year and link.target.year and link.source.year < link.target.year)


def _like(sibling: Typed, found: Found, conjoined: bool) -> Typed:
    """This citation takes the relations of the one it is listed with. A comma after the target of "A sửa đổi B" may
    as well start a new item of a longer list ("…, Nghị định A sửa đổi Nghị định B, Nghị định C …"), so only a
    "và" makes this one a target too; the sources of a passive cue ("được sửa đổi bởi A, B") list with commas."""
    links = tuple(
        replace(link, source=found if link.source is sibling.found else link.source,
                target=found if link.target is sibling.found else link.target,
                start=min(link.start, found.start), end=max(link.end, found.end))
        for link in sibling.links if conjoined or link.target is not sibling.found
    )
    links = tuple(link for link in links if _in_date_order(link) and not (link.source.key and link.source.key == link.target.key))
    rule = sibling.rule if sibling.rule.endswith("+listed") else f"{sibling.rule}+listed"
    return Typed(found, sibling.relation, rule, links)


def _ordered(source: Found, relation: str, target: Found, start: int, end: int) -> Link | None:
    if source.key and source.key == target.key:
        return None  # "Nghị định số 123 … Nghị định số 123": one document named twice states no relation
    rule = f"cue:{relation}"
    if source.year and target.year and source.year < target.year:
        return Link(target, relation, source, rule + "+date_order", start, end)
    return Link(source, relation, target, rule, start, end)


def _related_item(found: Found, previous: Found | None, previous_typed: Typed | None, text: str) -> Typed:
    """In a related-documents list the first document of each line is the related one; later ones on the same line
    belong to its title ("Nghị định 107/2021/NĐ-CP sửa đổi Nghị định 61/2018/NĐ-CP …")."""
    line_start = text.rfind("\n", 0, found.start) + 1
    first_on_line = previous is None or previous.start < line_start
    if first_on_line:
        return Typed(found, "related", "related_list")
    cue = _cue_right_before(text, previous.end, found.start)
    links = ()
    if cue and cue.voice != "passive":
        link = _ordered(previous, cue.relation, found, previous.start, found.end)
        links = (link,) if link else ()
    return Typed(found, "title_mention", "related_title", links)


# --- lists opened by a cue -----------------------------------------------------------------------------------------
def _list_members(text: str, typed: list[Typed], body_start: int) -> list[Typed]:
    """"Bãi bỏ các văn bản sau:" / "Các quyết định sau hết hiệu lực …:" then items: the citing document repeals
    (replaces) the first document of each item."""
    starts = [t.found.start for t in typed]
    out = list(typed)
    for m in _list_openers(text, body_start):
        for lo, hi in _opened_list(text, m, starts):
            i = bisect.bisect_left(starts, lo)
            if out[i].relation == "cites":
                out[i] = replace(out[i], relation=m.lastgroup, rule=f"list:{m.lastgroup}")
    return out


def _list_openers(text: str, pos: int):
    """_list_opener_re's matches from pos: the cues' first words are found with str.find in the lower-cased text and
    the pattern tried only there (a case-insensitive alternation tried at every position costs 1.3 s over the
    corpus, str.find 0.1 s)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would shift
        yield from _list_opener_re().finditer(text, pos)
        return
    heads = sorted({at for head in _opener_heads() for at in _occurrences(lowered, head, pos)})
    end = pos
    for at in heads:
        if at >= end and (m := _list_opener_re().match(text, at)):
            end = m.end()
            yield m


def _occurrences(text: str, word: str, pos: int):
    while (at := text.find(word, pos)) >= 0:
        yield at
        pos = at + 1


@cache
def _opener_heads() -> frozenset[str]:
    return frozenset(cue.split()[0].lower() for spec in vocab().relation_cues.values()
                     for cue in spec.get("list_opener", ()))


def _opened_list(text: str, cue: re.Match, starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each item of the list the cue opens; none when it opens none. The opener is a list item or an
    article heading that holds the cue, has the citing document as its subject (the cue comes first, or "… này"),
    cites nothing after the cue, and ends with ":" (a heading may end without); its next line opens an item."""
    first = _next_item_line(text, cue.end())
    if first is None or _has_citation(starts, cue.end(), first):
        return []
    opener_start = _opener_start(text, cue.start())
    if opener_start is None:
        return []
    opener = text[opener_start:first].rstrip()
    head = ARTICLE_HEADING.match(text, opener_start)
    if not (OPENER_END.search(opener) or (head and not HEADING_STOP.search(opener, cue.end() - opener_start))):
        return []
    prefix = head or ITEM_MARKER.match(text, opener_start)
    imperative = not text[prefix.end() : cue.start()].strip(" \t\n*_")
    if not (imperative or SELF_SUBJECT.search(opener)) or not _document_noun_re().search(opener):
        return []  # someone else acts, or on parts of a document ("Thay thế cụm từ … như sau:")
    opener_kind = "article" if head else prefix.lastgroup
    return _items(text, first, opener_kind, starts)


def _opener_start(text: str, cue_start: int) -> int | None:
    """The start of the line (or of the line before, for a wrapped opener) that opens the cue's item or article."""
    line = text.rfind("\n", 0, cue_start) + 1
    for start in (line, text.rfind("\n", 0, max(0, line - 1)) + 1):
        if ARTICLE_HEADING.match(text, start) or ITEM_MARKER.match(text, start):
            return start
    return None


def _has_citation(starts: list[int], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _next_item_line(text: str, pos: int) -> int | None:
    """The start of the first line after `pos` that opens a list item, if only its paragraph's lines come first."""
    line = text.find("\n", pos)
    while line >= 0 and line - pos <= OPENER_REACH:
        start = line + 1
        if ITEM_MARKER.match(text, start):
            return start
        if ARTICLE_HEADING.match(text, start) or TABLE_ROW.match(text, start):
            return None
        line = text.find("\n", start)
    return None


def _items(text: str, first: int, opener_kind: str, starts: list[int]) -> list[tuple[int, int]]:
    """Items of the marker kind of the first one, each up to the next; nested items of another kind stay inside.
    An article heading, a table row, an item of the opener's own kind or an item that cites nothing ends the list."""
    kind = ITEM_MARKER.match(text, first).lastgroup
    items: list[tuple[int, int]] = []
    start = first
    for line in _line_starts(text, first):
        if line == first:
            continue
        marker = ITEM_MARKER.match(text, line)
        ends = ARTICLE_HEADING.match(text, line) or TABLE_ROW.match(text, line)
        if ends or (marker and marker.lastgroup in (kind, opener_kind)):
            if not _has_citation(starts, start, line):
                return items
            items.append((start, line))
            start = line
            if ends or marker.lastgroup != kind:
                return items
    if _has_citation(starts, start, len(text)):
        items.append((start, len(text)))
    return items


def _line_starts(text: str, pos: int):
    while pos < len(text):
        yield pos
        end = text.find("\n", pos)
        if end < 0:
            return
        pos = end + 1


# --- laws named by title -------------------------------------------------------------------------------------------
def _resolve_law_names(typed: list[Typed]) -> list[Typed]:
    """A law named by title in a relation is the one the document cites with a number under that title; an amending
    law ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B số …") amends each law its title names."""
    numbered: dict[str, list[Found]] = {}
    for t in typed:
        f = t.found
        if f.kind == "law" and f.key and f.title and not AMENDING_LAW_TITLE.match(f.title):
            numbered.setdefault(_title_key(f.title), []).append(f)
    if not numbered:
        return typed
    out = []
    for t in typed:
        links = tuple(_resolved(link, numbered) for link in t.links) + _amended_by_title(t.found, numbered)
        out.append(replace(t, links=links) if links != t.links else t)
    return out


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def _numbered_as(title: str, numbered: dict[str, list[Found]], by: Found) -> Found | None:
    """The latest numbered version of the law that is not later than the document `by`."""
    versions = [f for f in numbered.get(_title_key(title), []) if f.key != by.key and (not by.year or not f.year or f.year <= by.year)]
    return max(versions, key=lambda f: f.year or 0) if versions else None


def _resolved(link: Link, numbered: dict[str, list[Found]]) -> Link:
    if link.target.key is None and link.target.kind == "law" and link.target.title:
        if version := _numbered_as(link.target.title, numbered, link.source):
            return replace(link, target=version, rule=link.rule + "+name_resolved")
    return link


def _amended_by_title(found: Found, numbered: dict[str, list[Found]]) -> tuple[Link, ...]:
    m = AMENDING_LAW_TITLE.match(found.title or "") if found.key else None
    if not m:
        return ()
    links = []
    for name in NEXT_LAW_IN_TITLE.split(found.title[m.end():]):
        if name.strip() and (version := _numbered_as(canonical_law_title(name), numbered, found)):
            links.append(Link(found, "amends", version, "amending_title+name_resolved", found.start, found.end))
    return tuple(links)
