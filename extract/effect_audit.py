"""Audit of structure and effects over a corpus without keys (`legalkg audit effects`): how many provisions and
effects are read, by kind and op, and the values to review. Odd values are effects whose target is incomplete (a
khoản or điểm with no article above it) or is the amending document itself, and instructions read as none: own
provisions that open with a cue ("Sửa đổi …", "Bãi bỏ …") but state no effect and hand nothing to items."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from legalkg.extract.audit import TOP, _audits
from legalkg.extract.effects import INSTRUCTION_KINDS, opens_with_cue
from legalkg.extract.models import Document
from legalkg.extract.pipeline import Failure

INCOMPLETE_TOPS = ("khoan", "diem", "tiet")


@dataclass(frozen=True)
class EffectFileAudit:
    source: str
    error: str | None = None
    provisions: tuple[tuple[str, int], ...] = ()  # (kind, count)
    ops: tuple[tuple[str, int], ...] = ()
    odd: tuple[dict, ...] = ()  # {source, why, op, target_document, target, text}
    unread: tuple[dict, ...] = ()  # {source, source_path, text}: a cue that stated nothing


def audit_effects_item(item: Document | Failure) -> EffectFileAudit:
    if isinstance(item, Failure):
        return EffectFileAudit(item.source, error=item.error)
    doc = item
    odd = []
    for e in doc.effects:
        why = ("incomplete target" if e.target and e.target[0].split(":")[0] in INCOMPLETE_TOPS
               else "targets itself" if e.target_document == doc.ref.key else None)
        if why:
            odd.append({"source": doc.source, "why": why, "op": e.op, "target_document": e.target_document,
                        "target": "/".join(e.target), "text": e.text[:160]})
    return EffectFileAudit(doc.source, None, tuple(Counter(p.kind for p in doc.provisions).items()),
                           tuple(Counter(e.op for e in doc.effects).items()), tuple(odd), tuple(_unread(doc)))


def _unread(doc: Document) -> list[dict]:
    """Own provisions that open with a cue, state no effect and have no items that do (chapeaux hand effects on)."""
    stated = {e.source for e in doc.effects}
    covered = {p[:i] for p in stated for i in range(1, len(p) + 1)}
    return [{"source": doc.source, "source_path": "/".join(p.path), "text": p.heading}
            for p in doc.provisions if p.kind in INSTRUCTION_KINDS and p.path not in covered
            and opens_with_cue(p.heading)]


@dataclass
class EffectsReport:
    top: int = TOP
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    with_provisions: int = 0
    with_effects: int = 0
    provisions: dict[str, int] = field(default_factory=dict)
    ops: dict[str, int] = field(default_factory=dict)
    odd: list[dict] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)

    def check(self, ceiling_odd: int) -> list[str]:
        if len(self.odd) > ceiling_odd:
            return [f"effects with an incomplete or self target: {len(self.odd)} (ceiling {ceiling_odd})"]
        return []

    def json(self) -> dict:
        data = asdict(self)
        data["failures"] = [{"source": s, "error": e} for s, e in self.failures]
        return data

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.provisions.items(), key=lambda kv: -kv[1]))
        ops = ", ".join(f"{k} {v}" for k, v in sorted(self.ops.items(), key=lambda kv: -kv[1])) or "none"
        out = [f"files {self.files} ({len(self.failures)} failed); {self.with_provisions} with provisions, "
               f"{self.with_effects} stating effects",
               f"provisions: {kinds}", f"effects: {sum(self.ops.values())} ({ops})",
               f"effects with an incomplete or self target: {len(self.odd)}"]
        out += [f"  {Path(o['source']).name}  {o['why']}: {o['op']} {o['target_document']} {o['target']} | {o['text']!r}"
                for o in self.odd[: self.top]]
        out.append(f"provisions opening with a cue that stated no effect (to review): {len(self.unread)}")
        out += [f"  {Path(u['source']).name}  {u['source_path']}: {u['text']!r}" for u in self.unread[: self.top]]
        return out


def audit_effects(paths: Iterable[str | os.PathLike], jobs: int = 1, top: int = TOP) -> EffectsReport:
    report = EffectsReport(top)
    provisions, ops = Counter(), Counter()
    for a in _audits(paths, jobs, audit_effects_item):
        report.files += 1
        if a.error is not None:
            report.failures.append((a.source, a.error))
            continue
        provisions.update(dict(a.provisions))
        ops.update(dict(a.ops))
        report.with_provisions += bool(a.provisions)
        report.with_effects += bool(a.ops)
        report.odd += a.odd
        report.unread += a.unread
    report.provisions, report.ops = dict(provisions), dict(ops)
    return report
