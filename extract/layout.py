"""Split a page into sections: site chrome, the site's metadata block, related-document lists, the document's header,
body, appendix, and page furniture of gazette PDFs. One pass over the lines of the normalised text.

Chrome and metadata never yield citations; related lists yield "related" citations; the rest is the document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from itertools import accumulate, count, groupby, islice, repeat
from operator import add
from dataclasses import dataclass
from functools import cache, cached_property

from legalkg.extract.patterns import type_words

# thuvienphapluat pages: the document sits between the site's metadata block and its "related documents" tail
TVPL_LOADING_TEXT = "Đang tải văn bản..."
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
INLINE_SPACE = r"[^\S\n]"  # what \s matches within one line
APPENDIX_START = re.compile(
    rf"(?m)^(?:(?:{INLINE_SPACE}|[*#_|])*(?:PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu)\b[^\n]{{0,100}}$"
    rf"|(?:{INLINE_SPACE}|[*#_])*\({INLINE_SPACE}*(?:Ban hành{INLINE_SPACE}+)?[Kk]èm theo\b)"
)
TITLE_BEFORE_NUMBER = re.compile(r"[ \t]*(?!Số )(?:[A-ZĐ][^\d|*:;,()\n]{1,40}?|[A-Z][A-Za-z ]+ No\.) ")
SENTENCE_GOES_ON = re.compile(r"(?<![\wđĐ])(?:bằng|tại|theo|và|của|với|các|tên|là)$")
APPENDIX_CUES = ("PHỤ LỤC", "Phụ lục", "PHỤ BIỂU", "Phụ biểu", "èm theo")  # a literal of each APPENDIX_START branch
OWN_NUMBER_LINE = re.compile(r"(?<![\wđĐ])[Ss]ố\s*(?:hiệu)?\s*:\s*(?:\d|/)")
BODY_START = re.compile(
    r"^[\s*#_|]*(?:Căn cứ|Thực hiện|Triển khai|Kính gửi|Chương\s|CHƯƠNG\s|Điều\s+\d|Phần\s|PHẦN\s|[IVX]+\.|\d+\.|Để\s|"
    r"Nhằm\s|Trong\s|Theo\s|Xét\s|Ngày\s|Năm\s|Qua\s|Hiện nay|Thời gian qua|Sau\s|Tiếp\s|Cục\s|Bộ\s)"
)
HEADER_LINES = 30
DOCUMENT_KINDS = ("header", "body", "appendix")


@dataclass(frozen=True)
class Layout:  # noqa: D101 - cached_property needs a __dict__, so no slots
    sections: tuple[tuple[str, int, int], ...]  # (kind, start, end) in the normalised text, in order, covering it
    doc_start: int
    doc_end: int

    def section_at(self, offset: int) -> str:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sections[i][0] if i >= 0 else "body"

    def in_kind(self, kind: str) -> Callable[[int], bool]:
        """section_at(offset) == kind as a function, answered at once when the layout has no such section (most
        have no site chrome, and table readers ask it of every line)."""
        if kind != "body" and all(k != kind for k, _, _ in self.sections):  # before the first: "body"
            return _never
        starts = self._starts
        kinds = [k == kind for k, _, _ in self.sections]
        return lambda offset: kinds[i] if (i := bisect.bisect_right(starts, offset) - 1) >= 0 else kind == "body"

    @cached_property
    def _starts(self) -> list[int]:
        return [s for _, s, _ in self.sections]

    def text_of(self, text: str, kind: str) -> str:
        return "\n".join(text[s:e] for k, s, e in self.sections if k == kind)


def _never(offset: int) -> bool:
    return False


class Lines(list):
    """(start, end) of every line of a text, without its newline; `starts` alone, for bisecting."""

    def __init__(self, text: str) -> None:
        # C-level iterators only: a long text has a million lines, and a Python loop over them costs ten times more
        ends = list(map(add, accumulate(map(len, text.split("\n"))), count()))
        self.starts = [0, *map(add, ends[:-1], repeat(1))]
        super().__init__(zip(self.starts, ends))

    def index_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


@cache
def _related_re() -> re.Pattern:
    return re.compile(rf"(?m)^[ \t]*-[ \t]?\d{{1,3}}[ \t]?(?:{type_words()}|Bộ luật)\b")


LINE_START = "(?m)^"


@cache
def after_newline(pattern: re.Pattern) -> tuple[re.Pattern, re.Pattern]:
    """"(?m)^X" as X at offset 0 and "\nX" elsewhere: the same matches, but re skips ahead to each newline instead
    of testing every position for a line start (several times faster)."""
    body = pattern.pattern.removeprefix(LINE_START)
    return re.compile(body, re.M), re.compile(f"\n(?:{body})", re.M)


def _match_starts(pattern: re.Pattern, text: str) -> list[int]:
    if not pattern.pattern.startswith(LINE_START):
        return [m.start() for m in pattern.finditer(text)]
    first, rest = after_newline(pattern)
    return [0] * bool(first.match(text)) + [m.start() + 1 for m in rest.finditer(text)]


def _search_line_start(pattern: re.Pattern, text: str, pos: int) -> re.Match | None:
    """pattern.search(text, pos) for a "(?m)^…" pattern, skipping ahead from newline to newline."""
    first, rest = after_newline(pattern)
    if (pos == 0 or text[pos - 1] == "\n") and (m := first.match(text, pos)):
        return m
    m = rest.search(text, pos)
    return first.match(text, m.start() + 1) if m else None


def _line_indexes(pattern: re.Pattern, text: str, lines: Lines) -> set[int]:
    """Indexes of the lines on which `pattern` (searched over the whole text at once) matches."""
    return {lines.index_of(start) for start in _match_starts(pattern, text)}


@dataclass(frozen=True)
class Zones:
    """Line ranges of a page: the document [first, last), and the site's metadata and related blocks outside it."""

    first: int
    last: int
    metadata: range = range(0)
    related: range = range(0)


def _zones(text: str, lines: Lines) -> Zones:
    """thuvienphapluat pages: site text, web title, metadata block, news summary, the document, the title repeated,
    the related block, notices. Other pages are all document; the site's question-and-answer articles none of it."""
    if SITE_ARTICLE_END in text and SITE_ARTICLE_START.match(text):
        return Zones(0, 0)
    loading = _search_line_start(TVPL_LOADING, text, 0) if TVPL_LOADING_TEXT in text else None
    if not loading:
        return Zones(0, len(lines))
    line_of = lines.index_of
    label = _search_line_start(TVPL_META_LABEL, text, loading.end())
    if not label:
        return Zones(line_of(loading.start()) + 1, _tail_line(text, lines, line_of(loading.start()) + 1, None))
    meta_first = line_of(label.start())
    meta_last = _metadata_end(text, lines, meta_first)
    first = _skip_summary(text, lines, meta_last)
    key = _site_number(text, lines, meta_first, meta_last)
    last = _tail_line(text, lines, first, key)
    related = _related_block(text, lines, last)
    return Zones(first, last, range(meta_first, meta_last), related)


def _line(text: str, lines: Lines, i: int) -> str:
    return text[lines[i][0] : lines[i][1]].strip()


def _metadata_end(text: str, lines: Lines, i: int) -> int:
    """The line after the site's metadata block: past the last label, its value, and the "|" separators."""
    last_label = i
    for j in range(i, min(len(lines), i + 80)):
        if TVPL_META_LABEL.match(text, lines[j][0], lines[j][1]) or _opens_label(text, lines, j):
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


def _opens_label(text: str, lines: Lines, j: int) -> bool:
    """A bold marker alone on its line before a label ("**" / "Ngày hiệu lực:**"); the same marker closing the
    document's first header line ("**ỦY BAN NHÂN DÂN" / "**") opens no label."""
    return (_line(text, lines, j) == "**" and j + 1 < len(lines)
            and bool(TVPL_META_LABEL.match(text, lines[j + 1][0], lines[j + 1][1])))


def _skip_summary(text: str, lines: Lines, i: int) -> int:
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


def _site_number(text: str, lines: Lines, first: int, last: int) -> str | None:
    for j in range(first, last):
        if re.match(r"\W*Số hiệu", _line(text, lines, j)):
            values = [_line(text, lines, k) for k in range(j + 1, last)]
            return next((v for v in values if v and v not in ("|", "**")), None)
    return None


def _tail_line(text: str, lines: Lines, first: int, key: str | None) -> int:
    """Where the document ends: the site repeats its title ("Công văn 5348/CT-CS năm 2025 …"), then its tail."""
    start = lines[first][0] if first < len(lines) else len(text)
    candidates = []
    if key:
        candidates.append(_title_repeated(text, start, key))
    candidates.append(m.start() if (m := TVPL_TAIL.search(text, start)) else None)
    found = [at for at in candidates if at is not None]
    return lines.index_of(min(found)) if found else len(lines)


def _title_repeated(text: str, start: int, key: str) -> int | None:
    """The start of the first line from `start` that repeats the title with the number ("Công văn 5348/CT-CS …"),
    found from the number (a plain search) rather than by a pattern made for each document."""
    at = text.find(key, start)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        after = at + len(key)
        if (line_start >= start and (after == len(text) or text[after].isspace())
                and TITLE_BEFORE_NUMBER.fullmatch(text, line_start, at)):
            return line_start
        at = text.find(key, at + 1)
    return None


def _related_block(text: str, lines: Lines, last: int) -> range:
    m = TVPL_RELATED.search(text, lines[last][0] if last < len(lines) else len(text))
    if not m:
        return range(0)
    begin = lines.index_of(m.start()) + 1
    end_match = TVPL_RELATED_END.search(text, m.end())
    end = lines.index_of(end_match.start()) if end_match else len(lines)
    return range(begin, end)


def _classify(text: str, lines: Lines, zones: Zones) -> list[str]:
    related = _line_indexes(_related_re(), text, lines)
    site_meta = _line_indexes(SITE_META_FIELD, text, lines)
    chrome = _furniture(text, lines)
    if any(marker in text for marker in TVPL_MARKERS):  # literal check first: CHROME_LINE is slow on big texts
        chrome |= _line_indexes(CHROME_LINE, text, lines)
    kinds = ["chrome"] * len(lines)
    kinds[zones.first : zones.last] = ["body"] * max(0, zones.last - zones.first)
    inside = range(zones.first, zones.last)
    for kind, marked in (("chrome", chrome), ("metadata", site_meta), ("related", related)):  # later ones win
        for i in marked:
            if i in inside:
                kinds[i] = kind
    for i in zones.metadata:
        kinds[i] = "metadata"
    for i in zones.related:
        kinds[i] = "related"
    _mark_site_title(text, lines, kinds, site_meta)
    _mark_header_and_appendix(text, lines, kinds)
    return kinds


def _furniture(text: str, lines: Lines) -> set[int]:
    """Gazette running headers and stamps; a bare page number only next to a running header."""
    if "CÔNG BÁO" not in text and "CỔNG THÔNG TIN" not in text:
        return set()
    headers = _line_indexes(GAZETTE_RUNNING_HEADER, text, lines)
    stamps = _line_indexes(GAZETTE_STAMP, text, lines)
    numbers = _line_indexes(PAGE_NUMBER, text, lines)
    near = {i + d for i in headers for d in (-2, -1, 1, 2)}
    return headers | stamps | (numbers & near)


def _mark_site_title(text: str, lines: Lines, kinds: list[str], site_meta: set[int]) -> None:
    """The page title the site prints right before its metadata list ("Chỉ thị 12/CT-UBND năm 2020 về …")."""
    for i in sorted(site_meta):
        if i and kinds[i] == "metadata" and kinds[i - 1] == "body" and SITE_META_FIELD.match(text, lines[i][0], lines[i][1]):
            kinds[i - 1] = "metadata"


def _mark_header_and_appendix(text: str, lines: Lines, kinds: list[str]) -> None:
    first_body = islice((i for i, k in enumerate(kinds) if k == "body"), 60)
    number_line = next((i for i in first_body if OWN_NUMBER_LINE.search(text, *lines[i])), None)
    if number_line is not None:
        _relabel(kinds, "body", "header", range(_header_end(text, lines, kinds, number_line)))
    openings = [i for i in _appendix_lines(text, lines) if kinds[i] == "body" and i > (number_line or 0) + 3]
    if openings:
        _relabel(kinds, "body", "appendix", range(min(openings), len(kinds)))


def _appendix_lines(text: str, lines: Lines) -> list[int]:
    """Lines that open an appendix: found from the literal words first (re skips ahead to those quickly), then
    APPENDIX_START checked at the start of their lines."""
    first, _ = after_newline(APPENDIX_START)
    candidates = sorted({lines.index_of(at) for cue in APPENDIX_CUES for at in _occurrences(text, cue)})
    return [i for i in candidates if first.match(text, lines[i][0]) and not _continues_sentence(text, lines, i)]


def _occurrences(text: str, literal: str):
    at = text.find(literal)
    while at >= 0:
        yield at
        at = text.find(literal, at + len(literal))


def _continues_sentence(text: str, lines: Lines, i: int) -> bool:
    """"… bằng\nPhụ lục ban hành kèm theo Thông tư này.": a line after one that stops on a lower-case word carries
    on that sentence; it opens nothing."""
    for j in range(i - 1, max(-1, i - 4), -1):
        before = text[lines[j][0] : lines[j][1]].rstrip()
        if before:
            return bool(SENTENCE_GOES_ON.search(before))
    return False


def _relabel(kinds: list[str], old: str, new: str, where: range) -> None:
    for i in where:
        if kinds[i] == old:
            kinds[i] = new


def _header_end(text: str, lines: Lines, kinds: list[str], number_line: int) -> int:
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
    lines = Lines(text)
    kinds = _classify(text, lines, _zones(text, lines))
    sections: list[tuple[str, int, int]] = []
    first = 0
    for kind, group in groupby(kinds):
        last = first + len(list(group)) - 1
        sections.append((kind, lines[first][0], lines[last][1]))
        first = last + 1
    doc = [(kind, s, e) for kind, s, e in sections if kind in DOCUMENT_KINDS]
    return Layout(tuple(sections), doc[0][1] if doc else 0, doc[-1][2] if doc else len(text))
