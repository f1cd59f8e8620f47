"""Every citation form the corpora show, and what must not match. Each case is a small text we wrote ourselves."""

from __future__ import annotations

import pytest

from legalkg.extract.pipeline import extract_text

PLAN_QN = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
DECREE = "CHÍNH PHỦ\nSố: 99/2023/NĐ-CP\nHà Nội, ngày 05 tháng 01 năm 2023\nNGHỊ ĐỊNH\nThử nghiệm\n"


def cited(body: str, header: str = PLAN_QN):
    doc = extract_text(header + body)
    return [(c.ref.key or c.ref.title, c.ref.type, c.ref.year, c.ref.place, c.ref.date) for c in doc.citations]


def keys(body: str, header: str = PLAN_QN):
    return [k for k, *_ in cited(body, header)]


MUST_MATCH = [
    # (text, expected (key, type, year, place, date) list)
    ("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;",
     [("61/2018/NĐ-CP", "Nghị định", 2018, None, "2018-04-23")]),
    ("theo Quyết định 468/QĐ-TTg của Thủ tướng Chính phủ.", [("468/QĐ-TTg", "Quyết định", None, None, None)]),
    ("Thực hiện Kế hoạch số 140/KH-UBND ngày 14/10/2021 của UBND tỉnh.",
     [("140/KH-UBND", "Kế hoạch", 2021, "Quảng Ngãi", "2021-10-14")]),
    ("tại Công văn số: 2387/UBND-KSTTHC ngày 28/5/2020, 2496/UBND-KSTTHC ngày 03/6/2021 của UBND tỉnh.",
     [("2387/UBND-KSTTHC", "Công văn", 2020, "Quảng Ngãi", "2020-05-28"),
      ("2496/UBND-KSTTHC", "Công văn", 2021, "Quảng Ngãi", "2021-06-03")]),
    ("theo Nghị định số: 61/2018/NĐ-CP, 107/2021/NĐ-CP của Chính phủ.",
     [("61/2018/NĐ-CP", "Nghị định", 2018, None, None), ("107/2021/NĐ-CP", "Nghị định", 2021, None, None)]),
    ("theo Nghị định số 107/2020/NĐ-CP, số 108/2020/NĐ-CP ngày 14/9/2020 của Chính phủ.",
     [("107/2020/NĐ-CP", "Nghị định", 2020, None, None), ("108/2020/NĐ-CP", "Nghị định", 2020, None, "2020-09-14")]),
    ("và Quyết định số 422/QĐ- TTg ngày 04/4/2022 của Thủ tướng", [("422/QĐ-TTg", "Quyết định", 2022, None, "2022-04-04")]),
    ("theo Thông tư số\n219/2013/TT-BTC ngày 31/12/2013 của Bộ Tài chính",
     [("219/2013/TT-BTC", "Thông tư", 2013, None, "2013-12-31")]),
    ("theo Nghị định số 107/2020/NĐ-\nCP của Chính phủ", [("107/2020/NĐ-CP", "Nghị định", 2020, None, None)]),
    ("Căn cứ Nghị quyết số 04-NQ/TU ngày 18/10/2021 của Tỉnh ủy;", [("04-NQ/TU", "Nghị quyết", 2021, "Quảng Ngãi", "2021-10-18")]),
    ("theo Nghị quyết số 19-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương",
     [("19-NQ/TW", "Nghị quyết", 2017, None, "2017-10-25")]),
    ("theo Kế hoạch số 177-KH/TU ngày 16/4/2018 của Tỉnh ủy", [("177-KH/TU", "Kế hoạch", 2018, "Quảng Ngãi", "2018-04-16")]),
    ("chỉ đạo tại Công văn số 1291/SNNPTNT ngày 26/5/2020.", [("1291/SNNPTNT", "Công văn", 2020, "Quảng Ngãi", "2020-05-26")]),
    ("theo 1291/SNNPTNT ngày 26/5/2020.", [("1291/SNNPTNT", "Công văn", 2020, "Quảng Ngãi", "2020-05-26")]),
    ("theo Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm\n2022 của Thủ tướng", [("1085/QĐ-TTg", "Quyết định", 2022, None, "2022-09-15")]),
    ("theo Quyết định số 1256/QĐ-UBND ngày 22 /12/2021 của UBND tỉnh", [("1256/QĐ-UBND", "Quyết định", 2021, "Quảng Ngãi", "2021-12-22")]),
    ("theo Quyết định số 05/2022/QĐ-UBND của UBND tỉnh Kon Tum", [("05/2022/QĐ-UBND", "Quyết định", 2022, "Kon Tum", None)]),
    ("theo Quyết định số 05/2022/QĐ-UBND của UBND tỉnh Điện Biên", [("05/2022/QĐ-UBND", "Quyết định", 2022, "Điện Biên", None)]),
    ("Nghị quyết số 02/NQ-CP của Chính phủ ngày 01/01/2021 về", [("02/NQ-CP", "Nghị quyết", 2021, None, "2021-01-01")]),
    ("theo NGHỊ ĐỊNH SỐ 45/2020/NĐ-CP", [("45/2020/NĐ-CP", "Nghị định", 2020, None, None)]),
    ("theo Nghị định số 61/2018/NÐ-CP", [("61/2018/NĐ-CP", "Nghị định", 2018, None, None)]),  # Ð U+00D0
    ("theo quy định của Luật Ngân sách nhà nước và", [("Ngân sách nhà nước", "Luật", None, None, None)]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
     [("Tổ chức chính quyền địa phương", "Luật", 2015, None, "2015-06-19")]),
    ("trên cơ sở Luật Tổ chức chính quyền địa phương, Luật Cán bộ, công chức, Luật Viên chức, các Nghị định",
     [("Tổ chức chính quyền địa phương", "Luật", None, None, None), ("Cán bộ, công chức", "Luật", None, None, None),
      ("Viên chức", "Luật", None, None, None)]),
    ("theo Luật Ban hành văn bản QPPL năm 2015 và Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản QPPL năm 2020",
     [("Ban hành văn bản quy phạm pháp luật", "Luật", 2015, None, None),
      ("sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật", "Luật", 2020, None, None)]),
    ("Căn cứ Luật Doanh nghiệp số 59/2020/QH14;", [("59/2020/QH14", "Luật", 2020, None, None)]),
    ("Thực hiện Chỉ thị số 27/CT-TTg ngày 27/10/2023 và Thông báo số 437/TB-VPCP của Văn phòng Chính phủ",
     [("27/CT-TTg", "Chỉ thị", 2023, None, "2023-10-27"), ("437/TB-VPCP", "Thông báo", None, None, None)]),
    ("theo Thông tư 01/2018/ТТ-VPCP", [("01/2018/TT-VPCP", "Thông tư", 2018, None, None)]),  # Cyrillic Т
]


@pytest.mark.parametrize("text,expected", MUST_MATCH, ids=[t[:40] for t, _ in MUST_MATCH])
def test_citation_forms(text, expected):
    assert cited(text) == expected


MUST_NOT_MATCH = [
    "báo cáo theo biểu số II.05a/VPCP/KSTT và biểu số II.06a/VPCP/KSTT tại Phụ lục II.",
    "Trước ngày 15/02/2023 hoàn thành.",
    "xếp thứ hạng từ 25 - 30/63 tỉnh, thành phố.",
    "Các nhiệm vụ cụ thể tại Phụ lục II kèm theo.",
    "đạt tỷ lệ 95% và 100% hồ sơ.",
    "Hỗ trợ: (028) 3930.3279 _ 0906.229966",
    "áp dụng tiêu chuẩn TCVN ISO 9001:2015 và QCVN 01:2021/BYT.",
    "kê khai theo Mẫu số 01/TK-TNCN ban hành kèm theo.",
    "hướng dẫn tại khoản 1 Điều 2 và điểm a khoản 3.",
    "Quý I/2023",
    "phát huy vai trò của pháp luật trong xã hội",
    "theo quy định của pháp luật số hóa",
]


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_must_not_match(text):
    assert keys(text) == []


def test_spans_point_at_the_printed_citation():
    body = "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018;"
    raw = PLAN_QN + body
    doc = extract_text(raw)
    (c,) = doc.citations
    assert raw[c.span.start : c.span.end] == "Nghị định số 61/2018/NĐ-CP" == c.text
    assert c.section == "body"


def test_spans_map_back_to_decomposed_source():
    import unicodedata

    raw = unicodedata.normalize("NFD", PLAN_QN + "Thực hiện Nghị định số 61/2018/NĐ-CP.")
    doc = extract_text(raw)
    (c,) = doc.citations
    assert unicodedata.normalize("NFC", raw[c.span.start : c.span.end]) == "Nghị định số 61/2018/NĐ-CP"


RELATIONS = [
    ("Căn cứ Nghị định số 61/2018/NĐ-CP;", "based_on"),
    ("Thực hiện Quyết định số 165/QĐ-UBND ngày 31/01/2024 của Chủ tịch UBND tỉnh;", "implements"),
    ("Triển khai Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;", "implements"),
    ("Kế hoạch này thay thế Kế hoạch số 768/KH-UBND ngày 26/8/2021 của UBND tỉnh.", "replaces"),
    ("Kế hoạch này bãi bỏ Kế hoạch số 768/KH-UBND ngày 26/8/2021 của UBND tỉnh.", "repeals"),
    ("Tổ chức rà soát theo Quyết định số 468/QĐ-TTg.", "cites"),
    ("- 1 Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa\n", "related"),
]


@pytest.mark.parametrize("text,relation", RELATIONS, ids=[r for _, r in RELATIONS])
def test_relation_to_the_citing_document(text, relation):
    doc = extract_text(PLAN_QN + text)
    assert [c.relation for c in doc.citations] == [relation]


BETWEEN = [
    ("theo Nghị định 107/2021/NĐ-CP ngày 06/12/2021 sửa đổi, bổ sung Nghị định số 61/2018/NĐ-CP về một cửa.",
     ("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP")),
    ("theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP.",
     ("01/2018/TT-VPCP", "guides", "61/2018/NĐ-CP")),
    ("theo Thông tư số 219/2013/TT-BTC (được sửa đổi, bổ sung tại khoản 3 Điều 1 Thông tư số 130/2016/TT-BTC) hướng dẫn",
     ("130/2016/TT-BTC", "amends", "219/2013/TT-BTC")),
    # stated backwards; the amending document must be the later one
    ("theo Nghị định số 61/2018/NĐ-CP sửa đổi, bổ sung Nghị định 107/2021/NĐ-CP.", ("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP")),
    ("- 11 Nghị định 107/2021/NĐ-CP sửa đổi Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa\n",
     ("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP")),
]


@pytest.mark.parametrize("text,triple", BETWEEN, ids=[t[2] + t[1] for _, t in BETWEEN])
def test_relations_between_cited_documents(text, triple):
    doc = extract_text(PLAN_QN + text)
    assert triple in {(r.source.label, r.relation, r.target.label) for r in doc.relations}


def test_decree_title_amends_is_a_relation_of_the_document_itself():
    header = "CHÍNH PHỦ\nSố: 107/2021/NĐ-CP\nHà Nội, ngày 06 tháng 12 năm 2021\nNGHỊ ĐỊNH\n"
    doc = extract_text(header + "Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018\nCăn cứ Luật Tổ chức Chính phủ;\n")
    assert ("107/2021/NĐ-CP", "amends", "61/2018/NĐ-CP") in {(r.source.label, r.relation, r.target.label) for r in doc.relations}


def test_short_forms_resolve_only_to_a_definition_in_the_same_document():
    body = (
        "Sau Nghị định 61 ban hành. Triển khai Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ (Nghị định 61); "
        "Quyết định số 06/QĐ-TTg ngày 06/01/2022 phê duyệt Đề án phát triển (viết tắt là Đề án 06).\n"
        "Thực hiện Nghị định 61 và Đề án 06; theo Thông tư số 01 của Bộ.\n"
    )
    doc = extract_text(PLAN_QN + body)
    short = [(c.alias, c.ref.key) for c in doc.citations if c.alias]
    assert short == [("Nghị định 61", "61/2018/NĐ-CP"), ("Đề án 06", "06/QĐ-TTg")]
    unresolved = [m.text for m in doc.mentions if m.kind == "unresolved"]
    assert unresolved == ["Nghị định 61", "Thông tư số 01"]  # used before its definition; never defined


def test_the_document_itself_is_not_a_citation():
    doc = extract_text(PLAN_QN + "Các sở triển khai Kế hoạch này.\n(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2023 của UBND tỉnh)\n")
    assert doc.citations == ()
    assert {m.text for m in doc.mentions if m.kind == "self"} == {"Kế hoạch này", "Kế hoạch số 12/KH-UBND"}


def test_attachment_naming_another_number_is_a_conflict_not_a_citation():
    doc = extract_text(PLAN_QN + "(Kèm theo Kế hoạch số 13/KH-UBND ngày 05/01/2023 của UBND tỉnh)\n")
    assert doc.citations == ()
    assert [(c.kind, c.values) for c in doc.conflicts] == [("self_number", ("12/KH-UBND", "13/KH-UBND"))]


def test_one_key_with_two_dates_is_a_conflict():
    doc = extract_text(PLAN_QN + "theo Nghị định số 107/2020/NĐ-CP ngày 08/4/2020; Nghị định số 107/2020/NĐ-CP ngày 14/9/2020.")
    assert [(c.kind, c.key, c.values) for c in doc.conflicts] == [("date", "107/2020/NĐ-CP", ("2020-04-08", "2020-09-14"))]


def test_central_documents_have_no_province_even_in_a_local_plan():
    assert cited("theo Nghị quyết số 131/NQ-CP ngày 06/10/2022 của Chính phủ.")[0][3] is None


def test_related_list_takes_the_province_of_its_line():
    body = "- 1Quyết định 05/2022/QĐ-UBND về Quy chế hoạt động tỉnh Kon Tum\n- 2Quyết định 05/2022/QĐ-UBND về Quy chế tỉnh Điện Biên\n"
    assert [(k, p) for k, _, _, p, _ in cited(body)] == [("05/2022/QĐ-UBND", "Kon Tum"), ("05/2022/QĐ-UBND", "Điện Biên")]


def test_site_chrome_yields_no_citations():
    page = (
        "Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.\nĐang tải văn bản...\n"
        "CHÍNH PHỦ\nSố: 99/2023/NĐ-CP\nHà Nội, ngày 05 tháng 01 năm 2023\nNGHỊ ĐỊNH\nThử\n"
        "Căn cứ Luật Tổ chức Chính phủ;\n"
        "## Văn bản liên quan\nCảm ơn đã dùng ThuVienPhapLuat.vn\n"
        "Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân yêu cầu xác nhận sự đồng ý của thành viên.\n"
    )
    doc = extract_text(page)
    assert [c.ref.label for c in doc.citations] == ["Luật Tổ chức Chính phủ"]
    assert doc.ref.key == "99/2023/NĐ-CP" and doc.ref.place is None


def test_site_question_and_answer_articles_are_chrome():
    page = "# Mẫu đơn mới nhất theo Nghị định 126/2024/NĐ-CP?\n\nTheo Nghị định 126/2024/NĐ-CP thì ...\n\nQuý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây.\n"
    doc = extract_text(page)
    assert doc.citations == () and {s.kind for s in doc.sections} == {"chrome"}


# --- numbers the first look missed or mangled (issue 14); every text is our own --------------------------------------
NUMBER_FORMS = [
    ("theo Chương trình số 10-CTr/TU ngày 02/3/2024 của Tỉnh ủy", "10-CTr/TU"),
    ("thực hiện Kế hoạch số 459-KHHĐ/TU của Ban Thường vụ Tỉnh ủy", "459-KHHĐ/TU"),
    ("theo Hướng dẫn số 45-HD/BTCTW ngày 01/02/2024", "45-HD/BTCTW"),
    ("theo Quy định số 368- QĐ/TW của Bộ Chính trị", "368-QĐ/TW"),
    ("theo Nghị quyết số 66.4/2025/NQ-CP của Chính phủ", "66.4/2025/NQ-CP"),
    ("theo Nghị quyết số 66.17/2026/NQ-CP", "66.17/2026/NQ-CP"),
    ("theo Nghị định số 107/2020/NĐ-CP4 của Chính phủ", "107/2020/NĐ-CP"),  # footnote mark 4
    ("theo Nghị quyết số 12/2021/NQ-HĐND17 của HĐND tỉnh", "12/2021/NQ-HĐND17"),  # a term number stays
    ("theo Nghị định số 69/2019/NĐ-\nCP của Chính phủ", "69/2019/NĐ-CP"),
    ("theo Thông tư số **40/2021/TT-**BTC của Bộ Tài chính", "40/2021/TT-BTC"),
    ("tại Tờ trình số**382**/TTr-CP ngày 01/6/2025", "382/TTr-CP"),
    ("theo Thông tư số 22 /2026/TT-BTC của Bộ", "22/2026/TT-BTC"),
    ("theo văn bản số 06/2024/COI-BT ngày 25/11/2024 của Công ty TNHH An Bình", "06/2024/COI-BT"),
    ("theo văn bản số 28-2024/CTHĐQT-DA ngày 19/11/2024 của Tổng công ty Sông Hồng", "28-2024/CTHĐQT-DA"),
]


@pytest.mark.parametrize("text,key", NUMBER_FORMS, ids=[k for _, k in NUMBER_FORMS])
def test_number_forms(text, key):
    assert keys(text, DECREE) == [key]


NOT_NUMBERS = [
    "khai theo Mẫu số 01/TKN-CNKD và 02/CNKD ban hành kèm theo.",
    "trong nhiệm kỳ 2030-2035\nĐại hội",
    "từ K0+000 đến K16+500",
    "Sư đoàn 367/Quân chủng Phòng không",
    "bản đồ tỷ lệ 1/2000 hệ tọa độ VN-2000",
    "đạt QCVN 01:2021/BYT và ký hiệu QTKĐ: 06-2021/BLĐTBXH",
    "theo quy trình 06-2021/BLĐTBXH",  # serial-year without a type phrase
    "tại tiểu mục 14.1/14/I/ của mục lục",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_what_is_not_a_number(text):
    assert keys(text, DECREE) == []


def test_a_bare_number_of_the_quoc_hoi_is_a_law_not_a_letter():
    assert cited("người lao động theo các luật hiện hành số 12/2019/QH14, và", DECREE)[0][:2] == ("12/2019/QH14", "Luật")


def test_a_company_letter_has_no_province():
    assert cited("theo văn bản số 06/2024/COI-BT ngày 25/11/2024 của Công ty TNHH An Bình")[0][3] is None


# --- laws by name -----------------------------------------------------------------------------------------------------
LAWS = [
    # the number closes the name: commas, "và", "theo" and a line break stay inside it
    ("Căn cứ Luật Đầu tư theo phương thức đối tác công tư số 64/2020/QH14;", ["64/2020/QH14"]),
    ("Căn cứ Luật Địa chất và khoáng\nsản số 54/2024/QH15;", ["54/2024/QH15"]),
    ("Căn cứ Luật Tổ chức\nchính quyền địa phương **số**\n72/2025/QH15;", ["72/2025/QH15"]),
    ("Căn cứ Luật Đất đai và Nghị định số 43/2014/NĐ-CP;", ["Đất đai", "43/2014/NĐ-CP"]),
    # one amending law, however many laws its title names, and on however many lines
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thuế A, Luật Thuế B,\nLuật Thuế C và Luật Thuế D\nsố 09/2026/QH16;",
     ["09/2026/QH16"]),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều ngày 17/6/2020;",
     ["sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều"]),
    # a name cut where it ends, not at its first comma
    ("theo Luật Trật tự, an toàn giao thông đường bộ và", ["Trật tự, an toàn giao thông đường bộ"]),
    ("theo Luật Phòng, chống thiên tai.", ["Phòng, chống thiên tai"]),
    # a bare name printed elsewhere with its number is that number
    ("Căn cứ Luật Đầu tư theo phương thức đối tác công tư số 64/2020/QH14;\nDự án theo Luật Đầu tư theo phương thức "
     "đối tác công tư được", ["64/2020/QH14", "64/2020/QH14"]),
    # lists of laws, one by one
    ("sửa đổi các Luật: (1) Luật Ngân sách nhà nước, (2) Luật Quản lý thuế, (3) Luật Kế toán.",
     ["Ngân sách nhà nước", "Quản lý thuế", "Kế toán"]),
]


@pytest.mark.parametrize("text,expected", LAWS, ids=[t[:30] for t, _ in LAWS])
def test_laws_by_name(text, expected):
    assert keys(text, DECREE) == expected


NOT_LAWS = [
    # named only inside the title of another cited document
    "Căn cứ Nghị định số 12/2020/NĐ-CP ngày 01/02/2020 của Chính phủ quy định chi tiết một số điều của Luật Kế toán;",
    "Căn cứ Nghị định số 12/2020/NĐ-CP của Chính phủ Quy định chi tiết và hướng\ndẫn thi hành Luật Đê điều;",
    "Căn cứ Thông tư số 05/2021/TT-BTC hướng dẫn Luật sửa đổi, bổ sung một số điều của Luật Thuế A và Luật Thuế B;",
    # work to do: bills, not laws in force
    "Khẩn trương hoàn thiện dự thảo Luật Thuế thu nhập cá nhân để trình Quốc hội.",
    "Chuẩn bị hồ sơ xây dựng Luật Chuyển đổi số và các văn bản.",
    "Trình Quốc hội Luật Viên chức (sửa đổi) tại kỳ họp.",
]


@pytest.mark.parametrize("text", NOT_LAWS)
def test_laws_that_are_not_cited(text):
    assert [k for k in keys(text, DECREE) if "/" not in k] == []


def test_a_law_after_a_cited_number_but_not_in_its_title_is_cited():
    assert keys("Căn cứ Nghị định số 12/2020/NĐ-CP và Luật Kế toán;", DECREE) == ["12/2020/NĐ-CP", "Kế toán"]
    assert keys("Nghị định số 12/2020/NĐ-CP được áp dụng theo khoản 1 Điều 2 Luật Kế toán năm 2015.", DECREE) == [
        "12/2020/NĐ-CP", "Kế toán"]


# --- places -------------------------------------------------------------------------------------------------------------
def test_central_units_have_no_province():
    assert cited("Căn cứ Quyết định số 513/QĐ-TCTS-NTTS ngày 28/12/2021 của Tổng cục Thủy sản;")[0][3] is None
    assert cited("theo Quyết định số 05-QĐ/BCĐTW ngày 01/02/2024 của Ban Chỉ đạo Trung ương")[0][3] is None


def test_the_place_printed_with_a_number_holds_for_its_other_mentions():
    body = ("Căn cứ Quyết định số 66/2018/QĐ-UBND ngày 28/12/2018 của UBND tỉnh Phú Yên (cũ);\n"
            "Đơn giá theo Quyết định số 66/2018/QĐ-UBND ngày 28/12/2018.\n")
    assert {p for _, _, _, p, _ in cited(body)} == {"Phú Yên"}


def test_an_appendix_header_with_a_misprinted_own_number_is_not_a_citation():
    header = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 103/2025/QĐ-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2025\nQUYẾT ĐỊNH\nThử\n"
    doc = extract_text(header + "Điều 1. Ban hành kèm theo Quyết định này Quy định.\n*(Ban hành kèm theo Quyết định số 10325/QĐ-UBND)*\n")
    assert doc.citations == ()
    assert [c.values for c in doc.conflicts] == [("103/2025/QĐ-UBND", "10325/QĐ-UBND")]


def test_an_attachment_header_of_another_document_is_still_a_citation():
    header = "BỘ TÀI CHÍNH\nSố: 50/2026/TT-BTC\nHà Nội, ngày 05 tháng 01 năm 2026\nTHÔNG TƯ\nThử\n"
    doc = extract_text(header + "Mẫu số 01\n(Ban hành kèm theo Thông tư số 18/2026/TT-BTC ngày 05/3/2026 của Bộ Tài chính)\n")
    assert [c.ref.key for c in doc.citations] == ["18/2026/TT-BTC"]


@pytest.mark.parametrize(("sentence", "date"), [
    ("Căn cứ Nghị định số 12/2023/NĐ-CP ngày 05 tháng 4 năm 2023 của Chính phủ;", "2023-04-05"),
    ("thực hiện theo Nghị định số 12/2023/NĐ-CP của Chính phủ xong trước ngày 01 tháng 5 năm 2026;", None),
    ("Căn cứ Nghị định số 12/2023/NĐ-CP ngày 05 tháng 4 năm 2032 của Chính phủ;", None),  # a slip in the source
    ("Căn cứ Quyết định số 77/QĐ-UBND ngày 05 tháng 4 năm 2026 của UBND tỉnh;", "2026-04-05"),  # no year to check
])
def test_a_date_of_another_year_than_the_number_is_not_the_documents(sentence, date):
    doc = extract_text(f"ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 9/KH-UBND\nBình Định, ngày 2 tháng 6 năm 2026\n"
                       f"KẾ HOẠCH\nThực hiện chuyển đổi số\n{sentence}\n", "plan.txt")
    cited = next(c.ref for c in doc.citations if c.ref.key in ("12/2023/NĐ-CP", "77/QĐ-UBND"))
    assert cited.date == date
    assert any(c.kind == "year" for c in doc.conflicts) is (date is None)
