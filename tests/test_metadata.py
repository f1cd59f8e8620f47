"""The citing document's metadata: own number (party numbers without a colon), signing date only from the header,
issuer from the header block (never furniture), central documents without a place, and words a PDF text layer or
markup split, repaired in titles. All examples are our own small strings."""

from __future__ import annotations

import pytest

from extract.metadata import _is_syllable, issuer_name, read_header_block, read_metadata, repair_words
from extract.pipeline import extract_text


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
