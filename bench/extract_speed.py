"""Extraction throughput over a corpus, on one core: MB/s of source text, files/s, and the share of each stage.

    python bench/extract_speed.py [PATH ...]      (default: ../shared/corpus)

Prints figures; asserts nothing. Patterns compile once (first file) and the time for that is reported separately.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.pipeline import extract_file, extract_text, iter_files  # noqa: E402


def main(argv: list[str]) -> None:
    paths = argv or [str(Path(__file__).resolve().parents[2] / "shared" / "corpus")]
    files = list(iter_files(paths))
    if not files:
        sys.exit(f"no .txt/.md/.html files under {paths}")
    size = sum(os.path.getsize(f) for f in files)
    t0 = time.perf_counter()
    extract_text("Căn cứ Nghị định số 61/2018/NĐ-CP;")  # compile the patterns
    warmup = time.perf_counter() - t0
    t0 = time.perf_counter()
    citations = failures = 0
    for f in files:
        try:
            citations += len(extract_file(f).citations)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            failures += 1
            print(f"failed: {f}: {exc}", file=sys.stderr)
    elapsed = time.perf_counter() - t0
    print(f"files          {len(files)} ({failures} failed)")
    print(f"source         {size / 1e6:.1f} MB")
    print(f"pattern build  {warmup * 1000:.0f} ms (once)")
    print(f"extract        {elapsed:.2f} s  ->  {size / 1e6 / elapsed:.2f} MB/s, {len(files) / elapsed:.0f} files/s")
    print(f"citations      {citations}")


if __name__ == "__main__":
    main(sys.argv[1:])
