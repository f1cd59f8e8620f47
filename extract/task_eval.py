"""Tasks against a hand-checked key (../shared/gold/tasks, ../shared/gold/tasks-dev), per document.

Predicted and gold tasks are aligned by their text, not by position: an extra or a missed row costs that row only.
Within an aligned pair, agencies are compared as sets of canonical names (extract.agencies.normalise_agency on both
sides), cites as sets of keys, deadlines and products as sets of printed values (whitespace collapsed). A gold task
left unaligned counts every value it holds as missed; a predicted one, every value as extra — so the F1 figures
charge for rows that were not found, or found twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from legalkg.extract.evaluate import Score
from legalkg.extract.models import Document, Task
from legalkg.extract.pipeline import extract_file

FIELDS = ("lead", "coordinating", "deadline", "cites", "product")
ALIGN_KEY = 80  # characters of normalised text that align two tasks
MIN_SIMILARITY = 0.6  # inside a block of differing texts, a pair must be at least this alike
COUNT_TOLERANCE = 0.05  # "task count within 5 %"
MARKUP = re.compile(r"[*_]+|<[^>]{0,200}>")


@dataclass
class DocumentScore:
    name: str
    found: int
    gold: int
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    aligned: int = 0
    texts_exact: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def count_ok(self) -> bool:
        return abs(self.found - self.gold) <= COUNT_TOLERANCE * self.gold

    def line(self) -> str:
        f1 = "  ".join(f"{self.scores[f].f1:>8.3f}" for f in FIELDS)
        mark = " " if self.count_ok else "!"
        return f"  {self.name:<58} {self.found:>4}/{self.gold:<4}{mark} {f1}"


@dataclass
class TaskReport:
    label: str
    documents: list[DocumentScore] = field(default_factory=list)

    def total(self, name: str) -> Score:
        score = Score()
        for doc in self.documents:
            s = doc.scores[name]
            score.tp, score.fp, score.fn = score.tp + s.tp, score.fp + s.fp, score.fn + s.fn
        return score

    @property
    def counts_ok(self) -> int:
        return sum(d.count_ok for d in self.documents)

    @property
    def counts_exact(self) -> int:
        return sum(d.found == d.gold for d in self.documents)

    def lines(self, verbose: bool = False) -> list[str]:
        found, gold = sum(d.found for d in self.documents), sum(d.gold for d in self.documents)
        out = [f"tasks — {self.label}: {found} found, {gold} in the key; count within 5 % on "
               f"{self.counts_ok}/{len(self.documents)} documents, exact on {self.counts_exact}"]
        out += [self.total(f).line(f"  {f}") for f in FIELDS]
        out.append(f"  {'F1 per document':<58} {'found/key':<10}" + "  ".join(f"{f[:8]:>8}" for f in FIELDS))
        for doc in self.documents:
            out.append(doc.line())
            if verbose:
                out += [f"      {p}" for p in doc.problems]
        return out


def evaluate_tasks(corpus: Path, gold_dir: Path, label: str | None = None) -> TaskReport:
    """Score every key in gold_dir; a key's "file" is its document's path under corpus."""
    report = TaskReport(label or gold_dir.name)
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        report.documents.append(score_document(extract_file(corpus / gold["file"]), gold["tasks"], gold["file"]))
    return report


def score_document(doc: Document, gold: list[dict], name: str) -> DocumentScore:
    from legalkg.extract.agencies import normalise_agency

    def canon(names) -> set[str]:
        return {normalise_agency(n, doc.ref.place, doc.issuer).canonical for n in names}

    result = DocumentScore(name, len(doc.tasks), len(gold))
    pairs, extra, missed = align(list(doc.tasks), gold)
    for predicted, expected in pairs:
        result.aligned += 1
        result.texts_exact += _squash(predicted.text) == _squash(expected["text"])
        got, want = _values(predicted, canon), _gold_values(expected, canon)
        for f in FIELDS:
            result.scores[f].add(got[f], want[f])
            if got[f] != want[f]:
                result.problems.append(f"no {expected['no']} (seq {expected['seq']}) {f}: got {sorted(got[f])} "
                                       f"gold {sorted(want[f])}")
    for task in extra:
        for f, values in _values(task, canon).items():
            result.scores[f].add(values, set())
        result.problems.append(f"extra task no {task.no}: {task.text[:70]!r}")
    for expected in missed:
        for f, values in _gold_values(expected, canon).items():
            result.scores[f].add(set(), values)
        result.problems.append(f"missed task no {expected['no']} (seq {expected['seq']}): {expected['text'][:70]!r}")
    return result


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", MARKUP.sub("", text or "")).strip()


def _values(task: Task, canon) -> dict[str, set]:
    parts = [(p.lead, p.coordinating, p.deadline, p.product) for p in task.parts]
    return _field_values(parts, task.cites, canon)


def _gold_values(task: dict, canon) -> dict[str, set]:
    parts = [(p["lead"], p["coordinating"], p["deadline"], p["product"]) for p in task["parts"]]
    return _field_values(parts, task["cites"], canon)


def _field_values(parts: list[tuple], cites, canon) -> dict[str, set]:
    """The values FIELDS compares, from (lead, coordinating, deadline, product) per part."""
    return {
        "lead": canon(n for lead, _, _, _ in parts for n in lead),
        "coordinating": canon(n for _, coordinating, _, _ in parts for n in coordinating),
        "deadline": {_squash(deadline) for _, _, deadline, _ in parts if deadline},
        "cites": set(cites),
        "product": {_squash(product) for _, _, _, product in parts if product},
    }


# --- alignment -----------------------------------------------------------------------------------------------------
def _key(text: str) -> str:
    return _squash(text).casefold()[:ALIGN_KEY]


def align(predicted: list[Task], gold: list[dict]) -> tuple[list[tuple[Task, dict]], list[Task], list[dict]]:
    """(pairs, unaligned predicted, unaligned gold): equal texts pair in order; inside a block of differing texts,
    each gold task takes the most alike predicted one after the previous pair, if alike enough."""
    keys_p, keys_g = [_key(t.text) for t in predicted], [_key(t["text"]) for t in gold]
    pairs: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, keys_p, keys_g, autojunk=False).get_opcodes():
        if op == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            pairs += _pair_block(keys_p, keys_g, range(i1, i2), range(j1, j2))
    used_p, used_g = {i for i, _ in pairs}, {j for _, j in pairs}
    return ([(predicted[i], gold[j]) for i, j in pairs],
            [t for i, t in enumerate(predicted) if i not in used_p],
            [t for j, t in enumerate(gold) if j not in used_g])


def _pair_block(keys_p: list[str], keys_g: list[str], rows_p: range, rows_g: range) -> list[tuple[int, int]]:
    pairs, start = [], rows_p.start
    for j in rows_g:
        scored = [(SequenceMatcher(None, keys_p[i], keys_g[j], autojunk=False).ratio(), i)
                  for i in range(start, rows_p.stop)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= MIN_SIMILARITY:
            pairs.append((best[1], j))
            start = best[1] + 1
    return pairs
