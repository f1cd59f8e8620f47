"""Provisions named in running text (extract/provision_refs.py): with a cited document, and of the document itself;
table-driven, with what must not be read as a provision of the citation."""

from __future__ import annotations

import pytest

from legalkg.extract.pipeline import extract_text
from legalkg.extract.provision_refs import ENDS_WITH_LABEL, ends_with_label, named_before


@pytest.mark.parametrize("text,expected", [
    ("theo quy định tại khoản 2 Điều 5 Nghị định số 61/2018/NĐ-CP", [("dieu:5", "khoan:2")]),
    ("tại Điều 5, Điều 96 của Nghị định 17/2023/NĐ-CP", [("dieu:5",), ("dieu:96",)]),
    ("điểm a, điểm b khoản 2 Điều 10 Thông tư số 12/2015/TT-BTC",
     [("dieu:10", "khoan:2", "diem:a"), ("dieu:10", "khoan:2", "diem:b")]),
    ("quy định từ Điều 5 đến Điều 7 của Nghị định số 61/2018/NĐ-CP", [("dieu:5",), ("dieu:6",), ("dieu:7",)]),
    ("khoản 3 Điều 5 và Điều 7 Nghị định số 61/2018/NĐ-CP", [("dieu:5", "khoan:3"), ("dieu:7",)]),
    ("Mẫu số 02 Phụ lục I ban hành kèm theo Nghị định số 61/2018/NĐ-CP", [("phu_luc:i", "mau:02")]),
    # must not match: nothing named, a provision of another sentence, words between the provision and the document
    ("Căn cứ Nghị định số 61/2018/NĐ-CP", []),
    ("Điều 5 của Luật này; căn cứ Nghị định số 61/2018/NĐ-CP", []),
    ("Điều 5 về nội dung của Nghị định số 61/2018/NĐ-CP", []),
    ("từ Điều 5 đến Điều 900 của Nghị định số 61/2018/NĐ-CP", []),
])
def test_provisions_named_with_a_document(text, expected):
    at = text.rfind("Nghị định") if "Nghị định" in text else text.rfind("Thông tư")
    assert named_before(text, at) == expected


HEADER = "BỘ TÀI CHÍNH\nSố: 12/2031/TT-BTC\nHà Nội, ngày 02 tháng 01 năm 2031\nTHÔNG TƯ\nQuy định thử\n"


@pytest.mark.parametrize("tail", [
    "khoản 2 Điều 5 ", "Điều 5, Điều 96 của ", "Mẫu số 02 Phụ lục I ban hành kèm theo ", "khoản 3 Điều 5a\n",
    "điểm a) ", "Phụ lục 01-A kèm ", "Điều 5 tại\n", "điểm đ, ", "theo Điều 12 ban hành kèm theo ",
    # must not match: a word, not a label, at the end; a label inside a word; a dot after the label
    "Căn cứ ", "năm 2020; Căn cứ ", "Điều 5 về nội dung của ", "khoảng ", "1. ", "ban hành kèm theo ", "",
])
def test_the_label_at_a_tail_s_end_is_read_backwards_as_the_pattern_reads_it_forwards(tail):
    assert ends_with_label(tail) == bool(ENDS_WITH_LABEL.search(tail))


def test_citations_and_tasks_carry_their_provisions():
    doc = extract_text(HEADER + "Điều 1. Phạm vi\nThực hiện theo khoản 2 Điều 5 Nghị định số 61/2018/NĐ-CP.\n")
    cited = {c.ref.key: c.provisions for c in doc.citations}
    assert cited["61/2018/NĐ-CP"] == (("dieu:5", "khoan:2"),)


def test_provisions_of_the_document_itself():
    doc = extract_text(HEADER + "Điều 1. Phạm vi\n1. Một theo khoản 2 Điều này.\n2. Hai theo điểm a khoản này.\n"
                       "Điều 2. Hiệu lực\nQuy định tại Điều 1 Thông tư này có hiệu lực.\n")
    own = {m.text: m.provisions for m in doc.mentions if m.provisions}
    assert own == {"khoản 2 Điều này": (("dieu:1", "khoan:2"),), "điểm a khoản này": (("dieu:1", "khoan:2", "diem:a"),),
                   "Thông tư này": (("dieu:1",),)}


@pytest.mark.parametrize("sentence,expected", [
    ("theo khoản 1 Điều 2 và khoản 2 Điều này.", {"khoản 1 Điều 2 và khoản 2 Điều này": (("dieu:2", "khoan:1"),
                                                                                        ("dieu:3", "khoan:2"))}),
    ("theo Điều 1 Chương này.", {"Điều 1 Chương này": (("dieu:1",),)}),  # an article's path starts at the article
    ("theo điểm a khoản này.", {"điểm a khoản này": (("dieu:3", "khoan:1", "diem:a"),)}),
])
def test_provisions_named_from_inside_the_document(sentence, expected):
    doc = extract_text(HEADER + "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nNội dung.\nĐiều 2. Đối tượng\n1. Một.\n"
                       f"Điều 3. Thực hiện\n1. Thực hiện {sentence}\n")
    assert {m.text: m.provisions for m in doc.mentions if m.kind == "self" and m.provisions} == expected
