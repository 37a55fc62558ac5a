"""Queries over the store give exactly the rows they give over ``graph.ttl``.

The store keeps one named graph per article and queries see their union. A
triple two articles share (a ``kg:Fact`` both state, an investment both
report) used to sit in both graphs, and the union default graph repeated it,
so joins multiplied rows (135 rows for ``--named entity --param
entity=Changchun`` where ``graph.ttl`` gives 11). These tests compare the
multiset of rows, over the embedded store and over a running ``kg serve``.
"""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.query import canned_queries, run_query, term_ntriples
from kg.rdf import SHARED_GRAPH
from kg.server import ServerConfig, make_server
from kg.store import EmbeddedBackend, RemoteBackend, open_store
from kg.store.base import Backend
from kgpaths import FACT_WITH_EVIDENCE

#: the README's fact-with-sentence query, and queries that count or list everything
README_QUERY = FACT_WITH_EVIDENCE
QUERIES = {
    "readme": README_QUERY,
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "all": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "labels": "SELECT ?e ?l WHERE { ?e a ?c ; rdfs:label ?l }",
    "investments": "SELECT ?i ?a ?t WHERE { ?i a kg:Investment ; kg:amount ?a ; kg:target ?t }",
}
#: canned queries: every row of each (limit=0), the entity one about Changchun
CANNED = {name: {"limit": ["0"]} if q.paged else {} for name, q in canned_queries().items()}
CANNED["entity"] = {"entity": ["Changchun"]}


def rows(backend: Backend, *, sparql: str | None = None, named: str | None = None,
         params: dict | None = None) -> Counter:
    """The rows of a query as a multiset of N-Triples tuples (order ignored, repeats counted)."""
    out = run_query(backend, sparql, named=named, params=params)
    return Counter(tuple(term_ntriples(r[v]) if v in r else "" for v in out.variables) for r in out.rows)


@pytest.fixture(scope="module")
def ttl_backend(seed_build) -> EmbeddedBackend:
    """``graph.ttl`` alone, in an in-memory Oxigraph store: the reference answers."""
    _, out = seed_build
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return EmbeddedBackend(store)


@pytest.fixture(scope="module")
def served(seed_build):
    """A ``kg serve`` of the seed build on a free port: a RemoteBackend on it."""
    _, out = seed_build
    server = make_server(ServerConfig(out, port=0), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield RemoteBackend(f"http://{host}:{port}/sparql")
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_no_triple_is_in_two_graphs(seed_build):
    _, out = seed_build
    graphs: dict[str, set[str]] = {}
    for q in open_store(out).quads_for_pattern(None, None, None, None):
        graphs.setdefault(str(q.triple), set()).add(str(q.graph_name))
    repeated = {t: g for t, g in graphs.items() if len(g) > 1}
    assert not repeated, f"{len(repeated)} triples in several graphs, e.g. {next(iter(repeated.items()))}"
    # the seeds do share facts between articles: they are stored once, in the shared graph
    assert any(g == {f"<{SHARED_GRAPH}>"} for g in graphs.values())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_store_rows_equal_graph_ttl_rows(seed_build, ttl_backend, name):
    _, out = seed_build
    want = rows(ttl_backend, sparql=QUERIES[name])
    assert want, "the reference query gives no rows: the test would prove nothing"
    assert rows(EmbeddedBackend.open(out), sparql=QUERIES[name]) == want


@pytest.mark.parametrize("name", sorted(CANNED))
def test_canned_rows_equal_graph_ttl_rows(seed_build, ttl_backend, name):
    _, out = seed_build
    want = rows(ttl_backend, named=name, params=CANNED[name])
    assert rows(EmbeddedBackend.open(out), named=name, params=CANNED[name]) == want


def test_entity_changchun_has_no_repeated_rows(seed_build):
    _, out = seed_build
    got = rows(EmbeddedBackend.open(out), named="entity", params={"entity": ["Changchun"]})
    assert got and max(got.values()) == 1


@pytest.mark.parametrize("name", ["readme", "count", "labels"])
def test_served_rows_equal_graph_ttl_rows(served, ttl_backend, name):
    assert rows(served, sparql=QUERIES[name]) == rows(ttl_backend, sparql=QUERIES[name])


def test_served_canned_entity_rows(served, ttl_backend):
    params = {"entity": ["Changchun"]}
    assert rows(served, named="entity", params=params) == rows(ttl_backend, named="entity", params=params)


def test_incremental_build_keeps_no_triple_in_two_graphs(tmp_path, copy_seeds):
    """Deleting one of two articles that share a fact moves it back to the survivor's graph."""
    from kg.pipeline import build
    from kgpaths import MODEL

    out = tmp_path / "out"
    build([copy_seeds], out, model=MODEL, html=False)
    for p in sorted(Path(copy_seeds).iterdir())[:2]:
        p.unlink()
    build([copy_seeds], out, model=MODEL, html=False)
    ref = ox.Store()
    ref.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert rows(EmbeddedBackend.open(out), sparql=README_QUERY) == rows(EmbeddedBackend(ref), sparql=README_QUERY)
    assert rows(EmbeddedBackend.open(out), sparql=QUERIES["count"]) == rows(EmbeddedBackend(ref), sparql=QUERIES["count"])
