"""The official footnotes of the consolidated texts (extract.footnotes) as a key for the effects extractor: each
footnote says that provision P of the base document was amended, inserted, repealed … by provision S of document D.
When D is in the corpus, its extracted effects should say so too: same target document (the consolidated text's
base), same target path, same op.

Op equivalence allowed, one: a footnote's amend = the amending text's replace_words on the same provision. The
consolidating office prints "Khoản này được sửa đổi, bổ sung" over a khoản whose instruction is headed that way
while its body only replaces words, which the key codes replace_words (13/2026/TT-NHNN Điều 6.1, "Sửa đổi, bổ sung
khoản 2 như sau: Thay thế cụm từ …", gold/effects-dev/NOTES.md). Not the reverse: where a footnote says words were
replaced and the extractor says the provision was amended, the texts read so far say words ("8. Sửa đổi cụm từ
“Ban Biên tập Truyền hình cáp” tại khoản 5 Điều 10 thành cụm từ “…”", 12/2024/TT-BLĐTBXH; "2. Sửa đổi nội dung
“…”", ibid.), and the extractor is wrong. No other pair: amend and insert disagree on whether the provision was there
before, and a replaced form ("Mẫu này được thay thế") is not an amended one. A title-only amendment against a
whole-unit one is reported apart (other_part).

Each corpus file is extracted once per run (the number of every document is needed to find the amending ones); that
extraction is nearly all the time the measure takes, and `jobs` spreads it over processes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from legalkg.extract.footnotes import FootnoteEffect, base_document, consolidated_effects, consolidates
from legalkg.extract.jsonout import effect_json
from legalkg.extract.layout import find_layout
from legalkg.extract.pipeline import extract_file, iter_files
from legalkg.extract.structure import find_provisions
from legalkg.extract.text import ExtractError, read_source
from legalkg.extract.vocab import CONSOLIDATED_TYPE

NOTE_SHOWN = 160  # characters of a footnote's text in a misses line
EQUIVALENT_OPS = frozenset({("amend", "replace_words")})  # (footnote's op, amending text's op)
VERDICTS = ("agree", "other_part", "other_op", "whole_document", "coarser", "holder_differs", "finer", "absent",
            "base_not_named")
AGREEING = ("agree", "whole_document", "coarser")  # stated of the provision, of a unit holding it, or of the whole
VERDICT_WORDS = {
    "agree": "agrees",
    "other_part": "same provision and op, but one says its title only",
    "other_op": "same provision, other op",
    "whole_document": "the amending text states it of the whole document, not provision by provision",
    "coarser": "the amending text changes so the whole unit that holds it",
    "holder_differs": "the amending text changes a unit that holds it otherwise (its title, another op)",
    "finer": "the amending text names units inside it",
    "absent": "the amending text's effects on the base name no such provision",
    "base_not_named": "the amending text's effects never name the base document",
}


@dataclass(frozen=True)
class Indexed:
    """What one extraction of a corpus file gives the measure: its number, type and (by default) effects."""

    path: Path
    key: str | None
    consolidated: bool  # typed so, or consolidating a document by its own statement (footnotes.consolidates)
    effects: tuple[dict, ...] | None  # None when effects_of is the caller's


@dataclass(frozen=True)
class Check:
    """One footnote effect against the amending document's extracted effects."""

    vbhn: str
    effect: FootnoteEffect
    base: str | None
    amending_file: str
    verdict: str
    equivalent: bool  # agreed only through an op equivalence (EQUIVALENT_OPS)
    source_right: bool
    stated: tuple[str, ...]  # the amending text's effects on the same article of the base, as "op path ← source"
    from_source: tuple[str, ...]  # its effects stated by the provision the footnote cites, on any document

    def line(self) -> str:
        e = self.effect
        note = e.note if len(e.note) <= NOTE_SHOWN else e.note[: NOTE_SHOWN - 1] + "…"
        target = "/".join(e.target) or "(whole)"
        said = "; ".join(self.stated) or "nothing on this article"
        cited = "; ".join(self.from_source) or "nothing"
        return (f"{self.vbhn} fn{e.number} {e.op} {target}{' (title)' if e.part else ''} ← {e.amending_document} "
                f"{'/'.join(e.amending_source) or '?'} [{self.verdict}] | {note} | amending text says: {said} | "
                f"its {'/'.join(e.amending_source) or '?'} states: {cited}")


@dataclass
class VbhnCounts:
    footnote_effects: int = 0  # read from the footnotes
    checkable: int = 0  # whose amending document is in the corpus
    agreed: int = 0


@dataclass
class AgreementReport:
    checks: list[Check] = field(default_factory=list)
    per_vbhn: dict[str, VbhnCounts] = field(default_factory=dict)
    footnote_effects: int = 0
    without_document: int = 0  # footnote effects that name no amending document
    amending_absent: Counter = field(default_factory=Counter)  # amending keys not in the corpus -> footnote effects

    @property
    def checkable(self) -> int:
        return len(self.checks)

    @property
    def agreed(self) -> int:
        """Stated exactly, or for a unit holding the footnote's provision or the whole document (an amending text
        that rewrites Điều 5, or replaces a phrase "trong các điều, khoản", states it for khoản 2 of Điều 5)."""
        return sum(c.verdict in AGREEING for c in self.checks)

    @property
    def exact(self) -> int:
        return sum(c.verdict == "agree" for c in self.checks)

    @property
    def share(self) -> float:
        return self.agreed / self.checkable if self.checkable else 0.0

    @property
    def equivalent(self) -> int:
        return sum(c.verdict == "agree" and c.equivalent for c in self.checks)

    @property
    def source_right(self) -> int:
        return sum(c.verdict == "agree" and c.source_right for c in self.checks)

    def verdicts(self) -> Counter:
        return Counter(c.verdict for c in self.checks)

    def misses(self) -> list[str]:
        return [c.line() for c in self.checks if c.verdict not in AGREEING]

    def lines(self, verbose: bool = False) -> list[str]:
        v = self.verdicts()
        out = [f"{'footnote effects':<22} {self.footnote_effects} in {len(self.per_vbhn)} consolidated texts "
               f"({self.without_document} name no amending document; "
               f"{sum(self.amending_absent.values())} name one the corpus lacks)",
               f"{'agreement':<22} {self.share:.3f} of {self.checkable} whose amending document is in the corpus "
               f"({self.exact} on the same provision, {self.agreed - self.exact} on a unit holding it or the whole "
               f"document; {self.equivalent} through an op equivalence; source path also right in {self.source_right})"]
        out += [f"  {VERDICT_WORDS[k]:<62} {v[k]}{' (agreeing)' if k in AGREEING else ''}" for k in VERDICTS[1:] if v[k]]
        for name, n in self.per_vbhn.items():
            if n.checkable:
                out.append(f"  {name:<66} {n.agreed}/{n.checkable} agree ({n.footnote_effects} footnote effects)")
        if verbose:
            out += [f"  {m}" for m in self.misses()]
        return out


def agreement(corpus: Path, effects_of: Callable[[Path], list[dict]] | None = None, *,
              jobs: int = 1) -> AgreementReport:
    """How many footnote effects of the corpus's consolidated texts the amending documents' effects also state."""
    corpus = Path(corpus)
    index = build_index(iter_files([corpus]), with_effects=effects_of is None, jobs=jobs)
    by_key: dict[str, Indexed] = {}
    for item in index:
        if item.key:
            by_key.setdefault(_plain_key(item.key), item)
    stated = _effects_reader(effects_of)
    report = AgreementReport()
    for item in index:
        if item.consolidated:
            _check_consolidated(report, corpus, item, by_key, stated)
    return report


def build_index(paths: Iterable[Path], with_effects: bool, jobs: int = 1) -> list[Indexed]:
    """Each file extracted once: in this process, or over `jobs` processes."""
    paths = list(paths)
    if jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(_indexed, paths, [with_effects] * len(paths), chunksize=8))
    return [_indexed(p, with_effects) for p in paths]


def _indexed(path: Path, with_effects: bool) -> Indexed:
    try:
        doc = extract_file(path)
        consolidated = doc.ref.type == CONSOLIDATED_TYPE or _consolidates(path)
    except (ExtractError, OSError):
        return Indexed(path, None, False, None)
    effects = tuple(effect_json(e) for e in doc.effects) if with_effects else None
    return Indexed(path, doc.ref.key, consolidated, effects)


def _consolidates(path: Path) -> bool:
    """A consolidated text typed otherwise (a law's consolidation printed without its own number)."""
    text = read_source(path).text
    return consolidates(text, find_layout(text))


def _effects_reader(effects_of: Callable[[Path], list[dict]] | None) -> Callable[[Indexed], list[dict]]:
    """The amending document's effects: from the index (the default), or the caller's function, asked once a file."""
    if effects_of is None:
        return lambda item: list(item.effects or ())
    seen: dict[Path, list[dict]] = {}

    def read(item: Indexed) -> list[dict]:
        if item.path not in seen:
            seen[item.path] = list(effects_of(item.path))
        return seen[item.path]

    return read


def _check_consolidated(report: AgreementReport, corpus: Path, item: Indexed, by_key: dict[str, Indexed],
                        stated: Callable[[Indexed], list[dict]]) -> None:
    text = read_source(item.path).text
    layout = find_layout(text)
    base = base_document(text, layout)
    effects = consolidated_effects(text, layout, find_provisions(text, layout))
    name = _name(corpus, item.path)
    counts = report.per_vbhn.setdefault(name, VbhnCounts())
    counts.footnote_effects += len(effects)
    report.footnote_effects += len(effects)
    for effect in effects:
        if not effect.amending_document:
            report.without_document += 1
            continue
        amending = by_key.get(_plain_key(effect.amending_document))
        if amending is None:
            report.amending_absent[effect.amending_document] += 1
            continue
        check = judge(name, effect, base, _name(corpus, amending.path), stated(amending))
        report.checks.append(check)
        counts.checkable += 1
        counts.agreed += check.verdict == "agree"


def judge(vbhn: str, effect: FootnoteEffect, base: str | None, amending_file: str, effects: list[dict]) -> Check:
    """The verdict on one footnote effect, given the amending document's effects (the JSON contract)."""
    on_base = [e for e in effects if base and _plain_key(e["target_document"] or "") == _plain_key(base)]
    target = comparable(effect.target)
    same = [e for e in on_base if comparable(e["target"]) == target]
    same_op = [e for e in same if ops_agree(effect.op, e["op"])]
    agreeing = [e for e in same_op if (e["part"] or None) == effect.part]
    if agreeing:
        verdict = "agree"
    elif same_op:
        verdict = "other_part"
    elif same:
        verdict = "other_op"
    elif any(not e["target"] and ops_agree(effect.op, e["op"]) for e in on_base):
        verdict = "whole_document"
    elif any(_holds(comparable(e["target"]), target) and (e["part"] or None) is None and ops_agree(effect.op, e["op"])
             for e in on_base):
        verdict = "coarser"  # the whole unit holding it changed so (a new title alone holds nothing)
    elif any(_holds(comparable(e["target"]), target) for e in on_base):
        verdict = "holder_differs"
    elif any(_holds(target, comparable(e["target"])) for e in on_base):
        verdict = "finer"
    else:
        verdict = "absent" if on_base else "base_not_named"
    source_right = any(tuple(e["source"]) == effect.amending_source for e in agreeing)
    equivalent = bool(agreeing) and all(e["op"] != effect.op for e in agreeing)
    cited = [e for e in effects if effect.amending_source and tuple(e["source"]) == effect.amending_source]
    return Check(vbhn, effect, base, amending_file, verdict, equivalent, source_right, _said(on_base, effect.target),
                 tuple(_said_one(e, with_document=True) for e in cited))


def ops_agree(footnote_op: str, stated_op: str) -> bool:
    return footnote_op == stated_op or (footnote_op, stated_op) in EQUIVALENT_OPS


def comparable(path) -> tuple[str, ...]:
    """A path as both sides may print it: labels without leading zeros or hyphens ("mau:04-a" = "mau:4a"), and no
    step for an appendix printed without a number ("phu_luc:", as gold/effects-dev/NOTES.md allows)."""
    out = []
    for step in path:
        kind, _, label = step.partition(":")
        if label:
            label = label.lower().replace('-', '')
            out.append(f"{kind}:{_roman(label) or label.lstrip('0') or '0'}")
    return tuple(out)


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(label: str) -> str | None:
    """"iv" as "4": a Chương or Phụ lục printed "Chương IV" on one side and "Chương 4" on the other."""
    if not label or any(ch not in ROMAN for ch in label) or label in ("c", "l"):
        return None
    total = 0
    for ch, nxt in zip(label, label[1:] + " "):
        value = ROMAN[ch]
        total += -value if nxt != " " and ROMAN.get(nxt, 0) > value else value
    return str(total)


def _holds(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return len(outer) < len(inner) and inner[: len(outer)] == outer and bool(outer)


def _said(on_base: list[dict], target: tuple[str, ...]) -> tuple[str, ...]:
    """The amending text's effects on the target's article (or whatever its first step is)."""
    near = [e for e in on_base if target and tuple(e["target"][:1]) == target[:1]]
    return tuple(_said_one(e) for e in near)


def _said_one(e: dict, with_document: bool = False) -> str:
    where = f"{e['target_document']} " if with_document else ""
    return (f"{e['op']} {where}{'/'.join(e['target']) or '(whole)'}{' (title)' if e['part'] else ''} ← "
            f"{'/'.join(e['source'])}")


def _plain_key(key: str) -> str:
    return "".join(key.split()).upper()


def _name(corpus: Path, path: Path) -> str:
    try:
        return path.relative_to(corpus).as_posix()
    except ValueError:
        return os.fspath(path)
