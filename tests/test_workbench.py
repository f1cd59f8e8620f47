"""The workbench pages over the sample store, through FastAPI's TestClient: search, the document page and its tabs,
the status flag, the impact list and its downloads (read back with the csv module, openpyxl and python-calamine), an
agency's tasks by urgency, uploads that are refused without storing anything, offline API docs, both languages.
The browser journeys are in test_workbench_browser.py."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from legalkg.api.app import create_app
from legalkg.api.downloads import IMPACT_DOCUMENTS, IMPACT_TASKS
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import depends_on
from legalkg.queries.identify import identify
from legalkg.viz.i18n import LANGUAGES, _table, text

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "api" / "templates"
PLAN = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 77/KH-UBND
Phú Yên, ngày 02 tháng 8 năm 2024
KẾ HOẠCH
Về cải cách thủ tục hành chính theo cơ chế một cửa năm 2024 (văn bản do bộ kiểm thử viết)
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
PHỤ LỤC
Stt | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
1 | Rà soát quy trình nội bộ giải quyết thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP. | Sở Nội vụ | Văn phòng UBND tỉnh | Quý IV/2024 |
2 | Công khai kết quả giải quyết hồ sơ theo Nghị định số 61/2018/NĐ-CP. | Văn phòng UBND tỉnh | Các sở, ban, ngành | Tháng 12/2024 |
"""


@pytest.fixture()
def client(store_path):
    with TestClient(create_app(store_path)) as c:
        yield c


def rows_of_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode("utf-8")), "Excel reads Vietnamese CSV as UTF-8 only after a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def expected_tasks(store_path: Path, asked: str) -> set[str]:
    with SqliteStore(store_path) as store:
        return {r.id for r in depends_on(store, identify(store, asked), transitive=True, limit=None).results}


# --- home and search -------------------------------------------------------------------------------------------
def test_home_has_a_search_box_counts_and_recent_documents(client):
    page = client.get("/").text
    assert '<form class="search big" action="/search"' in page and 'name="q"' in page
    assert "107/2021/NĐ-CP" in page and "Văn bản mới nhất" in page
    assert re.search(r"<strong>5</strong> văn bản có toàn văn", page)


@pytest.mark.parametrize("typed", ["ND 107/2021", "NĐ 107/2021", "107/2021/NĐ-CP", "nghị định 107/2021"])
def test_a_number_as_people_type_it_finds_the_document(client, typed):
    page = client.get("/search", params={"q": typed}).text
    assert 'href="/documents/eli/vn/nd/2021/107"' in page
    jump = client.get("/search", params={"q": typed, "go": "1"}, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == "/documents/eli/vn/nd/2021/107"


def test_words_of_a_title_and_an_agency_are_found(client):
    by_words = client.get("/search", params={"q": "chuyển đổi số"}).text
    assert "45/KH-STTTT" in by_words
    by_agency = client.get("/search", params={"q": "Sở Thông tin"}).text
    assert "/agencies/agency/" in by_agency and "Quảng Ngãi" in by_agency and "Bình Định" in by_agency


def test_search_without_a_match_says_so(client):
    page = client.get("/search", params={"q": "không có văn bản này"}).text
    assert "Không tìm thấy" in page and "/documents/" not in page.split("<main", 1)[1]


def test_search_results_carry_the_status_flag(client):
    page = client.get("/search", params={"q": "61/2018"}).text
    assert 'class="flag flag-amended"' in page


# --- the document page -----------------------------------------------------------------------------------------
def test_document_header_has_number_type_date_issuer_signer_and_place(client):
    page = client.get("/documents/ND 107%2F2021").text
    for fact in ("107/2021/NĐ-CP", "Nghị định", "2021-12-06", "Chính phủ", "Người Ký Mẫu"):
        assert fact in page
    assert 'aria-current="page">Ảnh hưởng' in page  # the impact tab opens first


def test_an_amended_decree_is_flagged_with_a_link_to_the_amending_one(client):
    page = client.get("/documents/ND 61%2F2018").text
    assert 'class="flag flag-amended">Đã được sửa đổi, bổ sung' in page
    assert re.search(r'sửa đổi, bổ sung bởi <a href="/documents/eli/vn/nd/2021/107">107/2021/NĐ-CP</a> \(ngày 2021-12-06\)',
                     page)
    assert "flag-current" in client.get("/documents/ND 107%2F2021").text


def test_a_plan_citing_a_decree_amended_after_it_is_flagged_stale(client, store_path):
    old_plan = PLAN.replace("2024", "2020")
    added = client.post("/upload", files={"file": ("kh-77-2020.txt", old_plan.encode("utf-8"))})
    assert added.status_code == 201, added.text
    page = client.get("/documents/KH 77%2F2020").text
    assert "flag-stale" in page and "107/2021/NĐ-CP" in page


@pytest.mark.parametrize("tab", ["text", "relations", "impact", "effects", "graph", "conflicts"])
def test_every_tab_answers(client, tab):
    response = client.get("/documents/ND 107%2F2021", params={"tab": tab})
    assert response.status_code == 200
    assert f'aria-current="page">{text("vi", "tab_" + tab)}<' in response.text


def test_relations_tab_gives_each_relation_with_its_sentence(client):
    page = client.get("/documents/ND 107%2F2021", params={"tab": "relations"}).text
    outgoing, incoming = page.split("Văn bản dẫn chiếu văn bản này", 1)
    assert "sửa đổi, bổ sung" in outgoing and "61/2018/NĐ-CP" in outgoing
    assert re.search(r"<blockquote>Căn cứ Luật Tổ chức Chính phủ[^<]*<cite>samples/nd-107-2021-sua-doi.txt</cite>",
                     outgoing)
    assert "45/KH-STTTT" in incoming and "21/KH-UBND" in incoming


def test_impact_tab_lists_the_tasks_depends_on_lists(client, store_path):
    page = client.get("/documents/ND 107%2F2021").text
    shown = set(re.findall(r'data-task="([^"]+)"', page))
    assert shown == expected_tasks(store_path, "ND 107/2021") and len(shown) == 4
    assert "Qua các văn bản: 61/2018/NĐ-CP" in page and "(quá hạn)" in page


def test_impact_filters_by_province_agency_and_deadline(client):
    by_place = client.get("/documents/ND 107%2F2021", params={"place": "Quảng Ngãi"}).text
    assert set(re.findall(r'data-task="[^"]*/(quang-ngai|binh-dinh)/', by_place)) == {"quang-ngai"}
    by_agency = client.get("/documents/ND 107%2F2021", params={"agency": "văn phòng ubnd"}).text
    assert len(re.findall(r'data-task="', by_agency)) == 1
    undated = client.get("/documents/ND 107%2F2021", params={"due": "undated"}).text
    assert len(re.findall(r'data-task="', undated)) == 1
    not_yet = client.get("/documents/ND 107%2F2021", params={"due": "overdue", "as_of": "2023-01-01"}).text
    assert 'data-task="' not in not_yet


def test_unknown_and_ambiguous_documents_are_pages_not_json(client):
    missing = client.get("/documents/ND 999%2F2021")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Không mở được trang" in missing.text


def test_document_text_is_escaped_on_every_tab(client):
    hostile = PLAN.replace("Rà soát quy trình", "Rà soát <script>alert(1)</script> <img src=x onerror=alert(2)> (chỉ số < 5 & > 2) quy trình")
    assert client.post("/upload", files={"file": ("hostile.txt", hostile.encode("utf-8"))}).status_code == 201
    for tab in ("text", "relations", "impact", "effects", "graph", "conflicts"):
        page = client.get("/documents/KH 77%2F2024", params={"tab": tab}).text
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "(chỉ số &lt; 5 &amp; &gt; 2)" in client.get("/documents/ND 61%2F2018").text  # the task's text, escaped


# --- downloads -------------------------------------------------------------------------------------------------
def test_impact_csv_has_a_bom_vietnamese_headers_and_the_rows_of_the_page(client, store_path):
    response = client.get("/documents/ND 107%2F2021/impact.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = rows_of_csv(response.content)
    assert rows[0] == [text("vi", c.header) for c in IMPACT_TASKS] and rows[0][:4] == ["Văn bản", "Tỉnh/thành", "STT", "Nhiệm vụ"]
    assert {r[-1] for r in rows[1:]} == expected_tasks(store_path, "ND 107/2021")


def test_impact_csv_in_english_and_filtered(client):
    rows = rows_of_csv(client.get("/documents/ND 107%2F2021/impact.csv", params={"lang": "en", "place": "Bình Định"}).content)
    assert rows[0][:4] == ["Document", "Province", "No.", "Task"]
    assert {r[1] for r in rows[1:]} == {"Bình Định"} and len(rows) == 3


def test_impact_xlsx_has_a_sheet_of_tasks_and_one_of_documents_read_by_two_readers(client, store_path):
    data = client.get("/documents/ND 107%2F2021/impact.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Nhiệm vụ", "Văn bản"]
    tasks = list(book["Nhiệm vụ"].values)
    assert list(tasks[0]) == [text("vi", c.header) for c in IMPACT_TASKS]
    assert {r[-1] for r in tasks[1:]} == expected_tasks(store_path, "ND 107/2021")
    documents = list(book["Văn bản"].values)
    assert list(documents[0]) == [text("vi", c.header) for c in IMPACT_DOCUMENTS]
    assert {"21/KH-UBND", "45/KH-STTTT", "05/CT-UBND"} <= {r[0] for r in documents[1:]}
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Nhiệm vụ").to_python()
    assert [list(map(str, r)) for r in calamine[1:]] == [[c or "" for c in r] for r in tasks[1:]]


def test_a_cell_that_looks_like_a_formula_stays_text(client):
    formula = PLAN.replace("| Rà soát quy trình", "| =HYPERLINK(\"http://x\") Rà soát quy trình")
    assert client.post("/upload", files={"file": ("f.txt", formula.encode("utf-8"))}).status_code == 201
    rows = rows_of_csv(client.get("/documents/ND 61%2F2018/impact.csv").content)
    assert any(r[3].startswith("'=HYPERLINK") for r in rows[1:])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/documents/ND 61%2F2018/impact.xlsx").content))
    cells = [c for row in book["Nhiệm vụ"].iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


# --- agencies --------------------------------------------------------------------------------------------------
def test_an_agency_page_groups_its_tasks_overdue_first(client):
    page = client.get("/agencies/Sở Thông tin và Truyền thông", params={"place": "Bình Định", "as_of": "2024-01-01"}).text
    order = re.findall(r'<section class="urgency urgency-(\w+)"', page)
    assert order == ["overdue", "soon", "later", "undated"]
    overdue = page.split('id="group-overdue"', 1)[1].split("</section>", 1)[0]
    assert "21/KH-UBND" in overdue and "Quý II/2023" in overdue
    assert "05/CT-UBND" in page.split('id="group-undated"', 1)[1]


def test_an_agency_of_several_provinces_asks_which(client):
    response = client.get("/agencies/Sở Thông tin và Truyền thông")
    assert response.status_code == 409 and response.headers["content-type"].startswith("text/html")
    assert "Quảng Ngãi" in response.text and "Bình Định" in response.text
    assert len(re.findall(r'href="/agencies/agency/', response.text)) >= 2


def test_an_agency_list_downloads(client):
    params = {"place": "Bình Định", "as_of": "2024-01-01"}
    rows = rows_of_csv(client.get("/agencies/Sở Thông tin và Truyền thông/tasks.csv", params=params).content)
    assert rows[0][0] == "Mức khẩn" and rows[1][0] == "Quá hạn" and "chủ trì" in rows[1][4]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/agencies/Sở Thông tin và Truyền thông/tasks.xlsx",
                                                        params=params).content))
    assert [list(r) for r in book.active.values][1:] == [[c or None for c in r] for r in rows[1:]]


# --- uploads ---------------------------------------------------------------------------------------------------
def store_state(store_path: Path) -> tuple:
    with SqliteStore(store_path) as store:
        counts = store.counts()
    uploads = sorted(p.name for p in Path(f"{store_path}.uploads").glob("*"))
    return counts, uploads


@pytest.mark.parametrize("name,data,status,reason", [
    ("empty.txt", b"", 422, "Tệp rỗng"),
    ("blank.txt", b"   \n\n", 422, "Tệp rỗng"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, 422, "nhị phân"),
    ("latin.txt", "Kế hoạch".encode("utf-16-le")[:-1] + b"\xff\xfe\x00\xd8" * 50, 422, "giải mã"),
    ("huge.txt", b"a" * (10 * 1024 * 1024 + 1), 413, "Tệp quá lớn"),
])
def test_a_refused_upload_says_why_on_the_page_and_stores_nothing(client, store_path, name, data, status, reason):
    before = store_state(store_path)
    response = client.post("/upload", files={"file": (name, data)})
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    assert 'id="upload-error"' in response.text and reason in response.text
    assert "kho không thay đổi" in response.text
    assert store_state(store_path) == before


def test_an_upload_shows_what_was_extracted_and_joins_the_impact_list(client, store_path):
    response = client.post("/upload", files={"file": ("kh-77-2024.txt", PLAN.encode("utf-8"))})
    assert response.status_code == 201, response.text
    page = response.text
    assert "77/KH-UBND" in page and "61/2018/NĐ-CP" in page and "Rà soát quy trình nội bộ" in page
    assert 'id="uploaded-open" href="/documents/eli/vn/phu-yen/kh/2024/77"' in page
    placed = page.split('id="reached-from"', 1)[1].split("</ul>", 1)[0]
    assert "61/2018/NĐ-CP" in placed and "107/2021/NĐ-CP" in placed and "qua 61/2018/NĐ-CP" in placed
    impact = client.get("/documents/ND 107%2F2021").text
    assert "77/KH-UBND" in impact and "Rà soát quy trình nội bộ" in impact
    again = client.post("/upload", files={"file": ("another-name.txt", PLAN.encode("utf-8"))})
    assert again.status_code == 200 and "Kho đã có đúng nội dung này" in again.text


# --- what the review found ------------------------------------------------------------------------------------
def test_an_xlsx_download_survives_control_characters_in_a_task(client):
    hostile = PLAN.replace("| Rà soát quy trình", "| Rà soát \x01\x1b quy trình")
    assert client.post("/upload", files={"file": ("ctl.txt", hostile.encode("utf-8"))}).status_code == 201
    response = client.get("/documents/ND 61%2F2018/impact.xlsx")
    assert response.status_code == 200
    texts = [r[3] for r in list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].values)[1:]]
    assert any(t.startswith("Rà soát") and "\x01" not in t for t in texts)


def test_an_exact_number_opens_its_document_though_a_title_mentions_it(client):
    jump = client.get("/search", params={"q": "61/2018/NĐ-CP", "go": "1"}, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == "/documents/eli/vn/nd/2018/61"


@pytest.mark.parametrize("params,kept", [({"place": "quang ngai"}, 2), ({"place": "BÌNH ĐỊNH"}, 2),
                                         ({"agency": "van phong ubnd"}, 1)])
def test_filters_ignore_case_and_diacritics(client, params, kept):
    page = client.get("/documents/ND 107%2F2021", params=params).text
    assert len(re.findall(r'data-task="', page)) == kept


def test_search_ignores_diacritics(client):
    assert "45/KH-STTTT" in client.get("/search", params={"q": "chuyen doi so"}).text
    assert "/agencies/agency/quang-ngai/" in client.get("/search", params={"q": "so thong tin"}).text


def test_an_upload_citing_a_guiding_circular_sits_in_the_lists_of_the_decrees_it_guides(client):
    plan = PLAN.replace("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông",
                        "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ").replace(
        "Nghị định số 61/2018/NĐ-CP", "Thông tư số 01/2018/TT-VPCP")
    page = client.post("/upload", files={"file": ("tt.txt", plan.encode("utf-8"))}).text
    placed = page.split('id="reached-from"', 1)[1].split("</ul>", 1)[0]
    assert "01/2018/TT-VPCP" in placed and "61/2018/NĐ-CP" in placed and "107/2021/NĐ-CP" in placed


def test_the_stale_flag_rests_on_known_times_only(store_path):
    from legalkg.queries.status import Change, _not_older

    undated = Change("amends", "x", "11/2022/QH15", None, 2022)
    assert not _not_older(undated, "2024-11-30", 2024)  # changed two years before the document: not stale
    assert _not_older(undated, "2021-05-01", 2021)
    assert not _not_older(Change("amends", "x", "?", None, None), "2021-05-01", 2021)  # unknown: no flag
    assert _not_older(Change("amends", "x", "?", "2021-12-06", 2021), "2021-12-06", 2021)


@pytest.mark.parametrize("path", ["/documents/ND 61%2F2018?as_of=2023-13-01", "/search?q=" + "x" * 201,
                                  "/agencies/Sở Thông tin và Truyền thông?place=Bình Định&as_of=yesterday"])
def test_bad_parameters_get_a_page_not_json(client, path):
    response = client.get(path)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")


def test_an_oversized_upload_is_refused_by_a_page_before_it_is_read(client, store_path):
    before = store_state(store_path)
    response = client.post("/upload", files={"file": ("big.txt", b"a" * (10 * 1024 * 1024 + 70_000))})
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "Tệp quá lớn" in response.text and store_state(store_path) == before


def test_the_agency_downloads_are_of_what_was_asked(client):
    page = client.get("/agencies/S%E1%BB%9F%20Th%C3%B4ng%20tin%20v%C3%A0%20Truy%E1%BB%81n%20th%C3%B4ng",
                      params={"place": "Bình Định"}).text
    assert 'href="/agencies/S%E1%BB%9F%20Th%C3%B4ng%20tin%20v%C3%A0%20Truy%E1%BB%81n%20th%C3%B4ng/tasks.csv?place=' in page


def test_the_language_switch_is_a_link_on_this_host(client):
    page = client.get("/documents/ND 107%2F2021", params={"tab": "relations"}, headers={"host": "evil.example"}).text
    link = re.search(r'<a class="lang" href="([^"]+)"', page).group(1)
    assert link.startswith("/documents/") and "lang=en" in link and "tab=relations" in link


def test_a_second_upload_of_the_same_bytes_says_nothing_was_added(client):
    first = client.post("/upload", files={"file": ("a.txt", PLAN.encode("utf-8"))})
    again = client.post("/upload", files={"file": ("b.txt", PLAN.encode("utf-8"))})
    assert first.status_code == 201 and again.status_code == 200
    assert "Kho đã có văn bản này" in again.text and "Đã thêm văn bản" not in again.text


def test_numbers_are_written_as_each_language_writes_them():
    from legalkg.api.routes.workbench import number

    assert number(5000, "vi") == "5.000" and number(5000, "en") == "5,000"


# --- the rest --------------------------------------------------------------------------------------------------
def test_api_docs_load_their_files_from_this_server(client):
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        assert not re.search(r"""(?:src|href)\s*=\s*["']https?://""", page), path
        for asset in re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)""", page):
            assert client.get(asset).status_code == 200, asset
    assert "swagger-ui-bundle.js" in client.get("/docs").text


def test_english_is_a_switch_and_is_remembered(client):
    english = client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Latest documents" in english.text
    assert english.cookies.get("lang") == "en"
    assert '<html lang="en">' in client.get("/documents/ND 107%2F2021").text  # the cookie
    assert "Tiếng Việt" in english.text and '<html lang="vi">' in client.get("/", params={"lang": "vi"}).text


def test_the_annotated_text_speaks_the_page_language(client):
    vietnamese = client.get("/documents/KH 21%2F2023/annotated").text
    assert '<html lang="vi">' in vietnamese and "dẫn chiếu ·" in vietnamese and 'title="nhiệm vụ 1"' in vietnamese
    assert 'title="dẫn chiếu: 107/2021/NĐ-CP"' in vietnamese or 'title="thực hiện / triển khai: 61/2018/NĐ-CP"' in vietnamese
    english = client.get("/documents/KH 21%2F2023/annotated", params={"lang": "en"}).text
    assert '<html lang="en">' in english and "citations ·" in english and 'title="task 1"' in english
    assert 'src="/documents/eli/vn/binh-dinh/kh/2023/21/annotated?lang=en"' in client.get(
        "/documents/KH 21%2F2023", params={"tab": "text", "lang": "en"}).text


def test_workbench_pages_stay_out_of_the_api_contract(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert all(p.startswith(("/v1/", "/viz/", "/documents/{id}/annotated")) for p in paths), sorted(paths)


def test_every_ui_word_has_both_languages():
    table = _table()
    assert all(set(entry) == set(LANGUAGES) and all(entry.values()) for entry in table.values()), [
        k for k, e in table.items() if set(e) != set(LANGUAGES)]


def test_templates_ask_only_for_words_that_exist():
    table = _table()
    used = set()
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.(\w+)", source))
        for prefix in re.findall(r"""t\[\s*['"](\w+)['"]\s*~""", source):
            assert any(k.startswith(prefix) for k in table), prefix
    assert used - set(table) == set()
