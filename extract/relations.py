"""Type the relations the text states: from the citing document to what it cites, and between two cited documents.

"Căn cứ …" → based_on, "Thực hiện …" → implements (clause-initial cues); "A … sửa đổi, bổ sung … B" → A amends B;
"B (được sửa đổi, bổ sung tại A)" → A amends B; "Quyết định này … thay thế Quyết định số 768" → the document replaces
768. The amending (replacing, guiding) document must not be the earlier one: a stated direction that contradicts
the years is flipped and the rule says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.citations import Found
from extract.patterns import cue_alternation
from extract.vocab import vocab

CLAUSE_BREAK = re.compile(
    r";|[.:](?=\s)|\n[ \t]*\n|\t|\||\n(?=[ \t]*(?:[-+•*]|\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.|Căn cứ|Thực hiện|Triển khai))"
)
CLAUSE_REACH = 600
MAX_MENTION = 2000  # characters: longer than any citation (an amending law's title included)
NEAR_REACH = 160
BREAK_SETTLED = 40  # a break this far into the near window is found the same from either window start
LIST_MARKER = re.compile(r"\A[\s\-+•*_#>]*(?:\(?\d+(?:\.\d+)*[.)]|[a-zđ]\))?[\s*_]*")
SELF_SUBJECT = re.compile(r"(?i)(?<![\wđĐ])này(?![\wđĐ])|\A\s*Điều\s+\d+[a-z]?\s*\.")


@dataclass(frozen=True)
class Typed:
    """A found citation with its relation from the citing document, and any relation it has with another citation."""

    found: Found
    relation: str
    rule: str
    link: tuple[Found, str, Found, str] | None = None  # (source, relation, target, rule)
    self_link: tuple[str, str] | None = None  # (relation, rule): the citing document amends/replaces … this one


@cache
def _clause_start_re() -> re.Pattern:
    cues = vocab().relation_cues
    alts = [f"(?P<{rel}>{cue_alternation(spec['clause_start'])})" for rel, spec in cues.items() if "clause_start" in spec]
    return re.compile(rf"(?i:{'|'.join(alts)})(?![\wđĐ])")


@cache
def _cue_before_re() -> re.Pattern:
    connectors = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(vocab().connectors, key=len, reverse=True))
    between = rf"(?:\s*(?:{connectors}|\d+[a-z]?|[a-zđ](?=\s)|,))*\s*"
    alts = []
    for rel, spec in vocab().relation_cues.items():
        if "passive" in spec:
            alts.append(f"(?P<{rel}_passive>{cue_alternation(spec['passive'])})")
        if "active" in spec:
            alts.append(f"(?P<{rel}_active>{cue_alternation(spec['active'])})")
    return re.compile(rf"(?<![\wđĐ])(?i:{'|'.join(alts)}){between}\Z")


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last clause break in the CLAUSE_REACH characters before it.
    Most clauses are short, so a near window is tried first; a break found well inside it is the last one."""
    near = max(0, pos - NEAR_REACH)
    last = None
    for last in CLAUSE_BREAK.finditer(text, near, pos):
        pass
    if last is not None and (last.start() >= near + BREAK_SETTLED or near == 0):
        return last.end()
    lo = max(0, pos - CLAUSE_REACH)
    start = lo
    for m in CLAUSE_BREAK.finditer(text, lo, pos):
        start = m.end()
    return start


def _opening_cue(text: str, clause_start: int, pos: int) -> str | None:
    marker = LIST_MARKER.match(text, clause_start, pos)
    m = _clause_start_re().match(text, marker.end() if marker else clause_start, pos)
    return m.lastgroup if m else None


def _cue_right_before(text: str, lo: int, pos: int) -> tuple[str, bool] | None:
    m = _cue_before_re().search(text, lo, pos)
    if not m:
        return None
    relation, voice = m.lastgroup.rsplit("_", 1)
    return relation, voice == "passive"


def type_relations(text: str, citations: list[Found], sections: list[str]) -> list[Typed]:
    """Relations of each citation; `sections[i]` is the section of citations[i]."""
    typed: list[Typed] = []
    for i, found in enumerate(citations):
        if sections[i] == "related":
            typed.append(_related_item(found, citations[i - 1] if i else None, typed[-1] if typed else None, text))
            continue
        clause = _clause_start(text, found.start)
        typed.append(_typed(text, found, clause, _last_in_clause(citations, i, clause), sections[i]))
    return typed


def _last_in_clause(citations: list[Found], i: int, clause: int) -> Found | None:
    """The last citation before citations[i] that ends inside its clause. Citations are sorted by start and none
    is longer than MAX_MENTION, so the search back stops there."""
    for j in range(i - 1, -1, -1):
        c = citations[j]
        if clause < c.end <= citations[i].start:
            return c
        if c.start < clause - MAX_MENTION:
            return None
    return None


def _typed(text: str, found: Found, clause: int, earlier: Found | None, section: str) -> Typed:
    opening = _opening_cue(text, clause, found.start)
    relation, rule = (opening, f"clause_start:{opening}") if opening else ("cites", "default")
    cue = _cue_right_before(text, earlier.end if earlier else clause, found.start)
    if cue is None:
        return Typed(found, relation, rule)
    cue_relation, passive = cue
    if earlier is not None:
        source, target = (found, earlier) if passive else (earlier, found)
        return Typed(found, relation, rule, link=_ordered(source, cue_relation, target))
    subject = text[clause:found.start]
    if section == "header" or SELF_SUBJECT.search(subject):
        return Typed(found, cue_relation, f"cue:{cue_relation}", self_link=(cue_relation, f"cue:{cue_relation}"))
    return Typed(found, relation, rule)


def _ordered(source: Found, relation: str, target: Found) -> tuple[Found, str, Found, str]:
    rule = f"cue:{relation}"
    if source.year and target.year and source.year < target.year:
        return target, relation, source, rule + "+date_order"
    return source, relation, target, rule


def _related_item(found: Found, previous: Found | None, previous_typed: Typed | None, text: str) -> Typed:
    """In a related-documents list the first document of each line is the related one; later ones on the same line
    belong to its title ("Nghị định 107/2021/NĐ-CP sửa đổi Nghị định 61/2018/NĐ-CP …")."""
    line_start = text.rfind("\n", 0, found.start) + 1
    first_on_line = previous is None or previous.start < line_start
    if first_on_line:
        return Typed(found, "related", "related_list")
    cue = _cue_right_before(text, previous.end, found.start)
    link = _ordered(previous, cue[0], found) if cue and not cue[1] else None
    return Typed(found, "title_mention", "related_title", link=link)
