"""``kg query --endpoint`` and ``kg push`` against servers that misbehave.

A small stdlib server here plays the hostile endpoint: it redirects to a
second origin that records what it was sent, trickles replies, sends
oversized or malformed results.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.errors import QueryError, StoreError
from kg.push import GraphStoreClient
from kg.store import RemoteBackend

MALFORMED = {
    "no-value": {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri"}}]}},
    "bindings-dict": {"head": {"vars": ["x"]}, "results": {"bindings": {"x": 1}}},
    "no-results": {"head": {"vars": ["x"]}},
    "row-list": {"head": {"vars": ["x"]}, "results": {"bindings": [[1, 2]]}},
    "boolean-str": {"head": {}, "boolean": "yes"},
    "top-list": [1, 2, 3],
}


class Hostile(BaseHTTPRequestHandler):
    seen: list[dict] = []       # headers the "other" origin received
    other = ""                  # base URL of the other origin

    def log_message(self, *args):
        pass

    def _reply(self, body: bytes, ctype: str = "application/sparql-results+json", status: int = 200,
               length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?")[0]
        if path.startswith("/other"):
            Hostile.seen.append(dict(self.headers))
            return self._reply(b'{"head": {}, "boolean": true}')
        if path == "/redirect":
            self.send_response(303 if self.command == "POST" else 302)
            self.send_header("Location", f"{Hostile.other}/other/sparql")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            try:
                for ch in b'{"head": {}, "boolean": true}' * 100:
                    self.wfile.write(bytes([ch]))
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return None
        if path == "/slow-headers":
            try:
                for ch in b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 100:
                    self.wfile.write(bytes([ch]))
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
            return None
        if path == "/big":
            body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b'{"x": {"type": "uri", "value": "http://x"}},' * 100_000
            return self._reply(body + b'{}]}}')
        if path == "/deep":
            return self._reply(b"[" * 100_000 + b"]" * 100_000)
        if path.startswith("/json/"):
            return self._reply(json.dumps(MALFORMED[path[6:]]).encode())
        if path == "/echo-secret":
            return self._reply(self.headers.get("Authorization", "").encode(), "text/plain", status=500)
        return self._reply(b"no", "text/plain", 404)

    do_GET = do_POST = do_PUT = do_DELETE = _route


@pytest.fixture(scope="module")
def hostile():
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Hostile) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    base = f"http://127.0.0.1:{servers[0].server_address[1]}"
    Hostile.other = f"http://localhost:{servers[1].server_address[1]}"
    yield base
    for s in servers:
        s.shutdown()
        s.server_close()


def test_query_does_not_send_credentials_to_another_host(hostile):
    Hostile.seen = []
    outcome = RemoteBackend(f"{hostile}/redirect", credentials="ann:hunter22").query("ASK {}")
    assert outcome.boolean is True
    assert Hostile.seen and all("Authorization" not in h for h in Hostile.seen)


def test_push_does_not_send_credentials_to_another_host(hostile):
    Hostile.seen = []
    GraphStoreClient(f"{hostile}/redirect", credentials="ann:hunter22").get("http://g")
    assert Hostile.seen and all("Authorization" not in h for h in Hostile.seen)


def test_same_origin_redirect_keeps_credentials(hostile):
    Hostile.seen = []
    Hostile.other, saved = hostile, Hostile.other
    try:
        RemoteBackend(f"{hostile}/redirect", credentials="ann:hunter22").query("ASK {}")
    finally:
        Hostile.other = saved
    assert Hostile.seen and all("Authorization" in h for h in Hostile.seen)


def test_credentials_never_in_messages(hostile):
    for make in (lambda: RemoteBackend("http://ann:hunter22@127.0.0.1:1/sparql").query("ASK {}"),
                 lambda: RemoteBackend(f"{hostile}/echo-secret", credentials="ann:hunter22").query("ASK {}"),
                 lambda: GraphStoreClient("http://ann:hunter22@127.0.0.1:1/store").get(None),
                 lambda: GraphStoreClient(f"{hostile}/echo-secret", credentials="ann:hunter22").get(None)):
        with pytest.raises((QueryError, StoreError)) as info:
            make()
        assert "hunter22" not in str(info.value) and "YW5uOmh1bnRlcjIy" not in str(info.value)
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "--endpoint",
                           "http://ann:hunter22@127.0.0.1:1/sparql", "ASK {}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "hunter22" not in proc.stderr and "127.0.0.1:1/sparql" in proc.stderr


def test_timeout_is_a_total_deadline(hostile):
    started = time.monotonic()
    with pytest.raises(QueryError, match="in time"):
        RemoteBackend(f"{hostile}/slow").query("ASK {}", timeout=1.5)
    assert time.monotonic() - started < 4


def test_timeout_covers_trickled_headers(hostile):
    started = time.monotonic()
    with pytest.raises(QueryError, match="within 1.5 s"):
        RemoteBackend(f"{hostile}/slow-headers").query("ASK {}", timeout=1.5)
    assert time.monotonic() - started < 4


def test_reply_size_is_capped(hostile):
    with pytest.raises(QueryError, match="more than 1,000,000 bytes|at most 1,000,000 bytes"):
        RemoteBackend(f"{hostile}/big", max_bytes=1_000_000).query("SELECT * {}", max_rows=5)


@pytest.mark.parametrize("case", [*MALFORMED, "deep"])
def test_malformed_results_are_one_line_errors(hostile, case):
    url = f"{hostile}/deep" if case == "deep" else f"{hostile}/json/{case}"
    with pytest.raises(QueryError, match="malformed SPARQL results") as info:
        RemoteBackend(url).query("SELECT * {}")
    assert "\n" not in str(info.value)


def test_cli_reports_malformed_results_in_one_line(hostile):
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "--endpoint", f"{hostile}/json/no-value",
                           "SELECT * {}"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "malformed" in proc.stderr
