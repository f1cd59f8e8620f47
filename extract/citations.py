"""Find mentions of documents in normalised text: numbered citations, laws by name, short forms, self mentions.

This module only finds; extract.resolve decides identities (province, year, short forms, self references) and
extract.relations types the relations. Offsets here are into the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from legalkg.extract import patterns as P
from legalkg.extract.vocab import data, vocab

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
BLANKS_AND_STARS = re.compile(r"[\s*]+")
BLANKS = re.compile(r"\s+")


def _clean_key(raw: str) -> str:
    return BLANKS_AND_STARS.sub("", raw)


def issuer_code_of(key: str | None) -> str | None:
    """The issuer code a number prints: "CP" for 61/2018/NĐ-CP, "TW" for 384-QĐ/TW, "UBND" for 2387/UBND-KSTTHC."""
    return split_code(key.rsplit("/", 1)[-1])[1] if key and "/" in key else None


def split_code(code: str) -> tuple[str | None, str | None]:
    """("NĐ", "CP") for NĐ-CP; (None, "UBND") for UBND-KSTTHC; (None, "SNNPTNT") for SNNPTNT."""
    segments = code.split("-")
    if len(segments) > 1 and segments[0] in vocab().type_by_code:
        return segments[0], segments[1]
    return None, segments[0]


def _type_from_word(word: str | None) -> str | None:
    return vocab().type_by_word.get(BLANKS.sub(" ", word).casefold()) if word else None


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


def number_parts(m: re.Match) -> tuple[str, str | None, str | None, int | None]:
    """key, type code, issuer code and in-number year of a NUMBER match (a footnote mark glued to it dropped)."""
    key = _clean_key(text_of_number(m))
    year = int(m["year"]) if m["year"] else None
    if m["party"]:
        return key, m["ptype"], m["porg"], year
    code = _clean_key(m["code"])
    type_code, issuer = split_code(code[: len(code) - _footnote_digits(m)])
    return key, type_code, issuer, year


def number_end(m: re.Match) -> int:
    """Where a NUMBER match ends once a footnote mark glued to its code is dropped ("…/NĐ-CP4" ends after "CP")."""
    return m.end() - _footnote_digits(m)


def text_of_number(m: re.Match) -> str:
    return m.string[m.start() : number_end(m)]


TRAILING_DIGITS = re.compile(r"(?P<letters>.*?)(?P<digits>\d+)\Z")


def without_term(code: str) -> str:
    """An issuer code without the term or session number it ends with: "UBTVQH15" -> "UBTVQH"."""
    return TRAILING_DIGITS.sub(r"\g<letters>", code)


def _footnote_digits(m: re.Match) -> int:
    """Digits glued to a code's last segment that no issuer writes: "CP4" is CP and a footnote mark 4, while QH15,
    UBTVQH14 and HĐND17 carry a term number and QLDN1 is a unit nobody lists."""
    code = m["code"]
    if not code or not code[-1].isdigit():
        return 0
    t = TRAILING_DIGITS.match(code.rsplit("-", 1)[-1])
    if t is None or not _known_issuer(t["letters"]) or t["letters"] in _term_numbered():
        return 0
    return len(t["digits"])


def _known_issuer(code: str) -> bool:
    v = vocab()
    return code in v.central_codes or code in v.local_codes


@cache
def _term_numbered() -> frozenset[str]:
    return frozenset(data("issuers.toml")["term_numbered"]["codes"])


def _type_before(text: str, start: int) -> re.Match | None:
    return P.type_before_re().search(text, max(0, start - LOOKBACK), start)


def _resolve_type(word_type: str | None, type_code: str | None, inherited: str | None, issuer: str | None = None) -> str:
    code_type = vocab().type_by_code.get(type_code) if type_code else None
    if word_type and not (word_type == "Công văn" and code_type):
        return word_type
    return code_type or inherited or _untyped_by_issuer(issuer) or "Công văn"


def _untyped_by_issuer(issuer: str | None) -> str | None:
    """The type of a bare number whose issuer issues no letters: 72/2025/QH15 is a law of the Quốc hội."""
    if not issuer:
        return None
    return data("issuers.toml")["untyped"].get(without_term(issuer))


def find_numbers(text: str, absorbed: frozenset[int] = frozenset()) -> list[Found]:
    """Every numbered citation, with its type phrase, date and issuer phrase; lists share their type."""
    found: list[Found] = []
    form_end = None  # the end of the last form number ("Mẫu số 01/TKN-CNKD"): the list it opens is of forms too
    for m in P.iter_numbers(text):
        if m.start() in absorbed:
            continue
        if P.not_document_before_re().search(text, max(0, m.start() - 24), m.start()) or (
            form_end is not None and _in_list_after(text, form_end, m.start())
        ):
            form_end = m.end()
            continue
        key, type_code, issuer, year = number_parts(m)
        before = _type_before(text, m.start())
        if m["dash"] and before is None:
            continue  # "06-2021/…" untyped is a procedure or standard code, not a document
        previous = found[-1] if found else None
        in_list = before is None and previous is not None and _continues_list(text, previous, m.start())
        word_type = _type_from_word(before["type"]) if before else None
        doc_type = _resolve_type(word_type, type_code, previous.type if in_list else None, issuer)
        end = number_end(m)
        date, issuer_phrase, after_year, tail_end = _tail(text, end)
        found.append(
            Found(
                start=before.start() if before else m.start(),
                end=end,
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
    return _share_issuers(found)


def _share_issuers(found: list[Found]) -> list[Found]:
    """A number printed once with its issuer ("… của UBND tỉnh Phú Yên (cũ)") and again without it is the same
    document: the bare mentions take the issuer the others print, when they all print the same one."""
    printed: dict[str, set[str]] = {}
    for f in found:
        if f.issuer_phrase:
            printed.setdefault(f.key, set()).add(f.issuer_phrase)
    return [replace(f, issuer_phrase=next(iter(printed[f.key])))
            if not f.issuer_phrase and len(printed.get(f.key, ())) == 1 else f for f in found]


def _continues_list(text: str, previous: Found, start: int) -> bool:
    return _in_list_after(text, previous.end, start)


def _in_list_after(text: str, end: int, start: int) -> bool:
    return start - end <= LIST_REACH and bool(P.list_gap_re().match(text[end:start]))


# --- laws by name --------------------------------------------------------------------------------------------------
LAW_STOP = (
    "năm|ngày|số|và|của|về|theo|tại|được|đã|để|trong|với|thì|này|hiện|có|là|do|cho|hoặc|nhằm|sau|trước|quy|ban|gồm|"
    "bao|các|những|mới|cũ|đối|khi|như|thuộc|nêu|trên|dưới|đến|từ|vào"
)
LAW_WORD = r"[^\s\d,;.()\[\]\"“”:|*]+(?![\d*])"  # a word of a title: no digits, no markdown
LAW_WORD_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*(?=[a-zà-ỹđ]))"  # a wrapped title continues in lower case
LAW_HEAD = r"(?P<head>Bộ\s+luật|Luật)\s+"
# A line that opens a new item of a list ("- ", "2.", "(3)", "Căn cứ …") ends a title that runs over several lines.
ITEM_OPENING = r"[ \t*_]*(?:[-+•]|\d+[.)]|\(\d+\)|[a-zđ]\)|Căn cứ|Theo đề nghị)"
NEW_ITEM_LINE = rf"\n(?=(?:{ITEM_OPENING}))"
SAME_ITEM_LINE = rf"\n(?!(?:{ITEM_OPENING}))"
MAX_TITLE_LINES = 6  # an amending law's title, hard-wrapped
AMENDING_LAW = (
    r"(?i:s)ửa\s+đổi,?\s+bổ\s+sung\s+một\s+số\s+điều\s+(?:của\s+)?(?:các\s+)?(?:Luật|luật)\s+"
    rf"[^;()|\n]*?(?:{SAME_ITEM_LINE}[^;()|\n]*?){{0,{MAX_TITLE_LINES}}}"
)
AMENDING_LAW_END = r"(?=\s+(?:năm|NĂM)\s+\d{4}|\s+ngày\s+\d|\s+số\s*:?\s*\d|\s*[;()]|\s*\.\s|\s*$)"
MAX_NUMBERED_TITLE_WORDS = 64  # "Luật sửa đổi, bổ sung một số điều của Luật A, Luật B, … và Luật E số 56/2024/QH15"
# A title that the law's number closes: "Luật Đầu tư theo phương thức đối tác công tư số 64/2020/QH14". The number,
# not a stop word, tells where the name ends, so the title may hold commas, "và", "theo" and line breaks.
NUMBERED_LAW = (
    rf"{LAW_HEAD}(?P<title>{LAW_WORD}(?:,?(?:[ \t]+|[ \t]*\r?\n[ \t]*){LAW_WORD}){{0,{MAX_NUMBERED_TITLE_WORDS - 1}}}?)"
    r"(?:\s+(?:năm|NĂM)\s+(?P<year>(?:19|20)\d{2}))?[\s*]+(?:số|Số|SỐ)[\s*]*:?[\s*]*(?=\d)"
)
LAW_IN_TITLE = re.compile(r"(?<![\wđĐ])(?:Bộ\s+luật|Luật)\s")
TITLE_REACH = 400  # max chars from a cited document's number to a law named in its title
TITLE_BREAK = re.compile(rf";|\.\s|\n[ \t]*\n|[()]|\||{NEW_ITEM_LINE}")


@cache
def law_re() -> re.Pattern:
    """Use it through _law_matches (a law's name starts a word)."""
    known = "|".join(
        re.escape(t).replace(r"\ ", r"\s+") for t in sorted(vocab().laws, key=len, reverse=True)
    )
    return re.compile(
        LAW_HEAD
        + rf"(?:(?P<amending>{AMENDING_LAW}){AMENDING_LAW_END}"
        rf"|(?P<known>(?i:{known}))(?![\wđĐ])"
        rf"|(?P<generic>{LAW_WORD}(?:{LAW_WORD_GAP}(?!(?:{LAW_STOP})(?![\wđĐ])){LAW_WORD}){{0,7}}))"
    )


@cache
def numbered_law_re() -> re.Pattern:
    return re.compile(NUMBERED_LAW)


@cache
def title_opener_re() -> re.Pattern:
    """What follows a cited document's number when its title comes next: date, issuer, then a title's first word."""
    openers = P.cue_alternation(data("laws.toml")["title"]["openers"])
    return re.compile(
        rf"(?:{P.DATE_AFTER})?[\s*]*,?[\s*]*(?:(?:của|do)\s+[^,;.()\n]{{0,90}}?)?[\s*]+(?i:{openers})(?![\wđĐ])"
    )


@cache
def future_law_before_re() -> re.Pattern:
    return re.compile(rf"(?i:{P.cue_alternation(data('laws.toml')['future']['before'])})\s+\Z")


@cache
def future_law_after_re() -> re.Pattern:
    return re.compile(rf"[ \t]*(?:{P.cue_alternation(data('laws.toml')['future']['after'])})")


LAW_CUE = re.compile("uật")  # a literal: re skips ahead to it far faster than to law_re's first letters
BO_BEFORE = re.compile(r"Bộ\s+\Z")


def _law_matches(text: str):
    """The law names that start a word, found from each "uật": "Luật …" and "Bộ luật …". A name closed by its
    number is tried first; its match has a "title" group, the others "amending", "known" or "generic"."""
    pos = 0
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
        if m := _numbered_law(text, at) or law_re().match(text, at):
            yield m
            pos = m.end()


def _numbered_law(text: str, at: int) -> re.Match | None:
    """"Luật <title> số <number>" where the title names one law (or is an amending law's title)."""
    m = numbered_law_re().match(text, at)
    if m is None:
        return None
    title = m["title"]
    amending = re.match(r"(?i)sửa\s+đổi", title)
    if not (title[0].isupper() or amending):
        return None
    if LAW_IN_TITLE.search(title) and not amending:
        return None  # "Luật A, Luật B số …": a list, only the last one numbered
    if P.type_word_in_title_re().search(title):
        return None  # "Luật Đất đai và Nghị định số 43/…": the number is the decree's
    return m


LAW_YEAR_AFTER = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?(?:(?:năm|NĂM)\s+)?(?P<year>(?:19|20)\d{2})(?!\d|/)")
LAW_NUMBER_AFTER = re.compile(r"[\s*]*(?:số|Số|SỐ)[\s*]*:?[\s*]*")


@cache
def _abbreviation_re() -> re.Pattern:
    words = "|".join(map(re.escape, sorted(vocab().abbreviations, key=len, reverse=True)))
    return re.compile(rf"(?<![\wđĐ])(?:{words})(?![\wđĐ])")


def canonical_law_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    title = _abbreviation_re().sub(lambda m: vocab().abbreviations[m.group(0)], title)
    return vocab().laws.get(title.casefold(), title)


def find_laws(text: str) -> tuple[list[Found], frozenset[int]]:
    """Laws by name; also the start of a number that follows one ("Luật Doanh nghiệp số 59/2020/QH14").

    A law named only inside the title of another cited document, or only as work to do ("dự thảo Luật …",
    "Luật … (sửa đổi)"), is not cited. A bare name that the document also prints with its number is that number."""
    laws: list[Found] = []
    absorbed: set[int] = set()
    for m in _law_matches(text):
        title = _title_of(m)
        if m.re is law_re() and m["generic"] and (not title[0].isupper() or title.split()[0] in {"này", "Này"}):
            continue
        end = m.end()
        if m.re is law_re() and m["amending"]:
            title = _amending_title(title)
            end = m.start("amending") + len(title)
        number = _law_number(text, m) if end == m.end() else None
        found = _law_found(text, m, title, number_end(number) if number else end, end)
        if number:
            absorbed.add(number.start())
            key, _, issuer, year = number_parts(number)
            found = replace(found, key=key, issuer_code=issuer, year=year or found.year, end=number_end(number),
                            rule="law_number", tail_end=max(found.tail_end, number_end(number)))
        laws.append(found)
    laws = _named_by_number(text, laws)
    named = [f for f in laws if f.rule == "law_number" or not (_future_law(text, f) or _inside_cited_title(text, f.start))]
    return named, frozenset(absorbed)


def _title_of(m: re.Match) -> str:
    return m["title"] if m.re is numbered_law_re() else m["amending"] or m["known"] or m["generic"]


def _amending_title(title: str) -> str:
    """An amending law's title ends with the last law it names: one that runs on into another document ("… của Luật
    Di sản văn hóa và Nghị định …", "… Luật Thương mại theo đề xuất … tại các Tờ trình") is cut after that law."""
    other = P.type_word_in_title_re().search(title)
    if other is None:
        return title
    names = [m for m in _law_matches(title[: other.start()]) if m.re is law_re() and (m["known"] or m["generic"])]
    return title[: names[-1].end()] if names else title


def _law_found(text: str, m: re.Match, title: str, tail_from: int, end: int | None = None) -> Found:
    date, issuer_phrase, year, tail_end = _tail(text, tail_from)
    if year is None and m.re is numbered_law_re() and m["year"]:
        year = int(m["year"])
    elif year is None and (y := LAW_YEAR_AFTER.match(text, tail_from, tail_from + 12)):
        year, tail_end = int(y["year"]), max(tail_end, y.end())
    law_type = "Bộ luật" if m["head"].startswith("Bộ") else "Luật"
    return Found(
        start=m.start(), end=end or m.end(), key=None, type=law_type, year=year or (int(date[:4]) if date else None),
        date=date, issuer_code=None, issuer_phrase=issuer_phrase, rule="law_name", tail_end=tail_end,
        title=canonical_law_title(title), kind="law",
    )


def _law_number(text: str, m: re.Match) -> re.Match | None:
    """The number that closes a law's name: right at the end of a numbered match, or after "số" otherwise."""
    if m.re is numbered_law_re():
        return P.bounded_match(P.number_re(), text, P.NUMBER_BLOCKER, m.end())
    if P.type_word_in_title_re().search(_title_of(m)):
        return None  # "… của Thông tư số 78/…": the number is the circular's
    return _number_after_law(text, m.end())


def _number_after_law(text: str, end: int) -> re.Match | None:
    lead = LAW_NUMBER_AFTER.match(text, end, end + 16)
    if not lead:
        return None
    return P.bounded_match(P.number_re(), text, P.NUMBER_BLOCKER, lead.end())


def _named_by_number(text: str, laws: list[Found]) -> list[Found]:
    """A law named bare ("Luật Đầu tư theo phương thức đối tác công tư") that the document also prints with its
    number is that numbered law: its name runs as far as the numbered title does, and it takes the number. A title
    printed with two numbers (the 2013 and the 2024 law) names one only when the bare mention's year picks it."""
    numbered: dict[str, list[Found]] = {}
    for f in laws:
        if f.key and f.title:
            numbered.setdefault(f.title.casefold(), []).append(f)
    if not numbered:
        return laws
    out: list[Found] = []
    for f in laws:
        named = None if f.key else _longest_numbered_name(text, f, numbered)
        law = _one_version(numbered[named[0]], f.year) if named else None
        if law is None:
            out.append(f)
            continue
        end = named[1]
        out.append(replace(f, key=law.key, issuer_code=law.issuer_code, year=law.year, title=law.title,
                           end=max(f.end, end), tail_end=max(f.tail_end, end), rule="law_title_number"))
    return _not_inside_earlier(out)


def _not_inside_earlier(laws: list[Found]) -> list[Found]:
    """The laws (in start order) that start inside no law that starts before them: a name that took a longer numbered
    title covers the names it now holds."""
    kept: list[Found] = []
    reach, at, reach_at = -1, None, -1  # the furthest end of the laws starting before the current start
    for f in laws:
        if f.start != at:
            reach, at, reach_at = max(reach, reach_at), f.start, -1
        if not f.start < reach:
            kept.append(f)
        reach_at = max(reach_at, f.end)
    return kept


def _longest_numbered_name(text: str, law: Found, numbered: dict[str, list[Found]]) -> tuple[str, int] | None:
    """(title, end) of the longest numbered title printed at a bare law's mention; titles it does not start are
    not tried."""
    bare = (law.title or "").casefold()
    for title in sorted((t for t in numbered if t.startswith(bare)), key=len, reverse=True):
        if m := _law_name_re(title).match(text, law.start):
            return title, m.end()
    return None


@cache
def _law_name_re(title: str) -> re.Pattern:
    body = re.escape(title).replace(r"\ ", r"\s+")
    return re.compile(rf"(?:Bộ\s+luật|Luật)\s+(?i:{body})(?![\wđĐ])")


def _one_version(versions: list[Found], year: int | None) -> Found | None:
    fitting = [v for v in versions if year is None or v.year is None or v.year == year]
    return fitting[0] if len({v.key for v in fitting}) == 1 else None


def _future_law(text: str, law: Found) -> bool:
    """"dự thảo Luật …", "xây dựng Luật …", "Luật … (sửa đổi)": a bill, not a law in force."""
    return bool(future_law_before_re().search(text, max(0, law.start - 24), law.start)
                or future_law_after_re().match(text, law.end))


def _inside_cited_title(text: str, start: int) -> bool:
    """A law named in the title of a document cited just before it, in the same clause: "Nghị định số 78/2025/NĐ-CP
    ngày 01/4/2025 của Chính phủ quy định chi tiết … Luật Ban hành văn bản quy phạm pháp luật"."""
    lo = max(0, start - TITLE_REACH)
    for brk in TITLE_BREAK.finditer(text, lo, start):
        lo = brk.end()
    last = None
    for last in P.iter_numbers(text[lo:start]):
        pass
    return last is not None and bool(title_opener_re().match(text, lo + last.end(), start))


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
