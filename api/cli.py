"""`legalkg`: a thin command line over the library. Each command calls one library function and prints its result."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from extract.jsonout import SCHEMA_VERSION, document_json
from extract.pipeline import Failure, extract_paths

SAMPLES = Path(__file__).resolve().parent.parent / "extract" / "samples"
DEFAULT_SHARED = Path("../shared")


@click.group(help="legalkg: a knowledge graph of Vietnamese legal references.")
@click.version_option(package_name="legalkg")
def main() -> None:
    pass


@main.command(help="Extract metadata, citations, stated relations and tasks from .txt/.md/.html files and directories.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
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
        _print_table(documents, output)
    for f in failures:
        click.echo(f"error: {f.error}", err=True)
    if failures:
        sys.exit(1)


def _print_table(documents, output) -> None:
    for d in documents:
        output.write(f"{d.source}\t{d.ref.key or '-'}\t{d.ref.type or '-'}\t{d.ref.place or '-'}\t{d.ref.date or '-'}\n")
        for c in d.citations:
            output.write(
                f"  {c.span.start:>7}-{c.span.end:<7} {c.section:<9} {c.relation:<10} {c.ref.label:<28} "
                f"{c.ref.place or '':<12} {c.ref.date or ''}\n"
            )
        for r in d.relations:
            output.write(f"  relation: {r.source.label} {r.relation} {r.target.label}\n")
        for m in d.mentions:
            if m.kind == "unresolved":
                output.write(f"  unresolved: {m.text!r} at {m.span.start} ({m.reason})\n")
        for c in d.conflicts:
            output.write(f"  conflict: {c.note}\n")
        for t in d.tasks:
            for p in t.parts:
                lead = "; ".join(p.lead) or "-"
                output.write(f"  task {t.no or '-':<6} lead: {lead:<40} due: {p.deadline or '-':<16} {t.text[:60]}\n")


@main.command(name="eval", help="Score extraction against the gold answers of the seeds (precision, recall, F1).")
@click.option("--shared", type=click.Path(path_type=Path), default=DEFAULT_SHARED, show_default=True,
              help="The shared folder holding corpus/seeds, gold/references.json and gold/tasks.")
@click.option("-v", "--verbose", is_flag=True, help="List every task that differs from the gold.")
def evaluate_command(shared: Path, verbose: bool) -> None:
    from extract.evaluate import evaluate, evaluate_tasks

    seeds, gold = shared / "corpus" / "seeds", shared / "gold" / "references.json"
    if not gold.exists():
        raise click.ClickException(f"no gold answers at {gold}; pass --shared")
    for line in evaluate(seeds, gold).lines():
        click.echo(line)
    if (shared / "gold" / "tasks").is_dir():
        for line in evaluate_tasks(seeds, shared / "gold" / "tasks").lines(verbose):
            click.echo(line)


if __name__ == "__main__":
    main()
