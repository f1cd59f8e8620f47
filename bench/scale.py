"""Scale benchmark: synthetic corpora of N documents (bench/synthetic.py) built into a store and queried.

    python bench/scale.py                    # N = 10,000 and 100,000
    python bench/scale.py 2000 20000         # other sizes
    python bench/scale.py --networkx 10000   # also time loading the whole store into networkx

For each N, in a fresh process (so RSS is its own): generate the files, `build` them into a new store (extraction on every core, one writer),
then open the store and time depends-on (transitive) and impact on a sample of documents. Prints figures; asserts
nothing. The floors the project holds itself to (issue 4): 100k documents built in < 10 min, loaded in < 5 s,
queries p99 < 50 ms, RSS < 4 GB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile  # noqa: E402

SAMPLE = 200  # documents queried per query kind


def one(n: int, workdir: Path, with_networkx: bool) -> dict:
    from synthetic import generate

    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore, open_store
    from legalkg.queries.core import depends_on, impact
    from legalkg.queries.identify import identify

    docs, store_path = workdir / f"docs-{n}", workdir / f"store-{n}.db"
    t0 = time.perf_counter()
    size = generate(docs, n)
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    with SqliteStore(store_path) as store:
        report = build(store, [docs], jobs=os.cpu_count() or 1)
        stats = store.stats()
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = open_store(store_path)
    first = depends_on(store, identify(store, "1/2010/NĐ-CP"), transitive=True)  # the generator's first decree
    loaded = time.perf_counter() - t0
    documents = [node for node in store.nodes_of_kind("Document") if not node.stub]
    rng = random.Random(1)
    central = [d for d in documents if not d.props.get("place")]
    local = [d for d in documents if d.props.get("place")]
    timings = {"depends_on": [], "impact": []}
    results = {"depends_on": 0, "impact": 0}
    for doc in rng.sample(central, min(SAMPLE // 2, len(central))) + rng.sample(local, min(SAMPLE // 2, len(local))):
        for name, run in (("depends_on", lambda d: depends_on(store, d, transitive=True)),
                          ("impact", lambda d: impact(store, d))):
            t0 = time.perf_counter()
            answer = run(doc)
            timings[name].append((time.perf_counter() - t0) * 1000)
            results[name] = max(results[name], len(answer.results))
    out = {
        "documents": n, "source_mb": round(size / 1e6, 1), "generate_s": round(generated, 1),
        "build_s": round(built, 1), "build_docs_per_s": round(n / built), "failures": len(report.failures),
        "store_mb": round(os.path.getsize(store_path) / 1e6, 1), "nodes": sum(stats["nodes"].values()),
        "nodes_by_kind": stats["nodes"], "edges": stats["edges"], "load_and_first_query_s": round(loaded, 3),
        "first_query_results": len(first.results),
        **{f"{name}_ms_p50": round(percentile(v, 50), 1) for name, v in timings.items()},
        **{f"{name}_ms_p99": round(percentile(v, 99), 1) for name, v in timings.items()},
        **{f"{name}_max_results": v for name, v in results.items()},
    }
    if with_networkx:
        t0 = time.perf_counter()
        graph = store.to_networkx()
        out["networkx_load_s"] = round(time.perf_counter() - t0, 1)
        out["networkx_nodes"] = graph.number_of_nodes()
    store.close()
    out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out



def main(argv: list[str]) -> None:
    if argv and argv[0] == "--one":
        print(json.dumps(one(int(argv[1]), Path(argv[2]), "--networkx" in argv)))
        return
    with_networkx = "--networkx" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [10_000, 100_000]
    workdir = Path(tempfile.mkdtemp(prefix="legalkg-scale-"))
    try:
        for n in sizes:
            cmd = [sys.executable, __file__, "--one", str(n), str(workdir)] + (["--networkx"] if with_networkx else [])
            figures = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            for key, value in figures.items():
                print(f"{key:<28} {value}")
            print()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
