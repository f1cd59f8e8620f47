"""Interactive graph pages (pyvis / vis-network): a subgraph drawn with colour and shape by node type, edge labels by
relation, a legend, hover details, click-through to the node's API page, a relation filter and a node cap.

The page works offline: vis-network is inlined from the pyvis wheel, and the stylesheet and script pyvis links from a
CDN are removed. Text from documents never becomes markup: it reaches the page only as JSON data (pyvis' `tojson`
escapes "<"), or HTML-escaped in the bar above the graph. Hover text is never handed to pyvis as a `title`, because
pyvis' template swaps in a tooltip that writes titles with `innerHTML` as soon as any node title holds "href"; it
travels as `hover` data instead, and the page's own script turns it into DOM elements filled with `textContent`,
which vis-network shows as they are.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from pyvis.network import Network

from legalkg.graph.ids import local_part

STYLE = {  # kind → (colour, shape)
    "Document": ("#4e79a7", "box"),
    "Stub": ("#bab0ac", "box"),
    "Task": ("#f28e2b", "dot"),
    "Agency": ("#59a14f", "ellipse"),
    "Person": ("#b07aa1", "diamond"),
}
CDN_TAG = re.compile(r"<(?:link|script)[^>]*https?://cdn[^>]*>(?:\s*</script>)?", re.IGNORECASE)
DEFAULT_CAP = 150
PAGE_SCRIPT = """<script>
 // Hover text becomes the title here, as an element holding a text node: a string title handed to pyvis would be
 // written with innerHTML by its link tooltip (see the module docstring).
 function lkTextBox(text) {
   var box = document.createElement("div");
   box.style.whiteSpace = "pre-line";
   box.textContent = text;
   return box;
 }
 nodes.update(nodes.get().map(function (n) { return {id: n.id, title: lkTextBox(n.hover)}; }));
 edges.update(edges.get().map(function (e) { return {id: e.id, title: lkTextBox(e.hover)}; }));
 document.getElementById("lk-relation").addEventListener("change", function (event) {
   var wanted = event.target.value;
   edges.update(edges.get().map(function (e) { return {id: e.id, hidden: wanted !== "" && e.relation !== wanted}; }));
 });
 network.on("click", function (params) {
   if (params.nodes.length) { var node = nodes.get(params.nodes[0]); if (node && node.url) { window.location.href = node.url; } }
 });
</script>"""


def api_url(iri: str, kind: str) -> str | None:
    """The API page a click on the node opens (a task opens its document; a person has none). IRIs are read under
    the base of the store being drawn (ids.using_base)."""
    path = local_part(iri)
    if kind == "Agency":
        return f"/v1/agencies/{path}"
    if kind in ("Document", "Task"):
        return f"/v1/documents/{path.split('/task/', 1)[0]}"
    return None


def render(subgraph: dict, title: str, cap: int = DEFAULT_CAP, url: Callable[[str, str], str | None] = api_url) -> str:
    """HTML for a subgraph {"nodes": [{id, kind, label, stub, …}], "edges": [{from, to, relation, …}]}."""
    nodes = subgraph["nodes"][:cap]
    kept = {n["id"] for n in nodes}
    edges = [e for e in subgraph["edges"] if e["from"] in kept and e["to"] in kept]
    net = Network(height="92vh", width="100%", directed=True, cdn_resources="in_line", heading="")
    for n in nodes:
        kind = "Stub" if n.get("stub") else n["kind"]
        colour, shape = STYLE.get(kind, ("#999999", "dot"))
        net.add_node(n["id"], label=_short(n.get("label") or n["id"]), hover=_hover(n), color=colour, shape=shape,
                     kind=kind, url=url(n["id"], n["kind"]))
    for e in edges:
        net.add_edge(e["from"], e["to"], label=e["relation"], relation=e["relation"], hover=_edge_hover(e),
                     font={"size": 9, "align": "middle"}, arrows="to")
    net.set_options(json.dumps({"physics": {"stabilization": {"iterations": 150}},
                                "interaction": {"hover": True, "tooltipDelay": 120}}))
    page = CDN_TAG.sub("", net.generate_html()).replace("<head>", '<head>\n<link rel="icon" href="data:,">', 1)
    shown, total = len(nodes), len(subgraph["nodes"])
    extras = _controls(title, sorted({e["relation"] for e in edges}), shown, total, cap)
    return page.replace("</body>", extras + "\n</body>", 1)


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _hover(node: dict) -> str:
    keep = ("kind", "key", "type", "date", "place", "title", "no", "text", "canonical")
    lines = [node.get("label") or node["id"]] + [f"{k}: {node[k]}" for k in keep if node.get(k)]
    return "\n".join(_short(str(line), 160) for line in lines)


def _edge_hover(edge: dict) -> str:
    where = f"{edge.get('source') or ''}:{edge.get('start')}-{edge.get('end')}"
    return "\n".join(filter(None, [edge["relation"], edge.get("text"), where, edge.get("rule")]))


def _controls(title: str, relations: list[str], shown: int, total: int, cap: int) -> str:
    legend = "".join(f'<span class="lk-item"><i style="background:{c}"></i>{html.escape(k)}</span>' for k, (c, _) in STYLE.items())
    options = "".join(f'<option value="{html.escape(r)}">{html.escape(r)}</option>' for r in relations)
    capped = (f'<div id="lk-cap">Showing {shown} of {total} nodes (the cap is {cap}); narrow the query to see the rest.</div>'
              if total > shown else "")
    return f"""
<style>
 #lk-bar {{position:fixed;top:0;left:0;right:0;padding:6px 10px;background:#fafafa;border-bottom:1px solid #ddd;
          font:13px sans-serif;z-index:10;display:flex;gap:14px;align-items:center;flex-wrap:wrap}}
 .lk-item {{margin-right:10px}}
 .lk-item i {{display:inline-block;width:11px;height:11px;margin-right:4px;border-radius:2px;vertical-align:-1px}}
 #lk-cap {{position:fixed;bottom:8px;left:10px;background:#fff3cd;padding:4px 8px;font:13px sans-serif;z-index:10}}
 #mynetwork {{margin-top:40px}}
</style>
<div id="lk-bar"><b>{html.escape(title)}</b><span id="lk-legend">{legend}</span>
 <label>relation <select id="lk-relation"><option value="">all</option>{options}</select></label>
 <span id="lk-count">{shown} nodes</span></div>
{capped}
{PAGE_SCRIPT}"""


def impact_subgraph(answer: dict) -> dict:
    """queries.core.impact(...).json() as a subgraph: its results and the document, with every step of every path."""
    nodes: dict[str, dict] = {answer["query"]["document"]: {"id": answer["query"]["document"], "kind": "Document",
                                                            "label": answer["query"]["label"]}}
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
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def _kind_of(iri: str) -> str:
    if "/task/" in iri:
        return "Task"
    return "Agency" if local_part(iri).startswith("agency/") else "Document"
