"""``kg push DIR --endpoint URL``: load the graph into a triple store users already run.

Speaks the SPARQL 1.1 Graph Store HTTP Protocol, which Fuseki (``/ds/data``),
GraphDB (``/repositories/R/rdf-graphs/service``), Virtuoso
(``/sparql-graph-crud``) and Oxigraph server (``/store``) all implement:
one ``PUT ?graph=IRI`` per named graph, so each article's graph replaces the
one a previous push put there, and nothing else in the store is touched.

Graphs a previous push wrote but the build no longer has (deleted articles)
must go too. The push records which graphs it wrote in a small manifest
graph on the server (``<https://w3id.org/kg/id/graph/push-manifest>``,
``kgd:dataset rdfs:member <graph>``), reads it back on the next push and
deletes the graphs that are gone. Keeping it on the server, not on the
machine that pushed, means any checkout can push the next version.

Credentials come from an environment variable (``--auth VAR`` with
``VAR=user:password``), never from the command line, where ``ps`` and shell
history would show them. They are sent only to the endpoint's origin (not
after a redirect to another host) and never appear in an error message.
"""
from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import StoreError
from kg.store import transport
from kg.store.embedded import open_store
from kg.store.remote import basic_auth_header
from kg.vocab import DATA

MANIFEST_GRAPH = str(DATA["graph/push-manifest"])
DATASET_IRI = str(DATA["dataset"])
RDFS_MEMBER = "http://www.w3.org/2000/01/rdf-schema#member"
PROV_GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"
NTRIPLES = "application/n-triples"


@dataclass
class PushReport:
    endpoint: str
    graphs: int = 0
    triples: int = 0
    deleted: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def credentials_from_env(var: str | None) -> str | None:
    """The ``user:password`` in environment variable ``var`` (None when no var is named)."""
    if not var:
        return None
    value = os.environ.get(var)
    if not value:
        raise StoreError(f"environment variable {var} is not set; export {var}=USER:PASSWORD and retry")
    if ":" not in value:
        raise StoreError(f"environment variable {var} must hold USER:PASSWORD")
    return value


class GraphStoreClient:
    """The four verbs of the Graph Store Protocol on one endpoint URL."""

    def __init__(self, endpoint: str, *, credentials: str | None = None, timeout: float = 60.0) -> None:
        endpoint, in_url = transport.split_credentials(endpoint)
        credentials = credentials or in_url
        self._secrets = transport.secrets_of(credentials)
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"endpoint {transport.redact(endpoint, self._secrets)!r} is not an http(s) URL; "
                             f"give the Graph Store "
                             f"endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
                             f"http://localhost:3030/ds/data (Fuseki)")
        self.endpoint = endpoint
        self.auth = basic_auth_header(credentials) if credentials else None
        self.timeout = timeout

    def _url(self, graph: str | None) -> str:
        sep = "&" if "?" in self.endpoint else "?"
        if graph is None:
            return f"{self.endpoint}{sep}default"
        return f"{self.endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"

    def _call(self, method: str, graph: str | None, body: bytes | None = None,
              ok_missing: bool = False) -> tuple[int, bytes]:
        headers = {"Accept": NTRIPLES}
        if body is not None:
            headers["Content-Type"] = NTRIPLES
        url = self._url(graph)
        try:
            reply = transport.request(method, url, body=body, headers=headers, auth=self.auth,
                                      timeout=self.timeout, max_bytes=self.MAX_REPLY)
        except transport.TransportError as err:
            if ok_missing and err.status == 404:
                return 404, b""
            if err.status is None:
                raise StoreError(transport.redact(f"{method}: {err}", self._secrets)) from None
            hint = " (check --auth)" if err.status in (401, 403) else ""
            raise StoreError(transport.redact(f"{method} {err}{hint}{': ' + err.detail[:500] if err.detail else ''}",
                                              self._secrets)) from None
        return reply.status, reply.body

    #: the push manifest graph is all push reads back; 256 MiB is far more than it needs
    MAX_REPLY = 256 * 1024 * 1024

    def get(self, graph: str | None) -> bytes | None:
        status, data = self._call("GET", graph, ok_missing=True)
        return None if status == 404 else data

    def put(self, graph: str | None, ntriples: bytes) -> None:
        self._call("PUT", graph, ntriples)

    def delete(self, graph: str | None) -> None:
        self._call("DELETE", graph, ok_missing=True)


def _manifest_members(data: bytes | None) -> set[str]:
    import pyoxigraph as ox

    if not data:
        return set()
    try:
        quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        return {q.object.value for q in quads
                if q.predicate.value == RDFS_MEMBER and isinstance(q.object, ox.NamedNode)}
    except SyntaxError as err:
        raise StoreError(f"the push manifest graph <{MANIFEST_GRAPH}> on the server is not valid "
                         f"N-Triples ({err}); delete that graph and push again") from err


def push(out_dir: str | Path, endpoint: str, *, credentials: str | None = None, timeout: float = 60.0,
         progress: Callable[[str], None] | None = None) -> PushReport:
    """PUT every named graph of the build in ``out_dir`` to the Graph Store endpoint,
    delete the graphs an earlier push wrote that the build no longer has."""
    import pyoxigraph as ox

    say = progress or (lambda _m: None)
    started = time.perf_counter()
    store = open_store(out_dir)
    client = GraphStoreClient(endpoint, credentials=credentials, timeout=timeout)
    report = PushReport(endpoint=endpoint)
    previous = _manifest_members(client.get(MANIFEST_GRAPH))
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    default = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    if default:
        client.put(None, default)
        report.triples += default.count(b"\n")
    for i, graph in enumerate(graphs, 1):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
        client.put(graph, data)
        report.graphs += 1
        report.triples += data.count(b"\n")
        if i % 100 == 0:
            say(f"pushed {i}/{len(graphs)} graphs")
    for graph in sorted(previous - set(graphs) - {MANIFEST_GRAPH}):
        client.delete(graph)
        report.deleted.append(graph)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    manifest = [f'<{DATASET_IRI}> <{PROV_GENERATED}> "{stamp}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .']
    manifest += [f"<{DATASET_IRI}> <{RDFS_MEMBER}> <{g}> ." for g in graphs]
    client.put(MANIFEST_GRAPH, ("\n".join(manifest) + "\n").encode("utf-8"))
    report.elapsed = time.perf_counter() - started
    return report
