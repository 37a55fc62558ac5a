"""Training the fact scorer: deterministic, better than chance, and the shipped model is current."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract.scorer import DEFAULT_MODEL_FILE, FactModel, ModelFileError, load_model
from kg.train import GoldError, canon, code_hash, collect, data_hash, fit, norm, read_gold, read_gold_dir

from kgpaths import MODEL, ROOT, SHARED

TINY = ROOT / "tests" / "data" / "tiny"


def _pairs(nlp, folder: Path, names=None):
    from kg.corpus import iter_articles

    arts = [a for a in iter_articles([folder]) if names is None or a.id in names]
    return [(nlp(a.text), a) for a in arts]


def test_names_match_the_way_the_gold_reads_them():
    assert norm("The Huawei Technologies Co Ltd") == "huawei technologies"
    assert norm("Aramco's") == "aramco"
    assert canon("b", "partnersWith", "a") == ("a", "partnersWith", "b")
    assert canon("city", "hosts", "plant") == ("plant", "locatedIn", "city")


def test_gold_files_are_read_with_implied_places_optional():
    g = read_gold(TINY / "gold" / "t3.json")
    assert ("sf", "locatedIn", "dunmore") in g.required
    assert ("sf", "locatedIn", "eastvale") in g.optional
    assert g.ids(["Quillon Energy"]) == {"quillon"}


def test_bad_gold_is_a_clear_error(tmp_path):
    (tmp_path / "x.json").write_text('{"entities": {}}')
    with pytest.raises(GoldError, match="x.json"):
        read_gold_dir(tmp_path)
    with pytest.raises(GoldError, match="no gold files"):
        read_gold_dir(tmp_path / "none")


def test_training_is_deterministic(nlp):
    gold = read_gold_dir(TINY / "gold")
    pairs = _pairs(nlp, TINY / "articles")
    a = fit(collect(pairs, gold), folds=3, min_count=1)
    b = fit(collect(pairs, gold), folds=3, min_count=1)
    assert a.to_json() == b.to_json()
    assert a.meta["positives"] > 0 and a.weights


def test_a_model_trained_on_some_articles_ranks_true_facts_of_others_higher(nlp):
    """Held-out articles: true candidates score above false ones far more often than by chance."""
    gold = read_gold_dir(TINY / "gold")
    train_ids = {"t1", "t2", "t3", "t4"}
    model = fit(collect(_pairs(nlp, TINY / "articles", train_ids), gold), folds=2, min_count=1)
    held = collect(_pairs(nlp, TINY / "articles", {"t5", "t6"}), gold)
    pos = [model.raw(e.features) for e in held if e.label]
    neg = [model.raw(e.features) for e in held if not e.label]
    assert pos and neg
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
    assert wins > 0.75, f"AUC {wins:.2f}"


def test_model_files_round_trip_and_bad_ones_are_refused(tmp_path):
    m = FactModel(weights={"a|bias": 0.5}, bias=-1.0, calibration_x=[0.1, 0.9], calibration_y=[0.05, 0.95],
                  threshold=0.6, meta={"x": 1})
    path = m.save(tmp_path / "m.json")
    back = load_model(path)
    assert back.to_json() == m.to_json()
    assert 0.05 <= back.probability(["a|bias"]) <= 0.95
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(ModelFileError, match="kg train"):
        load_model(tmp_path / "bad.json")
    (tmp_path / "junk.json").write_text("not json")
    with pytest.raises(ModelFileError, match="not JSON"):
        load_model(tmp_path / "junk.json")


def test_calibration_is_monotone():
    m = load_model()
    assert m is not None, "kg ships a fact-scorer model"
    assert m.calibration_x == sorted(m.calibration_x)
    assert m.calibration_y == sorted(m.calibration_y)
    assert all(0.0 <= y <= 1.0 for y in m.calibration_y)


def test_shipped_model_was_trained_on_this_code():
    """Retrain with `kg train --gold ../shared/eval/corpus/train/gold --articles ../shared/eval/corpus/train/articles
    -o kg/models/facts.json` after changing the extraction code or its patterns."""
    meta = json.loads(DEFAULT_MODEL_FILE.read_text())["meta"]
    assert meta["code_sha"] == code_hash(), "the extraction code changed since the shipped model was trained"


def test_shipped_model_was_trained_on_the_corpus_train_split():
    train = SHARED / "eval" / "corpus" / "train"
    if not train.is_dir():
        pytest.skip(f"the corpus is not beside the repository ({train})")
    from kg.corpus import iter_articles

    meta = json.loads(DEFAULT_MODEL_FILE.read_text())["meta"]
    gold = read_gold_dir(train / "gold")
    arts = [a for a in iter_articles([train / "articles"]) if a.id in gold]
    assert meta["data_sha"] == data_hash(arts, train / "gold")
    assert meta["spacy_model"] == MODEL
