"""What a caller needs around the named questions (queries.core) to answer a person who types names: the agency a
name means, refusing to merge agencies of several provinces, and the impact answer with its total.

The command line is a thin layer over these; the HTTP API may use them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from legalkg.extract.resolve import find_province
from legalkg.graph.store import NodeRow, Store
from legalkg.queries import core
from legalkg.queries.identify import agencies_named

COUNT_UP_TO = 10_000  # impact results counted for a total: 0.6 s on the most cited decree of a 10k-document store
CENTRAL = ("central", "trung ương")  # what --place calls the national bodies, which have no province


class AgencyNotFound(LookupError):
    pass


@dataclass
class AgencyAmbiguous(LookupError):
    """The name matches agencies of several provinces (or central and provincial ones): the caller must pick one."""

    name: str
    candidates: list[NodeRow]

    def __str__(self) -> str:
        places = ", ".join(sorted({place_of(c) for c in self.candidates}))
        return f"{self.name!r} names agencies of {len(self.places())} places ({places}): name the province"

    def places(self) -> list[str | None]:
        return sorted({c.props.get("place") for c in self.candidates}, key=lambda p: p or "")


def place_of(agency: NodeRow) -> str:
    """The agency's province as printed, or "central" for a national body."""
    return agency.props.get("place") or "central"


def wanted_place(place: str) -> str | None:
    """The province a place as typed names, as agencies carry it ("tỉnh quảng ngãi" is "Quảng Ngãi":
    extract.resolve.find_province); None for the national bodies ("central", "trung ương")."""
    if place.strip().casefold() in CENTRAL:
        return None
    return find_province(place) or place.strip()


def agency_named(store: Store, name: str, place: str | None = None) -> list[NodeRow]:
    """The agency nodes `name` means (a name as printed or canonical, or an agency IRI; see
    queries.identify.agencies_named), all of one province or all central: with `place`, those of that province. Raises
    AgencyNotFound when there is none, AgencyAmbiguous when they are of several places and no place was given."""
    found = agencies_named(store, name)
    if place is not None:
        wanted = wanted_place(place)
        kept = [a for a in found if a.props.get("place") == wanted]
        if not kept:
            where = f" (it names agencies of {', '.join(sorted({place_of(a) for a in found}))})" if found else ""
            raise AgencyNotFound(f"no agency {name!r} of {place}{where}")
        return sorted(kept, key=lambda a: a.iri)
    if not found:
        raise AgencyNotFound(f"no agency {name!r} in the store")
    if len({a.props.get("place") for a in found}) > 1:
        raise AgencyAmbiguous(name, sorted(found, key=lambda a: (place_of(a), a.label, a.iri)))
    return sorted(found, key=lambda a: a.iri)


def impact(store: Store, doc: NodeRow, depth: int = 3, limit: int | None = core.DEFAULT_LIMIT,
           count_up_to: int = COUNT_UP_TO) -> core.Answer:
    """queries.core.impact, whose query also says how many results there are without the limit, so that a caller
    can say "8 of 145": `total`, counted again without the limit when the answer was cut, up to `count_up_to`
    results; past that (the most cited decrees of a large store reach tens of thousands of nodes, seconds to count)
    `total` is None and `total_at_least` says how many were counted."""
    answer = core.impact(store, doc, depth, limit)
    if limit is None or not answer.query.get("truncated"):
        answer.query["total"] = len(answer.results)
        return answer
    counted = core.impact(store, doc, depth, max(limit, count_up_to))
    if counted.query.get("truncated"):
        answer.query |= {"total": None, "total_at_least": len(counted.results)}
    else:
        answer.query["total"] = len(counted.results)
    return answer
