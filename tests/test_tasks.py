"""Task tables in every layout, rows merged into tasks, directive items; small texts we wrote in the corpus' styles."""

from __future__ import annotations

import pytest

from legalkg.extract.pipeline import extract_text
from legalkg.extract.readers import find_tables
from legalkg.extract.tables import column_role, looks_like_agency, looks_like_deadline

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
DEPT = "SỞ NÔNG NGHIỆP VÀ PTNT\nSố: 7/KH-SNNPTNT\nQuảng Ngãi, ngày 05 tháng 02 năm 2024\nKẾ HOẠCH\nThử nghiệm\n"


def tasks(body: str, header: str = PLAN):
    return extract_text(header + body).tasks


HEADERS = [
    ("Nhiệm vụ/nội dung công việc", "task"), ("Nhiệm vụ/ Hoạt\nđộng", "task"), ("Nhiệm vụ cụ thể", "task"),
    ("Kết quả/ Sản phẩm", "product"), ("Kết quả công việc", "product"), ("**Cơ quan chủ trì**", "lead"),
    ("Chủ trì", "lead"), ("Cơ quan chủ trì soạn thảo", "lead"), ("Phối hợp", "coordinating"),
    ("Thời gian hoàn\nthành", "deadline"), ("Thời gian thực hiện", "deadline"), ("Mục tiêu", "objective"),
    ("Đơn vị thực hiện", "unit"), ("STT", "no"), ("TT", "no"),
    ("Chủ trì xây dựng các văn bản về kiểm soát thủ tục", None), ("Sở Tư pháp", None), ("", None),
]


@pytest.mark.parametrize("header,role", HEADERS)
def test_columns_are_mapped_by_header_text(header, role):
    assert column_role(header) == role


@pytest.mark.parametrize("text,agency,deadline", [
    ("Sở Tư pháp", True, False), ("Các sở, ban ngành; UBND các huyện", True, False), ("- UBND cấp huyện", True, False),
    ("Quý I/2023", False, True), ("Thường xuyên", False, True), ("Trước ngày 15/02/2023", False, True),
    ("Lớp tập huấn, bồi dưỡng", False, False), ("Tổ chức thực hiện quy trình số hóa", False, False),
])
def test_cell_cues(text, agency, deadline):
    assert (looks_like_agency(text), looks_like_deadline(text)) == (agency, deadline)


PIPE = (
    "Stt | Nhiệm vụ/nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành | Sản phẩm |\n"
    "Về cải cách thủ tục | |||||\n"
    "1 | Rà soát quy định theo Quyết định số 468/QĐ-TTg. | Các sở, ban ngành và UBND cấp huyện | Văn phòng UBND tỉnh "
    "| Định kỳ hàng năm | Báo cáo kết quả. |\n"
    "2 | Số hóa hồ sơ theo Đề án 06. | Sở Thông tin và Truyền thông | Công an tỉnh | Quý I/2023 | Hồ sơ số. |\n"
    "- 1 Nghị định 61/2018/NĐ-CP về một cửa\n"
)


def test_pipe_rows():
    body = "Quyết định số 06/QĐ-TTg ngày 06/01/2022 phê duyệt Đề án (viết tắt là Đề án 06).\nPHỤ LỤC\n" + PIPE
    first, second = tasks(body)
    assert (first.no, first.section, first.text) == ("1", "Về cải cách thủ tục", "Rà soát quy định theo Quyết định số 468/QĐ-TTg.")
    (part,) = first.parts
    assert part.lead == ("Các sở, ban ngành", "UBND cấp huyện") and part.coordinating == ("Văn phòng UBND tỉnh",)
    assert (part.deadline, part.product) == ("Định kỳ hàng năm", "Báo cáo kết quả.")
    assert first.cites == ("468/QĐ-TTg",)
    assert second.cites == ("06/QĐ-TTg",)  # the short form the document defined
    assert second.parts[0].deadline_parsed.kind == "quarter" and second.parts[0].deadline_parsed.end == "2023-03-31"


TAB_HEADER = "STT\tNội dung công việc\tKết quả công việc\tĐơn vị thực hiện\t\tThời gian thực hiện\n\t\t\tChủ trì\tPhối hợp\t\n"
TAB = (
    "PHỤ LỤC\n" + TAB_HEADER +
    "<b>I</b>\t<b>Ban hành văn bản</b>\t\t\t\t\n"
    "1\tXây dựng <i>kế hoạch</i> năm\ta) Kế hoạch rà soát.\tVăn phòng Sở.\tCác phòng thuộc Sở.\tTháng 02/2024\n"
    "\t\tb) Văn bản triển khai.\tCác phòng thuộc Sở.\tVăn phòng Sở.\tQuý I\n"
    "2\t<p>Nhập dữ liệu lên Cơ sở</p>\t<p>TTHC được đăng tải trên Cổng</p>\t\t\t\n"
    "\n" + TAB_HEADER +
    "\tdữ liệu quốc gia.\tDịch vụ công Quốc gia.\tVăn phòng Sở\tCác phòng thuộc Sở\tThường xuyên\n"
    "3\tTuyên truyền về kiểm soát TTHC, việc thực hiện cơ chế một\tKế hoạch truyền thông.\tVăn phòng Sở.\tCác phòng.\tThường xuyên\n"
    "\n" + TAB_HEADER +
    "\tcửa trên Cổng thông tin điện tử.\tCác tin, bài.\tCác phòng.\tVăn phòng Sở.\t\n"
)


def test_tab_rows_with_page_breaks_and_parts():
    first, second, third = tasks(TAB, DEPT)
    assert first.section == "Ban hành văn bản" and first.text == "Xây dựng kế hoạch năm"  # inline tags leave no space
    assert [p.deadline for p in first.parts] == ["Tháng 02/2024", "Quý I"]  # an empty STT and task: a new part
    assert second.text == "Nhập dữ liệu lên Cơ sở dữ liệu quốc gia."  # merged across the page break
    assert second.parts[0].product == "TTHC được đăng tải trên Cổng Dịch vụ công Quốc gia."
    assert second.parts[0].lead == ("Văn phòng Sở",) and second.parts[0].deadline == "Thường xuyên"
    # a continuation whose result starts anew after a finished sentence: text merged, a second part
    assert third.text.endswith("cơ chế một cửa trên Cổng thông tin điện tử.")
    assert [p.product for p in third.parts] == ["Kế hoạch truyền thông.", "Các tin, bài."]


def block(*cells: str) -> str:
    return "\n|\n".join(cells) + "\n"


BLOCKS = "PHỤ LỤC\n(Kèm theo Kế hoạch)\n" + block(
    "STT", "Mục tiêu", "Nhiệm vụ/ Hoạt\nđộng", "Kết quả/ Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn\nthành",
    "I", "Cải cách thể chế",
    "1", "100% văn bản được ban hành\nđúng hạn", "Tham mưu ban hành văn bản", "Các văn bản", "Các sở, ban ngành", "Sở Tư pháp", "Thường xuyên",
    "Tập huấn nghiệp vụ", "Lớp tập huấn", "Sở Tư pháp", "Các sở, ban ngành", "Quý II/2023",
    "II", "Cải cách thủ tục",
    "1", "Kiểm soát thủ tục",
    "1.1", "100% thủ tục công khai", "Công khai thủ tục", "Thủ tục được công khai", "Văn phòng UBND tỉnh", "Các sở, ban ngành", "Thường xuyên",
    "Tập huấn số hóa", "Lớp tập huấn",
    "Số hóa hồ sơ", "Hồ sơ số", "Các sở, ban ngành", "Sở Thông tin và Truyền thông", "Quý I/2023",
    "Kết quả được cung cấp bản điện tử", "Cung cấp bản điện tử", "Bản điện tử", "UBND cấp huyện", "Văn phòng UBND tỉnh", "Thường xuyên",
)


def test_block_rows_inferred_from_stt_and_cell_shapes():
    found = tasks(BLOCKS)
    assert [(t.no, t.section) for t in found] == [
        ("1", "I. Cải cách thể chế"), ("1", "I. Cải cách thể chế"),
        *[("1.1", "II > 1. Kiểm soát thủ tục")] * 4,
    ]
    assert found[0].objective == "1 100% văn bản được ban hành đúng hạn" == found[1].objective  # row-spanned
    assert found[1].parts[0].deadline == "Quý II/2023"
    short = found[3]  # a row missing its trailing cells
    assert (short.text, short.parts[0].product, short.parts[0].lead, short.parts[0].deadline) == (
        "Tập huấn số hóa", "Lớp tập huấn", (), None)
    assert found[5].objective == "Kết quả được cung cấp bản điện tử"  # its own objective, under the spanned STT
    assert found[5].parts[0].lead == ("UBND cấp huyện",)


GAZETTE = (
    "CHÍNH PHỦ\nSố: 9/2026/NQ-CP\nHà Nội, ngày 05 tháng 01 năm 2026\nNGHỊ QUYẾT\nThử\nPhụ lục\nTT \nNHIỆM VỤ \nTHỜI HẠN \n"
    "HOÀN THÀNH \nCƠ QUAN CHỦ TRÌ \nCƠ QUAN PHỐI HỢP \nI \nNhóm nhiệm vụ về thể chế \n1 \nTổng rà soát hệ thống \npháp luật \n"
    "Tháng 12/2026 \nBộ Tư pháp \nCác bộ, cơ quan, địa \nphương \n2 \nSửa đổi Luật Đất đai \nQuý IV/2026 \n"
    "Bộ Nông nghiệp \nvà Môi trường \nCác bộ, cơ quan \n"
)


def test_gazette_rows_are_dealt_to_columns_in_order():
    first, second = extract_text(GAZETTE).tasks
    assert (first.no, first.text, first.layout) == ("1", "Tổng rà soát hệ thống pháp luật", "gazette")
    assert first.parts[0].deadline == "Tháng 12/2026" and first.parts[0].lead == ("Bộ Tư pháp",)
    assert second.parts[0].lead == ("Bộ Nông nghiệp và Môi trường",)


DIRECTIVE = (
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\nSố: 3/CT-UBND\nQuảng Nam, ngày 17 tháng 4 năm 2020\nCHỈ THỊ\nVề thử nghiệm\n"
    "Để đẩy mạnh cải cách, Chủ tịch UBND tỉnh yêu cầu:\n"
    "1. Giao Sở Thông tin và Truyền thông khẩn trương\n"
    "a) Hoàn thiện Cổng dịch vụ công theo Thông tư số 22/2019/TT-BTTTT.\n"
    "b) Phối hợp với Sở Nội vụ tập huấn cho cán bộ.\n"
    "2. Giao Sở Nội vụ\nChủ động rà soát quy trình nội bộ.\n"
    "| TM. ỦY BAN NHÂN DÂN |\n"
)


def test_directive_items_are_tasks_of_their_heading():
    found = extract_text(DIRECTIVE).tasks
    assert [(t.no, t.parts[0].lead) for t in found] == [
        ("1.a", ("Sở Thông tin và Truyền thông",)), ("1.b", ("Sở Thông tin và Truyền thông",)), ("2", ("Sở Nội vụ",))]
    assert found[0].section == "1. Giao Sở Thông tin và Truyền thông khẩn trương"
    assert found[0].cites == ("22/2019/TT-BTTTT",)
    assert found[1].parts[0].coordinating == ("Sở Nội vụ",)
    assert found[2].text == "Chủ động rà soát quy trình nội bộ."  # the signature block is not part of it


@pytest.mark.parametrize("body", [
    "1. Mục đích\nBảo đảm thực hiện tốt.\n2. Yêu cầu\nCụ thể, rõ ràng.\n",  # numbered headings that assign nothing
    "Stt | Nội dung | Ghi chú |\n1 | Thử | Không |\n",  # a table without a lead column
    "Các cơ quan chủ trì, phối hợp thực hiện nghiêm Kế hoạch này.\n",
])
def test_no_tasks_where_nothing_is_assigned(body):
    assert tasks(body) == ()


def test_task_spans_point_into_the_raw_text():
    raw = PLAN + "PHỤ LỤC\n" + PIPE
    (first, _) = extract_text(raw).tasks
    assert raw[first.span.start : first.span.end].startswith("1 | Rà soát quy định")


def test_broken_tables_lose_nothing():
    ragged = "PHỤ LỤC\n" + PIPE.replace("| Quý I/2023 | Hồ sơ số. |", "\n3 |\n| | |")
    found = tasks(ragged)
    assert [t.no for t in found] == ["1", "2", "3"]
    assert found[1].parts[0].deadline is None


def test_find_tables_reports_style_and_columns():
    (table,) = find_tables(PLAN + PIPE)
    assert table.style == "pipe" and table.columns == ("no", "task", "lead", "coordinating", "deadline", "product")


def test_an_agency_cell_too_long_to_split_is_reported():
    """A lead cell longer than any list of agencies (MAX_AGENCY_CELL) is not split; the document's warnings say so."""
    cell = ", ".join(f"Sở Tư pháp {k}" for k in range(1_500))
    doc = extract_text(PLAN + "PHỤ LỤC\nSTT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |\n"
                       f"1 | Rà soát quy định | {cell} | Sở Nội vụ |\n")
    (task,) = doc.tasks
    assert (task.parts[0].lead, task.parts[0].coordinating) == ((), ("Sở Nội vụ",))
    (warning,) = doc.warnings
    assert warning.message.startswith(f"task 1: its lead cell of {len(cell):,} characters") and "not split" in warning.message


def test_a_year_alone_in_a_block_cell_is_no_row_number():
    """Row numbers of any width start rows, but in a block table (no column says which cells are numbers) one of four
    digits or more must go on from the row before: "2023" alone is a deadline."""
    found = tasks("PHỤ LỤC\n(Kèm theo Kế hoạch)\n" + block(
        "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
        "1", "Rà soát quy định", "Sở Tư pháp", "Sở Nội vụ", "2023",
        "2", "Tập huấn nghiệp vụ", "Sở Nội vụ", "Sở Tư pháp", "2024"))
    assert [(t.no, t.text, t.parts[0].deadline) for t in found] == [
        ("1", "Rà soát quy định", "2023"), ("2", "Tập huấn nghiệp vụ", "2024")]
