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

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Callable

from legalkg.extract import provision_refs as R
from legalkg.extract.structure import QUOTE_CLOSES, QUOTE_OPENS, Heading
from legalkg.extract.vocab import alternation, data, starts_with_one_of

INSTRUCTION_KINDS = ("dieu", "khoan", "diem", "tiet")
DIVISION_KINDS = ("phan", "chuong", "muc")
APPENDIX_ITEM_END = re.compile(r"\.[ \t\r]*\n")
JOINS_DOCUMENTS = re.compile(r"[^,;:]{0,160}?(?:,|\svà)\s*")  # "… ngày … của …, và" between two documents
WHOLE_GAP = ("", "toàn bộ")  # what may stand between "Bãi bỏ" and the document it repeals whole
LIST_AFTER_CUE = re.compile(r"\s*(?:(?:các|một số|những)\s+[^:,;.]{0,40}?\s*(?:sau đây|sau|như sau)\s*)?:\s*")
DOCUMENT_MARK = "§"  # what a named document is masked with while provisions are read
LIST_COLON_REACH = 300  # characters from a provision's start within which a colon may open a list
INSTRUCTION_MOST = 800  # characters: an instruction sentence longer than this has lost its end
ITEM_LABEL = re.compile(r"[ \t*#_|>]*(?:Điều[ \t]+\d{1,3}[a-zđ]?[ \t*]*[.:]|\d{1,3}\.(?!\d)|[a-zđ]\)|[a-zđ]\.\d{1,2}\))[ \t*]*")
QUOTED = re.compile(rf"[{QUOTE_OPENS}][^{QUOTE_OPENS}{QUOTE_CLOSES}]*[{QUOTE_CLOSES}]")
PARENTHESIS = re.compile(r"\([^()]*\)")
SENTENCE_END = re.compile(r"(?:như sau|sau đây)[ \t]*:|[.:][ \t*\r]*$", re.M)
WAITS_FOR_WORDS = re.compile(r"(?:cụm từ|từ|bằng)[ \t*\r]*$", re.I)  # a line that ends so goes on with a quotation
CONTINUES_HEADING = re.compile(r"[ \t]*[a-zđà-ỹ0-9(]")
ARTICLE_REFERENCE = re.compile(r"[ \t]*Điều\s+\d{1,3}[a-zđ]?[ \t]+[^\s.:]")  # "Điều 7 Thông tư …", not "Điều 7."
# a line that stops on a unit name waiting for its label, or on a word that needs what follows ("… khoản 2 Điều
# ⏎ 19.", "… của ⏎ Thông tư số …")
WAITS_FOR_MORE = re.compile(r"(?<![\wđ])(?:điều|khoản|điểm|mục|chương|phụ lục|mẫu|số|của|tại|và|theo|các)[ \t*\r]*$",
                            re.I)


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
    whole: tuple[str, ...] = ()  # the documents the cue takes as its object ("Bãi bỏ Thông tư số …"), if any


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
    after = {w: op for op, words in _after_table().items() for w in words}
    no_cue = R.spaced(_cues()["not_cues"]["followed_by"])
    first = starts_with_one_of([*ops, *after])
    return re.compile(rf"{first}(?<![\wđ])(?:(?P<after>{R.spaced(after)})|(?P<op>{R.spaced(ops)}))(?![\wđ])"
                      rf"(?!\s+(?:{no_cue})(?![\wđ]))", re.I)


@cache
def _after_table() -> dict[str, list[str]]:
    """The cues that follow what they apply to: "… hết hiệu lực" and the passive "Khoản 2 Điều 8 được bãi bỏ"."""
    table: dict[str, list[str]] = {}
    for part in ("after", "passive"):
        for op, words in _cues()[part].items():
            table.setdefault(op, []).extend(words)
    return table


@cache
def _passive_words() -> frozenset[str]:
    return frozenset(w.casefold() for words in _cues()["passive"].values() for w in words)


@cache
def _after_words() -> tuple[str, ...]:
    """The `after` cues for a plain search, without those that hold a shorter one ("hết hiệu lực thi hành")."""
    words = {w for words in _after_table().values() for w in words}
    return tuple(sorted(w for w in words if not any(other != w and other in w for other in words)))


def _folded(phrase: str) -> str:
    return " ".join(phrase.split()).casefold()


@cache
def _op_of() -> dict[str, str]:
    table = {w.casefold(): op for op, words in _cues()["ops"].items() for w in words}
    return table | {w.casefold(): op for op, words in _after_table().items() for w in words}


@cache
def _words_cue() -> re.Pattern:
    w = _cues()["words"]
    first = starts_with_one_of(w["swap"] + w["strike"] + w["add"])
    return re.compile(rf"{first}(?<![\wđ])(?P<cue>{R.spaced(w['swap'] + w['strike'] + w['add'])})\s+"
                      rf"(?:{R.spaced(w['phrase'])})\s*(?=[{QUOTE_OPENS}])", re.I)


@cache
def _position() -> re.Pattern:
    unit = alternation(R.unit_names())
    return re.compile(rf"(?<![\wđ])(?:{R.spaced(_cues()['position']['words'])})\s+(?:{unit})\s+(?:số\s*)?{R.LABEL}",
                      re.I)


@cache
def _cites_before() -> re.Pattern:
    return re.compile(rf"(?<![\wđ])(?:{R.spaced(_cues()['cited']['words'])})\s+$", re.I)


@cache
def _history() -> re.Pattern:
    words = [w for w in _cues()["cited"]["words"] if w.startswith("được") or w.startswith("theo quy định")]
    return re.compile(rf"(?<![\wđ])(?:{R.spaced(words)})(?![\wđ])", re.I)


@cache
def _every_unit() -> re.Pattern:
    """"các điều, khoản": a unit's name made plural and followed by no label names every unit of its kind."""
    units = R.spaced(R.unit_names())
    then = R.spaced(_cues()["words"]["every_then"])
    return re.compile(rf"(?<![\wđ])(?:{R.spaced(_cues()['words']['every'])})\s+(?:{units})"
                      rf"(?=\s*(?:[,;.:)]|$|(?:{then})(?![\wđ])))", re.I)


@cache
def _by() -> re.Pattern:
    return re.compile(rf"(?<![\wđ])(?:{R.spaced(_cues()['words']['by'])})(?![\wđ])", re.I)


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
    contexts = _division_contexts(text, provisions, own, cited, default_document)
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
        out += _listed_in_appendix(text, p, reading, provisions, cited)
    return out


def _listed_in_appendix(text: str, p: Heading, reading: _Reading, provisions, cited) -> list[FoundEffect]:
    """"Bãi bỏ một phần các văn bản … tại Phụ lục II ban hành kèm theo Thông tư này": the instruction's targets are
    the lines of the document's own appendix, each naming provisions and their document."""
    own = {path for path, _, _, doc in reading.refs if doc == "" and path and path[0].startswith("phu_luc:")}
    if not own or reading.first_op not in _cues()["lists"]["ops"]:
        return []  # "Bổ sung Phụ lục I ban hành kèm theo Thông tư này": the appendix is what is added, no list
    out = []
    for appendix in (h for h in provisions if h.path in own):
        for start, end in _appendix_items(text, appendix):
            item = _read(text, start, end, cited, listed_op=reading.first_op)
            out += [FoundEffect(op, doc, path, part, p.path, None, start, end)
                    for path, op, part, doc in item.refs if doc and path]
    return out


def _appendix_items(text: str, appendix: Heading) -> list[tuple[int, int]]:
    """The sentences of an appendix after its title lines: each ends with a full stop at a line end."""
    items, start = [], _line_end(text, appendix.start) + 1
    for m in APPENDIX_ITEM_END.finditer(text, start, appendix.end):
        items.append((start, m.end()))
        start = m.end()
    return items


def _division_contexts(text: str, provisions, own, cited, default_document) -> dict[tuple, _Context]:
    """"Chương I. SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA THÔNG TƯ SỐ 22/2013/TT-NHNN": a Phần, Chương or Mục whose title
    instructs names the document its articles change (the first it names: later ones are its amenders)."""
    contexts: dict[tuple, _Context] = {}
    for h in (h for h in provisions if h.kind in DIVISION_KINDS):
        title_end = next((p.start for p in own if p.kind == "dieu" and h.start < p.start < h.end), h.end)
        base = contexts.get(h.parent) or _Context(default_document)
        named = next((c.key for c in cited if h.start <= c.start < title_end and c.key), None)
        instructs = named is not None and _op_cue().search(text, h.start, title_end) is not None
        contexts[h.path] = replace(base, document=named) if instructs else base
    return contexts


def _lists(parent) -> bool:
    return parent is not None and parent[1] is not None and parent[1].opens_list


def _read_provision(text, p: Heading, kids: list[Heading], cited, skip, in_list: bool):
    """(sentence span, reading) of the provision's instruction, or (span, None) when it states none. Only a
    sentence that opens with a cue, ends in an `after` cue or is an item of a list is read (most are not)."""
    own_end = kids[0].start if kids else p.end
    label = ITEM_LABEL.match(text, p.start)
    start = label.end() if label else p.start
    if not (in_list or _may_instruct(text, start, own_end, skip)):
        return (p.start, start), None
    end = _sentence_end(text, start, own_end, p.kind == "dieu", skip)
    heading = _read(text, start, end, cited)
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


def instructs(text: str, start: int, end: int) -> bool:
    """Whether an instruction's cue stands in text[start:end] (a title: "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA …")."""
    return _op_cue().search(text, start, end) is not None


def opens_with_cue(line: str) -> bool:
    """Whether a provision's heading line opens with an instruction cue, after its label ("1. Bãi bỏ …")."""
    label = ITEM_LABEL.match(line)
    return _cue_at(line, label.end() if label else 0)


def _cue_at(text: str, at: int) -> bool:
    return bool(_op_cue().match(text, at) or _words_cue().match(text, at))


def _may_instruct(text: str, start: int, own_end: int, skip) -> bool:
    """Whether the provision may instruct, seen cheaply (most do not): it opens with a cue, an `after` cue stands in
    its reach, a colon near its start follows a cue that may open a list ("… bãi bỏ:"), or its next line opens with
    a cue (an operative sentence under a heading)."""
    reach = min(own_end, start + INSTRUCTION_MOST)
    if _cue_at(text, start):
        return True
    for word in _after_words():  # a plain search: most have none
        if text.find(word, start, reach) >= 0:
            return True
    colon = text.rfind(":", start, min(own_end, start + LIST_COLON_REACH))
    if colon >= 0 and _names_list_cue(text[start:colon]):
        return True
    nxt = _next_line(text, _line_end(text, start), own_end, skip)
    return nxt is not None and _is_capital_instruction(text, nxt)


@cache
def _list_cue_words() -> tuple[str, ...]:
    """The cues that may open a list of what they apply to ("Thông tư này bãi bỏ:"), folded."""
    ops = _cues()["lists"]["ops"]
    return tuple(_folded(w) for op, words in _cues()["ops"].items() if op in ops for w in words)


def _names_list_cue(before_colon: str) -> bool:
    """Whether a list's cue may stand before its colon (a plain search: most colons open no such list)."""
    folded = _folded(before_colon)
    return any(w in folded for w in _list_cue_words())


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
        waits = WAITS_FOR_MORE.search(text, pos, line_end)
        if heading and not (waits or CONTINUES_HEADING.match(text, nxt) or ARTICLE_REFERENCE.match(text, nxt)):
            return line_end
        if not heading and _opens_something(text, nxt) and not (waits or WAITS_FOR_WORDS.search(text, pos, line_end)):
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


def _read(text: str, start: int, end: int, cited: list[Cited], listed_op: str | None = None) -> _Reading:
    """What the sentence text[start:end] instructs; `listed_op`: an item of a list its instruction put elsewhere
    (its own appendix), which names provisions without a cue."""
    s = text[start:end]
    quotes = [(m.start(), m.end(), m.group()[1:-1]) for m in QUOTED.finditer(s)]
    words = _words(s, quotes)
    masked = _mask(s, [(a, b) for a, b, _ in quotes])
    masked = _mask(masked, [m.span() for m in PARENTHESIS.finditer(masked)])
    masked = _mask(masked, [m.span() for m in _position().finditer(masked)])
    by = _by().search(masked) if not words else None
    if by and R.names_a_unit(masked, by.end()):  # "Thay thế Mẫu số 02 bằng Phụ lục I …": the replacement
        masked = masked[:by.start()] + " " * (len(masked) - by.start())
    first = bisect.bisect_left(cited, start, key=lambda c: c.start)
    docs = [c for c in cited[first:bisect.bisect_left(cited, end, key=lambda c: c.start)]
            if not masked[c.start - start].isspace()]
    # a document named is masked with a mark, not spaces: "Điều 8 ⟨doc⟩, Điều 13 ⟨doc⟩" stays two references
    masked = _mask(masked, [(c.start - start, min(c.end, end) - start) for c in docs], DOCUMENT_MARK)
    lead = len(masked) - len(masked.lstrip(" \t*"))
    cues = [(m.start(), _op_of()[_folded(m.group())], bool(m["after"])) for m in _op_cue().finditer(masked)
            if not (m["after"] and _folded(m.group()) in _passive_words() and not R.names_a_provision(masked, lead))]
    if listed_op:
        cues, words = [(lead, listed_op, False)], None
    elif not (_cue_at(masked, lead) or _words_cue().match(s, lead) or _ends_list(masked, cues)):
        cues, words = [c for c in cues if c[2]], None  # a provision that only mentions changing something
    if words:  # "Bỏ cụm từ …" has no op cue of its own
        cues = sorted({(at, "replace_words", after) for at, _, after in cues}
                      | {(_words_cue().search(s).start(), "replace_words", False)})
    refs = _refs(masked, cues)
    everywhere = bool(words) and _every_unit().search(masked) is not None
    located = []
    for ref_group in _groups(refs):
        doc = _document_after(ref_group[-1].end, docs, start, masked)
        for r in ref_group:
            located.append((tuple(f"{k}:{label}" for k, label in reversed(r.steps)), r.op, r.part, doc))
    first_op = next((op for _, op, after in cues if not after), None) or next((op for _, op, _ in cues), None)
    if everywhere:
        located.insert(0, ((), "replace_words", None, None))
    return _Reading(tuple(located), words, first_op, tuple(c.key or "" for c in docs), _ends_list(masked, cues),
                    _object_document(masked, cues, [(c.start - start, c.end - start, c.key) for c in docs]))


def _object_document(masked: str, cues, docs: list[tuple[int, int, str | None]]) -> tuple[str, ...]:
    """The documents an instruction applies to as a whole: named right after its opening cue ("Bãi bỏ Thông tư số
    …", "Bãi bỏ toàn bộ Quyết định số …"), or opening a sentence that an `after` cue ends ("Quyết định số … và
    Quyết định số … hết hiệu lực …"), with those joined to the first by "và" or a comma."""
    if not docs or not docs[0][2]:
        return ()
    lead = len(masked) - len(masked.lstrip(" \t*"))
    leading = [pos for pos, _, after in cues if not after and pos == lead]
    if not ((leading and masked[_cue_end(masked, leading[0]):docs[0][0]].strip().casefold() in WHOLE_GAP)
            or (docs[0][0] == lead and any(after for _, _, after in cues))):
        return ()
    named = [docs[0]]
    for at, end, key in docs[1:]:
        if not key or JOINS_DOCUMENTS.fullmatch(masked, named[-1][1], at) is None:
            break
        named.append((at, end, key))
    return tuple(key for _, _, key in named)


def _ends_list(masked: str, cues) -> bool:
    """"Thông tư này bãi bỏ:", "Bãi bỏ các văn bản sau đây:": a cue that the colon opening a list follows."""
    return any(LIST_AFTER_CUE.fullmatch(masked, _cue_end(masked, at)) for at, op, after in cues
               if not after and op in _cues()["lists"]["ops"])


def _cue_end(masked: str, at: int) -> int:
    m = _op_cue().match(masked, at)
    return m.end() if m else at


def _words(s: str, quotes) -> tuple[str | None, str | None] | None:
    m = _words_cue().search(s)
    if not m or not quotes:
        return None
    w = _cues()["words"]
    cue = _folded(m["cue"])
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


def _mask(s: str, spans, mark: str = " ") -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = mark * (b - a)
    return "".join(chars)


def _refs(masked: str, cues) -> list[R.Ref]:
    """Provision references in reading order; each takes the op of the last cue before it (or of an `after` cue
    that follows it); provisions named as a source ("theo quy định tại …") after a leading cue are left out."""
    def cited(at: int) -> bool:
        phrase = _cites_before().search(masked, max(0, at - 40), at)
        leading = [pos for pos, _, after in cues if phrase and pos < phrase.start() and not after]
        # "… tại X hết hiệu lực": X goes; "Bãi bỏ quy định tại Điều 5 …": right after the cue, the phrase names
        # what goes; "… đã được sửa đổi, bổ sung tại khoản 5 Điều 1 …": a cue inside the phrase is no cue
        return bool(leading) and masked[_cue_end(masked, leading[-1]):phrase.start()].strip() != ""

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


def _document_after(end: int, docs: list[Cited], offset: int, masked: str) -> str | None:
    """The document a run of references belongs to: the first one named after it ("Điều 19, Điều 23 và Phụ lục …
    Thông tư số 69/2025/TT-NHNN"; "Mục 1 Chương I; Điều 24 …; Chương II Thông tư số 05/2013/TT-BLĐTBXH"); "" for
    the document itself; None when none is named (the chapeau's or the title's then)."""
    for c in docs:
        if c.start - offset >= end:
            # "Điều 3 đã được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 Thông tư số …": that document is
            # the one that changed it before, not the one it belongs to
            return None if _history().search(masked, end, c.start - offset) else c.key or ""
    return None


def _narrow(base: _Context, reading: _Reading) -> _Context:
    """What a chapeau tells its items: the first document it names ("Sửa đổi, bổ sung một số điều của Thông tư số …
    hướng dẫn thực hiện Điều 52 Luật Việc làm": later ones belong to its title), the provisions it names of that
    document (their common part), its op."""
    named = [d for d in reading.documents if d] or [d for *_, d in reading.refs if d]
    document = named[0] if named else base.document
    paths = [_complete(path, base.path) for path, _, _, d in reading.refs if d in (None, document)]
    return _Context(document, _common_prefix(paths) or base.path, reading.first_op or base.op)


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
    if not reading.refs:
        return _whole_document(p, sentence, reading, base)
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


def _whole_document(p: Heading, sentence, reading: _Reading, base: _Context) -> list[FoundEffect]:
    """"Bãi bỏ Thông tư số 17/2015/TT-BTNMT …", "Quyết định số … hết hiệu lực …": the first document the
    instruction names, whole (an amendment always names what it changes; these ops may take a document at once)."""
    if reading.words:  # "Thay thế cụm từ “…” bằng cụm từ “…” trong các điều, khoản": wherever they stand
        named = next((d for d in reading.documents if d), None)
        return [FoundEffect("replace_words", named or base.document, (), None, p.path, reading.words, *sentence)]
    if reading.first_op not in _cues()["whole"]["ops"]:
        return []
    return [FoundEffect(reading.first_op, key, (), None, p.path, None, *sentence) for key in reading.whole]
