"""`legalkg`: a thin command line over the library. Each command calls one library function and prints its result.

The commands live by what they work on: files (cli.corpus), the graph (cli.graph), questions (cli.query); what they
share in cli.options.
"""

from __future__ import annotations

import click

from legalkg.cli import corpus, graph, query
from legalkg.cli.graph import EXPORT_FORMATS
from legalkg.cli.options import SAMPLES

__all__ = ["EXPORT_FORMATS", "SAMPLES", "main"]


@click.group(help="legalkg: a knowledge graph of Vietnamese legal references.")
@click.version_option(package_name="legalkg")
def main() -> None:
    pass


for command in (corpus.extract, corpus.evaluate_command, corpus.audit, graph.build, graph.viz, graph.sync,
                graph.export, graph.serve, query.query):
    main.add_command(command)
