"""Records produced by extract/: frozen dataclasses, every fact with its span.

Spans are character offsets into the *decoded original text* of the source file (see extract.text); the pipeline
matches on the NFC-normalised text and maps offsets back before building these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTIONS = ("chrome", "metadata", "related", "header", "body", "appendix", "signature")
RELATIONS = ("cites", "based_on", "implements", "amends", "replaces", "repeals", "guides", "related")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class DocRef:
    """The identity of a cited (or citing) document, as far as the text tells it.

    key is the number as printed with spaces removed ("61/2018/NĐ-CP"); laws cited by name have key None and a title.
    place is the province of a local issuer (None for central bodies); year and date come from the number or the
    citation's date. A document read whose own number is missing (key None, kind "document") is known by its type,
    place, date and title instead, and, when it has no title either, by `fingerprint`: a short hash of its text.
    """

    key: str | None
    type: str | None = None
    year: int | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    kind: str = "document"  # "document" | "law"
    fingerprint: str | None = None  # a hash of the text of a document read without a number (used if untitled)

    @property
    def label(self) -> str:
        """How relations name this document: its key, or "Luật <title>" for laws cited by name."""
        if self.key:
            return self.key
        prefix = self.type or "Luật"
        return f"{prefix} {self.title}" if self.title else prefix

    @property
    def identity(self) -> tuple:
        """What makes two references the same document (local keys are unique only per province and year)."""
        if self.key is None and self.kind == "law":  # the year tells versions apart (2015 and 2025 laws of one name)
            return ("law", (self.title or "").casefold(), self.year)
        if self.key is None:  # the document read, its number missing: what else identifies it
            title = " ".join((self.title or "").casefold().split())
            return ("unnumbered", self.type, self.place, self.date or self.year, title or self.fingerprint)
        if self.place is not None:
            return (self.key, self.place, self.year)
        return (self.key, None, None)


@dataclass(frozen=True)
class Citation:
    ref: DocRef
    relation: str
    section: str
    span: Span
    text: str
    rule: str
    alias: str | None = None  # the short form used, when the mention was "Nghị định 61" defined earlier
    provisions: tuple[tuple[str, ...], ...] = ()  # the provisions named with it (("dieu:5", "khoan:2"), …)


@dataclass(frozen=True)
class Relation:
    source: DocRef
    relation: str
    target: DocRef
    span: Span
    rule: str


@dataclass(frozen=True)
class Mention:
    """A mention that is not a resolved citation: the document itself ("Kế hoạch này") or an undefined short form."""

    text: str
    span: Span
    kind: str  # "self" | "unresolved"
    reason: str
    provisions: tuple[tuple[str, ...], ...] = ()  # of the document itself: "Điều 5 Nghị định này", "khoản 1 Điều này"


@dataclass(frozen=True)
class Conflict:
    kind: str  # "self_number" | "date" | "year"
    key: str | None
    values: tuple[str, ...]
    spans: tuple[Span, ...]
    note: str


@dataclass(frozen=True)
class Section:
    kind: str
    span: Span


@dataclass(frozen=True)
class TaskPart:
    """One result line of a task with its own responsible agencies (most tasks have one part)."""

    product: str | None
    lead: tuple[str, ...]  # agency names as printed (role words and parentheticals removed)
    coordinating: tuple[str, ...]
    deadline: str | None  # as printed
    deadline_parsed: object | None = None  # extract.deadlines.Deadline
    lead_agencies: tuple = ()  # extract.agencies.Agency for each lead name: canonical, province-scoped
    coordinating_agencies: tuple = ()


@dataclass(frozen=True)
class Task:
    """A task (nhiệm vụ) of a plan: a table row with its continuations, or a directive's lettered item."""

    no: str | None  # as printed
    section: str | None
    objective: str | None
    text: str  # continuations merged, HTML removed, whitespace collapsed
    parts: tuple[TaskPart, ...]
    cites: tuple[str, ...]  # keys of the documents cited in its cells, short forms resolved
    span: Span  # the rows (or the item) in the decoded original text
    layout: str  # "pipe" | "tab" | "block" | "markdown" | "html" | "gazette" | "items"
    cited_provisions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (document key, provision path) its cells cite


@dataclass(frozen=True)
class ExtractionWarning:
    """Something read without confidence (a table whose grid could not be recovered): its rows were not used."""

    kind: str  # "table"
    message: str
    span: Span


@dataclass(frozen=True)
class Provision:
    """A unit of the document's own text (Điều, khoản, Phụ lục …): its path of `kind:label` steps
    (("dieu:5", "khoan:2")), the path of the unit that holds it (None at the top), and its heading line."""

    path: tuple[str, ...]
    parent: tuple[str, ...] | None
    kind: str
    label: str
    span: Span
    heading: str


@dataclass(frozen=True)
class Words:
    """The words an effect replaces: `old` None when words are added, `new` None when they are struck out."""

    old: str | None
    new: str | None


@dataclass(frozen=True)
class Effect:
    """What one instruction of an amending document does to a provision of another document (or to the whole of it:
    target ()). source is the provision of this document that states it; span and text its instruction line."""

    op: str  # amend | insert | repeal | replace_words | replace | suspend
    target_document: str
    target: tuple[str, ...]
    part: str | None  # "title" when only the heading changes
    source: tuple[str, ...]
    words: Words | None
    span: Span
    text: str


@dataclass(frozen=True)
class Document:
    source: str
    ref: DocRef
    issuer: str | None
    signer: str | None
    status: str | None
    effective: str | None
    encoding: str
    sections: tuple[Section, ...] = ()
    citations: tuple[Citation, ...] = ()
    relations: tuple[Relation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    tasks: tuple[Task, ...] = field(default=())
    warnings: tuple[ExtractionWarning, ...] = field(default=())
    provisions: tuple[Provision, ...] = field(default=())
    effects: tuple[Effect, ...] = field(default=())
