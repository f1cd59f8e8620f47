"""One law, one node: laws cited by name resolved to the numbered version they mean, across documents.

The table of titles ↔ numbers is learnt from what the documents being built state, never typed in: a numbered law
citation carries its title ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15"), and a law's own text its number
and title. A law cited by name ("Luật Tổ chức chính quyền địa phương", "… năm 2025", "… ngày 19 tháng 6 năm 2015")
then names one of the versions known for its title:

- printed_date / printed_year: the date or year printed with the citation picks the version of that date or year;
- citing_date: nothing printed, the latest version passed on or before the citing document's date (a version's date,
  or the year of its number, decides; a version of the citing year without a date leaves it undecided);
- otherwise the citation stays on the law's "by name" node (its work), whose `versions` property lists the
  candidates.

A year printed with a name for which no numbered version is known is a version too, known by title and year only
(`{work}/{year}`), until some document states its number. Per title and year, the numbered version is the number
most documents state (one misread number in one document does not make a second version); a tie leaves the year
undecided. Titles compare as the by-name node's IRI does (graph.ids.slug, see title_key).

The store (graph.store) keeps the statements and mentions of each source and re-resolves a title's mentions in the
batch that changes what is known of it; this module holds the pure rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from legalkg.extract.models import DocRef
from legalkg.graph import ids

LAW_TYPES = frozenset({"Luật", "Bộ luật"})
LAW_HEAD = re.compile(r"^(?:bo )?luat ")
PRINTED_DATE, PRINTED_YEAR, CITING_DATE = "printed_date", "printed_year", "citing_date"
RULE_MARK = "+version:"  # an edge's rule after a resolution: "law_name/clause_start:based_on+version:citing_date"


@dataclass(frozen=True)
class LawNumber:
    """A document states that the law titled `title` is numbered `key` (its node `iri`)."""

    title: str  # title_key
    label: str  # "Luật <title>" as stated
    iri: str
    key: str
    year: int | None
    date: str | None


@dataclass(frozen=True)
class LawMention:
    """A law cited by name: one end (`role`: "src" or "dst") of the edge of relation `rel` at `start`…`end`."""

    title: str  # title_key
    work: str  # the by-name node the edge was written to
    label: str
    year: int | None  # printed with the name
    date: str | None
    cited_on: str | None  # the citing document's date (or year, "2025")
    rel: str
    role: str
    start: int | None
    end: int | None
    rule: str


@dataclass(frozen=True)
class Version:
    iri: str
    key: str | None  # None: known by title and year only
    year: int
    date: str | None
    support: int  # documents stating it

    def json(self) -> dict:
        return {k: v for k, v in (("iri", self.iri), ("key", self.key), ("year", self.year), ("date", self.date))
                if v is not None}


def title_key(title: str | None) -> str:
    """How titles compare: the slug of the work's IRI (graph.ids.slug: case, marks, spacing and punctuation
    folded, so "sản phẩm, hàng hóa" and "sản phẩm hàng hoá" are one title), a leading "Luật"/"Bộ luật" dropped."""
    return LAW_HEAD.sub("", ids.slug(title or "").replace("-", " ")).replace(" ", "-")


def split_label(label: str) -> tuple[str, str]:
    """("Bộ luật", "Lao động") for "Bộ luật Lao động": the type and title a by-name node shows."""
    for head in ("Bộ luật", "Luật"):
        if label.startswith(head + " "):
            return head, label[len(head) + 1:]
    return "Luật", label


def work_iri(title: str, base: str | None = None) -> str:
    """The by-name node of a title (title_key): the IRI graph.ids gives a law cited by that name, under `base` (a
    reader's store's) or the base IRIs are minted under now."""
    return f"{base or ids.base()}eli/vn/luat/{title}"


def is_numbered_law(ref: DocRef) -> bool:
    return bool(ref.key and ref.title and ref.type in LAW_TYPES)


def is_law_by_name(ref: DocRef) -> bool:
    return ref.key is None and ref.kind == "law" and bool(ref.title)


def year_iri(work: str, year: int) -> str:
    return f"{work}/{year}"


def versions(work: str, numbers: Iterable[tuple], mentions: Iterable[tuple]) -> list[Version]:
    """The versions of one title, oldest first. numbers: (source, iri, key, year, date) statements; mentions:
    (source, year, date, cited_on) of the by-name citations: a year printed with a name is a version, unless it is
    later than the citing document (a law not passed yet, named as work to do, is not one)."""
    stating: dict[int, dict[str, set]] = {}  # year → number → the sources stating it
    dates: dict[str, Counter] = {}
    keys: dict[str, str] = {}
    for source, iri, key, year, date in set(numbers):
        if year is None:
            continue
        stating.setdefault(year, {}).setdefault(iri, set()).add(source)
        keys[iri] = key
        if date:
            dates.setdefault(iri, Counter())[date] += 1
    by_year = {year: Counter({iri: len(sources) for iri, sources in numbers_of.items()})
               for year, numbers_of in stating.items()}
    named: dict[int, Counter] = {}
    named_sources: dict[int, set] = {}
    for source, year, date, cited_on in mentions:
        if year is not None and not _later(year, cited_on):
            named.setdefault(year, Counter())[date] += bool(date)
            named_sources.setdefault(year, set()).add(source)
    out = []
    for year in sorted(set(by_year) | set(named)):
        if year in by_year:
            (iri, votes), *rest = by_year[year].most_common()
            if rest and rest[0][1] == votes:
                continue  # two numbers stated equally often for one title and year: neither is known to be it
            stated = dates.get(iri) or named.get(year, Counter())
            out.append(Version(iri, keys[iri], year, _most_stated(stated), votes))
        else:
            out.append(Version(year_iri(work, year), None, year, _most_stated(named[year]),
                               len(named_sources[year])))
    return out


def _most_stated(dates: Counter) -> str | None:
    ranked = [(n, d) for d, n in dates.items() if d and n]
    return max(ranked)[1] if ranked else None


def pick(candidates: list[Version], year: int | None, date: str | None,
         cited_on: str | None) -> tuple[Version | None, str | None]:
    """The version a by-name citation means, and the rule that picked it; (None, None) when undecided."""
    if date:
        same_day = [v for v in candidates if v.date == date]
        if len(same_day) == 1:
            return same_day[0], PRINTED_DATE
        year = year or int(date[:4])
    if year and _later(year, cited_on):
        return None, None
    if year:
        same_year = [v for v in candidates if v.year == year]
        return (same_year[0], PRINTED_YEAR) if len(same_year) == 1 else (None, None)
    if not cited_on:
        return None, None
    passed = [_passed_by(v, cited_on) for v in candidates]
    if None in passed or True not in passed:
        return None, None
    latest = max((v for v, p in zip(candidates, passed) if p), key=lambda v: (v.year, v.date or ""))
    return latest, CITING_DATE


def _later(year: int, cited_on: str | None) -> bool:
    return cited_on is not None and year > int(cited_on[:4])


def _passed_by(version: Version, cited_on: str) -> bool | None:
    """Was the version passed on or before the citing date? None when the dates at hand cannot tell."""
    if version.date and len(cited_on) == 10:
        return version.date <= cited_on
    cited_year = int(cited_on[:4])
    if version.year != cited_year:
        return version.year < cited_year
    return None


def resolved_rule(rule: str, how: str | None) -> str:
    """The edge's rule with the resolution appended (or removed, when the citation is back on the by-name node)."""
    base = rule.split(RULE_MARK, 1)[0]
    return f"{base}{RULE_MARK}{how}" if how else base
