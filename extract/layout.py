"""Split a page into sections: site chrome, the site's metadata block, related-document lists, the document's header,
body, appendix, and page furniture of gazette PDFs. One pass over the lines of the normalised text.

Chrome and metadata never yield citations; related lists yield "related" citations; the rest is the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, cached_property

from extract.patterns import type_words

# thuvienphapluat pages: the document sits between the site's metadata block and its "related documents" tail
TVPL_LOADING = re.compile(r"(?m)^[ \t]*Đang tải văn bản\.\.\.[ \t]*$")
TVPL_TAIL = re.compile(
    r"(?m)^[ \t]*(?:##\s*Văn bản liên quan|Văn bản này chưa cập nhật nội dung Tiếng Anh|Cảm ơn đã dùng ThuVienPhapLuat\.vn|"
    r"LỢI ÍCH CỦA THƯ VIỆN PHÁP LUẬT|NỘI DUNG SỬA ĐỔI, HƯỚNG DẪN|.*Hãy đăng nhập hoặc đăng ký Thành viên Pro)"
)
TVPL_META_LABEL = re.compile(r"(?m)^[ \t]*\**\s*(?:Số hiệu|Loại văn bản|Nơi ban hành|Người ký|Ngày ban hành|Ngày hiệu lực|Ngày công báo|Số công báo|Tình trạng|Lĩnh vực)[ \t]*:[ \t]*\**[ \t]*$")
TVPL_MARKERS = ("THƯ VIỆN PHÁP LUẬT", "ThuVienPhapLuat", "Đang tải văn bản", "Thành viên Pro", "thuvienphapluat")
CHROME_LINE = re.compile(
    r"THƯ VIỆN PHÁP LUẬT|ThuVienPhapLuat|Bản dịch này thuộc quyền sở hữu|has the copyright on this translation|"
    r"Đang tải văn bản|Click vào phần bôi vàng|CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN|Tài khoản của Quý Khách|Đăng xuất|"
    r"Đăng nhập|Thành viên Pro|Hỗ trợ: \(028\)|FILE ĐƯỢC ĐÍNH KÈM THEO VĂN BẢN|FILE ATTACHED TO DOCUMENT"
)
TVPL_RELATED = re.compile(r"(?m)^[ \t]*##[ \t]*Văn bản liên quan[ \t]*$")
TVPL_RELATED_END = re.compile(r"(?m)^[ \t]*NỘI DUNG SỬA ĐỔI, HƯỚNG DẪN")
SITE_ARTICLE_START = re.compile(r"\s*# \S")
SITE_ARTICLE_END = "Quý khách cần hỏi thêm thông tin"
# gazette PDF text: running headers, page numbers, the e-signature stamp
GAZETTE_RUNNING_HEADER = re.compile(r"(?m)^[ \t]*CÔNG BÁO/Số\b[^\n]*$")
GAZETTE_STAMP = re.compile(
    r"(?m)^[ \t]*(?:Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ|Ký bởi:?[^\n]*|Email: \S+@\S+|Cơ quan: VĂN PHÒNG CHÍNH PHỦ|"
    r"Thời gian ký: [^\n]*|Ngày ký: [^\n]*|\((?:Xem tiếp|Tiếp theo)(?: theo)? Công báo[^\n]*\))[ \t]*$"
)
PAGE_NUMBER = re.compile(r"(?m)^[ \t]*\d{1,4}[ \t\r]*$")
SITE_META_FIELD = re.compile(
    r"(?m)^[ \t]*-[ \t]*(?:Số hiệu|Loại văn bản|Ngày ban hành|Nơi ban hành|Người ký|Ngày công báo|Số công báo|Ngày hiệu lực|"
    r"Tình trạng hiệu lực|Lĩnh vực)\s*:"
)
APPENDIX_START = re.compile(r"^[\s*#_|]*(?:PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu)\b[^\n]{0,100}$|^[\s*#_]*\(\s*(?:Ban hành\s+)?[Kk]èm theo\b")
OWN_NUMBER_LINE = re.compile(r"(?<![\wđĐ])[Ss]ố\s*(?:hiệu)?\s*:\s*(?:\d|/)")
BODY_START = re.compile(
    r"^[\s*#_|]*(?:Căn cứ|Thực hiện|Triển khai|Kính gửi|Chương\s|CHƯƠNG\s|Điều\s+\d|Phần\s|PHẦN\s|[IVX]+\.|\d+\.|Để\s|"
    r"Nhằm\s|Trong\s|Theo\s|Xét\s|Ngày\s|Năm\s|Qua\s|Hiện nay|Thời gian qua|Sau\s|Tiếp\s|Cục\s|Bộ\s)"
)
HEADER_LINES = 30


@dataclass(frozen=True)
class Layout:  # noqa: D101 - cached_property needs a __dict__, so no slots
    sections: tuple[tuple[str, int, int], ...]  # (kind, start, end) in the normalised text, in order, covering it
    doc_start: int
    doc_end: int

    def section_at(self, offset: int) -> str:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sections[i][0] if i >= 0 else "body"

    @cached_property
    def _starts(self) -> list[int]:
        return [s for _, s, _ in self.sections]

    def text_of(self, text: str, kind: str) -> str:
        return "\n".join(text[s:e] for k, s, e in self.sections if k == kind)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


@cache
def _related_re() -> re.Pattern:
    return re.compile(rf"(?m)^[ \t]*-[ \t]?\d{{1,3}}[ \t]?(?:{type_words()}|Bộ luật)\b")


def _line_indexes(pattern: re.Pattern, text: str, starts: list[int]) -> set[int]:
    """Indexes of the lines on which `pattern` (searched over the whole text at once) matches."""
    return {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}


@dataclass(frozen=True)
class Zones:
    """Line ranges of a page: the document [first, last), and the site's metadata and related blocks outside it."""

    first: int
    last: int
    metadata: range = range(0)
    related: range = range(0)


def _zones(text: str, lines: list[tuple[int, int]]) -> Zones:
    """thuvienphapluat pages: site text, web title, metadata block, news summary, the document, the title repeated,
    the related block, notices. Other pages are all document; the site's question-and-answer articles none of it."""
    if SITE_ARTICLE_END in text and SITE_ARTICLE_START.match(text):
        return Zones(0, 0)
    loading = TVPL_LOADING.search(text)
    if not loading:
        return Zones(0, len(lines))
    starts = [s for s, _ in lines]
    line_of = lambda offset: bisect.bisect_right(starts, offset) - 1  # noqa: E731
    label = TVPL_META_LABEL.search(text, loading.end())
    if not label:
        return Zones(line_of(loading.start()) + 1, _tail_line(text, lines, line_of(loading.start()) + 1, None))
    meta_first = line_of(label.start())
    meta_last = _metadata_end(text, lines, meta_first)
    first = _skip_summary(text, lines, meta_last)
    key = _site_number(text, lines, meta_first, meta_last)
    last = _tail_line(text, lines, first, key)
    related = _related_block(text, lines, last)
    return Zones(first, last, range(meta_first, meta_last), related)


def _line(text: str, lines: list[tuple[int, int]], i: int) -> str:
    return text[lines[i][0] : lines[i][1]].strip()


def _metadata_end(text: str, lines: list[tuple[int, int]], i: int) -> int:
    """The line after the site's metadata block: past the last label, its value, and the "|" separators."""
    last_label = i
    for j in range(i, min(len(lines), i + 80)):
        if TVPL_META_LABEL.match(text, lines[j][0], lines[j][1]) or _line(text, lines, j) == "**":
            last_label = j
    j = last_label + 1
    seen_value = False
    while j < len(lines):
        line = _line(text, lines, j)
        if line in ("", "|", "**"):
            j += 1
        elif not seen_value and len(line) < 60:
            seen_value, j = True, j + 1
        else:
            break
    return j


def _skip_summary(text: str, lines: list[tuple[int, int]], i: int) -> int:
    """A news summary ("## headline" … "Xem chi tiết tại …" or "|") may sit between the metadata and the document."""
    if i >= len(lines) or not _line(text, lines, i).startswith("## "):
        return i
    j = i
    while j < len(lines) and _line(text, lines, j) != "|" and not _line(text, lines, j).startswith("Xem"):
        j += 1
    j += 1
    while j < len(lines) and _line(text, lines, j) in ("", "|"):
        j += 1
    return min(j, len(lines))


def _site_number(text: str, lines: list[tuple[int, int]], first: int, last: int) -> str | None:
    for j in range(first, last):
        if re.match(r"\W*Số hiệu", _line(text, lines, j)):
            values = [_line(text, lines, k) for k in range(j + 1, last)]
            return next((v for v in values if v and v not in ("|", "**")), None)
    return None


def _tail_line(text: str, lines: list[tuple[int, int]], first: int, key: str | None) -> int:
    """Where the document ends: the site repeats its title ("Công văn 5348/CT-CS năm 2025 …"), then its tail."""
    start = lines[first][0] if first < len(lines) else len(text)
    candidates = []
    if key:
        repeat = re.compile(rf"(?m)^[ \t]*(?!Số )(?:[A-ZĐ][^\d|*:;,()\n]{{1,40}}?|[A-Z][A-Za-z ]+ No\.) {re.escape(key)}(?:\s|$)")
        candidates.append(repeat.search(text, start))
    candidates.append(TVPL_TAIL.search(text, start))
    found = [m.start() for m in candidates if m]
    return bisect.bisect_right([s for s, _ in lines], min(found)) - 1 if found else len(lines)


def _related_block(text: str, lines: list[tuple[int, int]], last: int) -> range:
    m = TVPL_RELATED.search(text, lines[last][0] if last < len(lines) else len(text))
    if not m:
        return range(0)
    starts = [s for s, _ in lines]
    begin = bisect.bisect_right(starts, m.start())
    end_match = TVPL_RELATED_END.search(text, m.end())
    end = bisect.bisect_right(starts, end_match.start()) - 1 if end_match else len(lines)
    return range(begin, end)


def _classify(text: str, lines: list[tuple[int, int]], zones: Zones) -> list[str]:
    starts = [s for s, _ in lines]
    related = _line_indexes(_related_re(), text, starts)
    site_meta = _line_indexes(SITE_META_FIELD, text, starts)
    chrome = _furniture(text, starts)
    if any(marker in text for marker in TVPL_MARKERS):  # literal check first: CHROME_LINE is slow on big texts
        chrome |= _line_indexes(CHROME_LINE, text, starts)
    kinds = ["chrome"] * len(lines)
    for i in range(zones.first, zones.last):
        kinds[i] = "related" if i in related else "metadata" if i in site_meta else "chrome" if i in chrome else "body"
    for i in zones.metadata:
        kinds[i] = "metadata"
    for i in zones.related:
        kinds[i] = "related"
    _mark_site_title(text, lines, kinds)
    _mark_header_and_appendix(text, lines, kinds)
    return kinds


def _furniture(text: str, starts: list[int]) -> set[int]:
    """Gazette running headers and stamps; a bare page number only next to a running header."""
    if "CÔNG BÁO" not in text and "CỔNG THÔNG TIN" not in text:
        return set()
    headers = _line_indexes(GAZETTE_RUNNING_HEADER, text, starts)
    stamps = _line_indexes(GAZETTE_STAMP, text, starts)
    numbers = _line_indexes(PAGE_NUMBER, text, starts)
    near = {i + d for i in headers for d in (-2, -1, 1, 2)}
    return headers | stamps | (numbers & near)


def _mark_site_title(text: str, lines: list[tuple[int, int]], kinds: list[str]) -> None:
    """The page title the site prints right before its metadata list ("Chỉ thị 12/CT-UBND năm 2020 về …")."""
    for i in range(1, len(lines)):
        if kinds[i] == "metadata" and kinds[i - 1] == "body" and SITE_META_FIELD.match(text, lines[i][0], lines[i][1]):
            kinds[i - 1] = "metadata"


def _mark_header_and_appendix(text: str, lines: list[tuple[int, int]], kinds: list[str]) -> None:
    body = [i for i, k in enumerate(kinds) if k == "body"]
    if not body:
        return
    number_line = next((i for i in body[:60] if OWN_NUMBER_LINE.search(text[lines[i][0] : lines[i][1]])), None)
    if number_line is not None:
        end = _header_end(text, lines, kinds, number_line)
        for i in body:
            if i < end:
                kinds[i] = "header"
    in_appendix = False
    for i in body:
        if kinds[i] != "body":
            continue
        if APPENDIX_START.match(text[lines[i][0] : lines[i][1]]) and i > (number_line or 0) + 3:
            in_appendix = True
        if in_appendix:
            kinds[i] = "appendix"


def _header_end(text: str, lines: list[tuple[int, int]], kinds: list[str], number_line: int) -> int:
    seen_type_line = False
    for i in range(number_line + 1, min(len(lines), number_line + HEADER_LINES)):
        line = text[lines[i][0] : lines[i][1]]
        stripped = re.sub(r"[\s*#_|]+", " ", line).strip()
        if stripped and stripped == stripped.upper() and len(stripped) < 40 and not re.search(r"\d", stripped):
            seen_type_line = True
        if BODY_START.match(line) and not re.match(r"^[\s*#_|]*(?:Ngày|Năm)\s", line):
            return i
        if seen_type_line is False and i > number_line + 12:
            return i
    return number_line + 1


def find_layout(text: str) -> Layout:
    lines = _lines(text)
    kinds = _classify(text, lines, _zones(text, lines))
    sections: list[tuple[str, int, int]] = []
    for kind, (s, e) in zip(kinds, lines):
        if sections and sections[-1][0] == kind:
            sections[-1] = (kind, sections[-1][1], e)
        else:
            sections.append((kind, s, e))
    doc_lines = [i for i, k in enumerate(kinds) if k in ("header", "body", "appendix")]
    doc_start = lines[doc_lines[0]][0] if doc_lines else 0
    doc_end = lines[doc_lines[-1]][1] if doc_lines else len(text)
    return Layout(tuple(sections), doc_start, doc_end)
