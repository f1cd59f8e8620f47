"""Task tables of thuvienphapluat markdown read as a grid (extract.grid_markdown): small pages we wrote in its style —
cells between lines holding only "|", two "|" lines in a row for a row end or an empty cell — and the dev key."""

from __future__ import annotations

import json

import pytest

from legalkg.extract.grid_markdown import markdown_tables
from legalkg.extract.pipeline import extract_text
from legalkg.extract.readers import find_tables

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\nQuảng Ngãi, ngày 05 tháng 01 năm 2023\nKẾ HOẠCH\nThử nghiệm\n"
HEADER = ["**STT**", "**Nhiệm vụ**", "**Cơ quan chủ trì**", "**Cơ quan phối hợp**", "**Thời hạn hoàn thành**"]
COLUMNS = ("no", "task", "lead", "coordinating", "deadline")


def page(*rows: list[str]) -> str:
    """Rows as the page prints them: "|", a cell, "|", …, "|" — an empty cell is nothing between two "|" lines."""
    return "".join("|\n" + "".join(f"{cell}\n|\n" if cell else "|\n" for cell in row) for row in rows)


def read(text: str):
    tables = markdown_tables(text, 0, len(text))
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                assert cell is None or text[cell.start : cell.end] == cell.text == cell.text.strip()
            assert len(row.cells) == len(table.columns)
    return tables


def texts(row) -> list[str | None]:
    return [c.text if c else None for c in row.cells]


def tasks(body: str):
    return extract_text(PLAN + "PHỤ LỤC\n" + body).tasks


ROW_1 = ["1", "Rà soát quy trình nội bộ.", "Sở Tư pháp", "Các sở, ban ngành", "Quý I/2023"]
ROW_2 = ["2", "Số hóa hồ sơ.", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Tháng 6/2023"]


# --- the grid ------------------------------------------------------------------------------------------------------
def test_plain_table():
    (table,) = read("(Kèm theo Kế hoạch)\n" + page(HEADER, ROW_1, ROW_2) + "Nơi nhận:\n")
    assert table.style == "markdown" and table.columns == COLUMNS and table.warning is None
    assert [texts(r) for r in table.rows] == [ROW_1, ROW_2]
    assert [r.kind for r in table.rows] == ["row", "row"]


@pytest.mark.parametrize("blank", [3, 4], ids=["empty cell mid-row", "empty last cell"])
def test_empty_cells_keep_the_columns(blank):
    row = ROW_1.copy()
    row[blank] = ""
    (table,) = read(page(HEADER, row, ROW_2))
    first, second = table.rows
    assert texts(first) == [c or None for c in row]
    assert texts(second) == ROW_2


def test_a_figure_after_an_empty_cell_is_not_a_row_number():
    header = HEADER[:3] + ["**Đơn vị**"] + HEADER[4:]
    row = ["3", "Tập huấn nghiệp vụ.", "", "12", "Quý II/2023"]  # "12" could be an STT, but 3 came last
    (table,) = read(page(header, ROW_1, ROW_2, row))
    assert texts(table.rows[2]) == [c or None for c in row]


def test_empty_leading_cell_continues_the_row_above():
    rest = ["", "Kết quả được công khai.", "", "", ""]
    (table,) = read(page(HEADER, ROW_1, rest, ROW_2))
    assert [r.kind for r in table.rows] == ["row", "continuation", "row"]
    assert texts(table.rows[1])[1] == "Kết quả được công khai."


def test_short_sub_row_is_a_part_carrying_the_spanned_deadline():
    sub = ["Ủy ban nhân dân các huyện", "Đài Phát thanh và Truyền hình tỉnh"]  # STT, task and deadline span down
    (table,) = read(page(HEADER, ROW_1, sub, ROW_2))
    assert [r.kind for r in table.rows] == ["row", "part", "row"]
    part = table.rows[1]
    assert texts(part) == [None, None, *sub, "Quý I/2023"]
    assert part.cells[4] is table.rows[0].cells[4]  # the row above's cell: its offsets, not the sub-row's
    first = tasks(page(HEADER, ROW_1, sub, ROW_2))[0]
    assert [(p.lead, p.deadline) for p in first.parts] == [
        (("Sở Tư pháp",), "Quý I/2023"), (("Ủy ban nhân dân các huyện",), "Quý I/2023")]


def test_step_rows_with_a_sub_row_and_a_total():
    header = ["**TT**", "**Nội dung công việc**", "**Trách nhiệm thực hiện**", "**Thời gian thực hiện**"]
    body = page(
        header,
        ["Bước 1", "Tiếp nhận hồ sơ.", "Bộ phận một cửa", "0,5 ngày"],
        ["Bước 2", "Thẩm định hồ sơ.", "Chuyên viên phòng chuyên môn", "02 ngày"],
        ["Duyệt kết quả thẩm định.", "Lãnh đạo phòng chuyên môn", "01 ngày"],  # under the step spanned from above
        ["Bước 3", "Trả kết quả.", "Bộ phận một cửa", "0,5 ngày"],
        ["", "**Tổng thời gian**", "", "**04 ngày**"],
    )
    (table,) = read("**Quy trình số 01**\n" + body)
    assert table.columns == ("no", "task", "unit", "deadline")
    assert [r.kind for r in table.rows] == ["row", "row", "part", "row"]  # the total is nobody's task
    assert texts(table.rows[2]) == [None, "Duyệt kết quả thẩm định.", "Lãnh đạo phòng chuyên môn", "01 ngày"]


def test_nested_heading_rows():
    body = page(
        HEADER,
        ["**I**", "**Cải cách thể chế**"],  # a heading over merged cells: two cells, then the row end
        ["**I.1**", "**Văn bản quy phạm**", "", "", ""],  # a heading printed with its empty cells
        ["*I.1.1*", "*Rà soát văn bản*"],
        ROW_1,
        ["**I.2**", "**Kiểm tra văn bản**"],
        ROW_2,
        ["**II**", "**Cải cách thủ tục**"],
        ["1", "Công khai thủ tục.", "Văn phòng UBND tỉnh", "", "Thường xuyên"],
    )
    (table,) = read(body)
    assert [r.kind for r in table.rows] == ["heading"] * 3 + ["row", "heading", "row", "heading", "row"]
    assert texts(table.rows[2])[:2] == ["I.1.1", "Rà soát văn bản"]  # emphasis around a heading is not its text
    assert [(t.no, t.section) for t in tasks(body)] == [
        ("1", "I > I.1 > I.1.1. Rà soát văn bản"), ("2", "I > I.2. Kiểm tra văn bản"), ("1", "II. Cải cách thủ tục")]


def test_bold_multi_line_header_and_a_column_without_a_role():
    header = ["**TT**", "**Tên nhiệm\nvụ**", "**Người đứng đầu**", "**Cơ quan**\n**chủ trì**",
              "**Kết quả**\n**thực hiện**", "**Thời gian**"]
    row = ["1", "Xây dựng kế hoạch.", "Giám đốc Sở", "Sở Nội vụ", "Kế hoạch", "Tháng 12/2025"]
    (table,) = read(page(header, row))
    assert table.columns == ("no", "task", None, "lead", "product", "deadline")
    assert texts(table.rows[0]) == row
    (task,) = tasks(page(header, row))
    assert task.parts[0].lead == ("Sở Nội vụ",) and task.parts[0].product == "Kế hoạch"


def test_merged_unit_header_and_column_numbers():
    header = ["**STT**", "**Nội dung**", "**Đơn vị thực hiện**", "**Thời gian**"]
    below = ["**Chủ trì**", "**Phối hợp**"]
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)"]
    (table,) = read(page(header, below, numbers, ROW_1))
    assert table.columns == COLUMNS
    assert texts(table.rows[0]) == ROW_1


def test_two_tables_in_one_page():
    second_header = ["**TT**", "**Nhiệm vụ, giải pháp**", "**Cơ quan chủ trì**", "**Kết quả**"]
    row = ["1", "Xây dựng cơ sở dữ liệu.", "Sở Tài chính", "Cơ sở dữ liệu"]
    # the first table's last row runs straight into the next appendix title and header: one "|" between them
    text = page(HEADER, ROW_1, ROW_2) + "**PHỤ LỤC II**\nDANH MỤC NHIỆM VỤ\n" + page(second_header, row)
    first, second = read(text)
    assert [texts(r) for r in first.rows] == [ROW_1, ROW_2]
    assert "PHỤ LỤC" not in text[first.start : first.end]
    assert second.columns == ("no", "task", "lead", "product") and texts(second.rows[0]) == row


def test_the_table_ends_at_running_text():
    text = page(HEADER, ROW_1) + "Các cơ quan tổ chức thực hiện nghiêm túc Kế hoạch này.\n|\nTM. ỦY BAN\n|\n"
    (table,) = read(text)
    assert [texts(r) for r in table.rows] == [ROW_1]
    assert table.end == text.index("Quý I/2023") + len("Quý I/2023")


def test_rows_wider_than_the_header_are_not_trusted():
    header = HEADER[:4]  # the page lost a header cell: every row has one more cell than the header
    text = page(header, ROW_1, ROW_2)
    (table,) = read(text)
    assert table.warning and "more cells" in table.warning
    assert tasks(text) == ()  # a warned table yields no tasks


@pytest.mark.parametrize("text", [
    page(["*Nơi nhận:*\n- Như trên;\n- Lưu: VT.", "**KT. CHỦ TỊCH**\n**PHÓ CHỦ TỊCH**"]) + "**PHỤ LỤC**\n",
    page(["**STT**", "**Nội dung**", "**Ghi chú**"], ["1", "Thử", "Không"]),  # no lead column
    # the older block style: single "|" lines and no row ends — the block reader's, not this one's
    "|\n" + "\n|\n".join([*HEADER, "1", "Rà soát.", "Sở Tư pháp", "Các sở", "Quý I", "2", "Số hóa.", "Sở Nội vụ"]),
], ids=["signature", "no lead column", "block style"])
def test_not_a_task_table_of_this_style(text):
    assert read(text) == []


def test_block_style_is_left_to_the_block_reader():
    text = "PHỤ LỤC\n|\n" + "\n|\n".join([*HEADER, *ROW_1, *ROW_2]) + "\n|\n"
    assert [t.style for t in find_tables(PLAN + text)] == ["block"]


# --- the dev key -----------------------------------------------------------------------------------------------
DEV = ["tvpl__2edf5927c71bc4c1.json", "tvpl__7cfc6fdf6d7a5f5d.json", "tvpl__987cadc82373c854.json"]


@pytest.mark.parametrize("key", DEV)
def test_dev_documents(shared, key):
    from legalkg.extract.pipeline import extract_file
    from legalkg.extract.task_eval import score_document

    gold = json.loads((shared / "gold" / "tasks-dev" / key).read_text(encoding="utf-8"))
    doc = extract_file(shared / "corpus" / gold["file"])
    assert any(t.layout == "markdown" for t in doc.tasks)
    score = score_document(doc, gold["tasks"], gold["file"])
    assert score.count_ok, (score.found, score.gold)
    assert score.scores["lead"].f1 >= 0.90, score.problems
    assert score.scores["coordinating"].f1 >= 0.90, score.problems
