"""The embedded store: save_dataset makes it hold exactly the dataset, in full
or incrementally; readers open it read-only; rdflib users get a Dataset."""
from __future__ import annotations

import gc
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import StoreError
from kg.store import (MANIFEST_NAME, EmbeddedBackend, open_dataset, open_store, save_dataset,
                      store_path, sync_store)
from kg.vocab import DATA, KG

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"
A1, A2, A3 = (DATA[f"graph/article/a{i}"] for i in (1, 2, 3))


def mini_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(MINI, format="trig")
    return ds


def quads_of_dataset(ds: Dataset) -> set[str]:
    """Quads as N-Quads lines, through an in-memory Oxigraph store: Oxigraph
    keeps numbers in canonical form ("0.800"^^xsd:decimal is stored as "0.8"),
    so both sides must be put through it to compare lexical forms."""
    mem = ox.Store()
    mem.load(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    return {str(q) for q in mem.quads_for_pattern(None, None, None, None)}


def quads_of_store(out_dir: Path) -> set[str]:
    store = open_store(out_dir)
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


@pytest.fixture
def built(tmp_path) -> Path:
    save_dataset(mini_dataset(), tmp_path)
    return tmp_path


def test_save_writes_store_and_manifest(built):
    assert store_path(built).is_dir()
    manifest = json.loads((built / MANIFEST_NAME).read_text())
    assert set(manifest["graphs"]) >= {str(A1), str(A2), str(A3), str(DATA["graph/entities"])}
    assert quads_of_store(built) == quads_of_dataset(mini_dataset())


def test_every_article_has_its_own_named_graph(built):
    store = open_store(built)
    graphs = {g.value for g in store.named_graphs()}
    assert {str(A1), str(A2), str(A3), str(DATA["graph/entities"]), str(DATA["graph/ontology"])} <= graphs
    # the evidence of a fact lives in the graph of the article it came from
    rows = list(store.query("""
        PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT DISTINCT ?g ?article WHERE { GRAPH ?g { ?fact kg:evidence ?ev . ?ev kg:article ?article } }"""))
    assert rows
    for row in rows:
        assert row["g"].value.rsplit("/", 1)[1] == row["article"].value.rsplit("/", 1)[1]


def test_second_save_of_same_dataset_changes_nothing(built):
    stats = sync_store(mini_dataset().serialize(format="nquads", encoding="utf-8"), built)
    assert stats.mode == "unchanged"
    assert stats.written == [] and stats.dropped == []


def test_incremental_replaces_changed_adds_new_drops_deleted(built):
    ds = mini_dataset()
    ds.remove_graph(ds.graph(A3))
    g2 = ds.graph(A2)
    g2.add((DATA["company/tencent"], KG.investsIn, DATA["city/changchun"]))
    a4 = DATA["graph/article/a4"]
    ds.graph(a4).add((DATA["article/a4"], RDF.type, KG.Article))
    stats = sync_store(ds.serialize(format="nquads", encoding="utf-8"), built)
    assert stats.mode == "incremental"
    assert stats.written == sorted([str(A2), str(a4)])
    assert stats.dropped == [str(A3)]
    assert quads_of_store(built) == quads_of_dataset(ds)


def test_incremental_result_equals_full_rebuild(built, tmp_path_factory):
    ds = mini_dataset()
    ds.remove_graph(ds.graph(A1))
    ds.graph(A2).add((DATA["person/li-wei"], RDFS.label, Literal("Li Wei (again)")))
    data = ds.serialize(format="nquads", encoding="utf-8")
    assert sync_store(data, built).mode == "incremental"
    clean = tmp_path_factory.mktemp("clean")
    assert sync_store(data, clean).mode == "full"
    assert quads_of_store(built) == quads_of_store(clean)


def test_edits_behind_the_manifest_are_repaired(built):
    store = open_store(built, read_only=False)
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("stray"), ox.NamedNode(str(A1))))
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("stray"), ox.NamedNode("http://example.org/other-graph")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("stray")))
    del store
    gc.collect()
    stats = sync_store(mini_dataset().serialize(format="nquads", encoding="utf-8"), built)
    assert stats.mode == "incremental"
    assert str(A1) in stats.written and "http://example.org/other-graph" in stats.dropped
    assert quads_of_store(built) == quads_of_dataset(mini_dataset())


def test_missing_manifest_or_big_change_means_full_rebuild(built):
    data = mini_dataset().serialize(format="nquads", encoding="utf-8")
    (built / MANIFEST_NAME).unlink()
    assert sync_store(data, built).mode == "full"
    ds = mini_dataset()
    ds.remove_graph(ds.graph(A3))
    assert sync_store(ds.serialize(format="nquads", encoding="utf-8"), built, max_incremental=-1).mode == "full"
    assert quads_of_store(built) == quads_of_dataset(ds)
    assert not list(built.glob(".store-*")), "temporary store directories left behind"


def test_save_into_locked_store_names_the_problem(built):
    holder = open_store(built, read_only=False)
    try:
        with pytest.raises(StoreError, match="locked"):
            save_dataset(mini_dataset(), built)
    finally:
        del holder
        gc.collect()


def test_open_store_without_build_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="kg build"):
        open_store(tmp_path / "nothing")


def test_readers_do_not_block_a_build(built):
    reader = open_store(built)     # read-only: no lock
    ds = mini_dataset()
    ds.remove_graph(ds.graph(A3))
    save_dataset(ds, built)
    assert quads_of_store(built) == quads_of_dataset(ds)
    del reader


def test_open_dataset_gives_rdflib_view(built):
    ds = open_dataset(built)
    assert isinstance(ds, Dataset)
    assert len(ds) == len(mini_dataset())
    changchun = URIRef(DATA["city/changchun"])
    assert (changchun, RDF.type, KG.City) in ds
    assert {g.identifier for g in ds.graphs()} >= {A1, A2, A3}


def test_embedded_backend_union_default_graph_and_row_cap(built):
    backend = EmbeddedBackend.open(built)
    everything = backend.query("SELECT * WHERE { ?s ?p ?o }")
    assert len(everything.rows) == len({str(q.triple) for q in open_store(built).quads_for_pattern(None, None, None)})
    capped = backend.query("SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    assert len(capped.rows) == 3 and capped.truncated
    only_a1 = backend.query("SELECT DISTINCT ?s WHERE { ?s a kg:Article }", default_graph_uris=[str(A1)])
    assert only_a1.values("s") == [str(DATA["article/a1"])]
    backend.close()


def test_seed_build_keeps_store_in_sync_with_graph_ttl(seed_build):
    _, out = seed_build
    mem = ox.Store()
    mem.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    union = {str(q.triple) for q in mem.quads_for_pattern(None, None, None, None)}
    store = open_store(out)
    stored = {str(q.triple) for q in store.quads_for_pattern(None, None, None, None)}
    assert stored == union
    names = {g.value for g in store.named_graphs()}
    assert any(n.startswith(str(DATA["graph/article/"])) for n in names)


def test_changed_graph_of_many_triples_is_updated_by_its_difference(built, tmp_path_factory, monkeypatch):
    """A large graph that changed a little (the entities graph when one entity is new) gets
    DELETE DATA / INSERT DATA of the triples that differ, and ends as a full load makes it."""
    import kg.store.embedded as embedded

    monkeypatch.setattr(embedded, "DIFF_MIN_TRIPLES", 0)
    ds = mini_dataset()
    g2 = ds.graph(A2)
    gone = sorted(g2)[0]
    g2.remove(gone)
    g2.add((DATA["person/li-wei"], RDFS.label, Literal("Li Wei (again)")))
    data = ds.serialize(format="nquads", encoding="utf-8")
    stats = sync_store(data, built)
    assert stats.mode == "incremental" and stats.written == [str(A2)]
    clean = tmp_path_factory.mktemp("clean")
    assert sync_store(data, clean).mode == "full"
    assert quads_of_store(built) == quads_of_store(clean) == quads_of_dataset(ds)


def test_store_left_as_the_manifest_says_is_not_counted_again(built, monkeypatch):
    """The manifest keeps the store's files (names, sizes, times) as the build left them: while
    they are the same the store is trusted without a count; an edit behind its back is counted."""
    import kg.store.embedded as embedded

    assert json.loads((built / MANIFEST_NAME).read_text())["store_files"]
    counted = []
    real = embedded._graph_counts
    monkeypatch.setattr(embedded, "_graph_counts", lambda store: counted.append(1) or real(store))
    ds = mini_dataset()
    ds.remove_graph(ds.graph(A3))
    assert sync_store(ds.serialize(format="nquads", encoding="utf-8"), built).mode == "incremental"
    assert counted == []
    assert quads_of_store(built) == quads_of_dataset(ds)
    store = open_store(built, read_only=False)
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("stray"), ox.NamedNode(str(A1))))
    store.flush()
    del store
    gc.collect()
    assert sync_store(ds.serialize(format="nquads", encoding="utf-8"), built).mode == "incremental"
    assert counted == [1]
    assert quads_of_store(built) == quads_of_dataset(ds)
