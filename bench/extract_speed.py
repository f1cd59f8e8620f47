"""Extraction throughput over a corpus, on one core: MB/s of source text, files/s, and the share of reading
(decode + NFC) against extraction proper (layout, metadata, citations, identity, relations, tasks and agencies).

    python bench/extract_speed.py [PATH ...]      (default: ../shared/corpus)
    python bench/extract_speed.py --spacy [PATH ...]   also the cost of spaCy's tokenizer, whole text vs clauses

Prints figures; asserts nothing. Patterns compile once (first file) and the time for that is reported separately.
spaCy is measured, not used, by extraction: regexes built from the data files find citations; spaCy earns its place
on small spans (agency gazetteer in table cells, the annotated view), which --spacy prices.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from legalkg.extract.pipeline import extract_file, extract_source, extract_text, iter_files  # noqa: E402
from legalkg.extract.agencies import find_agency_mentions  # noqa: E402
from legalkg.extract.text import read_source  # noqa: E402


def spacy_cost(files: list[Path]) -> None:
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    clauses = [d.raw[max(0, c.span.start - 150) : c.span.end + 150] for d in map(extract_file, files) for c in d.citations]
    for name, chunk in (("whole texts", texts), ("citation clauses", clauses)):
        size = sum(len(t.encode("utf-8")) for t in chunk)
        t0 = time.perf_counter()
        for doc in nlp.pipe(chunk, batch_size=64):
            pass
        elapsed = time.perf_counter() - t0
        print(f"spaCy vi tokenizer over {name:<17} {size / 1e6:7.1f} MB in {elapsed:6.2f} s -> {size / 1e6 / elapsed:.2f} MB/s")


def main(argv: list[str]) -> None:
    with_spacy = "--spacy" in argv
    argv = [a for a in argv if a != "--spacy"]
    paths = argv or [str(Path(__file__).resolve().parents[2] / "shared" / "corpus")]
    files = list(iter_files(paths))
    if not files:
        sys.exit(f"no .txt/.md/.html files under {paths}")
    size = sum(os.path.getsize(f) for f in files)
    t0 = time.perf_counter()
    extract_text("Căn cứ Nghị định số 61/2018/NĐ-CP;")  # compile the patterns
    warmup = time.perf_counter() - t0
    t0 = time.perf_counter()
    find_agency_mentions("Giao Sở Nội vụ")  # import spaCy and build the agency matcher (directives need it)
    spacy_build = time.perf_counter() - t0
    citations = failures = 0
    reading = extracting = 0.0
    for f in files:
        try:
            t0 = time.perf_counter()
            src = read_source(f)
            t1 = time.perf_counter()
            citations += len(extract_source(src, str(f)).citations)
            reading, extracting = reading + t1 - t0, extracting + time.perf_counter() - t1
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            failures += 1
            print(f"failed: {f}: {exc}", file=sys.stderr)
    elapsed = reading + extracting
    print(f"files          {len(files)} ({failures} failed)")
    print(f"source         {size / 1e6:.1f} MB")
    print(f"pattern build  {warmup * 1000:.0f} ms (once)")
    print(f"spaCy matcher  {spacy_build * 1000:.0f} ms (once: import and EntityRuler over the agency table)")
    print(f"total          {elapsed:.2f} s  ->  {size / 1e6 / elapsed:.2f} MB/s, {len(files) / elapsed:.0f} files/s")
    print(f"  reading      {reading:.2f} s ({reading / elapsed:.0%}: decode, NFC, offset map)")
    print(f"  extracting   {extracting:.2f} s ({extracting / elapsed:.0%}: layout, metadata, citations, relations, tasks)")
    print(f"citations      {citations}")
    if with_spacy:
        spacy_cost(files)


if __name__ == "__main__":
    main(sys.argv[1:])
