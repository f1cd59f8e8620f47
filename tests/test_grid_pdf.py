"""Gazette PDF text tables (extract.grid_pdf), on small pages written for the test in the layouts the gazette uses:
one header cell after another, numbered rows, cells wrapped at their column's width, blank lines for empty cells,
page breaks with the header repeated. And the dev key's gazette documents, scored (they skip without ../shared)."""

from __future__ import annotations

import pytest

from legalkg.extract.grid_pdf import pdf_tables
from legalkg.extract.tasks import clean_cell

HEADER = "TT \nNHIỆM VỤ \nTHỜI HẠN \nHOÀN THÀNH \nCƠ QUAN CHỦ TRÌ \nCƠ QUAN PHỐI HỢP \n"

PLAIN = HEADER + """I 
Nhóm nhiệm vụ về hoàn thiện thể chế
1 
Rà soát toàn bộ quy định về đầu tư công 
trên địa bàn và đề xuất sửa đổi 
Quý II/2027 
Sở Kế hoạch và Đầu 
tư 
Các sở, ban, ngành 
2 
Xây dựng cơ sở dữ liệu đất đai 
Năm 2027 
Sở Tài nguyên và Môi 
trường 
Sở Tài chính, Sở Tư 
pháp 
II 
Nhóm nhiệm vụ về chuyển đổi số
3 
Số hoá hồ sơ một cửa 
Tháng 12/2027 
Văn phòng Ủy ban nhân 
dân tỉnh 
Các huyện, thị xã 
"""


def _rows(text: str):
    (table,) = pdf_tables(text, 0, len(text))
    return table, [(r.kind, {role: clean_cell(c.text) for role, c in zip(table.columns, r.cells) if c})
                   for r in table.rows]


def test_columns_from_wrapped_header_cells():
    table, _ = _rows(PLAIN)
    assert table.columns == ("no", "task", "deadline", "lead", "coordinating")
    assert table.style == "gazette"


def test_rows_and_cells_in_column_order():
    _, rows = _rows(PLAIN)
    assert [k for k, _ in rows] == ["heading", "row", "row", "heading", "row"]
    assert rows[1][1] == {"no": "1", "task": "Rà soát toàn bộ quy định về đầu tư công trên địa bàn và đề xuất sửa đổi",
                          "deadline": "Quý II/2027", "lead": "Sở Kế hoạch và Đầu tư",
                          "coordinating": "Các sở, ban, ngành"}
    assert rows[2][1]["coordinating"] == "Sở Tài chính, Sở Tư pháp"
    assert rows[4][1]["lead"] == "Văn phòng Ủy ban nhân dân tỉnh"


def test_cell_offsets_point_into_the_text():
    table, _ = _rows(PLAIN)
    for row in table.rows:
        for cell in filter(None, row.cells):
            assert PLAIN[cell.start : cell.end] == cell.text


def test_a_numbered_list_inside_a_lead_cell_is_not_a_row():
    text = HEADER + """1 
Tổng kết cơ chế đặc thù 
Năm 2027 
1. Sở Tài chính tổng kết, 
đánh giá 
2. Sở Tư pháp, các sở 
tham mưu 
Các địa phương 
2 
Rà soát thủ tục hành chính 
Quý I/2027 
Sở Nội vụ 
Các sở, ngành 
"""
    _, rows = _rows(text)
    assert [r["no"] for _, r in rows] == ["1", "2"]
    assert rows[0][1]["lead"].startswith("1. Sở Tài chính") and "2. Sở Tư pháp" in rows[0][1]["lead"]
    assert rows[0][1]["coordinating"] == "Các địa phương"


def test_an_inline_number_starts_a_row_only_in_sequence():
    text = HEADER + """1 
Lập quy hoạch vùng 
Quý II/2027 
Sở Xây dựng 
Các huyện 
2 Xây dựng bảng giá đất 
Năm 2027 
Sở Tài nguyên và Môi trường 
Sở Tài chính 
"""
    _, rows = _rows(text)
    assert [(r["no"], r["task"]) for _, r in rows] == [("1", "Lập quy hoạch vùng"), ("2", "Xây dựng bảng giá đất")]


WRAPPED_ROWS = """1 
Rà soát, sửa đổi quy chế phối hợp giữa các cơ 
quan trong công tác cải cách hành chính 
Quý II/2027 
Sở Nội vụ, Sở Tư 
pháp 
Các sở, ban, ngành, 
địa phương 
2 
Xây dựng cơ sở dữ liệu về hộ tịch và kết nối 
với cơ sở dữ liệu quốc gia về dân cư 
Năm 2027 
Sở Tư pháp, Công an 
tỉnh 
Các huyện, thị xã, 
thành phố 
"""


def test_page_break_repeats_the_header_and_continues_the_row():
    text = HEADER + WRAPPED_ROWS + """3 
Rà soát, sửa đổi quy chế phối hợp giữa các cơ 
Quý II/2027 
Sở Nội vụ, Văn phòng 
Ủy ban nhân dân tỉnh 
Các sở, ban, ngành, 

CÔNG BÁO/Số 12/Ngày 01-02-2027 
7
 
""" + HEADER + """quan chuyên môn thuộc tỉnh 
địa phương 
4 
Tổ chức tập huấn nghiệp vụ cho công chức cấp 
xã về chứng thực điện tử 
Năm 2027 
Sở Tư pháp, Sở Thông 
tin và Truyền thông 
Ủy ban nhân dân cấp 
huyện 
"""
    furniture = {text.index("CÔNG BÁO"), text.index("7\n", text.index("CÔNG BÁO"))}
    (table,) = pdf_tables(text, 0, len(text), skip=lambda at: at in furniture)
    kinds = [r.kind for r in table.rows]
    assert kinds == ["row", "row", "row", "continuation", "row"]
    continued = dict(zip(table.columns, (c and clean_cell(c.text) for c in table.rows[3].cells)))
    assert continued["task"] == "quan chuyên môn thuộc tỉnh"
    assert continued["coordinating"] == "địa phương"


def test_blank_lines_are_empty_cells():
    text = HEADER + """1 
Xây dựng đề án 
Năm 2027 
Sở Nội vụ 
  
2 
Xây dựng kế hoạch 
  
Sở Tài chính 
Các sở 
"""
    _, rows = _rows(text)
    assert "coordinating" not in rows[0][1]
    assert "deadline" not in rows[1][1] and rows[1][1]["lead"] == "Sở Tài chính"


def test_a_cell_printed_once_spans_the_rows_under_it():
    text = """STT 
Văn bản 
Điều, khoản cần sửa đổi 
Cơ quan chủ trì 
1. 
Nghị định số 12/2020/NĐ-CP 
Điều 5 
Sở Văn hóa, Thể thao và 
Du lịch 
2. 
Nghị định số 30/2021/NĐ-CP 
Khoản 2 Điều 7 
3. 
Thông tư số 04/2022/TT-BVHTTDL 
Điều 3 
"""
    _, rows = _rows(text)
    assert [r.get("lead") for _, r in rows] == ["Sở Văn hóa, Thể thao và Du lịch"] * 3
    assert rows[1][1]["task"] == "Nghị định số 30/2021/NĐ-CP"
    assert rows[1][1]["product"] == "Khoản 2 Điều 7"


def test_a_sub_row_with_its_own_agencies_is_a_part():
    text = """TT 
CHỈ TIÊU 
MỤC TIÊU 
CƠ QUAN CHỦ TRÌ 
CƠ QUAN PHỐI HỢP 
1 
Tăng trưởng xuất khẩu (%) 
8 - 9 
Sở Công Thương 
Sở Tài chính 
Trong đó: nhóm nông sản 
5 - 6 
Sở Nông nghiệp và Môi trường 
Sở Công Thương 
2 
Tỉ lệ đô thị hoá (%) 
45 
Sở Xây dựng 
Các huyện 
"""
    _, rows = _rows(text)
    assert [k for k, _ in rows] == ["row", "part", "row"]
    assert rows[1][1]["lead"] == "Sở Nông nghiệp và Môi trường"
    assert rows[0][1]["objective"] == "8 - 9"


def test_a_line_running_two_cells_together_is_parted():
    text = HEADER + """1 
Hoàn thiện cơ chế quản lý chợ đầu mối nông sản trên địa bàn tỉnh 
Năm 2027 
Sở Công Thương Các huyện, thị 
xã 
2 
Xây dựng bản đồ số về quy hoạch đô thị trên địa bàn toàn tỉnh 
Năm 2027 
Sở Xây dựng 
Các sở, ngành liên quan 
3 
Triển khai hệ thống thông tin quản lý đất đai trên địa bàn tỉnh 
Năm 2028 
Sở Nông nghiệp và Môi trường 
Sở Tài chính, Sở Tư pháp 
"""
    _, rows = _rows(text)
    assert rows[0][1]["lead"] == "Sở Công Thương"
    assert rows[0][1]["coordinating"] == "Các huyện, thị xã"


@pytest.mark.parametrize("text", [
    "",
    "TT \nHọ và tên \nChức vụ \n1 \nNguyễn Văn A \nGiám đốc \n",  # a list of people: no lead column
    "STT \nTên mẫu \nLĩnh vực \n1 \nMẫu số 01 \nĐất đai \n",  # a list of forms
    "Cơ quan chủ trì: Sở Tư pháp. Thời hạn: Quý II/2027.\n",  # running text naming a lead
    HEADER,  # a header and nothing under it
])
def test_must_not_read_a_task_table(text):
    assert pdf_tables(text, 0, len(text)) == []


def test_table_ends_at_the_signature_and_the_next_appendix():
    text = PLAIN + "KT. CHỦ TỊCH \nPHÓ CHỦ TỊCH \n4 \nNguyễn Văn B \n"
    table, rows = _rows(text)
    assert len(rows) == 5
    assert table.end <= text.index("KT. CHỦ TỊCH")


# --- the dev key's gazette documents -----------------------------------------------------------------------------
GAZETTE_FLOORS = {"count": 0.05, "deadline": 0.90, "cites": 0.95}


def test_gazette_documents_of_the_dev_key(shared):
    import json

    from legalkg.extract.pipeline import extract_file
    from legalkg.extract.task_eval import score_document

    keys = sorted((shared / "gold" / "tasks-dev").glob("gazette__*.json"))
    assert len(keys) == 8
    for key in keys:
        gold = json.loads(key.read_text(encoding="utf-8"))
        result = score_document(extract_file(shared / "corpus" / gold["file"]), gold["tasks"], gold["file"])
        print(result.line())
        assert result.count_ok, result.name
        assert result.scores["deadline"].f1 >= GAZETTE_FLOORS["deadline"], result.name
        assert result.scores["cites"].f1 >= GAZETTE_FLOORS["cites"], result.name


def test_a_task_table_without_a_lead_column_is_a_warning_not_silence():
    text = """STT 
Đơn vị 
Nhiệm vụ chủ trì 
Đơn vị phối hợp 
Thời gian hoàn thành 
Xây dựng quy chế phối hợp 
Sở Tư pháp 
Quý I/2027 
1 
Sở Nội vụ 
"""
    (table,) = pdf_tables(text, 0, len(text))
    assert table.rows == () and "lead column" in table.warning


@pytest.mark.parametrize("cell_line", ["Chương III;", "Phụ lục I", "Điều 12. Điều 13;", "Mẫu số 7 Phụ lục I"])
def test_a_cell_line_that_names_a_provision_does_not_end_the_table(cell_line):
    text = """STT 
Văn bản 
Điều, khoản cần sửa đổi 
Cơ quan chủ trì 
1. 
Nghị định số 12/2020/NĐ-CP 
Khoản 2 Điều 3 
""" + cell_line + """ 
Sở Tư pháp 
2. 
Nghị định số 30/2021/NĐ-CP 
Điều 7 
Sở Nội vụ 
"""
    _, rows = _rows(text)
    assert [r["no"] for _, r in rows if "no" in r] == ["1.", "2."]
    assert rows[0][1]["lead"] == "Sở Tư pháp"


@pytest.mark.parametrize("line, dangles", [
    ("Sở Tài nguyên và", True),
    ("phối hợp với", True),
    ("Ủy ban", True),
    ("Chi cục\n", True),           # "$" matches before a final line break
    ("với", True),
    ("Sở Tư pháp", False),
    ("Bộ Ngoại giao,", False),
    ("thuộc tỉnh", False),
    ("Thanh Hóa với.", False),
    ("trongsố", False),             # a word ending in a dangling word is not one
    ("", False),
])
def test_a_line_dangles_as_the_forward_pattern_says(line, dangles):
    from legalkg.extract.pdf_cells import _dangles, dangling_words

    assert _dangles(line) is dangles
    assert bool(dangling_words().search(line)) is dangles


def test_rows_of_one_shape_read_once_keep_their_own_offsets():
    rows = "".join(f"{n} \nKiểm tra hồ sơ đợt {n:02d} \nQuý {'I' * (n % 3 + 1)}/2027 \nSở Tư pháp \nCác sở, ngành \n"
                   for n in range(1, 41))
    text = HEADER + rows
    table, read = _rows(text)
    assert len(table.rows) == 40
    for n, (kind, cells) in enumerate(read, 1):
        assert (kind, cells["no"], cells["lead"]) == ("row", str(n), "Sở Tư pháp")
        assert cells["task"] == f"Kiểm tra hồ sơ đợt {n:02d}"
    for row in table.rows:
        for cell in filter(None, row.cells):
            assert text[cell.start : cell.end] == cell.text
