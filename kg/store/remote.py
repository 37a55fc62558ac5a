"""A remote SPARQL 1.1 Protocol endpoint as a backend (``kg query --endpoint``).

Plain ``urllib`` (through :mod:`kg.store.transport`, which bounds each
request in time and size and keeps credentials to their origin): the
protocol is one POST, and a dependency would buy nothing. Queries are sent
as ``application/x-www-form-urlencoded`` POSTs, which every endpoint accepts
(Fuseki, GraphDB, Virtuoso, Oxigraph, ``kg serve``).

A reply is not trusted: results JSON of the wrong shape, nested too deep or
too large is a one-line :class:`QueryError`, never a traceback.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from kg.errors import QueryError
from kg.store import transport
from kg.store.base import QueryOutcome

ACCEPT = ("application/sparql-results+json, application/json;q=0.9, "
          "application/n-triples;q=0.8, text/turtle;q=0.7")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def add_prefix_declarations(sparql: str, prefixes: dict[str, str]) -> str:
    """Declare the kg prefixes a query uses but does not declare itself, on
    one leading line, so queries written for the embedded store (which knows
    the prefixes) also run on endpoints that do not."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(sparql)}
    used = [p for p in prefixes if p not in declared and re.search(rf"(?<![\w:<]){re.escape(p)}:", sparql)]
    if not used:
        return sparql
    return " ".join(f"PREFIX {p}: <{prefixes[p]}>" for p in used) + "\n" + sparql


def basic_auth_header(credentials: str) -> str:
    """``user:password`` -> an HTTP Basic ``Authorization`` header value."""
    if ":" not in credentials:
        raise QueryError("credentials must look like USER:PASSWORD")
    return transport.basic_auth_header(credentials)


class RemoteBackend:
    """SPARQL over HTTP. ``max_rows`` is applied client-side after the endpoint answers;
    ``timeout`` is a deadline for the whole exchange; ``max_bytes`` caps a reply."""

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 credentials: str | None = None, prefixes: dict[str, str] | None = None,
                 max_bytes: int = transport.DEFAULT_MAX_BYTES) -> None:
        endpoint, in_url = transport.split_credentials(endpoint)
        credentials = credentials or in_url
        self._secrets = transport.secrets_of(credentials)
        if not re.match(r"^https?://", endpoint):
            raise QueryError(f"endpoint {self._redact(endpoint)!r} is not an http(s) URL, "
                             f"e.g. http://127.0.0.1:7878/sparql")
        self.endpoint = endpoint
        self.update_endpoint = transport.split_credentials(update_endpoint or endpoint)[0]
        self.auth = basic_auth_header(credentials) if credentials else None
        self.max_bytes = max_bytes
        if prefixes is None:
            from kg.rdf import PREFIXES
            prefixes = dict(PREFIXES)
        self.prefixes = prefixes

    def _redact(self, text: str) -> str:
        return transport.redact(text, self._secrets)

    def close(self) -> None:
        pass

    def _post(self, url: str, form: dict[str, Any], accept: str, timeout: float | None) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form, doseq=True).encode("utf-8")
        try:
            reply = transport.request("POST", url, body=body, auth=self.auth, timeout=timeout or 60,
                                      max_bytes=self.max_bytes, headers={
                                          "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        except transport.TransportError as err:
            if err.status is not None:
                raise QueryError(self._redact(f"{err}: {err.detail or '(no message)'}")) from None
            raise QueryError(self._redact(f"SPARQL endpoint: {err}")) from None
        return reply.content_type, reply.body

    def query(self, sparql: str, *, max_rows: int | None = None, timeout: float | None = None,
              default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None) -> QueryOutcome:
        form: dict[str, Any] = {"query": add_prefix_declarations(sparql, self.prefixes)}
        if default_graph_uris:
            form["default-graph-uri"] = default_graph_uris
        if named_graph_uris:
            form["named-graph-uri"] = named_graph_uris
        ctype, data = self._post(self.endpoint, form, ACCEPT, timeout)
        mime = ctype.split(";")[0].strip().lower()
        if mime in ("application/sparql-results+json", "application/json"):
            outcome = parse_results_json(data, self._redact(self.endpoint))
            if max_rows is not None and len(outcome.rows) > max_rows:
                outcome.rows = outcome.rows[:max_rows]
                outcome.truncated = True
            return outcome
        return QueryOutcome("graph", ntriples=_to_ntriples(data, mime, self._redact(self.endpoint)))

    def update(self, sparql: str) -> None:
        self._post(self.update_endpoint, {"update": add_prefix_declarations(sparql, self.prefixes)},
                   "*/*", None)


_TERM_TYPES = frozenset({"uri", "literal", "bnode", "typed-literal", "triple"})


def parse_results_json(data: bytes, source: str) -> QueryOutcome:
    """SPARQL 1.1 results JSON -> ``QueryOutcome``, checking the shape of every part.

    >>> parse_results_json(b'{"head": {}, "results": {"bindings": {}}}', "ep").rows
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: ep sent malformed SPARQL results: results.bindings is a dict, not a list
    """
    def bad(why: str) -> QueryError:
        return QueryError(f"{source} sent malformed SPARQL results: {why}")

    try:
        doc = json.loads(data)
    except RecursionError:
        raise bad("the JSON is nested too deeply to read") from None
    except ValueError as err:
        raise bad(f"not JSON ({' '.join(str(err).split())[:200]})") from None
    if not isinstance(doc, dict):
        raise bad(f"the document is a {type(doc).__name__}, not an object")
    if "boolean" in doc:
        if not isinstance(doc["boolean"], bool):
            raise bad(f"boolean is a {type(doc['boolean']).__name__}, not true/false")
        return QueryOutcome("boolean", boolean=doc["boolean"])
    head, results = doc.get("head"), doc.get("results")
    if not isinstance(head, dict):
        raise bad("no head object")
    variables = head.get("vars", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise bad("head.vars is not a list of names")
    if not isinstance(results, dict):
        raise bad("no results object")
    rows = results.get("bindings")
    if not isinstance(rows, list):
        raise bad(f"results.bindings is a {type(rows).__name__}, not a list")
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise bad(f"binding {n} is a {type(row).__name__}, not an object")
        for var, term in row.items():
            _check_term(term, f"binding {n}, ?{var}", bad)
    return QueryOutcome("bindings", variables=list(variables), rows=rows)


def _check_term(term: Any, where: str, bad, depth: int = 0) -> None:
    if not isinstance(term, dict):
        raise bad(f"{where} is a {type(term).__name__}, not a term object")
    kind = term.get("type")
    if kind not in _TERM_TYPES:
        raise bad(f"{where} has type {str(kind)[:40]!r}; expected one of {', '.join(sorted(_TERM_TYPES))}")
    value = term.get("value")
    if kind == "triple":
        if depth > 8 or not isinstance(value, dict):
            raise bad(f"{where} is a triple term without subject, predicate and object")
        for part in ("subject", "predicate", "object"):
            _check_term(value.get(part), f"{where}.{part}", bad, depth + 1)
    elif not isinstance(value, str):
        raise bad(f"{where} has no string 'value'")


def _to_ntriples(data: bytes, mime: str, endpoint: str) -> bytes:
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(mime) if mime else None
    if fmt is None:
        raise QueryError(f"{endpoint} answered with {mime or 'no content type'}, "
                         f"which is neither SPARQL results nor RDF")
    if fmt == ox.RdfFormat.N_TRIPLES:
        return data
    try:
        return ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as err:
        raise QueryError(f"{endpoint} sent unparsable {mime}: {err}") from err
