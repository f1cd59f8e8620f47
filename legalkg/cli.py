"""`legalkg`: a thin command line over the library. Each command calls one library function and prints its result."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

import legalkg.extract as extract_package

from legalkg.api.cache import ENTRIES as CACHE_ENTRIES
from legalkg.extract.jsonout import SCHEMA_VERSION, document_json
from legalkg.extract.pipeline import Failure, extract_paths
from legalkg.tables import Column, count_line, table

SAMPLES = Path(extract_package.__file__).resolve().parent / "samples"
DEFAULT_SHARED = Path("../shared")


@click.group(help="legalkg: a knowledge graph of Vietnamese legal references.")
@click.version_option(package_name="legalkg")
def main() -> None:
    pass


@main.command(help="Extract metadata, citations, stated relations and tasks from .txt/.md/.html files and directories.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True,
              help="JSON (the contract in the README), or tables: the documents, then each one's citations, "
                   "relations, unresolved short forms, conflicts and tasks.")
@click.option("--sample", is_flag=True, help="Read the sample corpus bundled with legalkg.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here (default stdout).")
def extract(paths: tuple[Path, ...], fmt: str, sample: bool, output) -> None:
    if sample:
        paths = (*paths, SAMPLES)
    if not paths:
        raise click.UsageError("give files or directories to read, or --sample")
    documents, failures = [], []
    for item in extract_paths(paths):
        (failures if isinstance(item, Failure) else documents).append(item)
    if fmt == "json":
        payload = {
            "version": SCHEMA_VERSION,
            "documents": [document_json(d) for d in documents],
            "errors": [{"source": f.source, "error": f.error} for f in failures],
        }
        json.dump(payload, output, ensure_ascii=False, indent=1)
        output.write("\n")
    else:
        for line in _extract_tables(documents):
            output.write(line + "\n")
    for f in failures:
        click.echo(f"error: {f.error}", err=True)
    if failures:
        sys.exit(1)


def _extract_tables(documents) -> list[str]:
    """The documents as a table, then each document's findings, a table for each kind."""
    lines = table([Column("source", 40), Column("number", 24), Column("type", 12), Column("place", 16),
                   Column("date", 10), Column("citations", 9, ">"), Column("relations", 9, ">"),
                   Column("tasks", 5, ">")],
                  [(Path(d.source).name, d.ref.key, d.ref.type, d.ref.place, d.ref.date, len(d.citations),
                    len(d.relations), len(d.tasks)) for d in documents]) if documents else []
    for d in documents:
        unresolved = [m for m in d.mentions if m.kind == "unresolved"]
        parts = [(t, p) for t in d.tasks for p in (t.parts or (None,))]
        sections = [
            ("citations", [Column("start", 7, ">"), Column("end", 7, ">"), Column("section", 9), Column("relation", 13),
                           Column("cited", 30), Column("place", 16), Column("date", 10), Column("text", 50)],
             [(c.span.start, c.span.end, c.section, c.relation, c.ref.label, c.ref.place, c.ref.date, c.text)
              for c in d.citations]),
            ("relations", [Column("document", 30), Column("relation", 13), Column("target", 30)],
             [(r.source.label, r.relation, r.target.label) for r in d.relations]),
            ("unresolved short forms", [Column("at", 7, ">"), Column("text", 30), Column("reason", 60)],
             [(m.span.start, m.text, m.reason) for m in unresolved]),
            ("conflicts", [Column("kind", 12), Column("number", 24), Column("values", 30), Column("note", 60)],
             [(c.kind, c.key, list(c.values), c.note) for c in d.conflicts]),
            ("tasks", [Column("no", 6), Column("lead", 40), Column("coordinating", 30), Column("due", 16),
                       Column("task", 60)],
             [(t.no, list(p.lead) if p else [], list(p.coordinating) if p else [], p.deadline if p else None, t.text)
              for t, p in parts]),
        ]
        lines += ["", f"{Path(d.source).name}: {d.ref.label}"]
        for name, columns, rows in sections:
            if rows:
                lines += [f"  {name} ({len(rows)})", *table(columns, rows, indent="    ")]
    return [*lines, "", count_line(len(documents), noun="documents")]


STORE_OPTION = click.option("--store", "store_path", type=click.Path(path_type=Path), default=Path("legalkg.db"),
                            show_default=True, help="The store file.")
LIMIT_OPTION = click.option("--limit", type=click.IntRange(min=0), default=200, show_default=True, help="At most this many results, nearest first (0: all).")
FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
                             help="A table (one row per result, then a count), or the answer as JSON with each "
                                  "result's path and the source file and span of every step.")


@main.command(help="Extract files and directories and merge them into the store (incremental: unchanged files are skipped).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@STORE_OPTION
@click.option("--sample", is_flag=True, help="Also read the sample corpus bundled with legalkg.")
@click.option("--progress/--no-progress", default=None, help="A progress bar on stderr (default: when it is a terminal).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="CPU count",
              help="Worker processes for extraction (the store is written by one).")
@click.option("--base-iri", envvar="LEGALKG_BASE_IRI", metavar="IRI", show_envvar=True,
              help="What every IRI of a new store starts with (default https://legalkg.example/); recorded in the "
                   "store, and an error when the store exists with another.")
def build(paths: tuple[Path, ...], store_path: Path, sample: bool, progress: bool | None, jobs: int,
          base_iri: str | None) -> None:
    from legalkg.extract.pipeline import iter_files
    from legalkg.graph.ingest import build as build_store
    from legalkg.graph.store import SqliteStore, StoreError
    from legalkg.queries.core import whole_graph_answers

    if sample:
        paths = (*paths, SAMPLES)
    if not paths:
        raise click.UsageError("give files or directories to read, or --sample")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with SqliteStore(store_path, base_iri=base_iri) as store:
            total = sum(1 for _ in iter_files(paths))
            with click.progressbar(length=total, label="building", file=sys.stderr, hidden=not show) as bar:
                report = build_store(store, paths, tick=lambda: bar.update(1), jobs=jobs,
                                     whole_graph=whole_graph_answers)
            stats = store.stats()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{report.files} files: {report.added} added, {report.replaced} replaced, {report.unchanged} unchanged, "
               f"{report.duplicate} duplicate, {len(report.failures)} failed → {store_path}")
    click.echo("nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["nodes"].items()))
               + f"; edges {stats['edges']}; stubs {stats['stubs']}; conflicts {stats['conflicts']}")
    for f in report.failures:
        click.echo(f"error: {f.error}", err=True)
    if report.failures:
        sys.exit(1)


BACKENDS = ["embedded", "neo4j", "falkordb"]


def backend_options(command):
    """Where a Cypher server is and how to log in: shared by `sync` and `query`."""
    for option in reversed((
        click.option("--uri", help="bolt://HOST:7687 or neo4j+s://… (Neo4j); redis://HOST:PORT (FalkorDB)."),
        click.option("--graph", default="legalkg", show_default=True, help="FalkorDB: the graph's name."),
        click.option("--user", default="neo4j", show_default=True, help="Neo4j: the user."),
        click.option("--password-env", default=None, metavar="VAR",
                     help="The environment variable that holds the password (never the password itself)."),
        click.option("--database", default=None, help="Neo4j: the database (default: the server's)."),
    )):
        command = option(command)
    return command


@main.group(help="Ask the store (or, with --backend, a Neo4j or FalkorDB server synced from it): depends-on, "
                 "impact, stale, agency, conflicts, neighbors.")
@click.option("--backend", type=click.Choice(BACKENDS), default="embedded",
              show_default=True, help="Who answers: the store file, or a server (see `legalkg sync`).")
@backend_options
@click.pass_context
def query(ctx: click.Context, backend: str, **server) -> None:
    ctx.obj = {"backend": backend, **server}


def _server(backend: str, uri: str | None, graph: str, user: str, password_env: str | None, database: str | None):
    from legalkg.graph.cypher import Server

    if not uri:
        raise click.ClickException(f"--backend {backend} needs --uri")
    return Server(backend, uri, graph, user, password_env, database)


def _connect(server):
    from legalkg.graph.cypher import BackendError

    try:
        return server.connect()
    except BackendError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _queried(store_path: Path):
    """The store the query commands ask: the file, or the server the query group names."""
    options = click.get_current_context().find_object(dict) or {}
    if options.get("backend", "embedded") == "embedded":
        with _open(store_path) as store:
            yield store
        return
    from legalkg.graph.cypher import BackendError, CypherStore

    server = {k: options[k] for k in ("uri", "graph", "user", "password_env", "database")}
    with CypherStore(_connect(_server(options["backend"], **server))) as store:
        try:
            yield store
        except BackendError as exc:
            raise click.ClickException(str(exc)) from None


def _open(store_path: Path):
    from legalkg.graph.store import StoreError, open_store

    try:
        return open_store(store_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


class Ambiguity(click.ClickException):
    """A name that means several things: the candidates are listed and the user picks one (exit code 2, as for a
    usage error)."""

    exit_code = 2


def _document(store, text: str):
    from legalkg.queries.identify import Ambiguous, NotFound, identify

    try:
        return identify(store, text)
    except Ambiguous as exc:
        lines = [f"{text!r} names {len(exc.candidates)} documents; pass one of these IRIs (or add the province):"]
        lines += table([Column("document", 30), Column("place", 16), Column("date", 10), Column("IRI", 100)],
                       [(c.label, c.props.get("place"), c.props.get("date"), c.iri) for c in exc.candidates], "  ")
        raise Ambiguity("\n".join(lines)) from None
    except NotFound as exc:
        raise click.ClickException(str(exc)) from None


PATH = Column("path", 100)
DISTANCE = Column("dist", 4, ">")
TASK_TEXT = Column("text", 60)


def _path(result, labels: dict[str, str]) -> str:
    """The steps that prove a result, walked from it: "--depends_on--> 61/2018/NĐ-CP <--amends-- 107/2021/NĐ-CP"."""
    here, parts = result.id, []
    for step in result.path:
        if step.dst == here and step.src != here:
            parts.append(f"<--{step.rel}-- {labels.get(step.src, step.src)}")
            here = step.src
        else:
            if step.src != here:
                parts.append(labels.get(step.src, step.src))
            parts.append(f"--{step.rel}--> {labels.get(step.dst, step.dst)}")
            here = step.dst
    return " ".join(parts)


def _due(result) -> str | None:
    deadline = result.extra.get("deadline") or {}
    return deadline.get("text") if isinstance(deadline, dict) else str(deadline)


def _emit(answer, fmt: str, title: str | None = None) -> None:
    """An answer of queries.core: JSON, or a title line, a table with the columns of its question, and a count."""
    if fmt == "json":
        click.echo(json.dumps(answer.json(), ensure_ascii=False, indent=1))
        return
    q, labels, results = answer.query, answer.labels, answer.results
    if q["name"] == "depends-on":
        columns = [DISTANCE, Column("task", 24), Column("lead", 36), Column("due", 16), TASK_TEXT, PATH]
        rows = [(r.distance, r.label, r.lead, _due(r), r.text, _path(r, labels)) for r in results]
        noun = "tasks"
    elif q["name"] == "impact":
        columns = [DISTANCE, Column("kind", 8), Column("node", 30), Column("place", 14), Column("date", 10),
                   Column("lead", 30), Column("text", 50), PATH]
        rows = [(r.distance, r.kind, r.label, r.extra.get("place"), r.extra.get("date"), r.lead, r.text,
                 _path(r, labels)) for r in results]
        noun = "results"
    elif q["name"] == "stale":
        columns = [Column("document", 28), Column("date", 10), Column("cites", 28), Column("change", 8),
                   Column("changed by", 28), Column("change date", 11), Column("cites the change too", 20)]
        rows = [(r.label, r.extra.get("date"), r.extra.get("cites"), r.extra.get("change"), r.extra.get("changed_by"),
                 r.extra.get("change_date"), r.extra.get("also_cites_the_change")) for r in results]
        noun = "results"
    elif q["name"] == "agency":
        columns = [Column("group", 7), Column("due", 10), Column("role", 18), Column("task", 24), Column("lead", 36),
                   TASK_TEXT]
        rows = [(r.extra.get("group"), r.extra.get("due"), r.extra.get("role"), r.label, r.lead, r.text)
                for r in results]
        noun = "tasks"
    else:
        columns = [DISTANCE, Column("kind", 8), Column("label", 40), PATH]
        rows = [(r.distance, r.kind, r.label, _path(r, labels)) for r in results]
        noun = "results"
    click.echo(title or q["name"])
    if rows:
        for line in table(columns, rows):
            click.echo(line)
    click.echo(count_line(len(results), q.get("total"), noun, truncated=bool(q.get("truncated")),
                          at_least=q.get("total_at_least")))


@query.command(name="depends-on", help="Tasks that depend on a document (--transitive: also through what it amends, replaces or what guides it).")
@click.argument("document")
@click.option("--transitive", is_flag=True,
              help="Also tasks citing a document this one amends or replaces (and so on), or one that guides such a "
                   "document.")
@LIMIT_OPTION
@STORE_OPTION
@FORMAT_OPTION
def depends_on_command(document: str, transitive: bool, limit: int, store_path: Path, fmt: str) -> None:
    from legalkg.queries.core import depends_on

    with _queried(store_path) as store:
        answer = depends_on(store, _document(store, document), transitive, limit or None)
    through = [answer.labels.get(i, i) for i in answer.query.get("through", [])]
    title = f"depends-on {answer.query['label']}" + (f" (also through {', '.join(through)})" if through else "")
    _emit(answer, fmt, title)


@query.command(help="Everything that reaches a document backwards (citing documents, their tasks, lead agencies), by distance.")
@click.argument("document")
@click.option("--depth", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many steps back: documents citing it, then their tasks and the documents citing them, and so "
                   "on.")
@LIMIT_OPTION
@STORE_OPTION
@FORMAT_OPTION
def impact(document: str, depth: int, limit: int, store_path: Path, fmt: str) -> None:
    from legalkg.queries.lookup import impact as impact_query

    with _queried(store_path) as store:
        answer = impact_query(store, _document(store, document), depth, limit or None)
    _emit(answer, fmt, f"impact {answer.query['label']} (depth {depth}; {answer.query['citing']} citing it directly)")


@query.command(help="Documents citing a document that a later one amends, replaces or repeals (with both dates).")
@STORE_OPTION
@FORMAT_OPTION
def stale(store_path: Path, fmt: str) -> None:
    from legalkg.queries.core import stale as stale_query

    with _queried(store_path) as store:
        answer = stale_query(store)
    _emit(answer, fmt, "stale: documents citing a document that a later one amends, replaces or repeals")


@query.command(help="Tasks an agency leads or coordinates, grouped by deadline; overdue ones as of a date. A name "
                    "that several provinces' agencies bear needs --place (or the agency's IRI).")
@click.argument("name")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Tasks due before this day are overdue (default: today).")
@click.option("--place", default=None, metavar="PROVINCE",
              help="The agency of this province (\"Quảng Ngãi\"; case and \"tỉnh\" do not matter).")
@STORE_OPTION
@FORMAT_OPTION
def agency(name: str, as_of, place: str | None, store_path: Path, fmt: str) -> None:
    from datetime import date

    from legalkg.queries.core import agency_workload
    from legalkg.queries.lookup import AgencyAmbiguous, AgencyNotFound, agency_named, place_of

    with _queried(store_path) as store:
        try:
            found = agency_named(store, name, place)
        except AgencyNotFound as exc:
            raise click.ClickException(str(exc)) from None
        except AgencyAmbiguous as exc:
            lines = [f"{name!r} names agencies of {len(exc.places())} provinces; pass --place PROVINCE (or an IRI):"]
            lines += table([Column("agency", 40), Column("province", 16), Column("IRI", 100)],
                           [(a.label, place_of(a), a.iri) for a in exc.candidates], "  ")
            raise Ambiguity("\n".join(lines)) from None
        day = as_of.date() if as_of else date.today()
        answer = agency_workload(store, found, day)
    counts = ", ".join(f"{n} {group}" for group, n in answer.query["counts"].items())
    names = ", ".join(dict.fromkeys(f"{a.label} ({place_of(a)})" for a in found))
    _emit(answer, fmt, f"agency {names}, as of {day.isoformat()}: {counts}")


@query.command(help="Facts the sources disagree on, and short forms never defined in their document.")
@STORE_OPTION
@FORMAT_OPTION
def conflicts(store_path: Path, fmt: str) -> None:
    from legalkg.queries.core import conflicts as conflicts_query

    with _queried(store_path) as store:
        answer = conflicts_query(store)
    if fmt == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    click.echo("conflicts: facts the sources disagree on")
    if answer["conflicts"]:
        for line in table([Column("kind", 12), Column("note", 80), Column("source", 40)],
                          [(c["kind"], c["note"], f"{Path(c['source'] or '-').name}:{c['start']}")
                           for c in answer["conflicts"]]):
            click.echo(line)
    click.echo(count_line(len(answer["conflicts"]), noun="conflicts"))
    click.echo("")
    click.echo("unresolved: short forms never defined in their document")
    if answer["unresolved"]:
        for line in table([Column("text", 40), Column("source", 40)],
                          [(u["text"], f"{Path(u['source']).name}:{u['start']}") for u in answer["unresolved"]]):
            click.echo(line)
    click.echo(count_line(len(answer["unresolved"]), noun="short forms"))


@query.command(help="The subgraph around a node (a document number, an IRI), as JSON nodes and edges.")
@click.argument("node")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many edges away from the node, in either direction.")
@STORE_OPTION
def neighbors(node: str, depth: int, store_path: Path) -> None:
    from legalkg.queries.core import neighbors as neighbors_query

    with _queried(store_path) as store:
        iri = node if store.node(node) else _document(store, node).iri
        click.echo(json.dumps(neighbors_query(store, iri, depth), ensure_ascii=False, indent=1))


@main.command(help="Write an interactive graph page (HTML, works offline) around a node: a document number or an IRI.")
@click.argument("node")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many edges away from the node, in either direction.")
@click.option("--cap", default=150, show_default=True, help="At most this many nodes.")
@STORE_OPTION
def viz(node: str, output: Path, depth: int, cap: int, store_path: Path) -> None:
    from legalkg.graph import ids
    from legalkg.queries.core import neighbors as neighbors_query
    from legalkg.viz.graph import render

    with _open(store_path) as store, ids.using_base(store.base_iri):
        found = store.node(node) or _document(store, node)
        page = render(neighbors_query(store, found.iri, depth, limit=cap * 4), f"{found.label}: {depth} steps around", cap)
    output.write_text(page, encoding="utf-8")
    click.echo(f"wrote {output}")


@main.command(help="Copy the store to a Neo4j or FalkorDB server, in batches: the first time whole, then only what "
                   "changed (re-running changes nothing).")
@click.option("--backend", type=click.Choice(["neo4j", "falkordb"]), required=True,
              help="The kind of server to copy to (its address: --uri).")
@backend_options
@click.option("--full", is_flag=True, help="Remove legalkg's graph from the server first, then copy it whole.")
@STORE_OPTION
def sync(backend: str, full: bool, store_path: Path, **server) -> None:
    from legalkg.graph.cypher import BackendError
    from legalkg.graph.sync import sync as sync_store

    def progress(message: str) -> None:  # a progress line on a terminal; nothing in logs
        click.echo(f"\r{message:<30}", nl=False, err=True)

    on_terminal = sys.stderr.isatty()
    with _open(store_path) as store:
        connection = _connect(_server(backend, **server))
        try:
            if full:
                connection.clear()
            report = sync_store(store, connection, tick=progress if on_terminal else lambda _: None)
        except BackendError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            connection.close()
            if on_terminal:
                click.echo("", err=True)
    if not report.changed:
        click.echo(f"{backend}: up to date, nothing changed")
        return
    compared = "everything compared" if report.since is None else f"what changed after generation {report.since}"
    click.echo(f"{backend}: {report.nodes_written} nodes written, {report.nodes_removed} removed; edges of "
               f"{report.sources_written} files written ({report.edges_written} edges), {report.sources_removed} files "
               f"removed ({compared})")


EXPORT_FORMATS = ("nt", "ttl", "jsonld", "json", "graphml")  # api.export.MEDIA_TYPES; checked by a test


@main.command(help="Write the whole graph: RDF in the legalkg vocabulary (nt, ttl, jsonld) or a property graph (json "
                   "lines, graphml). Streamed, to a file or standard output.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl", show_default=True,
              help="RDF as N-Triples (nt), Turtle (ttl) or JSON-LD (jsonld); or the property graph as JSON lines "
                   "(json) or GraphML (graphml).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: standard output).")
@STORE_OPTION
def export(fmt: str, output: Path | None, store_path: Path) -> None:
    from legalkg.api.export import export as export_stream

    _open(store_path).close()
    if output is None:
        for piece in export_stream(str(store_path), fmt):
            sys.stdout.write(piece)
        return
    partial = output.with_name(output.name + ".partial")  # a failed export never leaves a truncated file behind
    try:
        with partial.open("w", encoding="utf-8") as out:
            for piece in export_stream(str(store_path), fmt):
                out.write(piece)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    click.echo(f"wrote {output}", err=True)


@main.command(help="Serve the HTTP API (OpenAPI at /docs) and the graph pages; says its address on stderr once it "
                   "answers. Without --store it serves a store built from the bundled samples. Ctrl-C, SIGTERM or "
                   "SIGHUP stop it and its worker processes.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="The store file (default: one built from the sample corpus in a temporary folder, removed with "
                   "its RDF view and uploads when the server stops).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="CPU count",
              help="Server processes (each reads the store; uploads are serialised by the store's write lock).")
@click.option("--cache", "cache_entries", type=click.IntRange(0, 1_000_000), default=CACHE_ENTRIES, show_default=True,
              help="GET answers kept per process until the store changes (0: none).")
@click.option("--backend", type=click.Choice(BACKENDS), default="embedded", show_default=True,
              help="Who answers depends-on, impact, stale and agency workloads: the store, or a server synced from it.")
@backend_options
def serve(store_path: Path | None, host: str, port: int, workers: int, cache_entries: int, backend: str,
          **server_options) -> None:
    from legalkg.tempdirs import Stopped, signals_stop, temporary_folder

    try:
        with signals_stop():  # SIGTERM and SIGHUP end it as Ctrl-C does: the temporary folder goes too
            if store_path is not None:
                _serve(store_path, host, port, workers, cache_entries, backend, server_options)
            else:
                with temporary_folder() as folder:  # the sample store, its RDF view and uploads: gone at the end
                    _serve(_sample_store(folder / "sample.db"), host, port, workers, cache_entries, backend,
                           server_options)
    except (KeyboardInterrupt, Stopped):
        pass
    click.echo("legalkg: stopped", err=True)


def _sample_store(path: Path) -> Path:
    from legalkg.graph.ingest import build as build_store
    from legalkg.graph.store import SqliteStore
    from legalkg.queries.core import whole_graph_answers

    with SqliteStore(path, base_iri=os.environ.get("LEGALKG_BASE_IRI")) as store:
        report = build_store(store, [SAMPLES], whole_graph=whole_graph_answers)
    click.echo(f"legalkg: built {path} from {report.files} sample documents (removed when the server stops)", err=True)
    return path


def _serve(store_path: Path, host: str, port: int, workers: int, cache_entries: int, backend: str,
           server_options: dict) -> None:
    from legalkg.api.server import ServeError, url
    from legalkg.api.server import serve as run_server

    _open(store_path).close()  # a missing or foreign store is an error now, not at the first request
    server = None
    if backend != "embedded":
        server = _server(backend, **server_options)
        _connect(server).close()  # nor is a server that is not there
    base = url(host, port)
    answered_by = "" if server is None else f", questions answered by {backend}"
    message = (f"legalkg: serving {base} (store {store_path}, {workers} worker{'s' if workers > 1 else ''}"
               f"{answered_by}); API docs at {base}/docs; Ctrl-C stops it")
    try:
        run_server(store_path, host, port, workers, cache_entries, server,
                   on_listening=lambda: click.echo(message, err=True))
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None


@main.command(name="eval", help="Score extraction against the hand-checked keys, per document: citations of the seeds "
              "(gold/references.json) and of other corpus documents (gold/references-dev.json), tasks of the seeds "
              "(gold/tasks) and of other corpus documents (gold/tasks-dev).")
@click.option("--shared", type=click.Path(path_type=Path), default=DEFAULT_SHARED, show_default=True,
              help="The shared folder holding corpus/, gold/references.json, gold/tasks and gold/tasks-dev.")
@click.option("-v", "--verbose", is_flag=True, help="List every task value that differs from the key.")
def evaluate_command(shared: Path, verbose: bool) -> None:
    from legalkg.extract.evaluate import evaluate
    from legalkg.extract.task_eval import evaluate_tasks

    corpus, gold = shared / "corpus", shared / "gold" / "references.json"
    if not gold.exists():
        raise click.ClickException(f"no gold answers at {gold}; pass --shared")
    for line in evaluate(corpus / "seeds", gold).lines():
        click.echo(line)
    if (dev := shared / "gold" / "references-dev.json").exists():
        click.echo("citations — gold/references-dev.json")
        for line in evaluate(corpus, dev).lines(verbose):
            click.echo(line)
    for key, base in (("tasks", corpus / "seeds"), ("tasks-dev", corpus)):
        if (shared / "gold" / key).is_dir():
            for line in evaluate_tasks(base, shared / "gold" / key, f"gold/{key}").lines(verbose):
                click.echo(line)


@main.group(help="Check what extraction finds over a corpus without gold answers: figures, and the worst values to "
                 "review.")
def audit() -> None:
    pass


def audit_options(command):
    """The options every audit takes: output format, how long its worst lists are, worker processes."""
    for option in reversed((
            click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                         help="A summary with the worst lists, or the same as JSON."),
            click.option("--top", type=click.IntRange(0, 10_000), default=20, show_default=True,
                         help="How many examples each worst list holds."),
            click.option("--jobs", "-j", type=click.IntRange(1, 64), default=os.cpu_count() or 1,
                         show_default="CPU count", help="Worker processes for extraction."))):
        command = option(command)
    return command


@audit.command(name="tasks", short_help="Figures and worst values of the tasks found under the paths.",
               help="Extract every file under the paths and audit the tasks: the share of lead values that are "
                    "recognised agencies, the share of task texts that look like an agency, a deadline or a duration "
                    "(a shifted column), empty texts, tasks with no lead, swallowed lead values, deadlines that do not "
                    "parse, tables with a warning; then the worst values. Exits 1 when a share is outside its bound.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--floor-recognised", type=click.FloatRange(0, 1), default=0.97, show_default=True,
              help="Fail when a smaller share of lead values is recognised.")
@click.option("--ceiling-shifted", type=click.FloatRange(0, 1), default=0.01, show_default=True,
              help="Fail when a larger share of task texts looks like another column's cell.")
@click.option("--no-check", is_flag=True, help="Only report: never exit 1 for a share outside its bound.")
@audit_options
def audit_tasks_command(paths: tuple[Path, ...], fmt: str, floor_recognised: float, ceiling_shifted: float,
                        no_check: bool, top: int, jobs: int) -> None:
    from legalkg.extract.audit import audit_tasks

    report = audit_tasks(paths, jobs=jobs, top=top)
    outside = [] if no_check else report.check(floor_recognised, ceiling_shifted)
    _audit_out(report, fmt, {"floor_recognised": floor_recognised, "ceiling_shifted": ceiling_shifted}, no_check,
               outside)


@audit.command(name="documents", short_help="Issuers and dates of the documents found under the paths.",
               help="Extract every file under the paths and audit each citing document: documents whose issuer is not "
                    "a recognised issuing body (the agency table, a central body, or a body's name by its shape: "
                    "extract/audit.py says which) and documents dated earlier than a document they cite with its own "
                    "date; then the worst examples (file, what, why). Exits 1 when a count is above its ceiling.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--ceiling-unrecognised", type=click.IntRange(0), default=0, show_default=True,
              help="Fail when more documents have an issuer that is not a recognised issuing body.")
@click.option("--ceiling-cites-later", type=click.IntRange(0), default=0, show_default=True,
              help="Fail when more documents are dated earlier than a document they cite.")
@click.option("--no-check", is_flag=True, help="Only report: never exit 1 for a count above its ceiling.")
@audit_options
def audit_documents_command(paths: tuple[Path, ...], fmt: str, ceiling_unrecognised: int, ceiling_cites_later: int,
                            no_check: bool, top: int, jobs: int) -> None:
    from legalkg.extract.audit import audit_documents

    report = audit_documents(paths, jobs=jobs, top=top)
    outside = [] if no_check else report.check(ceiling_unrecognised, ceiling_cites_later)
    _audit_out(report, fmt, {"ceiling_unrecognised": ceiling_unrecognised, "ceiling_cites_later": ceiling_cites_later},
               no_check, outside)


def _audit_out(report, fmt: str, bounds: dict, no_check: bool, outside: list[str]) -> None:
    """An audit's report as a table or JSON (with its bounds), its extraction errors, and exit 1 past a bound."""
    if fmt == "json":
        payload = report.json() | {"bounds": bounds | {"checked": not no_check, "outside": outside}}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        for line in report.lines():
            click.echo(line)
    for _, error in report.failures:
        click.echo(f"error: {error}", err=True)
    if outside:
        raise click.ClickException("; ".join(outside))


if __name__ == "__main__":
    main()
