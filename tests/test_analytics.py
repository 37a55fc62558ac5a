"""`kg stats`: counts, centrality, components, communities and investment by place."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.analytics import compute_stats, format_table, pagerank
from kg.cli import main
from kg.netgraph import investments, load_graph, to_networkx
from kgsample import rdf_counts, write_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = write_sample(tmp_path_factory.mktemp("sample-stats"))
    g = load_graph(d)
    return d, to_networkx(g), investments(g)


def test_pagerank_matches_the_definition():
    cycle = nx.MultiDiGraph([(1, 2), (2, 3), (3, 1)])
    assert pagerank(cycle) == pytest.approx({1: 1 / 3, 2: 1 / 3, 3: 1 / 3})
    star = nx.MultiDiGraph([(i, 0) for i in range(1, 6)])
    pr = pagerank(star)
    assert sum(pr.values()) == pytest.approx(1.0)
    assert max(pr, key=pr.get) == 0 and pr[1] == pytest.approx(pr[5])
    # the closed form for a star with a dangling hub: leaves get (1 - a)/n + a*hub/n
    a, n = 0.85, 6
    assert pr[1] == pytest.approx((1 - a) / n + a * pr[0] / n, rel=1e-6)
    assert pagerank(nx.MultiDiGraph()) == {}


def test_counts_and_rankings(sample):
    d, G, invs = sample
    s = compute_stats(G, invs, top=5)
    assert (s["entities"], s["facts"]) == rdf_counts(load_graph(d))
    assert s["investments"] == 3
    assert sum(s["classes"].values()) == s["entities"] and s["classes"]["Company"] == 4
    assert sum(s["predicates"].values()) == s["facts"]
    assert s["top_degree"][0]["label"] == "Huawei" and s["top_degree"][0]["degree"] == 4
    assert [r["degree"] for r in s["top_degree"]] == sorted((r["degree"] for r in s["top_degree"]), reverse=True)
    assert len(s["top_pagerank"]) == 5
    assert s["top_pagerank"][0]["label"] == "Guizhou"     # capital and places point into it
    # Huawei-Guiyang-Guizhou-expo-MIIT and Alibaba-Tencent-CAS-Changchun-Jilin, and one entity with no facts
    assert s["components"] == {"count": 3, "largest": 7, "isolated": 1, "sizes": [7, 7, 1]}
    c = s["communities"]
    assert c["count"] >= 3 and 0 < c["modularity"] <= 1
    assert sum(r["size"] for r in c["largest"]) <= s["entities"]


def test_investment_rolls_up_to_provinces_per_currency(sample):
    _, G, invs = sample
    rows = {(r["label"], r["currency"]): (r["amount"], r["investments"])
            for r in compute_stats(G, invs)["investment_by_place"]}
    assert rows == {
        ("Guizhou", "CNY"): (2_500_000_000, 2),       # Guiyang's 2 bn (capitalOf) + Alibaba's 0.5 bn
        ("Guiyang", "CNY"): (2_000_000_000, 1),
        ("Changchun", "USD"): (100_000_000, 1),
        ("Jilin", "USD"): (100_000_000, 1),
    }


def test_table_output(sample):
    _, G, invs = sample
    text = format_table(compute_stats(G, invs))
    for heading in ("Entities by class", "Facts by predicate", "Top entities by degree", "Top entities by PageRank",
                    "Connected components", "Communities (Louvain)", "Investment by place"):
        assert heading in text
    assert "2,500,000,000" in text


def test_cli_stats(sample, capsys, tmp_path):
    d, G, _ = sample
    assert main(["stats", str(d)]) == 0
    assert "Top entities by PageRank" in capsys.readouterr().out
    assert main(["stats", str(d), "--format", "json", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entities"] == G.number_of_nodes() and len(data["top_degree"]) == 3
    assert main(["stats", str(tmp_path)]) == 2
    assert "no built graph here" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["stats", str(d), "--top", "0"])
    assert exc.value.code == 2 and "argument --top: must be 1 or more, not 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["stats", str(d), "--format", "xml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--help"])
    assert exc.value.code == 0 and "--format" in capsys.readouterr().out


def test_stats_of_the_seed_build(seed_build, capsys):
    _, out = seed_build
    assert main(["stats", str(out), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["entities"], data["facts"]) == rdf_counts(load_graph(out))
    assert data["components"]["count"] >= 1 and data["communities"]["count"] >= 1
    assert sum(data["classes"].values()) == data["entities"]
