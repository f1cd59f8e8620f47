"""Provision-level effects against the hand-checked key (../shared/gold/effects-dev/: one JSON file per amending
document, schema and judgement calls in its NOTES.md).

An effect is matched on (op, target document, target path), as a multiset: a document that replaces words in one
provision three times states three effects with one key. Of the matched effects, the share whose source path (the
provision of the amending text that states it) is also right is reported apart, and so is the date each document
takes effect.

"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from legalkg.extract.evaluate import Score
from legalkg.extract.jsonout import effect_json
from legalkg.extract.models import Document
from legalkg.extract.pipeline import extract_file

EffectKey = tuple[str, str, tuple[str, ...]]  # (op, target document, target path)


def stated_effects(doc: Document) -> list[dict]:
    """The effects the extractor read, in the JSON contract's shape."""
    return [effect_json(e) for e in doc.effects]


@dataclass
class EffectReport:
    effects: Score = field(default_factory=Score)
    source_right: int = 0  # of the matched effects, those whose source path is right too
    effective_right: int = 0
    documents: int = 0
    per_document: dict[str, EffectReport] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    @property
    def source_share(self) -> float:
        return self.source_right / self.effects.tp if self.effects.tp else 1.0

    def merge(self, name: str, one: EffectReport) -> None:
        self.effects.merge(one.effects)
        self.source_right += one.source_right
        self.effective_right += one.effective_right
        self.documents += one.documents
        self.per_document[name] = one

    def lines(self, verbose: bool = False) -> list[str]:
        out = [self.effects.line("effects"),
               f"{'source path exact':<22} {self.source_share:.3f} of matched effects ({self.source_right}/{self.effects.tp})",
               f"{'effective date':<22} {self.effective_right}/{self.documents} documents right"]
        for name, one in self.per_document.items():
            e = one.effects
            out.append(f"  {name:<58} effects P={e.precision:.3f} R={e.recall:.3f} ({e.tp + e.fn} in the key) · "
                       f"source {one.source_share:.3f} · effective {'right' if one.effective_right else 'wrong'}")
        for name, missed in self.misses.items() if verbose else ():
            out += [f"  {name}: {m}" for m in missed]
        return out


def evaluate_effects(corpus: Path, gold_dir: Path,
                     predicted: Callable[[Document], list[dict]] = stated_effects) -> EffectReport:
    report = EffectReport()
    for gold_file in sorted(gold_dir.glob("*.json")):
        expected = json.loads(gold_file.read_text(encoding="utf-8"))
        doc = extract_file(corpus / expected["file"], expected["file"])
        stated = predicted(doc)
        one = score_document(stated, expected["effects"])
        one.effective_right = int(doc.effective == expected.get("effective"))
        one.documents = 1
        report.merge(expected["file"], one)
        report.misses[expected["file"]] = _misses(stated, expected["effects"])
    return report


def score_document(predicted: list[dict], gold: list[dict]) -> EffectReport:
    one = EffectReport()
    found, wanted = Counter(map(key_of, predicted)), Counter(map(key_of, gold))
    one.effects.tp = sum((found & wanted).values())
    one.effects.fp = sum((found - wanted).values())
    one.effects.fn = sum((wanted - found).values())
    with_source = Counter(map(_with_source, predicted)) & Counter(map(_with_source, gold))
    one.source_right = sum(with_source.values())
    return one


def key_of(effect: dict) -> EffectKey:
    return effect["op"], effect["target_document"], tuple(effect["target"])


def _with_source(effect: dict) -> tuple[EffectKey, tuple[str, ...]]:
    return key_of(effect), tuple(effect["source"])


def _misses(predicted: Iterable[dict], gold: Iterable[dict]) -> list[str]:
    found, wanted = Counter(map(key_of, predicted)), Counter(map(key_of, gold))
    missed = [f"missed {op} {doc} {'/'.join(path) or '(whole)'}" for op, doc, path in (wanted - found).elements()]
    extra = [f"extra {op} {doc} {'/'.join(path) or '(whole)'}" for op, doc, path in (found - wanted).elements()]
    return missed + extra
