"""The output path (extractions -> N-Triples lines -> Oxigraph and Turtle) makes exactly the
graph the rdflib path made: same triples in graph.ttl, same quads in the store, same named-graph
layout, same summary. The rdflib path is kept, unchanged, in ``rdflib_reference.py``."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import rdflib_reference as reference
from kg import ntriples as nt
from kg.model import Extraction
from kg.pipeline import BuildReport, build
from kg.rdf import ENTITIES_GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH, union_graph
from kg.resolve import resolve
from kg.store import open_store
from kgpaths import MODEL, ROOT

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def _cached_extractions(out: Path) -> list[Extraction]:
    exs = [Extraction.from_json(json.loads(p.read_text(encoding="utf-8"))["extraction"])
           for p in (out / ".kg" / "extractions").glob("*.json")]
    return sorted(exs, key=lambda ex: ex.article.id)


def _canonical(g: Graph) -> Graph:
    """``g`` with decimals in one lexical form: rdflib's Turtle wrote ``600000000.0`` where the
    store (then and now) holds ``"600000000"^^xsd:decimal``; the value is the same."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD_DECIMAL:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD_DECIMAL)
        out.add((s, p, o))
    return out


def _quads(store: ox.Store) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store}


def _stored(nquads: bytes) -> ox.Store:
    """N-Quads as an Oxigraph store holds them (it writes ``0.170`` as ``0.17``)."""
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def bench_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-build")
    return build([ROOT / "benchmarks" / "extraction" / "articles"], out, model=MODEL), out


@pytest.mark.parametrize("which", ["seeds", "benchmarks/extraction"])
def test_build_makes_the_graph_the_rdflib_path_made(which, seed_build, bench_build):
    report, out = seed_build if which == "seeds" else bench_build
    exs = _cached_extractions(out)
    assert len(exs) == report.articles > 2
    entities, entity_of = resolve(exs)
    old = reference.to_dataset(entities, exs, entity_of)

    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert isomorphic(_canonical(ttl), _canonical(union_graph(old)))
    stored = _quads(open_store(out))
    assert stored == _quads(_stored(old.serialize(format="nquads", encoding="utf-8")))

    # the layout: one graph per article, entities, ontology, shared; no triple in two graphs
    names = {q[3] for q in stored}
    articles = {n for n in names if n.startswith("<https://w3id.org/kg/id/graph/article/")}
    assert len(articles) == report.articles
    assert names - articles <= {f"<{g}>" for g in (ENTITIES_GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH)}
    if which == "seeds":          # two seed articles state the same facts
        assert f"<{SHARED_GRAPH}>" in names
    triples = [q[:3] for q in stored]
    assert len(triples) == len(set(triples)) == report.triples

    expected = BuildReport(out_dir=out)
    reference.summarise(union_graph(old), expected)
    assert (report.entities_by_class, report.facts_by_predicate, report.investments, report.triples) == \
        (expected.entities_by_class, expected.facts_by_predicate, expected.investments, expected.triples)


def test_the_lines_spilled_to_disk_are_gone_after_the_build(seed_build):
    _, out = seed_build
    assert not list((out / ".kg").glob("spill-*"))


def test_graph_ttl_declares_the_vocabulary_prefixes(seed_build):
    _, out = seed_build
    head = (out / "graph.ttl").read_text(encoding="utf-8")[:2000]
    for prefix in ("kg:", "rdf:", "rdfs:", "skos:", "owl:", "xsd:"):
        assert f"@prefix {prefix} " in head
    assert "kg:City" in (out / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["plain", 'a "quote" and a \\ backslash', "tab\there\nnew line\r",
                                  "\x00\x01\x08\x0b\x0c\x1f\x7f", "\ufffe\uffff\u2028\x85 é 中文 😀", ""])
def test_literals_are_written_as_oxigraph_writes_them(text):
    assert nt.string(text) == str(ox.Literal(text))


def test_every_control_character_is_escaped_as_oxigraph_does():
    for code in [*range(0, 0x80), 0x85, 0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F600]:
        assert nt.string(f"x{chr(code)}y") == str(ox.Literal(f"x{chr(code)}y")), hex(code)


@pytest.mark.parametrize("value", ["0.900", "600000000", "1.5E+21", "1E+3", "0.1"])
def test_decimals_as_rdflib_wrote_them(value):
    d = Decimal(value)
    assert nt.decimal(d) == f'"{Literal(d)}"^^<{XSD_DECIMAL}>'


@pytest.mark.parametrize("which", ["seeds", "benchmarks/extraction"])
def test_viewer_graph_of_the_build_is_the_graph_of_graph_ttl(which, seed_build, bench_build):
    """The build hands the viewer a networkx graph made from its records (no parse of its own
    triples): the very nodes, edges, attributes and order ``to_networkx`` reads from graph.ttl."""
    from kg.netgraph import from_parts, load_triples, to_networkx
    from kg.rdf import build_graphs

    report, out = seed_build if which == "seeds" else bench_build
    exs = _cached_extractions(out)
    entities, entity_of = resolve(exs)
    mine = from_parts(build_graphs(entities, exs, entity_of).net)
    theirs = to_networkx(load_triples(out))
    assert list(mine.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(mine.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert mine.number_of_edges() == sum(report.facts_by_predicate.values())


def test_store_after_turtle_for_large_graphs_writes_the_same_outputs(seed_build, tmp_path, monkeypatch):
    """Above ``OVERLAP_MAX_TRIPLES`` the store is loaded before the page (and the lines freed);
    the outputs are those of the overlapped path."""
    import kg.pipeline

    report, out = seed_build
    monkeypatch.setattr(kg.pipeline, "OVERLAP_MAX_TRIPLES", 0)
    again = build([ROOT / "seeds"], tmp_path / "out", model=MODEL)
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert _quads(open_store(tmp_path / "out")) == _quads(open_store(out))
    assert list(again.outputs) == list(report.outputs) == ["turtle", "store", "html"]
    assert (tmp_path / "out" / "graph.html").read_text(encoding="utf-8") == \
        (out / "graph.html").read_text(encoding="utf-8").replace(out.name, "out")
