"""Candidate facts and their features, on small made-up sentences."""
from __future__ import annotations

import json

from kg.extract import propose
from kg.extract.candidates import SIGNATURES_FILE, signatures
from kg.vocab import CORE_CLASSES, CORE_PREDICATES


def _cands(nlp, text):
    doc = nlp(text)
    pr = propose(doc)
    name = {i: m.name for i, m in enumerate(pr.mentions)}
    return pr, {(name[c.s], c.p, name[c.o]): c for c in pr.candidates}


def test_signatures_file_uses_only_core_terms():
    data = json.loads(SIGNATURES_FILE.read_text())
    groups = set(data["groups"])
    for p, sig in data["predicates"].items():
        assert p in CORE_PREDICATES
        for cls in sig["domain"] + sig["range"]:
            assert cls in CORE_CLASSES or cls in groups, (p, cls)
    assert "Sector" in signatures()["activeIn"].range
    assert signatures()["partnersWith"].symmetric


def test_every_pair_of_fitting_classes_is_a_candidate(nlp):
    _, cands = _cands(nlp, "Talos Semiconductor opened a research center in Dresden.")
    assert any(k[1] == "locatedIn" and k[2] == "Dresden" for k in cands)
    assert ("Talos Semiconductor", "operates", "research center") in {(s, p, o.split("'s ")[-1]) for s, p, o in cands}
    # classes that do not fit a predicate never pair: a city does not work for a company
    assert not any(k[1] == "worksFor" for k in cands)


def test_candidates_carry_path_and_rule_features(nlp):
    _, cands = _cands(nlp, "Mira Holt, president of Talos Semiconductor, visited Dresden.")
    c = cands[("Mira Holt", "worksFor", "Talos Semiconductor")]
    assert any(f.startswith("worksFor|path:") for f in c.features)
    assert any(f.startswith("worksFor|rule:") for f in c.features), "the role rule votes for it"
    assert c.rules
    assert all(f.startswith("worksFor|") for f in c.features)


def test_symmetric_predicates_have_one_candidate_per_pair(nlp):
    pr, _ = _cands(nlp, "Veridian Motors signed a deal with Brightwave Logistics.")
    pairs = [(c.s, c.o) for c in pr.candidates if c.p == "partnersWith"]
    assert len(pairs) == len({frozenset(p) for p in pairs})


def test_pronouns_stand_for_their_antecedent(nlp):
    pr, cands = _cands(nlp, "Quillon Energy is a solar maker. It is building a factory in Leipzig.")
    assert any(k[0] == "Quillon Energy" and k[1] == "locatedIn" and k[2] == "Leipzig" for k in cands)


def test_the_topic_event_reaches_sentences_that_do_not_name_it(nlp):
    doc = nlp("The Northwind Energy Forum opened in Tallinn on Monday. The Northwind Energy Forum drew 300 guests. "
              "Kaia Lepp, president of Orvik Grid, said the region needed cables. Orvik Grid makes cables.")
    pr = propose(doc)
    name = {i: m.name for i, m in enumerate(pr.mentions)}
    across = [c for c in pr.candidates if any("|x|" in f for f in c.features)]
    # the forum is the article's only event: its participants may be named in other sentences
    c = next(c for c in across if name[c.s] == "Kaia Lepp" and c.p == "participatesIn")
    assert "Northwind Energy Forum" in name[c.o]
    assert {"participatesIn|x|oonly", "participatesIn|x|root:say"} <= set(c.features)
    assert doc[c.sent[0]:c.sent[1]].text.startswith("Kaia Lepp"), "the subject's sentence is the evidence"
    # only predicates the signatures mark reach across sentences, never between entities of one sentence
    assert all(signatures()[c.p].across_sentences for c in across)
    assert not any(name[c.s] == "Kaia Lepp" and name[c.o] == "Orvik Grid" for c in across)
