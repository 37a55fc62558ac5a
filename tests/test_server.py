"""``kg serve``: a SPARQL 1.1 Protocol endpoint standard clients can query.

Servers run on a free localhost port (port 0) in a thread, plus one real
``kg serve`` process; every wait is bounded.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.query import run_query
from kg.server import ServerConfig, make_server, negotiate
from kg.store import EmbeddedBackend, RemoteBackend, save_dataset

from kgsample import mini_dataset
CITY_QUERY = "PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?c WHERE { ?c a kg:City }"


def start(config: ServerConfig):
    server = make_server(config, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, thread, f"http://{host}:{port}"


@pytest.fixture(scope="module")
def mini_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serve")
    save_dataset(mini_dataset(), out)
    return out


@pytest.fixture(scope="module")
def base(mini_dir):
    server, thread, url = start(ServerConfig(mini_dir, port=0, timeout=0.25, max_rows=50))
    yield url
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(url: str, headers: dict | None = None, data: bytes | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def q(base: str, query: str, **params) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query, **params})


def test_binds_localhost_by_default():
    assert ServerConfig(Path(".")).host == "127.0.0.1"


def test_sparqlwrapper_client(base, mini_dir):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(CITY_QUERY)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    local = EmbeddedBackend.open(mini_dir).query(CITY_QUERY)
    assert result["head"]["vars"] == ["c"]
    assert result["results"]["bindings"] == local.rows


def test_rdflib_sparqlstore_client(base):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{base}/sparql", returnFormat="xml")
    g = Graph(store=store)
    rows = list(g.query(CITY_QUERY))
    assert [str(r[0]) for r in rows] == ["https://w3id.org/kg/id/city/changchun"]


@pytest.mark.parametrize("accept, ctype, check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: json.loads(b)["results"]["bindings"][0]["c"]["value"].endswith("changchun")),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("text/csv", "text/csv", lambda b: b.splitlines()[0] == b"c"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines()[0] == b"?c"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv", lambda b: b"changchun" in b),
    ("*/*", "application/sparql-results+json", lambda b: b"changchun" in b),
])
def test_content_negotiation(base, accept, ctype, check):
    status, headers, body = get(q(base, CITY_QUERY), {"Accept": accept})
    assert status == 200
    assert headers["Content-Type"].startswith(ctype)
    assert check(body)


def test_format_parameter_overrides_accept(base):
    status, headers, body = get(q(base, CITY_QUERY, format="csv"), {"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_post_form_and_direct_query(base):
    form = urllib.parse.urlencode({"query": CITY_QUERY}).encode()
    status, _, body = get(f"{base}/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 200 and b"changchun" in body
    status, _, body = get(f"{base}/sparql", {"Content-Type": "application/sparql-query"}, CITY_QUERY.encode())
    assert status == 200 and b"changchun" in body


def test_construct_returns_turtle(base):
    status, headers, body = get(q(base, "CONSTRUCT { ?c a kg:City } WHERE { ?c a kg:City }"))
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) == 1
    status, headers, body = get(q(base, "CONSTRUCT { ?c a kg:City } WHERE { ?c a kg:City }"),
                                {"Accept": "application/n-triples"})
    assert headers["Content-Type"].startswith("application/n-triples") and body.count(b"\n") == 1


def test_bad_query_is_400_with_position(base):
    status, _, body = get(q(base, "SELECT * WHERE { ?s ?p }"))
    assert status == 400
    assert re.search(rb"line 1, column \d+", body)


def test_bad_requests(base):
    assert get(f"{base}/sparql")[0] == 400
    assert get(f"{base}/nowhere")[0] == 404
    status, _, body = get(f"{base}/sparql", {"Content-Type": "text/plain"}, b"x")
    assert status == 415 and b"application/sparql-query" in body
    status, _, body = get(q(base, CITY_QUERY, format="yaml"))
    assert status == 400 and b"yaml" in body


def test_update_forbidden_when_read_only(base, mini_dir):
    form = urllib.parse.urlencode({"update": "INSERT DATA { <http://x> <http://y> <http://z> }"}).encode()
    status, _, body = get(f"{base}/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 403 and b"--allow-update" in body
    assert not EmbeddedBackend.open(mini_dir).query("ASK { <http://x> ?p ?o }").boolean


def test_row_cap_marks_truncation(base):
    status, headers, body = get(q(base, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 200 and headers["X-KG-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_timeout_gives_503(base):
    # about 0.8 s of work here: over the bound, yet short enough not to keep a core busy for long
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a ?t }"
    started = time.monotonic()
    status, _, body = get(q(base, slow), {"Accept": "text/csv"})
    assert status == 503 and b"longer than 0.25 s" in body
    assert time.monotonic() - started < 10


def test_viewer_page(base, mini_dir):
    status, headers, body = get(f"{base}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'href="/sparql"' in body
    (mini_dir / "graph.html").write_text("<html><body>the viewer</body></html>")
    try:
        assert get(f"{base}/")[2] == b"<html><body>the viewer</body></html>"
    finally:
        (mini_dir / "graph.html").unlink()


def test_negotiate_defaults():
    assert negotiate("bindings", "", None) == "json"
    assert negotiate("graph", "", None) == "turtle"
    assert negotiate("boolean", "application/sparql-results+xml", None) == "xml"


def test_remote_backend_matches_embedded(base, mini_dir):
    """The contract: the same canned query gives the same rows on both backends."""
    local = EmbeddedBackend.open(mini_dir)
    remote = RemoteBackend(f"{base}/sparql")
    for name, params in (("hosts", None), ("entity", {"entity": ["Huawei"]}), ("investments", None)):
        a = run_query(local, named=name, params=params)
        b = run_query(remote, named=name, params=params)
        assert a.variables == b.variables and a.rows == b.rows, name
    assert remote.query("ASK { ?c a kg:City }").boolean is True


def test_allow_update_and_reopen_after_rebuild(tmp_path):
    save_dataset(mini_dataset(), tmp_path)
    server, thread, url = start(ServerConfig(tmp_path, port=0, allow_update=True, token="t0k"))
    try:
        form = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <http://g> { <http://x> <http://y> 1 } }"})
        status, _, _ = get(f"{url}/sparql", {"Content-Type": "application/x-www-form-urlencoded",
                                             "Authorization": "Bearer t0k"}, form.encode())
        assert status == 204
        status, _, body = get(q(url, "ASK { <http://x> <http://y> 1 }"))
        assert json.loads(body)["boolean"] is True
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    # a read-only server sees a rebuild without a restart
    server, thread, url = start(ServerConfig(tmp_path, port=0))
    try:
        assert json.loads(get(q(url, "ASK { <http://x> <http://y> 1 }"))[2])["boolean"] is True
        time.sleep(0.02)       # a distinct manifest mtime
        save_dataset(mini_dataset(), tmp_path)       # drops the stray graph
        assert json.loads(get(q(url, "ASK { <http://x> <http://y> 1 }"))[2])["boolean"] is False
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_kg_serve_process(mini_dir):
    """The real command: starts, prints its URL, answers, stops on terminate."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(mini_dir), "--port", "0", "--quiet"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "http://" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
        assert m, f"no URL in {line!r}"
        status, _, body = get(m.group(1) + "?" + urllib.parse.urlencode({"query": CITY_QUERY}))
        assert status == 200 and b"changchun" in body
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_help():
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    for flag in ("--host", "--port", "--timeout", "--allow-update", "--max-rows"):
        assert flag in proc.stdout


def test_serve_missing_store_exits_nonzero(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "kg build" in proc.stderr


def test_in_memory_server_answers_like_disk_and_follows_rebuilds(tmp_path):
    save_dataset(mini_dataset(), tmp_path)
    server, thread, url = start(ServerConfig(tmp_path, port=0, in_memory=True))
    try:
        status, _, body = get(q(url, CITY_QUERY))
        assert status == 200
        assert json.loads(body)["results"]["bindings"] == EmbeddedBackend.open(tmp_path).query(CITY_QUERY).rows
        ds = mini_dataset()
        ds.remove_graph(ds.graph(URIRef("https://w3id.org/kg/id/graph/article/a1")))
        time.sleep(0.02)
        save_dataset(ds, tmp_path)
        ask = "ASK { GRAPH <https://w3id.org/kg/id/graph/article/a1> { ?s ?p ?o } }"
        assert json.loads(get(q(url, ask))[2])["boolean"] is False
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_full_rebuild_while_serving(tmp_path):
    """A build that swaps in a fresh store directory does not break a running server."""
    from kg.store import sync_store

    save_dataset(mini_dataset(), tmp_path)
    server, thread, url = start(ServerConfig(tmp_path, port=0))
    try:
        assert get(q(url, CITY_QUERY))[0] == 200
        ds = mini_dataset()
        ds.remove_graph(ds.graph(URIRef("https://w3id.org/kg/id/graph/article/a1")))
        time.sleep(0.02)
        assert sync_store(ds.serialize(format="nquads", encoding="utf-8"), tmp_path, max_incremental=-1).mode == "full"
        status, _, body = get(q(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        assert status == 200
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == \
            int(EmbeddedBackend.open(tmp_path).query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
                .rows[0]["n"]["value"])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
