"""Documents as the stable JSON contract of `legalkg extract` (documented in the README)."""

from __future__ import annotations

from legalkg.extract.models import Citation, Conflict, DocRef, Document, Effect, Mention, Provision, Relation, Task, TaskPart

SCHEMA_VERSION = 1


def ref_json(ref: DocRef) -> dict:
    return {"key": ref.key, "title": ref.title, "type": ref.type, "year": ref.year, "place": ref.place, "date": ref.date}


def citation_json(c: Citation) -> dict:
    return {
        **ref_json(c.ref),
        "kind": c.ref.kind,
        "relation": c.relation,
        "section": c.section,
        "start": c.span.start,
        "end": c.span.end,
        "text": c.text,
        "rule": c.rule,
        "alias": c.alias,
        "provisions": [list(path) for path in c.provisions],
    }


def relation_json(r: Relation) -> dict:
    return {
        "source": r.source.label,
        "relation": r.relation,
        "target": r.target.label,
        "start": r.span.start,
        "end": r.span.end,
        "rule": r.rule,
        "source_ref": ref_json(r.source),
        "target_ref": ref_json(r.target),
    }


def mention_json(m: Mention) -> dict:
    return {"kind": m.kind, "text": m.text, "start": m.span.start, "end": m.span.end, "reason": m.reason,
            "provisions": [list(path) for path in m.provisions]}


def conflict_json(c: Conflict) -> dict:
    return {
        "kind": c.kind,
        "key": c.key,
        "values": list(c.values),
        "spans": [{"start": s.start, "end": s.end} for s in c.spans],
        "note": c.note,
    }


def deadline_json(d) -> dict | None:
    return None if d is None else {"kind": d.kind, "start": d.start, "end": d.end, "text": d.text, "note": d.note}


def agency_json(a) -> dict:
    return {"canonical": a.canonical, "place": a.place, "kind": a.kind, "parent": a.parent, "key": a.key}


def part_json(p: TaskPart) -> dict:
    return {
        "product": p.product,
        "lead": list(p.lead),
        "coordinating": list(p.coordinating),
        "deadline": p.deadline,
        "deadline_parsed": deadline_json(p.deadline_parsed),
        "lead_agencies": [agency_json(a) for a in p.lead_agencies],
        "coordinating_agencies": [agency_json(a) for a in p.coordinating_agencies],
    }


def task_json(t: Task) -> dict:
    parsed = next((p.deadline_parsed for p in t.parts if p.deadline_parsed), None)
    return {
        "no": t.no,
        "section": t.section,
        "objective": t.objective,
        "text": t.text,
        "parts": [part_json(p) for p in t.parts],
        "cites": list(t.cites),
        "deadline_parsed": deadline_json(parsed),
        "start": t.span.start,
        "end": t.span.end,
        "layout": t.layout,
        "cited_provisions": [{"document": key, "provision": list(path)} for key, path in t.cited_provisions],
    }


def provision_json(p: Provision) -> dict:
    return {"path": list(p.path), "parent": None if p.parent is None else list(p.parent), "kind": p.kind,
            "label": p.label, "start": p.span.start, "end": p.span.end, "heading": p.heading}


def effect_json(e: Effect) -> dict:
    return {
        "op": e.op,
        "target_document": e.target_document,
        "target": list(e.target),
        "part": e.part,
        "source": list(e.source),
        "words": None if e.words is None else {"from": e.words.old, "to": e.words.new},
        "span": {"start": e.span.start, "end": e.span.end},
        "text": e.text,
    }


def document_json(doc: Document) -> dict:
    return {
        "source": doc.source,
        **{k: v for k, v in ref_json(doc.ref).items()},
        "issuer": doc.issuer,
        "signer": doc.signer,
        "status": doc.status,
        "effective": doc.effective,
        "encoding": doc.encoding,
        "sections": [{"kind": s.kind, "start": s.span.start, "end": s.span.end} for s in doc.sections],
        "citations": [citation_json(c) for c in doc.citations],
        "relations": [relation_json(r) for r in doc.relations],
        "mentions": [mention_json(m) for m in doc.mentions],
        "conflicts": [conflict_json(c) for c in doc.conflicts],
        "tasks": [task_json(t) for t in doc.tasks],
        "warnings": [{"kind": w.kind, "message": w.message, "start": w.span.start, "end": w.span.end}
                     for w in doc.warnings],
        "provisions": [provision_json(p) for p in doc.provisions],
        "effects": [effect_json(e) for e in doc.effects],
    }
