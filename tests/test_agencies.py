"""Agencies: splitting lead / coordinating cells, normalising names, finding mentions. Small cells we wrote ourselves
in the style of the plans' tables."""

from __future__ import annotations

import pytest

from legalkg.extract.agencies import (
    Agency,
    aliases_of,
    coordinating_in,
    find_agency_mentions,
    lead_and_coordinating,
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


# Cells of central action programmes (ministries, collectives of ministries and provinces), one table per rule.
BREAKS = [
    # numbered items "1." "2." and "a)", lines, bullets, ";" and sentences part the names
    ("1. Bộ Tài chính đầu mối tham mưu, tổng hợp. 2. Các bộ, cơ quan, địa phương theo chức năng, nhiệm vụ được giao.",
     ["Bộ Tài chính", "Các bộ, cơ quan, địa phương"]),
    ("1. Bộ Y tế 2. Bộ Xây dựng", ["Bộ Y tế", "Bộ Xây dựng"]),
    ("a) Bộ Y tế; b) Bộ Xây dựng", ["Bộ Y tế", "Bộ Xây dựng"]),
    ("Bộ Tài chính\nBộ Tư pháp", ["Bộ Tài chính", "Bộ Tư pháp"]),
    ("- Bộ Nội vụ. - Bộ Ngoại giao.", ["Bộ Nội vụ", "Bộ Ngoại giao"]),
    ("Bộ Công an; Bộ Quốc phòng, Bộ Y tế và Bộ Tư pháp", ["Bộ Công an", "Bộ Quốc phòng", "Bộ Y tế", "Bộ Tư pháp"]),
    # a number not before a capital letter breaks nothing
    ("Ủy ban 3 bên tỉnh", ["Ủy ban 3 bên tỉnh"]),
]

ONE_BODY = [
    # "và" or a comma inside one name: table names, and unit names whose part after the comma is no name of its own
    ("Bộ Văn hóa, Thể thao và Du lịch, Bộ Y tế", ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]),
    ("Bộ Nông nghiệp và Môi trường và các bộ, ngành", ["Bộ Nông nghiệp và Môi trường", "các bộ, ngành"]),
    ("Cục Xuất bản, In và Phát hành; Cục Báo chí", ["Cục Xuất bản, In và Phát hành", "Cục Báo chí"]),
    ("Vụ Pháp chế, Vụ Kế hoạch, Tài chính và Cục Báo chí", ["Vụ Pháp chế", "Vụ Kế hoạch, Tài chính", "Cục Báo chí"]),
    ("Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam, Văn phòng Bộ",
     ["Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam", "Văn phòng Bộ"]),
    ("Ban Quản lý Khu kinh tế Vân Phong và các Khu công nghiệp tỉnh",
     ["Ban Quản lý Khu kinh tế Vân Phong và các Khu công nghiệp tỉnh"]),
    ("Ủy ban Công tác về các tổ chức PCPNN, VTV, VOV", ["Ủy ban Công tác về các tổ chức PCPNN", "VTV", "VOV"]),
    # but a name of its own after the comma starts a new one
    ("Vụ Pháp chế, Văn phòng Bộ", ["Vụ Pháp chế", "Văn phòng Bộ"]),
    ("Bộ Tài chính, Thành phố Hồ Chí Minh, Đà Nẵng", ["Bộ Tài chính", "Thành phố Hồ Chí Minh", "Đà Nẵng"]),
    ("Thành phố Hà Nội và Đà Nẵng", ["Thành phố Hà Nội", "Đà Nẵng"]),
    ("Bộ Công Thương, Tập đoàn Điện lực Việt Nam", ["Bộ Công Thương", "Tập đoàn Điện lực Việt Nam"]),
]

COLLECTIVES = [
    # "các" and body nouns parted by commas, up to "và", a new "các" or a proper name
    ("Các bộ, ngành, địa phương", ["Các bộ, ngành, địa phương"]),
    ("Các bộ, ngành và địa phương", ["Các bộ, ngành", "địa phương"]),
    ("Các bộ, ngành và địa phương có liên quan", ["Các bộ, ngành", "địa phương có liên quan"]),
    ("Các bộ, ngành, các tỉnh, thành phố", ["Các bộ, ngành", "các tỉnh, thành phố"]),
    ("Bộ Tài chính, các bộ, cơ quan, địa phương, Tập đoàn kinh tế, Tổng công ty và các đơn vị có liên quan",
     ["Bộ Tài chính", "các bộ, cơ quan, địa phương, Tập đoàn kinh tế, Tổng công ty", "các đơn vị có liên quan"]),
    ("Các bộ, cơ quan, địa phương, các tập đoàn, tổng công ty, doanh nghiệp nhà nước",
     ["Các bộ, cơ quan, địa phương", "các tập đoàn, tổng công ty, doanh nghiệp nhà nước"]),
    ("Bộ Công Thương, các bộ, ngành, Tập đoàn Điện lực Việt Nam, các Tổng công ty Điện lực và các tổ chức liên quan",
     ["Bộ Công Thương", "các bộ, ngành", "Tập đoàn Điện lực Việt Nam", "các Tổng công ty Điện lực",
      "các tổ chức liên quan"]),
    ("Bộ Y tế, các bộ, cơ quan, địa phương, và đơn vị có liên quan",
     ["Bộ Y tế", "các bộ, cơ quan, địa phương", "đơn vị có liên quan"]),
    # a bare start ("Bộ, …", "Cơ quan, …") is collective too; a bare "địa phương" after "và" is not
    ("Bộ, cơ quan, địa phương và các đơn vị có liên quan", ["Bộ, cơ quan, địa phương", "các đơn vị có liên quan"]),
    ("Các địa phương và cơ quan, đơn vị liên quan", ["Các địa phương", "cơ quan, đơn vị liên quan"]),
    ("Bộ Y tế, các bộ, ngành và địa phương, đơn vị có liên quan",
     ["Bộ Y tế", "các bộ, ngành", "địa phương", "đơn vị có liên quan"]),
    ("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ; Đài Tiếng nói Việt Nam và các cơ quan thông tấn, báo chí",
     ["Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "Đài Tiếng nói Việt Nam", "các cơ quan thông tấn, báo chí"]),
    # a comma or a space printed without a comma ("Các bộ cơ quan"), holders and committees
    ("Các bộ cơ quan, địa phương, Tập đoàn, tổng công ty", ["Các bộ cơ quan, địa phương, Tập đoàn, tổng công ty"]),
    ("UBND các tỉnh, thành phố trực thuộc trung ương; Bộ Nội vụ",
     ["UBND các tỉnh, thành phố trực thuộc trung ương", "Bộ Nội vụ"]),
    ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố", ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"]),
    # qualifiers that say which bodies are meant stay
    ("Các bộ, địa phương quản lý ngành, lĩnh vực; Bộ Tài chính",
     ["Các bộ, địa phương quản lý ngành, lĩnh vực", "Bộ Tài chính"]),
    ("Các đơn vị được giao thực hiện TTHC", ["Các đơn vị được giao thực hiện TTHC"]),
    ("Các bộ, ngành, địa phương, doanh nghiệp có dự án", ["Các bộ, ngành, địa phương, doanh nghiệp có dự án"]),
    ("Các đơn vị có hệ thống thông tin, cơ sở dữ liệu", ["Các đơn vị có hệ thống thông tin, cơ sở dữ liệu"]),
    ("Các cơ quan đại diện chủ sở hữu, các Tập đoàn kinh tế",
     ["Các cơ quan đại diện chủ sở hữu", "các Tập đoàn kinh tế"]),
    ("Các cơ quan thành viên trong Ủy ban quốc gia về phòng chống thiên tai",
     ["Các cơ quan thành viên trong Ủy ban quốc gia về phòng chống thiên tai"]),
    ("Các bộ, ngành, địa phương khác có liên quan", ["Các bộ, ngành, địa phương khác có liên quan"]),
    ("Ngân hàng Nhà nước Việt Nam, các tổ chức tín dụng", ["Ngân hàng Nhà nước Việt Nam", "các tổ chức tín dụng"]),
    ("Các cơ quan, tổ chức, cá nhân có liên quan", ["Các cơ quan, tổ chức, cá nhân có liên quan"]),
    # verbs after a collective are not qualifiers
    ("Các bộ, cơ quan, địa phương tổ chức triển khai", ["Các bộ, cơ quan, địa phương"]),
    ("Các bộ, cơ quan, địa phương lập, điều chỉnh, phê duyệt", ["Các bộ, cơ quan, địa phương"]),
    ("1. Bộ Y tế, các địa phương tăng cường kiểm tra thị trường. 2. Bộ Công Thương",
     ["Bộ Y tế", "các địa phương", "Bộ Công Thương"]),
    ("Các tỉnh, thành phố Nhiệm vụ thường xuyên", ["Các tỉnh, thành phố"]),
]

SHARED_PREFIXES = [
    ("Các Bộ: Tài chính, Xây dựng", ["Bộ Tài chính", "Bộ Xây dựng"]),
    ("Các Bộ: Tài chính, Nông nghiệp và Môi trường, Công an, Quốc phòng theo chức năng, nhiệm vụ",
     ["Bộ Tài chính", "Bộ Nông nghiệp và Môi trường", "Bộ Công an", "Bộ Quốc phòng"]),
    ("Các Bộ: Văn hóa, Thể thao và Du lịch, Y tế", ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]),
    ("Các Bộ: Xây dựng, Công Thương, các bộ, cơ quan", ["Bộ Xây dựng", "Bộ Công Thương", "các bộ, cơ quan"]),
    ("Bộ Xây dựng, Khoa học và Công nghệ", ["Bộ Xây dựng", "Bộ Khoa học và Công nghệ"]),
    ("Bộ Văn hoá, Thể thao và Du lịch, Ngoại giao, Công an",
     ["Bộ Văn hoá, Thể thao và Du lịch", "Bộ Ngoại giao", "Bộ Công an"]),
    ("Bộ Tài nguyên và Môi trường, Giao thông vận tải", ["Bộ Tài nguyên và Môi trường", "Bộ Giao thông vận tải"]),
    ("Sở Giáo dục và Đào tạo, Y tế và Văn phòng UBND tỉnh", ["Sở Giáo dục và Đào tạo", "Sở Y tế", "Văn phòng UBND tỉnh"]),
    ("Các Cục: Di sản văn hóa, Bản quyền tác giả", ["Cục Di sản văn hóa", "Cục Bản quyền tác giả"]),
    # entries parted by ";" may hold commas; the enumeration runs to a sentence end
    ("Các Cục: Bản quyền tác giả; Xuất bản, In và Phát hành; Báo chí. Vụ Kế hoạch, Tài chính.",
     ["Cục Bản quyền tác giả", "Cục Xuất bản, In và Phát hành", "Cục Báo chí", "Vụ Kế hoạch, Tài chính"]),
    ("Các Vụ: Pháp chế; Tổ chức cán bộ; UBND cấp xã", ["Vụ Pháp chế", "Vụ Tổ chức cán bộ", "UBND cấp xã"]),
    # a department printed lower-case is a verb, not a ministry
    ("Bộ Công an xây dựng, hoàn thiện cơ chế", ["Bộ Công an"]),
]

ROLES = [
    ("Bộ Tài chính đầu mối tham mưu, tổng hợp số liệu thống kê", ["Bộ Tài chính"]),
    ("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam theo chức năng, nhiệm vụ được giao",
     ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"]),
    ("Bộ Tư pháp trình Chính phủ ban hành nghị định", ["Bộ Tư pháp"]),
    ("Bộ Tài chính tổng hợp, đánh giá kết quả; Bộ Nội vụ rà soát tổ chức bộ máy", ["Bộ Tài chính", "Bộ Nội vụ"]),
    ("Bộ Nội vụ, Bộ Tài chính nghiên cứu, hoàn thiện", ["Bộ Nội vụ", "Bộ Tài chính"]),
    ("Bộ Công an, Bộ Y tế với các tiêu chuẩn áp dụng chung; các bộ, ngành với các tiêu chuẩn nội ngành",
     ["Bộ Công an", "Bộ Y tế", "các bộ, ngành"]),
    ("1. Bộ Tài chính đối với dự án nhóm A; 2. Bộ KHCN đối với dự án khác", ["Bộ Tài chính", "Bộ KHCN"]),
    ("Bộ Công an, Bộ Nội vụ phối hợp triển khai rà soát", ["Bộ Công an", "Bộ Nội vụ"]),
    ("Chủ trì, phối hợp với Bộ Tài chính", []),
    ("Bộ Công Thương chủ trì, phối hợp với Bộ Tài chính", ["Bộ Công Thương"]),
    # a topic before a colon names no one
    ("1. Về thị trường vốn: Bộ Tài chính chủ trì. 2. Về tín dụng: Ngân hàng Nhà nước Việt Nam chủ trì",
     ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"]),
    ("Trong đó: Bộ Y tế", ["Bộ Y tế"]),
    # an item of prose, after a role, names no one
    ("1. Bộ Nội vụ chủ trì: Đề án A; xây dựng chính sách lao động, việc làm", ["Bộ Nội vụ"]),
]

PARENTHETICALS = [
    ("Bộ Công Thương (đối với năng lượng), Bộ Tài chính", ["Bộ Công Thương", "Bộ Tài chính"]),
    ("Đà Nẵng (liên quan đến trung tâm tài chính), các bộ", ["Đà Nẵng", "các bộ"]),
    ("1. Bộ Tài chính tổng kết (trong Quý II/2026). 2. Bộ Tư pháp", ["Bộ Tài chính", "Bộ Tư pháp"]),
    # kept when it names the unit doing the work
    ("Bộ Công an (Trung tâm Dữ liệu quốc gia)", ["Bộ Công an (Trung tâm Dữ liệu quốc gia)"]),
    ("Bộ Tài chính (Cục Quản lý công sản); Bộ Xây dựng", ["Bộ Tài chính (Cục Quản lý công sản)", "Bộ Xây dựng"]),
]

MISSING_COMMAS = [
    ("Bộ Công Thương các bộ, cơ quan", ["Bộ Công Thương", "các bộ, cơ quan"]),
    ("Bộ Ngoại giao các bộ, ngành và địa phương, đơn vị có liên quan",
     ["Bộ Ngoại giao", "các bộ, ngành", "địa phương", "đơn vị có liên quan"]),
    ("Các bộ, cơ quan, địa phương các tập đoàn, tổng công ty",
     ["Các bộ, cơ quan, địa phương", "các tập đoàn, tổng công ty"]),
    ("các địa phương đơn vị có liên quan", ["các địa phương", "đơn vị có liên quan"]),
    ("Bộ Tài chính Ngân hàng Nhà nước Việt Nam, các Bộ, cơ quan có liên quan",
     ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam", "các Bộ, cơ quan có liên quan"]),
    ("Bộ Nông nghiệp và Môi trường Các bộ, cơ quan, địa phương",
     ["Bộ Nông nghiệp và Môi trường", "Các bộ, cơ quan, địa phương"]),
    ("Các bộ, ngành có liên quan Bộ Y tế", ["Các bộ, ngành có liên quan", "Bộ Y tế"]),
    # a preposition before "các" keeps it inside the name
    ("Ủy ban Công tác về các tổ chức phi chính phủ nước ngoài", ["Ủy ban Công tác về các tổ chức phi chính phủ nước ngoài"]),
]

TONES = [
    # the old and new placement of a tone mark, in table names and in body nouns ("tập đòan", as printed)
    ("Bộ Văn hoá, Thể thao và Du lịch; Uỷ ban nhân dân các tỉnh",
     ["Bộ Văn hoá, Thể thao và Du lịch", "Uỷ ban nhân dân các tỉnh"]),
    ("Các bộ, cơ quan, các tập đòan, tổng công ty", ["Các bộ, cơ quan", "các tập đòan, tổng công ty"]),
]


@pytest.mark.parametrize("cell, expected", BREAKS + ONE_BODY + COLLECTIVES + SHARED_PREFIXES + ROLES + PARENTHETICALS
                         + MISSING_COMMAS + TONES)
def test_split_agencies_rules(cell, expected):
    assert split_agencies(cell) == expected


LEAD_AND_COORDINATING = [
    # (lead cell, coordinating cell) -> (lead names, coordinating names)
    (("Bộ Tài chính đầu mối phối hợp với các cơ quan tổng hợp", "Các đơn vị có liên quan"),
     (["Bộ Tài chính"], ["Các đơn vị có liên quan", "các cơ quan"])),
    (("1. Bộ Tư pháp tổng hợp; chủ trì, phối hợp với Bộ Nội vụ, các địa phương nghiên cứu thiết lập cơ quan. "
      "2. Các bộ, cơ quan, địa phương rà soát.", "Các bộ, cơ quan, địa phương; Bộ Nội vụ"),
     (["Bộ Tư pháp", "Các bộ, cơ quan, địa phương"], ["Các bộ, cơ quan, địa phương", "Bộ Nội vụ", "các địa phương"])),
    (("Bộ Y tế chủ trì, phối hợp chặt chẽ với các Bộ: Xây dựng, Quốc phòng theo chức năng", "Bộ Xây dựng"),
     (["Bộ Y tế"], ["Bộ Xây dựng", "Bộ Quốc phòng"])),
    (("Bộ Công an phối hợp với Văn phòng Chính phủ và các bộ, ngành có liên quan xây dựng", ""),
     (["Bộ Công an"], ["Văn phòng Chính phủ", "các bộ, ngành có liên quan"])),
    (("Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp", "Bộ Tư pháp, các bộ, ngành"),
     (["Bộ Tài chính"], ["Bộ Tư pháp", "các bộ, ngành"])),  # a name already there is given once
    (("Bộ Tài chính", "Bộ Tư pháp; Bộ Công an"), (["Bộ Tài chính"], ["Bộ Tư pháp", "Bộ Công an"])),
    (("", ""), ([], [])),
]


@pytest.mark.parametrize("cells, expected", LEAD_AND_COORDINATING)
def test_lead_and_coordinating(cells, expected):
    assert lead_and_coordinating(*cells) == expected


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
    "Các cơ quan ngành dọc đóng trên địa bàn tỉnh", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hoá, Thể thao và Du lịch",
    "Bộ Nông nghiệp và Môi trường", "Bộ Khoa học và công nghệ", "Cục Xuất bản, In và Phát hành", "Vụ Kế hoạch, Tài chính",
    "Ban Quản lý Khu kinh tế Vân Phong và các Khu công nghiệp tỉnh", "Các bộ, ngành, địa phương",
    "Các bộ, cơ quan, địa phương, Tập đoàn kinh tế, Tổng công ty, đơn vị có liên quan",
    "Các bộ, địa phương quản lý ngành, lĩnh vực", "Các đơn vị được giao thực hiện TTHC",
    "Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "UBND các tỉnh, thành phố trực thuộc trung ương",
    "các cơ quan thông tấn, báo chí trung ương", "Các cơ quan, tổ chức, cá nhân có liên quan",
    "Bộ Công an (Trung tâm Dữ liệu quốc gia)", "các tổ chức tín dụng", "Tập đoàn Điện lực Việt Nam",
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
    ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hoá, Thể thao và Du lịch", "Bộ Văn hóa Thể thao và Du lịch", "Bộ VHTTDL"],
    ["Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước"],
    ["Bộ Khoa học và Công nghệ", "Bộ Khoa học và công nghệ", "Bộ KHCN"],
    ["UBND các tỉnh, thành phố trực thuộc trung ương", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
     "Uỷ ban nhân dân các tỉnh, thành phố"],
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
    ("Các bộ, ngành", "Các bộ, ngành, địa phương"),
    ("Các bộ, cơ quan, địa phương", "Các bộ, ngành, địa phương"),
    ("Bộ Tài chính", "Sở Tài chính"),
    ("Bộ Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường"),
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
    (("Bộ Xây dựng", "Đồng Nai", None), ("Bộ Xây dựng", None, "agency", None)),
    (("Các bộ, cơ quan, địa phương", "Đồng Nai", None), ("Các bộ, cơ quan, địa phương", None, "collective", None)),
    (("Bộ, cơ quan, địa phương", None, None), ("Các bộ, cơ quan, địa phương", None, "collective", None)),
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


def test_a_long_run_of_department_names_under_one_head_splits():
    """Thousands of department names after one "Sở": read from the end, each word once (trying every split from the
    start took exponential time, and its recursion ran out of stack at a few thousand words)."""
    cell = "Sở " + " ".join(["Tư pháp", "Nội vụ", "Tài chính"] * 1_000)
    assert split_agencies(cell) == ["Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính"]

