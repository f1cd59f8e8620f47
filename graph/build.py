"""Documents (extract.models) → graph fragments (graph.records): the nodes and edges one source file contributes, with
provenance.

A fragment is what the store merges (graph.store); the builder never imports the store (graph.ingest joins the two).
Nodes: Document (the source's own, and stubs for what it cites), Agency, Task,
Person. Edges: cites … related (document → document), amends/replaces/repeals/guides between cited documents,
issued_by, signed_by, part_of (task → document), assigned_to (task → lead), coordinates (task → coordinating),
depends_on (task → document it cites). Every edge keeps the source file, the character span and the rule.
"""

from __future__ import annotations

from pathlib import Path
from dataclasses import replace

from legalkg.extract.agencies import normalise_agency
from legalkg.extract.citations import split_code
from legalkg.extract.models import DocRef, Document, Task
from legalkg.extract.vocab import vocab
from legalkg.graph import ids, laws
from legalkg.graph.laws import LawMention, LawNumber
from legalkg.graph.records import (AGENCY, DOCUMENT, PERSON, TASK, Conflict, Edge, Fragment,
                                    Node, Unresolved)

def ref_props(ref: DocRef) -> dict:
    props = {"type": ref.type, "key": ref.key, "year": ref.year, "place": ref.place, "date": ref.date,
             "title": ref.title, "form": ref.kind}
    return {k: v for k, v in props.items() if v is not None}


def _label(doc: Document) -> str:
    if doc.ref.key:
        return doc.ref.key
    return " ".join(filter(None, (doc.ref.type, doc.ref.title))) or Path(doc.source).name


def graph_ref(ref: DocRef) -> DocRef:
    """The reference as the graph keys it: a central number has no province (its IRI has none either); a law cited
    by name is its work, the year or date printed with it kept by the mention (graph.laws), not by the node."""
    if ref.place and ids.is_central(ref.key):
        return replace(ref, place=None)
    if laws.is_law_by_name(ref) and (ref.year or ref.date):
        return replace(ref, year=None, date=None)
    return ref


def _stub(ref: DocRef) -> Node:
    ref = graph_ref(ref)
    return Node(ids.document_iri(ref), DOCUMENT, ref.label, ref_props(ref), stub=True)


def fragment(doc: Document, sha256: str, file: str | None = None) -> Fragment:
    """The document's nodes and edges, with its source's name and hash; `file`: where its bytes were read, when not
    at its source name."""
    own_ref = graph_ref(doc.ref)
    own = ids.document_iri(own_ref)
    props = ref_props(own_ref) | {k: v for k, v in (("status", doc.status), ("effective", doc.effective),
                                                      ("issuer", doc.issuer), ("signer", doc.signer),
                                                      ("source", doc.source)) if v}
    frag = Fragment(doc.source, sha256, own, [Node(own, DOCUMENT, _label(doc), props)], file=file)
    cited_on = doc.ref.date or (str(doc.ref.year) if doc.ref.year else None)
    _law_number(doc.ref, frag)
    for c in doc.citations:
        target = _stub(c.ref)
        frag.nodes.append(target)
        if target.iri != own:
            edge = Edge(own, c.relation, target.iri, c.span.start, c.span.end, c.rule)
            frag.edges.append(edge)
            _law_end(c.ref, edge, "dst", cited_on, frag)
        _law_number(c.ref, frag)
    for r in doc.relations:
        if r.source.identity == doc.ref.identity:
            continue  # the document's own relations are its citations' (cited as "amends", "based_on" …)
        source, target = _stub(r.source), _stub(r.target)
        frag.nodes += [source, target]
        edge = Edge(source.iri, r.relation, target.iri, r.span.start, r.span.end, r.rule)
        frag.edges.append(edge)
        _law_end(r.source, edge, "src", cited_on, frag)
        _law_end(r.target, edge, "dst", cited_on, frag)
    _issuer_and_signer(doc, own, frag)
    for index, task in enumerate(doc.tasks, 1):
        _task(doc, own, index, task, frag)
    cited_iris = {c.ref.key: ids.document_iri(c.ref) for c in doc.citations if c.ref.key}
    frag.conflicts += [Conflict(own if c.kind == "self_number" else cited_iris.get(c.key, own), c.kind, c.values,
                                c.spans[0].start if c.spans else None, c.spans[0].end if c.spans else None, c.note)
                       for c in doc.conflicts]
    frag.unresolved += [Unresolved(m.text, m.span.start, m.span.end, m.reason) for m in doc.mentions
                        if m.kind == "unresolved"]
    return frag


def _law_number(ref: DocRef, frag: Fragment) -> None:
    """A numbered law with its title (cited "Luật … số 72/2025/QH15", or a law's own text): a row of the table."""
    if laws.is_numbered_law(ref):
        frag.law_numbers.append(LawNumber(laws.title_key(ref.title), f"{ref.type} {ref.title}",
                                          ids.document_iri(graph_ref(ref)), ref.key,
                                          ids.year_in_key(ref.key) or ref.year, ref.date))


def _law_end(ref: DocRef, edge: Edge, role: str, cited_on: str | None, frag: Fragment) -> None:
    """A law cited by name at one end of an edge: the store points the edge at the version it means."""
    if laws.is_law_by_name(ref):
        work = edge.dst if role == "dst" else edge.src
        frag.law_mentions.append(LawMention(laws.title_key(ref.title), work, ref.label, ref.year, ref.date, cited_on,
                                            edge.rel, role, edge.start, edge.end, edge.rule))


def _agency_node(name: str, place: str | None, issuer: str | None) -> Node:
    return _agency(name, normalise_agency(name, place, issuer))


def _agency(name: str, agency) -> Node:
    props = {"canonical": agency.canonical, "place": agency.place, "collective": agency.kind == "collective",
             "parent": agency.parent}
    return Node(ids.agency_iri(agency.key), AGENCY, agency.canonical, {k: v for k, v in props.items() if v},
                aliases=(name,) if name != agency.canonical else ())


def _issuer_and_signer(doc: Document, own: str, frag: Fragment) -> None:
    header = next((s.span for s in doc.sections if s.kind == "header"), None)
    start, end = (header.start, header.end) if header else (None, None)
    if doc.issuer:
        issuer = _agency_node(doc.issuer, doc.ref.place, None)
        frag.nodes.append(issuer)
        frag.edges.append(Edge(own, "issued_by", issuer.iri, start, end, "metadata:issuer"))
    if doc.signer:
        person = Node(ids.person_iri(doc.signer), PERSON, doc.signer, {"name": doc.signer})
        frag.nodes.append(person)
        frag.edges.append(Edge(own, "signed_by", person.iri, None, None, "metadata:signer"))


def _task(doc: Document, own: str, index: int, task: Task, frag: Fragment) -> None:
    iri = ids.task_iri(own, index)
    deadline = next((p.deadline_parsed for p in task.parts if p.deadline_parsed), None)
    props = {"no": task.no, "section": task.section, "objective": task.objective, "text": task.text,
             "layout": task.layout, "index": index, "cites": list(task.cites),
             "parts": [{"product": p.product, "lead": list(p.lead), "coordinating": list(p.coordinating),
                        "deadline": p.deadline} for p in task.parts]}
    if deadline:
        props["deadline"] = {"kind": deadline.kind, "start": deadline.start, "end": deadline.end, "text": deadline.text}
    frag.nodes.append(Node(iri, TASK, f"{doc.ref.label} #{task.no or index}", {k: v for k, v in props.items() if v is not None}))
    span = (task.span.start, task.span.end)
    frag.edges.append(Edge(iri, "part_of", own, *span, f"task:{task.layout}"))
    for rel, pairs in (("assigned_to", [pair for p in task.parts for pair in zip(p.lead, p.lead_agencies)]),
                       ("coordinates", [pair for p in task.parts for pair in zip(p.coordinating, p.coordinating_agencies)])):
        for name, agency in dict.fromkeys(pairs):
            node = _agency(name, agency)
            frag.nodes.append(node)
            frag.edges.append(Edge(iri, rel, node.iri, *span, f"task:{rel}"))
    cited = {c.ref.key: c.ref for c in doc.citations if c.ref.key}
    for key in task.cites:
        ref = cited.get(key) or _ref_for_key(key, doc)
        target = _stub(ref)
        frag.nodes.append(target)
        frag.edges.append(Edge(iri, "depends_on", target.iri, *span, "task:cites"))


def _ref_for_key(key: str, doc: Document) -> DocRef:
    """A number a task cites that the document's citations do not hold (split across a page break in the text)."""
    type_code, issuer = split_code(key.split("/")[-1]) if "/" in key else (None, None)
    local = vocab().issuer_scope(issuer, leads_letter=type_code is None) == "local"
    return DocRef(key, vocab().type_by_code.get(type_code or ""), ids.year_in_key(key),
                  doc.ref.place if local else None)
