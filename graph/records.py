"""What the store takes: the nodes, edges, conflicts and law facts one source file contributes (a fragment).

The builder (graph.build) makes fragments from extracted documents; the store (graph.store) merges them. Neither
imports the other: both import this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from legalkg.graph.laws import LawMention, LawNumber

DOCUMENT, AGENCY, TASK, PERSON = "Document", "Agency", "Task", "Person"
TASK_RULE = "task:"  # the rule of every edge a task's row gives (a provision's part_of is "structure:<kind>")
PROVISION, EFFECT = "Provision", "Effect"  # a unit of a document's text (Điều, khoản …); one change it undergoes
DOCUMENT_RELATIONS = ("cites", "based_on", "implements", "amends", "replaces", "repeals", "guides", "related")
# Provisions (extract.models.Provision.kind) and what an effect does to one (extract.models.Effect.op).
PROVISION_KINDS = ("phan", "chuong", "muc", "dieu", "khoan", "diem", "tiet", "phu_luc", "mau", "bieu")
EFFECT_OPS = ("amend", "insert", "repeal", "replace_words", "replace", "suspend")
# provision (or amending document) → provision (or changed document), one per effect: "effect_amend" …
EFFECT_RELATIONS = tuple(f"effect_{op}" for op in EFFECT_OPS)
# Effect → the provision it changes (affects), the provision stating it (stated_in), the changed document
# (on_document); document → provision it cites (cites_provision); task → provision it cites (depends_on_provision).
# part_of is shared with tasks: provision → its parent provision, or its document at the top.
PROVISION_RELATIONS = ("cites_provision", "depends_on_provision", "affects", "stated_in", "on_document",
                       *EFFECT_RELATIONS)


@dataclass(frozen=True)
class Node:
    iri: str
    kind: str
    label: str
    props: dict = field(hash=False, compare=False)
    stub: bool = False  # a document known only from citations
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    src: str
    rel: str
    dst: str
    start: int | None
    end: int | None
    rule: str


@dataclass(frozen=True)
class Conflict:
    iri: str | None
    kind: str
    values: tuple[str, ...]
    start: int | None
    end: int | None
    note: str


@dataclass(frozen=True)
class Unresolved:
    text: str
    start: int
    end: int
    reason: str


@dataclass
class Fragment:
    source: str  # the source's name: relative to what was built (extract.pipeline.iter_named_files)
    sha256: str
    document: str  # IRI of the source's own document
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    law_numbers: list[LawNumber] = field(default_factory=list)  # titles ↔ numbers the document states
    law_mentions: list[LawMention] = field(default_factory=list)  # laws it cites by name (graph.laws resolves them)
    file: str | None = None  # where the bytes were read, when not at `source` (the annotated view reads them again)


def content_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
