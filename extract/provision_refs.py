"""Provisions named in running text: "điểm a, điểm b khoản 2 Điều 10", "khoản 3 Mục 1 Phụ lục VIII", "Điều 5,
Điều 96", "từ Điều 5 đến Điều 9". Read by amending instructions (extract.effects) and by citations (the provisions
cited with a document). Unit names, their levels and what holds what are data (extract/data/provisions.toml).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from legalkg.extract.vocab import alternation, data, starts_with_one_of

def spaced(words) -> str:
    """A regex alternation of the words, longest first, whose spaces match any run of white space (a phrase may
    break across lines: "Sửa đổi,\nbổ sung")."""
    return alternation(words).replace("\\ ", r"\s+")


LABEL = r"(?<![\wđ])(?:\d{1,3}(?:\.\d{1,2})?(?:[a-zđA-Z]|-[A-Za-zđ]{1,3})?|[IVXLC]{1,6}[a-zđ]?|[a-zđ])(?![\wđ])"
LABEL_RE = re.compile(LABEL)
LIST_JOIN = r"\s*(?:,|và|hoặc)\s*(?:(?P=unit)\s+(?:số\s*)?)?"  # "điểm c, điểm d và đ": one unit


@dataclass
class Ref:
    """A provision named in an instruction, innermost step first while it is being read."""

    steps: list[tuple[str, str]]
    op: str | None
    part: str | None
    start: int
    end: int
    closed: bool = False
    cited: bool = False  # "theo quy định tại khoản 2 Điều 5": named as a source, not as what changes


@cache
def _unit_ref() -> re.Pattern:
    names = {n: kind for kind, u in unit_table().items() for n in u["names"]}
    unit = rf"(?:{spaced(names)})"
    labels = rf"(?P<labels>{LABEL}(?:{LIST_JOIN}{LABEL})*)"
    title = spaced(data("provisions.toml")["title"])
    first = starts_with_one_of([*names, *data("provisions.toml")["title"]])
    return re.compile(rf"{first}(?<![\wđ])(?P<title>(?:{title})\s+)?(?P<unit>{unit})(?:\s+(?:số\s*)?{labels})?"
                      rf"(?![\wđ])", re.I)


@cache
def unit_table() -> dict[str, dict]:
    return {u["kind"]: u for u in data("provisions.toml")["unit"]}


@cache
def unit_names() -> tuple[str, ...]:
    """Every unit's names, as provisions.toml gives them ("khoản", "phụ lục", "mẫu số" …)."""
    return tuple(n for u in unit_table().values() for n in u["names"])


@cache
def _unit_names() -> tuple[str, ...]:
    return tuple(n.casefold() for n in unit_names())


@cache
def kind_of_name() -> dict[str, str]:
    """casefolded unit name -> its kind ("khoản" -> "khoan")."""
    return {n.casefold(): kind for kind, u in unit_table().items() for n in u["names"]}


@cache
def _names_a_unit() -> re.Pattern:
    return re.compile(rf"\s*(?:các\s+)?(?:{spaced(unit_names())})(?![\wđ])", re.I)


@cache
def _names_a_provision() -> re.Pattern:
    return re.compile(rf"\s*(?:{spaced(unit_names())})\s+(?:số\s*)?{LABEL}",
                      re.I)


def names_a_provision(text: str, at: int) -> bool:
    """Whether a provision ("Khoản 2", "Điều 9", "Phụ lục I") is named at `at`, after spaces: a unit's name and its
    label ("Điều kiện …" is no provision)."""
    return _names_a_provision().match(text, at) is not None


def names_a_unit(text: str, at: int) -> bool:
    """Whether a unit's name ("Phụ lục", "Mẫu số" …) stands at `at`, after spaces."""
    return _names_a_unit().match(text, at) is not None


def read(masked: str, op_at: Callable[[int], str | None] = lambda at: None,
         cited_at: Callable[[int], bool] = lambda at: False) -> list[Ref]:
    """The provisions a text names, in reading order, each with its steps innermost first while read: "điểm a,
    điểm b khoản 2 Điều 10" is two references, a and b, each in khoản 2 of Điều 10. `op_at` and `cited_at` say,
    for a position, which change applies there and whether what is named there is cited rather than changed."""
    table = unit_table()
    out: list[Ref] = []
    pending_title: str | None = None
    for m in _unit_ref().finditer(masked):
        title, unit, raw_labels = m.group("title", "unit", "labels")
        start, end = m.span()
        kind = _kind_of_unit(unit)
        if raw_labels and unit.isupper() and "\n" in masked[m.end("unit"):m.start("labels")]:
            continue  # "DANH MỤC ⏎ 1. …": a heading in capitals, then a numbered line, names no Mục 1
        labels = _labels(raw_labels, kind)
        op = op_at(start)
        if masked[end:end + 12].lstrip().startswith("này"):
            out = [r for r in out if r.closed]  # "khoản 2 Điều này": the document's own, not a provision named
            continue
        if not labels and title:
            pending_title = kind
            continue
        if not labels and kind in ("phu_luc",):
            labels = [""]
        if not labels:
            continue
        if pending_title == kind:
            out.append(Ref([(kind, labels[0])], op, "title", start, end))
            pending_title = None
        _attach(out, kind, labels, op, "title" if title else None, start, end, table, masked, cited_at(start))
    _complete_from_later(out, table)
    return out


def _complete_from_later(refs: list[Ref], table) -> None:
    """"Bãi bỏ khoản 1; điểm c khoản 2; … khoản 7 Điều 6": items below an article that name none take the article
    (and what lies between) of the next item that does."""
    article = table["dieu"]["level"]
    for i, r in enumerate(refs):
        top = table[r.steps[-1][0]]
        if top["family"] != "body" or top["level"] >= article:
            continue
        for later in refs[i + 1:]:
            outer = [s for s in later.steps if table[s[0]]["family"] == "body" and top["level"] < table[s[0]]["level"] <= article]
            if any(table[k]["level"] == article for k, _ in outer):
                r.steps += outer
                break


def _labels(raw: str | None, kind: str) -> list[str]:
    return list(_labels_of(raw, kind)) if raw else []


@lru_cache(maxsize=4096)
def _labels_of(raw: str, kind: str) -> tuple[str, ...]:
    found = LABEL_RE.findall(raw)
    if kind == "diem":
        return tuple(label.lower() for label in found if len(label) == 1)
    return tuple(label.lower() for label in found if not (len(label) == 1 and label.isalpha() and label.islower()))


@lru_cache(maxsize=1024)
def _kind_of_unit(unit: str) -> str:
    """The kind of a unit's name as matched ("Khoản", "phụ\nlục")."""
    return kind_of_name()[" ".join(unit.split()).casefold()]


def _attach(out: list[Ref], kind, labels, op, part, start, end, table, masked, cited: bool) -> None:
    """A unit reference either contains the open references before it ("khoản 1" after "điểm a, điểm b"), or
    starts new ones."""
    unit = table[kind]
    open_refs = [r for r in out if not r.closed]
    last = open_refs[-1] if open_refs else None
    contains = last is not None and _holds(unit, last, table) and ";" not in masked[last.end:start]
    if contains:
        for r in open_refs:
            if _holds(unit, r, table):
                # an unnumbered Phụ lục is no step of its forms' paths ("Mẫu số 14a"), nor a Mục or Chương of an
                # article's ("Điều 9a … Mục 3": an article's path starts at the article)
                if labels[0] and not (unit["family"] == "body" and any(k == "dieu" for k, _ in r.steps)):
                    r.steps.append((kind, labels[0]))
                r.end = end
        out += [Ref([(kind, label)], op, part, start, end, cited=open_refs[-1].cited)
                for label in labels[1:]]  # "điểm a khoản 1, khoản 3"
        return
    same_level = (last is not None and table[last.steps[0][0]]["level"] == unit["level"]
                  and table[last.steps[-1][0]]["level"] == unit["level"] and ";" not in masked[last.end:start])
    if not same_level:
        for r in open_refs:
            r.closed = True
    for label in labels:
        out.append(Ref([(kind, label)], op, part, start, end, cited=cited))


def _holds(outer: dict, ref: Ref, table) -> bool:
    """Whether a unit can hold what a reference names so far: a higher level of its family, or an appendix its own
    sections ("khoản 3 Mục 1 Phụ lục VIII"), though never an article ("Điều 7 và Phụ lục V" are two)."""
    inner = table[ref.steps[-1][0]]
    if outer["family"] == inner["family"]:
        return inner["level"] < outer["level"]
    return outer.get("holds_any", False) and all(kind != "dieu" for kind, _ in ref.steps)


SENTENCE_BREAK = re.compile(r"[.;:!?]\s|\n\s*\n")
RANGE = re.compile(r"(?<![\wđ])từ\s+(?P<unit>điều|khoản|điểm|mục|chương)\s+(?P<first>\d{1,3})\s+đến\s+(?:(?P=unit)\s+)?"
                   r"(?P<last>\d{1,3})(?![\wđ])", re.I)
RANGE_MOST = 50  # a range wider than this is a misreading, not a list of provisions
JOINED = re.compile(r"[\s,;]*(?:(?:và|hoặc)[\s,]*)?")
LEADS_TO_DOCUMENT = re.compile(r"\s*(?:(?:của|tại|theo)\s+)?(?:(?:ban hành\s+)?kèm theo\s+)?$", re.I)
ENDS_WITH_LABEL = re.compile(r"(?:\d|[IVXLC]|(?<![\wđ])[a-zđ])(?:[a-zđA-Z]|-[A-Za-zđ]{1,3})?[\s,;)]*"
                             r"(?:(?:của|tại|theo)\s+)?(?:(?:ban\s+hành\s+)?kèm(?:\s+theo)?\s+)?$")
# ENDS_WITH_LABEL read backwards, matched at the start of the reversed tail: one attempt instead of a search that
# tries every offset of the tail for a match that must reach its end (tests/test_provision_refs.py checks that the
# two agree)
LABEL_AT_END_REVERSED = re.compile(r"\n?(?:\s+(?:oeht\s+)?mèk(?:\s+hnàh\s+nab)?)?(?:\s+(?:aủc|iạt|oeht))?[\s,;)]*"
                                   r"(?:[a-zđA-Z]|[A-Za-zđ]{1,3}-)?(?:\d|[IVXLC]|[a-zđ](?![\wđ]))")
TAIL = 60  # characters before a mention in which the name and label of a provision named with it must stand
LOOK_NEAR = 100  # the first, short look back
LOOK_BACK = 300  # characters before a document mention searched for the provisions named with it


def named_before(text: str, at: int) -> list[tuple[str, ...]]:
    """The provisions named right before a document mention at `at` ("khoản 2 Điều 5 Nghị định số 61/2018/NĐ-CP",
    "Điều 5, Điều 96 của Nghị định 17/2023", "từ Điều 5 đến Điều 9 của …"), as paths, outer unit first."""
    return _chain_before(text, at)[1]


def _chain_before(text: str, at: int) -> tuple[int, list[tuple[str, ...]]]:
    """(where the chain of provisions ending right before `at` starts, their paths)."""
    tail = text[max(0, at - TAIL):at]
    if not ends_with_label(tail) or not _names_a_unit_word(tail.lower()):
        return at, []  # most mentions follow no provision: a quick look at their last words says so
    for reach in (LOOK_NEAR, LOOK_BACK):  # a short look first: a long chain of provisions is rare
        found = _chain_within(text, at, reach)
        if found is not None:
            return found
    return at, []


def _names_a_unit_word(lowered: str) -> bool:
    return any(name in lowered for name in _unit_names())


def ends_with_label(tail: str) -> bool:
    """ENDS_WITH_LABEL.search(tail), answered from the tail's end."""
    return LABEL_AT_END_REVERSED.match(tail[::-1]) is not None


def _chain_within(text: str, at: int, reach: int) -> tuple[int, list[tuple[str, ...]]] | None:
    """_chain_before over the `reach` characters before `at`; None when the chain may run on before them."""
    start = max(0, at - reach)
    breaks = [m.end() for m in SENTENCE_BREAK.finditer(text, start, at)]
    cut = not breaks and start > 0 and reach < LOOK_BACK
    start = breaks[-1] if breaks else start
    window = text[start:at]
    spelled = _ranges_spelled_out(window)
    refs = read(spelled)
    if not refs or not LEADS_TO_DOCUMENT.fullmatch(spelled, max(r.end for r in refs)):
        return at, []
    chain = [refs[-1]]
    for r in reversed(refs[:-1]):
        if r.end >= chain[-1].start or JOINED.fullmatch(spelled, r.end, chain[-1].start):
            chain.append(r)
        else:
            break
    if cut and JOINED.fullmatch(spelled, 0, min(r.start for r in chain)):
        return None  # the chain reaches the window's edge: look further back
    first = start + min(r.start for r in chain) if spelled is window else at - len(window.lstrip())
    return first, [tuple(f"{k}:{label}" for k, label in reversed(r.steps)) for r in reversed(chain)]


def _ranges_spelled_out(window: str) -> str:
    """"từ Điều 5 đến Điều 9" as "Điều 5, 6, 7, 8, 9"."""
    def spelled(m: re.Match) -> str:
        first, last = int(m["first"]), int(m["last"])
        if not 0 < last - first <= RANGE_MOST:
            return " " * len(m.group())  # a misread range names nothing for sure
        return f"{m['unit']} " + ", ".join(str(n) for n in range(first, last + 1))

    return RANGE.sub(spelled, window) if "đến" in window else window


UNIT_LABEL_AT_END = re.compile(r"(?:\d{1,3}[a-zđ]?|[a-zđ])\s*$")
UNIT_NAME_MOST = 12  # characters of the longest unit name and its space before "này"



@dataclass(frozen=True)
class Within:
    """A provision of the document named from inside it ("khoản 1 Điều này", "Điều này"): where, and its paths."""

    start: int
    end: int
    paths: tuple[tuple[str, ...], ...]


def named_within(text: str, provisions, start: int = 0, end: int | None = None) -> list[Within]:
    """"khoản 1 Điều này", "điểm a khoản này", "Điều này": provisions of the document itself, named relative to the
    provision the words stand in (`provisions`: extract.structure Headings, with spans in `text`)."""
    by_kind: dict[str, list] = {}
    for h in provisions:
        by_kind.setdefault(h.kind, []).append(h)
    out = []
    for m in _units_itself(text, start, len(text) if end is None else end):
        kind = kind_of_name().get(" ".join(m["unit"].split()).casefold())
        container = _containing(by_kind.get(kind, ()), m.start())
        if container is None:
            continue
        first, before = _chain_before(text, m.start()) if _ends_with_unit(text, m.start()) else (m.start(), [])
        paths = [_relative(container, p) for p in before] or [container.path]
        out.append(Within(first, m.end(), tuple(paths)))
    return out


def _relative(container, path: tuple[str, ...]) -> tuple[str, ...]:
    """A path named before "… này" inside `container`: "khoản 2 Điều này" is the container's khoản 2; "khoản 1 Điều 2"
    (the chain's other item) stands on its own; "Điều 2 Chương này" is Điều 2, whose path starts at the article."""
    table = unit_table()
    level = table[container.kind]["level"]
    steps = list(path)
    if any(table[s.split(":")[0]]["level"] >= level for s in steps):
        return tuple(steps)
    if any(s.startswith("dieu:") for s in steps):
        return tuple(steps[[s.split(":")[0] for s in steps].index("dieu"):])
    return container.path + tuple(steps)


@cache
def _unit_itself() -> re.Pattern:
    """"khoản này", "Điều này": a unit's name (provisions.toml) and "này"."""
    return re.compile(rf"(?<![\wđ])(?P<unit>{spaced(_unit_names())})\s+này(?![\wđ])", re.I)


def _units_itself(text: str, start: int, end: int):
    """_unit_itself's matches, found from the word "này" (a plain search, far quicker than the pattern's over a text)."""
    at = text.find("này", start, end)
    while at >= 0:
        m = _unit_itself().search(text, max(start, at - UNIT_NAME_MOST), min(end, at + 3))
        if m is not None and m.end() == at + 3:
            yield m
        at = text.find("này", at + 3, end)


def _containing(headings, at: int):
    """The innermost of `headings` (one kind, in text order, nested only across kinds) holding offset `at`."""
    i = bisect.bisect_right(headings, at, key=lambda h: h.start)
    return headings[i - 1] if i and headings[i - 1].end > at else None


def _ends_with_unit(text: str, at: int) -> bool:
    return bool(UNIT_LABEL_AT_END.search(text[max(0, at - 8):at]))
