"""The official footnotes of a consolidated text (văn bản hợp nhất), read as effects: which provision of the base
document was amended, inserted, repealed or had words replaced, and by which provision of which document.

In the gazette's PDF text a footnote is printed at the bottom of the page its marker stands on, as a line that opens
with its number ("3 Nội dung “…” được bãi bỏ theo quy định tại điểm a khoản 4 Điều 3 của Thông tư số …"), wrapped
over the lines after it. The marker is the same number glued to the word or heading it annotates ("Điều 7.4 Thẩm
quyền …", "d)3 …", "… công nghiệp5 trình …"). The target is the provision the marker stands in, refined by the
footnote's own subject ("Khoản này", "Điều này", "Tên Điều này", "Mẫu số 03 Phụ lục X"). The vocabulary is
extract/data/footnotes.toml; what each word means is written there.

Footnotes that state nothing of the text (a document's basis, its final provisions quoted) have no subject followed by
a verb, and are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from legalkg.extract import citations as C
from legalkg.extract.layout import Layout
from legalkg.extract.structure import Heading, units
from legalkg.extract.vocab import alternation, data
from legalkg.extract.provision_refs import kind_of_name

BRACKETED_NOTE_LINE = re.compile(r"(?m)^[ \t*]*\[(?P<label>\d{1,3})\][ \t*]*(?=\S)")  # "[3] Khoản này được …"
BLANK_PARAGRAPH_END = re.compile(r"\n[ \t\r]*(?:\n|\Z)")
NOTE_LINE = re.compile(r"(?m)^[ \t]*(?P<label>\d{1,3})[ \t]+(?=[^\W\d_]|[“\"‟(])")  # "12 Khoản này được …"
BLANK_LINE = re.compile(r"(?m)^[ \t\r]*$")
REFERENCE_AT_END = re.compile(r"(?i)(?:khoản|điểm|điều|mục|chương|phần|lục|tiết|số|ngày|tháng|năm|mẫu)[ \t\r]*$")
MAX_NOTE_STEP = 5  # a next footnote's number is at most this far above the one before (a note skips a few)
GAP_COST = 0.6  # a run may skip a number (a footnote the text lost), at this cost per number skipped
RESTART_COST = 0.5  # or start again at 1
MAX_NOTE_LINES = 40  # what one footnote may run to (a quoted article in it included)
SUBJECT_REACH = 300  # characters from a footnote's start to its verb
QUOTED = re.compile(r"[“\"‟„«]([^”\"»]*)[”\"»]?")
# How a footnote's number is set into the text, in the order they are tried: glued to a word, a bracket, a quote or
# a heading's label ("nổ2", "a)14", "3.21", "Thương.1"); glued to a form's number ("Mẫu số 0326" = 03 + 26); standing
# alone where words were struck or at a line's end ("Cục Hóa chất, 9, Ủy", "… như sau: 1"); after a heading's label
# ("3. 13 (được bãi bỏ)"); glued to the word after it ("(5) 32nơi …").
# Each is a template for one footnote number {n}, compiled once per number (marker_re).
GLUED_NUMBER = r"(?<=[^\s\d/\-])(?P<n>{n})(?![\d/]|[.,]\d)"
AFTER_LABEL_NUMBER = (r"(?im)^[ \t*]*(?:mẫu|biểu|phụ lục|phụ biểu|điều|mục|chương|phần)[ \t]+(?:số[ \t]+)?\d{{1,4}}?"
                      r"(?P<n>{n})(?![\d/]|[.,]\d)")
ALONE_NUMBER = r"(?m)(?<=[^\s\d]) (?P<n>{n})(?=[ \t\r]*(?:$|[,;]))"
AFTER_HEADING_NUMBER = (r"(?m)^[ \t*]*(?:\d{{1,3}}[a-zđ]?\.|[a-zđ]\)|(?:Điều|ĐIỀU)[ \t]+\d{{1,3}}[a-zđ]?\.)[ \t]+"
                        r"(?P<n>{n})(?=[ \t]*[^\d\s.,/])")
BRACKETED_NUMBER = r"(?P<n>\[{n}\])"
BEFORE_WORD_NUMBER = r"(?<=[^\S\n])(?P<n>{n})(?=[^\W\d_])"
MARKER_FORMS = (GLUED_NUMBER, AFTER_LABEL_NUMBER, ALONE_NUMBER, AFTER_HEADING_NUMBER, BEFORE_WORD_NUMBER)
# The lines that open a khoản, điểm or tiết, a footnote's marker glued to the label or not ("3.21 (được bãi bỏ)").
KHOAN_OPENING = re.compile(r"(?m)^[ \t*]*(\d{1,3}[a-zđ]?)\.(?:[ \t]*\d{1,3})?(?=[ \t]|$)")
DIEM_OPENING = re.compile(r"(?m)^[ \t*]*([a-zđ])\)")
TIET_OPENING = re.compile(r"(?m)^[ \t*]*([a-zđ]\.\d{1,2})\)")
# The heading label a marker is glued to, at the end of the text before it: "Điều 7", "3", "a)", "Mẫu số 1A", "MỤC 8".
LABEL_BEFORE = re.compile(r"(?:^|\n)[ \t*]*(?:(?P<dieu>(?:Điều|ĐIỀU)[ \t]+\d{1,3}[a-zđ]?)|(?P<khoan>\d{1,3}[a-zđ]?)|"
                          r"(?P<diem>[a-zđ])\)|(?P<tiet>[a-zđ]\.\d{1,2})\)|"
                          r"(?P<unit>(?i:mẫu số|mẫu|biểu số|phụ lục|mục|chương)"
                          r"(?:[ \t]+(?:\d{1,3}(?:-?[a-zđA-ZĐ])?|[IVXLC]{1,7}[a-zđ]?))?))[ \t*]*[.:]?[ \t*]*\Z")
WORD_END = r"(?![\wđ])"
WORD_START = r"(?<![\wđ])"
ROMAN_OR_NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})?[a-zđA-ZĐ]?|[IVXLC]{1,7}[a-zđ]?(?![\wđ])|[a-zđ](?:\.\d{1,2})?)"
SPACES = re.compile(r"\s+")
OWNER_ONLY = re.compile(r"[\s,]*(?:của\b[^\d]*)?\Z")  # "… Điều 92 của Luật An toàn, vệ sinh lao động" before "số …"
NUMBERED_ONLY = ("khoan", "diem", "tiet")  # units whose opening line is their text, not a title
LIST_OPENS = re.compile(r"[ \t]*:")
SOME_PART = re.compile(r"[^\W\d_][^“”\"\d]{0,40}?[ \t]+này[ \t]*\Z")  # "Tên thuốc này ", before the verb


@dataclass(frozen=True)
class Note:
    """A footnote as printed: its number, the offsets of its text (after the number) and the text, collapsed;
    bracketed: a web page's "[3] …" at the document's end, marked "[3]" in the text."""

    number: int
    label: str
    start: int
    end: int
    text: str
    opening: int  # where its line starts
    bracketed: bool = False


@dataclass(frozen=True)
class FootnoteEffect:
    """What one footnote says was done to the provision its marker stands at (op as in gold/effects-dev/NOTES.md).
    words: (from, to) for replace_words, either None when words were added or struck, or both None when not quoted."""

    number: int
    op: str
    target: tuple[str, ...]
    part: str | None
    amending_document: str | None
    amending_source: tuple[str, ...]
    marker_start: int
    marker_end: int
    note_start: int
    note_end: int
    note: str
    words: tuple[str | None, str | None] | None = None


@dataclass(frozen=True)
class Statement:
    """What a footnote's text says, before its marker is placed: the subject's kind and labels, and the verb's op."""

    subject: str  # provision | annex | title | words | passage (a part of the provision: "Đoạn này", "Tên thuốc này")
    kind: str | None  # the unit named ("khoan"), None for words of whatever the marker stands in
    chain: tuple[tuple[str, str], ...]  # labels the subject prints, innermost first: (("mau","03"), ("phu_luc","x"))
    op: str
    words: tuple[str | None, str | None] | None
    amending_document: str | None
    amending_source: tuple[str, ...]


# --- vocabulary -------------------------------------------------------------------------------------------------
def _vocab() -> dict:
    return data("footnotes.toml")


@cache
def _unit_re() -> str:
    return rf"{WORD_START}(?P<unit>{alternation(kind_of_name())}){WORD_END}"


@cache
def unit_label_re() -> re.Pattern:
    """A unit and its label: "khoản 4", "Điều 3", "Phụ lục số 39", "Mẫu 07", "Phần I"."""
    return re.compile(rf"(?i:{_unit_re()})[ \t]+(?:số[ \t]+)?(?P<label>{ROMAN_OR_NUMBER}){WORD_END}")


@cache
def _this_unit_re() -> re.Pattern:
    """"<unit> này" anywhere in a subject: "tại Mục này", "Khoản này"."""
    return re.compile(rf"(?i:{_unit_re()})(?:[ \t]+(?:số[ \t]+)?{ROMAN_OR_NUMBER})?[ \t]+này{WORD_END}")


@cache
def _verb_re() -> re.Pattern:
    v = _vocab()
    lead = alternation(v["verb_lead"]["words"])
    verbs = alternation(w for words in v["verbs"].values() for w in words)
    bare = alternation(w for words in v["bare_verbs"].values() for w in words)
    return re.compile(rf"(?i){WORD_START}(?:(?:{lead})\s+(?P<verb>{verbs})|(?P<bare>{bare})){WORD_END}")


@cache
def _action_of() -> dict[str, str]:
    v = _vocab()
    return {w.casefold(): action for table in ("verbs", "bare_verbs", "opening_verbs")
            for action, words in v[table].items() for w in words}


@cache
def _opening_verb_re() -> re.Pattern:
    words = alternation(w for ws in _vocab()["opening_verbs"].values() for w in ws)
    return re.compile(rf"(?i)(?P<verb>{words})[ \t]+(?=(?:{alternation(_vocab()['words']['openers'])}){WORD_END})")


@cache
def _words_opener_re() -> re.Pattern:
    return re.compile(rf"(?i)(?:{alternation(_vocab()['words']['openers'])}){WORD_END}")


@cache
def _passage_re() -> re.Pattern:
    return re.compile(rf"(?i)(?:{alternation(_vocab()['words']['passages'])})[ \t]+này{WORD_END}")


@cache
def _title_re() -> re.Pattern:
    return re.compile(rf"(?i)(?:{alternation(_vocab()['title']['words'])})[ \t]+(?={_unit_re()})")


@cache
def _replacement_re() -> re.Pattern:
    by = alternation(_vocab()["replacement"]["words"])
    return re.compile(rf"(?i){WORD_START}(?:{by})[ \t]+(?:[^“\"‟„«\s]+[ \t]+){{0,3}}?[“\"‟„«]")


@cache
def _source_cue_res() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(rf"(?i){WORD_START}(?:{alternation(_vocab()['source'][cues])}){WORD_END}")
                 for cues in ("cues", "weak_cues"))


@cache
def _base_cue_re() -> re.Pattern:
    """The cues as printed in the raw text: wrapped anywhere, the comma sometimes left out."""
    return re.compile("(?i)" + "|".join(r",?\s+".join(map(re.escape, cue.replace(",", "").split()))
                                        for cue in sorted(_vocab()["base"]["cues"], key=len, reverse=True)))


@cache
def _annex_units() -> frozenset[str]:
    return frozenset(_vocab()["annex"]["units"])


@cache
def _families() -> dict[str, str]:
    return {u["kind"]: u["family"] for u in data("provisions.toml")["unit"]}


# --- notes --------------------------------------------------------------------------------------------------------
def find_notes(text: str, layout: Layout) -> list[Note]:
    """Every footnote: in gazette text, a line that opens with a number, below a blank line or the footnote before it
    (footnotes sit under a separator at a page's foot), with the lines it wraps over up to a blank line, a page's
    running header or the next footnote (a number at most a few above this one, on a line that does not finish a
    reference such as "… tại khoản" / "12 Điều 1 …"); in a web page's text, a paragraph that opens with "[3]". Of
    those, the ones whose numbers run in sequence (numbered_run): a table row below a blank line ("36 N07.05 …")
    breaks it."""
    printed = numbered_run(_gazette_notes(text, layout))
    bracketed = numbered_run(_bracketed_notes(text, layout))
    return bracketed if len(bracketed) > len(printed) else printed


def _gazette_notes(text: str, layout: Layout) -> list[Note]:
    candidates: list[Note] = []
    for m in NOTE_LINE.finditer(text, layout.doc_start, layout.doc_end):
        line_start = m.start() + (text[m.start()] == "\n")
        follows_note = bool(candidates) and line_start == candidates[-1].end + 1
        if layout.section_at(line_start) == "chrome" or not (follows_note or _below_blank(text, line_start)):
            continue
        number = int(m["label"])
        end = _note_end(text, layout, m.end(), number)
        candidates.append(Note(number, m["label"], m.end(), end, _collapsed(text, m.end(), end), line_start))
    return candidates


def _bracketed_notes(text: str, layout: Layout) -> list[Note]:
    out = []
    for m in BRACKETED_NOTE_LINE.finditer(text, layout.doc_start, layout.doc_end):
        blank = BLANK_PARAGRAPH_END.search(text, m.end(), layout.doc_end)
        end = blank.start() if blank else layout.doc_end
        out.append(Note(int(m["label"]), m["label"], m.end(), end, _collapsed(text, m.end(), end), m.start(), True))
    return out


def _collapsed(text: str, start: int, end: int) -> str:
    return SPACES.sub(" ", text[start:end].replace("*", " ")).strip()


def numbered_run(notes: list[Note]) -> list[Note]:
    """The notes whose numbers make the best run: each one above the one before (by one, or by a few at a cost: a
    note the text lost), or 1 again (a form with footnotes of its own, at a cost)."""
    best_at: dict[int, tuple[float, int]] = {}  # number -> (score, index) of the best run ending with that number
    back: list[int] = []
    overall = (0.0, -1)
    for i, note in enumerate(notes):
        options = [(1.0 - GAP_COST * (note.number - 1), -1)] if note.number <= MAX_NOTE_STEP else []
        options += [(best_at[note.number - d][0] + 1.0 - GAP_COST * (d - 1), best_at[note.number - d][1])
                    for d in range(1, MAX_NOTE_STEP + 1) if note.number - d in best_at]
        if note.number == 1 and overall[1] >= 0:
            options.append((overall[0] + 1.0 - RESTART_COST, overall[1]))
        if not options:
            back.append(-1)
            continue
        s, b = max(options)
        back.append(b)
        if s >= best_at.get(note.number, (float("-inf"), -1))[0]:
            best_at[note.number] = (s, i)
        if s >= overall[0]:
            overall = (s, i)
    run, i = [], overall[1]
    while i >= 0:
        run.append(notes[i])
        i = back[i]
    return run[::-1]


def _below_blank(text: str, line_start: int) -> bool:
    previous = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return line_start == 0 or BLANK_LINE.match(text, previous, line_start - 1) is not None


def _note_end(text: str, layout: Layout, start: int, number: int) -> int:
    end = _line_end(text, start)
    for _ in range(MAX_NOTE_LINES):
        nxt = end + 1
        if nxt >= layout.doc_end or layout.section_at(nxt) == "chrome" or \
                BLANK_LINE.match(text, nxt, _line_end(text, nxt)):
            break
        m = NOTE_LINE.match(text, nxt)
        if m and number < int(m["label"]) <= number + MAX_NOTE_STEP and \
                not REFERENCE_AT_END.search(text, text.rfind("\n", 0, end) + 1, end):
            break
        end = _line_end(text, nxt)
    return end


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


# --- what a note says ---------------------------------------------------------------------------------------------
def read_statement(note: str) -> Statement | None:
    """The effect a footnote's text states, or None when it states none."""
    opening = _opening_verb_re().match(note)
    if opening:  # "Bỏ cụm từ “…” theo …"
        quoted = QUOTED.search(note, opening.end())
        end = quoted.end() if quoted else opening.end()
        return _statement(note, "words", None, (), _action_of()[opening["verb"].casefold()], end, end)
    verb = _first_verb(note)
    if verb is None:
        return None
    subject = note[: verb.start()]
    word = (verb["verb"] or verb["bare"]).casefold()
    return _read_subject(note, subject, _action_of()[word], verb.end())


def _first_verb(note: str) -> re.Match | None:
    quoted = [m.span() for m in QUOTED.finditer(note, 0, SUBJECT_REACH + 200)]
    for m in _verb_re().finditer(note, 0, SUBJECT_REACH):
        if not any(s <= m.start() < e for s, e in quoted):
            return m
    return None


def _read_subject(note: str, subject: str, action: str, verb_end: int) -> Statement | None:
    if _passage_re().match(subject):
        return _statement(note, "passage", None, (), action, len(subject), verb_end)
    if _words_opener_re().match(subject):
        return _statement(note, "words", None, (), action, len(subject), verb_end)
    title = _title_re().match(subject)
    if title:
        chain = _chain(subject[title.end():])
        return _statement(note, "title", chain[0][0], tuple(c for c in chain if c[1]), action, len(subject), verb_end) \
            if chain else None
    chain = _chain(subject)
    if chain:  # "Khoản này", "Mẫu số 03 Phụ lục X", "Mục này bao gồm các Điều …", "Phụ lục 1 ban hành kèm theo …"
        kind = chain[0][0]
        return _statement(note, "annex" if kind in _annex_units() else "provision", kind,
                          tuple(c for c in chain if c[1]), action, len(subject), verb_end)
    if SOME_PART.match(subject):  # "Tên thuốc này", "Ghi chú này": a part of the provision, amended
        return _statement(note, "passage", None, (), action, len(subject), verb_end)
    this = list(_this_unit_re().finditer(subject))
    if this:  # "Quy định về … tại Mục này"
        kind = kind_of_name()[this[-1]["unit"].casefold()]
        return _statement(note, "annex" if kind in _annex_units() else "provision", kind, (), action,
                          len(subject), verb_end)
    return None


def _chain(subject: str) -> list[tuple[str, str]]:
    """The units a subject opens with, innermost first: "Mẫu số 03 Phụ lục X" -> [("mau","03"), ("phu_luc","x")];
    "Khoản này" -> [("khoan","")]; [] when the subject does not open with a unit."""
    out, pos = [], 0
    while True:
        m = unit_label_re().match(subject, pos)
        if m and not (m["label"].isalpha() and m["label"].casefold() == "n"):
            out.append((kind_of_name()[m["unit"].casefold()], m["label"].lower()))
            pos = _skip_space(subject, m.end())
            continue
        bare = re.compile(rf"(?i:{_unit_re()})(?=[ \t]+(?:này|“|\"|‟)|[ \t]*$)").match(subject, pos)
        if bare and not out:
            out.append((kind_of_name()[bare["unit"].casefold()], ""))
        return out


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _statement(note: str, subject: str, kind: str | None, chain, action: str, subject_end: int,
               verb_end: int) -> Statement | None:
    table = {"passage": "provision"}.get(subject, subject)  # "Đoạn này được sửa đổi": the provision, amended in part
    op = _vocab()["ops"][table].get(action)
    if op is None:
        return None
    document, source = amending_reference(note, verb_end)
    words = _words(note, subject_end, action, verb_end) if op == "replace_words" else None
    return Statement(subject, kind, chain, op, words, document, source)


def _words(note: str, subject_end: int, action: str, verb_end: int) -> tuple[str | None, str | None]:
    quoted = QUOTED.search(note, 0, subject_end)
    old = quoted[1].strip() if quoted else None
    if action == "insert":
        return None, old
    if action == "repeal":
        return old, None
    new = _replacement_re().search(note, verb_end, verb_end + 60)
    return old, (QUOTED.match(note, new.end() - 1)[1].strip() if new else None)


def amending_reference(note: str, after: int) -> tuple[str | None, tuple[str, ...]]:
    """The amending document's key and the provision of it that states the effect: "… theo quy định tại điểm a
    khoản 4 Điều 3 của Thông tư số 08/2023/TT-BLĐTBXH …" -> ("08/2023/TT-BLĐTBXH", ("dieu:3","khoan:4","diem:a")).
    The document is the first numbered one after the source cue ("theo quy định tại"), else after the verb."""
    found = [f for f in C.find_numbers(note[after:]) if f.key]
    if not found:
        return None, ()
    cue = next(filter(None, (r.search(note, after) for r in _source_cue_res())), None)
    cue_at = cue.end() - after if cue else 0
    doc = next((f for f in found if f.start >= cue_at), found[0])
    start = cue_at if cue and cue_at <= doc.start else 0
    return doc.key.replace(" ", ""), _source_path(note[after + start: after + doc.start])


def _source_path(span: str) -> tuple[str, ...]:
    """The reference chain that ends the span (just before the document's name), outermost first."""
    tokens = list(unit_label_re().finditer(span))
    run: list[re.Match] = []
    for m in tokens:
        if run and span[run[-1].end(): m.start()].strip(" \t\n,") not in ("", "của"):
            run = []
        run.append(m)
    if run and not OWNER_ONLY.match(span, run[-1].end()):
        run = []
    return tuple(f"{kind_of_name()[m['unit'].casefold()]}:{m['label'].lower()}" for m in reversed(run))


# --- markers ------------------------------------------------------------------------------------------------------
def pages(text: str, layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each page: the document's text between the running headers and stamps (the whole document
    when it has none)."""
    out, start = [], layout.doc_start
    for kind, s, e in layout.sections:
        if kind == "chrome" and layout.doc_start <= s < layout.doc_end:
            if s > start:
                out.append((start, s))
            start = e
    if start < layout.doc_end:
        out.append((start, layout.doc_end))
    return out or [(layout.doc_start, layout.doc_end)]


def find_marker(text: str, note: Note, page: tuple[int, int], previous_page: tuple[int, int] | None, after: int,
                notes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the note's number is set into the text before the note: on its page or, when the marker stood on a
    page's last line, the page before; after `after` (the previous footnote's marker) when it can be. The forms are
    tried in order (MARKER_FORMS), each over the places in order."""
    if note.bracketed:  # "[3]" anywhere in the text before the notes, which follow the document
        return _first_marker(BRACKETED_NUMBER, text, note.label, after, note.opening, notes)
    places = [(max(page[0], after), note.start)]
    if previous_page:
        places.append((max(previous_page[0], after), page[0]))
    places.append((page[0], note.start))
    for form in MARKER_FORMS:
        for start, end in places:
            found = _first_marker(form, text, note.label, start, end, notes) if start < end else None
            if found:
                return found
    return None


@cache
def marker_re(form: str, label: str) -> re.Pattern:
    return re.compile(form.format(n=label))


def _first_marker(form: str, text: str, label: str, start: int, end: int, notes) -> tuple[int, int] | None:
    for m in marker_re(form, label).finditer(text, start, end):
        if not _in_notes(notes, m.start("n")) and _can_be_marker(form, text, m.start("n")):
            return m.span("n")
    return None


def _in_notes(notes: list[tuple[int, int]], at: int) -> bool:
    i = bisect.bisect_right(notes, (at, float("inf"))) - 1
    return i >= 0 and notes[i][0] <= at < notes[i][1]


def _can_be_marker(form: str, text: str, at: int) -> bool:
    """Not a decimal ("1.5"), nor the term number of an issuer code ("…/QH15"), nor a number a reference or a date
    names ("khoản 9, …", "ngày 15 …")."""
    if form is not GLUED_NUMBER:
        return form in (AFTER_LABEL_NUMBER, AFTER_HEADING_NUMBER, BRACKETED_NUMBER) or \
            not REFERENCE_AT_END.search(text, max(0, at - 12), at)
    before = text[at - 1]
    if before in ".,;:":
        line = text[text.rfind("\n", 0, at) + 1: at - 1]
        return not line[-1:].isdigit() or LABEL_BEFORE.search("\n" + line) is not None
    token = text[max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1: at]
    if "/" in token:
        letters = re.search(r"[A-ZĐ]+\Z", token)
        return letters is not None and letters.group() not in _term_numbered()
    return True


@cache
def _term_numbered() -> frozenset[str]:
    return frozenset(data("issuers.toml")["term_numbered"]["codes"])


# --- targets ------------------------------------------------------------------------------------------------------
def target_path(text: str, statement: Statement, marker: int, provisions: list[Heading],
                notes: list[tuple[int, int]] = ()) -> tuple[str, ...]:
    """The provision the footnote speaks of: the unit its subject names among those the marker stands in, the
    innermost of them for words; a subject that prints labels ("Mẫu số 03 Phụ lục X") names its own."""
    around = [h for h in provisions if h.start <= marker < h.end]
    if statement.chain:
        return _named(around, provisions, statement.chain)
    stands_in = _stands_in(text, around, marker, notes)
    at_label = _label_at(text, marker)
    if at_label and at_label[0] == statement.kind:  # "Mục 210 (được bãi bỏ)", "Mẫu số 1A4": the heading itself
        return _built(stands_in, *at_label)
    same = [path for kind, path in stands_in if kind == statement.kind]
    if same:
        return same[-1]
    if statement.kind in _annex_units():  # a form the structure did not see: its appendix, not the article before
        annexes = [path for kind, path in stands_in if kind in _annex_units()]
        return annexes[-1] if annexes else (f"{statement.kind}:",)
    return stands_in[-1][1] if stands_in else ()


def _stands_in(text: str, around: list[Heading], marker: int, notes) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, path) of each unit the marker stands in, outermost first. Inside an article, its khoản, điểm and tiết
    are read from the lines that open them (numbered_lines): a heading with a marker glued to its label ("3.21 …",
    "a)14 …") is one the structure reader does not count, and would give the marker to the unit before it."""
    u = units()
    chain = sorted(around, key=lambda h: (u[h.kind].rank, h.start))
    steps = [(h.kind, h.path) for h in chain]
    at_label = _label_at(text, marker)
    if at_label and at_label[0] in _annex_units():  # "Mẫu số 014": a form's heading, whatever article it follows
        annex = [(k, path) for k, path in steps if k in _annex_units()]
        return [*annex, (at_label[0], _built(annex, *at_label))]
    article = next((h for h in reversed(chain) if h.kind == "dieu"), None)
    if article is not None:
        inner = numbered_lines(text, _line_end(text, article.start), marker, notes)
        if inner:
            steps = [(h.kind, h.path) for h in chain if u[h.kind].rank <= u["dieu"].rank]
            path = article.path
            for kind, label in inner:
                path = (*path, f"{kind}:{label}")
                steps.append((kind, path))
            return steps
    if at_label and (not chain or (chain[-1].kind, _plain(chain[-1].label)) != (at_label[0], _plain(at_label[1]))):
        steps.append((at_label[0], _built(steps, *at_label)))
    return steps


def numbered_lines(text: str, start: int, marker: int, notes) -> list[tuple[str, str]]:
    """The khoản, điểm and tiết whose opening lines the marker stands under, read back from the marker to `start`
    (its article's heading): [("khoan","3"), ("diem","a")]. A footnote's own lines are not the article's."""
    out, pos = [], start
    for kind, pattern in (("khoan", KHOAN_OPENING), ("diem", DIEM_OPENING), ("tiet", TIET_OPENING)):
        last = None
        for m in pattern.finditer(text, pos, marker):
            if not _in_notes(notes, m.start(1)):
                last = m
        if last is not None:
            out.append((kind, last[1].lower()))
            pos = last.end(1)
    return out


def _label_at(text: str, marker: int) -> tuple[str, str] | None:
    """The unit whose heading label the marker is glued to: "3.21" -> ("khoan","3"), "a)14" -> ("diem","a")."""
    line_start = text.rfind("\n", 0, marker) + 1
    m = LABEL_BEFORE.search("\n" + text[line_start:marker])
    if m is None:
        return None
    kind = m.lastgroup
    if kind in ("dieu", "unit"):
        words = m[kind].split()
        label = words.pop() if len(words) > 1 and words[-1].casefold() not in ("số", "lục", "biểu") else ""
        if label and " ".join((*words, label)).casefold() in kind_of_name():
            words, label = [*words, label], ""  # "Phụ lục36": an appendix printed without a number
        return kind_of_name()[" ".join(words).casefold()], label.lower()
    return kind, m[kind].lower()


def _built(steps: list[tuple[str, tuple[str, ...]]], kind: str, label: str) -> tuple[str, ...]:
    """The path of a unit the structure did not give, under the innermost unit around it that may hold it."""
    u = units()
    if not u[kind].joins_parent:
        return (f"{kind}:{label}",)
    holders = [path for k, path in steps if u[k].rank < u[kind].rank and _families()[k] == _families()[kind]]
    return (*(holders[-1] if holders else ()), f"{kind}:{label}")


def _named(around: list[Heading], provisions: list[Heading], chain) -> tuple[str, ...]:
    """A subject that prints labels ("Mẫu số 03 Phụ lục X", "Phụ lục số 39"): the provision with those labels, the
    one the marker stands in first; else the path the labels make under the provisions around the marker."""
    wanted = [f"{kind}:{_plain(label)}" for kind, label in reversed(chain)]
    for pool in (sorted(around, key=lambda h: -h.start), provisions):
        for h in pool:
            steps = [f"{s.split(':')[0]}:{_plain(s.split(':', 1)[1])}" for s in h.path]
            if steps[-len(wanted):] == wanted:
                return h.path
    kind, label = chain[0]
    if len(chain) > 1:
        return tuple(f"{k}:{lab}" for k, lab in reversed(chain))
    u = units()
    return _built([(h.kind, h.path) for h in sorted(around, key=lambda h: (u[h.kind].rank, h.start))], kind, label)


def _plain(label: str) -> str:
    """A label compared without leading zeros ("03" = "3")."""
    return label.lstrip("0") or label


# --- the document ------------------------------------------------------------------------------------------------
def consolidated_effects(text: str, layout: Layout, provisions: list[Heading]) -> list[FootnoteEffect]:
    """The effects the footnotes of a consolidated text state, in the order of their notes."""
    notes = find_notes(text, layout)
    spans = sorted((n.opening, n.end) for n in notes)
    page_list = pages(text, layout)
    page_starts = [p[0] for p in page_list]
    out, after = [], layout.doc_start
    for note in notes:
        statement = read_statement(note.text)
        at = max(0, bisect.bisect_right(page_starts, note.start) - 1)
        marker = find_marker(text, note, page_list[at], page_list[at - 1] if at else None, after, spans)
        if marker is None:
            continue
        after = marker[1]
        if statement is None:
            continue
        target = target_path(text, statement, marker[0], provisions, spans)
        part = "title" if statement.subject == "title" or _in_title(text, statement, target, marker[0], provisions) \
            else None
        out.append(FootnoteEffect(note.number, statement.op, target, part, statement.amending_document,
                                  statement.amending_source, marker[0], marker[1], note.start, note.end, note.text,
                                  statement.words))
    return out


def _in_title(text: str, statement: Statement, target: tuple[str, ...], marker: int, provisions: list[Heading]) -> bool:
    """Words changed on the heading line of an article, section or form ("Điều 41. Trách nhiệm của cơ quan bảo hiểm
    xã hội41"): its title's words."""
    if statement.subject != "words" or not target:
        return False
    unit = next((h for h in provisions if h.path == target and h.start <= marker), None)
    return unit is not None and unit.kind not in NUMBERED_ONLY and marker <= _line_end(text, unit.start)


def consolidates(text: str, layout: Layout) -> bool:
    """Whether the text is a consolidated one: near its start, a statement that lists what amended the base
    document ("…, được sửa đổi, bổ sung bởi: 1. …"), the cue followed by a colon (a basis that mentions an amended
    document goes on with the amending one's name: "…, được sửa đổi, bổ sung bởi Nghị định số …")."""
    reach = min(layout.doc_end, layout.doc_start + _vocab()["base"]["reach"])
    return any(LIST_OPENS.match(text, cue.end()) for cue in _base_cue_re().finditer(text, layout.doc_start, reach))


def base_document(text: str, layout: Layout) -> str | None:
    """The key of the document a consolidated text consolidates: the numbered document that opens a line of the
    statement saying what it was amended by ("Thông tư số 17/2016/TT-BLĐTBXH …, được sửa đổi, bổ sung bởi: …"; a law
    prints its title first: "Luật Bảo hiểm y tế số 25/2008/QH12 …"), else the first one before that statement (a
    title may cite one: "Hướng dẫn thực hiện … Nghị định số 28/2015/NĐ-CP")."""
    reach = min(layout.doc_end, layout.doc_start + _vocab()["base"]["reach"])
    cue = _base_cue_re().search(text, layout.doc_start, reach)
    if cue is None:
        return None
    window = text[layout.doc_start: cue.start()]
    found = [f for f in C.find_numbers(window) if f.key and "VBHN" not in f.key.upper()]
    opening = [f for f in found if _opens_line(window, f.start)]
    first = (opening or found or [None])[0]
    return first.key.replace(" ", "") if first else None


def _opens_line(text: str, at: int) -> bool:
    return _titled_type_re().fullmatch(text, text.rfind("\n", 0, at) + 1, at) is not None


@cache
def _titled_type_re() -> re.Pattern:
    """What may precede a document's number on its line: nothing, or a type printed with a title ("Luật Việc làm")."""
    return re.compile(rf"[ \t]*(?:(?:{alternation(_vocab()['base']['titled_types'])})[^\n\d]*)?")
