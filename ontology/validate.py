"""Check an RDF export against the SHACL shapes (ontology/shapes.ttl) with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace

SHAPES = Path(__file__).with_name("shapes.ttl")
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    shape: str
    message: str


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def validate(data: Graph) -> list[Violation]:
    """Every violation of the shapes in data (none: it conforms)."""
    from pyshacl import validate as shacl_validate

    _, report, _ = shacl_validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path = report.value(result, SH.resultPath)
        out.append(Violation(str(report.value(result, SH.focusNode)), str(path) if path is not None else None,
                             str(report.value(result, SH.sourceShape)), str(report.value(result, SH.resultMessage))))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
