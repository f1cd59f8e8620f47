"""Agencies: split a plan's "Chủ trì" / "Phối hợp" cell into names, normalise a name to its canonical agency (the
alias table in extract/data/agencies.toml), and find agency mentions in short running text (a directive's headings).

split_agencies keeps names as printed; normalise_agency decides identity. The extractor and the evaluation both
compare agencies by normalise_agency(...).canonical, so it is deterministic and merges only spellings of one body.
Canonical names spell everything out except UBND / HĐND ("Văn phòng UBND tỉnh"); the place is kept apart from the
name (Agency.place, the plan's province), so Sở Tư pháp of two provinces shares a canonical name but not a key.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache

from extract.vocab import DATA_DIR, vocab

VI_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
SO = "Sở "
SPACES = re.compile(r"\s+")
PARENTHETICAL = re.compile(r"\s*\([^()]*\)|\s*\([^()]*$")  # "(trên CSDL quốc gia)", or one cut at the cell's end
# Items of a cell: lines, ";", bullets, sentences ("- Công an tỉnh. - Sở …"). A bullet needs the cell start or a stop
# before it, so the hyphen of "Sở Lao động - Thương binh và Xã hội" is not one; "TP. Biên Hòa" ends no sentence.
ITEM_BREAK = re.compile(rf"\s*(?:\n|;|•|^\s*[-+]\s|(?<=[.:])\s*[-+]\s|(?<=[{VI_LOWER}0-9]\.)(?<!\bTp\.)\s+)\s*")
NAME_TRIM = " .,;:…-+•"
SEPARATOR = re.compile(r"(?:\s*(?:[,;]|\bvà\b)\s*)+|\s+")
BARE_SO = re.compile(r"(?<!\w)Sở(?=$|\s+(?:có\s+)?liên quan\b)")  # "Văn phòng Sở", "… thuộc Sở có liên quan"
PROVINCE_TAIL = re.compile(r"\s+(?P<level>(?i:tỉnh|thành phố|TP\.?))\s+(?P<name>\S.*)$")
COORDINATION_CUE = re.compile(r"(?i)phối hợp(?:\s+chặt chẽ)?\s+với\s+")
COORDINATION_GAP = re.compile(r"\s*(?:,|;|\bvà\b)?\s*")
COORDINATION_WINDOW = 240  # chars after the cue handed to spaCy
VI_CONFIG = {"nlp": {"tokenizer": {"use_pyvi": False}}}


@dataclass(frozen=True)
class Agency:
    canonical: str
    place: str | None  # the province; None for central bodies (and when no province is known)
    kind: str  # "agency" | "collective"
    parent: str | None = None  # the body this one belongs to ("Văn phòng Sở X" -> "Sở X")

    @property
    def key(self) -> str:
        """A stable id, "agency:quang-ngai:so-tu-phap"; "vn" stands for no province (central bodies)."""
        return f"agency:{_slug(self.place) if self.place else 'vn'}:{_slug(self.canonical)}"


@dataclass(frozen=True)
class AgencyMention:
    text: str
    start: int
    end: int
    agency: Agency


@dataclass(frozen=True)
class Entry:
    canonical: str
    kind: str
    aliases: tuple[str, ...]
    central: bool
    parent: str | None


@dataclass(frozen=True)
class Table:
    by_signature: dict[str, Entry]
    by_canonical: dict[str, Entry]
    departments: frozenset[str]  # case-folded "tư pháp", "thông tin và tt" … of every "Sở …" name in the table
    rewrites: tuple[tuple[re.Pattern, str], ...]  # OCR slips, then abbreviations
    split: dict
    shape: dict
    markers: tuple[re.Pattern, ...]
    central_prefixes: tuple[str, ...]
    not_central_prefixes: tuple[str, ...]


# --- the table -----------------------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in plain if not unicodedata.combining(c)).lower()).strip("-")


def _words(phrases) -> str:
    """Alternation of phrases, longest first, any run of spaces between their words."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


def _clean(name: str, rewrites) -> str:
    text = SPACES.sub(" ", PARENTHETICAL.sub("", name)).strip(NAME_TRIM)
    for pattern, replacement in rewrites:
        text = pattern.sub(replacement, text)
    return text


def _signature(text: str) -> str:
    """Case, commas, spacing around "&" and "-", and a leading "các" do not tell agencies apart."""
    text = re.sub(r"\s*-\s*", " - ", re.sub(r"\s*&\s*", "&", text.casefold().replace(",", " ")))
    return re.sub(r"^các ", "", SPACES.sub(" ", text).strip())


@cache
def table() -> Table:
    with open(DATA_DIR / "agencies.toml", "rb") as fh:
        data = tomllib.load(fh)
    rewrites = tuple((re.compile(p), r) for p, r in data["rewrites"]["pairs"]) + tuple(
        (re.compile(rf"(?<!\w)(?:{_words([k])})(?!\w)"), v) for k, v in data["abbreviations"].items()
    )
    entries = [
        Entry(e["canonical"], kind, tuple(e.get("aliases", ())), e.get("scope") == "central", e.get("parent"))
        for kind in ("collective", "agency")
        for e in data[kind]
    ]
    names = [(n, e) for e in entries for n in (e.canonical, *e.aliases)]
    return Table(
        by_signature={_signature(_clean(n, rewrites)): e for n, e in names},
        by_canonical={e.canonical: e for e in entries},
        departments=frozenset(n.removeprefix(SO).casefold() for n, _ in names if n.startswith(SO)),
        rewrites=rewrites,
        split=data["split"],
        shape=data["collective_shape"],
        markers=tuple(re.compile(m) for m in data["collective_shape"]["markers"]),
        central_prefixes=tuple(data["central"]["prefixes"]),
        not_central_prefixes=tuple(data["central"]["not_prefixes"]),
    )


def aliases_of(canonical: str) -> tuple[str, ...]:
    """The spellings the table lists for a canonical name (empty for names not in the table)."""
    entry = table().by_canonical.get(canonical)
    return entry.aliases if entry else ()


# --- patterns built from the table ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Patterns:
    known: re.Pattern  # table names holding "," or "và": never split
    shape: re.Pattern  # collective phrases by shape
    head: re.Pattern  # the start of a name
    generic: re.Pattern  # any other name: up to a separator, a "và" before a new name, or a role word
    role_run: re.Pattern  # role words opening a fragment
    role_tail: re.Pattern  # role words after a name
    continues: re.Pattern  # after role words: nothing, or a separator and a new name
    enumeration: re.Pattern  # "Các Sở: …"


def _shape() -> str:
    """"Thủ trưởng các Sở, ban, ngành", "Các phòng, cơ quan, đơn vị thuộc Sở có liên quan", "Sở, ban ngành",
    "UBND các huyện, thị xã, thành phố", "UBND cấp xã" (case-insensitive)."""
    s = table().shape
    noun, loc = _words(s["nouns"]), _words(s["localities"])
    more_nouns = rf"(?:\s*,\s*(?:{noun})|\s+(?:{noun}))"
    groups = rf"(?:các\s+(?:{noun}){more_nouns}*|sở{more_nouns}+)(?:\s+(?:{_words(s['qualifiers'])}))*"
    committees = rf"(?:{_words(s['committees'])})\s+(?:các\s+(?:{loc})(?:\s*,\s*(?:{loc}))*|cấp\s+(?:{loc}))"
    return rf"(?i:(?:(?:{_words(s['holders'])})\s+)?(?:{groups}|{committees}))(?!\w)"


@cache
def patterns() -> Patterns:
    t = table()
    protected = {n for e in t.by_canonical.values() for n in (e.canonical, *e.aliases) if "," in n or " và " in n}
    role = rf"(?:{_words(t.split['roles'])})(?!\w)"  # lower case only: "Trung tâm Kiểm soát bệnh tật" is a name
    head = rf"(?i:(?:{_words(t.split['heads'])})(?!\w))"
    roles = rf"{role}(?:(?:\s*,\s*|\s+và\s+|\s+){role})*"
    end = rf"(?=\s*[,;]|\s*$|\s+và\s|\s+{role})"
    return Patterns(
        known=re.compile(rf"(?i:{_words(protected)}){end}"),
        shape=re.compile(_shape() + end),
        head=re.compile(head),
        # a role word right after a bare head is part of the name: "Ban chỉ đạo CCHC tỉnh"
        generic=re.compile(rf"(?:{head}\s+)?.+?(?=\s*[,;]|\s+và\s+{head}|\s+{role}|\s*$)"),
        role_run=re.compile(roles),
        role_tail=re.compile(rf"\s+{roles}"),
        continues=re.compile(rf"\s*$|\s*(?:[,;]|và\s)\s*(?={head})"),
        enumeration=re.compile(rf"(?i:(?P<lead>{_words(t.split['enumerations'])}))\s*:\s*"),
    )


# --- splitting a cell ----------------------------------------------------------------------------------------------
def split_agencies(cell: str) -> list[str]:
    """The agency names in a lead / coordinating cell, in order, as printed; duplicates dropped."""
    names: list[str] = []
    for item in ITEM_BREAK.split(PARENTHETICAL.sub("", cell)):
        for name in _split_item(item.strip(NAME_TRIM)):
            if name not in names:
                names.append(name)
    return names


def _split_item(item: str) -> list[str]:
    p = patterns()
    names: list[str] = []
    prefix, pos = None, 0
    if m := p.enumeration.match(item):
        prefix, pos = table().split["enumerations"][SPACES.sub(" ", m["lead"]).casefold()], m.end()
    while pos < len(item):
        if m := SEPARATOR.match(item, pos):
            pos = m.end()
            continue
        if not (role := p.role_run.match(item, pos)):  # a fragment can be only a role ("…, tổng hợp và …")
            m = p.known.match(item, pos) or p.shape.match(item, pos) or p.generic.match(item, pos)
            names.extend(_expand(m.group(0).strip(NAME_TRIM), names, prefix))
            pos = m.end()
            role = p.role_tail.match(item, pos)
        if role:
            pos = role.end()
            if not p.continues.match(item, pos):
                break  # the role words open a clause ("thực hiện số hóa"): the rest of the item names no one
    return names


def _expand(name: str, before: list[str], prefix: str | None) -> list[str]:
    """Shared prefixes: "Các Sở: Nội vụ, Tài chính và Y tế" -> Sở Nội vụ, Sở Tài chính, Sở Y tế; "UBND cấp huyện,
    cấp xã" (or ", xã") -> "UBND cấp xã"; "Sở Tư pháp, Xây dựng" -> "Sở Xây dựng"; and a run-on "Sở Thông tin và
    Truyền thông Tư pháp" -> two Sở."""
    t, previous = table(), before[-1] if before else ""
    if not name:
        return []
    first = name.split(" ", 1)[0]
    if prefix and not patterns().head.match(name):
        return [f"{prefix} {part}" for part in _departments(name.split(" ")) or [name]]
    if first in t.split["shared_prefix_words"] and f" {first} " in previous:
        return [previous[: previous.index(f" {first} ") + 1] + name]
    if name in t.shape["localities"] and (m := re.search(r"(?<= cấp )\S+$", previous)):
        return [previous[: m.start()] + name]
    if previous.startswith(SO) and name.casefold() in t.departments:
        return [SO + name]
    if name.startswith(SO) and _signature(_canonical_text(name)) not in t.by_signature:
        if (parts := _departments(name.removeprefix(SO).split(" "))) and len(parts) > 1:
            return [SO + part for part in parts]
    return [name]


def _departments(words: list[str]) -> list[str] | None:
    """The words as a sequence of known department names (longest first), "và" allowed between them, or None."""
    if not words:
        return []
    for end in range(len(words), 0, -1):
        if " ".join(words[:end]).casefold() in table().departments:
            rest = words[end + 1 :] if words[end : end + 1] == ["và"] else words[end:]
            if (tail := _departments(rest)) is not None:
                return [" ".join(words[:end]), *tail]
    return None


# --- normalising a name --------------------------------------------------------------------------------------------
def _canonical_text(name: str) -> str:
    """Cleaned, OCR slips fixed and abbreviations applied (the canonical convention)."""
    return _clean(name, table().rewrites)


def _province(text: str | None) -> str | None:
    if not text:
        return None
    text = SPACES.sub(" ", text).strip()
    provinces = vocab().provinces
    return provinces.get(text.casefold()) or provinces.get(re.sub(r"(?i)^tỉnh ", "", text).casefold())


def _trailing_province(text: str) -> list[tuple[str, str]]:
    """ "Đài PTTH Đồng Nai" -> [("Đài PTTH", "Đồng Nai")]: the name without a province printed at its end."""
    words = text.split(" ")
    cuts = range(len(words) - 1, 0, -1)
    return [(" ".join(words[:cut]), p) for cut in cuts if (p := _province(" ".join(words[cut:])))]


def _lookup(text: str) -> tuple[Entry | None, str, str | None]:
    """The table entry for a name (or None), the name without its province, and the province the name carries.
    "Công an tỉnh Đồng Nai" -> "Công an tỉnh"; "Sở Tư pháp tỉnh Đồng Nai" -> "Sở Tư pháp"; "UBND thành phố Quảng
    Ngãi" (a city inside a province, not a province) stays whole."""
    by_signature = table().by_signature
    tail = PROVINCE_TAIL.search(text)
    province = _province(f"{tail['level']} {tail['name']}") if tail else None
    if province:
        bare, with_level = text[: tail.start()], f"{text[: tail.start()]} {tail['level']}"
        names = [bare, with_level] if bare.startswith(SO) else [with_level, bare]
    else:
        names = [text]
    for name in names:
        if entry := by_signature.get(_signature(name)):
            return entry, name, province
    if not province:
        for name, printed in _trailing_province(text):
            if entry := by_signature.get(_signature(name)):
                return entry, name, printed
    return None, names[0], province


def _is_central(canonical: str) -> bool:
    t = table()
    return canonical.startswith(t.central_prefixes) and not canonical.startswith(t.not_central_prefixes)


def _kind(canonical: str) -> str:
    folded = canonical.casefold()
    return "collective" if any(m.search(folded) for m in table().markers) else "agency"


def _issuer_department(issuer: str | None, place: str | None) -> Agency | None:
    agency = normalise_agency(issuer, place) if issuer else None
    return agency if agency and agency.kind == "agency" and agency.canonical.startswith(SO) else None


def normalise_agency(name: str, place: str | None = None, issuer: str | None = None) -> Agency:
    """The canonical agency for a printed name. `place` is the plan's province; `issuer` resolves names relative to
    the issuing Sở ("Văn phòng Sở" of Sở NN&PTNT -> "Văn phòng Sở Nông nghiệp và Phát triển nông thôn")."""
    entry, text, own_place = _lookup(_canonical_text(name))
    if entry:
        canonical, kind, parent, central = entry.canonical, entry.kind, entry.parent, entry.central
    else:
        canonical = text[:1].upper() + text[1:]
        kind, parent, central = _kind(canonical), None, _is_central(canonical)
    if BARE_SO.search(canonical) and (department := _issuer_department(issuer, place)):
        canonical, parent = BARE_SO.sub(department.canonical, canonical), department.canonical
    return Agency(canonical, None if central else (own_place or _province(place) or place), kind, parent)


# --- mentions in running text (spaCy) ------------------------------------------------------------------------------
@cache
def _pipeline():
    """A blank Vietnamese pipeline whose tokenizer also splits punctuation off words (the vi tokenizer without pyvi
    splits on whitespace only, so "vụ," would never match "vụ"), a PhraseMatcher over every name in the table (LOWER)
    and token patterns for names not in it ("Sở <Capitalised …>", "UBND huyện <Capitalised …>")."""
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("vi", config=VI_CONFIG)
    d = nlp.Defaults
    nlp.tokenizer = Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(d.prefixes).search,
                              suffix_search=compile_suffix_regex(d.suffixes).search,
                              infix_finditer=compile_infix_regex(d.infixes).finditer)
    t = table()
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases.add("AGENCY", [nlp.make_doc(n) for e in t.by_canonical.values() for n in (e.canonical, *e.aliases)])
    title = {"IS_TITLE": True, "OP": "+"}
    generic = Matcher(nlp.vocab)
    generic.add("SO", [[{"ORTH": "Sở"}, title], [{"ORTH": "Sở"}, title, {"LOWER": "và"}, title]], greedy="LONGEST")
    generic.add("COMMITTEE", [[*({"LOWER": w.casefold()} for w in f"{c} {loc}".split()), title]
                              for c in t.shape["committees"] for loc in t.shape["localities"]], greedy="LONGEST")
    return nlp, phrases, generic, re.compile(_shape())


def find_agency_mentions(text: str, place: str | None = None) -> list[AgencyMention]:
    """Agency mentions in a short span (a heading, a sentence): table names, collective phrases by shape, and generic
    "Sở …" / "UBND huyện …". spaCy tokenizes at about 0.35 MB/s: do not hand this whole documents."""
    from spacy.util import filter_spans

    nlp, phrases, generic, shape = _pipeline()
    doc = nlp(text)
    spans = [doc[s:e] for _, s, e in (*phrases(doc), *generic(doc))]
    spans += [span for m in shape.finditer(text) if (span := doc.char_span(*m.span(), alignment_mode="contract"))]
    return [
        AgencyMention(span.text, span.start_char, span.end_char, normalise_agency(span.text, place))
        for span in sorted(filter_spans(spans), key=lambda s: s.start)
    ]


def coordinating_in(text: str, place: str | None = None) -> list[str]:
    """The agencies named right after "phối hợp (chặt chẽ) với", as printed, up to the first word that is neither a
    name nor a separator."""
    found: list[str] = []
    for cue in COORDINATION_CUE.finditer(text):
        window = text[cue.end() : cue.end() + COORDINATION_WINDOW]
        pos = 0
        for mention in find_agency_mentions(window, place):
            if COORDINATION_GAP.fullmatch(window, pos, mention.start) is None:
                break
            if mention.text not in found:
                found.append(mention.text)
            pos = mention.end
    return found
