"""Agencies: splitting lead / coordinating cells, normalising names, finding mentions. Small cells we wrote ourselves
in the style of the plans' tables."""

from __future__ import annotations

import pytest

from extract.agencies import (
    Agency,
    aliases_of,
    coordinating_in,
    find_agency_mentions,
    normalise_agency,
    split_agencies,
    table,
)

NN = "Sở Nông nghiệp và Phát triển nông thôn"

SPLITS = [
    # (cell, expected names)
    ("", []),
    ("   ", []),
    ("Sở Tư pháp", ["Sở Tư pháp"]),
    ("Sở Tư pháp.", ["Sở Tư pháp"]),
    ("Sở Y tế; Sở Xây dựng;", ["Sở Y tế", "Sở Xây dựng"]),
    ("Sở Y tế, Sở Xây dựng và Công an tỉnh", ["Sở Y tế", "Sở Xây dựng", "Công an tỉnh"]),
    ("Sở Y tế\nSở Xây dựng", ["Sở Y tế", "Sở Xây dựng"]),
    ("• Sở Y tế • Sở Xây dựng", ["Sở Y tế", "Sở Xây dựng"]),
    ("- Công an tỉnh. - Sở Y tế.", ["Công an tỉnh", "Sở Y tế"]),
    ("+ Sở Tài chính; + Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
    ("Sở Tư pháp; Sở Tư pháp", ["Sở Tư pháp"]),
    # "và" between two names, but not inside one
    ("Các sở, ban ngành và UBND cấp huyện", ["Các sở, ban ngành", "UBND cấp huyện"]),
    ("Các sở, ban ngành và địa phương", ["Các sở, ban ngành", "địa phương"]),
    ("Sở Tư pháp và UBND cấp huyện.", ["Sở Tư pháp", "UBND cấp huyện"]),
    ("Sở Kế hoạch và Đầu tư và các Sở, ngành", ["Sở Kế hoạch và Đầu tư", "các Sở, ngành"]),
    ("Sở Tư pháp, Phòng Tư pháp và các cơ quan, đơn vị có liên quan",
     ["Sở Tư pháp", "Phòng Tư pháp", "các cơ quan, đơn vị có liên quan"]),
    ("Văn phòng UBND tỉnh, các sở, ban ngành, UBND cấp huyện và các đơn vị có liên quan",
     ["Văn phòng UBND tỉnh", "các sở, ban ngành", "UBND cấp huyện", "các đơn vị có liên quan"]),
    ("Trung tâm Phục vụ hành chính công và Bưu điện tỉnh", ["Trung tâm Phục vụ hành chính công", "Bưu điện tỉnh"]),
    # collectives kept whole
    ("Các sở, ban, ngành tỉnh, đơn vị sự nghiệp công lập thuộc UBND tỉnh; UBND cấp huyện",
     ["Các sở, ban, ngành tỉnh", "đơn vị sự nghiệp công lập thuộc UBND tỉnh", "UBND cấp huyện"]),
    ("Các sở, ngành, UBND cấp huyện, đơn vị sự nghiệp", ["Các sở, ngành", "UBND cấp huyện", "đơn vị sự nghiệp"]),
    ("Sở, ban ngành; UBND cấp xã", ["Sở, ban ngành", "UBND cấp xã"]),
    ("Các Sở ngành, UBND cấp huyện", ["Các Sở ngành", "UBND cấp huyện"]),
    ("Các Sở, ban," + " " + "ngành; UBND cấp huyện", ["Các Sở, ban, ngành", "UBND cấp huyện"]),  # page break joined
    ("Các Sở, ban, ngành, UBND cấp", ["Các Sở, ban, ngành", "UBND cấp"]),  # cut at a page break: kept as printed
    ("Các cơ quan, đơn vị, địa phương có liên quan.", ["Các cơ quan, đơn vị, địa phương có liên quan"]),
    ("Phòng Thương mại và Công nghiệp Việt Nam; các cơ quan TW đóng trên địa bàn tỉnh; VP UBND tỉnh",
     ["Phòng Thương mại và Công nghiệp Việt Nam", "các cơ quan TW đóng trên địa bàn tỉnh", "VP UBND tỉnh"]),
    ("Thủ trưởng các Sở, ban, ngành, Chủ tịch UBND các huyện, thị xã, thành phố",
     ["Thủ trưởng các Sở, ban, ngành", "Chủ tịch UBND các huyện, thị xã, thành phố"]),
    # shared prefixes
    ("UBND cấp huyện, cấp xã", ["UBND cấp huyện", "UBND cấp xã"]),
    ("UBND cấp huyện, xã", ["UBND cấp huyện", "UBND cấp xã"]),
    ("Các Sở: Nội vụ, Tài chính và Y tế", ["Sở Nội vụ", "Sở Tài chính", "Sở Y tế"]),
    ("Sở Nội vụ và Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
    ("Các Sở: Nội vụ, Thông tin và Truyền thông, Tài chính; UBND cấp xã",
     ["Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Tài chính", "UBND cấp xã"]),
    ("Văn phòng UBND tỉnh, Sở Tư pháp Xây dựng, Tài nguyên và Môi trường, Lao động TBXH...",
     ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Sở Lao động TBXH"]),
    # role words, parentheticals, trailing dots
    ("Văn phòng Sở tổng hợp.", ["Văn phòng Sở"]),
    ("Văn phòng Sở theo dõi, hướng dẫn và đôn đốc.", ["Văn phòng Sở"]),
    ("Văn phòng Sở hướng dẫn, đơn đốc, tổng hợp báo cáo.", ["Văn phòng Sở"]),
    ("Sở Tài chính hướng dẫn thực hiện.", ["Sở Tài chính"]),
    ("Sở Nội vụ hướng dẫn, tổng hợp và các cơ quan liên quan", ["Sở Nội vụ", "các cơ quan liên quan"]),
    ("- Các sở, ban ngành và UBND cấp xã thực hiện rà soát. - Sở Tư pháp hướng dẫn thực hiện.",
     ["Các sở, ban ngành", "UBND cấp xã", "Sở Tư pháp"]),
    ("Các phòng, cơ quan, đơn vị liên quan thực hiện báo cáo của đơn vị mình và phối hợp tổng hợp.",
     ["Các phòng, cơ quan, đơn vị liên quan"]),
    ("Sở Y tế (chủ trì); Công an tỉnh (trên Cổng TTĐT tỉnh)", ["Sở Y tế", "Công an tỉnh"]),
    ("UBND huyện Sơn Tịnh...", ["UBND huyện Sơn Tịnh"]),
    ("Ban chỉ đạo CCHC tỉnh", ["Ban chỉ đạo CCHC tỉnh"]),
    ("Thủ trưởng các cơ quan, địa phương chỉ đạo đăng tải", ["Thủ trưởng các cơ quan, địa phương"]),
    # as printed: typos, abbreviations, case
    ("Số Nội vụ, Sở Thông tin và TT", ["Số Nội vụ", "Sở Thông tin và TT"]),
    ("Sở TT&TT; Sở KH&ĐT", ["Sở TT&TT", "Sở KH&ĐT"]),
    ("UBND TP. Biên Hòa", ["UBND TP. Biên Hòa"]),
]


@pytest.mark.parametrize("cell, expected", SPLITS)
def test_split_agencies(cell, expected):
    assert split_agencies(cell) == expected


MUST_NOT_SPLIT = [
    "Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Khoa học và công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình", "Phòng Thương mại và Công nghiệp Việt Nam",
    "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Các sở, ban ngành", "các sở, ban ngành", "Các Sở, ban, ngành tỉnh", "Các Sở, ngành", "Sở, ban ngành",
    "Các Sở ngành", "Các Sở ban ngành", "Các phòng, cơ quan, đơn vị thuộc Sở có liên quan",
    "Các phòng, cơ quan, đơn vị thuộc Sở", "các cơ quan, đơn vị có liên quan", "các cơ quan, đơn vị liên quan",
    "Các cơ quan, đơn vị, địa phương có liên quan", "Các phòng, cơ quan, đơn vị thực hiện TTHC",
    "Các phòng, cơ quan, đơn vị có thẩm quyền tiếp nhận, giải quyết TTHC và trả kết quả giải quyết TTHC",
    "Các cơ quan, đơn vị được giao chủ trì thực hiện", "UBND các huyện, thị xã, thành phố",
    "Chủ tịch UBND các xã, phường, thị trấn", "Thủ trưởng các Sở, ban, ngành",
    "Các cơ quan ngành dọc đóng trên địa bàn tỉnh",
]


@pytest.mark.parametrize("name", MUST_NOT_SPLIT)
def test_names_are_not_split_alone_or_among_others(name):
    assert split_agencies(name) == [name]
    assert split_agencies(f"{name}.") == [name]
    assert split_agencies(f"Sở Nội vụ; {name}; UBND cấp xã") == ["Sở Nội vụ", name, "UBND cấp xã"]
    assert split_agencies(f"Sở Nội vụ, {name} và UBND cấp xã") == ["Sở Nội vụ", name, "UBND cấp xã"]


SAME = [
    # spellings that are one agency
    ["Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT", "Sở Thông tin và TT", "Số Thông tin và Truyền thông",
     "sở thông tin và truyền thông", " Sở  Thông tin và Truyền thông. "],
    ["Sở Khoa học và Công nghệ", "Sở Khoa học và công nghệ", "Số Khoa học và công nghệ", "Sở KH&CN", "Sở KHCN"],
    ["Sở Tài nguyên và Môi trường", "Sở Tài nguyên và MT", "Sở TN&MT"],
    ["Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"],
    ["Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH", "Sở Lao động TBXH", "Sở Lao động-Thương binh và Xã hội"],
    ["Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "Sở Nông nghiệp và PTNT"],
    ["Sở Nội vụ", "Số Nội vụ", "Sở Nội vụ (chủ trì)"],
    ["Văn phòng UBND tỉnh", "VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"],
    ["UBND tỉnh", "Ủy ban nhân dân tỉnh", "UBND tỉnh Quảng Ngãi"],
    ["Đài Phát thanh và Truyền hình", "Đài PTTH", "Đài PTTH Quảng Ngãi"],
    ["Các sở, ban, ngành", "Các sở, ban ngành", "các sở, ban ngành", "Các Sở, ban, ngành tỉnh", "Các Sở, ngành",
     "Sở, ban ngành", "Các Sở ban ngành", "Các Sở ngành"],
    ["Các sở, ban, ngành có liên quan", "các Sở, ban, ngành liên quan", "Các Sở, ban ngành có liên quan"],
    ["UBND cấp huyện", "UBND các huyện", "UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân cấp huyện"],
    ["UBND cấp xã", "UBND các xã, phường, thị trấn"],
    ["Các cơ quan, đơn vị có liên quan", "các cơ quan, đơn vị liên quan", "các cơ quan liên quan",
     "các đơn vị có liên quan"],
]


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[0])
def test_spellings_of_one_agency_share_a_canonical_name(spellings):
    agencies = {normalise_agency(s, "Quảng Ngãi") for s in spellings}
    assert {a.canonical for a in agencies} == {spellings[0]}
    assert len({a.key for a in agencies}) == 1


DIFFERENT = [
    ("Sở Nội vụ", "Sở Tư pháp"),
    ("UBND cấp huyện", "UBND cấp xã"),
    ("UBND tỉnh", "Văn phòng UBND tỉnh"),
    ("UBND cấp huyện", "Chủ tịch UBND cấp huyện"),
    ("Sở Tư pháp", "Phòng Tư pháp"),
    ("Sở Tư pháp", "Bộ Tư pháp"),
    ("Các sở, ban ngành", "Các sở, ban, ngành liên quan"),
    ("Các sở, ban ngành", "Các bộ, ngành"),
    ("Các cơ quan, đơn vị có liên quan", "Các cơ quan, đơn vị, địa phương có liên quan"),
    ("Sở Văn hóa và Thể thao", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
    ("UBND thành phố Quảng Ngãi", "UBND tỉnh"),
    ("UBND", "UBND tỉnh"),
]


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_agencies_stay_apart(a, b):
    assert normalise_agency(a, "Quảng Ngãi").canonical != normalise_agency(b, "Quảng Ngãi").canonical


NORMALISED = [
    # (name, place, issuer) -> (canonical, place, kind, parent)
    (("Sở TT&TT", "Quảng Ngãi", None), ("Sở Thông tin và Truyền thông", "Quảng Ngãi", "agency", None)),
    (("Sở Tư pháp tỉnh Đồng Nai", None, None), ("Sở Tư pháp", "Đồng Nai", "agency", None)),
    (("Công an tỉnh Đồng Nai", None, None), ("Công an tỉnh", "Đồng Nai", "agency", None)),
    (("Chủ tịch UBND tỉnh Quảng Nam", None, None), ("Chủ tịch UBND tỉnh", "Quảng Nam", "agency", "UBND tỉnh")),
    (("UBND thành phố Quảng Ngãi", "Quảng Ngãi", None), ("UBND thành phố Quảng Ngãi", "Quảng Ngãi", "agency", None)),
    (("VNPT Đồng Nai", "Đồng Nai", None), ("VNPT", "Đồng Nai", "agency", None)),
    (("Báo Đồng Nai", "Đồng Nai", None), ("Báo Đồng Nai", "Đồng Nai", "agency", None)),
    (("Bộ Nội vụ", "Quảng Ngãi", None), ("Bộ Nội vụ", None, "agency", None)),
    (("Bộ Giáo dục và Đào tạo", "Quảng Ngãi", None), ("Bộ Giáo dục và Đào tạo", None, "agency", None)),
    (("Thủ tướng Chính phủ", "Quảng Ngãi", None), ("Thủ tướng Chính phủ", None, "agency", None)),
    (("Văn phòng Chính phủ", "Quảng Ngãi", None), ("Văn phòng Chính phủ", None, "agency", None)),
    (("Bộ Chỉ huy quân sự tỉnh", "Đồng Nai", None), ("Bộ Chỉ huy quân sự tỉnh", "Đồng Nai", "agency", None)),
    (("các sở, ban ngành", "Quảng Ngãi", None), ("Các sở, ban, ngành", "Quảng Ngãi", "collective", None)),
    (("UBND các huyện", "Đồng Nai", None), ("UBND cấp huyện", "Đồng Nai", "collective", None)),
    (("Phòng Tư pháp cấp huyện", "Đồng Nai", None), ("Phòng Tư pháp cấp huyện", "Đồng Nai", "collective", None)),
    (("Thủ trưởng các Sở, ban, ngành", "Quảng Nam", None),
     ("Thủ trưởng các sở, ban, ngành", "Quảng Nam", "collective", "Các sở, ban, ngành")),
    (("địa phương", "Quảng Ngãi", None), ("Địa phương", "Quảng Ngãi", "collective", None)),
    (("Tỉnh đoàn", None, None), ("Tỉnh đoàn", None, "agency", None)),
    # names relative to the issuing Sở
    (("Văn phòng Sở", "Quảng Ngãi", f"{NN} tỉnh Quảng Ngãi"), (f"Văn phòng {NN}", "Quảng Ngãi", "agency", NN)),
    (("Văn phòng Sở", "Quảng Ngãi", "Sở NN&PTNT"), (f"Văn phòng {NN}", "Quảng Ngãi", "agency", NN)),
    (("Các phòng, cơ quan, đơn vị thuộc Sở có liên quan", "Quảng Ngãi", f"{NN} tỉnh Quảng Ngãi"),
     (f"Các phòng, cơ quan, đơn vị thuộc {NN} có liên quan", "Quảng Ngãi", "collective", NN)),
    (("Các phòng, cơ quan, đơn vị thuộc Sở", "Quảng Ngãi", NN),
     (f"Các phòng, cơ quan, đơn vị thuộc {NN}", "Quảng Ngãi", "collective", NN)),
    (("Văn phòng Sở", "Quảng Ngãi", "UBND tỉnh Quảng Ngãi"), ("Văn phòng Sở", "Quảng Ngãi", "agency", None)),
    (("Văn phòng Sở", "Quảng Ngãi", None), ("Văn phòng Sở", "Quảng Ngãi", "agency", None)),
    (("Sở, ban ngành", "Quảng Ngãi", NN), ("Các sở, ban, ngành", "Quảng Ngãi", "collective", None)),
]


@pytest.mark.parametrize("args, expected", NORMALISED)
def test_normalise_agency(args, expected):
    a = normalise_agency(*args)
    assert (a.canonical, a.place, a.kind, a.parent) == expected


def test_agencies_are_scoped_by_province():
    qn, dn = normalise_agency("Sở Tư pháp", "Quảng Ngãi"), normalise_agency("Sở Tư pháp", "Đồng Nai")
    assert qn.canonical == dn.canonical and qn.key != dn.key
    assert qn.key == "agency:quang-ngai:so-tu-phap"
    assert normalise_agency("Sở TT&TT", "Quảng Ngãi").key == "agency:quang-ngai:so-thong-tin-va-truyen-thong"
    assert normalise_agency("Các Sở ngành", "Đồng Nai").key == "agency:dong-nai:cac-so-ban-nganh"
    assert normalise_agency("Bộ Nội vụ", "Quảng Ngãi").key == normalise_agency("Bộ Nội vụ", "Đồng Nai").key
    assert normalise_agency("Sở Tư pháp", "tỉnh Quảng Ngãi").place == "Quảng Ngãi"


def test_every_table_spelling_normalises_to_its_own_entry():
    for entry in table().by_canonical.values():
        for name in (entry.canonical, *entry.aliases):
            assert normalise_agency(name, "Quảng Ngãi").canonical == entry.canonical, name


def test_normalising_is_idempotent_and_deterministic():
    for name in ["Sở TT&TT", "các cơ quan liên quan", "Số Nội vụ", "UBND các huyện", "Cục Quản lý thị trường tỉnh"]:
        once = normalise_agency(name, "Quảng Ngãi")
        assert normalise_agency(once.canonical, "Quảng Ngãi") == once == normalise_agency(name, "Quảng Ngãi")
    assert isinstance(once, Agency)


def test_aliases_of():
    assert "Sở TT&TT" in aliases_of("Sở Thông tin và Truyền thông")
    assert aliases_of("Sở Không Có") == ()


def test_split_names_normalise_to_the_same_canonical_names_as_their_spellings():
    names = split_agencies("Sở TT&TT, Các Sở ban ngành và UBND các huyện, thị xã, thành phố")
    assert [normalise_agency(n, "Quảng Nam").canonical for n in names] == [
        "Sở Thông tin và Truyền thông", "Các sở, ban, ngành", "UBND cấp huyện"]


MENTIONS = [
    # (text, mentions as printed)
    ("2. Giao Sở Thông tin và Truyền thông khẩn trương", ["Sở Thông tin và Truyền thông"]),
    ("4. Giao Văn phòng UBND tỉnh", ["Văn phòng UBND tỉnh"]),
    ("1. Thủ trưởng các Sở, ban, ngành, Chủ tịch UBND các huyện, thị xã, thành phố, Chủ tịch UBND các xã, phường",
     ["Thủ trưởng các Sở, ban, ngành", "Chủ tịch UBND các huyện, thị xã, thành phố", "Chủ tịch UBND các xã, phường"]),
    ("3. Các cơ quan ngành dọc đóng trên địa bàn tỉnh", ["Các cơ quan ngành dọc đóng trên địa bàn tỉnh"]),
    ("Sở Y tế, Sở TT&TT và UBND huyện Tư Nghĩa báo cáo Bộ Nội vụ.",
     ["Sở Y tế", "Sở TT&TT", "UBND huyện Tư Nghĩa", "Bộ Nội vụ"]),
    ("giao Sở Du Lịch chủ trì", ["Sở Du Lịch"]),  # not in the table: "Sở" and capitalised words
    ("theo Quyết định số 468/QĐ-TTg ngày 27/3/2021", []),
    ("", []),
]


@pytest.mark.parametrize("text, expected", MENTIONS)
def test_find_agency_mentions(text, expected):
    mentions = find_agency_mentions(text, "Quảng Nam")
    assert [m.text for m in mentions] == expected
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(m.agency == normalise_agency(m.text, "Quảng Nam") for m in mentions)


def test_mentions_carry_province_scoped_agencies():
    (mention,) = find_agency_mentions("Giao Sở TT&TT chủ trì", "Quảng Nam")
    assert (mention.start, mention.end) == (5, 13)
    assert mention.agency.key == "agency:quang-nam:so-thong-tin-va-truyen-thong"


COORDINATING = [
    ("Chủ trì, phối hợp với các Sở, ban, ngành hoàn thiện dịch vụ công.", ["các Sở, ban, ngành"]),
    ("Chủ động, phối hợp chặt chẽ với các Sở, ban, ngành, UBND các huyện, thị xã, thành phố xây dựng quy trình.",
     ["các Sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]),
    ("Chủ trì, phối hợp chặt chẽ với Sở Thông tin và Truyền thông hướng dẫn lưu trữ.",
     ["Sở Thông tin và Truyền thông"]),
    ("Phối hợp với Sở Nội vụ và Sở Tài chính để rà soát.", ["Sở Nội vụ", "Sở Tài chính"]),
    ("Tổng hợp, báo cáo UBND tỉnh hằng tháng.", []),
    ("Phối hợp với người dân để rà soát.", []),
]


@pytest.mark.parametrize("text, expected", COORDINATING)
def test_coordinating_in(text, expected):
    assert coordinating_in(text) == expected
