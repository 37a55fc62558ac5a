"""`kg export`: GraphML, GEXF and node-link JSON that network tools read back as the same graph."""
from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from kg.cli import main
from kg.export import ExportError, export_bytes, read_json, write_export
from kg.netgraph import load_graph, to_networkx
from kgsample import EVIL_LABEL, write_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = write_sample(tmp_path_factory.mktemp("sample-export"))
    return d, to_networkx(load_graph(d))


def edge_set(G) -> set[tuple[str, str, str]]:
    return {(u, v, d["predicate"]) for u, v, d in G.edges(data=True)}


def test_graphml_reads_back_with_networkx(sample, tmp_path):
    d, G = sample
    out = tmp_path / "g.graphml"
    assert main(["export", str(d), "--format", "graphml", "-o", str(out)]) == 0
    H = nx.read_graphml(out)
    assert isinstance(H, nx.MultiDiGraph)
    assert set(H.nodes) == set(G.nodes)
    assert edge_set(H) == edge_set(G) and H.number_of_edges() == G.number_of_edges()
    for n, attrs in G.nodes(data=True):
        h = H.nodes[n]
        assert (h["label"], h["cls"], h["iri"]) == (attrs["label"], attrs["cls"], attrs["iri"])
        assert h["aliases"].split(" | ") == attrs["aliases"] if attrs["aliases"] else h["aliases"] == ""
    evil = next(n for n, a in H.nodes(data=True) if a["label"] == EVIL_LABEL)
    assert H.nodes[evil]["cls"] == "Company"
    confs = {(u, v, a["predicate"]): a["confidence"] for u, v, a in H.edges(data=True)}
    for u, v, a in G.edges(data=True):
        assert confs[(u, v, a["predicate"])] == pytest.approx(a["confidence"])


def test_gexf_reads_back(sample):
    _, G = sample
    H = nx.read_gexf(io.BytesIO(export_bytes(G, "gexf")))
    assert set(H.nodes) == set(G.nodes)
    assert edge_set(H) == edge_set(G)
    assert {a["cls"] for _, a in H.nodes(data=True)} == {a["cls"] for _, a in G.nodes(data=True)}


def test_json_node_link_keeps_evidence(sample, capsysbinary):
    d, G = sample
    assert main(["export", str(d), "--format", "json"]) == 0
    raw = capsysbinary.readouterr().out
    data = json.loads(raw)
    assert {"nodes", "links"} <= set(data) and data["directed"] and data["multigraph"]
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["links"]) == G.number_of_edges()
    assert all(link["evidence"] and link["evidence"][0]["sentence"] for link in data["links"])
    H = read_json(raw)
    assert edge_set(H) == edge_set(G)
    assert {n: a["aliases"] for n, a in H.nodes(data=True)} == {n: a["aliases"] for n, a in G.nodes(data=True)}


def test_write_export_to_file_object_and_bad_format(sample):
    _, G = sample
    buf = io.BytesIO()
    write_export(G, "graphml", buf)
    assert buf.getvalue().startswith(b"<?xml") and b"<graphml" in buf.getvalue()
    with pytest.raises(ExportError, match="unknown export format 'dot'; choose one of: graphml, gexf, json"):
        export_bytes(G, "dot")


def test_cli_export_errors_and_help(sample, tmp_path, capsys):
    d, _ = sample
    with pytest.raises(SystemExit) as exc:
        main(["export", str(d), "--format", "dot"])
    assert exc.value.code == 2
    assert main(["export", str(tmp_path / "nothing"), "--format", "json"]) == 2
    assert "no built graph here" in capsys.readouterr().err
    assert main(["export", str(d), "--format", "gexf", "-o", str(tmp_path / "no" / "such" / "dir.gexf")]) == 2
    assert "cannot write" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["export", "--help"])
    assert exc.value.code == 0
    assert "graphml" in capsys.readouterr().out


def test_export_of_the_seed_build(seed_build, tmp_path):
    _, out = seed_build
    G = to_networkx(load_graph(out))
    target = tmp_path / "seed.graphml"
    assert main(["export", str(out), "--format", "graphml", "-o", str(target)]) == 0
    H = nx.read_graphml(target)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert edge_set(H) == edge_set(G)
