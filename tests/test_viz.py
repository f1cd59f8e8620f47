"""The interactive graph page: rendered by us, then loaded by a real headless Chromium from a real server."""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
import pyvis

from legalkg.cli import SAMPLES
from legalkg.graph.ids import DEFAULT_BASE as BASE
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore
from legalkg.queries.core import neighbors
from legalkg.queries.identify import identify
from servers import serving
from legalkg.viz.graph import DATA_PER_CAP, FOCUS_BORDER, GROUP, page_url, plan_view, render

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
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
    page = render(sub, "107/2021/NĐ-CP", cap=3, lang="en")
    assert "lk-legend" in page and 'id="lk-relation"' in page and "Showing " in page and "left out: " in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page)  # nothing loaded from elsewhere
    assert "<script>window.__pwned" not in page and "<img src=x" not in page  # document text only as escaped JSON


# --- render on hand-made subgraphs: what the page's data says ---------------------------------------------------

def doc(name: str) -> dict:
    return {"id": f"{BASE}doc/{name}", "kind": "Document", "label": name}


def task(plan: str, i: int) -> dict:
    return {"id": f"{BASE}doc/{plan}/task/{i}", "kind": "Task", "label": f"{plan} #{i}"}


def agency(name: str) -> dict:
    return {"id": f"{BASE}agency/{name}", "kind": "Agency", "label": name}


def edge(a: dict, relation: str, b: dict) -> dict:
    return {"from": a["id"], "to": b["id"], "relation": relation}


def page_data(page: str) -> dict:
    """The nodes, edges and options vis-network is given, and the page's own data (the groups)."""
    def grab(pattern: str) -> object:
        return json.loads(re.search(pattern, page).group(1))
    return {"nodes": grab(r"nodes = new vis\.DataSet\((\[.*?\])\);\n"),
            "edges": grab(r"edges = new vis\.DataSet\((\[.*?\])\);\n"),
            "options": grab(r"var options = (\{.*?\});\n"),
            "page": grab(r'<script id="lk-data" type="application/json">(.*?)</script>')}


def with_edges(data: dict) -> set[str]:
    return {end for e in data["edges"] for end in (e["from"], e["to"])}


def star() -> tuple[dict, dict]:
    """A decree cited by two plans, each cited by three documents; listed farthest first, the decree last, so that
    cutting the list in its order would keep only documents with no edge among them."""
    decree, plans = doc("decree"), [doc("plan-1"), doc("plan-2")]
    leaves = [doc(f"leaf-{i}") for i in range(6)]
    edges = [edge(plans[0], "cites", decree), edge(plans[1], "cites", decree)]
    edges += [edge(leaf, "cites", plans[i // 3]) for i, leaf in enumerate(leaves)]
    return {"nodes": [*leaves, *plans, decree], "edges": edges}, decree


def test_a_served_page_loads_vis_network_from_the_server_and_a_file_page_inlines_it(store_path):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app
    from legalkg.viz.graph import vis_network

    script, style = vis_network()
    with SqliteStore(store_path) as store:
        sub = neighbors(store, identify(store, "ND 107/2021").iri, 2)
    alone = render(sub, "107/2021/NĐ-CP")
    assert script in alone and style in alone  # `legalkg viz` writes a page that works as a file on its own
    with TestClient(create_app(store_path)) as client:
        for path in ("/viz/documents/ND 107%2F2021", "/viz/impact/ND 107%2F2021"):
            page = client.get(path).text
            assert script not in page and style not in page and len(page) < len(alone) / 3
            for asset in re.findall(r'(?:<script src|<link rel="stylesheet" href)="(/static/vis/[^"]+)"', page):
                assert client.get(asset).status_code == 200
            assert len(re.findall(r'"/static/vis/vis-network\.(?:min\.js|css)"', page)) == 2


def test_the_cap_keeps_the_nodes_nearest_the_focus_each_with_an_edge():
    sub, decree = star()
    first_five = {n["id"] for n in sub["nodes"][:5]}
    assert not [e for e in sub["edges"] if {e["from"], e["to"]} <= first_five]  # a cut in list order: no edge left
    data = page_data(render(sub, "t", cap=5, focus=decree["id"], lang="en"))
    drawn = {n["id"] for n in data["nodes"]}
    assert drawn == {f"{BASE}doc/{name}" for name in ("decree", "plan-1", "plan-2", "leaf-0", "leaf-1")}
    assert drawn == with_edges(data)  # every node has an edge


def test_a_node_without_a_kept_edge_is_left_out_and_said_so_but_never_the_focus():
    sub, decree = star()
    sub["nodes"].insert(0, agency("alone"))
    page = render(sub, "t", focus=decree["id"], lang="en")
    assert f"{BASE}agency/alone" not in {n["id"] for n in page_data(page)["nodes"]}
    assert "Showing 9 of 10 nodes; left out: 1 agency." in page
    lonely = render({"nodes": [decree, doc("other")], "edges": []}, "t", focus=decree["id"])
    assert [n["id"] for n in page_data(lonely)["nodes"]] == [decree["id"]]
    assert "Đang hiện 1 trên 2 nút; chưa hiện: 1 văn bản." in lonely


def test_the_cap_message_names_what_was_left_out_by_kind_and_how_to_narrow():
    sub, decree = star()
    sub["nodes"] += [agency("a"), agency("b")]
    sub["edges"] += [edge(doc("leaf-5"), "issued_by", agency("a")), edge(doc("leaf-5"), "issued_by", agency("b"))]
    english = render(sub, "t", cap=4, focus=decree["id"], lang="en")
    assert "Showing 4 of 11 nodes; left out: 5 documents, 2 agencies." in english
    assert "?depth=1" in english and "relation filter" in english and "impact tab" in english
    vietnamese = render(sub, "t", cap=4, focus=decree["id"])
    assert "Đang hiện 4 trên 11 nút; chưa hiện: 5 văn bản, 2 cơ quan." in vietnamese and "?depth=1" in vietnamese


def test_the_focus_is_flagged_and_fixed_in_the_middle():
    sub, decree = star()
    data = page_data(render(sub, "t", focus=decree["id"]))
    focused = [n for n in data["nodes"] if n.get("focus")]
    assert [n["id"] for n in focused] == [decree["id"]]
    assert focused[0]["color"]["border"] == FOCUS_BORDER and focused[0]["borderWidth"] > 1
    assert (focused[0]["x"], focused[0]["y"], focused[0]["fixed"]) == (0, 0, True)
    assert data["page"]["focus"] == decree["id"]
    sub["query"] = {"node": decree["id"]}  # neighbors() names its node: the focus by default
    assert [n["id"] for n in page_data(render(sub, "t"))["nodes"] if n.get("focus")] == [decree["id"]]


def test_levels_put_each_node_in_the_column_of_its_distance_from_the_focus():
    sub, decree = star()
    sub["nodes"] += [task("plan-1", 1), task("plan-1", 2)]
    sub["edges"] += [edge(task("plan-1", i), "part_of", doc("plan-1")) for i in (1, 2)]
    data = page_data(render(sub, "t", focus=decree["id"], layout="levels"))
    assert data["options"]["layout"]["hierarchical"]["direction"] == "LR"
    levels = {n["id"].removeprefix(f"{BASE}doc/"): n["level"] for n in data["nodes"]}
    assert levels == {"decree": 0, "plan-1": 1, "plan-2": 1, **{f"leaf-{i}": 2 for i in range(6)},
                      "plan-1/task/1": 2, "plan-1/task/2": 2}
    assert [g["node"]["level"] for g in data["page"]["groups"]] == [2]
    assert "fixed" not in str(data["nodes"])  # the layout places the focus: column 0
    free = page_data(render(sub, "t", focus=decree["id"]))
    assert "hierarchical" not in free["options"]["layout"] and all("level" not in n for n in free["nodes"])


def plans_with_tasks() -> tuple[dict, dict]:
    """A decree cited by three plans of 5, 3 and 1 tasks, every task led by one agency."""
    decree, lead = doc("decree"), agency("lead")
    nodes, edges = [decree], []
    for plan, count in (("p1", 5), ("p2", 3), ("p3", 1)):
        nodes.append(doc(plan))
        edges.append(edge(doc(plan), "cites", decree))
        for i in range(1, count + 1):
            nodes.append(task(plan, i))
            edges += [edge(task(plan, i), "part_of", doc(plan)), edge(task(plan, i), "assigned_to", lead)]
    return {"nodes": [*nodes, lead], "edges": edges}, decree


def test_the_tasks_of_a_plan_are_one_group_node_that_counts_as_one_for_the_cap():
    sub, decree = plans_with_tasks()
    page = render(sub, "t", cap=6, focus=decree["id"], lang="en")
    data = page_data(page)
    groups = {g["node"]["id"].removeprefix(GROUP + f"{BASE}doc/"): g for g in data["page"]["groups"]}
    assert {plan: (g["node"]["label"], len(g["tasks"])) for plan, g in groups.items()} \
        == {"p1": ("5 tasks", 5), "p2": ("3 tasks", 3)}
    assert "5 tasks of p1" in groups["p1"]["hover"]
    assert {n["id"] for n in data["nodes"]} >= set(groups["p1"]["tasks"]) | set(groups["p2"]["tasks"])
    # drawn: the decree, three plans, two groups (cap 6); the single task and the agency wait
    assert "6 nodes drawn; 8 tasks grouped by plan" in page
    assert "Showing 12 of 14 nodes; left out: 1 task, 1 agency." in page
    assert plan_view(sub, 6, decree["id"]).drawn() == 6
    assert page_data(render(sub, "t", focus=decree["id"]))["page"]["groups"][0]["node"]["label"] == "5 nhiệm vụ"


def test_the_page_carries_at_most_a_bounded_number_of_grouped_tasks():
    decree, plan = doc("decree"), doc("big")
    tasks = [task("big", i) for i in range(50)]
    sub = {"nodes": [decree, plan, *tasks], "edges": [edge(plan, "cites", decree),
                                                      *(edge(t, "part_of", plan) for t in tasks)]}
    data = page_data(render(sub, "t", cap=3, focus=decree["id"], lang="en"))
    assert len(data["nodes"]) == 3 * DATA_PER_CAP
    assert data["page"]["groups"][0]["node"]["label"] == f"{3 * DATA_PER_CAP - 2} tasks"


def test_labels_are_at_least_12_px():
    sub, decree = plans_with_tasks()
    data = page_data(render(sub, "t", focus=decree["id"]))
    assert data["options"]["nodes"]["font"]["size"] >= 14 and data["options"]["edges"]["font"]["size"] >= 12
    assert data["page"]["groupStyle"]["font"]["size"] >= 14
    sizes = [item["font"]["size"] for item in data["nodes"] + data["edges"] if "font" in item]
    assert sizes and min(sizes) >= 14  # the focus has its own, larger
    assert data["page"]["readableScale"] * data["options"]["edges"]["font"]["size"] >= 12


def test_the_page_speaks_vietnamese_by_default_and_english_when_asked():
    sub, decree = plans_with_tasks()
    vietnamese, english = render(sub, "t", focus=decree["id"]), render(sub, "t", focus=decree["id"], lang="en")
    assert '<html lang="vi">' in vietnamese and '<html lang="en">' in english
    vietnamese_words = ["Văn bản", "Nhiệm vụ", "Cơ quan", "Nút trung tâm", "Quan hệ", "tất cả", "nút trên hình"]
    assert all(w in vietnamese for w in vietnamese_words) and not any(w in english for w in vietnamese_words)
    assert all(w in english for w in ["Document", "Task", "Agency", "Focus", "Relation", "all", "nodes drawn"])
    texts = tomllib.loads((ROOT / "viz" / "data" / "graph.toml").read_text(encoding="utf-8"))
    assert all(key.startswith("graph_") and set(entry) == {"vi", "en"} for key, entry in texts.items())


def test_a_click_opens_the_human_page_of_a_document_a_task_or_an_agency():
    assert page_url(f"{BASE}eli/vn/nd/2021/107", "Document") == "/documents/eli/vn/nd/2021/107"
    assert page_url(f"{BASE}eli/vn/kh/2023/21/task/2", "Task") == "/documents/eli/vn/kh/2023/21"
    assert page_url(f"{BASE}agency/binh-dinh/so-tu-phap", "Agency") == "/agencies/agency/binh-dinh/so-tu-phap"
    assert page_url(f"{BASE}person/a", "Person") is None


def test_the_viz_routes_take_lang_and_mark_their_focus(store_path):
    from fastapi.testclient import TestClient

    from legalkg.api.app import create_app

    with TestClient(create_app(store_path, cache_entries=0)) as client:
        pages = {path: client.get(path) for path in (
            "/viz/documents/ND 107/2021", "/viz/documents/ND 107/2021?lang=en&depth=1&cap=5",
            "/viz/impact/ND 107/2021?lang=en", "/viz/agencies/agency/binh-dinh/ubnd-tinh?lang=en")}
    assert all(r.status_code == 200 for r in pages.values()), {p: r.status_code for p, r in pages.items()}
    document, english, impact, agency_page = (r.text for r in pages.values())
    assert "quanh văn bản, độ sâu 2" in document and "around it, depth 1" in english and "Impact of 107/2021" in impact
    assert "its tasks and their documents" in agency_page
    focus = {path: [n["id"] for n in page_data(r.text)["nodes"] if n.get("focus")] for path, r in pages.items()}
    assert list(focus.values()) == [[f"{BASE}eli/vn/nd/2021/107"]] * 3 + [[f"{BASE}agency/binh-dinh/ubnd-tinh"]]
    assert page_data(impact)["options"]["layout"]["hierarchical"]["direction"] == "LR"
    assert '"/documents/eli/vn/nd/2021/107"' in document and "/v1/" not in document.split("<body>", 1)[1]


# --- the page in a real browser -------------------------------------------------------------------------------

DRAWN = """() => {  // what vis-network draws now: clusters count as one node, hidden and clustered nodes not at all
  const body = network.body, ends = new Set();
  body.edgeIndices.forEach(id => { ends.add(body.edges[id].fromId); ends.add(body.edges[id].toId); });
  const focus = nodes.get().filter(n => n.focus).map(n => n.id);
  return {nodes: body.nodeIndices.length, lonely: body.nodeIndices.filter(id => !ends.has(id)),
          clusters: body.nodeIndices.filter(id => network.isCluster(id)), focus: focus,
          focusBorder: focus.length ? body.nodes[focus[0]].options.borderWidth : null,
          positions: network.getPositions(), scale: network.getScale(), levels: nodes.get().map(n => [n.id, n.level])};
}"""
CLICK_POINT = """(id) => {  // where the node is on the screen, moved into view, physics stopped so that it stays there
  network.setOptions({physics: false});
  network.moveTo({position: network.getPositions([id])[id], animation: false});
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  const at = network.canvasToDOM(network.getPositions([id])[id]);
  return {x: box.left + at.x, y: box.top + at.y};
}"""


def open_graph(page, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_function("typeof network !== 'undefined' && network !== null")
    page.wait_for_timeout(1500)  # let the layout settle before counting and the screenshot
    return page.evaluate(DRAWN)


def click_node(page, node_id: str) -> None:
    page.mouse.click(**page.evaluate(CLICK_POINT, node_id))
    page.wait_for_timeout(300)


@contextmanager
def chromium_page() -> Iterator[tuple[object, list[str], list[str]]]:
    """A page of headless Chromium, with the errors it logs and the URLs it requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        try:
            yield page, errors, requests
        finally:
            browser.close()


FOCUS = f"{BASE}eli/vn/nd/2021/107"


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)")
def test_graph_page_in_headless_chromium(store_path):
    with SqliteStore(store_path) as store:
        view = plan_view(neighbors(store, FOCUS, 2, limit=600), 150, FOCUS)
    with serving("--store", str(store_path), "--workers", "1") as base, chromium_page() as (page, errors, requests):
        drawn = open_graph(page, f"{base}/viz/documents/ND 107%2F2021?depth=2")
        painted = page.evaluate("""() => { const c = document.querySelector('#mynetwork canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240)) n++; return n; }""")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viz-107.png"))
        page.select_option("#lk-relation", "amends")
        hidden = page.evaluate("edges.get().filter(e => e.hidden).length")
        page.select_option("#lk-relation", "")
        group = drawn["clusters"][0]
        members = page.evaluate("(id) => network.getNodesInCluster(id).length", group)
        click_node(page, group)
        opened, stayed = page.evaluate(DRAWN), page.url
        pwned = page.evaluate("window.__pwned")
        page.goto(f"{base}/documents/30/KH-UBND/annotated", wait_until="load")
        annotated = page.evaluate("""() => ({cites: document.querySelectorAll('a.cite').length,
                                             text: document.querySelector('main').textContent})""")
        pwned = pwned or page.evaluate("window.__pwned")
        page.goto(f"{base}/documents/21/KH-UBND/annotated", wait_until="load")
        page.screenshot(path=str(ARTIFACTS / "annotated-21.png"))
    assert errors == []
    assert [u for u in requests if not u.startswith(base) and not u.startswith("data:")] == []
    assert drawn["focus"] == [FOCUS] and drawn["focusBorder"] == 4 and drawn["positions"][FOCUS] == {"x": 0, "y": 0}
    assert drawn["lonely"] == [] and opened["lonely"] == []  # every drawn node has an edge
    assert drawn["nodes"] == view.drawn() < len(view.nodes) and len(drawn["clusters"]) == len(view.groups()) >= 2
    assert drawn["scale"] >= 0.999  # opened where a 12 px edge label is 12 px on the screen
    assert members >= 2 and group not in opened["clusters"] and opened["nodes"] == drawn["nodes"] + members - 1
    assert stayed.endswith("/viz/documents/ND%20107%2F2021?depth=2")  # a click on a group opens it, goes nowhere
    assert painted > 1000  # the canvas is drawn, not blank
    assert hidden > 0  # the relation filter hides the other edges
    assert pwned is None
    assert annotated["cites"] == 1 and "<script>window.__pwned = 1</script>" in annotated["text"]  # shown, not run


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)")
def test_capped_and_impact_pages_and_a_click_through_in_headless_chromium(store_path):
    with serving("--store", str(store_path), "--workers", "1") as base, chromium_page() as (page, errors, requests):
        capped = open_graph(page, f"{base}/viz/documents/ND 107%2F2021?cap=6")
        told = page.evaluate("document.getElementById('lk-cap').textContent")
        impact = open_graph(page, f"{base}/viz/impact/ND 107%2F2021?lang=en")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viz-impact-107.png"))
        legend = page.evaluate("document.getElementById('lk-legend').textContent")
        before_leaving = list(errors)
        click_node(page, FOCUS)
        page.wait_for_url("**/documents/eli/vn/nd/2021/107")
    assert before_leaving == []
    assert [u for u in requests if not u.startswith(base) and not u.startswith("data:")] == []
    assert 1 < capped["nodes"] <= 6 and capped["lonely"] == [] and capped["focus"] == [FOCUS]
    assert "chưa hiện:" in told and "?depth=1" in told
    assert impact["lonely"] == [] and impact["focus"] == [FOCUS] and "Focus" in legend
    levels = dict(impact["levels"])
    assert levels[FOCUS] == 0 and set(levels.values()) >= {0, 1, 2}
    at = impact["positions"]
    assert all(at[FOCUS]["x"] < at[i]["x"] for i in at if i != FOCUS)  # left to right from the focus


MARKUP = ('"><img src=x onerror=alert(1)>', "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>',
          "a title naming href=javascript:alert(1)", "</script><svg onload=alert(1)>", "<b onmouseover=alert(1)>b</b>")
VENDORED = [pyvis.__path__[0] + f"/templates/lib/{name}"
            for name in ("vis-9.1.2/vis-network.min.js", "vis-9.1.2/vis-network.css", "bindings/utils.js")]
HTML_SINK = re.compile(r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write")
SCRIPTED_TAGS = {"img", "a", "svg", "iframe", "object", "embed"}


def hostile_subgraph() -> dict:
    """A ring of documents whose labels, titles, texts and relations are each one of MARKUP."""
    nodes = [{"id": f"{BASE}doc/{i}", "kind": "Document", "label": text, "title": text, "text": text}
             for i, text in enumerate(MARKUP)]
    edges = [{"from": n["id"], "to": nodes[(i + 1) % len(nodes)]["id"], "relation": n["label"], "text": n["label"]}
             for i, n in enumerate(nodes)]
    return {"nodes": nodes, "edges": edges}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_document_text_never_becomes_markup_in_the_html():
    page = render(hostile_subgraph(), MARKUP[0] + MARKUP[2])
    parsed = _Tags()
    parsed.feed(page)
    assert [text for text in MARKUP if "<" in text and text in page] == []
    assert [tag for tag, _ in parsed.tags if tag in SCRIPTED_TAGS] == []
    assert [(tag, name) for tag, attrs in parsed.tags for name, _ in attrs if name.startswith("on")] == []
    assert HTML_SINK.findall(_without_vendored(page)) == []  # no code of the page's own writes HTML
    sub, decree = plans_with_tasks()
    sub["nodes"][1]["label"] = MARKUP[1]  # the plan p1, named in its group's hover
    grouped = render(sub, "t", focus=decree["id"])
    assert MARKUP[1] not in grouped and "\\u003cscript\\u003ealert(1)" in grouped


def _without_vendored(page: str) -> str:
    for library in VENDORED:
        page = page.replace(Path(library).read_text(encoding="utf-8"), "")
    return page


HOVER_POINTS = """() => {
  network.setOptions({physics: false, edges: {smooth: false}});  // still nodes, straight edges: known points
  const ids = nodes.getIds();
  ids.forEach((id, i) => {
    const a = 2 * Math.PI * i / ids.length;
    network.moveNode(id, 400 * Math.cos(a), 400 * Math.sin(a));
  });
  network.fit({animation: false});
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  const screen = p => { const d = network.canvasToDOM(p); return {x: box.left + d.x, y: box.top + d.y}; };
  const at = network.getPositions();
  const middle = e => ({x: (at[e.from].x + at[e.to].x) / 2, y: (at[e.from].y + at[e.to].y) / 2});
  return {centre: screen({x: 0, y: 0}),
          nodes: ids.map(id => ({text: nodes.get(id).label, ...screen(at[id])})),
          edges: edges.get().map(e => ({text: e.relation, ...screen(middle(e))}))};
}"""
TOOLTIP = """() => { const t = document.querySelector('.vis-tooltip');
  return t && getComputedStyle(t).visibility === 'visible' && getComputedStyle(t).display !== 'none'
    ? {text: t.textContent, elements: t.querySelectorAll('*').length} : null; }"""
INJECTED = """() => ({img: document.querySelectorAll('img[src="x"]').length,
  handlers: document.querySelectorAll('[onerror], [onload], [onmouseover]').length,
  links: document.querySelectorAll('a[href^="javascript:"]').length,
  scripts: [...document.scripts].filter(s => s.textContent.trim() === 'alert(1)').length})"""


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)")
def test_hovering_hostile_nodes_and_edges_in_chromium_shows_text_and_runs_nothing(tmp_path):
    from playwright.sync_api import sync_playwright

    html_file = tmp_path / "hostile.html"
    html_file.write_text(render(hostile_subgraph(), MARKUP[0] + MARKUP[2]), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html_file.as_uri(), wait_until="load")
        page.wait_for_function("typeof network !== 'undefined' && network !== null")
        points = page.evaluate(HOVER_POINTS)
        shown = [(point["text"], _hover_at(page, point, points["centre"]))
                 for point in points["nodes"] + points["edges"]]
        injected = page.evaluate(INJECTED)
        heading = page.evaluate("document.querySelector('#lk-bar b').textContent")
        browser.close()
    assert dialogs == [] and errors == []
    assert injected == {"img": 0, "handlers": 0, "links": 0, "scripts": 0}
    assert len(shown) == 2 * len(MARKUP)
    for text, tooltip in shown:
        assert tooltip is not None and text in tooltip["text"] and tooltip["elements"] == 1, (text, tooltip)
    assert heading == MARKUP[0] + MARKUP[2]


def _hover_at(page, point: dict, centre: dict) -> dict | None:
    """The tooltip after the mouse comes to rest on a point (from the empty centre of the ring, so each hover is new)."""
    page.mouse.move(centre["x"], centre["y"])
    page.wait_for_timeout(150)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(500)  # beyond the 120 ms tooltip delay
    return page.evaluate(TOOLTIP)


@pytest.mark.parametrize("lang,words", [("vi", "đồ thị quanh văn bản"), ("en", "the graph around it")])
def test_the_viz_command_writes_a_page_in_either_language_that_works_on_its_own(store_path, tmp_path, lang, words):
    from click.testing import CliRunner

    from legalkg.cli import main
    from legalkg.viz.graph import vis_network

    page = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["viz", "ND 107/2021", "-o", str(page), "--lang", lang, "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    written = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in written and words in written and vis_network()[0] in written
