"""kg.ntriples.Graphs: lines spilled to sorted runs on disk and merged: a triple in two graphs
goes to the shared graph, a repeat in one graph counts once, and what the store, graph.ttl
and rdflib read back is the same whatever the size of the runs."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import OutputError
from kg.ntriples import Graphs
from kg.store.embedded import _digest

EX = "http://example.org/"
SHARED = f"{EX}graph/shared"


def line(s: str, p: str, o: str) -> str:
    return f"<{EX}{s}> <{EX}{p}> {o} ."


def sample() -> dict[str, list[str]]:
    """Three graphs: ``a`` and ``b`` share two triples, ``a`` repeats one of its own."""
    return {
        f"{EX}g/a": [line("x", "p", '"1"'), line("x", "q", f"<{EX}y>"), line("z", "p", '"é 中"'),
                     line("x", "p", '"1"')],
        f"{EX}g/b": [line("x", "q", f"<{EX}y>"), line("w", "p", '"2"'), line("z", "p", '"é 中"')],
        f"{EX}g/c": [line("v", "p", '"3"'), line("x", "pp", '"4"')],
    }


def made(graphs: dict[str, list[str]], tmp_path: Path, run_lines: int, *, shuffle: int | None = None) -> Graphs:
    g = Graphs(tmp_path, run_lines=run_lines)
    items = [(name, ln) for name, lines in graphs.items() for ln in lines]
    if shuffle is not None:
        random.Random(shuffle).shuffle(items)
    for name, ln in items:
        g.add(g.number(name), [ln])
    g.finish(shared=SHARED)
    return g


def expected(graphs: dict[str, list[str]]) -> dict[str, list[str]]:
    """What the graphs hold once shared triples are moved: the rule, by sets."""
    where: dict[str, set[str]] = {}
    for name, lines in graphs.items():
        for ln in lines:
            where.setdefault(ln, set()).add(name)
    out: dict[str, list[str]] = {}
    for ln, names in where.items():
        out.setdefault(SHARED if len(names) > 1 else names.pop(), []).append(ln)
    return {name: sorted(lines) for name, lines in out.items()}


@pytest.mark.parametrize("run_lines", [1, 2, 5, 1000])
def test_shared_triples_move_to_the_shared_graph_whatever_the_runs(tmp_path, run_lines):
    want = expected(sample())
    with made(sample(), tmp_path, run_lines) as g:
        assert g.lines_of(want) == want
        assert g.triples == sum(len(v) for v in want.values()) == 6
        assert g.graph_stats() == {name: (_digest(lines), len(lines)) for name, lines in want.items()}


def test_nquads_are_sorted_by_triple_each_triple_once(tmp_path):
    with made(sample(), tmp_path, 2) as g:
        quads = g.nquads().decode("utf-8").splitlines()
        triples = [q.rpartition(" <")[0] + " ." for q in quads]
        assert triples == sorted(set(triples)) and len(triples) == g.triples
        parsed = {(str(q.triple), q.graph_name.value) for q in ox.parse(g.nquads(), format=ox.RdfFormat.N_QUADS)}
        assert parsed == {(ln[:-2], name) for name, lines in expected(sample()).items() for ln in lines}
        assert b"".join(g.nquads_chunks(4)) == g.nquads()
        assert [len(c.splitlines()) for c in g.nquads_chunks(4)] == [4, 2]


def test_turtle_is_oxigraphs_turtle_of_the_sorted_union(tmp_path):
    union = sorted(ln for lines in expected(sample()).values() for ln in lines)
    want = io.BytesIO()
    ox.serialize([q.triple for q in ox.parse("\n".join(union).encode(), format=ox.RdfFormat.N_TRIPLES)],
                 want, format=ox.RdfFormat.TURTLE, prefixes={"ex": EX})
    with made(sample(), tmp_path, 3) as g:
        got = io.BytesIO()
        g.write_turtle(got, {"ex": EX})
    assert got.getvalue() == want.getvalue()


def test_the_order_lines_come_in_does_not_matter(tmp_path):
    rng = random.Random(7)
    graphs = {f"{EX}g/{i}": [line(f"s{rng.randrange(40)}", "p", f'"{rng.randrange(5)}"') for _ in range(30)]
              for i in range(6)}
    outs = []
    for seed, run_lines in ((None, 10_000), (1, 7), (2, 1)):
        with made(graphs, tmp_path, run_lines, shuffle=seed) as g:
            outs.append((g.nquads(), g.graph_stats()))
    assert outs[0] == outs[1] == outs[2]
    assert outs[0][1] == {k: (_digest(v), len(v)) for k, v in expected(graphs).items()}


def test_a_graph_left_empty_is_not_listed(tmp_path):
    graphs = {f"{EX}g/a": [line("x", "p", '"1"')], f"{EX}g/b": [line("x", "p", '"1"')]}
    with made(graphs, tmp_path, 10) as g:
        assert set(g.graph_stats()) == {SHARED}
        assert g.lines_of([f"{EX}g/a"]) == {f"{EX}g/a": []}


def test_without_a_shared_graph_nothing_is_shared_and_nothing_is_moved(tmp_path):
    g = Graphs(tmp_path)
    g.add(g.number(f"{EX}g/a"), [line("x", "p", '"1"')])
    g.finish()
    with g:
        assert g.graph_stats() == {f"{EX}g/a": (_digest([line("x", "p", '"1"')]), 1)}


def test_files_are_removed_on_close_and_reading_after_says_so(tmp_path):
    g = made(sample(), tmp_path, 2)
    spill = g.dir
    assert spill.parent == tmp_path and spill.name.startswith("spill-") and any(spill.iterdir())
    g.close()
    assert not spill.exists()
    with pytest.raises(RuntimeError, match="closed"):
        g.nquads()
    assert g.net.nodes == {}          # the figures and parts stay


def test_files_go_when_the_graphs_are_collected(tmp_path):
    import gc

    g = made(sample(), tmp_path, 2)
    spill = g.dir
    del g
    gc.collect()
    assert not spill.exists()


def test_no_lines_after_finish_and_no_reading_before(tmp_path):
    g = Graphs(tmp_path)
    a = g.number(f"{EX}g/a")
    assert g.number(f"{EX}g/a") == a and g.names == [f"{EX}g/a"]
    with pytest.raises(RuntimeError, match="finish"):
        g.graph_stats()
    g.add(a, [line("x", "p", '"1"')])
    g.finish(shared=SHARED)
    g.finish(shared=SHARED)           # a second call changes nothing
    with pytest.raises(RuntimeError, match="finished"):
        g.add(a, [line("y", "p", '"1"')])
    assert g.triples == 1
    g.close()


def test_a_spill_folder_that_cannot_be_made_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        Graphs(tmp_path / "missing" / "deeper")
