"""The workbench as a person uses it: journeys in a real headless Chromium (Debian's, driven by Playwright) against a
real `legalkg serve`, on the sample store and on a store of the shared corpus. Every request the pages make is
recorded, and none may leave localhost. axe-core (npm, tests/axe) is injected into each page, and no serious or
critical violation is allowed. Screenshots of each page are kept in the test artifacts folder (the README shows
copies of them)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import openpyxl
import pytest

from legalkg.cli import SAMPLES
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from servers import serving
from test_workbench import PLAN

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("LEGALKG_ARTIFACTS", ROOT / "build" / "test-artifacts"))
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "(cd tests/axe && npm ci --no-audit --no-fund)"
GRAVE = ("serious", "critical")
GRAPH_CAP = 150

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workbench")
    shutil.copytree(SAMPLES, folder / "docs")
    with SqliteStore(folder / "s.db") as store:
        build(store, [folder / "docs"])
    return folder / "s.db"


@pytest.fixture(scope="module")
def samples(sample_store):
    """A real `legalkg serve` of the sample store, for the module."""
    with serving("--store", str(sample_store), "--workers", "1") as base:
        yield base


@pytest.fixture(scope="module")
def corpus(corpus_store):
    with serving("--store", str(corpus_store), "--workers", "1") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser page that records every request it makes and every script error."""

    def __init__(self, browser, base: str) -> None:
        self.base, self.requests, self.errors = base, [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, (path, response and response.status)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"workbench-{name}.png"), full_page=False)

    def grave_violations(self) -> list[dict]:
        require_axe()
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
                for v in found if v["impact"] in GRAVE]

    def close(self) -> None:
        self.context.close()
        outside = [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(u).hostname not in ("127.0.0.1", "localhost")]
        assert outside == [], outside
        assert self.errors == []


def require_axe() -> None:
    if not AXE.is_file():
        message = f"axe-core is not installed: run {AXE_INSTALL}"
        if os.environ.get("CI_REQUIRE_AXE"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture()
def visit(browser):
    opened: list[Visit] = []

    def open_at(base: str) -> Visit:
        opened.append(Visit(browser, base))
        return opened[-1]

    yield open_at
    for v in opened:
        v.close()


def cli_depends_on(store: Path, asked: str) -> set[str]:
    result = subprocess.run([sys.executable, "-m", "legalkg", "query", "depends-on", asked, "--transitive", "--limit",
                             "0", "--format", "json", "--store", str(store)], capture_output=True, text=True, check=True)
    return {r["id"] for r in json.loads(result.stdout)["results"]}


def table_tasks(page) -> set[str]:
    return set(page.eval_on_selector_all("#impact-tasks tbody tr", "rows => rows.map(r => r.dataset.task)"))


def download(page, link: str) -> bytes:
    with page.expect_download() as info:
        page.click(link)
    return Path(info.value.path()).read_bytes()


# --- journeys on the samples -----------------------------------------------------------------------------------
def test_journey_search_to_impact_to_downloads(samples, sample_store, visit):
    expected = cli_depends_on(sample_store, "ND 107/2021")
    v = visit(samples)
    v.go("/")
    v.shot("home")
    v.page.fill("#q-home", "ND 107/2021")
    v.page.press("#q-home", "Enter")
    v.page.wait_for_url("**/documents/eli/vn/nd/2021/107")
    v.page.click("nav.tabs >> text=Ảnh hưởng")
    v.page.wait_for_selector("#impact-tasks")
    assert table_tasks(v.page) == expected and expected
    v.shot("document-impact")
    rows = list(csv.reader(io.StringIO(download(v.page, "#download-csv").decode("utf-8-sig"))))
    assert {r[-1] for r in rows[1:]} == expected
    book = openpyxl.load_workbook(io.BytesIO(download(v.page, "#download-xlsx")))
    assert {r[-1] for r in list(book.worksheets[0].values)[1:]} == expected
    assert [list(r) for r in book.worksheets[0].values][1:] == [[c or None for c in r] for r in rows[1:]]


def test_journey_an_amended_decree_shows_its_flag_and_links_to_the_amending_one(samples, sample_store, visit):
    v = visit(samples)
    v.go("/search?q=" + quote("ND 61/2018"))
    v.shot("search")
    assert v.page.inner_text("table.list tbody tr:first-child .flag") == "Đã được sửa đổi, bổ sung"
    v.page.click("table.list tbody tr:first-child a")
    flag = v.page.locator("h1 .flag")
    assert flag.inner_text() == "Đã được sửa đổi, bổ sung" and "flag-amended" in flag.get_attribute("class")
    v.page.click(".flag-details a")
    v.page.wait_for_url("**/documents/eli/vn/nd/2021/107")
    assert v.page.locator("h1").inner_text().startswith("107/2021/NĐ-CP")


def test_journey_an_agency_page_lists_overdue_tasks_first(samples, sample_store, visit):
    v = visit(samples)
    v.go("/search?q=" + quote("Sở Thông tin và Truyền thông"))
    v.page.click("ul.agencies a >> nth=0")
    v.page.wait_for_selector("section.urgency")
    v.shot("agency")
    groups = v.page.eval_on_selector_all("section.urgency", "s => s.map(e => e.id)")
    assert groups == ["group-overdue", "group-soon", "group-later", "group-undated"]
    first = v.page.eval_on_selector("tbody tr[data-urgency]", "r => r.dataset.urgency")
    assert first == "overdue"


def test_journey_an_uploaded_plan_joins_the_impact_list(samples, sample_store, visit, tmp_path):
    plan = tmp_path / "kh-77-2024-phu-yen.txt"
    plan.write_text(PLAN, encoding="utf-8")
    v = visit(samples)
    v.go("/upload")
    v.shot("upload")
    v.page.set_input_files("#file", str(plan))
    v.page.click("form.upload button[type=submit]")
    v.page.wait_for_selector("#uploaded-open")
    assert "61/2018/NĐ-CP" in v.page.inner_text("main")
    v.shot("uploaded")
    v.page.click("#uploaded-open")
    v.page.wait_for_url("**/documents/eli/vn/phu-yen/kh/2024/77**")
    v.go("/documents/" + quote("ND 107/2021", safe="") + "?tab=impact")
    listed = table_tasks(v.page)
    assert {t for t in listed if "/phu-yen/kh/2024/77/task/" in t} == {
        f"{SqliteStore(sample_store).base_iri}eli/vn/phu-yen/kh/2024/77/task/{i}" for i in (1, 2)}
    assert listed == cli_depends_on(sample_store, "ND 107/2021")


def test_journey_a_refused_upload_says_why(samples, sample_store, visit, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 16)
    v = visit(samples)
    v.go("/upload")
    v.page.set_input_files("#file", str(binary))
    v.page.click("form.upload button[type=submit]")
    v.page.wait_for_selector("#upload-error")
    assert "kho không thay đổi" in v.page.inner_text("#upload-error")


def test_journey_a_file_over_the_limit_is_refused_before_it_is_sent(samples, visit):
    v = visit(samples)
    v.go("/upload")
    v.page.set_input_files("#file", files=[{"name": "big.txt", "mimeType": "text/plain",
                                            "buffer": b"a" * (10 * 1024 * 1024 + 1)}])
    posts = []
    v.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    v.page.click("form.upload button[type=submit]")
    v.page.wait_for_selector("#file-check:not([hidden])")
    assert "Tệp quá lớn" in v.page.inner_text("#file-check") and posts == []


@pytest.mark.parametrize("path", ["/", "/search?q=" + quote("61/2018"), "/documents/eli/vn/nd/2021/107",
                                  "/documents/eli/vn/nd/2021/107?tab=relations",
                                  "/documents/eli/vn/nd/2018/61?tab=conflicts",
                                  "/agencies/" + quote("Sở Thông tin và Truyền thông") + "?place=" + quote("Bình Định"),
                                  "/upload", "/?lang=en"])
def test_pages_have_no_serious_accessibility_violation(samples, sample_store, visit, path):
    v = visit(samples)
    v.go(path)
    assert v.grave_violations() == []


def test_the_accessibility_check_sees_a_broken_page(samples, visit):
    v = visit(samples)
    v.go("/upload")
    v.page.set_content('<html><body><img src="/static/none.png"><input type="text"></body></html>')
    assert {x["id"] for x in v.grave_violations()} >= {"image-alt", "label"}


def test_api_docs_render_offline(samples, sample_store, visit):
    v = visit(samples)
    v.go("/docs")
    v.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert v.page.locator(".swagger-ui .opblock").count() > 10


# --- the corpus ------------------------------------------------------------------------------------------------
def most_cited_decree(store: Path) -> str:
    """The decree the most documents cite: a hub, found in the store, not named by the test."""
    with sqlite3.connect(store) as db:
        return db.execute("SELECT e.dst FROM edges e JOIN nodes n ON n.iri = e.dst WHERE n.type = 'Nghị định' "
                          "AND e.rel IN ('cites', 'based_on', 'implements', 'guides') GROUP BY e.dst "
                          "ORDER BY count(DISTINCT e.src) DESC, e.dst LIMIT 1").fetchone()[0]


def test_journey_the_graph_of_a_hub_decree_is_readable(corpus, corpus_store, visit):
    hub = most_cited_decree(corpus_store)
    local = hub.removeprefix(SqliteStore(corpus_store).base_iri)
    v = visit(corpus)
    v.go(f"/documents/{local}?tab=impact")
    v.shot("corpus-document")
    v.go(f"/viz/documents/{local}")
    v.page.wait_for_function("typeof network !== 'undefined' && network !== null")
    v.page.wait_for_timeout(1500)
    drawn = v.page.evaluate("network.body.nodeIndices.slice()")
    lonely = v.page.evaluate("ids => ids.filter(id => network.getConnectedNodes(id).length === 0)", drawn)
    focus = v.page.evaluate(f"nodes.get({json.dumps(hub)})")
    v.shot("corpus-graph")
    assert lonely == [] and 1 < len(drawn) <= GRAPH_CAP
    assert focus is not None and focus.get("focus") is True and hub in drawn
