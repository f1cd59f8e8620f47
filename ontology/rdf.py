"""The graph as RDF in the legalkg vocabulary (ontology/legalkg.ttl), streamed: N-Triples, Turtle or JSON-LD.

IRIs are the graph's own. Every edge becomes a triple and an lkg:Provenance statement about it (rdf:subject,
rdf:predicate, rdf:object; prov:wasDerivedFrom the source document; file, span and rule), whose IRI is a hash of
the evidence, so exports of one store are identical and re-exports after a change differ only where it changed.
Which property stands for which graph relation, and which class for which document type, is read from the ontology
(lkg:graphRelation, lkg:documentType). The writers hold one subject's triples at a time, never the whole graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from legalkg.graph.records import AGENCY, DOCUMENT, EFFECT, PERSON, PROVISION, TASK
from legalkg.graph.ids import DEFAULT_BASE, slug
from legalkg.graph.store import EdgeRow, NodeRow, SqliteStore

ONTOLOGY = Path(__file__).with_name("legalkg.ttl")
# The vocabulary is ours and has one namespace whatever the data's base IRI (a store's setting).
LKG = Namespace(f"{DEFAULT_BASE}ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PREFIXES = {"lkg": LKG, "eli": ELI, "org": ORG, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS,
            "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD))}
VOCABULARIES = tuple(str(ns) for ns in PREFIXES.values())
FORMATS = {"nt": "application/n-triples", "ttl": "text/turtle", "jsonld": "application/ld+json"}
VI = "vi"


@dataclass(frozen=True)
class Block:
    """One subject and some of its triples: the unit the writers format."""
    subject: URIRef
    pairs: tuple[tuple[URIRef, Node], ...]


@dataclass(frozen=True)
class Vocabulary:
    relations: dict[str, URIRef]  # graph relation → property
    classes: dict[str, URIRef]  # document type → class
    of_provisions: dict[str, URIRef]  # graph relation → property, when the subject is a provision (part_of)


@cache
def vocabulary() -> Vocabulary:
    g = Graph().parse(ONTOLOGY)
    return Vocabulary({str(o): s for s, o in g.subject_objects(LKG.graphRelation)},
                      {str(o): s for s, o in g.subject_objects(LKG.documentType)},
                      {str(o): s for s, o in g.subject_objects(LKG.provisionRelation)})


def place_iri(place: str, base: str) -> URIRef:
    return URIRef(f"{base}place/{slug(place)}")


# --- the graph → blocks of triples ---------------------------------------------------------------------------
def blocks(store: SqliteStore, provenance: bool = True) -> Iterator[Block]:
    """The whole store as RDF: a block per node (with its places and parent agencies), then per fact and its
    evidence (provenance=False: the facts alone). No triple is given twice. IRIs minted here (places, parent bodies,
    evidence) take the store's base, as its own do."""
    base = store.base_iri
    aliases = store.all_aliases()
    places: set[str] = set()
    agencies: set[str] = set()
    parents: dict[str, tuple[str, str | None]] = {}
    provisions: set[str] = set()  # their part_of is eli:is_part_of
    for node in store.all_nodes():
        yield _node_block(node, aliases.get(node.iri, ()), base)
        if node.kind == PROVISION:
            provisions.add(node.iri)
        place = node.props.get("place")
        if place and place not in places:
            places.add(place)
            yield Block(place_iri(place, base), ((RDF.type, LKG.Province), (SKOS.prefLabel, Literal(place, lang=VI))))
        if node.kind == AGENCY:
            agencies.add(node.iri)
            if node.props.get("parent"):
                parents[_parent_iri(node, base)] = (node.props["parent"], place)
    for iri, (name, place) in parents.items():  # a body named as a parent but never met itself
        if iri not in agencies:
            yield Block(URIRef(iri), _agency_pairs(name, place, (), base))
    yield from _edge_blocks(store.all_edges(grouped=True), store.source_documents(), provenance, base, provisions)


def triples(store: SqliteStore, provenance: bool = True) -> Iterator[tuple[URIRef, URIRef, Node]]:
    for block in blocks(store, provenance):
        for p, o in block.pairs:
            yield block.subject, p, o


def _node_block(node: NodeRow, aliases: Iterable[str], base: str) -> Block:
    props = node.props
    pairs: list[tuple[URIRef, Node]]
    if node.kind == DOCUMENT:
        pairs = [(RDF.type, vocabulary().classes.get(props.get("type") or "", LKG.Document)),
                 (RDF.type, ELI.LegalResource), (RDFS.label, Literal(node.label)), (LKG.stub, Literal(node.stub))]
        pairs += _optional(props, (("key", ELI.id_local, _plain), ("date", ELI.date_document, _date),
                                   ("title", ELI["title"], _vietnamese), ("year", LKG.year, _integer),
                                   ("status", LKG.status, _plain)))
    elif node.kind == TASK:
        deadline = props.get("deadline") or {}
        pairs = [(RDF.type, LKG.Task), (RDFS.label, Literal(node.label))]
        pairs += _optional(props, (("no", LKG.taskNo, _plain), ("index", LKG["index"], _integer),
                                   ("text", LKG.text, _vietnamese), ("section", LKG.section, _plain)))
        pairs += _optional(deadline, (("end", LKG.deadline, _date), ("start", LKG.deadlineStart, _date),
                                      ("text", LKG.deadlineText, _plain)))
    elif node.kind == AGENCY:
        pairs = list(_agency_pairs(node.label, props.get("place"), aliases, base))
        if props.get("parent"):
            pairs.append((ORG.subOrganizationOf, URIRef(_parent_iri(node, base))))
        return Block(URIRef(node.iri), tuple(pairs))
    elif node.kind == PERSON:
        pairs = [(RDF.type, PROV.Person), (RDFS.label, Literal(node.label))]
    elif node.kind == PROVISION:
        pairs = [(RDF.type, LKG.Provision), (RDF.type, ELI.LegalResourceSubdivision), (RDFS.label, Literal(node.label)),
                 (LKG.stub, Literal(node.stub)), (LKG.path, Literal("/".join(props.get("path") or ())))]
        pairs += _optional(props, (("kind", LKG.provisionKind, _plain), ("label", ELI.number, _plain),
                                   ("heading", LKG.heading, _vietnamese), ("start", LKG.textStart, _integer),
                                   ("end", LKG.textEnd, _integer)))
        return Block(URIRef(node.iri), tuple(pairs))
    elif node.kind == EFFECT:
        pairs = [(RDF.type, LKG.Effect), (RDFS.label, Literal(node.label))]
        pairs += _optional(props, (("op", LKG.op, _plain), ("part", LKG.part, _plain),
                                   ("words_from", LKG.wordsFrom, _vietnamese), ("words_to", LKG.wordsTo, _vietnamese),
                                   ("text", LKG.instruction, _vietnamese), ("effective", LKG.effective, _date),
                                   ("start", LKG.textStart, _integer), ("end", LKG.textEnd, _integer)))
        return Block(URIRef(node.iri), tuple(pairs))
    else:
        pairs = [(RDFS.label, Literal(node.label))]
    if props.get("place"):
        pairs.append((LKG.place, place_iri(props["place"], base)))
    return Block(URIRef(node.iri), tuple(pairs))


def _agency_pairs(name: str, place: str | None, aliases: Iterable[str], base: str) -> tuple[tuple[URIRef, Node], ...]:
    pairs = [(RDF.type, ORG.Organization), (RDF.type, PROV.Organization), (RDFS.label, Literal(name)),
             (SKOS.prefLabel, Literal(name, lang=VI))]
    pairs += [(SKOS.altLabel, Literal(a, lang=VI)) for a in aliases if a != name]
    if place:
        pairs.append((LKG.place, place_iri(place, base)))
    return tuple(pairs)


def _parent_iri(agency: NodeRow, base: str) -> str:
    """The parent body of an agency, in the agency's province (graph.ids.agency_iri's scheme)."""
    place = agency.props.get("place")
    return f"{base}agency/{slug(place) if place else 'vn'}/{slug(agency.props['parent'])}"


def _edge_blocks(edges: Iterable[EdgeRow], documents: dict[str, str], provenance: bool,
                 base: str, provisions: set[str] = frozenset()) -> Iterator[Block]:
    relations, of_provisions = vocabulary().relations, vocabulary().of_provisions
    last_fact, last_evidence = None, None
    for e in edges:
        prop = (e.src in provisions and of_provisions.get(e.rel)) or relations.get(e.rel)
        if prop is None:
            raise ValueError(f"relation {e.rel!r} has no property in {ONTOLOGY.name} (lkg:graphRelation)")
        src, dst = URIRef(e.src), URIRef(e.dst)
        if (e.src, e.rel, e.dst) != last_fact:
            last_fact = (e.src, e.rel, e.dst)
            yield Block(src, ((prop, dst),))
        if not provenance:
            continue
        evidence = _provenance_iri(e, base)
        if evidence == last_evidence:
            continue
        last_evidence = evidence
        pairs = [(RDF.type, LKG.Provenance), (RDF.subject, src), (RDF.predicate, prop), (RDF.object, dst),
                 (LKG.sourceFile, Literal(e.source)), (LKG.rule, Literal(e.rule))]
        if e.source in documents:
            pairs.append((PROV.wasDerivedFrom, URIRef(documents[e.source])))
        pairs += [(p, Literal(v)) for p, v in ((LKG.start, e.start), (LKG.end, e.end)) if v is not None]
        yield Block(evidence, tuple(pairs))


def _provenance_iri(e: EdgeRow, base: str) -> URIRef:
    return URIRef(f"{base}provenance/{e.evidence_id()}")


def _optional(props: dict, fields) -> list[tuple[URIRef, Node]]:
    return [(prop, make(props[name])) for name, prop, make in fields if props.get(name) not in (None, "")]


def _plain(value) -> Literal:
    return Literal(str(value))


def _vietnamese(value) -> Literal:
    return Literal(str(value), lang=VI)


def _integer(value) -> Literal:
    return Literal(int(value))


def _date(value) -> Literal:
    """An ISO date as xsd:date; anything else stays the string it was (SHACL then reports it)."""
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return Literal(str(value))
    return Literal(str(value), datatype=XSD.date)


# --- writers -----------------------------------------------------------------------------------------------------
def write(store: SqliteStore, fmt: str, provenance: bool = True) -> Iterator[str]:
    """The store as text in fmt (nt, ttl or jsonld), a piece at a time."""
    writers = {"nt": _ntriples, "ttl": _turtle, "jsonld": _jsonld}
    if fmt not in writers:
        raise ValueError(f"unknown RDF format {fmt!r}: one of {', '.join(writers)}")
    return writers[fmt](blocks(store, provenance))


def _ntriples(stream: Iterable[Block]) -> Iterator[str]:
    for block in stream:
        s = block.subject.n3()
        yield "".join(f"{s} {p.n3()} {_nt(o)} .\n" for p, o in block.pairs)


def _nt(term: Node) -> str:
    """A term as N-Triples writes it: rdflib's n3() gives a literal with a line break as a triple-quoted string,
    which is Turtle but not N-Triples."""
    if not isinstance(term, Literal) or not any(c in str(term) for c in "\n\r"):
        return term.n3()
    text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    suffix = f"@{term.language}" if term.language else (f"^^<{term.datatype}>" if term.datatype else "")
    return f'"{text}"{suffix}'


def _turtle(stream: Iterable[Block]) -> Iterator[str]:
    yield "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in PREFIXES.items()) + "\n"
    for block in stream:
        body = " ;\n    ".join(f"{'a' if p == RDF.type else _short(p)} {_short(o)}" for p, o in block.pairs)
        yield f"{block.subject.n3()}\n    {body} .\n\n"


@cache
def _prefixed(iri: str) -> str | None:
    for name, ns in PREFIXES.items():
        local = iri[len(ns):]
        if iri.startswith(ns) and local.replace("_", "a").isalnum() and local.isascii() and not local[:1].isdigit():
            return f"{name}:{local}"
    return None


def _short(term: Node) -> str:
    """A vocabulary IRI as a prefixed name; data IRIs and literals in full (N-Triples forms are valid Turtle)."""
    if isinstance(term, URIRef):
        iri = str(term)
        if iri.startswith(VOCABULARIES):
            return _prefixed(iri) or term.n3()
        return term.n3()  # the graph's own IRIs: never prefixed, not cached
    return term.n3()


def _jsonld(stream: Iterable[Block]) -> Iterator[str]:
    context = {name: str(ns) for name, ns in PREFIXES.items()}
    yield '{"@context": ' + json.dumps(context) + ',\n "@graph": ['
    first = True
    for block in stream:
        yield ("\n  " if first else ",\n  ") + json.dumps(_node_object(block), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _node_object(block: Block) -> dict:
    out: dict = {"@id": str(block.subject)}
    for p, o in block.pairs:
        if p == RDF.type:
            out.setdefault("@type", []).append(_prefixed(str(o)) or str(o))
        else:
            out.setdefault(_prefixed(str(p)) or str(p), []).append(_json_value(o))
    return out


def _json_value(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    value: dict = {"@value": str(term)}
    if term.language:
        value["@language"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        value["@type"] = str(term.datatype)
    return value
