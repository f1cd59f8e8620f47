"""The data files under extract/data, loaded once: document types, issuer codes, provinces, relation cues, laws."""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
CONSOLIDATED_TYPE = "Văn bản hợp nhất"  # doctypes.toml: a text consolidating a document and its amendments


@dataclass(frozen=True)
class DocType:
    name: str
    codes: tuple[str, ...]
    words: tuple[str, ...]
    eli: str
    scope: str | None = None  # "central" when only central bodies issue this type


@dataclass(frozen=True)
class Vocab:
    doctypes: tuple[DocType, ...]
    type_by_code: dict[str, str]
    scope_by_type: dict[str, str]
    type_by_word: dict[str, str]  # casefolded word -> type name
    central_codes: frozenset[str]
    central_prefixes: tuple[str, ...]
    local_codes: frozenset[str]
    local_letter_codes: frozenset[str]
    local_prefixes: tuple[str, ...]
    provinces: dict[str, str]  # casefolded alias -> canonical
    relation_cues: dict[str, dict[str, tuple[str, ...]]]  # relation -> kind of cue -> cues
    connectors: tuple[str, ...]
    attachments: tuple[str, ...]  # what a document may be attached to ("Phụ lục … kèm theo")
    rank_by_type: dict[str, int]  # type name -> legal rank (1 highest)
    rank_by_issuer: tuple[tuple[str, int], ...]  # issuer name prefix -> legal rank
    laws: dict[str, str]  # casefolded title or alias -> canonical title
    abbreviations: dict[str, str]

    def issuer_scope(self, issuer: str | None, leads_letter: bool = False) -> str | None:
        """"central", "local" or None (unknown) for an issuer segment of a number (CP, UBND, SNNPTNT…).

        leads_letter: the segment opens the code with no type before it (3630/GDĐT-TTTT, an official letter)."""
        if not issuer:
            return None
        if issuer in self.local_codes or (leads_letter and issuer in self.local_letter_codes):
            return "local"
        if issuer in self.central_codes or issuer.startswith(self.central_prefixes or ("\0",)):
            return "central"
        if issuer.startswith(self.local_prefixes) and issuer.isupper():
            return "local"
        if issuer.startswith("QH") or issuer.startswith("UBTVQH"):
            return "central"
        if issuer.startswith("B") and issuer.isupper() and len(issuer) >= 3:
            return "central"  # ministries: BTC, BYT, BGDĐT …
        return None


@cache
def data(name: str) -> dict:
    """A TOML file of extract/data, read once (callers must not change it)."""
    return _load_toml(name)


def columns() -> dict:
    """extract/data/columns.toml: column headers of task tables, cell cues, gazette table ends (read once)."""
    return data("columns.toml")


def alternation(words) -> str:
    """A regex alternation of the words, escaped, longest first (so a longer phrase wins over its prefix)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def starts_with_one_of(words, ignore_case: bool = True) -> str:
    """A lookahead for the first letters of the words (casefolded, for a pattern compiled with re.I, or as they are):
    put before a pattern whose every match begins with one of them, it lets re pass over the other positions at
    once, which a pattern that opens with a lookbehind or an alternation cannot."""
    firsts = {w[0].casefold() if ignore_case else w[0] for w in words}
    return "(?=[" + "".join(sorted(map(re.escape, firsts))) + "])"


def _load_toml(name: str) -> dict:
    with open(DATA_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def _load_provinces() -> dict[str, str]:
    table: dict[str, str] = {}
    with open(DATA_DIR / "provinces.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            canonical = row["canonical"].strip()
            for name in [canonical, *filter(None, (row["aliases"] or "").split("|"))]:
                table[name.strip().casefold()] = canonical
    return table


def _load_laws() -> tuple[dict[str, str], dict[str, str]]:
    table = data("laws.toml")
    laws: dict[str, str] = {}
    for law in table["law"]:
        for name in [law["title"], *law.get("aliases", [])]:
            laws[name.casefold()] = law["title"]
    return laws, dict(table.get("abbreviations", {}))


@cache
def vocab() -> Vocab:
    types = tuple(
        DocType(t["name"], tuple(t["codes"]), tuple(t["words"]), t["eli"], t.get("scope"))
        for t in data("doctypes.toml")["type"]
    )
    issuers = data("issuers.toml")
    cues = dict(data("relations.toml"))  # a copy: the tables that are not cues are taken out of it
    connectors = tuple(cues.pop("connectors")["words"])
    attachments = tuple(cues.pop("attachments")["words"])
    rank_by_type = {name: int(rank) for rank, names in cues.pop("rank_by_type").items() for name in names}
    rank_by_issuer = tuple((prefix, int(rank)) for rank, prefixes in cues.pop("rank_by_issuer").items()
                           for prefix in prefixes)
    laws, abbreviations = _load_laws()
    return Vocab(
        doctypes=types,
        type_by_code={code: t.name for t in types for code in t.codes},
        scope_by_type={t.name: t.scope for t in types if t.scope},
        type_by_word={word.casefold(): t.name for t in types for word in t.words},
        central_codes=frozenset(issuers["central"]["codes"]),
        central_prefixes=tuple(issuers["central"].get("prefixes", [])),
        local_codes=frozenset(issuers["local"]["codes"]),
        local_letter_codes=frozenset(issuers["local"].get("letter_codes", [])),
        local_prefixes=tuple(issuers["local"].get("prefixes", [])),
        provinces=_load_provinces(),
        relation_cues={rel: {k: tuple(v) for k, v in spec.items()} for rel, spec in cues.items()},
        connectors=connectors,
        attachments=attachments,
        rank_by_type=rank_by_type,
        rank_by_issuer=rank_by_issuer,
        laws=laws,
        abbreviations=abbreviations,
    )
