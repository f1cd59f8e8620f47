"""Identity (issue 13): documents without a number get their own IRI, empty files are refused by extraction, and
identifiers typed with fullwidth digits, Unicode dashes, zero-width characters or in NFD name what the ASCII form
names."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner

from legalkg.cli import main
from legalkg.extract.models import DocRef
from legalkg.extract.pipeline import extract_file, extract_text
from legalkg.extract.text import ExtractError
from legalkg.graph import ids
from legalkg.graph.ingest import add_documents
from legalkg.graph.store import SqliteStore
from legalkg.queries.identify import NotFound, identify

UNNUMBERED = "BỘ TÀI CHÍNH\nHà Nội, ngày 14 tháng 11 năm 2018\nTHÔNG TƯ\n{title}\nCăn cứ Nghị định số 87/2017/NĐ-CP;\n"
DECREE = (
    "CHÍNH PHỦ\nSố: 107/2021/NĐ-CP\nHà Nội, ngày 06 tháng 12 năm 2021\nNGHỊ ĐỊNH\nSửa đổi Nghị định số 61/2018/NĐ-CP\n"
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
)


def own_iri(text: str, source: str = "<text>") -> str:
    return ids.document_iri(extract_text(text, source).ref)


# --- documents without a number -----------------------------------------------------------------------------------

def test_unnumbered_documents_of_different_titles_get_different_iris():
    assert own_iri(UNNUMBERED.format(title="Hướng dẫn thuế")) != own_iri(UNNUMBERED.format(title="Quy định phí"))


def test_unnumbered_documents_of_one_title_issued_on_different_days_get_different_iris():
    title = UNNUMBERED.format(title="Hướng dẫn thuế")
    assert own_iri(title) != own_iri(title.replace("ngày 14 tháng 11", "ngày 20 tháng 12"))


def test_unnumbered_documents_of_different_texts_and_no_title_get_different_iris():
    assert own_iri("Theo Nghị định số 61/2018/NĐ-CP.") != own_iri("Theo Quyết định số 468/QĐ-TTg ngày 27/3/2021.")


@pytest.mark.parametrize("text", [UNNUMBERED.format(title="Hướng dẫn thuế"), "Theo Nghị định số 61/2018/NĐ-CP."])
def test_the_same_unnumbered_document_read_twice_gets_the_same_iri(text):
    assert own_iri(text, "a.txt") == own_iri(text, "b.txt") == own_iri(text.replace("\n", "\r\n"), "c.txt")


def test_an_unnumbered_document_is_named_by_its_type_date_and_title_not_a_placeholder():
    iri = own_iri(UNNUMBERED.format(title="Hướng dẫn thuế"))
    assert iri == f"{ids.DEFAULT_BASE}eli/vn/tt/2018-11-14/huong-dan-thue"
    assert "khong-ten" not in own_iri("Theo Nghị định số 61/2018/NĐ-CP.")


def test_long_titles_are_cut_and_still_tell_documents_apart():
    head = "Sửa đổi, bổ sung một số điều của Thông tư số 07/2024/TT-NHNN quy định về hoạt động đại lý thanh toán "
    a, b = (own_iri(UNNUMBERED.format(title=head + tail)) for tail in ("và thẻ", "và ví điện tử"))
    assert a != b and len(a) < len(ids.DEFAULT_BASE) + 120


def test_a_law_cited_by_name_keeps_its_title_iri_and_is_not_the_unnumbered_document_read():
    law = DocRef(None, "Luật", title="Ngân sách nhà nước", kind="law")
    read = DocRef(None, "Luật", 2015, None, "2015-06-25", "Ngân sách nhà nước", fingerprint="0123456789ab")
    assert ids.document_iri(law) == f"{ids.DEFAULT_BASE}eli/vn/luat/ngan-sach-nha-nuoc"
    assert ids.document_iri(read) != ids.document_iri(law) and law.identity != read.identity


def test_a_consolidated_text_is_numbered_by_its_certification_even_when_appendices_follow():
    body = "".join(f"Điều {i}. Mức hưởng trợ cấp, phụ cấp của người có công theo quy định tại Phụ lục I.\n"
                   for i in range(1, 60))  # longer than the header the number is looked for in
    appendix = "Phụ lục I\n" + "Mức trợ cấp, phụ cấp theo từng đối tượng người có công.\n" * 120
    text = ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nNGHỊ ĐỊNH\nQuy định mức hưởng trợ cấp\n" + body +
            "BỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI\nSố: 834/VBHN-BLĐTBXH\nXÁC THỰC VĂN BẢN HỢP NHẤT\n"
            "Hà Nội, ngày 05 tháng 3 năm 2024\n" + appendix)
    assert extract_text(text).ref.key == "834/VBHN-BLĐTBXH"


# --- empty files --------------------------------------------------------------------------------------------------

EMPTY = [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", "\u200b\u00ad\n".encode()]


@pytest.mark.parametrize("data", EMPTY)
def test_extraction_refuses_an_empty_file(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(ExtractError, match="empty document"):
        extract_file(path)


def test_build_reports_an_empty_file_as_a_failure(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("Theo Nghị định số 61/2018/NĐ-CP.", encoding="utf-8")
    (tmp_path / "docs" / "empty.txt").write_bytes(b"\xef\xbb\xbf\n")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "docs"), "--store", str(tmp_path / "s.db"), "--jobs", "1"])
    assert result.exit_code == 1 and "1 added" in result.output and "1 failed" in result.output
    assert "empty.txt: empty document: no text" in result.output


def test_extract_exits_non_zero_with_the_reason_for_an_empty_file(tmp_path):
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "empty.md")])
    assert result.exit_code == 1 and "empty document: no text" in result.stderr


# --- identifiers as typed -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("identity") / "s.db"
    with SqliteStore(path) as writer:
        add_documents(writer, [extract_text(DECREE, "decree.txt")])
    reader = SqliteStore(path)
    yield reader
    reader.close()


MUST_MATCH = {
    "ascii": "107/2021/NĐ-CP",
    "fullwidth digits": "１０７/２０２１/NĐ-CP",
    "fullwidth everything": "１０７／２０２１／ＮĐ－ＣＰ",
    "U+2010 hyphen": "107/2021/NĐ\u2010CP",
    "U+2011 non-breaking hyphen": "107/2021/NĐ\u2011CP",
    "U+2012 figure dash": "107/2021/NĐ\u2012CP",
    "U+2013 en dash": "107/2021/NĐ\u2013CP",
    "U+2212 minus": "107/2021/NĐ\u2212CP",
    "zero-width space": "107\u200b/2021/NĐ-CP",
    "zero-width joiners": "1\u200c07/2021\u200d/NĐ-CP",
    "BOM and soft hyphen": "\ufeff107/2021/NĐ\u00ad-CP",
    "NFD": unicodedata.normalize("NFD", "Nghị định 107/2021/NĐ-CP"),
    "Icelandic Eth": "107/2021/N\u00d0-CP",
    "spaces around": "  \u3000107/2021/NĐ-CP\u00a0 ",
    "fullwidth, NFD type": unicodedata.normalize("NFD", "nghị định số １０７/２０２１"),
}
MUST_NOT_MATCH = {
    "another number": "１０８/２０２１/NĐ-CP",
    "another year": "107/２０２０/NĐ-CP",
    "another type": unicodedata.normalize("NFD", "Thông tư 107/2021"),
    "not an identifier": "hello",
    "only invisible characters": "\u200b\u00ad\ufeff",
    "a space splits the number": "1\u00a007/2021/NĐ-CP",
}


@pytest.mark.parametrize("typed", MUST_MATCH.values(), ids=MUST_MATCH.keys())
def test_identifiers_typed_with_unicode_variants_name_the_document(store, typed):
    assert identify(store, typed).iri == identify(store, "107/2021/NĐ-CP").iri == f"{ids.DEFAULT_BASE}eli/vn/nd/2021/107"


@pytest.mark.parametrize("typed", MUST_NOT_MATCH.values(), ids=MUST_NOT_MATCH.keys())
def test_identifiers_that_name_nothing_stay_not_found(store, typed):
    with pytest.raises(NotFound):
        identify(store, typed)
