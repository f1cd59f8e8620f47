"""`legalkg query …`: the named questions, asked of the store or of a server synced from it."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import click

from legalkg.cli.options import (FORMAT_OPTION, LIMIT_OPTION, STORE_OPTION, BACKENDS, Ambiguity, backend_options,
                                 connect, document_named, opened, server_from)
from legalkg.graph import ids
from legalkg.tables import Column, count_line, table


@click.group(help="Ask the store (or, with --backend, a Neo4j or FalkorDB server synced from it): depends-on, "
                 "impact, effects, stale, agency, conflicts, neighbors.")
@click.option("--backend", type=click.Choice(BACKENDS), default="embedded",
              show_default=True, help="Who answers: the store file, or a server (see `legalkg sync`).")
@backend_options
@click.pass_context
def query(ctx: click.Context, backend: str, **server) -> None:
    ctx.obj = {"backend": backend, **server}


@contextmanager
def queried(store_path: Path):
    """The store the query commands ask: the file, or the server the query group names; IRIs are read under its
    base."""
    options = click.get_current_context().find_object(dict) or {}
    if options.get("backend", "embedded") == "embedded":
        with opened(store_path) as store, ids.using_base(store.base_iri):
            yield store
        return
    from legalkg.graph.cypher import BackendError, CypherStore

    server = {k: options[k] for k in ("uri", "graph", "user", "password_env", "database")}
    with CypherStore(connect(server_from(options["backend"], **server))) as store:
        try:
            with ids.using_base(store.base_iri):
                yield store
        except BackendError as exc:
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


def emit(answer, fmt: str, title: str | None = None) -> None:
    """An answer of queries.core: JSON, or a title line, a table with the columns of its question, and a count."""
    if fmt == "json":
        click.echo(json.dumps(answer.json(), ensure_ascii=False, indent=1))
        return
    q, labels, results = answer.query, answer.labels, answer.results
    if q["name"] == "depends-on":
        columns = [DISTANCE, Column("task", 24), Column("affected", 14), Column("cites", 24), Column("lead", 36),
                   Column("due", 16), TASK_TEXT, PATH]
        rows = [(r.distance, r.label, r.extra.get("affected"),
                 [p["label"] for p in r.extra.get("cited_provisions", [])], r.lead, _due(r), r.text, _path(r, labels))
                for r in results]
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

    with queried(store_path) as store:
        answer = depends_on(store, document_named(store, document), transitive, limit or None)
    through = [answer.labels.get(i, i) for i in answer.query.get("through", [])]
    title = f"depends-on {answer.query['label']}" + (f" (also through {', '.join(through)})" if through else "")
    counts = ", ".join(f"{n} {mark}" for mark, n in answer.query.get("affected", {}).items() if n)
    emit(answer, fmt, title + (f"; affected: {counts}" if counts else ""))


CHANGE_COLUMNS = [Column("change", 16), Column("stated in", 16), Column("in force", 10), Column("words", 40),
                  Column("instruction", 60)]


def _change_cells(e: dict) -> tuple:
    """An effect's op (and part), the provision stating it, the day it takes effect, the words it replaces, and
    its instruction line."""
    words = e.get("words")
    said = " → ".join(w or "∅" for w in (words.get("from"), words.get("to"))) if words else None
    return (e["op"] + (f" ({e['part']})" if e.get("part") else ""), e.get("source_label") or "(whole)",
            e.get("effective"), said, e.get("text"))


def _provision(e: dict) -> str:
    return e.get("target_label") or "(whole document)"


@query.command(help="What later documents changed in a document, provision by provision (how, by which provision of "
                    "which document, in force from when), and what it changes in others.")
@click.argument("document")
@click.option("--limit", type=click.IntRange(min=0), default=0, show_default=True,
              help="At most this many effects each way, in the order of the text (0: all).")
@STORE_OPTION
@FORMAT_OPTION
def effects(document: str, limit: int, store_path: Path, fmt: str) -> None:
    from legalkg.queries.effects import effects as effects_query

    with queried(store_path) as store:
        answer = effects_query(store, document_named(store, document), limit or None).json()
    if fmt == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    q = answer["query"]
    click.echo(f"effects on {q['label']}: its provisions that later documents changed")
    if answer["on"]:
        for line in table([Column("provision", 24), Column("by", 22), *CHANGE_COLUMNS],
                          [(_provision(e), e["by_document"], *_change_cells(e)) for e in answer["on"]]):
            click.echo(line)
    click.echo(count_line(len(answer["on"]), q["on_total"], "changes"))
    if answer["stated"]:
        click.echo("")
        click.echo(f"effects {q['label']} states on other documents")
        for line in table([Column("document", 22), Column("provision", 24), *CHANGE_COLUMNS],
                          [(e["target_document"], _provision(e), *_change_cells(e)) for e in answer["stated"]]):
            click.echo(line)
        click.echo(count_line(len(answer["stated"]), q["stated_total"], "changes"))


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

    with queried(store_path) as store:
        answer = impact_query(store, document_named(store, document), depth, limit or None)
    emit(answer, fmt, f"impact {answer.query['label']} (depth {depth}; {answer.query['citing']} citing it directly)")


@query.command(help="Documents citing a document that a later one amends, replaces or repeals (with both dates).")
@STORE_OPTION
@FORMAT_OPTION
def stale(store_path: Path, fmt: str) -> None:
    from legalkg.queries.core import stale as stale_query

    with queried(store_path) as store:
        answer = stale_query(store)
    emit(answer, fmt, "stale: documents citing a document that a later one amends, replaces or repeals")


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

    with queried(store_path) as store:
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
    emit(answer, fmt, f"agency {names}, as of {day.isoformat()}: {counts}")


@query.command(help="Facts the sources disagree on, and short forms never defined in their document.")
@STORE_OPTION
@FORMAT_OPTION
def conflicts(store_path: Path, fmt: str) -> None:
    from legalkg.queries.core import conflicts as conflicts_query

    with queried(store_path) as store:
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

    with queried(store_path) as store:
        iri = node if store.node(node) else document_named(store, node).iri
        click.echo(json.dumps(neighbors_query(store, iri, depth), ensure_ascii=False, indent=1))
