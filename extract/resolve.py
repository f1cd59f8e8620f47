"""Identity of what extract.citations found: province and year of local documents, self references, short forms,
and conflicts in the sources (a document naming itself with another number, one key printed with two dates).
"""

from __future__ import annotations

import re
from functools import cache
from collections import defaultdict
from dataclasses import dataclass, replace

from legalkg.extract import patterns as P
from legalkg.extract.citations import Found, ShortForm, find_free_alias_uses
from legalkg.extract.vocab import data, vocab

ATTACHED_TO = re.compile(r"(?i)kèm\s+theo\s*\Z")
ATTACHMENT_LINE_HEAD = re.compile(r"[\s*_]*\(\s*(?i:ban hành\s+)?(?i:kèm\s+theo)\s*")  # up to the type word
ATTACHMENT_LINE_TAIL = re.compile(r"\s*\)[\s*_]*")


@dataclass(frozen=True)
class CitingContext:
    """What the citing document tells about itself; local citations inherit its province."""

    key: str | None
    type: str | None
    date: str | None
    place: str | None


@dataclass(frozen=True)
class Identity:
    year: int | None
    place: str | None


def find_province(phrase: str | None) -> str | None:
    if not phrase:
        return None
    m = P.province_re().search(phrase)
    return vocab().provinces[re.sub(r"\s+", " ", m.group(0)).casefold()] if m else None


def scope_of(found: Found) -> str | None:
    """"central" or "local" from the type (only central bodies issue a Thông tư) or the issuer code; None if unknown."""
    if found.kind == "law" or vocab().scope_by_type.get(found.type or "") == "central":
        return "central"
    return vocab().issuer_scope(found.issuer_code, leads_letter=found.type_code is None)


def identify(found: Found, ctx: CitingContext, line_hint: str | None = None) -> Identity:
    """Province and year: central documents have no province; local ones take the province named with them, then
    the one named on their line (related lists: "… tỉnh Kon Tum"), then the citing document's."""
    year = found.year or (int(found.date[:4]) if found.date else None)
    scope = scope_of(found)
    named = find_province(found.issuer_phrase)
    if scope == "central" or (scope is None and ctx.place is None and named is None):
        return Identity(year, None)
    if named is None and _names_central_issuer(found.issuer_phrase):
        return Identity(year, None) if scope is None else Identity(year, ctx.place)
    if named is None and scope is None and _names_non_state_issuer(found.issuer_phrase):
        return Identity(year, None)  # a company's letter: no province issued it
    return Identity(year, named or find_province(line_hint) or ctx.place)


def _names_central_issuer(phrase: str | None) -> bool:
    return bool(phrase) and bool(central_issuer_re().match(phrase))


def _names_non_state_issuer(phrase: str | None) -> bool:
    return bool(phrase) and bool(non_state_issuer_re().match(phrase))


@cache
def central_issuer_re() -> re.Pattern:
    return re.compile(rf"(?i:{P.cue_alternation(data('issuers.toml')['central']['names'])})")


@cache
def non_state_issuer_re() -> re.Pattern:
    return re.compile(rf"(?i:{P.cue_alternation(data('issuers.toml')['non_state']['names'])})(?![\wđĐ])")


def split_self_references(found: list[Found], ctx: CitingContext, text: str) -> tuple[list[Found], list[Found], list[Found]]:
    """(citations, mentions of the document itself, attachment lines that name it with another number).

    "(Kèm theo Quyết định số 2256/QĐ-UBND ngày 22/12/2021 …)" names the document itself only when type and date are
    its own; an amending text citing another document's annex ("ban hành kèm theo Thông tư số 24/2022/…") is a citation.
    """
    kept, itself, misnamed = [], [], []
    for f in found:
        attached = ATTACHED_TO.search(text, max(0, f.start - 24), f.start)
        names_itself = attached and f.type == ctx.type and (
            (ctx.date is not None and f.date == ctx.date) or _own_appendix_header(f, ctx, text))
        if (ctx.key and f.key == ctx.key) or (names_itself and not ctx.key):
            itself.append(f)
        elif names_itself:
            misnamed.append(f)
        else:
            kept.append(f)
    return kept, itself, misnamed


def _own_appendix_header(f: Found, ctx: CitingContext, text: str) -> bool:
    """"(Ban hành kèm theo Quyết định số 10325/QĐ-UBND)" alone on its line, with no date and the document's own
    type and code: the header of the document's own appendix, whatever its (mis)printed number."""
    if f.date is not None or not (ctx.key and f.key) or _code_of(f.key) != _code_of(ctx.key):
        return False
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.end)
    return bool(ATTACHMENT_LINE_HEAD.fullmatch(text, line_start, f.start)
                and ATTACHMENT_LINE_TAIL.fullmatch(text, f.end, len(text) if line_end < 0 else line_end))


def _code_of(key: str) -> str:
    return key.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ShortFormResult:
    uses: list[Found]  # uses of defined short forms, as citations of the documents they stand for
    unresolved: list[ShortForm]
    definitions: dict[str, Found]  # alias -> the citation it abbreviates


def resolve_short_forms(text: str, citations: list[Found], forms: list[ShortForm]) -> ShortFormResult:
    """A short form links only to a definition in the same document: "(Nghị định 61)" right after a citation of
    61/2018/NĐ-CP. Uses before the definition, or of aliases never defined, stay unresolved."""
    definitions: dict[str, Found] = {}
    defined_at: dict[str, int] = {}
    for form in (f for f in forms if f.is_definition):
        target = _defined_citation(form, citations)
        if target and form.alias not in definitions:
            definitions[form.alias] = target
            defined_at[form.alias] = form.end
    uses, unresolved = [], []
    free = free_aliases(definitions)
    all_uses = [f for f in forms if not f.is_definition]
    all_uses += [u for u in find_free_alias_uses(text, free, 0) if not _inside_definition(u, forms)]
    for use in sorted(set(all_uses), key=lambda u: u.start):
        target = definitions.get(use.alias)
        if target and use.start >= defined_at[use.alias]:
            uses.append(replace(target, start=use.start, end=use.end, tail_end=use.end, rule="short_form", alias=text[use.start:use.end]))
        else:
            unresolved.append(use)
    return ShortFormResult(uses, unresolved, definitions)


def free_aliases(definitions: dict[str, Found]) -> list[str]:
    """Defined short forms that are not "<type word> <number>" ("Đề án 06"): found by their own patterns."""
    return [a for a in definitions if a.split()[0] not in type_words_casefold()]


@cache
def type_words_casefold() -> frozenset[str]:
    return frozenset(w.split()[0].casefold() for w in vocab().type_by_word)


def _inside_definition(use: ShortForm, forms: list[ShortForm]) -> bool:
    return any(f.is_definition and f.start <= use.start < f.end for f in forms)


def _defined_citation(form: ShortForm, citations: list[Found]) -> Found | None:
    """The nearest citation before the definition, in the same paragraph; "(Nghị định 61)" must match its number."""
    before = [c for c in citations if c.end <= form.start and form.start - c.end <= 400]
    if not before:
        return None
    alias_serial = re.search(r"(\d+)[a-z]?$", form.alias)
    typed = form.alias.split()[0] in type_words_casefold() and alias_serial
    for candidate in reversed(before):
        if not typed:
            return candidate
        if candidate.serial and candidate.serial.lstrip("0") == alias_serial.group(1).lstrip("0"):
            return candidate
    return None


def date_conflicts(citations: list[Found]) -> list[tuple[str, list[str], list[Found]]]:
    """One key printed with different dates in one document (004 dates 107/2020/NĐ-CP twice, differently)."""
    by_key: dict[str, list[Found]] = defaultdict(list)
    for c in citations:
        if c.key and c.date:
            by_key[c.key].append(c)
    out = []
    for key, mentions in by_key.items():
        dates = sorted({m.date for m in mentions})
        if len(dates) > 1:
            out.append((key, dates, mentions))
    return out


KEY_YEAR = re.compile(r"/((?:19|20)\d{2})/")


def year_conflicts(citations: list[Found]) -> list[Found]:
    """A number whose year differs from its date's year ("61/2018/NĐ-CP ngày 23/4/2019")."""
    return [c for c in citations if not date_agrees(c)]


def date_agrees(found: Found) -> bool:
    """Whether a citation's printed date can be its document's: a number is given in the year the document is signed,
    so a date of another year is a slip in the source or a date of something else ("… của Chính phủ xong trước ngày 01
    tháng 5 năm 2026") read as the document's."""
    year = KEY_YEAR.search(found.key or "") if found.date else None
    return year is None or int(year.group(1)) == int(found.date[:4])
