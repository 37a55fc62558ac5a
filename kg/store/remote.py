"""A remote SPARQL 1.1 Protocol endpoint as a backend (``kg query --endpoint``).

Plain ``urllib``: the protocol is one POST, and a dependency would buy
nothing. Queries are sent as ``application/x-www-form-urlencoded`` POSTs,
which every endpoint accepts (Fuseki, GraphDB, Virtuoso, Oxigraph, ``kg serve``).
"""
from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kg.errors import QueryError
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
    return "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")


class RemoteBackend:
    """SPARQL over HTTP. ``max_rows`` is applied client-side after the endpoint answers."""

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 credentials: str | None = None, prefixes: dict[str, str] | None = None) -> None:
        if not re.match(r"^https?://", endpoint):
            raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL, e.g. http://127.0.0.1:7878/sparql")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.auth = basic_auth_header(credentials) if credentials else None
        if prefixes is None:
            from kg.rdf import PREFIXES
            prefixes = dict(PREFIXES)
        self.prefixes = prefixes

    def close(self) -> None:
        pass

    def _post(self, url: str, form: dict[str, Any], accept: str, timeout: float | None) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form, doseq=True).encode("utf-8")
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        if self.auth:
            req.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(req, timeout=timeout or 60) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip()[:2000]
            raise QueryError(f"{url} answered {err.code} {err.reason}: {detail or '(no message)'}") from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise QueryError(f"cannot reach SPARQL endpoint {url}: {reason}") from err

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
            try:
                outcome = QueryOutcome.from_json(json.loads(data))
            except ValueError as err:
                raise QueryError(f"{self.endpoint} sent invalid JSON results: {err}") from err
            if max_rows is not None and len(outcome.rows) > max_rows:
                outcome.rows = outcome.rows[:max_rows]
                outcome.truncated = True
            return outcome
        return QueryOutcome("graph", ntriples=_to_ntriples(data, mime, self.endpoint))

    def update(self, sparql: str) -> None:
        self._post(self.update_endpoint, {"update": add_prefix_declarations(sparql, self.prefixes)},
                   "*/*", None)


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
