"""HTML task tables (extract.grid_html): seconds to read tables of 2,000 to 32,000 rows, and the ratio per doubling
(a linear reader stays near 2; a quadratic step would show 4).

    python bench/html_tables_speed.py

Prints figures; asserts nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from legalkg.extract.grid_html import html_tables  # noqa: E402

HEADER = "<tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th><th>Thời hạn</th></tr>"


def page(rows: int) -> str:
    body = "".join(f"<tr><td>{k}</td><td>Nhiệm vụ số {k} về cải cách hành chính</td><td>Sở Nội vụ</td>"
                   f"<td>Các sở, ban, ngành</td><td>Quý I/2027</td></tr>" for k in range(1, rows + 1))
    return f"<html><body><table>{HEADER}{body}</table></body></html>"


def best_of(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        html_tables(text, 0, len(text))
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    previous = None
    for rows in (2000, 4000, 8000, 16000, 32000):
        text = page(rows)
        seconds = best_of(text)
        ratio = f"  x{seconds / previous:.2f} for twice the rows" if previous else ""
        print(f"{rows:>6} rows  {len(text) / 1e6:5.2f} MB  {seconds:6.3f} s  {len(text) / 1e6 / seconds:5.1f} MB/s{ratio}")
        previous = seconds


if __name__ == "__main__":
    main()
