"""The citing document's own metadata: number (số hiệu), type, date, province, issuer, signer, title, status.

Read from the document header ("Số: 184/KH-UBND", "Quảng Ngãi, ngày 30 tháng 11 năm 2022", "KẾ HOẠCH"), the
signature block, and a site's metadata block when the page has one ("- Số hiệu: …", "**Số hiệu:** | …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.citations import _iso, split_code, _type_from_word
from extract.resolve import find_province
from extract.vocab import vocab

HEADER_REACH = 2500
FOOTER_REACH = 3000  # chars from the end of the document searched for the date a law was passed on
OWN_NUMBER = re.compile(
    r"(?:^|\n)[^\n]{0,24}?(?<![\wđĐ])[Ss]ố\s*(?:hiệu)?\s*:\s*(?P<serial>\d{1,5}[a-z]?)?\s*"
    r"(?P<rest>(?:/\s*(?:19|20)\d{2})?/\s*[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s?-\s?[A-ZĐ][A-Za-zĐđ0-9&]*)*|-[A-ZĐ]{2,4}/[A-ZĐ]{2,})"
)
SIGNING_DATE = re.compile(
    r"(?P<place>[^\n,|*]{2,40}?),?\s*ng[àa]y\s+(?P<day>\d{1,2})?\s*(?:tháng\s+(?P<month>\d{1,2})\s+năm\s+|/(?P<m2>\d{1,2})/)(?P<year>(?:19|20)\d{2})"
)
DATE_CUE = re.compile(r"ng[àa]y\s+\d{0,2}\s*(?:tháng|/)")
PLACE_REACH = 40  # characters of the place before ", ngày …", as SIGNING_DATE allows
META_FIELD = re.compile(
    r"(?m)^[ \t\-*|]*(?P<label>Số hiệu|Loại văn bản|Ngày ban hành|Nơi ban hành|Người ký|Ngày hiệu lực|Tình trạng hiệu lực|Tình trạng)"
    r"[ \t]*:?[\s|*]*(?P<value>[^\s|*][^\n|]*)"
)
PLACEHOLDER = re.compile(r"(?i)^(Đã biết|Đang cập nhật|Không xác định|\s*)$")
CENTRAL_ISSUER_LINE = re.compile(
    r"(?m)^[\W_]*(CHÍNH PHỦ|QUỐC HỘI|THỦ TƯỚNG|BỘ |VĂN PHÒNG CHÍNH PHỦ|NGÂN HÀNG NHÀ NƯỚC|TÒA ÁN|VIỆN KIỂM SÁT|KIỂM TOÁN NHÀ NƯỚC|TỔNG CỤC|CỤC |BAN CHẤP HÀNH TRUNG ƯƠNG|ỦY BAN THƯỜNG VỤ QUỐC HỘI|BỘ CHÍNH TRỊ|BẢO HIỂM XÃ HỘI VIỆT NAM|TỔNG LIÊN ĐOÀN)"
)
SIGNATURE_TITLE = re.compile(
    r"^[\W_]*(?:(?:KT|TM|TL|Q|TUQ)\.\s*[^\n]*)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|"
    r"CỤC TRƯỞNG|TRƯỞNG BAN|CHỦ NHIỆM|THỐNG ĐỐC|VIỆN TRƯỞNG|CHÁNH ÁN|TỔNG KIỂM TOÁN|TỔNG GIÁM ĐỐC|BÍ THƯ|"
    r"PHÓ [A-ZĐÂĂÊÔƠƯ ]+|TRƯỞNG [A-ZĐÂĂÊÔƠƯ ]+)[\W_]*$"
)
PERSON_NAME = re.compile(r"^[\W_]*(?P<name>(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zà-ỹđ]+\s+){1,4}[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zà-ỹđ]+)[\W_]*$")
ISSUER_BY_ACT = re.compile(
    r"(?P<who>Chủ tịch (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:tỉnh|thành phố)|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:tỉnh|thành phố)|Sở [^,;.\n()]{3,70}?)\s+ban hành\s+"
)
ISSUER_OF_ATTACHMENT = re.compile(r"\(\s*(?:Ban hành\s+)?[Kk]èm theo[^()\n]{0,120}?của\s+(?P<who>[^()\n]{3,80}?)\s*\)")


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


def _type_line(header: str) -> str | None:
    for line in header.split("\n"):
        word = re.sub(r"[\s*#_|]+", " ", line).strip()
        if word and word == word.upper() and (t := _type_from_word(word)):
            return t
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


def _issuer(doc_text: str, header: str, place: str | None) -> str | None:
    for pattern in (ISSUER_BY_ACT, ISSUER_OF_ATTACHMENT):
        if m := pattern.search(doc_text):
            return _with_place(_short_agency(m["who"]), place)
    lines = [l.strip(" \t|*#") for l in header[: header.find("Số")].split("\n") if l.strip(" \t|*#-")]
    caps = [l for l in lines if l == l.upper() and "CỘNG HÒA" not in l and "ĐỘC LẬP" not in l.upper()]
    if caps:
        return _with_place(_short_agency(" ".join(caps[:2]).title()), place)
    return None


def _short_agency(name: str) -> str:
    name = re.sub(r"(?i)(ủy|uỷ) ban nhân dân", "UBND", re.sub(r"\s+", " ", name).strip())
    name = re.sub(r"(?i)\bhội đồng nhân dân\b", "HĐND", name)
    name = re.sub(r"\b(Tỉnh|Thành Phố)\b", lambda m: m.group(0).lower(), name)
    return name


def _with_place(name: str, place: str | None) -> str:
    if place and place.casefold() not in name.casefold():
        return f"{name} tỉnh {place}" if not re.search(r"(?i)(tỉnh|thành phố)$", name) else f"{name} {place}"
    if place and re.search(r"(?i)(tỉnh|thành phố)$", name):
        return f"{name} {place}"
    return name


def read_metadata(text: str, doc_start: int, doc_end: int, meta_text: str) -> Metadata:
    """`text` is the normalised page; the document proper lies in [doc_start, doc_end); meta_text is the site's block."""
    fields = _meta_fields(meta_text)
    doc = text[doc_start:doc_end]
    header = doc[:HEADER_REACH]
    number = OWN_NUMBER.search(header)
    number = number or _consolidation_number(doc)
    key = code = None
    if number:
        rest = re.sub(r"\s+", "", number["rest"])
        key = f"{number['serial']}{rest}" if number["serial"] else None
        code = rest.split("/")[-1] if not rest.startswith("-") else rest
    key = key or (re.sub(r"\s+", "", fields["Số hiệu"]) if "Số hiệu" in fields else None)
    type_code, issuer_code = split_code(code) if code and not code.startswith("-") else (None, None)
    if code and code.startswith("-"):
        type_code, issuer_code = code[1:].split("/")
    consolidated = vocab().type_by_code.get(type_code) == "Văn bản hợp nhất"
    doc_type = (
        ("Văn bản hợp nhất" if consolidated else None)
        or _type_line(header[number.end() if number and not consolidated else 0 :])
        or (vocab().type_by_code.get(type_code) if type_code else None)
        or _type_from_word(fields.get("Loại văn bản"))
    )
    signing = _signing_date(header, number.end() if number and number.start() < len(header) else 0)
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
        or bool(CENTRAL_ISSUER_LINE.search(header[:400]))
    )
    place = None
    if not central:
        place = (
            find_province(header[: number.start()] if number else "")
            or find_province(signing["place"] if signing else None)
            or find_province(fields.get("Nơi ban hành"))
        )
    return Metadata(
        key=key, code=code, type=doc_type, year=year, date=date, place=place,
        issuer=_issuer(doc[:6000], header, place) if not central else _central_issuer(header),
        signer=_signer(doc) or fields.get("Người ký"),
        title=_title(header, number.end() if number else 0),
        status=fields.get("Tình trạng hiệu lực") or fields.get("Tình trạng"),
        effective=_dmy(fields.get("Ngày hiệu lực")),
    )


def _consolidation_number(doc: str) -> re.Match | None:
    """A consolidated text (VBHN) prints "Số: …/VBHN-…" in the certification after the body, which its appendices
    may follow at any length: the last such line of the document."""
    consolidations = [m for m in OWN_NUMBER.finditer(doc) if "VBHN" in m["rest"]]
    return consolidations[-1] if consolidations else None


def _signing_date(header: str, pos: int) -> re.Match | None:
    """SIGNING_DATE.search(header, pos), started near the first "ngày …": a place is at most PLACE_REACH characters
    before it, so no match starts earlier (and a header without one is not scanned at all)."""
    cue = DATE_CUE.search(header, pos)
    if cue is None:
        return None
    start = cue.start()
    while start > pos and header[start - 1].isspace():
        start -= 1
    return SIGNING_DATE.search(header, max(pos, start - PLACE_REACH - 1))


PASSED_ON = re.compile(r"thông qua ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})")


def _passed_on(doc: str) -> str | None:
    """Laws and resolutions of the National Assembly are dated by "… thông qua ngày 16 tháng 11 năm 2020"."""
    m = PASSED_ON.search(doc, max(0, len(doc) - FOOTER_REACH))
    return _iso(*m.groups()) if m else None


def _central_issuer(header: str) -> str | None:
    m = CENTRAL_ISSUER_LINE.search(header[:400])
    if not m:
        return None
    line = header[m.start(1) : header.find("\n", m.start(1))]
    return re.sub(r"[\s*|#]+", " ", line).strip().title() or None


def _title(header: str, after: int) -> str | None:
    lines = header[after:].split("\n")
    for i, line in enumerate(lines):
        word = re.sub(r"[\s*#_|]+", " ", line).strip()
        if word and word == word.upper() and _type_from_word(word):
            body = []
            for nxt in lines[i + 1 : i + 6]:
                clean = re.sub(r"[*#_|]+", " ", nxt).strip()
                if not clean:
                    if body:
                        break
                    continue
                if re.match(r"(Căn cứ|Thực hiện|Kính gửi|Triển khai|ỦY BAN|CHÍNH PHỦ|Chương|Điều|I\.)", clean):
                    break
                body.append(clean)
            return re.sub(r"\s+", " ", " ".join(body)).strip() or None
    return None
