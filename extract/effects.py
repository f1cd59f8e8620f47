"""What an amending document does to other documents, provision by provision: its instructions ("1. Sửa đổi, bổ sung
điểm c, điểm d khoản 1 Điều 9 như sau:", "Điều 7. Bãi bỏ Điều 9.", "Thay thế cụm từ “…” bằng cụm từ “…” tại …")
read into effects: op, target document, target provision path, source provision path, words.

An instruction is the opening sentence of one of the document's own provisions (extract.structure): an article's
heading, a numbered or lettered item. An item whose own sub-items carry instructions is a chapeau: it names the
document and the article its items speak of, and states no effect itself. When the sentence after an item's heading
is itself an instruction ("… như sau: Thay thế cụm từ …"), that sentence is the operative one. Cue words, unit names
and what they mean are data (extract/data/effects.toml, provisions.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Callable

from legalkg.extract import provision_refs as R
from legalkg.extract.structure import QUOTE_CLOSES, QUOTE_OPENS, Heading
from legalkg.extract.vocab import alternation, data

INSTRUCTION_KINDS = ("dieu", "khoan", "diem", "tiet")
LIST_AFTER_CUE = re.compile(r"\s*(?:(?:các|một số|những)\s+[^:,;.]{0,40}?\s*(?:sau đây|sau|như sau)\s*)?:\s*")
INSTRUCTION_MOST = 800  # characters: an instruction sentence longer than this has lost its end
ITEM_LABEL = re.compile(r"[ \t*#_|>]*(?:Điều[ \t]+\d{1,3}[a-zđ]?[ \t*]*[.:]|\d{1,3}\.(?!\d)|[a-zđ]\)|[a-zđ]\.\d{1,2}\))[ \t*]*")
QUOTED = re.compile(rf"[{QUOTE_OPENS}][^{QUOTE_OPENS}{QUOTE_CLOSES}]*[{QUOTE_CLOSES}]")
PARENTHESIS = re.compile(r"\([^()]*\)")
SENTENCE_END = re.compile(r"(?:như sau|sau đây)[ \t]*:|[.:][ \t*]*$", re.M)
WAITS_FOR_WORDS = re.compile(r"(?:cụm từ|từ|bằng)[ \t*]*$", re.I)  # a line that ends so goes on with a quotation
CONTINUES_HEADING = re.compile(r"[ \t]*[a-zđà-ỹ0-9(]")


@dataclass(frozen=True)
class Cited:
    """A document named in the text (offsets in the normalised text): its key, or None for the document itself."""

    start: int
    end: int
    key: str | None


@dataclass(frozen=True)
class FoundEffect:
    op: str
    target_document: str
    target: tuple[str, ...]
    part: str | None
    source: tuple[str, ...]
    words: tuple[str | None, str | None] | None
    start: int
    end: int


@dataclass(frozen=True)
class _Reading:
    """What one instruction sentence says."""

    refs: tuple[tuple[tuple[str, ...], str | None, str | None, str | None], ...]  # (path, op, part, document)
    words: tuple[str | None, str | None] | None
    first_op: str | None
    documents: tuple[str, ...]  # other documents named (the first is what a chapeau hands its items)
    opens_list: bool = False  # "… bãi bỏ:": its items name what the cue applies to, without a cue of their own


_NOTHING = _Reading((), None, None, ())


@dataclass(frozen=True)
class _Context:
    """What the chapeaux above an item tell it: the document, the provision and the op they speak of."""

    document: str | None = None
    path: tuple[str, ...] = ()
    op: str | None = None


@cache
def _cues() -> dict:
    return data("effects.toml")


@cache
def _op_cue() -> re.Pattern:
    ops = {w: op for op, words in _cues()["ops"].items() for w in words}
    after = {w: op for op, words in _cues()["after"].items() for w in words}
    return re.compile(rf"(?<![\wđ])(?:(?P<after>{alternation(after)})|(?P<op>{alternation(ops)}))(?![\wđ])", re.I)


@cache
def _after_cue() -> re.Pattern:
    return re.compile(rf"(?<![\wđ])(?:{alternation(w for words in _cues()['after'].values() for w in words)})(?![\wđ])", re.I)


@cache
def _op_of() -> dict[str, str]:
    table = {w.casefold(): op for op, words in _cues()["ops"].items() for w in words}
    return table | {w.casefold(): op for op, words in _cues()["after"].items() for w in words}


@cache
def _words_cue() -> re.Pattern:
    w = _cues()["words"]
    return re.compile(rf"(?<![\wđ])(?P<cue>{alternation(w['swap'] + w['strike'] + w['add'])})[ \t]+"
                      rf"(?:{alternation(w['phrase'])})[ \t]*(?=[{QUOTE_OPENS}])", re.I)


@cache
def _position() -> re.Pattern:
    unit = alternation(n for u in R.unit_table().values() for n in u["names"])
    return re.compile(rf"(?<![\wđ])(?:{alternation(_cues()['position']['words'])})[ \t]+(?:{unit})[ \t]+(?:số[ \t]*)?{R.LABEL}",
                      re.I)


@cache
def _cites_before() -> re.Pattern:
    return re.compile(rf"(?<![\wđ])(?:{alternation(_cues()['cited']['words'])})\s+$", re.I)


@cache
def _by() -> re.Pattern:
    return re.compile(rf"(?<![\wđ])(?:{alternation(_cues()['words']['by'])})(?![\wđ])", re.I)


def find_effects(text: str, provisions: list[Heading], cited: list[Cited], default_document: str | None,
                 skip: Callable[[int], bool] = lambda at: False) -> list[FoundEffect]:
    """The effects the document's own provisions state, in text order."""
    own = [p for p in provisions if p.kind in INSTRUCTION_KINDS]
    children: dict[tuple, list[Heading]] = {}
    for p in own:
        children.setdefault(p.parent, []).append(p)
    readings: dict[tuple, tuple] = {}
    for p in own:  # parents before their items
        in_list = _lists(readings.get(p.parent))
        readings[p.path] = _read_provision(text, p, children.get(p.path, []), cited, skip, in_list)
    contexts: dict[tuple, _Context] = {}
    out = []
    for p in own:
        base = contexts.get(p.parent) or _Context(default_document)
        sentence, reading = readings[p.path]
        if reading is None:
            contexts[p.path] = base
            continue
        if any(readings[k.path][1] is not None for k in children.get(p.path, [])):  # a chapeau
            contexts[p.path] = _narrow(base, reading)
            continue
        contexts[p.path] = base
        out += _effects(p, sentence, reading, base)
    return out


def _lists(parent) -> bool:
    return parent is not None and parent[1] is not None and parent[1].opens_list


def _read_provision(text, p: Heading, kids: list[Heading], cited, skip, in_list: bool):
    """(sentence span, reading) of the provision's instruction, or (span, None) when it states none. Only a
    sentence that opens with a cue, ends in an `after` cue or is an item of a list is read (most are not)."""
    own_end = kids[0].start if kids else p.end
    label = ITEM_LABEL.match(text, p.start)
    start = label.end() if label else p.start
    end = _sentence_end(text, start, own_end, p.kind == "dieu", skip)
    heading = _read(text, start, end, cited) if in_list or _may_instruct(text, start, end) else _NOTHING
    if heading.first_op is None and heading.refs:  # an item of a list ("a) Khoản 1 Điều 1 Thông tư số …")
        listed = tuple(r for r in heading.refs if r[3]) if in_list else ()
        heading = replace(heading, refs=listed)
    body = _next_sentence(text, end, own_end, skip)
    if body is not None:
        b_end = _sentence_end(text, body, own_end, False, skip)
        operative = _read(text, body, b_end, cited)
        if operative.first_op and not _starts_with_quote(text, body):
            merged = _Reading(operative.refs or _with_op(heading.refs, operative.first_op), operative.words,
                              operative.first_op, operative.documents or heading.documents)
            return (p.start, b_end), merged
    if heading.first_op is None and not heading.refs:
        return (p.start, end), None
    return (p.start, end), heading


def _may_instruct(text: str, start: int, end: int) -> bool:
    return bool(_op_cue().match(text, start) or _words_cue().match(text, start) or _after_cue().search(text, start, end)
                or text[start:end].rstrip().endswith(":"))


def _with_op(refs, op):
    return tuple((path, op, part, doc) for path, _, part, doc in refs)


def _starts_with_quote(text: str, at: int) -> bool:
    return text[at] in QUOTE_OPENS


def _sentence_end(text: str, start: int, limit: int, heading: bool, skip) -> int:
    """Where the instruction sentence that begins at `start` ends: "như sau:", a line ending in . : ;, a line that
    opens a quotation, an item or an instruction of its own; an article heading continues only on a line that
    begins in lower case (its title wrapped)."""
    pos = start
    while pos < limit:
        line_end = min(_line_end(text, pos), limit)
        m = SENTENCE_END.search(text, pos, line_end)
        if m:
            return m.end()
        nxt = _next_line(text, line_end, limit, skip)
        if nxt is None or nxt - start > INSTRUCTION_MOST:
            return line_end
        if heading and not CONTINUES_HEADING.match(text, nxt):
            return line_end
        if not heading and _opens_something(text, nxt) and not WAITS_FOR_WORDS.search(text, pos, line_end):
            return line_end
        pos = nxt
    return limit


def _opens_something(text: str, at: int) -> bool:
    return (text[at] in QUOTE_OPENS or bool(ITEM_LABEL.match(text, at) and ITEM_LABEL.match(text, at).end() > at)
            or _is_capital_instruction(text, at))


def _is_capital_instruction(text: str, at: int) -> bool:
    m = _op_cue().match(text, at)
    return bool(m) and text[at].isupper()


def _next_line(text: str, line_end: int, limit: int, skip) -> int | None:
    pos = line_end + 1
    while pos < limit:
        if skip(pos) or not text[pos:_line_end(text, pos)].strip():
            pos = _line_end(text, pos) + 1
            continue
        while text[pos] in " \t":
            pos += 1
        return pos
    return None


def _next_sentence(text: str, end: int, limit: int, skip) -> int | None:
    nxt = _next_line(text, end if text[end:end + 1] == "\n" else _line_end(text, end), limit, skip)
    if nxt is None:
        return None
    return nxt if _is_capital_instruction(text, nxt) else None


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _read(text: str, start: int, end: int, cited: list[Cited]) -> _Reading:
    s = text[start:end]
    quotes = [(m.start(), m.end(), m.group()[1:-1]) for m in QUOTED.finditer(s)]
    words = _words(s, quotes)
    masked = _mask(s, [(a, b) for a, b, _ in quotes])
    masked = _mask(masked, [m.span() for m in PARENTHESIS.finditer(masked)])
    masked = _mask(masked, [m.span() for m in _position().finditer(masked)])
    if words or _replaces(masked):
        by = _by().search(masked)
        if by and not words:
            masked = masked[:by.start()] + " " * (len(masked) - by.start())
    docs = [c for c in cited if start <= c.start < end and not masked[c.start - start].isspace()]
    for c in docs:
        masked = _mask(masked, [(c.start - start, min(c.end, end) - start)])
    cues = [(m.start(), _op_of()[m.group().casefold()], bool(m["after"])) for m in _op_cue().finditer(masked)]
    lead = len(masked) - len(masked.lstrip(" \t*"))
    if not (_op_cue().match(masked, lead) or _words_cue().match(s, lead) or _ends_list(masked, cues)):
        cues, words = [c for c in cues if c[2]], None  # a provision that only mentions changing something
    if words:  # "Bỏ cụm từ …" has no op cue of its own
        cues = sorted({(at, "replace_words", after) for at, _, after in cues} | {(_words_cue().search(s).start(), "replace_words", False)})
    refs = _refs(masked, cues)
    located = []
    for ref_group in _groups(refs):
        doc = _document_after(ref_group[-1].end, refs, docs, start, masked)
        for r in ref_group:
            located.append((tuple(f"{k}:{label}" for k, label in reversed(r.steps)), r.op, r.part, doc))
    first_op = next((op for _, op, after in cues if not after), None) or next((op for _, op, _ in cues), None)
    return _Reading(tuple(located), words, first_op, tuple(c.key or "" for c in docs), _ends_list(masked, cues))


def _ends_list(masked: str, cues) -> bool:
    """"Thông tư này bãi bỏ:", "Bãi bỏ các văn bản sau đây:": a cue that the colon opening a list follows."""
    return any(LIST_AFTER_CUE.fullmatch(masked, _cue_end(masked, at)) for at, op, after in cues
               if not after and op in _cues()["lists"]["ops"])


def _cue_end(masked: str, at: int) -> int:
    m = _op_cue().match(masked, at)
    return m.end() if m else at


def _replaces(masked: str) -> bool:
    m = _op_cue().search(masked)
    return bool(m) and _op_of()[m.group().casefold()] == "replace"


def _words(s: str, quotes) -> tuple[str | None, str | None] | None:
    m = _words_cue().search(s)
    if not m or not quotes:
        return None
    w = _cues()["words"]
    cue = m["cue"].casefold()
    after = [q for q in quotes if q[0] >= m.end() - 1]
    if not after:
        return None
    first = " ".join(after[0][2].split())
    if cue in map(str.casefold, w["swap"]):
        by = _by().search(s, after[0][1])
        second = next((q for q in after[1:] if by and q[0] >= by.end()), None)
        return first, " ".join(second[2].split()) if second else None
    if cue in map(str.casefold, w["strike"]):
        return first, None
    return None, first


def _mask(s: str, spans) -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _refs(masked: str, cues) -> list[R.Ref]:
    """Provision references in reading order; each takes the op of the last cue before it (or of an `after` cue
    that follows it); provisions named as a source ("theo quy định tại …") after a leading cue are left out."""
    def cited(at: int) -> bool:
        leading = any(pos < at and not after for pos, _, after in cues)  # "… tại X hết hiệu lực": X goes
        return leading and bool(_cites_before().search(masked, max(0, at - 30), at))

    return [r for r in R.read(masked, lambda at: _op_at(cues, at), cited) if not r.cited]


def _op_at(cues, at: int) -> str | None:
    before = [op for pos, op, after in cues if pos < at and not after]
    if before:
        return before[-1]
    later = [op for pos, op, after in cues if pos > at and after]
    return later[0] if later else None


def _groups(refs: list[R.Ref]) -> list[list[R.Ref]]:
    """References that share their outer units (and so their document): runs that end where a new run starts."""
    groups: list[list[R.Ref]] = []
    for r in refs:
        if groups and groups[-1][-1].end >= r.start:
            groups[-1].append(r)
        elif groups and r.steps[-1] == groups[-1][-1].steps[-1] and len(r.steps) > 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _document_after(end: int, refs: list[R.Ref], docs: list[Cited], offset: int, masked: str) -> str | None:
    """The document a run of references belongs to: the first one named after it ("Điều 19, Điều 23 và Phụ lục …
    Thông tư số 69/2025/TT-NHNN"), unless another run names its own first or a ";" closes the list; "" for the
    document itself; None when none is named (the chapeau's or the title's then)."""
    for c in docs:
        at = c.start - offset
        if at < end:
            continue
        if ";" in masked[end:at] or any(end <= r.start < at and _has_own_document(r, docs, offset, masked) for r in refs):
            return None
        return c.key or ""
    return None


def _has_own_document(ref: R.Ref, docs, offset: int, masked: str) -> bool:
    """Whether a document is named right after this reference (nothing but spaces and "của" between)."""
    return any(masked[ref.end:c.start - offset].strip() in ("", "của") for c in docs if c.start - offset >= ref.end)


def _narrow(base: _Context, reading: _Reading) -> _Context:
    """What a chapeau tells its items: the document it names, the one provision it names (if one), its op."""
    documents = [d for *_, d in reading.refs if d] + [d for d in reading.documents if d]
    paths = [_complete(path, base.path) for path, *_ in reading.refs]
    path = _common_prefix(paths) or base.path
    return _Context(documents[0] if documents else base.document, path, reading.first_op or base.op)


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """"điểm b, điểm c khoản 1 và điểm c khoản 2 Điều 7": what its items speak of is Điều 7."""
    if not paths:
        return ()
    first = paths[0]
    n = next((i for i in range(len(first)) if any(len(p) <= i or p[i] != first[i] for p in paths)), len(first))
    return first[:n]


def _complete(path: tuple[str, ...], context: tuple[str, ...]) -> tuple[str, ...]:
    """A path read in an item ("khoản 2") under its chapeau's (("dieu:14",)): the outer steps the item left out."""
    if not path:
        return context
    table = R.unit_table()
    top = table[path[0].split(":")[0]]
    outer = tuple(s for s in context if table[s.split(":")[0]]["family"] == top["family"]
                  and table[s.split(":")[0]]["level"] > top["level"] and not s.endswith(":"))
    return outer + path


def _effects(p: Heading, sentence, reading: _Reading, base: _Context) -> list[FoundEffect]:
    start, end = sentence
    out = []
    for path, op, part, doc in reading.refs:
        op = op or base.op or reading.first_op
        document = base.document if doc is None else doc
        if not op or not document:
            continue
        if reading.words and op in ("replace", "repeal", "insert", "amend"):
            op = "replace_words"
        out.append(FoundEffect(op, document, _complete(path, base.path), part, p.path, reading.words, start, end))
    return out
