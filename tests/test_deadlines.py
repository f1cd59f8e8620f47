"""Deadline cells of plans: kinds, the days they span, and cells that hold no deadline."""

from __future__ import annotations

import pytest

from legalkg.extract.deadlines import Deadline, parse_deadline

# (cell, plan year, kind, start, end)
CASES = [
    # quarters
    ("Quý I/2023", None, "quarter", "2023-01-01", "2023-03-31"),
    ("Quý IV năm 2023", None, "quarter", "2023-10-01", "2023-12-31"),
    ("Quý I năm 2022", None, "quarter", "2022-01-01", "2022-03-31"),
    ("quý 2/2024", None, "quarter", "2024-04-01", "2024-06-30"),
    ("Tháng Quý IV/2023", None, "quarter", "2023-10-01", "2023-12-31"),  # a typo in a source
    ("Trong quý III/2023", None, "quarter", "2023-07-01", "2023-09-30"),
    ("Quý I", 2024, "quarter", "2024-01-01", "2024-03-31"),  # the plan's year fills in
    ("Quý II năm kế hoạch", 2025, "quarter", "2025-04-01", "2025-06-30"),
    ("Quý I", None, "quarter", None, None),  # no year anywhere
    # months
    ("Tháng 02/2024", None, "month", "2024-02-01", "2024-02-29"),
    ("Tháng 2/2023", None, "month", "2023-02-01", "2023-02-28"),
    ("tháng 9 năm 2023", None, "month", "2023-09-01", "2023-09-30"),
    ("11/2023", None, "month", "2023-11-01", "2023-11-30"),
    ("Tháng 12/2022 và theo Kế hoạch số 140/KH-UBND", None, "month", "2022-12-01", "2022-12-31"),
    ("Tháng 5", 2023, "month", "2023-05-01", "2023-05-31"),
    ("Theo kế hoạch, chậm nhất tháng 03/2023", None, "month", None, "2023-03-31"),
    ("- Tháng 1/2023 - Riêng phần khảo sát, thực hiện sau khi có hướng dẫn", None, "month", "2023-01-01", "2023-01-31"),
    # days
    ("Trước ngày 15/02/2023", None, "date", None, "2023-02-15"),
    ("ngày 15/02/2023", None, "date", "2023-02-15", "2023-02-15"),
    ("15/02/2023", None, "date", "2023-02-15", "2023-02-15"),
    ("ngay 17/11/2022", None, "date", "2022-11-17", "2022-11-17"),  # the accent is missing in a source
    ("Trước 15/12/2023", None, "date", None, "2023-12-15"),
    ("Trước ngày 10/03/2024.", None, "date", None, "2024-03-10"),
    ("chậm nhất là ngày 5/9/2023", None, "date", None, "2023-09-05"),
    ("ngày 20 tháng 10 năm 2023", None, "date", "2023-10-20", "2023-10-20"),
    ("Trước 30/6", 2024, "date", None, "2024-06-30"),
    ("31/02/2023", None, "month", "2023-02-01", "2023-02-28"),  # no such day: its month
    # years and spans
    ("Năm 2023", None, "year", "2023-01-01", "2023-12-31"),
    ("2024", None, "year", "2024-01-01", "2024-12-31"),
    ("Đến hết năm 2023", None, "year", None, "2023-12-31"),
    ("Năm 2022-2023", None, "range", "2022-01-01", "2023-12-31"),
    ("2022 - 2025", None, "range", "2022-01-01", "2025-12-31"),
    ("Giai đoạn 2023-2025", None, "range", "2023-01-01", "2025-12-31"),
    ("Từ năm 2022 đến năm 2023", None, "range", "2022-01-01", "2023-12-31"),
    ("Từ tháng 3/2023 đến tháng 6/2023", None, "range", "2023-03-01", "2023-06-30"),
    ("Năm 2022 và những năm tiếp theo", None, "range", "2022-01-01", None),
    ("Từ năm 2024", None, "range", "2024-01-01", None),
    ("Quý II-III/2023", None, "range", "2023-04-01", "2023-09-30"),
    ("6 tháng đầu năm 2023", None, "range", "2023-01-01", "2023-06-30"),
    ("6 tháng cuối năm", 2023, "range", "2023-07-01", "2023-12-31"),
    # recurring
    ("Hàng năm", None, "recurring", None, None),
    ("Hằng năm", None, "recurring", None, None),
    ("Định kỳ hàng năm", None, "recurring", None, None),
    ("Trước 25/12 năm báo cáo", 2022, "recurring", None, None),
    ("Tháng 3 và tháng 9 hằng năm", 2023, "recurring", None, None),
    ("Quý II, hàng năm", 2022, "recurring", None, None),
    ("Hàng năm. Năm 2022 hoàn thành ở cấp tỉnh", 2022, "recurring", None, None),
    ("Quý I/2023 và hàng năm", None, "quarter", "2023-01-01", "2023-03-31"),  # its own year: the quarter
    ("- Định kỳ 3 tháng/lần - Đợt xuất khi có yêu cầu.", None, "recurring", None, None),
    ("Hàng quý/năm", None, "recurring", None, None),
    # continuous
    ("Thường xuyên", None, "continuous", None, None),
    ("Thường xuyên.", None, "continuous", None, None),
    ("Thường xuyên, liên tục", None, "continuous", None, None),
    ("Thường xuyên bắt đầu từ tháng 11/2022", None, "continuous", "2022-11-01", None),
    ("Thường xuyên; riêng phần thanh toán trong quý I/2023", None, "continuous", None, None),
    # conditional
    ("Khi có hướng dẫn của Bộ ngành TW", None, "conditional", None, None),
    ("Theo lộ trình", None, "conditional", None, None),
    ("Theo thời hạn đã đăng ký với UBND tỉnh", None, "conditional", None, None),
    ("Theo KH đào tạo, bồi dưỡng", None, "conditional", None, None),
    ("Theo yêu cầu", None, "conditional", None, None),
    ("Đột xuất", None, "conditional", None, None),
    ("Đợt xuất", None, "conditional", None, None),  # a typo in a source
    ("theo Kế hoạch số 42/KH-UBND ngày 15/02/2023", None, "conditional", None, None),  # an issue date, not a deadline
]


@pytest.mark.parametrize(("cell", "year", "kind", "start", "end"), CASES)
def test_kind_and_days(cell, year, kind, start, end):
    deadline = parse_deadline(cell, year)
    assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end)
    assert deadline.text and deadline.text in cell


# (cell, plan year, the phrase read, note)
TEXT_AND_NOTE = [
    ("Tháng 12/2022 và theo Kế hoạch số 140/KH-UBND", None, "Tháng 12/2022", None),
    ("Trước 25/12 năm báo cáo", None, "Trước 25/12 năm báo cáo", "annual, before 25/12"),
    ("Tháng 3 và tháng 9 hằng năm", None, "Tháng 3 và tháng 9 hằng năm", "annual, month 3, month 9"),
    ("Quý II, hàng năm", None, "Quý II, hàng năm", "annual, quarter II"),
    ("Hằng năm", None, "Hằng năm", "annual"),
    ("Định kỳ 3 tháng/lần", None, "Định kỳ 3 tháng/lần", "every 3 months"),
    ("Thường xuyên, liên tục.", None, "Thường xuyên, liên tục", None),
    ("Theo lộ trình", None, "Theo lộ trình", "Theo lộ trình"),
    ("Khi có hướng dẫn của Bộ Nội vụ; báo cáo sau", None, "Khi có hướng dẫn của Bộ Nội vụ", "Khi có hướng dẫn của Bộ Nội vụ"),
    ("- Đợt xuất theo thời điểm yêu cầu.", None, "Đợt xuất theo thời điểm yêu cầu", "Đợt xuất theo thời điểm yêu cầu"),
    ("Quý I", None, "Quý I", "no year"),
    ("31/02/2023", None, "31/02/2023", "invalid date 31/2"),
]


@pytest.mark.parametrize(("cell", "year", "text", "note"), TEXT_AND_NOTE)
def test_text_and_note(cell, year, text, note):
    deadline = parse_deadline(cell, year)
    assert (deadline.text, deadline.note) == (text, note)


NOT_DEADLINES = [
    None,
    "",
    "   ",
    "Báo cáo kết quả thực hiện",
    "Kế hoạch số 140/KH-UBND",  # a number is not a date
    "Nghị định 61/2018/NĐ-CP",
    "Kế hoạch số 12/KH-UBND ngày 15/02/2023",  # the issue date of a citation
    "TCVN ISO 9001-2015",  # a standard, not a span of years
    "Quý V/2023",  # no such quarter
    "Tháng 13/2023",  # no such month
    "45/13/2023",  # no such day or month
    "Thực hiện theo Kế hoạch",  # "theo" inside a clause is no condition
    "Năm",
]


@pytest.mark.parametrize("cell", NOT_DEADLINES)
def test_no_deadline(cell):
    assert parse_deadline(cell, 2023) is None


def test_a_year_in_the_cell_beats_the_plan_year():
    assert parse_deadline("Quý I/2023", 2030) == Deadline("quarter", "2023-01-01", "2023-03-31", "Quý I/2023")
