"""The scorer of provision-level effects (extract/effect_eval.py): multiset matching on (op, target document, target
path), the source path apart, and the key read as issue 17 defines it."""

from __future__ import annotations

import json

import pytest

from legalkg.extract.effect_eval import evaluate_effects, key_of, score_document


def effect(op="amend", doc="85/2024/NĐ-CP", target=("dieu:9", "khoan:1"), source=("dieu:1", "khoan:1"), words=None):
    return {"op": op, "target_document": doc, "target": list(target), "part": None, "source": list(source),
            "words": words}


GOLD = [effect(), effect(target=("dieu:9", "khoan:2")), effect("replace_words", words={"from": "a", "to": "b"}),
        effect("replace_words", words={"from": "c", "to": None})]


@pytest.mark.parametrize("predicted,tp,fp,fn,source_right", [
    (GOLD, 4, 0, 0, 4),  # all of them
    (GOLD[:2], 2, 0, 2, 2),  # two missed
    (GOLD + [effect("repeal")], 4, 1, 0, 4),  # one too many
    (GOLD[:3], 3, 0, 1, 3),  # the same key twice in the key, once found: one missed (a multiset)
    ([effect(source=("dieu:2",))] + GOLD[1:], 4, 0, 0, 3),  # matched, but the source path is wrong
    ([effect(doc="85/2025/NĐ-CP")] + GOLD[1:], 3, 1, 1, 3),  # another target document is another effect
    ([effect(op="insert")] + GOLD[1:], 3, 1, 1, 3),  # so is another operation
    ([], 0, 0, 4, 0),
])
def test_effects_are_matched_as_a_multiset_on_op_document_and_path(predicted, tp, fp, fn, source_right):
    one = score_document(predicted, GOLD)
    assert (one.effects.tp, one.effects.fp, one.effects.fn, one.source_right) == (tp, fp, fn, source_right)


def test_words_are_not_part_of_the_match():
    assert key_of(GOLD[2]) == key_of(GOLD[3]) == ("replace_words", "85/2024/NĐ-CP", ("dieu:9", "khoan:1"))


def test_the_key_scores_itself_perfectly(shared):
    gold = shared / "gold" / "effects-dev"
    by_file = {json.loads(p.read_text(encoding="utf-8"))["file"]: json.loads(p.read_text(encoding="utf-8"))
               for p in gold.glob("*.json")}
    itself = evaluate_effects(shared / "corpus", gold, lambda doc: by_file[doc.source]["effects"])
    assert itself.documents == 5 and itself.effects.tp == 189
    assert itself.effects.precision == itself.effects.recall == itself.source_share == 1.0
