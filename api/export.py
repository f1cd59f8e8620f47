"""Every export format, for the API and the CLI alike: the property graph (graph.export) and RDF (ontology.rdf)."""

from __future__ import annotations

from collections.abc import Iterator

from legalkg.graph import export as graph_export
from legalkg.graph.store import open_store
from legalkg.ontology import rdf

MEDIA_TYPES = {**graph_export.FORMATS, **rdf.FORMATS}
PATTERN = f"^({'|'.join(MEDIA_TYPES)})$"


def export(store_path: str, fmt: str) -> Iterator[str]:
    """The store at store_path in fmt, a piece at a time, read on a connection of its own (held while streaming)."""
    with open_store(store_path, threads=True) as store:  # a streamed body is read on whichever worker thread is free
        writer = rdf.write if fmt in rdf.FORMATS else graph_export.write
        yield from writer(store, fmt)
