"""The provision tree (extract/structure.py): headings and numbering read from line starts, quoted text skipped, the
own articles a run of increasing numbers; and, over the corpus, the bar of issue 17: the tree's Điều count equals
the number of distinct own "Điều N." headings in the body, with no exception."""

from __future__ import annotations

import re

import pytest

from legalkg.extract.layout import find_layout
from legalkg.extract.pipeline import extract_text
from legalkg.extract.structure import find_provisions
from legalkg.extract.text import read_source

HEADER = "BỘ TÀI CHÍNH\nSố: 12/2031/TT-BTC\nHà Nội, ngày 02 tháng 01 năm 2031\nTHÔNG TƯ\nQuy định thử\n"


def paths(body: str) -> list[str]:
    doc = extract_text(HEADER + body)
    return ["/".join(p.path) for p in doc.provisions]


@pytest.mark.parametrize("body,expected", [
    ("Điều 1. Phạm vi\nNội dung.\nĐiều 2. Đối tượng\nNội dung.\n", ["dieu:1", "dieu:2"]),
    # khoản and điểm count up; a heading's title may sit on its line
    ("Điều 1. Phạm vi\n1. Một.\na) A;\nb) B.\n2. Hai.\nĐiều 2. Hiệu lực\n",
     ["dieu:1", "dieu:1/khoan:1", "dieu:1/khoan:1/diem:a", "dieu:1/khoan:1/diem:b", "dieu:1/khoan:2", "dieu:2"]),
    # Chương and Mục hold articles; an article's path starts at itself
    ("Chương I\nQUY ĐỊNH CHUNG\nMục 1. Phạm vi\nĐiều 1. Phạm vi\nNội dung.\nChương II\nTỔ CHỨC\nĐiều 2. Hiệu lực\n",
     ["chuong:i", "chuong:i/muc:1", "dieu:1", "chuong:ii", "dieu:2"]),
    # Điều 5a (an inserted article), điểm đ (the Vietnamese alphabet), tiết a.1)
    ("Điều 5. A\nNội dung.\nĐiều 5a. B\na) x;\nb) x;\nc) x;\nd) x;\nđ) y:\nđ.1) z;\nĐiều 6. C\n",
     ["dieu:5", "dieu:5a", "dieu:5a/diem:a", "dieu:5a/diem:b", "dieu:5a/diem:c", "dieu:5a/diem:d", "dieu:5a/diem:đ",
      "dieu:5a/diem:đ/tiet:đ.1", "dieu:6"]),
])
def test_the_tree_follows_headings_and_numbering(body, expected):
    assert paths(body) == expected


@pytest.mark.parametrize("body,expected", [
    # must not match: an article the document quotes (the amended text), and its khoản
    ("Điều 1. Sửa đổi, bổ sung Điều 20 như sau:\n“Điều 20. Nội dung mới\n1. Một.\n2. Hai.”.\nĐiều 2. Hiệu lực\n",
     ["dieu:1", "dieu:2"]),
    # must not match: "Điều 29" continuing a sentence across a line break
    ("Điều 1. Phạm vi\nTheo quy định tại\nĐiều 29 Luật Tiếp công dân.\nĐiều 2. Hiệu lực\n", ["dieu:1", "dieu:2"]),
    # must not match: a numbered line that breaks the count (a year, a list of another kind)
    ("Điều 1. Phạm vi\n1. Một.\n2015. Năm.\n3. Ba.\n2. Hai.\n", ["dieu:1", "dieu:1/khoan:1", "dieu:1/khoan:2"]),
    # a quotation the source never closed does not swallow the document's own articles
    ("“Căn cứ Luật Tổ chức Chính phủ;\nĐiều 1. Phạm vi\nNội dung.\nĐiều 2. Đối tượng\n1. Một.\n", ["dieu:1", "dieu:2",
                                                                                               "dieu:2/khoan:1"]),
    # an out-of-order heading outside quotes (a quotation closed too early) is not an own article
    ("Điều 12. Bổ sung Mục 2a\n“Điều 28a. Mới\nNội dung.”.\nĐiều 28b. Mới nữa\nNội dung.\nĐiều 13. Hiệu lực\n"
     "Điều 14. Trách nhiệm\n", ["dieu:12", "dieu:13", "dieu:14"]),
    # an inserted article printed before the one it follows in number is still the document's own
    ("Điều 8. A\nNội dung.\nĐiều 9a: B\nNội dung.\nĐiều 9. C\nNội dung.\nĐiều 10. D\n",
     ["dieu:8", "dieu:9a", "dieu:9", "dieu:10"]),
])
def test_what_is_not_the_documents_own_structure(body, expected):
    assert paths(body) == expected


def test_spans_cover_each_provision_and_map_to_the_raw_file():
    raw = HEADER + "Điều 1. Phạm vi\r\n1. Một.\r\n2. Hai.\r\nĐiều 2. Hiệu lực\r\n"
    doc = extract_text(raw)
    by_path = {p.path: p for p in doc.provisions}
    first = by_path[("dieu:1",)]
    assert raw[first.span.start:first.span.end].startswith("Điều 1. Phạm vi")
    assert "Điều 2" not in raw[first.span.start:first.span.end]
    assert raw[by_path[("dieu:1", "khoan:2")].span.start:].startswith("2. Hai.")
    assert by_path[("dieu:1", "khoan:2")].parent == ("dieu:1",) and first.parent is None
    assert first.heading == "Điều 1. Phạm vi"


def test_appendix_forms_are_units_of_the_appendix():
    body = ("Điều 1. Ban hành mẫu\nBan hành kèm theo Thông tư này các mẫu.\n\nPHỤ LỤC I\n(Kèm theo Thông tư số 12/2031/TT-BTC)\n"
            "Mẫu số 01\nTỜ KHAI\nĐiều 1. ........\nMẫu số 02\nBÁO CÁO\n")
    assert paths(body) == ["dieu:1", "phu_luc:i", "phu_luc:i/mau:01", "phu_luc:i/mau:02"]


def test_each_appendix_keeps_its_own_forms():
    body = ("Điều 1. Ban hành mẫu\nNội dung.\n\nPHỤ LỤC I\nMẫu số 01\nTỜ KHAI\nMẫu số 02\nBÁO CÁO\n"
            "PHỤ LỤC II\nMẫu số 01\nĐƠN\nMẫu số 02\nPHIẾU\n")
    assert paths(body) == ["dieu:1", "phu_luc:i", "phu_luc:i/mau:01", "phu_luc:i/mau:02", "phu_luc:ii",
                           "phu_luc:ii/mau:01", "phu_luc:ii/mau:02"]


# ---- the corpus bar: one article per own "Điều N." heading -------------------------------------------------------

HEADING = re.compile(r"(?m)^[ \t*#_|>]*[“‟\"]?[ \t*]*Điều[ \t]+(\d{1,3})([a-zđ]?)[ \t*]*[.:][ \t*]*(\S?)")
QUOTE_OPEN = re.compile(r"^[ \t*#_|>]*[“‟\"]")
QUOTE_CLOSE = re.compile(r"[”\"][ \t*_)]*[.;,:]*\d{0,3}[ \t]*$")
WORD_ALONE = re.compile(r"^[ \t*#_|>]*Điều[ \t\r]*$")
SENTENCE_DONE = re.compile(r"(?:[.:;!?”)*]|^)[ \t]*$")


GAP_MOST = 6  # a converted page may lose a few article headings; a jump beyond this is another text's numbering


def own_headings(text: str, layout) -> set[str]:
    """The count the bar is checked against, read without extract/structure. Candidates: body lines "Điều N."
    that start a line after a finished one (not the tail of a wrapped sentence) and do not open a quotation (a
    quotation opens at a line start and closes at a line end). A candidate is the document's own when it carries
    its numbering on: the next number; or a small gap outside a quotation; or, inside one (the source may have left
    it open), the first of a run of three; but never the number after a quoted article (the quoted text going on
    with its quotation marks astray)."""
    candidates, inside, previous, at, quoted_number = [], False, "", 0, None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if WORD_ALONE.match(line) and i + 1 < len(lines):  # "**Điều" ⏎ "1. Phạm vi": one heading, wrapped
            line = line.rstrip() + " " + lines[i + 1]
        m, opens = HEADING.match(line), bool(QUOTE_OPEN.match(line))
        if m and opens:
            quoted_number = int(m.group(1))
        elif (m and layout.section_at(at + m.start(1)) in ("header", "body")
              and (m.group(3) or SENTENCE_DONE.search(previous))):
            candidates.append((m.group(1) + m.group(2), int(m.group(1)), inside, quoted_number))
            quoted_number = None
        if opens:
            inside = True
        if inside and QUOTE_CLOSE.search(line):
            inside = False
        if line.strip():
            previous = line
        at += len(lines[i]) + 1
    own, last, astray = set(), 0, None
    for k, (label, n, quoted, after_quoted) in enumerate(candidates):
        if n != last + 1 and n - 1 in (after_quoted, astray):
            astray = n
            continue
        run = [c[1] for c in candidates[k + 1:k + 3]]
        if run and run[0] < n and any(c[0] == label for c in candidates[k + 1:]):
            continue  # printed again in its place further on ("Điều 45 (được bãi bỏ)" before Điều 44)
        if (n == last + 1 or (n == last and label not in own) or (not quoted and last < n <= last + GAP_MOST)
                or (n > last and run == [n + 1, n + 2])):
            own.add(label)
            last, astray = n, None
    return own


def test_every_corpus_document_has_one_article_per_own_heading(shared):
    files = sorted(p for p in (shared / "corpus").rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    checked, exceptions = 0, []
    for path in files:
        text = read_source(path).text
        layout = find_layout(text)
        articles = [h.label for h in find_provisions(text, layout) if h.kind == "dieu"]
        headings = own_headings(text, layout)
        if not headings and not articles:
            continue
        checked += 1
        if len(articles) != len(set(articles)) or len(articles) != len(headings):
            exceptions.append(f"{path.name}: tree {len(articles)} articles, {len(headings)} own headings; "
                              f"tree only {sorted(set(articles) - headings)[:6]}, headings only "
                              f"{sorted(headings - set(articles))[:6]}")
    print(f"structure: {checked} documents with article headings, {len(exceptions)} exceptions")
    assert checked > 600
    assert exceptions == []
