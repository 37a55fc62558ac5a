"""The viewer page without a browser: what it contains, what it leaves out, and `kg view`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from kg.cli import main
from kg.netgraph import load_graph, to_networkx
from kg.view import ViewError, select, view, write_html
from kg.view.page import OVERVIEW_NODES, page_data, render_html, script_json, write_script_json
from kg.vocab import CORE_CLASSES, KG
from kgsample import EVIL_LABEL, XSS_IMG, XSS_SCRIPT, rdf_counts, synthetic_graph, write_sample


def page_json(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "data block missing"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><!-- & \u2028", "b": "<img src=x onerror=alert(1)>"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028", "b": "<img src=x onerror=alert(1)>"}


def test_page_data_written_piece_by_piece_is_the_escaped_whole():
    import io

    data = {"title": "a </script> & b", "n": 3, "nodes": [{"label": "<b>\u2028</b>", "x": [1.5, None]}, {"y": "&"}],
            "empty": [], "notice": None, "edges": [{"evidence": [{"sentence": "x > y \u2029 中文 😀"}]}]}
    buf = io.StringIO()
    write_script_json(data, buf)
    assert buf.getvalue() == script_json(data)


def test_page_written_by_kg_view_is_the_rendered_page(sample_dir, tmp_path):
    """``kg view`` streams the page to its file; it is the very text :func:`render_html` gives."""
    path, sel = view(sample_dir, tmp_path / "page.html")
    G = to_networkx(load_graph(sample_dir))
    assert path.read_text(encoding="utf-8") == render_html(G, sel, title=f"kg graph: {sample_dir.resolve().name}")


def test_page_is_self_contained(sample_dir):
    path, _ = view(sample_dir)
    html = path.read_text(encoding="utf-8")
    assert path == sample_dir / "graph.html"
    # nothing that loads from elsewhere, and a policy that forbids it
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.I)
    assert "default-src 'none'" in html and "connect-src 'none'" in html
    script_src = re.search(r"script-src ([^;]+);", html).group(1)
    assert "unsafe" not in script_src and script_src.count("'sha256-") == 2
    lonely = next(x for x in page_json(html)["nodes"] if x["label"] == "Lonely Foundation")
    assert lonely["aliases"] == ["@@VIS_JS@@"]
    assert "vis-network" in html and "bootstrap" not in html.lower()
    # hostile text only ever appears escaped
    for bad in (XSS_SCRIPT, XSS_IMG, EVIL_LABEL, "<img src=y"):
        assert bad not in html
    assert len(re.findall(r"^<script[ >]", html, re.M)) == 3     # data, vis-network, ours


def test_page_counts_equal_the_graph(sample_dir):
    g = load_graph(sample_dir)
    path, _ = view(sample_dir)
    data = page_json(path.read_text(encoding="utf-8"))
    n, e = rdf_counts(g)
    assert (len(data["nodes"]), len(data["edges"])) == (n, e) == (data["totalNodes"], data["totalEdges"])
    assert data["mode"] == "full" and data["notice"] is None
    assert sum(c["count"] for c in data["classes"]) == n
    assert sum(p["count"] for p in data["predicates"]) == e
    # every edge refers to nodes in the page, and evidence names its article
    ids = {x["id"] for x in data["nodes"]}
    assert all(x["from"] in ids and x["to"] in ids for x in data["edges"])
    evs = [ev for x in data["edges"] for ev in x["evidence"]]
    assert evs and all(ev["sentence"] and ev["articleTitle"] for ev in evs)
    classes = {KG[c] for c in CORE_CLASSES}
    entities = {s for s, o in g.subject_objects(RDF.type) if o in classes}
    assert {x["label"] for x in data["nodes"]} == {str(g.value(s, RDFS.label)) for s in entities}


def test_node_details_carry_aliases_and_identifiers(sample_dir):
    data = page_json(view(sample_dir)[0].read_text(encoding="utf-8"))
    by_label = {x["label"]: x for x in data["nodes"]}
    assert by_label["Guiyang"]["geonames"] == "1809461" and by_label["Guiyang"]["cls"] == "City"
    assert by_label["Jilin"]["iso"] == "CN-JL"
    assert set(by_label["Huawei"]["aliases"]) == {"Huawei Technologies", "Huawei Technologies Co Ltd"}
    # the fact found in two articles is one edge with both sentences
    huawei, park = by_label["Huawei"]["id"], by_label["Gui'an New Area"]["id"]
    [edge] = [x for x in data["edges"] if (x["from"], x["to"], x["predicate"]) == (huawei, park, "investsIn")]
    assert len(edge["evidence"]) == 2 and edge["confidence"] == pytest.approx(0.8)


def test_focus_and_depth(sample_dir):
    G = to_networkx(load_graph(sample_dir))
    sel = select(G, focus="huawei technologies", depth=1)          # an alias, any case
    assert G.nodes[sel.focus]["label"] == "Huawei"
    assert {d["label"] for _, d in sel.graph.nodes(data=True)} == {"Huawei", "Gui'an New Area", "Ren Zhengfei"}
    deeper = select(G, focus="Huawei", depth=2)
    assert set(sel.graph) < set(deeper.graph)
    assert "Neighbourhood of Huawei" in deeper.notice and "left out" in deeper.notice
    assert select(G, focus="Huawei", depth=0).graph.number_of_nodes() == 1


def test_unknown_entity_suggests_names(sample_dir):
    G = to_networkx(load_graph(sample_dir))
    with pytest.raises(ViewError, match=r"no entity named 'Huawai'.*'Huawei'"):
        select(G, focus="Huawai")
    with pytest.raises(ViewError, match="--depth must be 0 or more, not -1"):
        select(G, focus="Huawei", depth=-1)
    with pytest.raises(ViewError, match="--max-nodes must be 1 or more, not 0"):
        select(G, max_nodes=0)


def test_max_nodes_keeps_the_most_connected_and_says_so(sample_dir):
    G = to_networkx(load_graph(sample_dir))
    sel = select(G, max_nodes=5)
    degrees = sorted((G.degree(n) for n in G), reverse=True)
    assert sel.graph.number_of_nodes() == 5
    assert min(G.degree(n) for n in sel.graph) >= degrees[4]
    data = page_data(sel, title="t")
    assert f"left out {G.number_of_nodes() - 5} entities" in data["notice"]
    assert data["totalNodes"] == G.number_of_nodes() and len(data["nodes"]) == 5


def test_large_graph_opens_on_an_overview(tmp_path):
    G = synthetic_graph(OVERVIEW_NODES + 10, 2 * OVERVIEW_NODES)
    data = page_json(write_html(G, tmp_path / "big.html").read_text(encoding="utf-8"))
    assert data["mode"] == "overview" and "overview by class" in data["notice"]
    assert len(data["nodes"]) == G.number_of_nodes()


def test_too_large_graph_is_cut_for_build_and_refused_for_view(tmp_path, monkeypatch):
    import kg.view as kv

    monkeypatch.setattr(kv, "MAX_PAGE_NODES", 50)
    G = synthetic_graph(80, 150)
    data = page_json(write_html(G, tmp_path / "cut.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 50 and "left out 30 entities" in data["notice"]
    with pytest.raises(ViewError, match=r"80 entities.*--max-nodes N"):
        write_html(G, tmp_path / "no.html", refuse_large=True)
    assert not (tmp_path / "no.html").exists()


def test_build_writes_the_page(seed_build):
    report, out = seed_build
    assert report.outputs.get("html") == out / "graph.html"
    data = page_json((out / "graph.html").read_text(encoding="utf-8"))
    n, e = rdf_counts(load_graph(out))
    assert n > 10 and e > 10
    assert (len(data["nodes"]), len(data["edges"])) == (n, e)


def test_cli_view(sample_dir, tmp_path, capsys):
    assert main(["view", str(sample_dir)]) == 0
    assert "wrote" in capsys.readouterr().out
    out = tmp_path / "focus.html"
    assert main(["view", str(sample_dir), "--focus", "Jilin", "--depth", "1", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Neighbourhood of Jilin" in printed
    assert {x["label"] for x in page_json(out.read_text(encoding="utf-8"))["nodes"]} == {"Jilin", "Changchun"}
    assert main(["view", str(sample_dir), "--max-nodes", "3"]) == 0
    assert (sample_dir / "view.html").is_file()
    assert main(["view", str(sample_dir), "--focus", "Nowhere City"]) == 2
    assert "no entity named 'Nowhere City'" in capsys.readouterr().err
    assert main(["view", str(tmp_path / "missing")]) == 2
    assert "run `kg build ARTICLES --out DIR` first" in capsys.readouterr().err
    for bad in (["--depth", "-1"], ["--max-nodes", "0"], ["--max-nodes", "many"]):
        with pytest.raises(SystemExit) as exc:
            main(["view", str(sample_dir), *bad])
        assert exc.value.code == 2
    assert "argument --max-nodes: expected a whole number, not 'many'" in capsys.readouterr().err
    assert main(["view", str(tmp_path / "missing")]) == 2
    assert "run `kg build ARTICLES --out DIR` first" in capsys.readouterr().err


def test_cli_view_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["view", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for opt in ("--focus", "--depth", "--max-nodes", "--open", "-o"):
        assert opt in out


def test_empty_and_broken_graphs(tmp_path, capsys):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "graph.ttl").write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\n", encoding="utf-8")
    path, sel = view(d)
    data = page_json(path.read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == [] and sel.notice is None
    assert main(["stats", str(d), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entities"] == 0
    (d / "graph.ttl").write_text("this is not turtle <<", encoding="utf-8")
    assert main(["view", str(d)]) == 2
    err = capsys.readouterr().err
    assert "graph.ttl: cannot parse Turtle" in err and err.count("\n") == 1


def test_cli_view_refuses_a_graph_too_large_with_advice(sample_dir, monkeypatch, capsys):
    import kg.view as kv

    monkeypatch.setattr(kv, "MAX_PAGE_NODES", 10)
    assert main(["view", str(sample_dir)]) == 2
    err = capsys.readouterr().err
    assert "the graph has 15 entities" in err and "--max-nodes N" in err and "--focus NAME" in err
    assert main(["view", str(sample_dir), "--max-nodes", "8"]) == 0
    assert "left out 7 entities" in capsys.readouterr().out
