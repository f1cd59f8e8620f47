"""Percentiles for the bench scripts (nearest rank; 0 for no values)."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def percentile_ms(seconds: list[float], p: float) -> float:
    return percentile(seconds, p) * 1000
