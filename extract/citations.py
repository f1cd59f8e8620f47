"""Find mentions of documents in normalised text: numbered citations, laws by name, short forms, self mentions.

This module only finds; extract.resolve decides identities (province, year, short forms, self references) and
extract.relations types the relations. Offsets here are into the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from extract import patterns as P
from extract.vocab import vocab

LOOKBACK = 48  # chars before a number searched for its type phrase
LOOKAHEAD = 120  # chars after a number searched for its date and issuer
LIST_REACH = 90  # max chars between two members of one list ("…/NĐ-CP, số 108/2020/NĐ-CP")


@dataclass(frozen=True)
class Found:
    """A document mention in the normalised text, before identity resolution."""

    start: int
    end: int
    key: str | None
    type: str | None
    year: int | None  # the year inside the number, or after a law's title
    date: str | None
    issuer_code: str | None
    issuer_phrase: str | None  # "Chủ tịch UBND tỉnh Quảng Ngãi" from "… của Chủ tịch UBND tỉnh Quảng Ngãi"
    rule: str
    tail_end: int  # end of the date / issuer phrase that follows the mention
    title: str | None = None
    kind: str = "document"
    alias: str | None = None
    type_code: str | None = None  # the type written inside the number (NĐ in 61/2018/NĐ-CP)

    @property
    def serial(self) -> str | None:
        return re.split(r"[/-]", self.key, maxsplit=1)[0] if self.key else None


@dataclass(frozen=True)
class ShortForm:
    """A short form: its definition "(Nghị định 61)" or a later use "Nghị định 61"."""

    start: int
    end: int
    alias: str  # normalised: single spaces, "số" dropped
    is_definition: bool


@dataclass(frozen=True)
class SelfMention:
    start: int
    end: int
    type: str


# --- numbers -------------------------------------------------------------------------------------------------------
def _clean_key(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def split_code(code: str) -> tuple[str | None, str | None]:
    """("NĐ", "CP") for NĐ-CP; (None, "UBND") for UBND-KSTTHC; (None, "SNNPTNT") for SNNPTNT."""
    segments = code.split("-")
    if len(segments) > 1 and segments[0] in vocab().type_by_code:
        return segments[0], segments[1]
    return None, segments[0]


def _type_from_word(word: str | None) -> str | None:
    return vocab().type_by_word.get(re.sub(r"\s+", " ", word).casefold()) if word else None


def _iso(day: str, month: str, year: str) -> str | None:
    d, m, y = int(day), int(month), int(year)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _tail(text: str, end: int) -> tuple[str | None, str | None, int | None, int]:
    """Date, issuer phrase and "năm YYYY" right after a mention, and where they end."""
    window = text[end : end + LOOKAHEAD]
    date = year = issuer = None
    pos = 0
    for _ in range(2):  # "ngày 01/01/2021 của Chính phủ" or "của Chính phủ ngày 01/01/2021"
        if date is None and year is None and (m := P.date_after_re().match(window, pos)):
            date, pos = _iso(m["day"], m["month"], m["dyear"]), m.end()
        elif date is None and year is None and (m := P.year_after_re().match(window, pos)):
            year, pos = int(m["nyear"]), m.end()
        if issuer is None and (m := P.issuer_after_re().match(window, pos)):
            issuer = _issuer_phrase(m["issuer"])
            pos = m.start("issuer") + len(issuer)
    return date, issuer, year, end + pos


ISSUER_PHRASE_END = re.compile(
    r"\s+(?:ng[àa]y\s+\d|về\s|ban hành|quy định|phê duyệt|hướng dẫn|sửa đổi|bổ sung|thay thế|bãi bỏ|tại\s|theo\s|"
    r"và\s|để\s|đã\s|trong\s|năm\s+\d)|\s*\d"
)


def _issuer_phrase(phrase: str) -> str:
    """"Chính phủ ngày 01/01/2021 về …" -> "Chính phủ" (the date that follows is read separately)."""
    return ISSUER_PHRASE_END.split(phrase, maxsplit=1)[0].rstrip()


def _number_parts(m: re.Match) -> tuple[str, str | None, str | None, int | None]:
    """key, type code, issuer code and in-number year of a NUMBER match."""
    key = _clean_key(m.group(0))
    year = int(m["year"]) if m["year"] else None
    if m["party"]:
        return key, m["ptype"], m["porg"], year
    type_code, issuer = split_code(_clean_key(m["code"]))
    return key, type_code, issuer, year


def _type_before(text: str, start: int) -> re.Match | None:
    return P.type_before_re().search(text, max(0, start - LOOKBACK), start)


def _resolve_type(word_type: str | None, type_code: str | None, inherited: str | None) -> str:
    code_type = vocab().type_by_code.get(type_code) if type_code else None
    if word_type and not (word_type == "Công văn" and code_type):
        return word_type
    return code_type or inherited or "Công văn"


def find_numbers(text: str, absorbed: frozenset[int] = frozenset()) -> list[Found]:
    """Every numbered citation, with its type phrase, date and issuer phrase; lists share their type."""
    found: list[Found] = []
    for m in P.iter_numbers(text):
        if m.start() in absorbed or P.not_document_before_re().search(text, max(0, m.start() - 24), m.start()):
            continue
        key, type_code, issuer, year = _number_parts(m)
        before = _type_before(text, m.start())
        previous = found[-1] if found else None
        in_list = before is None and previous is not None and _continues_list(text, previous, m.start())
        word_type = _type_from_word(before["type"]) if before else None
        doc_type = _resolve_type(word_type, type_code, previous.type if in_list else None)
        date, issuer_phrase, after_year, tail_end = _tail(text, m.end())
        found.append(
            Found(
                start=before.start() if before else m.start(),
                end=m.end(),
                key=key,
                type=doc_type,
                year=year or after_year,
                date=date,
                issuer_code=issuer,
                issuer_phrase=issuer_phrase,
                rule="typed_number" if before else ("list_member" if in_list else "bare_number"),
                tail_end=tail_end,
                type_code=type_code,
            )
        )
    return found


def _continues_list(text: str, previous: Found, start: int) -> bool:
    gap_start = previous.end
    return start - gap_start <= LIST_REACH and bool(P.list_gap_re().match(text[gap_start:start]))


# --- laws by name --------------------------------------------------------------------------------------------------
LAW_STOP = (
    "năm|ngày|số|và|của|về|theo|tại|được|đã|để|trong|với|thì|này|hiện|có|là|do|cho|hoặc|nhằm|sau|trước|quy|ban|gồm|"
    "bao|các|những|mới|cũ|đối|khi|như|thuộc|nêu|trên|dưới|đến|từ|vào"
)
LAW_WORD = r"[^\s\d,;.()\[\]\"“”:|*]+(?![\d*])"  # a word of a title: no digits, no markdown
LAW_WORD_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*(?=[a-zà-ỹđ]))"  # a wrapped title continues in lower case
AMENDING_LAW = r"sửa\s+đổi,?\s+bổ\s+sung\s+một\s+số\s+điều\s+của\s+(?:các\s+)?(?:Luật|luật)\s+[^;()\n]*?(?:\n[^;()\n]*?)?"
AMENDING_LAW_END = r"(?=\s+(?:năm|NĂM)\s+\d{4}|\s+ngày\s+\d|\s+số\s*:?\s*\d|\s*[;()]|\s*\.\s|\s*$)"


@cache
def law_re() -> re.Pattern:
    """Use it through _law_matches (a law's name starts a word)."""
    known = "|".join(
        re.escape(t).replace(r"\ ", r"\s+") for t in sorted(vocab().laws, key=len, reverse=True)
    )
    return re.compile(
        rf"(?P<head>Bộ\s+luật|Luật)\s+"
        rf"(?:(?P<amending>{AMENDING_LAW}){AMENDING_LAW_END}"
        rf"|(?P<known>(?i:{known}))(?![\wđĐ])"
        rf"|(?P<generic>{LAW_WORD}(?:{LAW_WORD_GAP}(?!(?:{LAW_STOP})(?![\wđĐ])){LAW_WORD}){{0,7}}))"
    )


LAW_CUE = re.compile("uật")  # a literal: re skips ahead to it far faster than to law_re's first letters
BO_BEFORE = re.compile(r"Bộ\s+\Z")


def _law_matches(text: str):
    """The matches of law_re that start a word, found from each "uật": "Luật …" and "Bộ luật …"."""
    pattern, pos = law_re(), 0
    for cue in LAW_CUE.finditer(text):
        at = cue.start() - 1
        if at < pos:
            continue
        if text[at] == "l" and (bo := BO_BEFORE.search(text, max(0, at - 8), at)):
            at = bo.start()
        elif text[at] != "L":
            continue
        if at < pos or (at and P.WORD_CHAR.match(text, at - 1)):
            continue
        if m := pattern.match(text, at):
            yield m
            pos = m.end()


LAW_YEAR_AFTER = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?(?:(?:năm|NĂM)\s+)?(?P<year>(?:19|20)\d{2})(?!\d|/)")
LAW_NUMBER_AFTER = re.compile(r"\s*(?:số\s*:?\s*)")


@cache
def _abbreviation_re() -> re.Pattern:
    words = "|".join(map(re.escape, sorted(vocab().abbreviations, key=len, reverse=True)))
    return re.compile(rf"(?<![\wđĐ])(?:{words})(?![\wđĐ])")


def _canonical_law_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    title = _abbreviation_re().sub(lambda m: vocab().abbreviations[m.group(0)], title)
    return vocab().laws.get(title.casefold(), title)


def find_laws(text: str) -> tuple[list[Found], frozenset[int]]:
    """Laws by name; also the start of a number that follows one ("Luật Doanh nghiệp số 59/2020/QH14")."""
    laws: list[Found] = []
    absorbed: set[int] = set()
    for m in _law_matches(text):
        title = m["amending"] or m["known"] or m["generic"]
        if m["generic"] and (not title[0].isupper() or title.split()[0] in {"này", "Này"}):
            continue
        found = _law_found(text, m, title)
        if number := _number_after_law(text, m.end()):
            absorbed.add(number.start())
            key, _, issuer, year = _number_parts(number)
            found = replace(found, key=key, issuer_code=issuer, year=year or found.year, end=number.end(),
                            rule="law_number", tail_end=max(found.tail_end, number.end()))
        laws.append(found)
    return laws, frozenset(absorbed)


def _law_found(text: str, m: re.Match, title: str) -> Found:
    date, issuer_phrase, year, tail_end = _tail(text, m.end())
    if year is None and (y := LAW_YEAR_AFTER.match(text, m.end(), m.end() + 12)):
        year, tail_end = int(y["year"]), max(tail_end, y.end())
    law_type = "Bộ luật" if m["head"].startswith("Bộ") else "Luật"
    return Found(
        start=m.start(), end=m.end(), key=None, type=law_type, year=year or (int(date[:4]) if date else None),
        date=date, issuer_code=None, issuer_phrase=issuer_phrase, rule="law_name", tail_end=tail_end,
        title=_canonical_law_title(title), kind="law",
    )


def _number_after_law(text: str, end: int) -> re.Match | None:
    lead = LAW_NUMBER_AFTER.match(text, end, end + 12)
    if not lead:
        return None
    return P.bounded_match(P.number_re(), text, P.NUMBER_BLOCKER, lead.end())


# --- short forms and self mentions ---------------------------------------------------------------------------------
def normalise_alias(alias: str) -> str:
    alias = re.sub(r"\s+", " ", alias).strip()
    return re.sub(r"(?i)\s+số\s+", " ", alias).casefold()


def find_short_forms(text: str) -> list[ShortForm]:
    forms = [
        ShortForm(m.start(), m.end(), normalise_alias(m["alias"] or m["free"]), True)
        for m in P.short_definition_re().finditer(text)
    ]
    definitions = [(f.start, f.end) for f in forms]
    for m in P.iter_bounded(P.short_mention_re(), text, P.WORD_CHAR):
        if not any(start <= m.start() < end for start, end in definitions):  # "(Nghị định 61)" itself
            forms.append(ShortForm(m.start(), m.end(), normalise_alias(m.group(0)), False))
    return forms


def find_free_alias_uses(text: str, aliases: list[str], after: int) -> list[ShortForm]:
    """Later uses of free-form aliases ("Đề án 06") defined in the text."""
    uses = []
    for alias in aliases:
        body = r"\s+".join(map(re.escape, alias.split()))
        pattern = re.compile(rf"(?<![\wđĐ]){body}(?![\wđĐ/])", re.IGNORECASE)
        uses += [ShortForm(m.start(), m.end(), alias, False) for m in pattern.finditer(text, after)]
    return uses


def find_self_mentions(text: str) -> list[SelfMention]:
    """"Kế hoạch này", "Quyết định này": the document itself."""
    mentions = []
    for m in P.NAY.finditer(text):
        gap = m.start()
        while gap and text[gap - 1].isspace():
            gap -= 1
        if gap == m.start():
            continue
        if before := P.type_word_before_re().search(text, max(0, gap - 24), gap):
            mentions.append(SelfMention(before.start(), m.end(), _type_from_word(before["type"]) or before["type"]))
    return mentions
