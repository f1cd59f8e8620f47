"""SPARQL for the API: read-only queries over the store's RDF view (queries.sparql.materialise), each in a child
process that is killed when it runs past the time limit (Oxigraph cannot interrupt a query itself), with at most
`limit` rows and `byte_limit` bytes kept. Answers are SPARQL 1.1 JSON results (SELECT, ASK) or N-Triples (CONSTRUCT,
DESCRIBE).

Read-only and local: SERVICE (Oxigraph would send the query to any address, file: and 127.0.0.1 included), LOAD and
the update forms are refused before a query runs (check_query); the child opens the view read-only and only runs
`query()`, and on Linux it has no network at all when user namespaces allow it.

The child bounds itself too, so that it stops even when the server cannot stop it: it dies with its parent
(PR_SET_PDEATHSIG), its address space is capped (RLIMIT_AS) and so is its CPU time per query (RLIMIT_CPU), and a
thread of its own ends it when a query overruns or the parent's end of the pipe closes.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ctypes
import json
import math
import multiprocessing
import os
import re
import resource
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_S = 10.0
ROW_LIMIT = 10_000
BYTE_LIMIT = 16 * 2**20  # of an answer's body
MEMORY_LIMIT = 2 * 2**30  # address space of the query process
QUEUE = 16  # queries that may wait behind the running one; more are told to come back later
MAX_QUERY = 100_000  # characters
GRACE_S = 2.0  # the child's own time and CPU limits: past the parent's, which normally acts first
MAX_READINGS = 16  # ways of tokenising one query check_query follows before it gives up


class SparqlError(Exception):
    def __init__(self, status: int, title: str, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.retry_after = status, title, detail, retry_after


@dataclass(frozen=True)
class SparqlAnswer:
    media_type: str
    body: bytes
    truncated: bool


@dataclass(frozen=True)
class Limits:
    """What one query may use, enforced in the query process."""
    rows: int
    bytes: int
    memory: int
    seconds: float


# ---- what a query may not do --------------------------------------------------------------------------------------

FEDERATION = re.compile(r"SERVICE", re.IGNORECASE)
UPDATES = re.compile(r"LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH", re.IGNORECASE)

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         "\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS = _BASE + r"_\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PNAME = (rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:"
          rf"(?:(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?")
TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<pname>{_PNAME})
  | (?P<word>[A-Za-z]+)
  | (?P<other>.)""", re.VERBOSE | re.DOTALL)
OPERANDS = {"string", "iri", "var", "pname", "word"}  # after one of these, `<` may be less-than


@dataclass(frozen=True)
class _Reading:
    """A point of one tokenisation: where it is, the parenthesis depth in each open `{` block, and whether the last
    token could end an operand."""
    at: int
    depths: tuple[int, ...] = (0,)
    after_operand: bool = False


def check_query(query: str) -> None:
    """Raises SparqlError (413, 400) for a query too long, or one that federates (SERVICE) or updates (LOAD, INSERT,
    …); keywords inside strings, IRIs and comments do not count, in any case they are written."""
    if len(query) > MAX_QUERY:
        raise SparqlError(413, "Query too long", f"queries are limited to {MAX_QUERY:,} characters")
    refused = _refused_word(query)
    if refused is None:
        return
    if FEDERATION.search(refused):
        raise SparqlError(400, "Federated query refused", f"{refused!r}: SERVICE is refused; this endpoint answers "
                                                          "from its own graph and calls no other address")
    raise SparqlError(400, "Update refused", f"{refused!r}: LOAD and SPARQL Update are refused; this endpoint is "
                                             "read-only")


def _refused_word(query: str) -> str | None:
    # Oxigraph reads \u escapes only inside strings and IRIs today; the spec reads them everywhere: both are checked.
    for text in dict.fromkeys((query, _decoded(query))):
        for word in _words(text):
            if FEDERATION.search(word) or UPDATES.search(word):
                return word
    return None


def _decoded(query: str) -> str:
    if "\\u" not in query and "\\U" not in query:
        return query
    return re.sub(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}", lambda m: _codepoint(m.group()), query)


def _codepoint(escape: str) -> str:
    try:
        return codecs.decode(escape, "unicode_escape")
    except UnicodeDecodeError:
        return escape


def _words(text: str) -> Iterator[str]:
    """The keywords (and prefixes of prefixed names) of every way Oxigraph may tokenise the text. `<` after an
    operand inside parentheses is ambiguous (an IRI, or less-than): where reading it as less-than would turn a `#`
    or `'` inside the would-be IRI into a comment or a string, or change the nesting by a parenthesis, both readings
    are followed (elsewhere they tokenise the rest alike, and no keyword inside it could be a working SERVICE)."""
    pending, seen = [_Reading(0)], set()
    while pending:
        reading = pending.pop()
        if reading in seen:
            continue
        seen.add(reading)
        if len(seen) > MAX_READINGS:
            raise SparqlError(400, "Query refused", "the query has too many '<' that read both as an IRI and as "
                                                    "less-than to be checked for SERVICE; space out the comparisons")
        yield from _words_of(text, reading, pending)


def _words_of(text: str, reading: _Reading, pending: list[_Reading]) -> Iterator[str]:
    at, depths, after_operand = reading.at, reading.depths, reading.after_operand
    while at < len(text):
        token = TOKEN.match(text, at)
        kind, value = token.lastgroup, token.group()
        if kind == "iri" and depths[-1] > 0 and after_operand and any(c in value for c in "#'()"):
            pending.append(_Reading(at + 1, depths))
        if kind == "word":
            yield value
        elif kind == "pname" and value.split(":")[0]:
            yield value.split(":")[0]  # Oxigraph takes `SERVICE:x` as SERVICE and the IRI `:x`
        depths = _nested(depths, value) if kind == "other" else depths
        if kind not in ("space", "comment"):
            after_operand = kind in OPERANDS or value in ")]" or value.isdigit()
        at = token.end()


def _nested(depths: tuple[int, ...], char: str) -> tuple[int, ...]:
    if char == "{":
        return (*depths, 0)
    if char == "}":
        return depths[:-1] or (0,)
    if char == "(":
        return (*depths[:-1], depths[-1] + 1)
    if char == ")":
        return (*depths[:-1], max(0, depths[-1] - 1))
    return depths


# ---- the server's side --------------------------------------------------------------------------------------------

class SparqlRunner:
    """One query process per server process, one query at a time, run from one thread of the runner's own (the
    process dies with the thread that started it). At most `queue` queries wait behind the running one, in the
    event loop without a thread; more are refused as Busy. A process that overruns is killed and the next query
    starts another."""

    def __init__(self, timeout_s: float = TIMEOUT_S, limit: int = ROW_LIMIT, *, byte_limit: int = BYTE_LIMIT,
                 memory_limit: int = MEMORY_LIMIT, queue: int = QUEUE) -> None:
        self.timeout_s, self.limit, self.queue = timeout_s, limit, queue
        self.limits = Limits(rows=limit, bytes=byte_limit, memory=memory_limit, seconds=timeout_s + GRACE_S)
        self._guard = threading.Lock()  # for _thread and _admitted, never held while waiting
        self._thread: ThreadPoolExecutor | None = None
        self._admitted = 0
        self._child: multiprocessing.Process | None = None
        self._pipe = None

    async def answer(self, view: Callable[[], Path], query: str) -> SparqlAnswer:
        """The answer to `query` over the view `view()` returns (called in the runner's thread: it may build it).
        The check runs in a worker thread: on a long hostile query it takes a tenth of a second, which the event loop
        would otherwise spend not answering anyone."""
        await asyncio.to_thread(check_query, query)
        with self._turn():
            return await asyncio.wrap_future(self._submit(self._run, view, query))

    def run(self, view: Path, query: str) -> SparqlAnswer:
        """The same, for a caller in a thread of its own (which waits for its turn)."""
        check_query(query)
        with self._turn():
            return self._submit(self._run, lambda: view, query).result()

    def start(self) -> int:
        """Starts the query process now rather than at the first query; its pid."""
        return self._submit(self._started).result()

    @property
    def child_pid(self) -> int | None:
        child = self._child
        return child.pid if child is not None and child.is_alive() else None

    def close(self) -> None:
        """Stops the query process; queries still waiting are cancelled. The runner may be used again after."""
        with self._guard:
            thread, self._thread = self._thread, None
        child = self._child
        if child is not None:
            child.kill()  # a running query ends now rather than at its time limit; its thread then tidies up
        if thread is not None:
            thread.shutdown(wait=True, cancel_futures=True)
        self._kill()

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        with self._guard:
            if self._admitted > self.queue:
                retry = max(1, math.ceil(self.timeout_s))
                raise SparqlError(503, "Busy", f"{self._admitted} SPARQL queries are running or waiting, the most "
                                               f"this server takes; try again in {retry} s", retry_after=retry)
            self._admitted += 1
        try:
            yield
        finally:
            with self._guard:
                self._admitted -= 1

    def _submit(self, work: Callable, *args) -> Future:
        with self._guard:
            if self._thread is None:
                self._thread = ThreadPoolExecutor(1, thread_name_prefix="sparql")
            return self._thread.submit(work, *args)

    def _run(self, view: Callable[[], Path], query: str) -> SparqlAnswer:
        path = view()
        pipe = self._ensure_child()
        try:
            pipe.send((str(path), query))
        except OSError:
            raise self._ended() from None
        if not pipe.poll(self.timeout_s):
            self._kill()
            raise SparqlError(503, "Query timed out", f"the query ran past the limit of {self.timeout_s:g} s")
        try:
            kind, *rest = pipe.recv()
        except (EOFError, OSError):
            raise self._ended() from None
        if kind == "error":
            raise SparqlError(*rest)
        return SparqlAnswer(*rest)

    def _started(self) -> int:
        self._ensure_child()
        return self._child.pid

    def _ensure_child(self):
        if self._child is None or not self._child.is_alive():
            self._kill()
            context = multiprocessing.get_context("spawn")
            self._pipe, theirs = context.Pipe()
            self._child = context.Process(target=_answer_queries, args=(theirs, self.limits, os.getpid()),
                                          daemon=True, name="legalkg-sparql")
            self._child.start()
            theirs.close()
        return self._pipe

    def _ended(self) -> SparqlError:
        """Why the query process ended before answering, as the error to report; a new one starts next time."""
        self._child.join(timeout=5)
        code = self._child.exitcode
        self._kill()
        if code in (EXIT_MEMORY, -signal.SIGABRT):  # Rust aborts when an allocation fails
            return SparqlError(503, "Query too large", "the query needed more memory than the "
                                                       f"{self.limits.memory / 2**20:,.0f} MiB a query may use")
        if code in (EXIT_TIME, -signal.SIGXCPU):
            return SparqlError(503, "Query timed out", f"the query ran past the limit of {self.timeout_s:g} s")
        return SparqlError(503, "Query failed", f"the query process ended before answering (exit code {code})")

    def _kill(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.join()
        if self._pipe is not None:
            self._pipe.close()
        self._child = self._pipe = None


# ---- the query process ------------------------------------------------------------------------------------------

EXIT_TIME, EXIT_MEMORY, EXIT_ORPHANED = 3, 4, 5
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
PR_SET_PDEATHSIG = 1
JSON = "application/sparql-results+json"


def _answer_queries(pipe, limits: Limits, parent: int) -> None:
    """The child: opens each view it is asked about (read-only, kept open while it stays the current one)."""
    _without_network()  # first: a process with threads cannot enter a new user namespace
    die_with_parent(parent)
    _cap(resource.RLIMIT_CORE, 0)  # a query that hits a limit leaves no multi-GB core file
    _cap(resource.RLIMIT_AS, limits.memory)
    import pyoxigraph as ox

    watch = _Watch(pipe)
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            view, query = pipe.recv()
        except EOFError:
            return
        with watch.running(limits.seconds):
            try:
                if opened is None or opened[0] != view:
                    opened = (view, ox.Store.read_only(view))
                reply = ("ok", *_answer(opened[1].query(query), limits))
            except MemoryError:
                os._exit(EXIT_MEMORY)
            except SyntaxError as exc:
                reply = ("error", 400, "Bad query", f"not a SPARQL query this endpoint runs (read-only): {exc}")
            except OSError as exc:
                reply = ("error", 503, "Store unavailable", str(exc))
            except RuntimeError as exc:  # an evaluation error: the process goes on
                reply = ("error", 503, "Query failed", str(exc))
        pipe.send(reply)  # after `running` ends: the parent may send the next query as soon as it has this


def _without_network() -> None:
    """No address to reach even if a SERVICE got past check_query: a network namespace of its own, where the
    kernel lets an unprivileged process make one (else nothing changes)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER | CLONE_NEWNET)


def die_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when the thread that started it ends (its parent process dying included).
    It ignores Ctrl-C, which a terminal sends to every process of its group: its parent decides when it ends (a
    KeyboardInterrupt here would only print a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(EXIT_ORPHANED)


def _cap(limit: int, value: int, soft_only: bool = False) -> None:
    """Sets the limit to `value`, or to the hard limit the process already has if that is lower; with soft_only the
    hard limit stays as it is (the soft one is raised again for the next query)."""
    hard = resource.getrlimit(limit)[1]
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(limit, (value, hard if soft_only else value))


class _Watch:
    """A thread that ends the process while a query runs past its deadline, or once the parent has closed its end
    of the pipe (it writes nothing while a query runs, so a readable pipe then means it is gone)."""

    def __init__(self, pipe) -> None:
        self.pipe, self.deadline = pipe, None
        threading.Thread(target=self._watch, daemon=True).start()

    @contextlib.contextmanager
    def running(self, seconds: float) -> Iterator[None]:
        _cap(resource.RLIMIT_CPU, math.ceil(sum(os.times()[:2]) + seconds), soft_only=True)  # counts from birth
        self.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self.deadline = None

    def _watch(self) -> None:
        while True:
            time.sleep(0.25)
            deadline = self.deadline
            if deadline is None:
                continue
            if time.monotonic() > deadline:
                os._exit(EXIT_TIME)
            if select.select([self.pipe], [], [], 0)[0] and self.deadline is not None:
                os._exit(EXIT_ORPHANED)


def _answer(results, limits: Limits) -> tuple[str, bytes, bool]:
    import pyoxigraph as ox

    if isinstance(results, ox.QueryBoolean):
        return JSON, json.dumps({"head": {}, "boolean": bool(results)}).encode(), False
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, limits)
    return _triples(results, limits)  # CONSTRUCT, DESCRIBE


def _solutions(results, limits: Limits) -> tuple[str, bytes, bool]:
    names = [v.value for v in results.variables]
    head = b'{"head": {"vars": ' + json.dumps(names, ensure_ascii=False).encode() + b'}, "results": {"bindings": ['
    tail = b"]}}"
    room = limits.bytes - len(head) - len(tail)
    rows = (_row(solution, names, room) for solution in results)
    kept, truncated = _within(rows, limits.rows, room, b", ")
    return JSON, head + b", ".join(kept) + tail, truncated


def _row(solution, names: list[str], room: int) -> bytes | None:
    """The row as JSON, or None when it cannot fit in `room` bytes (known before it is encoded: a 100 MB literal
    is not encoded only to be dropped)."""
    row = {n: _binding(solution[n]) for n in names if solution[n] is not None}
    if sum(len(b["value"]) for b in row.values()) > room:
        return None
    return json.dumps(row, ensure_ascii=False).encode()


def _triples(results, limits: Limits) -> tuple[str, bytes, bool]:
    lines = (_line(triple, limits.bytes) for triple in results)
    kept, truncated = _within(lines, limits.rows, limits.bytes, b"")
    return "application/n-triples", b"".join(kept), truncated


def _line(triple, room: int) -> bytes | None:
    if len(getattr(triple.object, "value", "")) > room:
        return None
    return f"{triple.subject} {triple.predicate} {triple.object} .\n".encode()


def _within(pieces: Iterable[bytes | None], rows: int, room: int, separator: bytes) -> tuple[list[bytes], bool]:
    """The first pieces, at most `rows` of them, that fit in `room` bytes joined; and whether any were left out."""
    kept, used = [], 0
    for piece in pieces:
        cost = len(piece) + (len(separator) if kept else 0) if piece is not None else room + 1
        if len(kept) == rows or used + cost > room:
            return kept, True
        kept.append(piece)
        used += cost
    return kept, False


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
