"""Agencies: split a plan's "Chủ trì" / "Phối hợp" cell into names, normalise a name to its canonical agency (the
alias table in extract/data/agencies.toml), and find agency mentions in short running text (a directive's headings).

split_agencies keeps names as printed (role words, scope phrases and most parentheticals removed, shared prefixes
expanded); lead_and_coordinating also moves the names a lead cell gives after "phối hợp với" to the coordinating ones.
The splitting rules are regular expressions built from the words of agencies.toml ([split], [split.collective]): no
rule knows a document. normalise_agency decides identity: the extractor and the evaluation both compare agencies by
normalise_agency(...).canonical, so it is deterministic and merges only spellings of one body.
Canonical names spell everything out except UBND / HĐND ("Văn phòng UBND tỉnh"); the place is kept apart from the
name (Agency.place, the plan's province), so Sở Tư pháp of two provinces shares a canonical name but not a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from legalkg.extract.memo import remembered
from legalkg.extract.vocab import data as vocab_data
from legalkg.extract.vocab import vocab

VI_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VI_UPPER = VI_LOWER.upper()
SO = "Sở "
SPACES = re.compile(r"\s+")
PARENTHETICAL = re.compile(r"\s*\([^()]*\)|\s*\([^()]*$")  # "(trên CSDL quốc gia)", or one cut at the cell's end
# Items of a cell: lines, ";", bullets, sentences ("- Công an tỉnh. - Sở …"), numbered items ("1. Bộ Tài chính …
# 2. Các bộ, …", "a) …"). A bullet needs the cell start or a stop before it, so the hyphen of "Sở Lao động - Thương
# binh và Xã hội" is not one; "TP. Biên Hòa" ends no sentence; a number must be followed by a capital letter.
ITEM_BREAK = re.compile(rf"\s*(?:\n|;|•|^\s*[-+]\s|(?<=[.:])\s*[-+]\s|(?<=[{VI_LOWER}0-9]\.)(?<!\bTp\.)\s+"
                        rf"|(?:^|(?<=\s))(?:\d{{1,2}}[.)]|[a-zđ]\))\s+(?=[{VI_UPPER}]))\s*")
NAME_TRIM = " .,;:…-+•"
MAX_MODIFIER_WORDS = 3  # words after a collective, before any qualifier opener, that may still be a modifier
SEPARATOR = re.compile(r"(?:\s*(?:[,;]|\bvà\b)\s*)+|\s+")
TITLE_WORD = re.compile(rf"[{VI_UPPER}][{VI_LOWER}]")  # "Tài chính", "In và Phát hành"; not "VTV"
BARE_SO = re.compile(r"(?<!\w)Sở(?=$|\s+(?:có\s+)?liên quan\b)")  # "Văn phòng Sở", "… thuộc Sở có liên quan"
PROVINCE_LEVEL = re.compile(r"(?i)^tỉnh ")
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
    fields: dict[str, frozenset[str]]  # per field head ("Sở", "Bộ"): the case-folded rest of the table's names
    fold: Callable[[str], str]  # one placement of tone marks ("hoá" -> "hóa"), same length
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


def _folder(tones: tuple[tuple[str, str], ...]):
    """A function giving one placement of the tone mark in "oa", "oe", "uy" ("Văn hoá" -> "Văn hóa"), keeping the
    length of the text (so offsets into the folded text are offsets into the printed one). One search first: most
    names hold none of the spellings, and a replacement each would cost them as much as one that does."""
    any_tone = re.compile("|".join(re.escape(old) for old, _ in tones))

    def fold(text: str) -> str:
        if not any_tone.search(text):
            return text
        for old, new in tones:
            text = text.replace(old, new)
        return text
    return fold


def _fold_tones(text: str) -> str:
    return table().fold(text)


def _signature_with(fold, text: str) -> str:
    """Case, tone placement, commas, spacing around "&" and "-", and a leading "các" do not tell agencies apart."""
    text = re.sub(r"\s*-\s*", " - ", re.sub(r"\s*&\s*", "&", fold(text).casefold().replace(",", " ")))
    return re.sub(r"^các ", "", SPACES.sub(" ", text).strip())


def _signature(text: str) -> str:
    return _signature_with(_fold_tones, text)


@cache
def table() -> Table:
    data = vocab_data("agencies.toml")
    rewrites = tuple((re.compile(p), r) for p, r in data["rewrites"]["pairs"]) + tuple(
        (re.compile(rf"(?<!\w)(?:{_words([k])})(?!\w)"), v) for k, v in data["abbreviations"].items()
    )
    entries = [
        Entry(e["canonical"], kind, tuple(e.get("aliases", ())), e.get("scope") == "central", e.get("parent"))
        for kind in ("collective", "agency")
        for e in data[kind]
    ]
    names = [(n, e) for e in entries for n in (e.canonical, *e.aliases)]
    fold = _folder(tuple((old, new) for old, new in data["spelling"]["tones"]))
    return Table(
        by_signature={_signature_with(fold, _clean(n, rewrites)): e for n, e in names},
        by_canonical={e.canonical: e for e in entries},
        fields={h: frozenset(fold(n[len(h) + 1 :]).casefold() for n, _ in names if n.startswith(f"{h} "))
                for h in data["split"]["field_heads"]},
        fold=fold,
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
    known: re.Pattern  # a table name where a name may end; group "clause" when lower-case prose follows it
    known_prose: re.Pattern  # a table name followed by anything (the prose after "phối hợp với")
    shape: re.Pattern  # collective phrases by shape (the mention finder's, and the audit's)
    head: re.Pattern  # the start of a name, any case ("Sở", "các", "cơ quan" …)
    lower_start: re.Pattern  # a lower-case word that may open a name: a head, a body noun ("tổ chức hỗ trợ …"), "cấp"
    name_start: re.Pattern  # what starts a new name after "và"
    cap_head: re.Pattern  # a capitalised head: a new name, when no comma was printed ("Bộ Tài chính Ngân hàng …")
    proper_start: re.Pattern  # a proper name ("Vụ Kế hoạch") or a collective's "các": no entry of an enumeration
    generic: re.Pattern  # any other name: up to a separator, a new name, or a role word
    generic_lower: re.Pattern  # one printed lower-case ends before a capitalised head too ("… có liên quan Bộ …")
    role_run: re.Pattern  # role words opening a fragment
    role_first: re.Pattern  # the same at the start of an item, capitalised too ("Chủ trì, phối hợp với …")
    role_tail: re.Pattern  # role words after a name
    role_next: re.Pattern  # a role word next, after a comma or not
    continues: re.Pattern  # after role words: nothing, or a separator and a new name
    boundary: re.Pattern  # what may follow a name: a separator, a role word, a new name (else a clause follows)
    prose_next: re.Pattern  # after a name in prose: a separator, a role, or the end (else the prose goes on)
    enumeration: re.Pattern  # "Các Sở: …", "Các Cục: …"
    topic: re.Pattern  # "Về quản lý quy hoạch: Bộ …", "Trong đó: …" (text before a colon that names no one)
    group: re.Pattern  # a collective's start: holder, "các" and a body noun, or a bare "Bộ, …" / "Cơ quan, …"
    more_nouns: re.Pattern  # one more body noun of a collective
    qualifier: re.Pattern  # a listed qualifier ("có liên quan", "khác", "trực thuộc trung ương")
    opener: re.Pattern  # a word opening a qualifier of any length ("có dự án", "được giao …", "thuộc Sở …")
    open_word: re.Pattern  # one more word of such a qualifier
    open_stop: re.Pattern  # where it ends
    open_stop_passive: re.Pattern  # the same after "được" ("được giao thực hiện TTHC": role words belong to it)
    body_next: re.Pattern  # a lower-case head next: a comma left out ("các địa phương đơn vị có liên quan")


def _shape() -> str:
    """"Thủ trưởng các Sở, ban, ngành", "Các phòng, cơ quan, đơn vị thuộc Sở có liên quan", "Sở, ban ngành",
    "UBND các huyện, thị xã, thành phố", "UBND cấp xã" (case-insensitive)."""
    s = table().shape
    noun, loc = _words(s["nouns"]), _words(s["localities"])
    more_nouns = rf"(?:\s*,\s*(?:{noun})|\s+(?:{noun}))"
    groups = rf"(?:các\s+(?:{noun}){more_nouns}*|sở{more_nouns}+)(?:\s+(?:{_words(s['qualifiers'])}))*"
    committees = rf"(?:{_words(s['committees'])})\s+(?:các\s+(?:{loc})(?:\s*,\s*(?:{loc}))*|cấp\s+(?:{loc}))"
    return rf"(?i:(?:(?:{_words(s['holders'])})\s+)?(?:{groups}|{committees}))(?!\w)"


def _role(phrases, first_any_case: bool = False) -> str:
    """Role phrases, lower case only ("Trung tâm Kiểm soát bệnh tật" is a name), or with a capital first letter too."""
    if not first_any_case:
        return rf"(?:{_words(phrases)})(?!\w)"
    either = [rf"[{p[0]}{p[0].upper()}]" + _words([p])[1:] for p in sorted(phrases, key=len, reverse=True)]
    return rf"(?:{'|'.join(either)})(?!\w)"


def _not_after(words) -> str:
    """Lookbehinds: the position does not follow one of the words ("thuộc Sở", "về các tổ chức")."""
    return "".join(rf"(?<!\b{re.escape(w)})" for w in words)


@cache
def _fragments() -> dict[str, str]:
    """Named regular-expression fragments built from the table's words, tone-folded (the splitter matches on
    tone-folded text: "tập đòan" = "tập đoàn")."""
    t, s, c = table(), table().shape, table().split["collective"]
    fold = lambda words: [t.fold(w) for w in words]  # noqa: E731
    f: dict[str, str] = {}
    f["role"] = role = _role(fold(t.split["roles"]))
    f["roles"] = rf"{role}(?:(?:\s*,\s*|\s+và\s+|\s+){role})*"  # "hướng dẫn, tổng hợp và theo dõi"
    heads = fold(t.split["heads"])
    f["head"] = head = rf"(?i:(?:{_words(heads)})(?!\w))"
    f["cap_head"] = cap_head = rf"(?:{_words(h[0].upper() + h[1:] for h in heads)})(?!\w)"
    f["lower_head"] = rf"(?:{_words(h for h in heads if h.islower())})(?!\w)"  # "các", "cơ quan", "đơn vị" …
    f["noun"] = noun = rf"(?i:{_words(fold(c['nouns']))})(?!\w)"
    capital_qualifier = _words(c["capital_qualifiers"])
    # a body noun printed lower-case, or capitalised and not followed by a capitalised word ("Tập đoàn Điện lực …" is a
    # name, "Tập đoàn kinh tế" a body noun)
    f["body"] = rf"(?:{_words(fold(c['nouns']))}(?!\w)|{noun}(?!\s+(?!{capital_qualifier})[{VI_UPPER}]))"
    f["joined"] = rf"(?i:{_words(fold(c['joined_by_space']))})(?!\w)"  # "Các Sở ban ngành", "Các bộ cơ quan"
    f["qualifier"] = rf"(?i:{_words(fold([*s['qualifiers'], *c['qualifiers']]))})(?!\w)|{capital_qualifier}(?!\w)"
    f["tails"] = rf"(?i:{_words(fold([*s['localities'], *c['name_tails']]))})(?!\w)"
    provinces = _words(p for p in vocab().provinces if not p.isascii())
    f["name_start"] = rf"(?:(?!các\s){head}|[Cc]ác\s+(?:{noun}|(?=[{VI_LOWER}]))|(?i:{provinces})(?!\w))"
    f["after"] = after = _not_after(c["prepositions"])
    f["glued"] = glued = rf"{after}\s+(?=[Cc]ác\s+{noun})"  # "Bộ Công Thương các bộ, cơ quan": a comma left out
    f["proper"] = rf"{after}{_not_after(['các', 'Các'])}\s+{cap_head}"  # "… có liên quan Bộ …": a comma left out
    f["ends"] = rf"\s*[,;]|\s*$|\s+và\s+{f['name_start']}|\s+{role}|{glued}"  # where a generic name ends
    f["names"] = rf"(?i:{_words({t.fold(n) for e in t.by_canonical.values() for n in (e.canonical, *e.aliases)})})"
    return f


@cache
def patterns() -> Patterns:
    f, t, c = _fragments(), table(), table().split["collective"]
    head, role, cap_head, glued = f["head"], f["role"], f["cap_head"], f["glued"]
    known_end = rf"(?=\s*[,;.:]|\s*$|\s+và\s|\s+{role}|\s+{cap_head}|{glued}|\s+(?!{f['tails']}){head}" \
                rf"|(?P<clause>\s+(?!{f['tails']})[{VI_LOWER}]))"
    stop = rf"\s*$|\s*;|\s*,\s*(?:{head}|{f['noun']}|[{VI_UPPER}]|{role})|\s*,?\s*và\s+{f['name_start']}" \
           rf"|{f['after']}\s+{cap_head}|{glued}"
    holders = _words(t.fold(h) for h in (*t.shape["holders"], *t.shape["committees"]))
    return Patterns(
        known=re.compile(rf"{f['names']}{known_end}"),
        known_prose=re.compile(rf"{f['names']}(?!\w)"),
        shape=re.compile(_shape() + rf"(?=\s*[,;]|\s*$|\s+và\s|\s+{role})"),
        head=re.compile(head),
        lower_start=re.compile(rf"(?![{VI_LOWER}])|{head}|{f['noun']}|{_words(t.split['shared_prefix_words'])}\s"),
        name_start=re.compile(f["name_start"]),
        cap_head=re.compile(cap_head),
        proper_start=re.compile(rf"{cap_head}\s+[{VI_UPPER}]|(?i:các)\s"),
        # a role word right after a bare head is part of the name: "Ban chỉ đạo CCHC tỉnh"
        generic=re.compile(rf"(?:{head}\s+)?.+?(?={f['ends']})"),
        generic_lower=re.compile(rf"[^\s,;]+.*?(?={f['ends']}|{f['proper']})"),
        role_run=re.compile(f["roles"]),
        role_first=re.compile(rf"{_role(map(t.fold, t.split['roles']), True)}(?:(?:\s*,\s*|\s+và\s+|\s+){role})*"),
        role_tail=re.compile(rf"\s+{f['roles']}"),
        role_next=re.compile(rf"\s*,?\s*{role}"),
        continues=re.compile(rf"\s*$|\s*(?:[,;]|và\s)\s*(?={head})"),
        boundary=re.compile(rf"\s*[,;.:]|\s*$|\s+và\s|\s+{role}|\s+{head}|\s+{cap_head}|{glued}"),
        prose_next=re.compile(rf"\s*(?:[,;]|$)|\s+và\s|\s+{role}"),
        enumeration=re.compile(rf"(?i:(?P<lead>{_words(t.split['enumerations'])}))\s*:\s*"),
        topic=re.compile(rf"(?!{head})[^:]{{1,150}}:\s+"),
        group=re.compile(rf"(?i:(?:{holders})\s+)*(?:(?P<cac>(?i:các))\s+{f['body']}"
                         rf"|(?i:{_words(c['bare_starts'])})(?=\s*,\s*{f['noun']}))"),
        more_nouns=re.compile(rf"\s*,\s*(?!(?i:các)\s){f['body']}|\s+(?={f['joined']}){f['body']}"),
        qualifier=re.compile(rf"\s+(?:{f['qualifier']})"),
        opener=re.compile(rf"\s+(?i:{_words(t.fold(w) for w in c['openers'])})(?!\w)"),
        open_word=re.compile(r"(?:\s*,\s*|\s+)([^\s,;]+)"),
        open_stop=re.compile(rf"{stop}|\s+{role}"),
        open_stop_passive=re.compile(stop),
        body_next=re.compile(rf"\s+{f['lower_head']}"),
    )


# --- splitting a cell ----------------------------------------------------------------------------------------------
def split_agencies(cell: str) -> list[str]:
    """The agency names in a lead / coordinating cell, in order, as printed; duplicates dropped."""
    return list(_split_cell(cell))


@remembered
def _split_cell(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_names(_items(cell))))


def lead_and_coordinating(lead_cell: str, coordinating_cell: str) -> tuple[list[str], list[str]]:
    """The lead names of a lead cell, and the coordinating names: the coordinating cell's, then those a lead cell
    names after "phối hợp (chặt chẽ) với" ("Bộ Tư pháp chủ trì, phối hợp với Bộ Nội vụ, các địa phương …"), a name
    met twice (same canonical name) given once."""
    lead, coordinating = _lead_and_coordinating(lead_cell, coordinating_cell)
    return list(lead), list(coordinating)


@remembered
def _lead_and_coordinating(lead_cell: str, coordinating_cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    coordinating = split_agencies(coordinating_cell)
    seen = {normalise_agency(n).canonical for n in coordinating}
    for name in _coordinated(lead_cell):
        if (canonical := normalise_agency(name).canonical) not in seen:
            seen.add(canonical)
            coordinating.append(name)
    return _split_cell(lead_cell), tuple(coordinating)


def _coordinated(cell: str) -> list[str]:
    return [name for item, _ in _items(cell) for cue in COORDINATION_CUE.finditer(item)
            for name in _split_item(item[cue.end() :], prose=True)]


def _items(cell: str) -> list[tuple[str, bool]]:
    """The items of a cell, each with whether a ";" (not a line, bullet, sentence or number) ended the one before.
    A parenthetical is dropped unless it names the unit doing the work ("Bộ Công an (Trung tâm Dữ liệu quốc gia)")."""
    text, items, soft, pos = _drop_parentheticals(cell), [], False, 0
    for m in ITEM_BREAK.finditer(text):
        items.append((text[pos : m.start()].strip(NAME_TRIM), soft))
        soft, pos = ";" in m.group(0), m.end()
    items.append((text[pos:].strip(NAME_TRIM), soft))
    return [(item, soft) for item, soft in items if item]


def _drop_parentheticals(cell: str) -> str:
    cap_head = patterns().cap_head
    return PARENTHETICAL.sub(lambda m: m.group(0) if cap_head.match(_fold_tones(m.group(0).strip(" ("))) else "", cell)


def _names(items: list[tuple[str, bool]]):
    """Names item by item; an enumeration whose entries are parted by ";" ("Các Cục: Bản quyền tác giả; Xuất bản,
    In và Phát hành; Báo chí.") gives one name per entry, the entries running to a line, bullet or sentence end."""
    i = 0
    while i < len(items):
        item, _ = items[i]
        j = i + 1
        if m := patterns().enumeration.match(item):
            while j < len(items) and items[j][1] and not _starts_new_name(items[j][0]):
                j += 1
        if j > i + 1:
            prefix = _prefix(m)
            entries = [item[m.end() :]] + [entry for entry, _ in items[i + 1 : j]]
            yield from (f"{prefix} {_without_roles(e)}" for e in entries if _without_roles(e))
        else:
            yield from _split_item(item)
        i = j


def _prefix(enumeration: re.Match) -> str:
    return table().split["enumerations"][SPACES.sub(" ", enumeration["lead"]).casefold()]


def _without_roles(entry: str) -> str:
    role = patterns().role_tail.search(_fold_tones(entry))
    return (entry[: role.start()] if role else entry).strip(NAME_TRIM)


def _starts_new_name(text: str) -> bool:
    """A table name, a collective, or a capitalised head before a capitalised word ("Vụ Kế hoạch"): not an entry of
    the enumeration before it ("Báo chí" of "Các Cục: …" is one)."""
    text = _fold_tones(text)
    return bool(patterns().known.match(text) or _collective(text, 0, False) or patterns().proper_start.match(text))


def _split_item(item: str, prose: bool = False) -> list[str]:
    """Names of one item. In prose (after "phối hợp với"), a name ends where a table name or a collective ends, and
    the first word that is neither a name, a separator nor a role word ends the list."""
    p = patterns()
    item = item[m.end() :] if (m := p.topic.match(item)) else item
    text = _fold_tones(item)  # matched on; names are sliced from the item as printed
    names: list[str] = []
    prefix, pos, sep = None, 0, ""
    if m := p.enumeration.match(text):
        prefix, pos = _prefix(m), m.end()
    while pos < len(text):
        if m := SEPARATOR.match(text, pos):
            sep, pos = _separator(m.group(0)), m.end()
            continue
        role = (p.role_first if pos == 0 else p.role_run).match(text, pos)  # a fragment may be only a role
        if not role:
            if not p.lower_start.match(text, pos):
                break  # a lower-case word that opens no name: prose ("xây dựng chính sách …")
            end, clause = _name_at(text, pos, prose, prefix)
            prefix = _attach(names, item[pos:end].strip(NAME_TRIM), sep, prefix)
            pos, sep = end, ""
            if clause or (prose and not p.prose_next.match(text, pos)):
                break
            role = p.role_tail.match(text, pos)
        if role:
            pos = role.end()
            if not p.continues.match(text, pos):
                break  # the role words open a clause ("thực hiện số hóa"): the rest of the item names no one
    return names


def _separator(text: str) -> str:
    return "," if "," in text else "và" if "và" in text else ";" if ";" in text else " "


def _name_at(text: str, pos: int, prose: bool, prefix: str | None = None) -> tuple[int, bool]:
    """Where the name at pos ends (the longest of a table name, with an open enumeration's prefix too, and a
    collective; else a generic name), and whether a clause follows it (the rest of the item then names no one)."""
    p = patterns()
    known, found = p.known_prose if prose else p.known, []
    if m := known.match(text, pos):
        found.append((m.end(), bool(m.groupdict().get("clause"))))
    if prefix and (m := known.match(_fold_tones(f"{prefix} {text[pos:]}"))):
        found.append((pos + m.end() - len(prefix) - 1, bool(m.groupdict().get("clause"))))
    if collective := _collective(text, pos, prose):
        found.append(collective)
    if found:
        return max(found)
    return (p.generic_lower if text[pos].islower() else p.generic).match(text, pos).end(), False


def _collective(text: str, pos: int, prose: bool) -> tuple[int, bool] | None:
    """A collective phrase at pos: "các" (or a bare "Bộ, …", "Cơ quan, …") and body nouns parted by commas ("Các bộ,
    cơ quan, địa phương, Tập đoàn kinh tế, Tổng công ty"), up to "và", a new "các" or a proper name; then what says
    which bodies are meant ("có liên quan", "quản lý ngành, lĩnh vực", "được giao thực hiện TTHC"). Any other word
    after it opens a clause ("Các bộ, cơ quan, địa phương tổ chức triển khai")."""
    p = patterns()
    if not (m := p.group.match(text, pos)):
        return None
    end = m.end()
    while n := p.more_nouns.match(text, end):
        end = n.end()
    if not m["cac"] and end == m.end():
        return None
    while q := p.qualifier.match(text, end):
        end = q.end()
    return (end, False) if prose else _qualified(text, end)


def _qualified(text: str, start: int) -> tuple[int, bool]:
    """Words after a collective up to a separator before a new name, a role word, or a proper name (unless after a
    preposition: "thuộc Sở", "trong Ủy ban …"), and whether a clause follows. Words not opened by "có", "được",
    "thuộc" … nor listed are a modifier ("các tổ chức tín dụng") unless they run long or end at a role word: then
    they were a verb ("Các bộ, cơ quan, địa phương tổ chức triển khai", "… lập, điều chỉnh", "… tăng cường …")."""
    p, end, passive, opened, modifier = patterns(), start, False, False, 0
    while not (p.open_stop_passive if passive else p.open_stop).match(text, end):
        if q := p.qualifier.match(text, end):
            end = q.end()
            continue
        if not opened and p.body_next.match(text, end) or not (w := p.open_word.match(text, end)):
            break  # "các địa phương đơn vị có liên quan": a comma left out
        opened = opened or (modifier <= MAX_MODIFIER_WORDS and bool(p.opener.match(text, end)))
        modifier += not opened
        end, passive = w.end(), passive or w.group(1) == "được"
    if not opened and modifier and (modifier > MAX_MODIFIER_WORDS or p.role_next.match(text, end)):
        return start, True
    return end, not p.boundary.match(text, end)


def _attach(names: list[str], name: str, sep: str, prefix: str | None) -> str | None:
    """Adds a name (expanded, or joined to the one before) to names; returns the enumeration prefix still open."""
    if not name:
        return prefix
    if prefix and (_is_field(prefix, name) or not _starts_new_name(name)):
        names.extend(f"{prefix} {part}" for part in _departments(prefix, name.split(" ")) or [name])
        return prefix
    previous = names[-1] if names else ""
    if sep == "," and _continues_name(previous, name):
        names[-1] = f"{previous}, {name}"
    else:
        names.extend(_expand(name, previous))
    return None


def _is_field(head: str, name: str) -> bool:
    return _fold_tones(name).casefold() in table().fields.get(head, ())


def _field_head(name: str) -> str | None:
    return next((h for h in table().split["field_heads"] if name.startswith(f"{h} ")), None)


def _continues_name(previous: str, name: str) -> bool:
    """", Tài chính" after "Vụ Kế hoạch", ", In và Phát hành" after "Cục Xuất bản": a capitalised fragment that is no
    name of its own (no head, no acronym, no province, no department of the head before) continues a unit's name."""
    head = next((h for h in table().split["comma_name_heads"] if previous.startswith(f"{h} ")), None)
    return bool(head and TITLE_WORD.match(name) and not patterns().head.match(_fold_tones(name))
                and not _starts_new_name(name) and not _is_field(head, name) and not _province(name))


def _expand(name: str, previous: str) -> list[str]:
    """Shared prefixes: "UBND cấp huyện, cấp xã" (or ", xã") -> "UBND cấp xã"; "Bộ Xây dựng, Khoa học và Công
    nghệ" and "Sở Nội vụ và Tài chính" -> "Bộ Khoa học và Công nghệ", "Sở Tài chính"; a run-on "Sở Thông tin và
    Truyền thông Tư pháp" -> two Sở."""
    t = table()
    first = name.split(" ", 1)[0]
    if first in t.split["shared_prefix_words"] and f" {first} " in previous:
        return [previous[: previous.index(f" {first} ") + 1] + name]
    if name in t.shape["localities"] and (m := re.search(r"(?<= cấp )\S+$", previous)):
        return [previous[: m.start()] + name]
    if (head := _field_head(previous)) and name[:1].isupper() and _is_field(head, name):
        return [f"{head} {name}"]
    if (head := _field_head(name)) and _signature(_canonical_text(name)) not in t.by_signature:
        if (parts := _departments(head, name[len(head) + 1 :].split(" "))) and len(parts) > 1:
            return [f"{head} {part}" for part in parts]
    return [name]


def _departments(head: str, words: list[str]) -> list[str] | None:
    """The words as a sequence of the head's known department names, "và" allowed between them, or None; at each
    word the longest name the rest can follow. Read from the end (each word once, names no longer than the longest
    department name): trying every split from the start would take exponential time on a run of names."""
    ends: list[int | None] = [None] * len(words) + [len(words)]  # where the name at each word ends; None: no reading
    for pos in range(len(words) - 1, -1, -1):
        ends[pos] = next((end for end in range(min(len(words), pos + _longest_field(head)), pos, -1)
                          if ends[_after_name(words, end)] is not None and _is_field(head, " ".join(words[pos:end]))),
                         None)
    if ends[0] is None:
        return None
    names, pos = [], 0
    while pos < len(words):
        names.append(" ".join(words[pos : ends[pos]]))
        pos = _after_name(words, ends[pos])
    return names


def _after_name(words: list[str], end: int) -> int:
    return end + 1 if words[end : end + 1] == ["và"] else end


@cache
def _longest_field(head: str) -> int:
    return max((len(name.split(" ")) for name in table().fields.get(head, ())), default=0)


# --- normalising a name --------------------------------------------------------------------------------------------
def _canonical_text(name: str) -> str:
    """Cleaned, OCR slips fixed and abbreviations applied (the canonical convention)."""
    return _clean(name, table().rewrites)


def _province(text: str | None) -> str | None:
    if not text:
        return None
    text = SPACES.sub(" ", text).strip() if "  " in text or not text.isprintable() else text.strip()
    provinces = vocab().provinces
    return provinces.get(text.casefold()) or provinces.get(PROVINCE_LEVEL.sub("", text).casefold())


def _trailing_province(text: str) -> list[tuple[str, str]]:
    """ "Đài PTTH Đồng Nai" -> [("Đài PTTH", "Đồng Nai")]: the name without a province printed at its end."""
    words = text.split(" ")
    cuts = range(len(words) - 1, max(0, len(words) - 1 - _longest_province()), -1)  # no longer tail can be one
    return [(" ".join(words[:cut]), p) for cut in cuts
            if _may_open_province(words[cut]) and (p := _province(" ".join(words[cut:])))]


def _may_open_province(word: str) -> bool:
    """Whether a tail starting with this word can be a province: its first word opens some way of writing one."""
    first = word.split(maxsplit=1)
    return not first or first[0].casefold() in _province_openings()


@cache
def _province_openings() -> frozenset[str]:
    """The first words of every way of writing a province (casefolded), and "tỉnh"."""
    return frozenset({"tỉnh"} | {alias.split(maxsplit=1)[0] for alias in vocab().provinces if alias.strip()})


@cache
def _longest_province() -> int:
    """Words in the longest way of writing a province, "tỉnh" before it included."""
    return 1 + max(len(alias.split(" ")) for alias in vocab().provinces)


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


@remembered
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
