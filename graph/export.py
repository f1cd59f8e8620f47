"""The store as a property graph for other tools, streamed: JSON lines (a node or an edge per line, with its
provenance) or GraphML (Gephi, yEd, networkx). RDF lives in ontology/rdf.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from legalkg.graph.store import SqliteStore

FORMATS = {"json": "application/x-ndjson", "graphml": "application/graphml+xml"}


def write(store: SqliteStore, fmt: str) -> Iterator[str]:
    if fmt == "json":
        return _json_lines(store)
    if fmt == "graphml":
        return _graphml(store)
    raise ValueError(f"unknown graph format {fmt!r}: one of {', '.join(FORMATS)}")


def _json_lines(store: SqliteStore) -> Iterator[str]:
    for n in store.all_nodes():
        yield json.dumps({"node": n.iri, "kind": n.kind, "label": n.label, "stub": n.stub, "props": n.props},
                         ensure_ascii=False) + "\n"
    for e in store.all_edges():
        yield json.dumps({"edge": [e.src, e.rel, e.dst], "source": e.source, "start": e.start, "end": e.end,
                          "rule": e.rule}, ensure_ascii=False) + "\n"


def _graphml(store: SqliteStore) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
           '<key id="kind" for="node" attr.name="kind" attr.type="string"/>\n'
           '<key id="label" for="node" attr.name="label" attr.type="string"/>\n'
           '<key id="relation" for="edge" attr.name="relation" attr.type="string"/>\n'
           '<key id="source" for="edge" attr.name="source" attr.type="string"/>\n'
           '<key id="start" for="edge" attr.name="start" attr.type="int"/>\n'
           '<key id="end" for="edge" attr.name="end" attr.type="int"/>\n'
           '<graph edgedefault="directed">\n')
    for n in store.all_nodes():
        yield (f'<node id={quoteattr(n.iri)}><data key="kind">{escape(n.kind)}</data>'
               f'<data key="label">{escape(n.label or "")}</data></node>\n')
    for e in store.all_edges():
        span = "".join(f'<data key="{k}">{v}</data>' for k, v in (("start", e.start), ("end", e.end)) if v is not None)
        yield (f'<edge source={quoteattr(e.src)} target={quoteattr(e.dst)}><data key="relation">{escape(e.rel)}</data>'
               f'<data key="source">{escape(e.source)}</data>{span}</edge>\n')
    yield "</graph>\n</graphml>\n"
