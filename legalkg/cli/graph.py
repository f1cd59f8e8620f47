"""Commands that make, draw, copy, export and serve the graph: build, viz, sync, export, serve."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from legalkg.api.cache import ENTRIES as CACHE_ENTRIES
from legalkg.cli.options import (BACKENDS, SAMPLES, STORE_OPTION, backend_options, connect, document_named, opened,
                                 server_from)


@click.command(help="Extract files and directories and merge them into the store (incremental: unchanged files are skipped).")
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
            total = sum(1 for _ in iter_files(paths)) if show else 0  # a walk of the tree for the bar alone
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


@click.command(help="Write an interactive graph page (HTML, works offline) around a node: a document number or an IRI.")
@click.argument("node")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many edges away from the node, in either direction.")
@click.option("--cap", default=150, show_default=True, help="At most this many nodes.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="The page's language: Vietnamese or English.")
@STORE_OPTION
def viz(node: str, output: Path, depth: int, cap: int, lang: str, store_path: Path) -> None:
    from legalkg.graph import ids
    from legalkg.queries.core import neighbors as neighbors_query
    from legalkg.viz.graph import render
    from legalkg.viz.i18n import text

    with opened(store_path) as store, ids.using_base(store.base_iri):
        found = store.node(node) or document_named(store, node)
        title = text(lang, "graph_title_document", label=found.label, depth=depth)
        page = render(neighbors_query(store, found.iri, depth, limit=cap * 4), title, cap, focus=found.iri, lang=lang)
    output.write_text(page, encoding="utf-8")
    click.echo(f"wrote {output}")


@click.command(help="Copy the store to a Neo4j or FalkorDB server, in batches: the first time whole, then only what "
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
    with opened(store_path) as store:
        connection = connect(server_from(backend, **server))
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


@click.command(help="Write the whole graph: RDF in the legalkg vocabulary (nt, ttl, jsonld) or a property graph (json "
                   "lines, graphml). Streamed, to a file or standard output.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl", show_default=True,
              help="RDF as N-Triples (nt), Turtle (ttl) or JSON-LD (jsonld); or the property graph as JSON lines "
                   "(json) or GraphML (graphml).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: standard output).")
@STORE_OPTION
def export(fmt: str, output: Path | None, store_path: Path) -> None:
    from legalkg.api.export import export as export_stream

    opened(store_path).close()
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


@click.command(help="Serve the HTTP API (OpenAPI at /docs) and the graph pages; says its address on stderr once it "
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

    opened(store_path).close()  # a missing or foreign store is an error now, not at the first request
    server = None
    if backend != "embedded":
        server = server_from(backend, **server_options)
        connect(server).close()  # nor is a server that is not there
    base = url(host, port)
    answered_by = "" if server is None else f", questions answered by {backend}"
    message = (f"legalkg: serving {base} (store {store_path}, {workers} worker{'s' if workers > 1 else ''}"
               f"{answered_by}); the workbench at {base}/, API docs at {base}/docs; Ctrl-C stops it")
    try:
        run_server(store_path, host, port, workers, cache_entries, server,
                   on_listening=lambda: click.echo(message, err=True))
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None
