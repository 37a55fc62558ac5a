"""An article is named by its title, else its opening words: never by its file id."""
from __future__ import annotations

from rdflib import RDFS, Graph

from kg.rdf import article_iri, article_label


def test_untitled_seed_article_is_named_by_its_opening_words(seed_build):
    _, out = seed_build
    g = Graph().parse(out / "graph.ttl")
    label = str(g.value(article_iri("004_f9f5477bd0b922b0"), RDFS.label))
    assert label.startswith("Guiyang, capital of southwestern Guizhou province") and label.endswith("…")
    assert "004_f9f5477bd0b922b0" not in label


def test_article_label_rules():
    assert article_label("A title ", "text", "id") == "A title"
    assert article_label(None, "Short text.", "id") == "Short text."
    assert article_label("", "   ", "file-id") == "file-id"
    assert article_label(None, " ".join(f"w{i}" for i in range(20)), "id") == " ".join(f"w{i}" for i in range(10)) + "…"
