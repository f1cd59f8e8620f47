"""HTTP load on loopback: a real `legalkg serve` over a synthetic store, hit by concurrent clients.

    python bench/api_load.py                 # 10,000 documents; 50 and 200 clients; 200 req/s offered
    python bench/api_load.py --docs 2000 --seconds 5
    python bench/api_load.py --store S.db    # serve a store you have
    python bench/api_load.py --upload-every 0 # no uploads during the second open loop


Closed loop: N clients each send a request as soon as the last one is answered (req/s is what the server sustains).
Open loop: requests are sent at a fixed rate whatever the answers do (latency then includes queueing, as users see
it). The mix: dependent tasks (transitive) and impact of random decrees, document pages, document lists, the stale
list. The open loop runs twice: without writes, then with a plan uploaded every --upload-every seconds (each upload
changes the store, so every cached answer is invalidated). Only 127.0.0.1 is contacted; every loop is bounded in
time. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile_ms  # noqa: E402


POOL = 64  # connections the open loop opens before it starts (more only when all are busy)


def prepare(n: int, workdir: Path) -> tuple[Path, list[str]]:
    from synthetic import generate

    from legalkg.graph.ingest import build
    from legalkg.graph.store import SqliteStore
    from legalkg.queries.core import whole_graph_answers

    generate(workdir / "docs", n)
    store_path = workdir / "store.db"
    with SqliteStore(store_path) as store:
        build(store, [workdir / "docs"], jobs=os.cpu_count() or 1, whole_graph=whole_graph_answers)  # as `legalkg build`
        decrees = [r[0] for r in store.db.execute("SELECT key FROM nodes WHERE type = 'Nghị định' AND stub = 0")]
    return store_path, decrees


def paths(decrees: list[str], rng: random.Random) -> str:
    key = quote(rng.choice(decrees), safe="")
    return rng.choice([
        f"/v1/documents/{key}/dependent-tasks?transitive=true&limit=50",
        f"/v1/documents/{key}/impact?limit=50",
        f"/v1/documents/{key}",
        "/v1/documents?type=K%E1%BA%BF%20ho%E1%BA%A1ch&limit=20",
        "/v1/stale?limit=50",
    ])


async def closed_loop(base: str, decrees: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(i: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(i)
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            response = await http.get(base + paths(decrees, rng))
            latencies.append(time.perf_counter() - t0)
            errors += response.status_code >= 400

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return latencies, errors


class Connection:
    """A keep-alive HTTP/1.1 connection on asyncio streams: light enough that the client is not what is measured."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def get(self, path: str, port: int) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
        first = await self.reader.readline()
        if not first:  # the server closed an idle keep-alive connection: open another and ask again
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
            return await self.get(path, port)
        status = int(first.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status


PLAN_NUMBER = re.compile(r"\b\d+/KH-UBND\b")


def upload_texts(docs: Path) -> Iterator[bytes]:
    """Plans of the synthetic corpus renumbered, each upload a new document of the store."""
    plans = sorted(p for p in docs.glob("*.txt") if PLAN_NUMBER.search(p.read_text(encoding="utf-8")))[:50]
    first = time.time_ns() // 1000 % 10**9  # numbers no earlier run on this store used: every upload adds a plan
    for n in range(100_000):
        text = plans[n % len(plans)].read_text(encoding="utf-8")
        yield PLAN_NUMBER.sub(f"{first + n}/KH-UBND", text, count=1).encode("utf-8")


async def uploading(port: int, texts: Iterator[bytes], every: float, stop: asyncio.Event) -> list[float]:
    """One upload every `every` seconds until stop; returns each upload's time."""
    times: list[float] = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        while not stop.is_set():
            t0 = time.perf_counter()
            answer = await http.post("/v1/documents", files={"file": ("plan.txt", next(texts), "text/plain")})
            answer.raise_for_status()
            times.append(time.perf_counter() - t0)
            try:
                await asyncio.wait_for(stop.wait(), max(0.0, every - (time.perf_counter() - t0)))
            except asyncio.TimeoutError:
                pass
    return times


async def open_loop_with_uploads(port: int, decrees: list[str], rate: float, seconds: float, texts: Iterator[bytes],
                                 every: float) -> tuple[tuple[list[float], int, int], list[float]]:
    stop = asyncio.Event()
    writer = asyncio.create_task(uploading(port, texts, every, stop))
    try:
        reads = await open_loop(port, decrees, rate, seconds)
    finally:
        stop.set()
    return reads, await writer


async def open_loop(port: int, decrees: list[str], rate: float, seconds: float) -> tuple[list[float], int, int]:
    """Requests at a fixed rate, each on a free connection from a pool (a new one when all are busy). The connection
    idle longest goes next, as with many users each on their own connection: the server's workers each hold some of
    the connections, and reusing the most recent one would load whichever worker holds it."""
    latencies: list[float] = []
    errors = sent = 0
    rng = random.Random(7)
    idle: deque[Connection] = deque()

    async def one(path: str) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        connection = idle.popleft() if idle else await Connection.open(port)
        status = await connection.get(path, port)
        latencies.append(time.perf_counter() - t0)
        errors += status >= 400
        idle.append(connection)

    idle += [await Connection.open(port) for _ in range(POOL)]  # connected before the clock starts
    start = time.perf_counter()
    tasks = []
    while (now := time.perf_counter() - start) < seconds:
        due = sent / rate
        if due > now:
            await asyncio.sleep(due - now)
        tasks.append(asyncio.create_task(one(paths(decrees, rng))))
        sent += 1
    await asyncio.gather(*tasks)
    for connection in idle:
        connection.writer.close()
    return latencies, errors, sent


def wrk(base: str, decrees: list[str], clients: int, seconds: float, workdir: Path) -> str:
    rng = random.Random(3)
    script = workdir / "paths.lua"
    listed = ",\n".join(f'"{paths(decrees, rng)}"' for _ in range(500))
    script.write_text(f"paths = {{{listed}}}\nrequest = function() return wrk.format('GET', paths[math.random(#paths)]) end\n")
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50, p99 = (re.search(rf"\s{p}%\s+([\d.]+\w+)", out) for p in (50, 99))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (f"{float(rate.group(1)) if rate else 0:7.0f} req/s   p50 {p50.group(1) if p50 else '?':>8}   "
            f"p99 {p99.group(1) if p99 else '?':>8}   errors {errors.group(1) if errors else 0}")



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--store", type=Path, help="an existing store to serve instead of building a synthetic one")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--upload-every", type=float, default=2.0, help="seconds between uploads (0: none)")
    parser.add_argument("--docs-dir", type=Path, help="documents to renumber for uploads (default: the synthetic ones)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (store, server logs) afterwards")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="legalkg-load-"))
    try:
        run(args, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    t0 = time.perf_counter()
    store_path, decrees = (args.store, decrees_in(args.store)) if args.store else prepare(args.docs, workdir)
    args.docs_dir = args.docs_dir or workdir / "docs"
    if not args.docs_dir.is_dir():
        from synthetic import generate

        generate(args.docs_dir, 200)
    os.sync()  # the build's writes reach the disk now, not while the server is being measured
    print(f"store: {store_path} ready in {time.perf_counter() - t0:.0f} s; {len(decrees)} decrees to ask about")
    for cache, name in ((0, "every answer computed (--cache 0)"), (None, "with the answer cache (default)")):
        print(f"{name}; a fresh server, open loop first:")
        with serving(store_path, cache, workdir) as port:
            measure(port, decrees, args, workdir)


def decrees_in(store_path: Path) -> list[str]:
    from legalkg.graph.store import open_store

    with open_store(store_path) as store:
        return [r[0] for r in store.db.execute("SELECT key FROM nodes WHERE type = 'Nghị định' AND stub = 0")]


@contextmanager
def serving(store_path: Path, cache: int | None, workdir: Path) -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "legalkg", "serve", "--store", str(store_path), "--port", str(port)]
    log = open(workdir / f"server-{port}.log", "w")
    server = subprocess.Popen(command + (["--cache", str(cache)] if cache is not None else []),
                              cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL, stderr=log)
    try:
        # every worker process up before any client connects: keep-alive connections stay with the worker that
        # accepted them, so connecting while only one is up would load that one alone for the whole run
        workers = os.cpu_count() or 1
        for _ in range(600):
            if (workdir / f"server-{port}.log").read_text().count("Application startup complete") >= workers:
                break
            time.sleep(0.1)
        httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).raise_for_status()
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def measure(port: int, decrees: list[str], args: argparse.Namespace, workdir: Path) -> None:
    latencies, errors, sent = asyncio.run(open_loop(port, decrees, args.rate, args.seconds))
    print(f"  open loop, {args.rate:.0f} req/s offered: {sent} sent   p50 {percentile_ms(latencies, 50):6.1f} ms   "
          f"p99 {percentile_ms(latencies, 99):6.1f} ms   errors {errors}")
    if args.upload_every > 0:
        texts = upload_texts(args.docs_dir)
        (latencies, errors, sent), uploads = asyncio.run(
            open_loop_with_uploads(port, decrees, args.rate, args.seconds, texts, args.upload_every))
        print(f"  open loop, {args.rate:.0f} req/s offered, an upload every {args.upload_every:g} s: {sent} sent   "
              f"p50 {percentile_ms(latencies, 50):6.1f} ms   p99 {percentile_ms(latencies, 99):6.1f} ms   "
              f"max {max(latencies) * 1000:6.0f} ms   errors {errors}   "
              f"({len(uploads)} uploads, p50 {percentile_ms(uploads, 50):.0f} ms each)")
    base = f"http://127.0.0.1:{port}"
    for clients in (50, 200):
        if shutil.which("wrk"):  # a C client: the figures are the server's, not the load generator's
            print(f"  closed loop, {clients:>3} clients (wrk): " + wrk(base, decrees, clients, args.seconds, workdir))
            continue
        latencies, errors = asyncio.run(closed_loop(base, decrees, clients, args.seconds))
        print(f"  closed loop, {clients:>3} clients: {len(latencies) / args.seconds:7.0f} req/s   "
              f"p50 {percentile_ms(latencies, 50):6.1f} ms   p99 {percentile_ms(latencies, 99):6.1f} ms   errors {errors}")


if __name__ == "__main__":
    main()
