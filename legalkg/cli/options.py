"""What the commands share: where the samples are, the common options, opening a store or a server, and naming a
document."""

from __future__ import annotations

from pathlib import Path

import click

import legalkg.extract as extract_package
from legalkg.tables import Column, table

SAMPLES = Path(extract_package.__file__).resolve().parent / "samples"
DEFAULT_SHARED = Path("../shared")

STORE_OPTION = click.option("--store", "store_path", type=click.Path(path_type=Path), default=Path("legalkg.db"),
                            show_default=True, help="The store file.")
LIMIT_OPTION = click.option("--limit", type=click.IntRange(min=0), default=200, show_default=True, help="At most this many results, nearest first (0: all).")
FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
                             help="A table (one row per result, then a count), or the answer as JSON with each "
                                  "result's path and the source file and span of every step.")


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


def server_from(backend: str, uri: str | None, graph: str, user: str, password_env: str | None, database: str | None):
    from legalkg.graph.cypher import Server

    if not uri:
        raise click.ClickException(f"--backend {backend} needs --uri")
    return Server(backend, uri, graph, user, password_env, database)


def connect(server):
    from legalkg.graph.cypher import BackendError

    try:
        return server.connect()
    except BackendError as exc:
        raise click.ClickException(str(exc)) from None


def opened(store_path: Path):
    from legalkg.graph.store import StoreError, open_store

    try:
        return open_store(store_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


class Ambiguity(click.ClickException):
    """A name that means several things: the candidates are listed and the user picks one (exit code 2, as for a
    usage error)."""

    exit_code = 2


def document_named(store, text: str):
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
