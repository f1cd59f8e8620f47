"""The date a document takes effect, from its own text (extract/effective.py): table-driven, with the sentences
that must not count."""

from __future__ import annotations

import pytest

from legalkg.extract.effective import effective_date

ISSUED = "2026-05-12"


def said(text: str, doc_type: str | None = "Nghị định") -> str | None:
    return effective_date(text, 0, len(text), ISSUED, doc_type)


@pytest.mark.parametrize("text,expected", [
    ("1. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026.", "2026-07-01"),
    ("Thông tư này có hiệu lực thi hành kể từ ngày 05 tháng 12 năm 2023.", "2023-12-05"),
    ("Điều 2. Quyết định này có hiệu lực kể từ ngày 20/11/2025.", "2025-11-20"),  # a heading before it is no provision
    ("Nghị định này có hiệu lực thi hành kể từ\nngày ký ban hành.", ISSUED),  # the line wraps
    ("Quyết định này có hiệu lực từ ngày ký.", ISSUED),
    ("Thông tư này có hiệu lực thi hành sau 45 ngày kể từ ngày ký.", "2026-06-26"),
    ("Nghị quyết này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025", "2025-07-01"),  # before it was issued: retroactive
    # the first statement counts; a later one is a transitional clause or a model decision in an appendix
    ("Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026.\n…\nMẪU QUYẾT ĐỊNH\nQuyết định này có hiệu lực "
     "kể từ ngày ký.", "2026-07-01"),
])
def test_the_document_says_when_it_takes_effect(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "3. Quy định tại khoản 1 Điều 3 Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2027.",  # a provision
    "Các quy định tại Nghị định này có hiệu lực từ ngày 01 tháng 7 năm 2026.",  # "tại": provisions again
    "Nghị định số 39/2022/NĐ-CP hết hiệu lực thi hành kể từ ngày Nghị định này có hiệu lực thi hành.",
    "Hợp đồng này có hiệu lực kể từ ngày ký.",  # a contract in a form is no document type
    "trước ngày Nghị định này có hiệu lực thi hành thì thực hiện như sau",  # no date given
    "Nghị định này có hiệu lực thi hành từ ngày 31 tháng 02 năm 2026.",  # no such day
])
def test_sentences_that_do_not_date_the_document(text):
    assert said(text) is None


def test_a_consolidated_text_takes_no_effect_of_its_own():
    assert said("Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026.", "Văn bản hợp nhất") is None


def test_a_signing_date_that_is_not_known_gives_none():
    text = "Quyết định này có hiệu lực kể từ ngày ký."
    assert effective_date(text, 0, len(text), None, "Quyết định") is None
