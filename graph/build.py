"""Documents (extract.models) → graph fragments (graph.records): the nodes and edges one source file contributes, with
provenance.

A fragment is what the store merges (graph.store); the builder never imports the store (graph.ingest joins the two).
Nodes: Document (the source's own, and stubs for what it cites), Agency, Task,
Person, Provision (the units of the document's own text; stubs for the provisions of other documents it cites or
changes), Effect (one per change the document makes to another's provision or to the whole of it). Edges: cites …
related (document → document), amends/replaces/repeals/guides between cited documents, issued_by, signed_by,
part_of (task → document; provision → its parent provision, or its document at the top), assigned_to (task → lead),
coordinates (task → coordinating), depends_on (task → document it cites), cites_provision (document → provision),
depends_on_provision (task → provision), and for each effect: affects (effect → changed provision, or document),
stated_in (effect → the amending provision, or document), on_document (effect → changed document) and
effect_<op> (amending provision or document → changed provision or document). Every edge keeps the source file,
the character span and the rule.
"""

from __future__ import annotations

from pathlib import Path
from dataclasses import replace

from legalkg.extract.agencies import normalise_agency
from legalkg.extract.citations import split_code
from legalkg.extract.models import DocRef, Document, Effect, Span, Task
from legalkg.extract.vocab import vocab
from legalkg.graph import ids, laws
from legalkg.graph.ids import provision_label
from legalkg.graph.laws import LawMention, LawNumber
from legalkg.graph.records import (AGENCY, DOCUMENT, EFFECT, PERSON, PROVISION, TASK, Conflict, Edge, Fragment,
                                    Node, Unresolved)

EFFECT_WORDS = {"amend": "sửa đổi", "insert": "bổ sung", "repeal": "bãi bỏ", "replace_words": "thay thế cụm từ tại",
                "replace": "thay thế", "suspend": "ngưng hiệu lực"}

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


class _Provisions:
    """The provisions one fragment names: the document's own (read from its text), and stubs for those of other
    documents (each with the stubs of the units holding it, up to its document, so containment is walkable).
    Stub part_of edges are given once per fragment, with the span of the first mention."""

    def __init__(self, frag: Fragment, own: str, own_label: str) -> None:
        self.frag, self.own, self.own_label = frag, own, own_label
        self.known: set[str] = set()

    def own_provisions(self, doc: Document) -> None:
        iris: dict[tuple[str, ...], str] = {}
        for p in doc.provisions:
            if p.path in iris:
                continue  # a path read twice (an unclosed quote): the first
            iri = iris[p.path] = ids.provision_iri(self.own, p.path)
            self.known.add(iri)
            props = {"document": self.own, "path": list(p.path), "kind": p.kind, "label": p.label,
                     "heading": p.heading, "start": p.span.start, "end": p.span.end}
            self.frag.nodes.append(Node(iri, PROVISION, f"{provision_label(p.path)} · {self.own_label}", props))
        done = set()
        for p in doc.provisions:
            if p.path in done:
                continue
            done.add(p.path)
            if p.parent is None:
                parent = self.own
            else:
                parent = iris.get(p.parent) or self.stub(self.own, self.own_label, p.parent, p.span)
            self.frag.edges.append(Edge(iris[p.path], "part_of", parent, p.span.start, p.span.end, f"structure:{p.kind}"))

    def stub(self, document: str, document_label: str, path, span: Span) -> str:
        """The provision `path` of `document` (its IRI), as a stub with the stubs of its containing paths."""
        iri = ids.provision_iri(document, path)
        for depth in range(1, len(path) + 1):
            step_iri = ids.provision_iri(document, path[:depth])
            if step_iri in self.known:
                continue
            self.known.add(step_iri)
            step = path[:depth]
            kind, _, label = step[-1].partition(":")
            self.frag.nodes.append(Node(step_iri, PROVISION, f"{provision_label(step)} · {document_label}",
                                        {"document": document, "path": list(step), "kind": kind, "label": label},
                                        stub=True))
            parent = ids.provision_iri(document, step[:-1])
            self.frag.edges.append(Edge(step_iri, "part_of", parent, span.start, span.end, f"structure:{kind}"))
        return iri


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
    provisions = _Provisions(frag, own, _label(doc))
    provisions.own_provisions(doc)
    _cited_provisions(doc, own, provisions)
    for index, task in enumerate(doc.tasks, 1):
        _task(doc, own, index, task, frag, provisions)
    for index, effect in enumerate(doc.effects, 1):
        _effect(doc, own, index, effect, provisions)
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


def _task(doc: Document, own: str, index: int, task: Task, frag: Fragment, provisions: _Provisions) -> None:
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
    for key, path in dict.fromkeys(task.cited_provisions):
        target = _stub(_cited_ref(key, doc))
        frag.nodes.append(target)
        if path:
            dst = provisions.stub(target.iri, target.label, path, task.span)
            frag.edges.append(Edge(iri, "depends_on_provision", dst, *span, "task:cites_provision"))


def _cited_provisions(doc: Document, own: str, provisions: _Provisions) -> None:
    """document → each provision a citation names with the document it cites (a stub under that document)."""
    for c in doc.citations:
        if not c.provisions:
            continue
        target = _stub(c.ref)
        if target.iri == own:
            continue
        for path in dict.fromkeys(c.provisions):
            if path:
                dst = provisions.stub(target.iri, target.label, path, c.span)
                provisions.frag.edges.append(Edge(own, "cites_provision", dst, c.span.start, c.span.end, c.rule))


def _effect(doc: Document, own: str, index: int, effect: Effect, provisions: _Provisions) -> None:
    """An effect: its node (what it does, to what, from when, stated where) and its edges, all with the span of the
    instruction: affects, stated_in, on_document, and the direct edge amending provision → changed provision."""
    frag = provisions.frag
    target_doc = _stub(_cited_ref(effect.target_document, doc))
    if target_doc.iri != own:
        frag.nodes.append(target_doc)
    if not effect.target:
        target = target_doc.iri
    elif target_doc.iri == own and ids.provision_iri(own, effect.target) in provisions.known:
        target = ids.provision_iri(own, effect.target)
    else:
        target = provisions.stub(target_doc.iri, target_doc.label, effect.target, effect.span)
    if not effect.source:
        source = own
    elif ids.provision_iri(own, effect.source) in provisions.known:
        source = ids.provision_iri(own, effect.source)
    else:
        source = provisions.stub(own, provisions.own_label, effect.source, effect.span)
    iri = ids.effect_iri(own, index)
    what = provision_label(effect.target)
    if effect.part == "title":
        what = f"tên {what}" if what else "tên"
    label = " ".join(filter(None, (EFFECT_WORDS.get(effect.op, effect.op), what))) + f" · {target_doc.label}"
    props = {"op": effect.op, "part": effect.part,
             "words_from": effect.words.old if effect.words else None,
             "words_to": effect.words.new if effect.words else None,
             "text": effect.text, "target_document": effect.target_document, "target": list(effect.target),
             "source": list(effect.source), "effective": doc.effective, "document": own,
             "start": effect.span.start, "end": effect.span.end}
    frag.nodes.append(Node(iri, EFFECT, label, {k: v for k, v in props.items() if v is not None}))
    span, rule = (effect.span.start, effect.span.end), f"effect:{effect.op}"
    frag.edges += [Edge(iri, "affects", target, *span, rule), Edge(iri, "stated_in", source, *span, rule),
                   Edge(iri, "on_document", target_doc.iri, *span, rule),
                   Edge(source, f"effect_{effect.op}", target, *span, rule)]


def _cited_ref(key: str, doc: Document) -> DocRef:
    """The document a key names, as the document's citations have it (a law cited by name: by its label, "Luật
    …"); the document itself; else made from the key alone."""
    if key in (doc.ref.key, doc.ref.label):
        return doc.ref
    for c in doc.citations:
        if key in (c.ref.key, c.ref.label):
            return c.ref
    return _ref_for_key(key, doc)


def _ref_for_key(key: str, doc: Document) -> DocRef:
    """A number a task cites that the document's citations do not hold (split across a page break in the text)."""
    type_code, issuer = split_code(key.split("/")[-1]) if "/" in key else (None, None)
    local = vocab().issuer_scope(issuer, leads_letter=type_code is None) == "local"
    return DocRef(key, vocab().type_by_code.get(type_code or ""), ids.year_in_key(key),
                  doc.ref.place if local else None)
