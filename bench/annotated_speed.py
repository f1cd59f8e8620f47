"""Cost of the annotated document view, and of the spaCy agency matcher inside it (on task spans only).

    python bench/annotated_speed.py [PATH ...]      (default: ../shared/corpus/seeds)

Builds a store from the paths, renders every ingested document's annotated page through the API, and prints the time
per page with and without the agency marks (the spaCy part). Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

import legalkg.viz.annotated as annotated  # noqa: E402
from legalkg.api.app import create_app  # noqa: E402
from legalkg.extract.agencies import find_agency_mentions  # noqa: E402
from legalkg.graph.ingest import build  # noqa: E402
from legalkg.graph.store import SqliteStore  # noqa: E402


def main(paths: list[str]) -> None:
    paths = paths or [str(Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds")]
    t0 = time.perf_counter()
    find_agency_mentions("Giao Sở Nội vụ")
    print(f"spaCy matcher build      {(time.perf_counter() - t0) * 1000:.0f} ms (once per process)")
    store_path = Path(tempfile.mkdtemp(prefix="legalkg-annotated-")) / "s.db"
    with SqliteStore(store_path) as store:
        build(store, paths)
        documents = [n.iri.removeprefix(store.base_iri) for n in store.nodes_of_kind("Document") if not n.stub]
    client = TestClient(create_app(store_path))
    for label, patch in (("with agency marks", None), ("without agency marks", lambda text, place=None: [])):
        original = annotated.find_agency_mentions
        if patch:
            annotated.find_agency_mentions = patch
        t0 = time.perf_counter()
        sizes = [len(client.get(f"/documents/{d}/annotated").text) for d in documents]
        elapsed = time.perf_counter() - t0
        annotated.find_agency_mentions = original
        print(f"{label:<24} {len(documents)} pages, {elapsed / len(documents) * 1000:.1f} ms per page "
              f"({sum(sizes) / 1e6:.2f} MB of HTML)")


if __name__ == "__main__":
    main(sys.argv[1:])
