"""The official footnotes of consolidated texts (extract/footnotes.py) read as effects, and the agreement of the
amending documents' extracted effects with them (extract/footnote_eval.py). Snippets are written for these tests in
the gazette's PDF-text style: running headers, footnotes under a blank line at a page's foot, markers glued to the
words or headings they annotate."""

from __future__ import annotations

import re
import time

import pytest

from legalkg.extract.footnote_eval import agreement, comparable, judge, ops_agree
from legalkg.extract.footnotes import (base_document, consolidated_effects, consolidates, find_notes, read_statement)
from legalkg.extract.layout import find_layout
from legalkg.extract.structure import find_provisions
from legalkg.extract.text import normalise

AMENDING = "05/2024/TT-BKHCN"
PAGE_ONE = f"""CÔNG BÁO/Số 100/Ngày 02-01-2026
5

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

THÔNG TƯ
Quy định về thử nghiệm thiết bị đo
Thông tư số 10/2020/TT-BKHCN ngày 15 tháng 3 năm 2020 của Bộ trưởng Bộ Khoa
học và Công nghệ quy định về thử nghiệm thiết bị đo, có hiệu lực kể từ ngày 01 tháng
5 năm 2020, được sửa đổi, bổ sung bởi:
Thông tư số {AMENDING} ngày 10 tháng 6 năm 2024 của Bộ trưởng Bộ Khoa học và
Công nghệ sửa đổi, bổ sung một số điều của Thông tư số 10/2020/TT-BKHCN, có hiệu
lực kể từ ngày 01 tháng 8 năm 2024.
Căn cứ Luật Đo lường ngày 11 tháng 11 năm 2011;
Bộ trưởng Bộ Khoa học và Công nghệ ban hành Thông tư quy định về thử nghiệm thiết bị đo.1
Điều 1. Phạm vi điều chỉnh
Thông tư này quy định về thử nghiệm thiết bị đo nhóm 2 trong 7 ngày.
Điều 2. Hồ sơ thử nghiệm2
1. Hồ sơ gồm:
a) Đơn đề nghị thử nghiệm;
b)3 Bản sao giấy chứng nhận hiệu chuẩn.
2.4 Thời hạn giải quyết hồ sơ là 10 ngày làm việc.
3. Sở Khoa học và Công nghệ5 tiếp nhận hồ sơ.
 
1 Thông tư số {AMENDING} có căn cứ ban hành như sau:
“Căn cứ Luật Đo lường ngày 11 tháng 11 năm 2011;”.
2 Tên Điều này được sửa đổi theo quy định tại khoản 1 Điều 1 của Thông tư số {AMENDING},
có hiệu lực kể từ ngày 01 tháng 8 năm 2024.
3 Điểm này được bổ sung theo quy định tại điểm a khoản 2 Điều 1 của Thông tư số {AMENDING},
có hiệu lực kể từ ngày 01 tháng 8 năm 2024.
4 Khoản này được sửa đổi, bổ sung theo quy định tại điểm b khoản 2 Điều 1 của Thông tư số 05/2024/TT-
BKHCN, có hiệu lực kể từ ngày 01 tháng 8 năm 2024.
5 Cụm từ “Sở Khoa học và Công nghệ” được thay thế bằng cụm từ “Ủy ban nhân dân cấp tỉnh” theo quy
định tại khoản 3 Điều 1 của Thông tư số {AMENDING}, có hiệu lực kể từ ngày 01 tháng 8 năm 2024.
"""
PAGE_TWO = f"""
CÔNG BÁO/Số 100/Ngày 02-01-2026
6

Điều 3. Lệ phí
1. Lệ phí thử nghiệm theo quy định tại khoản 5 Điều 2 Luật Phí và lệ phí.
2.6 (được bãi bỏ)
Điều 4. Hiệu lực thi hành
Thông tư này có hiệu lực kể từ ngày 01 tháng 5 năm 2020.
 
6 Khoản này được bãi bỏ theo quy định tại khoản 4 Điều 1 của Thông tư số {AMENDING}, có hiệu lực
kể từ ngày 01 tháng 8 năm 2024.
7 Điều 2 của Thông tư số {AMENDING} quy định như sau: “Điều 2. Hiệu lực thi hành
Thông tư này được sửa đổi, bổ sung theo nhu cầu.”
"""
CONSOLIDATED = PAGE_ONE + PAGE_TWO


def effects_of(raw: str):
    text = normalise(raw).text
    layout = find_layout(text)
    return text, layout, consolidated_effects(text, layout, find_provisions(text, layout))


@pytest.fixture(scope="module")
def read():
    return effects_of(CONSOLIDATED)


# --- what a footnote says ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("note,op,subject,kind,document,source,words", [
    ("Khoản này được sửa đổi, bổ sung theo quy định tại khoản 2 Điều 1 của Nghị định số 107/2021/NĐ-CP ngày 06 "
     "tháng 12 năm 2021", "amend", "provision", "khoan", "107/2021/NĐ-CP", ("dieu:1", "khoan:2"), None),
    ("Điểm này được bổ sung theo quy định tại điểm a khoản 4 Điều 3 của Thông tư số 08/2023/TT-BLĐTBXH",
     "insert", "provision", "diem", "08/2023/TT-BLĐTBXH", ("dieu:3", "khoan:4", "diem:a"), None),
    ("Điều này được bãi bỏ theo quy định tại Điều 3 của Thông tư số 26/2026/TT-BCT sửa đổi, bổ sung một số điều",
     "repeal", "provision", "dieu", "26/2026/TT-BCT", ("dieu:3",), None),
    ("Cụm từ “Sở Công Thương” được thay thế bằng cụm từ “Ủy ban nhân dân cấp tỉnh” theo quy định tại khoản 11 "
     "Điều 1 của Thông tư số 38/2025/TT-BCT", "replace_words", "words", None, "38/2025/TT-BCT", ("dieu:1", "khoan:11"),
     ("Sở Công Thương", "Ủy ban nhân dân cấp tỉnh")),
    ("Nội dung “có xác nhận của Ủy ban nhân dân cấp xã” được bãi bỏ theo quy định tại điểm b khoản 3 Điều 2 của "
     "Thông tư số 08/2023/TT- BLĐTBXH", "replace_words", "words", None, "08/2023/TT-BLĐTBXH",
     ("dieu:2", "khoan:3", "diem:b"), ("có xác nhận của Ủy ban nhân dân cấp xã", None)),
    ("Cụm từ “(ảnh chụp trong vòng 6 tháng)” được bổ sung theo quy định tại điểm b khoản 5 Điều 1 của Thông tư số "
     "41/2019/TT-BLĐTBXH", "replace_words", "words", None, "41/2019/TT-BLĐTBXH", ("dieu:1", "khoan:5", "diem:b"),
     (None, "(ảnh chụp trong vòng 6 tháng)")),
    ("Bỏ cụm từ “đến hết ngày 31 tháng 12 năm 2020” theo quy định tại Khoản 3 Điều 1 Nghị định số 74/2019/NĐ-CP",
     "replace_words", "words", None, "74/2019/NĐ-CP", ("dieu:1", "khoan:3"),
     ("đến hết ngày 31 tháng 12 năm 2020", None)),
    ("Mẫu này được thay thế bằng Mẫu số 01 Phần I Phụ lục ban hành kèm theo Thông tư số 26/2026/TT-BCT theo quy "
     "định tại khoản 3 Điều 1 của Thông tư số 26/2026/TT-BCT", "replace", "annex", "mau", "26/2026/TT-BCT",
     ("dieu:1", "khoan:3"), None),
    ("Phụ lục này được thay thế theo quy định tại khoản 1 Điều 1 Thông tư số 02/2022/TT-BLĐTBXH", "replace", "annex",
     "phu_luc", "02/2022/TT-BLĐTBXH", ("dieu:1", "khoan:1"), None),
    ("Khoản này được thay thế bởi khoản 2 Điều 40k Thông tư số 119/2020/TT-BTC", "amend", "provision", "khoan",
     "119/2020/TT-BTC", ("dieu:40k", "khoan:2"), None),
    ("Tiêu đề của Mẫu số 03 Phụ lục X được sửa đổi theo quy định tại khoản 13 Điều 1 của Thông tư số 38/2025/TT-BCT",
     "amend", "title", "mau", "38/2025/TT-BCT", ("dieu:1", "khoan:13"), None),
    ("Tên Điều này được sửa đổi, bổ sung tại điểm a khoản 3 Điều 1 Thông tư số 10/2024/TT-BLĐTBXH", "amend", "title",
     "dieu", "10/2024/TT-BLĐTBXH", ("dieu:1", "khoan:3", "diem:a"), None),
    ("Mục này bao gồm các Điều 17 và 18 được bãi bỏ theo quy định tại khoản 4 Điều 5 của Thông tư số "
     "18/2018/TT-BLĐTBXH", "repeal", "provision", "muc", "18/2018/TT-BLĐTBXH", ("dieu:5", "khoan:4"), None),
    ("Mục này bao gồm Điều 1 được bãi bỏ theo quy định tại Phần I Phụ lục II của Thông tư số 18/2022/TT-BLĐTBXH",
     "repeal", "provision", "muc", "18/2022/TT-BLĐTBXH", ("phu_luc:ii", "phan:i"), None),
    ("Quy định về bảo hiểm tai nạn lao động tại khoản này hết hiệu lực kể từ ngày 01 tháng 7 năm 2016 theo quy định "
     "tại khoản 2 Điều 92 của Luật An toàn, vệ sinh lao động số 84/2015/QH13", "repeal", "provision", "khoan",
     "84/2015/QH13", ("dieu:92", "khoan:2"), None),
    ("Tên thuốc này được sửa đổi theo quy định tại khoản 1 Điều 5 của Thông tư số 50/2017/TT-BYT", "amend", "passage",
     None, "50/2017/TT-BYT", ("dieu:5", "khoan:1"), None),
    ("Đoạn này được bãi bỏ theo quy định tại khoản 9 Điều 1 của Thông tư số 15/2023/TT-BLĐTBXH", "repeal", "passage",
     None, "15/2023/TT-BLĐTBXH", ("dieu:1", "khoan:9"), None),
    ("Mẫu này được ban hành theo quy định tại Điều 4 của Thông tư số 08/2023/TT-BLĐTBXH", "replace", "annex", "mau",
     "08/2023/TT-BLĐTBXH", ("dieu:4",), None),
])
def test_a_footnote_states_an_effect(note, op, subject, kind, document, source, words):
    s = read_statement(note)
    assert (s.op, s.subject, s.kind, s.amending_document, s.amending_source, s.words) == \
        (op, subject, kind, document, source, words)


@pytest.mark.parametrize("note", [
    "Thông tư số 38/2025/TT-BCT sửa đổi, bổ sung một số quy định về phân cấp có căn cứ ban hành như sau: “Căn cứ "
    "Luật Tổ chức Chính phủ số 63/2025/QH15;”",
    "Điều 11 của Thông tư số 12/2024/TT-BLĐTBXH, có hiệu lực từ ngày 29 tháng 12 năm 2024 quy định như sau: "
    "“Điều 11. Hiệu lực thi hành 1. Thông tư này được sửa đổi, bổ sung …”",
    "Văn bản này được hợp nhất từ 02 Thông tư sau: - Thông tư số 20/2016/TT-BTC …",
    "Mức trợ cấp hàng tháng này đã được điều chỉnh thành 540.000 đồng theo quy định tại Điều 1 của Quyết định số "
    "29/2016/QĐ-TTg",  # an amount adjusted by a later decision: the text itself is not amended
    "Điều 2 và Điều 3 của Nghị định số 55/2023/NĐ-CP ngày 21 tháng 7 năm 2023 của Chính phủ quy định như sau:",
])
def test_a_footnote_that_states_no_effect_is_skipped(note):
    assert read_statement(note) is None


# --- footnotes placed in a consolidated text ---------------------------------------------------------------------
def test_footnotes_are_the_numbered_lines_under_a_blank_line(read):
    text, layout, _ = read
    assert [n.number for n in find_notes(text, layout)] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("number,op,target,part,source,marked", [
    (2, "amend", ("dieu:2",), "title", ("dieu:1", "khoan:1"), "Hồ sơ thử nghiệm2"),
    (3, "insert", ("dieu:2", "khoan:1", "diem:b"), None, ("dieu:1", "khoan:2", "diem:a"), "b)3"),
    # the marker glued to the khoản's label ("2.4"): the structure reader does not count that line as khoản 2
    (4, "amend", ("dieu:2", "khoan:2"), None, ("dieu:1", "khoan:2", "diem:b"), "2.4"),
    (5, "replace_words", ("dieu:2", "khoan:3"), None, ("dieu:1", "khoan:3"), "Công nghệ5"),
    (6, "repeal", ("dieu:3", "khoan:2"), None, ("dieu:1", "khoan:4"), "2.6"),
])
def test_each_effect_targets_the_provision_its_marker_stands_in(read, number, op, target, part, source, marked):
    text, _, effects = read
    e = next(e for e in effects if e.number == number)
    assert (e.op, e.target, e.part, e.amending_document, e.amending_source) == (op, target, part, AMENDING, source)
    assert text[e.marker_start: e.marker_end] == str(number)
    assert text[: e.marker_end].endswith(marked)
    assert e.note.startswith(text[e.note_start: e.note_start + 20].split("\n")[0].strip())


def test_footnotes_that_state_nothing_give_no_effect(read):
    assert [e.number for e in read[2]] == [2, 3, 4, 5, 6]


def test_numbers_in_the_body_are_not_markers(read):
    text, _, effects = read
    # "nhóm 2 trong 7 ngày", "khoản 5 Điều 2": numbers that equal a footnote's but stand alone in a sentence
    body_numbers = [m.start() for m in re.finditer(r"nhóm 2|khoản 5 Điều 2|trong 7", text)]
    assert body_numbers and not any(e.marker_start in range(b, b + 20) for e in effects for b in body_numbers)


def test_a_table_row_under_a_blank_line_is_not_a_footnote():
    rows = PAGE_ONE.replace(" \n1 Thông tư số", " \n36 Nhiệt kế y tế\n \n1 Thông tư số")
    text, layout, effects = effects_of(rows + PAGE_TWO)
    assert 36 not in [n.number for n in find_notes(text, layout)]
    assert [e.number for e in effects] == [2, 3, 4, 5, 6]


WEB_PAGE = f"""Thông tư số 10/2020/TT-BKHCN ngày 15 tháng 3 năm 2020 của Bộ trưởng Bộ Khoa học và Công nghệ,
được sửa đổi, bổ sung bởi:

Thông tư số {AMENDING} ngày 10 tháng 6 năm 2024.

**Điều 1.** Phạm vi điều chỉnh

1. Thông tư này quy định về thử nghiệm.

2. [1] Thông tư này áp dụng đối với tổ chức thử nghiệm.

**Điều 2a.**[2] Lệ phí thử nghiệm

Lệ phí theo quy định của pháp luật về phí và lệ phí[3].

[1] Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 của Thông tư số {AMENDING},
có hiệu lực từ ngày 01 tháng 8 năm 2024.

[2] Điều này được bổ sung theo quy định tại khoản 2 Điều 1 của Thông tư số {AMENDING}.

[3] Ghi theo quy định của pháp luật về phí.
"""


def test_a_web_pages_bracketed_footnotes():
    text, layout, effects = effects_of(WEB_PAGE)
    assert [n.number for n in find_notes(text, layout)] == [1, 2, 3]
    assert [(e.number, e.op, e.target, text[e.marker_start:e.marker_end]) for e in effects] == [
        (1, "amend", ("dieu:1", "khoan:2"), "[1]"), (2, "insert", ("dieu:2a",), "[2]")]


def test_the_base_document_is_the_one_the_statement_opens_with(read):
    text, layout, _ = read
    assert base_document(text, layout) == "10/2020/TT-BKHCN"
    assert consolidates(text, layout)


def test_a_basis_naming_an_amended_document_is_no_consolidation():
    raw = ("THÔNG TƯ\nQuy định về đo lường\nCăn cứ Nghị định số 40/2025/NĐ-CP của Chính phủ, được sửa đổi, bổ sung "
           "bởi Nghị định số 109/2025/NĐ-CP;\nĐiều 1. Phạm vi điều chỉnh\nThông tư này quy định về đo lường.\n")
    text = normalise(raw).text
    assert not consolidates(text, find_layout(text))


# --- the agreement measure ----------------------------------------------------------------------------------------
def stated(op="amend", target=("dieu:2", "khoan:2"), part=None, source=("dieu:1", "khoan:2", "diem:b"),
           document="10/2020/TT-BKHCN"):
    return {"op": op, "target_document": document, "target": list(target), "part": part, "source": list(source),
            "words": None, "span": {"start": 0, "end": 0}, "text": ""}


@pytest.mark.parametrize("effects,verdict", [
    ([stated()], "agree"),
    ([stated(op="replace_words")], "agree"),  # the one equivalence (EQUIVALENT_OPS)
    ([stated(op="insert")], "other_op"),
    ([stated(op="repeal")], "other_op"),
    ([stated(target=("dieu:2",))], "coarser"),
    ([stated(target=("dieu:2", "khoan:2", "diem:a"))], "finer"),
    ([stated(target=("dieu:3",))], "absent"),
    ([stated(document="11/2020/TT-BKHCN")], "base_not_named"),
    ([stated(part="title")], "other_part"),
])
def test_a_footnote_effect_is_judged_against_the_amending_texts_effects(read, effects, verdict):
    fn4 = next(e for e in read[2] if e.number == 4)
    check = judge("vbhn.txt", fn4, "10/2020/TT-BKHCN", "amending.txt", effects)
    assert check.verdict == verdict
    assert check.source_right == (verdict == "agree")


@pytest.mark.parametrize("footnote,text_op,agree", [
    ("amend", "amend", True),
    ("amend", "replace_words", True),  # "Khoản này được sửa đổi, bổ sung" over an item that only replaces words
    ("replace_words", "amend", False),  # "Sửa đổi cụm từ A thành B" states words, not the provision, amended
    ("amend", "insert", False),  # they disagree on whether the provision was there before
    ("replace", "amend", False),
    ("repeal", "amend", False),
    ("replace_words", "repeal", False),
])
def test_op_equivalences(footnote, text_op, agree):
    assert ops_agree(footnote, text_op) is agree


def test_paths_compare_without_leading_zeros_or_unnumbered_appendices():
    assert comparable(("phu_luc:", "mau:03")) == comparable(("mau:3",)) == ("mau:3",)
    assert comparable(("mau:04-A",)) == ("mau:4a",)


def test_agreement_over_a_corpus_with_a_fake_extractor(tmp_path):
    (tmp_path / "vbhn.txt").write_text(CONSOLIDATED, encoding="utf-8")
    (tmp_path / "amending.txt").write_text(
        f"BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: {AMENDING}\nHà Nội, ngày 10 tháng 6 năm 2024\n\nTHÔNG TƯ\nSửa đổi, bổ sung một "
        f"số điều của Thông tư số 10/2020/TT-BKHCN\nĐiều 1. Sửa đổi, bổ sung một số điều của Thông tư số "
        f"10/2020/TT-BKHCN\n1. Sửa đổi tên Điều 2 như sau:\n", encoding="utf-8")
    asked = []

    def fake(path):
        asked.append(path.name)
        return [stated(), stated("amend", ("dieu:2",), "title", ("dieu:1", "khoan:1")),
                stated("repeal", ("dieu:3", "khoan:2"), source=("dieu:1", "khoan:4"))]

    report = agreement(tmp_path, fake)
    assert asked == ["amending.txt"]  # asked once, however many footnotes cite it
    assert (report.footnote_effects, report.checkable, report.agreed) == (5, 5, 3)
    assert report.share == pytest.approx(0.6)
    misses = report.misses()
    assert len(misses) == 2 and all(m.startswith("vbhn.txt fn") for m in misses)
    # the amending text's title amendment of Điều 2 holds no more than the title; the footnote's point is inside it
    assert any("fn3 insert dieu:2/khoan:1/diem:b" in m and "[holder_differs]" in m for m in misses)
    lines = report.lines(verbose=True)
    assert lines[1].startswith("agreement") and "0.600 of 5" in lines[1]
    assert [f"  {m}" for m in misses] == lines[-2:] and len(report.lines()) == len(lines) - 2


# --- the corpus ---------------------------------------------------------------------------------------------------
DOCUMENT_NUMBER = re.compile(r"^\d{1,4}[a-zA-Z]?(?:/\d{4})?/[A-ZĐ][A-ZĐa-zđ0-9-]*$")  # "38/2019/QĐ-TTg"


def test_most_consolidated_texts_of_the_corpus_state_effects_in_their_footnotes(shared):
    files = sorted((shared / "corpus" / "gazette").glob("*van-ban-hop-nhat*"))
    assert len(files) >= 80
    with_effects, documents, slowest = 0, [], 0.0
    for path in files:
        text = normalise(path.read_bytes().decode("utf-8")).text
        layout = find_layout(text)
        provisions = find_provisions(text, layout)
        started = time.perf_counter()
        effects = consolidated_effects(text, layout, provisions)
        slowest = max(slowest, time.perf_counter() - started)
        assert consolidates(text, layout) and base_document(text, layout)
        with_effects += bool(effects)
        documents += [e.amending_document for e in effects if e.amending_document]
    assert with_effects >= 0.85 * len(files)
    assert len(documents) > 1000
    odd = [d for d in documents if not DOCUMENT_NUMBER.match(d)]
    assert len(odd) <= 0.01 * len(documents), odd[:10]
    assert slowest < 0.5
