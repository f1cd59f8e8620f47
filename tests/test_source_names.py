"""A source is named by its path relative to what was built, never by where the machine keeps it; the name is what
answers show and what makes a rebuild incremental from any working folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from legalkg.cli import SAMPLES
from legalkg.extract.pipeline import iter_named_files
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore, open_store


@pytest.fixture()
def corpus(tmp_path) -> Path:
    root = tmp_path / "work" / "corpus"
    (root / "seeds").mkdir(parents=True)
    for name in ("seeds/a.txt", "seeds/b.md", "c.html", "seeds/notes.pdf"):
        (root / name).write_text("x", encoding="utf-8")
    return root


@pytest.mark.parametrize(("given", "expected"), [
    ("work/corpus", ["corpus/c.html", "corpus/seeds/a.txt", "corpus/seeds/b.md"]),  # a folder: from its name
    ("work/corpus/seeds", ["seeds/a.txt", "seeds/b.md"]),
    ("work/corpus/seeds/a.txt", ["work/corpus/seeds/a.txt"]),  # a file given relatively: as given
    ("work/corpus/../corpus/c.html", ["c.html"]),  # a path that climbs: the file's name
    (".", ["{cwd}/work/corpus/c.html", "{cwd}/work/corpus/seeds/a.txt", "{cwd}/work/corpus/seeds/b.md"]),
])
def test_names_are_relative_to_what_was_asked_for(corpus, monkeypatch, given, expected):
    monkeypatch.chdir(corpus.parents[1])
    names = [name for _, name in iter_named_files([given])]
    assert names == [e.format(cwd=corpus.parents[1].name) for e in expected]


def test_a_file_given_by_an_absolute_path_is_named_by_its_name_and_no_name_holds_a_machine_path(corpus):
    names = [name for _, name in iter_named_files([corpus / "seeds" / "a.txt", corpus])]
    assert names[0] == "a.txt"
    assert not any(str(corpus.parent) in name or name.startswith("/") for name in names)


def test_a_rebuild_from_another_working_folder_finds_every_file_unchanged(tmp_path, monkeypatch):
    store = tmp_path / "s.db"
    monkeypatch.chdir(SAMPLES.parent)
    with SqliteStore(store) as s:
        first = build(s, ["samples"])
    monkeypatch.chdir(tmp_path)
    with SqliteStore(store) as s:
        again = build(s, [os.path.relpath(SAMPLES, tmp_path)])
    assert first.added == again.unchanged == again.files > 0 and again.added == again.replaced == 0
    with open_store(store) as s:
        assert sorted(s.sources()) == sorted(f"samples/{p.name}" for p in SAMPLES.iterdir())
        assert all(Path(s.source_file(name)).is_file() for name in s.sources())


def test_two_files_of_one_name_in_one_build_are_refused_with_both_named_not_merged(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    (tmp_path / "a" / "plan.txt").write_bytes((SAMPLES / "kh-45-2023-quang-ngai.txt").read_bytes())
    (tmp_path / "b" / "plan.txt").write_bytes((SAMPLES / "ct-05-2023-binh-dinh.txt").read_bytes())
    with SqliteStore(tmp_path / "s.db") as store:
        report = build(store, [tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt"])
        assert (report.added, report.replaced, len(report.failures)) == (1, 0, 1)
        failure = report.failures[0]
        assert failure.source == "plan.txt" and str(tmp_path / "a" / "plan.txt") in failure.error
        assert "build the folder" in failure.error
        both = build(store, [tmp_path])  # their folder names them apart
        assert (both.added, both.replaced, both.failures) == (1, 1, [])  # a: the same file, now by its folder name


def test_a_store_that_named_sources_by_machine_paths_takes_the_new_names_on_rebuild(tmp_path):
    from legalkg.extract.pipeline import extract_file
    from legalkg.graph.build import fragment
    from legalkg.graph.ingest import file_hash

    with SqliteStore(tmp_path / "s.db") as store:  # as format 6 wrote them: the path as the name
        store.add_fragments(fragment(extract_file(path), file_hash(path)) for path in sorted(SAMPLES.iterdir()))
        assert all(name.startswith("/") for name in store.sources())
        report = build(store, [SAMPLES])
        assert report.replaced == report.files and report.duplicate == 0
        assert sorted(store.sources()) == sorted(f"samples/{p.name}" for p in SAMPLES.iterdir())
        again = build(store, [SAMPLES])
        assert again.unchanged == again.files  # incremental again
        documents = [n for n in store.nodes_of_kind("Document") if not n.stub]
        assert documents and all(n.props["source"].startswith("samples/") for n in documents)
