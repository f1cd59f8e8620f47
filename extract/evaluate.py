"""Accuracy of extraction against the hand-checked gold of the seeds (../shared/gold/references.json).

Citations are compared as distinct cited documents per seed (body, header and appendix; not the related lists):
a document is its (key, province) — local numbers repeat across provinces — and a law cited by name is its title.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from extract.models import Document
from extract.pipeline import extract_file

DOCUMENT_SECTIONS = ("header", "body", "appendix")
METADATA_FIELDS = ("key", "type", "place", "date")


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

    def line(self, name: str) -> str:
        return f"{name:<22} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}  (tp={self.tp} fp={self.fp} fn={self.fn})"


@dataclass
class Report:
    citations: Score = field(default_factory=Score)
    related: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    metadata_right: int = 0
    documents: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            self.citations.line("citations"),
            self.related.line("related lists"),
            self.relations.line("stated relations"),
            f"{'metadata':<22} {self.metadata_right}/{self.documents} documents with key, type, place and date right",
        ]
        for name, problems in self.errors.items():
            out += [f"  {name}: {p}" for p in problems]
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


def evaluate(seeds_dir: Path, gold_path: Path) -> Report:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    report = Report()
    for name, expected in gold.items():
        if name.startswith("_"):
            continue
        doc = extract_file(seeds_dir / name)
        report.documents += 1
        problems: list[str] = []
        _score_citations(doc, expected, report, problems)
        _score_metadata(doc, expected["document"], report, problems)
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
    own = _own_identity(doc)
    stated = {(r.relation, predicted_identity(r.target)) for r in doc.relations if (r.source.key, r.source.place) == own}
    gold_stated = {(r["relation"], gold_identity(r["target"])) for r in expected.get("relations", [])}
    report.relations.add(stated & gold_stated, gold_stated)  # gold relations are not exhaustive: recall only
    problems += [f"missed relation {x}" for x in sorted(gold_stated - stated, key=str)]


def _score_metadata(doc: Document, expected: dict, report: Report, problems: list[str]) -> None:
    got = {"key": doc.ref.key, "type": doc.ref.type, "place": doc.ref.place, "date": doc.ref.date}
    wrong = [f for f in METADATA_FIELDS if got[f] != expected.get(f)]
    if not wrong:
        report.metadata_right += 1
    problems += [f"metadata {f}: got {got[f]!r}, gold {expected.get(f)!r}" for f in wrong]


# --- tasks ---------------------------------------------------------------------------------------------------------
@dataclass
class TaskReport:
    """Tasks against ../shared/gold/tasks: counts per document, and agencies, cites and deadlines of aligned tasks.

    Predicted and gold tasks are aligned in order by their text (difflib); agencies are compared as sets of
    canonical names (extract.agencies.normalise_agency applied to both sides) per task, cites as sets of keys,
    deadlines as the printed text of each part, in order."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # document -> (predicted, gold)
    lead: Score = field(default_factory=Score)
    coordinating: Score = field(default_factory=Score)
    cites: Score = field(default_factory=Score)
    deadlines_exact: int = 0
    deadlines: int = 0
    texts_exact: int = 0
    aligned: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def counts_exact(self) -> int:
        return sum(p == g for p, g in self.counts.values())

    @property
    def deadline_accuracy(self) -> float:
        return self.deadlines_exact / self.deadlines if self.deadlines else 1.0

    def lines(self, verbose: bool = False) -> list[str]:
        total_p = sum(p for p, _ in self.counts.values())
        total_g = sum(g for _, g in self.counts.values())
        out = [
            f"{'task counts':<22} {self.counts_exact}/{len(self.counts)} documents exact ({total_p} found, {total_g} gold)",
            self.lead.line("lead agencies"),
            self.coordinating.line("coordinating agencies"),
            self.cites.line("task cites"),
            f"{'deadline text exact':<22} {self.deadline_accuracy:.3f} ({self.deadlines_exact}/{self.deadlines} parts)",
            f"{'task text exact':<22} {self.texts_exact}/{self.aligned} aligned tasks",
        ]
        for name, (p, g) in self.counts.items():
            out.append(f"  {name}: {p} tasks (gold {g})")
        if verbose:
            for name, problems in self.problems.items():
                out += [f"  {name}: {p}" for p in problems]
        return out


def evaluate_tasks(seeds_dir: Path, gold_dir: Path) -> TaskReport:
    from extract.agencies import normalise_agency

    report = TaskReport()
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        doc = extract_file(seeds_dir / gold["file"])
        name = gold["file"]
        report.counts[name] = (len(doc.tasks), len(gold["tasks"]))
        problems = report.problems.setdefault(name, [])

        def canon(names) -> set[str]:
            return {normalise_agency(n, doc.ref.place, doc.issuer).canonical for n in names}

        for predicted, expected in _align(doc.tasks, gold["tasks"]):
            report.aligned += 1
            report.texts_exact += predicted.text == expected["text"]
            for score, field_name in ((report.lead, "lead"), (report.coordinating, "coordinating")):
                got = canon(n for p in predicted.parts for n in getattr(p, field_name))
                want = canon(n for p in expected["parts"] for n in p[field_name])
                score.add(got, want)
                if got != want:
                    problems.append(f"seq {expected['seq']} {field_name}: got {sorted(got)} gold {sorted(want)}")
            report.cites.add(set(predicted.cites), set(expected["cites"]))
            if set(predicted.cites) != set(expected["cites"]):
                problems.append(f"seq {expected['seq']} cites: got {list(predicted.cites)} gold {expected['cites']}")
            for k, part in enumerate(expected["parts"]):
                report.deadlines += 1
                got = predicted.parts[k].deadline if k < len(predicted.parts) else None
                report.deadlines_exact += got == part["deadline"]
                if got != part["deadline"]:
                    problems.append(f"seq {expected['seq']} deadline: got {got!r} gold {part['deadline']!r}")
    return report


def _align(predicted, gold: list[dict]) -> list[tuple]:
    from difflib import SequenceMatcher

    keys = [t.text[:60] for t in predicted], [t["text"][:60] for t in gold]
    matcher = SequenceMatcher(None, *keys, autojunk=False)
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace"):
            pairs += list(zip(predicted[i1:i2], gold[j1:j2]))
    return pairs
