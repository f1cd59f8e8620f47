"""Audit the tasks extraction over a corpus: how many lead values are agencies, how many task texts look like a cell
of another column (a shifted row), and the worst values for review.

Definitions (each a function below, so tests and readers can ask about one value):
- a lead value is *recognised* when normalise_agency finds it in the agency table (with the plan's province and
  issuer, or without the issuer), when it is a collective (Agency.kind: "Các sở, ban, ngành", "địa phương", "cơ
  quan ngang bộ"), or when it starts with an agency head word of extract/data/columns.toml (the cue
  extract.tables.looks_like_agency uses) and a capital letter ("ban hành …", "số nhanh" are not names); a value
  longer than SWALLOWED characters is a swallowed sentence and never recognised.
- a task text *looks like a deadline* when parse_deadline reads the whole text, or when it is short
  (MAX_DEADLINE_WORDS), opens with a deadline word and parse_deadline finds a deadline in it ("Theo dõi …" is a verb,
  not the condition "Theo …" parse_deadline takes it for). A bare duration ("0,25 ngày làm việc":
  the time column of a procedure table) is counted apart, as "duration".
- a task text *looks like an agency* when it is short (MAX_AGENCY_WORDS), opens with an agency head word, and is
  nothing but agency names (split_agencies), role words ("chủ trì", "phối hợp") and separators, each name in the table,
  a collective, or shaped like a name: capitalised, the word after its head capitalised or a locality ("Trung tâm
  Phục vụ …", "UBND huyện …"), and no table name followed by a lower-case word ("Sở Tư pháp rà soát …" is a
  sentence, "Ban hành …", "Báo cáo …", "Phòng, chống …", "Hội nghị …" are not names); a title before a name
  ("Cục trưởng Cục …", "Giám đốc Sở …") is the agency's head, so it counts as the agency.
A text that looks like any of these is *shifted*: the task column holds another column's cell.

Tables read without confidence yield no tasks; the document carries their warnings (Document.warnings), counted here.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from multiprocessing import get_context
from pathlib import Path

from legalkg.extract.agencies import PARENTHETICAL, normalise_agency, patterns, split_agencies, table
from legalkg.extract.deadlines import parse_deadline
from legalkg.extract.models import Document
from legalkg.extract.pipeline import Failure, extract_named, iter_files
from legalkg.extract.tables import looks_like_agency, looks_like_deadline
from legalkg.extract.patterns import cue_alternation
from legalkg.extract.vocab import alternation, columns, data, vocab

SWALLOWED = 120  # characters: a longer lead value is a sentence the lead cell swallowed
MAX_AGENCY_WORDS = 12  # a task text of more words is a sentence, not a list of agencies
MAX_DEADLINE_WORDS = 8
TEXT_SHOWN = 100  # characters of a suspicious text in the worst list
TOP = 20
CHUNK = 8  # files per worker hand-out
# words printed in lower case inside an agency's name
NAME_WORDS = ("tỉnh", "huyện", "xã", "thành", "thị", "quận", "phường", "cấp", "các", "nhân", "và")
TITLE = re.compile(  # the head of an agency before its name
    r"(?:(?:Tổng\s+)?(?:Cục|Vụ|Bộ|Viện|Sở)\s+trưởng|Giám\s+đốc|Chủ\s+tịch|Thủ\s+trưởng|Lãnh\s+đạo|"
    r"Chánh\s+(?:Văn\s+phòng|Thanh\s+tra)|Trưởng\s+(?:[Bb]an|[Pp]hòng)|Người\s+đứng\s+đầu)\s+(?:các\s+)?")
EDGE = " \t\n.,;:-–+•*"
DURATION = re.compile(r"(?i)\d+(?:[,.]\d+)?\s*(?:ngày|giờ|tháng|năm)(?:\s+làm\s+việc)?")
NOT_A_CONDITION = re.compile(r"(?i)theo\s+dõi\b")  # a verb that parse_deadline reads as a condition ("Theo …")
RESIDUE_WORDS = re.compile(r"[\s,;:.\-–+•&/]+|(?<!\w)(?:và|các|Các)(?!\w)")


# --- judging one value -------------------------------------------------------------------------------------------
def in_table(name: str, place: str | None = None, issuer: str | None = None) -> bool:
    """normalise_agency finds the name in the agency table. With the issuer a bare "Sở" becomes the issuing Sở, whose
    name may not be listed ("Văn phòng Sở Nông nghiệp…"), so the name is also tried without it."""
    by_canonical = table().by_canonical
    if normalise_agency(name, place, issuer).canonical in by_canonical:
        return True
    return issuer is not None and normalise_agency(name, place).canonical in by_canonical


def is_collective(name: str) -> bool:
    """A collective phrase by its shape as a whole ("Các sở, ban, ngành", "UBND các huyện, thị xã"); those listed in
    the agency table are in_table. (Agency.kind says "collective" for any text holding such a phrase.)"""
    return bool(patterns().shape.fullmatch(name.strip(EDGE)))


def lead_recognised(name: str, place: str | None = None, issuer: str | None = None) -> str | None:
    """How a lead value is recognised: "table", "collective", "head" (an agency head word), or None."""
    if len(name) > SWALLOWED:
        return None
    if in_table(name, place, issuer):
        return "table"
    if is_collective(name) or normalise_agency(name, place, issuer).kind == "collective":
        return "collective"
    if name[:1].isupper() and looks_like_agency(name):
        return "head"
    return None


def _name_shaped(name: str, place: str | None, issuer: str | None) -> bool:
    """An agency name (or its head's title: "Cục trưởng Cục Du lịch", "Chủ tịch UBND tỉnh"), not a sentence that
    opens with an agency head word."""
    if in_table(name, place, issuer) or is_collective(name):
        return True
    if title := TITLE.match(name):
        return title.end() < len(name) and _name_shaped(name[title.end():], place, issuer)
    head = _heads().match(name)
    if not name[:1].isupper() or not head or not looks_like_agency(name):
        return False
    words = name.split()
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            if words[j][:1].islower() and words[j] not in NAME_WORDS and in_table(" ".join(words[i:j]), place, issuer):
                return False  # a name, then a verb: "Sở Tư pháp rà soát …", "Chủ tịch UBND tỉnh phê duyệt …"
    after = name[head.end():].split(maxsplit=1)
    return not after or after[0][:1].isupper() or after[0] in NAME_WORDS  # "Ban hành …", "Cơ quan thường trực"


@cache
def _heads() -> re.Pattern:
    """The agency head words of extract/data/columns.toml (as extract.tables.looks_like_agency reads them), longest
    first, so the word after the head can be told: "Văn phòng Sở", "Ban hành"."""
    return re.compile(rf"(?i:{alternation(columns()['cues']['agency_heads'])})(?![\wđĐ])")


def _residue(text: str, names: list[str]) -> str:
    """What is left of the text once its agency names, role words and separators are taken out."""
    rest = PARENTHETICAL.sub(" ", text)
    for name in names:
        for form in (name, name.split(" ", 1)[-1]):  # "Các Sở: Nội vụ" gives "Sở Nội vụ"
            if (at := rest.casefold().find(form.casefold())) >= 0:
                rest = f"{rest[:at]} {rest[at + len(form):]}"
                break
    roles, enumerations = _role_words()
    return RESIDUE_WORDS.sub(" ", enumerations.sub(" ", roles.sub(" ", rest))).strip()


@cache
def _role_words() -> tuple[re.Pattern, re.Pattern]:
    """The agency table's role words and enumeration heads ("Các Sở"), compiled once."""
    return (re.compile(rf"(?<!\w)(?:{alternation(table().split['roles'])})(?!\w)"),
            re.compile(rf"(?i)(?<!\w)(?:{alternation(table().split['enumerations'])})(?!\w)"))


def text_looks_like_agency(text: str, place: str | None = None, issuer: str | None = None) -> bool:
    text = text.strip(EDGE)
    if not text or len(text.split()) > MAX_AGENCY_WORDS or not (looks_like_agency(text) or TITLE.match(text)):
        return False
    if in_table(text, place, issuer) or is_collective(text):
        return True
    names = split_agencies(text)
    return bool(names) and not _residue(text, names) and all(_name_shaped(n, place, issuer) for n in names)


def text_is_duration(text: str) -> bool:
    """ "0,25 ngày làm việc", "45 ngày": the time column of a procedure table."""
    return bool(DURATION.fullmatch(text.strip(EDGE)))


def text_looks_like_deadline(text: str, year: int | None = None) -> bool:
    text = text.strip(EDGE)
    if not text:
        return False
    found = None if NOT_A_CONDITION.match(text) else parse_deadline(text, year)
    if found is None:
        return False
    return found.text.strip(EDGE) == text or (len(text.split()) <= MAX_DEADLINE_WORDS and looks_like_deadline(text))


def shifted_kind(text: str, place: str | None = None, issuer: str | None = None, year: int | None = None) -> str | None:
    """"duration", "deadline" or "agency" when a task text looks like a cell of that column, else None."""
    if text_is_duration(text):
        return "duration"
    if text_looks_like_deadline(text, year):
        return "deadline"
    if text_looks_like_agency(text, place, issuer):
        return "agency"
    return None


# --- one file ----------------------------------------------------------------------------------------------------
@dataclass
class FileAudit:
    """What one file contributes; small and picklable (worker processes return it)."""

    source: str
    error: str | None = None
    tasks: int = 0
    leads: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (name, how recognised, task no)
    shifted: list[tuple[str | None, str, str]] = field(default_factory=list)  # (task no, kind, text)
    empty_text: int = 0
    no_lead: int = 0
    deadlines: int = 0
    unparsed: list[tuple[str | None, str]] = field(default_factory=list)  # (task no, deadline as printed)
    warnings: list[str] = field(default_factory=list)  # the warning of each table that yields no tasks


def audit_document(doc: Document) -> FileAudit:
    place, issuer, year = doc.ref.place, doc.issuer, doc.ref.year
    warnings = [w.message for w in doc.warnings if w.kind == "table"]
    audit = FileAudit(doc.source, tasks=len(doc.tasks), warnings=warnings)
    for task in doc.tasks:
        if not task.text.strip(EDGE):
            audit.empty_text += 1
        elif kind := shifted_kind(task.text, place, issuer, year):
            audit.shifted.append((task.no, kind, task.text))
        if not any(p.lead for p in task.parts):
            audit.no_lead += 1
        for part in task.parts:
            audit.leads += [(name, lead_recognised(name, place, issuer), task.no) for name in part.lead]
            if part.deadline:
                audit.deadlines += 1
                if part.deadline_parsed is None:
                    audit.unparsed.append((task.no, part.deadline))
    return audit


def audit_item(item: Document | Failure) -> FileAudit:
    return FileAudit(item.source, error=item.error) if isinstance(item, Failure) else audit_document(item)


def _extracted(files: Iterable[str | os.PathLike]) -> Iterator[Document | Failure]:
    """Each file's document under the path it has on this machine: an audit tells its reader where to look."""
    return extract_named((path, str(path)) for path in files)


def _audit_path(of_item, path: str | os.PathLike):
    """One file extracted (a Failure when it cannot be) and audited: the work of one worker process."""
    return of_item(next(_extracted([path])))


# --- the corpus --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frequent:
    """A value of a worst list (a lead value, a deadline) with how often it occurs and where it occurs first."""

    value: str
    count: int
    source: str
    no: str | None  # the task's number there

    def line(self) -> str:
        return f"  {self.count:>4}  {self.value[:TEXT_SHOWN]!r}  ({Path(self.source).name} #{self.no or '-'})"


@dataclass(frozen=True)
class SuspiciousText:
    source: str
    no: str | None
    kind: str  # "agency" | "deadline" | "duration"
    text: str  # cut to TEXT_SHOWN characters


@dataclass(frozen=True)
class FileIssues:
    source: str
    tasks: int
    unrecognised: int  # lead values
    shifted: int
    empty_text: int
    no_lead: int
    warned_tables: int

    @property
    def issues(self) -> int:
        return self.unrecognised + self.shifted + self.empty_text + self.no_lead


@dataclass
class AuditReport:
    top: int = TOP  # how long the worst lists are
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, error)
    documents_with_tasks: int = 0
    tasks: int = 0
    lead_values: int = 0
    recognised: int = 0
    recognised_by: dict[str, int] = field(default_factory=dict)  # "table" | "collective" | "head" -> count
    distinct_unrecognised: int = 0
    shifted: int = 0
    shifted_by: dict[str, int] = field(default_factory=dict)  # "agency" | "deadline" | "duration" -> count
    empty_text: int = 0
    no_lead: int = 0
    long_leads: int = 0
    deadlines: int = 0
    unparsed_deadlines: int = 0
    warned_tables: dict[str, list[str]] = field(default_factory=dict)  # source -> the warning of each such table
    unrecognised: list[Frequent] = field(default_factory=list)  # most frequent first
    unparsed: list[Frequent] = field(default_factory=list)  # deadlines that do not parse, most frequent first
    suspicious: list[SuspiciousText] = field(default_factory=list)  # files and kinds in turn, so one does not fill it
    worst_files: list[FileIssues] = field(default_factory=list)  # the most issues (FileIssues.issues) first

    @property
    def recognised_share(self) -> float | None:
        return self.recognised / self.lead_values if self.lead_values else None

    @property
    def shifted_share(self) -> float | None:
        return self.shifted / self.tasks if self.tasks else None

    def check(self, floor_recognised: float, ceiling_shifted: float) -> list[str]:
        """What is outside its bound, one sentence each (empty: everything within). No tasks: nothing to check."""
        out = []
        if (share := self.recognised_share) is not None and share < floor_recognised:
            out.append(f"recognised lead values {share:.2%} ({self.recognised} of {self.lead_values}) are below the "
                       f"floor {floor_recognised:.2%}")
        if (share := self.shifted_share) is not None and share > ceiling_shifted:
            out.append(f"task texts that look like another column's cell (an agency, a deadline, a duration) "
                       f"{share:.2%} ({self.shifted} of {self.tasks}) are above the ceiling {ceiling_shifted:.2%}")
        return out

    def json(self) -> dict:
        data = asdict(self)
        data["failures"] = [{"source": s, "error": e} for s, e in self.failures]
        data["recognised_share"], data["shifted_share"] = self.recognised_share, self.shifted_share
        data["documents_with_warned_tables"] = len(self.warned_tables)
        return data

    def lines(self) -> list[str]:
        def share(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.2%}"

        by = ", ".join(f"{k} {v}" for k, v in sorted(self.recognised_by.items()))
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.shifted_by.items())) or "none"
        out = [
            f"files {self.files} ({len(self.failures)} failed), documents with tasks {self.documents_with_tasks}, "
            f"tasks {self.tasks}, lead values {self.lead_values}",
            f"recognised lead values: {share(self.recognised_share)} ({self.recognised} of {self.lead_values}; "
            f"{by or 'none'})",
            f"shifted task texts:     {share(self.shifted_share)} ({self.shifted} of {self.tasks}; {kinds})",
            f"tasks with an empty text {self.empty_text}; tasks with no lead {self.no_lead}; lead values over "
            f"{SWALLOWED} characters {self.long_leads}; deadlines that do not parse {self.unparsed_deadlines} of "
            f"{self.deadlines}",
            f"tables with a warning (no tasks read): {sum(map(len, self.warned_tables.values()))} in "
            f"{len(self.warned_tables)} documents",
        ]
        warned = sorted(self.warned_tables.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        out += [f"  {len(w):>4}  {Path(s).name}: {w[0][:TEXT_SHOWN]}" for s, w in warned[: self.top]]
        distinct = self.distinct_unrecognised
        out.append(f"worst unrecognised lead values ({len(self.unrecognised)} of {distinct} distinct):")
        out += [u.line() for u in self.unrecognised]
        out.append(f"deadlines that do not parse ({len(self.unparsed)} most frequent):")
        out += [u.line() for u in self.unparsed]
        out.append(f"suspicious task texts ({len(self.suspicious)} of {self.shifted}):")
        out += [f"  {s.kind:<8} {Path(s.source).name} #{s.no or '-'}: {s.text!r}" for s in self.suspicious]
        out.append("files with the most issues (of their tasks: unrecognised lead values, shifted texts, empty texts, "
                   "no lead; tables with a warning):")
        out += [f"  {f.tasks:>5} tasks: {f.unrecognised:>4} unrecognised {f.shifted:>4} shifted {f.empty_text:>4} "
                f"empty {f.no_lead:>4} no lead {f.warned_tables:>2} warned  {Path(f.source).name}"
                for f in self.worst_files]
        return out


def _audits(paths: Iterable[str | os.PathLike], jobs: int, of_item=audit_item) -> Iterator:
    """Each file's audit (of_item of its extraction, in worker processes when there are many files): the tasks
    audit's by default."""
    of_file = partial(_audit_path, of_item)
    files = list(iter_files(paths))
    if jobs == 1 or len(files) <= CHUNK:
        yield from map(of_item, _extracted(files))
        return
    with get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(of_file, files, chunksize=CHUNK)


def audit_tasks(paths: Iterable[str | os.PathLike], jobs: int = 1, top: int = TOP) -> AuditReport:
    """Extract every .txt/.md/.html file under paths (one pass, in `jobs` worker processes) and audit their tasks."""
    return summarise(_audits(paths, jobs), top)


def summarise(audits: Iterable[FileAudit], top: int = TOP) -> AuditReport:
    report = AuditReport(top)
    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, str | None]] = {}
    unparsed: Counter[str] = Counter()
    unparsed_first: dict[str, tuple[str, str | None]] = {}
    recognised_by: Counter[str] = Counter()
    shifted_by: Counter[str] = Counter()
    by_file: list[list[SuspiciousText]] = []
    files: list[FileIssues] = []
    for a in audits:
        report.files += 1
        if a.error is not None:
            report.failures.append((a.source, a.error))
            continue
        if a.warnings:
            report.warned_tables[a.source] = a.warnings
        if not a.tasks:
            continue
        report.documents_with_tasks += 1
        report.tasks += a.tasks
        report.empty_text += a.empty_text
        report.no_lead += a.no_lead
        report.deadlines += a.deadlines
        report.unparsed_deadlines += len(a.unparsed)
        for no, deadline in a.unparsed:
            unparsed[deadline] += 1
            unparsed_first.setdefault(deadline, (a.source, no))
        unrecognised = 0
        for name, how, no in a.leads:
            report.lead_values += 1
            report.long_leads += len(name) > SWALLOWED
            if how:
                recognised_by[how] += 1
            else:
                unrecognised += 1
                counts[name] += 1
                first.setdefault(name, (a.source, no))
        shifted_by.update(kind for _, kind, _ in a.shifted)
        by_file += _groups(a.source, a.shifted)
        files.append(FileIssues(a.source, a.tasks, unrecognised, len(a.shifted), a.empty_text, a.no_lead,
                                len(a.warnings)))
    report.recognised, report.recognised_by = sum(recognised_by.values()), dict(recognised_by)
    report.shifted, report.shifted_by = sum(shifted_by.values()), dict(shifted_by)
    report.distinct_unrecognised = len(counts)
    report.unrecognised = _most_frequent(counts, first, top)
    report.unparsed = _most_frequent(unparsed, unparsed_first, top)
    report.suspicious = _in_turn(by_file, top)
    report.worst_files = sorted((f for f in files if f.issues), key=lambda f: (-f.issues, f.source))[:top]
    return report


def _most_frequent(counts: Counter[str], first: dict[str, tuple[str, str | None]], top: int) -> list[Frequent]:
    """Most frequent first; ties by the file and task number of their first occurrence."""
    ranked = sorted(counts, key=lambda v: (-counts[v], first[v][0], first[v][1] or "", v))
    return [Frequent(v, counts[v], *first[v]) for v in ranked[:top]]


def _groups(source: str, shifted: list[tuple[str | None, str, str]]) -> list[list[SuspiciousText]]:
    """A file's suspicious texts by kind, each text once (a procedure table repeats "0,5 ngày làm việc")."""
    groups: dict[str, dict[str, SuspiciousText]] = {}
    for no, kind, text in shifted:
        groups.setdefault(kind, {}).setdefault(text[:TEXT_SHOWN], SuspiciousText(source, no, kind, text[:TEXT_SHOWN]))
    return [list(texts.values()) for _, texts in sorted(groups.items())]


def _in_turn(lists: list[list[SuspiciousText]], top: int) -> list[SuspiciousText]:
    """The first of each list (a file's texts of one kind), then the second of each, … up to top."""
    out: list[SuspiciousText] = []
    depth = 0
    while len(out) < top and any(len(items) > depth for items in lists):
        out += [items[depth] for items in lists if len(items) > depth][: top - len(out)]
        depth += 1
    return out


# --- documents: the citing document's issuer and date ------------------------------------------------------------
# `legalkg audit documents` counts two kinds of misreading over a corpus:
# - an issuer that is not a recognised issuing body. Recognised (issuer_recognised says how): "table" when
#   normalise_agency finds it in the agency table (its province taken off); "central" when it names a central body of
#   extract/data/issuing_bodies.toml ([central]); "name" when it has the shape of a body's name as the header block
#   reader writes one: an optional person's title ("Chủ tịch", "Bộ trưởng"), a head word of issuing_bodies.toml
#   ("UBND", "Sở", "Cục", "Ban" …), then the name's words, each field opening with a capital ("Sở Giáo dục và Đào
#   tạo"), optionally a locality ("tỉnh Quảng Ngãi", "xã Tân An"), no digits, no full stop, no document type word, at
#   most MAX_ISSUER_WORDS words. A document (it has a number or a type) with no issuer at all counts too.
# - a document dated earlier than a document it cites with its own date, in its header, body or appendix (a document
#   cannot cite one not yet signed); the site's lists of related documents do not count. A consolidated text (VBHN)
#   is held to the same test: it is dated by its certification ("Số: …/VBHN-…" / "Hà Nội, ngày …" after the body),
#   which follows every amending document it merges, so citing one is no exception; read as its original's date it
#   would be (that was a misreading, not a licence). Without a certification on the page it has no date, and no test.
MAX_ISSUER_WORDS = 20  # a steering committee's name runs long: "Ban Chỉ đạo … và xây dựng mô hình tổ chức … 02 cấp"
OWN_SECTIONS = ("header", "body", "appendix")
NAME_FIELD_OPENERS = ("và", "-", "–")


@dataclass(frozen=True)
class CitesLater:
    """A document dated before a document it cites: its date, the cited one's key and printed date, the text."""

    date: str
    cited: str
    cited_date: str
    text: str


@dataclass
class DocumentAudit:
    """What one file contributes to the documents audit; small and picklable."""

    source: str
    error: str | None = None
    is_document: bool = False
    key: str | None = None
    issuer: str | None = None
    recognised: str | None = None  # how the issuer is recognised ("table", "central", "name") or None
    cites_later: list[CitesLater] = field(default_factory=list)


def issuer_recognised(issuer: str | None, place: str | None = None) -> str | None:
    """How an issuer is recognised as an issuing body: "table", "central", "name", or None (see above)."""
    if not issuer:
        return None
    if in_table(issuer, place):
        return "table"
    if _central_bodies().fullmatch(issuer):
        return "central"
    return "name" if _name_shaped_issuer(issuer) else None


def _name_shaped_issuer(issuer: str) -> bool:
    if re.search(r"[.:;()/]|\d[^\W\d]|[^\W\d]\d|^\S*\d", issuer) or len(issuer.split()) > MAX_ISSUER_WORDS:
        return False
    if _type_word_inside().search(issuer):
        return False
    rest = _issuer_title().sub("", issuer, count=1)
    head = _issuer_heads().match(rest)
    if not head:
        return False
    name = _issuer_locality().sub("", rest[head.end():]).split()
    if not name:
        return bool(_issuer_locality().search(rest[head.end():]))
    full_head = len(head.group(0).split()) > 1  # "Ban Chỉ đạo quốc gia …": a generic name of its own, then its field
    return (name[0][:1].isupper() or (full_head and name[0][:1].isalpha())) and all(
        w[:1].isupper() for prev, w in zip(name, name[1:]) if prev in NAME_FIELD_OPENERS or prev.endswith(","))


def _words_re(words) -> re.Pattern:
    """The words at the start of a text (match / fullmatch), any case and spacing."""
    return re.compile(rf"(?:{cue_alternation(words)})(?![\wđĐ])", re.IGNORECASE)


@cache
def _central_bodies() -> re.Pattern:
    bodies = data("issuing_bodies.toml")
    return _words_re([*bodies["central"]["names"], "Thủ tướng Chính phủ", "Ban Chấp hành Trung ương"])


@cache
def _issuer_heads() -> re.Pattern:
    return _words_re([*data("issuing_bodies.toml")["heads"]["words"], "UBND", "HĐND"])


@cache
def _issuer_title() -> re.Pattern:
    return re.compile(rf"^(?:{cue_alternation(data('issuing_bodies.toml')['names']['titles'])})\s+", re.IGNORECASE)


@cache
def _issuer_locality() -> re.Pattern:
    levels = cue_alternation(w.lower() for w in data("issuing_bodies.toml")["localities"]["words"])
    return re.compile(rf"\s*(?<![\wđĐ])(?:{levels})\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ].*$")


@cache
def _type_word_inside() -> re.Pattern:
    words = {w for t in vocab().doctypes for w in t.words if " " in w or len(w) > 5}
    return re.compile(rf"(?<![\wđĐ])(?:{alternation(words)})(?![\wđĐ])", re.IGNORECASE)


def audit_citing(doc: Document) -> DocumentAudit:
    own = doc.ref
    audit = DocumentAudit(doc.source, is_document=bool(own.key or own.type), key=own.key, issuer=doc.issuer,
                          recognised=issuer_recognised(doc.issuer, own.place))
    if not own.date:
        return audit
    seen: set[str] = set()
    for c in doc.citations:
        cited = c.ref
        if (c.section in OWN_SECTIONS and cited.date and cited.date > own.date and cited.key != own.key
                and (cited.key or cited.title or "") not in seen):
            seen.add(cited.key or cited.title or "")
            audit.cites_later.append(CitesLater(own.date, cited.key or cited.title or "?", cited.date,
                                                " ".join(c.text.split())[:TEXT_SHOWN]))
    return audit


def audit_citing_item(item: Document | Failure) -> DocumentAudit:
    return DocumentAudit(item.source, error=item.error) if isinstance(item, Failure) else audit_citing(item)


@dataclass
class DocumentsReport:
    top: int = TOP
    files: int = 0
    documents: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    recognised_by: dict[str, int] = field(default_factory=dict)
    unrecognised: list[dict] = field(default_factory=list)  # {source, key, issuer}: every one, worst list cut on print
    cites_later: list[dict] = field(default_factory=list)  # {source, key, date, cited, cited_date, text}
    accepted: dict[str, str] = field(default_factory=dict)  # source file name -> why: source errors, not misreadings

    @property
    def unrecognised_count(self) -> int:
        return sum(1 for u in self.unrecognised if not self._accepted(u["source"]))

    @property
    def cites_later_count(self) -> int:
        return len({c["source"] for c in self.cites_later if not self._accepted(c["source"])})

    def _accepted(self, source: str) -> bool:
        return self._reason(source) is not None

    def _reason(self, source: str) -> str | None:
        """Why a file's finding is accepted (the key is its name, or its whole path), None when it is not."""
        return self.accepted.get(Path(source).name, self.accepted.get(source))

    def check(self, ceiling_unrecognised: int, ceiling_cites_later: int) -> list[str]:
        out = []
        if self.unrecognised_count > ceiling_unrecognised:
            out.append(f"documents whose issuer is not a recognised issuing body: {self.unrecognised_count} "
                       f"(ceiling {ceiling_unrecognised})")
        if self.cites_later_count > ceiling_cites_later:
            out.append(f"documents dated earlier than a document they cite: {self.cites_later_count} "
                       f"(ceiling {ceiling_cites_later})")
        return out

    def json(self) -> dict:
        data = asdict(self)
        data["failures"] = [{"source": s, "error": e} for s, e in self.failures]
        data["unrecognised_count"], data["cites_later_count"] = self.unrecognised_count, self.cites_later_count
        return data

    def lines(self) -> list[str]:
        by = ", ".join(f"{k} {v}" for k, v in sorted(self.recognised_by.items())) or "none"
        out = [f"files {self.files} ({len(self.failures)} failed), documents {self.documents}",
               f"issuers not recognised as an issuing body: {self.unrecognised_count} of {self.documents} documents "
               f"(recognised: {by})"]
        for u in self.unrecognised[: self.top]:
            why = "no issuer read" if u["issuer"] is None else "not a recognised issuing body"
            mark = "  (accepted: source error)" if self._accepted(u["source"]) else ""
            out.append(f"  {Path(u['source']).name}  {u['key'] or '-'}: {u['issuer']!r} ({why}){mark}")
        out.append(f"documents dated earlier than a document they cite: {self.cites_later_count} "
                   f"({len(self.cites_later)} citations)")
        for c in self.cites_later[: self.top]:
            reason = self._reason(c["source"])
            mark = f"  (accepted: {reason})" if reason is not None else ""
            out.append(f"  {Path(c['source']).name}  {c['key'] or '-'} dated {c['date']} cites {c['cited']} dated "
                       f"{c['cited_date']}: {c['text']!r}{mark}")
        return out


def audit_documents(paths: Iterable[str | os.PathLike], jobs: int = 1, top: int = TOP,
                    accepted: dict[str, str] | None = None) -> DocumentsReport:
    """Extract every file under paths and audit each document's issuer and date. `accepted`: file name -> the reason
    its case is an error of the source (named in a test), listed but not counted."""
    report = DocumentsReport(top, accepted=dict(accepted or {}))
    recognised_by: Counter[str] = Counter()
    for a in _audits(paths, jobs, audit_citing_item):
        report.files += 1
        if a.error is not None:
            report.failures.append((a.source, a.error))
            continue
        if not a.is_document:
            continue
        report.documents += 1
        if a.recognised:
            recognised_by[a.recognised] += 1
        else:
            report.unrecognised.append({"source": a.source, "key": a.key, "issuer": a.issuer})
        report.cites_later += [{"source": a.source, "key": a.key, **asdict(c)} for c in a.cites_later]
    report.recognised_by = dict(recognised_by)
    report.unrecognised.sort(key=lambda u: (u["issuer"] is not None, u["source"]))
    return report
