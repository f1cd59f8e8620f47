"""Workbench page times: a real `legalkg serve` over a synthetic store, each page kind asked one at a time (a person
at a browser, not a load test), the most cited decrees included.

    python bench/workbench_pages.py                # 10,000 documents, 40 requests per page kind
    python bench/workbench_pages.py --docs 2000 --requests 20
    python bench/workbench_pages.py --store S.db   # serve a store you have

Page kinds: home, search by number, search by words, a document page on each tab (impact first), the impact list
as CSV and as XLSX, an agency page, the upload form, and the graph page. Documents are drawn at random from the
decrees and plans, with the five most cited decrees always among them (the hubs, where lists are longest). Only
127.0.0.1 is contacted. Prints p50/p95/max per kind in ms, and the floor (p95 < 200 ms on every page; the CSV and
XLSX files are printed too, but they are downloads whose time grows with the list: a hub's 5,000 tasks); asserts
nothing.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import prepare  # noqa: E402
from stats import percentile_ms  # noqa: E402

FLOOR_MS = 200
FILES = ("impact.csv", "impact.xlsx")
HUBS = 5


def samples(store: Path, rng: random.Random, n: int) -> dict[str, list[str]]:
    """Paths to ask, by page kind: random documents and agencies of the store, the hubs first."""
    with sqlite3.connect(store) as db:
        base = db.execute("SELECT value FROM meta WHERE key = 'base_iri'").fetchone()
        base = base[0] if base else "https://legalkg.example/"
        hubs = [r[0] for r in db.execute(
            "SELECT dst FROM edges WHERE rel IN ('cites', 'based_on', 'implements', 'depends_on') "
            "AND dst LIKE '%/nd/%' GROUP BY dst ORDER BY count(*) DESC LIMIT ?", (HUBS,))]
        documents = [r[0] for r in db.execute("SELECT iri FROM nodes WHERE kind = 'Document' AND stub = 0")]
        agencies = [r[0] for r in db.execute("SELECT iri FROM nodes WHERE kind = 'Agency'")]
        keys = [r[0] for r in db.execute("SELECT key FROM nodes WHERE type = 'Nghị định' AND key IS NOT NULL")]
        words = [r[0] for r in db.execute("SELECT json_extract(props, '$.title') FROM nodes WHERE kind = 'Document' "
                                          "AND stub = 0 AND json_extract(props, '$.title') IS NOT NULL LIMIT 500")]
    local = lambda iri: quote(iri.removeprefix(base), safe="/")  # noqa: E731
    docs = [local(d) for d in hubs + rng.sample(documents, n)][:n]
    return {
        "home": ["/"] * n,
        "search: number": ["/search?q=" + quote(k) for k in rng.choices(keys, k=n)],
        "search: words": ["/search?q=" + quote(" ".join(t.split()[1:3])) for t in rng.choices(words, k=n)],
        "document: impact tab": [f"/documents/{d}" for d in docs],
        "document: relations tab": [f"/documents/{d}?tab=relations" for d in docs],
        "document: text tab": [f"/documents/{d}?tab=text" for d in docs],
        "document: conflicts tab": [f"/documents/{d}?tab=conflicts" for d in docs],
        "document: effects tab": [f"/documents/{d}?tab=effects" for d in docs],
        "impact.csv": [f"/documents/{d}/impact.csv" for d in docs],
        "impact.xlsx": [f"/documents/{d}/impact.xlsx" for d in docs],
        "agency": [f"/agencies/{local(a)}" for a in rng.choices(agencies, k=n)],
        "upload form": ["/upload"] * n,
        "graph page": [f"/viz/documents/{d}" for d in docs],
    }


def measure(base: str, asked: dict[str, list[str]]) -> dict[str, tuple[list[float], int]]:
    out = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        for kind, paths in asked.items():
            times, errors = [], 0
            for path in paths:
                t0 = time.perf_counter()
                response = http.get(path)
                times.append(time.perf_counter() - t0)
                errors += response.status_code >= 400 and response.status_code != 409  # 409: an agency name of two provinces
            out[kind] = (times, errors)
    return out


def serve(store: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "legalkg", "serve", "--store", str(store), "--port", str(port),
                             "--workers", "1", "--cache", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit("the server exited")
        try:
            if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40, help="requests per page kind")
    parser.add_argument("--store", type=Path, help="a store to serve instead of a synthetic one")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legalkg-bench-") as work:
        if args.store:
            store = args.store
        else:
            t0 = time.perf_counter()
            store, _ = prepare(args.docs, Path(work))
            print(f"built {args.docs:,} synthetic documents in {time.perf_counter() - t0:.1f} s")
        asked = samples(store, random.Random(7), args.requests)
        base = f"http://127.0.0.1:{args.port}"
        process = serve(store, args.port)
        try:
            wait_up(base, process)
            measure(base, {k: v[:3] for k, v in asked.items()})  # warm: modules, page caches, templates
            results = measure(base, asked)
        finally:
            process.terminate()
            process.wait(30)
    print(f"{'page':26} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}")
    worst = 0.0
    for kind, (times, errors) in results.items():
        p95 = percentile_ms(times, 95)
        worst = max(worst, p95) if kind not in FILES else worst
        print(f"{kind:26} {percentile_ms(times, 50):8.1f} {p95:8.1f} {max(times) * 1000:8.1f} {errors:7d}")
    print(f"slowest page p95 {worst:.1f} ms (floor: p95 < {FLOOR_MS} ms on every page kind, files apart): "
          f"{'within' if worst < FLOOR_MS else 'OVER'}")


if __name__ == "__main__":
    main()
