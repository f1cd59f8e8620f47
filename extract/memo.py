"""Remembering the readings of short texts: a table repeats its cells ("Sở Tư pháp", "Quý I/2023", "Thường xuyên") row
after row, and reading each again costs more than the rest of the row.

Only short texts are kept: a call with a longer text is worked out each time, so a cache of REMEMBERED entries never
holds more than REMEMBERED × LONGEST_REMEMBERED characters, whatever the documents read before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

REMEMBERED = 4096  # readings kept per function
LONGEST_REMEMBERED = 1_000  # characters of the longest text argument whose reading is kept

Result = TypeVar("Result")


def remembered(function: Callable[..., Result]) -> Callable[..., Result]:
    """function, its results kept for calls whose text arguments are all short (the function must be pure)."""
    cached = lru_cache(maxsize=REMEMBERED)(function)

    @wraps(function)
    def call(*args, **kwargs) -> Result:
        for text in args:
            if isinstance(text, str) and len(text) > LONGEST_REMEMBERED:
                return function(*args, **kwargs)
        if kwargs:
            for text in kwargs.values():
                if isinstance(text, str) and len(text) > LONGEST_REMEMBERED:
                    return function(*args, **kwargs)
        return cached(*args, **kwargs)

    call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return call
