"""Document identifiers as users type them → the document nodes they name.

"ND 107/2021", "NĐ 107/2021/NĐ-CP", "Nghị định 107/2021", "107/2021/NĐ-CP", "140/KH-UBND", an IRI, "Luật Ngân sách nhà
nước" (the one version the store knows of the law, or its by-name node listing them), "Luật Đất đai 2024" (the
version of that year). A number that names several documents (local numbers repeat across provinces and years) is Ambiguous and
lists the candidates, so the user can pick one (by IRI, or by adding the province and year).

What users type is normalised first (normalise_identifier): as documents are (extract.text.normalise: NFC,
look-alike letters such as Ð, zero-width characters and soft hyphens deleted), then fullwidth forms and Unicode
dashes folded to ASCII and whitespace collapsed, so "１０７/２０２１/NĐ‐CP" names what "107/2021/NĐ-CP" names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legalkg.extract.agencies import normalise_agency
from legalkg.extract.citations import _type_from_word, split_code
from legalkg.extract.text import normalise
from legalkg.extract.vocab import vocab
from legalkg.graph import ids, laws
from legalkg.graph.store import NodeRow, Store

TYPED = re.compile(r"^\s*(?P<type>[^\d/]*?)\s*(?:số\s*)?(?P<serial>\d{1,5}[a-zđ]?)(?:\s*/\s*(?P<year>(?:19|20)\d{2}))?"
                   r"(?:\s*/\s*(?P<code>[A-ZĐa-zđ][\wĐđ&-]*))?\s*(?:(?:của|tỉnh)\s+(?P<place>.+))?$")
NUMBER_AS_TITLE = re.compile(r"(?i:số\s*:?\s*)?\d")
LAW = re.compile(r"^\s*(?P<head>Bộ luật|Luật)\s+(?P<title>\S.*?)(?:\s+(?:năm\s+)?(?P<year>(?:19|20)\d{2}))?\s*$",
                 re.IGNORECASE)
FULLWIDTH = range(0xFF01, 0xFF5F)  # ！ … ～: the ASCII forms ! … ~ shifted by FULLWIDTH_SHIFT (digits, letters, "/")
FULLWIDTH_SHIFT = 0xFF01 - ord("!")
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"  # hyphen … minus sign: typed for "-"
IDENTIFIER_FOLDS = str.maketrans({**{chr(c): chr(c - FULLWIDTH_SHIFT) for c in FULLWIDTH},
                                  **dict.fromkeys(DASHES, "-"), "\u3000": " "})


class NotFound(LookupError):
    pass


@dataclass
class Ambiguous(LookupError):
    text: str
    candidates: list[NodeRow]

    def __str__(self) -> str:
        names = "; ".join(f"{c.label} ({c.props.get('place') or 'central'}, {c.props.get('year') or '?'}) {c.iri}"
                          for c in self.candidates)
        return f"{self.text!r} names {len(self.candidates)} documents: {names}"


def _type_of(word: str) -> str | None:
    """"Nghị định", "NĐ", "ND" (typed without the Vietnamese letter) → "Nghị định"."""
    word = word.strip(" .:")
    if not word:
        return None
    code = word.upper()
    return _type_from_word(word) or vocab().type_by_code.get(code) or vocab().type_by_code.get(code.replace("D", "Đ"))


def normalise_identifier(text: str) -> str:
    """An identifier as typed → the form documents are matched in: see the module's docstring."""
    return " ".join(normalise(text).text.translate(IDENTIFIER_FOLDS).split())


def identify(store: Store, text: str) -> NodeRow:
    """The one document node `text` names (a number as typed, an IRI, or an IRI without the base: "eli/vn/…");
    NotFound or Ambiguous otherwise."""
    text = ids.absolute(normalise_identifier(text), store.base_iri)
    if text.startswith(store.base_iri):
        if node := store.node(text):
            return node
        raise NotFound(f"no node {text}")
    if (law := LAW.match(text)) and not NUMBER_AS_TITLE.match(law["title"]):  # "Luật (số) 72/2025/QH15": a number
        return _law_named(store, law["title"], int(law["year"]) if law["year"] else None)
    m = TYPED.match(text)
    if not m:
        raise NotFound(f"{text!r} is not a document number (try '107/2021/NĐ-CP', 'Nghị định 107/2021' or an IRI)")
    year = int(m["year"]) if m["year"] else None
    candidates = [c for c in store.find_documents(m["serial"], year, _type_of(m["type"]) if m["type"] else None)
                  if _fits(c, m)]
    if not candidates:
        raise NotFound(f"no document {text!r} in the store")
    if len(candidates) > 1:
        ingested = [c for c in candidates if not c.stub]
        if len(ingested) == 1 and not m["place"]:
            return ingested[0]
        raise Ambiguous(text, sorted(candidates, key=lambda c: c.iri))
    return candidates[0]


def _law_named(store: Store, title: str, year: int | None) -> NodeRow:
    """A law by title (graph.laws): with a year, the version of that year; without, the one version the store
    knows, or the by-name node that lists them when there are several."""
    work = store.node(laws.work_iri(laws.title_key(title), store.base_iri))
    if work is None:
        raise NotFound(f"no law named {title!r} in the store")
    versions = work.props.get("versions", [])
    if year is not None:
        versions = [v for v in versions if v["year"] == year]
        if not versions:
            known = ", ".join(str(v["year"]) for v in work.props.get("versions", [])) or "none"
            raise NotFound(f"no version of {work.label} of {year} in the store (versions known: {known})")
    if len(versions) != 1:
        return work
    return store.node(versions[0]["iri"]) or work


def _ascii(code: str) -> str:
    return code.replace("Đ", "D")


def _fits(node: NodeRow, m: re.Match) -> bool:
    props = node.props
    key = props.get("key") or ""
    if m["code"]:
        wanted, code = _ascii(m["code"].upper()), _ascii(key.rsplit("/", 1)[-1].upper())
        if code != wanted and _ascii(split_code(key.rsplit("/", 1)[-1])[1] or "").upper() != wanted:
            return False
    if m["year"] and props.get("year") != int(m["year"]) and ids.year_in_key(key) != int(m["year"]):
        return False
    wanted_type = _type_of(m["type"]) if m["type"] else None
    if wanted_type and props.get("type") != wanted_type:
        return False
    if m["place"] and (props.get("place") or "").casefold() not in m["place"].casefold():
        return False
    return True


def agencies_named(store: Store, name: str) -> list[NodeRow]:
    """Agency nodes for a name as printed or canonical ("Sở TT&TT" finds Sở Thông tin và Truyền thông), of every
    province (queries.lookup.agency_named picks one); an agency IRI (or one without the base,
    "agency/quang-ngai/so-tu-phap") names that agency."""
    if (node := store.node(ids.absolute(name, store.base_iri))) is not None and node.kind == "Agency":
        return [node]
    return store.find_agencies(name) or store.find_agencies(normalise_agency(name).canonical)
