"""SPARQL for the API: read-only queries over the store's RDF view (queries.sparql.materialise), each in a child
process that is killed when it runs past the time limit (Oxigraph cannot interrupt a query itself), with at most
`limit` rows kept. Answers are SPARQL 1.1 JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE).

Read-only twice over: the child opens the view read-only, and only runs `query()` (SPARQL Update is a different
call), so an update is a syntax error, reported as a 400.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_S = 10.0
ROW_LIMIT = 10_000
MAX_QUERY = 100_000  # characters


class SparqlError(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


@dataclass(frozen=True)
class SparqlAnswer:
    media_type: str
    body: bytes
    truncated: bool


class SparqlRunner:
    """One child process per server process, one query at a time; a child that overruns is killed and the next
    query starts another."""

    def __init__(self, timeout_s: float = TIMEOUT_S, limit: int = ROW_LIMIT) -> None:
        self.timeout_s, self.limit = timeout_s, limit
        self._lock = threading.Lock()
        self._child: multiprocessing.Process | None = None
        self._pipe = None

    def run(self, view: Path, query: str) -> SparqlAnswer:
        if len(query) > MAX_QUERY:
            raise SparqlError(413, "Query too long", f"queries are limited to {MAX_QUERY:,} characters")
        with self._lock:
            pipe = self._ensure_child()
            pipe.send((str(view), query, self.limit))
            if not pipe.poll(self.timeout_s):
                self._kill()
                raise SparqlError(503, "Query timed out", f"the query ran past the limit of {self.timeout_s:g} s")
            try:
                kind, *rest = pipe.recv()
            except EOFError:
                self._kill()
                raise SparqlError(503, "Query failed", "the query process ended before answering") from None
        if kind == "error":
            raise SparqlError(*rest)
        return SparqlAnswer(*rest)

    def close(self) -> None:
        with self._lock:
            self._kill()

    def _ensure_child(self):
        if self._child is None or not self._child.is_alive():
            context = multiprocessing.get_context("spawn")
            self._pipe, theirs = context.Pipe()
            self._child = context.Process(target=_answer_queries, args=(theirs,), daemon=True)
            self._child.start()
            theirs.close()
        return self._pipe

    def _kill(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.join()
        self._child = self._pipe = None


def _answer_queries(pipe) -> None:
    """The child: opens each view it is asked about (read-only, kept open while it stays the current one)."""
    import pyoxigraph as ox

    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            view, query, limit = pipe.recv()
        except EOFError:
            return
        if opened is None or opened[0] != view:
            opened = (view, ox.Store.read_only(view))
        try:
            pipe.send(("ok", *_answer(opened[1].query(query), limit)))
        except SyntaxError as exc:
            pipe.send(("error", 400, "Bad query", f"not a SPARQL query this endpoint runs (read-only): {exc}"))
        except OSError as exc:
            pipe.send(("error", 503, "Store unavailable", str(exc)))


def _answer(results, limit: int) -> tuple[str, bytes, bool]:
    import pyoxigraph as ox

    if isinstance(results, ox.QueryBoolean):
        return "application/sparql-results+json", json.dumps({"head": {}, "boolean": bool(results)}).encode(), False
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        rows, truncated = [], False
        for solution in results:
            if len(rows) == limit:
                truncated = True
                break
            rows.append({n: _binding(solution[n]) for n in names if solution[n] is not None})
        body = {"head": {"vars": names}, "results": {"bindings": rows}}
        return "application/sparql-results+json", json.dumps(body, ensure_ascii=False).encode(), truncated
    lines, truncated = [], False  # CONSTRUCT, DESCRIBE: triples
    for triple in results:
        if len(lines) == limit:
            truncated = True
            break
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
    return "application/n-triples", "".join(lines).encode(), truncated


def _binding(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out
