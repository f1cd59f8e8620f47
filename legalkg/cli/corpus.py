"""Commands over files, before any store: extract, eval (against the keys) and audit (a corpus without keys)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from legalkg.cli.options import DEFAULT_SHARED, SAMPLES
from legalkg.tables import Column, count_line, table


@click.command(help="Extract metadata, citations, stated relations and tasks from .txt/.md/.html files and directories.")
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
    # imported here, as the other commands do, so that `legalkg query …` does not load extraction (170 ms)
    from legalkg.extract.jsonout import SCHEMA_VERSION, document_json
    from legalkg.extract.pipeline import Failure, extract_paths

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


@click.command(name="eval", help="Score extraction against the hand-checked keys, per document: citations of the seeds "
              "(gold/references.json) and of other corpus documents (gold/references-dev.json), tasks of the seeds "
              "(gold/tasks) and of other corpus documents (gold/tasks-dev), provision-level effects "
              "(gold/effects-dev), and the effects read against the official footnotes of the consolidated texts "
              "whose amending document is in the corpus (-v lists the footnotes they do not state).")
@click.option("--shared", type=click.Path(path_type=Path), default=DEFAULT_SHARED, show_default=True,
              help="The shared folder holding corpus/, gold/references.json, gold/tasks and gold/tasks-dev.")
@click.option("-v", "--verbose", is_flag=True, help="List every task value that differs from the key, every effect "
              "missed or extra, and every footnote effect the amending text's effects do not state.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="CPU count",
              help="Worker processes for the footnote check, which extracts the whole corpus.")
def evaluate_command(shared: Path, verbose: bool, jobs: int) -> None:
    from legalkg.extract.effect_eval import evaluate_effects
    from legalkg.extract.evaluate import evaluate
    from legalkg.extract.footnote_eval import agreement as footnote_agreement
    from legalkg.extract.task_eval import evaluate_tasks

    corpus, gold = shared / "corpus", shared / "gold" / "references.json"
    if not gold.exists():
        raise click.ClickException(f"no gold answers at {gold}; pass --shared")
    for line in evaluate(corpus / "seeds", gold).lines():
        click.echo(line)
    if (dev := shared / "gold" / "references-dev.json").exists():
        click.echo("citations — gold/references-dev.json")
        for line in evaluate(corpus, dev, relations_exhaustive=True).lines(verbose):
            click.echo(line)
    for key, base in (("tasks", corpus / "seeds"), ("tasks-dev", corpus)):
        if (shared / "gold" / key).is_dir():
            for line in evaluate_tasks(base, shared / "gold" / key, f"gold/{key}").lines(verbose):
                click.echo(line)
    if (effects := shared / "gold" / "effects-dev").is_dir():
        click.echo("provision-level effects — gold/effects-dev (matched on op, target document and path)")
        for line in evaluate_effects(corpus, effects).lines(verbose):
            click.echo(line)
    click.echo("footnote agreement — the consolidated texts' footnotes against the amending documents' effects")
    for line in footnote_agreement(corpus, jobs=jobs).lines(verbose):
        click.echo(line)


@click.group(help="Check what extraction finds over a corpus without gold answers: figures, and the worst values to "
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
    _audit_out(report, fmt, {"floor_recognised": floor_recognised, "ceiling_shifted": ceiling_shifted}, no_check)


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
    _audit_out(report, fmt, {"ceiling_unrecognised": ceiling_unrecognised, "ceiling_cites_later": ceiling_cites_later},
               no_check)


@audit.command(name="effects", short_help="Provisions and effects read under the paths, and values to review.",
               help="Extract every file under the paths and audit the provision trees and the effects read from "
                    "amending instructions: counts by unit and by op, effects whose target is incomplete (a khoản or "
                    "điểm with no article) or the amending document itself, and provisions that open with a cue "
                    "(\"Sửa đổi …\", \"Bãi bỏ …\") but stated no effect, to review. Exit 1 past --ceiling-odd.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--ceiling-odd", default=0, show_default=True, help="Most effects with an incomplete or self target.")
@click.option("--no-check", is_flag=True, help="Only report: never exit 1 for a count above its ceiling.")
@audit_options
def audit_effects_command(paths: tuple[Path, ...], fmt: str, ceiling_odd: int, no_check: bool, top: int,
                          jobs: int) -> None:
    from legalkg.extract.effect_audit import audit_effects

    report = audit_effects(paths, jobs=jobs, top=top)
    _audit_out(report, fmt, {"ceiling_odd": ceiling_odd}, no_check)


def _audit_out(report, fmt: str, bounds: dict, no_check: bool) -> None:
    """An audit's report as a table or JSON (with its bounds, named as its check() takes them), its extraction
    errors, and exit 1 past a bound."""
    outside = [] if no_check else report.check(**bounds)
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
