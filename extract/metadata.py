"""The citing document's own metadata: number (số hiệu), type, date, province, issuer, signer, title, status.

Read from the document header ("Số: 184/KH-UBND", "Quảng Ngãi, ngày 30 tháng 11 năm 2022", "KẾ HOẠCH"), the
signature block, and a site's metadata block when the page has one ("- Số hiệu: …", "**Số hiệu:** | …").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from legalkg.extract.agencies import normalise_agency, table
from legalkg.extract.citations import (_iso, _type_from_word, issuer_code_of, number_end, number_parts, split_code,
                                       without_term)
from legalkg.extract.patterns import NUMBER_BLOCKER, bounded_match, cue_alternation, number_re, type_words
from legalkg.extract.resolve import find_province
from legalkg.extract.vocab import CONSOLIDATED_TYPE, alternation, data, vocab

HEADER_REACH = 2500
FOOTER_REACH = 3000  # chars from the end of the document searched for the date a law was passed on
OWN_NUMBER = re.compile(
    r"(?:^|\n)[^\n]{0,24}?(?<![\wđĐ])[Ss]ố\s*(?:hiệu)?\s*:\s*(?P<serial>\d{1,5}[a-z]?)?\s*"
    r"(?P<rest>(?:/\s*(?:19|20)\d{2})?/\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s?-\s?[A-ZĐ][A-Za-zĐđ0-9&]*)*|-[A-ZĐ]{2,4}/[A-ZĐ]{2,})"
)
# "Số 384-QĐ/TW" with no colon: only as a line (a header cell) of its own, the number read by the citation grammar
OWN_NUMBER_BARE = re.compile(r"(?m)^[ \t*#_|]*[Ss]ố[ \t]+(?=\d)")
LINE_REST = re.compile(r"[ \t*#_|]*(?:\n|\Z)")
SIGNING_DATE = re.compile(
    r"(?P<place>[^\n,|*\d/]{2,40}?)[*_]*,?[*_]*\s*ng[àa]y[\s*_]+(?P<day>\d{1,2})?[\s*_]*(?:tháng[\s*_]+(?P<month>\d{1,2})[\s*_]*năm[\s*_]+|/(?P<m2>\d{1,2})/)(?P<year>(?:19|20)\d{2})"
)
DATE_CUE = re.compile(r"ng[àa]y[\s*_]+\d{0,2}[\s*_]*(?:tháng|/)")
CONSOLIDATION_CODE = "/VBHN-"
CERTIFICATION_REACH = 300  # characters around a consolidated text's number read for its body and date
PLACE_REACH = 40  # characters of the place before ", ngày …", as SIGNING_DATE allows
# where the header ends and the body begins: the first line that opens the preamble or the body
BODY_OPENING = re.compile(
    r"(?m)^[ \t*#_|]*(?:Căn\s+cứ|Thực\s+hiện|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|Kính\s+gửi|Triển\s+khai|Chương\s+[IVX\d]|CHƯƠNG\s+[IVX\d]|"
    r"Điều\s+1\b|Phần\s+[IVX\d]|PHẦN\s+[IVX\d]|I\.\s)"
)
META_FIELD = re.compile(
    r"(?m)^[ \t\-*|]*(?P<label>Số hiệu|Loại văn bản|Ngày ban hành|Nơi ban hành|Người ký|Ngày hiệu lực|Tình trạng hiệu lực|Tình trạng)"
    r"[ \t]*:?[\s|*]*(?P<value>[^\s|*][^\n|]*)"
)
PLACEHOLDER = re.compile(r"(?i)^(Đã biết|Đang cập nhật|Không xác định|\s*)$")
ISSUER_BY_ACT = re.compile(
    r"(?P<who>Chủ tịch (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:tỉnh|thành phố)|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)"
    r" (?:tỉnh|thành phố)|Sở [^,;.\n()]{3,70}?)\s+ban hành\s+"
)
ISSUER_OF_ATTACHMENT = re.compile(r"\(\s*(?:Ban hành\s+)?[Kk]èm theo[^()\n]{0,120}?của\s+(?P<who>[^()\n]{3,80}?)\s*\)")
SIGNATURE_TITLE = re.compile(
    r"^[\W_]*(?:(?:KT|TM|TL|Q|TUQ)\.\s*[^\n]*)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|"
    r"CỤC TRƯỞNG|TRƯỞNG BAN|CHỦ NHIỆM|THỐNG ĐỐC|VIỆN TRƯỞNG|CHÁNH ÁN|TỔNG KIỂM TOÁN|TỔNG GIÁM ĐỐC|BÍ THƯ|"
    r"PHÓ [A-ZĐÂĂÊÔƠƯ ]+|TRƯỞNG [A-ZĐÂĂÊÔƠƯ ]+)[\W_]*$"
)
PERSON_NAME = re.compile(r"^[\W_]*(?P<name>(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zà-ỹđ]+\s+){1,4}[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zà-ỹđ]+)[\W_]*$")


# "(Ban hành kèm theo Quyết định số … của Chủ tịch UBND tỉnh)", "Chủ tịch UBND tỉnh ban hành …": a UBND document
# signed as its Chủ tịch's own act
CHAIR_OF_COMMITTEE = re.compile(
    r"(?:Chủ tịch (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:tỉnh|thành phố)\s+ban hành\s"
    r"|\(\s*(?:Ban hành\s+)?[Kk]èm theo[^()\n]{0,120}?của\s+Chủ tịch (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân))"
)
SEGMENT_BREAK = re.compile(r"[ \t]*(?:\n|\|)[ \t]*|[ \t]*(?:[-_=–—]{3,}|_{2,})[ \t]*")
SIGNATURE_OPENING = re.compile(r"(?:KT|TM|TL|Q|TUQ)\.\s")
MARKUP_IN_WORD = re.compile(r"[*_#]+")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Metadata:
    key: str | None
    code: str | None
    type: str | None
    year: int | None
    date: str | None
    place: str | None
    issuer: str | None
    signer: str | None
    title: str | None
    status: str | None
    effective: str | None


@dataclass(frozen=True)
class OwnNumber:
    """The document's own number as its header prints it, and where (offsets in the header searched)."""

    key: str | None  # None when the header prints no serial ("Số: /KH-SNNPTNT")
    code: str  # "KH-UBND", "NĐ-CP", "QĐ/TW"
    type_code: str | None
    issuer_code: str | None
    start: int
    end: int


@dataclass(frozen=True)
class HeaderBlock:
    """The names in the header's left column, top first: the parent body, then the issuing body."""

    names: tuple[str, ...]  # as printed, upper case, one space between words

    @property
    def issuing(self) -> str | None:
        return self.names[-1] if self.names else None


def _meta_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for m in META_FIELD.finditer(text):
        value = m["value"].strip(" *\t")
        if not PLACEHOLDER.match(value):
            fields.setdefault(m["label"], value)
    return fields


def _dmy(value: str | None) -> str | None:
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", value or "")
    return _iso(*m.groups()) if m else None


QUESTION_LINE = re.compile(r"(?m)\?[\s*#_|]*$")


def _asks(text: str) -> bool:
    """A line ending with a question mark: the page is an article asking about documents, not one of them."""
    return QUESTION_LINE.search(text) is not None


def _type_line(header: str) -> str | None:
    """The type printed in capitals on a line of its own ("THÔNG TƯ"), above any question: a page that opens by
    asking ("# Mẫu quyết định … thế nào?") is an article, and a form it quotes ("QUYẾT ĐỊNH" …) is not its header,
    so the page is no document (no number, no type)."""
    found = _first_type_line(header.split("\n"), stop_at_question=True)
    return found[1] if found else None


def _first_type_line(lines: list[str], stop_at_question: bool = False) -> tuple[int, str] | None:
    """The first line that is a type in capitals ("THÔNG TƯ"): its index and the type; with stop_at_question, none
    after a line asking something."""
    for i, line in enumerate(lines):
        word = re.sub(r"[\s*#_|]+", " ", line).strip()
        if stop_at_question and word.endswith("?"):
            return None
        if word and word == word.upper() and (t := _type_from_word(word)):
            return i, t
    return None


def _signer(text: str) -> str | None:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if SIGNATURE_TITLE.match(line.strip()):
            following = [l for l in lines[i + 1 : i + 10] if l.strip(" \t|*")]
            for candidate in following[:4]:
                if m := PERSON_NAME.match(candidate.strip()):
                    return m["name"]
    return None


# --- the document's own number -----------------------------------------------------------------------------------
def _own_number(header: str) -> OwnNumber | None:
    """"Số: 184/KH-UBND" anywhere near a line start; "Số 384-QĐ/TW" (no colon) only as a line of its own."""
    found = [n for n in (_number_with_colon(header), _bare_number(header)) if n]
    return min(found, key=lambda n: n.start) if found else None


def _number_with_colon(text: str, pos: int = 0) -> OwnNumber | None:
    m = OWN_NUMBER.search(text, pos)
    if not m:
        return None
    rest = re.sub(r"\s+", "", m["rest"])
    key = f"{m['serial']}{rest}" if m["serial"] else None
    if rest.startswith("-"):  # a party number: 45-HD/BTCTW
        type_code, issuer_code = rest[1:].split("/")
        return OwnNumber(key, rest[1:], type_code, issuer_code, m.start(), m.end())
    code = rest.split("/")[-1]
    return OwnNumber(key, code, *split_code(code), m.start(), m.end())


def _bare_number(text: str) -> OwnNumber | None:
    for cue in OWN_NUMBER_BARE.finditer(text):
        m = bounded_match(number_re(), text, NUMBER_BLOCKER, cue.end())
        if m and LINE_REST.match(text, m.end()):
            return _number_of(m, cue.start())
    return None


def _number_of(m: re.Match, start: int) -> OwnNumber:
    """An OwnNumber from a match of extract.patterns.NUMBER_BODY, keyed as citations key the same number (blanks,
    bold markers and a glued footnote mark dropped), so a document and its citations meet on one key."""
    key, type_code, issuer_code, _ = number_parts(m)
    code = f"{type_code}/{issuer_code}" if m["party"] else key.rsplit("/", 1)[-1]
    return OwnNumber(key, code, type_code, issuer_code, start, number_end(m))


def _consolidation_number(doc: str) -> OwnNumber | None:
    """A consolidated text (VBHN) prints "Số: …/VBHN-…" in the certification after the body, which its appendices
    may follow at any length: the last such line of the document."""
    at = len(doc)
    while (at := doc.rfind("VBHN", 0, at)) >= 0:  # from the end; the number is on its line or the line before
        line = doc.rfind("\n", 0, at)
        for start in (line, doc.rfind("\n", 0, max(line, 0))):
            m = OWN_NUMBER.match(doc, max(start, 0))
            if m and "VBHN" in m["rest"] and m.start("rest") <= at < m.end("rest"):
                return _number_with_colon(doc, m.start())
    return None


def read_metadata(text: str, doc_start: int, doc_end: int, meta_text: str) -> Metadata:
    """`text` is the normalised page; the document proper lies in [doc_start, doc_end); meta_text is the site's block."""
    fields = _meta_fields(meta_text)
    doc = text[doc_start:doc_end]
    header = doc[:HEADER_REACH]
    number = _own_number(header)
    if number and _asks(header[: number.start]):
        number = None  # a Q&A article quoting a form ("Số: /QĐ-…"): the form's number is not the page's
    # a consolidated text reprints its original's header ("Số: 49/2018/NĐ-CP") and is certified after the body
    certification = (_consolidation_number(doc) if number is None or _consolidated(number) or CONSOLIDATION_CODE in doc
                     else None)
    if certification and number and certification.start <= number.start:
        certification = None  # the number at the top is the only one: no certification after the body
    own = certification or number
    after_number = number.end if number else 0
    key = (own.key if own else None) or (re.sub(r"\s+", "", fields["Số hiệu"]) if "Số hiệu" in fields else None)
    type_code, issuer_code = (own.type_code, own.issuer_code) if own else (None, None)
    doc_type = _doc_type(header[after_number:], type_code, fields)
    header_end = _header_end(header, after_number)
    if certification:
        signing, block = _certification(doc, certification)
    else:
        signing = _signing_date(header[:header_end], after_number)
        block = read_header_block(header[: _block_end(number, signing, header_end)])
        block = block if block.names else _enacting_line(header[after_number:header_end])
    date = None
    if signing and signing["day"]:
        date = _iso(signing["day"], signing["month"] or signing["m2"], signing["year"])
    date = date or _dmy(fields.get("Ngày ban hành")) or _passed_on(doc)
    year = int(date[:4]) if date else (int(signing["year"]) if signing else None)
    if key and (m := re.search(r"/((?:19|20)\d{2})/", key)):
        year = year or int(m.group(1))
    central = (
        vocab().issuer_scope(issuer_code, leads_letter=type_code is None) == "central"
        or vocab().scope_by_type.get(doc_type or "") == "central"
        or block_is_central(block)
    )
    place = None
    if not central:
        place = (
            _block_province(block)
            or find_province(signing["place"] if signing else None)
            or find_province(fields.get("Nơi ban hành"))
        )
    return Metadata(
        key=key, code=own.code if own else None, type=doc_type, year=year, date=date, place=place,
        issuer=_issuer(block, doc[:6000], place) or _issuer_stated(doc, key, place) or _site_issuer(fields, place),
        signer=_signer(doc) or fields.get("Người ký"),
        title=_title(header, after_number),
        status=fields.get("Tình trạng hiệu lực") or fields.get("Tình trạng"),
        effective=_dmy(fields.get("Ngày hiệu lực")),
    )


def _consolidated(number: OwnNumber) -> bool:
    return vocab().type_by_code.get(number.type_code) == CONSOLIDATED_TYPE


def _doc_type(after_number: str, type_code: str | None, fields: dict[str, str]) -> str | None:
    by_code = vocab().type_by_code.get(type_code)
    if by_code == CONSOLIDATED_TYPE:
        return by_code
    return _type_line(after_number) or by_code or _type_from_word(fields.get("Loại văn bản"))


def _certification(doc: str, number: OwnNumber) -> tuple[re.Match | None, HeaderBlock]:
    """A consolidated text is dated and issued by its certification ("BỘ TÀI CHÍNH" / "Số: 16/VBHN-BTC" / "XÁC THỰC
    VĂN BẢN HỢP NHẤT" / "Hà Nội, ngày …"), not by the header of the document it reprints."""
    after = doc[number.end : number.end + CERTIFICATION_REACH]
    before = doc[max(0, number.start - CERTIFICATION_REACH) : number.start]
    return _signing_date(after, 0), read_header_block(_capital_lines_at_end(before))


def _capital_lines_at_end(text: str) -> str:
    """The run of lines in capitals that ends `text`: the certifying body's name above "Số: …/VBHN-…", without the
    body text the reprint ends with ("… hướng dẫn bổ sung kịp thời./.")."""
    lines = text.split("\n")
    start = len(lines)
    while start > 0 and (_is_caps(repair_words(lines[start - 1])) or not lines[start - 1].strip(" \t*#_|")):
        start -= 1
    return "\n".join(lines[start:])


# --- the signing date ----------------------------------------------------------------------------------------------
def _header_end(header: str, pos: int) -> int:
    """Where the header ends: the first line that opens the preamble or the body ("Căn cứ …", "Điều 1."). A date
    after it is a cited document's, never the signing date."""
    m = BODY_OPENING.search(header, pos)
    return m.start() if m else len(header)


def _signing_date(header: str, pos: int) -> re.Match | None:
    """The first "<place>, ngày …" of header[pos:] whose place is a place name (see _is_place): a date after
    "… có hiệu lực kể từ ngày …" is no signing date. Each search starts near a "ngày …": a place is at most
    PLACE_REACH characters before it, so no match starts earlier (and a header without one is not scanned at all)."""
    for cue in DATE_CUE.finditer(header, pos):
        start = cue.start()
        while start > pos and header[start - 1].isspace():
            start -= 1
        m = SIGNING_DATE.search(header, max(pos, start - PLACE_REACH - 1))
        if m is None:
            return None
        if _is_place(m["place"], after_number=header[m.start() - 1 : m.start()] in NUMBER_TAIL):
            return m
    return None


PLACE_GAP = re.compile(r"\s{2,}|[_\-–—.…]{3,}\s*")  # a wide gap, or a header's rule ("Hạnh phúc_______ Hà Nội")
NUMBER_TAIL = ("/", "-")  # what a number's code is joined by: "12/QĐ-TTg", "7-QĐ/TW"
MAX_PLACE_WORDS = 6


def _is_place(printed: str, after_number: bool = False) -> bool:
    """A place as a header prints it: a few words each opening with a capital ("Hà Nội", "TP. Hồ Chí Minh"); after a
    wide gap only ("Số: 12/VBHN-BTC      Hà Nội"). Right after a number ("…/QĐ-TTg ngày …", "…-QĐ/TW, ngày …") the
    words are the cited number's issuer code, no place, unless a wide gap parts them."""
    parts = PLACE_GAP.split(printed.strip())
    if after_number and len(parts) < 2:
        return False
    name = _locality_level_re().sub("", parts[-1].strip(), count=1)  # "Thành phố Huế": the level in lower case
    words = [w for w in name.split() if LETTER.search(w)]
    return 0 < len(words) <= MAX_PLACE_WORDS and all(LETTER.search(w).group(0).isupper() for w in words)


@cache
def _locality_level_re() -> re.Pattern:
    """A place's level word opening it ("Thành phố", "Thị xã"), in any case, then the name."""
    return re.compile(rf"^(?i:{_phrases(_bodies()['localities']['words'])})\s+(?=\S)")


PASSED_ON = re.compile(r"thông\s+qua[\s*]+ngày[\s*]+(\d{1,2})[\s*]+tháng[\s*]+(\d{1,2})[\s*]*năm[\s*]+((?:19|20)\d{2})")


def _passed_on(doc: str) -> str | None:
    """Laws and resolutions of the National Assembly are dated by "… thông qua ngày 16 tháng 11 năm 2020"."""
    m = PASSED_ON.search(doc, max(0, len(doc) - FOOTER_REACH))
    return _iso(*m.groups()) if m else None


# --- the header block and the issuer ---------------------------------------------------------------------------------
def _block_end(number: OwnNumber | None, signing: re.Match | None, header_end: int) -> int:
    """The issuer block lies before the own number and the place-and-date line, whichever comes first."""
    ends = [header_end]
    if number:
        ends.append(number.start)
    if signing:
        ends.append(signing.start())
    return min(ends)


def _bodies() -> dict:
    return data("issuing_bodies.toml")


def _phrases(words) -> str:
    """An alternation of upper-case phrases, longest first, any spacing between their words."""
    return cue_alternation({w.upper() for w in words})


@cache
def _phrase_re(section: str, key: str, opening: str = "") -> re.Pattern:
    """The phrases of one list of issuing_bodies.toml in any case, ending at a word's end."""
    return re.compile(rf"{opening}(?:{_phrases(_bodies()[section][key])})(?!\w)", re.IGNORECASE)


@cache
def _heads_re() -> re.Pattern:
    heads = _bodies()["heads"]["words"] + _bodies()["names"]["titles"]
    return re.compile(rf"(?<!\w)(?:{_phrases(heads)})(?!\w)")


@cache
def _central_re() -> re.Pattern:
    central, not_central = _bodies()["central"]["names"], _bodies()["central"]["not_central"]
    return re.compile(rf"(?!(?:{_phrases(not_central)})(?!\w))(?:{_phrases(central)})(?!\w)")


@cache
def _locality_re() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?P<level>{_phrases(_bodies()['localities']['words'])})\s+(?P<name>\S.*)$")


def name_locality(name: str) -> re.Match | None:
    """The locality that ends a name: "TỈNH QUẢNG NGÃI" after any body's name, a district or commune only after
    local government's ("UBND XÃ TÂN AN"; "… VÀ XÃ HỘI" is no commune)."""
    government = _phrase_re("localities", "government").match(name)
    for m in _locality_re().finditer(name):
        level = re.sub(r"\s+", " ", m["level"])  # upper case: _locality_re matches the phrases as written
        if level in ("TỈNH", "THÀNH PHỐ") and find_province(m["name"]):
            return m
        if government and level not in ("TỈNH", "THÀNH PHỐ"):
            return m
    return None


def read_header_block(block: str) -> HeaderBlock:
    """The names of the header's left column: the text before the own number and the date, its lines and cells
    upper case, the motto and the gazette's headings taken out; a name opens at a line or cell that starts with an
    issuing body's head word (issuing_bodies.toml), the lines after it that do not are its continuation."""
    joined = _phrase_re("furniture", "phrases", r"(?<!\w)").sub("\n", "\n".join(_segments(block)))
    segments = [s for s in (re.sub(r"\s+", " ", x).strip() for x in joined.split("\n")) if s.strip(" ,.-–")]
    text = "\n".join(s for s in _before_the_title(segments) if _is_caps(s))
    starts = [m.start() for m in _heads_re().finditer(text) if m.start() == 0 or text[m.start() - 1] == "\n"]
    names = [re.sub(r"\s+", " ", text[a:b]).strip(" ,.") for a, b in zip(starts, [*starts[1:], len(text)])]
    return HeaderBlock(tuple(_dedupe(_merge_bare_heads(names))))


def _before_the_title(segments: list[str]) -> list[str]:
    """The block ends where the document's type ("THÔNG TƯ", "LUẬT BẢO HIỂM Y TẾ") or a signature ("KT. BỘ
    TRƯỞNG") begins: what follows is a title or a signature block, never a body's name."""
    for i, segment in enumerate(segments):
        if _type_opening_re().match(segment) or SIGNATURE_OPENING.match(segment):
            return segments[:i]
    return segments


@cache
def _type_opening_re() -> re.Pattern:
    return re.compile(rf"(?:{type_words()})(?![\wđĐ])", re.IGNORECASE)


def _segments(block: str) -> list[str]:
    """Lines, table cells and the pieces between rules of dashes, markup taken out."""
    return [repair_words(s) for s in SEGMENT_BREAK.split(block)]


def _is_caps(segment: str) -> bool:
    """A line of the header's names: letters all upper case, no digits (page numbers, running headers)."""
    letters = LETTER.findall(segment)
    return bool(letters) and segment == segment.upper() and not re.search(r"\d", segment)


def _merge_bare_heads(names: list[str]) -> list[str]:
    """A head alone on its line is part of a name next to it: the name below ("CỤC" / "HẢI QUAN"), or the name above
    when it is a word that ends names (issuing_bodies.toml [heads] closers: "… VÀ XÃ" / "HỘI")."""
    out: list[str] = []
    pending = ""
    for name in names:
        if out and not pending and name in _closers():
            out[-1] = f"{out[-1]} {name}"
        elif _heads_re().fullmatch(name) and not _central_re().fullmatch(name):
            pending = f"{pending} {name}".strip()
        else:
            out.append(f"{pending} {name}".strip())
            pending = ""
    return [*out, pending] if pending else out


@cache
def _closers() -> frozenset[str]:
    return frozenset(w.upper() for w in _bodies()["heads"]["closers"])


def _dedupe(names: list[str]) -> list[str]:
    """The gazette prints the issuer above the document's own header: one name twice in a row is one, and so is a
    name printed twice on one line."""
    out: list[str] = []
    for name in (_once(n.strip(" ,.-–")) for n in names):
        if not out or out[-1] != name:
            out.append(name)
    return out


def _once(name: str) -> str:
    words = name.split(" ")
    half = len(words) // 2
    return " ".join(words[:half]) if len(words) % 2 == 0 and words[:half] == words[half:] else name


def block_is_central(block: HeaderBlock) -> bool:
    """The first (top) name is a central body's: a ministry, the Government, the party's central bodies."""
    return bool(block.names) and bool(_central_re().match(block.names[0]))


def _block_province(block: HeaderBlock) -> str | None:
    for name in reversed(block.names):
        if m := name_locality(name):
            return find_province(m["name"])
    return None


def _enacting_line(preamble: str) -> HeaderBlock:
    """A header that prints no issuer ("Số: …" and the title alone) still names the enacting authority in capitals
    right before the preamble: "ỦY BAN THƯỜNG VỤ QUỐC HỘI" / "Căn cứ …", or a title and its body, which may wrap
    ("TRƯỞNG BAN CHỈ ĐẠO …" / "… BÁN DẪN"): the body is what follows the title."""
    paragraphs = [p for p in PARAGRAPH_BREAK.split(preamble) if p.strip(" \t*#_|,.-–\n")]
    lines = [line for line in preamble.split("\n") if line.strip(" \t*#_|,.-–")]
    # the paragraph right after the type line is the title ("THÔNG TƯ" / "BAN HÀNH QUY CHẾ …"), never the authority
    after_title = len(paragraphs) > 1 and _type_line(paragraphs[-2]) is not None
    for raw in (lines[-1:] + ([] if after_title else paragraphs[-1:])):
        last = repair_words(" ".join(raw.split()))
        if _is_caps(last) and _heads_re().match(last) and not _type_word_re().search(last):
            body = _after_title(last)
            if _heads_re().match(body):
                return read_header_block(body)
    return HeaderBlock(())


@cache
def _type_word_re() -> re.Pattern:
    """A document type word inside a line: a title's ("… QUỐC HỘI QUYẾT ĐỊNH CHỦ TRƯƠNG …", "BAN HÀNH QUY CHẾ …"),
    never an authority's name."""
    return re.compile(rf"(?<![\wđĐ])(?:{type_words()})(?![\wđĐ])")


def _after_title(upper: str) -> str:
    """The body a person's title names: "BỘ TRƯỞNG BỘ TÀI CHÍNH" -> "BỘ TÀI CHÍNH", "TRƯỞNG BAN CHỈ ĐẠO X" -> "BAN
    CHỈ ĐẠO X" (the title's last word opens the body's name); a Chủ tịch of a people's committee issues in his own
    name ("CHỦ TỊCH UBND TỈNH X"), so his title stays."""
    title = _phrase_re("names", "titles").match(upper)
    if not title or upper.startswith("CHỦ TỊCH"):
        return upper
    rest = upper[title.end() :].strip()
    if _heads_re().match(rest):
        return rest
    return upper[upper.rfind(" ", 0, title.end()) + 1 :].strip()


PARAGRAPH_BREAK = re.compile(r"\n[ \t*_|]*\n")


def _issuer(block: HeaderBlock, doc_text: str, place: str | None) -> str | None:
    """The issuing body's name from the header block, written as a name ("UBND tỉnh Quảng Ngãi", "Bộ Tài chính"),
    qualified by its parent's locality ("Sở Tư pháp tỉnh X", "Ban Tổ chức Trung ương"). Without a block, the body
    the text says issues it ("Sở … ban hành Kế hoạch …", "(Kèm theo … của Sở …)") when the agency table has it."""
    if not block.names:
        return _issuer_by_act(doc_text, place)
    issuing = block.issuing
    parent = block.names[-2] if len(block.names) > 1 else None
    name = issuer_name(issuing, place)
    if parent and not name_locality(issuing):
        name = _qualified(name, parent, place)
    if name.startswith("UBND ") and CHAIR_OF_COMMITTEE.search(doc_text):
        name = f"Chủ tịch {name}"
    return name


# --- the issuer where the header names none ----------------------------------------------------------------------
ENACTING_REACH = 12000  # characters of the document searched for its enacting clause (it ends the preamble)
WHO_REACH = 160  # characters before "ban hành <Type>" searched for the body that enacts
# where the enacting body's sentence opens: after a clause's ";", ".", ":" at a line end, or a blank line
CLAUSE_BREAK = re.compile(r"[;.:][ \t*_]*\n|\n[ \t*_|]*\n")
ON_BEHALF = re.compile(r"(?m)^[ \t*_#|]*TM\.[ \t]*(?P<body>[^\n|*]{3,80})")
MAX_ENACTING_WORDS = 16


def _issuer_stated(doc: str, key: str | None, place: str | None) -> str | None:
    """When the header prints no issuer (a page cut below the header, a gazette reprint), the body the document
    itself states, in this order: its enacting clause ("Chính phủ ban hành Nghị định …", "Bộ trưởng Bộ Tài chính ban
    hành Thông tư …"), its own number's issuer code (issuing_bodies.toml [codes]: NĐ-CP is the Chính phủ's, …/VBHN-BTC
    the certifying Bộ Tài chính's), the signature block ("TM. CHÍNH PHỦ")."""
    return (_clause_subject(_enacting_re(), doc[:ENACTING_REACH], place) or _issuer_by_code(key, place)
            or _on_behalf_of(doc, place) or _clause_subject(ANNOUNCING, doc[-FOOTER_REACH:], place))


@cache
def _enacting_re() -> re.Pattern:
    return re.compile(rf"\s+ban\s+hành\s+(?:{type_words()})(?![\wđĐ])")


# a notice closes by naming who gives it: "Văn phòng Chính phủ thông báo để các cơ quan … biết, thực hiện./."
ANNOUNCING = re.compile(r"\s+thông\s+báo\s+để\s")


def _clause_subject(cues: re.Pattern, text: str, place: str | None) -> str | None:
    """The body a clause opens with, right before its verb: "<Body> ban hành <Type>", "<Body> thông báo để …"."""
    for cue in cues.finditer(text):
        window = text[max(0, cue.start() - WHO_REACH) : cue.start()]
        breaks = list(CLAUSE_BREAK.finditer(window))
        who = repair_words(" ".join(window[breaks[-1].end() if breaks else 0 :].split()))
        if (who[:1].isupper() and len(who.split()) <= MAX_ENACTING_WORDS and not re.search(r"\d", who)
                and _heads_re().match(who.upper())):
            return _body_named(who.upper(), place)
    return None


def _body_named(upper: str, place: str | None) -> str | None:
    """The body a person's title names ("BỘ TRƯỞNG BỘ TÀI CHÍNH" -> "Bộ Tài chính"); a Chủ tịch of a people's
    committee issues in his own name ("Chủ tịch UBND tỉnh X"), so his title stays."""
    upper = _after_title(upper)
    return issuer_name(upper, place) if _heads_re().match(upper) else None


def _issuer_by_code(key: str | None, place: str | None) -> str | None:
    """The body the number's issuer code names ("…/2025/NĐ-CP", "…/BTC-VP", a site's "Số hiệu" alike)."""
    issuer_code = issuer_code_of(key)
    if not issuer_code:
        return None
    code = without_term(issuer_code)
    if name := _bodies()["codes"].get(code):
        return name
    local = _bodies()["codes_local"].get(code)
    return issuer_name(local.upper(), place) if local and place else None


def _site_issuer(fields: dict[str, str], place: str | None) -> str | None:
    """The site's "Nơi ban hành" when it names a body ("Cục Thuế"), not a place ("Thành phố Hồ Chí Minh")."""
    printed = " ".join(fields.get("Nơi ban hành", "").split())
    return _body_named(printed.upper(), place) if printed[:1].isupper() else None


def _on_behalf_of(doc: str, place: str | None) -> str | None:
    """ "TM. CHÍNH PHỦ", "TM. ỦY BAN NHÂN DÂN": the body a signature is given for."""
    for m in ON_BEHALF.finditer(doc):
        body = repair_words(m["body"]).upper()
        if _is_caps(body) and (name := _body_named(body, place)):
            return name
    return None


def _issuer_by_act(doc_text: str, place: str | None) -> str | None:
    for pattern in (ISSUER_BY_ACT, ISSUER_OF_ATTACHMENT):
        for m in pattern.finditer(doc_text):
            printed = m["who"].upper()
            locality = name_locality(printed)
            body = _cased(printed[: locality.start()].strip() if locality else printed)
            if normalise_agency(body).canonical in table().by_canonical:
                return issuer_name(printed, place) if locality else _placed(body, place)
    return None


def _placed(name: str, place: str | None) -> str:
    """A local body named without its locality takes the document's province: "Sở Tư pháp tỉnh Quảng Ngãi"."""
    if not place or _central_re().match(name.upper()):
        return name
    name = re.sub(r" (?:tỉnh|thành phố)\Z", "", name)
    return f"{name} {_province_level(place)} {place}"


def _qualified(name: str, parent: str, place: str | None) -> str:
    """A unit named under its parent takes the parent's locality or "Trung ương"."""
    if m := name_locality(parent):
        return f"{name} {_locality(m['level'], m['name'], place)}"
    if re.search(r"(?i)(?<!\w)TRUNG\s+ƯƠNG(?!\w)", parent) and "Trung ương" not in name:
        return f"{name} Trung ương"
    return name


def issuer_name(printed: str, place: str | None = None) -> str:
    """An upper-case name from a header written as a name: UBND / HĐND abbreviated, the locality's level in lower
    case and the province as provinces.csv spells it, each field of a body's name capitalised ("Bộ Lao động -
    Thương binh và Xã hội"); the agency table's spelling when it has the name."""
    printed = re.sub(r"\s+", " ", printed).strip()
    locality = name_locality(printed)
    body = printed[: locality.start()].strip() if locality else printed
    name = _cased(body)
    if locality:
        return f"{name} {_locality(locality['level'], locality['name'], place)}"
    if place and name in _bodies()["codes_local"].values():  # UBND, HĐND, Chủ tịch UBND
        return f"{name} {_locality('TỈNH', place, place)}"
    return name


def _locality(level: str, printed_name: str, place: str | None) -> str:
    """ "tỉnh Quảng Ngãi", "thành phố Hà Nội" (a province that provinces.csv lists as "Thành phố …"), "xã Tân An"."""
    province = find_province(printed_name)
    level = re.sub(r"\s+", " ", level).lower()
    if province and level in ("tỉnh", "thành phố"):
        return f"{_province_level(province)} {province}"
    return f"{level} {printed_name.title()}"


def _province_level(province: str) -> str:
    city = f"thành phố {province}".casefold() in vocab().provinces
    return "thành phố" if city else "tỉnh"


def _cased(upper: str) -> str:
    """ "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" -> "Bộ Văn hóa, Thể thao và Du lịch"; "BỘ TRƯỞNG BỘ TÀI CHÍNH" -> "Bộ
    trưởng Bộ Tài chính"; ỦY BAN NHÂN DÂN -> UBND; the agency table's spelling when it differs only in case."""
    text = re.sub(r"(?i)(?<!\w)(?:ủy|uỷ) ban nhân dân(?!\w)", "UBND", upper)
    text = re.sub(r"(?i)(?<!\w)hội đồng nhân dân(?!\w)", "HĐND", text)
    if title := _phrase_re("names", "titles").match(text):
        rest = text[title.end():].strip()
        return _sentence(title.group(0)) + (f" {_cased(rest)}" if rest else "")
    generic = _phrase_re("names", "generic").match(text)
    name = _fields_capitalised(text.split(" "), len(generic.group(0).split()) if generic else 1)
    for proper in _bodies()["proper"]["words"]:
        name = re.sub(rf"(?i)(?<!\w){re.escape(proper)}(?!\w)", proper, name)
    agency = normalise_agency(name).canonical
    return agency if agency.casefold() == name.casefold() and agency in table().by_canonical else name


def _sentence(upper: str) -> str:
    lower = upper.lower()
    return lower[:1].upper() + lower[1:]


def _fields_capitalised(words: list[str], head_words: int) -> str:
    """The first word, the word after the generic noun, and the first word after "và", "-" or "," capitalised;
    abbreviations (UBND, HQ: no syllable) kept."""
    out: list[str] = []
    for i, word in enumerate(words):
        if word in ("UBND", "HĐND") or (word.isalpha() and word.isupper() and not _is_syllable(word)):
            out.append(word)
            continue
        opens_field = i in (0, head_words) or words[i - 1] in ("VÀ", "-", "–") or words[i - 1].endswith(",")
        out.append(_sentence(word) if opens_field else word.lower())
    return " ".join(out)


# --- the title -------------------------------------------------------------------------------------------------------
def _title(header: str, after: int) -> str | None:
    lines = header[after:].split("\n")
    found = _first_type_line(lines)
    if found is None:
        return None
    body = []
    for nxt in lines[found[0] + 1 : found[0] + 6]:
        clean = repair_words(nxt)
        if not clean:
            if body:
                break
            continue
        if re.match(r"(Căn cứ|Thực hiện|Kính gửi|Triển khai|ỦY BAN|CHÍNH PHỦ|Chương|Điều|I\.)", clean):
            break
        body.append(clean)
    return re.sub(r"\s+", " ", " ".join(body)).strip() or None


# --- words split by a PDF text layer or by markup ---------------------------------------------------------------------
# A Vietnamese syllable: an optional initial consonant, an optional medial glide, a vowel nucleus and an optional final
# (the standard syllable grammar; toneless, lower case). Rimes by nucleus, with the finals each nucleus takes.
INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g", "h", "k", "l",
            "m", "n", "p", "r", "s", "t", "v", "x")
RIMES_BY_NUCLEUS = {
    "a": ("", "i", "o", "u", "y", "c", "ch", "m", "n", "ng", "nh", "p", "t"),
    "ă": ("c", "m", "n", "ng", "p", "t"),
    "â": ("c", "m", "n", "ng", "p", "t", "u", "y"),
    "e": ("", "o", "c", "m", "n", "ng", "p", "t"),
    "ê": ("", "u", "ch", "m", "n", "nh", "p", "t"),
    "i": ("", "a", "u", "ch", "m", "n", "nh", "p", "t"),
    "iê": ("u", "c", "m", "n", "ng", "p", "t"),
    "yê": ("u", "m", "n", "t"),
    "y": ("",),
    "o": ("", "i", "c", "m", "n", "ng", "p", "t"),
    "oo": ("c", "ng"),
    "ô": ("", "i", "c", "m", "n", "ng", "p", "t"),
    "ơ": ("", "i", "m", "n", "p", "t"),
    "u": ("", "a", "i", "c", "m", "n", "ng", "p", "t"),
    "uô": ("i", "c", "m", "n", "ng", "t"),
    "ư": ("", "a", "i", "u", "c", "m", "n", "ng", "t"),
    "ươ": ("i", "u", "c", "m", "n", "ng", "p", "t"),
}
MEDIALS = {"o": ("a", "ă", "e"), "u": ("â", "ê", "y", "ơ", "yê")}  # hoa, hoặc, khoe; tuần, thuế, thủy, thuở, chuyện
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
LETTER_RUN = re.compile(r"[^\W\d_]+")
WORD_GAP = re.compile(r"(?P<word>[^\W\d_]+)|(?P<gap>(?:[^\w]|[\d_])+)")
VOWELS = frozenset("aăâeêioôơuưy")


@cache
def _syllable_re() -> re.Pattern:
    rimes = {n + f for n, finals in RIMES_BY_NUCLEUS.items() for f in finals}
    rimes |= {m + r for m, nuclei in MEDIALS.items() for r in list(rimes) if r.startswith(nuclei)}
    rimes |= {"uya", "uyu", "uych", "uynh", "uyn", "uyt"}  # khuya, khuỷu, huỳnh: medial u before y and a final
    return re.compile(rf"(?:{alternation(INITIALS)})?(?:{alternation(rimes)})|gi")


def _toneless(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


@lru_cache(maxsize=1 << 16)
def _is_syllable(word: str) -> bool:
    """A real Vietnamese syllable by its spelling: "và", "hướng", "của", "à"; not "v", "ớng", "ành"... (at most one
    tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in TONE_MARKS for c in decomposed) > 1:
        return False
    return bool(_syllable_re().fullmatch(_toneless(word)))


def repair_words(line: str) -> str:
    """A line with its markup taken out and the words its text layer split put together again: "chi tiết v à hư ớng
    dẫn" -> "chi tiết và hướng dẫn", "v****à" -> "và". Two pieces are joined only when the joined form is a syllable
    and, when a space separates them, one of them is not and the second opens with a vowel, as the glyphs a text
    layer places apart do ("c ủa"; "và c" is a list's last letter, not "vác"). Pieces split by markup alone
    ("THU****Ế", "TRƯ**Ở****NG") need only the first. Text that is already right never changes but for markup and
    spacing."""
    if not MARKUP_IN_WORD.search(line) and all(map(_is_syllable, LETTER_RUN.findall(line))):
        return " ".join(line.split())  # nothing to join: every spaced join needs a piece that is no syllable
    pieces = _pieces(line)  # (gap before, word) with the gap's markup kept
    pieces = _join_markup_runs(pieces)
    out: list[list[str]] = []
    for gap, word in pieces:
        if out and word and _joins(out[-1][1], word, spaced=not _markup_only(gap)):
            out[-1][1] += word
        else:
            out.append([gap, word])
    text = "".join(MARKUP_IN_WORD.sub(" ", gap) + word for gap, word in out)
    return re.sub(r"\s+", " ", text).strip()


def _pieces(line: str) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    gap = ""
    for m in WORD_GAP.finditer(line):
        if m["gap"] is not None:
            gap += m["gap"]
        else:
            pieces.append((gap, m["word"]))
            gap = ""
    return [*pieces, (gap, "")] if gap else pieces


def _markup_only(gap: str) -> bool:
    return bool(gap) and bool(MARKUP_IN_WORD.fullmatch(gap))


def _join_markup_runs(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Words joined by markup alone whose whole run is one syllable: "TRƯ**Ở****NG" -> "TRƯỞNG"."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pieces):
        j = i + 1
        while j < len(pieces) and pieces[j][1] and _markup_only(pieces[j][0]):
            j += 1
        run = "".join(word for _, word in pieces[i:j])
        if j - i > 2 and _is_syllable(run):
            out.append((pieces[i][0], run))
        else:
            out += pieces[i:j]
        i = j
    return out


def _joins(last: str, right: str, spaced: bool) -> bool:
    """Whether the word `last` and the piece `right` after it are one word the text layer split (see repair_words)."""
    if not spaced:
        return _is_syllable(last + right)
    if _toneless(right[0]) not in VOWELS or (_is_syllable(right) and _is_syllable(last)):
        return False
    return _is_syllable(last + right)
