"""`kg train`, `kg eval` and `kg build --min-confidence / --extractor`, end to end."""
from __future__ import annotations

import json

from rdflib import Graph
from rdflib.namespace import RDF

from kg.cli import main
from kg.vocab import KG

from kgpaths import MODEL, ROOT

TINY = ROOT / "tests" / "data" / "tiny"


def _confidences(ttl):
    g = Graph().parse(ttl)
    return [float(c) for ev in g.subjects(RDF.type, KG.Evidence) for c in g.objects(ev, KG.confidence)]


def test_train_then_build_with_the_model_then_eval(tmp_path, capsys):
    model = tmp_path / "beat.json"
    assert main(["train", "--gold", str(TINY / "gold"), "--articles", str(TINY / "articles"), "-o", str(model),
                 "--model", MODEL]) == 0
    assert "6 articles" in capsys.readouterr().out
    data = json.loads(model.read_text())
    assert data["format"] == "kg-fact-scorer/1" and data["meta"]["articles"] == 6
    out = tmp_path / "out"
    assert main(["build", str(TINY / "articles"), "--out", str(out), "--extractor", str(model), "--no-html", "-q",
                 "--model", MODEL]) == 0
    assert main(["eval", str(out), "--gold", str(TINY / "gold")]) == 0
    text = capsys.readouterr().out
    assert "worksFor" in text and "expected calibration error" in text
    last = text.strip().splitlines()[-1]
    assert last.startswith("triples F1 ")
    assert float(last.split()[2]) > 0.5, last
    assert main(["eval", str(out), "--gold", str(TINY / "gold"), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["true_positive"] > 0 and 0 <= scores["expected_calibration_error"] <= 1


def test_min_confidence_drops_facts_below_it(tmp_path):
    low, high = tmp_path / "low", tmp_path / "high"
    assert main(["build", str(TINY / "articles"), "--out", str(low), "--min-confidence", "0", "--no-html", "-q",
                 "--model", MODEL]) == 0
    assert main(["build", str(TINY / "articles"), "--out", str(high), "--min-confidence", "0.6", "--no-html", "-q",
                 "--model", MODEL]) == 0
    lo, hi = _confidences(low / "graph.ttl"), _confidences(high / "graph.ttl")
    assert len(hi) < len(lo)
    assert min(hi) >= 0.6 - 1e-9
    assert all(0.0 <= c <= 1.0 for c in lo)


def test_bad_arguments_are_one_line_errors(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit) as err:
        main(["build", str(TINY / "articles"), "--out", str(tmp_path / "o"), "--min-confidence", "2"])
    assert err.value.code == 2
    assert "not a probability" in capsys.readouterr().err
    (tmp_path / "m.json").write_text("{}")
    assert main(["build", str(TINY / "articles"), "--out", str(tmp_path / "o"), "--extractor", str(tmp_path / "m.json"),
                 "-q"]) == 2
    assert "kg train" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "nowhere"), "--gold", str(TINY / "gold")]) == 2
    assert main(["train", "--gold", str(tmp_path), "--articles", str(TINY / "articles"), "-o", str(tmp_path / "x.json")]) == 2
    assert "m.json: not a gold file" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["train", "--gold", str(tmp_path / "empty"), "--articles", str(TINY / "articles"),
                 "-o", str(tmp_path / "x.json")]) == 2
    assert "no gold files" in capsys.readouterr().err
