"""Accuracy of extraction against the hand-checked gold of the seeds (../shared/gold/references.json).

Citations are compared as distinct cited documents per seed (body, header and appendix; not the related lists):
a document is its (key, province) — local numbers repeat across provinces — and a law cited by name is its title.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from legalkg.extract.models import Document
from legalkg.extract.pipeline import extract_file

DOCUMENT_SECTIONS = ("header", "body", "appendix")
METADATA_FIELDS = ("key", "type", "place", "date")
# The relation kinds the keys annotate (not cites, guides or related).
SCORED_RELATIONS = ("based_on", "implements", "amends", "repeals", "replaces")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def merge(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def line(self, name: str) -> str:
        return f"{name:<22} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}  (tp={self.tp} fp={self.fp} fn={self.fn})"

    def recall_line(self, name: str) -> str:
        return f"{name:<22} R={self.recall:.3f} (recall only: the key lists some, not all)  (tp={self.tp} fn={self.fn})"


@dataclass
class Report:
    citations: Score = field(default_factory=Score)
    related: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    relations_exhaustive: bool = False  # the key lists every relation of the scored kinds: precision is meaningful
    metadata_right: int = 0
    documents: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    per_document: dict[str, Report] = field(default_factory=dict)

    def merge(self, name: str, one: Report) -> None:
        for score in ("citations", "related", "relations"):
            getattr(self, score).merge(getattr(one, score))
        self.metadata_right += one.metadata_right
        self.documents += one.documents
        self.per_document[name] = one

    def lines(self, problems: bool = True) -> list[str]:
        out = [
            self.citations.line("citations"),
            self.related.line("related lists"),
            self.relations.line("stated relations") if self.relations_exhaustive else self.relations.recall_line("stated relations"),
            f"{'metadata':<22} {self.metadata_right}/{self.documents} documents with key, type, place and date right",
        ]
        for name, one in self.per_document.items():
            c, r = one.citations, one.relations
            relations = f"P={r.precision:.3f} R={r.recall:.3f}" if self.relations_exhaustive else f"R={r.recall:.3f}"
            out.append(f"  {name:<58} citations P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f} ({c.tp + c.fn} in "
                       f"the key) · relations {relations} ({r.tp + r.fn}) · metadata "
                       f"{'right' if one.metadata_right else 'wrong'}")
        for name, found in self.errors.items() if problems else ():
            out += [f"  {name}: {p}" for p in found]
        return out


def _norm_title(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def gold_identity(entry: dict) -> tuple:
    if entry.get("kind") == "law" or not entry.get("key"):
        return ("law", _norm_title(entry.get("title") or ""))
    return (entry["key"], entry.get("place"))


def predicted_identity(ref) -> tuple:
    if ref.key is None:
        return ("law", _norm_title(ref.title or ""))
    return (ref.key, ref.place)


def _own_identity(doc: Document) -> tuple:
    return (doc.ref.key, doc.ref.place)


def evaluate(seeds_dir: Path, gold_path: Path, relations_exhaustive: bool = False) -> Report:
    """Citations, stated relations and metadata of every document of a key (its names are paths under seeds_dir),
    per document and in total. Relation precision is scored only when the caller says the key lists every relation
    of the scored kinds (relations_exhaustive: the references-dev key's NOTES say so; the seeds' key does not)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    report = Report(relations_exhaustive=relations_exhaustive)
    for name, expected in gold.items():
        if name.startswith("_"):
            continue
        doc = extract_file(seeds_dir / name)
        one = Report(documents=1, relations_exhaustive=relations_exhaustive)
        problems: list[str] = []
        _score_citations(doc, expected, one, problems)
        _score_relations(doc, expected, one, problems)
        _score_metadata(doc, expected["document"], one, problems)
        report.merge(name, one)
        if problems:
            report.errors[name] = problems
    return report


def _score_citations(doc: Document, expected: dict, report: Report, problems: list[str]) -> None:
    cited = {predicted_identity(c.ref) for c in doc.citations if c.section in DOCUMENT_SECTIONS}
    gold_cited = {gold_identity(c) for c in expected["citations"]}
    report.citations.add(cited, gold_cited)
    problems += [f"extra citation {x}" for x in sorted(cited - gold_cited, key=str)]
    problems += [f"missed citation {x}" for x in sorted(gold_cited - cited, key=str)]
    if "related_list" in expected:
        related = {predicted_identity(c.ref) for c in doc.citations if c.section == "related"}
        gold_related = {gold_identity(c) for c in expected["related_list"]}
        report.related.add(related, gold_related)
        problems += [f"missed related {x}" for x in sorted(gold_related - related, key=str)]
        problems += [f"extra related {x}" for x in sorted(related - gold_related, key=str)]


def _score_relations(doc: Document, expected: dict, report: Report, problems: list[str]) -> None:
    own = _own_identity(doc)

    def source(ref) -> tuple | str:
        return "self" if (ref.key, ref.place) == own else predicted_identity(ref)

    stated = {(source(r.source), r.relation, predicted_identity(r.target))
              for r in doc.relations if r.relation in SCORED_RELATIONS}
    gold_stated = _gold_relations(expected)
    if report.relations_exhaustive:
        report.relations.add(stated, gold_stated)
        problems += [f"extra relation {x}" for x in sorted(stated - gold_stated, key=str)]
    else:
        report.relations.add(stated & gold_stated, gold_stated)
    problems += [f"missed relation {x}" for x in sorted(gold_stated - stated, key=str)]


def _gold_relations(expected: dict) -> set[tuple]:
    """(source, relation, target) of a key's relations; the source is "self" or, like a target in
    references-dev.json, named by a citation's key or law title (references.json gives the target's record)."""
    named = {c.get("key") or c.get("title"): gold_identity(c) for c in expected["citations"]}

    def identity(end) -> tuple | str:
        if isinstance(end, dict):
            return gold_identity(end)
        return "self" if end == "self" else named.get(end, (end, None))

    return {(identity(r.get("source", "self")), r["relation"], identity(r["target"]))
            for r in expected.get("relations", [])}


def _score_metadata(doc: Document, expected: dict, report: Report, problems: list[str]) -> None:
    got = {"key": doc.ref.key, "type": doc.ref.type, "place": doc.ref.place, "date": doc.ref.date}
    wrong = [f for f in METADATA_FIELDS if got[f] != expected.get(f)]
    if not wrong:
        report.metadata_right += 1
    problems += [f"metadata {f}: got {got[f]!r}, gold {expected.get(f)!r}" for f in wrong]
