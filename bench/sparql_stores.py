"""Which triple store answers the SPARQL queries (queries/*.rq): rdflib's in-memory graph or Oxigraph (pyoxigraph).

    python bench/sparql_stores.py              # a synthetic corpus of about a million triples (3,000 documents)
    python bench/sparql_stores.py --docs 1000

Builds the store, exports it as N-Triples (ontology.rdf, with provenance), loads that into each engine and times
the named queries on a sample of decrees. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile_ms  # noqa: E402

SAMPLE = 30  # decrees asked about per query



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=3000)
    args = parser.parse_args()

    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore
    from legalkg.ontology import rdf
    from legalkg.queries.sparql import query_text, with_values
    from synthetic import generate

    work = Path(tempfile.mkdtemp(prefix="legalkg-sparql-"))
    generate(work / "docs", args.docs)
    with SqliteStore(work / "s.db") as store:
        build(store, [work / "docs"], jobs=os.cpu_count() or 1)
        decrees = [r[0] for r in store.db.execute("SELECT iri FROM nodes WHERE type = 'Nghị định' AND stub = 0")]
        t0 = time.perf_counter()
        with open(work / "graph.nt", "w", encoding="utf-8") as out:
            for piece in rdf.write(store, "nt"):
                out.write(piece)
        export_s = time.perf_counter() - t0
    triples = sum(1 for _ in open(work / "graph.nt", encoding="utf-8"))
    print(f"{args.docs} documents: {triples:,} triples, N-Triples written in {export_s:.1f} s")
    sample = random.Random(3).sample(decrees, min(SAMPLE, len(decrees)))

    t0 = time.perf_counter()
    graph = Graph().parse(work / "graph.nt", format="nt")
    rdflib_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    oxigraph = ox.Store()
    oxigraph.bulk_load(path=str(work / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    oxigraph_load = time.perf_counter() - t0
    print(f"load: rdflib {rdflib_load:.1f} s · oxigraph {oxigraph_load:.1f} s")

    engines = {
        "rdflib": lambda q, doc: list(graph.query(q, initBindings={"doc": URIRef(doc)})),
        "oxigraph": lambda q, doc: list(oxigraph.query(with_values(q, {"doc": doc}))),
    }
    for name in ("depends_on", "depends_on_transitive", "impact"):
        text = query_text(name)
        line = []
        for engine, run in engines.items():
            times, rows = [], 0
            for doc in sample:
                t0 = time.perf_counter()
                rows += len(run(text, doc))
                times.append(time.perf_counter() - t0)
            line.append(f"{engine} p50 {percentile_ms(times, 50):8.1f} ms  p99 {percentile_ms(times, 99):8.1f} ms ({rows} rows)")
        print(f"{name:22} " + " · ".join(line))
    for name, run in (("rdflib", lambda q: list(graph.query(q))), ("oxigraph", lambda q: list(oxigraph.query(q)))):
        t0 = time.perf_counter()
        rows = len(run(query_text("stale")))
        print(f"stale ({name}): {(time.perf_counter() - t0) * 1000:.0f} ms, {rows} rows")


if __name__ == "__main__":
    main()
