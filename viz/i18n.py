"""The words of the pages, in Vietnamese (the default) and English: data files under viz/data/ (one table per page
family: workbench.toml, graph.toml), each key holding {vi, en}. A key missing from a language falls back to
Vietnamese; text() raises KeyError for a key missing altogether. Templates read words as `t.key`, which Jinja would
render empty if the key were missing, so tests/test_workbench.py reads every template for the keys it asks for."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

LANGUAGES = ("vi", "en")
DEFAULT = "vi"


@cache
def _table() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for entry in sorted(files("legalkg.viz").joinpath("data").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for key, texts in tomllib.loads(entry.read_text(encoding="utf-8")).items():
                if key in merged:
                    raise ValueError(f"UI text {key!r} is defined twice (viz/data/{entry.name})")
                merged[key] = texts
    return merged


def language(asked: str | None) -> str:
    """The page language: `asked` when it is one we have, else Vietnamese."""
    return asked if asked in LANGUAGES else DEFAULT


def text(lang: str, key: str, **values: object) -> str:
    """The text for key in lang, with {name} filled from values."""
    entry = _table()[key]
    template = entry.get(lang) or entry[DEFAULT]
    return template.format(**values) if values else template


@cache
def words(lang: str) -> dict[str, str]:
    """Every text in lang, for a template (`t.key`); made once a language (callers only read it)."""
    return {key: entry.get(lang) or entry[DEFAULT] for key, entry in _table().items()}
