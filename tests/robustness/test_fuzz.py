"""Property-based fuzzing (Hypothesis, bounded in examples and time) of the readers
and of the endpoint's request handling: whatever comes in, a reader yields an
``Article`` or a ``Skipped`` and the server answers with a 4xx/2xx, never a
dropped connection, a 500 or a dead process."""
from __future__ import annotations

import re
import threading
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.corpus import READERS, parse_jsonl_line, read_file
from kg.model import Article, Skipped
from kg.server import ServerConfig, make_server
from kg.store import save_dataset
from kgsample import mini_dataset
from servehelp import raw

FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

markup = st.text(alphabet=st.sampled_from(list("<>/ divpah1=\"'&;#{}[]()$*_`\n\t\\") + ["é", "中", "\u2028"]),
                 max_size=400)
anything = st.one_of(st.text(max_size=400), markup)


def check(items: list) -> None:
    for item in items:
        assert isinstance(item, (Article, Skipped))
        if isinstance(item, Article):
            assert item.text.strip()
            item.content_hash            # every field encodes as UTF-8


@FUZZ
@given(text=anything, ext=st.sampled_from(sorted(READERS)))
def test_readers_never_raise(tmp_path_factory, text, ext):
    f = tmp_path_factory.mktemp("fuzz") / f"f{ext}"
    f.write_text(text, encoding="utf-8")
    check(list(read_file(f)))


@FUZZ
@given(data=st.binary(max_size=600), ext=st.sampled_from(sorted(READERS)))
def test_files_of_any_bytes_never_raise(tmp_path_factory, data, ext):
    f = tmp_path_factory.mktemp("fuzz") / f"f{ext}"
    f.write_bytes(data)
    check(list(read_file(f)))


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=4),
                          max_leaves=20)


@FUZZ
@given(record=st.dictionaries(st.sampled_from(["text", "title", "date", "url", "id", "x"]), json_value))
def test_jsonl_records_never_raise(record):
    import json

    check([parse_jsonl_line(Path("f.jsonl"), 1, json.dumps(record))])


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz-serve")
    save_dataset(mini_dataset(), out)
    server = make_server(ServerConfig(out, port=0, workers=0, timeout=2, conn_timeout=2), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(5)


sparqlish = st.lists(st.sampled_from(list("{}()[]<>?$:\"'#.;,*+- \n") +
                                     ["SELECT", "ASK", "WHERE", "SERVICE", "BIND", "FILTER", "GRAPH", "{" * 80,
                                      "(" * 80, "http://x/", "kg:City", "?s", "LIMIT 1", "\ud800", "é"]),
                     max_size=60).map("".join)
ANSWERS = re.compile(rb"^HTTP/1\.[01] (200|204|400|403|404|405|408|411|413|415|501|503) ")


@FUZZ
@given(query=sparqlish, dgu=st.one_of(st.none(), st.text(max_size=30)),
       fmt=st.one_of(st.none(), st.text(max_size=10)), accept=st.text(max_size=40))
def test_endpoint_get_requests_are_answered(fuzz_server, query, dgu, fmt, accept):
    params = {"query": query}
    if dgu is not None:
        params["default-graph-uri"] = dgu
    if fmt is not None:
        params["format"] = fmt
    qs = urllib.parse.urlencode(params, errors="surrogatepass")
    accept_header = accept.encode("latin-1", "replace").replace(b"\r", b"").replace(b"\n", b"")
    reply = raw(fuzz_server, b"GET /sparql?" + qs.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                + accept_header + b"\r\nConnection: close\r\n\r\n")
    assert ANSWERS.match(reply), reply[:300]


@FUZZ
@given(body=st.binary(max_size=300), length=st.one_of(st.integers(-5, 400).map(str), st.text(max_size=6)),
       ctype=st.sampled_from(["application/sparql-query", "application/sparql-update",
                              "application/x-www-form-urlencoded", "text/plain", ""]))
def test_endpoint_post_requests_are_answered(fuzz_server, body, length, ctype):
    length = "".join(ch for ch in length if ch not in "\r\n")
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n")
    reply = raw(fuzz_server, head.encode("utf-8", "surrogateescape") + body, timeout=10, half_close=True)
    assert ANSWERS.match(reply), reply[:300]
