"""``kg push``: load the graph into a real Graph Store Protocol server
(``oxigraph serve`` from the ``oxigraph`` package, started here on a free
localhost port and stopped at teardown), then query it back and compare."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import StoreError
from kg.push import MANIFEST_GRAPH, GraphStoreClient, credentials_from_env, push
from kg.query import run_query
from kg.store import EmbeddedBackend, RemoteBackend, open_store, save_dataset
from kg.store.remote import basic_auth_header
from kg.vocab import DATA

from kgsample import mini_dataset
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def oxigraph_exe() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip("the oxigraph server (pip package `oxigraph`) is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server: yields its base URL."""
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    # --union-default-graph: the canned queries read the union of the article graphs, as
    # GraphDB and Virtuoso do by default (Fuseki: tdb2:unionDefaultGraph true)
    proc = subprocess.Popen([oxigraph_exe(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
            break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()[-500:]}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def remote_quads(base: str, *, skip_manifest: bool = True) -> set[tuple[str, ...]]:
    out = RemoteBackend(f"{base}/query").query(ALL_QUADS)
    return {tuple(_nt(row[v]) for v in ("g", "s", "p", "o")) for row in out.rows
            if not (skip_manifest and row["g"]["value"] == MANIFEST_GRAPH)}


def local_quads(out_dir: Path) -> set[tuple[str, ...]]:
    return {(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
            for q in open_store(out_dir).quads_for_pattern(None, None, None, None)}


def _nt(term: dict) -> str:
    from kg.query import term_ntriples

    text = term_ntriples(term)
    if term["type"] == "literal":        # print it the way pyoxigraph does
        lit = ox.Literal(term["value"], language=term.get("xml:lang"),
                         datatype=ox.NamedNode(term["datatype"]) if "datatype" in term else None)
        return str(lit)
    return text


def test_push_then_query_back(oxigraph_server, tmp_path):
    save_dataset(mini_dataset(), tmp_path)
    report = push(tmp_path, f"{oxigraph_server}/store")
    assert report.graphs == len(list(open_store(tmp_path).named_graphs()))
    assert remote_quads(oxigraph_server) == local_quads(tmp_path)
    # and the canned queries give the same answers there as here
    local, remote = EmbeddedBackend.open(tmp_path), RemoteBackend(f"{oxigraph_server}/query")
    for name in ("hosts", "people", "investments", "provinces"):
        assert run_query(local, named=name).rows == run_query(remote, named=name).rows, name


def test_second_push_replaces_graphs_and_deletes_stale_ones(oxigraph_server, tmp_path):
    save_dataset(mini_dataset(), tmp_path)
    push(tmp_path, f"{oxigraph_server}/store")
    # someone else's graph on the same server must survive our pushes
    other = "http://example.org/someone-else"
    GraphStoreClient(f"{oxigraph_server}/store").put(other, b'<http://example.org/a> <http://example.org/b> "1" .\n')

    ds = mini_dataset()
    a3 = DATA["graph/article/a3"]
    ds.remove_graph(ds.graph(a3))
    ds.graph(DATA["graph/article/a2"]).remove((None, None, None))   # a2 emptied: its graph is gone too
    save_dataset(ds, tmp_path)
    report = push(tmp_path, f"{oxigraph_server}/store")
    assert set(report.deleted) == {str(a3), str(DATA["graph/article/a2"])}
    remote = remote_quads(oxigraph_server)
    assert {q for q in remote if q[0] != f"<{other}>"} == local_quads(tmp_path)
    assert any(q[0] == f"<{other}>" for q in remote)


def test_cli_push_and_query_endpoint(oxigraph_server, tmp_path, capsys, monkeypatch):
    save_dataset(mini_dataset(), tmp_path)
    monkeypatch.setenv("KG_TEST_AUTH", "alice:s3cret")   # oxigraph ignores it; the header is still sent
    assert main(["push", str(tmp_path), "--endpoint", f"{oxigraph_server}/store", "--auth", "KG_TEST_AUTH"]) == 0
    assert "pushed" in capsys.readouterr().out
    assert main(["query", "--endpoint", f"{oxigraph_server}/query",
                 "SELECT ?l WHERE { ?c a kg:City ; rdfs:label ?l }", "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["l", "Changchun"]


def test_auth_comes_from_environment_only(monkeypatch):
    monkeypatch.delenv("KG_NO_SUCH_VAR", raising=False)
    with pytest.raises(StoreError, match="KG_NO_SUCH_VAR is not set"):
        credentials_from_env("KG_NO_SUCH_VAR")
    monkeypatch.setenv("KG_BAD", "nocolon")
    with pytest.raises(StoreError, match="USER:PASSWORD"):
        credentials_from_env("KG_BAD")
    assert basic_auth_header("alice:s3cret") == "Basic YWxpY2U6czNjcmV0"
    assert credentials_from_env(None) is None


def test_push_errors_are_clear(tmp_path):
    save_dataset(mini_dataset(), tmp_path)
    with pytest.raises(StoreError, match="not an http"):
        push(tmp_path, "ftp://example.org/store")
    with pytest.raises(StoreError, match="cannot reach"):
        push(tmp_path, f"http://127.0.0.1:{free_port()}/store", timeout=5)


def test_push_help():
    proc = subprocess.run([sys.executable, "-m", "kg", "push", "--help"], capture_output=True, text=True,
                          timeout=60, env={**os.environ})
    assert proc.returncode == 0
    assert "--endpoint" in proc.stdout and "--auth" in proc.stdout and "ENVVAR" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "kg", "push", "x"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "--endpoint" in proc.stderr


def test_pushed_seed_build_gives_the_rows_of_graph_ttl(oxigraph_server, seed_build):
    """After a push to a server whose default graph is the union of the named graphs,
    queries give the rows ``graph.ttl`` gives: no triple is pushed in two graphs."""
    from test_union_rows import QUERIES, rows

    _, out = seed_build
    push(out, f"{oxigraph_server}/store")
    ref = ox.Store()
    ref.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    local, remote = EmbeddedBackend(ref), RemoteBackend(f"{oxigraph_server}/query")
    for name in ("readme", "labels", "investments"):
        assert rows(remote, sparql=QUERIES[name]) == rows(local, sparql=QUERIES[name]), name
    params = {"entity": ["Changchun"]}
    assert rows(remote, named="entity", params=params) == rows(local, named="entity", params=params)
    # every triple once: our named graphs (not the push manifest, not the graph another test
    # left on this server) hold as many triples as graph.ttl
    graphs = " ".join(f"<{g.value}>" for g in open_store(out).named_graphs())
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    assert rows(remote, sparql=count) == rows(local, sparql=QUERIES["count"])
