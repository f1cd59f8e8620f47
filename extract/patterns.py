"""Regex fragments as named constants, and the compiled patterns built from them and from extract/data.

All patterns run over NFC-normalised text (extract.text). They are compiled once, at first use.
"""

from __future__ import annotations

import re
from functools import cache

from legalkg.extract.vocab import vocab

# --- fragments -------------------------------------------------------------------------------------------------------
GAP = r"[ \t*]*(?:\r?\n[ \t*]*)?"  # blanks (bold markers count as blanks), at most one line break (hard-wrapped text)
SLASH_GAP = r"[ \t*]{0,3}"  # before a slash: "22 /2026/TT-BTC", "**382**/TTr-CP"
UPPER = "A-ZĐÂĂÊÔƠƯ"
CODE_HEAD = rf"[{UPPER}][A-Za-zĐđ0-9&]*(?![\wđĐ])"  # NĐ, QĐ, TTg, KH, SNNPTNT, GDĐT, QH15
CODE_TAIL = rf"(?:TTg|[{UPPER}][{UPPER}0-9&]*)(?![\wđĐ])"  # after a hyphen that may carry a stray space
CODE = rf"{CODE_HEAD}(?:[ \t]?-{GAP}{CODE_TAIL}|-{CODE_TAIL})*"
NUMBER_HEAD = r"(?<![\w./:-])"  # not inside another token (biểu số II.05a/…, QCVN 01:2021/BYT)
MAX_SERIAL_DIGITS = 5
DECIMAL = r"\.\d{1,2}"  # a series numbered within one resolution: 66.4/2025/NQ-CP
SERIAL = rf"\d{{1,{MAX_SERIAL_DIGITS}}}(?:{DECIMAL})?[a-zđ]?"
YEAR = r"(?:19|20)\d{2}"
PARTY_TYPE = r"NQ|KH|KHHĐ|CT|CTr|QĐ|KL|TB|HD|QC|BC|CV|ĐA|TTr|QĐi|NQLT"
PARTY_ORG = rf"[{UPPER}][{UPPER}0-9]*"

# 61/2018/NĐ-CP · 131/NQ-CP · 184/KH-UBND · 1291/SNNPTNT · 422/QĐ- TTg · 04-NQ/TU · 368- QĐ/TW · 10-CTr/TU
# 28-2024/CTHĐQT-DA (group dash: a company's letter; the caller accepts it only after a type phrase)
# Compiled without NUMBER_HEAD: `iter_bounded` applies it (see there).
NUMBER_BODY = (
    rf"(?P<serial>{SERIAL})"
    rf"(?:(?P<party>-[ \t]?(?P<ptype>{PARTY_TYPE})/(?P<porg>{PARTY_ORG}))(?![\wđĐ])"
    rf"|(?:(?P<dash>-)(?={YEAR}/)|{SLASH_GAP}/{GAP})(?:(?P<year>{YEAR}){SLASH_GAP}/{GAP})?(?P<code>{CODE}))"
)
NUMBER = NUMBER_HEAD + NUMBER_BODY
NUMBER_BLOCKER = re.compile(r"[\w./:-]")  # what NUMBER_HEAD forbids before a number
WORD_CHAR = re.compile(r"[\wđĐ]")

DAY_MONTH_YEAR = (
    r"(?P<day>\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(?P<month>\d{1,2})\s*(?:/|-|\.|\s+năm\s+)\s*(?P<dyear>(?:19|20)\d{2})"
)
DATE_AFTER = rf"[ \t]*,?\s*(?:ban hành\s+)?ng[àa]y\s+{DAY_MONTH_YEAR}"
YEAR_AFTER = r"\s*(?:năm|NĂM)\s+(?P<nyear>(?:19|20)\d{2})\b"
ISSUER_AFTER = r"\s*,?\s*(?:của|do)\s+(?P<issuer>[^,;.()\n\t|]{3,90})"
NOT_DOCUMENT_BEFORE = r"(?:[Mm]ẫu|[Bb]iểu|[Bb]iểu mẫu|[Mm]ẫu biểu|tờ khai|[Tt]ài khoản|TK|mã|[Mm]ã số|ký hiệu|QCVN|TCVN|QTKĐ)\s*(?:số\s*)?:?\s*\Z"
FREE_ALIAS_HEAD = "Đề án|Chương trình|Dự án|Kế hoạch|Quy chế|Quy định|Chiến lược|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Nghị định"
LIST_GAP = (
    rf"\A[\s,]*(?:ng[àa]y\s+{DAY_MONTH_YEAR})?\s*(?:của\s+[^,;.()\n]{{3,60}}?)?[\s,]*(?:và|,|;)?\s*(?:các\s+)?(?:số\s*:?\s*)?\Z"
)


def _word_alternation(words) -> str:
    """Longest first; each word also matched with a lower-case first letter and fully upper-case."""
    forms: set[str] = set()
    for word in words:
        forms.update({word, word[0].lower() + word[1:], word.upper()})
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))


@cache
def type_words() -> str:
    return _word_alternation(vocab().type_by_word.keys() | {t.name for t in vocab().doctypes})


def iter_bounded(pattern: re.Pattern, text: str, blocker: re.Pattern, pos: int = 0):
    """The matches of `pattern` that do not follow a character `blocker` matches: the same matches as a leading
    negative lookbehind gives, found several times faster, because a pattern that opens with a lookbehind loses
    re's skip-ahead on its literal prefix or first characters."""
    while m := pattern.search(text, pos):
        start = m.start()
        if start and blocker.match(text, start - 1):
            pos = start + 1
            continue
        yield m
        pos = max(m.end(), start + 1)


def bounded_match(pattern: re.Pattern, text: str, blocker: re.Pattern, pos: int) -> re.Match | None:
    m = pattern.match(text, pos)
    return None if m is None or (pos and blocker.match(text, pos - 1)) else m


NUMBER_CUE = re.compile(r"\d[a-zđ]?(?:[ \t*]{0,3}/|-)")  # the serial's last character and the separator after it
DIGIT = re.compile(r"\d")


def iter_numbers(text: str, pos: int = 0):
    """The matches of NUMBER (NUMBER_HEAD included), found from the separator back: a number's serial ends right
    before "/" or "-", so only digits there are tried, not every digit of every date and count in the text."""
    number = number_re()
    while cue := NUMBER_CUE.search(text, pos):
        start = _serial_start(text, cue.start())
        m = None
        if start is not None and not (start and NUMBER_BLOCKER.match(text, start - 1)):
            m = number.match(text, start)
        if m is None:
            pos = cue.start() + 1
            continue
        yield m
        pos = m.end()


def _serial_start(text: str, last: int) -> int | None:
    """Where the serial that ends with the digit at `last` starts (66.4: over one decimal point), or None when it
    is longer than a serial."""
    start = _digits_start(text, last)
    if start >= 2 and text[start - 1] == "." and DIGIT.match(text, start - 2) and last - start < 2:
        whole = _digits_start(text, start - 2)
        return whole if start - 1 - whole <= MAX_SERIAL_DIGITS else None
    return start if last - start < MAX_SERIAL_DIGITS else None


def _digits_start(text: str, last: int) -> int:
    start = last
    while start and DIGIT.match(text, start - 1):
        start -= 1
    return start


@cache
def number_re() -> re.Pattern:
    """NUMBER_BODY: use it through iter_numbers, or bounded_match with NUMBER_BLOCKER."""
    return re.compile(NUMBER_BODY)


@cache
def type_before_re() -> re.Pattern:
    """The type phrase that ends right before a number: "Nghị định số ", "Công văn số: ", "NGHỊ QUYẾT SỐ "."""
    return re.compile(rf"(?<![\wđĐ])(?P<type>{type_words()})[\s*]*(?:(?:số|Số|SỐ)[\s*]*(?:hiệu\s*)?:?[\s*]*)?\Z")


@cache
def date_after_re() -> re.Pattern:
    return re.compile(DATE_AFTER)


@cache
def year_after_re() -> re.Pattern:
    return re.compile(YEAR_AFTER)


@cache
def issuer_after_re() -> re.Pattern:
    return re.compile(ISSUER_AFTER)


@cache
def list_gap_re() -> re.Pattern:
    return re.compile(LIST_GAP)


@cache
def not_document_before_re() -> re.Pattern:
    return re.compile(NOT_DOCUMENT_BEFORE)


NAY = re.compile(r"này(?![\wđĐ])")  # literal first: searching the type words at every position is slow


@cache
def type_word_before_re() -> re.Pattern:
    return re.compile(rf"(?<![\wđĐ])(?P<type>{type_words()})\Z")


@cache
def type_word_in_title_re() -> re.Pattern:
    """A capitalised type word other than a law's ("Nghị định", "Thông tư"): a law's title never holds one."""
    words = {w for t in vocab().doctypes if t.name != "Luật" for w in t.words if w[0].isupper()}
    return re.compile(rf"(?<![\wđĐ])(?:{cue_alternation(words)})(?![\wđĐ])")


@cache
def short_mention_re() -> re.Pattern:
    """A capitalised type and a bare number without its code, on one line: "Nghị định 61", "Thông tư số 01".

    Use it through iter_bounded with WORD_CHAR (it must start a word)."""
    capitalised = {w for t in vocab().doctypes for w in t.words if w[0].isupper()}
    words = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(capitalised, key=len, reverse=True))
    return re.compile(rf"(?P<type>{words})[ \t]+(?:số[ \t]+)?(?P<serial>\d{{1,5}})(?![\d/\wđĐ-])(?![.,]\d)")


@cache
def short_definition_re() -> re.Pattern:
    """"(Nghị định 61)", "(viết tắt là Đề án 06)", "(sau đây gọi tắt là Quyết định 2855)"."""
    return re.compile(
        rf"\(\s*(?:(?:sau đây\s+)?(?:được\s+)?(?:gọi|viết)\s+tắt\s+(?:là\s+)?|gọi là\s+)?"
        rf"(?P<alias>(?:{type_words()}|Đề án|Chương trình|Kế hoạch)\s+(?:số\s+)?\d{{1,5}}[a-z]?)\s*\)"
        rf"|\(\s*(?:sau đây\s+)?(?:được\s+)?(?:gọi|viết)\s+tắt\s+là\s+(?P<free>(?:{FREE_ALIAS_HEAD})[ \t]+[^()\n]{{1,30}}?)\s*\)"
    )


@cache
def province_re() -> re.Pattern:
    names = sorted(vocab().provinces, key=len, reverse=True)
    alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\wđĐ])(?:{alternation})(?![\wđĐ])", re.IGNORECASE)


def cue_alternation(cues) -> str:
    return "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
