"""The whole shared corpus, and accuracy against the gold answers of the seeds. Bars are floors from the issue."""

from __future__ import annotations

from extract.evaluate import evaluate
from extract.pipeline import Failure, extract_paths


def test_every_corpus_file_extracts_without_exception(shared):
    results = list(extract_paths([shared / "corpus"]))
    failures = [r for r in results if isinstance(r, Failure)]
    assert len(results) >= 900
    assert failures == []


def test_accuracy_against_gold(shared):
    report = evaluate(shared / "corpus" / "seeds", shared / "gold" / "references.json")
    print("\n" + "\n".join(report.lines()))
    assert report.citations.precision >= 0.98
    assert report.citations.recall >= 0.98
    assert report.related.recall >= 0.98
    assert report.metadata_right == report.documents == 5


def test_chrome_never_yields_citations(shared):
    """The customer notice at the foot of thuvienphapluat pages cites Nghị định 13/2023/NĐ-CP; it is not the document."""
    pages = sorted((shared / "corpus" / "tvpl").glob("*.md"))
    noticed = [p for p in pages if "Cảm ơn đã dùng ThuVienPhapLuat.vn" in p.read_text(encoding="utf-8")]
    assert len(noticed) > 100
    for result in extract_paths(noticed):
        assert not any(c.section in ("chrome", "metadata") for c in result.citations)
        tail = result.sections[-1]
        assert tail.kind == "chrome"
        assert all(c.span.start < tail.span.start for c in result.citations)
