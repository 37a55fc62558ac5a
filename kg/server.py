"""``kg serve DIR``: a SPARQL 1.1 Protocol endpoint and the HTML viewer.

Standard-library ``http.server`` (ThreadingHTTPServer) around the embedded
store, so serving needs nothing beyond what a build already installed.

* ``/sparql``: GET ``?query=``, POST form (``query=`` / ``update=``) or POST
  ``application/sparql-query`` / ``application/sparql-update``. Results by
  content negotiation: SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT and
  DESCRIBE as Turtle (default), N-Triples, RDF/XML or JSON-LD. A ``format``
  parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``...) overrides
  the Accept header, as many clients send one.
* ``/``: ``DIR/graph.html`` when a build wrote it, else a page with a query form.

Read-only unless ``allow_update``: updates get 403; with it, updates need
the bearer token printed at start (or taken from ``--token-env``), so a web
page cannot post one. Every query runs under a time bound and a row cap
(``X-KG-Truncated: true`` marks a cut result). The server reopens the store
when a build rewrites it, so it need not restart.

What a hostile request cannot do (see ``tests/robustness``):

* crash the process: queries are checked for size and nesting before the
  parser sees them (:mod:`kg.store.limits`), and run in worker processes
  (:mod:`kg.store.pool`) that are killed at the deadline and capped in memory;
* make the server fetch from other hosts: ``SERVICE`` and ``LOAD`` are refused
  unless the host is listed with ``--allow-service`` / ``--allow-load``;
* hold a thread: each connection has a socket timeout (408 for a slow body),
  a malformed ``Content-Length`` or graph IRI is a 400, the listen backlog is 1024;
* read answers from a browser page: no CORS unless ``--cors ORIGIN``, and the
  ``Host`` header of a loopback server must name loopback (DNS rebinding).
"""
from __future__ import annotations

import hmac
import html
import json
import os
import re
import secrets
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.errors import QueryError, StoreError
from kg.store.base import QueryOutcome, QueryTimeout
from kg.store.embedded import EmbeddedBackend
from kg.store.limits import QueryRefused, check_query, check_update
from kg.store.pool import DEFAULT_MEMORY_MB, QueryPool

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
MAX_BODY = 10 * 1024 * 1024
DEFAULT_CONN_TIMEOUT = 20.0
DEFAULT_MAX_CONNECTIONS = 512
#: pending connections the kernel keeps before refusing (the stdlib default is 5)
LISTEN_BACKLOG = 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: CSP for pages the server writes itself; graph.html brings its own (sent as a header too)
INDEX_CSP = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
             "frame-ancestors 'none'")
_META_CSP = re.compile(rb'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.I)

#: Media types for SELECT/ASK results: format name -> (media type, pyoxigraph name)
RESULT_TYPES = {
    "json": ("application/sparql-results+json", "JSON"),
    "xml": ("application/sparql-results+xml", "XML"),
    "csv": ("text/csv", "CSV"),
    "tsv": ("text/tab-separated-values", "TSV"),
}
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
#: Media types for CONSTRUCT/DESCRIBE results
GRAPH_TYPES = {
    "turtle": ("text/turtle", "TURTLE"),
    "ntriples": ("application/n-triples", "N_TRIPLES"),
    "rdfxml": ("application/rdf+xml", "RDF_XML"),
    "jsonld": ("application/ld+json", "JSON_LD"),
}
GRAPH_ALIASES = {"text/plain": "ntriples", "application/json": "jsonld", "application/xml": "rdfxml",
                 "text/n3": "turtle", "application/x-turtle": "turtle"}
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples", "rdfxml": "rdfxml",
                "rdf": "rdfxml", "jsonld": "jsonld", "json-ld": "jsonld"}


@dataclass
class ServerConfig:
    """How ``kg serve`` runs; the defaults are the safe ones (loopback, read-only,
    no federation, no CORS)."""

    out_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    allow_update: bool = False
    in_memory: bool = False
    #: origins that may read answers from a browser (``--cors``); "*" for any
    cors: tuple[str, ...] = ()
    #: hosts ``SERVICE <...>`` may reach / ``LOAD <...>`` may fetch from; none by default
    allow_service: tuple[str, ...] = ()
    allow_load: tuple[str, ...] = ()
    #: the bearer token updates need with ``allow_update``; made at start when None
    token: str | None = None
    #: query worker processes (killed at the deadline); 0 runs queries in the server process
    workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 2))
    #: address space per query worker, in MB
    max_memory_mb: int | None = DEFAULT_MEMORY_MB
    #: seconds a connection may take to send a request, or sit idle between requests
    conn_timeout: float = DEFAULT_CONN_TIMEOUT
    #: open connections served at once (a thread each); more get a 503 at once
    max_connections: int = DEFAULT_MAX_CONNECTIONS


class HTTPError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _accepted(header: str) -> list[str]:
    """Media types from an Accept header, best first (stable for equal q)."""
    items = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, fields[0].lower()))
    return [m for _, _, m in sorted(items)]


def negotiate(kind: str, accept: str, fmt: str | None) -> str:
    """The output format name for a result ``kind`` ("bindings"/"boolean"/"graph")."""
    table, aliases = (GRAPH_TYPES, GRAPH_ALIASES) if kind == "graph" else (RESULT_TYPES, RESULT_ALIASES)
    default = "turtle" if kind == "graph" else "json"
    if fmt:
        name = FORMAT_PARAM.get(fmt.lower())
        if name in table:
            return name
        media = fmt.lower()
        for key, (mt, _) in table.items():
            if mt == media:
                return key
        if media in aliases:
            return aliases[media]
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"format {fmt!r} is not available for this query; "
                                                f"choose one of {', '.join(table)}")
    for media in _accepted(accept or "*/*"):
        for key, (mt, _) in table.items():
            if media == mt:
                return key
        if media in aliases:
            return aliases[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def render(outcome: QueryOutcome, name: str) -> tuple[str, bytes]:
    """Serialise a result as ``name``; returns (content type, body)."""
    import pyoxigraph as ox

    if outcome.kind == "graph":
        media, ox_name = GRAPH_TYPES[name]
        triples = [q.triple for q in ox.parse(outcome.ntriples, format=ox.RdfFormat.N_TRIPLES)] \
            if outcome.ntriples else []
        if name == "ntriples":
            body = outcome.ntriples
        else:
            from kg.rdf import PREFIXES
            prefixes = {p: ns for p, ns in PREFIXES.items() if p != "kgd"} if name in ("turtle", "rdfxml") else None
            body = ox.serialize(triples, format=getattr(ox.RdfFormat, ox_name), prefixes=prefixes) or b""
        return f"{media}; charset=utf-8", body
    media, ox_name = RESULT_TYPES[name]
    data = json.dumps(outcome.to_json(), ensure_ascii=False).encode("utf-8")
    if name != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = parsed.serialize(format=getattr(ox.QueryResultsFormat, ox_name))
    return f"{media}; charset=utf-8", data


class KGServer(ThreadingHTTPServer):
    """A thread per connection, a real listen backlog, queries in killable workers."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        if config.allow_update and config.in_memory:
            raise StoreError("an in-memory copy cannot take updates; drop --in-memory or --allow-update")
        if config.allow_update and not config.token:
            config.token = secrets.token_urlsafe(24)
        # with workers, the server's own handle is for updates and start-up checks only:
        # an in-memory copy lives in each worker, not here
        here_in_memory = config.in_memory and config.workers <= 0
        self.backend = EmbeddedBackend.open(config.out_dir, read_only=not config.allow_update,
                                            in_memory=here_in_memory)
        self.backend.allow_service = tuple(config.allow_service)
        self.backend.allow_load = tuple(config.allow_load)
        self.update_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, config.max_connections))
        self.pool: QueryPool | None = None
        try:
            super().__init__((config.host, config.port), SparqlHandler)
            if config.workers > 0:
                self.pool = QueryPool(config.out_dir, size=config.workers, in_memory=config.in_memory,
                                      memory_mb=config.max_memory_mb)
                if not config.allow_update:
                    # the workers answer every query; holding the store here would keep the
                    # files of a store a later build replaced on disk until the server stops
                    self.backend.close()
        except BaseException:
            self.backend.close()
            raise
        self.allowed_hosts = _allowed_hosts(config.host, self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, up to ``max_connections``: past that a 503 at once,
        so a flood of idle connections cannot exhaust threads or memory."""
        if not self._slots.acquire(blocking=False):
            body = (f"the server has {self.config.max_connections} open connections; retry "
                    f"later\n").encode("utf-8")
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()
        self.backend.close()


def _allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """Host header values a loopback server answers (None: any, for a server bound to a
    public interface). Why: a page on evil.example whose name is rebound to 127.0.0.1
    reaches a loopback server, but its requests still say ``Host: evil.example``."""
    names = {host.lower().strip("[]")}
    if not (names & LOOPBACK_NAMES or host.startswith("127.")):
        return None
    names |= LOOPBACK_NAMES
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out |= {shown, f"{shown}:{port}"}
    return frozenset(out)


def _check_iris(values: list[str], param: str) -> list[str] | None:
    """``default-graph-uri`` / ``named-graph-uri`` values must be absolute IRIs."""
    if not values:
        return None
    import pyoxigraph as ox

    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as err:
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"{param} {value[:200]!r} is not an absolute IRI: {err}") from None
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"{param} {value[:200]!r} is not an absolute IRI")
    return values


class SparqlHandler(BaseHTTPRequestHandler):
    server: KGServer
    server_version = "kg-serve/0.1"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        # a per-connection socket timeout: a client that sends nothing (or a body
        # slower than this) gets a 408 or is closed, and does not hold a thread forever
        self.timeout = self.server.config.conn_timeout
        self._alarm: threading.Timer | None = None
        super().setup()

    def handle_one_request(self) -> None:
        """One request, whose line, headers and body must all arrive within
        ``conn_timeout`` in total: a socket timeout alone bounds each read, so a
        client trickling a byte every few seconds would hold the thread forever."""
        self._alarm = threading.Timer(self.server.config.conn_timeout, self._too_slow)
        self._alarm.daemon = True
        self._alarm.start()
        try:
            super().handle_one_request()
        finally:
            self._request_arrived()

    def _request_arrived(self) -> None:
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None

    def _too_slow(self) -> None:
        body = f"the request did not arrive within {self.server.config.conn_timeout:g} s\n".encode()
        try:
            self.connection.sendall(b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                    b"Connection: close\r\nContent-Length: " + str(len(body)).encode()
                                    + b"\r\n\r\n" + body)
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - stdlib signature
        if getattr(self.server, "quiet", False):
            return
        super().log_message(format, *args)

    # ----------------------------------------------------------- plumbing

    def _cors_origin(self) -> str | None:
        origin = self.headers.get("Origin")
        allowed = self.server.config.cors
        if not origin or not allowed:
            return None
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        origin = self._cors_origin()
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        if self.close_connection:
            self.send_header("Connection", "close")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)

    def _host_ok(self) -> bool:
        allowed = self.server.allowed_hosts
        host = (self.headers.get("Host") or "").strip().lower()
        if allowed is None or host in allowed:
            return True
        self.close_connection = True
        self._error(HTTPStatus.FORBIDDEN, f"Host {host[:100]!r} is not this server's name; use "
                                          f"http://{self.server.config.host}:{self.server.server_address[1]}/ "
                                          f"(names that only resolve here are refused: DNS rebinding)")
        return False

    def _body(self) -> bytes:
        """The request body, read only with a valid Content-Length and within the socket timeout."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise HTTPError(HTTPStatus.LENGTH_REQUIRED, "chunked request bodies are not supported; "
                                                        "send a Content-Length")
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not raw.isdigit():
            self.close_connection = True
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"Content-Length {raw[:40]!r} is not a byte count")
        length = int(raw)
        if length > MAX_BODY:
            self.close_connection = True
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
        try:
            data = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise HTTPError(HTTPStatus.REQUEST_TIMEOUT, f"the request body did not arrive within "
                                                        f"{self.server.config.conn_timeout:g} s") from None
        if len(data) < length:
            self.close_connection = True
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"the body ended after {len(data)} of {length} bytes")
        return data

    def _params(self) -> tuple[dict[str, list[str]], str | None, str | None]:
        """Query-string and form parameters, plus a direct query/update body."""
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        direct_query = direct_update = None
        if self.command == "POST":
            body = self._body().decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                direct_query = body
            elif ctype == "application/sparql-update":
                direct_update = body
            else:
                raise HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                f"POST {ctype or 'without a Content-Type'} is not supported; send "
                                f"application/x-www-form-urlencoded, application/sparql-query or "
                                f"application/sparql-update")
        return params, direct_query, direct_update

    # ----------------------------------------------------------- routes

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._request_arrived()
        if not self._host_ok():
            return
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/", "/index.html", "/graph.html"):
            return self._viewer()
        if path == "/sparql":
            return self._sparql()
        self._error(HTTPStatus.NOT_FOUND, f"no page at {path}; the SPARQL endpoint is /sparql")

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        if urllib.parse.urlsplit(self.path).path != "/sparql":
            self.close_connection = True
            return self._error(HTTPStatus.NOT_FOUND, "POST queries to /sparql")
        self._sparql()

    def do_OPTIONS(self) -> None:
        """CORS preflight: answered only for origins given with ``--cors``."""
        self._request_arrived()
        if not self._host_ok():
            return
        if not self._cors_origin():
            return self._error(HTTPStatus.FORBIDDEN, "cross-origin requests are not enabled; start the "
                                                     "server with `--cors ORIGIN` to allow them")
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", {
            "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Max-Age": "600",
            "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization"})

    def _viewer(self) -> None:
        page = self.server.config.out_dir / "graph.html"
        try:
            body = page.read_bytes() if page.is_file() else None
        except OSError:
            body = None
        if body is not None:
            m = _META_CSP.search(body[:8192])
            csp = (m.group(1).decode("utf-8", "replace") + "; frame-ancestors 'none'") if m else INDEX_CSP
            return self._send(HTTPStatus.OK, body, "text/html; charset=utf-8", {"Content-Security-Policy": csp})
        self._send(HTTPStatus.OK, _index_page(self.server.config).encode("utf-8"), "text/html; charset=utf-8",
                   {"Content-Security-Policy": INDEX_CSP})

    def _sparql(self) -> None:
        try:
            params, direct_query, direct_update = self._params()
            self._request_arrived()          # the whole request is in: the query has its own deadline
            queries = params.get("query", [])
            updates = params.get("update", [])
            if direct_query is not None:
                queries = [direct_query]
            if direct_update is not None:
                updates = [direct_update]
            if len(queries) + len(updates) > 1:
                raise HTTPError(HTTPStatus.BAD_REQUEST, "give exactly one query or one update")
            if updates:
                if self.command != "POST":
                    raise HTTPError(HTTPStatus.BAD_REQUEST, "updates must be sent with POST")
                return self._update(updates[0])
            if not queries:
                if "text/html" in (self.headers.get("Accept") or ""):
                    return self._send(HTTPStatus.OK, _index_page(self.server.config).encode("utf-8"),
                                      "text/html; charset=utf-8", {"Content-Security-Policy": INDEX_CSP})
                raise HTTPError(HTTPStatus.BAD_REQUEST, "missing the `query` parameter, e.g. "
                                                        "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%2010")
            self._query(queries[0], params)
        except HTTPError as err:
            extra = {"WWW-Authenticate": "Bearer"} if err.status == HTTPStatus.UNAUTHORIZED else None
            self._error(err.status, err.message, extra)
        except QueryTimeout as err:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(err))
        except QueryError as err:
            self._error(HTTPStatus.BAD_REQUEST, str(err))
        except StoreError as err:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as err:      # noqa: BLE001 - one bad request must not drop the connection unanswered
            self.log_error("internal error on %r: %s: %s", self.path[:200], type(err).__name__, err)
            self.close_connection = True
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}: {err}"[:500])

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        cfg = self.server.config
        check_query(sparql, allow_service=cfg.allow_service)
        kwargs = {"max_rows": cfg.max_rows,
                  "default_graph_uris": _check_iris(params.get("default-graph-uri", []), "default-graph-uri"),
                  "named_graph_uris": _check_iris(params.get("named-graph-uri", []), "named-graph-uri")}
        fmt = (params.get("format") or params.get("output") or [None])[0]
        if self.server.pool is not None:
            outcome = self.server.pool.query(sparql, timeout=cfg.timeout, **kwargs)
        else:
            outcome = self._query_here(sparql, kwargs)
        name = negotiate(outcome.kind, self.headers.get("Accept") or "", fmt)
        ctype, body = render(outcome, name)
        extra = {"X-KG-Truncated": "true"} if outcome.truncated else {}
        self._send(HTTPStatus.OK, body, ctype, extra)

    def _query_here(self, sparql: str, kwargs: dict[str, Any]) -> QueryOutcome:
        """In the server process (``workers=0``): a timeout abandons the query but cannot stop it."""
        backend = self.server.backend
        backend.refresh()
        try:
            return backend.query(sparql, timeout=self.server.config.timeout, **kwargs)
        except QueryRefused:
            raise
        except StoreError:
            # a build may have swapped the store directory under us: reopen once and retry
            if not backend.refresh(force=True):
                raise
            return backend.query(sparql, timeout=self.server.config.timeout, **kwargs)

    def _update(self, sparql: str) -> None:
        cfg = self.server.config
        if not cfg.allow_update:
            raise HTTPError(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start it with "
                                                  "`kg serve DIR --allow-update` to accept updates")
        origin = self.headers.get("Origin")
        if origin and not self._cors_origin():
            raise HTTPError(HTTPStatus.FORBIDDEN, f"updates from the web page at {origin[:100]} are refused; "
                                                  f"list it with `--cors ORIGIN` if it is yours")
        auth = self.headers.get("Authorization") or ""
        given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not given or not hmac.compare_digest(given.encode(), (cfg.token or "").encode()):
            raise HTTPError(HTTPStatus.UNAUTHORIZED, "updates need the token `kg serve` printed at start "
                                                     "(or the one in --token-env): send "
                                                     "`Authorization: Bearer TOKEN`")
        check_update(sparql, allow_service=cfg.allow_service, allow_load=cfg.allow_load)
        with self.server.update_lock:
            self.server.backend.update(sparql)
            self.server.backend.store.flush()
            if self.server.pool is not None:
                self.server.pool.generation += 1     # workers reopen the store to see the update
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")


def _index_page(config: ServerConfig) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>kg: {html.escape(str(config.out_dir))}</title></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>Graph: <code>{html.escape(str(config.out_dir))}</code>. No <code>graph.html</code> viewer was built.
The SPARQL 1.1 endpoint is <a href="/sparql">/sparql</a>{' (read-write)' if config.allow_update else ' (read-only)'}.</p>
<form action="/sparql" method="get">
<textarea name="query" rows="10" cols="80">SELECT ?fact ?s ?p ?o ?sentence WHERE {{
  ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        kg:evidence/kg:sentence ?sentence .
}} LIMIT 20</textarea><br>
<select name="format"><option>json</option><option>csv</option><option>tsv</option><option>xml</option></select>
<button type="submit">Run</button>
</form>
</body></html>
"""


def make_server(config: ServerConfig, *, quiet: bool = False) -> KGServer:
    """A bound, not yet running server (port 0 picks a free port: see ``server_address``)."""
    try:
        server = KGServer(config)
    except OSError as err:
        raise StoreError(f"cannot listen on {config.host}:{config.port}: {err.strerror or err}; "
                         f"choose another --port") from err
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def serve(config: ServerConfig, *, ready=None, quiet: bool = False) -> None:
    """Run until interrupted. ``ready(url)`` is called once the socket listens."""
    server = make_server(config, quiet=quiet)
    host, port = server.server_address[:2]
    if ready:
        ready(f"http://{host}:{port}/sparql")
    try:
        server.serve_forever()
    finally:
        server.server_close()
