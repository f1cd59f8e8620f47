"""The citing document's metadata: own number (party numbers without a colon), signing date only from the header,
issuer from the header block (never furniture), central documents without a place, and words a PDF text layer or
markup split, repaired in titles. All examples are our own small strings."""

from __future__ import annotations

import pytest

from legalkg.extract.metadata import _is_syllable, issuer_name, read_header_block, read_metadata, repair_words
from legalkg.extract.pipeline import extract_text


def meta(text: str):
    return read_metadata(text, 0, len(text), "")


@pytest.mark.parametrize("word,syllable", [
    ("và", True), ("hướng", True), ("của", True), ("một", True), ("nghiêng", True), ("quyết", True), ("gì", True),
    ("khuya", True), ("THUẾ", True), ("à", True),
    ("v", False), ("ớng", False), ("c", False), ("UBND", False), ("HQ", False), ("tòán", False),  # two tone marks
])
def test_syllable_grammar(word, syllable):
    assert _is_syllable(word) is syllable


@pytest.mark.parametrize("line,repaired", [
    ("quy định chi tiết v à hư ớng dẫn thi h ành", "quy định chi tiết và hướng dẫn thi hành"),
    ("**Quy ****định m****ột số điều c****ủa Luật**", "Quy định một số điều của Luật"),
    ("TRƯ**Ở****NG PHÒNG", "TRƯỞNG PHÒNG"),
    ("BỘ Y T Ế", "BỘ Y TẾ"),
    # must not join: words that are already syllables, list letters, numbers, markup between words
    ("điểm a, b và c khoản 2", "điểm a, b và c khoản 2"),
    ("Luật số 12/2030/QH19 (sửa đổi);", "Luật số 12/2030/QH19 (sửa đổi);"),
    ("Chương I****QUY ĐỊNH CHUNG", "Chương I QUY ĐỊNH CHUNG"),
    ("hoa hồng đỏ", "hoa hồng đỏ"),
])
def test_split_words_are_repaired_and_nothing_else(line, repaired):
    assert repair_words(line) == repaired


@pytest.mark.parametrize("block,names", [
    ("ỦY BAN NHÂN\nDÂN\nTỈNH BẮC GIANG\n-------\n| CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
     ("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",)),
    ("BAN CHẤP HÀNH\nTRUNG ƯƠNG\n**BAN TỔ CHỨC**\n|\nĐẢNG CỘNG SẢN\nVIỆT NAM", ("BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC")),
    ("CHÍNH PHỦ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc-------", ("CHÍNH PHỦ",)),
    ("CÔNG BÁO/Số 10/Ngày 01-02-2030\n7\nVĂN BẢN QUY PHẠM PHÁP LUẬT\nBỘ XÂY DỰNG\nBỘ XÂY DỰNG\n", ("BỘ XÂY DỰNG",)),
    ("BỘ LAO ĐỘNG -\nTHƯƠNG BINH VÀ XÃ\nHỘI", ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",)),
    ("CỤC\nHẢI QUAN", ("CỤC HẢI QUAN",)),
    ("THÔNG TƯ\nHƯỚNG DẪN CHẾ ĐỘ", ()),  # a title, no body's name
])
def test_header_block_names(block, names):
    assert read_header_block(block).names == names


@pytest.mark.parametrize("printed,place,name", [
    ("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", None, "HĐND thành phố Hà Nội"),
    ("HỘI ĐỒNG NHÂN DÂN TỈNH HÀ NỘI", None, "HĐND thành phố Hà Nội"),  # a centrally-run city is a thành phố
    ("ỦY BAN NHÂN DÂN", "Bắc Giang", "UBND tỉnh Bắc Giang"),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", None, "Chủ tịch UBND tỉnh Bắc Giang"),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", None, "Bộ Văn hóa, Thể thao và Du lịch"),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None, "Bộ Lao động - Thương binh và Xã hội"),  # "XÃ HỘI" is no commune
    ("THỦ TƯỚNG CHÍNH PHỦ", None, "Thủ tướng Chính phủ"),
    ("UBND XÃ TÂN PHÚ", None, "UBND xã Tân Phú"),
])
def test_issuer_names(printed, place, name):
    assert issuer_name(printed, place) == name


PARTY = ("|\nBAN CHẤP HÀNH\nTRUNG ƯƠNG\n*\n|\nĐẢNG CỘNG SẢN\nVIỆT NAM\n-----\n|\n|\nSố 12-QĐ/TW\n|\n"
         "*Hà Nội, ngày 3\ntháng 4 năm 2030*\n|\n\n**QUY ĐỊNH**\n\nVỀ MỘT VIỆC\n\n- Căn cứ Điều lệ Đảng;\n")
NO_HEADER_DATE = ("CHÍNH PHỦ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc------ |\n"
                  "Số: 7/2030/NĐ-CP |\n|\n\n**NGHỊ ĐỊNH**\n\n**Quy định chi tiết v****à hư****ớng dẫn**\n\n"
                  "*Căn cứ Nghị quyết số 3/2029/QH16 ngày 10 tháng 6 năm 2029 của Quốc hội;*\n")
LOCAL = ("HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n-------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
         "Số: 5/2030/NQ-HĐND\n|\nHà Nội, ngày 2 tháng 3 năm 2030\n|\nNGHỊ QUYẾT\nVỀ MỘT VIỆC\nCăn cứ Luật;\n")


def test_party_document_number_without_colon_and_no_place():
    m = meta(PARTY)
    assert (m.key, m.type, m.date, m.place) == ("12-QĐ/TW", "Quy định", "2030-04-03", None)
    assert m.issuer == "Ban Chấp hành Trung ương"


def test_signing_date_never_from_the_body():
    m = meta(NO_HEADER_DATE)
    assert m.key == "7/2030/NĐ-CP" and m.date is None and m.year == 2030  # not the cited resolution's date
    assert m.issuer == "Chính phủ" and m.place is None
    assert m.title == "Quy định chi tiết và hướng dẫn"


def test_local_council_of_a_city():
    m = meta(LOCAL)
    assert (m.key, m.place, m.date, m.issuer) == ("5/2030/NQ-HĐND", "Hà Nội", "2030-03-02", "HĐND thành phố Hà Nội")


def test_title_repair_keeps_citation_offsets_on_the_raw_text():
    doc = extract_text(NO_HEADER_DATE)
    (cite,) = [c for c in doc.citations if c.ref.key == "3/2029/QH16"]
    assert NO_HEADER_DATE[cite.span.start:cite.span.end] == cite.text and "3/2029/QH16" in cite.text
    assert doc.ref.title == "Quy định chi tiết và hướng dẫn"


@pytest.mark.parametrize("line", ["Số 12 người tham dự", "CÔNG BÁO/Số 281/Ngày 21-05-2030"])
def test_not_an_own_number(line):
    assert meta(f"{line}\nNỘI DUNG\n").key is None


# --- the issuer where the header names none (issue 14) -------------------------------------------------------------
# A page cut below its header: only the title, the preamble, the body and the signature are left.
CUT = "**{type}**\n\nVề một việc\n\n{preamble}\n\nĐiều 1. Nội dung.\n"


@pytest.mark.parametrize("preamble,issuer", [
    ("Căn cứ Luật Ban hành văn bản;\n\nChính phủ ban hành Nghị định về một việc.", "Chính phủ"),
    ("Căn cứ Luật;\nTheo đề nghị của Vụ trưởng;\nBộ trưởng Bộ Tài chính ban hành Thông tư hướng dẫn.", "Bộ Tài chính"),
    ("Căn cứ Luật;\n\nThống đốc Ngân hàng Nhà nước\nViệt Nam ban hành Thông tư về một việc.",
     "Ngân hàng Nhà nước Việt Nam"),
    # must not match: a clause that is no body's name, a body cited inside a sentence, a clause with a number
    ("Căn cứ Luật;\n\nViệc này được ban hành Thông tư riêng.", None),
    ("Căn cứ Quyết định số 5/2030/QĐ-TTg, Thủ tướng Chính phủ ban hành Quyết định.", None),
])
def test_issuer_from_the_enacting_clause(preamble, issuer):
    assert meta(CUT.format(type="THÔNG TƯ", preamble=preamble)).issuer == issuer


@pytest.mark.parametrize("above,issuer", [
    ("BỘ TRƯỞNG BỘ XÂY DỰNG", "Bộ Xây dựng"),
    ("TRƯỞNG BAN CHỈ ĐẠO QUỐC GIA\nVỀ MỘT VIỆC LỚN", "Ban Chỉ đạo quốc gia về một việc lớn"),  # a wrapped line
    ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Ủy ban Thường vụ Quốc hội"),
    # must not match: the title paragraph right under the type line, a line holding a type word
    ("QUYẾT ĐỊNH THÀNH LẬP BAN CHỈ ĐẠO", None),
])
def test_issuer_from_the_authority_line_above_the_preamble(above, issuer):
    text = f"Số: 4/QĐ-BCĐ\n\n**QUYẾT ĐỊNH**\n\nVề một việc\n\n**{above}**\n\nCăn cứ Luật;\n\nĐiều 1. Nội dung.\n"
    assert meta(text).issuer == issuer


@pytest.mark.parametrize("number,province_line,issuer", [
    ("3/2030/NĐ-CP", "", "Chính phủ"),
    ("8/VBHN-BLĐTBXH", "", "Bộ Lao động - Thương binh và Xã hội"),
    ("12/2030/QH16", "", "Quốc hội"),  # the term's digits are dropped before the look-up
    ("40/2030/QĐ-TTg", "", "Thủ tướng Chính phủ"),
    ("5/KH-UBND", "Bắc Giang, ngày 2 tháng 3 năm 2030\n", "UBND tỉnh Bắc Giang"),
    # must not match: a local code without a province, a code the table does not hold
    ("5/KH-UBND", "", None),
    ("5/KH-XYZ", "", None),
])
def test_issuer_from_the_own_numbers_code(number, province_line, issuer):
    text = f"Số: {number}\n{province_line}\n**THÔNG BÁO**\n\nVề một việc\n\nNội dung.\n"
    assert meta(text).issuer == issuer


@pytest.mark.parametrize("signature,issuer", [
    ("**TM. CHÍNH PHỦ**\nTHỦ TƯỚNG\nNguyễn Văn A", "Chính phủ"),
    ("TM. ỦY BAN NHÂN DÂN TỈNH BẮC GIANG\nCHỦ TỊCH\nTrần Văn B", "UBND tỉnh Bắc Giang"),
    # must not match: a "TM." that is no body in capitals
    ("TM. các thành viên\nLê Văn C", None),
])
def test_issuer_from_the_signature_on_behalf_of(signature, issuer):
    assert meta(f"**KẾ HOẠCH**\n\nVề một việc\n\nNội dung.\n\n{signature}\n").issuer == issuer


@pytest.mark.parametrize("closing,issuer", [
    ("Văn phòng Chính phủ thông báo để các cơ quan\nbiết, thực hiện./.", "Văn phòng Chính phủ"),
    ("Nội dung đã rõ.\nBộ Y tế thông báo để các đơn vị biết./.", "Bộ Y tế"),
    # must not match: a notice the body asks others to give, a sentence that is no body's name
    ("Các đơn vị có trách nhiệm thông báo để người dân biết./.", None),
])
def test_issuer_from_the_announcing_clause(closing, issuer):
    assert meta(f"**THÔNG BÁO**\n\nKết luận một việc\n\nNội dung.\n\n{closing}\n").issuer == issuer


CONSOLIDATED = ("CHÍNH PHỦ\n\nSố: 9/2028/NĐ-CP\n\nHà Nội, ngày 1 tháng 2 năm 2028\n\nNGHỊ ĐỊNH\nVề một việc\n\n"
                "Nghị định số 9/2028/NĐ-CP ngày 01 tháng 02 năm 2028, được sửa đổi bởi Nghị định số 4/2030/NĐ-CP ngày"
                " 05 tháng 3 năm 2030.\n\nCăn cứ Luật;\n\nĐiều 1. Nội dung.\nCác cơ quan chịu trách nhiệm thi "
                "hành Nghị định này./.\n\n{above}\n\nSố: 21/VBHN-BTC\nXÁC THỰC VĂN BẢN HỢP NHẤT\n\n"
                "Hà Nội, ngày 9 tháng 8 năm 2030\nKT. BỘ TRƯỞNG\n")


@pytest.mark.parametrize("above,issuer", [
    ("BỘ TÀI CHÍNH", "Bộ Tài chính"),
    ("BỘ TÀI\nCHÍNH", "Bộ Tài chính"),
    # the capital lines right above the number only: not the body text the reprint ends with
    ("Một câu thường.\nBỘ TÀI CHÍNH", "Bộ Tài chính"),
])
def test_a_consolidated_text_is_the_certifications(above, issuer):
    m = meta(CONSOLIDATED.format(above=above))
    assert (m.key, m.type, m.date, m.issuer) == ("21/VBHN-BTC", "Văn bản hợp nhất", "2030-08-09", issuer)


def test_a_consolidated_text_without_its_certification_has_no_date():
    cut = CONSOLIDATED.split("{above}")[0].replace("CHÍNH PHỦ\n\nSố: 9/2028/NĐ-CP\n\nHà Nội, ngày 1 tháng 2 năm 2028\n\n",
                                                   "")
    assert meta(cut).date is None  # not the original's, nor an amending document's date


@pytest.mark.parametrize("header,date", [
    ("Số: 3/KH-UBND\nBắc Giang, ngày 5 tháng 1 năm 2030\n", "2030-01-05"),
    ("Số: 3/KH-UBND\nTP. Hồ Chí Minh, ngày 5 tháng 1 năm 2030\n", "2030-01-05"),
    ("Số: 12/VBHN-BTC      Hà Nội, ngày 5 tháng 1 năm 2030\n", "2030-01-05"),  # after a wide gap
    # must not match: a clause that is no place, a cited number's code right before ", ngày …"
    ("Văn bản này có hiệu lực kể từ ngày 5 tháng 1 năm 2030\n", None),
    ("theo Quyết định số 7/QĐ-TTg ngày 5 tháng 1 năm 2030\n", None),
    ("Quy định số 7-QĐ/TW, ngày 5/1/2030\n", None),
    ("Một hai ba bốn năm sáu bảy, ngày 5 tháng 1 năm 2030\n", None),  # more than six words
    # a page's markup and a header's rule around the place and inside the date
    ("Số: 3/KH-UBND | Độc lập - Tự do - Hạnh phúc__________ Hà Nội, ngày 5 tháng 1 năm 2030 |\n", "2030-01-05"),
    ("Số: 3/NQ-HĐND\n*Thành phố Huế**, ngày 5 tháng 1 năm 2030*\n", "2030-01-05"),
    ("Số: 3/QĐ-UBND\n*Đà Nẵng, ngày\n5 tháng 1năm 2030*\n", "2030-01-05"),
    ("Số: 3/QĐ-KTNN\n*Hà Nội, ngày **5** tháng 1 năm 2030*\n", "2030-01-05"),
    ("Số: 3/QĐ-UBND\nHạnh phúc__________ theo kế hoạch, ngày 5 tháng 1 năm 2030\n", None),  # lower case after the rule
])
def test_signing_date_only_after_a_place(header, date):
    assert meta(f"{header}\nTHÔNG BÁO\nVề một việc\n").date == date


def test_a_split_preamble_cue_still_ends_the_header():
    text = "**THÔNG TƯ**\n\nVề một việc\n\n*Căn\ncứ Nghị định số 5/2030/NĐ-CP ngày 02 tháng 3\nnăm 2030;*\n"
    assert meta(text).date is None


@pytest.mark.parametrize("text,doc_type,key", [
    ("# Mẫu quyết định viết thế nào?\n\nSố: /QĐ-…\n\n**QUYẾT ĐỊNH**\nVề việc……\n", None, None),
    ("# Ghi số văn bản ra sao?\n\nSố: 12/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề một việc\n", None, None),
    # must not match: a document whose body asks a question after its header
    ("Số: 12/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề một việc\n\nĐiều 1. Ai chịu trách nhiệm?\n", "Quyết định", "12/QĐ-UBND"),
])
def test_a_question_and_answer_article_is_no_document(text, doc_type, key):
    m = meta(text)
    assert (m.type, m.key) == (doc_type, key)


@pytest.mark.parametrize("closing", [
    "Nghị quyết này được Ủy ban Thường vụ Quốc hội thông qua ngày 16 tháng 6 năm 2030.",
    "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XVthông qua\nngày 16 tháng 6 năm 2030.",
    "Nghị quyết này được Ủy ban Thường vụ Quốc hội thông qua **ngày** 16 **tháng** 6* *năm 2030.",
])
def test_a_resolution_is_dated_by_its_passing(closing):
    text = f"ỦY BAN THƯỜNG VỤ QUỐC HỘI\nSố: 9/2030/UBTVQH15\nNGHỊ QUYẾT\nVề một việc\nĐiều 1. Nội dung.\n{closing}\n"
    assert meta(text).date == "2030-06-16"
