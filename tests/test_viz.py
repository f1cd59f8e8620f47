"""The interactive graph page: rendered by us, then loaded by a real headless Chromium from a real server."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from api.cli import SAMPLES
from graph.ingest import build
from graph.store import SqliteStore
from queries.core import neighbors
from queries.identify import identify
from servers import serving
from viz.graph import render

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("LEGALKG_ARTIFACTS", ROOT / "build" / "test-artifacts"))
HOSTILE = (
    "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 30/KH-UBND\nBình Định, ngày 05 tháng 3 năm 2023\nKẾ HOẠCH\n"
    "Về thử <script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\">\n"
    "Triển khai Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ;\n"
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viz")
    (folder / "docs").mkdir()
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, folder / "docs" / sample.name)
    (folder / "docs" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    with SqliteStore(folder / "s.db") as store:
        build(store, [folder / "docs"])
    return folder / "s.db"


def test_page_has_legend_filter_cap_and_no_cdn(store_path):
    with SqliteStore(store_path) as store:
        sub = neighbors(store, identify(store, "ND 107/2021").iri, 2)
    page = render(sub, "107/2021/NĐ-CP", cap=3)
    assert "lk-legend" in page and 'id="lk-relation"' in page and "Showing 3 of" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page)  # nothing loaded from elsewhere
    assert "<script>window.__pwned" not in page and "<img src=x" not in page  # document text only as escaped JSON


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)")
def test_graph_page_in_headless_chromium(store_path):
    from playwright.sync_api import sync_playwright

    with serving("--store", str(store_path), "--workers", "1") as base:
        with SqliteStore(store_path) as store:
            expected = len(neighbors(store, identify(store, "ND 107/2021").iri, 2, limit=600)["nodes"][:150])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors, requests = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{base}/viz/documents/ND 107%2F2021?depth=2", wait_until="load")
            page.wait_for_function("typeof network !== 'undefined' && network !== null")
            page.wait_for_timeout(1500)  # let the layout settle before counting and the screenshot
            drawn = page.evaluate("Object.keys(network.getPositions()).length")
            painted = page.evaluate("""() => { const c = document.querySelector('#mynetwork canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240)) n++; return n; }""")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viz-107.png"))
            page.select_option("#lk-relation", "amends")
            hidden = page.evaluate("edges.get().filter(e => e.hidden).length")
            pwned = page.evaluate("window.__pwned")
            page.goto(f"{base}/documents/30/KH-UBND/annotated", wait_until="load")
            annotated = page.evaluate("""() => ({cites: document.querySelectorAll('a.cite').length,
                                                 text: document.querySelector('main').textContent})""")
            pwned = pwned or page.evaluate("window.__pwned")
            page.goto(f"{base}/documents/21/KH-UBND/annotated", wait_until="load")
            page.screenshot(path=str(ARTIFACTS / "annotated-21.png"))
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(base) and not u.startswith("data:")] == []
    assert drawn == expected > 5
    assert painted > 1000  # the canvas is drawn, not blank
    assert hidden > 0  # the relation filter hides the other edges
    assert pwned is None
    assert annotated["cites"] == 1 and "<script>window.__pwned = 1</script>" in annotated["text"]  # shown, not run
