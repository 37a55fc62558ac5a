"""Investments: counted for the places around their target, and dated (text, else article)."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef

from kgpaths import MODEL, SEEDS
from kg.analytics import compute_stats
from kg.cli import main
from kg.netgraph import investments, load_graph, to_networkx
from kg.pipeline import build
from kg.rdf import InvestmentDates
from kg.vocab import KG

INFOBIRD = SEEDS / "004_f9f5477bd0b922b0.txt"


def by_place(out) -> dict[tuple[str, str], tuple[int, int]]:
    g = load_graph(out)
    rows = compute_stats(to_networkx(g), investments(g))["investment_by_place"]
    return {(r["label"], r["currency"]): (r["amount"], r["investments"]) for r in rows}


def test_seed_investment_goes_to_the_places_around_its_target(seed_build):
    """Infobird's 600 million yuan go to a cloud computing center that is locatedIn Guiyang."""
    _, out = seed_build
    rows = by_place(out)
    assert rows[("Guiyang", "CNY")] == (600_000_000, 1)
    assert rows[("Guizhou", "CNY")] == (600_000_000, 1)      # Guiyang is the capital of Guizhou


def test_cli_stats_prints_the_seed_investment_by_place(seed_build, capsys):
    _, out = seed_build
    assert main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    assert "(no investments with an amount and a place)" not in text
    assert any(line.split()[:2] == ["Guiyang", "City"] and "600,000,000" in line for line in text.splitlines())


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    """The Infobird seed with a dateline: the investment takes the article's date."""
    corpus = tmp_path_factory.mktemp("dated")
    (corpus / "infobird.txt").write_text("Infobird builds a cloud center in Guiyang\n\nUpdated: 2016-05-10\n\n"
                                         + INFOBIRD.read_text(encoding="utf-8"), encoding="utf-8")
    out = corpus / "out"
    build([corpus], out, model=MODEL, html=False)
    return out


def test_investment_date_comes_from_the_article(dated_build):
    g = Graph().parse(dated_build / "graph.ttl")
    (inv,) = [i for i in g.subjects(KG.investor, None) if "infobird" in str(g.value(i, KG.investor))]
    assert g.value(inv, KG.date) == Literal("2016-05-10")
    assert g.value(inv, KG.dateSource) == Literal("article")


def test_investment_date_in_the_canned_query_and_stats(dated_build, capsys):
    assert main(["query", str(dated_build), "--named", "investments", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert (row["date"]["value"], row["dateSource"]["value"]) == ("2016-05-10", "article")
    (inv,) = investments(load_graph(dated_build))
    assert (inv.date, inv.date_source) == ("2016-05-10", "article")


def test_undated_article_gives_no_investment_date(seed_build):
    _, out = seed_build
    assert all(inv.date is None and inv.date_source is None for inv in investments(load_graph(out)))


def test_text_date_beats_article_date_and_the_earliest_wins():
    node = URIRef("https://w3id.org/kg/id/investment/x")
    g1, g2, g3 = Graph(), Graph(), Graph()
    dates = InvestmentDates()
    dates.offer(node, g1, text_date=None, article_date="2019-01-01")
    dates.offer(node, g2, text_date="2020-03-01", article_date="2018-01-01")
    dates.offer(node, g3, text_date="2020-04-01", article_date=None)
    dates.offer(URIRef("urn:other"), g1, text_date=None, article_date=None)
    dates.write()
    assert (len(g1), len(g3)) == (0, 0)
    assert set(g2) == {(node, KG.date, Literal("2020-03-01")), (node, KG.dateSource, Literal("text"))}
