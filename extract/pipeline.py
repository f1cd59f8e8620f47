"""files → Document records: decode, find the layout, read metadata, find and resolve citations, type relations.

The public entry points are `extract_text` (a string), `extract_file` (a path) and `extract_paths` (files and
directories, recursively). Offsets are matched on the normalised text and reported in the decoded original text.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from legalkg.extract import citations as C
from legalkg.extract import relations as R
from legalkg.extract import resolve as V
from legalkg.extract.effective import effective_date
from legalkg.extract.layout import Layout, find_layout
from legalkg.extract.metadata import read_metadata
from legalkg.extract.models import (Citation, Conflict, DocRef, Document, Effect, ExtractionWarning, Mention, Provision,
                                    Relation, Section, Span, Task, TaskPart, Words)
from legalkg.extract.effects import Cited, find_effects, instructs
from legalkg.extract.provision_refs import named_before, named_within
from legalkg.extract.structure import find_provisions
from legalkg.extract.agencies import normalise_agency
from legalkg.extract.tasks import find_tasks
from legalkg.extract.text import ExtractError, SourceText, normalise, read_source
from legalkg.extract.vocab import CONSOLIDATED_TYPE

SUFFIXES = (".txt", ".md", ".html", ".htm")
NO_CITATIONS = ("chrome", "metadata")
NOT_STATED = ("cites", "related", "title_mention")  # a citation's relations that state nothing of the document's own
DIGIT = re.compile(r"\d")
FINGERPRINT_DIGITS = 12  # hex digits of the text's hash that identify a document with neither number nor title
TITLE_REACH = 160  # characters of a title before the document it amends, where its cue stands


@dataclass(frozen=True)
class Failure:
    """A file that could not be read; reported, never silently dropped."""

    source: str
    error: str


def extract_text(raw: str, source: str = "<text>", encoding: str = "utf-8") -> Document:
    return extract_source(normalise(raw, encoding), source)


def extract_file(path: str | os.PathLike, name: str | None = None) -> Document:
    """The document in a file; `name` is what records call its source (the path itself when not given)."""
    return extract_source(read_source(path), name or str(path))


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    for path, _ in iter_named_files(paths):
        yield path


def iter_named_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str]]:
    """Each document file under paths, with its name relative to what was asked for: a folder's files are named from
    the folder ("corpus/seeds/nd-61.txt" for a build of "../shared/corpus"), a file by the relative path it was given
    as, or its own name when that path is absolute or climbs (".."). Names are what a store and its answers show;
    where the machine keeps the file is nobody else's business."""
    for path in map(Path, paths):
        if path.is_dir():
            root = path.resolve()
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
                yield file, f"{root.name}/{file.relative_to(path).as_posix()}" if root.name else file.as_posix()
        elif path.is_absolute() or ".." in path.parts:
            yield path, path.name
        else:
            yield path, path.as_posix()


def extract_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Document | Failure]:
    """Each file's document, named as a build names it (iter_named_files)."""
    return extract_named(iter_named_files(paths))


def extract_named(files: Iterable[tuple[str | os.PathLike, str]]) -> Iterator[Document | Failure]:
    """Each (file, name)'s document under that name; a Failure, never an exception, for a file that cannot be read."""
    for path, name in files:
        try:
            yield extract_file(path, name)
        except (ExtractError, OSError) as exc:
            yield Failure(name, str(exc))


def extract_source(src: SourceText, source: str) -> Document:
    text = src.text
    if not text.strip():  # BOMs, zero-width characters and soft hyphens are gone already (extract.text.normalise)
        raise ExtractError(f"{source}: empty document: no text")
    layout = find_layout(text)
    meta = read_metadata(text, layout.doc_start, layout.doc_end, layout.text_of(text, "metadata"))
    ctx = V.CitingContext(meta.key, meta.type, meta.date, meta.place)
    own = DocRef(meta.key, meta.type, meta.year, meta.place, meta.date, meta.title,
                 fingerprint=None if meta.key else fingerprint(text))

    found, self_found, misnamed = V.split_self_references(_find_all(text, layout), ctx, text)
    short = V.resolve_short_forms(text, found, C.find_short_forms(text))
    found = sorted(found + [u for u in short.uses if layout.section_at(u.start) not in NO_CITATIONS], key=lambda f: f.start)
    sections = [layout.section_at(f.start) for f in found]
    # a consolidated text speaks in the voice of the documents it consolidates ("Nghị định này thay thế …"): its
    # own rank (the certifying ministry's) says nothing of what its text may change
    own_rank = None if meta.type == CONSOLIDATED_TYPE else R.rank_of_number(meta.key, meta.type)
    typed = R.type_relations(text, found, sections, layout.doc_start, own_rank)

    def span(start: int, end: int) -> Span:
        return Span(*src.raw_span(start, end))

    def ref(f: C.Found) -> DocRef:
        hint = None
        if layout.section_at(f.start) == "related":  # "… tỉnh Kon Tum" at the end of the list line
            line_end = text.find("\n", f.end)
            hint = text[f.end : line_end if line_end >= 0 else len(text)]
        ident = V.identify(f, ctx, hint)
        date = f.date if V.date_agrees(f) else None  # the conflict is reported (year_conflicts)
        return DocRef(f.key, f.type, ident.year, ident.place, date, f.title, f.kind)

    named = functools.cache(lambda at: tuple(named_before(text, at)))  # citations, tasks and self mentions ask for them
    citations, relations = [], []
    for t, section in zip(typed, sections):
        target = ref(t.found)
        if t.relation != "title_mention":
            s = span(t.found.start, t.found.end)
            citations.append(Citation(target, t.relation, section, s, src.raw[s.start : s.end],
                                      f"{t.found.rule}/{t.rule}", t.found.alias,
                                      named(t.found.start)))
        for link in t.links:
            relations.append(Relation(ref(link.source), link.relation, ref(link.target), span(link.start, link.end), link.rule))
        if t.relation not in NOT_STATED:
            relations.append(Relation(own, t.relation, target, span(t.found.start, t.found.end), t.rule))

    tasks, doubtful = find_tasks(text, [(layout.doc_start, layout.doc_end)], _cites_of(short.definitions), meta.year,
                       directive=meta.type == "Chỉ thị", skip=layout.in_kind("chrome"))
    provisions = find_provisions(text, layout)
    itself = C.find_self_mentions(text)  # "Nghị định này": effects and mentions both read them
    effects = find_effects(text, provisions, _cited(found, self_found, itself), _amended(text, typed, sections),
                           skip=layout.in_kind("chrome"))
    return Document(
        source=source,
        ref=own,
        issuer=meta.issuer,
        signer=meta.signer,
        status=meta.status,
        effective=effective_date(text, layout.doc_start, layout.doc_end, meta.date, meta.type) or meta.effective,
        encoding=src.encoding,
        sections=tuple(Section(k, span(s, e)) for k, s, e in layout.sections),
        citations=tuple(citations),
        relations=tuple(_dedupe(relations)),
        mentions=tuple(_mentions(src, text, layout, self_found, short.unresolved, span, provisions, itself, named)),
        conflicts=tuple(_conflicts(found, misnamed, meta.key, span)),
        tasks=tuple(_task_record(t, span, meta.place, meta.issuer, _provisions_in(named, found, t.start, t.end))
                    for t in tasks),
        warnings=tuple(ExtractionWarning("table", t.warning, span(t.start, t.end)) for t in doubtful),
        provisions=tuple(Provision(h.path, h.parent, h.kind, h.label, span(h.start, h.end), h.heading)
                         for h in provisions),
        effects=tuple(_effect_record(e, src, span) for e in effects),
    )


def _cited(found: list[C.Found], self_found: list[C.Found], itself) -> list[Cited]:
    """The documents an instruction may name: citations, and the document itself ("Nghị định này", its number)."""
    named = [Cited(f.start, f.end, _target_key(f)) for f in found]
    named += [Cited(f.start, f.end, None) for f in self_found]
    named += [Cited(m.start, m.end, None) for m in itself]
    return sorted(named, key=lambda c: c.start)


def _target_key(f: C.Found) -> str | None:
    """How effects name a document: its number, or "Luật <title>" for a law cited by name (as relations do)."""
    return f.key or DocRef(None, f.type, title=f.title, kind=f.kind).label


def _amended(text: str, typed, sections) -> str | None:
    """The document the title says this one amends: what its instructions change unless they name another. The
    relation typing reads it ("Sửa đổi, bổ sung một số điều của Thông tư số …"); a title in capitals, which it may
    leave "cites", is read by its cue ("SỬA ĐỔI, BỔ SUNG … CỦA THÔNG TƯ SỐ …")."""
    header = [t for t, section in zip(typed, sections) if section == "header" and t.found.key]
    typed_so = next((t.found.key for t in header if t.relation in ("amends", "repeals", "replaces")), None)
    return typed_so or next((t.found.key for t in header if instructs(text, max(0, t.found.start - TITLE_REACH),
                                                                        t.found.start)), None)


def _effect_record(e, src: SourceText, span) -> Effect:
    s = span(e.start, e.end)
    words = None if e.words is None else Words(*e.words)
    return Effect(e.op, e.target_document, e.target, e.part, e.source, words, s, " ".join(src.raw[s.start:s.end].split()))


def fingerprint(text: str) -> str:
    """What identifies a document that prints neither number nor title: a hash of its words (NFC, whitespace
    collapsed), so the same text read again, or saved with other line endings or encoding, gets the same."""
    words = " ".join(text.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


def _cites_of(definitions: dict[str, C.Found]):
    """Keys of the documents a table cell cites: numbers (laws with a number too), and short forms defined in the
    document ("Đề án 06", "Nghị định 61")."""
    free = V.free_aliases(definitions)

    def cites(cell: str) -> list[str]:
        if not DIGIT.search(cell):
            return []  # every citation form, short forms included, carries a number
        laws, absorbed = C.find_laws(cell)
        found = [(f.start, f.key) for f in C.find_numbers(cell, absorbed) + laws if f.key]
        uses = [u for u in C.find_short_forms(cell) if not u.is_definition] + C.find_free_alias_uses(cell, free, 0)
        found += [(u.start, definitions[u.alias].key) for u in uses if u.alias in definitions and definitions[u.alias].key]
        return [key for _, key in sorted(found)]

    return cites


def _provisions_in(named, found: list[C.Found], start: int, end: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(document key, provision path) of every provision a task's text cites with a document (`found`: in text
    order; `named`: the provisions named before an offset)."""
    first, last = (bisect.bisect_left(found, at, key=lambda f: f.start) for at in (start, end))
    return tuple(dict.fromkeys((f.key, path) for f in found[first:last] if f.key for path in named(f.start)))


def _task_record(t, span, place: str | None, issuer: str | None, provisions=()) -> Task:
    def agencies(names: tuple[str, ...]) -> tuple:
        return tuple(normalise_agency(n, place, issuer) for n in names)

    parts = tuple(TaskPart(product, lead, coordinating, deadline, parsed, agencies(lead), agencies(coordinating))
                  for product, lead, coordinating, deadline, parsed in t.parts)
    return Task(t.no, t.section, t.objective, t.text, parts, t.cites, span(t.start, t.end), t.layout, provisions)


def _find_all(text: str, layout: Layout) -> list[C.Found]:
    laws, absorbed = C.find_laws(text)
    everything = C.find_numbers(text, absorbed) + laws
    return sorted((f for f in everything if layout.section_at(f.start) not in NO_CITATIONS), key=lambda f: f.start)


def _mentions(src, text, layout, self_found, unresolved, span, provisions, itself, named) -> Iterator[Mention]:
    for m in itself:
        if layout.section_at(m.start) not in NO_CITATIONS:
            s = span(m.start, m.end)
            yield Mention(src.raw[s.start : s.end], s, "self", f"{m.type} này: the document itself", named(m.start))
    for w in named_within(text, provisions, layout.doc_start, layout.doc_end):
        if layout.section_at(w.start) in ("header", "body"):
            s = span(w.start, w.end)
            yield Mention(src.raw[s.start : s.end], s, "self", "a provision of the document itself", w.paths)
    for f in self_found:
        if layout.section_at(f.start) not in ("header", *NO_CITATIONS):
            s = span(f.start, f.end)
            yield Mention(src.raw[s.start : s.end], s, "self", "the document's own number")
    for u in unresolved:
        if layout.section_at(u.start) not in NO_CITATIONS:
            s = span(u.start, u.end)
            yield Mention(src.raw[s.start : s.end], s, "unresolved", "short form not defined before this point in the document")


def _conflicts(found, misnamed, own_key, span) -> Iterator[Conflict]:
    for f in misnamed:
        yield Conflict("self_number", own_key, (own_key or "", f.key or ""), (span(f.start, f.end),),
                       f"the document calls itself {f.key} where its header says {own_key}")
    for key, dates, mentions in V.date_conflicts(found):
        yield Conflict("date", key, tuple(dates), tuple(span(m.start, m.end) for m in mentions),
                       f"{key} is printed with {len(dates)} different dates")
    for f in V.year_conflicts(found):
        yield Conflict("year", f.key, (f.key, f.date), (span(f.start, f.end),), "the year in the number differs from the date")


def _dedupe(relations: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in relations:
        k = (r.source.identity, r.relation, r.target.identity)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
