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

Read-only unless ``allow_update``: updates get 403. Every query runs under a
time bound and a row cap (``X-KG-Truncated: true`` marks a cut result). The
server reopens the store when a build rewrites it, so it need not restart.
"""
from __future__ import annotations

import html
import json
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.errors import QueryError, StoreError
from kg.store.base import QueryOutcome, QueryTimeout
from kg.store.embedded import EmbeddedBackend

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
MAX_BODY = 10 * 1024 * 1024

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
    out_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    allow_update: bool = False
    in_memory: bool = False


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
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.backend = EmbeddedBackend.open(config.out_dir, read_only=not config.allow_update,
                                            in_memory=config.in_memory)
        self.update_lock = threading.Lock()
        super().__init__((config.host, config.port), SparqlHandler)

    def server_close(self) -> None:
        super().server_close()
        self.backend.close()


class SparqlHandler(BaseHTTPRequestHandler):
    server: KGServer
    server_version = "kg-serve/0.1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - stdlib signature
        if getattr(self.server, "quiet", False):
            return
        super().log_message(format, *args)

    # ----------------------------------------------------------- plumbing

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _params(self) -> tuple[dict[str, list[str]], str | None, str | None]:
        """Query-string and form parameters, plus a direct query/update body."""
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        direct_query = direct_update = None
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length).decode("utf-8", "replace")
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
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/", "/index.html", "/graph.html"):
            return self._viewer()
        if path == "/sparql":
            return self._sparql()
        self._error(HTTPStatus.NOT_FOUND, f"no page at {path}; the SPARQL endpoint is /sparql")

    def do_POST(self) -> None:
        if urllib.parse.urlsplit(self.path).path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, "POST queries to /sparql")
        self._sparql()

    def _viewer(self) -> None:
        page = self.server.config.out_dir / "graph.html"
        if page.is_file():
            return self._send(HTTPStatus.OK, page.read_bytes(), "text/html; charset=utf-8")
        self._send(HTTPStatus.OK, _index_page(self.server.config).encode("utf-8"), "text/html; charset=utf-8")

    def _sparql(self) -> None:
        try:
            params, direct_query, direct_update = self._params()
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
                                      "text/html; charset=utf-8")
                raise HTTPError(HTTPStatus.BAD_REQUEST, "missing the `query` parameter, e.g. "
                                                        "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%2010")
            self._query(queries[0], params)
        except HTTPError as err:
            self._error(err.status, err.message)
        except QueryTimeout as err:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(err))
        except QueryError as err:
            self._error(HTTPStatus.BAD_REQUEST, str(err))
        except StoreError as err:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        cfg = self.server.config
        backend = self.server.backend
        backend.refresh()
        kwargs = {"max_rows": cfg.max_rows, "timeout": cfg.timeout,
                  "default_graph_uris": params.get("default-graph-uri") or None,
                  "named_graph_uris": params.get("named-graph-uri") or None}
        try:
            outcome = backend.query(sparql, **kwargs)
        except StoreError:
            # a build may have swapped the store directory under us: reopen once and retry
            if not backend.refresh(force=True):
                raise
            outcome = backend.query(sparql, **kwargs)
        fmt = (params.get("format") or params.get("output") or [None])[0]
        name = negotiate(outcome.kind, self.headers.get("Accept") or "", fmt)
        ctype, body = render(outcome, name)
        extra = {"X-KG-Truncated": "true"} if outcome.truncated else {}
        self._send(HTTPStatus.OK, body, ctype, extra)

    def _update(self, sparql: str) -> None:
        if not self.server.config.allow_update:
            raise HTTPError(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start it with "
                                                  "`kg serve DIR --allow-update` to accept updates")
        with self.server.update_lock:
            self.server.backend.update(sparql)
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
