"""Stated relations: the preamble's basis, lists that share a cue, lists opened by a cue, ranks, laws named by title.

Examples are made up for these tests (numbers and titles are not those of real documents)."""

from __future__ import annotations

import pytest

from legalkg.extract import relations as R
from legalkg.extract.evaluate import evaluate
from legalkg.extract.pipeline import extract_text

PROVINCIAL = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 31/2024/QĐ-UBND\nBắc Ninh, ngày 05 tháng 3 năm 2024\nQUYẾT ĐỊNH\nVề thử nghiệm\n"
DECREE = "CHÍNH PHỦ\nSố: 51/2024/NĐ-CP\nHà Nội, ngày 05 tháng 3 năm 2024\nNGHỊ ĐỊNH\nVề thử nghiệm\n"
MINISTERIAL = "BỘ TÀI CHÍNH\nSố: 41/2024/TT-BTC\nHà Nội, ngày 05 tháng 3 năm 2024\nTHÔNG TƯ\nVề thử nghiệm\n"


def stated(body: str, header: str = PROVINCIAL) -> set[tuple[str, str, str]]:
    doc = extract_text(header + body)
    own = doc.ref.label
    return {("self" if r.source.label == own else r.source.label, r.relation, r.target.label) for r in doc.relations}


# --- list markers before a clause-opening cue (LIST_MARKER matches at any position, not only at the text's start) ---
OPENING = [
    ("Căn cứ Nghị quyết số 12/NQ-CP;\n", "based_on"),
    ("- Căn cứ Nghị quyết số 12/NQ-CP;\n", "based_on"),
    ("*Căn cứ Nghị quyết số 12/NQ-CP;*\n", "based_on"),
    ("1. Căn cứ Nghị quyết số 12/NQ-CP;\n", "based_on"),
    ("a) Căn cứ Nghị quyết số 12/NQ-CP;\n", "based_on"),
    ("+ Thực hiện Nghị quyết số 12/NQ-CP;\n", "implements"),
    # must not match: the cue does not open the clause
    ("Trên cơ sở căn cứ Nghị quyết số 12/NQ-CP;\n", None),
    ("Xét Tờ trình số 12/TTr-SNV;\n", None),
]


@pytest.mark.parametrize("line,relation", OPENING, ids=[o[0].strip() for o in OPENING])
def test_a_cue_after_a_list_marker_opens_the_clause(line, relation):
    text = "Dòng trước.\n" + line
    pos = text.index("Nghị") if "Nghị" in text else text.index("Tờ")
    assert R._opening_cue(text, len("Dòng trước.\n"), pos) == relation


PREAMBLE_END = [
    ("Căn cứ A;\n**Điều 1.** Ban hành", True),
    ("Căn cứ A;\nĐiều 1. Phạm vi", True),
    ("Căn cứ A;\n**Điều 1**. Công bố", True),
    ("Căn cứ A;\n**Chương I**\nQUY ĐỊNH CHUNG", True),
    ("Căn cứ A;\nI. MỤC ĐÍCH, YÊU CẦU", True),
    ("Căn cứ A;\n1. Về chính sách", True),
    # must not end the preamble
    ("Căn cứ khoản 2\nĐiều 18 Luật Đầu tư;", False),
    ("Căn cứ khoản 2\nĐiều 1 Luật Đầu tư;", False),
    ("Căn cứ A;\n1. Căn cứ B;", False),
    ("Căn cứ A;\nChương II", False),
]


@pytest.mark.parametrize("text,ends", PREAMBLE_END, ids=[p[0].replace("\n", "⏎") for p in PREAMBLE_END])
def test_the_preamble_ends_at_the_bodys_first_division(text, ends):
    assert (R.preamble_end(text) < len(text)) is ends


# --- the preamble's basis ------------------------------------------------------------------------------------------
BASIS = [
    # a list of laws after a colon, one clause each
    ("Căn cứ các Luật của Quốc hội: Luật Thử nghiệm số 11/2019/QH14, ngày 01/6/2019; Luật Mẫu số 22/2021/QH15;\n",
     {("self", "based_on", "11/2019/QH14"), ("self", "based_on", "22/2021/QH15")}),
    # several decrees on one "Căn cứ" line
    ("Căn cứ Nghị định số 10/2015/NĐ-CP ngày 01/02/2015 của Chính phủ về thử nghiệm; Nghị định số 20/2016/NĐ-CP ngày "
     "03/4/2016 của Chính phủ về mẫu và Nghị định số 30/2017/NĐ-CP ngày 05/6/2017 của Chính phủ;\n",
     {("self", "based_on", "10/2015/NĐ-CP"), ("self", "based_on", "20/2016/NĐ-CP"), ("self", "based_on", "30/2017/NĐ-CP")}),
    # the amending law of "được sửa đổi, bổ sung bởi" amends; it is not the basis
    ("Căn cứ Luật Thử nghiệm số 11/2019/QH14 được sửa đổi, bổ sung bởi Luật số 33/2022/QH15 và Luật số 44/2023/QH15;\n",
     {("self", "based_on", "11/2019/QH14"), ("33/2022/QH15", "amends", "11/2019/QH14"),
      ("44/2023/QH15", "amends", "11/2019/QH14")}),
    # a document named in the title of another is a title mention
    ("Căn cứ Quyết định số 77/QĐ-UBND ngày 02/3/2023 của UBND tỉnh ban hành kế hoạch thực hiện Quyết định số "
     "88/QĐ-TTg ngày 01/02/2023 của Thủ tướng Chính phủ;\n",
     {("self", "based_on", "77/QĐ-UBND"), ("77/QĐ-UBND", "implements", "88/QĐ-TTg")}),
    # a decree never amends a law: the amending decree amends the decree the law's name follows
    ("Căn cứ Nghị định số 10/2021/NĐ-CP của Chính phủ hướng dẫn thi hành Luật Thử nghiệm được sửa đổi, bổ sung bởi "
     "Nghị định số 20/2023/NĐ-CP;\n",
     {("self", "based_on", "10/2021/NĐ-CP"), ("20/2023/NĐ-CP", "amends", "10/2021/NĐ-CP")}),
]


@pytest.mark.parametrize("body,expected", BASIS, ids=range(len(BASIS)))
def test_the_preambles_basis(body, expected):
    got = {r for r in stated(body) if r[1] in ("based_on", "amends", "implements")}
    assert got == expected


def test_a_cause_in_the_body_is_not_the_documents_basis():
    body = "Căn cứ Nghị quyết số 12/NQ-CP;\nĐiều 1. Các sở căn cứ Nghị quyết số 34/NQ-CP để triển khai.\n"
    assert {r for r in stated(body) if r[1] == "based_on"} == {("self", "based_on", "12/NQ-CP")}


def test_following_a_rule_implements_nothing():
    body = "Căn cứ Kế hoạch số 5/KH-UBND ngày 02/3/2023 của UBND tỉnh, việc chi trả thực hiện theo Nghị định số 9/2020/NĐ-CP.\n"
    assert not {r for r in stated(body) if r[1] == "implements"}


# --- lists opened by a cue -----------------------------------------------------------------------------------------
REPEAL_LIST = (
    "Căn cứ Luật Thử nghiệm số 11/2019/QH14;\n"
    "Điều 1. Phạm vi\nQuyết định này quy định về thử nghiệm.\n"
    "Điều 2. Bãi bỏ toàn bộ các văn bản sau:\n"
    "1. Quyết định số 01/2019/QĐ-UBND ngày 02/01/2019 của UBND tỉnh về mẫu.\n"
    "2. Quyết định số 02/2020/QĐ-UBND ngày 03/01/2020 của UBND tỉnh sửa đổi Quyết định số 01/2019/QĐ-UBND.\n"
    "Điều 3. Hiệu lực\n"
    "1. Quyết định này có hiệu lực từ ngày ký.\n"
    "2. Các quyết định sau hết hiệu lực kể từ ngày Quyết định này có hiệu lực:\n"
    "a) Quyết định số 05/2021/QĐ-UBND ngày 04/01/2021 của UBND tỉnh;\n"
    "b) Quyết định số 06/2022/QĐ-UBND ngày 05/01/2022 của UBND tỉnh.\n"
    "3. Chánh Văn phòng thực hiện theo Quyết định số 07/2023/QĐ-UBND.\n"
)


def test_a_cue_opening_a_list_acts_on_the_first_document_of_each_item():
    got = stated(REPEAL_LIST)
    repealed = {t for s, r, t in got if s == "self" and r == "repeals"}
    assert repealed == {"01/2019/QĐ-UBND", "02/2020/QĐ-UBND", "05/2021/QĐ-UBND", "06/2022/QĐ-UBND"}
    assert ("02/2020/QĐ-UBND", "amends", "01/2019/QĐ-UBND") in got


NOT_A_LIST = [
    # the opener's subject is someone else, not the document
    "Điều 2. Nhiệm vụ\n1. Sở Tư pháp tham mưu bãi bỏ các văn bản sau:\na) Quyết định số 01/2019/QĐ-UBND;\n",
    # a table cell's label, not an act
    "Điều 2. Thủ tục\n- Văn bản sửa đổi, bổ sung, thay thế, bãi bỏ một phần:\n- Quyết định số 01/2019/QĐ-UBND;\n",
    # an article's sentence that runs on is not a heading that opens a list
    "Điều 2. Quyết định này có hiệu lực từ ngày ký; bãi bỏ các quy định trái với Quyết định này.\n"
    "1. Chánh Văn phòng thực hiện theo Quyết định số 01/2019/QĐ-UBND.\n",
    # parts of documents, not documents
    "Điều 2. Thay thế một số cụm từ như sau:\n1. Thay thế cụm từ “mẫu” bằng cụm từ “thử” tại Điều 3 Quyết định số "
    "01/2019/QĐ-UBND.\n",
]


@pytest.mark.parametrize("body", NOT_A_LIST, ids=range(len(NOT_A_LIST)))
def test_not_a_list_opener(body):
    assert not {r for r in stated("Căn cứ Nghị quyết số 12/NQ-CP;\n" + body) if r[1] in ("repeals", "replaces")}


def test_documents_listed_after_a_self_cue_share_it():
    body = "Quyết định này thay thế Quyết định số 01/2019/QĐ-UBND ngày 02/01/2019, Quyết định số 02/2020/QĐ-UBND ngày 03/01/2020 của UBND tỉnh.\n"
    assert {t for s, r, t in stated(body) if r == "replaces"} == {"01/2019/QĐ-UBND", "02/2020/QĐ-UBND"}


def test_a_comma_after_an_amended_document_may_start_a_new_item():
    body = ("Căn cứ các Nghị định: Nghị định số 10/2015/NĐ-CP, Nghị định số 20/2016/NĐ-CP sửa đổi, bổ sung một số điều "
            "của Nghị định số 10/2015/NĐ-CP, Nghị định số 30/2017/NĐ-CP quy định về mẫu;\n")
    amends = {(s, t) for s, r, t in stated(body) if r == "amends"}
    assert amends == {("20/2016/NĐ-CP", "10/2015/NĐ-CP")}


# --- ranks, attachments, laws named by title -------------------------------------------------------------------------
def test_a_document_never_changes_one_of_higher_rank():
    body = "Căn cứ Nghị quyết số 12/NQ-CP;\nĐiều 1. Sửa đổi khoản 2 Điều 3 Nghị định số 15/2020/NĐ-CP.\n"
    assert not {r for r in stated(body) if r[1] == "amends"}  # a province's proposal, or a quotation
    assert ("self", "amends", "15/2020/NĐ-CP") in stated(body, DECREE)


def test_an_article_opening_with_the_cue_is_the_documents_own_act():
    body = "Căn cứ Luật Thử nghiệm số 11/2019/QH14;\nĐiều 1. Sửa đổi, bổ sung Điều 5 Thông tư số 12/2020/TT-BTC như sau:\n"
    assert ("self", "amends", "12/2020/TT-BTC") in stated(body, MINISTERIAL)


def test_what_is_attached_to_a_document_is_that_document():
    body = ("Căn cứ Thông tư số 12/2022/TT-BTC ngày 01/02/2022 sửa đổi, bổ sung một số điều của Quy chế về mẫu biểu "
            "thử nghiệm ban hành kèm theo Thông tư số 07/2019/TT-BTC;\n")
    assert ("12/2022/TT-BTC", "amends", "07/2019/TT-BTC") in stated(body, MINISTERIAL)


def test_an_amending_law_amends_the_laws_its_title_names_by_the_numbers_cited():
    body = ("Căn cứ Luật Thủy lợi số 08/2017/QH14;\n"
            "Căn cứ Luật Thú y số 79/2015/QH13;\n"
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thủy lợi và Luật Thú y số 12/2022/QH15;\n")
    got = stated(body)
    assert {("12/2022/QH15", "amends", "08/2017/QH14"), ("12/2022/QH15", "amends", "79/2015/QH13")} <= got
    assert ("self", "based_on", "12/2022/QH15") in got


RANKS = [
    (("Luật", None), 2), (("Nghị định", "CP"), 4), (("Nghị quyết", "QH15"), 2), (("Quyết định", "TTg"), 5),
    (("Thông tư", "BTC"), 6), (("Quyết định", "UBND"), 7), (("Kế hoạch", None), None),
]


@pytest.mark.parametrize("args,expected", RANKS, ids=[f"{a[0]}-{a[1]}" for a, _ in RANKS])
def test_rank(args, expected):
    assert R.rank(*args) == expected


# --- scoring -------------------------------------------------------------------------------------------------------
def test_relation_precision_only_where_the_key_is_exhaustive(shared):
    dev = evaluate(shared / "corpus", shared / "gold" / "references-dev.json", relations_exhaustive=True)
    assert dev.relations_exhaustive
    assert dev.relations.precision >= 0.90 and dev.relations.recall >= 0.90
    seeds = evaluate(shared / "corpus" / "seeds", shared / "gold" / "references.json")
    assert not seeds.relations_exhaustive and seeds.relations.fp == 0
    assert seeds.relations.recall == 1.0


@pytest.mark.parametrize(("number", "type_line", "kept"), [
    ("Số: 12/VBHN-BLĐTBXH", "NGHỊ ĐỊNH", True),  # a consolidated text speaks for the decree it consolidates
    ("Số: 12/2026/TT-BLĐTBXH", "THÔNG TƯ", False),  # a circular cannot replace a decree: it quotes or proposes
])
def test_a_consolidated_text_replaces_what_its_decree_replaces(number, type_line, kept):
    doc = extract_text(f"BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\n{number}\nHà Nội, ngày 3 tháng 3 năm 2026\n"
                       f"{type_line}\nQuy định về tiền lương\nĐiều 1. Phạm vi\nNội dung.\nĐiều 2. Hiệu lực\n"
                       "Nghị định này thay thế Nghị định số 50/2013/NĐ-CP ngày 14 tháng 5 năm 2013 của Chính phủ.\n")
    replaced = {r.target.key for r in doc.relations if r.relation == "replaces"}
    assert ("50/2013/NĐ-CP" in replaced) is kept
