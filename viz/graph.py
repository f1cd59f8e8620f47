"""Interactive graph pages (pyvis / vis-network): a subgraph drawn around its focus node, with colour and shape by node
type, edge labels by relation, a legend, hover details, click-through to the node's page, a relation filter and a node
cap. The tasks of a plan are drawn as one group node (a vis-network cluster) that a click expands; the cap keeps the
nodes nearest the focus, and never a node without an edge.

The page works offline: vis-network comes from the pyvis wheel, inlined for a page written as a file, or loaded from
the server that serves the page (`library`), and the stylesheet and script pyvis links from a CDN are removed. Text from documents never becomes markup: it reaches the page only as JSON data (pyvis' `tojson`
and ours escape "<"), or HTML-escaped in the bar above the graph. Hover text is never handed to pyvis as a `title`,
because pyvis' template swaps in a tooltip that writes titles with `innerHTML` as soon as any node title holds
"href"; it travels as `hover` data instead, and the page's own script turns it into DOM elements filled with
`textContent`, which vis-network shows as they are.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from jinja2.utils import htmlsafe_json_dumps
from pyvis.network import Network

from legalkg.graph.ids import local_part
from legalkg.graph.records import PROVISION_KINDS
from legalkg.viz.i18n import DEFAULT, text, words

STYLE = {  # kind → (colour, shape)
    "Document": ("#4e79a7", "box"),
    "Stub": ("#bab0ac", "box"),
    "Task": ("#f28e2b", "dot"),
    "Agency": ("#59a14f", "ellipse"),
    "Person": ("#b07aa1", "diamond"),
    "Provision": ("#76b7b2", "square"),
    "Effect": ("#e15759", "triangle"),
}
FOCUS_BORDER = "#d62728"
EFFECT_IRI = re.compile(r"/effect_\d+$")  # graph.ids.effect_iri
PROVISION_IRI = re.compile(rf"/(?:{'|'.join(PROVISION_KINDS)})(?:_[^/]*)?$")  # graph.ids.provision_iri
GROUP_STYLE = {"shape": "box", "borderWidth": 2, "shapeProperties": {"borderDashes": [5, 4]},
               "color": {"background": "#ffd8b0", "border": "#f28e2b"}, "font": {"size": 14}}
NODE_FONT, FOCUS_FONT, EDGE_FONT = 14, 18, 12
READABLE_PX = 12  # the smallest label the page opens with, in screen pixels
CDN_TAG = re.compile(r"<(?:link|script)[^>]*https?://cdn[^>]*>(?:\s*</script>)?", re.IGNORECASE)
DEFAULT_CAP = 150
DATA_PER_CAP = 4  # the page carries at most 4 × cap nodes: the drawn ones and the tasks inside the groups
GROUP = "lk-group:"  # a group's id: this, then its plan's IRI
LAYOUTS = ("free", "levels")
PAGE_SCRIPT = """<script>
 // Hover text becomes the title here, as an element holding a text node: a string title handed to pyvis would be
 // written with innerHTML by its link tooltip (see the module docstring).
 function lkTextBox(text) {
   var box = document.createElement("div");
   box.style.whiteSpace = "pre-line";
   box.textContent = text;
   return box;
 }
 var lkBarHeight = document.getElementById("lk-bar").offsetHeight;  // one line or two, as the window is wide
 document.getElementById("mynetwork").style.marginTop = lkBarHeight + "px";
 document.getElementById("mynetwork").style.height = "calc(100vh - " + (lkBarHeight + 16) + "px)";
 nodes.update(nodes.get().map(function (n) { return {id: n.id, title: lkTextBox(n.hover)}; }));
 edges.update(edges.get().map(function (e) { return {id: e.id, title: lkTextBox(e.hover)}; }));
 var lkData = JSON.parse(document.getElementById("lk-data").textContent);
 lkData.groups.forEach(function (g) {
   var members = new Set(g.tasks);
   network.cluster({joinCondition: function (n) { return members.has(n.id); },
                    clusterNodeProperties: Object.assign({}, lkData.groupStyle, g.node, {title: lkTextBox(g.hover)})});
 });
 // A drawn edge between a group and a node stands for the edges of several tasks: it is shown while one of them is.
 function lkStandIns() {
   var standIns = {};
   edges.get().forEach(function (e) {
     var drawn = network.clustering.getClusteredEdges(e.id)[0];
     if (drawn !== e.id) { (standIns[drawn] = standIns[drawn] || []).push(e.relation); }
   });
   return standIns;
 }
 Object.entries(lkStandIns()).forEach(function (entry) {
   var counts = {};
   entry[1].forEach(function (relation) { counts[relation] = (counts[relation] || 0) + 1; });
   var relations = Object.keys(counts);
   var hover = relations.map(function (relation) { return relation + " × " + counts[relation]; }).join("\\n");
   network.clustering.updateEdge(entry[0], {label: relations.join(", "), title: lkTextBox(hover)});
 });
 document.getElementById("lk-relation").addEventListener("change", function (event) {
   var wanted = event.target.value;
   edges.update(edges.get().map(function (e) { return {id: e.id, hidden: wanted !== "" && e.relation !== wanted}; }));
   Object.entries(lkStandIns()).forEach(function (entry) {
     network.clustering.updateEdge(entry[0], {hidden: wanted !== "" && entry[1].indexOf(wanted) < 0});
   });
 });
 // vis-network fits the whole graph when it has settled; zoomed out that far, a big graph's labels are specks, so
 // the page then opens at the smallest scale where labels are readable, the focus in view (levels: at the left).
 network.once("stabilizationIterationsDone", function () {
   if (network.getScale() >= lkData.readableScale || !lkData.focus) { return; }
   var at = network.getPositions([lkData.focus])[lkData.focus];
   var width = document.getElementById("mynetwork").clientWidth;
   var shift = lkData.layout === "levels" ? (width / 2 - 150) / lkData.readableScale : 0;
   network.moveTo({position: {x: at.x + shift, y: at.y}, scale: lkData.readableScale});
 });
 network.on("click", function (params) {
   if (!params.nodes.length) { return; }
   var id = params.nodes[0];
   if (network.isCluster(id)) { network.openCluster(id); return; }
   var node = nodes.get(id);
   if (node && node.url) { window.location.href = node.url; }
 });
</script>"""


def page_url(iri: str, kind: str) -> str | None:
    """The page a click on the node opens (a task opens its document; a person has none). IRIs are read under the
    base of the store being drawn (ids.using_base)."""
    path = local_part(iri)
    if kind == "Agency":
        return f"/agencies/{path}"
    if kind in ("Document", "Task"):
        return f"/documents/{path.split('/task/', 1)[0]}"
    return None


@dataclass
class View:
    """What a page draws: its nodes (the tasks inside groups too) and the edges among them, each node's unit (itself,
    or the group it is drawn in), each unit's distance from the focus, and what was left out."""

    nodes: list[dict]
    edges: list[dict]
    unit: dict[str, str]
    distance: dict[str, int]
    left_out: Counter

    def groups(self) -> dict[str, list[str]]:
        """Group id → its tasks on the page, for the groups of two tasks or more (one task is drawn as itself)."""
        members: dict[str, list[str]] = defaultdict(list)
        for n in self.nodes:
            if self.unit[n["id"]] != n["id"]:
                members[self.unit[n["id"]]].append(n["id"])
        return {group: tasks for group, tasks in members.items() if len(tasks) > 1}

    def drawn(self) -> int:
        return len({self.unit[n["id"]] for n in self.nodes})


def render(subgraph: dict, title: str, cap: int = DEFAULT_CAP, url: Callable[[str, str], str | None] = page_url, *,
           focus: str | None = None, layout: str = "free", lang: str = DEFAULT, library: str | None = None) -> str:
    """HTML for a subgraph {"nodes": [{id, kind, label, stub, …}], "edges": [{from, to, relation, …}]} around focus
    (by default the node the subgraph's query asked about). layout "free": physics, the focus fixed in the middle;
    "levels": columns left to right by distance from the focus. library: where the page loads vis-network from (a URL
    without its .min.js/.css: a server's copy, which browsers cache, so a page no longer carries its 690 KB); None:
    inlined, for a page that must work as a file on its own."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: one of {LAYOUTS}")
    focus = _focus_of(subgraph, focus)
    view = plan_view(subgraph, cap, focus)
    net = Network(height="92vh", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.templateEnv = _pyvis_templates(net.template_dir)
    for n in view.nodes:
        net.add_node(n["id"], **_node_options(n, view, focus, layout, url))
    for e in view.edges:
        net.add_edge(e["from"], e["to"], label=e["relation"], relation=e["relation"], hover=_edge_hover(e), arrows="to")
    net.set_options(json.dumps(_vis_options(layout)))
    page = CDN_TAG.sub("", net.generate_html()).replace("<head>", '<head>\n<link rel="icon" href="data:,">', 1)
    if library is not None:
        script, style = vis_network()
        page = page.replace(f"<script>{script}</script>", f'<script src="{html.escape(library)}.min.js"></script>', 1)
        page = page.replace(f"<style>{style}</style>", f'<link rel="stylesheet" href="{html.escape(library)}.css">', 1)
    page = page.replace("<html>", f'<html lang="{html.escape(lang)}">', 1)
    more = bool((subgraph.get("query") or {}).get("truncated"))
    extras = _controls(title, view, len(subgraph["nodes"]), lang, more) + _page_data(view, subgraph, focus, layout, lang)
    return page.replace("</body>", extras + PAGE_SCRIPT + "\n</body>", 1)


def _focus_of(subgraph: dict, focus: str | None) -> str | None:
    query = subgraph.get("query") or {}
    focus = focus or query.get("node") or query.get("document")
    return focus if any(n["id"] == focus for n in subgraph["nodes"]) else None


def plan_view(subgraph: dict, cap: int, focus: str | None) -> View:
    """The nodes nearest the focus, a group of tasks counting as one, up to cap of them; then without a node that
    has no edge left (the focus excepted)."""
    by_id = {n["id"]: n for n in subgraph["nodes"]}
    edges = [e for e in subgraph["edges"] if e["from"] in by_id and e["to"] in by_id]
    unit = _units(by_id, edges, focus)
    distance = _distances(list(dict.fromkeys(unit.values())), edges, unit, focus)
    members: dict[str, list[str]] = defaultdict(list)
    for i in by_id:
        members[unit[i]].append(i)
    nearest = [i for u in list(distance)[:cap] for i in members[u]]
    kept = _linked(_within_budget(nearest, unit, cap * DATA_PER_CAP), edges, unit, focus)
    on_page = set(kept)
    left_out = Counter(n["kind"] for i, n in by_id.items() if i not in on_page)
    return View([by_id[i] for i in kept], [e for e in edges if e["from"] in on_page and e["to"] in on_page], unit,
                distance, left_out)


def _units(by_id: dict[str, dict], edges: list[dict], focus: str | None) -> dict[str, str]:
    """Node → the unit it is drawn in: its plan's group for a task part of a document in view, else itself."""
    plan_of: dict[str, str] = {}
    for e in edges:
        if (e["relation"] == "part_of" and by_id[e["from"]]["kind"] == "Task" and by_id[e["to"]]["kind"] == "Document"
                and e["from"] != focus):
            plan_of.setdefault(e["from"], e["to"])
    return {i: GROUP + plan_of[i] if i in plan_of else i for i in by_id}


def _distances(units: list[str], edges: list[dict], unit: dict[str, str], focus: str | None) -> dict[str, int]:
    """Each unit's distance from the focus over the edges either way, in breadth-first order; units out of its reach
    follow, each part of the graph from its first unit."""
    around: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        a, b = unit[e["from"]], unit[e["to"]]
        if a != b:
            around[a].append(b)
            around[b].append(a)
    distance: dict[str, int] = {}
    for start in ([unit[focus]] if focus else []) + units:
        if start in distance:
            continue
        distance[start] = 0
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for there in around[here]:
                if there not in distance:
                    distance[there] = distance[here] + 1
                    queue.append(there)
    return distance


def _within_budget(kept: list[str], unit: dict[str, str], budget: int) -> list[str]:
    """The kept nodes, with the tasks inside groups only while the page holds fewer than budget nodes."""
    alone = [i for i in kept if unit[i] == i]
    room = budget - len(alone)
    grouped = [i for i in kept if unit[i] != i][: max(0, room)]
    chosen = set(alone) | set(grouped)
    return [i for i in kept if i in chosen]


def _linked(kept: list[str], edges: list[dict], unit: dict[str, str], focus: str | None) -> list[str]:
    """The kept nodes having an edge to a kept node of another unit, until none is left without one: a task in a
    group keeps its own link, so that it has an edge once the group is opened."""
    current = set(kept)
    while True:
        linked = {end for e in edges if e["from"] in current and e["to"] in current
                  and unit[e["from"]] != unit[e["to"]] for end in (e["from"], e["to"])}
        still = {i for i in current if i in linked or i == focus}
        if still == current:
            return [i for i in kept if i in current]
        current = still


def _node_options(node: dict, view: View, focus: str | None, layout: str, url: Callable) -> dict:
    kind = "Stub" if node.get("stub") else node["kind"]
    colour, shape = STYLE.get(kind, ("#999999", "dot"))
    options = {"label": _short(node.get("label") or node["id"]), "hover": _hover(node), "color": colour,
               "shape": shape, "kind": kind, "url": url(node["id"], node["kind"])}
    if layout == "levels":
        options["level"] = view.distance[view.unit[node["id"]]]
    if node["id"] == focus:
        options |= {"focus": True, "borderWidth": 4, "size": 26, "font": {"size": FOCUS_FONT},
                    "color": {"background": colour, "border": FOCUS_BORDER,
                              "highlight": {"background": colour, "border": FOCUS_BORDER}}}
        if layout == "free":
            options |= {"x": 0, "y": 0, "fixed": True}
    return options


def _vis_options(layout: str) -> dict:
    options = {"nodes": {"font": {"size": NODE_FONT}, "size": 16},
               "edges": {"font": {"size": EDGE_FONT, "align": "middle"}},
               "interaction": {"hover": True, "tooltipDelay": 120}}
    if layout == "levels":
        return options | {"layout": {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 300,
                                                       "nodeSpacing": 60}},
                          "physics": {"hierarchicalRepulsion": {"nodeDistance": 140},
                                      "stabilization": {"iterations": 150}}}
    # vis' improved first layout ends by shifting every node, the fixed focus too, to centre the graph
    return options | {"layout": {"improvedLayout": False},
                      "physics": {"barnesHut": {"gravitationalConstant": -6000, "springLength": 160, "avoidOverlap": 0.5},
                                  "stabilization": {"iterations": 150}}}


def _page_data(view: View, subgraph: dict, focus: str | None, layout: str, lang: str) -> str:
    """The groups the page's script clusters, as JSON in a script element the browser never runs."""
    labels = {n["id"]: n.get("label") or n["id"] for n in subgraph["nodes"]}
    groups = []
    for group, tasks in view.groups().items():
        count = _count_of_kind(lang, "Task", len(tasks))
        node = {"id": group, "label": count, "lkGroup": True}
        if layout == "levels":
            node["level"] = view.distance[group]
        hover = text(lang, "graph_group_hover", tasks=count, plan=labels.get(group.removeprefix(GROUP), ""))
        groups.append({"node": node, "tasks": tasks, "hover": hover})
    data = {"groups": groups, "groupStyle": GROUP_STYLE, "focus": focus, "layout": layout,
            "readableScale": READABLE_PX / EDGE_FONT}
    return f'\n<script id="lk-data" type="application/json">{htmlsafe_json_dumps(data)}</script>\n'


VIS_NETWORK = "lib/vis-9.1.2/vis-network"  # .min.js and .css, under pyvis' template folder


def vis_folder() -> Path:
    """The folder of the vis-network library pyvis ships (a server serves it from there)."""
    return (Path(Network().template_dir) / VIS_NETWORK).parent


@functools.cache
def vis_network() -> tuple[str, str]:
    """vis-network's script and stylesheet, as pyvis inlines them."""
    name = Path(VIS_NETWORK).name
    return tuple((vis_folder() / f"{name}{suffix}").read_text(encoding="utf-8") for suffix in (".min.js", ".css"))


@functools.cache
def _pyvis_templates(folder: str) -> Environment:
    """pyvis makes a Jinja environment per Network, so its page template was compiled again for every page (65 of
    the 85 ms a page took); one environment keeps the compiled template."""
    return Environment(loader=FileSystemLoader(folder))


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _hover(node: dict) -> str:
    keep = ("kind", "key", "type", "date", "place", "title", "no", "text", "canonical")
    lines = [node.get("label") or node["id"]] + [f"{k}: {node[k]}" for k in keep if node.get(k)]
    return "\n".join(_short(str(line), 160) for line in lines)


def _edge_hover(edge: dict) -> str:
    where = f"{edge.get('source') or ''}:{edge.get('start')}-{edge.get('end')}"
    return "\n".join(filter(None, [edge["relation"], edge.get("text"), where, edge.get("rule")]))


def _counted(lang: str, key: str, n: int) -> str:
    return text(lang, f"{key}_one" if n == 1 else key, n=n)


def _count_of_kind(lang: str, kind: str, n: int) -> str:
    key = f"graph_count_{kind}"
    return _counted(lang, key, n) if key in words(lang) else text(lang, "graph_count_other", n=n, kind=kind)


def _controls(title: str, view: View, total: int, lang: str, more: bool = False) -> str:
    options = "".join(f'<option value="{html.escape(r)}">{html.escape(r)}</option>'
                      for r in sorted({e["relation"] for e in view.edges}))
    grouped = sum(len(tasks) for tasks in view.groups().values())
    count = _counted(lang, "graph_drawn", view.drawn()) + (
        "; " + text(lang, "graph_grouped", n=grouped) if grouped else "")
    return f"""
<style>
 #lk-bar {{position:fixed;top:0;left:0;right:0;padding:6px 10px;background:#fafafa;border-bottom:1px solid #ddd;
          font:14px sans-serif;z-index:10;display:flex;gap:14px;align-items:center;flex-wrap:wrap}}
 .lk-item {{margin-right:10px;white-space:nowrap}}
 .lk-item i {{display:inline-block;width:12px;height:12px;margin-right:4px;border-radius:2px;vertical-align:-1px}}
 #lk-cap {{position:fixed;bottom:8px;left:10px;right:10px;background:#fff3cd;padding:4px 8px;font:14px sans-serif;
          z-index:10}}
</style>
<div id="lk-bar"><b>{html.escape(title)}</b><span id="lk-legend">{_legend(lang)}</span>
 <label>{html.escape(text(lang, "graph_relation"))} <select id="lk-relation">
  <option value="">{html.escape(text(lang, "graph_relation_all"))}</option>{options}</select></label>
 <span id="lk-count">{html.escape(count)}</span></div>
{_cap_message(view, total, lang, more)}"""


def _legend(lang: str) -> str:
    group = GROUP_STYLE["color"]
    kinds = [(f"background:{colour}", text(lang, f"graph_kind_{kind}")) for kind, (colour, _) in STYLE.items()]
    marks = [(f"border:3px solid {FOCUS_BORDER}", text(lang, "graph_focus")),
             (f"background:{group['background']};border:2px dashed {group['border']}", text(lang, "graph_group"))]
    return "".join(f'<span class="lk-item"><i style="{swatch}"></i>{html.escape(label)}</span>'
                   for swatch, label in kinds + marks)


def _cap_message(view: View, total: int, lang: str, more: bool = False) -> str:
    """What was left out, by kind; `more`: the query itself stopped reading (a hub), so there are more than total."""
    if not view.left_out and not more:
        return ""
    left_out = ", ".join(_count_of_kind(lang, kind, n) for kind, n in view.left_out.most_common()) or "—"
    message = text(lang, "graph_cap_more" if more else "graph_cap", shown=len(view.nodes), total=total, left_out=left_out)
    return f'<div id="lk-cap">{html.escape(message)} {html.escape(text(lang, "graph_narrow"))}</div>'


def impact_subgraph(answer: dict) -> dict:
    """queries.core.impact(...).json() as a subgraph: its results and the document, with every step of every path."""
    document = answer["query"]["document"]
    nodes: dict[str, dict] = {document: {"id": document, "kind": "Document", "label": answer["query"]["label"]}}
    edges: dict[tuple, dict] = {}
    for r in answer["results"]:
        nodes.setdefault(r["id"], {"id": r["id"], "kind": r["kind"].capitalize(), "label": r["label"],
                                   "stub": r.get("stub", False), "date": r.get("date"), "text": r.get("text")})
        for step in r["path"]:
            for end, label in (("from_id", "from"), ("to_id", "to")):
                nodes.setdefault(step[end], {"id": step[end], "kind": _kind_of(step[end]), "label": step[label]})
            edges[(step["from_id"], step["relation"], step["to_id"])] = {
                "from": step["from_id"], "to": step["to_id"], "relation": step["relation"], "source": step["source"],
                "start": step["start"], "end": step["end"]}
    return {"query": {"node": document, "truncated": bool(answer["query"].get("truncated"))},
            "nodes": list(nodes.values()), "edges": list(edges.values())}


def _kind_of(iri: str) -> str:
    if "/task/" in iri:
        return "Task"
    if EFFECT_IRI.search(iri):
        return "Effect"
    if PROVISION_IRI.search(iri):
        return "Provision"
    return "Agency" if local_part(iri).startswith("agency/") else "Document"
